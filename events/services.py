"""Registration for events: one function each, inside a transaction, safe under concurrency.

The event's row is locked (`select_for_update`) while places are counted, so two people
registering at once cannot both take the last place: the second waits for the first to commit
and then counts it.
"""

from urllib.parse import urlparse

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.models import Event, Registration
from platform_site.audience import Audience
from platform_site.calendars import CalendarEntry, build_calendar
from platform_site.mail import send_templated_mail
from platform_site.models import Category


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def register_for_event(*, event: Event, person, organisation) -> Registration:
    """Register `person` for `event` on behalf of `organisation`: a confirmed place while there
    are places, else the waiting list (when the event keeps one). Raises ValidationError with a
    translated message, changing nothing, when the registration is not possible."""
    audience = Audience.of(person)
    if organisation.pk not in audience.active_organisation_ids:
        raise ValidationError(
            _("Registration is for users of active member organisations."), code="not_member"
        )
    try:
        with transaction.atomic():
            event = _locked(event)
            if not Event.objects.visible_to(audience).filter(pk=event.pk).exists():
                raise ValidationError(_("This event is not open to you."), code="not_visible")
            if not event.accepts_registrations:
                raise ValidationError(_("Registration for this event is closed."), code="closed")
            live = Registration.objects.live().filter(event=event)
            if live.filter(person=person).exists():
                raise ValidationError(_("You are already registered for this event."), code="twice")
            if live.filter(organisation=organisation).count() >= event.places_per_organisation:
                raise ValidationError(
                    ngettext(
                        "Your organisation has already registered its %(count)d person.",
                        "Your organisation has already registered its %(count)d people.",
                        event.places_per_organisation,
                    )
                    % {"count": event.places_per_organisation},
                    code="organisation_full",
                )
            confirmed = live.filter(status=Registration.Status.CONFIRMED).count()
            if event.capacity is None or confirmed < event.capacity:
                status = Registration.Status.CONFIRMED
            elif event.waiting_list:
                status = Registration.Status.WAITING
            else:
                raise ValidationError(_("All places for this event are taken."), code="full")
            registration = Registration.objects.create(
                event=event, organisation=organisation, person=person, status=status
            )
            _tell(registration, "waiting" if status == Registration.Status.WAITING else "confirmed")
            return registration
    except IntegrityError:  # the same person registering twice at the same moment
        raise ValidationError(
            _("You are already registered for this event."), code="twice"
        ) from None


@transaction.atomic
def cancel_registration(*, registration: Registration, by) -> Registration | None:
    """Cancel a registration; a freed place goes to the first person on the waiting list
    (returned, so that the caller can tell them)."""
    event = _locked(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        raise ValidationError(_("This registration is already cancelled."), code="cancelled")
    freed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    if not freed or event.is_past:
        return None
    waiting = (
        Registration.objects.filter(event=event, status=Registration.Status.WAITING)
        .order_by("created_at", "pk")
        .first()
    )
    if waiting is None:
        return None
    waiting.status = Registration.Status.CONFIRMED
    waiting.save(update_fields=["status", "updated_at"])
    _tell(waiting, "promoted")
    return waiting


def _tell(registration: Registration, kind: str) -> None:
    """E-mail the person about their registration ("confirmed", "waiting" or "promoted"), with
    the event as a calendar file once they have a place; in the caller's transaction."""
    event = registration.event
    attachments = []
    if kind != "waiting":
        attachments.append(
            {
                "filename": "event.ics",
                "content": event_calendar(event).decode(),
                "mimetype": "text/calendar",
            }
        )
    send_templated_mail(
        template="events/email/registration",
        recipients=[(registration.person, _language_of(registration))],
        context={"event": event, "registration": registration, "kind": kind},
        category=Category.EVENTS,
        attachments=attachments,
    )


def _language_of(registration: Registration) -> str:
    """The language the person chose for their organisation's e-mails (their own e-mail
    preference, when set, still wins: platform_site.mail)."""
    membership = registration.organisation.memberships.filter(user=registration.person).first()
    return membership.language if membership else ""


def calendar_entry(event: Event, *, host: str, url: str) -> CalendarEntry:
    """The event as an entry of a calendar (the events feed, the e-mail's attachment)."""
    return CalendarEntry(
        uid=f"event-{event.pk}@{host}",
        title=str(event),
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        description=event.summary or "",
        location=event.place or event.online_url,
        url=url,
        cancelled=event.status == Event.Status.CANCELLED,
    )


def event_calendar(event: Event) -> bytes:
    """The event as an iCalendar file, for the e-mail's attachment."""
    host = urlparse(settings.SITE_URL).hostname or "localhost"
    entry = calendar_entry(event, host=host, url=settings.SITE_URL + event.get_absolute_url())
    return build_calendar([entry], name=str(event))
