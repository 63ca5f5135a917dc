"""Personal data out of text: the package's one redaction.

E-mail addresses, phone numbers and personnummer typed into free text are replaced by a marker
(``[e-post borttagen]``, ``[telefonnummer borttaget]``, ``[personnummer borttaget]``). Intake
applies it to every free-text cell as it is read (so nothing downstream ever sees the data) and
to every message and rejected value it writes; the results apply it again to whatever free text
they show, as a second line of defence.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PERSONNUMMER = re.compile(
    r"(?<![\w-])(?:19|20)?\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]|[6-8]\d|9[01])"
    r"[-+ ]?\d{4}(?![\w-])"
)
"""YYMMDD-NNNN or YYYYMMDD-NNNN (also without the dash; day + 60 for a samordningsnummer)."""
PHONE = re.compile(
    r"(?<![\w-])(?!\d{2}-\d{2}-\d{4}(?!\d))(?:\+46[- ]?|0)\d{1,3}(?:[- ]?\d){5,10}(?![\w-])"
)
"""Swedish numbers: a leading 0 or +46, an area code, then 5–10 digits with single spaces or
dashes between them (a date written 01-09-2009 is not a phone number)."""

MARKERS: dict[str, str] = {
    "email": "[e-post borttagen]",
    "phone": "[telefonnummer borttaget]",
    "personnummer": "[personnummer borttaget]",
}
"""Kind of personal data → the marker that replaces it (in the order the patterns apply)."""
_PATTERNS = (("email", EMAIL), ("phone", PHONE), ("personnummer", PERSONNUMMER))
_MAY_HOLD = re.compile(r"@|(?:\d[- +]?){7}")
"""Cheap test first: every pattern needs an ``@`` or seven digits with single separators."""


@lru_cache(maxsize=65536)
def _redacted(text: str) -> tuple[str, tuple[tuple[str, int], ...]]:
    found = []
    for kind, pattern in _PATTERNS:
        text, n = pattern.subn(MARKERS[kind], text)
        if n:
            found.append((kind, n))
    return text, tuple(found)


def redact(text: str, counts: Counter[str] | None = None) -> str:
    """``text`` with every e-mail address, personnummer and phone number replaced by its
    marker; when ``counts`` is given, the replacements are added to it by kind (``email``,
    ``personnummer``, ``phone``)."""
    if not _MAY_HOLD.search(text):
        return text
    out, found = _redacted(text)
    if counts is not None:
        for kind, n in found:
            counts[kind] += n
    return out
