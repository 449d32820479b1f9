from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from advocacy import services
from advocacy.models import ContactMessage, Endorsement, PriorityStatement, StatementVersion
from platform_site.admin_actions import run_service, run_service_with_text


class VersionInline(admin.TabularInline):
    model = StatementVersion
    extra = 0
    fields = ["number", "title_ar", "title_en", "published_at", "published_by", "substantive"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # versions are made by publishing


class EndorsementInline(admin.TabularInline):
    model = Endorsement
    extra = 0
    fields = ["organisation", "version", "endorsed_at", "withdrawn_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # organisations endorse on the site


@admin.register(PriorityStatement)
class PriorityStatementAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["title", "author", "status", "version", "submitted_at", "published_at"]
    list_filter = ["status", "subsectors"]
    list_select_related = ["author_organisation", "author_group"]
    search_fields = ["title_ar", "title_en", "search_text"]
    autocomplete_fields = ["subsectors", "governorates"]
    readonly_fields = [
        "slug",
        "author_organisation",
        "author_group",
        "status",
        "version",
        "submitted_at",
        "published_at",
        "published_by",
        "review_comment",
        "created_by",
        "created_at",
        "updated_at",
    ]
    exclude = ["current"]
    inlines = [VersionInline, EndorsementInline]
    actions = ["publish_minor", "publish_substantive", "send_back", "withdraw", "archive"]

    def has_add_permission(self, request):
        return False  # statements are written by member organisations on the site

    @admin.display(description=_("author"))
    def author(self, statement):
        return statement.author

    def _publish(self, request, queryset, substantive):
        run_service(
            self,
            request,
            queryset,
            services.publish_statement,
            lambda n: (
                ngettext("%(count)d statement published.", "%(count)d statements published.", n)
                % {"count": n}
            ),
            argument="statement",
            substantive=substantive,
        )

    @admin.action(
        description=_("Publish (minor change: endorsements carry over)"), permissions=["change"]
    )
    def publish_minor(self, request, queryset):
        self._publish(request, queryset, substantive=False)

    @admin.action(
        description=_("Publish (substantive change: endorsers confirm again)"),
        permissions=["change"],
    )
    def publish_substantive(self, request, queryset):
        self._publish(request, queryset, substantive=True)

    @admin.action(description=_("Send back to the authors with comments…"), permissions=["change"])
    def send_back(self, request, queryset):
        return run_service_with_text(
            self,
            request,
            queryset,
            services.send_back,
            lambda n: (
                ngettext("%(count)d statement sent back.", "%(count)d statements sent back.", n)
                % {"count": n}
            ),
            argument="statement",
            text_argument="comments",
            title=_("Send back with comments"),
            explanation=_("The comments are e-mailed to the authors and shown above their draft."),
        )

    @admin.action(description=_("Withdraw the selected statements"), permissions=["change"])
    def withdraw(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            services.withdraw_statement,
            lambda n: (
                ngettext("%(count)d statement withdrawn.", "%(count)d statements withdrawn.", n)
                % {"count": n}
            ),
            argument="statement",
        )

    @admin.action(description=_("Archive the selected statements"), permissions=["change"])
    def archive(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            services.archive_statement,
            lambda n: (
                ngettext("%(count)d statement archived.", "%(count)d statements archived.", n)
                % {"count": n}
            ),
            argument="statement",
        )


@admin.register(Endorsement)
class EndorsementAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "statement", "version", "endorsed_at", "withdrawn_at"]
    list_filter = ["withdrawn_at"]
    list_select_related = ["organisation", "statement"]
    search_fields = ["organisation__search_text", "statement__search_text"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "topic", "language", "created_at", "handled"]
    list_filter = ["handled", "topic", "language"]
    list_editable = ["handled"]
    search_fields = ["name", "organisation", "email", "message"]
    readonly_fields = [
        "name",
        "organisation",
        "email",
        "topic",
        "message",
        "language",
        "created_at",
    ]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False
