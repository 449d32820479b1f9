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
status) describe the organisation. A card of a fresh profile is kept only until the profile
stops counting as current (`Organisation.stale_on`), when its badge changes.
"""

import threading

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from members import search
from platform_site.cache import content_generations

TEMPLATE = "members/includes/organisation_card.html"
# Where the reasons go: a text no organisation can hold (names are escaped, "<" never stays).
_SLOT = "<reasons-slot/>"
MAX_CARDS = 25_000  # both languages of the bench's 10,000 organisations, with room

_cards: dict[tuple[int, str], tuple[str, str, object]] = {}
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


def _render(organisation, language: str) -> tuple[str, str, object]:
    search.attach_related([organisation])
    context = {"organisation": organisation, "reasons": mark_safe(_SLOT)}  # noqa: S308
    html = render_to_string(TEMPLATE, context)
    before, after = html.split(_SLOT)
    return before, after, organisation.stale_on if organisation.is_fresh else None


def organisation_cards(organisations) -> list[SafeString]:
    """The card of each organisation, in the active language, with its search reasons."""
    language = get_language() or "ar"
    if getattr(cache, "available", True):
        kept = _kept(content_generations(("members",)))
    else:  # the shared cache is away: changes elsewhere are unknown, keep nothing
        kept = {}
    now = timezone.now()
    cards = []
    for organisation in organisations:
        key = (organisation.pk, language)
        card = kept.get(key)
        if card is None or (card[2] is not None and card[2] <= now):
            card = _render(organisation, language)
            if len(kept) >= MAX_CARDS:
                kept.clear()
            kept[key] = card
        before, after, _expires = card
        cards.append(mark_safe(before + match_reasons(organisation) + after))  # noqa: S308
    return cards
