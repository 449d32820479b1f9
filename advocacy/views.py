from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Case, Count, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from advocacy import services
from advocacy.filters import StatementFilter
from advocacy.forms import BallotForm, ContactMessageForm, EndorseForm, StatementForm
from advocacy.markup import word_diff
from advocacy.models import (
    POINTS_PER_BALLOT,
    Ballot,
    Endorsement,
    PriorityRound,
    PriorityStatement,
)
from members.models import Subsector, visible_q
from platform_site.audience import ANONYMOUS_AUDIENCE
from platform_site.cache import AUDIENCE, cache_page
from platform_site.ratelimit import limit_reached_for_address
from platform_site.resilient_cache import shared_cache_available
from platform_site.views import query_without_page
from working_groups.models import WorkingGroup, organisations_of

LIST_PAGE_SIZE = 20


def author_name(statement) -> str:
    author = statement.author
    return author.display_name if statement.author_organisation_id else str(author)


def _endorsers(user):
    """Live endorsements by organisations this user may see (low-profile ones stay hidden)."""
    return Endorsement.objects.live().visible_to(user)


def _endorsement_count(user, **condition):
    """How many organisations this user may see endorse the statement, with a condition on
    the endorsed version. A subquery rather than a join and GROUP BY: PostgreSQL counts only
    for the rows it returns (a page of 20), not for every published statement."""
    endorsements = (
        _endorsers(user)
        .filter(statement=OuterRef("pk"), **condition)
        .order_by()
        .values("statement")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(endorsements), 0)


def _published(user):
    """Published statements with their current version and what this user may see of them.

    `endorsement_count` counts the organisations that endorse the current version;
    `earlier_endorsement_count` those that endorsed an earlier one and have not confirmed the
    text again since a substantive change."""
    return (
        PriorityStatement.objects.published()
        .select_related("current", "author_organisation", "author_group")
        .annotate(
            endorsement_count=_endorsement_count(user, version__gte=OuterRef("version")),
            earlier_endorsement_count=_endorsement_count(user, version__lt=OuterRef("version")),
            # A low-profile author is not named to those who may not see it.
            author_hidden=Case(
                When(
                    Q(author_organisation__isnull=False)
                    & ~visible_q(user, "author_organisation__"),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
    )


@method_decorator(cache_page(AUDIENCE), name="dispatch")
class StatementListView(FilterView):
    filterset_class = StatementFilter
    template_name = "advocacy/prioritystatement_list.html"
    paginate_by = LIST_PAGE_SIZE
    context_object_name = "statements"

    def get_queryset(self):
        return _published(self.request.user).prefetch_related("subsectors")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["query_without_page"] = query_without_page(self.request)
        context["can_draft"] = _can_draft(self.request.user)
        return context


def _can_draft(user) -> bool:
    """Whether the user may start a statement: for an active organisation or a group it leads."""
    return user.is_authenticated and (
        organisations_of(user).exists()
        or WorkingGroup.objects.led_by(user).exclude(status="archived").exists()
    )


@method_decorator(cache_page(AUDIENCE), name="dispatch")
class StatementDetailView(DetailView):
    template_name = "advocacy/prioritystatement_detail.html"
    context_object_name = "statement"

    def get_queryset(self):
        return _published(self.request.user).prefetch_related("subsectors", "governorates")

    def get_context_data(self, **kwargs):
        user, statement = self.request.user, self.object
        endorsements = (
            _endorsers(user)
            .filter(statement=statement)
            .select_related("organisation")
            .prefetch_related("organisation__governorates")
            .order_by("organisation__name_ar")
        )
        own = organisations_of(user).exclude(pk=statement.author_organisation_id or 0)
        own_endorsements = statement.endorsements.live().filter(organisation__in=own)
        can_endorse = own.exclude(pk__in=own_endorsements.values("organisation"))
        endorsements = list(endorsements)
        return super().get_context_data(
            version=statement.current,
            current_endorsements=[e for e in endorsements if e.version >= statement.version],
            earlier_endorsements=[e for e in endorsements if e.version < statement.version],
            own_endorsements=own_endorsements.select_related("organisation"),
            endorse_form=EndorseForm(organisations=can_endorse) if can_endorse.exists() else None,
            versions=statement.versions.only("number", "published_at", "substantive"),
            is_member=self.request.audience.is_member,
            **kwargs,
        )


class VersionView(TemplateView):
    """An earlier (or the current) published version, kept readable."""

    template_name = "advocacy/statementversion_detail.html"

    def get_context_data(self, **kwargs):
        statement = get_object_or_404(_published(self.request.user), slug=self.kwargs["slug"])
        version = get_object_or_404(statement.versions, number=self.kwargs["number"])
        return super().get_context_data(statement=statement, version=version, **kwargs)


class ChangesView(TemplateView):
    """What changed between two published versions (?from=1&to=2)."""

    template_name = "advocacy/statement_changes.html"

    def get_context_data(self, **kwargs):
        statement = get_object_or_404(_published(self.request.user), slug=self.kwargs["slug"])
        try:
            newer = int(self.request.GET.get("to", statement.version))
            older = int(self.request.GET.get("from", newer - 1))
        except ValueError:
            raise Http404 from None
        versions = {v.number: v for v in statement.versions.filter(number__in=[older, newer])}
        if older not in versions or newer not in versions or older >= newer:
            raise Http404
        a, b = versions[older], versions[newer]
        return super().get_context_data(
            statement=statement,
            older=a,
            newer=b,
            changes=[
                (label, word_diff(getattr(a, field), getattr(b, field)))
                for label, field in (
                    (_("Title (Arabic)"), "title_ar"),
                    (_("Title (English)"), "title_en"),
                    (_("Summary (Arabic)"), "summary_ar"),
                    (_("Summary (English)"), "summary_en"),
                    (_("Text (Arabic)"), "body_ar"),
                    (_("Text (English)"), "body_en"),
                )
                if getattr(a, field) or getattr(b, field)
            ],
            **kwargs,
        )


@method_decorator(cache_page(AUDIENCE), name="dispatch")
class BySubsectorView(TemplateView):
    template_name = "advocacy/by_subsector.html"

    def get_context_data(self, **kwargs):
        published = PriorityStatement.objects.published()
        endorsed = _endorsers(self.request.user).filter(statement__in=published)
        subsectors = Subsector.objects.annotate(
            statement_count=Count("statements", filter=Q(statements__in=published), distinct=True),
            organisation_count=Count(
                "statements__endorsements__organisation",
                filter=Q(statements__endorsements__in=endorsed),
                distinct=True,
            ),
        ).prefetch_related(
            Prefetch(
                "statements",
                queryset=published.select_related("current").order_by("-published_at"),
                to_attr="published_statements",
            )
        )
        return super().get_context_data(subsectors=subsectors, **kwargs)


class StatementFeed(Feed):
    """Atom feed of published statements: titles, summaries and authors — never persons."""

    feed_type = Atom1Feed
    title = gettext_lazy("Syrian Education Platform — priority statements")
    subtitle = gettext_lazy("Priorities agreed by the network's member organisations.")

    def link(self):
        return reverse("advocacy:list")

    def items(self):
        return _published(ANONYMOUS_AUDIENCE)[:50]

    def item_title(self, statement):
        return statement.current.title

    def item_description(self, statement):
        return statement.current.summary

    def item_pubdate(self, statement):
        return statement.published_at

    def item_updateddate(self, statement):
        return statement.current.published_at

    def item_author_name(self, statement):
        return _("A member organisation") if statement.author_hidden else author_name(statement)


# --- drafting ---------------------------------------------------------------------------


@method_decorator(login_required, name="dispatch")
class MyStatementsView(ListView):
    template_name = "advocacy/my_statements.html"
    context_object_name = "statements"
    http_method_names = ["get", "head"]

    def get_queryset(self):
        return (
            PriorityStatement.objects.editable_by(self.request.user)
            .select_related("author_organisation", "author_group")
            .order_by("-updated_at")
        )

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            can_draft=_can_draft(user),
            **kwargs,
        )


@require_http_methods(["GET", "POST"])
@login_required
def statement_form(request, slug=None):
    """Write a new statement, or the next version of an existing one."""
    user = request.user
    if slug:
        statement = get_object_or_404(PriorityStatement.objects.editable_by(user), slug=slug)
        if statement.status == PriorityStatement.Status.IN_REVIEW:
            messages.error(
                request, _("A statement in review cannot be changed; wait for the review.")
            )
            return redirect("advocacy:preview", slug=statement.slug)
        form = StatementForm(request.POST or None, instance=statement)
    else:
        organisations = list(organisations_of(user))
        groups = list(WorkingGroup.objects.led_by(user).exclude(status="archived"))
        if not organisations and not groups:
            raise Http404
        statement = None
        form = StatementForm(
            request.POST or None,
            organisations=organisations,
            groups=groups,
            initial={"author": request.GET.get("author", "")},  # e.g. from a group's page
        )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_draft(
                statement=form.save(commit=False), by=user, save_m2m=form.save_m2m
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The draft was saved. Check the preview, then submit it."))
            return redirect("advocacy:preview", slug=saved.slug)
    return render(
        request, "advocacy/prioritystatement_form.html", {"form": form, "statement": statement}
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def preview(request, slug):
    """The working copy exactly as it will be published."""
    statement = get_object_or_404(PriorityStatement.objects.previewable_by(request.user), slug=slug)
    can_edit = PriorityStatement.objects.editable_by(request.user).filter(pk=statement.pk).exists()
    return render(
        request,
        "advocacy/preview.html",
        {"statement": statement, "version": statement, "can_edit": can_edit},
    )


@require_POST
@login_required
def submit(request, slug):
    statement = get_object_or_404(PriorityStatement.objects.editable_by(request.user), slug=slug)
    try:
        services.submit_statement(statement=statement, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The statement was sent to the secretariat for review."))
    return redirect("advocacy:preview", slug=statement.slug)


# --- endorsing --------------------------------------------------------------------------


@require_POST
@login_required
def endorse(request, slug):
    statement = get_object_or_404(PriorityStatement.objects.published(), slug=slug)
    own = organisations_of(request.user).exclude(pk=statement.author_organisation_id or 0)
    form = EndorseForm(request.POST, organisations=own)
    if not form.is_valid():
        messages.error(request, _("Choose one of your organisations and tick the confirmation."))
        return redirect(statement)
    try:
        services.endorse(
            statement=statement, organisation=form.cleaned_data["organisation"], by=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Thank you: the endorsement was recorded."))
    return redirect(statement)


@require_POST
@login_required
def withdraw_endorsement(request, slug, pk):
    statement = get_object_or_404(PriorityStatement.objects.published(), slug=slug)
    endorsement = get_object_or_404(statement.endorsements.live().editable_by(request), pk=pk)
    services.withdraw_endorsement(endorsement=endorsement, by=request.user)
    messages.success(request, _("The endorsement was withdrawn."))
    return redirect(statement)


# --- contact ----------------------------------------------------------------------------

CONTACT_LIMIT = 5  # messages per address per hour


@require_http_methods(["GET", "POST"])
def contact(request):
    form = ContactMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not shared_cache_available(cache):  # no shared limit: refuse (docs/deploy.md)
            messages.error(
                request,
                _(
                    "Messages cannot be received right now. Please try again in a few minutes; "
                    "what you wrote is still in the form below."
                ),
            )
            return render(request, "advocacy/contact.html", {"form": form}, status=503)
        if limit_reached_for_address(request, "contact-messages", CONTACT_LIMIT, 3600):
            messages.error(
                request, _("Too many messages from your connection. Please try again in an hour.")
            )
            return render(request, "advocacy/contact.html", {"form": form}, status=429)
        if not form.cleaned_data["website"]:  # the honeypot stayed empty: a person
            message = form.save(commit=False)
            message.language = request.LANGUAGE_CODE
            services.receive_contact_message(message=message)
        messages.success(request, _("Thank you. The secretariat will answer you by e-mail."))
        return redirect("contact")
    return render(request, "advocacy/contact.html", {"form": form})


# --- priority-setting rounds ------------------------------------------------------------


class RoundListView(ListView):
    template_name = "advocacy/priorityround_list.html"
    context_object_name = "rounds"

    def get_queryset(self):
        return PriorityRound.objects.visible().annotate(
            candidate_count=Count("candidates", distinct=True)
        )


def _round_context(request, round_, form=None):
    user = request.user
    organisations = organisations_of(user)
    chosen = None
    if form is None and organisations.exists():
        chosen = (
            organisations.filter(slug=request.GET.get("organisation")).first()
            or organisations.first()
        )
    own_ballots = {
        ballot.organisation_id: ballot
        for ballot in Ballot.objects.filter(round=round_, organisation__in=organisations)
        .select_related("organisation")
        .prefetch_related("allocations__candidate")
    }
    candidates = round_.candidates.select_related("subsector")
    accepting = round_.is_accepting_ballots(timezone.now())
    if form is None and accepting and chosen is not None:
        ballot = own_ballots.get(chosen.pk)
        form = BallotForm(
            candidates=candidates,
            organisations=organisations,
            initial={"organisation": chosen.pk},
            initial_points={a.candidate_id: a.points for a in ballot.allocations.all()}
            if ballot
            else {},
        )
    return {
        "round": round_,
        "candidates": candidates,
        "form": form,
        "accepting": accepting,
        "own_ballots": list(own_ballots.values()),
        "points_total": POINTS_PER_BALLOT,
    }


@require_http_methods(["GET", "HEAD"])
def round_detail(request, slug):
    round_ = get_object_or_404(PriorityRound.objects.visible(), slug=slug)
    return render(request, "advocacy/priorityround_detail.html", _round_context(request, round_))


@require_POST
@login_required
def vote(request, slug):
    round_ = get_object_or_404(PriorityRound.objects.visible(), slug=slug)
    form = BallotForm(
        request.POST,
        candidates=round_.candidates.all(),
        organisations=organisations_of(request.user),
    )
    if form.is_valid():
        try:
            services.cast_ballot(
                round_=round_,
                organisation=form.cleaned_data["organisation"],
                by=request.user,
                points=form.points(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The ballot was saved. You can change it until the round closes."),
            )
            return redirect(
                f"{round_.get_absolute_url()}?organisation={form.cleaned_data['organisation'].slug}"
            )
    return render(
        request,
        "advocacy/priorityround_detail.html",
        _round_context(request, round_, form),
        status=200,
    )


@require_http_methods(["GET", "HEAD"])
def round_results(request, slug):
    """Published results for everyone; coordinators may check them once the round is closed."""
    round_ = get_object_or_404(PriorityRound.objects.results_visible_to(request), slug=slug)
    return render(
        request,
        "advocacy/priorityround_results.html",
        {"round": round_, "results": services.tally(round_)},
    )
