import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from advocacy.models import PriorityStatement
from members.filters import governorate_filter, organisation_filter, subsector_filter
from members.models import Organisation
from platform_site.audience import Audience
from platform_site.search import any_word


def search_statements(statements, query: str, audience):
    """`statements.search(query)`, except that the name of an author organisation this
    audience may not see never finds its statements.

    A statement's document holds its author's names (advocacy.services.publish_statement). A
    statement whose author is hidden from the reader is left out when a word searched (or,
    for a typo, one of the words it was replaced by) begins a word of that author's names,
    even if its title also holds the word: never telling beats telling."""
    found, words = statements.search_words(query)
    if not words:
        return found
    hidden_author = Q(author_organisation__isnull=False) & ~Q(
        author_organisation__in=Organisation.objects.visible_to(audience)
    )
    return found.exclude(hidden_author & any_word("author_organisation__search_names", words))


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
