from math import ceil, floor
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from knowledge_bank import export_columns, exports
from knowledge_bank.filters import ProgrammeFilter, ResourceFilter
from knowledge_bank.forms import ProgrammeForm, ResourceForm
from knowledge_bank.models import Programme, ReportSeries, Resource
from members.filters import OrganisationFilter
from members.models import Governorate, Organisation, Subsector
from members.search import refresh_search_documents
from platform_site.aggregates import SMALLEST_GROUP, fold_small_groups, shown_count
from platform_site.audience import ANONYMOUS_AUDIENCE
from platform_site.cache import AUDIENCE, cache_page, cached_result, filter_key
from platform_site.uploads import DOCUMENT_TYPES, original_name
from platform_site.views import query_without_page

LIST_PAGE_SIZE = 20

# Governorates on an approximate geographic grid (column, row), north at the top, west left.
TILES = {
    "SY07": (1, 0),
    "SY02": (2, 0),
    "SY11": (3, 0),
    "SY08": (4, 0),
    "SY06": (0, 1),
    "SY05": (1, 1),
    "SY04": (2, 1),
    "SY09": (3, 1),
    "SY10": (0, 2),
    "SY01": (1, 2),
    "SY03": (2, 2),
    "SY14": (0, 3),
    "SY12": (1, 3),
    "SY13": (2, 3),
}
TILE = 86


def _level(value: int, highest: int) -> int:
    """0 for a gap, then 1–4 by intensity relative to the busiest cell."""
    return 0 if not value else max(1, ceil(4 * value / highest))


def _legend(highest: int) -> list[dict]:
    """The counts each shade stands for, e.g. fewer than 3, 3–5, 6–7, 8–10 when the busiest
    cell has 10: cells of fewer than three organisations show no count and take the lightest
    shade (platform_site/aggregates.py), so the legend says so rather than «1–2» (levels that
    no shown count can reach are left out)."""
    ranges = [{"level": 1, "few": True}]
    for level in range(1, 5):
        low = max(floor((level - 1) * highest / 4) + 1, SMALLEST_GROUP)
        high = floor(level * highest / 4)
        if low <= high:
            ranges.append({"level": level, "low": low, "high": high})
    return ranges


# --- resource library -------------------------------------------------------------------


@method_decorator(cache_page(AUDIENCE), name="dispatch")
class ResourceListView(FilterView):
    filterset_class = ResourceFilter
    template_name = "knowledge_bank/resource_list.html"
    paginate_by = LIST_PAGE_SIZE
    context_object_name = "resources"

    def get_queryset(self):
        return (
            Resource.objects.visible_to(self.request.user)
            .select_related("publisher", "working_group")
            .prefetch_related("subsectors")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["query_without_page"] = query_without_page(self.request)
        context["can_add"] = Organisation.objects.editable_by(self.request.user).active().exists()
        return context


class ResourceDetailView(DetailView):
    template_name = "knowledge_bank/resource_detail.html"
    context_object_name = "resource"

    def get_queryset(self):
        return Resource.objects.visible_to(self.request.user).select_related(
            "publisher", "working_group", "series"
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_edit=Resource.objects.editable_by(self.request.user)
            .filter(pk=self.object.pk)
            .exists(),
            **kwargs,
        )


@require_safe
def download(request, slug):
    """Serve an uploaded document as an attachment, with its real type and `nosniff`."""
    resource = get_object_or_404(
        Resource.objects.visible_to(request.user).exclude(file=""), slug=slug
    )
    response = FileResponse(
        resource.file.open("rb"),
        as_attachment=True,
        filename=f"{resource.slug}.{resource.file_type}",
        content_type=DOCUMENT_TYPES.get(resource.file_type, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if not Resource.objects.visible_to(ANONYMOUS_AUDIENCE).filter(pk=resource.pk).exists():
        response["Cache-Control"] = "private, no-store"  # not for shared caches
    return response


@require_http_methods(["GET", "POST"])
@login_required
def resource_form(request, slug=None):
    user = request.user
    publishers = Organisation.objects.editable_by(user).active()
    if slug:
        resource = get_object_or_404(Resource.objects.editable_by(user), slug=slug)
    elif publishers.exists():
        resource = Resource(publisher=publishers.first(), uploaded_by=user)
    else:
        raise Http404
    form = ResourceForm(
        request.POST or None,
        request.FILES or None,
        instance=resource,
        publishers=None if slug else publishers,
    )
    if request.method == "POST" and form.is_valid():
        resource = form.save(commit=False)
        if upload := form.cleaned_data.get("upload"):
            resource.file.save(f"document.{form.file_type}", upload, save=False)
            resource.file_type = form.file_type
            resource.file_original_name = original_name(upload)
        with transaction.atomic():
            resource.save()
            form.save_m2m()
        messages.success(request, _("The resource was saved."))
        return redirect(resource)
    return render(
        request,
        "knowledge_bank/resource_form.html",
        {"form": form, "resource": resource},
    )


# --- programmes -------------------------------------------------------------------------


class ProgrammeListView(FilterView):
    """Programmes behind a coverage cell, or any filtered list of them."""

    filterset_class = ProgrammeFilter
    template_name = "knowledge_bank/programme_list.html"
    paginate_by = LIST_PAGE_SIZE
    context_object_name = "programmes"

    def get_queryset(self):
        return (
            Programme.objects.visible_to(self.request.user)
            .select_related("organisation")
            .prefetch_related("governorates", "subsectors")
            .order_by("-start_date", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["query_without_page"] = query_without_page(self.request)
        return context


def _overlaps(audience, programme: Programme, governorates, subsectors):
    """Other organisations with ongoing programmes in the same governorate and sub-sector, as
    far as this audience may see them (programmes and organisations alike)."""
    if not governorates or not subsectors:
        return []
    others = (
        Programme.objects.visible_to(audience)
        .filter(
            status=Programme.Status.ONGOING,
            governorates__in=governorates,
            subsectors__in=subsectors,
        )
        .exclude(organisation=programme.organisation_id)
    )
    return list(
        Organisation.objects.visible_to(audience)
        .active()
        .filter(pk__in=others.values("organisation"))
        .order_by("name_ar")[:20]
    )


@require_http_methods(["GET", "POST"])
@login_required
def programme_form(request, pk=None):
    """Add or edit a programme; the page shows who else works in the same place and field."""
    editable = Organisation.objects.editable_by(request.user)
    if pk:
        programme = get_object_or_404(
            Programme.objects.editable_by(request.user).select_related("organisation"), pk=pk
        )
    else:
        organisation = get_object_or_404(editable, slug=request.GET.get("organisation", ""))
        programme = Programme(organisation=organisation)
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            programme = form.save()
            # The organisation's search documents hold its programmes' titles.
            refresh_search_documents([programme.organisation_id])
        messages.success(request, _("The programme was saved."))
        return redirect("knowledge_bank:programme_edit", pk=programme.pk)
    if form.is_bound:  # an invalid form: its valid fields still say where and what
        governorates = form.cleaned_data.get("governorates")
        subsectors = form.cleaned_data.get("subsectors")
    elif programme.pk:
        governorates, subsectors = programme.governorates.all(), programme.subsectors.all()
    else:
        governorates = subsectors = None
    return render(
        request,
        "knowledge_bank/programme_form.html",
        {
            "form": form,
            "programme": programme,
            "overlaps": _overlaps(request.audience, programme, governorates, subsectors),
        },
    )


@require_POST
@login_required
def close_programme(request, pk):
    programme = get_object_or_404(Programme.objects.editable_by(request.user), pk=pk)
    programme.status = Programme.Status.COMPLETED
    programme.end_date = programme.end_date or max(timezone.localdate(), programme.start_date)
    programme.save(update_fields=["status", "end_date", "updated_at"])
    messages.success(request, _("The programme was marked completed."))
    return redirect(programme.organisation)


# --- coverage and statistics ------------------------------------------------------------


@method_decorator(cache_page(AUDIENCE), name="dispatch")
class CoverageView(TemplateView):
    template_name = "knowledge_bank/coverage.html"

    def get_context_data(self, **kwargs):
        data = self.request.GET.copy()
        data.setdefault("status", Programme.Status.ONGOING)
        user = self.request.user
        filterset = ProgrammeFilter(
            data, queryset=Programme.objects.visible_to(user), request=self.request
        )
        programmes = filterset.qs
        # Aggregating 30,000 programmes takes longer than the page budget (bench/results.md):
        # computed once per data change, filters and visibility, and shared.
        cells, per_governorate = cached_result(
            "coverage",
            apps=("knowledge_bank", "members"),
            parts=(filter_key(filterset), self.request.audience.cache_key),
            compute=lambda: (programmes.coverage(), programmes.organisations_per_governorate()),
        )
        governorates = list(Governorate.objects.all())
        subsectors = list(Subsector.objects.all())
        highest = max((count for count, _reached in cells.values()), default=0)
        query = {
            key: value
            for key, value in filterset.form.data.items()
            if value and key in {"status", "target_group", "year"}
        }
        # 252 cells: names and the common part of the links are worked out once.
        link = reverse("knowledge_bank:programmes") + "?"
        if query:
            link += urlencode(query) + "&"
        subsector_names = [(subsector, subsector.name) for subsector in subsectors]
        rows = []
        for governorate in governorates:
            governorate_name = governorate.name
            row = []
            for subsector, subsector_name in subsector_names:
                count, reached = cells.get((governorate.pk, subsector.pk), (0, 0))
                shown = shown_count(count)
                row.append(
                    {
                        "count": shown,
                        "few": shown is None,
                        "reached": reached if shown is not None else 0,
                        "level": _level(count, highest) if shown is not None else 1,
                        "url": f"{link}governorate={governorate.pcode}&subsector={subsector.code}",
                        "title": f"{governorate_name} · {subsector_name}",
                        "subsector": subsector,
                    }
                )
            rows.append((governorate, row))
        tile_highest = max(per_governorate.values(), default=0)
        tiles = [
            {
                "governorate": governorate,
                "x": TILES[governorate.pcode][0] * TILE,
                "y": TILES[governorate.pcode][1] * TILE,
                "count": shown_count(per_governorate.get(governorate.pk, 0)),
                "level": _level(per_governorate.get(governorate.pk, 0), tile_highest)
                if shown_count(per_governorate.get(governorate.pk, 0)) is not None
                else 1,
            }
            for governorate in governorates
            if governorate.pcode in TILES
        ]
        return super().get_context_data(
            filter=filterset,
            subsectors=subsectors,
            rows=rows,
            tiles=tiles,
            tile=TILE - 6,
            highest=highest,
            legend=_legend(highest),
            export_query=self.request.GET.urlencode(),
            **kwargs,
        )


@method_decorator(cache_page(AUDIENCE), name="dispatch")
class StatisticsView(TemplateView):
    """Organisations by sub-sector, governorate and type, as server-rendered SVG bars."""

    template_name = "knowledge_bank/statistics.html"

    def get_context_data(self, **kwargs):
        audience = self.request.audience
        by_subsector, by_governorate, by_type = cached_result(
            "statistics",
            apps=("members",),
            parts=(audience.cache_key,),
            compute=lambda: _organisation_counts(audience),
        )
        types = dict(Organisation.Type.choices)
        return super().get_context_data(
            charts=[
                (
                    _("Organisations by sub-sector"),
                    _bars(
                        [
                            (s.name, shown_count(by_subsector.get(s.pk, 0)))
                            for s in Subsector.objects.all()
                        ]
                    ),
                ),
                (
                    _("Organisations by governorate"),
                    _bars(
                        [
                            (g.name, shown_count(by_governorate.get(g.pk, 0)))
                            for g in Governorate.objects.all()
                        ]
                    ),
                ),
                (
                    _("Organisations by type"),
                    _bars(
                        [
                            (types[key] if key else _("Other types"), shown_count(value))
                            for key, value in by_type.items()
                        ]
                    ),
                ),
            ],
            **kwargs,
        )


def _organisation_counts(audience):
    """Organisations this audience sees, per sub-sector id, per governorate id and per type
    (small types folded into one row, or their count could be worked out from the total:
    platform_site/aggregates.py)."""
    visible = Organisation.objects.visible_to(audience).active()
    in_visible = Q(organisations__in=visible)

    def per(model):
        rows = model.objects.annotate(
            value=Count("organisations", filter=in_visible, distinct=True)
        )
        return dict(rows.values_list("pk", "value"))

    by_type = fold_small_groups(
        dict(visible.values_list("org_type").annotate(value=Count("pk")).order_by("-value")),
        merge=sum,
        size=lambda count: count,
        other=None,
    )
    return per(Subsector), per(Governorate), by_type


def _bars(items):
    """Rows of a bar chart: the longest bar takes 85% of its cell, the number sits beside it.
    A value of None (too few to show) gets no bar."""
    highest = max((value for _label, value in items if value is not None), default=0) or 1
    return [
        {
            "label": label,
            "value": value,
            # A string, so that the Arabic page does not write a decimal comma into the SVG.
            "width": None if value is None else f"{85 * value / highest:.1f}",
        }
        for label, value in items
    ]


# --- exports ----------------------------------------------------------------------------


EXPORT_FORMATS = {"csv", "xlsx", "hxl"}


def _export(request, columns, queryset, name, fmt):
    """CSV and XLSX in the page's language; HXL with one value per cell (export_columns)."""
    stamp = timezone.localdate().isoformat()
    hxl_columns, columns = columns
    if fmt == "hxl":
        return exports.csv_response(
            export_columns.as_triples(hxl_columns),
            export_columns.hxl_rows(queryset),
            f"{name}-{stamp}-hxl.csv",
            hxl=True,
        )
    columns = export_columns.as_triples(columns)
    if fmt == "xlsx":
        return exports.xlsx_response(
            columns,
            queryset,
            f"{name}-{stamp}.xlsx",
            title=name,
            right_to_left=get_language() == "ar",
        )
    return exports.csv_response(columns, queryset, f"{name}-{stamp}.csv")


@require_safe
def export_organisations(request, fmt):
    """The directory as the visitor sees it, with the same filters."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    filterset = OrganisationFilter(
        request.GET, queryset=Organisation.objects.visible_to(request.user), request=request
    )
    queryset = filterset.qs.order_by("pk").prefetch_related("subsectors", "governorates")
    return _export(
        request,
        (export_columns.HXL_ORGANISATION_COLUMNS, export_columns.ORGANISATION_COLUMNS),
        queryset.iterator(chunk_size=exports.CHUNK),
        "organisations",
        fmt,
    )


@require_safe
def export_programmes(request, fmt):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    filterset = ProgrammeFilter(
        request.GET, queryset=Programme.objects.visible_to(request.user), request=request
    )
    queryset = (
        filterset.qs.order_by("pk")
        .select_related("organisation")
        .prefetch_related("subsectors", "governorates")
    )
    return _export(
        request,
        (export_columns.HXL_PROGRAMME_COLUMNS, export_columns.PROGRAMME_COLUMNS),
        queryset.iterator(chunk_size=exports.CHUNK),
        "programmes",
        fmt,
    )


# --- report series ----------------------------------------------------------------------


def _editions(series, audience):
    """A series' editions this audience may see, newest edition first."""
    return (
        Resource.objects.visible_to(audience)
        .filter(series=series)
        .select_related("publisher")
        .order_by("-edition", "-published_on", "-pk")
    )


@method_decorator(cache_page(AUDIENCE), name="dispatch")
class ReportSeriesListView(TemplateView):
    template_name = "knowledge_bank/reportseries_list.html"

    def get_context_data(self, **kwargs):
        audience = self.request.audience
        counts = dict(
            Resource.objects.visible_to(audience)
            .filter(series__isnull=False)
            .values_list("series")
            .annotate(n=Count("pk"))
            .order_by()
        )
        series = list(ReportSeries.objects.visible_to(audience))
        for item in series:
            item.edition_count = counts.get(item.pk, 0)
        return {**super().get_context_data(**kwargs), "series_list": series}


@method_decorator(cache_page(AUDIENCE), name="dispatch")
class ReportSeriesDetailView(DetailView):
    """A series' landing page: what it is, and its editions in order."""

    template_name = "knowledge_bank/reportseries_detail.html"
    context_object_name = "series"

    def get_queryset(self):
        return ReportSeries.objects.visible_to(self.request.audience)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "editions": _editions(self.object, self.request.audience),
        }


class ReportSeriesFeed(Feed):
    """Atom feed of a series' public editions."""

    feed_type = Atom1Feed
    description_template = None

    def get_object(self, request, slug):
        return get_object_or_404(ReportSeries.objects.visible_to(ANONYMOUS_AUDIENCE), slug=slug)

    def title(self, series):
        return gettext_lazy("%(series)s — Syrian Education Platform") % {"series": series}

    def subtitle(self, series):
        return series.description

    def link(self, series):
        return series.get_absolute_url()

    def items(self, series):
        return _editions(series, ANONYMOUS_AUDIENCE)[:50]

    def item_title(self, resource):
        return str(resource)

    def item_description(self, resource):
        return resource.summary

    def item_link(self, resource):
        return resource.get_absolute_url()

    def item_pubdate(self, resource):
        return resource.created_at

    def item_updateddate(self, resource):
        return resource.updated_at
