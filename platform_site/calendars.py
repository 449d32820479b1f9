"""iCalendar files (RFC 5545) written by the icalendar library, which escapes and folds.

Meetings, events and invitations describe themselves as `CalendarEntry` values; this module
turns them into a calendar file or an HTTP response. Times are stored in UTC and shown by
calendar applications in their reader's zone; the calendar names Damascus as its zone.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import icalendar
from django.http import HttpResponse
from django.utils import timezone

PRODUCT = "-//Syrian Education Platform//Portal//AR"
DEFAULT_LENGTH = timedelta(hours=1, minutes=30)


@dataclass(frozen=True)
class CalendarEntry:
    uid: str  # stable across changes, e.g. "meeting-12@edu.example.org"
    title: str
    starts_at: datetime
    ends_at: datetime | None = None
    description: str = ""
    location: str = ""
    url: str = ""
    cancelled: bool = False
    sequence: int = 0  # raise it when the entry changes, so calendars replace their copy


def build_calendar(entries, *, name: str, method: str = "PUBLISH") -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Damascus")
    stamp = timezone.now()
    for entry in entries:
        event = icalendar.Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.starts_at)
        event.add("dtend", entry.ends_at or entry.starts_at + DEFAULT_LENGTH)
        event.add("summary", entry.title)
        if entry.description:
            event.add("description", entry.description)
        if entry.location:
            event.add("location", entry.location)
        if entry.url:
            event.add("url", entry.url)
        event.add("sequence", entry.sequence)
        event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()


def calendar_response(entries, *, name: str, filename: str, public: bool) -> HttpResponse:
    """A calendar feed: cached by proxies only when it is the same for everyone."""
    response = HttpResponse(
        build_calendar(entries, name=name), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=900" if public else "private, no-store"
    return response
