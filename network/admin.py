from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from network.models import Body, CodeOfConduct, MembershipCriterion, TeamMember


class TeamMemberInline(TranslationTabularInline):
    model = TeamMember
    fields = ["name", "role", "position", "named_consent_at", "named_consent_by"]
    readonly_fields = ["named_consent_by"]
    extra = 1


@admin.register(Body)
class BodyAdmin(SimpleHistoryAdmin, TranslationAdmin):
    """The structure shown on the About page, in both languages."""

    list_display = ["name", "position"]
    list_editable = ["position"]
    search_fields = ["name_ar", "name_en"]
    inlines = [TeamMemberInline]

    def save_formset(self, request, form, formset, change):
        # Whoever sets the consent date is recorded as having received the consent.
        for person_form in formset.forms:
            person = person_form.instance
            if "named_consent_at" in person_form.changed_data:
                person.named_consent_by = request.user if person.named_consent_at else None
        super().save_formset(request, form, formset, change)


@admin.register(TeamMember)
class TeamMemberAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["name", "role", "body", "named_consent_at"]
    list_filter = ["body"]
    list_select_related = ["body"]
    search_fields = ["name_ar", "name_en", "role_ar", "role_en"]
    readonly_fields = ["named_consent_by"]

    def save_model(self, request, obj, form, change):
        if "named_consent_at" in form.changed_data:
            obj.named_consent_by = request.user if obj.named_consent_at else None
        super().save_model(request, obj, form, change)


@admin.register(MembershipCriterion)
class MembershipCriterionAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["__str__", "position"]
    list_editable = ["position"]


@admin.register(CodeOfConduct)
class CodeOfConductAdmin(SimpleHistoryAdmin, TranslationAdmin):
    """Versions of the code of conduct. A version in force is read-only: change the text by
    adding the next version, which every later application is asked to accept."""

    list_display = ["version", "published_at", "updated_at"]
    actions = ["publish_now"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_published:
            return ["version", "text_ar", "text_en", "published_at"]
        return []

    def get_changeform_initial_data(self, request):
        latest = CodeOfConduct.objects.order_by("-version").first()
        return {"version": latest.version + 1 if latest else 1}

    @admin.action(description=_("Put the selected drafts in force now"))
    def publish_now(self, request, queryset):
        count = queryset.filter(published_at__isnull=True).update(published_at=timezone.now())
        self.message_user(request, _("Versions put in force: %(count)s") % {"count": count})
