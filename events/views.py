from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import DetailView, ListView

from events import services
from events.forms import RegistrationForm
from events.models import Event, Material, Registration
from members.models import Organisation
from platform_site.cache import PERSON, cache_page
from platform_site.calendars import calendar_response
from platform_site.uploads import DOCUMENT_TYPES

PAGE_SIZE = 20
CALENDAR_PAST_DAYS = 90


def _visible(request):
    return Event.objects.visible_to(request.audience).select_related("working_group")


@method_decorator(cache_page(PERSON), name="dispatch")
class EventListView(ListView):
    """Upcoming events (and those under way) this reader may see."""

    template_name = "events/event_list.html"
    context_object_name = "events"
    paginate_by = PAGE_SIZE
    past = False

    def get_queryset(self):
        events = _visible(self.request)
        return events.past() if self.past else events.upcoming()


def _member_organisations(request):
    return Organisation.objects.filter(pk__in=sorted(request.audience.active_organisation_ids))


class EventDetailView(DetailView):
    template_name = "events/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        return _visible(self.request)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event, audience = self.object, self.request.audience
        own = list(
            Registration.objects.editable_by(audience)
            .live()
            .filter(event=event)
            .select_related("organisation")
        )
        organisations = _member_organisations(self.request)
        context.update(
            registrations=own,
            form=(
                RegistrationForm(organisations=organisations)
                if event.accepts_registrations and organisations and not own
                else None
            ),
            materials=event.materials.all() if event.is_past else [],
            places_left=self._places_left(event),
        )
        return context

    @staticmethod
    def _places_left(event):
        if event.capacity is None:
            return None
        taken = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
        return max(event.capacity - taken, 0)


@require_POST
@login_required
def register(request, slug):
    event = get_object_or_404(_visible(request), slug=slug)
    form = RegistrationForm(request.POST, organisations=_member_organisations(request))
    if not form.is_valid():
        messages.error(request, _("Registration is for users of active member organisations."))
        return redirect(event)
    try:
        registration = services.register_for_event(
            event=event, person=request.user, organisation=form.cleaned_data["organisation"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(event)
    if registration.status == Registration.Status.CONFIRMED:
        messages.success(request, _("You are registered: your place is confirmed."))
    else:
        messages.success(
            request,
            _("All places are taken: you are on the waiting list and will get the next free one."),
        )
    return redirect(event)


@require_POST
@login_required
def cancel(request, slug, pk):
    registration = get_object_or_404(
        Registration.objects.editable_by(request.audience).live().select_related("event"),
        pk=pk,
        event__slug=slug,
    )
    try:
        services.cancel_registration(registration=registration, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Your registration was cancelled."))
    return redirect(registration.event)


@require_safe
def calendar(request):
    """Upcoming and recent events this reader may see, for calendar applications."""
    since = timezone.now() - timedelta(days=CALENDAR_PAST_DAYS)
    events = _visible(request).filter(ends_at__gte=since).order_by("starts_at")[:200]
    entries = [
        services.calendar_entry(
            event,
            host=request.get_host(),
            url=request.build_absolute_uri(event.get_absolute_url()),
        )
        for event in events
    ]
    return calendar_response(
        entries,
        name=_("Syrian Education Platform — events"),
        filename="events.ics",
        public=not request.audience.is_authenticated,
    )


@require_safe
def material(request, slug, pk):
    """Serve a material of a past event this reader may see, as an attachment."""
    item = get_object_or_404(
        Material.objects.visible_to(request.audience)
        .filter(event__ends_at__lt=timezone.now())
        .exclude(file=""),
        pk=pk,
        event__slug=slug,
    )
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=f"{item.event.slug}-{item.pk}.{item.file_type}",
        content_type=DOCUMENT_TYPES.get(item.file_type, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if item.event.audience != Event.Audience.PUBLIC:
        response["Cache-Control"] = "private, no-store"
    return response
