import csv, io, time, tracemalloc, os
import pytest
from knowledge_bank.models import Programme
from tests.imports.conftest import confirm, preview, totals

pytestmark = pytest.mark.django_db
N = int(os.environ.get("ROWS", "10000"))

def test_large(admin_client, organisation):
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["organisation", "title_ar", "title_en", "subsectors", "governorates", "start_date", "status", "targeted", "reached"])
    for n in range(N):
        w.writerow([organisation.slug, f"برنامج {n}", f"Programme {n}", "nfe; pss", "SY07; SY02", "2026-01-01", "ongoing", "100", str(n)])
    data = out.getvalue().encode("utf-8-sig")
    print("bytes", len(data))
    import cProfile, pstats
    prof = cProfile.Profile()
    prof.enable()
    t = time.time()
    r = preview(admin_client, "knowledge_bank/programme", data, "big.csv")
    prof.disable()
    pstats.Stats(prof).sort_stats("cumulative").print_stats(35)
    return
    cur, peak = tracemalloc.get_traced_memory()
    print("preview", time.time() - t, "s peak MB", peak / 1e6, totals(r))
    tracemalloc.reset_peak()
    t = time.time()
    d = confirm(admin_client, "knowledge_bank/programme", r)
    cur, peak = tracemalloc.get_traced_memory()
    print("confirm", time.time() - t, "s peak MB", peak / 1e6, d.status_code, Programme.objects.count())
