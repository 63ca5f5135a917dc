"""The runner on a small stand-in project (tiny notebooks, stub stage functions): argument
validation before any kernel starts, the stage table and its dependencies, fail-soft county
runs, the content-hash cache, what notebooks refuse to read, and the fast no-change path.
The real notebooks are exercised in test_county.py."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from samverkan import paths
from samverkan.cli import main
from samverkan.pipeline import artefacts, runner, stages
from samverkan.pipeline.execute import Pool, fill_cell_options
from samverkan.pipeline.lock import project_lock
from samverkan.pipeline.report import StageResult, failed
from samverkan.registry import UnknownCountyError

ROOT = Path(__file__).resolve().parents[1]
COUNTIES = ("01", "03", "04")

CLEAN_NB = '''
import pathlib
rows = pathlib.Path("data/processed", str(report_round), "projects.parquet").read_text().split()
print(len(rows), "rows")
'''

RESULTS_NB = '''
import pathlib
rows = pathlib.Path("data/processed", str(report_round), "projects.parquet").read_text().split()
tables = sorted(pathlib.Path("data/processed", str(report_round), "tables").iterdir())
print(len(rows), "projects in all", len(tables), "tables")
'''

COUNTY_NB = '''
#| label: tbl-stub-{lan_code}
#| tbl-cap: Stub
import json, pathlib, time
own = json.loads(pathlib.Path("data/processed", str(report_round), "counties",
                              f"{lan_code}.json").read_text())
assert "previous_county" not in dir(), "state leaked from the county run before"
previous_county = lan_code
if any("BROKEN" in r for r in own):
    raise ValueError(f"Län {lan_code}: inlämningen är trasig")
if lan_code == "03" and pathlib.Path("SLOW").exists():
    time.sleep(120)
print(lan_code, len(own))
'''

STUB_MODULE = '''
from pathlib import Path
import json, os

COUNTIES = ("01", "03", "04")


def _root():
    return Path(os.environ["SAMVERKAN_ROOT"])


def _rows(report_round):
    return (_root() / "data/processed" / str(report_round) / "projects.parquet").read_text().split()


def clean(report_round):
    raw = sorted((_root() / "data/raw" / str(report_round)).glob("*.csv"))
    lines = [line for p in raw for line in p.read_text(encoding="utf-8").splitlines() if line]
    out = _root() / "data/processed" / str(report_round)
    out.mkdir(parents=True, exist_ok=True)
    bad = [line for line in lines if "REJECT" in line]
    (out / "projects.parquet").write_text(
        "\\n".join(sorted(set(lines) - set(bad))) + "\\n", encoding="utf-8")
    for name in ("allocations.parquet", "coding_issues.csv"):
        (out / name).write_text("stub\\n", encoding="utf-8")
    ledger = ["file;sheet;lan_code;status;rows_read;rows_rejected;message"]
    rejects = ["file;sheet;row;column;value;reason;check"]
    for n, line in enumerate(bad, start=2):
        code = line.split(",")[0]
        ledger.append(f"{code}-stub-projekt.csv;Projekt;{code};rows_rejected;2;1;")
        rejects.append(f"{code}-stub-projekt.csv;Projekt;{n};granted_sek;ca 139\\u00a0000 kr;"
                       "”ca 139\\u00a0000 kr” är inget belopp i kronor;amount_format")
    (out / "ledger.csv").write_text("\\n".join(ledger) + "\\n", encoding="utf-8")
    (out / "rejects.csv").write_text("\\n".join(rejects) + "\\n", encoding="utf-8")


def exports(report_round):
    out = _root() / "data/processed" / str(report_round) / "tables"
    out.mkdir(parents=True, exist_ok=True)
    rows = _rows(report_round)
    per = "".join(f'"{c}";{sum(r.startswith(c + ",") for r in rows)}\\n' for c in COUNTIES)
    (out / "t1.csv").write_text(f'"Län";"Projekt"\\n"Riket";{len(rows)}\\n{per}',
                                encoding="utf-8")


def slices(report_round):
    out = _root() / "data/processed" / str(report_round) / "counties"
    out.mkdir(parents=True, exist_ok=True)
    rows = _rows(report_round)
    for code in COUNTIES:
        own = sorted(r for r in rows if r.startswith(code + ","))
        (out / f"{code}.json").write_text(json.dumps(own), encoding="utf-8")


def audit(report_round):
    out = _root() / "data/processed" / str(report_round)
    for name in ("audit.csv", "consistency.csv"):
        (out / name).write_text("stub\\n", encoding="utf-8")


def write_md(path):
    Path(path).write_text("# Stub\\n", encoding="utf-8")


def write_county_doc(lan_code, report_round):
    from samverkan.book import county_docs
    nb = json.loads((_root() / "report" / "_generated" / f"county_{lan_code}.ipynb").read_text())
    shown = json.dumps([c.get("outputs", []) for c in nb["cells"]])
    for path in county_docs.document_paths(lan_code, report_round=report_round):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(shown, encoding="utf-8")


def render_book():
    import shutil
    root = _root()
    if shutil.which("quarto"):  # a Quarto book render empties its output folder first
        shutil.rmtree(root / "_book", ignore_errors=True)
    (root / "report" / "_generated" / "omslag.md").write_text("built\\n", encoding="utf-8")
    from samverkan.book.chapters import round_output_dir
    from samverkan.book.render import report_round
    out = round_output_dir(report_round(root), root)
    out.mkdir(parents=True, exist_ok=True)
    chapters = sorted(p.name for p in (root / "report" / "_generated").glob("*.ipynb"))
    (out / "rapport.html").write_text("\\n".join(chapters), encoding="utf-8")
'''

STUBS = {
    "CLEAN_TARGET": "stubmod:clean", "EXPORTS_TARGET": "stubmod:exports",
    "SLICES_TARGET": "stubmod:slices", "AUDIT_TARGET": "stubmod:audit",
    "RENDER_TARGET": "stubmod:render_book", "COUNTY_DOC_TARGET": "stubmod:write_county_doc",
    "MARKDOWN_GENERATORS": (("report/_generated/stub.md", "stubmod:write_md"),),
}
"""The stage table's targets, pointed at the stand-in module (the workers resolve them by name)."""

PATCH = "".join(f"stages.{k} = {v!r}\n" for k, v in STUBS.items())
"""The same, as code for a separate process."""


def _notebook(code: str, parameters: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(textwrap.dedent(code).strip()),
    ]
    return nb


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in project: _quarto.yml listing 01_clean, 02_results, three counties and two
    generated markdown chapters; raw files one line per project ("<lan_code>,<title>")."""
    root = tmp_path / "proj"
    (root / "notebooks").mkdir(parents=True)
    shutil.copytree(ROOT / "data" / "reference", root / "data" / "reference")
    (root / "samverkan").mkdir()
    (root / "samverkan" / "stub.py").write_text("VERSION = 1\n", encoding="utf-8")
    quarto = ["project:", "  type: book", "book:", "  chapters:", "    - index.qmd",
              "    - report/_generated/01_clean.ipynb", "    - report/_generated/02_results.ipynb",
              "    - report/_generated/stub.md", "  appendices:"]
    quarto += [f"    - report/_generated/county_{c}.ipynb" for c in COUNTIES]
    (root / "_quarto.yml").write_text("\n".join(quarto) + "\n", encoding="utf-8")
    (root / "index.qmd").write_text("# Stub\n", encoding="utf-8")
    params = "report_round = 2011"
    nbformat.write(_notebook(CLEAN_NB, params), root / "notebooks" / "01_clean.ipynb")
    nbformat.write(_notebook(RESULTS_NB, params), root / "notebooks" / "02_results.ipynb")
    nbformat.write(_notebook(COUNTY_NB, 'lan_code = "01"\nreport_round = 2011'),
                   root / "notebooks" / "county.ipynb")
    raw = root / "data" / "raw" / "2011"
    raw.mkdir(parents=True)
    for code in COUNTIES:
        (raw / f"{code}-stub-projekt.csv").write_text(f"{code},Projekt-{code}\n", encoding="utf-8")
    (root / "stubmod.py").write_text(STUB_MODULE, encoding="utf-8")

    monkeypatch.setenv("SAMVERKAN_ROOT", str(root))
    paths.project_root.cache_clear()
    for name, value in STUBS.items():
        monkeypatch.setattr(stages, name, value)
    yield root
    paths.project_root.cache_clear()


def _statuses(results: list[StageResult]) -> dict[str, str]:
    return {r.stage.name: r.status for r in results}


def _run(**kwargs: object) -> dict[str, str]:
    return _statuses(runner.run(jobs=2, progress=False, **kwargs).results)


def _ran(statuses: dict[str, str]) -> set[str]:
    return {name for name, status in statuses.items() if status == "ran"}


def _cli(*args: str) -> int:
    return main(["run", "--jobs", "2", *args])


DOCS = {f"lan_{c}" for c in COUNTIES}
"""Each county's own report (_book/lan/), written by the stub."""
ALL = {"clean_2010", "clean_2011", "results_2011", "counties_2011", "audit_2010", "audit_2011",
       "01_clean", "02_results", "county_01", "county_03", "county_04", "markdown", "render",
       *DOCS}


# ----------------------------------------------------------------------------- validation


@pytest.mark.parametrize("value", ["Atlantis", "99", "../../etc/passwd", "01/../../x", "a\\b"])
def test_bad_county_refused_before_any_kernel(project: Path, value: str,
                                             monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    def no_kernel(*_: object, **__: object) -> None:
        raise AssertionError("a task was submitted")

    monkeypatch.setattr(Pool, "submit", no_kernel)
    with pytest.raises(UnknownCountyError):
        runner.run(counties=[value], progress=False)
    assert _cli("--county", value) == 2
    err = capsys.readouterr().err
    assert repr(value.strip()) in err or value in err
    assert "county" in err.lower()
    assert not (project / "report" / "_generated").exists()


def test_county_names_and_codes_are_accepted(project: Path) -> None:
    assert runner.validate_counties(["Stockholm", "3", "Södermanlands län"]) == ["01", "03", "04"]


def test_the_stage_table_comes_from_quarto_yml(project: Path) -> None:
    table = runner.plan_stages(2010)
    assert [s.name for s in table] == ["clean_2010", "results_2010", "counties_2010",
                                       "audit_2010", "01_clean", "02_results", "county_01",
                                       "county_03", "county_04", "markdown", "render",
                                       "lan_01", "lan_03", "lan_04"]
    county = table[7]
    assert county.kind == "county" and county.lan_code == "03"
    assert county.notebook == "notebooks/county.ipynb"
    assert county.inputs == ("notebooks/county.ipynb", "data/processed/2010/counties/03.json")
    assert county.parameters == {"lan_code": "03", "report_round": 2010}
    assert table[4].parameters == {"report_round": 2010}


def test_a_new_chapter_notebook_is_a_stage_without_code_changes(project: Path) -> None:
    quarto = project / "_quarto.yml"
    quarto.write_text(quarto.read_text().replace(
        "    - report/_generated/stub.md\n",
        "    - report/_generated/stub.md\n    - report/_generated/07_new.ipynb\n"))
    nbformat.write(_notebook("print(1)", "report_round = 2011"),
                   project / "notebooks" / "07_new.ipynb")
    table = {s.name: s for s in runner.plan_stages(2011)}
    assert table["07_new"].kind == "chapter"
    needs = stages.dependencies(list(table.values()))
    # every chapter's source lines read the run's source facts (counties_2011)
    assert set(needs["07_new"]) == {"clean_2010", "clean_2011", "counties_2011"}
    assert "07_new" in needs["render"]
    assert _run()["07_new"] == "ran"


def test_dependencies_follow_the_declared_files(project: Path) -> None:
    needs = stages.dependencies(runner.plan_stages(2011))
    assert needs["clean_2010"] == () and needs["markdown"] == ()
    assert needs["clean_2011"] == ("clean_2010",)
    assert set(needs["02_results"]) == {"clean_2010", "clean_2011", "results_2011",
                                        "counties_2011"}
    assert needs["county_03"] == ("counties_2011",)
    assert set(needs["render"]) == {"01_clean", "02_results", "county_01", "county_03",
                                    "county_04", "markdown"}
    assert set(needs["lan_03"]) == {  # its own profile, and every stage its comparisons rest on
        "county_03", "county_01", "county_04", "clean_2010", "clean_2011", "results_2011",
        "counties_2011", "audit_2010", "audit_2011", "01_clean", "02_results"}


def test_each_county_report_is_a_stage_of_its_profile(project: Path) -> None:
    table = {s.name: s for s in runner.plan_stages(2011)}
    doc = table["lan_03"]
    assert doc.kind == "countydoc" and doc.lan_code == "03"
    assert doc.outputs == ("_book/lan/03-uppsala.html", "_book/lan/03-uppsala.pdf")
    assert "report/_generated/county_03.ipynb" in doc.inputs
    manifest = runner.cache.Manifest(project / "m.json")
    documents = runner.county_documents(manifest, project)
    assert manifest.get("_county_documents")["documents"] == documents  # the no-change path


@pytest.mark.parametrize(("pattern", "output", "expected"), [
    ("data/processed/2011/tables/*", "data/processed/2011/tables/", True),
    ("data/processed/2011/projects.parquet", "data/processed/2011/tables/", False),
    ("data/processed/2011/projects.parquet", "data/processed/2011/projects.parquet", True),
    ("*.qmd", "data/processed/2011/tables/", False),
    ("*.qmd", "index.qmd", True),
    ("report/**/*", "report/_generated/01_clean.ipynb", True),
    ("report/**/*", "report/_generated/", True),
    ("data/raw/2011/**/*", "data/processed/2011/", False),
])
def test_reads(pattern: str, output: str, expected: bool) -> None:
    assert stages.reads(pattern, output) is expected


def test_cell_options_get_the_parameters() -> None:
    nb = {"cells": [
        {"cell_type": "code", "source": ["#| label: tbl-x-{lan_code}\n", "#| tbl-cap: {other}\n",
                                         "x = '{lan_code}'"]},
        {"cell_type": "code", "source": "print(1)"},
    ]}
    assert fill_cell_options(nb, {"lan_code": "05"})
    assert nb["cells"][0]["source"] == "#| label: tbl-x-05\n#| tbl-cap: {other}\nx = '{lan_code}'"
    assert nb["cells"][1]["source"] == "print(1)"
    assert not fill_cell_options(nb, {"lan_code": "05"})


# ------------------------------------------------------------------------- run and cache


def test_full_run_then_no_change_rerun_executes_nothing(project: Path) -> None:
    first = _run()
    assert first == dict.fromkeys(ALL, "ran")
    county = json.loads((project / "report/_generated/county_03.ipynb").read_text())
    assert "#| label: tbl-stub-03" in "".join(county["cells"][-1]["source"])
    assert county["metadata"]["papermill"]["parameters"] == {"lan_code": "03",
                                                              "report_round": 2011}
    for code in COUNTIES:  # a kept kernel starts every county afresh: counts from 1
        cells = json.loads((project / f"report/_generated/county_{code}.ipynb").read_text())
        assert [c["execution_count"] for c in cells["cells"]] == [1, 2, 3]
    assert (project / "report/_generated/logs/county_03.log").is_file()
    assert _run() == dict.fromkeys(ALL, "cached")


def test_one_county_changed_reruns_only_what_depends_on_it(project: Path) -> None:
    _run()
    raw = project / "data/raw/2011/03-stub-projekt.csv"
    raw.write_text("03,Projekt-03-rättat\n", encoding="utf-8")
    second = _run()
    # markdown: the assumptions appendix says whose files are the reconstruction
    assert _ran(second) == {"clean_2011", "results_2011", "counties_2011", "audit_2011",
                            "01_clean", "02_results", "county_03", "render", "lan_03",
                            "markdown"}
    assert {second["county_01"], second["county_04"],
            second["clean_2010"], second["audit_2010"]} == {"cached"}
    assert second["lan_01"] == second["lan_04"] == "cached"


def test_a_correction_that_moves_no_processed_data_reruns_nothing_after_clean(
        project: Path) -> None:
    _run()
    (project / "data/raw/2011/README.txt").write_text("not a submission\n", encoding="utf-8")
    second = _run()
    # the stub clean reads only *.csv: the processed tables did not move
    assert _ran(second) == {"clean_2011"}


def test_notebook_and_code_changes_rerun_their_stages(project: Path) -> None:
    _run()
    nb = project / "notebooks" / "02_results.ipynb"
    nb.write_text(nb.read_text().replace("projects in all", "projekt"), encoding="utf-8")
    assert _ran(_run()) == {"02_results", "render"}
    (project / "report/assets").mkdir(parents=True)
    (project / "report/assets/rapport.css").write_text("h1 {}\n", encoding="utf-8")
    assert _ran(_run()) == {"render", *DOCS}  # the book's styles: the book and every county's
    (project / "samverkan" / "stub.py").write_text("VERSION = 2\n", encoding="utf-8")
    assert _run() == dict.fromkeys(ALL, "ran")


def test_county_reports_outlive_a_quarto_render(project: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    _run()
    fake = project / "bin"
    fake.mkdir()
    (fake / "quarto").write_text("#!/bin/sh\necho 1.9.38\n", encoding="utf-8")
    (fake / "quarto").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}{os.pathsep}{os.environ['PATH']}")
    nb = project / "notebooks" / "02_results.ipynb"
    nb.write_text(nb.read_text().replace("projects in all", "projekt"), encoding="utf-8")
    second = _run()  # the book again, which empties _book/: the reports are written again
    assert {n for n, s in second.items() if s == "ran"} == {"02_results", "render", *DOCS}
    assert (project / "_book/rapport.html").is_file()
    assert len(list((project / "_book/lan").glob("*.pdf"))) == len(COUNTIES)


def test_the_record_of_the_reconstruction_rerenders_the_county_reports(project: Path) -> None:
    _run()
    (project / "data/raw/SYNTH_MANIFEST.json").write_text('{"rounds": {}}\n', encoding="utf-8")
    second = _run()  # whose files a county's are: the reports' covers say it, the source
    # facts (counties_2011) and the assumptions appendix (markdown) are made from it
    assert {n for n, s in second.items() if s == "ran"} == {*DOCS, "counties_2011", "markdown"}


def test_deleted_output_is_rebuilt(project: Path) -> None:
    _run()
    (project / "report/_generated/county_04.ipynb").unlink()
    assert _ran(_run()) == {"county_04", "render", "lan_04"}
    (project / "_book/lan/04-sodermanland.pdf").unlink()
    assert _ran(_run()) == {"lan_04"}, "the county's report is not the book's output"
    assert (project / "_book/lan/04-sodermanland.pdf").is_file()
    shutil.rmtree(project / "data/processed/2011/tables")
    second = _run()
    assert _ran(second) == {"results_2011"}, "the same tables again: nothing after it reruns"
    assert (project / "data/processed/2011/tables/t1.csv").is_file()


def test_a_changed_output_is_rebuilt(project: Path) -> None:
    _run()
    (project / "data/processed/2011/counties/01.json").write_text("[]", encoding="utf-8")
    assert _ran(_run()) == {"counties_2011"}


def test_no_cache_reruns_everything(project: Path) -> None:
    _run()
    assert _run(use_cache=False) == dict.fromkeys(ALL, "ran")


def test_county_subset_runs_only_those_counties(project: Path) -> None:
    first = _run(counties=["Uppsala"])
    assert first["county_03"] == first["lan_03"] == "ran"
    assert first["county_01"] == first["county_04"] == "not selected"
    assert first["lan_01"] == first["lan_04"] == "not selected"
    assert first["render"] == "skipped"
    assert _ran(_run()) == {"county_01", "county_04", "render", "lan_01", "lan_04"}


# ------------------------------------------------------------------------------- failures


def test_a_broken_county_fails_alone(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _run()
    old = (project / "report/_generated/county_03.ipynb")
    assert old.is_file()
    (project / "data/raw/2011/03-stub-projekt.csv").write_text("03,BROKEN\n", encoding="utf-8")
    assert _cli() == 1
    out = capsys.readouterr().out
    results = _summary_rows(out)
    assert results["county_03"] == "failed"
    assert results["county_01"] == results["county_04"] == "cached"
    assert results["01_clean"] == results["02_results"] == "ran"
    assert results["render"] == "skipped"
    assert results["lan_03"] == results["lan_01"] == "skipped"
    assert "KEPT 3 county reports" in out
    assert "Län 03: inlämningen är trasig" in out
    assert "report/_generated/logs/county_03.log" in out
    assert not old.exists(), "a failed county must not leave last run's chapter behind"
    log = (project / "report/_generated/logs/county_03.log").read_text()
    assert "Län 03: inlämningen är trasig" in log
    assert (project / "report/_generated/logs/county_03.failed.ipynb").is_file()
    assert "county_03" in (project / "report/_generated/logs/run.log").read_text()
    # still broken: it runs (and fails) again, the others stay cached
    assert _cli() == 1
    again = _summary_rows(capsys.readouterr().out)
    assert again["county_03"] == "failed" and again["county_01"] == "cached"
    (project / "data/raw/2011/03-stub-projekt.csv").write_text("03,Fixed\n", encoding="utf-8")
    assert _cli() == 0
    fixed = _summary_rows(capsys.readouterr().out)
    assert {n for n, s in fixed.items() if s == "ran"} == {
        "clean_2011", "results_2011", "counties_2011", "audit_2011", "01_clean", "02_results",
        "county_03", "render", "lan_03", "markdown"}


def test_a_rejected_row_makes_the_run_exit_1_and_says_what_is_left_out(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli() == 0
    assert "AVVISAT" not in capsys.readouterr().out
    raw = project / "data/raw/2011/03-stub-projekt.csv"
    raw.write_text("03,Projekt-03\n03,REJECT\n", encoding="utf-8")
    assert _cli() == 1
    out = capsys.readouterr().out
    assert "AVVISAT: 1 rad i länens inlämningar" in out
    assert "2011 03 Uppsala län: 1 avvisade; riket saknar 1 projekt" in out
    assert "03-stub-projekt.csv, rad 2, granted_sek: ”ca 139\u00a0000 kr” är inget belopp" in out
    assert "\\xa0" not in out
    log = (project / "report/_generated/logs/run.log").read_text(encoding="utf-8")
    assert "1 avvisade" in log
    assert json.loads((project / "report/_generated/logs/run.json").read_text())["rejected"] == 1
    assert _cli() == 1, "an unchanged run with a rejected row still fails"
    capsys.readouterr()
    raw.write_text("03,Projekt-03\n", encoding="utf-8")
    assert _cli() == 0


def test_a_failing_clean_stops_what_depends_on_it(project: Path) -> None:
    (project / "stubmod.py").write_text(
        STUB_MODULE + "\ndef clean(report_round):\n    raise RuntimeError('rå data saknas')\n",
        encoding="utf-8")
    results = runner.run(jobs=2, progress=False).results
    status = _statuses(results)
    assert status["clean_2010"] == "failed"
    assert {status[n] for n in ALL - {"clean_2010", "markdown"}} == {"skipped"}
    assert status["markdown"] == "ran"
    assert failed(results)
    first = next(r for r in results if r.stage.name == "clean_2010")
    assert "RuntimeError: rå data saknas" in first.message


STATUSES = ("ran", "cached", "failed", "skipped", "not", "interrupted")


def _summary_rows(text: str) -> dict[str, str]:
    rows = {}
    for line in text.splitlines():
        parts = line.split()
        if parts and parts[0] in ALL and len(parts) >= 3:
            rows[parts[0]] = next(p for p in parts[1:] if p in STATUSES)
    return rows


# ---------------------------------------------------------------------- what notebooks read


def test_notebooks_refuse_missing_or_stale_artefacts(project: Path) -> None:
    with pytest.raises(artefacts.StaleArtefactError,
                       match="clean_2011 har inte körts.*samverkan run"):
        artefacts.require_current("clean_2011")
    _run()
    artefacts.require_current("clean_2010", "clean_2011", "counties_2011")
    raw = project / "data/raw/2011/04-stub-projekt.csv"
    raw.write_text("04,Ändrad\n", encoding="utf-8")
    with pytest.raises(artefacts.StaleArtefactError,
                       match="data/raw/2011/04-stub-projekt.csv har ändrats.*samverkan run"):
        artefacts.require_current("clean_2011")
    _run()
    artefacts.require_current("clean_2011")
    (project / "data/processed/2011/ledger.csv").unlink()
    with pytest.raises(artefacts.StaleArtefactError, match="ledger.csv saknas"):
        artefacts.require_current("clean_2011")


@pytest.mark.parametrize("change", ["edited", "unreadable", "reference"])
def test_a_county_profile_refuses_a_raw_file_changed_behind_its_slice(
        project: Path, change: str) -> None:
    """The county notebook reads only its slice; the slice's stage read the processed tables,
    which the clean stage made from the raw files: a change there is stale for the profile."""
    _run()
    artefacts.require_current("counties_2011")
    if change == "edited":
        target = project / "data/raw/2011/03-stub-projekt.csv"
        target.write_text("03,Projekt-03 rättad\n", encoding="utf-8")
    elif change == "unreadable":
        target = project / "data/raw/2011/03-stub-projekt.csv"
        target.write_bytes(b"\xff\xfe\x00broken")
    else:
        target = next((project / "data/reference").glob("*.csv"))
        target.write_text(target.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    shown = target.relative_to(project).as_posix()
    with pytest.raises(artefacts.StaleArtefactError, match=f"{shown} har ändrats"):
        artefacts.require_current("counties_2011")


def test_a_stale_notebook_says_one_swedish_sentence_not_a_traceback(project: Path) -> None:
    """What JupyterLab and papermill show is the exception's rendered traceback: the message."""
    _run()
    (project / "data/raw/2011/03-stub-projekt.csv").write_text("03,Ny\n", encoding="utf-8")
    code = ("from samverkan.pipeline import artefacts\n"
            "artefacts.require_current('counties_2011')\n")
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", cwd=str(project),
                              env={**os.environ, "SAMVERKAN_ROOT": str(project)})
    try:
        reply = kc.execute_interactive(code, timeout=120, output_hook=_keep_error)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    assert reply["content"]["status"] == "error"
    shown = "\n".join(_ERRORS[-1]["traceback"])
    assert "Underlaget är inaktuellt: data/raw/2011/03-stub-projekt.csv" in shown
    assert "python -m samverkan run" in shown
    assert "Traceback" not in shown and "artefacts.py" not in shown
    assert len(_ERRORS[-1]["traceback"]) == 1


_ERRORS: list[dict] = []


def _keep_error(message: dict) -> None:
    if message["header"]["msg_type"] == "error":
        _ERRORS.append(message["content"])


@pytest.mark.parametrize("value", [2012, 2009, "2011"])
def test_an_unknown_round_is_named_as_such(project: Path, value: object) -> None:
    for read in (lambda: artefacts.county_report("03", value),
                 lambda: artefacts.processed_rounds(value),
                 lambda: artefacts.exported_files(value)):
        with pytest.raises(artefacts.UnknownRoundError,
                           match=f"ingen redovisningsomgång {value}: omgångarna är 2010 och 2011"):
            read()


def test_a_notebook_saved_with_new_outputs_only_reruns_nothing(project: Path) -> None:
    _run()
    source = project / "notebooks/county.ipynb"
    nb = nbformat.read(source, as_version=4)
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="01 1\n")]
    nb.cells[1].execution_count = 7
    nb.metadata["widgets"] = {"state": {}}
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.5"}
    nbformat.write(nb, source)
    assert _ran(_run()) == set()
    nb.cells[1].source += "\n# a comment changes what runs"
    nbformat.write(nb, source)
    assert _ran(_run()) == {"county_01", "county_03", "county_04", "render", *DOCS}


# ---------------------------------------------------------------------- the fast path


def test_no_change_path_imports_neither_pandas_nor_papermill(project: Path) -> None:
    _run()
    code = (
        "import sys\n"
        "from samverkan.pipeline import stages\n"
        "from samverkan.cli import main\n"
        + PATCH +
        "code = main(['run', '--jobs', '2'])\n"
        "heavy = [m for m in ('pandas', 'papermill', 'matplotlib', 'nbclient')\n"
        "         if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
        "sys.exit(code)\n"
    )
    env = {**os.environ, "SAMVERKAN_ROOT": str(project), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], cwd=project, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stdout
    assert "failed" not in done.stdout
    assert done.stdout.count("cached") >= len(ALL)


# ----------------------------------------------------------------------------- interruption


def _start_run(project: Path) -> subprocess.Popen[str]:
    code = ("import sys\nfrom samverkan.pipeline import stages\nfrom samverkan.cli import main\n"
            + PATCH + "sys.exit(main(['run', '--jobs', '2']))\n")
    env = {**os.environ, "SAMVERKAN_ROOT": str(project), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", code], cwd=project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _cmdline(process: psutil.Process) -> str:
    try:
        return " ".join(process.cmdline())
    except psutil.Error:  # gone, or a zombie
        return ""


def _busy_in_county_03(project: Path, proc: subprocess.Popen[str]) -> list[psutil.Process]:
    """Wait until county_03 sleeps in its kernel; every process the run has started then."""
    log = project / "report/_generated/logs/county_03.log"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        kernels = [k for k in psutil.Process(proc.pid).children(recursive=True)
                   if "ipykernel" in _cmdline(k)]
        if kernels and log.is_file():
            time.sleep(3)  # into the cell that sleeps
            return psutil.Process(proc.pid).children(recursive=True)
        time.sleep(0.5)
    raise AssertionError("county_03 never started")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_an_interrupted_run_cleans_up_and_the_next_one_finishes_the_rest(
        project: Path, sig: signal.Signals) -> None:
    (project / "SLOW").touch()
    proc = _start_run(project)
    started = _busy_in_county_03(project, proc)
    assert any("ipykernel" in _cmdline(p) for p in started)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + sig, err
    _, alive = psutil.wait_procs(started, timeout=10)
    assert not alive, f"left running: {[_cmdline(p) for p in alive]}"
    record = json.loads((project / "report/_generated/logs/run.json").read_text())
    assert record["interrupted"] == sig.name and record["failed"]
    status = {s["stage"]: s["status"] for s in record["stages"]}
    assert status["county_03"] == status["render"] == "interrupted"
    assert status["clean_2011"] == "ran"
    assert "INTERRUPTED" in out and "county_03" in out
    assert not (project / "_book" / "rapport.html").exists(), "no book from an unfinished run"
    (project / "SLOW").unlink()
    again = _run()  # the lock was released
    assert _ran(again) == {n for n, s in status.items() if s == "interrupted"}


def test_a_killed_run_leaves_no_process_and_its_stage_reruns(project: Path) -> None:
    (project / "SLOW").touch()
    proc = _start_run(project)
    started = _busy_in_county_03(project, proc)
    proc.kill()
    proc.communicate(timeout=60)
    _, alive = psutil.wait_procs(started, timeout=20)
    assert not alive, f"left running: {[_cmdline(p) for p in alive]}"
    (project / "SLOW").unlink()
    again = _run()
    assert again["county_03"] == "ran" and again["clean_2011"] == "cached"


# ---------------------------------------------------------------------- the bench's floor


@pytest.mark.parametrize("share", [False, True])
def test_the_floor_runs_one_trivial_notebook_per_stage(project: Path, share: bool) -> None:
    from samverkan.pipeline import bench

    seconds = bench.floor(project, 2, 2011, share=share)
    assert seconds > 0
    assert not list(project.glob("floor-*")), "the floor's notebooks are cleaned up"
    assert not (project / "report" / "_generated" / "county_01.ipynb").exists()


def test_a_second_run_at_the_same_time_is_refused(project: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    with project_lock():
        assert _cli() == 2
    assert "`python -m samverkan run` is writing into this project" in capsys.readouterr().err
    assert not (project / "report" / "_generated" / "01_clean.ipynb").exists()


@pytest.mark.parametrize("argv", [["clean"], ["audit"], ["render"], ["synth"]])
def test_every_command_that_writes_waits_for_no_run(
        project: Path, argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """``render`` or ``audit`` during a run would write _book/ or audit.csv under it."""
    before = sorted(p for p in project.rglob("*") if p.is_file() and p.name != ".run.lock")
    with project_lock("run"):
        assert main(argv) == 2
    assert "`python -m samverkan run` is writing into this project" in capsys.readouterr().err
    assert sorted(p for p in project.rglob("*") if p.is_file() and p.name != ".run.lock") == before
    assert not (project / "_book").exists()


# ---------------------------------------------------------------------- the order of work


def test_the_critical_path_is_own_seconds_plus_the_longest_chain_behind() -> None:
    def stage(name: str, reads: tuple[str, ...], writes: str) -> stages.Stage:
        return stages.Stage(name, "chapter", reads, (writes,))

    table = [stage("a", (), "a.txt"), stage("b", ("a.txt",), "b.txt"),
             stage("c", ("a.txt",), "c.txt"), stage("d", ("b.txt",), "d.txt")]
    seconds = {"a": 1.0, "b": 2.0, "c": 5.0, "d": 1.0}
    path = runner.critical_path(table, stages.dependencies(table), seconds)
    # by hand: d alone; b then d; c alone; a then the longer of (b, d) and (c)
    assert path == {"d": 1.0, "b": 3.0, "c": 5.0, "a": 6.0}


def test_the_timeline_follows_the_dependencies(project: Path) -> None:
    outcome = runner.run(jobs=1, progress=False)
    record = json.loads((project / "report/_generated/logs/run.json").read_text())
    rows = {r["stage"]: r for r in record["stages"]}
    assert {name for name, r in rows.items() if r["status"] == "ran"} == ALL
    assert all(r["started_s"] >= 0 and r["kind"] for r in rows.values())
    end = {n: r["started_s"] + r["seconds"] for n, r in rows.items()}
    for name, before in stages.dependencies(runner.plan_stages(2011)).items():
        for other in before:  # 0.02: both figures are rounded to 0.01 s
            assert rows[name]["started_s"] >= end[other] - 0.02, f"{name} began before {other}"
    assert not failed(outcome.results)


class _RecordingPool:
    """Takes tasks and never finishes them: what a free worker would start, in order."""

    def __init__(self) -> None:
        self.started: list[str] = []

    def submit(self, task: dict) -> None:
        self.started.append(task["name"])

    def running(self) -> list[str]:
        return self.started


def test_free_workers_take_the_ready_stage_with_the_longest_chain_first(project: Path) -> None:
    run = runner.Run(2011, 2, None, True, False)  # nothing recorded yet: typical seconds
    run.pool = _RecordingPool()
    run.ready = [run.by_name[n] for n in ("lan_01", "render", "01_clean", "county_03")]
    run._dispatch()
    # by hand, with TYPICAL_SECONDS: 01_clean 2.5 + render 3.5 = 6.0; county_03 0.6 + 3.5 =
    # 4.1; render 3.5; lan_01 0.4. Two workers: the first two start, the others wait in order.
    assert run.pool.started == ["01_clean", "county_03"]
    assert [s.name for s in run.ready] == ["render", "lan_01"]


def test_the_bench_sums_where_the_time_went_per_kind() -> None:
    from samverkan.pipeline import bench

    rows = [{"kind": "county", "started_s": 1.0, "seconds": 0.5},
            {"kind": "county", "started_s": 2.0, "seconds": 0.25},
            {"kind": "render", "started_s": 3.0, "seconds": 3.0},
            {"kind": "chapter", "started_s": None, "seconds": 0.0}]  # cached: not run
    assert bench.by_kind(rows) == {
        "render": {"stages": 1, "seconds": 3.0, "first_start_s": 3.0, "last_end_s": 6.0},
        "county": {"stages": 2, "seconds": 0.75, "first_start_s": 1.0, "last_end_s": 2.25},
    }


def test_a_rejected_value_is_shown_as_typed() -> None:
    """No Python escapes (``\\xa0``) or repr quotes in what the county reads."""
    from samverkan.intake.normalise import InvalidValue, parse_amount

    with pytest.raises(InvalidValue) as caught:
        parse_amount("ca 139\u00a0000 kr")
    text = str(caught.value)
    assert "”ca 139\u00a0000 kr” är inget belopp i kronor" in text
    assert "\\x" not in text and "'" not in text


def test_a_round_switch_overwrites_no_other_rounds_reports(project: Path) -> None:
    """``run --round 2010`` writes its book and county reports in ``_book/2010/``; the final
    report's paths keep the final report."""
    from samverkan.book import county_docs

    _run()
    final = {p: p.read_bytes() for p in (project / "_book").rglob("*")
             if p.is_file() and p.name != "andringar.html"}  # the change page: every run's
    assert project / "_book/rapport.html" in final
    assert set(county_docs.document_paths("03", project)) <= set(final)
    partial = _run(report_round=2010)
    assert partial["render"] == "ran"
    assert (project / "_book/2010/rapport.html").is_file()
    for path in county_docs.document_paths("03", project, 2010):
        assert path.is_file() and path.parent == project / "_book/2010/lan"
    assert {p: p.read_bytes() for p in final} == final, "the final report was overwritten"
    _run()
    assert {p: p.read_bytes() for p in final} == final
    assert (project / "_book/2010/rapport.html").is_file(), "the final run removed 2010's"


def test_a_cron_run_with_one_county_failing_keeps_every_county_report(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A county's profile fails: no county report is rebuilt on the other counties alone
    (each keeps its last complete version), the summary says so, the run exits 1."""
    from samverkan.book import county_docs

    assert _cli() == 0
    capsys.readouterr()
    reports = {p: p.read_bytes() for c in COUNTIES for p in county_docs.document_paths(c)}
    (project / "data/raw/2011/01-stub-projekt.csv").write_text("01,Projekt-01\n01,Nytt\n",
                                                               encoding="utf-8")
    (project / "data/raw/2011/03-stub-projekt.csv").write_text("03,BROKEN\n", encoding="utf-8")
    assert _cli() == 1
    out = capsys.readouterr().out
    rows = _summary_rows(out)
    assert rows["county_03"] == "failed" and rows["county_01"] == "ran"
    assert {rows[d] for d in DOCS} == {"skipped"}
    assert "KEPT 3 county reports as the last complete run made them (01, 03, 04)" in out
    assert "county_03" in out.split("KEPT", 1)[1]
    assert {p: p.read_bytes() for p in reports} == reports
    (project / "data/raw/2011/03-stub-projekt.csv").write_text("03,Projekt-03\n",
                                                               encoding="utf-8")
    assert _cli() == 0
    again = _summary_rows(capsys.readouterr().out)
    assert again["lan_01"] == "ran" and again["lan_04"] == "cached"


def test_every_run_says_which_figures_moved_and_which_county_reports_changed(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    logs = project / "report/_generated/logs"
    assert _cli() == 0
    assert "no earlier complete run" in capsys.readouterr().out
    assert _cli() == 0
    assert "no figure moved, and no county report's content changed" in capsys.readouterr().out
    (project / "data/raw/2011/03-stub-projekt.csv").write_text(
        "03,Projekt-03\n03,Rättat\n", encoding="utf-8")
    assert _cli() == 0
    out = capsys.readouterr().out
    assert "CHANGES since the last complete run" in out
    assert "t1, Riket, Projekt: 3 → 4" in out and "t1, 03, Projekt: 1 → 2" in out
    assert "County reports whose content changed: 03 " in out
    assert (logs / "changed-counties.txt").read_text() == "03\n"
    rows = (logs / "changes.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == "figure;county;row;column;old;new"
    assert '"t1";"Riket";"Riket";"Projekt";"3";"4"' in rows
    assert any(r.startswith('"counties/03.json";"03"') and '"03,Rättat"' in r for r in rows)
    page = (project / "_book/andringar.html").read_text(encoding="utf-8")
    assert 'lang="sv"' in page and "<td>3</td><td>4</td>" in page
    # the next run compares with the corrected one: nothing moved
    assert _cli() == 0
    assert "no figure moved" in capsys.readouterr().out
    assert (logs / "changed-counties.txt").read_text() == ""
    assert "Inga siffror har ändrats" in (project / "_book/andringar.html").read_text()


def test_county_text_in_the_change_page_is_data_not_markup(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli() == 0
    (project / "data/raw/2011/03-stub-projekt.csv").write_text(
        "03,<script>alert(1)</script>\n", encoding="utf-8")
    assert _cli() == 0
    capsys.readouterr()
    page = (project / "_book/andringar.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_county_slice_change_is_named_by_its_table_row_and_column(tmp_path: Path) -> None:
    """A moved figure of a county's profile reads as the report shows it: the table part, the
    row label and the column header (not a position in the JSON), facts by their key."""
    from samverkan.pipeline.changes import Change, compare_slice

    def profile(value: str, granted: int) -> dict:
        return {"lan_code": "03", "facts": {"granted_sek": granted, "projects": 7},
                "indicators": {"index_name": "indikator", "dtypes": ["object", "object"],
                               "columns": ["Länet", "Riket"],
                               "index": ["Andel med reell samverkan (%)", "Nyttjandegrad"],
                               "data": [["60,0 %", "75,0 %"], [value, "95,4 %"]]}}

    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(profile("99,1 %", 746466)), encoding="utf-8")
    new.write_text(json.dumps(profile("99,8 %", 756466)), encoding="utf-8")
    assert compare_slice("counties/03.json", old, new) == [
        Change("counties/03.json: facts", "03", "facts.granted_sek", "", "746466", "756466"),
        Change("counties/03.json: indicators", "03", "Nyttjandegrad", "Länet", "99,1 %",
               "99,8 %"),
    ]


def test_an_idle_worker_starts_its_kernel_while_notebooks_are_still_to_come(
        project: Path) -> None:
    """Three workers, two stages ready at the start (clean_2010, markdown): the third worker
    starts its kernel with the notebooks' imports meanwhile (its own log, no stage of the
    summary); a run with no notebook to come starts none."""
    log = project / "report/_generated/logs" / f"{runner.WARM}.log"
    first = runner.run(jobs=3, progress=False)
    assert runner.WARM not in _statuses(first.results)
    text = log.read_text(encoding="utf-8")
    assert text.startswith(f"stage: {runner.WARM}\n") and "\nran after " in text
    log.unlink()
    assert _statuses(runner.run(jobs=3, progress=False).results) == dict.fromkeys(ALL, "cached")
    assert not log.exists()


def test_only_a_county_slice_names_a_county_report() -> None:
    """The source facts beside the slices (counties/provenance.json) move when a county's
    files become its own, but they are no county's report: changed-counties.txt once listed
    'provenance' beside '08'."""
    from samverkan.pipeline.changes import slice_county

    assert slice_county("counties/08.json") == "08"
    assert slice_county("counties/provenance.json") == ""
    assert slice_county("counties/99.json") == ""
    assert slice_county("tables/t1.csv") == ""
