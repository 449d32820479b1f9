"""Light stemming of query words (platform_site.text.stem)."""

import pytest

from platform_site.text import query_stems


@pytest.mark.parametrize(
    ("typed", "stems"),
    [
        ("المعلمات", ["معلم"]),  # feminine plural, with «ال»
        ("معلمون", ["معلم"]),
        ("النفسية", ["نفسي"]),  # feminine ending after normalisation (ة → ه)
        ("حلب", ["حلب"]),  # three letters: nothing to take away
        ("أمل", ["امل"]),
        ("والمدارس", ["مدارس"]),  # broken plurals stay as typed
        ("schools", ["school"]),
        ("communities", ["communit"]),
        ("disability", ["disabilit"]),
        ("Damascus", ["damascus"]),
        ("class", ["class"]),
        ("city", ["city"]),  # the stem would be shorter than four letters
    ],
)
def test_query_stems(typed, stems):
    assert query_stems(typed) == stems
