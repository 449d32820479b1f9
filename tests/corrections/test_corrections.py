"""Suggested corrections: who may suggest, who decides, what changes, who is told."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from corrections.models import Correction
from members.models import Organisation
from tests.conftest import make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """`with sent():` runs the e-mails queued for after the commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def suggest_url(organisation):
    return reverse("corrections:suggest", kwargs={"slug": organisation.slug})


def form_data(organisation, **changes):
    from corrections.models import CORRECTABLE_FIELDS

    data = {name: getattr(organisation, name) or "" for name in CORRECTABLE_FIELDS}
    data.update(changes)
    data.setdefault("reason", "Their website moved last year.")
    return data


def suggest(client, organisation, **changes):
    return client.post(suggest_url(organisation), form_data(organisation, **changes))


def test_a_signed_in_person_suggests_and_editors_are_told(client, outsider, organisation, sent):
    client.force_login(outsider)
    assert client.get(suggest_url(organisation)).status_code == 200
    with sent():
        response = suggest(client, organisation, website="https://new.example.org", acronym="FSS2")
    assert response.status_code == 302
    correction = Correction.objects.get()
    assert correction.proposed == {"website": "https://new.example.org", "acronym": "FSS2"}
    assert correction.proposed_by == outsider and correction.is_open
    assert Organisation.objects.get(pk=organisation.pk).acronym == "FSS"  # nothing applied yet
    recipients = {message.to[0] for message in mail.outbox}
    assert recipients == {"admin@org.example.org", "editor@org.example.org"}


def test_nothing_changed_or_bad_values_are_refused_with_messages(client, outsider, organisation):
    client.force_login(outsider)
    unchanged = suggest(client, organisation)
    assert unchanged.status_code == 400
    assert unchanged.context["form"].non_field_errors()
    bad = suggest(client, organisation, website="javascript:alert(1)", founded_year="1066")
    assert bad.status_code == 400
    assert set(bad.context["form"].errors) >= {"website", "founded_year"}
    no_name = suggest(client, organisation, name_ar="", name_en="")
    assert no_name.status_code == 400
    no_reason = suggest(client, organisation, acronym="X", reason="")
    assert no_reason.status_code == 400
    assert not Correction.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, organisation):
    response = client.get(suggest_url(organisation))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.post(suggest_url(organisation), {}).status_code == 302
    assert not Correction.objects.exists()


def test_low_profile_and_pending_organisations_are_not_reachable(client, outsider, editor):
    quiet = make_organisation(name_en="Quiet", low_profile=True)
    pending = make_organisation(name_en="Pending", status="pending")
    client.force_login(outsider)
    for organisation in (quiet, pending):
        assert client.get(suggest_url(organisation)).status_code == 404
        assert suggest(client, organisation, acronym="Q").status_code == 404
    assert client.get(reverse("corrections:suggest", kwargs={"slug": "nothing"})).status_code == 404
    # A member sees the low-profile organisation, so may suggest a correction to it.
    make_organisation(name_en="Editor's own", members=[(editor, "editor")])
    client.force_login(editor)
    assert client.get(suggest_url(quiet)).status_code == 200


def test_suggestions_are_rate_limited(client, outsider, organisation):
    client.force_login(outsider)
    others = [make_organisation(name_en=f"Org {n}") for n in range(6)]
    statuses = [suggest(client, o, acronym=f"A{n}").status_code for n, o in enumerate(others)]
    assert statuses == [302] * 5 + [429]
    assert Correction.objects.count() == 5


def test_open_suggestions_per_organisation_are_limited(client, outsider, organisation):
    client.force_login(outsider)
    statuses = [suggest(client, organisation, acronym=f"A{n}").status_code for n in range(4)]
    assert statuses == [302, 302, 302, 429]


@pytest.fixture
def correction(client, outsider, organisation):
    client.force_login(outsider)
    with translation.override("ar"):  # suggested on an Arabic page
        suggest(
            client,
            organisation,
            website="https://new.example.org",
            acronym="FSS2",
            org_type="network",
        )
    client.logout()
    mail.outbox.clear()
    return Correction.objects.get()


def detail_url(correction):
    return reverse(
        "corrections:detail", kwargs={"slug": correction.organisation.slug, "pk": correction.pk}
    )


def test_an_editor_sees_both_values_and_accepts_some(client, editor, outsider, correction, sent):
    client.force_login(editor)
    page = client.get(detail_url(correction))
    assert page.status_code == 200
    rows = {row["name"]: row for row in page.context["rows"]}
    assert rows["acronym"]["current"] == "FSS" and rows["acronym"]["proposed"] == "FSS2"
    assert rows["org_type"]["proposed"] == "Network or coalition" or rows["org_type"]["proposed"]
    with sent():
        response = client.post(
            detail_url(correction),
            {"decision": "accept", "fields_accepted": ["website", "acronym"]},
        )
    assert response.status_code == 302
    organisation = Organisation.objects.get(pk=correction.organisation_id)
    assert organisation.website == "https://new.example.org" and organisation.acronym == "FSS2"
    assert organisation.org_type == "local_ngo"  # not ticked: unchanged
    correction.refresh_from_db()
    assert correction.status == "partly" and correction.decided_by == editor
    record = organisation.history.first()
    assert record.history_user == editor and str(correction.pk) in record.history_change_reason
    assert "FSS2" in organisation.search_text.upper()  # the model's own save ran
    (message,) = mail.outbox
    assert message.to == [outsider.email]


def test_a_coordinator_declines_with_a_reason(client_for, coordinator, outsider, correction, sent):
    client = client_for(coordinator)
    assert (
        client.get(
            reverse("corrections:list", kwargs={"slug": correction.organisation.slug})
        ).status_code
        == 200
    )
    refused = client.post(detail_url(correction), {"decision": "decline", "note": ""})
    assert refused.status_code == 400
    with sent():
        response = client.post(
            detail_url(correction), {"decision": "decline", "note": "Not verified."}
        )
    assert response.status_code == 302
    correction.refresh_from_db()
    assert correction.status == "declined" and correction.decision_note == "Not verified."
    assert Organisation.objects.get(pk=correction.organisation_id).acronym == "FSS"
    (message,) = mail.outbox
    assert message.to == [outsider.email] and "Not verified." in message.body
    # Decided once: a second decision changes nothing.
    again = client.post(
        detail_url(correction), {"decision": "accept", "fields_accepted": ["acronym"]}
    )
    assert again.status_code == 302
    assert Organisation.objects.get(pk=correction.organisation_id).acronym == "FSS"


@pytest.mark.parametrize("person", ["outsider", "other_org_editor"])
def test_others_cannot_decide(client, request, correction, person):
    client.force_login(request.getfixturevalue(person))
    assert client.get(detail_url(correction)).status_code == 404
    response = client.post(
        detail_url(correction), {"decision": "accept", "fields_accepted": ["acronym"]}
    )
    assert response.status_code == 404
    assert (
        client.get(
            reverse("corrections:list", kwargs={"slug": correction.organisation.slug})
        ).status_code
        == 404
    )
    assert Organisation.objects.get(pk=correction.organisation_id).acronym == "FSS"


def test_a_password_only_coordinator_cannot_decide(client, coordinator, correction):
    client.force_login(coordinator)
    assert client.get(detail_url(correction)).status_code == 404


def test_accept_needs_a_ticked_value_and_wrong_methods_are_refused(client, editor, correction):
    client.force_login(editor)
    response = client.post(detail_url(correction), {"decision": "accept"})
    assert response.status_code == 400
    assert client.put(detail_url(correction)).status_code == 405
    assert (
        client.post(
            reverse("corrections:list", kwargs={"slug": correction.organisation.slug})
        ).status_code
        == 405
    )


def test_profile_links(client, editor, outsider, correction):
    client.force_login(outsider)
    page = client.get(correction.organisation.get_absolute_url()).content.decode()
    assert reverse("corrections:suggest", kwargs={"slug": correction.organisation.slug}) in page
    assert reverse("corrections:list", kwargs={"slug": correction.organisation.slug}) not in page
    client.force_login(editor)
    page = client.get(correction.organisation.get_absolute_url()).content.decode()
    assert reverse("corrections:list", kwargs={"slug": correction.organisation.slug}) in page


def test_the_proposer_is_told_in_their_language(client, editor, correction, sent):
    client.force_login(editor)
    with sent():
        client.post(detail_url(correction), {"decision": "decline", "note": "No."})
    (message,) = mail.outbox
    assert any("\u0600" <= ch <= "\u06ff" for ch in message.subject)  # suggested on /ar/


def test_the_proposer_may_be_deleted(client, editor, correction, sent):
    correction.proposed_by.delete()
    client.force_login(editor)
    with sent():
        response = client.post(detail_url(correction), {"decision": "decline", "note": "No."})
    assert response.status_code == 302
    assert (
        client.post(detail_url(correction), {"decision": "decline", "note": "No."}).status_code
        == 302
    )
    assert not mail.outbox
