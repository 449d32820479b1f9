"""Joining and leaving working groups: one function each, in a transaction."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Organisation, OrganisationMember
from members.services import coordinator_recipients, organisation_recipients
from platform_site.mail import send_templated_mail
from platform_site.models import Category
from working_groups.models import GroupMembership, WorkingGroup


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
