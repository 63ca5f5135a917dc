"""Each county's own report (samverkan/book/county_docs.py) on the tiny test book: a cover that
names the county, the round, the date and where the data comes from; the profile as chapter 1
with the book's numbering; references to the national book as text naming it; one
self-contained HTML file and an A4 PDF with its own contents; and ``check`` finding a missing,
cut-short or incomplete document. The real documents of all 21 counties are checked after a
full run in test_end_to_end.py, the incremental runs in test_county.py."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import pytest

from samverkan.book import county_docs
from samverkan.paths import project_root
from tests.book_fixtures import write_tiny_book

BUILT = dt.date(2026, 12, 2)


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).replace("\u00a0", " ").split())


def _pdf_text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return " ".join(out.replace("\u00a0", " ").split())


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> tuple[Path, county_docs.render.RenderResult]:
    root = write_tiny_book(tmp_path_factory.mktemp("countydocs"), assets_from=project_root())
    profile = json.loads((root / "report/_generated/county_01.ipynb").read_text("utf-8"))
    # as in the book, where an appendix's sections are left out of the contents
    assert "## Projekt i länet {.unlisted}" in "".join(profile["cells"][0]["source"])
    return root, county_docs.render_county("Stockholm", root, built=BUILT, report_round=2011)


@pytest.fixture
def tiny(tmp_path) -> Path:
    return write_tiny_book(tmp_path / "tiny", assets_from=project_root())


def test_document_paths_use_the_code_and_the_ascii_slug(tiny):
    html, pdf = county_docs.document_paths("Västra Götaland", tiny)
    assert (html.name, pdf.name) == ("14-vastra-gotaland.html", "14-vastra-gotaland.pdf")
    assert html.parent == tiny / "_book" / "lan"


def test_the_counties_are_the_books_county_appendices(tiny):
    assert list(county_docs.county_chapters(tiny)) == ["01"]
    assert list(county_docs.county_chapters(project_root())) == [
        f"{n:02d}" for n in (1, *range(3, 11), 12, 13, 14, *range(17, 26))]


def test_cover_names_the_county_round_date_and_data(rendered):
    root, result = rendered
    html = result.outputs[0].read_text(encoding="utf-8")
    header = re.search(r'<header id="title-block-header".*?</header>', html, re.DOTALL).group(0)
    cover = _text(header)
    assert cover.startswith("Stockholms län Provbok för återgivningen – länets rapport")
    for expected in ("Länsstyrelsen i Stockholms län",
                     "Redovisningsomgång: slutredovisningen 2011",
                     "Underlag: rekonstruerat, inte länets verkliga inlämning", "december 2026"):
        assert expected in cover, expected
    first_page = _pdf_text(result.outputs[1]).split("Innehåll")[0]
    assert "Stockholms län" in first_page and "slutredovisningen 2011" in first_page
    assert "Underlag: rekonstruerat" in first_page and "december 2026" in first_page
    assert "Provförfattaren" not in cover  # the national book's publisher is not the county's


def test_the_profile_is_chapter_one_with_the_books_numbering(rendered):
    _, result = rendered
    html = result.outputs[0].read_text(encoding="utf-8")
    text = _text(html)
    assert '<html lang="sv">' in html
    assert "<title>Stockholms län: Provbok för återgivningen</title>" in html
    assert re.search(r'id="sec-lan-01"[^>]*>\s*<span class="header-section-number">1</span>',
                     html)
    assert re.search(r'<span class="header-section-number">1\.2</span> Datakvalitet', html)
    assert re.search(r'id="sec-om-berakningen-01"[^>]*>\s*'
                     r'<span class="header-section-number">2</span>', html)
    assert "Bilag" not in text  # a chapter here, not an appendix
    assert "Tabell 1.1: Avvisade värden i länets filer" in text  # the book's scheme
    assert "01-stockholm.xlsx Projekt 7 Beviljat belopp tusen Beloppet går inte att tolka" in text
    # the introduction points to the profile, the rejected values and the method
    assert "länets profil (Kapitel 1)" in text and "i Tabell 1.1 varje värde" in text
    assert "beskrivs kort i Kapitel 2" in text
    assert not result.warnings


def test_references_to_the_national_book_name_it(rendered):
    _, result = rendered
    text = _text(result.outputs[0].read_text(encoding="utf-8"))
    assert "Mer i kapitlet ”Kapitlet om län” i den nationella rapporten." in text
    assert "Se den nationella rapporten." in text  # a figure of the book: no number to give
    assert "?@" not in text and "@sec-" not in text and "@fig-" not in text


def test_html_is_one_file_and_the_pdf_is_a4_with_contents(rendered):
    _, result = rendered
    html, pdf = result.outputs
    page = html.read_text(encoding="utf-8")
    assert not re.search(r"<script|<link[^>]+href=|src=\"(?!data:)", page)
    assert "<style" in page
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"Page size:\s+595\.\d* x 841\.\d* pts \(A4\)", info)
    assert result.pages == int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 3
    text = _pdf_text(pdf)
    contents = text.split("Innehåll", 1)[1]
    for entry in ("Om rapporten", "1 Stockholms län", "1.1 Projekt i länet", "1.2 Datakvalitet",
                  "2 Om beräkningen"):
        assert entry in contents, entry
    assert not list(html.parent.glob(".build-*"))
    toc = re.search(r'<nav id="TOC".*?</nav>', page, re.DOTALL).group(0)
    assert "Projekt i länet" in toc and "Om beräkningen" in toc  # its sections, listed here


def test_national_refs_read_headings_from_notebooks_and_markdown(tiny):
    generated = tiny / "report" / "_generated" / "resultat.ipynb"
    nb = json.loads(generated.read_text(encoding="utf-8"))
    nb["cells"][0]["source"] = "# Resultat {#sec-resultat}\n\n## Per län {#sec-per-lan}\n"
    generated.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    refs = county_docs.national_refs(tiny, {"sec-resultat", "sec-per-lan", "sec-kapitel",
                                            "sec-lan-01", "sec-finns-inte", "fig-staplar"})
    assert refs == {
        "sec-resultat": "kapitlet ”Resultat” i den nationella rapporten",
        "sec-per-lan": "avsnittet ”Per län” i den nationella rapporten",
        "sec-kapitel": "kapitlet ”Kapitlet om län” i den nationella rapporten",
    }


def test_a_county_without_its_profile_is_refused_with_the_command_to_run(tiny):
    (tiny / "report" / "_generated" / "county_01.ipynb").unlink()
    with pytest.raises(county_docs.CountyDocError, match=r"run --county 01"):
        county_docs.render_county("01", tiny)
    with pytest.raises(county_docs.CountyDocError, match="no county appendix"):
        county_docs.render_county("03", tiny)


def test_the_reports_own_data_source_is_stated(tiny):
    intro = county_docs.intro_markdown("08", 2010, county_docs.OWN, "Boken", "abc1234")
    assert "Underlaget" in intro and "Länsstyrelsen i Kalmar län själv" in intro
    assert "delredovisningen 2010" in intro and "rekonstruerat" not in intro
    lines = county_docs.cover_lines("08", 2010, county_docs.OWN)
    assert lines[-1] == "Underlag: länsstyrelsens egna filer"


def test_a_profile_without_rejected_values_says_so(tiny):
    profile = tiny / "report" / "_generated" / "county_01.ipynb"
    nb = json.loads(profile.read_text(encoding="utf-8"))
    nb["cells"] = [c for c in nb["cells"] if "tbl-avvisade" not in "".join(c["source"])]
    profile.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    result = county_docs.render_county("01", tiny)
    text = _text(result.outputs[0].read_text(encoding="utf-8"))
    assert county_docs.NO_REJECTS in text
    assert "?@" not in text and "varje värde som inte kunde tolkas" not in text
    assert county_docs.check_county_documents(tiny) == []


# ---------------------------------------------------------------------------------- check


def _problems(root: Path) -> list[str]:
    return [str(p) for p in county_docs.check_county_documents(root)]


def test_check_passes_complete_documents_and_finds_missing_ones(tiny):
    assert _problems(tiny) == [
        "_book/lan/01-stockholm.html: missing: `python -m samverkan run --county 01` writes it",
        "_book/lan/01-stockholm.pdf: missing: `python -m samverkan run --county 01` writes it",
    ]
    county_docs.render_county("01", tiny)
    assert _problems(tiny) == []


def test_check_finds_a_cut_short_pdf_an_incomplete_html_and_a_stray_file(tiny):
    html, pdf = county_docs.render_county("01", tiny).outputs
    pdf.write_bytes(pdf.read_bytes()[: pdf.stat().st_size // 2])
    page = html.read_text(encoding="utf-8")
    page = page.replace('id="tbl-avvisade-01"', 'id="tbl-borta"')
    page = page.replace("</main>", '<a href="#fig-saknas">x</a> ?@sec-okand</main>')
    html.write_text(page, encoding="utf-8")
    (html.parent / "99-atlantis.pdf").write_bytes(b"%PDF-")
    problems = _problems(tiny)
    assert any(p.startswith("_book/lan/01-stockholm.pdf: not a complete PDF") for p in problems)
    assert ("_book/lan/01-stockholm.html: incomplete: neither the table of rejected values "
            "(#tbl-avvisade-01) nor the sentence that nothing was rejected") in problems
    assert any("links without a target:" in p and "fig-saknas" in p for p in problems)
    assert "_book/lan/01-stockholm.html: unresolved references: ?@sec-okand" in problems
    assert ("_book/lan/99-atlantis.pdf: not a county of the book's chapter list: remove it"
            in problems)
