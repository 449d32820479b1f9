"""The small, safe text format of statement bodies.

Everything typed is escaped first, so no HTML ever passes through; then a few marks become
markup: paragraphs (an empty line), list items ("- " at the start of a line), **bold**,
*emphasis* and [text](https://…) links (http and https only).
"""

import re
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import mark_safe

_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s)\"'<>]+)\)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EMPHASIS = re.compile(r"(?<!\*)\*(?=\S)([^*\n]+?)(?<=\S)\*(?!\*)")


def _inline(text: str) -> str:
    text = escape(text)
    text = _LINK.sub(r'<a href="\2" rel="nofollow noopener">\1</a>', text)
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    return _EMPHASIS.sub(r"<em>\1</em>", text)


def render(text: str) -> str:
    blocks = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip())
    html = []
    for block in blocks:
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{_inline(line[2:].strip())}</li>" for line in lines)
            html.append(f"<ul>{items}</ul>")
        else:
            html.append("<p>" + "<br>".join(_inline(line) for line in lines) + "</p>")
    return mark_safe("\n".join(html))  # noqa: S308 - built from escaped text only


def word_diff(old: str, new: str) -> str:
    """HTML showing what changed from `old` to `new`, word by word (<del> and <ins>)."""
    old_words, new_words = re.split(r"(\s+)", old or ""), re.split(r"(\s+)", new or "")
    out = []
    matcher = SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(escape("".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            out.append(f"<del>{escape(''.join(old_words[a1:a2]))}</del>")
        if b2 > b1:
            out.append(f"<ins>{escape(''.join(new_words[b1:b2]))}</ins>")
    return mark_safe("".join(out))  # noqa: S308 - built from escaped text only
