"""The outbox: e-mails survive a mail server that is down, refuses or drops the connection.

The worker is django-tasks' own (`db_worker`'s Worker, in batch mode) on the database backend;
the clock is moved with time-machine instead of waiting.
"""

import smtplib
import socket
from datetime import timedelta
from email import message_from_bytes

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from members import services as member_services
from members.models import COORDINATORS_GROUP, Organisation
from platform_site.mail import send_templated_mail
from platform_site.models import Category, Email, Preferences
from platform_site.queue_health import queue_is_healthy
from platform_site.tasks import MAX_ATTEMPTS, deliver_email, resend_email
from tests.conftest import make_organisation, make_user
from tests.platform_site.flaky_mail import Outage

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def outbox(settings):
    """The database task backend and a mail server that works until told otherwise."""
    Group.objects.get_or_create(name=COORDINATORS_GROUP)  # flushed by transactional tests
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "tests.platform_site.flaky_mail.FlakyBackend"
    Outage.reset()
    yield
    Outage.reset()


def run_worker():
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def write_mail(user, **kwargs):
    return send_templated_mail(
        template="members/email/status_changed",
        recipients=[(user, "en")],
        context={"organisation": kwargs.pop("organisation"), "previous": "pending"},
        category=kwargs.pop("category", Category.ORGANISATION),
    )


def test_an_email_is_a_row_and_a_task_written_with_its_cause(org_admin, coordinator):
    organisation = make_organisation(status="pending", members=[(org_admin, "admin")])
    member_services.approve_organisation(organisation=organisation, by=coordinator)
    assert mail.outbox == []  # nothing is sent inside the request
    email = Email.objects.get()
    assert (email.recipient, email.status, email.category) == (org_admin, "pending", "organisation")
    assert DBTaskResult.objects.ready().count() == 1
    run_worker()
    assert [m.to for m in mail.outbox] == [[org_admin.email]]
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 1)
    assert queue_is_healthy() == (True, "ok")


def test_a_rolled_back_change_leaves_no_email(org_admin):
    organisation = make_organisation(members=[(org_admin, "admin")])
    with pytest.raises(RuntimeError):
        from django.db import transaction

        with transaction.atomic():
            write_mail(org_admin, organisation=organisation)
            raise RuntimeError("the change failed")
    assert not Email.objects.exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
        smtplib.SMTPRecipientsRefused({"x@example.org": (451, b"try again later")}),
        TimeoutError("timed out"),
        ConnectionRefusedError(111, "Connection refused"),
    ],
    ids=["disconnected", "refused", "timeout", "connection-refused"],
)
def test_down_for_ten_minutes_then_every_email_arrives_once(client, org_admin, coordinator, error):
    """Approving, submitting and joining while the mail server is down: the actions succeed,
    the tasks retry, and after the server recovers each e-mail arrives exactly once."""
    start = timezone.now()
    Outage.until, Outage.error = start + timedelta(minutes=10), error
    with time_machine.travel(start, tick=False) as clock:
        applicant = make_organisation(status="pending", members=[(org_admin, "admin")])
        member_services.approve_organisation(organisation=applicant, by=coordinator)
        editor = make_user()
        member_services.request_to_join(
            organisation=applicant, user=editor, message="", language="ar"
        )
        run_worker()
        assert mail.outbox == []
        assert set(Email.objects.values_list("status", flat=True)) == {"pending"}
        for minutes in (1, 2, 5, 9, 10, 20, 30, 45, 60, 120, 600):
            clock.move_to(start + timedelta(minutes=minutes))
            run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([org_admin.email, org_admin.email])
    assert len(mail.outbox) == Email.objects.count() == 2
    assert set(Email.objects.values_list("status", flat=True)) == {"sent"}
    assert all(e.attempts >= 2 for e in Email.objects.all())


def test_failed_after_the_last_try_then_resent_by_a_coordinator(org_admin):
    organisation = make_organisation(members=[(org_admin, "admin")])
    start = timezone.now()
    Outage.until = start + timedelta(days=3)
    with time_machine.travel(start, tick=False) as clock:
        (email,) = write_mail(org_admin, organisation=organisation)
        for hours in range(0, 24):
            clock.move_to(start + timedelta(hours=hours, minutes=1))
            run_worker()
        email.refresh_from_db()
        assert (email.status, email.attempts) == ("failed", MAX_ATTEMPTS)
        assert "SMTPServerDisconnected" in email.last_error
        assert mail.outbox == []
        clock.move_to(start + timedelta(days=4))
        assert resend_email(email=email)
        assert not resend_email(email=email)  # waiting already: not twice
        run_worker()
    email.refresh_from_db()
    assert email.status == "sent"
    assert len(mail.outbox) == 1


def test_a_worker_killed_mid_send_never_sends_twice(org_admin):
    """The e-mail is marked before the server is contacted: a task run again (or a second
    worker) finds it taken and leaves it alone."""
    organisation = make_organisation(members=[(org_admin, "admin")])
    (email,) = write_mail(org_admin, organisation=organisation)
    Email.objects.filter(pk=email.pk).update(status="sending", attempts=1)  # killed here
    assert deliver_email.call(email.pk) == "sending"
    run_worker()
    assert mail.outbox == []
    # A coordinator who checked the mail server's log may send it again on purpose.
    assert resend_email(email=email)
    run_worker()
    assert len(mail.outbox) == 1
    assert deliver_email.call(email.pk) == "sent"
    assert len(mail.outbox) == 1


def test_a_person_deleted_before_their_email_goes_is_dropped(org_admin, editor):
    organisation = make_organisation(members=[(org_admin, "admin"), (editor, "editor")])
    write_mail(org_admin, organisation=organisation)
    write_mail(editor, organisation=organisation)
    org_admin.delete()
    editor.is_active = False
    editor.save()
    run_worker()
    assert mail.outbox == []
    assert list(Email.objects.values_list("status", flat=True)) == ["dropped"]
    assert not Email.objects.filter(address=org_admin.email).exists()  # nothing personal left


def test_a_muted_category_writes_nothing(org_admin):
    organisation = make_organisation(members=[(org_admin, "admin")])
    Preferences.objects.create(user=org_admin, muted_categories=["organisation"])
    assert write_mail(org_admin, organisation=organisation) == []
    assert write_mail(org_admin, organisation=organisation, category=Category.GROUPS)


def test_the_real_smtp_backend_against_a_closed_port_retries(settings, org_admin):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    organisation = make_organisation(members=[(org_admin, "admin")])
    (email,) = write_mail(org_admin, organisation=organisation)
    run_worker()
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("pending", 1)
    assert "ConnectionRefusedError" in email.last_error
    assert email.next_attempt_at > timezone.now()


def test_a_stuck_queue_is_reported(org_admin):
    organisation = make_organisation(members=[(org_admin, "admin")])
    write_mail(org_admin, organisation=organisation)
    assert queue_is_healthy() == (True, "ok")
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        healthy, detail = queue_is_healthy()
    assert not healthy and "stuck" in detail
    run_worker()
    assert queue_is_healthy() == (True, "ok")


def test_a_retry_waiting_for_later_is_not_stuck(org_admin):
    organisation = make_organisation(members=[(org_admin, "admin")])
    Outage.until = timezone.now() + timedelta(hours=1)
    write_mail(org_admin, organisation=organisation)
    run_worker()
    assert queue_is_healthy() == (True, "ok")


def test_the_message_carries_text_html_headers_and_no_remote_images(org_admin):
    organisation = make_organisation(members=[(org_admin, "admin")])
    Preferences.objects.create(user=org_admin, display_name="Rana", email_language="ar")
    write_mail(org_admin, organisation=organisation)
    run_worker()
    (message,) = mail.outbox
    parsed = message_from_bytes(message.message().as_bytes())
    unsubscribe = "".join(parsed["List-Unsubscribe"].split())  # unfolded
    assert unsubscribe.startswith("<http://") and "/ar/unsubscribe/" in unsubscribe
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert parsed["Message-ID"] == f"<{Email.objects.get().key}@127.0.0.1>"
    assert parsed.get_content_type() == "multipart/alternative"
    text, html = (part.get_payload(decode=True).decode() for part in parsed.get_payload())
    assert "Rana" in text and "المنصة التعليمية السورية" in text
    assert 'lang="ar" dir="rtl"' in html and "Rana" in html
    assert "<img" not in html and "src=" not in html
    assert organisation.name_ar in html
    assert Organisation.objects.filter(pk=organisation.pk).exists()


def test_every_flow_arrives_once_after_ten_minutes_down(org_admin, coordinator):
    """People act while the mail server is down: applications, decisions, join requests,
    statements, meetings, messages from the public. Every action succeeds; once the server is
    back, every e-mail arrives exactly once."""
    from advocacy import services as advocacy_services
    from advocacy.models import ContactMessage, PriorityStatement
    from tests.conftest import make_group
    from working_groups import services as group_services
    from working_groups.models import Meeting

    start = timezone.now()
    Outage.until = start + timedelta(minutes=10)
    with time_machine.travel(start, tick=False) as clock:
        lead = make_user()
        lead_org = make_organisation(members=[(lead, "admin")])
        member_org = make_organisation(members=[(org_admin, "admin")])
        group = make_group(leads=[lead_org])
        member_services.approve_organisation(
            organisation=make_organisation(status="pending", members=[(org_admin, "editor")]),
            by=coordinator,
        )
        membership = group_services.request_membership(
            group=group, organisation=member_org, by=org_admin
        )
        group_services.decide_membership(membership=membership, by=lead, accept=True)
        statement = advocacy_services.save_draft(
            statement=PriorityStatement(
                author_organisation=member_org, title_en="Schools first", body_en="Text."
            ),
            by=org_admin,
        )
        advocacy_services.submit_statement(statement=statement, by=org_admin)
        advocacy_services.publish_statement(statement=statement, by=coordinator)
        group_services.save_meeting(
            meeting=Meeting(group=group, title="Kick-off", starts_at=start + timedelta(days=3)),
            by=lead,
        )
        advocacy_services.receive_contact_message(
            message=ContactMessage(
                name="Donor", email="donor@example.org", topic="other", message="Hi", language="en"
            )
        )
        written = Email.objects.count()
        assert written >= 8
        run_worker()
        assert mail.outbox == []
        for minutes in (1, 3, 6, 9, 12, 20, 25, 40, 60):
            clock.move_to(start + timedelta(minutes=minutes))
            run_worker()
        clock.move_to(start + timedelta(days=2))
        run_worker()
    assert len(mail.outbox) == written
    delivered = [(m.to[0], m.subject) for m in mail.outbox]
    assert len(set(delivered)) == len(delivered)  # nothing twice
    assert set(Email.objects.values_list("status", flat=True)) == {"sent"}
    assert {e.template for e in Email.objects.all()} >= {
        "members/email/status_changed",
        "working_groups/email/join_requested",
        "working_groups/email/join_decided",
        "advocacy/email/submitted",
        "advocacy/email/published",
        "working_groups/email/meeting",
        "advocacy/email/contact_message",
    }
