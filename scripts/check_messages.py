#!/usr/bin/env python
"""Fail when a catalog is incomplete or its committed .mo file is stale.

Needs GNU gettext (msgfmt, msgattrib). Run from the repository root.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

problems = []
for po in sorted(Path("locale").glob("*/LC_MESSAGES/django.po")):
    mo = po.with_suffix(".mo")
    untranslated = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", str(po)], capture_output=True, text=True
    ).stdout
    fuzzy = subprocess.run(
        ["msgattrib", "--only-fuzzy", "--no-obsolete", str(po)], capture_output=True, text=True
    ).stdout
    # msgattrib prints the header entry only when something else matched.
    if untranslated.count("msgid ") > 1:
        problems.append(f"{po}: untranslated messages:\n{untranslated}")
    if fuzzy.count("msgid ") > 1:
        problems.append(f"{po}: fuzzy messages:\n{fuzzy}")
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "django.mo"
        subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(po)], check=True)
        if not mo.exists() or fresh.read_bytes() != mo.read_bytes():
            problems.append(f"{mo} is stale: run `make messages` and commit the result.")

if problems:
    print("\n".join(problems))
    sys.exit(1)
print("Catalogs complete; compiled files up to date.")
