from django.contrib import admin
from django.db import models
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from knowledge_bank.imports import ProgrammeResource
from knowledge_bank.models import Programme, ReportSeries, Resource
from members.search import refresh_search_documents
from platform_site.admin_paging import LongListAdmin
from platform_site.admin_policy import VisibleToAudienceAdmin
from platform_site.importing import SpreadsheetImportMixin


@admin.register(Programme)
class ProgrammeAdmin(
    VisibleToAudienceAdmin,
    LongListAdmin,
    SpreadsheetImportMixin,
    SimpleHistoryAdmin,
    TranslationAdmin,
):
    resource_classes = [ProgrammeResource]
    list_display = [
        "title",
        "organisation",
        "status",
        "start_date",
        "end_date",
        "reached",
        "visibility",
    ]
    list_filter = ["status", "visibility", "governorates", "subsectors"]
    list_select_related = ["organisation"]
    search_fields = ["title_ar", "title_en", "organisation__search_text"]
    autocomplete_fields = ["organisation", "governorates", "subsectors", "target_groups"]
    date_hierarchy = "start_date"

    # An organisation's search documents hold the titles of its programmes (members.search).
    def save_model(self, request, obj, form, change):
        before = Programme.objects.filter(pk=obj.pk).values_list("organisation", flat=True)
        previous = list(before) if change else []
        super().save_model(request, obj, form, change)
        refresh_search_documents({obj.organisation_id, *previous})

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        refresh_search_documents([obj.organisation_id])

    def delete_queryset(self, request, queryset):
        organisations = set(queryset.values_list("organisation", flat=True))
        super().delete_queryset(request, queryset)
        refresh_search_documents(organisations)


@admin.register(Resource)
class ResourceAdmin(VisibleToAudienceAdmin, SimpleHistoryAdmin, TranslationAdmin):
    """Coordinators curate the library: correct, feature, hide or remove resources."""

    list_display = [
        "title",
        "kind",
        "language",
        "publisher",
        "visibility",
        "featured",
        "published_on",
    ]
    list_editable = ["featured", "visibility"]
    list_filter = ["featured", "visibility", "kind", "language", "series", "subsectors"]
    list_select_related = ["publisher"]
    search_fields = ["search_text"]
    autocomplete_fields = ["publisher", "working_group", "subsectors", "series"]
    readonly_fields = ["file", "file_type", "uploaded_by", "created_at", "updated_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(ReportSeries)
class ReportSeriesAdmin(SimpleHistoryAdmin, TranslationAdmin):
    """A series' editions are resources: pick the series and edition number on each."""

    list_display = ["title", "slug", "updated_at"]
    search_fields = ["search_text"]
    readonly_fields = ["created_at", "updated_at"]

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.search(search_term), False
