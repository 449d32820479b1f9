"""The pages a signed-in member meets run a bounded number of queries, whatever the data.

Each page is read by a member of the network once with a little data and once with more; the
second reading may not run more queries than the first, and neither more than the page's
budget below. When a page legitimately needs another query, raise its budget here, in review.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advocacy.models import PriorityStatement
from members.models import Governorate, Subsector
from tests.advocacy.test_statements import make_statement
from tests.conftest import make_contact, make_group, make_organisation, make_user
from tests.knowledge_bank.test_knowledge_bank import make_programme
from working_groups.models import GroupMembership

pytestmark = pytest.mark.django_db

BUDGETS = {
    "home": ("/ar/", 12),
    # The directory's facets: 4 counts and 3 vocabularies (then cached per filters and
    # audience); the cards' governorates, sub-sectors and target groups come from the facet
    # index when the card is first rendered (members.cards), without a query.
    "directory": ("/ar/organisations/", 18),
    "directory with filters": ("/ar/organisations/?governorate=SY07&subsector=nfe", 20),
    "profile": ("{profile}", 22),
    "coverage": ("/ar/coverage/", 12),
    "statistics": ("/ar/knowledge-bank/statistics/", 10),
    "priorities": ("/ar/priorities/", 14),
    "statement": ("{statement}", 17),
    "dashboard": ("/ar/dashboard/", 22),
    "group": ("{group}", 23),
    # The editor's form: the session, the organisation, its contacts and its three lists of
    # choices (the vocabularies themselves are read once per worker: the first reading here).
    "edit form": ("{edit}", 12),
}


def _grow(n, group, coordinator):
    for _ in range(n):
        organisation = make_organisation()
        organisation.governorates.set(Governorate.objects.filter(pcode__in=["SY07", "SY02"]))
        organisation.subsectors.set(Subsector.objects.filter(code__in=["nfe", "pss"]))
        make_programme(organisation)
        make_contact(organisation)
        GroupMembership.objects.create(group=group, organisation=organisation, status="active")
        statement = make_statement(
            organisation, publish_by=coordinator, title_en=f"S{organisation.pk}"
        )
        statement.save()


@pytest.mark.parametrize("page", BUDGETS)
def test_member_pages_run_a_bounded_number_of_queries(client, page):
    member = make_user()
    own = make_organisation(members=[(member, "admin")])
    make_programme(own)
    coordinator = make_user(coordinator=True)
    group = make_group(leads=[own])
    _grow(2, group, coordinator)
    statement = PriorityStatement.objects.published().first()
    path, budget = BUDGETS[page]
    path = path.format(
        profile=own.get_absolute_url(),
        statement=statement.get_absolute_url(),
        group=group.get_absolute_url(),
        edit=reverse("members:edit", args=[own.slug]),
    )
    client.force_login(member)
    counts = []
    for more in (0, 6):
        _grow(more, group, coordinator)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts.append(len(queries))
    assert counts[1] <= counts[0] <= budget, (page, counts)


# Everything but the dashboard is kept as a page copy for the member's audience (or the person):
# reading it again runs only the query of the session, read with its user (platform_site/sessions.py).
COPIED = [page for page in BUDGETS if page not in {"dashboard", "edit form"}]


def test_the_edit_form_read_again_reads_no_vocabulary(client):
    member = make_user()
    own = make_organisation(members=[(member, "admin")])
    make_contact(own)
    client.force_login(member)
    path = reverse("members:edit", args=[own.slug])
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    # The session with its person, the organisation, its contacts, its three lists of choices.
    assert len(queries) == 6, [query["sql"][:80] for query in queries]


@pytest.mark.parametrize("page", COPIED)
def test_member_pages_read_again_come_from_the_page_cache(client, page):
    member = make_user()
    own = make_organisation(members=[(member, "admin")])
    coordinator = make_user(coordinator=True)
    group = make_group(leads=[own])
    _grow(1, group, coordinator)
    path = BUDGETS[page][0].format(
        profile=own.get_absolute_url(),
        statement=PriorityStatement.objects.published().first().get_absolute_url(),
        group=group.get_absolute_url(),
    )
    client.force_login(member)
    client.get(path)  # a group page's first reading makes the person's calendar link: a change
    first = _without_tokens(client.get(path).content)
    with CaptureQueriesContext(connection) as queries:
        assert _without_tokens(client.get(path).content) == first
    assert len(queries) == 1, [query["sql"][:80] for query in queries]


def _without_tokens(page: bytes) -> bytes:
    """The page with its CSRF tokens left out (each reading gets a freshly masked one)."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", page)
