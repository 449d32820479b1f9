#!/usr/bin/env python
"""Fail when a catalog is incomplete, its committed .mo file is stale, or (with --code)
it is out of step with the code.

Needs GNU gettext (msgfmt, msgattrib, msgcat). Run from the repository root. With --code,
it runs makemessages (which rewrites the .po files) and compares the result with the committed
catalogs, ignoring line wrapping and dates: run it on a clean checkout, as CI does.
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


def canonical(text: str) -> list[str]:
    """A catalog without wrapping, order or creation date, for comparison."""
    result = subprocess.run(
        ["msgcat", "--no-wrap", "--sort-output", "-"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # Creation dates and "#|" (previous msgid) comments do not change what is translated.
    return [
        line
        for line in result.splitlines()
        if "POT-Creation-Date" not in line and not line.startswith("#|")
    ]


if "--code" in sys.argv:
    committed = {
        po: subprocess.run(["git", "show", f"HEAD:{po}"], capture_output=True, text=True).stdout
        for po in sorted(Path("locale").glob("*/LC_MESSAGES/django.po"))
    }
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "ar",
            "-l",
            "en",
            "--no-location",
            "--no-obsolete",
            "--ignore=.venv",
            "--ignore=var",
            "--ignore=tests",
        ],
        check=True,
        capture_output=True,
    )
    for po, old in committed.items():
        if canonical(old) != canonical(po.read_text()):
            problems.append(
                f"{po} is out of step with the code: run `make messages`, translate, commit."
            )

if problems:
    print("\n".join(problems))
    sys.exit(1)
print("Catalogs complete; compiled files up to date.")
