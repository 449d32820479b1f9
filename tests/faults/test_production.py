"""Each outage under the production stack: gunicorn (two workers, production settings) on
PostgreSQL, a redis-server of the test's own, moto's S3 server, and an SMTP port nobody
answers. Public pages, the directory and a search, a signed-in profile edit, a statement
endorsement and a join request (which sends e-mail) are exercised through Redis stopped and
restarted, PostgreSQL connections terminated and the object store stopped: no 500, nothing
lost, recovery without restarting the app. Runs where production's parts are (CI's
PostgreSQL + Redis pass), like tests/test_two_servers.py."""

import os
import secrets
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.db import connection

from advocacy.models import Endorsement
from members.models import JoinRequest, Organisation
from platform_site.models import Email
from tests.advocacy.test_statements import make_statement
from tests.conftest import make_organisation, make_user
from tests.faults.conftest import BUCKET, S3_VARIABLES, free_port
from tests.test_two_servers import Browser, production_user

ROOT = Path(__file__).resolve().parent.parent.parent
WORKERS = 2
pytestmark = pytest.mark.django_db(transaction=True)


class Forms(HTMLParser):
    """The forms of a page as a browser would submit them: [(action, [(name, value)])]."""

    def __init__(self, page):
        super().__init__()
        self.forms, self._select, self._textarea = [], None, None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append((attrs.get("action") or "", []))
        elif not self.forms:
            return
        fields = self.forms[-1][1] if self.forms else None
        if tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    fields.append((attrs["name"], attrs.get("value", "on")))
            elif kind not in {"file", "submit", "button"}:
                fields.append((attrs["name"], attrs.get("value", "")))
        elif tag == "select":
            self._select = [attrs.get("name"), "multiple" in attrs, None, []]
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select[2] is None:
                self._select[2] = value
            if "selected" in attrs:
                self._select[3].append(value)
        elif tag == "textarea":
            self._textarea = [attrs.get("name"), ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if not self.forms:
            return
        fields = self.forms[-1][1]
        if tag == "select" and self._select is not None:
            name, multiple, first, chosen = self._select
            if not chosen and not multiple and first is not None:
                chosen = [first]
            fields.extend((name, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            fields.append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None

    def find(self, action_end=""):
        """The form posting to an address ending so; with "", the one posting to its page."""
        return next(
            (a, fields)
            for a, fields in self.forms
            if (a.endswith(action_end) if action_end else not a)
        )


class Visitor(Browser):
    """Counts every answer; the test fails on any 500."""

    def __init__(self, app):
        super().__init__()
        self.app, self.statuses = app, []

    def get(self, path):
        status, _headers, page = self.request(self.app.port, "GET", quote(path, safe="/?=&"))
        self.statuses.append((status, "GET", path))
        return status, page

    def post(self, path, fields):
        status, _headers, page = self.request(
            self.app.port,
            "POST",
            quote(path, safe="/"),
            urlencode(fields),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        self.statuses.append((status, "POST", path))
        return status, page

    def submit(self, page_path, action_end="", **changes):
        """Open the page, fill in its form whose address ends so, send it."""
        status, page = self.get(page_path)
        assert status == 200, (page_path, status)
        action, fields = Forms(page).find(action_end)
        fields = [(name, value) for name, value in fields if name not in changes]
        return self.post(action or page_path, [*fields, *changes.items()])


class App:
    """gunicorn with production settings on the test database and the test's own services."""

    def __init__(self, env, log):
        self.port = free_port()
        self.log = log
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "-c",
                "deploy/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(WORKERS),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log.open("w"),
        )
        for _ in range(120):
            try:
                if Browser().request(self.port, "GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.25)
        raise RuntimeError(f"gunicorn did not start:\n{log.read_text()}")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)

    def log_lines(self, words):
        return [line for line in self.log.read_text().splitlines() if words in line]


@pytest.fixture
def app(transactional_db, redis_server, s3_server, tmp_path):
    if connection.vendor != "postgresql" or not settings.CACHES["default"]["BACKEND"].endswith(
        "RedisCache"
    ):
        pytest.skip("needs PostgreSQL and Redis, as in production")
    import boto3

    boto3.client(
        "s3",
        endpoint_url=s3_server.endpoint,
        aws_access_key_id=S3_VARIABLES["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_VARIABLES["AWS_SECRET_ACCESS_KEY"],
        region_name="us-east-1",
    ).create_bucket(Bucket=BUCKET)
    db = connection.settings_dict
    env = {
        **os.environ,
        **S3_VARIABLES,
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": redis_server.url,
        "MEDIA_STORAGE": "s3",
        "AWS_S3_ENDPOINT_URL": s3_server.endpoint,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(free_port()),  # nobody answers: every e-mail fails
        "EMAIL_USE_TLS": "false",
        "STATIC_ROOT": str(ROOT / "var" / "two-servers-static"),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    app = App(env, tmp_path / "gunicorn.log")
    yield app
    app.stop()


def terminate_database_connections() -> int:
    """End every other connection to this test database (the app's), never any other."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_the_site_survives_each_outage(app, redis_server, s3_server):
    editor = production_user("editor@faults.example.org")
    organisation = make_organisation(
        name_en="Resilient School Society", members=[(editor, "admin")]
    )
    endorser = production_user("endorser@faults.example.org")
    endorsing = make_organisation(name_en="Endorsing Org", members=[(endorser, "admin")])
    # Publishes the statements (the service does not ask who; the Coordinators group is gone
    # after an earlier transactional test flushed the database).
    coordinator = make_user("secretariat@faults.example.org")
    newcomer = production_user("newcomer@faults.example.org")
    phases = ["normal", "redis stopped", "redis back", "database cut", "storage stopped"]
    statements = {
        phase: make_statement(
            organisation, by=editor, publish_by=coordinator, title_en=f"Priority {n}"
        )
        for n, phase in enumerate(phases)
    }
    joined = {  # each has an administrator, who is e-mailed about the request
        phase: make_organisation(name_en=f"Joinable {phase}", members=[(make_user(), "admin")])
        for phase in phases
    }

    anonymous, editing, endorsing_visitor, joining = (Visitor(app) for _ in range(4))
    for visitor, user in [(editing, editor), (endorsing_visitor, endorser), (joining, newcomer)]:
        status, _headers, _page = visitor.log_in(app.port, user.email, "a-long-test-password-1")
        assert status == 302, user.email

    def exercise(phase):
        for path in [
            "/ar/",
            "/en/",
            "/ar/organisations/",
            "/en/organisations/?q=resilient",
            "/ar/organisations/?q=مدرسة",
            organisation.get_absolute_url(),
            "/en/priorities/",
            statements[phase].get_absolute_url(),
            "/ar/coverage/",
        ]:
            status, page = anonymous.get(path)
            assert status == 200, (phase, path)
        assert "Resilient School Society" in anonymous.get("/en/organisations/?q=resilient")[1]
        status, page = editing.submit(
            f"/en/organisations/{organisation.slug}/edit/", description_en=f"Edited: {phase}"
        )
        assert status == 302, (phase, status, page[:3000])
        statement = statements[phase]
        status, page = endorsing_visitor.submit(
            statement.get_absolute_url(), f"/{statement.slug}/endorse/", confirm="on"
        )
        assert status == 302, phase
        target = joined[phase]
        status, page = joining.submit(
            target.get_absolute_url(), f"/{target.slug}/join/", message=f"Joining: {phase}"
        )
        assert status == 302, phase
        assert Organisation.objects.get(pk=organisation.pk).description_en == f"Edited: {phase}"
        assert Endorsement.objects.filter(statement=statement, organisation=endorsing).exists()
        assert JoinRequest.objects.filter(user=newcomer, organisation=target).exists()

    exercise("normal")
    assert anonymous.get("/readyz") == (
        200,
        '{"status": "ok", "database": "ok", "cache": "ok", "object_storage": "ok", '
        '"task_queue": "ok"}',
    )

    redis_server.stop()
    exercise("redis stopped")
    status, page = anonymous.get("/readyz")
    assert status == 200 and '"cache": "unavailable"' in page and '"status": "degraded"' in page
    assert 1 <= len(app.log_lines("unavailable (ConnectionError")) <= WORKERS  # not per request

    redis_server.start()
    for _ in range(WORKERS * 4):  # each worker's /readyz asks Redis at once
        anonymous.get("/readyz")
    time.sleep(5.5)  # RETRY_AFTER: workers that did not answer /readyz try again by now
    exercise("redis back")
    assert '"cache": "ok"' in anonymous.get("/readyz")[1]
    assert int(redis_server.command("DBSIZE")[1:]) > 0  # caching again, no restart
    assert 1 <= len(app.log_lines("available again")) <= WORKERS

    assert terminate_database_connections() >= 1
    exercise("database cut")

    s3_server.stop()
    exercise("storage stopped")
    status, page = anonymous.get("/readyz")
    assert status == 200 and '"object_storage": "unavailable"' in page
    s3_server.start()
    assert '"object_storage": "ok"' in anonymous.get("/readyz")[1]

    # The join e-mails wait in the outbox (no worker runs here; the SMTP port answers nobody).
    assert Email.objects.filter(template="members/email/join_requested").count() == len(phases)
    assert not [line for line in app.log_lines("@") if "faults.example.org" in line]
    every = [s for v in (anonymous, editing, endorsing_visitor, joining) for s in v.statuses]
    assert [s for s in every if s[0] >= 500 and s[2] != "/readyz"] == []
    assert len(every) > 80
