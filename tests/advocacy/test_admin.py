import pytest

from advocacy import services
from advocacy.models import PriorityStatement
from tests.advocacy.test_statements import make_statement

pytestmark = pytest.mark.django_db

CHANGELIST = "/ar/admin/advocacy/prioritystatement/"


@pytest.fixture
def admin_client(client, coordinator, settings):
    settings.STAFF_REQUIRE_MFA = False
    client.force_login(coordinator)
    return client


def test_publish_and_send_back_actions(admin_client, organisation, editor, coordinator):
    first = make_statement(organisation, by=editor, title_en="One")
    second = make_statement(organisation, by=editor, title_en="Two")
    for statement in (first, second):
        services.submit_statement(statement=statement, by=editor)
    admin_client.post(CHANGELIST, {"action": "publish_minor", "_selected_action": [first.pk]})
    page = admin_client.post(CHANGELIST, {"action": "send_back", "_selected_action": [second.pk]})
    assert "admin/action_text.html" in [t.name for t in page.templates]
    admin_client.post(
        CHANGELIST,
        {
            "action": "send_back",
            "_selected_action": [second.pk],
            "apply": "1",
            "text": "Add sources.",
        },
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "published" and first.version == 1 and first.published_by == coordinator
    assert second.status == "draft" and second.review_comment == "Add sources."


def test_publishing_a_draft_is_refused_in_admin(admin_client, organisation, editor):
    draft = make_statement(organisation, by=editor)
    response = admin_client.post(
        CHANGELIST, {"action": "publish_minor", "_selected_action": [draft.pk]}, follow=True
    )
    draft.refresh_from_db()
    assert draft.status == "draft" and response.status_code == 200


def test_admin_pages_render(admin_client, organisation, editor, coordinator):
    statement = make_statement(organisation, by=editor, publish_by=coordinator)
    for path in (
        CHANGELIST,
        f"{CHANGELIST}{statement.pk}/change/",
        f"{CHANGELIST}{statement.pk}/history/",
        "/ar/admin/advocacy/endorsement/",
        "/ar/admin/advocacy/contactmessage/",
    ):
        assert admin_client.get(path).status_code == 200, path


def test_only_coordinators_publish(client, organisation, editor):
    statement = make_statement(organisation, by=editor)
    services.submit_statement(statement=statement, by=editor)
    client.force_login(editor)
    client.post(CHANGELIST, {"action": "publish_minor", "_selected_action": [statement.pk]})
    assert PriorityStatement.objects.get().status == "in_review"
