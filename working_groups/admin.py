from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from platform_site.admin_policy import VisibleToAudienceAdmin
from working_groups import services
from working_groups.models import GroupMembership, Meeting, WorkingGroup


class MeetingInline(admin.StackedInline):
    model = Meeting
    extra = 0
    fields = ["title", "starts_at", "location_or_link", "visibility", "agenda", "minutes"]


class MembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 0
    fields = ["organisation", "status", "requested_by", "decided_by", "decided_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # organisations ask to join; decisions go through the actions


@admin.register(WorkingGroup)
class WorkingGroupAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["name", "status", "member_count", "pending_count"]
    list_filter = ["status", "subsectors"]
    search_fields = ["name_ar", "name_en", "slug"]
    autocomplete_fields = ["subsectors", "lead_organisations"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [MembershipInline, MeetingInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                member_count=Count("memberships", filter=Q(memberships__status="active")),
                pending_count=Count("memberships", filter=Q(memberships__status="requested")),
            )
        )

    @admin.display(description=_("member organisations"), ordering="member_count")
    def member_count(self, group):
        return group.member_count

    @admin.display(description=_("requests waiting"), ordering="pending_count")
    def pending_count(self, group):
        return group.pending_count


@admin.register(GroupMembership)
class GroupMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "group", "status", "created_at", "decided_at"]
    list_filter = ["status", "group"]
    list_select_related = ["organisation", "group"]
    search_fields = ["organisation__search_text", "group__name_ar", "group__name_en"]
    readonly_fields = [
        "group",
        "organisation",
        "status",
        "note",
        "requested_by",
        "decided_by",
        "decided_at",
    ]
    actions = ["accept", "decline"]

    def has_add_permission(self, request):
        return False

    def _decide(self, request, queryset, accept):
        done = 0
        for membership in queryset:
            try:
                services.decide_membership(membership=membership, by=request.user, accept=accept)
            except ValidationError as error:
                self.message_user(
                    request, f"{membership}: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                done += 1
        return done

    @admin.action(description=_("Accept the selected requests"), permissions=["change"])
    def accept(self, request, queryset):
        if done := self._decide(request, queryset, accept=True):
            self.message_user(
                request,
                ngettext("%(count)d request accepted.", "%(count)d requests accepted.", done)
                % {"count": done},
                messages.SUCCESS,
            )

    @admin.action(description=_("Decline the selected requests"), permissions=["change"])
    def decline(self, request, queryset):
        if done := self._decide(request, queryset, accept=False):
            self.message_user(
                request,
                ngettext("%(count)d request declined.", "%(count)d requests declined.", done)
                % {"count": done},
                messages.SUCCESS,
            )


@admin.register(Meeting)
class MeetingAdmin(VisibleToAudienceAdmin, SimpleHistoryAdmin):
    list_display = ["title", "group", "starts_at", "visibility"]
    list_filter = ["visibility", "group"]
    list_select_related = ["group"]
    search_fields = ["title", "agenda", "minutes"]
    date_hierarchy = "starts_at"
