import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from advocacy import services
from advocacy.models import Endorsement, PriorityStatement
from tests.conftest import login_verified, make_organisation

pytestmark = pytest.mark.django_db


def make_statement(author, *, by=None, publish_by=None, **fields):
    fields.setdefault("title_ar", "أولوية الاختبار")
    fields.setdefault("title_en", "Test priority")
    fields.setdefault("summary_en", "A short summary.")
    fields.setdefault("body_en", "First paragraph.\n\nSecond paragraph.")
    fields.setdefault("body_ar", "الفقرة الأولى.")
    key = "author_group" if author.__class__.__name__ == "WorkingGroup" else "author_organisation"
    statement = services.save_draft(statement=PriorityStatement(**{key: author}, **fields), by=by)
    if publish_by:
        services.submit_statement(statement=statement, by=by)
        statement = services.publish_statement(statement=statement, by=publish_by)
    return statement


def form_data(**overrides):
    data = {
        "title_ar": "عنوان",
        "title_en": "Title",
        "summary_ar": "",
        "summary_en": "Sum",
        "body_ar": "نص",
        "body_en": "Text",
    }
    data.update(overrides)
    return data


# --- workflow ---------------------------------------------------------------------------


def test_draft_submit_publish_endorse(
    organisation, editor, coordinator, other_org_editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        statement = make_statement(organisation, by=editor)
        assert statement.status == "draft" and not PriorityStatement.objects.published()
        services.submit_statement(statement=statement, by=editor)
    assert mail.outbox[-1].to == [coordinator.email]
    with django_capture_on_commit_callbacks(execute=True):
        statement = services.publish_statement(statement=statement, by=coordinator)
    assert statement.version == 1 and statement.current.title_en == "Test priority"
    assert list(PriorityStatement.objects.published()) == [statement]
    other_org = other_org_editor.organisation_memberships.get().organisation
    endorsement = services.endorse(statement=statement, organisation=other_org, by=other_org_editor)
    assert endorsement.version == 1


@pytest.mark.parametrize("action", ["publish", "send_back", "endorse"])
def test_illegal_transitions_on_a_draft(
    organisation, editor, coordinator, other_org_editor, action
):
    statement = make_statement(organisation, by=editor)
    other_org = other_org_editor.organisation_memberships.get().organisation
    calls = {
        "publish": lambda: services.publish_statement(statement=statement, by=coordinator),
        "send_back": lambda: services.send_back(statement=statement, by=coordinator, comments="x"),
        "endorse": lambda: services.endorse(
            statement=statement, organisation=other_org, by=other_org_editor
        ),
    }
    with pytest.raises(ValidationError):
        calls[action]()
    statement.refresh_from_db()
    assert statement.status == "draft" and statement.version == 0


def test_send_back_with_comments(
    organisation, editor, coordinator, django_capture_on_commit_callbacks
):
    statement = make_statement(organisation, by=editor)
    services.submit_statement(statement=statement, by=editor)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_back(statement=statement, by=coordinator, comments="Please add figures.")
    statement.refresh_from_db()
    assert statement.status == "draft" and statement.review_comment == "Please add figures."
    assert "Please add figures." in mail.outbox[-1].body


def test_cannot_submit_twice_or_edit_in_review(organisation, editor):
    statement = make_statement(organisation, by=editor)
    services.submit_statement(statement=statement, by=editor)
    with pytest.raises(ValidationError):
        services.submit_statement(statement=statement, by=editor)
    with pytest.raises(ValidationError):
        services.save_draft(statement=statement, by=editor)


def test_new_version_keeps_the_old_one_public_until_published(organisation, editor, coordinator):
    statement = make_statement(organisation, by=editor, publish_by=coordinator)
    statement.body_en = "Changed text."
    services.save_draft(statement=statement, by=editor)
    statement.refresh_from_db()
    assert statement.status == "draft" and statement.is_public
    assert statement.current.body_en == "First paragraph.\n\nSecond paragraph."
    services.submit_statement(statement=statement, by=editor)
    statement = services.publish_statement(statement=statement, by=coordinator)
    assert statement.version == 2 and statement.current.body_en == "Changed text."
    assert statement.versions.get(number=1).body_en == "First paragraph.\n\nSecond paragraph."


def _republish(statement, editor, coordinator, substantive):
    statement.body_en = "Version two."
    services.save_draft(statement=statement, by=editor)
    services.submit_statement(statement=statement, by=editor)
    return services.publish_statement(statement=statement, by=coordinator, substantive=substantive)


def test_minor_change_carries_endorsements_over(
    organisation, editor, coordinator, other_org_editor
):
    statement = make_statement(organisation, by=editor, publish_by=coordinator)
    other_org = other_org_editor.organisation_memberships.get().organisation
    services.endorse(statement=statement, organisation=other_org, by=other_org_editor)
    _republish(statement, editor, coordinator, substantive=False)
    assert Endorsement.objects.get().version == 2


def test_substantive_change_asks_endorsers_to_confirm_again(
    organisation, editor, coordinator, other_org_editor, django_capture_on_commit_callbacks
):
    statement = make_statement(organisation, by=editor, publish_by=coordinator)
    other_org = other_org_editor.organisation_memberships.get().organisation
    services.endorse(statement=statement, organisation=other_org, by=other_org_editor)
    with django_capture_on_commit_callbacks(execute=True):
        statement = _republish(statement, editor, coordinator, substantive=True)
    assert Endorsement.objects.get().version == 1
    assert any(other_org_editor.email in m.to for m in mail.outbox)
    services.endorse(statement=statement, organisation=other_org, by=other_org_editor)
    assert Endorsement.objects.get().version == 2
    with pytest.raises(ValidationError):
        services.endorse(statement=statement, organisation=other_org, by=other_org_editor)


def test_endorse_rules(organisation, editor, coordinator, other_org_editor):
    statement = make_statement(organisation, by=editor, publish_by=coordinator)
    with pytest.raises(ValidationError):  # its own statement
        services.endorse(statement=statement, organisation=organisation, by=editor)
    pending = make_organisation(status="pending")
    with pytest.raises(ValidationError):
        services.endorse(statement=statement, organisation=pending, by=coordinator)
    other_org = other_org_editor.organisation_memberships.get().organisation
    endorsement = services.endorse(statement=statement, organisation=other_org, by=other_org_editor)
    with pytest.raises(ValidationError):  # twice
        services.endorse(statement=statement, organisation=other_org, by=other_org_editor)
    services.withdraw_endorsement(endorsement=endorsement, by=other_org_editor)
    endorsement.refresh_from_db()
    assert endorsement.withdrawn_at
    again = services.endorse(statement=statement, organisation=other_org, by=other_org_editor)
    assert again.pk != endorsement.pk  # the withdrawn one is kept, with its time


def test_group_leads_write_on_behalf_of_their_group(client, lead, group, coordinator):
    client.force_login(lead)
    page = client.get("/en/priorities/new/")
    choices = dict(page.context["form"].fields["author"].choices)
    assert f"group:{group.pk}" in choices
    response = client.post("/en/priorities/new/", form_data(author=f"group:{group.pk}"))
    assert response.status_code == 302
    statement = PriorityStatement.objects.get()
    assert statement.author_group == group and statement.author_organisation is None


# --- views: drafting --------------------------------------------------------------------


def test_editor_writes_previews_and_submits(client, organisation, editor, coordinator):
    client.force_login(editor)
    response = client.post(
        "/ar/priorities/new/", form_data(author=f"organisation:{organisation.pk}", subsectors=["1"])
    )
    statement = PriorityStatement.objects.get()
    assert response["Location"] == f"/ar/priorities/{statement.slug}/preview/"
    preview = client.get(response["Location"])
    assert preview.status_code == 200 and "عنوان" in preview.content.decode()
    assert client.get(statement.get_absolute_url()).status_code == 404  # not published yet
    client.post(f"/ar/priorities/{statement.slug}/submit/")
    statement.refresh_from_db()
    assert statement.status == "in_review"
    assert (
        client.post(
            f"/ar/priorities/{statement.slug}/edit/", form_data(title_en="Sneaky")
        ).status_code
        == 302
    )
    statement.refresh_from_db()
    assert statement.title_en == "Title"


def test_cannot_write_for_another_organisation(client, organisation, other_org_editor):
    client.force_login(other_org_editor)
    client.post("/en/priorities/new/", form_data(author=f"organisation:{organisation.pk}"))
    assert not PriorityStatement.objects.exists()


def test_users_without_organisation_cannot_write(client, outsider):
    client.force_login(outsider)
    assert client.get("/en/priorities/new/").status_code == 404
    assert client.get("/en/priorities/mine/").status_code == 200


@pytest.mark.parametrize("person", ["anonymous", "outsider", "other_org_editor"])
def test_drafts_are_hidden_from_others(client, organisation, editor, person, request):
    statement = make_statement(organisation, by=editor)
    if person != "anonymous":
        client.force_login(request.getfixturevalue(person))
    for suffix in ("", "preview/", "edit/", "versions/1/", "changes/"):
        response = client.get(f"/en/priorities/{statement.slug}/{suffix}")
        assert response.status_code in {302, 404}, suffix
        if person != "anonymous":
            assert response.status_code == 404, suffix
    response = client.post(f"/en/priorities/{statement.slug}/submit/")
    statement.refresh_from_db()
    assert statement.status == "draft"


def test_coordinator_can_preview_a_statement_in_review(client, organisation, editor, coordinator):
    statement = make_statement(organisation, by=editor)
    services.submit_statement(statement=statement, by=editor)
    login_verified(client, coordinator)
    assert client.get(f"/en/priorities/{statement.slug}/preview/").status_code == 200


def test_posting_status_or_author_changes_nothing(client, organisation, editor, other_org_editor):
    other_org = other_org_editor.organisation_memberships.get().organisation
    client.force_login(editor)
    client.post(
        "/en/priorities/new/",
        form_data(
            author=f"organisation:{organisation.pk}",
            status="published",
            version="5",
            author_organisation=str(other_org.pk),
        ),
    )
    statement = PriorityStatement.objects.get()
    assert statement.status == "draft" and statement.version == 0
    assert statement.author_organisation == organisation


def test_bad_input(client, organisation, editor):
    client.force_login(editor)
    response = client.post(
        "/en/priorities/new/", form_data(author="organisation:999999", title_ar="", title_en="")
    )
    assert response.status_code == 200
    assert "author" in response.context["form"].errors
    assert response.context["form"].non_field_errors()
    assert not PriorityStatement.objects.exists()


@pytest.mark.parametrize("path", ["new/", "mine/"])
def test_drafting_needs_login(client, path):
    response = client.get(f"/en/priorities/{path}")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- views: endorsing -------------------------------------------------------------------


def test_endorse_needs_explicit_confirmation(
    client, organisation, editor, coordinator, other_org_editor
):
    statement = make_statement(organisation, by=editor, publish_by=coordinator)
    other_org = other_org_editor.organisation_memberships.get().organisation
    client.force_login(other_org_editor)
    url = f"/en/priorities/{statement.slug}/endorse/"
    client.post(url, {"organisation": other_org.pk})
    assert not Endorsement.objects.exists()
    client.post(url, {"organisation": other_org.pk, "confirm": "on"})
    client.post(url, {"organisation": other_org.pk, "confirm": "on"})  # double submission
    assert Endorsement.objects.live().count() == 1
    assert client.get(url).status_code == 405


def test_cannot_endorse_for_another_organisation(
    client, organisation, editor, coordinator, other_org_editor
):
    statement = make_statement(organisation, by=editor, publish_by=coordinator)
    third = make_organisation(name_en="Third")
    client.force_login(other_org_editor)
    client.post(
        f"/en/priorities/{statement.slug}/endorse/", {"organisation": third.pk, "confirm": "on"}
    )
    client.force_login(editor)  # the author's own organisation
    client.post(
        f"/en/priorities/{statement.slug}/endorse/",
        {"organisation": organisation.pk, "confirm": "on"},
    )
    assert not Endorsement.objects.exists()


def test_endorse_a_draft_is_404(client, organisation, editor, other_org_editor):
    statement = make_statement(organisation, by=editor)
    other_org = other_org_editor.organisation_memberships.get().organisation
    client.force_login(other_org_editor)
    response = client.post(
        f"/en/priorities/{statement.slug}/endorse/", {"organisation": other_org.pk, "confirm": "on"}
    )
    assert response.status_code == 404 and not Endorsement.objects.exists()


def test_withdraw_only_own_endorsement(client, organisation, editor, coordinator, other_org_editor):
    statement = make_statement(organisation, by=editor, publish_by=coordinator)
    other_org = other_org_editor.organisation_memberships.get().organisation
    endorsement = services.endorse(statement=statement, organisation=other_org, by=other_org_editor)
    url = f"/en/priorities/{statement.slug}/endorsements/{endorsement.pk}/withdraw/"
    client.force_login(editor)
    assert client.post(url).status_code == 404
    client.force_login(other_org_editor)
    assert client.post(url).status_code == 302
    endorsement.refresh_from_db()
    assert endorsement.withdrawn_at


# --- public pages -----------------------------------------------------------------------


def test_public_list_detail_and_endorsers_without_persons(
    client, organisation, editor, coordinator, other_org_editor
):
    statement = make_statement(organisation, by=editor, publish_by=coordinator)
    other_org = other_org_editor.organisation_memberships.get().organisation
    services.endorse(statement=statement, organisation=other_org, by=other_org_editor)
    quiet = make_organisation(name_en="Quiet Org", low_profile=True)
    services.endorse(statement=statement, organisation=quiet, by=coordinator)
    make_statement(organisation, by=editor, title_en="Unpublished draft")
    listing = client.get("/en/priorities/").content.decode()
    assert "Test priority" in listing and "Unpublished draft" not in listing
    assert "1 endorsing organisation" in listing
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "Elsewhere" in page and "Quiet Org" not in page
    assert other_org_editor.email not in page and editor.email not in page
    assert 'property="og:title" content="Test priority"' in page
    assert "print.css" in page
    client.force_login(other_org_editor)
    assert "Quiet Org" in client.get(statement.get_absolute_url()).content.decode()
    assert "2 endorsing organisations" in client.get("/en/priorities/").content.decode()
    services.withdraw_endorsement(
        endorsement=statement.endorsements.get(organisation=quiet), by=coordinator
    )
    assert "1 endorsing organisation" in client.get("/en/priorities/").content.decode()


def test_low_profile_author_is_not_named_in_public(client, editor, coordinator):
    quiet = make_organisation(
        name_en="Quiet Author", low_profile=True, members=[(editor, "editor")]
    )
    statement = make_statement(quiet, by=editor, publish_by=coordinator)
    for url in ("/en/priorities/", statement.get_absolute_url(), "/en/priorities/feed/"):
        html = client.get(url).content.decode()
        assert "Quiet Author" not in html, url
        assert "A member organisation" in html, url


def test_filters_and_search(client, organisation, editor, coordinator):
    from members.models import Governorate, Subsector

    first = make_statement(
        organisation, by=editor, publish_by=coordinator, title_ar="تعليم الفتيات في إدلب"
    )
    first.subsectors.add(Subsector.objects.get(code="girls"))
    first.governorates.add(Governorate.objects.get(pcode="SY07"))
    make_statement(
        organisation,
        by=editor,
        publish_by=coordinator,
        title_ar="رواتب المعلمين",
        title_en="Teachers",
    )

    def titles(query):
        return [s.pk for s in client.get(f"/ar/priorities/?{query}").context["statements"]]

    assert titles("subsector=girls") == [first.pk]
    assert titles("governorate=SY07") == [first.pk]
    assert titles("q=الفتيات") == [first.pk]
    assert titles("q=فتيات ادلب") == [first.pk]
    assert len(titles(f"author={organisation.slug}")) == 2
    assert client.get("/ar/priorities/?subsector=<x>&governorate=ZZ").status_code == 200


def test_versions_and_changes(client, organisation, editor, coordinator):
    statement = make_statement(organisation, by=editor, publish_by=coordinator)
    _republish(statement, editor, coordinator, substantive=True)
    assert (
        "First paragraph"
        in client.get(f"/en/priorities/{statement.slug}/versions/1/").content.decode()
    )
    changes = client.get(f"/en/priorities/{statement.slug}/changes/?from=1&to=2").content.decode()
    assert "<del>" in changes and "<ins>Version two.</ins>" in changes or "<ins>" in changes
    for bad in ("from=2&to=1", "from=a&to=b", "from=1&to=9"):
        assert client.get(f"/en/priorities/{statement.slug}/changes/?{bad}").status_code == 404
    assert client.get(f"/en/priorities/{statement.slug}/versions/7/").status_code == 404


def test_feed(client, organisation, editor, coordinator):
    make_statement(organisation, by=editor, publish_by=coordinator, summary_en="For donors.")
    make_statement(organisation, by=editor, title_en="Secret draft")
    response = client.get("/en/priorities/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "<title>Test priority</title>" in body and "For donors." in body
    assert "Secret draft" not in body and editor.email not in body


def test_by_subsector_page(client, organisation, editor, coordinator, other_org_editor):
    from members.models import Subsector

    statement = make_statement(organisation, by=editor, publish_by=coordinator)
    statement.subsectors.add(Subsector.objects.get(code="pss"))
    other_org = other_org_editor.organisation_memberships.get().organisation
    services.endorse(statement=statement, organisation=other_org, by=other_org_editor)
    response = client.get("/en/priorities/by-subsector/")
    row = next(s for s in response.context["subsectors"] if s.code == "pss")
    assert (row.statement_count, row.organisation_count) == (1, 1)


def test_withdrawn_statements_disappear(client, organisation, editor, coordinator):
    statement = make_statement(organisation, by=editor, publish_by=coordinator)
    services.withdraw_statement(statement=statement, by=coordinator)
    assert client.get(statement.get_absolute_url()).status_code == 404
    assert statement.slug not in client.get("/sitemap.xml").content.decode()
    assert "Test priority" not in client.get("/en/priorities/feed/").content.decode()


def test_list_and_detail_query_counts_are_flat(
    client, organisation, editor, coordinator, django_assert_max_num_queries
):
    statement = make_statement(organisation, by=editor, publish_by=coordinator)

    def grow(n):
        for i in range(n):
            endorser = make_organisation(name_en=f"E{i}")
            services.endorse(statement=statement, organisation=endorser, by=coordinator)
            make_statement(organisation, by=editor, publish_by=coordinator, title_en=f"S{i}")

    grow(2)
    with django_assert_max_num_queries(30) as small_list:
        client.get("/en/priorities/")
    with django_assert_max_num_queries(30) as small_detail:
        client.get(statement.get_absolute_url())
    grow(15)
    with django_assert_max_num_queries(len(small_list.captured_queries)):
        client.get("/en/priorities/")
    with django_assert_max_num_queries(len(small_detail.captured_queries)):
        client.get(statement.get_absolute_url())


def test_public_pages_refuse_post(client, organisation, editor, coordinator):
    statement = make_statement(organisation, by=editor, publish_by=coordinator)
    for url in ("/en/priorities/", statement.get_absolute_url(), "/en/priorities/by-subsector/"):
        assert client.post(url).status_code == 405


def test_make_group_statement_recipients(group, lead, coordinator):
    statement = make_statement(group, by=lead)
    assert services.author_recipients(statement) == [(lead.email, "ar")]
