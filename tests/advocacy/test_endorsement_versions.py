"""Endorsements across versions: donors see who endorses the text they read."""

import pytest

from advocacy import services
from advocacy.models import Endorsement
from tests.advocacy.test_statements import make_statement
from tests.conftest import make_organisation, make_user

pytestmark = pytest.mark.django_db


def republish(statement, coordinator, *, substantive, text):
    statement.refresh_from_db()
    statement.body_en = text
    services.save_draft(statement=statement, by=coordinator)
    services.submit_statement(statement=statement, by=coordinator)
    return services.publish_statement(statement=statement, by=coordinator, substantive=substantive)


@pytest.fixture
def endorsed(organisation, editor, coordinator):
    """ "Keep teachers paid", version 1, endorsed by the first organisation and four others."""
    author = make_organisation(name_en="Author Org")
    statement = make_statement(author, title_en="Keep teachers paid", publish_by=coordinator)
    services.endorse(statement=statement, organisation=organisation, by=editor)
    for n in range(4):
        user = make_user()
        services.endorse(
            statement=statement,
            organisation=make_organisation(name_en=f"Endorser {n}", members=[(user, "editor")]),
            by=user,
        )
    return statement


def test_counts_after_a_substantive_change(client, endorsed, coordinator):
    republish(endorsed, coordinator, substantive=True, text="Teachers' salaries, new text.")
    listing = client.get("/en/priorities/").content.decode()
    assert "0 endorsing organisations" in listing
    assert "(and 5 for earlier versions)" in listing
    response = client.get(endorsed.get_absolute_url().replace("/ar/", "/en/"))
    html = response.content.decode()
    assert len(response.context["current_endorsements"]) == 0
    assert len(response.context["earlier_endorsements"]) == 5
    assert "No organisation has endorsed version 2 yet" in html
    assert "5 organisations endorsed an earlier version and have not yet confirmed this one" in html
    assert "The text changed substantially after they endorsed it" in html


def test_re_confirming_is_one_click(client, endorsed, organisation, editor, coordinator):
    republish(endorsed, coordinator, substantive=True, text="New text.")
    client.force_login(editor)
    url = endorsed.get_absolute_url().replace("/ar/", "/en/")
    html = client.get(url).content.decode()
    assert "Confirm the endorsement of version 2" in html
    # The button's form: the organisation and the confirmation, nothing to tick.
    response = client.post(
        f"{url}endorse/", {"organisation": organisation.pk, "confirm": "on"}, follow=True
    )
    assert response.status_code == 200
    assert len(response.context["current_endorsements"]) == 1
    assert len(response.context["earlier_endorsements"]) == 4
    assert "Confirm the endorsement of version 2" not in response.content.decode()
    assert Endorsement.objects.get(organisation=organisation).version == 2


def test_a_minor_change_keeps_unconfirmed_endorsers_apart(
    client, endorsed, organisation, editor, coordinator
):
    endorsed = republish(endorsed, coordinator, substantive=True, text="New text.")
    services.endorse(statement=endorsed, organisation=organisation, by=editor)
    republish(endorsed, coordinator, substantive=False, text="New text, typo fixed.")
    versions = dict(Endorsement.objects.values_list("organisation__name_en", "version"))
    assert versions[organisation.name_en] == 3  # confirmed version 2, carried over to 3
    assert {versions[f"Endorser {n}"] for n in range(4)} == {1}  # still not confirmed


def test_an_outsider_cannot_re_confirm_for_another_organisation(
    client, endorsed, outsider, organisation, coordinator
):
    republish(endorsed, coordinator, substantive=True, text="New text.")
    client.force_login(outsider)
    url = endorsed.get_absolute_url().replace("/ar/", "/en/")
    client.post(f"{url}endorse/", {"organisation": organisation.pk, "confirm": "on"})
    assert Endorsement.objects.get(organisation=organisation).version == 1
