from django.contrib import admin

from api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Coordinators see who holds tokens and may revoke them; keys are never shown (only their
    first characters), and tokens are created by their owners only."""

    list_display = ["name", "user", "key_start", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__email", "key_start"]
    readonly_fields = ["user", "name", "key_start", "created_at", "last_used_at"]
    fields = [*readonly_fields, "revoked_at"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False
