"""Text from data made literal for the book's Markdown.

Everything a county's file contains (titles, free-text answers, column headers, file and sheet
names) is data, never markup. :func:`literal` is the one way such text enters the pandoc
Markdown the book is assembled from: every ASCII punctuation character is backslash-escaped
(pandoc's Markdown lets ``\\`` escape any of them, and then reads the character as itself), so
no emphasis, link, image, raw HTML, raw attribute (``{=typst}``), shortcode (``{{< >}}``),
cross-reference (``@fig-x``), div (``:::``), list or heading marker can start from data. Line
breaks become spaces (or paragraph breaks with ``paragraphs=True``) and leading blanks go, so no
line of data can start a block of its own; control characters are shown as ``�``.
"""

from __future__ import annotations

import re
import string
import unicodedata

TRUNCATED = "[… avkortat]"
"""The note put where a text was cut at its length limit (Swedish: “shortened”)."""

_ESCAPE = {ord(c): "\\" + c for c in string.punctuation}
_PARAGRAPHS = re.compile(r"\n[ \t\r\f\v]*\n")


def _visible(text: str) -> str:
    """Control characters (C0, C1 and DEL) other than white space replaced by U+FFFD; the
    Unicode line and paragraph separators become line breaks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n\n")
    return "".join(
        c if c in "\n\t" or unicodedata.category(c) != "Cc" else "\ufffd" for c in text
    )


def _cut(text: str, limit: int | None) -> tuple[str, bool]:
    if limit is None or len(text) <= limit:
        return text, False
    cut = text[:limit]
    space = cut.rfind(" ")
    if space > limit * 0.8:  # end at a word boundary when one is near
        cut = cut[:space]
    return cut.rstrip(), True


def literal(text: object, limit: int | None = None, paragraphs: bool = False) -> str:
    """``text`` as pandoc Markdown that renders as exactly that text, in HTML and in typst.

    White space runs (line breaks included) become one space, unless ``paragraphs`` is set:
    then blank-line separated paragraphs are kept as paragraphs (each on one line). With
    ``limit`` the text is cut at that many characters (at a word boundary when one is near)
    and :data:`TRUNCATED` marks the cut. ``None`` gives ``""``."""
    value = "" if text is None else _visible(str(text))
    if paragraphs:
        parts = [" ".join(p.split()) for p in _PARAGRAPHS.split(value)]
    else:
        parts = [" ".join(value.split())]
    parts = [p for p in parts if p]
    kept: list[str] = []
    left = limit
    truncated = False
    for part in parts:
        if left is not None and left <= 0:
            truncated = True
            break
        part, truncated = _cut(part, left)
        kept.append(part)
        if left is not None:
            left -= len(part)
        if truncated:
            break
    escaped = [p.translate(_ESCAPE) for p in kept]
    if truncated:
        note = TRUNCATED.translate(_ESCAPE)
        if escaped:
            escaped[-1] += " " + note
        else:
            escaped.append(note)
    return "\n\n".join(escaped)
