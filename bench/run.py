"""Measure the key pages under gunicorn with production settings (DESIGN §8).

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
SEQUENTIAL, WARMUP, SECONDS, THREADS, WORKERS = 40, 5, 5, 4, 3
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

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return count[0] / SECONDS


def measure(path):
    """Cached (what visitors mostly get: the shared page cache) and rendered (what the first
    visitor after a change, and every signed-in member, waits for) server times."""
    for _ in range(WARMUP):
        status, *_rest = fetch(path)
        assert status == 200, (path, status)
    repeats = 5 if "exports" in path else SEQUENTIAL  # an export takes seconds, not milliseconds
    cached = [fetch(path)[2] for _ in range(repeats)]
    separator = "&" if "?" in path else "?"
    run = secrets.token_hex(4)  # never cached before, in this run or an earlier one
    rendered = [fetch(f"{path}{separator}nocache={run}{n}")[2] for n in range(repeats)]
    return {
        "p50": percentile(cached, 0.5),
        "p95": percentile(cached, 0.95),
        "cold_p50": percentile(rendered, 0.5),
        "cold_p95": percentile(rendered, 0.95),
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
        connection.execute("ANALYZE")  # fresh statistics, as autovacuum would give after a while


def main():
    sys.path.insert(0, str(ROOT))
    prepare()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=ENV,
        check=True,
    )
    slugs = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from advocacy.models import PriorityStatement; "
            "from members.models import Organisation; "
            "print(PriorityStatement.objects.published().first().slug); print(Organisation.objects.public()[42].slug)",
        ],
        cwd=ROOT,
        env={**ENV, "DJANGO_SETTINGS_MODULE": "platform_site.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    statement, organisation = slugs
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
        results = [(label, path, measure(path)) for label, path in pages]
        weight, fonts, parts = page_weight()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    trivial = results[0][2]["rps"]
    lines = [
        "# Benchmark results",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M')} · gunicorn, {WORKERS} workers, production settings, PostgreSQL + "
        f"Redis · {os.cpu_count()} cores · {SEQUENTIAL} sequential requests per page for server time "
        f"(Server-Timing), {THREADS} concurrent clients for {SECONDS} s for throughput. Data: bench/generate.py "
        "(10,000 organisations, 30,000 programmes, 50 working groups, 200 statements).",
        "",
        "| page | cached p50 (ms) | cached p95 (ms) | rendered p50 (ms) | rendered p95 (ms) "
        "| budget: rendered p95 ≤ 50 ms | requests/s | ratio to trivial view |",
        "|---|---:|---:|---:|---:|---|---:|---:|",
    ]
    failures = []
    for label, path, r in results:
        budget = (
            "—"
            if path == "/healthz" or "exports" in path
            else ("ok" if r["cold_p95"] <= BUDGET_MS else "MISSED")
        )
        if budget == "MISSED":
            failures.append(label)
        lines.append(
            f"| {label} | {r['p50']:.1f} | {r['p95']:.1f} | {r['cold_p50']:.1f} | {r['cold_p95']:.1f} "
            f"| {budget} | {r['rps']:.0f} | {r['rps'] / trivial:.0%} |"
        )
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
    ]
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
