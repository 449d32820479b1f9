"""Large spreadsheets made on the fly, for the import's memory and query tests and its bench
(bench/imports.py makes the same rows)."""

import csv
import io

WORDS = [
    ("الأمل", "Hope"),
    ("النور", "Light"),
    ("الغد", "Tomorrow"),
    ("المستقبل", "Future"),
    ("الشباب", "Youth"),
    ("المعرفة", "Knowledge"),
]
KINDS = [("جمعية", "Association"), ("مؤسسة", "Foundation"), ("منظمة", "Organisation")]
PCODES = ["SY01", "SY02", "SY03", "SY04", "SY07", "SY11"]
SUBSECTORS = ["nfe", "pss", "teachers"]


def organisation_rows(count: int, *, start: int = 0):
    """Header and `count` rows of new organisations, each with distinct names."""
    yield ["name_ar", "name_en", "acronym", "org_type", "governorates", "subsectors", "website"]
    for n in range(start, start + count):
        word_ar, word_en = WORDS[n % len(WORDS)]
        kind_ar, kind_en = KINDS[n % len(KINDS)]
        yield [
            f"{kind_ar} {word_ar} رقم {n}",
            f"{word_en} {kind_en} No. {n}",
            f"BIG{n}",
            "local_ngo",
            "; ".join(PCODES[n % 6 : n % 6 + 2]),
            SUBSECTORS[n % 3],
            f"https://org{n}.example.org",
        ]


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()
