"""Sections that pages of the members app show about working groups.

members sits below working_groups and must not import it; its templates include these
partials instead.
"""

from django import template

from working_groups.models import GroupMembership, WorkingGroup, organisations_of

register = template.Library()


@register.inclusion_tag("working_groups/includes/dashboard.html", takes_context=True)
def dashboard_groups(context):
    user = context["request"].user
    return {
        "memberships": GroupMembership.objects.live()
        .filter(organisation__in=organisations_of(user))
        .select_related("group", "organisation"),
        "requests": GroupMembership.objects.filter(
            status=GroupMembership.Status.REQUESTED, group__in=WorkingGroup.objects.led_by(user)
        ).select_related("group", "organisation"),
    }


@register.inclusion_tag("working_groups/includes/organisation_groups.html")
def organisation_groups(organisation):
    return {
        "led": organisation.led_groups.public(),
        "memberships": organisation.group_memberships.active().select_related("group"),
    }
