"""The directory's cards, kept as HTML per organisation and language in each worker.

A card (`members/includes/organisation_card.html`) shows what an organisation says of itself
— name, type, freshness, governorates, sub-sectors — and, after a search, why it matched. The
first part is the same for every reader and every search, so it is rendered once per
organisation and language and kept in this process until organisations change (the `members`
content generation, as `platform_site.process_cache` does); the reasons are written into
their slot for each page. A page of twenty results then costs twenty look-ups instead of
twenty template renderings, which was most of a search's rendering time.

What a card shows does not depend on who reads it: who may see the organisation at all is
decided before (`Organisation.objects.visible_to`), and its badges ("Members only", its
status) describe the organisation. A card is kept no longer than a cached page (a logo's
address may be signed for a limited time), and a fresh profile's card only until the profile
stops counting as current (`Organisation.stale_on`), when its badge changes.
"""

import threading
from datetime import timedelta

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from members import search
from platform_site.cache import PAGE_TIMEOUT, content_generations

TEMPLATE = "members/includes/organisation_card.html"
# Where the reasons go: a text no organisation can hold (names are escaped, "<" never stays).
_SLOT = "<reasons-slot/>"
MAX_CARDS = 25_000  # both languages of the bench's 10,000 organisations, with room

_cards: dict[tuple[int, str], tuple[str, str, object, str]] = {}
_generation = [None]
_lock = threading.Lock()


def match_reasons(organisation) -> SafeString:
    """Why a search result matched (`members.search.explain_matches`), or nothing."""
    reasons = getattr(organisation, "search_reasons", None)
    if not reasons:
        return mark_safe("")  # noqa: S308 - empty
    return format_html(
        '<p class="small mb-0 match-reasons"><span class="visually-hidden">{}</span>{}</p>',
        _("Why it matched:"),
        format_html_join(" · ", '<span class="match-reason">{}</span>', ((r,) for r in reasons)),
    )


def _kept(generation: str) -> dict:
    """This process's cards, emptied when organisations changed since they were kept."""
    if _generation[0] != generation:
        with _lock:
            _cards.clear()
            _generation[0] = generation
    return _cards


def _rendered(organisation, generation, now) -> tuple[str, str, object, str]:
    """(the card before the reasons, after them, until when it holds, its generation)."""
    context = {"organisation": organisation, "reasons": mark_safe(_SLOT)}  # noqa: S308
    before, after = render_to_string(TEMPLATE, context).split(_SLOT)
    # Kept no longer than a cached page: a logo's address may be signed for a while only
    # (object storage), and a fresh profile's badge turns when it stops counting as current.
    until = now + timedelta(seconds=PAGE_TIMEOUT)
    if organisation.is_fresh:
        until = min(until, organisation.stale_on)
    return before, after, until, generation


def organisation_cards(organisations) -> list[SafeString]:
    """The card of each organisation, in the active language, with its search reasons."""
    language, now = get_language() or "ar", timezone.now()
    if getattr(cache, "available", True):
        generation = content_generations(("members",))
        kept = _kept(generation)
    else:  # the shared cache is away: changes elsewhere are unknown, keep nothing
        generation, kept = None, {}
    cards = {}
    for organisation in organisations:
        card = kept.get((organisation.pk, language))
        # A card kept under another generation (stored by a request that began before a
        # change) or past its time is rendered again.
        if card is not None and card[3] == generation and now < card[2]:
            cards[organisation.pk] = card
    missing = [organisation for organisation in organisations if organisation.pk not in cards]
    search.attach_related(missing)  # one reading of the facet index for all of them
    for organisation in missing:
        cards[organisation.pk] = card = _rendered(organisation, generation, now)
        if generation is not None:
            if len(kept) >= MAX_CARDS:
                kept.clear()
            kept[(organisation.pk, language)] = card
    return [
        mark_safe(cards[o.pk][0] + match_reasons(o) + cards[o.pk][1])  # noqa: S308
        for o in organisations
    ]
