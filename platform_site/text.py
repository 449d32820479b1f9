"""Arabic-aware text normalisation (docs/product.md §6): one function for indexing and queries."""

import re
import unicodedata

from django.utils.text import slugify

# Tashkeel (U+064B–U+065F), superscript alef (U+0670), Quranic marks, tatweel (U+0640).
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Eastern Arabic-Indic (Persian)
    }
)
_NON_WORD = re.compile(r"[^\w]+")
# Attached prefixes that may precede a word: «وال», «بال», «كال», «فال», «لل», «ال».
_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")


def normalise(text: str | None) -> str:
    """Fold the spellings of one word to one form.

    NFKC; drop tashkeel, superscript alef and tatweel; أ إ آ ٱ → ا; ى → ي; ة → ه;
    Arabic-Indic digits → ASCII; case-fold; punctuation → space; collapse spaces.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = _MARKS.sub("", text).translate(_LETTERS).casefold()
    return " ".join(_NON_WORD.sub(" ", text).split())


def strip_prefix(word: str) -> str:
    """Drop one leading article-like prefix if a word of at least two letters remains."""
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            return word[len(prefix) :]
    return word


def search_words(text: str | None) -> list[str]:
    """Normalised query words with «ال»-style prefixes removed (duplicates dropped)."""
    words = [strip_prefix(word) for word in normalise(text).split()]
    return list(dict.fromkeys(word for word in words if word))


# Light stemming of query words (plural and feminine endings, after normalisation): the stem
# must keep at least three letters, and search matches words that *start* with it, so
# «معلمات» finds «معلمين» and «المعلم», «نفسية» finds «النفسي», "schools" finds "school",
# "disability" finds "disabilities".
# Broken plurals («مدارس») are not merged: that would need a dictionary and floods results.
_ARABIC_SUFFIXES = ("ات", "ون", "ين", "ه")
_ENGLISH_SUFFIXES = ("ies", "es", "s", "y")


def stem(word: str) -> str:
    """A normalised word without one plural or feminine ending (see _ARABIC_SUFFIXES)."""
    if word.isascii():
        if word.endswith(("ss", "us", "is")):
            return word
        suffixes, shortest = _ENGLISH_SUFFIXES, 4
    else:
        suffixes, shortest = _ARABIC_SUFFIXES, 3
    for suffix in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= shortest:
            return word[: -len(suffix)]
    return word


def query_stems(text: str | None) -> list[str]:
    """The word beginnings a query asks for: `search_words`, each stemmed."""
    return list(dict.fromkeys(stem(word) for word in search_words(text)))


def index_text(*parts: str | None) -> str:
    """The text stored in a search column: each word in full and without its prefix.

    Storing both forms lets a plain contains-match (SQLite) find «المدرسة» for «مدرسة» and
    «مدارس» for «والمدارس».
    """
    words = normalise(" ".join(part for part in parts if part)).split()
    out = []
    for word in words:
        out.append(word)
        bare = strip_prefix(word)
        if bare != word:
            out.append(bare)
    return " ".join(dict.fromkeys(out))


def unique_slug(
    model,
    english: str | None,
    arabic: str | None,
    *,
    fallback: str,
    reserved: frozenset[str] = frozenset(),
    max_length: int = 70,
    taken=None,
) -> str:
    """A slug for a new row of `model`: from the English text (ASCII), else the Arabic text
    (Unicode), else `fallback`; reserved words and taken slugs get a suffix. `taken(slug)`
    replaces the query per try (an import knows every slug already)."""
    base = slugify(english or "") or slugify(arabic or "", allow_unicode=True)
    base = (base or fallback)[:max_length].strip("-") or fallback
    if base in reserved:
        base = f"{base}-{fallback}"
    slug, n = base, 2
    if taken is None:
        taken = lambda slug: model._default_manager.filter(slug=slug).exists()  # noqa: E731
    while taken(slug):
        slug, n = f"{base}-{n}", n + 1
    return slug
