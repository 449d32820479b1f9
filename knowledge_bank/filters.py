from datetime import date

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from knowledge_bank.models import Programme, Resource
from members.filters import (
    governorate_filter,
    organisation_filter,
    subsector_filter,
    target_group_filter,
)
from working_groups.models import WorkingGroup

YEARS = [(str(year), str(year)) for year in range(date.today().year + 1, 2011, -1)]


class ProgrammeFilter(django_filters.FilterSet):
    """Used by the programme list, the coverage page and the exports."""

    governorate = governorate_filter()
    subsector = subsector_filter()
    target_group = target_group_filter()
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Programme.Status.choices,
        empty_label=_("All statuses"),
    )
    year = django_filters.ChoiceFilter(
        label=_("Active in"),
        choices=YEARS,
        method="filter_year",
        empty_label=_("Any year"),
    )
    organisation = organisation_filter(label=_("Organisation"), widget=forms.HiddenInput)

    class Meta:
        model = Programme
        fields = []

    def filter_year(self, queryset, name, value):
        year = int(value)
        return queryset.filter(start_date__lte=date(year, 12, 31)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=date(year, 1, 1))
        )


class ResourceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.SearchInput(attrs={"placeholder": _("Words from the title or summary")}),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Resource.Kind.choices, empty_label=_("All kinds")
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=Resource.Language.choices, empty_label=_("All languages")
    )
    subsector = subsector_filter()
    working_group = django_filters.ModelChoiceFilter(
        label=_("Working group"),
        to_field_name="slug",
        queryset=WorkingGroup.objects.all(),
        empty_label=_("All working groups"),
    )

    class Meta:
        model = Resource
        fields = []

    def filter_search(self, queryset, name, value):
        return queryset.search(value)
