"""Sections that pages of the members app show about working groups.

members sits below working_groups and must not import it; its templates include these
partials instead.
"""

from datetime import datetime

from django import template
from django.db.models import Count
from django.utils import timezone

from platform_site.audience import Audience
from platform_site.cache import cached_result
from working_groups.models import GroupMembership, Meeting, WorkingGroup, organisations_of

register = template.Library()

UPCOMING_MEETINGS = 5


@register.simple_tag(takes_context=True)
def group_overview(context) -> dict:
    """For each active organisation of the user: the groups it leads (with the requests waiting
    for their decision), the groups it belongs to or asked to join, and the coming meetings of
    all those groups. One fixed set of queries for all the user's organisations, shared by
    everyone with the same organisations and roles until groups or organisations change, or
    the first of the meetings shown starts."""
    audience = Audience.of(context["request"])
    overview, _starts = cached_result(
        "dashboard-groups",
        ("members", "working_groups"),
        (audience.roles_key,),
        lambda: _group_overview(audience),
        expires=lambda value: value[1],
    )
    return overview


def _group_overview(audience) -> tuple[dict, datetime | None]:
    """The overview, and when its first coming meeting starts (None without one)."""
    own = list(organisations_of(audience))
    if not own:
        return {}, None
    overview = {
        organisation.pk: {"led": [], "joined": [], "requested": [], "meetings": []}
        for organisation in own
    }
    leads = (
        WorkingGroup.lead_organisations.through.objects.filter(organisation__in=own)
        .filter(workinggroup__in=WorkingGroup.objects.public())
        .select_related("workinggroup")
        .order_by("workinggroup__name_ar")
    )
    groups_of = {pk: set() for pk in overview}
    led_groups = {}
    for lead in leads:
        overview[lead.organisation_id]["led"].append(lead.workinggroup)
        groups_of[lead.organisation_id].add(lead.workinggroup_id)
        led_groups[lead.workinggroup_id] = lead.workinggroup
    waiting = dict(
        GroupMembership.objects.filter(
            status=GroupMembership.Status.REQUESTED,
            group__in=WorkingGroup.objects.led_by(audience).filter(pk__in=list(led_groups)),
        )
        .values_list("group")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for group in led_groups.values():
        group.waiting_requests = waiting.get(group.pk, 0)
    member_groups = {}
    for membership in (
        GroupMembership.objects.live().filter(organisation__in=own).select_related("group")
    ):
        entry = overview[membership.organisation_id]
        if membership.status == GroupMembership.Status.ACTIVE:
            entry["joined"].append(membership.group)
            groups_of[membership.organisation_id].add(membership.group_id)
            member_groups[membership.group_id] = membership.group
        else:
            entry["requested"].append(membership.group)
    groups = {**member_groups, **led_groups}
    upcoming = []
    if groups:
        upcoming = list(
            Meeting.objects.visible_to(audience)
            .filter(group__in=list(groups), starts_at__gte=timezone.now())
            .select_related("group")
            .order_by("starts_at")[: UPCOMING_MEETINGS * len(own)]
        )
        for pk, entry in overview.items():
            entry["meetings"] = [m for m in upcoming if m.group_id in groups_of[pk]][
                :UPCOMING_MEETINGS
            ]
    return overview, min((meeting.starts_at for meeting in upcoming), default=None)


@register.inclusion_tag("working_groups/includes/dashboard.html")
def organisation_groups_panel(overview, organisation):
    """One organisation's part of the group overview, for the member's home page."""
    return {"organisation": organisation, "groups": overview.get(organisation.pk)}


@register.inclusion_tag("working_groups/includes/organisation_groups.html")
def organisation_groups(organisation):
    return {
        "led": organisation.led_groups.public(),
        "memberships": organisation.group_memberships.active().select_related("group"),
    }
