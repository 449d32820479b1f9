import itertools
import re
from types import SimpleNamespace

import pytest
from django.contrib.messages.storage.base import Message

from members.models import Governorate
from tests.conftest import login_verified, make_organisation, make_user

pytestmark = pytest.mark.django_db
_visits = itertools.count()


def test_anonymous_pages_come_from_the_cache_until_the_data_changes(
    client, django_assert_num_queries
):
    organisation = make_organisation(name_en="Cached Org")
    assert "Cached Org" in client.get("/en/organisations/").content.decode()
    with django_assert_num_queries(0):
        assert "Cached Org" in client.get("/en/organisations/").content.decode()
    organisation.name_en = "Renamed Org"
    organisation.save()
    page = client.get("/en/organisations/").content.decode()
    assert "Renamed Org" in page and "Cached Org" not in page


def test_many_to_many_changes_invalidate_too(client):
    from members.models import Governorate

    organisation = make_organisation(name_en="Somewhere")
    assert "Somewhere" not in client.get("/en/organisations/?governorate=SY13").content.decode()
    organisation.governorates.add(Governorate.objects.get(pcode="SY13"))
    assert "Somewhere" in client.get("/en/organisations/?governorate=SY13").content.decode()


def test_signed_in_members_get_their_audience_copy_until_the_data_changes(
    client, editor, organisation, django_assert_max_num_queries
):
    client.force_login(editor)
    first = client.get("/en/organisations/").content.decode()
    assert "Log out" in first and "First School Society" in first
    # The session (with its user) and the audience's memberships and groups: nothing of the
    # page itself.
    with django_assert_max_num_queries(4):
        assert client.get("/en/organisations/").content.decode() == first
    organisation.name_en = "Renamed Society"
    organisation.save()
    assert "Renamed Society" in client.get("/en/organisations/").content.decode()


def test_a_copy_is_shared_only_within_one_audience(client, editor, other_org_editor, organisation):
    # The editor's own organisation, still pending: only its people may see it.
    pending = make_organisation(
        name_en="Pending Own Org", status="pending", members=[(editor, "editor")]
    )
    client.force_login(editor)
    assert pending.name_en in client.get("/en/organisations/").content.decode()
    client.force_login(other_org_editor)
    assert pending.name_en not in client.get("/en/organisations/").content.decode()
    client.logout()
    assert pending.name_en not in client.get("/en/organisations/").content.decode()


def test_pages_about_the_person_are_never_shared(client, organisation, outsider):
    other = make_user()
    client.force_login(outsider)
    profile = f"/en/organisations/{organisation.slug}/"
    client.post(f"{profile}join/", {"message": "Please"})
    waiting = "Your request to join is waiting"
    client.get(profile)  # shows (and uses up) the message that the request was sent
    assert waiting in client.get(profile).content.decode()  # kept, for this person
    client.force_login(other)  # the same audience (signed in, no organisation), another person
    assert waiting not in client.get(profile).content.decode()


def test_each_reader_of_a_cached_page_gets_their_own_csrf_token(organisation, other_org_editor):
    from django.test import Client

    from advocacy.models import Endorsement
    from tests.advocacy.test_statements import make_statement

    coordinator = make_user(coordinator=True)
    author = make_organisation(members=[(make_user(), "admin")])
    statement = make_statement(author, publish_by=coordinator)
    colleague = make_user()
    own = other_org_editor.organisation_memberships.get().organisation
    own.memberships.create(user=colleague, role="admin")
    address = f"/en/priorities/{statement.slug}/"
    tokens = []
    for person in (other_org_editor, colleague):  # one audience: one copy of the page
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(person)
        page = browser.get(address).content.decode()
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1))
    assert tokens[0] != tokens[1]
    answer = browser.post(
        f"{address}endorse/",
        {"csrfmiddlewaretoken": tokens[1], "organisation": own.pk, "confirm": "on"},
    )
    assert answer.status_code == 302
    assert Endorsement.objects.filter(statement=statement, organisation=own).exists()


def test_waiting_messages_are_shown_and_never_cached(client, editor, organisation):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.session import SessionStorage

    client.force_login(editor)
    client.get("/en/organisations/")  # the audience's copy, without messages
    session = client.session
    session[SessionStorage.session_key] = SessionStorage(
        SimpleNamespace(session={})
    ).serialize_messages([Message(constants.SUCCESS, "Saved for you alone")])
    session.save()
    assert "Saved for you alone" in client.get("/en/organisations/").content.decode()
    assert "Saved for you alone" not in client.get("/en/organisations/").content.decode()


def test_pages_with_cookies_are_not_cached(client):
    client.get("/en/contact/")  # sets the CSRF cookie
    second = client.get("/en/contact/")
    assert second.status_code == 200 and "csrfmiddlewaretoken" in second.content.decode()


def _coverage_cell(client, pcode="SY01", subsector="ece"):
    # A new address each time, so that the whole-page cache for anonymous visitors is missed
    # and the shared coverage result is what is under test.
    rows = client.get(f"/en/coverage/?visit={next(_visits)}").context["rows"]
    cells = {g.pcode: {c["subsector"].code: c["count"] for c in row} for g, row in rows}
    return cells[pcode][subsector]


def test_shared_results_depend_on_who_reads_and_follow_changes(client, editor, organisation):
    from tests.knowledge_bank.test_knowledge_bank import make_programme

    def programmes(*organisations, visibility="public"):
        for owner in organisations:
            make_programme(
                owner, governorates=("SY01",), subsectors=("ece",), visibility=visibility
            )

    programmes(organisation, make_organisation(), make_organisation(), visibility="members")
    assert _coverage_cell(client) == 0  # members only: a gap for the public
    client.force_login(editor)
    assert _coverage_cell(client) == 3
    client.logout()
    assert _coverage_cell(client) == 0  # the member's result is not served to the public
    others = [make_organisation() for _ in range(3)]
    programmes(*others)
    assert _coverage_cell(client) == 3
    client.force_login(editor)
    assert _coverage_cell(client) == 6
    others[0].status = "suspended"  # a change in the other app the result depends on
    others[0].save()
    assert _coverage_cell(client) == 5
    client.logout()
    assert _coverage_cell(client) is None  # two organisations: "fewer than 3"


def test_a_shared_result_is_computed_once_per_change_of_its_apps(organisation):
    from platform_site.cache import cached_result
    from working_groups.models import WorkingGroup

    computed = []

    def compute():
        computed.append(1)
        return len(computed)

    def result(parts=("a",)):
        return cached_result("test", apps=("members",), parts=parts, compute=compute)

    assert (result(), result()) == (1, 1)
    assert result(parts=("b",)) == 2  # other filters or readers: computed apart
    WorkingGroup.objects.create(name_en="Unrelated", slug="unrelated")
    assert result() == 1  # a change elsewhere keeps it
    organisation.save()
    assert result() == 3


def test_audience_cache_keys(editor, organisation, outsider, coordinator, group, lead):
    from django.contrib.auth.models import AnonymousUser

    from platform_site.audience import Audience

    def key(user):
        return Audience.of(user).cache_key

    assert key(AnonymousUser()) == key(outsider) == "public"
    # Without a session verified by a second factor, a coordinator is a signed-in person.
    assert key(coordinator) == "public"
    # Members whose own organisations are active see the same organisations, programmes and
    # resources: one key for all of them.
    assert key(editor) == key(lead) == "member"
    pending = make_organisation(status="pending", members=[(outsider, "admin")])
    assert key(outsider) == f"signed_in:o{pending.pk}"
    suspended = make_organisation(status="suspended", members=[(editor, "editor")])
    assert key(editor) == f"member:o{suspended.pk}"


def test_members_sharing_the_member_key_see_the_same_organisations_programmes_and_resources(
    editor, organisation
):
    """What `cache_key` promises: a member's own active organisation adds nothing to what
    every member sees, its members-only programmes and resources included."""
    from knowledge_bank.models import Programme, Resource
    from members.models import Organisation
    from platform_site.audience import MEMBER, Audience
    from tests.knowledge_bank.test_knowledge_bank import make_programme

    make_programme(organisation, visibility="members")
    Resource.objects.create(
        title_en="Own members-only guide",
        slug="own-guide",
        kind="guide",
        language="en",
        publisher=organisation,
        visibility="members",
        url="https://example.org/guide",
    )
    make_organisation(status="pending")
    make_organisation(low_profile=True)
    own, anyone = Audience.of(editor), Audience(kind=MEMBER)
    assert own.cache_key == anyone.cache_key == "member"
    for model in (Organisation, Programme, Resource):
        assert set(model.objects.visible_to(own)) == set(model.objects.visible_to(anyone))
        assert model.objects.visible_to(own).exists()


def test_a_verified_coordinator_session_has_the_coordinator_key(client, coordinator):
    from platform_site.audience import audience_for_request

    login_verified(client, coordinator)
    response = client.get("/en/")
    assert audience_for_request(response.wsgi_request).cache_key == "coordinator"
    client.logout()
    client.force_login(coordinator)  # a password-only session
    response = client.get("/en/")
    assert audience_for_request(response.wsgi_request).kind == "signed_in"


def test_filter_keys_hold_only_valid_filters():
    from knowledge_bank.filters import ProgrammeFilter
    from knowledge_bank.models import Programme
    from platform_site.cache import filter_key

    def key(data):
        return filter_key(ProgrammeFilter(data, queryset=Programme.objects.all()))

    assert key({"status": "ongoing", "governorate": "SY07", "year": ""}) == (
        ("governorate", str(Governorate.objects.get(pcode="SY07").pk)),
        ("status", "ongoing"),
    )
    assert key({"status": "nonsense", "governorate": "XX"}) == ()
    assert key({}) == ()


def test_content_generations_last_until_content_changes_not_minutes(clock_cache):
    """A generation read for the first time is kept without a timeout (not the cache's default
    five minutes), and a bump keeps it so: otherwise every shared page and result of an app
    nobody changes would be thrown away every few minutes."""
    from datetime import timedelta

    import time_machine
    from django.core.cache import cache
    from django.utils import timezone

    from platform_site.cache import bump_content_generation, content_generations

    cache.clear()
    first = content_generations(["advocacy"])
    with time_machine.travel(timezone.now() + timedelta(minutes=30)):
        assert content_generations(["advocacy"]) == first
        bump_content_generation("advocacy")
        bumped = content_generations(["advocacy"])
        assert bumped != first
    with time_machine.travel(timezone.now() + timedelta(hours=5)):
        assert content_generations(["advocacy"]) == bumped


def test_a_change_renews_the_generation_again_when_its_transaction_commits(
    django_capture_on_commit_callbacks,
):
    """Another process may read between a change and its commit, from the old state, and keep
    what it read under the new generation; the renewal at the commit retires that copy."""
    from django.db import transaction

    from platform_site.cache import content_generations

    before = content_generations(["members"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            aleppo = Governorate.objects.get(pcode="SY02")
            aleppo.name_en = "Aleppo (renamed)"
            aleppo.save()
            aleppo.save()  # one renewal per app and transaction
            meanwhile = content_generations(["members"])  # what another process would read
            assert meanwhile != before
    assert len(callbacks) == 1
    assert content_generations(["members"]) != meanwhile


def test_a_rolled_back_change_leaves_no_renewal_behind(django_capture_on_commit_callbacks):
    from django.db import transaction

    from platform_site.cache import content_generations

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                Governorate.objects.filter(pcode="SY02").get().save()
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            Governorate.objects.get(pcode="SY02").save()
            meanwhile = content_generations(["members"])
    assert len(callbacks) == 1 and content_generations(["members"]) != meanwhile
