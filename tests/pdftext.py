"""The book's PDF as text (``pdftotext``): :func:`pdf_text_problems` lists what a reader of the
printed book would see wrong with names and words. Used on the project's own book after a full
run (tests/test_end_to_end.py) and tested on made-up text (tests/test_pdftext.py)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from samverkan import registry
from samverkan.book.technical import OPENING
from samverkan.intake import codebook

_BROKEN = re.compile(r"(\w+)-\n\s*(\w+)")
_FILE = re.compile(r"\b\d\d-[\w-]*\n[\w-]*\.(?:csv|xlsx)\b")
"""A submission's file name broken over two lines (one line break: in a table pdftotext puts the
neighbouring cells' lines between the parts of a cell that wraps more than once)."""


def pdf_text(pdf: Path) -> str:
    """The PDF's text in reading order, as ``pdftotext`` gives it."""
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def county_words() -> set[str]:
    """Every word of the 21 counties' names, in the forms the book prints (lower case)."""
    words = set()
    for _, row in registry.counties().iterrows():
        for name in (row["name"], row["short_name"]):
            for word in name.split():
                if word != "län":
                    words |= {word.lower(), f"{word.lower()}s"}
    return words


def field_names() -> set[str]:
    """The codebook's snake_case field names (a name with an underscore)."""
    return {f.name for f in codebook.fields() if "_" in f.name}


def pdf_text_problems(text: str, file_names: set[str]) -> list[str]:
    """Hyphens inside a county name or a submission's file name, "folkmängd saknas", and
    snake_case field names before the technical appendix (which opens with
    :data:`samverkan.book.technical.OPENING`)."""
    text = text.replace("\u200b", "").replace("\u00ad", "")
    problems = []
    words = county_words()
    for first, second in _BROKEN.findall(text):
        if (first + second).lower() in words:
            problems.append(f"county name hyphenated: {first}-{second}")
    for token in _FILE.findall(text):
        name = token.replace("-\n", "-").replace("\n", "")
        if name not in file_names:
            problems.append(f"file name broken with a hyphen: {token!r}")
    flat = " ".join(text.split())
    if "folkmängd saknas" in flat.lower():
        problems.append("'folkmängd saknas' in the book")
    body = flat.rsplit(" ".join(OPENING.split()), 1)[0]
    found = sorted(n for n in field_names() if re.search(rf"(?<![\w.]){n}(?!\w)", body))
    problems += [f"field name {n} outside the technical appendix" for n in found]
    return problems
