"""/healthz answers before the heavy middleware (platform_site/fast_paths.py, issue 17)."""

import pytest
from django.conf import settings


def test_healthz_answers_before_sessions_and_the_access_policy(
    client, db, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
    assert response["Content-Type"] == "text/plain"
    assert response["Cache-Control"] == "no-store"
    # Answered by the fast path: the middleware after it did not run.
    assert "Vary" not in response and "Content-Language" not in response
    assert not response.cookies
    # Still logged and timed, and as closed to framing and sniffing as any page.
    assert response["Server-Timing"].startswith("app;dur=") and response["X-Request-ID"]
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_healthz_of_a_signed_in_person_loads_no_session(client, editor, django_assert_num_queries):
    client.force_login(editor)
    with django_assert_num_queries(0):
        assert client.get("/healthz").content == b"ok"


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_healthz_only_reads(client, method):
    response = getattr(client, method)("/healthz")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"


def test_head_and_other_paths(client, db):
    assert client.head("/healthz").status_code == 200
    assert client.get("/healthz/").status_code == 404  # only the exact path
    assert client.get("/robots.txt")["Content-Language"]  # the rest goes through everything


def test_the_fast_path_runs_after_the_request_log_and_before_sessions():
    stack = settings.MIDDLEWARE
    fast = stack.index("platform_site.fast_paths.HealthzMiddleware")
    assert stack.index("platform_site.middleware.RequestLogMiddleware") < fast
    assert fast < stack.index("django.contrib.sessions.middleware.SessionMiddleware")


def _csp_response(request_path="/x/", **attributes):
    from django.http import HttpResponse
    from django.test import RequestFactory

    from platform_site.fast_paths import CachedCSPMiddleware

    response = HttpResponse("page")
    for name, value in attributes.items():
        setattr(response, name, value)
    middleware = CachedCSPMiddleware(lambda request: response)
    return middleware(RequestFactory().get(request_path))


def test_the_csp_header_is_django_csps_own():
    from csp.utils import build_policy

    response = _csp_response()
    assert response["Content-Security-Policy"] == build_policy()
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_a_changed_policy_still_goes_through_django_csp():
    response = _csp_response(_csp_update={"img-src": ["https://maps.example.org"]})
    assert "https://maps.example.org" in response["Content-Security-Policy"]
    assert "Content-Security-Policy" not in _csp_response(_csp_exempt=True)


def test_the_header_follows_the_settings(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert _csp_response()["Content-Security-Policy"] == "default-src 'none'"
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"img-src": ["'self'"]}}
    assert "img-src 'self'" in _csp_response()["Content-Security-Policy-Report-Only"]
