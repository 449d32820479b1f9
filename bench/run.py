"""Measure the key pages under gunicorn with production settings (docs/product.md §8).

Starts gunicorn on PostgreSQL and Redis, then for each page measures the server time
(Server-Timing header: p50, p95 over sequential requests) and the throughput under
concurrent load, beside a trivial view (/healthz) of the same deployment in the same run.
Writes bench/results.md. Run through `make bench`, which prepares the database.
"""

import gzip
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8099"))
BASE = f"http://127.0.0.1:{PORT}"
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sep_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
SEQUENTIAL, WARMUP, SECONDS, THREADS, WORKERS = 60, 5, 5, 4, 3
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
    with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")  # as autovacuum leaves a table after a while


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
    from platform_site.cache import APPS, bump_content_generation

    statement = PriorityStatement.objects.published().first().slug
    organisation = Organisation.objects.public()[42].slug

    def bump():
        for app in APPS:
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
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "platform_site.wsgi",
            "-c",
            "deploy/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WORKERS),
            # No worker restarts (and template compiling) in the middle of a measurement.
            "--max-requests",
            "0",
        ],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=open(ROOT / "var" / "bench-gunicorn.log", "w"),
    )
    try:
        for _ in range(60):
            try:
                fetch("/healthz")
                break
            except OSError:
                time.sleep(0.5)
        results = [(label, path, measure(path, bump)) for label, path in pages]
        weight, fonts, parts = page_weight()
        memory = export_memory()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
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
    failures = []
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
    (ROOT / "bench" / "results.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    if failures:
        print("\nMissed budgets: " + ", ".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
