from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from advocacy import services
from advocacy.models import (
    Candidate,
    ContactMessage,
    Endorsement,
    PriorityRound,
    PriorityStatement,
    StatementVersion,
)
from platform_site.admin_actions import run_service, run_service_with_text
from platform_site.admin_policy import VisibleToAudienceAdmin


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
class PriorityStatementAdmin(VisibleToAudienceAdmin, SimpleHistoryAdmin, TranslationAdmin):
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
class EndorsementAdmin(VisibleToAudienceAdmin, SimpleHistoryAdmin):
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


class CandidateInline(admin.StackedInline):
    model = Candidate
    extra = 3
    fields = ["title_ar", "title_en", "description_ar", "description_en", "subsector", "position"]


@admin.register(PriorityRound)
class PriorityRoundAdmin(TranslationAdmin):
    """Rounds and their candidates. The admin shows how many organisations voted, never the
    points: results are read on the results page once the round is closed."""

    list_display = ["title", "status", "opens_at", "closes_at", "ballot_count"]
    list_filter = ["status"]
    search_fields = ["title_ar", "title_en"]
    readonly_fields = ["slug", "status", "published_at", "created_at", "updated_at"]
    inlines = [CandidateInline]
    actions = ["open_rounds", "close_rounds", "publish_rounds"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(ballot_count=Count("ballots"))

    @admin.display(description=_("organisations that voted"), ordering="ballot_count")
    def ballot_count(self, round_):
        return round_.ballot_count

    def get_readonly_fields(self, request, obj=None):
        # Candidates and dates are fixed once voting has started.
        fields = list(super().get_readonly_fields(request, obj))
        if obj and obj.status != PriorityRound.Status.DRAFT:
            fields += ["opens_at", "closes_at"]
        return fields

    def get_inlines(self, request, obj):
        if obj and obj.status != PriorityRound.Status.DRAFT:
            return [ReadOnlyCandidateInline]
        return self.inlines

    @admin.action(description=_("Open the selected rounds for voting"), permissions=["change"])
    def open_rounds(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            services.open_round,
            lambda n: (
                ngettext("%(count)d round opened.", "%(count)d rounds opened.", n) % {"count": n}
            ),
            argument="round_",
        )

    @admin.action(description=_("Close voting in the selected rounds"), permissions=["change"])
    def close_rounds(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            services.close_round,
            lambda n: (
                ngettext("%(count)d round closed.", "%(count)d rounds closed.", n) % {"count": n}
            ),
            argument="round_",
        )

    @admin.action(
        description=_("Publish the results of the selected rounds"), permissions=["change"]
    )
    def publish_rounds(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            services.publish_results,
            lambda n: (
                ngettext("%(count)d result published.", "%(count)d results published.", n)
                % {"count": n}
            ),
            argument="round_",
        )


class ReadOnlyCandidateInline(CandidateInline):
    extra = 0
    can_delete = False
    readonly_fields = CandidateInline.fields

    def has_add_permission(self, request, obj=None):
        return False
