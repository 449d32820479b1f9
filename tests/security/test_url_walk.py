"""Every URL pattern of the site, walked as an anonymous visitor and as an outsider."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.conftest import snapshot

pytestmark = pytest.mark.django_db

OUR_MODULES = (
    "platform_site",
    "network",
    "members",
    "working_groups",
    "knowledge_bank",
    "news",
    "events",
    "advocacy",
    "corrections",
    "api",
)

# Public pages and the status an anonymous visitor gets with the test world.
PUBLIC = {
    "home": 200,
    "about": 200,
    "healthz": 200,
    "readyz": 200,
    "robots_txt": 200,
    "sitemap": 200,
    "contact": 200,
    "coverage": 200,
    "members:list": 200,
    "members:detail": 200,
    "working_groups:list": 200,
    "working_groups:detail": 200,
    "working_groups:calendar": 200,
    "advocacy:list": 200,
    "advocacy:feed": 200,
    "advocacy:by_subsector": 200,
    "advocacy:detail": 200,
    "advocacy:version": 200,
    "advocacy:rounds": 200,
    "advocacy:round": 200,
    "advocacy:round_results": 404,  # the round is still open: no tallies for anyone
    "advocacy:changes": 404,  # only one version so far
    "knowledge_bank:list": 200,
    "knowledge_bank:detail": 200,
    "knowledge_bank:download": 200,
    "knowledge_bank:programmes": 200,
    "knowledge_bank:statistics": 200,
    "knowledge_bank:export_organisations": 200,
    "knowledge_bank:export_programmes": 200,
    "knowledge_bank:series_list": 200,
    "knowledge_bank:series": 200,
    "knowledge_bank:series_feed": 200,
    "network:membership": 200,
    "network:conduct_version": 200,
    "news:list": 200,
    "news:detail": 200,
    "news:feed": 200,
    "events:list": 200,
    "events:past": 200,
    "events:calendar": 200,
    "events:detail": 200,
    "events:material": 404,  # a link, not a file
    # The open data API: anonymous readers see what anonymous pages show.
    "api:api-root": 200,
    "api:schema": 200,
    "api:docs": 200,
    "api:coverage": 200,
    "api:organisation-list": 200,
    "api:organisation-detail": 200,
    "api:programme-list": 200,
    "api:programme-detail": 200,
    "api:working-group-list": 200,
    "api:working-group-detail": 200,
    "api:statement-list": 200,
    "api:statement-detail": 200,
    "api:resource-list": 200,
    "api:resource-detail": 200,
    "unsubscribe": 400,  # the walk's token is not a genuine one: a clear page, no change
}


def kwargs_for(name, world):
    """Concrete URL arguments for each pattern, from the test world."""
    organisation = {"slug": world.organisation.slug}
    table = {
        "members:detail": organisation,
        "members:edit": organisation,
        "members:verify": organisation,
        "members:join": organisation,
        "members:users": organisation,
        "members:add_user": organisation,
        "members:export_own_data": organisation,
        "members:change_role": {**organisation, "pk": world.membership.pk},
        "members:remove_user": {**organisation, "pk": world.membership.pk},
        "members:decide_request": {**organisation, "pk": world.join_request.pk},
        "working_groups:detail": {"slug": world.group.slug},
        "working_groups:join": {"slug": world.group.slug},
        "working_groups:leave": {"slug": world.group.slug},
        "working_groups:calendar": {"slug": world.group.slug},
        "working_groups:meeting_create": {"slug": world.group.slug},
        "working_groups:decide": {"slug": world.group.slug, "pk": world.group_request.pk},
        "working_groups:meeting_edit": {"slug": world.group.slug, "pk": world.meeting.pk},
        "working_groups:meeting_cancel": {"slug": world.group.slug, "pk": world.meeting.pk},
        "working_groups:meeting_answer": {"slug": world.group.slug, "pk": world.meeting.pk},
        "unsubscribe": {"token": "not-a-genuine-token"},
        "advocacy:detail": {"slug": world.statement.slug},
        "advocacy:endorse": {"slug": world.statement.slug},
        "advocacy:changes": {"slug": world.statement.slug},
        "advocacy:version": {"slug": world.statement.slug, "number": 1},
        "advocacy:withdraw_endorsement": {
            "slug": world.statement.slug,
            "pk": world.statement.endorsements.get(organisation=world.hidden).pk,
        },
        "advocacy:edit": {"slug": world.draft.slug},
        "advocacy:preview": {"slug": world.draft.slug},
        "advocacy:submit": {"slug": world.draft.slug},
        "advocacy:round": {"slug": world.round.slug},
        "advocacy:vote": {"slug": world.round.slug},
        "advocacy:round_results": {"slug": world.round.slug},
        "knowledge_bank:detail": {"slug": world.resource.slug},
        "knowledge_bank:resource_edit": {"slug": world.resource.slug},
        "knowledge_bank:download": {"slug": world.resource.slug},
        "knowledge_bank:programme_edit": {"pk": world.programme.pk},
        "knowledge_bank:programme_close": {"pk": world.programme.pk},
        "knowledge_bank:export_organisations": {"fmt": "csv"},
        "knowledge_bank:export_programmes": {"fmt": "hxl"},
        "knowledge_bank:series": {"slug": world.series.slug},
        "knowledge_bank:series_feed": {"slug": world.series.slug},
        "network:conduct_version": {"version": 1},
        "news:detail": {"slug": world.news.slug},
        "events:detail": {"slug": world.event.slug},
        "events:register": {"slug": world.event.slug},
        "events:cancel": {"slug": world.event.slug, "pk": world.registration.pk},
        "events:material": {"slug": world.material.event.slug, "pk": world.material.pk},
        "corrections:suggest": organisation,
        "corrections:list": organisation,
        "corrections:detail": {**organisation, "pk": world.correction.pk},
        "tokens:revoke": {"pk": world.api_token.pk},
        "api:organisation-detail": organisation,
        "api:programme-detail": {"pk": world.programme.pk},
        "api:working-group-detail": {"slug": world.group.slug},
        "api:statement-detail": {"slug": world.statement.slug},
        "api:resource-detail": {"slug": world.resource.slug},
    }
    return table.get(name, {})


def our_url_names():
    """(name, has arguments) for every named pattern of our own apps."""
    found = []

    def walk(patterns, namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace == "admin":
                    continue
                walk(
                    entry.url_patterns,
                    f"{namespace}{entry.namespace}:" if entry.namespace else namespace,
                )
            elif isinstance(entry, URLPattern) and entry.name:
                module = getattr(entry.callback, "__module__", "")
                viewset = getattr(entry.callback, "cls", None)  # Django REST framework
                if (
                    module.startswith(OUR_MODULES)
                    or (viewset is not None and viewset.__module__.startswith(OUR_MODULES))
                    or getattr(entry.callback, "view_class", None)
                    and entry.callback.view_class.__module__.startswith(OUR_MODULES)
                ):
                    has_args = bool(entry.pattern.converters) or bool(
                        entry.pattern.regex.groupindex
                    )
                    found.append((f"{namespace}{entry.name}", has_args))

    walk(get_resolver().url_patterns)
    return sorted(set(found))


def test_the_walk_knows_every_pattern(world):
    """A new URL must be classified here before it can ship."""
    names = our_url_names()
    assert len(names) > 40
    missing = [name for name, has_args in names if has_args and not kwargs_for(name, world)]
    assert not missing, f"add these to kwargs_for(): {missing}"


def test_anonymous_walk(client, world):
    before = snapshot()
    for name, _has_args in our_url_names():
        url = reverse(name, kwargs=kwargs_for(name, world))
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if name in PUBLIC and method == "get":
                assert response.status_code == PUBLIC[name], (name, response.status_code)
                continue
            if name in PUBLIC:  # POST to a public page (400: the unsubscribe link's bad token)
                assert response.status_code in {405, 200, 302, 400, 403}, (
                    name,
                    method,
                    response.status_code,
                )
                continue
            status = response.status_code
            assert status in {302, 404, 405}, (name, method, status)
            if status == 302:
                assert "/login/" in response["Location"], (
                    name,
                    method,
                    response["Location"],
                )
    after = snapshot()
    changed = {key for key in before if before[key] != after[key]}
    # The contact form is public; an empty POST stores nothing.
    assert not changed, changed


# Pages about the first organisation's private things, and group pages only its leads use.
OTHERS_OBJECTS = [
    "members:edit",
    "members:verify",
    "members:users",
    "members:add_user",
    "members:export_own_data",
    "members:change_role",
    "members:remove_user",
    "members:decide_request",
    "working_groups:decide",
    "working_groups:meeting_edit",
    "working_groups:meeting_create",
    "working_groups:meeting_cancel",
    "working_groups:meeting_answer",
    "advocacy:edit",
    "advocacy:preview",
    "advocacy:submit",
    "advocacy:withdraw_endorsement",
    "knowledge_bank:resource_edit",
    "knowledge_bank:programme_edit",
    "knowledge_bank:programme_close",
    "events:cancel",
    "corrections:list",
    "corrections:detail",
    "tokens:revoke",
]


@pytest.mark.parametrize("person", ["other_org_editor", "outsider"])
def test_another_organisations_user_gets_404_and_changes_nothing(client, world, person, request):
    client.force_login(request.getfixturevalue(person))
    before = snapshot()
    for name in OTHERS_OBJECTS:
        url = reverse(name, kwargs=kwargs_for(name, world))
        data = {"role": "admin", "accept": "1", "title_en": "X", "email": "x@x.org"}
        statuses = {
            method: getattr(client, method)(url, data).status_code for method in ("get", "post")
        }
        # 405 only for a method the page never takes; the other method answers 404.
        assert set(statuses.values()) <= {404, 405} and 404 in statuses.values(), (name, statuses)
    assert snapshot() == before
