"""The book: the chapter list of _quarto.yml, the embedded renderer (pandoc + typst) on a tiny
book, and ``check`` finding planted problems."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import nbformat
import pytest

from samverkan import provenance
from samverkan.book import chapters as book
from samverkan.book import county_docs, render
from samverkan.cli import main
from samverkan.paths import project_root, reference_dir
from tests.book_fixtures import write_tiny_book

ROOT = project_root()


def _make_book(path: Path, **kwargs) -> Path:
    return write_tiny_book(path, assets_from=ROOT, **kwargs)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> tuple[Path, render.RenderResult]:
    root = _make_book(tmp_path_factory.mktemp("book"))
    render.write_cover_note(root)
    return root, render.render_embedded(root)


@pytest.fixture
def tiny(tmp_path) -> Path:
    root = _make_book(tmp_path / "book")
    render.write_cover_note(root)
    return root


# ---------------------------------------------------------------------------------------------
# The chapter list


def _county_codes() -> list[str]:
    with (reference_dir() / "counties.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    key = next(k for k in rows[0] if k in ("lan_code", "code", "länskod"))
    return sorted(row[key].zfill(2) for row in rows)


def test_project_chapters_follow_the_agreed_order():
    paths = [c.path for c in book.chapters(ROOT)]
    assert paths[:10] == [
        "index.qmd",
        "report/_generated/04_summary.ipynb",
        "report/bakgrund.qmd",
        "report/_generated/05_distribution.ipynb",
        "report/_generated/02_results.ipynb",
        "report/_generated/06_examples.ipynb",
        "report/_generated/03_audit.ipynb",
        "report/_generated/07_conclusions.ipynb",
        "report/_generated/01_clean.ipynb",
        "report/_generated/indikatorer.md",
    ]
    appendices = [c.path for c in book.chapters(ROOT) if c.appendix]
    assert appendices[0] == "report/_generated/blanketter.md"
    assert appendices[-1] == "report/_generated/om-berakningen.md"  # the technical appendix
    assert appendices[-2] == "report/_generated/antaganden.md"  # the reconstruction's choices
    counties = [re.search(r"county_(\d\d)", p).group(1) for p in appendices[1:-2]]
    assert counties == _county_codes()  # the 21 SCB codes, from the county registry's data


def test_notebook_chapters_name_their_source_and_parameters():
    chapters = book.notebook_chapters(ROOT)
    by_name = {c.generated.name: c for c in chapters}
    assert by_name["02_results.ipynb"].source == ROOT / "notebooks" / "02_results.ipynb"
    assert by_name["02_results.ipynb"].parameters == {}
    county = by_name["county_25.ipynb"]
    assert county.source == ROOT / "notebooks" / "county.ipynb"
    assert county.parameters == {"lan_code": "25"}
    assert county.generated == ROOT / "report" / "_generated" / "county_25.ipynb"
    assert len([c for c in chapters if "lan_code" in c.parameters]) == 21
    assert all(not c.generated.name.endswith(".md") for c in chapters)


def test_parts_and_bad_entries(tmp_path):
    (tmp_path / "_quarto.yml").write_text(
        "book:\n  chapters:\n    - index.qmd\n    - part: Del ett\n      chapters:\n"
        "        - a.qmd\n  appendices:\n    - b.qmd\n", encoding="utf-8")
    chapters = book.chapters(tmp_path)
    assert [(c.path, c.appendix, c.part) for c in chapters] == [
        ("index.qmd", False, None), ("a.qmd", False, "Del ett"), ("b.qmd", True, None)]
    (tmp_path / "_quarto.yml").write_text("book:\n  chapters:\n    - a.qmd\n    - a.qmd\n",
                                          encoding="utf-8")
    with pytest.raises(book.BookError, match="listed twice"):
        book.chapters(tmp_path)
    (tmp_path / "_quarto.yml").write_text("project:\n  type: book\n", encoding="utf-8")
    with pytest.raises(book.BookError, match="book"):
        book.chapters(tmp_path)


def test_cell_options_are_quarto_comments():
    options, code = book.cell_options(
        '#| label: fig-x\n#| fig-cap: "Medel: per län"\n#| echo: false\nplot()\n#| not: this')
    assert options == {"label": "fig-x", "fig-cap": "Medel: per län", "echo": False}
    assert code == "plot()\n#| not: this"
    assert book.cell_options("x = 1") == ({}, "x = 1")


def test_dataframe_named_index_header_is_merged():
    html = (
        "<div><style>.x{}</style><table><thead><tr><th></th><th>Belopp</th></tr>"
        "<tr><th>Län</th><th></th></tr></thead><tbody><tr><th>Uppsala</th><td>1</td></tr>"
        "</tbody></table></div>"
    )
    tidy = book._table_html(html)
    assert tidy.count("<tr>") == 2 and "<th>Län</th>" in tidy and "style" not in tidy


def test_multiindex_columns_keep_their_levels_and_take_the_index_name():
    import pandas as pd

    frame = pd.DataFrame(
        [[1, 2, 3, 4]], index=pd.Index(["Uppsala"], name="Län"),
        columns=pd.MultiIndex.from_tuples([("2008", "a"), ("2008", "b"), ("2009", "a"),
                                           ("2009", "b")]))
    tidy = book._table_html(frame.to_html())
    head = re.search(r"<thead>(.*)</thead>", tidy, re.DOTALL).group(1)
    rows = [re.findall(r"<th[^>]*>(.*?)</th>", row) for row in head.split("</tr>")[:-1]]
    assert rows == [["", "2008", "2009"], ["Län", "a", "b", "a", "b"]]


# ---------------------------------------------------------------------------------------------
# The embedded renderer


def test_html_has_toc_numbers_captions_and_resolved_references(rendered):
    root, result = rendered
    html = (root / "_book" / "rapport.html").read_text(encoding="utf-8")
    assert '<html lang="sv">' in html
    assert re.search(r'<nav id="TOC"[^>]*>\s*<h2 id="toc-title">Innehåll</h2>', html)
    assert re.search(r'href="#sec-kapitel"[^>]*><span class="header-section-number">1</span>',
                     html)
    assert re.search(r'href="#sec-lan-01"[^>]*><span class="header-section-number">A</span>',
                     html)
    # an appendix's sections are numbered but not listed in the table of contents
    toc = re.search(r'<nav id="TOC".*?</nav>', html, re.DOTALL).group(0)
    assert "Projekt i länet" not in toc
    assert re.search(r'<span class="header-section-number">A\.1</span> Projekt i länet', html)
    text = " ".join(re.sub(r"<[^>]+>", "", html).replace("\u00a0", " ").split())
    # numbered captions, through the whole book: Markdown figure first, notebook figure second
    assert "Figur 1.1: Egen bild med åäö" in text
    assert "Figur 2.1: Beviljade medel per län" in text
    assert "Tabell 1.1: Liten tabell i Markdown" in text
    assert "Tabell 2.1: Beviljade medel och andel per län" in text
    assert "Tabell A.1: Avvisade värden i länets filer" in text  # an appendix: its letter
    # references from a .qmd, from a callout and from a notebook's Markdown output
    assert "Se Figur 2.1 och Tabell 2.1 i Kapitel 2, och länsprofilen i Bilaga A." in text
    assert "Rutan innehåller en hänvisning till Tabell 2.1." in text
    assert "Diagrammet i Figur 2.1 visar beloppen och Tabell 2.1 samma" in text
    assert '<a href="#fig-staplar">' in html and '<a href="#tbl-medel">' in html
    assert "?@" not in text and "@fig-" not in text and "@tbl-" not in text
    # callouts with the given title and with a title from their heading
    assert re.search(r'class="callout callout-note".*?Viktigt att veta', html, re.DOTALL)
    assert re.search(r'class="callout callout-warning".*?Rubrik från rubrikrad', html, re.DOTALL)
    # the include and the cover note
    assert "Underlaget är rekonstruerat" in text and "Redovisningsomgång:" in text
    # code is hidden, outputs are kept
    assert "display(Markdown" not in html and "#| label" not in html
    assert "utskrift" in text
    assert not result.warnings


def test_html_is_one_self_contained_file(rendered):
    root, _ = rendered
    html = (root / "_book" / "rapport.html").read_text(encoding="utf-8")
    images = re.findall(r"<img\b[^>]*>", html)
    assert len(images) == 2
    for img in images:
        assert re.search(r'src="data:image/png;base64,', img)
        assert re.search(r'alt="[^"]+"', img)
    assert 'alt="Staplar för Stockholm, Uppsala och Östergötland"' in html
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=|src=\"https?:", html)
    assert "<style" in html  # the CSS is inlined
    assert not (root / "_book" / "build").exists()
    umask = os.umask(0)
    os.umask(umask)
    for output in ("rapport.html", "rapport.pdf"):  # readable like any file the user writes
        assert (root / "_book" / output).stat().st_mode & 0o777 == 0o666 & ~umask
    assert not list((root / "_book").glob(".build-*"))


def test_html_tables_are_real_tables_with_numbers_right_aligned(rendered):
    root, _ = rendered
    html = (root / "_book" / "rapport.html").read_text(encoding="utf-8")
    table = re.search(r'<table id="tbl-medel"[^>]*>.*?</table>', html, re.DOTALL).group(0)
    assert table.count("<tr>") == 3  # one header row (the index name merged in), two counties
    assert re.search(r'<th style="text-align: right;">Beviljat \(kr\)</th>', table)
    assert re.search(r'<td style="text-align: right;">4\u00a0830\u00a0000</td>', table)


def test_pdf_has_the_text_and_its_page_count(rendered):
    root, result = rendered
    pdf = root / "_book" / "rapport.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    text = " ".join(text.replace("\u00a0", " ").split())
    for expected in ("Innehåll", "1 Kapitlet om län", "Figur 1.1: Egen bild med åäö",
                     "Figur 2.1: Beviljade medel per län", "Tabell 2.1: Beviljade medel och andel",
                     "Se Figur 2.1 och Tabell 2.1 i Kapitel 2", "Tabell A.1: Avvisade värden",
                     "A Stockholms län",
                     "Viktigt att veta", "Underlaget är rekonstruerat", "4 830 000"):
        assert expected in text, expected
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    assert result.pages == int(re.search(r"Pages:\s+(\d+)", info).group(1))


def test_pdf_keeps_alt_text_and_breaks_pages(rendered):
    root, _ = rendered
    pdf = root / "_book" / "rapport.pdf"
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    warning = next(i for i, p in enumerate(pages) if "Varningstext" in p)
    assert "Se Figur 1.1 och Tabell 1.1" not in pages[warning]  # {{< pagebreak >}} before it
    assert set(_pdf_alt_texts(pdf)) == {
        "En blå prick på vit botten", "Staplar för Stockholm, Uppsala och Östergötland"}


def _pdf_alt_texts(pdf: Path) -> list[str]:
    """The /Alt entries of a tagged PDF (hex UTF-16 strings, maybe in compressed streams)."""
    import zlib

    data = pdf.read_bytes()
    chunks = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", match.end())
        try:
            chunks.append(zlib.decompressobj().decompress(data[match.end():end]))
        except zlib.error:
            continue
    alts = []
    for chunk in chunks:
        for hexed in re.findall(rb"/Alt<([0-9A-Fa-f]+)>", chunk):
            alts.append(bytes.fromhex(hexed.decode()).decode("utf-16"))
    return alts


def test_render_refuses_a_missing_chapter(tiny):
    (tiny / "report" / "kapitel.qmd").unlink()
    with pytest.raises(render.RenderError, match="report/kapitel.qmd"):
        render.render_embedded(tiny)
    assert not (tiny / "_book" / "rapport.html").exists()


def test_render_command_prints_sizes_and_fails_on_missing_chapter(tiny, monkeypatch, capsys):
    monkeypatch.setenv("SAMVERKAN_ROOT", str(tiny))
    monkeypatch.setattr("shutil.which", lambda name: None)  # no Quarto: the embedded renderer
    project_root.cache_clear()
    try:
        assert main(["render"]) == 0
        out = capsys.readouterr().out
        assert re.search(r"_book/rapport\.pdf\s+\(\d+ kB, \d+ pages\)", out)
        assert re.search(r"in \d+\.\d s", out)
        (tiny / "report" / "_generated" / "resultat.ipynb").unlink()
        assert main(["render"]) == 1
        assert "report/_generated/resultat.ipynb" in capsys.readouterr().err
    finally:
        project_root.cache_clear()


def test_cover_note_says_what_data_and_which_build(tiny):
    note = (tiny / "report" / "_generated" / "omslag.md").read_text(encoding="utf-8")
    assert "rekonstruerade underlag" in note and "Rapport 2011:39" in note
    assert "Rekonstruerat underlag för 1 län: Stockholm." in note  # the tiny book's data/raw/
    assert "2011 (slutredovisningen)" in note  # the round papermill recorded in the notebook
    assert "**Programversion (git):** okänd" in note  # tmp_path is not a git checkout
    shipped = render.cover_note(2011, "abc1234", render.dt.date(2011, 12, 31),
                                provenance.county_sources(2011))
    assert "Underlaget är rekonstruerat" in shipped and "Rapport 2011:39" in shipped
    assert "Alla 21 läns filer är det rekonstruerade underlaget." in shipped
    own = {"01": provenance.OWN, "08": provenance.OWN}
    real = render.cover_note(2010, "abc1234", render.dt.date(2011, 12, 31), own)
    assert "rekonstru" not in real and "abc1234" in real and "2011-12-31" in real
    assert "Alla 2 län har lämnat egna filer" in real
    mixed = render.cover_note(2011, "abc1234", render.dt.date(2011, 12, 31),
                              {"01": provenance.OWN, "08": provenance.RECONSTRUCTED})
    assert "delvis rekonstruerat" in mixed
    assert "Egna filer från 1 av 2 län: Stockholm." in mixed
    assert "Rekonstruerat underlag för 1 län: Kalmar." in mixed


def test_git_commit_is_short_hash_in_a_checkout():
    commit = render.git_commit(ROOT)
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout.strip()
    assert commit.rstrip("+") == head


# ---------------------------------------------------------------------------------------------
# check


def _problems(root: Path) -> list[str]:
    return [str(p) for p in render.check_book(root)]


def test_check_passes_a_complete_book(tiny):
    assert _problems(tiny) == []


def test_check_finds_a_missing_chapter(tiny):
    (tiny / "report" / "_generated" / "county_01.ipynb").unlink()
    problems = _problems(tiny)
    assert any(p.startswith("report/_generated/county_01.ipynb: does not exist") for p in problems)
    # and the references into it dangle
    assert any("@sec-lan-01 refers to no" in p for p in problems)


def test_check_finds_an_unexecuted_notebook(tiny):
    _make_book(tiny, executed=False)
    problems = _problems(tiny)
    assert any("resultat.ipynb: not executed: 5 code cell(s)" in p for p in problems), problems


def test_check_finds_an_error_output(tiny):
    path = tiny / "report" / "_generated" / "resultat.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[1].outputs = [nbformat.v4.new_output("error", ename="KeyError", evalue="'lan'",
                                                  traceback=[])]
    nbformat.write(nb, path)
    found = [p for p in _problems(tiny) if "KeyError" in p]
    assert found == ["report/_generated/resultat.ipynb, cell 2: raised KeyError: 'lan'"]


def test_check_finds_a_dangling_cross_reference(tiny):
    chapter = tiny / "report" / "kapitel.qmd"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nSe @tbl-finns-inte.\n",
                       encoding="utf-8")
    assert _problems(tiny) == [
        "report/kapitel.qmd: @tbl-finns-inte refers to no figure, table or section"]


def test_check_finds_missing_image_alt_text_and_duplicate_labels(tiny):
    chapter = tiny / "report" / "kapitel.qmd"
    chapter.write_text(
        chapter.read_text(encoding="utf-8")
        + "\n![](bilder/saknas.png)\n\n![Bild](bilder/prick.png){#fig-egen}\n",
        encoding="utf-8")
    problems = _problems(tiny)
    assert "report/kapitel.qmd: the image bilder/saknas.png does not exist" in problems
    assert "report/kapitel.qmd: the image bilder/saknas.png has no alt text" in problems
    assert any("label fig-egen is defined twice" in p for p in problems)


def test_check_finds_an_image_from_the_data_or_outside_the_project(tiny):
    """An image path into data/ (a county's raw file) or out of the project is a problem even
    when the file exists: the HTML would embed it."""
    raw = tiny / "data" / "raw" / "2011"
    raw.mkdir(parents=True, exist_ok=True)
    (raw / "07-kronoberg-projekt.csv").write_text("hemligt")
    chapter = tiny / "report" / "kapitel.qmd"
    chapter.write_text(
        chapter.read_text(encoding="utf-8")
        + "\n![Rådata](../data/raw/2011/07-kronoberg-projekt.csv)\n\n![Lösen](/../../etc/passwd)\n",
        encoding="utf-8")
    problems = [p for p in _problems(tiny) if "outside the book's own folders" in p]
    assert problems == [
        "report/kapitel.qmd: the image ../data/raw/2011/07-kronoberg-projekt.csv is outside the "
        "book's own folders (a file in data/ or outside the project is never embedded)",
        "report/kapitel.qmd: the image /../../etc/passwd is outside the book's own folders (a "
        "file in data/ or outside the project is never embedded)"]


def test_check_finds_notebook_figure_problems(tiny):
    path = tiny / "report" / "_generated" / "resultat.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[3].source = "#| label: fig-staplar\nchart()"  # no caption, no alt text
    nb.cells[4].outputs = []  # the labelled table cell shows nothing
    nbformat.write(nb, path)
    problems = _problems(tiny)
    assert any("cell 4" in p and "no caption" in p for p in problems)
    assert any("cell 4" in p and "no alt text" in p for p in problems)
    assert any("cell 5" in p and "produced no table" in p for p in problems)
    assert any("@tbl-medel refers to no" in p for p in problems)


def test_an_optional_table_cell_may_show_nothing(tiny):
    """A table cell tagged ``optional`` (the county's rejected rows when there are none) prints
    no empty table and is no problem; references to it still are."""
    path = tiny / "report" / "_generated" / "resultat.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[4].outputs = []
    nb.cells[4].metadata["tags"] = ["optional"]
    nbformat.write(nb, path)
    problems = _problems(tiny)
    assert not any("produced no table" in p for p in problems)
    assert any("@tbl-medel refers to no" in p for p in problems)


def test_check_command_exit_status(tiny, monkeypatch, capsys):
    monkeypatch.setenv("SAMVERKAN_ROOT", str(tiny))
    project_root.cache_clear()
    try:
        assert main(["check"]) == 1  # the county's own report is not written yet
        assert "_book/lan/01-stockholm.html: missing" in capsys.readouterr().err
        county_docs.render_county("01", tiny)
        assert main(["check"]) == 0
        (tiny / "report" / "_generated" / "omslag.md").unlink()
        assert main(["check"]) == 1
        err = capsys.readouterr().err
        assert "included file report/_generated/omslag.md does not exist" in err
    finally:
        project_root.cache_clear()


def test_check_reads_the_project_book_without_crashing():
    """On the real project the check lists problems (chapters not yet generated) but never
    fails to run; every problem names a place, and every chapter file that is not there (before
    a run: the generated chapters) is named, no other."""
    problems = render.check_book(ROOT)
    for problem in problems:
        assert problem.where and problem.message
    absent = {c.path for c in book.chapters(ROOT) if not c.file.is_file()}
    assert {p.where for p in problems if p.message.startswith("does not exist")} == absent


@pytest.mark.skipif(shutil.which("quarto") is None, reason="Quarto is not installed here")
def test_quarto_renders_the_tiny_book(tiny):
    version = render.quarto_version(shutil.which("quarto"))
    if version < render.QUARTO_MIN:
        pytest.skip(f"Quarto {version} is older than {render.QUARTO_MIN}")
    gitignore = (tiny / ".gitignore").read_text(encoding="utf-8")
    result = render.render_quarto(shutil.which("quarto"), tiny)
    assert any(p.suffix == ".pdf" for p in result.outputs)  # format: html and typst, author
    assert (tiny / ".gitignore").read_text(encoding="utf-8") == gitignore  # nothing appended
    pages = {p.relative_to(tiny / "_book").as_posix(): p.read_text(encoding="utf-8")
             for p in (tiny / "_book").rglob("*.html")}
    # Quarto writes "Tabell&nbsp;2.1": the text is read as a browser reads it (tags dropped,
    # entities unescaped, no-break spaces as spaces)
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", " ".join(pages.values())))
                    .replace("\u00a0", " ").split())
    # the numbering both renderers share (issue 13): per chapter, appendices by letter
    assert "Tabell 2.1" in text and "Figur 2.1" in text and "Tabell A.1" in text
    # the sidebar names the county appendix after the county, not after its first section
    sidebar = re.search(r'<nav id="quarto-sidebar".*?</nav>', pages["index.html"], re.DOTALL)
    assert sidebar and "Stockholms län" in sidebar.group(0)


def test_notebook_markdown_keeps_outputs_in_order(tiny):
    chapter = next(c for c in book.chapters(tiny) if c.name == "resultat")
    text, problems = book.notebook_markdown(chapter, None, "nbmedia:")
    assert problems == []
    order = [text.index(s) for s in ("# Resultat", "Diagrammet i @fig-staplar",
                                     "::: {#fig-staplar .nb-figure}", "::: {#tbl-medel .nb-table}",
                                     "utskrift")]
    assert order == sorted(order)
    assert json.dumps(text).count("nbmedia:/resultat-1.png") == 1


def test_cell_options_hide_show_and_label_markdown_tables(tiny):
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    def cell(source, *outputs):
        c = new_code_cell(source, execution_count=1)
        c.outputs = list(outputs)
        return c

    def md(text):
        return new_output("display_data", data={"text/markdown": text})

    nb = new_notebook(cells=[
        new_markdown_cell("# Celler {#sec-celler}\n\nSe @tbl-pipe."),
        cell("#| include: false\nx = 1", md("DOLT-INCLUDE")),
        cell("#| output: false\ny = 2", md("DOLT-OUTPUT")),
        cell("#| echo: true\nvisad_kod = 3", md("SYNLIG")),
        cell("#| label: tbl-pipe\n#| tbl-cap: \"Tabell i Markdown\"\nshow()",
             md("Före tabellen."), md("| Län | Antal |\n|---|---|\n| Uppsala | 3 |")),
        cell("#| label: namn-utan-prefix\nz = 4"),
    ])
    path = tiny / "report" / "_generated" / "resultat.ipynb"
    nbformat.write(nb, path)
    chapter = next(c for c in book.chapters(tiny) if c.name == "resultat")
    text, problems = book.notebook_markdown(chapter)
    assert "DOLT" not in text and "SYNLIG" in text and "visad_kod = 3" in text
    assert "#| echo" not in text
    assert [str(p) for p in problems] == [
        "report/_generated/resultat.ipynb, cell 6: label 'namn-utan-prefix' must start with "
        "fig- or tbl-"]
    # the tiny book's chapter referred to the old notebook's labels: point it at this one
    (tiny / "report" / "kapitel.qmd").write_text("# Kapitel\n\nSe @tbl-pipe.\n", encoding="utf-8")
    county = tiny / "report" / "_generated" / "county_01.ipynb"
    county.write_text(county.read_text(encoding="utf-8").replace("@fig-staplar", "@sec-celler"),
                      encoding="utf-8")
    html = render.render_embedded(tiny).outputs[0].read_text(encoding="utf-8")
    text = " ".join(re.sub(r"<[^>]+>", "", html).replace("\u00a0", " ").split())
    assert "Se Tabell 2.1." in text and "Tabell 2.1: Tabell i Markdown" in text
    assert text.index("Före tabellen.") < text.index("Tabell 2.1: Tabell i Markdown")
    assert re.search(r'<table id="tbl-pipe"[ >]', html)


def test_check_finds_a_table_cell_cut_short(tiny):
    path = tiny / "report" / "_generated" / "resultat.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[1].outputs = [nbformat.v4.new_output(
        "display_data", data={"text/html": "<table><tr><td>Delar med samma mått summerar "
                                           "till sin tryckta...</td></tr></table>",
                              "text/plain": "x"})]
    nbformat.write(nb, path)
    found = [p for p in _problems(tiny) if "cut short" in p]
    assert len(found) == 1 and "resultat.ipynb, cell 2" in found[0]
    assert "show_in_full" in found[0]


def test_check_finds_a_heading_that_skips_a_level(tiny):
    chapter = tiny / "report" / "kapitel.qmd"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(
        "\n## ", "\n### ", 1), encoding="utf-8")
    found = [p for p in _problems(tiny) if "level 3 right under level 1" in p]
    assert len(found) == 1, _problems(tiny)


def test_no_county_or_municipality_name_is_hyphenated_in_the_pdf() -> None:
    """The PDF template boxes every word of the counties' and municipalities' names (the
    issue's Soll-efteås, He-by, Yd-re, Va-ra, Söderman-land), genitive included; short words
    that typst never hyphenates stay out."""
    words = set(render._proper_name_pattern().split("|"))
    assert {"Sollefteå", "Sollefteås", "Heby", "Ydre", "Vara", "Södermanland",
            "Södermanlands", "Malung", "Sälen", "Bro"} - words == {"Bro"}
    assert all(w.isalpha() for w in words)  # letters only: the template gets it unescaped


def test_filters_run_once_for_both_formats_never_read_the_output_format() -> None:
    """The renderer runs every filter but :data:`render.FORMAT_FILTERS` once, into pandoc's
    JSON, for the HTML and the PDF alike (FORMAT is "json" there): such a filter must not look
    at FORMAT, and the format filters must (they are the place for what differs)."""
    assets = project_root() / render.ASSETS
    for name in {*render.FILTERS, *county_docs.FILTERS}:
        code = "\n".join(line.split("--", 1)[0]
                         for line in (assets / name).read_text(encoding="utf-8").splitlines())
        uses_format = re.search(r"\bFORMAT\b", code) is not None
        assert uses_format == (name in render.FORMAT_FILTERS), name
