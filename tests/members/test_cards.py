"""The directory's cards are kept as HTML per organisation and language in each worker
(members.cards): what they show follows every change, and the freshness badge follows the
clock, without a change."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from members.models import FRESHNESS
from tests.conftest import make_organisation

pytestmark = pytest.mark.django_db


def directory(client, language="en", **params):
    response = client.get(f"/{language}/organisations/", {"q": "cedar", **params})
    assert response.status_code == 200
    return response.content.decode()


def test_a_card_follows_a_change_of_its_organisation(client):
    cedar = make_organisation(name_ar="رابطة الأرز", name_en="Cedar League", acronym="CL")
    assert "Cedar League" in directory(client) and "(CL)" in directory(client, page="1")
    cedar.name_en, cedar.acronym = "Cedar Union", "CU"
    cedar.save()
    page = directory(client, sort="")
    assert "Cedar Union" in page and "(CU)" in page and "Cedar League" not in page
    assert "رابطة الأرز" in directory(client, "ar")  # each language has its own card


def test_a_kept_card_turns_stale_when_its_profile_does(client, clock_cache):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        make_organisation(name_en="Cedar League", verified_at=now - FRESHNESS + timedelta(days=1))
        page = directory(client)
        assert "Up to date" in page and "Not confirmed for a year" not in page
    with time_machine.travel(now + timedelta(days=2), tick=False):
        page = directory(client, page="1")  # another address: not the page kept for a day
        assert "Not confirmed for a year" in page and "Up to date" not in page


def test_why_a_result_matched_is_written_into_the_kept_card(client):
    make_organisation(name_en="Cedar League", hq_city="Manbij")
    assert "Why it matched" not in directory(client)
    response = client.get("/en/organisations/", {"q": "manbij"})
    assert response.content.decode().count('class="match-reason"') == 1
    assert "headquarters in Manbij" in response.content.decode()


def test_a_card_is_kept_no_longer_than_a_cached_page(client, clock_cache):
    """A logo's address may be signed for a limited time (object storage): a card is rendered
    again after PAGE_TIMEOUT even when nothing changed through the site."""
    from members.models import Organisation
    from platform_site.cache import PAGE_TIMEOUT

    now = timezone.now()
    with time_machine.travel(now, tick=False):
        cedar = make_organisation(name_en="Cedar League")
        assert "Cedar League" in directory(client)
        Organisation.objects.filter(pk=cedar.pk).update(acronym="CDR")  # no signal, no renewal
        assert "(CDR)" not in directory(client, page="1")  # the kept card
    with time_machine.travel(now + timedelta(seconds=PAGE_TIMEOUT + 1), tick=False):
        assert "(CDR)" in directory(client, sort="")
