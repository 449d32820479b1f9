"""Named people and small `make_…` helpers shared by every test."""

import itertools
import time
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import timezone

from members.models import (
    COORDINATORS_GROUP,
    Contact,
    Governorate,
    Organisation,
    OrganisationMember,
    Subsector,
)
from working_groups.models import GroupMembership, Meeting, WorkingGroup

PASSWORD = "a-long-test-password-1"
_counter = itertools.count(1)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests that flush the database (browser tests, live servers) run after all the others.

    pytest-django sorts them last, but pytest's own reordering by parametrized fixtures may then
    move plain database tests behind them, where the flush has taken away the data migrations
    ship (the Coordinators group, the vocabularies). The sort is stable: nothing else moves.
    """

    def flushes(item) -> bool:
        marker = item.get_closest_marker("django_db")
        transaction = bool(marker and marker.kwargs.get("transaction"))
        fixtures = getattr(item, "fixturenames", ())
        return transaction or "transactional_db" in fixtures or "live_server" in fixtures

    items.sort(key=flushes)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test gets an empty cache (rate limits) and its own media folder."""
    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    cache.clear()


def replay_data_migrations():
    """Replay the data our migrations ship (vocabularies, the Coordinators group and its
    permissions, …): a transactional test flushes the database when it ends. Every such step
    is idempotent; the PostgreSQL search indexes are schema, not data, and stay."""
    from django.apps import apps
    from django.conf import settings
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    ours = {
        config.label
        for config in apps.get_app_configs()
        if str(config.path).startswith(str(settings.BASE_DIR))
        and "site-packages" not in str(config.path)
    }
    loader = MigrationLoader(connection)
    for (app_label, _name), migration in sorted(loader.disk_migrations.items()):
        if app_label not in ours:
            continue
        for operation in migration.operations:
            if isinstance(operation, RunPython) and "index" not in operation.code.__qualname__:
                operation.code(apps, None)


@pytest.fixture(autouse=True)
def _reference_data(request):
    """After a transactional test (browser, fault and concurrency tests) flushed the database,
    the next test that uses it finds the reference data again."""
    if request.node.get_closest_marker("django_db") is None and not (
        {"db", "transactional_db"} & set(request.fixturenames)
    ):
        return
    request.getfixturevalue("django_db_setup")
    with request.getfixturevalue("django_db_blocker").unblock():
        if not Group.objects.filter(name=COORDINATORS_GROUP).exists():
            replay_data_migrations()


def make_user(email=None, *, staff=False, coordinator=False, verified=True):
    n = next(_counter)
    email = email or f"user{n}@example.org"
    user = get_user_model().objects.create_user(
        username=f"user{n}", email=email, password=PASSWORD, is_staff=staff or coordinator
    )
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    if coordinator:
        user.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    return user


def make_organisation(*, name_ar=None, name_en=None, status="active", members=(), **fields):
    n = next(_counter)
    organisation = Organisation.objects.create(
        name_ar=name_ar if name_ar is not None else f"منظمة الاختبار {n}",
        name_en=name_en if name_en is not None else f"Test Organisation {n}",
        org_type=fields.pop("org_type", Organisation.Type.LOCAL_NGO),
        status=status,
        **fields,
    )
    for user, role in members:
        OrganisationMember.objects.create(user=user, organisation=organisation, role=role)
    return organisation


def make_contact(organisation, *, visibility="members", **fields):
    n = next(_counter)
    return Contact.objects.create(
        organisation=organisation,
        name=fields.pop("name", f"Contact Person {n}"),
        email=fields.pop("email", f"person{n}@contacts.example.org"),
        phone=fields.pop("phone", f"+963 933 {n:06d}"),
        visibility=visibility,
        public_consent_at=timezone.now() if visibility == "public" else None,
        **fields,
    )


@pytest.fixture
def org_admin(db):
    return make_user("admin@org.example.org")


@pytest.fixture
def editor(db):
    return make_user("editor@org.example.org")


@pytest.fixture
def organisation(org_admin, editor):
    organisation = make_organisation(
        name_ar="جمعية المدرسة الأولى",
        name_en="First School Society",
        acronym="FSS",
        members=[(org_admin, "admin"), (editor, "editor")],
    )
    organisation.governorates.set(Governorate.objects.filter(pcode__in=["SY02", "SY07"]))
    organisation.subsectors.set(Subsector.objects.filter(code__in=["basic", "pss"]))
    return organisation


@pytest.fixture
def other_org_editor(db):
    user = make_user("other@elsewhere.example.org")
    make_organisation(name_en="Elsewhere", members=[(user, "admin")])
    return user


@pytest.fixture
def outsider(db):
    """Signed in, verified e-mail, no organisation."""
    return make_user("outsider@example.org")


@pytest.fixture
def coordinator(db):
    return make_user("coordinator@secretariat.example.org", coordinator=True)


@pytest.fixture
def clock_cache(settings):
    """A cache whose timeouts follow time_machine's clock, for tests that move it (Redis,
    which the PostgreSQL run uses, keeps real time)."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}
    }


def authenticator_code(secret):
    """The code an authenticator app shows now (RFC 6238: 30-second periods).

    allauth accepts only the current period's code, so a code read in a period's last seconds
    may be stale by the time the server checks it; then wait for the next period and read it.
    """
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    if time.time() % 30 > 25:
        time.sleep(30.2 - time.time() % 30)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def login_verified(client, user):
    """Log in as a person whose session passed the second factor, as allauth records it when
    an authenticator code is accepted: what coordinator powers need (platform_site.audience)."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.http import HttpRequest

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())  # a verified session needs an authenticator
    client.force_login(user)
    request = HttpRequest()
    request.session = client.session
    record_authentication(request, user, "mfa", type="totp")
    request.session.save()
    return client


@pytest.fixture
def client_for(client):
    """client_for(user) → a test client logged in as that user (None = anonymous); coordinators
    with a session verified by a second factor."""

    def login(user):
        client.logout()
        if user is not None:
            if user.is_staff:
                login_verified(client, user)
            else:
                client.force_login(user)
        return client

    return login


# --- working groups ------------------------------------------------------------


def make_group(*, status="open", leads=(), members=(), **fields):
    group = WorkingGroup.objects.create(
        name_ar=fields.pop("name_ar", "مجموعة الاختبار"),
        name_en=fields.pop("name_en", "Test Group"),
        mandate_en=fields.pop("mandate_en", "Coordinate testing."),
        status=status,
        **fields,
    )
    group.lead_organisations.set(leads)
    for organisation in members:
        GroupMembership.objects.create(group=group, organisation=organisation, status="active")
    return group


def make_meeting(group, *, visibility="members", days=7, **fields):
    return Meeting.objects.create(
        group=group,
        title=fields.pop("title", f"Meeting {visibility}"),
        starts_at=timezone.now() + timedelta(days=days),
        agenda=fields.pop("agenda", f"Agenda for {visibility}"),
        minutes=fields.pop("minutes", f"Minutes for {visibility}"),
        visibility=visibility,
        **fields,
    )


@pytest.fixture
def lead(db):
    """A user of the group's lead organisation."""
    return make_user("lead@lead-org.example.org")


@pytest.fixture
def lead_org(lead):
    return make_organisation(name_en="Lead Org", members=[(lead, "editor")])


@pytest.fixture
def group(lead_org):
    return make_group(leads=[lead_org])
