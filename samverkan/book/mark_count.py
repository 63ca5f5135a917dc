"""Counting the reconstruction's marks (:data:`samverkan.book.sources.MARK`) in a rendered
HTML book or county report, per chapter: for a closing note or a review
(``scripts/count_marks.py``)."""

from __future__ import annotations

import re

from samverkan.book.sources import MARK

_MARKED_FIGURE = re.compile(rf"[^\s(]{MARK}")
_MARKED_SOURCE = f"({MARK})"


def marks_per_chapter(html: str) -> dict[str, dict[str, int]]:
    """How many reconstruction-only figures each chapter of a rendered HTML book (or county
    report) marks: per top-level heading (``<h1>`` text, in order), ``figures`` = figures in
    running text and in labels that carry :data:`MARK` right after them (``6ᴿ``,
    ``74,6 %ᴿ``, ``3 projektᴿ``), ``cells`` = marked cells of the tables, ``tables`` =
    tables and charts whose source line ends in ``(ᴿ)``, ``labels`` = any other mark (an
    example labelled an invented illustration); the legend's own mark (``ᴿ = …``) is not
    counted."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    counts: dict[str, dict[str, int]] = {}
    chapter = ""
    for node in (soup.find("main") or soup.body or soup).descendants:
        if getattr(node, "name", None) == "h1":
            chapter = " ".join(node.get_text(" ").split())
            counts.setdefault(chapter, {"figures": 0, "cells": 0, "tables": 0, "labels": 0})
            continue
        if not isinstance(node, str) or MARK not in node or not chapter:
            continue
        if node.find_parent("h1") is not None:
            continue
        text = " ".join(node.split())
        if node.find_parent(["td", "th"]) is not None:
            counts[chapter]["cells"] += text.count(MARK)
            continue
        tables = text.count(_MARKED_SOURCE)
        figures = len(_MARKED_FIGURE.findall(text.replace(_MARKED_SOURCE, "")))
        legends = len(re.findall(rf"(?:^|\s){MARK} =", text))
        counts[chapter]["tables"] += tables
        counts[chapter]["figures"] += figures
        counts[chapter]["labels"] += text.count(MARK) - tables - figures - legends
    return counts
