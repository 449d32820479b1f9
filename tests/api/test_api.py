"""The open data API: every endpoint for every reader shows exactly what `visible_to` allows."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from advocacy.models import PriorityStatement
from api.models import ApiToken
from knowledge_bank.models import Programme, Resource
from members.models import Organisation
from platform_site.audience import Audience
from tests.conftest import make_user
from tests.security.conftest import world  # noqa: F401 -- the shared test world

pytestmark = pytest.mark.django_db

READERS = ["anonymous", "outsider", "editor", "coordinator"]


@pytest.fixture
def private_programme(world):  # noqa: F811
    programme = Programme.objects.create(
        organisation=world.organisation,
        title_en="Members-only programme",
        start_date="2026-01-01",
        visibility="members",
    )
    return programme


def reader(request, name):
    """(user or None, headers): coordinators and everyone else read with a personal token."""
    if name == "anonymous":
        return None, {}
    user = request.getfixturevalue(name)
    _token, key = ApiToken.issue(user=user, name="test")
    return user, {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def read_all(client, url, headers):
    """Every item of a list, following the cursors."""
    items = []
    while url:
        response = client.get(url, **headers)
        assert response.status_code == 200, (url, response.content[:300])
        body = response.json()
        items += body["results"]
        url = body["next"]
    return items


LISTS = {
    "api:organisation-list": (
        lambda a: Organisation.objects.visible_to(a).values_list("slug", flat=True)
    ),
    "api:programme-list": lambda a: Programme.objects.visible_to(a).values_list("pk", flat=True),
    "api:resource-list": lambda a: Resource.objects.visible_to(a).values_list("slug", flat=True),
    "api:statement-list": lambda a: PriorityStatement.objects.published().values_list(
        "slug", flat=True
    ),
}


@pytest.mark.parametrize("name", READERS)
@pytest.mark.parametrize("url_name", sorted(LISTS))
def test_every_list_shows_exactly_what_the_reader_may_see(
    client,
    request,
    world,  # noqa: F811
    private_programme,
    name,
    url_name,
):
    user, headers = reader(request, name)
    items = read_all(client, reverse(url_name) + "?page_size=2", headers)
    # A coordinator's token reads as the person would without a verified session.
    audience = Audience.of(user)
    assert not audience.is_coordinator
    expected = set(LISTS[url_name](audience))
    assert {item["id"] for item in items} == expected
    assert len(items) == len(expected)  # no row twice across pages


def test_the_table_of_who_sees_what(client, request, world, private_programme):  # noqa: F811
    """The named cases, spelled out."""
    seen = {}
    for name in READERS:
        _user, headers = reader(request, name)
        organisations = {
            o["id"] for o in read_all(client, reverse("api:organisation-list"), headers)
        }
        programmes = {p["id"] for p in read_all(client, reverse("api:programme-list"), headers)}
        seen[name] = (organisations, programmes)
    hidden, pending = world.hidden.slug, world.pending.slug
    for name in ("anonymous", "outsider"):
        assert hidden not in seen[name][0] and pending not in seen[name][0]
        assert private_programme.pk not in seen[name][1]
        assert world.organisation.slug in seen[name][0]
    assert hidden in seen["editor"][0] and pending not in seen["editor"][0]
    assert private_programme.pk in seen["editor"][1]
    # The coordinator's token: a signed-in person without organisation, never a coordinator.
    assert seen["coordinator"] == seen["outsider"]


@pytest.mark.parametrize("name", READERS)
def test_details_of_hidden_objects_answer_404(client, request, world, private_programme, name):  # noqa: F811
    _user, headers = reader(request, name)
    hidden = client.get(reverse("api:organisation-detail", args=[world.hidden.slug]), **headers)
    pending = client.get(reverse("api:organisation-detail", args=[world.pending.slug]), **headers)
    missing = client.get(reverse("api:organisation-detail", args=["no-such-org"]), **headers)
    private = client.get(reverse("api:programme-detail", args=[private_programme.pk]), **headers)
    assert pending.status_code == 404 and missing.status_code == 404
    assert pending.json() == missing.json()  # hidden and missing look the same
    if name == "editor":
        assert hidden.status_code == 200 and private.status_code == 200
    else:
        assert hidden.status_code == 404 and private.status_code == 404
        assert hidden.json() == missing.json()


def test_the_pending_organisations_own_user_sees_it(client, world):  # noqa: F811
    applicant = world.pending.memberships.get().user
    _token, key = ApiToken.issue(user=applicant, name="mine")
    response = client.get(
        reverse("api:organisation-detail", args=[world.pending.slug]),
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "pending"


@pytest.mark.parametrize("name", READERS)
def test_no_personal_data_in_any_endpoint(client, request, world, name):  # noqa: F811
    """Focal points (even members-only and public ones), e-mails of users: never in the API."""
    _user, headers = reader(request, name)
    bodies = []
    for url_name in [*LISTS, "api:working-group-list"]:
        bodies.append(json.dumps(read_all(client, reverse(url_name), headers), ensure_ascii=False))
    bodies.append(client.get(reverse("api:coverage"), **headers).content.decode())
    text = "\n".join(bodies)
    for contact in world.organisation.contacts.all():
        assert contact.name not in text and contact.email not in text
    assert "REG-SECRET-1" not in text  # the members-only registration number
    assert "@org.example.org" not in text and "secretariat.example.org" not in text


def test_statements_name_only_endorsers_the_reader_may_see(client, request, world):  # noqa: F811
    url = reverse("api:statement-detail", args=[world.statement.slug])
    public = client.get(url).json()
    endorsers = {o["id"] for o in public["endorsing_organisations"]}
    assert world.other.slug in endorsers and world.hidden.slug not in endorsers
    assert public["title_en"] == "Public statement"
    _user, headers = reader(request, "editor")
    member = client.get(url, **headers).json()
    assert world.hidden.slug in {o["id"] for o in member["endorsing_organisations"]}
    drafts = client.get(reverse("api:statement-detail", args=[world.draft.slug]), **headers)
    assert drafts.status_code == 404


def test_working_groups_name_only_visible_leads(client, world):  # noqa: F811
    world.group.lead_organisations.add(world.hidden)
    body = client.get(reverse("api:working-group-detail", args=[world.group.slug])).json()
    leads = {o["id"] for o in body["lead_organisations"]}
    assert world.hidden.slug not in leads and leads


def test_anonymous_reads_the_directory_as_the_page_shows_it(client, world):  # noqa: F811
    page = client.get("/en/organisations/?governorate=SY02")
    on_page = {o.slug for o in page.context["organisations"]}
    api = read_all(client, reverse("api:organisation-list") + "?governorate=SY02", {})
    assert {o["id"] for o in api} == on_page and on_page


def test_filters_of_the_pages_apply(client, world):  # noqa: F811
    programmes = read_all(client, reverse("api:programme-list") + "?governorate=SY07", {})
    assert {p["id"] for p in programmes} == {world.programme.pk}
    assert programmes[0]["service_areas"] == ["SY07"]
    assert programmes[0]["organization_id"] == world.organisation.slug
    none = read_all(client, reverse("api:programme-list") + "?subsector=pss", {})
    assert none == []


@pytest.mark.parametrize(
    "query",
    [
        "governorate=SY99",
        "subsector=nothing",
        "org_type=spaceship",
        "sort=sideways",
        "country=ZZ",
    ],
)
def test_bad_filters_answer_400_with_json(client, world, query):  # noqa: F811
    response = client.get(reverse("api:organisation-list") + "?" + query)
    assert response.status_code == 400
    body = response.json()
    assert body and isinstance(body, dict)


def test_bad_filter_messages_follow_the_language(client, world):  # noqa: F811
    response = client.get(
        reverse("api:programme-list") + "?status=never", HTTP_ACCEPT_LANGUAGE="ar"
    )
    assert response.status_code == 400
    assert "status" in response.json()
    assert any("\u0600" <= ch <= "\u06ff" for ch in response.json()["status"][0])


def test_unknown_and_revoked_tokens_answer_401(client, world, editor):  # noqa: F811
    url = reverse("api:organisation-list")
    assert client.get(url, HTTP_AUTHORIZATION="Bearer sep_nonsense").status_code == 401
    assert client.get(url, HTTP_AUTHORIZATION="Bearer").status_code == 401
    assert client.get(url, HTTP_AUTHORIZATION="Basic abc").status_code == 401
    token, key = ApiToken.issue(user=editor, name="t")
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    token.revoke()
    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_browser_session_does_not_widen_the_api(client, world, editor):  # noqa: F811
    client.force_login(editor)
    slugs = {o["id"] for o in read_all(client, reverse("api:organisation-list"), {})}
    assert world.hidden.slug not in slugs


def test_only_reads_are_allowed(client, world):  # noqa: F811
    url = reverse("api:organisation-list")
    assert client.post(url, {"name": "x"}).status_code == 405
    assert (
        client.delete(
            reverse("api:organisation-detail", args=[world.organisation.slug])
        ).status_code
        == 405
    )


def test_etag_and_last_modified_give_304(client, world):  # noqa: F811
    url = reverse("api:organisation-detail", args=[world.organisation.slug])
    first = client.get(url)
    assert first["Cache-Control"] == "public, max-age=60"
    assert "Authorization" in first["Vary"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    world.organisation.acronym = "NEW"
    world.organisation.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed.json()["alternate_name"] == "NEW"


def test_token_answers_are_private(client, world, editor):  # noqa: F811
    _token, key = ApiToken.issue(user=editor, name="t")
    response = client.get(reverse("api:organisation-list"), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response["Cache-Control"].startswith("private")


def test_cors_allows_reading_from_any_site(client, world):  # noqa: F811
    response = client.get(reverse("api:organisation-list"), HTTP_ORIGIN="https://example.com")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    preflight = client.options(reverse("api:organisation-list"), HTTP_ORIGIN="https://x.org")
    assert preflight["Access-Control-Allow-Origin"] == "*"
    page = client.get("/en/organisations/", HTTP_ORIGIN="https://example.com")
    assert not page.has_header("Access-Control-Allow-Origin")


def test_rate_limits_per_address_and_per_token(client, world, settings, editor):  # noqa: F811
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    rates = {"token": "3/min", "address": "2/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    api_settings.reload()
    SimpleRateThrottle.THROTTLE_RATES = rates
    try:
        url = reverse("api:working-group-list")
        assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
        _token, key = ApiToken.issue(user=editor, name="t")
        statuses = [
            client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}").status_code for _ in range(4)
        ]
        assert statuses == [200, 200, 200, 429]
        other = client.get(url, REMOTE_ADDR="10.0.0.9")
        assert other.status_code == 200
    finally:
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"token": "600/hour", "address": "300/hour"},
        }
        api_settings.reload()
        SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES


def test_coverage_counts_what_the_page_counts(client, world):  # noqa: F811
    body = client.get(reverse("api:coverage")).json()
    cells = {(c["governorate"], c["subsector"]): c["organisations"] for c in body["cells"]}
    assert cells == {("SY07", "nfe"): 1}
    assert client.get(reverse("api:coverage") + "?governorate=XX").status_code == 400


def test_cursor_pages_are_stable(client, world):  # noqa: F811
    first = client.get(reverse("api:organisation-list") + "?page_size=1").json()
    assert len(first["results"]) == 1 and first["next"]
    assert client.get(reverse("api:organisation-list") + "?cursor=junk").status_code == 404


def test_schema_validates(tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )
    text = (tmp_path / "schema.yaml").read_text()
    assert "#adm1+code" in text and "/api/v1/organisations/" in text


def test_docs_are_served_without_a_cdn(client):
    page = client.get(reverse("api:docs"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "cdn" not in html.lower() and "/static/drf_spectacular_sidecar/" in html
    schema = client.get(reverse("api:schema"))
    assert schema.status_code == 200


def test_api_root_lists_the_endpoints(client):
    body = client.get("/api/v1/").json()
    assert {"organisations", "programmes", "working-groups", "statements", "resources"} <= set(body)


def test_token_owner_must_be_active(client, world):  # noqa: F811
    user = make_user()
    _token, key = ApiToken.issue(user=user, name="t")
    user.is_active = False
    user.save()
    url = reverse("api:organisation-list")
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
