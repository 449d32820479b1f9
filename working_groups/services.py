"""Joining and leaving working groups, meetings and their invitations: one function each, in a
transaction."""

from urllib.parse import urlparse

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Organisation, OrganisationMember
from members.services import coordinator_recipients, organisation_recipients
from platform_site.calendars import CalendarEntry, build_calendar
from platform_site.mail import send_templated_mail
from platform_site.models import Category
from working_groups.models import GroupMembership, Meeting, MeetingAnswer, WorkingGroup


def lead_recipients(group: WorkingGroup) -> list[tuple]:
    memberships = OrganisationMember.objects.filter(
        organisation__in=group.lead_organisations.active(), user__is_active=True
    ).select_related("user")
    return [(m.user, m.language) for m in memberships]


def request_membership(
    *, group: WorkingGroup, organisation: Organisation, by, note: str = ""
) -> GroupMembership:
    """An organisation asks to join an open group; a second request returns the first."""
    if group.status != WorkingGroup.Status.OPEN:
        raise ValidationError(_("This working group is not taking new members."))
    if organisation.status != Organisation.Status.ACTIVE:
        raise ValidationError(_("Only active member organisations can join working groups."))
    if group.lead_organisations.filter(pk=organisation.pk).exists():
        raise ValidationError(_("This organisation already leads the group."))
    live = GroupMembership.objects.live().filter(group=group, organisation=organisation)
    if existing := live.first():
        return existing
    try:
        with transaction.atomic():
            membership = GroupMembership.objects.create(
                group=group, organisation=organisation, requested_by=by, note=note.strip()
            )
            recipients = lead_recipients(group) + coordinator_recipients()
            send_templated_mail(
                template="working_groups/email/join_requested",
                recipients=list(dict.fromkeys(recipients)),
                context={"group": group, "membership": membership},
                category=Category.GROUPS,
            )
    except IntegrityError:  # a simultaneous double submission: keep the one that won
        return live.get()
    return membership


@transaction.atomic
def decide_membership(*, membership: GroupMembership, by, accept: bool) -> GroupMembership:
    membership = GroupMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != GroupMembership.Status.REQUESTED:
        raise ValidationError(_("This request has already been decided."))
    membership.status = GroupMembership.Status.ACTIVE if accept else GroupMembership.Status.DECLINED
    membership.decided_by = by
    membership.decided_at = timezone.now()
    membership._history_user = by
    membership.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    send_templated_mail(
        template="working_groups/email/join_decided",
        recipients=organisation_recipients(membership.organisation),
        context={"group": membership.group, "membership": membership},
        category=Category.GROUPS,
    )
    return membership


@transaction.atomic
def leave_group(*, membership: GroupMembership, by) -> GroupMembership:
    """The organisation leaves (or withdraws its request); it may ask again later."""
    membership = GroupMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.status not in GroupMembership.LIVE:
        raise ValidationError(_("This organisation is not a member of the group."))
    membership.status = GroupMembership.Status.LEFT
    membership._history_user = by
    membership.save(update_fields=["status", "updated_at"])
    return membership


# --- meetings ---------------------------------------------------------------------------

# What calendars and invitees must hear about; agenda and minutes edits stay quiet.
NOTIFIED_FIELDS = ("title", "starts_at", "location_or_link")


def invitee_recipients(group: WorkingGroup) -> list[tuple]:
    """Users of the active organisations that lead the group or are its active members."""
    organisations = Organisation.objects.active().filter(
        Q(pk__in=group.lead_organisations.values("pk"))
        | Q(pk__in=group.memberships.active().values("organisation"))
    )
    memberships = OrganisationMember.objects.filter(
        organisation__in=organisations, user__is_active=True
    ).select_related("user", "user__preferences")
    return list(dict.fromkeys((m.user, m.language) for m in memberships))


def meeting_calendar(meeting: Meeting) -> bytes:
    """The meeting as an iCalendar file, for the invitation's attachment."""
    host = urlparse(settings.SITE_URL).hostname or "localhost"
    page = settings.SITE_URL + meeting.group.get_absolute_url()
    entry = CalendarEntry(
        uid=f"meeting-{meeting.pk}@{host}",
        title=meeting.title,
        starts_at=meeting.starts_at,
        description=meeting.agenda,
        location=meeting.location_or_link,
        url=page,
        cancelled=meeting.is_cancelled,
        sequence=meeting.sequence,
    )
    return build_calendar([entry], name=str(meeting.group))


def _notify_invitees(meeting: Meeting, kind: str) -> None:
    send_templated_mail(
        template="working_groups/email/meeting",
        recipients=invitee_recipients(meeting.group),
        context={"meeting": meeting, "group": meeting.group, "kind": kind},
        category=Category.MEETINGS,
        attachments=[
            {
                "filename": "meeting.ics",
                "content": meeting_calendar(meeting).decode(),
                "mimetype": "text/calendar",
            }
        ],
    )


@transaction.atomic
def save_meeting(*, meeting: Meeting, by, changed: list[str] = ()) -> Meeting:
    """Schedule a new meeting (its group is invited) or save changes (invitees hear about
    changes of time, place or title, with the calendar entry's revision raised)."""
    new = meeting.pk is None
    notify = new or any(field in NOTIFIED_FIELDS for field in changed)
    if notify and not new:
        meeting.sequence += 1
    meeting._history_user = by
    meeting.save()
    if notify and not meeting.is_cancelled and meeting.is_upcoming:
        _notify_invitees(meeting, "new" if new else "changed")
    return meeting


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, by) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is already cancelled."))
    if not meeting.is_upcoming:
        raise ValidationError(_("A meeting that has taken place cannot be cancelled."))
    meeting.cancelled_at = timezone.now()
    meeting.sequence += 1
    meeting._history_user = by
    meeting.save(update_fields=["cancelled_at", "sequence", "updated_at"])
    _notify_invitees(meeting, "cancelled")
    return meeting


def answer_invitation(*, meeting: Meeting, user, answer: str) -> MeetingAnswer:
    """Attending, not attending or maybe; answering again replaces the answer."""
    if answer not in MeetingAnswer.Answer.values:
        raise ValidationError(_("Choose attending, not attending or maybe."))
    if meeting.is_cancelled or not meeting.is_upcoming:
        raise ValidationError(_("This meeting no longer takes answers."))
    result, _created = MeetingAnswer.objects.update_or_create(
        meeting=meeting, user=user, defaults={"answer": answer}
    )
    return result
