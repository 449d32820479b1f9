"""Every state-changing view × every role: the expected answer and the expected effect.

`True` means the role may do it (the database changes); `404` means the object is not there for
that role; `"login"` means an anonymous visitor is sent to log in; `"kept"` means the view
answers but refuses with a message, changing nothing.
"""

import pytest
from django.urls import reverse

from tests.conftest import login_verified
from tests.security.conftest import snapshot
from tests.security.test_url_walk import kwargs_for

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "outsider",
    "editor",
    "org_admin",
    "lead",
    "coordinator",
    "other_org_editor",
    # A coordinator's account whose session has only passed the password: a signed-in person
    # without an organisation, exactly like `outsider` (platform_site.audience).
    "coordinator_password_only",
]


def own_organisation(world, user):
    membership = user.organisation_memberships.filter(organisation__status="active").first()
    return membership.organisation.pk if membership else 0


MATRIX = {
    # name: (data(world, user), {role: expectation}); roles not listed are refused with 404.
    "members:verify": (lambda w, u: {}, {"editor": True, "org_admin": True}),
    "members:join": (
        lambda w, u: {"message": "hello"},
        {
            "outsider": True,
            "lead": True,
            "other_org_editor": True,
            "coordinator": True,
            "editor": "kept",
            "org_admin": "kept",
        },
    ),
    "members:add_user": (
        lambda w, u: {"email": "pending-applicant@example.org", "role": "editor"},
        {"org_admin": True},
    ),
    "members:change_role": (lambda w, u: {"role": "admin"}, {"org_admin": True}),
    "members:remove_user": (lambda w, u: {}, {"org_admin": True}),
    "members:decide_request": (lambda w, u: {"accept": "1"}, {"org_admin": True}),
    "working_groups:join": (
        lambda w, u: {"organisation": own_organisation(w, u)},
        {
            "editor": "kept",
            "org_admin": "kept",
            "other_org_editor": True,
            "outsider": "kept",
            "lead": "kept",
            "coordinator": "kept",
        },
    ),
    "working_groups:leave": (
        lambda w, u: {"membership": w.group_request.pk},
        {
            "editor": True,
            "org_admin": True,
            "outsider": "kept",
            "lead": "kept",
            "coordinator": "kept",
            "other_org_editor": "kept",
        },
    ),
    "working_groups:decide": (lambda w, u: {"accept": "1"}, {"lead": True, "coordinator": True}),
    "working_groups:meeting_create": (
        lambda w, u: {"title": "New", "starts_at": "2027-01-01T10:00", "visibility": "members"},
        {"lead": True, "coordinator": True},
    ),
    "advocacy:submit": (lambda w, u: {}, {"editor": True, "org_admin": True}),
    "advocacy:endorse": (
        lambda w, u: {"organisation": own_organisation(w, u), "confirm": "on"},
        {
            "lead": True,
            "editor": "kept",
            "org_admin": "kept",
            "outsider": "kept",
            "coordinator": "kept",
            "other_org_editor": "kept",
        },
    ),
    "advocacy:withdraw_endorsement": (
        lambda w, u: {},
        {},
    ),  # the hidden organisation's: nobody here
    "advocacy:vote": (
        lambda w, u: {
            "organisation": own_organisation(w, u),
            **{
                f"candidate_{c.pk}": v
                for c, v in zip(w.round.candidates.all(), (60, 40), strict=True)
            },
        },
        {
            "editor": True,
            "org_admin": True,
            "lead": True,
            "other_org_editor": True,
            "outsider": "kept",
            "coordinator": "kept",
        },
    ),
    "knowledge_bank:programme_close": (lambda w, u: {}, {"editor": True, "org_admin": True}),
}

CASES = [(name, role) for name in MATRIX for role in ROLES]


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_permission_matrix(client, world, request, name, role):
    make_data, allowed = MATRIX[name]
    if role == "coordinator_password_only":
        user = request.getfixturevalue("coordinator")
        client.force_login(user)
        expectation = allowed.get("outsider", 404)
    elif role == "coordinator":
        user = request.getfixturevalue(role)
        login_verified(client, user)
        expectation = allowed.get(role, 404)
    else:
        user = None if role == "anonymous" else request.getfixturevalue(role)
        if user:
            client.force_login(user)
        expectation = allowed.get(role, "login" if role == "anonymous" else 404)
    if role == "anonymous":
        expectation = "login"
    url = reverse(name, kwargs=kwargs_for(name, world))
    before = snapshot()
    response = client.post(url, make_data(world, user) if user else {})
    changed = snapshot() != before
    if expectation is True:
        assert response.status_code in {200, 302} and changed, (response.status_code, changed)
    elif expectation == "kept":
        assert response.status_code in {200, 302} and not changed, (response.status_code, changed)
    elif expectation == "login":
        assert response.status_code == 302 and "/login/" in response["Location"] and not changed
    else:
        assert response.status_code == expectation and not changed, (response.status_code, changed)


POST_ONLY = [
    name for name in MATRIX if name != "working_groups:meeting_create"
]  # that one is a form page


@pytest.mark.parametrize("name", POST_ONLY)
def test_post_only_views_refuse_get(client, world, editor, name):
    client.force_login(editor)
    assert client.get(reverse(name, kwargs=kwargs_for(name, world))).status_code == 405
