import pytest

from platform_site.text import index_text, normalise, search_words


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("مَدْرَسَةٌ", "مدرسه"),  # tashkeel removed, ta marbuta → ha
        ("مدرسة", "مدرسه"),
        ("أحمد", "احمد"),  # hamza on alef
        ("إدلب", "ادلب"),  # hamza under alef
        ("آمال", "امال"),  # madda
        ("ٱلتعليم", "التعليم"),  # wasla
        ("مستشفى", "مستشفي"),  # alef maqsura → ya
        ("هٰذا", "هذا"),  # superscript alef
        ("تـــعـــلـــيـــم", "تعليم"),  # tatweel
        ("٢٠٢٤", "2024"),  # Arabic-Indic digits
        ("۱۲۳", "123"),  # Eastern Arabic-Indic digits
        ("ﺍﻟﻌﻤﻞ", "العمل"),  # presentation forms (NFKC), as in the network's own text
        ("UNICEF  Syria", "unicef syria"),  # case-fold, spaces collapsed
        ("Straße", "strasse"),
        ("  جمعية،  النور! ", "جمعيه النور"),  # punctuation → space
        ("", ""),
        (None, ""),
    ],
)
def test_normalise(raw, expected):
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("المدرسة", ["مدرسه"]),
        ("والمدارس", ["مدارس"]),
        ("بالتعليم", ["تعليم"]),
        ("للأطفال", ["اطفال"]),
        ("ال", ["ال"]),  # too short to strip
        ("ألم", ["الم"]),  # not a prefix: nothing would remain
        ("FSS fss", ["fss"]),
    ],
)
def test_search_words_drop_article_prefixes(query, words):
    assert search_words(query) == words


def test_index_text_keeps_full_and_bare_forms():
    assert index_text("جمعية المدرسة الأولى", None, "FSS") == "جمعيه المدرسه مدرسه الاولي اولي fss"


def test_query_and_index_meet_in_the_middle():
    indexed = index_text("والمدارس الريفية")
    for query in ("مدارس", "المدارس", "والمدارس", "الريفيّة", "ريفيه"):
        assert all(word in indexed for word in search_words(query)), query
