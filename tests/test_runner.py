"""The runner on a small stand-in project (tiny notebooks, a stub cleaner and renderer): argument
validation before any kernel starts, fail-soft county runs, the content-hash cache, atomic
outputs and the fast no-change path. The real notebooks are exercised in test_county.py."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

from samverkan import paths
from samverkan.pipeline import runner
from samverkan.registry import UnknownCountyError

ROOT = Path(__file__).resolve().parents[1]
COUNTIES = ("01", "03", "04")

CLEAN_NB = '''
import pathlib
raw = sorted(pathlib.Path("data/raw", str(report_round)).glob("*.csv"))
lines = [line for p in raw for line in p.read_text(encoding="utf-8").splitlines() if line]
out = pathlib.Path("data/processed", str(report_round))
out.mkdir(parents=True, exist_ok=True)
(out / "projects.parquet").write_text("\\n".join(sorted(lines)) + "\\n", encoding="utf-8")
for name in ("allocations.parquet", "rejects.csv", "ledger.csv", "coding_issues.csv"):
    (out / name).write_text("stub\\n", encoding="utf-8")
print(len(lines), "rows")
'''

RESULTS_NB = '''
import pathlib
rows = pathlib.Path("data/processed", str(report_round), "projects.parquet").read_text().split()
print(len(rows), "projects in all")
'''

COUNTY_NB = '''
#| label: tbl-stub-{lan_code}
#| tbl-cap: Stub
import pathlib
rows = pathlib.Path("data/processed", str(report_round), "projects.parquet").read_text().split()
own = [r for r in rows if r.startswith(lan_code + ",")]
assert "previous_county" not in dir(), "state leaked from the county run before"
previous_county = lan_code
if any("BROKEN" in r for r in own):
    raise ValueError(f"Län {lan_code}: inlämningen är trasig")
print(lan_code, len(own))
'''

STUB_MODULE = '''
from pathlib import Path
import os

def write_md(path):
    Path(path).write_text("# Stub\\n", encoding="utf-8")

def render_book():
    import shutil
    root = Path(os.environ["SAMVERKAN_ROOT"])
    if shutil.which("quarto"):  # a Quarto book render empties its output folder first
        shutil.rmtree(root / "_book", ignore_errors=True)
    (root / "report" / "_generated" / "omslag.md").write_text("built\\n", encoding="utf-8")
    out = root / "_book"
    out.mkdir(exist_ok=True)
    chapters = sorted(p.name for p in (root / "report" / "_generated").glob("*.ipynb"))
    (out / "rapport.html").write_text("\\n".join(chapters), encoding="utf-8")

def write_county_doc(lan_code):
    import json
    from samverkan.book import county_docs
    root = Path(os.environ["SAMVERKAN_ROOT"])
    nb = json.loads((root / "report" / "_generated" / f"county_{lan_code}.ipynb").read_text())
    shown = json.dumps([c.get("outputs", []) for c in nb["cells"]])
    for path in county_docs.document_paths(lan_code):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(shown, encoding="utf-8")
    return county_docs.render.RenderResult("stub", [], 0.0)
'''


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
    monkeypatch.setattr(runner, "MARKDOWN_GENERATORS", (("stub.md", "stubmod:write_md"),))
    monkeypatch.setattr(runner, "RENDER_TARGET", "stubmod:render_book")
    monkeypatch.setattr(runner, "COUNTY_DOC_TARGET", "stubmod:write_county_doc")
    monkeypatch.setattr(runner, "county_data_digests", _stub_digests)
    yield root
    paths.project_root.cache_clear()


def _stub_digests(report_round: int, codes: list[str]) -> dict[str, str]:
    """The stand-in of county.profile_digests: the county's processed lines."""
    rows = (paths.processed_dir(report_round) / "projects.parquet").read_text().split()
    return {c: json.dumps(sorted(r for r in rows if r.startswith(c + ","))) for c in codes}


def _statuses(results: list[runner.StageResult]) -> dict[str, str]:
    return {r.stage.name: r.status for r in results}


def _run(**kwargs: object) -> dict[str, str]:
    return _statuses(runner.run(jobs=2, progress=False, **kwargs))


def _args(*county: str, no_cache: bool = False) -> argparse.Namespace:
    return argparse.Namespace(round=2011, jobs=2, county=list(county) or None, no_cache=no_cache)


DOCS = {f"lan_{c}" for c in COUNTIES}
"""Each county's own report (_book/lan/), written by the stub."""
ALL = {"01_clean", "02_results", "county_01", "county_03", "county_04", "markdown", "render",
       *DOCS}


# ----------------------------------------------------------------------------- validation


@pytest.mark.parametrize("value", ["Atlantis", "99", "../../etc/passwd", "01/../../x", "a\\b"])
def test_bad_county_refused_before_any_kernel(project: Path, value: str,
                                             monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    def no_kernel(*_: object, **__: object) -> None:
        raise AssertionError("a task was submitted")

    monkeypatch.setattr(runner.Pool, "submit", no_kernel)
    with pytest.raises(UnknownCountyError):
        runner.run(counties=[value], progress=False)
    assert runner.main(_args(value)) == 2
    err = capsys.readouterr().err
    assert repr(value.strip()) in err or value in err
    assert "county" in err.lower()
    assert not (project / "report" / "_generated").exists()


def test_county_names_and_codes_are_accepted(project: Path) -> None:
    assert runner.validate_counties(["Stockholm", "3", "Södermanlands län"]) == ["01", "03", "04"]


def test_the_plan_comes_from_quarto_yml(project: Path) -> None:
    manifest = runner.cache.Manifest(project / "m.json")
    stages = runner.plan(runner.notebook_chapters(manifest, "code"), 2010)
    assert [s.name for s in stages] == ["01_clean", "02_results", "county_01", "county_03",
                                        "county_04", "markdown", "render"]
    county = stages[3]
    assert county.kind == "county" and county.lan_code == "03"
    assert county.source == project / "notebooks" / "county.ipynb"
    assert county.parameters == {"lan_code": "03", "report_round": 2010}
    assert stages[0].parameters == {"report_round": 2010}


def test_each_county_report_is_a_stage_after_the_render(project: Path) -> None:
    manifest = runner.cache.Manifest(project / "m.json")
    documents = runner.county_documents(manifest, "code")
    assert documents == {
        "01": ["_book/lan/01-stockholm.html", "_book/lan/01-stockholm.pdf"],
        "03": ["_book/lan/03-uppsala.html", "_book/lan/03-uppsala.pdf"],
        "04": ["_book/lan/04-sodermanland.html", "_book/lan/04-sodermanland.pdf"],
    }
    assert manifest.get("_county_documents")["documents"] == documents  # the no-change path
    stages = runner.plan(runner.notebook_chapters(manifest, "code"), 2011, documents)
    assert [s.name for s in stages][-4:] == ["render", "lan_01", "lan_03", "lan_04"]
    doc = stages[-2]
    assert doc.kind == "countydoc" and doc.lan_code == "03"
    assert doc.outputs == (project / "_book/lan/03-uppsala.html",
                           project / "_book/lan/03-uppsala.pdf")


def test_cell_options_get_the_parameters() -> None:
    nb = {"cells": [
        {"cell_type": "code", "source": ["#| label: tbl-x-{lan_code}\n", "#| tbl-cap: {other}\n",
                                         "x = '{lan_code}'"]},
        {"cell_type": "code", "source": "print(1)"},
    ]}
    assert runner.fill_cell_options(nb, {"lan_code": "05"})
    assert nb["cells"][0]["source"] == "#| label: tbl-x-05\n#| tbl-cap: {other}\nx = '{lan_code}'"
    assert nb["cells"][1]["source"] == "print(1)"
    assert not runner.fill_cell_options(nb, {"lan_code": "05"})


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
    ran = {name for name, status in second.items() if status == "ran"}
    assert ran == {"01_clean", "02_results", "county_03", "render", "lan_03"}
    assert {second["county_01"], second["county_04"], second["markdown"]} == {"cached"}
    assert second["lan_01"] == second["lan_04"] == "cached"


def test_a_correction_that_moves_no_county_data_reruns_no_county(project: Path) -> None:
    _run()
    extra = project / "data/raw/2011/README.txt"
    extra.write_text("not a submission\n", encoding="utf-8")
    second = _run()
    assert second["01_clean"] == "ran"
    # the stub clean reads only *.csv: the processed tables did not move
    assert {second[n] for n in ("02_results", "county_01", "county_03", "county_04")} == {
        "cached"}


def test_notebook_and_code_changes_rerun_their_stages(project: Path) -> None:
    _run()
    nb = project / "notebooks" / "02_results.ipynb"
    nb.write_text(nb.read_text().replace("projects in all", "projekt"), encoding="utf-8")
    second = _run()
    assert {n for n, s in second.items() if s == "ran"} == {"02_results", "render"}
    (project / "report/assets").mkdir(parents=True)
    (project / "report/assets/rapport.css").write_text("h1 {}\n", encoding="utf-8")
    third = _run()  # the book's styles: the book and every county's report
    assert {n for n, s in third.items() if s == "ran"} == {"render", *DOCS}
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
    second = _run()  # whose files a county's are: the reports' covers say it
    assert {n for n, s in second.items() if s == "ran"} == DOCS


def test_deleted_output_is_rebuilt(project: Path) -> None:
    _run()
    (project / "report/_generated/county_04.ipynb").unlink()
    second = _run()
    # the profile came back with the same content: its report is not rendered again
    assert {n for n, s in second.items() if s == "ran"} == {"county_04", "render"}
    (project / "_book/lan/04-sodermanland.pdf").unlink()
    third = _run()
    assert {n for n, s in third.items() if s == "ran"} == {"lan_04"}
    assert (project / "_book/lan/04-sodermanland.pdf").is_file()


def test_no_cache_reruns_everything(project: Path) -> None:
    _run()
    assert _run(use_cache=False) == dict.fromkeys(ALL, "ran")


def test_county_subset_runs_only_those_counties(project: Path) -> None:
    first = _run(counties=["Uppsala"])
    assert first["county_03"] == "ran"
    assert first["county_01"] == first["county_04"] == "not selected"
    assert first["render"] == "skipped"
    assert first["lan_03"] == "ran"  # a county's report needs only its own profile
    assert first["lan_01"] == first["lan_04"] == "not selected"
    second = _run()
    assert {n for n, s in second.items() if s == "ran"} == {"county_01", "county_04", "render",
                                                             "lan_01", "lan_04"}


# ------------------------------------------------------------------------------- failures


def test_a_broken_county_fails_alone(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _run()
    old = (project / "report/_generated/county_03.ipynb")
    assert old.is_file()
    (project / "data/raw/2011/03-stub-projekt.csv").write_text("03,BROKEN\n", encoding="utf-8")
    assert runner.main(_args()) == 1
    out = capsys.readouterr().out
    results = _summary_rows(out)
    assert results["county_03"] == "failed"
    assert results["county_01"] == results["county_04"] == "cached"
    assert results["01_clean"] == results["02_results"] == "ran"
    assert results["render"] == "skipped"
    assert results["lan_03"] == "skipped" and results["lan_01"] == "cached"
    assert "SKIPPED lan_03: county_03 failed" in out
    assert "Län 03: inlämningen är trasig" in out
    assert "report/_generated/logs/county_03.log" in out
    assert not old.exists(), "a failed county must not leave last run's chapter behind"
    log = (project / "report/_generated/logs/county_03.log").read_text()
    assert "Län 03: inlämningen är trasig" in log
    assert (project / "report/_generated/logs/county_03.failed.ipynb").is_file()
    assert "county_03" in (project / "report/_generated/logs/run.log").read_text()
    # still broken: it runs (and fails) again, the others stay cached
    assert runner.main(_args()) == 1
    again = _summary_rows(capsys.readouterr().out)
    assert again["county_03"] == "failed" and again["county_01"] == "cached"
    # fixed: only it and the render run... plus clean and results, whose input moved
    (project / "data/raw/2011/03-stub-projekt.csv").write_text("03,Fixed\n", encoding="utf-8")
    assert runner.main(_args()) == 0
    fixed = _summary_rows(capsys.readouterr().out)
    assert {n for n, s in fixed.items() if s == "ran"} == {"01_clean", "02_results",
                                                            "county_03", "render", "lan_03"}


def test_a_failing_clean_stops_what_depends_on_it(project: Path) -> None:
    nb = project / "notebooks" / "01_clean.ipynb"
    node = nbformat.read(nb, as_version=4)
    node.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('rå data saknas')"))
    nbformat.write(node, nb)
    results = runner.run(jobs=2, progress=False)
    status = _statuses(results)
    assert status["01_clean"] == "failed"
    assert {status[n] for n in ("02_results", "county_01", "render", "lan_01")} == {"skipped"}
    assert status["markdown"] == "ran"
    assert runner.failed(results)
    failed = next(r for r in results if r.stage.name == "01_clean")
    assert "RuntimeError: rå data saknas" in failed.message


STATUSES = ("ran", "cached", "failed", "skipped", "not")


def _summary_rows(text: str) -> dict[str, str]:
    rows = {}
    for line in text.splitlines():
        parts = line.split()
        if parts and parts[0] in ALL and len(parts) >= 3:
            rows[parts[0]] = next(p for p in parts[1:] if p in STATUSES)
    return rows


# ---------------------------------------------------------------------- the fast path


def test_no_change_path_imports_neither_pandas_nor_papermill(project: Path) -> None:
    _run()
    code = (
        "import sys\n"
        "from samverkan.pipeline import runner\n"
        "from samverkan.cli import main\n"
        "runner.MARKDOWN_GENERATORS = (('stub.md', 'stubmod:write_md'),)\n"
        "runner.RENDER_TARGET = 'stubmod:render_book'\n"
        "runner.COUNTY_DOC_TARGET = 'stubmod:write_county_doc'\n"
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
    with runner._run_lock():
        assert runner.main(_args()) == 2
    assert "another run" in capsys.readouterr().err
    assert not (project / "report" / "_generated" / "01_clean.ipynb").exists()
