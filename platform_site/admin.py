"""The outbox in the admin: coordinators see what is waiting or failed and send it again; and
the spreadsheet imports, read-only."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from platform_site.models import Category, Email, ImportJob, Preferences
from platform_site.tasks import resend_email


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "address",
        "subject",
        "category",
        "status",
        "attempts",
        "next_attempt_at",
    ]
    list_filter = ["status", "category", "language"]
    search_fields = ["address", "subject"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    fields = [
        "status",
        "address",
        "recipient",
        "language",
        "category",
        "template",
        "subject",
        "body_text",
        "attempts",
        "next_attempt_at",
        "last_error",
        "sent_at",
        "created_at",
        "key",
    ]
    readonly_fields = fields

    def get_fields(self, request, obj=None):
        if obj is not None and obj.category == Category.ACCOUNT:
            # Confirmation and password-reset links: for the person alone, not for coordinators.
            return [field for field in self.fields if field != "body_text"]
        return self.fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send again (failed or interrupted e-mails)"))
    def send_again(self, request, queryset):
        sent = sum(resend_email(email=email) for email in queryset)
        skipped = queryset.count() - sent
        if sent:
            self.message_user(
                request,
                ngettext(
                    "%(count)d e-mail will be sent again.",
                    "%(count)d e-mails will be sent again.",
                    sent,
                )
                % {"count": sent},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d e-mail was left alone: it is waiting or already sent.",
                    "%(count)d e-mails were left alone: they are waiting or already sent.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )


@admin.register(Preferences)
class PreferencesAdmin(admin.ModelAdmin):
    list_display = ["user", "display_name", "email_language", "digest"]
    search_fields = ["display_name", "user__email"]
    raw_id_fields = ["user"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Who imported which file when, and what came of it: for coordinators, read-only."""

    list_display = ["created_at", "file_name", "model", "user", "status", "rows_total"]
    list_filter = ["status", "model"]
    search_fields = ["file_name"]
    date_hierarchy = "created_at"
    fields = [
        "user",
        "model",
        "file_name",
        "status",
        "language",
        "rows_read",
        "rows_total",
        "totals",
        "errors",
        "created_at",
        "confirmed_at",
        "finished_at",
    ]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        return request.audience.is_coordinator and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
