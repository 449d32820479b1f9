from django import template

from corrections.models import Correction

register = template.Library()


@register.inclusion_tag("corrections/includes/profile_links.html", takes_context=True)
def correction_links(context, organisation):
    """On a profile: "suggest a correction" for everyone; the waiting suggestions for those who
    decide them."""
    audience = context["request"].audience
    waiting = None
    if audience.is_coordinator or organisation.pk in audience.editable_organisation_ids:
        waiting = Correction.objects.open().filter(organisation=organisation).count()
    return {"organisation": organisation, "waiting": waiting}
