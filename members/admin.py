from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from members import services
from members.forms import ContactForm
from members.imports import OrganisationResource
from members.models import (
    FRESHNESS,
    Contact,
    Governorate,
    Invitation,
    JoinRequest,
    Organisation,
    OrganisationMember,
    Subsector,
    TargetGroup,
    pending_first,
)
from members.search import refresh_search_documents
from platform_site.admin_actions import run_service, run_service_with_text
from platform_site.admin_paging import LongListAdmin
from platform_site.admin_policy import VisibleToAudienceAdmin
from platform_site.importing import SpreadsheetImportMixin


@admin.register(Governorate)
class GovernorateAdmin(TranslationAdmin):
    list_display = ["pcode", "name"]
    search_fields = ["pcode", "name_ar", "name_en"]


@admin.register(Subsector)
class SubsectorAdmin(TranslationAdmin):
    list_display = ["code", "name", "position"]
    list_editable = ["position"]
    search_fields = ["code", "name_ar", "name_en"]


@admin.register(TargetGroup)
class TargetGroupAdmin(TranslationAdmin):
    list_display = ["code", "name", "position"]
    list_editable = ["position"]
    search_fields = ["code", "name_ar", "name_en"]


class FreshnessFilter(admin.SimpleListFilter):
    title = _("freshness")
    parameter_name = "freshness"

    def lookups(self, request, model_admin):
        return [
            ("fresh", _("Confirmed in the last 12 months")),
            ("stale", _("Not confirmed for 12 months")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "stale":
            return queryset.stale()
        if self.value() == "fresh":
            return queryset.filter(verified_at__gte=timezone.now() - FRESHNESS)
        return queryset


class ContactInline(admin.TabularInline):
    model = Contact
    form = ContactForm
    extra = 0
    fields = [
        "name",
        "title",
        "email",
        "phone",
        "visibility",
        "public_consent",
        "public_consent_at",
    ]
    readonly_fields = ["public_consent_at"]


class MemberInline(admin.TabularInline):
    model = OrganisationMember
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "language"]


REASON_EXPLANATION = _(
    "The reason is sent by e-mail to the users of each organisation and kept in its history."
)


@admin.register(Organisation)
class OrganisationAdmin(
    VisibleToAudienceAdmin,
    LongListAdmin,
    SpreadsheetImportMixin,
    SimpleHistoryAdmin,
    TranslationAdmin,
):
    resource_classes = [OrganisationResource]
    list_display = [
        "name",
        "acronym",
        "org_type",
        "status",
        "verified_at",
        "low_profile",
        "created_at",
    ]
    list_filter = [
        "status",
        "org_type",
        "low_profile",
        FreshnessFilter,
        "governorates",
        "subsectors",
    ]
    search_fields = ["search_text"]
    search_help_text = _(
        "Search by name in either language, acronym, other name, place, sub-sector or programme."
    )
    autocomplete_fields = ["governorates", "subsectors", "target_groups"]
    readonly_fields = [
        "slug",
        "approved_at",
        "approved_by",
        "verified_at",
        "created_at",
        "updated_at",
        "conduct_version",
        "conduct_accepted_at",
        "conduct_accepted_by",
    ]
    inlines = [MemberInline, ContactInline]
    # Pending applications first, then the newest.
    ordering = [pending_first().asc(), "-created_at"]  # index organisation_admin_order
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["approve", "reject", "suspend", "reactivate", "archive", "mark_verified"]
    fieldsets = [
        (None, {"fields": ["name", "acronym", "aliases", "slug", "org_type", "description"]}),
        (
            _("Registration and headquarters"),
            {
                "fields": [
                    "founded_year",
                    "registration_country",
                    "registration_number",
                    "hq_country",
                    "hq_city",
                ]
            },
        ),
        (
            _("Where and for whom"),
            {"fields": ["governorates", "host_countries", "subsectors", "target_groups"]},
        ),
        (_("Public contact"), {"fields": ["website", "public_email", "public_phone", "logo"]}),
        (
            _("Moderation"),
            {
                "fields": [
                    "status",
                    "status_reason",
                    "low_profile",
                    "approved_at",
                    "approved_by",
                    "verified_at",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
        (
            _("Code of conduct"),
            {"fields": ["conduct_version", "conduct_accepted_at", "conduct_accepted_by"]},
        ),
    ]

    def save_formset(self, request, form, formset, change):
        if formset.model is Contact:
            for contact_form in formset.forms:
                if contact_form.has_changed() and not contact_form.cleaned_data.get("DELETE"):
                    services.record_contact_consent(contact=contact_form.instance, by=request.user)
        super().save_formset(request, form, formset, change)

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.search(
            search_term, column="search_text_members", names_column="search_names"
        ), False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh_search_documents([form.instance.pk])  # governorates, sub-sectors…

    def get_readonly_fields(self, request, obj=None):
        # Status changes go through the actions, so they are e-mailed and recorded.
        fields = list(super().get_readonly_fields(request, obj))
        return fields + ["status", "status_reason"] if obj else fields

    def _moderate(self, request, queryset, service, success):
        return run_service(self, request, queryset, service, success, argument="organisation")

    def _moderate_with_reason(self, request, queryset, service, title, success):
        return run_service_with_text(
            self,
            request,
            queryset,
            service,
            success,
            argument="organisation",
            text_argument="reason",
            title=title,
            explanation=REASON_EXPLANATION,
        )

    @admin.action(description=_("Approve the selected applications"), permissions=["change"])
    def approve(self, request, queryset):
        self._moderate(
            request,
            queryset,
            services.approve_organisation,
            lambda n: (
                ngettext("%(count)d organisation approved.", "%(count)d organisations approved.", n)
                % {"count": n}
            ),
        )

    @admin.action(description=_("Reject the selected applications…"), permissions=["change"])
    def reject(self, request, queryset):
        return self._moderate_with_reason(
            request,
            queryset,
            services.reject_organisation,
            _("Reject applications"),
            lambda n: (
                ngettext("%(count)d application rejected.", "%(count)d applications rejected.", n)
                % {"count": n}
            ),
        )

    @admin.action(description=_("Suspend the selected organisations…"), permissions=["change"])
    def suspend(self, request, queryset):
        return self._moderate_with_reason(
            request,
            queryset,
            services.suspend_organisation,
            _("Suspend organisations"),
            lambda n: (
                ngettext(
                    "%(count)d organisation suspended.", "%(count)d organisations suspended.", n
                )
                % {"count": n}
            ),
        )

    @admin.action(description=_("Reactivate the selected organisations"), permissions=["change"])
    def reactivate(self, request, queryset):
        self._moderate(
            request,
            queryset,
            services.reactivate_organisation,
            lambda n: (
                ngettext(
                    "%(count)d organisation reactivated.", "%(count)d organisations reactivated.", n
                )
                % {"count": n}
            ),
        )

    @admin.action(description=_("Archive the selected organisations"), permissions=["change"])
    def archive(self, request, queryset):
        self._moderate(
            request,
            queryset,
            services.archive_organisation,
            lambda n: (
                ngettext("%(count)d organisation archived.", "%(count)d organisations archived.", n)
                % {"count": n}
            ),
        )

    @admin.action(
        description=_("Mark the selected profiles as verified today"), permissions=["change"]
    )
    def mark_verified(self, request, queryset):
        self._moderate(
            request,
            queryset,
            services.mark_verified,
            lambda n: (
                ngettext(
                    "%(count)d profile marked verified.", "%(count)d profiles marked verified.", n
                )
                % {"count": n}
            ),
        )


@admin.register(OrganisationMember)
class OrganisationMemberAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__email", "organisation__search_text"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(JoinRequest)
class JoinRequestAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__email", "organisation__search_text"]
    readonly_fields = [
        "user",
        "organisation",
        "message",
        "language",
        "status",
        "decided_by",
        "decided_at",
    ]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are sent and withdrawn by organisation administrators; coordinators read."""

    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    list_select_related = ["organisation"]
    search_fields = ["email", "organisation__search_text"]
    readonly_fields = [
        "organisation",
        "email",
        "role",
        "language",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "withdrawn_at",
    ]
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        return False


@admin.register(Contact)
class ContactAdmin(VisibleToAudienceAdmin, SimpleHistoryAdmin):
    form = ContactForm
    fields = [
        "organisation",
        "name",
        "title",
        "email",
        "phone",
        "visibility",
        "public_consent",
        "public_consent_at",
        "public_consent_by",
    ]
    list_display = ["name", "organisation", "visibility", "public_consent_at"]
    list_filter = ["visibility"]
    list_select_related = ["organisation"]
    search_fields = ["name", "email", "organisation__search_text"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["public_consent_at", "public_consent_by"]

    def save_model(self, request, obj, form, change):
        services.record_contact_consent(contact=obj, by=request.user)
        super().save_model(request, obj, form, change)


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Deleting an account here erases it as `manage.py erase_user` does: the history rows
    about the person go too (docs/product.md §7, right to erasure)."""

    def delete_model(self, request, obj):
        services.erase_user(user=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            services.erase_user(user=user, by=request.user)
