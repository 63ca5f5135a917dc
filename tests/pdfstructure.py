"""What a PDF's structure says to assistive technology, read with pypdf (independently of
typst, which wrote it): :func:`accessibility_problems` lists every way a PDF falls short of the
book's standard: PDF/UA-1 identified, the title shown instead of the file name
(DisplayDocTitle), Swedish as the document's language and no element tagged in another
language, tagged (marked) content, and alt text on every figure."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path


def _resolved(node):
    return node.get_object() if hasattr(node, "get_object") else node


def _elements(node, seen: set[int]):
    """Every structure element below ``node`` (a dict with /S), following /K only."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    if isinstance(node, IndirectObject):
        if node.idnum in seen:
            return
        seen.add(node.idnum)
        node = node.get_object()
    if isinstance(node, ArrayObject):
        for kid in node:
            yield from _elements(kid, seen)
        return
    if not isinstance(node, DictionaryObject):
        return
    if "/S" in node:
        yield node
    if "/K" in node:
        yield from _elements(node.raw_get("/K"), seen)


def structure(pdf: Path) -> dict:
    """The facts :func:`accessibility_problems` judges, as plain Python values."""
    from pypdf import PdfReader

    root = PdfReader(pdf).trailer["/Root"].get_object()
    xmp = (_resolved(root["/Metadata"]).get_data().decode("utf-8", "replace")
           if "/Metadata" in root else "")
    part = re.search(r"pdfuaid:part(?:>|=\")\s*(\d+)", xmp)
    title = re.search(r"<dc:title>.*?<rdf:li[^>]*>(.*?)</rdf:li>", xmp, re.DOTALL)
    prefs = _resolved(root.get("/ViewerPreferences", {}))
    mark = _resolved(root.get("/MarkInfo", {}))
    elements = list(_elements(root.raw_get("/StructTreeRoot"), set())) \
        if "/StructTreeRoot" in root else []
    figures = [e for e in elements if str(e["/S"]) == "/Figure"]
    table_parts = ("/Table", "/THead", "/TBody", "/TR", "/TH", "/TD")
    return {
        "ua_part": part.group(1) if part else None,
        "title": title.group(1) if title else "",
        "display_doc_title": bool(prefs.get("/DisplayDocTitle", False)),
        "lang": str(root.get("/Lang", "")),
        "marked": bool(mark.get("/Marked", False)),
        "elements": Counter(str(e["/S"]) for e in elements),
        "figures": len(figures),
        "figures_without_alt": sum(1 for f in figures if not str(f.get("/Alt", "")).strip()),
        "languages": Counter(str(e["/Lang"]) for e in elements if "/Lang" in e),
        "tables_in_other_languages": sum(
            1 for e in elements if str(e["/S"]) in table_parts and "/Lang" in e
            and not str(e["/Lang"]).startswith("sv")),
    }


def accessibility_problems(pdf: Path) -> list[str]:
    """Everything in ``pdf`` that falls short of PDF/UA-1 identification, DisplayDocTitle,
    Swedish throughout and alt text on every figure; empty when it meets them."""
    facts = structure(pdf)
    problems = []
    if str(facts["ua_part"]) != "1":
        problems.append(f"not identified as PDF/UA-1 (pdfuaid:part {facts['ua_part']!r})")
    if not facts["title"].strip():
        problems.append("no document title in the metadata")
    if not facts["display_doc_title"]:
        problems.append("viewers show the file name, not the title (no DisplayDocTitle)")
    if not facts["lang"].startswith("sv"):
        problems.append(f"document language is {facts['lang']!r}, not Swedish")
    if not facts["marked"] or not facts["elements"]:
        problems.append("not a tagged PDF")
    if facts["figures_without_alt"]:
        problems.append(f"{facts['figures_without_alt']} of {facts['figures']} figures have "
                        "no alt text")
    other = {lang: n for lang, n in facts["languages"].items() if not lang.startswith("sv")}
    if other:
        problems.append(f"elements tagged in another language than Swedish: {other}")
    if facts["tables_in_other_languages"]:
        problems.append(f"{facts['tables_in_other_languages']} table parts tagged in another "
                        "language")
    return problems
