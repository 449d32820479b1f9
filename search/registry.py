"""What the whole-site search looks through: one `Kind` per kind of content.

Each kind answers "the rows of this kind that this audience may see, holding these words" in
one function, always starting from the model's `visible_to(audience)`, and says how one
result is shown. To add a kind (news, events), give its model a `search_text` column filled
with `platform_site.text.index_text(...)` on save, a `SearchQuerySet` queryset (with
`visible_to`), the PostgreSQL indexes (`platform_site.search.postgres_search_indexes` in a
migration) and a partial `templates/search/includes/<key>.html`; then add one entry to
`KINDS` below, in the order the page shows them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from advocacy.filters import search_statements
from advocacy.models import PriorityStatement
from events.models import Event
from knowledge_bank.models import ReportSeries, Resource
from members.models import Organisation
from members.search import RankedResults, document_column, matching_ids, relevance_order
from news.models import NewsItem
from working_groups.models import WorkingGroup


@dataclass(frozen=True)
class Kind:
    key: str  # names the partial templates/search/includes/<key>.html and the page's anchor
    label: str  # the heading of the group of results
    results: Callable[[object, str], QuerySet]  # (audience, query) -> visible matching rows
    list_url: str = ""  # URL name of the kind's own list page, which takes ?q=

    def more_url(self, query: str) -> str:
        return f"{reverse(self.list_url)}?{urlencode({'q': query})}" if self.list_url else ""


def _organisations(audience, query):
    visible = Organisation.objects.visible_to(audience)
    ids = matching_ids(visible, query, document_column(audience)) or []
    return RankedResults(visible, relevance_order(ids, query, get_language() or "ar"))


def _statements(audience, query):
    # An author this reader may not see never makes its statements findable by its name.
    published = PriorityStatement.objects.visible_to(audience).published()  # not drafts
    return (
        search_statements(published, query, audience)
        .select_related("current")
        .order_by("-rank", "-published_at", "-pk")
    )


def _resources(audience, query):
    return (
        Resource.objects.visible_to(audience)
        .search(query)
        .select_related("publisher")
        .order_by("-rank", "-featured", "-published_on", "-pk")
    )


def _working_groups(audience, query):
    return WorkingGroup.objects.visible_to(audience).search(query).order_by("-rank", "name_ar")


def _news(audience, query):
    return (
        NewsItem.objects.visible_to(audience)
        .published()  # coordinators' drafts and scheduled items stay in the admin
        .search(query)
        .order_by("-rank", "-published_at", "-pk")
    )


def _events(audience, query):
    return (
        Event.objects.visible_to(audience)
        .exclude(status=Event.Status.DRAFT)
        .search(query)
        .order_by("-rank", "-starts_at", "-pk")
    )


def _report_series(audience, query):
    return ReportSeries.objects.visible_to(audience).search(query).order_by("-rank", "pk")


KINDS = [
    Kind("organisations", _("Organisations"), _organisations, "members:list"),
    Kind("statements", _("Priority statements"), _statements, "advocacy:list"),
    Kind("resources", _("Knowledge bank"), _resources, "knowledge_bank:list"),
    Kind("working_groups", _("Working groups"), _working_groups),
    Kind("news", _("News"), _news),
    Kind("events", _("Events"), _events),
    Kind("report_series", _("Report series"), _report_series),
]
