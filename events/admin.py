from django.contrib import admin
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from events import services
from events.forms import EventAdminForm, MaterialAdminForm
from events.models import Event, Material, Registration
from platform_site.cache import bump_content_generation


class MaterialInline(TranslationTabularInline):
    model = Material
    form = MaterialAdminForm
    fields = ["title", "file", "url"]
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class RegistrationInline(admin.TabularInline):
    """Who registered, in order: confirmed places and the waiting list (read-only here;
    people cancel on the event's page)."""

    model = Registration
    fields = ["person", "organisation", "status", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin, TranslationAdmin):
    form = EventAdminForm
    list_display = [
        "title",
        "kind",
        "starts_at",
        "audience",
        "status",
        "confirmed_count",
        "waiting_count",
    ]
    list_filter = ["status", "kind", "audience", "language"]
    list_select_related = ["working_group"]
    search_fields = ["search_text"]
    autocomplete_fields = ["working_group"]
    date_hierarchy = "starts_at"
    readonly_fields = ["created_at", "updated_at"]
    inlines = [MaterialInline, RegistrationInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["publish", "cancel"]
    fieldsets = [
        (None, {"fields": ["title", "summary", "description", "kind", "language"]}),
        (_("When and where"), {"fields": ["starts_at", "ends_at", "place", "online_url"]}),
        (_("For whom"), {"fields": ["audience", "working_group", "status", "slug"]}),
        (
            _("Registration"),
            {
                "fields": [
                    "registration_open",
                    "capacity",
                    "places_per_organisation",
                    "waiting_list",
                ]
            },
        ),
        (None, {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                confirmed=Count("registrations", filter=Q(registrations__status="confirmed")),
                waiting=Count("registrations", filter=Q(registrations__status="waiting")),
            )
        )

    @admin.display(description=_("places taken"), ordering="confirmed")
    def confirmed_count(self, event):
        return event.confirmed

    @admin.display(description=_("waiting list"), ordering="waiting")
    def waiting_count(self, event):
        return event.waiting

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.search(search_term), False

    @admin.action(description=_("Publish the selected events"))
    def publish(self, request, queryset):
        count = queryset.filter(status=Event.Status.DRAFT).update(status=Event.Status.PUBLISHED)
        bump_content_generation("events")  # a queryset update sends no signal to the caches
        self.message_user(request, _("Events published: %(count)s") % {"count": count})

    @admin.action(description=_("Cancel the selected events"))
    def cancel(self, request, queryset):
        count = queryset.exclude(status=Event.Status.CANCELLED).update(
            status=Event.Status.CANCELLED
        )
        bump_content_generation("events")
        self.message_user(request, _("Events cancelled: %(count)s") % {"count": count})


@admin.register(Registration)
class RegistrationAdmin(SimpleHistoryAdmin):
    """Registrations are made by members on the event's page; coordinators read them and may
    cancel one (the waiting list then moves up, as when the person cancels)."""

    list_display = ["event", "organisation", "person", "status", "created_at"]
    list_filter = ["status", "event"]
    list_select_related = ["event", "organisation", "person"]
    search_fields = ["event__search_text", "organisation__search_text", "person__email"]
    readonly_fields = ["event", "organisation", "person", "status", "created_at", "updated_at"]
    actions = ["cancel"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Cancel the selected registrations"), permissions=["change"])
    def cancel(self, request, queryset):
        cancelled = 0
        for registration in queryset.live():
            services.cancel_registration(registration=registration, by=request.user)
            cancelled += 1
        self.message_user(request, _("Registrations cancelled: %(count)s") % {"count": cancelled})
