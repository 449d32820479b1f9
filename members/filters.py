import django_filters
from django import forms
from django.db.models import F
from django.db.models.functions import Lower
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from members.models import HOST_COUNTRIES, Governorate, Organisation, Subsector, TargetGroup
from members.search import document_column, matching_ids
from platform_site.audience import Audience
from platform_site.fields import KeptChoiceIterator
from platform_site.search import name_rank, pk_in
from platform_site.text import query_stems


def organisation_filter(*, only=lambda queryset: queryset, **kwargs):
    """?<name>=<organisation slug>, over the organisations the request's audience may see: a
    hidden slug is refused exactly like one that does not exist (the filter is not applied)."""

    def visible(request):
        return only(Organisation.objects.visible_to(Audience.of(request)))

    return KeptChoiceFilter(to_field_name="slug", queryset=visible, **kwargs)


class KeptChoiceField(django_filters.fields.ModelChoiceField):
    """A filter's choices, read once per worker until content changes (platform_site.fields)."""

    iterator = KeptChoiceIterator


class KeptChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = KeptChoiceField


def governorate_filter(field_name="governorates"):
    """?governorate=<p-code>, shared by every list that has governorates."""
    return KeptChoiceFilter(
        label=_("Governorate"),
        field_name=field_name,
        to_field_name="pcode",
        queryset=Governorate.objects.all(),
        empty_label=_("All governorates"),
    )


def subsector_filter(field_name="subsectors"):
    """?subsector=<code>."""
    return KeptChoiceFilter(
        label=_("Sub-sector"),
        field_name=field_name,
        to_field_name="code",
        queryset=Subsector.objects.all(),
        empty_label=_("All sub-sectors"),
    )


def target_group_filter(field_name="target_groups"):
    """?target_group=<code>."""
    return KeptChoiceFilter(
        label=_("Target group"),
        field_name=field_name,
        to_field_name="code",
        queryset=TargetGroup.objects.all(),
        empty_label=_("All target groups"),
    )


class OrganisationFilter(django_filters.FilterSet):
    """Directory filters; parameter names are part of the public URLs (docs/product.md §5)."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.SearchInput(
            attrs={"placeholder": _("Name, acronym, place, sub-sector, programme…")}
        ),
    )
    governorate = governorate_filter()
    subsector = subsector_filter()
    org_type = django_filters.ChoiceFilter(
        label=_("Type"),
        choices=Organisation.Type.choices,
        empty_label=_("All types"),
    )
    target_group = target_group_filter()
    country = django_filters.ChoiceFilter(
        label=_("Country of operation outside Syria"),
        choices=HOST_COUNTRIES,
        method="filter_country",
        empty_label=_("All countries"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        method="filter_sort",
        empty_label=None,
        choices=[
            ("", _("Relevance or name")),
            ("name", _("Name")),
            ("verified", _("Recently confirmed")),
        ],
    )

    class Meta:
        model = Organisation
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._matches = {}

    def matches(self, query, queryset) -> list[int] | None:
        """The organisations of `queryset` the query finds (members.search.matching_ids),
        matched once per filter set and queryset: its facets reuse the matches."""
        key = (query, str(queryset.query))
        if key not in self._matches:
            audience = Audience.of(self.request) if self.request is not None else None
            self._matches[key] = matching_ids(queryset, query, document_column(audience))
        return self._matches[key]

    def filter_search(self, queryset, name, value):
        """Everything that describes an organisation, as far as the reader may see it
        (members.search); names and acronyms rank first."""
        ids = self.matches(value, queryset)
        if ids is None:
            return queryset
        return queryset.filter(pk_in(ids)).annotate(
            rank=name_rank("search_names", query_stems(value))
        )

    def filter_country(self, queryset, name, value):
        # Codes are two letters separated by spaces, so a substring match is exact.
        return queryset.filter(host_countries__contains=value)

    def filter_sort(self, queryset, name, value):
        return queryset  # applied in `qs`, after every other filter

    @property
    def qs(self):
        queryset = super().qs
        sort = self.form.cleaned_data.get("sort") if self.is_bound and self.form.is_valid() else ""
        query = self.form.cleaned_data.get("q") if self.is_bound and self.form.is_valid() else ""
        queryset = queryset.order_by_name(get_language() or "ar")
        if sort == "verified":
            return queryset.order_by(F("verified_at").desc(nulls_last=True), "sort_name", "pk")
        if query and not sort and "rank" in queryset.query.annotations:
            return queryset.order_by("-rank", Lower("sort_name"), "pk")
        return queryset
