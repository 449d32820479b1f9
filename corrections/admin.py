from django.contrib import admin

from corrections.models import Correction


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """Coordinators follow suggestions here; they decide on the site's side-by-side page
    (the link "View on site"), where accepted values go through the profile's history."""

    list_display = ["organisation", "status", "proposed_by", "created_at", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["organisation", "proposed_by", "decided_by"]
    search_fields = ["organisation__search_text"]
    readonly_fields = [
        "organisation",
        "proposed_by",
        "language",
        "proposed",
        "reason",
        "status",
        "accepted_fields",
        "decided_by",
        "decided_at",
        "decision_note",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
