from django import template

from knowledge_bank.models import Programme, Resource
from members.models import Organisation

register = template.Library()


@register.inclusion_tag("knowledge_bank/includes/organisation_programmes.html", takes_context=True)
def organisation_programmes(context, organisation):
    """An organisation's programmes as the viewer may see them (governorate level only)."""
    user = context["request"].user
    return {
        "organisation": organisation,
        "programmes": Programme.objects.visible_to(user)
        .filter(organisation=organisation)
        .prefetch_related("governorates", "subsectors"),
        "can_edit": Organisation.objects.editable_by(user).filter(pk=organisation.pk).exists(),
    }


@register.inclusion_tag("knowledge_bank/includes/group_resources.html", takes_context=True)
def group_resources(context, group):
    return {
        "resources": Resource.objects.visible_to(context["request"].user).filter(
            working_group=group
        )[:20]
    }
