"""The embedded renderer writes the book's HTML and PDF as a pair: when one fails, neither is
replaced, so ``_book/`` never holds a new HTML beside an old PDF."""

from __future__ import annotations

import pytest

from samverkan.book import render
from samverkan.paths import project_root
from tests.book_fixtures import write_tiny_book


def test_a_failed_pdf_leaves_the_previous_html_and_pdf_in_place(tmp_path, monkeypatch):
    root = write_tiny_book(tmp_path / "book", assets_from=project_root())
    render.write_cover_note(root)
    html, pdf = render.render_embedded(root).outputs
    before = {p: p.read_bytes() for p in (html, pdf)}
    chapter = root / "report" / "kapitel.qmd"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nEtt nytt stycke.\n",
                       encoding="utf-8")

    def typst_fails(*args, **kwargs):
        raise render.RenderError("typst: kompileringen misslyckades")

    monkeypatch.setattr(render, "_typst_compile", typst_fails)
    with pytest.raises(render.RenderError, match="kompileringen misslyckades"):
        render.render_embedded(root)
    assert {p: p.read_bytes() for p in (html, pdf)} == before
    assert sorted(p.name for p in html.parent.iterdir() if p.name.startswith(".")) == []
    monkeypatch.undo()
    html, pdf = render.render_embedded(root).outputs
    assert "Ett nytt stycke." in html.read_text(encoding="utf-8")
    assert pdf.read_bytes() != before[pdf]
