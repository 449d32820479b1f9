"""Who is asking: the one input of every visibility decision (docs/architecture.md).

A request's audience is worked out once, lazily, by `AudienceMiddleware` and read as
`request.audience`. It reduces the roles of the product to four kinds:

- ``anonymous``: no session;
- ``signed_in``: a signed-in person without an active organisation (pending applicants
  included) — and a staff account whose session has not passed two-factor authentication;
- ``member``: a user of at least one active organisation, with the ids of their own
  organisations and of the working groups those lead or belong to;
- ``coordinator``: staff of the Coordinators group (or a superuser) whose session was
  verified by a second factor (or anywhere `STAFF_REQUIRE_MFA` is off, development only).

Every model with visibility answers `Model.objects.visible_to(audience)` (and, where people
edit, `editable_by(audience)`), built only from the fields below. Shared results key on
`audience.cache_key` and page copies on `audience.page_key`, both derived from these fields, so
they cannot drift from the rule.

This module sits at the bottom of the app graph: it reads the membership tables through
`django.apps` by label and never imports the apps above it.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.utils.functional import SimpleLazyObject

from platform_site.cache import cached_result
from platform_site.permissions import COORDINATORS

ANONYMOUS = "anonymous"
SIGNED_IN = "signed_in"
MEMBER = "member"
COORDINATOR = "coordinator"

_EDITABLE_STATUSES = ("pending", "active")


@dataclass(frozen=True)
class Audience:
    kind: str = ANONYMOUS
    user_id: int | None = None
    # Every organisation the person belongs to, whatever its status.
    organisation_ids: frozenset[int] = field(default_factory=frozenset)
    # Own organisations that are active members of the network.
    active_organisation_ids: frozenset[int] = field(default_factory=frozenset)
    # Own organisations whose profile they may edit (pending or active, any role).
    editable_organisation_ids: frozenset[int] = field(default_factory=frozenset)
    # Own organisations (pending or active) they administer.
    admin_organisation_ids: frozenset[int] = field(default_factory=frozenset)
    # Working groups that their active organisations lead or belong to (active membership).
    group_ids: frozenset[int] = field(default_factory=frozenset)
    # Working groups that their active organisations lead.
    led_group_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_authenticated(self) -> bool:
        return self.kind != ANONYMOUS

    @property
    def is_member(self) -> bool:
        """May read what the network shares with its members (coordinators may too)."""
        return self.kind in (MEMBER, COORDINATOR)

    @property
    def is_coordinator(self) -> bool:
        return self.kind == COORDINATOR

    @property
    def cache_key(self) -> str:
        """What results over organisations, their programmes and their resources depend on
        (the directory's facets, coverage, statistics), as a short string.

        All anonymous visitors and signed-in people without an organisation share one key
        ("public"), as do all coordinators ("coordinator") and all members whose own
        organisations are active ("member"): a member sees every active organisation and
        its programmes and resources, their own included, so their own organisations add
        nothing. Only own organisations that are not active (pending, suspended) do: they
        are named in the key. Contacts, meetings and events read more (an organisation's
        private contacts, group ids): a shared result over them keys on `page_key`.
        """
        if self.kind == COORDINATOR:
            return "coordinator"
        inactive = self.organisation_ids - self.active_organisation_ids
        if not self.is_member and not inactive:
            return "public"
        if not inactive:
            return self.kind
        return f"{self.kind}:o" + ",".join(map(str, sorted(inactive)))

    @property
    def page_key(self) -> str:
        """Everything about this audience a page may show differently: the kind, and every
        organisation and group of theirs by the part they play in it (links and buttons
        depend on a role). The user is not in it: pages that show something of the
        person alone (their own join request, say) add the user (platform_site.cache)."""
        if self.kind in (ANONYMOUS, COORDINATOR):
            return self.kind
        return self.roles_key

    @property
    def roles_key(self) -> str:
        """The kind and every organisation and group of the person's, by the part they play
        in it, for every kind (coordinators too): what a summary of the person's own
        organisations depends on (the dashboard's panels)."""
        parts = (
            self.organisation_ids,
            self.active_organisation_ids,
            self.editable_organisation_ids,
            self.admin_organisation_ids,
            self.group_ids,
            self.led_group_ids,
        )
        return f"{self.kind}:" + ":".join(",".join(map(str, sorted(ids))) for ids in parts)

    @classmethod
    def of(cls, who) -> Audience:
        """The audience of a request, a user or an audience (for code that has only a user,
        such as e-mails and calendar feeds: without a verified session, never a coordinator)."""
        if isinstance(who, Audience):
            return who
        audience = getattr(who, "audience", None)  # a request
        if audience is not None:
            return audience
        if hasattr(who, "META"):  # a request that did not pass the middleware
            return audience_for_request(who) if hasattr(who, "user") else ANONYMOUS_AUDIENCE
        if who is None or not who.is_authenticated:
            return ANONYMOUS_AUDIENCE
        request = getattr(who, "_audience_request", None)
        if request is not None and request() is not None:  # this user is `request.user`
            return audience_for_request(request())
        return _for_user(who, verified=False)


ANONYMOUS_AUDIENCE = Audience()


def session_is_verified(request) -> bool:
    """Did this session pass a second factor (allauth records it when a code is accepted), and
    does the account still have one? Removing the last authenticator removes the powers of
    every session until the account enrols again (credentials.services)."""
    if not settings.STAFF_REQUIRE_MFA:
        return True
    from allauth.account.authentication import get_authentication_records
    from allauth.mfa.utils import is_mfa_enabled

    return any(
        record.get("method") == "mfa"
        for record in get_authentication_records(request, request.user)
    ) and is_mfa_enabled(request.user, ["totp", "webauthn"])


def holds_coordinator_role(user) -> bool:
    """Staff of the Coordinators group, or a superuser — a role, not yet a power: the powers
    come with a verified session (`Audience.is_coordinator`)."""
    if not user.is_authenticated or not user.is_active or not user.is_staff:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_holds_coordinator_role", None)
    if cached is None:
        cached = user._holds_coordinator_role = user.groups.filter(name=COORDINATORS).exists()
    return cached


def _for_user(user, *, verified: bool) -> Audience:
    if verified and holds_coordinator_role(user):
        return Audience(kind=COORDINATOR, user_id=user.pk)
    OrganisationMember = apps.get_model("members", "OrganisationMember")
    rows = OrganisationMember.objects.filter(user=user).values_list(
        "organisation_id", "organisation__status", "role"
    )
    own, active, editable, administered = set(), set(), set(), set()
    for organisation_id, status, role in rows:
        own.add(organisation_id)
        if status == "active":
            active.add(organisation_id)
        if status in _EDITABLE_STATUSES:
            editable.add(organisation_id)
            if role == "admin":
                administered.add(organisation_id)
    groups, led = frozenset(), frozenset()
    if active:
        WorkingGroup = apps.get_model("working_groups", "WorkingGroup")
        led = frozenset(
            WorkingGroup.objects.filter(lead_organisations__in=active).values_list("pk", flat=True)
        )
        joined = WorkingGroup.objects.filter(
            memberships__organisation__in=active, memberships__status="active"
        ).values_list("pk", flat=True)
        groups = led | frozenset(joined)
    return Audience(
        kind=MEMBER if active else SIGNED_IN,
        user_id=user.pk,
        organisation_ids=frozenset(own),
        active_organisation_ids=frozenset(active),
        editable_organisation_ids=frozenset(editable),
        admin_organisation_ids=frozenset(administered),
        group_ids=groups,
        led_group_ids=led,
    )


def audience_for_request(request) -> Audience:
    user = request.user
    if not user.is_authenticated:
        return ANONYMOUS_AUDIENCE
    cached = getattr(user, "_request_audience", None)
    if cached is None:
        # Only staff with the role need the session checked (no query for everyone else).
        verified = holds_coordinator_role(user) and session_is_verified(request)
        cached = user._request_audience = _shared_for_user(user, verified=verified)
    return cached


def _shared_for_user(user, *, verified: bool) -> Audience:
    """`_for_user`, kept in the shared cache for the person's next requests until a row of
    the apps it reads changes (memberships and organisations; groups and their members)."""
    if verified and holds_coordinator_role(user):
        return Audience(kind=COORDINATOR, user_id=user.pk)
    return cached_result(
        "audience",
        apps=("members", "working_groups"),
        parts=(user.pk,),
        compute=lambda: _for_user(user, verified=False),
    )


class AudienceMiddleware:
    """Sets `request.audience`, worked out on first use (no query for pages that never ask)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        lazy_user = request.user

        def tagged_user():
            lazy_user.is_authenticated  # noqa: B018 -- evaluates the lazy user
            user = lazy_user._wrapped
            # Code that has only `request.user` asks through Audience.of(user): same answer.
            user._audience_request = weakref.ref(request)
            return user

        request.user = SimpleLazyObject(tagged_user)
        request.audience = SimpleLazyObject(lambda: audience_for_request(request))
        return self.get_response(request)
