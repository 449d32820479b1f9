from django.contrib import admin
from django.db import models
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from knowledge_bank.models import Programme, Resource
from platform_site.admin_policy import VisibleToAudienceAdmin


@admin.register(Programme)
class ProgrammeAdmin(VisibleToAudienceAdmin, SimpleHistoryAdmin, TranslationAdmin):
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
    list_filter = ["featured", "visibility", "kind", "language", "subsectors"]
    list_select_related = ["publisher"]
    search_fields = ["search_text"]
    autocomplete_fields = ["publisher", "working_group", "subsectors"]
    readonly_fields = ["file", "file_type", "uploaded_by", "created_at", "updated_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
