from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from members import cards, search, services
from members.filters import OrganisationFilter
from members.forms import (
    AcceptInvitationForm,
    ApplicationForm,
    ContactForm,
    ContactFormSet,
    DecisionForm,
    InvitationForm,
    JoinRequestForm,
    ProfileForm,
    RoleForm,
)
from members.models import (
    Contact,
    JoinRequest,
    Organisation,
    OrganisationMember,
)
from platform_site.cache import AUDIENCE, PERSON, cache_page, cached_result, filter_key
from platform_site.storage_faults import STORAGE_ERRORS, storage_failed
from platform_site.uploads import make_thumbnail
from platform_site.views import query_without_page

LIST_PAGE_SIZE = 20


def _error_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@method_decorator(cache_page(AUDIENCE), name="dispatch")
class OrganisationListView(FilterView):
    filterset_class = OrganisationFilter
    template_name = "members/organisation_list.html"
    paginate_by = LIST_PAGE_SIZE
    context_object_name = "organisations"

    def get_queryset(self):
        # The cards are kept as HTML (members.cards); a card not kept yet reads its
        # governorates, sub-sectors and target groups from the facet index, not from three
        # prefetch queries.
        return Organisation.objects.visible_to(self.request.audience)

    def paginate_queryset(self, queryset, page_size):
        # A search in relevance order is ordered on the matches' keys, and only the page's
        # rows are read (members.search.RankedResults).
        ranked = search.ranked_results(self.filterset, get_language() or "ar")
        return super().paginate_queryset(queryset if ranked is None else ranked, page_size)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request, filterset = self.request, context["filter"]
        query = filterset.form.cleaned_data.get("q", "") if filterset.is_valid() else ""
        visible = Organisation.objects.visible_to(request.audience)
        if not filterset.is_bound:  # no parameters at all: the facets of the whole directory
            filterset = OrganisationFilter(QueryDict(), queryset=visible, request=request)
        if filterset.is_valid():
            # Counts and offers are computed over what this reader may see, for these filters.
            facets, offers = cached_result(
                "directory-facets",
                apps=("members", "knowledge_bank"),
                parts=(filter_key(filterset), request.audience.cache_key, get_language()),
                compute=lambda: (
                    search.facet_counts(filterset, visible),
                    search.matching_filters(query, filterset, visible),
                ),
            )
        else:
            facets, offers = {}, []
        search.explain_matches(context["organisations"], query, request.audience)
        context.update(
            cards=cards.organisation_cards(context["organisations"]),
            query=query,
            facets=[
                (filterset.form[name], _with_links(request, name, facets[name]))
                for name in search.FACETS
                if facets.get(name)
            ],
            matching_filters=offers,
            query_without_page=query_without_page(request),
            is_filtered=any(
                value for key, value in request.GET.items() if key not in {"sort", "page"}
            ),
        )
        return context


def _with_links(request, name, values):
    """Each facet value with the address that applies it (or, when applied, removes it)."""
    query = request.GET.copy()
    query.pop("page", None)
    query.pop(name, None)
    others = query.urlencode()
    prefix = f"?{others}&" if others else "?"
    for value in values:
        value["url"] = (
            f"?{others}" if value["selected"] else f"{prefix}{urlencode({name: value['code']})}"
        )
    return values


@method_decorator(cache_page(PERSON), name="dispatch")
class OrganisationDetailView(DetailView):
    template_name = "members/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return Organisation.objects.visible_to(self.request.user).prefetch_related(
            "governorates", "subsectors", "target_groups"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, organisation = self.request.user, self.object
        audience = self.request.audience
        membership = None
        if organisation.pk in audience.organisation_ids:
            membership = organisation.memberships.filter(user=user).first()
        context.update(
            membership=membership,
            can_edit=organisation.pk in audience.editable_organisation_ids,
            is_member=audience.is_member or membership is not None,
            contacts=Contact.objects.filter(organisation=organisation).visible_to(audience),
            open_join_request=(
                organisation.join_requests.filter(
                    user=user, status=JoinRequest.Status.REQUESTED
                ).first()
                if user.is_authenticated and membership is None
                else None
            ),
            can_ask_to_join=user.is_authenticated
            and membership is None
            and organisation.status == Organisation.Status.ACTIVE,
            join_form=JoinRequestForm(),
        )
        return context


SIMILAR_INPUT_LIMIT = 200  # the longest name an organisation may have


def _similar_organisations(user, form_data) -> list[Organisation]:
    """Organisations this user can see whose name or acronym resembles the application.

    Reads the raw, not yet validated input: cut to a name's length and without NUL characters
    (which PostgreSQL refuses in text)."""

    def typed(field):
        return (form_data.get(field) or "")[:SIMILAR_INPUT_LIMIT].replace("\x00", "").strip()

    visible = Organisation.objects.visible_to(user).exclude(status=Organisation.Status.REJECTED)
    condition = Q(pk__in=[])
    for field in ("name_ar", "name_en"):
        if value := typed(field):
            condition |= Q(pk__in=visible.search(value).values("pk"))
    if acronym := typed("acronym"):
        condition |= Q(acronym__iexact=acronym)
    return list(visible.filter(condition)[:5])


@require_safe
@verified_email_required
def similar_organisations(request):
    """While an application is being typed: the organisations it may duplicate (an htmx
    fragment for the registration page; the check on submission stays the rule)."""
    return render(
        request,
        "members/includes/similar_organisations.html",
        {"similar": _similar_organisations(request.user, request.GET)},
    )


@require_http_methods(["GET", "POST"])
@verified_email_required
def register(request):
    """Apply for a new organisation; similar ones are offered first."""
    if request.method == "POST":
        similar = _similar_organisations(request.user, request.POST)
        form = ApplicationForm(request.POST, similar=similar)
        contact_form = ContactForm(request.POST, prefix="contact")
        if form.is_valid() and contact_form.is_valid():
            contact = contact_form.save(commit=False)
            services.record_contact_consent(contact=contact, by=request.user)
            organisation = services.submit_application(
                organisation=form.save(commit=False),
                form_m2m=form.save_m2m,
                contact=contact,
                user=request.user,
                language=request.LANGUAGE_CODE,
                conduct=form.conduct,
            )
            messages.success(
                request,
                _(
                    "Thank you. Your application for “%(name)s” was sent to the secretariat; "
                    "you will receive an e-mail when it is reviewed."
                )
                % {"name": organisation.display_name},
            )
            return redirect("members:dashboard")
    else:
        form, contact_form, similar = ApplicationForm(), ContactForm(prefix="contact"), []
    return render(
        request,
        "members/organisation_register.html",
        {"form": form, "contact_form": contact_form, "similar": similar},
    )


@require_http_methods(["GET", "POST"])
@login_required
def edit_profile(request, slug):
    """Edit an organisation's profile and contacts (its own editors only)."""
    editable = Organisation.objects.editable_by(request.user)
    if request.method == "POST":
        with transaction.atomic():
            organisation = get_object_or_404(editable.select_for_update(), slug=slug)
            form = ProfileForm(request.POST, request.FILES, instance=organisation)
            formset = ContactFormSet(request.POST, instance=organisation, prefix="contacts")
            if form.is_valid() and formset.is_valid():
                try:
                    with transaction.atomic():
                        _save_profile(request, form, formset)
                except STORAGE_ERRORS as error:  # the logo could not be stored: save nothing
                    storage_failed(error)
                    organisation.refresh_from_db(fields=["logo", "logo_thumbnail"])
                    form.add_error(
                        "logo_upload",
                        _(
                            "The logo could not be stored just now, so nothing was saved. "
                            "Please try again in a few minutes."
                        ),
                    )
                else:
                    messages.success(request, _("The profile was saved."))
                    return redirect(organisation)
    else:
        organisation = get_object_or_404(editable, slug=slug)
        form = ProfileForm(instance=organisation)
        formset = ContactFormSet(instance=organisation, prefix="contacts")
    return render(
        request,
        "members/organisation_form.html",
        {"organisation": organisation, "form": form, "formset": formset},
    )


def _save_profile(request, form, formset) -> None:
    organisation = form.save(commit=False)
    if logo := form.cleaned_data.get("logo_upload"):
        organisation.logo.save(logo.name, logo, save=False)
        organisation.logo_thumbnail.save("thumb.webp", make_thumbnail(logo), save=False)
        organisation.logo_original_name = logo.original_name
    elif form.cleaned_data.get("remove_logo"):
        organisation.logo = organisation.logo_thumbnail = ""
        organisation.logo_original_name = ""
    organisation.save()
    form.save_m2m()
    search.refresh_search_documents([organisation.pk])  # governorates, sub-sectors…
    contacts = formset.save(commit=False)
    for contact in contacts:
        services.record_contact_consent(contact=contact, by=request.user)
        contact.save()
    for contact in formset.deleted_objects:
        contact.delete()


@require_POST
@login_required
def verify_profile(request, slug):
    organisation = get_object_or_404(Organisation.objects.editable_by(request.user), slug=slug)
    services.mark_verified(organisation=organisation, by=request.user)
    messages.success(request, _("Thank you for confirming that the profile is current."))
    return redirect(organisation)


@require_POST
@verified_email_required
def ask_to_join(request, slug):
    organisation = get_object_or_404(
        Organisation.objects.visible_to(request.user).active(), slug=slug
    )
    form = JoinRequestForm(request.POST)
    if not form.is_valid():
        _error_messages(request, ValidationError(list(form.errors.get("message", []))))
        return redirect(organisation)
    try:
        services.request_to_join(
            organisation=organisation,
            user=request.user,
            message=form.cleaned_data["message"],
            language=request.LANGUAGE_CODE,
        )
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("Your request was sent to the organisation's administrators."))
    return redirect(organisation)


@method_decorator(login_required, name="dispatch")
class OrganisationUsersView(TemplateView):
    """An organisation's users, roles and join requests, for its administrators."""

    template_name = "members/organisation_users.html"
    http_method_names = ["get", "head"]

    def get_context_data(self, **kwargs):
        organisation = get_object_or_404(
            Organisation.objects.administered_by(self.request.user), slug=self.kwargs["slug"]
        )
        return super().get_context_data(
            organisation=organisation,
            memberships=organisation.memberships.select_related("user").order_by("user__email"),
            join_requests=organisation.join_requests.filter(
                status=JoinRequest.Status.REQUESTED
            ).select_related("user"),
            invite_form=InvitationForm(),
            invitations=organisation.invitations.pending(),
            roles=OrganisationMember.Role.choices,
            **kwargs,
        )


def _administered(request, slug) -> Organisation:
    return get_object_or_404(Organisation.objects.administered_by(request.user), slug=slug)


@require_POST
@login_required
def invite(request, slug):
    """Invite an address. The answer is the same whether or not an account uses it."""
    organisation = _administered(request, slug)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid e-mail address and choose a role."))
    elif services.invitation_limit_reached(organisation=organisation, by=request.user):
        messages.error(request, _("Too many invitations were sent. Please try again later."))
    else:
        services.invite_member(
            organisation=organisation,
            by=request.user,
            language=request.LANGUAGE_CODE,
            **form.cleaned_data,
        )
        messages.success(
            request, _("If this address belongs to a person, they will get an invitation.")
        )
    return redirect("members:users", slug=organisation.slug)


@require_POST
@login_required
def withdraw_invitation(request, slug, pk):
    organisation = _administered(request, slug)
    invitation = get_object_or_404(organisation.invitations.pending(), pk=pk)
    services.withdraw_invitation(invitation=invitation, by=request.user)
    messages.success(request, _("The invitation was withdrawn."))
    return redirect("members:users", slug=organisation.slug)


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """The invited person's page: sign in (or sign up) with the invited address, then join."""
    invitation = services.pending_invitation(token)
    if invitation is None:
        raise Http404
    user = request.user
    matches = user.is_authenticated and services.invitation_matches(invitation, user)
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            services.accept_invitation(invitation=invitation, user=user)
        except ValidationError as error:
            _error_messages(request, error)
            return redirect(request.path)
        messages.success(
            request,
            _("You are now a user of %(name)s.") % {"name": invitation.organisation.display_name},
        )
        return redirect("members:dashboard")
    return render(
        request,
        "members/invitation.html",
        {"invitation": invitation, "matches": matches, "form": AcceptInvitationForm()},
    )


@require_POST
@login_required
def change_role(request, slug, pk):
    organisation = _administered(request, slug)
    membership = get_object_or_404(organisation.memberships, pk=pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.set_member_role(
                membership=membership, role=form.cleaned_data["role"], by=request.user
            )
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("The role was changed."))
    else:
        messages.error(request, _("Choose a valid role."))
    return redirect("members:users", slug=organisation.slug)


@require_POST
@login_required
def remove_user(request, slug, pk):
    organisation = _administered(request, slug)
    membership = get_object_or_404(organisation.memberships, pk=pk)
    try:
        services.remove_member(membership=membership, by=request.user)
    except ValidationError as error:
        _error_messages(request, error)
        return redirect("members:users", slug=organisation.slug)
    messages.success(request, _("The user was removed from the organisation."))
    if membership.user_id == request.user.id:  # an admin who left no longer sees the page
        return redirect("members:dashboard")
    return redirect("members:users", slug=organisation.slug)


@require_POST
@login_required
def decide_request(request, slug, pk):
    organisation = _administered(request, slug)
    join_request = get_object_or_404(
        organisation.join_requests.filter(status=JoinRequest.Status.REQUESTED), pk=pk
    )
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to accept or decline the request."))
    else:
        accept = form.cleaned_data["accept"]
        services.decide_join_request(join_request=join_request, by=request.user, accept=accept)
        messages.success(
            request, _("The request was accepted.") if accept else _("The request was declined.")
        )
    return redirect("members:users", slug=organisation.slug)


@method_decorator(login_required, name="dispatch")
class DashboardView(TemplateView):
    """A member's home: for each of their organisations its status, freshness, groups, votes,
    statements, pending decisions and quick actions.

    members sits below the other apps: their parts of each organisation's panel come from their
    template tags (working_groups.group_overview, advocacy.advocacy_overview), each computed
    once for all the user's organisations so the page runs a fixed number of queries.
    """

    template_name = "members/dashboard.html"
    http_method_names = ["get", "head"]

    def get_context_data(self, **kwargs):
        user = self.request.user
        memberships = list(
            user.organisation_memberships.filter(
                organisation__in=Organisation.objects.visible_to(self.request)
            )
            .select_related("organisation")
            .order_by("organisation__name_ar")
        )
        administered = {
            m.organisation_id for m in memberships if m.role == OrganisationMember.Role.ADMIN
        }
        requests_to_decide = list(
            JoinRequest.objects.filter(
                organisation__in=Organisation.objects.administered_by(self.request),
                status=JoinRequest.Status.REQUESTED,
            ).select_related("organisation", "user")
        )
        for membership in memberships:
            membership.is_admin = membership.organisation_id in administered
            membership.requests_to_decide = [
                r for r in requests_to_decide if r.organisation_id == membership.organisation_id
            ]
        return super().get_context_data(
            memberships=memberships,
            stale=[
                m.organisation
                for m in memberships
                if m.organisation.status == Organisation.Status.ACTIVE
                and not m.organisation.is_fresh
            ],
            requests_to_decide=requests_to_decide,
            my_requests=user.organisation_join_requests.select_related("organisation").filter(
                status=JoinRequest.Status.REQUESTED
            ),
            is_coordinator=self.request.audience.is_coordinator,
            **kwargs,
        )


@require_http_methods(["GET", "HEAD"])
@login_required
def export_own_data(request, slug):
    """Everything the platform holds about an organisation, for its administrators (JSON)."""
    organisation = get_object_or_404(Organisation.objects.administered_by(request.user), slug=slug)
    data = {
        "organisation": {
            field: getattr(organisation, field)
            for field in (
                "slug",
                "name_ar",
                "name_en",
                "acronym",
                "aliases",
                "org_type",
                "description_ar",
                "description_en",
                "founded_year",
                "registration_country",
                "registration_number",
                "hq_country",
                "hq_city",
                "website",
                "public_email",
                "public_phone",
                "host_countries",
                "status",
                "status_reason",
                "low_profile",
            )
        }
        | {
            "governorates": [g.pcode for g in organisation.governorates.all()],
            "subsectors": [s.code for s in organisation.subsectors.all()],
            "target_groups": [t.code for t in organisation.target_groups.all()],
            "created_at": organisation.created_at.isoformat(),
            "verified_at": organisation.verified_at.isoformat()
            if organisation.verified_at
            else None,
        },
        "users": [
            {"email": m.user.email, "role": m.role, "since": m.created_at.isoformat()}
            for m in organisation.memberships.select_related("user")
        ],
        "contacts": list(
            organisation.contacts.values("name", "title", "email", "phone", "visibility")
        ),
    }
    for label, related in (
        ("programmes", "programmes"),
        ("group_memberships", "group_memberships"),
        ("endorsements", "endorsements"),
        ("statements", "statements"),
    ):
        # Filled by the apps above members, when they are installed (reverse relations).
        if hasattr(organisation, related):
            data[label] = [str(obj) for obj in getattr(organisation, related).all()]
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="organisation-{organisation.pk}.json"'
    response["Cache-Control"] = "private, no-store"
    return response
