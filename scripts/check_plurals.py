#!/usr/bin/env python
"""Fail when an Arabic message shows a number in a sentence without Arabic plural forms.

Arabic has six plural forms (0, 1, 2, 3–10, 11–99, 100+): «مجموعتا عمل», «5 مجموعات عمل»,
«11 مجموعةَ عمل». A message that puts a count before a noun must therefore be a plural entry
(`ngettext`, `{% blocktranslate count %}`) with all six forms filled in. This check reads the
Arabic catalog and reports:
- every singular entry whose msgid has a number placeholder (`%d`, `%(count)s`, `%(total)s`…),
  unless it is listed in NO_COUNTED_NOUN with the reason;
- every plural entry with an empty form.
Run from the repository root (CI runs it).
"""

import ast
import re
import sys
from pathlib import Path

CATALOG = Path("locale/ar/LC_MESSAGES/django.po")

# Placeholders that hold a number: %d, %(name)d, and named ones whose name says "number".
NUMBER = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?(?P<type>[sd])",
)
# ("number" names an ordinal, as in "version %(number)s": the noun comes first, no plural.)
NUMBER_NAMES = re.compile(r"count|counter|total|max|min|sum|points|^n$")

# Messages in which the number is not followed by a counted noun (Arabic needs no plural form).
NO_COUNTED_NOUN = {
    "Page %(number)s of %(total)s": "page numbers",
    # allauth's (English has no plural either); the Arabic puts the number last, bare
    "You cannot add more than %d email addresses.": "«لا يمكن أن يتجاوز عدد … %d.»",
    "The points must add up to exactly %(total)s; they add up to %(sum)s.": "bare numbers",
    "The file is too large (%(size)s). The limit is %(limit)s.": "sizes with their unit",
}


def entries(text: str):
    """(msgctxt, msgid, msgid_plural, {index: msgstr}) for each entry of a .po file."""
    entry, key = {}, None
    for line in text.splitlines() + [""]:
        line = line.strip()
        if not line:
            if "msgid" in entry:
                yield entry
            entry, key = {}, None
            continue
        if line.startswith("#"):
            continue
        match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d)\])?)\s+(\".*\")$", line)
        if match:
            key = match.group(1)
            entry[key] = ast.literal_eval(match.group(3))
        elif line.startswith('"') and key:
            entry[key] += ast.literal_eval(line)


# "Events published: %(count)s": a label and its number, no counted noun after it.
LABEL_AND_NUMBER = re.compile(r":\s*%\((\w+)\)[sd]\.?$")


def is_counted(msgid: str) -> bool:
    if LABEL_AND_NUMBER.search(msgid) and len(NUMBER.findall(msgid)) == 1:
        return False
    for match in NUMBER.finditer(msgid):
        name = match.group("name")
        if name is None and match.group("type") == "d":
            return True
        if name is not None and (match.group("type") == "d" or NUMBER_NAMES.search(name)):
            return True
    return False


def problems(text: str) -> list[str]:
    found = []
    for entry in entries(text):
        msgid = entry["msgid"]
        if not msgid:
            continue  # the header
        if "msgid_plural" in entry:
            missing = [i for i in range(6) if not entry.get(f"msgstr[{i}]")]
            if missing:
                found.append(f"{msgid!r}: Arabic plural forms {missing} are empty")
        elif is_counted(msgid) and msgid not in NO_COUNTED_NOUN:
            found.append(f"{msgid!r}: a number without Arabic plural forms (use ngettext)")
    return found


if __name__ == "__main__":
    result = problems(CATALOG.read_text(encoding="utf-8"))
    for problem in result:
        print(problem)
    if result:
        print(
            f"\n{len(result)} Arabic message(s) need plural forms: use ngettext or "
            "{% blocktranslate count %} and fill in all six forms (or, if the number is not "
            "followed by a counted noun, list the message in NO_COUNTED_NOUN with the reason)."
        )
        sys.exit(1)
    print("Arabic plural forms: complete.")
