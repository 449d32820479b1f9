from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.generic import DetailView, ListView

from credentials.services import calendar_token_for, user_for_calendar_token
from members.forms import DecisionForm
from members.models import Organisation
from platform_site.cache import AUDIENCE, PERSON, cache_page
from platform_site.calendars import CalendarEntry, calendar_response
from working_groups import services
from working_groups.forms import AnswerForm, JoinGroupForm, LeaveGroupForm, MeetingForm
from working_groups.models import (
    GroupMembership,
    Meeting,
    MeetingAnswer,
    WorkingGroup,
    organisations_of,
)


def _leads(user):
    return Prefetch("lead_organisations", queryset=Organisation.objects.visible_to(user))


@method_decorator(cache_page(AUDIENCE), name="dispatch")
class GroupListView(ListView):
    template_name = "working_groups/workinggroup_list.html"
    context_object_name = "groups"

    def get_queryset(self):
        return (
            WorkingGroup.objects.public()
            .annotate(member_count=Count("memberships", filter=Q(memberships__status="active")))
            .prefetch_related("subsectors", _leads(self.request.user))
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            archived=WorkingGroup.objects.filter(status=WorkingGroup.Status.ARCHIVED).only(
                "slug", "name", "name_ar", "name_en"
            ),
            **kwargs,
        )


@method_decorator(cache_page(PERSON), name="dispatch")
class GroupDetailView(DetailView):
    template_name = "working_groups/workinggroup_detail.html"
    context_object_name = "group"

    def get_queryset(self):
        return WorkingGroup.objects.prefetch_related("subsectors", _leads(self.request.user))

    def get_context_data(self, **kwargs):
        user, group = self.request.user, self.object
        own = organisations_of(user)
        memberships = group.memberships.select_related("organisation")
        own_memberships = memberships.live().filter(organisation__in=own)
        joinable = own.exclude(pk__in=group.memberships.live().values("organisation")).exclude(
            pk__in=group.lead_organisations.values("pk")
        )
        meetings = list(Meeting.objects.filter(group=group).visible_to(user))
        now = timezone.now()
        is_lead = WorkingGroup.objects.led_by(user).filter(pk=group.pk).exists()
        leading = list(own.filter(pk__in=group.lead_organisations.values("pk"))) if is_lead else []
        can_answer = group.pk in self.request.audience.group_ids
        _add_answers(meetings, user, is_lead=is_lead, can_answer=can_answer)
        context = super().get_context_data(**kwargs)
        context.update(
            members=[
                m.organisation
                for m in memberships.active().filter(
                    organisation__in=Organisation.objects.visible_to(user)
                )
            ],
            own_memberships=own_memberships,
            join_form=JoinGroupForm(organisations=joinable) if joinable else None,
            upcoming=sorted((m for m in meetings if m.starts_at >= now), key=lambda m: m.starts_at),
            past=[m for m in meetings if m.starts_at < now],
            is_lead=is_lead,
            leading=leading,
            requests=list(memberships.filter(status=GroupMembership.Status.REQUESTED))
            if is_lead
            else [],
            can_answer=can_answer,
            answer_choices=MeetingAnswer.Answer.choices,
            calendar_url=reverse("working_groups:calendar", kwargs={"slug": group.slug}),
            private_calendar_url=_private_calendar_url(user, group) if own else "",
        )
        return context


def _add_answers(meetings, user, *, is_lead: bool, can_answer: bool) -> None:
    """Each upcoming meeting gets the person's own answer and, for its leads, the counts."""
    upcoming = [m for m in meetings if m.is_upcoming and not m.is_cancelled]
    own, counts = {}, {}
    if can_answer and upcoming:
        own = dict(
            MeetingAnswer.objects.filter(user=user, meeting__in=upcoming).values_list(
                "meeting_id", "answer"
            )
        )
    if is_lead and upcoming:
        rows = (
            MeetingAnswer.objects.filter(meeting__in=upcoming)
            .values_list("meeting_id", "answer")
            .annotate(n=Count("pk"))
        )
        for meeting_id, answer, n in rows:
            counts.setdefault(meeting_id, {})[answer] = n
    for meeting in meetings:
        meeting.my_answer = own.get(meeting.pk, "")
        found = counts.get(meeting.pk, {})
        meeting.answer_counts = [
            (label, found.get(value, 0)) for value, label in MeetingAnswer.Answer.choices
        ]


def _private_calendar_url(user, group) -> str:
    """The group's calendar with the person's token: rotated or revoked at accounts/calendar/."""
    url = reverse("working_groups:calendar", kwargs={"slug": group.slug})
    return f"{url}?token={calendar_token_for(user)}"


@require_POST
@login_required
def join(request, slug):
    group = get_object_or_404(WorkingGroup, slug=slug)
    own = organisations_of(request.user)
    form = JoinGroupForm(request.POST, organisations=own)
    if not form.is_valid():
        # Another organisation's id, or none: refused without saying whether it exists.
        messages.error(request, _("Choose one of your own organisations."))
        return redirect(group)
    try:
        services.request_membership(
            group=group,
            organisation=form.cleaned_data["organisation"],
            by=request.user,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your request was sent to the group's leads."))
    return redirect(group)


@require_POST
@login_required
def leave(request, slug):
    group = get_object_or_404(WorkingGroup, slug=slug)
    own_memberships = group.memberships.live().filter(
        organisation__in=organisations_of(request.user)
    )
    form = LeaveGroupForm(request.POST, memberships=own_memberships)
    if not form.is_valid():
        messages.error(request, _("Choose one of your own organisations."))
        return redirect(group)
    services.leave_group(membership=form.cleaned_data["membership"], by=request.user)
    messages.success(request, _("Your organisation left the group."))
    return redirect(group)


@require_POST
@login_required
def decide(request, slug, pk):
    group = get_object_or_404(WorkingGroup.objects.led_by(request.user), slug=slug)
    membership = get_object_or_404(
        group.memberships.filter(status=GroupMembership.Status.REQUESTED), pk=pk
    )
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to accept or decline the request."))
        return redirect(group)
    accept = form.cleaned_data["accept"]
    services.decide_membership(membership=membership, by=request.user, accept=accept)
    messages.success(
        request, _("The request was accepted.") if accept else _("The request was declined.")
    )
    return redirect(group)


@require_http_methods(["GET", "POST"])
@login_required
def meeting_form(request, slug, pk=None):
    """Leads create and edit their group's meetings."""
    group = get_object_or_404(WorkingGroup.objects.led_by(request.user), slug=slug)
    meeting = get_object_or_404(group.meetings, pk=pk) if pk else Meeting(group=group)
    if meeting.is_cancelled:
        messages.error(request, _("This meeting is cancelled and can no longer be changed."))
        return redirect(group)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        new = meeting.pk is None
        services.save_meeting(
            meeting=form.save(commit=False), by=request.user, changed=form.changed_data
        )
        if new:
            messages.success(request, _("The meeting was saved and the group's members invited."))
        else:
            messages.success(request, _("The meeting was saved."))
        return redirect(group)
    return render(
        request,
        "working_groups/meeting_form.html",
        {"group": group, "form": form, "meeting": meeting},
    )


@require_POST
@login_required
def cancel_meeting(request, slug, pk):
    """A lead cancels an upcoming meeting; invitees get the cancellation."""
    group = get_object_or_404(WorkingGroup.objects.led_by(request.user), slug=slug)
    meeting = get_object_or_404(group.meetings, pk=pk)
    try:
        services.cancel_meeting(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The meeting was cancelled and the invitees told."))
    return redirect(group)


@require_POST
@login_required
def answer_meeting(request, slug, pk):
    """Attending, not attending or maybe: for members of the group's organisations."""
    audience = request.audience
    meeting = get_object_or_404(
        Meeting.objects.filter(group__slug=slug, group__in=sorted(audience.group_ids)), pk=pk
    )
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose attending, not attending or maybe."))
        return redirect(meeting.group)
    try:
        services.answer_invitation(
            meeting=meeting, user=request.user, answer=form.cleaned_data["answer"]
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Your answer was saved."))
    return redirect(meeting.group)


@require_safe
def calendar(request, slug):
    """The group's meetings as iCalendar; what is in it depends on who asks.

    Calendar applications fetch without a session: they get public meetings, or, with the
    personal `token` link shown to members on the group page, what that member may see.
    """
    group = get_object_or_404(WorkingGroup, slug=slug)
    user = request.user
    if token := request.GET.get("token"):
        user = user_for_calendar_token(token)
        if user is None:
            return HttpResponse(status=404)
    meetings = Meeting.objects.filter(group=group).visible_to(user)
    host = request.get_host().split(":")[0]
    page = request.build_absolute_uri(group.get_absolute_url())
    entries = [
        CalendarEntry(
            uid=f"meeting-{meeting.pk}@{host}",
            title=meeting.title,
            starts_at=meeting.starts_at,
            description=meeting.agenda,
            location=meeting.location_or_link,
            url=page,
            cancelled=meeting.is_cancelled,
            sequence=meeting.sequence,
        )
        for meeting in meetings
    ]
    return calendar_response(
        entries,
        name=str(group),
        filename=f"working-group-{group.pk}.ics",
        public=not user.is_authenticated,
    )
