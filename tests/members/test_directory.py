import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Governorate, Organisation, Subsector, TargetGroup
from tests.conftest import login_verified, make_organisation, make_user

pytestmark = pytest.mark.django_db


def names(response):
    return [organisation.name_en for organisation in response.context["organisations"]]


def make_many(count):
    governorates = list(Governorate.objects.all()[:3])
    subsectors = list(Subsector.objects.all()[:3])
    for n in range(count):
        organisation = make_organisation(name_en=f"Bulk {n:03d}")
        organisation.governorates.set(governorates)
        organisation.subsectors.set(subsectors)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_directory_runs_the_same_number_of_queries_for_10_and_200(
    client, django_assert_max_num_queries
):
    """Guards against an N+1 on the cards' governorates and sub-sectors."""
    make_many(10)
    small = count_queries(client, "/ar/organisations/")
    make_many(190)
    large = count_queries(client, "/ar/organisations/")
    assert small == large
    with django_assert_max_num_queries(9):
        client.get("/ar/organisations/?governorate=SY01&subsector=ece&page=2")


def test_member_directory_query_count_is_flat_too(client, organisation, editor):
    client.force_login(editor)
    make_many(10)
    small = count_queries(client, "/en/organisations/")
    make_many(60)
    assert count_queries(client, "/en/organisations/") == small


def test_anonymous_sees_only_public_organisations(client):
    make_organisation(name_en="Visible")
    make_organisation(name_en="Low Profile", low_profile=True)
    for status in ("pending", "rejected", "suspended", "archived"):
        make_organisation(name_en=f"Status {status}", status=status)
    response = client.get("/en/organisations/")
    assert names(response) == ["Visible"]
    assert response.context["paginator"].count == 1


def test_members_also_see_low_profile_but_not_others_applications(client, organisation, editor):
    make_organisation(name_en="Low Profile", low_profile=True)
    make_organisation(name_en="Someone Pending", status="pending")
    client.force_login(editor)
    shown = names(client.get("/en/organisations/"))
    assert "Low Profile" in shown and "Someone Pending" not in shown


def test_filters(client):
    aleppo = Governorate.objects.get(pcode="SY02")
    pss = Subsector.objects.get(code="pss")
    youth = TargetGroup.objects.get(code="youth")
    match = make_organisation(name_en="Match", org_type="network", host_countries="LB TR")
    match.governorates.add(aleppo)
    match.subsectors.add(pss)
    match.target_groups.add(youth)
    other = make_organisation(name_en="Other", host_countries="JO")
    other.governorates.add(Governorate.objects.get(pcode="SY01"))
    for query in (
        "governorate=SY02",
        "subsector=pss",
        "org_type=network",
        "target_group=youth",
        "country=TR",
        "governorate=SY02&subsector=pss&country=LB",
    ):
        assert names(client.get(f"/en/organisations/?{query}")) == ["Match"], query
    assert names(client.get("/en/organisations/?country=JO")) == ["Other"]


@pytest.mark.parametrize(
    "query",
    [
        "governorate=SY99",
        "subsector=<script>",
        "org_type=bank",
        "sort=evil",
        "country=ZZ",
        "q=" + "x" * 500,
        "governorate=SY01%00",
    ],
)
def test_bad_filter_values_do_not_break_the_page(client, query):
    response = client.get(f"/ar/organisations/?{query}")
    assert response.status_code == (400 if "%00" in query else 200)  # NUL: RejectNulMiddleware


def test_sorting_by_name_uses_the_current_language_with_fallback(client):
    make_organisation(name_ar="ياسمين", name_en="Alpha")
    make_organisation(name_ar="باسم", name_en="")  # no English name
    make_organisation(name_ar="", name_en="Zeta")  # no Arabic name
    english = [
        o.display_name for o in client.get("/en/organisations/?sort=name").context["organisations"]
    ]
    arabic = [
        o.display_name for o in client.get("/ar/organisations/?sort=name").context["organisations"]
    ]
    assert english == ["Alpha", "Zeta", "باسم"]
    assert arabic == ["Zeta", "باسم", "ياسمين"]


def test_sorting_by_last_verified(client):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    make_organisation(name_en="Old", verified_at=now - timedelta(days=500))
    make_organisation(name_en="Never")
    make_organisation(name_en="Recent", verified_at=now - timedelta(days=3))
    assert names(client.get("/en/organisations/?sort=verified")) == ["Recent", "Old", "Never"]


def test_freshness_badge(client):
    from datetime import timedelta

    from django.utils import timezone

    make_organisation(name_en="Stale", verified_at=timezone.now() - timedelta(days=400))
    html = client.get("/en/organisations/").content.decode()
    assert "Not confirmed for a year" in html


def test_pagination_keeps_filters(client):
    make_many(25)
    html = client.get("/en/organisations/?governorate=SY01").content.decode()
    assert 'href="?governorate=SY01&amp;page=2"' in html
    assert client.get("/en/organisations/?governorate=SY01&page=2").context["page_obj"].number == 2


def test_directory_refuses_post(client):
    assert client.post("/ar/organisations/").status_code == 405


def test_html_in_names_is_shown_as_text(client):
    make_organisation(name_en="<b>Bold</b><script>alert(1)</script>")
    html = client.get("/en/organisations/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;b&gt;Bold&lt;/b&gt;" in html


def test_low_profile_organisation_is_404_for_anonymous(client, organisation):
    hidden = make_organisation(name_en="Hidden", low_profile=True)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    client.force_login(make_user())  # signed in, no organisation
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_pending_application_is_404_for_others_but_not_its_applicant(client, outsider, coordinator):
    applicant = make_user()
    pending = make_organisation(name_en="Pending", status="pending", members=[(applicant, "admin")])
    assert client.get(pending.get_absolute_url()).status_code == 404
    client.force_login(outsider)
    assert client.get(pending.get_absolute_url()).status_code == 404
    client.force_login(applicant)
    assert client.get(pending.get_absolute_url()).status_code == 200
    login_verified(client, coordinator)
    assert client.get(pending.get_absolute_url()).status_code == 200


def test_status_is_enforced_by_the_database():
    from django.db import IntegrityError, transaction

    organisation = make_organisation()
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.filter(pk=organisation.pk).update(status="approved")
