import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from advocacy.models import PriorityStatement
from members.filters import governorate_filter, organisation_filter, subsector_filter
from members.search import hidden_names_holding
from platform_site.audience import Audience


def search_statements(statements, query: str, audience):
    """`statements.search(query)`, except that the name of an author organisation this
    audience may not see never finds its statements.

    A statement's document holds its author's names (advocacy.services.publish_statement). A
    statement whose author is hidden from the reader is left out when a word searched (or,
    for a typo, one of the words it was replaced by) begins a word of that author's names,
    even if its title also holds the word: never telling beats telling."""
    found, words = statements.search_words(query)
    hidden_authors = hidden_names_holding(words, audience) if words else []
    return found.exclude(author_organisation__in=hidden_authors) if hidden_authors else found


class StatementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.SearchInput(attrs={"placeholder": _("Words from the title or summary")}),
    )
    subsector = subsector_filter()
    governorate = governorate_filter()
    author = organisation_filter(
        label=_("Author"),
        field_name="author_organisation",
        only=lambda organisations: (
            organisations.filter(statements__version__gte=1)
            .distinct()
            .only("slug", "name", "name_ar", "name_en", "acronym")
        ),
        empty_label=_("All authors"),
    )

    class Meta:
        model = PriorityStatement
        fields = []

    def filter_search(self, queryset, name, value):
        return search_statements(queryset, value, Audience.of(self.request))
