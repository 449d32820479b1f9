from django import template
from django.db.models import Prefetch

from network.models import Body, TeamMember

register = template.Library()


@register.inclusion_tag("network/includes/structure.html", takes_context=True)
def network_structure(context):
    """The network's bodies and the people in them who agreed to be named (About page)."""
    audience = context["request"].audience
    bodies = Body.objects.visible_to(audience).prefetch_related(
        Prefetch("people", queryset=TeamMember.objects.named(), to_attr="named")
    )
    return {"bodies": bodies}
