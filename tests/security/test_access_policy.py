"""Every model × every audience × every surface shows exactly what `visible_to` allows.

One world holds, for each model with visibility, objects on both sides of every rule: a public
organisation, a low-profile one, a pending one; contacts for everyone, for members and for the
organisation only; public and members-only programmes and resources; meetings for everyone, for
the network and for the group; endorsements by a visible and a low-profile organisation. Each
object carries a unique marker in its visible name. For each audience, each surface is read
through HTTP and the markers it shows are compared with the markers of
`Model.objects.visible_to(audience)` — the one policy (platform_site/audience.py).
"""

import io
import itertools
from types import SimpleNamespace

import openpyxl
import pytest
from django.urls import reverse

from advocacy import services as advocacy_services
from advocacy.models import Endorsement, PriorityStatement
from knowledge_bank.models import Programme, Resource
from members.models import Contact, Governorate, Organisation
from platform_site.aggregates import shown_count
from platform_site.audience import ANONYMOUS_AUDIENCE, audience_for_request
from tests.advocacy.test_statements import make_statement
from tests.conftest import (
    login_verified,
    make_contact,
    make_group,
    make_meeting,
    make_organisation,
    make_user,
)
from tests.knowledge_bank.test_knowledge_bank import make_programme
from working_groups.models import GroupMembership, Meeting

pytestmark = pytest.mark.django_db

AUDIENCES = [
    "anonymous",
    "outsider",
    "applicant",
    "member",
    "own_editor",
    "coordinator",
    "coordinator_password_only",
]


def _org(marker, **fields):
    organisation = make_organisation(name_en=marker, name_ar=marker, **fields)
    organisation.governorates.set(Governorate.objects.filter(pcode="SY07"))
    return organisation


@pytest.fixture
def world(db):
    w = SimpleNamespace()
    w.own_editor, w.member, w.applicant = make_user(), make_user(), make_user()
    w.outsider = make_user()
    w.public = _org("ZqOrgPublic", members=[(w.own_editor, "editor")])
    w.low = _org("ZqOrgLowProfile", low_profile=True)
    w.pending = _org("ZqOrgPending", status="pending", members=[(w.applicant, "admin")])
    w.rejected = _org("ZqOrgRejected", status="rejected")
    w.other = _org("ZqOrgOther", members=[(w.member, "editor")])
    w.organisations = [w.public, w.low, w.pending, w.rejected, w.other]
    for organisation in w.organisations:
        for visibility in ("public", "members", "private"):
            make_contact(
                organisation, visibility=visibility, name=f"ZqContact{visibility}{organisation.pk}"
            )
        for visibility in ("public", "members"):
            make_programme(
                organisation, visibility=visibility, title_en=f"ZqProg{visibility}{organisation.pk}"
            )
            Resource.objects.create(
                title_en=f"ZqRes{visibility}{organisation.pk}",
                kind="report",
                language="en",
                url="https://example.org/report",
                visibility=visibility,
                publisher=organisation,
            )
    w.group = make_group(leads=[w.public])
    GroupMembership.objects.create(group=w.group, organisation=w.low, status="active")
    for visibility in ("public", "network", "members"):
        make_meeting(w.group, visibility=visibility, title=f"ZqMeet{visibility}")
    author = _org("ZqOrgAuthor")
    w.statement = make_statement(author, publish_by=make_user(coordinator=True))
    low_statement = make_statement(
        w.low, publish_by=make_user(coordinator=True), title_en="ZqLowStatement"
    )
    for organisation in (w.public, w.low):
        advocacy_services.endorse(statement=w.statement, organisation=organisation, by=None)
    w.low_statement = low_statement
    return w


def _login(client, world, audience, coordinator):
    client.logout()
    if audience == "anonymous":
        return
    if audience == "coordinator":
        login_verified(client, coordinator)
    elif audience == "coordinator_password_only":
        client.force_login(coordinator)
    else:
        client.force_login(getattr(world, audience))


def _text(response) -> str:
    body = b"".join(response) if response.streaming else response.content
    if response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    ):
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        )
    return body.decode()


def _shown(text: str, markers) -> set[str]:
    return {marker for marker in markers if marker in text}


def _markers(queryset, field) -> set[str]:
    return set(queryset.values_list(field, flat=True))


ORG_SURFACES = [
    "/en/organisations/",
    "/en/organisations/?q=Zq",
    "/en/knowledge-bank/exports/organisations.csv",
    "/en/knowledge-bank/exports/organisations.xlsx",
    "/en/knowledge-bank/exports/organisations.hxl",
]
PROGRAMME_SURFACES = [
    "/en/knowledge-bank/programmes/?status=ongoing",
    "/en/knowledge-bank/exports/programmes.csv",
    "/en/knowledge-bank/exports/programmes.xlsx",
    "/en/knowledge-bank/exports/programmes.hxl",
]


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_surface_shows_exactly_what_the_policy_allows(client, world, coordinator, audience):
    _login(client, world, audience, coordinator)
    policy = audience_for_request(client.get("/en/").wsgi_request)
    assert policy.is_coordinator == (audience == "coordinator")

    all_orgs = _markers(Organisation.objects.filter(name_en__startswith="Zq"), "name_en")
    seen_orgs = _markers(
        Organisation.objects.visible_to(policy).filter(name_en__startswith="Zq"), "name_en"
    )
    for path in ORG_SURFACES:
        shown = _shown(_text(client.get(path)), all_orgs - {"ZqOrgAuthor"})
        # Lists show organisations in the network (or one's own application), never rejected
        # ones to anyone but their own people and coordinators.
        assert shown == seen_orgs - {"ZqOrgAuthor"}, path

    all_programmes = _markers(Programme.objects.all(), "title_en")
    seen_programmes = _markers(Programme.objects.visible_to(policy), "title_en")
    for path in PROGRAMME_SURFACES:
        assert _shown(_text(client.get(path)), all_programmes) == seen_programmes, path

    all_contacts = _markers(Contact.objects.all(), "name")
    all_resources = _markers(Resource.objects.all(), "title_en")
    seen_resources = _markers(Resource.objects.visible_to(policy), "title_en")
    assert _shown(_text(client.get("/en/knowledge-bank/")), all_resources) == seen_resources

    for organisation in world.organisations:
        response = client.get(organisation.get_absolute_url())
        visible = Organisation.objects.visible_to(policy).filter(pk=organisation.pk).exists()
        assert response.status_code == (200 if visible else 404), organisation
        if not visible:
            continue
        html = response.content.decode()
        own_contacts = Contact.objects.filter(organisation=organisation)
        assert _shown(html, all_contacts) == _markers(own_contacts.visible_to(policy), "name")
        own_programmes = Programme.objects.filter(organisation=organisation)
        assert _shown(html, all_programmes) == _markers(
            own_programmes.visible_to(policy), "title_en"
        )

    group_page = client.get(world.group.get_absolute_url()).content.decode()
    assert _shown(group_page, _markers(Meeting.objects.all(), "title")) == _markers(
        Meeting.objects.visible_to(policy), "title"
    )
    calendar = _text(client.get(reverse("working_groups:calendar", args=[world.group.slug])))
    assert _shown(calendar, _markers(Meeting.objects.all(), "title")) == _markers(
        Meeting.objects.visible_to(policy), "title"
    )
    group_orgs = {"ZqOrgPublic", "ZqOrgLowProfile"}
    assert _shown(group_page, group_orgs) == group_orgs & seen_orgs

    statement_page = client.get(world.statement.get_absolute_url()).content.decode()
    endorsers = {"ZqOrgPublic", "ZqOrgLowProfile"}
    assert _shown(statement_page, endorsers) == _markers(
        Endorsement.objects.live().visible_to(policy), "organisation__name_en"
    )
    statements = client.get("/en/priorities/").content.decode()
    assert ("ZqOrgLowProfile" in statements) == ("ZqOrgLowProfile" in seen_orgs)

    # The coverage cell and the statistics count what the policy lets this audience see.
    cell = {
        g.pcode: {c["subsector"].code: c for c in row}
        for g, row in client.get("/en/coverage/").context["rows"]
    }["SY07"]["nfe"]
    expected = (
        Programme.objects.visible_to(policy)
        .filter(status="ongoing", governorates__pcode="SY07", subsectors__code="nfe")
        .values("organisation")
        .distinct()
        .count()
    )
    assert cell["count"] == shown_count(expected)

    if policy.is_authenticated:  # the duplicate hint of the application form
        hint = client.get("/en/organisations/register/similar/?name_en=ZqOrg").content.decode()
        assert _shown(hint, all_orgs) <= seen_orgs
        assert "ZqOrgRejected" not in hint or "ZqOrgRejected" in seen_orgs


def test_surfaces_for_everyone_are_those_of_anonymous_visitors(client, world, coordinator):
    """The sitemap and the feed are the same for everyone: what anonymous visitors see."""
    public_slugs = set(
        Organisation.objects.visible_to(ANONYMOUS_AUDIENCE).values_list("slug", flat=True)
    )
    hidden_slugs = set(Organisation.objects.values_list("slug", flat=True)) - public_slugs
    for audience in AUDIENCES:
        _login(client, world, audience, coordinator)
        sitemap = client.get("/sitemap.xml").content.decode()
        assert not _shown(sitemap, hidden_slugs)
        assert world.public.slug in sitemap
        feed = client.get("/en/priorities/feed/").content.decode()
        assert "ZqLowStatement" in feed and "ZqOrgLowProfile" not in feed


def test_list_pages_run_a_constant_number_of_queries(client, world, django_assert_max_num_queries):
    """Query counts of the directory and its exports do not grow with the rows they list."""
    client.force_login(world.member)
    counts = {}
    for _round in (1, 2):
        for _ in range(5):
            make_programme(_org(f"ZqGrow{next(_grow)}"))
        for path in ("/en/organisations/", "/en/knowledge-bank/programmes/", "/en/coverage/"):
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            counts.setdefault(path, []).append(len(queries))
    for path, (first, second) in counts.items():
        assert second <= first, (path, first, second)


_grow = itertools.count()


def test_statement_drafts_are_visible_to_their_authors_and_verified_coordinators(
    client, world, coordinator
):
    draft = make_statement(world.public, title_en="ZqDraft")
    for audience, allowed in [
        ("own_editor", True),
        ("member", False),
        ("coordinator", True),
        ("coordinator_password_only", False),
        ("anonymous", False),
    ]:
        _login(client, world, audience, coordinator)
        policy = audience_for_request(client.get("/en/").wsgi_request)
        assert PriorityStatement.objects.visible_to(policy).filter(pk=draft.pk).exists() == allowed
        status = client.get(reverse("advocacy:preview", args=[draft.slug])).status_code
        assert (status == 200) == allowed, audience


# The policy itself, written out: which organisations, and which of their contacts, programmes
# and resources, each audience sees (by organisation and visibility), and which meetings.
ACTIVE_PUBLIC = {"Public", "Other", "Author"}
EVERY = {"Public", "LowProfile", "Pending", "Rejected", "Other", "Author"}
POLICY = {
    # audience: (organisations, contacts, programmes and resources, meetings)
    "anonymous": (ACTIVE_PUBLIC, {"public"}, {"public"}, {"public"}),
    "outsider": (ACTIVE_PUBLIC, {"public"}, {"public"}, {"public"}),
    "coordinator_password_only": (ACTIVE_PUBLIC, {"public"}, {"public"}, {"public"}),
    "applicant": (ACTIVE_PUBLIC | {"Pending"}, {"public"}, {"public"}, {"public"}),
    "member": (
        ACTIVE_PUBLIC | {"LowProfile"},
        {"public", "members"},
        {"public", "members"},
        {"public", "network"},
    ),
    "own_editor": (
        ACTIVE_PUBLIC | {"LowProfile"},
        {"public", "members"},
        {"public", "members"},
        {"public", "network", "members"},
    ),
    "coordinator": (
        EVERY,
        {"public", "members", "private"},
        {"public", "members"},
        {"public", "network", "members"},
    ),
}
OWN = {"applicant": "Pending", "own_editor": "Public", "member": "Other"}


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_policy_itself(client, world, coordinator, audience):
    _login(client, world, audience, coordinator)
    policy = audience_for_request(client.get("/en/").wsgi_request)
    organisations, contacts, shared, meetings = POLICY[audience]
    names = {o.pk: o.name_en.removeprefix("ZqOrg") for o in Organisation.objects.all()}
    seen = {
        names[pk] for pk in Organisation.objects.visible_to(policy).values_list("pk", flat=True)
    }
    assert seen == organisations

    def expected(visibilities, *, own_all):
        pairs = {(org, v) for org in organisations - {"Author"} for v in visibilities}
        if OWN.get(audience):  # people see everything of their own organisation
            pairs |= {(OWN[audience], v) for v in own_all}
        return pairs

    contact_pairs = {
        (names[c.organisation_id], c.visibility) for c in Contact.objects.visible_to(policy)
    }
    assert contact_pairs == expected(contacts, own_all={"public", "members", "private"})
    for model, field in ((Programme, "organisation_id"), (Resource, "publisher_id")):
        pairs = {
            (names[getattr(o, field)], o.visibility)
            for o in model.objects.visible_to(policy)
            if getattr(o, field)
        }
        assert pairs == expected(shared, own_all={"public", "members"}), model
    assert set(Meeting.objects.visible_to(policy).values_list("visibility", flat=True)) == meetings
