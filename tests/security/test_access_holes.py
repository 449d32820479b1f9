"""Regression tests for the three privacy holes closed by the one access policy (issue 13).

Each was written against the code before `platform_site.audience` and failed there.
"""

import pytest

from members.models import Governorate, Subsector
from tests.conftest import make_organisation, make_user
from tests.knowledge_bank.test_knowledge_bank import make_programme

pytestmark = pytest.mark.django_db


def test_the_overlap_hint_shows_an_applicant_only_what_they_may_see(client):
    """Hole 1: a pending applicant listed low-profile organisations (and organisations known only
    through members-only programmes) in the "coordinate before you start" box."""
    applicant = make_user()
    pending = make_organisation(status="pending", members=[(applicant, "admin")])
    hidden = make_organisation(name_en="Quiet Low Profile Org", low_profile=True)
    make_programme(hidden)
    shared = make_organisation(name_en="Members Only Programme Org")
    make_programme(shared, visibility="members")
    visible = make_organisation(name_en="Openly Working Org")
    make_programme(visible)
    client.force_login(applicant)
    response = client.post(
        f"/en/knowledge-bank/programmes/new/?organisation={pending.slug}",
        {
            "governorates": [Governorate.objects.get(pcode="SY07").pk],
            "subsectors": list(Subsector.objects.values_list("pk", flat=True)),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Openly Working Org" in html
    assert "Quiet Low Profile Org" not in html
    assert "Members Only Programme Org" not in html


def test_the_overlap_hint_shows_a_member_what_members_see(client, editor, organisation):
    hidden = make_organisation(name_en="Quiet Low Profile Org", low_profile=True)
    make_programme(hidden)
    client.force_login(editor)
    response = client.post(
        f"/en/knowledge-bank/programmes/new/?organisation={organisation.slug}",
        {
            "governorates": [Governorate.objects.get(pcode="SY07").pk],
            "subsectors": [Subsector.objects.get(code="nfe").pk],
        },
    )
    assert "Quiet Low Profile Org" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/en/coverage/?organisation={}",
        "/en/knowledge-bank/exports/programmes.csv?organisation={}",
        "/en/knowledge-bank/exports/programmes.hxl?organisation={}",
        "/en/knowledge-bank/programmes/?organisation={}",
        "/en/priorities/?author={}",
    ],
)
def test_a_hidden_slug_answers_like_one_that_does_not_exist(client, path):
    """Hole 2: a low-profile or pending slug gave an empty result, an unknown one everything."""
    make_programme(make_organisation(name_en="Seen"))
    low_profile = make_organisation(name_en="Low", low_profile=True)
    pending = make_organisation(name_en="Pending", status="pending")
    for hidden in (low_profile, pending):
        make_programme(hidden)

    def answer(slug):
        response = client.get(path.format(slug))
        body = b"".join(response) if response.streaming else response.content
        return response.status_code, body.decode().replace(slug, "SLUG")

    unknown = answer("no-such-organisation")
    assert answer(low_profile.slug) == unknown
    assert answer(pending.slug) == unknown
