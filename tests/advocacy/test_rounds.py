from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from advocacy import services
from advocacy.models import Allocation, Ballot, Candidate, PriorityRound
from members.models import Governorate
from tests.conftest import make_organisation, make_user

pytestmark = pytest.mark.django_db


def make_round(*, candidates=3, status="open", **fields):
    now = timezone.now()
    round_ = PriorityRound.objects.create(
        title_ar="جولة الاختبار",
        title_en="Test round",
        opens_at=fields.pop("opens_at", now - timedelta(days=1)),
        closes_at=fields.pop("closes_at", now + timedelta(days=1)),
        status=status,
        **fields,
    )
    for position in range(candidates):
        Candidate.objects.create(
            round=round_,
            title_en=f"C{position + 1}",
            title_ar=f"أ{position + 1}",
            position=position,
        )
    return round_


def points(round_, *values):
    return dict(zip(round_.candidates.values_list("pk", flat=True), values, strict=True))


def voter(org_type="local_ngo", governorate="SY07"):
    user = make_user()
    organisation = make_organisation(org_type=org_type, members=[(user, "editor")])
    organisation.governorates.add(Governorate.objects.get(pcode=governorate))
    return user, organisation


def vote(round_, values, **voter_args):
    user, organisation = voter(**voter_args)
    return services.cast_ballot(
        round_=round_, organisation=organisation, by=user, points=points(round_, *values)
    )


# --- tallies on hand-computed ballots ---------------------------------------------------


def test_tally_ranks_by_points():
    round_ = make_round()
    vote(round_, (50, 30, 20))
    vote(round_, (0, 60, 40))
    vote(round_, (10, 10, 80))
    # C1 = 60 (2 orgs), C2 = 100 (3 orgs), C3 = 140 (3 orgs)
    result = services.tally(round_)
    assert [
        (r["rank"], r["candidate"].title_en, r["points"], r["organisations"])
        for r in result["ranking"]
    ] == [
        (1, "C3", 140, 3),
        (2, "C2", 100, 3),
        (3, "C1", 60, 2),
    ]
    assert result["participants"] == 3


def test_ties_broken_by_number_of_supporting_organisations_then_shared():
    round_ = make_round(candidates=4)
    vote(round_, (50, 50, 0, 0))
    vote(round_, (0, 0, 50, 50))
    vote(round_, (50, 0, 25, 25))
    # C1 = 100 by 2 orgs; C2 = 50 by 1; C3 = 75 by 2; C4 = 75 by 2 → C3 and C4 share rank 2.
    ranking = services.tally(round_)["ranking"]
    assert [(r["rank"], r["candidate"].title_en) for r in ranking] == [
        (1, "C1"),
        (2, "C3"),
        (2, "C4"),
        (4, "C2"),
    ]


def test_equal_points_and_supporters_share_the_rank():
    round_ = make_round(candidates=2)
    vote(round_, (100, 0))
    vote(round_, (0, 100))
    vote(round_, (50, 50))
    # C1 = 150 by 2 organisations, C2 = 150 by 2: a shared first rank.
    assert [r["rank"] for r in services.tally(round_)["ranking"]] == [1, 1]
    vote(round_, (0, 100))  # now C2 = 250
    assert [(r["rank"], r["candidate"].title_en) for r in services.tally(round_)["ranking"]] == [
        (1, "C2"),
        (2, "C1"),
    ]


def test_breakdowns_by_type_and_governorate():
    round_ = make_round()
    for _ in range(3):
        vote(round_, (100, 0, 0), org_type="local_ngo", governorate="SY01")
    vote(round_, (0, 100, 0), org_type="network", governorate="SY01")
    vote(round_, (0, 0, 100), org_type="donor", governorate="SY02")
    result = services.tally(round_)
    by_governorate = {
        getattr(row["group"], "pcode", "other"): row for row in result["by_governorate"]
    }
    assert by_governorate["SY01"]["organisations"] == 4
    assert [c.title_en for c in by_governorate["SY01"]["top"]][:2] == ["C1", "C2"]
    by_type = {row["group"] if not row["is_other"] else "other": row for row in result["by_type"]}
    assert by_type["local_ngo"]["organisations"] == 3
    assert [c.title_en for c in by_type["local_ngo"]["top"]][:1] == ["C1"]


def test_small_groups_never_reveal_a_ballot():
    """A group of one or two organisations would show their own ballot: it is folded into
    "other", whose priorities show only when it reaches three organisations in turn."""
    round_ = make_round()
    for _ in range(3):
        vote(round_, (100, 0, 0), org_type="local_ngo", governorate="SY01")
    vote(round_, (0, 0, 100), org_type="donor", governorate="SY02")
    result = services.tally(round_)
    for breakdown in ("by_type", "by_governorate"):
        rows = result[breakdown]
        assert all(row["organisations"] is None or row["organisations"] >= 3 for row in rows)
        assert all(row["top"] == [] for row in rows if row["organisations"] is None)
        assert not any(
            getattr(row["group"], "pcode", row["group"]) in ("donor", "SY02") for row in rows
        )
        other = [row for row in rows if row["is_other"]]
        assert len(other) == 1 and other[0]["organisations"] is None and other[0]["top"] == []


def test_results_of_fewer_than_three_ballots_are_not_shown(client):
    round_ = make_round()
    vote(round_, (100, 0, 0))
    vote(round_, (0, 100, 0))
    result = services.tally(round_)
    assert result["participants"] == 2 and result["ranking"] == [] and result["by_type"] == []


# --- rules --------------------------------------------------------------------------------


@pytest.mark.parametrize("values", [(50, 30, 10), (60, 60, -20), (101, 0, 0)])
def test_points_must_add_up_to_100(values):
    round_ = make_round()
    with pytest.raises(ValidationError):
        vote(round_, values)
    assert not Ballot.objects.exists()


def test_candidate_from_another_round_is_refused():
    round_, other = make_round(), make_round()
    user, organisation = voter()
    foreign = other.candidates.first().pk
    with pytest.raises(ValidationError):
        services.cast_ballot(
            round_=round_, organisation=organisation, by=user, points={foreign: 100}
        )
    assert not Ballot.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "draft"},
        {"status": "closed"},
        {"status": "published"},
        {
            "opens_at": timezone.now() + timedelta(days=1),
            "closes_at": timezone.now() + timedelta(days=2),
        },
        {
            "opens_at": timezone.now() - timedelta(days=3),
            "closes_at": timezone.now() - timedelta(days=1),
        },
    ],
)
def test_voting_only_while_open(fields):
    round_ = make_round(**fields)
    with pytest.raises(ValidationError):
        vote(round_, (100, 0, 0))
    assert not Ballot.objects.exists()


def test_changing_a_ballot_keeps_one_per_organisation():
    round_ = make_round()
    user, organisation = voter()
    services.cast_ballot(
        round_=round_, organisation=organisation, by=user, points=points(round_, 100, 0, 0)
    )
    services.cast_ballot(
        round_=round_, organisation=organisation, by=user, points=points(round_, 0, 0, 100)
    )
    assert Ballot.objects.count() == 1
    assert list(Allocation.objects.values_list("candidate__title_en", "points")) == [("C3", 100)]


def test_round_life_cycle_and_illegal_transitions(coordinator):
    round_ = make_round(status="draft")
    with pytest.raises(ValidationError):
        services.close_round(round_=round_, by=coordinator)
    with pytest.raises(ValidationError):
        services.publish_results(round_=round_, by=coordinator)
    services.open_round(round_=round_, by=coordinator)
    services.close_round(round_=round_, by=coordinator)
    round_.refresh_from_db()
    assert round_.status == "closed" and round_.closes_at <= timezone.now()
    services.publish_results(round_=round_, by=coordinator)
    round_.refresh_from_db()
    assert round_.status == "published" and round_.published_at


def test_a_round_needs_two_candidates(coordinator):
    round_ = make_round(status="draft", candidates=1)
    with pytest.raises(ValidationError):
        services.open_round(round_=round_, by=coordinator)


# --- views ----------------------------------------------------------------------------


def test_editor_votes_and_sees_own_ballot(client):
    round_ = make_round()
    user, organisation = voter()
    client.force_login(user)
    page = client.get(round_.get_absolute_url())
    assert page.status_code == 200 and page.context["form"] is not None
    data = {
        "organisation": organisation.pk,
        **{f"candidate_{pk}": v for pk, v in points(round_, 20, 30, 50).items()},
    }
    response = client.post(f"/en/priorities/rounds/{round_.slug}/vote/", data)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert [b.organisation for b in page.context["own_ballots"]] == [organisation]
    assert page.context["form"]["candidate_" + str(round_.candidates.last().pk)].value() == 50


def test_bad_ballots_get_a_translated_message(client):
    round_ = make_round()
    user, organisation = voter()
    client.force_login(user)
    data = {
        "organisation": organisation.pk,
        **{f"candidate_{pk}": v for pk, v in points(round_, 20, 30, 40).items()},
    }
    response = client.post(f"/ar/priorities/rounds/{round_.slug}/vote/", data)
    assert response.status_code == 200 and "100" in str(response.context["form"].non_field_errors())
    assert "تساوي" in response.content.decode() or "مجموع" in response.content.decode()
    assert not Ballot.objects.exists()


def test_ballot_for_another_organisation_is_refused(client, other_org_editor):
    round_ = make_round()
    _user, organisation = voter()
    client.force_login(other_org_editor)
    data = {
        "organisation": organisation.pk,
        **{f"candidate_{pk}": v for pk, v in points(round_, 100, 0, 0).items()},
    }
    client.post(f"/en/priorities/rounds/{round_.slug}/vote/", data)
    assert not Ballot.objects.exists()


def test_vote_needs_login_and_post(client):
    round_ = make_round()
    assert client.post(f"/en/priorities/rounds/{round_.slug}/vote/").status_code == 302
    client.force_login(make_user())
    assert client.get(f"/en/priorities/rounds/{round_.slug}/vote/").status_code == 405


def test_tallies_stay_secret_until_closed(client, coordinator, settings):
    settings.STAFF_REQUIRE_MFA = False
    round_ = make_round()
    vote(round_, (100, 0, 0))
    results = f"/en/priorities/rounds/{round_.slug}/results/"
    assert client.get(results).status_code == 404
    client.force_login(coordinator)
    assert client.get(results).status_code == 404  # coordinators too, while open
    admin = client.get("/en/admin/advocacy/priorityround/").content.decode()
    assert "C1" not in admin or "100" not in admin
    assert client.get("/en/admin/advocacy/ballot/").status_code == 404
    services.close_round(round_=round_, by=coordinator)
    assert client.get(results).status_code == 200  # the secretariat checks before publishing
    client.logout()
    assert client.get(results).status_code == 404
    services.publish_results(round_=round_, by=coordinator)
    page = client.get(results)
    assert page.status_code == 200 and page.context["results"]["participants"] == 1


def test_draft_rounds_are_hidden(client):
    round_ = make_round(status="draft")
    assert client.get(round_.get_absolute_url()).status_code == 404
    assert "Test round" not in client.get("/en/priorities/rounds/").content.decode()


def test_results_page_query_count_is_flat(client, coordinator, django_assert_max_num_queries):
    round_ = make_round()
    for _ in range(3):
        vote(round_, (40, 30, 30))
    services.close_round(round_=round_, by=coordinator)
    services.publish_results(round_=round_, by=coordinator)
    url = f"/en/priorities/rounds/{round_.slug}/results/"
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    PriorityRound.objects.filter(pk=round_.pk).update(
        status="open", closes_at=timezone.now() + timedelta(days=1)
    )
    for _ in range(15):
        vote(round_, (10, 10, 80))
    PriorityRound.objects.filter(pk=round_.pk).update(status="published")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_admin_runs_a_round(client, coordinator, settings):
    settings.STAFF_REQUIRE_MFA = False
    round_ = make_round(status="draft")
    client.force_login(coordinator)
    assert client.get(f"/en/admin/advocacy/priorityround/{round_.pk}/change/").status_code == 200
    for action in ("open_rounds", "close_rounds", "publish_rounds"):
        client.post(
            "/en/admin/advocacy/priorityround/", {"action": action, "_selected_action": [round_.pk]}
        )
    round_.refresh_from_db()
    assert round_.status == "published"


def test_equal_points_more_supporting_organisations_rank_first():
    round_ = make_round()
    vote(round_, (100, 0, 0))
    vote(round_, (0, 50, 50))
    vote(round_, (0, 50, 50))
    # Each has 100 points; C2 and C3 were backed by two organisations, C1 by one.
    ranking = [(r["rank"], r["candidate"].title_en) for r in services.tally(round_)["ranking"]]
    assert ranking == [(1, "C2"), (1, "C3"), (3, "C1")]
