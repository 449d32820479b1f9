"""Registration for events: one function each, inside a transaction, safe under concurrency.

The event's row is locked (`select_for_update`) while places are counted, so two people
registering at once cannot both take the last place: the second waits for the first to commit
and then counts it.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.models import Event, Registration
from platform_site.audience import Audience


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
            return Registration.objects.create(
                event=event, organisation=organisation, person=person, status=status
            )
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
    return waiting
