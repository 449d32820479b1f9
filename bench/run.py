"""Measure the key pages under gunicorn with production settings (docs/product.md §8).

Starts gunicorn on PostgreSQL and Redis, then for each page measures the server time
(Server-Timing header: p50, p95 over sequential requests) and the throughput under
concurrent load, beside a trivial view (/healthz) of the same deployment in the same run.
Writes bench/results.md. Run through `make bench`, which prepares the database.
"""

import gzip
import http.cookiejar
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8099"))
BASE = f"http://127.0.0.1:{PORT}"
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sep_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
SEQUENTIAL, WARMUP, SECONDS, THREADS, WORKERS = 60, 5, 5, 4, 3
# `bench/run.py --search` measures only the search streams (bench/results-search.md);
# `bench/run.py --personas` only the signed-in people, the trivial view and the bare Django app
# (its section of bench/results.md).
SEARCH_ONLY = "--search" in sys.argv
PERSONAS_ONLY = "--personas" in sys.argv
BARE_PORT = int(os.environ.get("BENCH_BARE_PORT", str(PORT + 1)))
BUDGET_MS = 50
ENV = {
    **os.environ,
    "DJANGO_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "EMAIL_HOST": "localhost",
    "SECURE_SSL_REDIRECT": "false",
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
    "LOG_LEVEL": "WARNING",
}


def fetch(path, accept_gzip=False):
    request = urllib.request.Request(
        BASE + path, headers={"Accept-Encoding": "gzip"} if accept_gzip else {}
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        body = response.read()
        timing = response.headers.get("Server-Timing", "")
        status = response.status
    wall = (time.perf_counter() - started) * 1000
    match = re.search(r"dur=([\d.]+)", timing)
    return status, body, float(match.group(1)) if match else wall, wall


class SecureCookies(http.cookiejar.DefaultCookiePolicy):
    """Production cookies are Secure (`__Host-sessionid`): the bench talks plain HTTP to
    gunicorn as the TLS proxy does, and says so with X-Forwarded-Proto."""

    def return_ok_secure(self, cookie, request):
        return True


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the bench follows redirects itself, to see where the sign-in leads


class Persona:
    """One person's browser: a cookie jar, requests as through the TLS proxy."""

    def __init__(self, name):
        self.name = name
        self.jar = http.cookiejar.CookieJar(policy=SecureCookies())
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(self, path, data=None):
        """(status, body, server time in ms, Location) of one request, redirects not followed."""
        headers = {"X-Forwarded-Proto": "https"}
        if data is not None:
            headers |= {"Origin": f"https://127.0.0.1:{PORT}", "Referer": BASE + path}
            data = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(BASE + path, data=data, headers=headers)
        started = time.perf_counter()
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:  # 3xx and 4xx come as errors, with a body
            response = error
        with response:
            body = response.read()
            timing = response.headers.get("Server-Timing", "")
            location = response.headers.get("Location", "")
            status = response.status if hasattr(response, "status") else response.code
        match = re.search(r"dur=([\d.]+)", timing)
        server = float(match.group(1)) if match else (time.perf_counter() - started) * 1000
        return status, body, server, location

    def get(self, path):
        status, body, server, location = self.request(path)
        assert status == 200, (self.name, path, status, location)
        return status, body, server, location

    def post_form(self, path, fields, *, refused_ok=False):
        """GET the form (for its CSRF token), POST it; returns where it leads (with
        refused_ok, a form shown again answers its own path)."""
        _status, body, *_rest = self.get(path)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        status, body, _server, location = self.request(
            path, {"csrfmiddlewaretoken": token.decode(), **fields}
        )
        if refused_ok and status == 200:
            return path
        assert status in (302, 303), (self.name, path, status, body[:2000])
        return location

    def sign_in(self, email, password, totp_secret=None):
        """The login form; then, for staff, the second step with a code from the secret."""
        location = self.post_form("/ar/accounts/login/", {"login": email, "password": password})
        if totp_secret is None:
            return location
        assert "/2fa/authenticate/" in location, (self.name, location)
        for _attempt in range(3):
            # A code is accepted once (allauth marks it used): a rerun within the same 30 s
            # waits for the next one.
            code = totp_code(totp_secret)
            location = self.post_form(
                urllib.parse.urlparse(location).path, {"code": code}, refused_ok=True
            )
            if "/2fa/authenticate/" not in location:
                return location
            time.sleep(31 - time.time() % 30)
        raise AssertionError(f"{self.name}: the two-factor step refused the code")


def totp_code(secret):
    """The code an authenticator app shows now (allauth.mfa.totp: RFC 6238, SHA-1, 30 s)."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def throughput(path):
    count, stop = [0], time.perf_counter() + SECONDS
    lock = threading.Lock()

    def worker():
        while time.perf_counter() < stop:
            fetch(path)
            with lock:
                count[0] += 1

    concurrently(worker)
    return count[0] / SECONDS


def concurrently(job, threads=THREADS):
    workers = [threading.Thread(target=job) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def measure(path, bump):
    """Server times in three situations, and the throughput of the cached page.

    - cached: what anonymous visitors mostly get (the shared page cache);
    - rendered: the page is rendered, data caches are warm (every signed-in member, and the
      first anonymous visitor of a URL);
    - after a change: the first request after someone changed data (every cache of the
      site's content is invalidated before each request).
    """
    separator = "&" if "?" in path else "?"
    run = secrets.token_hex(4)  # never cached before, in this run or an earlier one

    export = "exports" in path  # an export takes seconds, not milliseconds

    def warm_up():  # from several clients at once, so that every worker has rendered the page
        for _round in range(1 if export else WARMUP):
            for variant in (path, f"{path}{separator}warm={secrets.token_hex(4)}"):
                status, *_rest = fetch(variant)
                assert status == 200, (variant, status)

    concurrently(warm_up)
    repeats = 5 if export else SEQUENTIAL
    cached = [fetch(path)[2] for _ in range(repeats)]
    rendered = [fetch(f"{path}{separator}nocache={run}{n}")[2] for n in range(repeats)]
    changed = []
    for n in range(max(5, repeats // 2)):
        bump()
        changed.append(fetch(f"{path}{separator}changed={run}{n}")[2])
    return {
        "p50": percentile(cached, 0.5),
        "p95": percentile(cached, 0.95),
        "rendered_p50": percentile(rendered, 0.5),
        "rendered_p95": percentile(rendered, 0.95),
        "changed_p50": percentile(changed, 0.5),
        "changed_p95": percentile(changed, 0.95),
        "rps": throughput(path),
    }


# --- search: distinct queries, cold -------------------------------------------------------

SEARCH_QUERIES = [
    line.strip()
    for line in (ROOT / "bench" / "search_queries.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
]
SEARCH_BUDGETS_MS = {"directory": 50, "whole site": 80}
SEARCH_CLIENTS = 8


def search_path(kind, query, token):
    """The page a person would search from: Arabic for Arabic words, English otherwise."""
    language = "en" if query.isascii() else "ar"
    page = "organisations/" if kind == "directory" else "search/"
    return f"/{language}/{page}?{urllib.parse.urlencode({'q': query, 'run': token})}"


def search_stream(kind, bump):
    """Each query once, in order, sequentially, cold: every cache of the site's content is
    invalidated before the stream and no URL was ever asked before (a fresh token)."""
    token = secrets.token_hex(4)
    bump()
    times = []
    for query in SEARCH_QUERIES:
        status, _body, server, _wall = fetch(search_path(kind, query, token))
        assert status == 200, (query, status)
        times.append(server)
    return {
        "p50": percentile(times, 0.5),
        "p95": percentile(times, 0.95),
        "max": max(times),
        "slowest": sorted(zip(times, SEARCH_QUERIES, strict=True), reverse=True)[:5],
    }


def search_throughput(kind, bump, *, repeat):
    """Requests/s of SEARCH_CLIENTS clients taking the next query of the list in turn.

    repeat=False: every request is new (a fresh token each time through the list: no page
    and no result is cached); each worker has rebuilt what it keeps per change of content (the
    word and facet indexes) before the clock starts, as it would have long before on a live
    site: the sequential stream measures those first requests. repeat=True: the list is asked
    again and again as visitors repeat searches: it is asked once before the clock starts, so
    what is measured comes from the page cache."""
    lock, position, count = threading.Lock(), [0], [0]
    tokens = [secrets.token_hex(4)]
    bump()
    if repeat:
        for query in SEARCH_QUERIES:
            fetch(search_path(kind, query, tokens[0]))
    else:
        for n in range(4 * WORKERS):  # words that are not in the list: nothing of it is kept
            fetch(search_path(kind, f"warm-up {n}", secrets.token_hex(4)))
    stop = time.perf_counter() + SECONDS

    def worker():
        while time.perf_counter() < stop:
            with lock:
                n = position[0]
                position[0] += 1
                if not repeat and n % len(SEARCH_QUERIES) == 0 and n:
                    tokens.append(secrets.token_hex(4))
                token = tokens[-1]
            status, *_rest = fetch(
                search_path(kind, SEARCH_QUERIES[n % len(SEARCH_QUERIES)], token)
            )
            assert status == 200
            with lock:
                count[0] += 1

    concurrently(worker, threads=SEARCH_CLIENTS)
    return count[0] / SECONDS


def search_report(bump):
    """Sequential cold streams of both searches, and throughput under 8 clients beside the
    trivial view's in the same run; returns the lines of bench/results-search.md and the
    budgets missed."""
    for n in range(4 * WORKERS):  # every worker has loaded its templates
        for kind in SEARCH_BUDGETS_MS:
            fetch(search_path(kind, f"warm-up {n}", secrets.token_hex(4)))
    load = os.getloadavg()
    streams = {kind: search_stream(kind, bump) for kind in SEARCH_BUDGETS_MS}
    trivial = throughput_with("/healthz", SEARCH_CLIENTS)
    cold = search_throughput("directory", bump, repeat=False)
    repeated = search_throughput("directory", bump, repeat=True)
    failures = [
        f"{kind} search p95" for kind, r in streams.items() if r["p95"] > SEARCH_BUDGETS_MS[kind]
    ]
    ratio_cold, ratio_repeated = cold / trivial, repeated / trivial
    if ratio_cold < 0.25:
        failures.append("distinct searches throughput ratio")
    lines = [
        "# Search benchmark: distinct queries, cold",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M')} · gunicorn, {WORKERS} workers, production settings, "
        f"PostgreSQL + Redis · {os.cpu_count()} cores, load average before the run "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (shared machine) · data: bench/generate.py "
        "(10,000 organisations, 30,000 programmes). Queries: bench/search_queries.txt "
        f"({len(SEARCH_QUERIES)} distinct searches in Arabic and English: places, sub-sectors, "
        "target groups, countries, names, acronyms, spelling variants and typos), each asked "
        "once, anonymously, after every cache of the site's content was invalidated, from the "
        "page of its language. Server time from the Server-Timing header.",
        "",
        "| search | p50 | p95 | max | budget: p95 |",
        "|---|---:|---:|---:|---|",
        *[
            f"| {kind} | {r['p50']:.1f} | {r['p95']:.1f} | {r['max']:.1f} "
            f"| ≤ {SEARCH_BUDGETS_MS[kind]} ms: "
            f"{'ok' if r['p95'] <= SEARCH_BUDGETS_MS[kind] else 'MISSED'} |"
            for kind, r in streams.items()
        ],
        "",
        "Slowest queries: "
        + "; ".join(
            f"{kind}: " + ", ".join(f"«{q}» {t:.0f} ms" for t, q in r["slowest"])
            for kind, r in streams.items()
        ),
        "",
        f"Under {SEARCH_CLIENTS} concurrent clients, for {SECONDS} s each:",
        "",
        "| requests | requests/s | ratio to trivial view |",
        "|---|---:|---:|",
        f"| trivial view (/healthz) | {trivial:.0f} | 100% |",
        f"| directory searches, every request new (nothing cached) | {cold:.0f} "
        f"| {ratio_cold:.0%} |",
        f"| directory searches asked before (the list asked again: from the page cache) "
        f"| {repeated:.0f} | {ratio_repeated:.0%} |",
        "",
        f"Budget ≥ 25% for distinct searches: {'ok' if ratio_cold >= 0.25 else 'MISSED'} "
        "(checked on the row where every request is new).",
    ]
    return lines, failures


def throughput_with(path, threads):
    count, stop = [0], time.perf_counter() + SECONDS
    lock = threading.Lock()

    def worker():
        while time.perf_counter() < stop:
            fetch(path)
            with lock:
                count[0] += 1

    concurrently(worker, threads=threads)
    return count[0] / SECONDS


# --- signed-in people (issue 17) ----------------------------------------------------------

PERSONA_CLIENTS = 8
PERSONA_BUDGETS_MS = {"member": 50, "editor": 50, "edit form": 80, "admin": 150}
PERSONAS_HEADING = "## Signed-in people"


NOTES_HEADING = "## Notes"


def kept_notes(path):
    """The hand-written notes at the end of a results file (measurements before and after a
    change, findings), kept when the bench rewrites the file."""
    text = path.read_text() if path.exists() else ""
    return "\n" + NOTES_HEADING + text.split(NOTES_HEADING, 1)[1] if NOTES_HEADING in text else ""


def persona_pages(organisation, statement):
    """(persona, label, path, budget kind) of every page the bench asks as a signed-in person."""
    from django.contrib.auth import get_user_model

    from members.models import OrganisationMember
    from working_groups.models import GroupMembership

    own = OrganisationMember.objects.select_related("organisation").get(
        user__email=get_user_model().objects.get(username="bench-member").email
    )
    group = (
        GroupMembership.objects.filter(organisation=own.organisation, status="active")
        .select_related("group")
        .first()
        .group
    )
    slug = own.organisation.slug
    return [
        ("member", "home", "/ar/", "member"),
        ("member", "directory", "/ar/organisations/", "member"),
        (
            "member",
            "directory, two filters",
            "/ar/organisations/?governorate=SY07&subsector=nfe",
            "member",
        ),
        (
            "member",
            "profile (another organisation)",
            f"/ar/organisations/{organisation}/",
            "member",
        ),
        ("member", "coverage", "/ar/coverage/", "member"),
        ("member", "statistics", "/ar/knowledge-bank/statistics/", "member"),
        ("member", "priorities list", "/ar/priorities/", "member"),
        ("member", "a statement", f"/ar/priorities/{statement}/", "member"),
        ("member", "dashboard", "/ar/dashboard/", "member"),
        ("member", "working group page", f"/ar/working-groups/{group.slug}/", "member"),
        ("editor", "own organisation's profile", f"/ar/organisations/{slug}/", "editor"),
        ("editor", "own organisation's edit form", f"/ar/organisations/{slug}/edit/", "edit form"),
        ("coordinator", "admin: organisations", "/ar/admin/members/organisation/", "admin"),
        ("coordinator", "admin: programmes", "/ar/admin/knowledge_bank/programme/", "admin"),
        ("coordinator", "audit log (history)", "/ar/admin/audit/", "admin"),
    ]


def measure_persona(persona, path, bump):
    """Server times of one person asking one page again and again (sequential), after every
    worker rendered it; and of the first request after a change (caches invalidated)."""

    def warm_up():
        for _round in range(WARMUP):
            persona.get(path)

    concurrently(warm_up, threads=WORKERS)
    repeated = [persona.get(path)[2] for _ in range(SEQUENTIAL)]
    changed = []
    for _n in range(10):
        bump()
        changed.append(persona.get(path)[2])
    return {
        "p50": percentile(repeated, 0.5),
        "p95": percentile(repeated, 0.95),
        "max": max(repeated),
        "changed_p50": percentile(changed, 0.5),
        "changed_p95": percentile(changed, 0.95),
    }


def persona_throughput(fetch_one, threads=PERSONA_CLIENTS):
    count, stop = [0], time.perf_counter() + SECONDS
    lock = threading.Lock()

    def worker():
        while time.perf_counter() < stop:
            fetch_one()
            with lock:
                count[0] += 1

    concurrently(worker, threads=threads)
    return count[0] / SECONDS


def bare_fetch(path="/healthz"):
    with urllib.request.urlopen(f"http://127.0.0.1:{BARE_PORT}{path}", timeout=60) as response:
        response.read()


def persona_report(bump, organisation, statement):
    """The signed-in people's pages, sequential and under PERSONA_CLIENTS clients, beside the
    trivial view and the bare Django app in the same run: the lines of the section of
    bench/results.md, and the budgets missed."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import decrypt

    from bench.generate import COORDINATOR_EMAIL, MEMBER_EMAIL, PASSWORD

    member, coordinator = Persona("member"), Persona("coordinator")
    member.sign_in(MEMBER_EMAIL, PASSWORD)
    secret = decrypt(
        Authenticator.objects.get(user__username="bench-coordinator", type="totp").data["secret"]
    )
    coordinator.sign_in(COORDINATOR_EMAIL, PASSWORD, totp_secret=secret)
    people = {"member": member, "editor": member, "coordinator": coordinator}
    load = os.getloadavg()
    results = []
    for who, label, path, kind in persona_pages(organisation, statement):
        results.append((who, label, path, kind, measure_persona(people[who], path, bump)))
    pages = {label: path for _who, label, path, _kind, _r in results}
    for _ in range(3):  # every worker of both servers has answered
        fetch("/healthz")
        bare_fetch()
    trivial = persona_throughput(lambda: fetch("/healthz"))
    bare = persona_throughput(bare_fetch)
    directory = persona_throughput(lambda: member.get(pages["directory"]))
    profile = persona_throughput(lambda: member.get(pages["profile (another organisation)"]))
    costs = middleware_costs()
    failures = []
    lines = [
        PERSONAS_HEADING,
        "",
        f"{time.strftime('%Y-%m-%d %H:%M')} · load average before the run "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (shared machine) · `bench/run.py --personas` "
        "reruns this section alone. People of bench/generate.py, signed in over HTTP through "
        "the login form (the coordinator also through the two-factor step, with a TOTP code "
        "computed from the authenticator's secret), each with a cookie jar. **repeated**: "
        f"the same person asks the page {SEQUENTIAL} times in a row, after every worker "
        "rendered it; **after a change**: 10 requests, each after every cache of the site's "
        "content was invalidated. Server time (Server-Timing), milliseconds.",
        "",
        "| person | page | repeated p50 | repeated p95 | max | budget: p95 "
        "| after a change p50 | after a change p95 |",
        "|---|---|---:|---:|---:|---|---:|---:|",
    ]
    for who, label, path, kind, r in results:
        budget = PERSONA_BUDGETS_MS[kind]
        ok = r["p95"] <= budget
        if not ok:
            failures.append(f"{who}: {label} p95")
        lines.append(
            f"| {who} | {label} (`{path}`) | {r['p50']:.1f} | {r['p95']:.1f} | {r['max']:.1f} "
            f"| ≤ {budget} ms: {'ok' if ok else 'MISSED'} | {r['changed_p50']:.1f} "
            f"| {r['changed_p95']:.1f} |"
        )
    lines += [
        "",
        f"Under {PERSONA_CLIENTS} concurrent clients, {SECONDS} s each, same run; the bare "
        "Django app is bench/bare.py (one view, no middleware, no database) under the same "
        "gunicorn settings on another port:",
        "",
        "| requests | requests/s | ratio to trivial view | budget |",
        "|---|---:|---:|---|",
        f"| bare Django view (bench/bare.py) | {bare:.0f} | {bare / trivial:.0%} | — |",
    ]
    checks = [
        ("trivial view (/healthz)", trivial, trivial / bare, 0.5, "≥ 50% of the bare view"),
        ("member: directory", directory, directory / trivial, 0.25, "≥ 25% of the trivial view"),
        ("member: profile", profile, profile / trivial, 0.25, "≥ 25% of the trivial view"),
    ]
    for label, rps, ratio, floor, text in checks:
        ok = ratio >= floor
        if not ok:
            failures.append(f"{label} throughput")
        shown = f"{rps / trivial:.0%}" if label != checks[0][0] else "100%"
        lines.append(
            f"| {label} | {rps:.0f} | {shown} | {text}: {ratio:.0%}, {'ok' if ok else 'MISSED'} |"
        )
    lines += [
        "",
        "Missed budgets (signed-in people): " + (", ".join(failures) or "none") + ".",
        "",
        *costs,
    ]
    return lines, failures


FAST_PATH = "platform_site.fast_paths.HealthzMiddleware"


def middleware_costs(rounds=3, repeats=300):
    """Each middleware's cost, in this process: the Python CPU time per request of the stack
    cut after each middleware in turn (a stack of the first k middleware always works, as each
    needs only those before it), on /robots.txt (a trivial view that goes through all of them),
    anonymous and with the member's session cookie; then /healthz with and without its fast
    path. The best of `rounds` rounds of `repeats` requests (the machine is shared)."""
    import logging

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import Client, RequestFactory, override_settings

    browser = Client()
    browser.force_login(get_user_model().objects.get(username="bench-member"))
    cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in browser.cookies.items())
    stack = [name for name in settings.MIDDLEWARE if name != FAST_PATH]

    def start_response(status, headers):
        assert status.startswith("200"), status

    def cost(middleware, cookies, path="/robots.txt"):
        with override_settings(MIDDLEWARE=middleware):
            handler = WSGIHandler()
        request = RequestFactory().get(path).environ | {"HTTP_HOST": "127.0.0.1"}
        if cookies:
            request["HTTP_COOKIE"] = cookies
        for _ in range(20):
            handler(dict(request), start_response)
        best = float("inf")
        for _round in range(rounds):
            started = time.process_time()
            for _ in range(repeats):
                handler(dict(request), start_response)
            best = min(best, (time.process_time() - started) / repeats * 1e6)  # µs
        return best

    # The request log goes where gunicorn's goes, a file, not this terminal.
    streams = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)]
    log = open(ROOT / "var" / "bench-middleware.log", "w")
    saved = [handler.setStream(log) for handler in streams]
    try:
        totals = [
            {"anonymous": cost(stack[:k], ""), "member": cost(stack[:k], cookie)}
            for k in range(len(stack) + 1)
        ]
        health = {
            label: (cost(middleware, "", "/healthz"), cost(middleware, cookie, "/healthz"))
            for label, middleware in (
                ("no middleware", []),
                ("the whole stack without the fast path", stack),
                ("the whole stack (settings.MIDDLEWARE)", list(settings.MIDDLEWARE)),
            )
        }
    finally:
        for handler, stream in zip(streams, saved, strict=True):
            handler.setStream(stream)
        log.close()
    rows = [
        (
            stack[k - 1],
            totals[k]["anonymous"] - totals[k - 1]["anonymous"],
            totals[k]["member"] - totals[k - 1]["member"],
        )
        for k in range(1, len(stack) + 1)
    ]
    return [
        "Middleware cost (Python CPU time per request in one process, `time.process_time`, "
        f"best of {rounds} rounds of {repeats} requests; differences of ±20 µs are noise). Each "
        "row: /robots.txt through the stack cut after this middleware minus the stack cut "
        "before it; a member's request carries their session cookie (the cost of loading "
        "the session and the user shows where the first middleware asks for `request.user`). "
        f"/robots.txt with no middleware: {totals[0]['anonymous']:.0f} µs; through the whole "
        f"stack: {totals[-1]['anonymous']:.0f} µs anonymous, {totals[-1]['member']:.0f} µs "
        "for a member.",
        "",
        "| middleware | anonymous µs | member µs |",
        "|---|---:|---:|",
        *[f"| {name} | {anonymous:.0f} | {signed_in:.0f} |" for name, anonymous, signed_in in rows],
        "",
        f"/healthz answers in `{FAST_PATH}` (after the request log, before the rest):",
        "",
        "| /healthz through | anonymous µs | member µs |",
        "|---|---:|---:|",
        *[f"| {label} | {a:.0f} | {m:.0f} |" for label, (a, m) in health.items()],
    ]


def page_weight():
    """Compressed bytes of the directory page with its CSS, JS and fonts."""
    _status, html, *_ = fetch("/ar/organisations/")
    total, parts = len(gzip.compress(html)), [("HTML", len(gzip.compress(html)))]
    assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html.decode())
    fonts = 0
    for asset in assets:
        _s, content, *_ = fetch(asset)
        size = len(gzip.compress(content))
        total += size
        parts.append((asset.rsplit("/", 1)[-1], size))
        if asset.endswith(".css"):
            for font in re.findall(r'url\("?([^")]+\.woff2)"?\)', content.decode()):
                fonts += 1
                url = asset.rsplit("/", 1)[0] + "/" + font
                parts.append((font.rsplit("/", 1)[-1] + " (font)", len(fetch(url)[1])))
    return total, fonts, parts


def export_memory():
    """Peak Python memory while an export streams, for the whole directory and for a tenth of
    it: flat memory means the peak does not grow with the number of rows (docs/product.md §8)."""
    import tracemalloc

    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory
    from django.utils import translation

    from knowledge_bank.views import export_organisations

    results = []
    for fmt in ("csv", "xlsx"):
        for query in ({}, {"governorate": "SY07"}):
            request = RequestFactory().get(f"/en/knowledge-bank/exports/organisations.{fmt}", query)
            request.user = AnonymousUser()
            tracemalloc.start()
            with translation.override("en"):
                response = export_organisations(request, fmt)
                size = sum(len(chunk) for chunk in response.streaming_content)
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            response.close()
            results.append((fmt, "all" if not query else "one governorate", size, peak))
    return results


def prepare():
    """Create the bench database (UTF-8 locale), migrate it and fill it once."""
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[-1]
    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(
                f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
                "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            )
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=ENV, check=True)
    subprocess.run([sys.executable, "bench/generate.py"], cwd=ROOT, env=ENV, check=True)
    if not PERSONAS_ONLY:  # a rerun of the people's section alone stays fast
        # Databases generated before the search documents existed get them (idempotent).
        subprocess.run(
            [sys.executable, "manage.py", "rebuild_search_text"],
            cwd=ROOT,
            env=ENV,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")  # as autovacuum leaves a table after a while


def gunicorn(app, port):
    """The production server with the production settings, on this port."""
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            app,
            "-c",
            "deploy/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            # No worker restarts (and template compiling) in the middle of a measurement.
            "--max-requests",
            "0",
        ],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=open(ROOT / "var" / f"bench-gunicorn-{port}.log", "w"),
    )


def main():
    sys.path.insert(0, str(ROOT))
    prepare()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=ENV,
        check=True,
    )
    # This process reads the same database and Redis, to pick pages and to invalidate caches.
    os.environ.update({**ENV, "DJANGO_SETTINGS_MODULE": "platform_site.settings"})
    import django

    django.setup()
    from advocacy.models import PriorityStatement
    from members.models import Organisation
    from platform_site.cache import GENERATIONS, bump_content_generation

    statement = PriorityStatement.objects.published().first().slug
    organisation = Organisation.objects.public()[42].slug

    def bump():
        for app in GENERATIONS:
            bump_content_generation(app)

    pages = [
        ("trivial view (/healthz)", "/healthz"),
        ("home", "/ar/"),
        ("directory", "/ar/organisations/"),
        (
            "directory, Arabic search «المعرفة»",
            "/ar/organisations/?q=%D8%A7%D9%84%D9%85%D8%B9%D8%B1%D9%81%D8%A9",
        ),
        ("directory, two filters", "/ar/organisations/?governorate=SY07&subsector=nfe"),
        ("profile", f"/ar/organisations/{organisation}/"),
        ("coverage", "/ar/coverage/"),
        ("priorities list", "/en/priorities/"),
        ("a statement", f"/en/priorities/{statement}/"),
        ("export (10,000 organisations, CSV)", "/en/knowledge-bank/exports/organisations.csv"),
    ]
    server, bare = (
        gunicorn("platform_site.wsgi", PORT),
        gunicorn("bench.bare:application", BARE_PORT),
    )
    try:
        for _ in range(60):
            try:
                fetch("/healthz")
                bare_fetch()
                break
            except OSError:
                time.sleep(0.5)
        if PERSONAS_ONLY:
            persona_lines, failures = persona_report(bump, organisation, statement)
            path = ROOT / "bench" / "results.md"
            before = path.read_text().split(PERSONAS_HEADING)[0].rstrip("\n")
            path.write_text(before + "\n\n" + "\n".join(persona_lines) + "\n" + kept_notes(path))
            print("\n".join(persona_lines))
            if failures:
                print("\nMissed budgets: " + ", ".join(failures))
                sys.exit(1)
            return
        search_lines, search_failures = search_report(bump)
        search_results = ROOT / "bench" / "results-search.md"
        search_results.write_text("\n".join(search_lines) + "\n" + kept_notes(search_results))
        print("\n".join(search_lines))
        if SEARCH_ONLY:
            if search_failures:
                print("\nMissed budgets: " + ", ".join(search_failures))
                sys.exit(1)
            return
        results = [(label, path, measure(path, bump)) for label, path in pages]
        persona_lines, persona_failures = persona_report(bump, organisation, statement)
        weight, fonts, parts = page_weight()
        memory = export_memory()
    finally:
        for process in (server, bare):
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    trivial = results[0][2]["rps"]
    lines = [
        "# Benchmark results",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M')} · gunicorn, {WORKERS} workers, production settings, "
        f"PostgreSQL + Redis · {os.cpu_count()} cores · server time from the Server-Timing header "
        f"over {SEQUENTIAL} sequential requests per page ({SEQUENTIAL // 2} after a change), "
        f"throughput of the cached page with {THREADS} concurrent clients for {SECONDS} s. Data: "
        "bench/generate.py (10,000 organisations, 30,000 programmes, 50 working groups, "
        "200 statements).",
        "",
        "- **cached**: anonymous visitors, from the shared page cache;",
        "- **rendered**: the page is rendered, data caches are warm: every signed-in member, and "
        "the first anonymous visitor of a URL. The budget of docs/product.md §8 is checked here;",
        "- **after a change**: the first request after someone changed data, every cache of the "
        "site's content invalidated before each request (rare: one per change and page).",
        "",
        "| page | cached p50 | cached p95 | rendered p50 | rendered p95 "
        "| budget: rendered p95 ≤ 50 ms | after a change p50 | after a change p95 "
        "| cached requests/s | ratio to trivial view |",
        "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|",
    ]
    failures = list(search_failures) + persona_failures
    for label, path, r in results:
        budget = (
            "—"
            if path == "/healthz" or "exports" in path
            else ("ok" if r["rendered_p95"] <= BUDGET_MS else "MISSED")
        )
        if budget == "MISSED":
            failures.append(label)
        lines.append(
            f"| {label} | {r['p50']:.1f} | {r['p95']:.1f} | {r['rendered_p50']:.1f} "
            f"| {r['rendered_p95']:.1f} | {budget} | {r['changed_p50']:.1f} "
            f"| {r['changed_p95']:.1f} | {r['rps']:.0f} | {r['rps'] / trivial:.0%} |"
        )
    lines += ["", "Times in milliseconds."]
    directory_ratio = results[2][2]["rps"] / trivial
    lines += [
        "",
        f"Anonymous directory throughput: {directory_ratio:.0%} of the trivial view "
        f"(budget ≥ 50%: {'ok' if directory_ratio >= 0.5 else 'MISSED'}).",
        "",
        f"Directory page weight, compressed: {weight / 1024:.1f} KB of HTML, CSS and JS "
        f"(budget ≤ 100 KB: {'ok' if weight <= 100 * 1024 else 'MISSED'}), plus {fonts} woff2 font files "
        f"(budget ≤ 2: {'ok' if fonts <= 2 else 'MISSED'}).",
        "",
        "| file | bytes (gzip; fonts as served) |",
        "|---|---:|",
        *[f"| {name} | {size:,} |" for name, size in parts],
        "",
        "Exports stream: peak Python memory (tracemalloc) while the whole export is produced, for "
        "the whole directory and for the organisations of one governorate. Flat memory: the peak "
        "does not grow with the number of rows.",
        "",
        "| export | organisations | file size | peak memory |",
        "|---|---|---:|---:|",
        *[
            f"| {fmt.upper()} | {scope} | {size / 1024:,.0f} KB | {peak / 1024:,.0f} KB |"
            for fmt, scope, size, peak in memory
        ],
    ]
    by_scope = {(fmt, scope): peak for fmt, scope, _size, peak in memory}
    for fmt in ("csv", "xlsx"):
        # Ten times the rows may not take more than twice the memory.
        if by_scope[(fmt, "all")] > 2 * by_scope[(fmt, "one governorate")]:
            failures.append(f"{fmt} export memory")
    if directory_ratio < 0.5:
        failures.append("directory throughput ratio")
    if weight > 100 * 1024 or fonts > 2:
        failures.append("page weight")
    lines += ["", *persona_lines]
    path = ROOT / "bench" / "results.md"
    path.write_text("\n".join(lines) + "\n" + kept_notes(path))
    print("\n".join(lines))
    if failures:
        print("\nMissed budgets: " + ", ".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
