import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from advocacy.models import PriorityStatement
from members.filters import governorate_filter, organisation_filter, subsector_filter


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
        return queryset.search(value)
