"""Demo events for `manage.py seed_demo`: past trainings with materials (the record of
capacity building) and upcoming events with registration."""

from datetime import timedelta

from django.utils import timezone

from events.models import Event, Material, Registration
from members.models import Organisation, OrganisationMember

EVENTS = [
    # (title_ar, title_en, kind, days from now, hours, place, online, audience, registration)
    (
        "تدريب على الدعم النفسي الاجتماعي في الصفوف",
        "Training: psychosocial support in the classroom",
        "training",
        -45,
        6,
        ("غازي عنتاب", "Gaziantep"),
        "",
        "public",
        False,
    ),
    (
        "جلسة توعية حول مخاطر زواج القاصرات",
        "Awareness session on the risks of child marriage",
        "awareness",
        -20,
        3,
        ("إدلب", "Idleb"),
        "",
        "public",
        False,
    ),
    (
        "ورشة عمل: التخطيط المشترك للعام الدراسي",
        "Workshop: joint planning for the school year",
        "workshop",
        14,
        5,
        "",
        "https://meet.example.org/sep-planning",
        "members",
        True,
    ),
    (
        "الاجتماع العام للشبكة",
        "General meeting of the network",
        "meeting",
        30,
        4,
        ("عمّان", "Amman"),
        "https://meet.example.org/sep-general",
        "public",
        True,
    ),
]


def seed() -> list[str]:
    if Event.objects.exists():
        return []
    start = timezone.now().replace(hour=7, minute=0, second=0, microsecond=0)
    for title_ar, title_en, kind, days, hours, place, online, audience, registration in EVENTS:
        starts = start + timedelta(days=days)
        event = Event.objects.create(
            title_ar=title_ar,
            title_en=title_en,
            summary_ar="فعالية تجريبية لأغراض العرض.",
            summary_en="A demo event.",
            kind=kind,
            starts_at=starts,
            ends_at=starts + timedelta(hours=hours),
            place_ar=place[0] if place else "",
            place_en=place[1] if place else "",
            online_url=online,
            language="ar",
            audience=audience,
            status=Event.Status.PUBLISHED,
            registration_open=registration,
            capacity=20 if registration else None,
        )
        if days < 0:
            Material.objects.create(
                event=event,
                title_ar="العرض التقديمي للتدريب",
                title_en="Training slides",
                url="https://example.org/demo-slides",
            )
    member = OrganisationMember.objects.filter(
        organisation__status=Organisation.Status.ACTIVE
    ).select_related("user", "organisation")[1:2]
    workshop = Event.objects.get(kind="workshop")
    for membership in member:
        Registration.objects.create(
            event=workshop,
            organisation=membership.organisation,
            person=membership.user,
            status=Registration.Status.CONFIRMED,
        )
    return [f"Demo events: {Event.objects.count()} (past ones with materials)."]
