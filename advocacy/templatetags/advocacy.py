from django import template

from advocacy import markup
from advocacy.models import Endorsement, PriorityStatement

register = template.Library()


@register.filter
def statement_markup(text):
    return markup.render(text)


@register.inclusion_tag("advocacy/includes/organisation_statements.html")
def organisation_statements(organisation):
    """Statements an organisation wrote or endorsed, for its profile."""
    return {
        "written": PriorityStatement.objects.published()
        .filter(author_organisation=organisation)
        .select_related("current"),
        "endorsed": Endorsement.objects.live()
        .filter(organisation=organisation, statement__in=PriorityStatement.objects.published())
        .select_related("statement__current"),
    }


@register.inclusion_tag("advocacy/includes/group_statements.html")
def group_statements(group):
    return {
        "statements": PriorityStatement.objects.published()
        .filter(author_group=group)
        .select_related("current")
    }
