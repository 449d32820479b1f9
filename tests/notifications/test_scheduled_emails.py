"""Scheduled e-mails: renewal reminders once each, digests by what each persona may see,
the coordinators' daily summary. The clock is moved with time-machine."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from knowledge_bank.models import Resource
from members.models import FRESHNESS
from notifications.jobs import digest_for, run_all
from platform_site.models import Preferences
from tests.advocacy.test_statements import make_statement
from tests.conftest import make_group, make_meeting, make_organisation, make_user

pytestmark = pytest.mark.django_db

# A Sunday, 09:00 in Damascus (UTC+3): digest day.
SUNDAY_MORNING = datetime(2026, 12, 6, 6, 0, tzinfo=UTC)


def sent_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_renewal_reminders_thirty_days_before_and_on_the_day_once_each(org_admin, editor):
    start = timezone.now()
    organisation = make_organisation(
        members=[(org_admin, "admin"), (editor, "editor")],
        verified_at=start - FRESHNESS + timedelta(days=30),
    )
    make_organisation(verified_at=start - timedelta(days=10))  # fresh: nothing
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(3):
            run_all()
        assert sorted(m.to[0] for m in mail.outbox) == sorted([org_admin.email, editor.email])
        assert "30" in mail.outbox[0].body
        clock.move_to(start + timedelta(days=10))
        run_all()
        assert len(mail.outbox) == 2
        clock.move_to(start + timedelta(days=30, hours=1))
        run_all()
        run_all()
        assert len(mail.outbox) == 4
        clock.move_to(start + timedelta(days=40))
        run_all()
    assert len(mail.outbox) == 4
    assert organisation.name_ar in mail.outbox[-1].subject  # in the language of the e-mail
    # Confirming the profile starts a new year: reminders come again next year.


def test_a_reminder_turned_off_is_not_sent(org_admin):
    Preferences.objects.create(user=org_admin, muted_categories=["organisation"])
    make_organisation(
        members=[(org_admin, "admin")], verified_at=timezone.now() - FRESHNESS + timedelta(days=5)
    )
    run_all()
    assert mail.outbox == []


@pytest.fixture
def world(lead, lead_org, coordinator):
    """Two members: `insider` (in the group) and `bystander` (in the network, not the group);
    an outsider without an organisation."""
    with time_machine.travel(SUNDAY_MORNING - timedelta(days=3), tick=False):
        insider = make_user("insider@example.org")
        bystander = make_user("bystander@example.org")
        insider_org = make_organisation(name_en="Insider Org", members=[(insider, "admin")])
        make_organisation(name_en="Bystander Org", members=[(bystander, "admin")])
        group = make_group(leads=[lead_org], members=[insider_org])
        fresh = make_organisation(name_en="Fresh Member", approved_at=timezone.now())
        quiet = make_organisation(
            name_en="Quiet Member", approved_at=timezone.now(), low_profile=True
        )
        make_organisation(name_en="Still Pending", status="pending", approved_at=None)
        statement = make_statement(
            lead_org, by=lead, publish_by=coordinator, title_en="Open Statement"
        )
        make_statement(lead_org, by=lead, title_en="Draft Statement")
        Resource.objects.create(
            title_en="Public Guide", kind="guide", language="en", url="https://example.org/g"
        )
        Resource.objects.create(
            title_en="Members Memo",
            kind="report",
            language="en",
            url="https://example.org/m",
            visibility="members",
        )
    with time_machine.travel(SUNDAY_MORNING - timedelta(days=30), tick=False):
        Resource.objects.create(
            title_en="Old Guide", kind="guide", language="en", url="https://example.org/o"
        )
    group_meeting = make_meeting(group, title="Group Only Meeting", days=10)
    network_meeting = make_meeting(group, visibility="network", title="Network Meeting", days=5)
    make_meeting(group, title="Cancelled Meeting", days=6, cancelled_at=timezone.now())
    return {
        "insider": insider,
        "bystander": bystander,
        "fresh": fresh,
        "quiet": quiet,
        "statement": statement,
        "group_meeting": group_meeting,
        "network_meeting": network_meeting,
    }


def titles(digest):
    return {
        "organisations": {o.name_en for o in digest.organisations},
        "statements": {s.title_en for s in digest.statements},
        "meetings": {m.title for m in digest.meetings},
        "resources": {r.title_en for r in digest.resources},
    }


def test_the_digest_of_a_group_member(world):
    digest = digest_for(world["insider"], SUNDAY_MORNING - timedelta(days=2))
    found = titles(digest)
    assert found["organisations"] >= {"Fresh Member", "Quiet Member"}  # members see low-profile
    assert "Still Pending" not in found["organisations"]
    assert found["statements"] == {"Open Statement"}
    assert found["resources"] == {"Public Guide", "Members Memo"}


def test_the_digest_shows_group_meetings_only_to_the_group(world):
    now = timezone.now()
    insider = titles(digest_for(world["insider"], now))["meetings"]
    bystander = titles(digest_for(world["bystander"], now))["meetings"]
    assert insider == {"Group Only Meeting", "Network Meeting"}
    assert bystander == set()  # the network meeting is not in their groups


def test_the_digest_goes_on_sunday_to_members_only_once(world, outsider, coordinator):
    Preferences.objects.create(user=world["bystander"], digest="never")
    with time_machine.travel(SUNDAY_MORNING - timedelta(days=1), tick=False):
        run_all()  # Saturday: no digest
        assert not [
            m for m in mail.outbox if "This week" in m.subject or "هذا الأسبوع" in m.subject
        ]
    mail.outbox.clear()
    with time_machine.travel(SUNDAY_MORNING, tick=False):
        call_command("send_scheduled_emails", verbosity=0)
        call_command("send_scheduled_emails", verbosity=0)
    (digest,) = sent_to(world["insider"].email)
    assert "Open Statement" in digest.body or "أولوية الاختبار" in digest.body
    assert "Members Memo" in digest.body
    assert "Draft Statement" not in digest.body and "Still Pending" not in digest.body
    assert "List-Unsubscribe" in digest.extra_headers
    assert "/unsubscribe/" in digest.extra_headers["List-Unsubscribe"]
    assert sent_to(world["bystander"].email) == []  # chose never
    assert sent_to(outsider.email) == []  # no organisation: no digest
    # The coordinator gets a digest only as a member would; as staff, the daily summary.


def test_nothing_new_means_no_digest(outsider):
    user = make_user()
    make_organisation(members=[(user, "admin")])
    with time_machine.travel(SUNDAY_MORNING + timedelta(days=60), tick=False):
        run_all()
    assert sent_to(user.email) == []


def test_the_coordinators_daily_summary(coordinator, org_admin):
    with time_machine.travel(SUNDAY_MORNING, tick=False) as clock:
        run_all()
        assert sent_to(coordinator.email) == []  # nothing waits
        make_organisation(name_en="Applicant", status="pending")
        run_all()
        run_all()
        (summary,) = sent_to(coordinator.email)
        assert "1" in summary.body
        clock.move_to(SUNDAY_MORNING + timedelta(days=1))
        run_all()
    assert len(sent_to(coordinator.email)) == 2
    assert sent_to(org_admin.email) == []


def test_the_digest_names_rounds_opening_and_closing_but_never_drafts(world):
    from tests.advocacy.test_rounds import make_round

    now = timezone.now()
    rounds = {
        "Just Opened": make_round(opens_at=now - timedelta(days=2), closes_at=now + timedelta(20)),
        "Closing Soon": make_round(opens_at=now - timedelta(30), closes_at=now + timedelta(3)),
        "Not Yet": make_round(status="draft", opens_at=now - timedelta(days=1)),
    }
    for title, round_ in rounds.items():
        round_.title_en = title
        round_.save()
    digest = digest_for(world["bystander"], now)
    assert {r.title_en for r in digest.rounds_opening} == {"Just Opened"}
    assert {r.title_en for r in digest.rounds_closing} == {"Closing Soon"}
