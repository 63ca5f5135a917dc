"""``python -m samverkan bench``: the pipeline's figures, measured in one run, printed as JSON.

Everything runs on a temporary copy of the project (never on the user's outputs):

- ``floor_s``: the irreducible cost of the notebook stages — as many trivial notebooks as the
  pipeline has notebook stages, each importing exactly what the real one imports (same
  parameters cell), executed by the runner's own worker pool at the same parallelism;
- ``cold_s``: ``python -m samverkan run --no-cache`` from nothing (no processed data, no executed
  notebooks, no book), and ``cold_over_floor``; ``cold_stages`` (each stage's start and
  seconds) and ``cold_by_kind`` (the same summed per kind of stage): where the time went;
- ``no_change_s``: the same command again, nothing changed (wall time of the whole process);
- ``county_reports``: the 21 county reports deleted, then the command again (it renders them
  alone): wall time, and its share of the cold run without them;
- ``one_county_changed``: a text correction (a project title) in one county's raw file, then the
  command again: wall time and which stages ran;
- ``one_chapter_edited``: one line added to a chapter notebook's last code cell (as an author
  editing it in Lab would), then the command again: wall time and which stages ran;
- ``scale``: clean (every round up to the report round, in order) + results (the indicators'
  and tables' functions) on ``synth --scale K``
  data, wall time and peak memory of a fresh process (``RUSAGE_CHILDREN``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from samverkan import paths
from samverkan.paths import project_root
from samverkan.rounds import DEFAULT_ROUND

COPY_IGNORE = (".git", ".venv", "_book", ".hypothesis", ".pytest_cache", ".ruff_cache",
               "__pycache__", ".ipynb_checkpoints", "mutants", ".coverage")
"""Not copied: version control, the environment, caches, every generated output and the
mutation and coverage runs' working files (make mutation, make coverage)."""
GENERATED = ("data/processed", str(paths.GENERATED), "_book")
SCALES = (10, 100)


def copy_project(target: Path, root: Path | None = None) -> Path:
    """A copy of the project's sources and data in ``target`` without generated outputs."""
    root = root or project_root()
    shutil.copytree(root, target, ignore=shutil.ignore_patterns(*COPY_IGNORE))
    for rel in GENERATED:
        shutil.rmtree(target / rel, ignore_errors=True)
    return target


def _env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SAMVERKAN_ROOT"}
    env["SAMVERKAN_ROOT"] = str(root)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH", "")) if p)
    return env


def _timed(cmd: list[str], root: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=root, env=_env(root), capture_output=True, text=True)
    return time.perf_counter() - start, done


# ---------------------------------------------------------------------------------- the floor


def _floor_notebook(source: Path, target: Path) -> None:
    """A notebook with ``source``'s parameters cell and one cell of its imports."""
    from samverkan.pipeline import kernels

    nb = json.loads(source.read_text(encoding="utf-8"))
    parameters = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
    imports = {"cell_type": "code", "execution_count": None, "id": "imports", "metadata": {},
               "outputs": [], "source": "\n".join(kernels.notebook_imports([source]))}
    nb["cells"] = [parameters, imports]
    target.write_text(json.dumps(nb), encoding="utf-8")


def floor(root: Path, jobs: int, report_round: int, share: bool = False) -> float:
    """Seconds to execute one trivial notebook per notebook stage of ``root``'s book, through the
    runner's pool with ``jobs`` workers, all submitted at once.
    Each in a kernel of its own, unless ``share``: then they share a kernel per worker as the
    runner's notebook runs do."""
    from samverkan.book.chapters import notebook_chapters
    from samverkan.pipeline.execute import STATUS_RAN, Pool

    out = Path(tempfile.mkdtemp(prefix="floor-", dir=root))
    tasks = []
    for i, chapter in enumerate(notebook_chapters(root)):
        source = out / chapter.source.name  # one floor notebook per source, as in the book
        if not source.exists():
            _floor_notebook(chapter.source, source)
        tasks.append({
            "name": f"floor_{i:02d}", "root": str(root), "log": str(out / f"{i:02d}.log"),
            "source": str(source), "output": str(out / f"{i:02d}.out.ipynb"),
            "parameters": {**chapter.parameters, "report_round": report_round},
            "shared": share,
        })
    failures: list[str] = []

    def done(result: dict[str, Any]) -> None:
        if result["status"] != STATUS_RAN:
            failures.append(f"{result['name']}: {result['message']}")

    start = time.perf_counter()
    pool = Pool(jobs, root, done)
    try:
        for task in tasks:
            pool.submit(task)
        pool.wait()
    finally:
        pool.close()
    seconds = time.perf_counter() - start
    shutil.rmtree(out, ignore_errors=True)
    if failures:
        raise RuntimeError("floor notebooks failed: " + "; ".join(failures))
    return seconds


# ---------------------------------------------------------------------------- the pipeline


def _run_command(jobs: int, report_round: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "samverkan", "run", "--jobs", str(jobs),
            "--round", str(report_round), *extra]


def _ran_stages(root: Path) -> list[str]:
    summary = json.loads((root / paths.GENERATED / "logs" / "run.json").read_text())
    return [s["stage"] for s in summary["stages"] if s["status"] == "ran"]


def correct_one_county(root: Path, report_round: int, lan_code: str) -> str:
    """Fix a 'typo' in one project title of one county's raw file (in the copy): the title gets
    a suffix. Returns the file changed. Works on the county's xlsx or projekt CSV."""
    from samverkan.intake import codebook

    raw = root / "data" / "raw" / str(report_round)
    candidates = sorted(raw.glob(f"{lan_code}-*"))
    suffix = codebook.csv_suffix("Projekt")
    title_headers = {codebook.header_key(h) for f in codebook.fields("Projekt")
                     if f.name == "title" for h in (f.name, f.label, *f.headers)}
    for path in candidates:
        if path.suffix == ".xlsx":
            import openpyxl

            wb = openpyxl.load_workbook(path)
            for ws in wb.worksheets:
                for row in ws.iter_rows():
                    for cell in row:
                        if codebook.header_key(cell.value or "") in title_headers:
                            target = ws.cell(row=cell.row + 1, column=cell.column)
                            while target.value in (None, ""):
                                target = ws.cell(row=target.row + 1, column=cell.column)
                            target.value = f"{target.value} (rättad)"
                            wb.save(path)
                            return path.name
        elif path.name.endswith(f"-{suffix}.csv"):
            data = path.read_bytes()
            for encoding in ("utf-8-sig", "cp1252"):
                try:
                    text = data.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
            lines = text.splitlines(keepends=True)
            header_at = next(i for i, line in enumerate(lines)
                             if any(codebook.header_key(c) in title_headers
                                    for c in line.split(";")))
            column = next(i for i, c in enumerate(lines[header_at].split(";"))
                          if codebook.header_key(c) in title_headers)
            row = next(i for i in range(header_at + 1, len(lines))
                       if len(lines[i].split(";")) > column and lines[i].split(";")[column])
            cells = lines[row].split(";")
            cells[column] = f"{cells[column]} (rättad)"
            lines[row] = ";".join(cells)
            path.write_bytes("".join(lines).encode(encoding.replace("-sig", "")))
            return path.name
    raise FileNotFoundError(f"no project file for county {lan_code} in {raw}")


EDITED_CHAPTER = "notebooks/05_distribution.ipynb"


def edit_one_chapter(root: Path, rel: str = EDITED_CHAPTER) -> str:
    """Add a comment line to the last code cell of a chapter notebook (in the copy): a source
    edit, which reruns that chapter and the render. Returns the notebook's path."""
    path = root / rel
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in reversed(nb["cells"]) if c["cell_type"] == "code")
    source = "".join(cell["source"])
    cell["source"] = source + "\n# redigerad" if source else "# redigerad"
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return rel


def county_reports(root: Path, jobs: int, report_round: int, cold_s: float) -> dict[str, Any]:
    """What the 21 county reports (``_book/lan/``) cost: deleted after a complete run, then the
    run again, which renders them alone. ``share_of_cold`` compares that wall time with the
    cold run less it, as if the reports added their whole time to it (in the cold run they
    partly overlap the book's render, so this is an upper bound)."""
    from samverkan.book import county_docs

    folder = county_docs.output_dir(root)
    shutil.rmtree(folder, ignore_errors=True)
    seconds, done = _timed(_run_command(jobs, report_round), root)
    ran = _ran_stages(root)
    return {
        "seconds": round(seconds, 2), "exit": done.returncode,
        "documents": len(list(folder.glob("*.html"))) + len(list(folder.glob("*.pdf"))),
        "ran": len(ran), "other_stages_ran": [s for s in ran if not s.startswith("lan_")],
        "share_of_cold": round(seconds / max(cold_s - seconds, 1e-9), 3),
    }


# -------------------------------------------------------------------------------- the scale


SCALE_SCRIPT = """
import json, sys, time
from samverkan.intake import clean
from samverkan.results import indicators
from samverkan.results import tables
start = time.perf_counter()
for earlier in range(2010, {round}):
    clean.run(earlier)
result = clean.run({round})
cleaned = time.perf_counter() - start
previous = clean.load_processed({round} - 1)
values = indicators.indicator_values(result, previous)
results = tables.results_tables(result, previous)
print(json.dumps({{"clean_s": cleaned, "clean_results_s": time.perf_counter() - start,
                  "projects": len(result.projects), "tables": len(results),
                  "rejects": len(result.rejects)}}))
"""


def scale_run(root: Path, scale: int, report_round: int) -> dict[str, Any]:
    """Synthesise ``scale`` × the data into a copy, then clean + results in a fresh process
    (measured through a wrapper so that ``RUSAGE_CHILDREN`` sees only that process)."""
    data = root / "data"
    for rel in ("raw", "coding", "processed"):
        shutil.rmtree(data / rel, ignore_errors=True)
    seconds, done = _timed([sys.executable, "-m", "samverkan", "synth", "--scale", str(scale),
                            "--out", str(data)], root)
    if done.returncode != 0:
        raise RuntimeError(f"synth --scale {scale} failed: {done.stderr[-2000:]}")
    wrapper = (
        "import json, resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "out = subprocess.run([sys.executable, '-c', sys.argv[1]], capture_output=True, "
        "text=True)\n"
        "wall = time.perf_counter() - start\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(json.dumps({'rc': out.returncode, 'wall_s': wall, 'peak_kib': peak, "
        "'stdout': out.stdout, 'stderr': out.stderr[-3000:]}))\n"
    )
    _, done = _timed([sys.executable, "-c", wrapper,
                      SCALE_SCRIPT.format(round=report_round)], root)
    measured = json.loads(done.stdout)
    if measured["rc"] != 0:
        raise RuntimeError(f"clean + results at scale {scale} failed: {measured['stderr']}")
    inner = json.loads(measured["stdout"].strip().splitlines()[-1])
    return {
        "scale": scale,
        "synth_s": round(seconds, 2),
        "projects": inner["projects"],
        "clean_s": round(inner["clean_s"], 2),
        "clean_results_s": round(inner["clean_results_s"], 2),
        "process_wall_s": round(measured["wall_s"], 2),
        "peak_mb": round(measured["peak_kib"] / 1024, 1),
    }


# ------------------------------------------------------------------------------------ the run


def by_kind(stage_rows: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Where a run's time went: per kind of stage (``run.json`` rows), how many ran, their
    summed seconds (worker time: on ``jobs`` workers the wall time is less) and the span from
    the first start to the last end."""
    out: dict[str, dict[str, float]] = {}
    for row in stage_rows:
        if row.get("started_s") is None:
            continue
        kind = out.setdefault(row["kind"], {"stages": 0, "seconds": 0.0, "first_start_s": 1e9,
                                            "last_end_s": 0.0})
        kind["stages"] += 1
        kind["seconds"] = round(kind["seconds"] + row["seconds"], 2)
        kind["first_start_s"] = min(kind["first_start_s"], row["started_s"])
        kind["last_end_s"] = round(max(kind["last_end_s"], row["started_s"] + row["seconds"]), 2)
    return dict(sorted(out.items(), key=lambda item: -item[1]["seconds"]))


def bench(jobs: int | None = None, report_round: int = DEFAULT_ROUND,
          scales: tuple[int, ...] = SCALES, county: str = "05") -> dict[str, Any]:
    """Every figure, measured on temporary copies of the project."""
    jobs = jobs or os.cpu_count() or 1
    figures: dict[str, Any] = {"jobs": jobs, "cpu_count": os.cpu_count(),
                               "report_round": report_round,
                               "load_average_before": [round(x, 2) for x in os.getloadavg()]}
    with tempfile.TemporaryDirectory(prefix="samverkan-bench-") as tmp:
        root = copy_project(Path(tmp) / "project")
        figures["floor_s"] = round(floor(root, jobs, report_round), 2)
        figures["floor_shared_kernels_s"] = round(floor(root, jobs, report_round, True), 2)
        seconds, done = _timed(_run_command(jobs, report_round, "--no-cache"), root)
        figures["cold_s"] = round(seconds, 2)
        figures["cold_exit"] = done.returncode
        figures["cold_over_floor"] = round(seconds / figures["floor_s"], 2)
        figures["cold_over_floor_shared_kernels"] = round(
            seconds / figures["floor_shared_kernels_s"], 2)
        figures["cold_stages"] = json.loads(
            (root / paths.GENERATED / "logs" / "run.json").read_text())["stages"]
        figures["cold_by_kind"] = by_kind(figures["cold_stages"])
        seconds, done = _timed(_run_command(jobs, report_round), root)
        figures["no_change_s"] = round(seconds, 2)
        figures["no_change_ran"] = _ran_stages(root)
        figures["county_reports"] = county_reports(root, jobs, report_round, figures["cold_s"])
        changed = correct_one_county(root, report_round, county)
        seconds, done = _timed(_run_command(jobs, report_round), root)
        figures["one_county_changed"] = {
            "file": changed, "seconds": round(seconds, 2), "exit": done.returncode,
            "ran": _ran_stages(root),
        }
        edited = edit_one_chapter(root)
        seconds, done = _timed(_run_command(jobs, report_round), root)
        figures["one_chapter_edited"] = {
            "file": edited, "seconds": round(seconds, 2), "exit": done.returncode,
            "ran": _ran_stages(root),
        }
        figures["scale"] = [scale_run(root, k, report_round) for k in scales]
    figures["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    return figures


