from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from news import services
from news.forms import NewsItemAdminForm
from news.models import NewsItem


@admin.register(NewsItem)
class NewsItemAdmin(SimpleHistoryAdmin, TranslationAdmin):
    """Coordinators write news in Arabic and/or English: draft, scheduled or published."""

    form = NewsItemAdminForm
    list_display = ["title", "status", "published_at", "visibility", "working_group"]
    list_filter = ["status", "visibility", "working_group"]
    list_select_related = ["working_group"]
    search_fields = ["search_text"]
    autocomplete_fields = ["working_group", "organisations"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    date_hierarchy = "published_at"
    actions = ["publish_now"]
    fieldsets = [
        (None, {"fields": ["title", "summary", "body"]}),
        (
            _("Publication"),
            {"fields": ["status", "published_at", "visibility", "slug"]},
        ),
        (_("Image"), {"fields": ["lead_image", "lead_image_alt"]}),
        (_("Concerns"), {"fields": ["working_group", "organisations"]}),
        (None, {"fields": ["created_by", "created_at", "updated_at"]}),
    ]

    def save_model(self, request, obj, form, change):
        if obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.search(search_term), False

    @admin.action(description=_("Publish the selected items now"))
    def publish_now(self, request, queryset):
        for item in queryset:
            services.publish_news(item=item, by=request.user)
        count = len(queryset)
        self.message_user(
            request,
            ngettext("%(count)d item published.", "%(count)d items published.", count)
            % {"count": count},
        )
