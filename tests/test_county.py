"""The county profile (samverkan/results/county.py, notebooks/county.ipynb)
 and the real pipeline on a
copy of the project with a subset of counties: labels unique per county, no personal data in
any executed notebook, a text correction in one county's file reruns exactly the stages that
read it, and a county whose file cannot be read fails alone with a clear message."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import subprocess
from pathlib import Path

import papermill
import pytest
from privacy import leaks, raw_contacts

from samverkan import paths, registry
from samverkan.book import sources
from samverkan.intake.clean import clean_round, read_processed
from samverkan.io import read_csv
from samverkan.pipeline import bench, runner
from samverkan.pipeline.report import failed
from samverkan.registry import UnknownCountyError
from samverkan.results import county

ROOT = Path(__file__).resolve().parents[1]
TRUTH = ROOT / "tests" / "truth" / "2011"
SUBSET = ["01", "05", "03"]
CHAPTERS = {"01_clean", "02_results", "03_audit", "04_summary", "05_distribution", "06_examples",
            "07_conclusions"}
DOCS = {f"lan_{c}" for c in SUBSET}
"""Each county's own report (_book/lan/): made as soon as its profile is."""
DATA = {"clean_2010", "clean_2011", "results_2011", "counties_2011", "audit_2010", "audit_2011"}
"""The function stages: both rounds cleaned, the exports, the county slices, the audit."""


def _truth(name: str) -> list[dict[str, str]]:
    return read_csv(TRUTH / name).to_dict("records")


# ------------------------------------------------------------------------ the profile itself


@pytest.fixture(scope="module")
def processed(tmp_path_factory: pytest.TempPathFactory):
    """Both rounds of the shipped data cleaned into a temporary folder (never the checkout's)."""
    out = tmp_path_factory.mktemp("processed")
    for report_round in (2010, 2011):
        clean_round(ROOT / "data" / "raw" / str(report_round),
                    ROOT / "data" / "coding" / f"{report_round}.csv",
                    out / str(report_round), report_round)
    return read_processed(out / "2011")


@pytest.mark.parametrize("value", ["../../etc/passwd", "Atlantis", "99", ""])
def test_unknown_or_path_like_county_is_refused(value: str) -> None:
    with pytest.raises(UnknownCountyError):
        county.county_report(value, 2011)


@pytest.mark.parametrize("code", ["01", "05", "25"])
def test_funds_and_counts_match_the_truth_tables(processed, code: str) -> None:
    report = county.county_report(code, 2011, processed)
    allocations = [r for r in _truth("allocations.csv") if r["lan_code"] == code]
    projects = [r for r in _truth("projects.csv") if r["lan_code"] == code]
    started = [p for p in projects if p["status"] != "ej_startad"]
    assert report.facts["allocated_sek"] == sum(int(r["allocated_sek"]) for r in allocations)
    assert report.facts["requisitioned_sek"] == sum(
        int(r["requisitioned_sek"]) for r in allocations)
    assert report.facts["projects"] == len(projects)
    assert report.facts["started"] == len(started)
    assert report.facts["granted_sek"] == sum(int(p["granted_sek"]) for p in started)
    assert sorted(report.projects.index) == sorted(p["diarienummer"] for p in projects)
    assert list(report.funds["year"]) == sorted({int(r["year"]) for r in allocations})


def test_names_are_accepted_like_codes(processed) -> None:
    by_name = county.county_report("Östergötland", 2011, processed)
    assert by_name.lan_code == "05" and by_name.name == "Östergötlands län"


def test_the_slice_gives_back_the_same_profile(processed) -> None:
    report = county.county_report("05", 2011, processed)
    again = county.report_from_json(county.slice_json(report))
    for f in dataclasses.fields(report):
        mine, theirs = getattr(report, f.name), getattr(again, f.name)
        if hasattr(mine, "to_html"):
            assert mine.to_html() == theirs.to_html(), f.name
            assert list(mine.dtypes) == list(theirs.dtypes), f.name
        else:
            assert mine == theirs, f.name


def test_a_slice_moves_only_for_the_county_whose_text_changed(processed) -> None:
    def slices(data) -> dict[str, str]:
        return {c: county.slice_json(county.county_report(c, 2011, data)) for c in ("01", "05")}

    before = slices(processed)
    projects = processed.projects.copy()
    row = projects.index[projects["lan_code"] == "05"][0]
    projects.loc[row, "title"] = projects.loc[row, "title"] + " (rättad)"
    after = slices(dataclasses.replace(processed, projects=projects))
    assert after["01"] == before["01"]
    assert after["05"] != before["05"] and "(rättad)" in after["05"]


def test_a_rejected_file_stops_the_profile_with_a_clear_message(processed) -> None:
    ledger = processed.ledger.copy()
    mine = ledger["file"].str.startswith("05-")
    ledger.loc[mine, "status"] = "file_rejected"
    ledger.loc[mine, "message"] = "kan inte läsas"
    broken = dataclasses.replace(processed, ledger=ledger)
    with pytest.raises(county.CountyDataError, match=r"Östergötlands län \(05\).*kan inte läsas"):
        county.county_report("05", 2011, broken)


def test_redact_removes_contact_shapes() -> None:
    text = county.redact("Ring 08-123 45 67 eller mejla anna.svensson@lst.se i dag.")
    assert "08-123" not in text and "@" not in text and "i dag" in text


def test_the_notebook_refuses_an_unknown_county(tmp_path: Path) -> None:
    with pytest.raises(papermill.PapermillExecutionError, match="UnknownCountyError"):
        papermill.execute_notebook(
            str(ROOT / "notebooks" / "county.ipynb"), str(tmp_path / "out.ipynb"),
            parameters={"lan_code": "../../etc/passwd", "report_round": 2011},
            kernel_name="python3", cwd=str(ROOT), progress_bar=False,
        )


# ------------------------------------------------------------------- the pipeline on a copy


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory):
    """The real notebooks on a copy of the project, three counties."""
    root = bench.copy_project(tmp_path_factory.mktemp("copy") / "project", ROOT)
    patch = pytest.MonkeyPatch()
    patch.setenv("SAMVERKAN_ROOT", str(root))
    paths.project_root.cache_clear()
    results = runner.run(counties=SUBSET, jobs=2, progress=False).results
    yield root, {r.stage.name: r for r in results}
    patch.undo()
    paths.project_root.cache_clear()


def test_the_subset_runs_every_chapter_and_its_counties(pipeline) -> None:
    _, results = pipeline
    failures = {n: r.message for n, r in results.items() if r.status == "failed"}
    assert not failures
    assert {n for n, r in results.items() if r.status == "ran"} == (
        CHAPTERS | DATA | {f"county_{c}" for c in SUBSET} | {"markdown"} | DOCS)
    assert results["county_04"].status == results["lan_04"].status == "not selected"
    assert results["render"].status == "skipped"


def test_county_chapters_have_their_own_heading_and_labels(pipeline) -> None:
    root, _ = pipeline
    labels: dict[str, str] = {}
    for code in SUBSET:
        nb = json.loads((root / f"report/_generated/county_{code}.ipynb").read_text())
        titles = [line for c in nb["cells"] if c["cell_type"] == "markdown"
                  for line in "".join(c["source"]).splitlines() if line.startswith("# ")]
        # the title Quarto's sidebar reads: a Markdown cell naming the county (the registry's
        # name, filled in by the runner)
        assert titles == [f"# {registry.county_name(code)} {{#sec-lan-{code}}}"]
        for cell in nb["cells"]:
            source = "".join(cell["source"])
            for line in source.splitlines():
                if line.startswith("#| label:"):
                    label = line.split(":", 1)[1].strip()
                    assert label.endswith(f"-{code}"), label
                    assert label not in labels, f"{label} in county_{code} and {labels[label]}"
                    labels[label] = code
            assert "{lan_code}" not in source
            assert not [o for o in cell.get("outputs", []) if o["output_type"] == "error"]


def test_every_project_title_is_shown_in_full(pipeline) -> None:
    root, _ = pipeline
    for code in ("01", "03"):  # a correction test below changes one title of 05
        nb = json.loads((root / f"report/_generated/county_{code}.ipynb").read_text())
        html = "".join("".join(o["data"]["text/html"]) for c in nb["cells"]
                       for o in c.get("outputs", []) if "text/html" in o.get("data", {}))
        titles = [p["title"] for p in _truth("projects.csv") if p["lan_code"] == code]
        assert titles and all(t.replace("&", "&amp;") in html for t in titles)


def test_no_personal_data_in_any_executed_notebook(pipeline) -> None:
    root, _ = pipeline
    contacts = raw_contacts(root / "data" / "raw")
    assert len(contacts) > 20, "the scan found no contact data to look for"
    texts = {p.name: p.read_text(encoding="utf-8")
             for p in sorted((root / "report" / "_generated").glob("*.ipynb"))}
    texts["notebooks/county.ipynb"] = (ROOT / "notebooks" / "county.ipynb").read_text()
    found = {name: leaks(text, contacts) for name, text in texts.items()}
    assert not {name: hits for name, hits in found.items() if hits}


def _reconstruction_shown(root: Path, lan_code: str) -> dict[str, bool | int]:
    """What a county's own report (HTML and PDF) shows of the reconstruction: the notice at the
    top of the HTML and at the foot of the PDF's pages, the cover's source line, the count of
    reconstruction-only marks and the label on the county board's answers."""
    from bs4 import BeautifulSoup

    html_path = next((root / "_book/lan").glob(f"{lan_code}-*.html"))
    html = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser").get_text(" ")
    html = " ".join(html.split())
    pdf = _pdf_text(html_path.with_suffix(".pdf"))
    name = registry.county_name(lan_code)
    notice = f"Rekonstruerat underlag för {name}"
    return {"html notice": notice in html, "pdf notice": pdf.count(notice),
            "cover": "Underlag: rekonstruerat" in html,
            "html marks": html.count(sources.MARK), "pdf marks": pdf.count(sources.MARK),
            "invented answers": "påhittade exempel" in html}


def test_a_text_correction_in_one_county_reruns_only_what_reads_it(pipeline) -> None:
    root, _ = pipeline
    before = {c: _reconstruction_shown(root, c) for c in ("01", "05")}
    for shown in before.values():  # the shipped data: every county report says it
        assert shown["html notice"] and shown["cover"] and shown["invented answers"]
        assert shown["pdf notice"] >= 2 and shown["html marks"] > 0 and shown["pdf marks"] > 0
    again = {r.stage.name: r.status
             for r in runner.run(counties=SUBSET, jobs=2, progress=False).results}
    assert {n for n, s in again.items() if s == "ran"} == set()
    bench.correct_one_county(root, 2011, "05")
    third = {r.stage.name: r.status
             for r in runner.run(counties=SUBSET, jobs=2, progress=False).results}
    # that county's profile and its own report; every national chapter (and, in a full run,
    # the book), whose figures read every county's rows; the generated appendices, since the
    # assumptions appendix says whose files are the reconstruction
    assert {n for n, s in third.items() if s == "ran"} == (
        CHAPTERS | DATA - {"clean_2010", "audit_2010"} | {"county_05", "lan_05", "markdown"})
    assert third["county_01"] == third["county_03"] == "cached"
    assert third["lan_01"] == third["lan_03"] == "cached"
    nb = (root / "report/_generated/county_05.ipynb").read_text(encoding="utf-8")
    assert "(rättad)" in nb
    assert "(rättad)" in _pdf_text(root / "_book/lan/05-ostergotland.pdf")
    # Östergötland's files are its own now: its report loses the notice and every mark, the
    # other counties' (not rebuilt) keep theirs
    assert _reconstruction_shown(root, "05") == {
        "html notice": False, "pdf notice": 0, "cover": False, "html marks": 0,
        "pdf marks": 0, "invented answers": False}
    assert _reconstruction_shown(root, "01") == before["01"]


def _pdf_text(pdf: Path) -> str:
    """The PDF's text in the order it was written (``-raw``: a table's cells row by row, where
    pdftotext's default reading order gathers a table's columns apart from its caption), with
    typst's hyphenation and the file names' break opportunities (zero-width spaces after '-')
    undone, and whitespace collapsed."""
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return " ".join(text.replace("\u200b\n", "").replace("\u200b", "")
                    .replace("\u00ad\n", "").replace("\u00ad", "")
                    .replace("\u00a0", " ").split())


def _reject_amount(path: Path, row: int, value: str) -> str:
    """Write ``value`` into the granted amount of data row ``row`` (1 = first) of a county's
    project CSV (cp1252, ``;``), as a county might; return the diarienummer of that row."""
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("cp1252")), delimiter=";"))
    column = rows[0].index("Beviljade medel (kr)")
    rows[row][column] = value
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    path.write_bytes(out.getvalue().encode("cp1252"))
    return rows[row][rows[0].index("Diarienummer")]


def test_a_countys_report_lists_its_rejected_values(pipeline) -> None:
    root, _ = pipeline
    raw = next((root / "data" / "raw" / "2011").glob("05-*-projekt.csv"))
    _reject_amount(raw, 2, "ungefär tusen")
    status = {r.stage.name: r.status
              for r in runner.run(counties=SUBSET, jobs=2, progress=False).results}
    assert status["lan_05"] == "ran"
    rejects = read_csv(root / "data/processed/2011/rejects.csv").to_dict("records")
    own = [r for r in rejects if r["file"] == raw.name]
    assert own, "the amount was rejected"
    text = _pdf_text(root / "_book/lan/05-ostergotland.pdf")
    table = text.split("Avvisade värden i länets filer", 1)[1]  # from the table's caption on
    for reject in own:  # file, sheet, row, field, value of each rejected row, and why
        for shown in (raw.name, "Projekt", reject["row"], "Beviljade medel (kr)",
                      reject["value"], "Belopp som inte kan läsas"):
            assert f" {shown} " in f" {table} ", shown
    for other in ("01-stockholm", "03-uppsala"):
        assert "ungefär tusen" not in _pdf_text(next((root / "_book/lan").glob(f"{other}.pdf")))


def test_a_county_with_an_unreadable_file_fails_alone(pipeline) -> None:
    root, _ = pipeline
    raw = root / "data" / "raw" / "2011"
    broken = next(raw.glob("03-*-projekt.csv"))
    broken.write_bytes(b"\xff\xfe" + "inte en tabell".encode("utf-16-le"))
    results = runner.run(counties=SUBSET, jobs=2, progress=False).results
    status = {r.stage.name: r for r in results}
    assert status["county_03"].status == "failed"
    assert status["lan_03"].status == "skipped"  # last run's report stays, dated as it was
    assert "Uppsala län (03)" in status["county_03"].message
    assert broken.name in status["county_03"].message
    assert status["01_clean"].status == "ran"
    # its projects are gone from the national figures, so the others legitimately run again
    assert status["county_01"].status == status["county_05"].status == "ran"
    assert failed(results)
    assert not (root / "report/_generated/county_03.ipynb").exists()
