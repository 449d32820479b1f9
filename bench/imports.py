"""Time and peak memory of a 10,000-row organisation import (preview, then confirm), run by
hand against your own database; writes bench/results-import.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sep_<you> python bench/imports.py [rows]

Each run is rolled back (the confirm's rows are written, then undone), so the bench can be
run again on the same database; use your own database all the same, never sep_bench.
"""

import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_site.settings")
os.environ["DEBUG"] = "false"  # as the worker runs: no log of every query's SQL in memory

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from members.models import Organisation  # noqa: E402
from platform_site.importing import RESOURCES, run_import  # noqa: E402
from platform_site.spreadsheets import Sheet  # noqa: E402
from tests.imports.big import csv_bytes, organisation_rows  # noqa: E402


def measure(path, *, dry_run, trace):
    """One run: wall and CPU time and the number of queries (counted, not kept: keeping the
    SQL of bulk INSERTs would be most of the memory); with `trace`, Python's peak memory
    (tracemalloc slows Python down, so the timed run is a separate one)."""
    resource = RESOURCES["members.organisation"]()
    sheet = Sheet(lambda: open(path, "rb"))  # noqa: SIM115
    queries = []
    if trace:
        tracemalloc.start()
    wall, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(lambda execute, *args: queries.append(1) or execute(*args)):
        with transaction.atomic():
            outcome = run_import(resource, sheet, dry_run=dry_run, file_name="bench.csv")
            transaction.set_rollback(True)  # the same new rows for the next run
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    if trace:
        tracemalloc.stop()
    return outcome, wall, cpu, peak, len(queries)


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    start = Organisation.objects.count() + 100_000  # names not taken yet
    lines = [f"# Import of {count:,} organisation rows ({connection.vendor})", ""]
    lines += [
        "| step | wall s | CPU s | peak Python MB | queries | result |",
        "|---|---|---|---|---|---|",
    ]
    with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as out:
        out.write(csv_bytes(organisation_rows(count, start=start)))
    for dry_run, step in ((True, "preview"), (False, "confirm")):
        outcome, wall, cpu, _peak, queries = measure(out.name, dry_run=dry_run, trace=False)
        _outcome, _wall, _cpu, peak, _queries = measure(out.name, dry_run=dry_run, trace=True)
        totals = ", ".join(f"{k} {v}" for k, v in outcome.totals.items() if v)
        lines.append(
            f"| {step} | {wall:.1f} | {cpu:.1f} | {peak / 1e6:.1f} | {queries:,} | {totals} |"
        )
        print(lines[-1], flush=True)
    os.unlink(out.name)
    lines += [
        "",
        f"Organisations in the database before: {start - 100_000:,}. Peak memory is Python's "
        "(tracemalloc) during the run; the file is streamed from storage, not held in memory.",
    ]
    target = ROOT / "bench" / f"results-import{'-' + sys.argv[2] if len(sys.argv) > 2 else ''}.md"
    target.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
