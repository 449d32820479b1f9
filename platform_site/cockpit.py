"""The admin's front page as the coordinators' cockpit.

It shows every queue of work waiting for the secretariat — a count and a link to the admin list
that holds it — and the coordinator's own recent decisions. Each count is the result count of
the very changelist the link opens (same `ModelAdmin.get_queryset`, same list filters), so the
number on the front page and the number of rows behind the link cannot disagree.

platform_site sits below the other apps: a queue names its model by label and the model's
admin is found in the admin site's registry. A queue whose app is not installed is left out.
"""

import copy
from dataclasses import dataclass
from urllib.parse import urlencode

from django.apps import apps
from django.contrib.admin.options import IncorrectLookupParameters
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from platform_site import audit

RECENT_DECISIONS = 10


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    model: str  # "app_label.ModelName"
    filters: dict[str, str]  # the changelist's query string


QUEUES = [
    Queue(
        "applications",
        _("Applications for membership waiting for a decision"),
        "members.Organisation",
        {"status__exact": "pending"},
    ),
    Queue(
        "group_requests",
        _("Requests to join a working group"),
        "working_groups.GroupMembership",
        {"status__exact": "requested"},
    ),
    Queue(
        "statements",
        _("Priority statements in review"),
        "advocacy.PriorityStatement",
        {"status__exact": "in_review"},
    ),
    Queue(
        "stale_profiles",
        _("Member profiles not confirmed for 12 months"),
        "members.Organisation",
        {"status__exact": "active", "freshness": "stale"},
    ),
    Queue(
        "contact_messages",
        _("Messages to the secretariat not yet handled"),
        "advocacy.ContactMessage",
        {"handled__exact": "0"},
    ),
    Queue(
        "failed_emails",
        _("E-mails that could not be sent"),
        "platform_site.Email",
        {"status__exact": "failed"},
    ),
]


def changelist_count(model_admin, request, filters: dict[str, str]) -> int:
    """How many rows the model's admin list shows with these filters, for this user."""
    listing = copy.copy(request)
    listing.GET = QueryDict(urlencode(filters))
    return model_admin.get_changelist_instance(listing).result_count


def queues(request, site) -> list[dict]:
    """Each queue this coordinator may open, with its count and its link."""
    found = []
    for queue in QUEUES:
        try:
            model = apps.get_model(queue.model)
        except LookupError:
            continue
        model_admin = site._registry.get(model)
        if model_admin is None or not model_admin.has_view_or_change_permission(request):
            continue
        try:
            count = changelist_count(model_admin, request, queue.filters)
        except IncorrectLookupParameters:  # a filter the admin no longer has: say so in tests
            continue
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist", current_app=site.name)
        found.append(
            {
                "key": queue.key,
                "label": queue.label,
                "count": count,
                "url": f"{url}?{urlencode(queue.filters)}",
            }
        )
    return found


def context(request, site) -> dict:
    return {
        "cockpit_queues": queues(request, site),
        "cockpit_decisions": audit.entries(user=request.user, limit=RECENT_DECISIONS),
    }


def install(site) -> None:
    """Give the admin site's front page the cockpit (called once, from the root URLconf)."""
    index = site.index

    def cockpit_index(request, extra_context=None):
        return index(request, extra_context={**context(request, site), **(extra_context or {})})

    site.index = cockpit_index
    site.index_template = "admin/cockpit.html"
