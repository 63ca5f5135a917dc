"""What a PDF's structure says to assistive technology, read with pikepdf (independently of
typst, which wrote it): :func:`accessibility_problems` lists every way a PDF falls short of the
book's standard: PDF/UA-1 identified, the title shown instead of the file name
(DisplayDocTitle), Swedish as the document's language and no element tagged in another
language, tagged (marked) content, and alt text on every figure."""

from __future__ import annotations

from collections import Counter
from pathlib import Path


def _elements(node, seen: set[int]):
    """Every structure element below ``node`` (a dict with /S), following /K only."""
    import pikepdf

    if isinstance(node, pikepdf.Array):
        for kid in node:
            yield from _elements(kid, seen)
        return
    if not isinstance(node, pikepdf.Dictionary):
        return
    key = node.objgen if node.is_indirect else None
    if key is not None:
        if key in seen:
            return
        seen.add(key)
    if "/S" in node:
        yield node
    if "/K" in node:
        yield from _elements(node.K, seen)


def structure(pdf: Path) -> dict:
    """The facts :func:`accessibility_problems` judges, as plain Python values."""
    import pikepdf

    with pikepdf.open(pdf) as doc:
        root = doc.Root
        meta = doc.open_metadata()
        prefs = root.get("/ViewerPreferences", {})
        mark = root.get("/MarkInfo", {})
        elements = list(_elements(root.StructTreeRoot, set())) if "/StructTreeRoot" in root \
            else []
        figures = [e for e in elements if str(e.S) == "/Figure"]
        return {
            "ua_part": meta.get("pdfuaid:part"),
            "title": meta.get("dc:title") or "",
            "display_doc_title": bool(prefs.get("/DisplayDocTitle", False)),
            "lang": str(root.get("/Lang", "")),
            "marked": bool(mark.get("/Marked", False)),
            "elements": Counter(str(e.S) for e in elements),
            "figures": len(figures),
            "figures_without_alt": sum(1 for f in figures if not str(f.get("/Alt", "")).strip()),
            "languages": Counter(str(e.Lang) for e in elements if "/Lang" in e),
            "tables_in_other_languages": sum(
                1 for e in elements if str(e.S) in ("/Table", "/THead", "/TBody", "/TR", "/TH",
                                                     "/TD") and "/Lang" in e
                and not str(e.Lang).startswith("sv")),
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
