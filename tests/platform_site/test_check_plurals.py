"""The CI check that counted Arabic phrases have their six plural forms."""

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from check_plurals import problems  # noqa: E402

SAMPLE = r"""
msgid ""
msgstr "Plural-Forms: nplurals=6;\n"

#, python-format
msgid "%(counter)s working group"
msgstr "%(counter)s مجموعة عمل"

#, python-format
msgid "Page %(number)s of %(total)s"
msgstr "الصفحة %(number)s من %(total)s"

#, python-format
msgid "Events published: %(count)s"
msgstr "الفعاليات المنشورة: %(count)s"

#, python-format
msgid "version %(number)s"
msgstr "النسخة %(number)s"

#, python-format
msgid "%(count)d statement published."
msgid_plural "%(count)d statements published."
msgstr[0] "لم يُنشر أي بيان."
msgstr[1] "نُشر بيان واحد."
msgstr[2] "نُشر بيانان."
msgstr[3] "نُشرت %(count)d بيانات."
msgstr[4] ""
msgstr[5] "نُشر %(count)d بيان."
"""


def test_a_count_without_plural_forms_and_an_empty_form_are_reported():
    found = problems(SAMPLE)
    assert len(found) == 2, found
    assert "%(counter)s working group" in found[0]
    assert "[4]" in found[1]


def test_the_project_catalog_passes():
    result = subprocess.run(
        [sys.executable, "scripts/check_plurals.py"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout
