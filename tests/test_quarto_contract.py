"""What Quarto reads, under test without Quarto (issue 13): the project's ``_quarto.yml``,
``.gitignore``, the CSS given to Quarto and every chapter as the runner prepares it keep the
contract of ``samverkan.book.contract``; and each finding of the real Quarto 1.9 render, put
back into a copy of the tiny book, is caught."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
import yaml

from samverkan.book import chapters as book
from samverkan.book import contract
from samverkan.book.render import check_book
from samverkan.intake import forms
from samverkan.paths import project_root
from samverkan.pipeline import execute
from samverkan.results import indicators
from tests.book_fixtures import write_tiny_book

ROOT = project_root()


def _county_names() -> dict[str, str]:
    """Code → official name, read from the registry's data file (not through the registry)."""
    import csv

    with (ROOT / "data" / "reference" / "counties.csv").open(encoding="utf-8") as f:
        return {row["lan_code"]: row["name"] for row in csv.DictReader(f)}


# ---------------------------------------------------------------------------------------------
# The project keeps the contract


def test_contrast_is_wcag_21s_ratio():
    """Worked out by hand from WCAG 2.1's relative luminance: black on white 21:1, white on
    white 1:1; #767676, the lightest grey that passes AA on white, 4.54:1; Quarto's caption grey
    #6d7a86 4.39:1 (axe-core reported the same)."""
    assert contract.contrast("#000000") == pytest.approx(21.0)
    assert contract.contrast("#fff") == pytest.approx(1.0)
    assert contract.contrast("#767676") == pytest.approx(4.54, abs=0.01)
    assert contract.contrast("#6d7a86") == pytest.approx(4.39, abs=0.01)


def test_the_typst_partial_keeps_the_contract():
    partial = ROOT / "report" / "assets" / "typst-show.typ"
    assert book.config(ROOT)["format"]["typst"]["template-partials"] == [
        "report/assets/typst-show.typ"]
    assert contract.partial_problems("typst-show.typ", partial.read_text(encoding="utf-8")) == []


def test_quarto_yml_gitignore_and_css_keep_the_contract():
    cfg = book.config(ROOT)
    assert contract.config_problems(cfg) == []
    assert contract.gitignore_problems((ROOT / ".gitignore").read_text(encoding="utf-8")) == []
    css = cfg["format"]["html"]["css"]
    assert css == "report/assets/quarto.css"
    assert contract.css_problems(css, (ROOT / css).read_text(encoding="utf-8")) == []
    assert contract.contrast_problems(css, (ROOT / css).read_text(encoding="utf-8")) == []


def _prepared(chapter: book.Chapter, tmp_path: Path) -> book.Chapter:
    """The chapter as Quarto will read it after a run, from what is committed: a notebook
    chapter is its source notebook (with the reference run's outputs) with the placeholders
    filled as the runner fills them; a generated Markdown chapter is its generator's text."""
    target = tmp_path / chapter.path
    target.parent.mkdir(parents=True, exist_ok=True)
    if chapter.is_notebook:
        source = next(c for c in book.notebook_chapters(ROOT) if c.generated == chapter.file)
        nb = json.loads(source.source.read_text(encoding="utf-8"))
        execute.fill_cell_options(nb, execute.placeholders(source.parameters))
        target.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    elif chapter.name == "blanketter":
        target.write_text(forms.forms_markdown(), encoding="utf-8")
    elif chapter.name == "indikatorer":
        target.write_text(indicators.indicator_definitions_markdown(), encoding="utf-8")
    else:
        return chapter
    return book.Chapter(chapter.path, target, chapter.appendix, chapter.part)


@pytest.mark.parametrize("chapter", book.chapters(ROOT), ids=lambda c: c.name)
def test_every_chapter_has_the_headings_and_figures_quarto_needs(chapter, tmp_path):
    prepared = _prepared(chapter, tmp_path)
    names = _county_names()
    assert contract.chapter_problems(prepared, names.__getitem__) == []
    if book.COUNTY_CHAPTER.fullmatch(chapter.name):
        # the title Quarto puts in the sidebar is the county's name, in a Markdown cell
        nb = json.loads(prepared.file.read_text(encoding="utf-8"))
        first = contract.notebook_headings(nb)[0]
        code = chapter.name[-2:]
        assert (first.level, first.text, first.ident, first.in_output) == (
            1, names[code], f"sec-lan-{code}", False)


def test_the_county_notebook_carries_its_placeholders():
    path = ROOT / "notebooks" / "county.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert contract.county_source_problems("notebooks/county.ipynb", nb) == []
    nb["cells"].append({"cell_type": "code", "source": "#| label: fig-lan-fast\nplot()",
                        "outputs": []})
    found = [str(p) for p in contract.county_source_problems("county", nb)]
    assert found == [f"county, cell {len(nb['cells'])}: the label fig-lan-fast lacks "
                     "`{lan_code}`: the 21 county chapters would define it 21 times"]
    nb["cells"] = [c for c in nb["cells"] if not "".join(c["source"]).startswith("# {lan_name}")]
    assert "the county title must be" in str(contract.county_source_problems("county", nb)[0])


def test_placeholders_fill_the_county_title_and_labels():
    nb = {"cells": [
        {"cell_type": "markdown", "source": ["# {lan_name} {#sec-lan-{lan_code}}\n", "Text {x}."]},
        {"cell_type": "code", "source": "#| label: fig-x-{lan_code}\nplot()"},
    ]}
    values = execute.placeholders({"lan_code": "08", "report_round": 2011})
    assert values["lan_name"] == _county_names()["08"]
    assert execute.fill_cell_options(nb, values)
    assert nb["cells"][0]["source"] == f"# {_county_names()['08']} {{#sec-lan-08}}\nText {{x}}."
    assert nb["cells"][1]["source"] == "#| label: fig-x-08\nplot()"


# ---------------------------------------------------------------------------------------------
# Each finding of the Quarto render, reintroduced, is caught


def _yaml(root: Path, change: Callable[[dict], None]) -> None:
    path = root / "_quarto.yml"
    cfg = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(cfg)
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")


def _notebook(root: Path, name: str, change: Callable[[nbformat.NotebookNode], None]) -> None:
    path = root / "report" / "_generated" / f"{name}.ipynb"
    nb = nbformat.read(path, as_version=4)
    change(nb)
    nbformat.write(nb, path)


def _replace(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _title_from_code(nb) -> None:
    """The county title as the notebook made it before: a code cell's Markdown output."""
    title = nb.cells[0].source.split("\n\n", 1)
    nb.cells[0].source = title[1]
    cell = nbformat.v4.new_code_cell('display(Markdown(f"# {name} {{#sec-lan-{code}}}"))',
                                     execution_count=1)
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/markdown": title[0]})]
    nb.cells.insert(0, cell)


def _description_in_figure_cell(nb) -> None:
    cell = next(c for c in nb.cells if "label: fig-staplar" in c.source)
    cell.outputs.append(nbformat.v4.new_output(
        "display_data", data={"text/markdown": "*Figurbeskrivning:* Staplar per län."}))


FINDINGS = {
    "no-format-block": (
        lambda root: _yaml(root, lambda c: c.pop("format")), "`format:` must list `html` and"),
    "html-only": (
        lambda root: _yaml(root, lambda c: c["format"].pop("typst")), "`format:` must list"),
    "no-author": (
        lambda root: _yaml(root, lambda c: c["book"].pop("author")), "`book.author` is missing"),
    "numbers-through-the-book": (
        lambda root: _yaml(root, lambda c: c.update(crossref={"chapters": False})),
        "`crossref: chapters: false`"),
    "english-chapter-word": (
        lambda root: _yaml(root, lambda c: c["format"]["typst"].pop("crossref-ch-prefix")),
        "`format.typst.crossref-ch-prefix` must be 'Kapitel'"),
    "english-contents-title": (
        lambda root: _yaml(root, lambda c: c["format"]["html"].pop("toc-title")),
        "`format.html.toc-title` must be 'Innehåll'"),
    "gitignore-without-quarto": (
        lambda root: (root / ".gitignore").write_text("_book/\n", encoding="utf-8"),
        "`/.quarto/` is missing"),
    "typst-include-missing": (
        lambda root: (root / "report" / "assets" / "quarto-typst.typ").unlink(),
        "the typst include-in-header file report/assets/quarto-typst.typ does not exist"),
    "no-swedish-typst-partial": (
        lambda root: _yaml(root, lambda c: c["format"]["typst"].pop("template-partials")),
        "`format.typst.template-partials` has no typst-show.typ"),
    "partial-with-english-part-word": (
        lambda root: _replace(root, "report/assets/typst-show.typ",
                              '  supplement-part: "Del",\n', ""),
        '`supplement-part: "Del"` is missing from `book.with(...)`'),
    "partial-with-english-chapter-word": (
        lambda root: _replace(root, "report/assets/typst-show.typ",
                              'supplement-chapter: "Kapitel"', 'supplement-chapter: "Chapter"'),
        '`supplement-chapter: "Kapitel"` is missing'),
    "partial-without-orange-book": (
        lambda root: _replace(root, "report/assets/typst-show.typ", "#show: book.with(",
                              "#show: ("),
        "does not import orange-book and call `book.with(...)`"),
    "no-notice-on-quartos-html-pages": (
        lambda root: _yaml(root, lambda c: c["format"]["html"].pop("include-before-body")),
        "`format.html.include-before-body` must name report/_generated/rekonstruktion.html"),
    "html-include-missing": (
        lambda root: (root / "report" / "assets" / "quarto-a11y.html").unlink(),
        "the html include-after-body file report/assets/quarto-a11y.html does not exist"),
    "captions-in-quartos-grey": (
        lambda root: _replace(root, "report/assets/quarto.css", "color: #4a4f55;",
                              "color: #6d7a86;"),
        "has colour #6d7a86, 4.39:1 on white"),
    "captions-left-to-the-theme": (
        lambda root: _replace(root, "report/assets/quarto.css", "color: #4a4f55;", ""),
        "no colour of at least 4.5:1 for the captions (figcaption, caption, .figure-caption)"),
    "page-css-given-to-quarto": (
        lambda root: _yaml(root, lambda c: c["format"]["html"].update(
            css="report/assets/rapport.css")),
        "styles Quarto's layout (body)"),
    "chapter-without-level-1-title": (
        lambda root: _notebook(root, "resultat", lambda nb: setattr(
            nb.cells[0], "source", nb.cells[0].source.replace("# Resultat", "## Resultat"))),
        "is level 2: Quarto takes the chapter's title"),
    "county-title-from-a-code-output": (
        lambda root: _notebook(root, "county_01", _title_from_code),
        "comes from a code cell's output"),
    "county-title-not-the-county": (
        lambda root: _notebook(root, "county_01", lambda nb: setattr(
            nb.cells[0], "source",
            nb.cells[0].source.replace("# Stockholms län", "# Medel och nyttjande"))),
        "not the county's name 'Stockholms län'"),
    "appendix-section-in-the-contents": (
        lambda root: _notebook(root, "county_01", lambda nb: setattr(
            nb.cells[0], "source", nb.cells[0].source.replace(" {.unlisted}", ""))),
        "is not `{.unlisted}`"),
    "hand-numbered-heading": (
        lambda root: _replace(root, "report/kapitel.qmd", "## Ett avsnitt", "## 1.1 Ett avsnitt"),
        "is numbered by hand"),
    "skipped-heading-level": (
        lambda root: _replace(root, "report/kapitel.qmd", "## Ett avsnitt", "### Ett avsnitt"),
        "is level 3 right under level 1"),
    "title-without-id": (
        lambda root: _replace(root, "report/kapitel.qmd", " {#sec-kapitel}", ""),
        "has no `{#sec-…}` id"),
    "figure-cell-with-two-outputs": (
        lambda root: _notebook(root, "resultat", _description_in_figure_cell),
        "has 2 outputs (1 images): Quarto makes each output a sub-figure"),
}


@pytest.fixture
def tiny(tmp_path) -> Path:
    return write_tiny_book(tmp_path / "book", assets_from=ROOT)


def test_the_tiny_book_keeps_the_contract(tiny):
    assert [str(p) for p in contract.quarto_problems(tiny)] == []


@pytest.mark.parametrize("finding", FINDINGS, ids=str)
def test_a_reintroduced_finding_is_caught(tiny, finding):
    reintroduce, expected = FINDINGS[finding]
    reintroduce(tiny)
    found = [str(p) for p in contract.quarto_problems(tiny)]
    assert any(expected in p for p in found), found


def test_check_reports_the_contract(tiny):
    """``python -m samverkan check`` lists contract problems with the others."""
    from samverkan.book.render import write_cover_note

    write_cover_note(tiny)
    assert [str(p) for p in check_book(tiny)] == []
    _notebook(tiny, "resultat", _description_in_figure_cell)
    found = [str(p) for p in check_book(tiny)]
    assert any("resultat.ipynb, cell 4: the figure cell fig-staplar has 2 outputs" in p
               for p in found), found


def test_quartos_html_pages_carry_the_reconstruction_notice():
    """_quarto.yml puts the generated notice at the top of every page of Quarto's HTML book
    (issue 20); the markdown stage writes it with the embedded renderer's markup, the county
    text escaped, and empty once no county has the reconstruction."""
    from samverkan import provenance
    from samverkan.pipeline.stages import MARKDOWN_GENERATORS

    html = book.config(ROOT)["format"]["html"]
    assert html["include-before-body"] == contract.QUARTO_NOTICE
    assert (contract.QUARTO_NOTICE, "samverkan.book.contract:write_quarto_notice") in (
        MARKDOWN_GENERATORS)
    codes = _county_names()
    every = {c: provenance.RECONSTRUCTED for c in codes}
    notice = contract.notice_html(provenance.notice_text(every))
    assert notice.startswith('<p id="notice" class="reconstruction-notice" role="note">'
                             "<strong>Obs!</strong> Rekonstruerat underlag för alla län")
    assert contract.notice_html("a <b> & c") == (
        '<p id="notice" class="reconstruction-notice" role="note"><strong>Obs!</strong> '
        "a &lt;b&gt; &amp; c</p>\n")
    assert contract.notice_html(provenance.notice_text(
        {c: provenance.OWN for c in codes})) == ""
