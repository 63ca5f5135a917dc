"""The PDFs' structure, read with pypdf (tests/pdfstructure.py): PDF/UA-1, DisplayDocTitle,
Swedish throughout and alt text on every figure, in the tiny book's PDF from the embedded
renderer; and the reader of the structure catches a PDF that falls short of each. The
project's own book and every county report are read by tests/test_end_to_end.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdfstructure import accessibility_problems, structure

from samverkan.book import render
from samverkan.paths import project_root
from tests.book_fixtures import png_bytes, write_tiny_book


@pytest.fixture(scope="module")
def tiny_pdf(tmp_path_factory) -> Path:
    root = write_tiny_book(tmp_path_factory.mktemp("pdf"), assets_from=project_root())
    render.write_cover_note(root)
    return render.render_embedded(root).outputs[1]


def test_the_tiny_books_pdf_is_pdf_ua_in_swedish_with_alt_text(tiny_pdf):
    facts = structure(tiny_pdf)
    assert accessibility_problems(tiny_pdf) == []
    assert facts["lang"] == "sv-SE"
    assert facts["figures"] >= 2  # the tiny book's two figures, each with its alt text
    assert facts["elements"]["/Table"] >= 3 and facts["tables_in_other_languages"] == 0


def test_the_structure_reader_catches_a_pdf_below_the_standard(tmp_path):
    """A typst PDF without PDF/UA, with an English code span and a figure without alt text:
    each shortfall is named."""
    import typst

    (tmp_path / "bild.png").write_bytes(png_bytes())
    source = tmp_path / "prov.typ"
    source.write_text(
        '#set document(title: [Prov])\n#set text(lang: "sv")\n= Rubrik\n'
        "Filen `08-kalmar.xlsx`.\n#figure(image(\"bild.png\"), caption: [Bild])\n",
        encoding="utf-8")
    pdf = tmp_path / "prov.pdf"
    typst.compile(str(source), output=str(pdf), root=str(tmp_path))
    problems = accessibility_problems(pdf)
    assert "not identified as PDF/UA-1 (pdfuaid:part None)" in problems
    assert "viewers show the file name, not the title (no DisplayDocTitle)" in problems
    assert "elements tagged in another language than Swedish: {'en': 1}" in problems
    assert "1 of 1 figures have no alt text" in problems
