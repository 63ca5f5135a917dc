"""End to end: ``python -m samverkan run`` on a fresh copy of the project, as the README's main
command runs it, then what a reader and an auditor get: every stage ran, the book is complete,
every published figure the report states consistently is recomputed exactly (the readings of
tests/readings.py aside, each explained in the audit chapter), no contact data anywhere in the
outputs, and the HTML works in a real browser."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from browser import PHONE, WIDTH, axe_violations, browser_problems
from pdfstructure import accessibility_problems, structure
from pdftext import pdf_text, pdf_text_problems
from privacy import leaks, raw_contacts
from readings import GENERATOR_DEVIATIONS, NOT_RECOMPUTABLE

from samverkan import registry
from samverkan.audit import compare, stage
from samverkan.book import chapters as book
from samverkan.book import county_docs
from samverkan.io import read_csv
from samverkan.paths import project_root
from samverkan.pipeline import bench, runner
from samverkan.reference import published

ROOT = project_root()


def _command(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "samverkan", *args], cwd=root,
                          env=bench._env(root), capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    root = bench.copy_project(tmp_path_factory.mktemp("fresh") / "project", ROOT)
    return root, _command(root, "run", "--jobs", "2")


def test_the_run_succeeds_and_every_stage_ran(project):
    root, done = project
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-3000:]
    # a cold run on a fresh copy runs every stage of the stage table once, and no other
    stages = [stage.name for stage in runner.plan_stages(2011)]
    counted = re.search(r"^(\d+) ran$", done.stdout, re.MULTILINE)
    assert counted, done.stdout[-2000:]
    assert int(counted.group(1)) == len(stages)
    summary = json.loads((root / "report" / "_generated" / "logs" / "run.json").read_text())
    assert sorted(r["stage"] for r in summary["stages"] if r["status"] == "ran") == sorted(stages)
    assert "failed" not in done.stdout.split("\n")[-3:]


def test_the_book_is_complete(project):
    root, _ = project
    checked = _command(root, "check")
    assert checked.returncode == 0, checked.stderr
    out = book.output_dir(root)
    name = book.output_name(root)
    assert (out / f"{name}.html").stat().st_size > 100_000
    pages = subprocess.run(["pdfinfo", str(out / f"{name}.pdf")], capture_output=True,
                           text=True, check=True).stdout
    assert int(re.search(r"Pages:\s+(\d+)", pages).group(1)) > 40


def test_every_consistently_stated_figure_is_recomputed(project):
    root, _ = project
    result = read_csv(root / "data/processed/2011/audit.csv")
    reference = published()
    assert set(result["key"]) == set(reference["key"])
    status = result.set_index("key")["status"]
    measure = reference.set_index("key")["measure"]
    assert set(status[status == "differs"].index) == set(GENERATOR_DEVIATIONS)
    missing = status[status == "not_recomputable"].index
    assert set(measure[missing]) <= NOT_RECOMPUTABLE
    assert (status == "match").sum() == len(reference) - len(missing) - len(GENERATOR_DEVIATIONS)
    result["recomputed"] = pd.to_numeric(result["recomputed"].str.replace(",", "."),
                                         errors="coerce")
    explained = compare.explain_differences(result, reference, stage.weighed_findings(reference))
    assert explained["explained"].all(), explained.loc[~explained["explained"], "explanation"]
    findings = read_csv(root / "data/processed/2011/consistency.csv")
    assert len(findings) >= 5 and {"source", "rule", "expected", "stated",
                                   "difference"} <= set(findings.columns)


def _texts(root: Path) -> dict[str, str]:
    """Everything the pipeline wrote, as text: processed data, executed notebooks, the book."""
    texts: dict[str, str] = {}
    for path in sorted((root / "data" / "processed").rglob("*")):
        name = str(path.relative_to(root))
        if path.suffix in {".csv", ".json", ".svg"}:
            texts[name] = path.read_text(encoding="utf-8")
        elif path.suffix == ".parquet":
            texts[name] = pd.read_parquet(path).to_csv(index=False)
        elif path.suffix == ".xlsx":
            sheets = openpyxl.load_workbook(path, read_only=True).worksheets
            texts[name] = json.dumps([list(r) for ws in sheets for r in
                                      ws.iter_rows(values_only=True)], default=str,
                                     ensure_ascii=False)
    for path in sorted((root / "report" / "_generated").glob("*")):
        if path.suffix in {".ipynb", ".md"}:
            texts[str(path.relative_to(root))] = path.read_text(encoding="utf-8")
    out = book.output_dir(root)
    documents = [out / f"{book.output_name(root)}.html", out / f"{book.output_name(root)}.pdf"]
    documents += sorted((out / county_docs.LAN_DIR).glob("*.*"))  # each county's own report
    for path in documents:
        texts[str(path.relative_to(root))] = (
            _pdf_text(path) if path.suffix == ".pdf" else path.read_text(encoding="utf-8"))
    return texts


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_no_personal_data_in_any_output(project):
    root, _ = project
    contacts = raw_contacts(root / "data" / "raw")
    assert len(contacts) > 100, "the raw files carry contact data to look for"
    texts = _texts(root)
    assert any(n.endswith(".pdf") for n in texts) and any(n.endswith(".html") for n in texts)
    assert len([n for n in texts if n.startswith("_book/lan/")]) == 42
    assert len(texts) > 80
    found = {name: leaks(text, contacts) for name, text in texts.items()}
    assert {name: hits[:5] for name, hits in found.items() if hits} == {}


@pytest.mark.parametrize("width", [WIDTH, PHONE])
def test_the_book_works_in_a_real_browser(project, width):
    root, _ = project
    html = book.output_dir(root) / f"{book.output_name(root)}.html"
    assert browser_problems(html, width=width) == []


@pytest.mark.parametrize("width", [WIDTH, PHONE])
def test_the_book_and_a_county_report_meet_wcag_21_aa(project, width):
    """axe-core finds no WCAG 2.1 A or AA violation in the book or in Kalmar's report, at a
    laptop's and a phone's width."""
    root, _ = project
    pages = [book.output_dir(root) / f"{book.output_name(root)}.html",
             county_docs.document_paths("08", root)[0]]
    assert {p.name: axe_violations(p, width) for p in pages} == {p.name: [] for p in pages}


def test_every_pdf_is_pdf_ua_in_swedish_with_alt_text(project):
    """The book's PDF and every county's: PDF/UA-1, DisplayDocTitle, Swedish, no element
    tagged in another language (the ledger tables were en-SE), alt text on every figure."""
    root, _ = project
    pdfs = [book.output_dir(root) / f"{book.output_name(root)}.pdf",
            *(county_docs.document_paths(code, root)[1]
              for code in county_docs.county_chapters(root))]
    assert len(pdfs) == 22
    assert {p.name: accessibility_problems(p) for p in pdfs} == {p.name: [] for p in pdfs}
    facts = structure(pdfs[0])
    figures = len(re.findall(r"<figure[ >]", pdfs[0].with_suffix(".html").read_text(
        encoding="utf-8")))
    assert facts["figures"] == figures > 20  # every figure of the HTML, tagged with alt text


def test_the_printed_book_reads_cleanly(project):
    """No hyphen inside a county name or a submission's file name, no missing population, no
    snake_case field name outside the technical appendix."""
    root, _ = project
    pdf = book.output_dir(root) / f"{book.output_name(root)}.pdf"
    files = {p.name for p in (root / "data" / "raw").glob("*/*") if p.is_file()}
    assert pdf_text_problems(pdf_text(pdf), files) == []


# ------------------------------------------------------------------- each county's own report


def _flat(text: str) -> str:
    """Text without whitespace, hyphens or typst's soft hyphens: a title wrapped in a table cell
    or broken at a line end (pdftotext drops the hyphen of "Malung-|Sälen") reads as one
    string."""
    return "".join(text.replace("\u00ad", "").replace("-", "").split())


def test_every_county_has_its_html_and_pdf_beside_the_book(project):
    root, _ = project
    codes = list(county_docs.county_chapters(root))
    assert len(codes) == 21
    folder = book.output_dir(root) / county_docs.LAN_DIR
    written = sorted(p.name for p in folder.iterdir())
    expected = sorted(p.name for c in codes for p in county_docs.document_paths(c, root))
    assert written == expected and len(written) == 42
    assert county_docs.check_county_documents(root) == []


def test_each_county_report_names_its_county_and_only_its_projects(project):
    root, _ = project
    projects = pd.read_parquet(root / "data/processed/2011/projects.parquet")
    assert len(projects) > 100
    for code in county_docs.county_chapters(root):
        html, pdf = county_docs.document_paths(code, root)
        text = _pdf_text(pdf)
        name = registry.county_name(code)
        first_page = text.split("\f")[0]
        assert name in first_page and "slutredovisningen 2011" in first_page, code
        flat = _flat(text)
        own = set(projects.loc[projects["lan_code"] == code, "title"])
        assert own and all(_flat(t) in flat for t in own), code
        # a title of another county, unless it is part of one of this county's own titles
        others = {t for t in set(projects.loc[projects["lan_code"] != code, "title"]) - own
                  if not any(_flat(t) in _flat(o) for o in own)}
        assert [t for t in others if _flat(t) in flat] == [], code
        assert name in html.read_text(encoding="utf-8")


@pytest.mark.parametrize("code", ["01", "14", "25"])
def test_county_reports_work_in_a_real_browser(project, code):
    root, _ = project
    html, _ = county_docs.document_paths(code, root)
    profile = json.loads((root / f"report/_generated/county_{code}.ipynb").read_text())
    figures = {line.split(":", 1)[1].strip()
               for cell in profile["cells"] if cell["cell_type"] == "code"
               for line in "".join(cell["source"]).splitlines()
               if line.startswith("#| label: fig-")}
    assert figures, "the profile has figures to look for"
    assert browser_problems(html, figures=figures) == []


def test_deleted_county_reports_are_rendered_alone(project):
    """The benchmark's measure of what the reports cost: deleted, they come back, and nothing
    else runs."""
    root, _ = project
    figures = bench.county_reports(root, 2, 2011, cold_s=1000.0)
    assert figures["exit"] == 0
    assert (figures["documents"], figures["ran"], figures["other_stages_ran"]) == (42, 21, [])
    assert 0 < figures["share_of_cold"] < 1
    assert county_docs.check_county_documents(root) == []


# ------------------------------------------------------------- provenance per figure (issue 20)


def _soup(path: Path):
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _after(element) -> str:
    """The first paragraph after a table (or its wrappers: the scroll region, and the float
    that holds the caption above it) or a figure."""
    holder = element
    while holder.parent.get("class") in (["table-scroll"], ["table-float"]):
        holder = holder.parent
    nxt = holder.find_next_sibling()
    return nxt.get_text(" ", strip=True) if nxt is not None else ""


def test_every_table_and_chart_says_where_its_figures_come_from(project):
    """Each table and chart of the book and of a county report carries a source line right
    after it, and the reconstruction-only ones carry the mark."""
    from samverkan.book import sources

    root, _ = project
    documents = [root / "_book" / "rapport.html",
                 *(county_docs.document_paths(c, root)[0] for c in ("08", "13"))]
    for html in documents:
        soup = _soup(html)
        labelled = soup.select("table[id^=tbl-], figure[id^=fig-], div[id^=fig-]")
        assert len(labelled) > 5, html
        for element in labelled:
            line = _after(element)
            assert line.startswith("Källa:"), (html.name, element.get("id"), line[:120])
            if "rekonstruerat underlag; finns inte i Rapport 2011:39" in line:
                assert sources.MARK in line, (html.name, element.get("id"))


def test_a_mixed_tables_unprinted_cells_carry_the_mark_in_the_book(project):
    """Tabell 3.1 as rendered: the allocations per year are Table 1's (printed, no mark); the
    counties' requisitioned funds are not printed and carry the mark, the country's are Table
    6's; the legend follows the table once."""
    from samverkan.book import sources

    root, _ = project
    table = _soup(root / "_book" / "rapport.html").find(id="tbl-medel")
    heads = [th.get_text(" ", strip=True) for th in table.find("thead").find_all("th")]
    rows = {tr.find("th").get_text(strip=True): [td.get_text(strip=True) for td in
                                                 tr.find_all("td")]
            for tr in table.find("tbody").find_all("tr")}
    year, requisitioned = heads.index("2008") - 1, heads.index("Rekvirerat totalt") - 1
    assert not any(sources.MARK in cells[year] for cells in rows.values())
    counties = [name for name in rows if name != "Riket"]
    assert len(counties) == 21
    assert all(rows[name][requisitioned].endswith(sources.MARK) for name in counties)
    assert sources.MARK not in rows["Riket"][requisitioned]
    legend = " ".join(sources.MARK_LEGEND.split())
    assert " ".join(_after(table).split()).count(legend) == 1


def test_the_notice_heads_the_html_and_foots_every_pdf_page(project):
    root, _ = project
    soup = _soup(root / "_book" / "rapport.html")
    # the first thing on the page; only the skip link, hidden until focused, comes before it
    first = soup.body.find(lambda tag: "skip-link" not in (tag.get("class") or []))
    assert first.get("id") == "notice", str(first)[:200]
    assert "Rekonstruerat underlag för alla län" in " ".join(first.get_text().split())
    pages = _pdf_text(root / "_book" / "rapport.pdf").split("\f")[:-1]
    assert len(pages) > 100
    missing = [n for n, page in enumerate(pages, 1)
               if "Rekonstruerat underlag för alla län" not in " ".join(page.split())]
    assert missing == []


def _section(text: str, heading: str, after: str) -> str:
    """The section from its heading to the next one: of every place the heading's words stand
    (the contents, the heading, running heads of later pages), the one with the most text
    before ``after``."""
    flat = " ".join(text.split())
    starts = [m.start() for m in re.finditer(re.escape(heading), flat)]
    return max((flat[s:flat.index(after, s)] for s in starts if after in flat[s:]), key=len)


def test_each_county_report_shows_its_audit(project):
    """Halland's report shows the printed 620 000 kr against the computed 720 000 kr; Kalmar's,
    with nothing found, says so."""
    from samverkan.audit.present import NO_COUNTY_FINDINGS

    root, _ = project
    halland = _section(_pdf_text(county_docs.document_paths("13", root)[1]),
                       "Granskning mot Rapport 2011:39", "Datakvalitet för länets filer")
    assert "tryckt 620 000 kr, beräknat 720 000 kr" in halland
    kalmar = _section(_pdf_text(county_docs.document_paths("08", root)[1]),
                      "Granskning mot Rapport 2011:39", "Datakvalitet för länets filer")
    assert NO_COUNTY_FINDINGS in kalmar


_NUMBER = re.compile(r"\d{1,3}(?:[ \u00a0]\d{3})+(?:,\d+)?|\d+(?:,\d+)?")


def _numbers(text: str) -> set[str]:
    return {n.replace("\u00a0", " ") for n in _NUMBER.findall(text)}


def test_figures_next_to_a_table_reference_are_in_that_table(project):
    """Sammanfattning and Slutsatser as rendered: every figure in a sentence that cites a table
    is printed in one of the tables it cites (the prose and the tables come from the same
    computed values). Numbers of chapters, tables and years are not figures."""
    root, _ = project
    soup = _soup(root / "_book" / "rapport.html")
    # a table shows its cells' figures and how many rows it has
    tables = {t["id"]: _numbers(t.get_text(" ")) | {str(len(t.select("tbody tr")))}
              for t in soup.select("table[id^=tbl-]")}
    rows = {t["id"]: len(t.select("tbody tr")) for t in soup.select("table[id^=tbl-]")}
    problems = []
    for chapter in ("sec-sammanfattning", "sec-slutsatser"):
        heading = soup.find(id=chapter)
        for p in heading.find_all_next("p"):
            if p.find_previous("h1") is not heading:
                break
            for sentence in re.split(r"(?<=[.;:])\s+(?=[A-ZÅÄÖ0-9])", str(p)):
                cited = re.findall(r'href="#(tbl-[\w-]+)"', sentence)
                if not cited:
                    continue
                from bs4 import BeautifulSoup

                text = BeautifulSoup(sentence, "html.parser").get_text(" ")
                text = re.sub(r"(Tabell|Figur|Kapitel|Avsnitt|Rapport)[\s\u00a0]+[\dA-Z]+"
                              r"(?:[.:]\d+)*", "", text)
                text = re.sub(r"\b(19|20)\d\d(–\d{4})?\b", "", text)
                printed = set().union(*(tables.get(c, set()) for c in cited))
                # "N län": how many of the cited table's county rows share a value
                printed |= {n for n in re.findall(r"(\d+)[\s\u00a0]+län\b", text)
                            if int(n) <= max(rows.get(c, 0) for c in cited)}
                wrong = sorted(n for n in _numbers(text) if n not in printed)
                if wrong:
                    problems.append(f"{chapter}: {wrong} not in {cited}: {text[:160]}")
    assert problems == []


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9])")


def _repeated_sentences(html: str) -> list[str]:
    """Every sentence (of more than three words) that a paragraph, list item or table cell of
    the page says twice, with the start of that paragraph."""
    from bs4 import BeautifulSoup

    found = []
    for block in BeautifulSoup(html, "html.parser").find_all(["p", "li", "td"]):
        text = " ".join(block.get_text(" ").split())
        seen: set[str] = set()
        for sentence in _SENTENCE_END.split(text):
            if len(sentence.split()) > 3 and sentence in seen:
                found.append(f"{sentence!r} in {text[:80]!r}")
            seen.add(sentence)
    return found


def test_a_repeated_sentence_is_found():
    twice = ("<p>Projekten redovisade sina mål. Samverkansgruppen har träffats en gång i månaden. "
             "Målen nåddes. Samverkansgruppen har träffats en gång i månaden.</p>")
    assert len(_repeated_sentences(twice)) == 1
    assert _repeated_sentences("<p>Målen nåddes. Målen nåddes.</p><p>Ett stycke. Ett "
                               "annat stycke med fler ord.</p>") == []  # short sentences pass


def test_no_paragraph_repeats_a_sentence(project):
    """A paragraph that says the same sentence twice (the boilerplate of the boards' answers
    once stood three times in one paragraph) reads as machine text: none, in the book and in
    every county report."""
    root, _ = project
    pages = [root / "_book" / "rapport.html", *sorted((root / "_book" / "lan").glob("*.html"))]
    assert len(pages) == 22
    repeated = {p.name: _repeated_sentences(p.read_text(encoding="utf-8")) for p in pages}
    assert {name: found for name, found in repeated.items() if found} == {}
