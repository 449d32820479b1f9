import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from advocacy.models import PriorityStatement
from members.models import Governorate, Organisation, Subsector


class StatementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.SearchInput(attrs={"placeholder": _("Words from the title or summary")}),
    )
    subsector = django_filters.ModelChoiceFilter(
        label=_("Sub-sector"),
        field_name="subsectors",
        to_field_name="code",
        queryset=Subsector.objects.all(),
        empty_label=_("All sub-sectors"),
    )
    governorate = django_filters.ModelChoiceFilter(
        label=_("Governorate"),
        field_name="governorates",
        to_field_name="pcode",
        queryset=Governorate.objects.all(),
        empty_label=_("All governorates"),
    )
    author = django_filters.ModelChoiceFilter(
        label=_("Author"),
        field_name="author_organisation",
        to_field_name="slug",
        queryset=Organisation.objects.public().filter(statements__version__gte=1).distinct(),
        empty_label=_("All authors"),
    )

    class Meta:
        model = PriorityStatement
        fields = []

    def filter_search(self, queryset, name, value):
        return queryset.search(value)
