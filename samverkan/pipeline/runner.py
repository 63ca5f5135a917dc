"""``python -m samverkan run``: the whole pipeline, incremental, parallel and fail-soft.

Stage graph (the notebook stages come from ``book.notebook_chapters()``, i.e. ``_quarto.yml``)::

    markdown (generated .md chapters) ───────────────────────────────────────────┐
    01_clean ──► 02_results, 03_audit, 04…07 (parallel) ─────────────────────────┤
             └─► county_01 … county_25 (parallel; a failing county fails alone) ──┴─► render

Every notebook runs through papermill's Python API in a pool of worker processes (``--jobs``,
default: the number of cores), with typed parameters (``report_round`` for all, ``lan_code`` for
the counties), into a temp file that replaces ``report/_generated/<name>.ipynb`` only on success.
Each worker keeps one kernel for the county runs, reset between counties (:func:`_shared_kernel`).

Cache keys (SHA-256 of content, never timestamps), stored in ``report/_generated/.manifest.json``:

- every stage: its notebook's bytes, its parameters, and ``code`` = the package's ``*.py`` and
  ``*.yaml`` plus ``data/reference/``;
- ``01_clean``: + every raw submission (``data/raw/*/``) and coding sheet (``data/coding/``);
- chapters 02–07: + the processed tables they read (``data/processed/<round and the round
  before>/``: projects, allocations, board, rejects, ledger, coding issues), as written by
  ``01_clean`` — every national table can move when any county's row moves;
- ``county_NN``: + the county's own raw files (``data/raw/*/NN-*``) + the digest of what its
  profile is computed from (:func:`samverkan.results.county.profile_digests`: its processed rows,
  ledger,
  rejects and coding issues, its indicator values and ranks, and the national figures it is
  compared with). Another county's correction reruns it only if it moves a national figure or
  this county's rank;
- ``markdown``: code only; ``render``: code + the book's sources (``_quarto.yml``, ``*.qmd``,
  ``report/`` with every executed chapter) + the round's processed folder.

A stage is fresh when its key equals the recorded one and its recorded outputs are still there,
byte for byte. The no-change path imports neither pandas nor papermill.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from samverkan.io import file_mode, write_text
from samverkan.paths import GENERATED, book_dir, generated_dir, project_root
from samverkan.pipeline import cache
from samverkan.registry import county_codes
from samverkan.rounds import DEFAULT_ROUND

CLEAN_NOTEBOOK = "01_clean.ipynb"
COUNTY_NOTEBOOK = "county.ipynb"
KERNEL = "python3"
CELL_TIMEOUT_S = 1800
"""A cell that runs longer than this is stuck: the stage fails instead of hanging the night."""

MARKDOWN_GENERATORS: tuple[tuple[str, str], ...] = (
    ("indikatorer.md", "samverkan.results.indicators:write_indicator_definitions"),
    ("blanketter.md", "samverkan.intake.forms:write_forms_appendix"),
    ("om-berakningen.md", "samverkan.book.technical:write_technical_appendix"),
)
"""Generated markdown chapters: file in report/_generated/ ← ``module:function(path)``."""

RENDER_TARGET = "samverkan.book.render:render_book"
COUNTY_DOC_TARGET = "samverkan.book.county_docs:render_county"
"""Writes one county's own report (``_book/lan/``) from its executed profile."""
COUNTY_DOC_PREFIX = "lan_"

SHARE_KERNELS = True
"""Each worker keeps one kernel for the county runs (see :func:`_shared_kernel`)."""

STATUS_RAN, STATUS_CACHED, STATUS_FAILED = "ran", "cached", "failed"
STATUS_SKIPPED, STATUS_UNSELECTED = "skipped", "not selected"


# ----------------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class Stage:
    """One unit of work: a notebook run (``clean``, ``chapter``, ``county``), the generated
    markdown chapters (``markdown``) or the book (``render``)."""

    name: str
    kind: str
    outputs: tuple[Path, ...]
    source: Path | None = None
    parameters: dict[str, Any] = field(default_factory=dict, compare=False)
    lan_code: str | None = None


@dataclass
class StageResult:
    stage: Stage
    status: str
    seconds: float = 0.0
    message: str = ""
    log: Path | None = None


def logs_dir() -> Path:
    return generated_dir() / "logs"


def manifest_path() -> Path:
    return generated_dir() / ".manifest.json"


def _rel(path: Path) -> str:
    try:
        return path.resolve().relative_to(project_root().resolve()).as_posix()
    except ValueError:
        return str(path)


def _abs(path: str | Path) -> Path:
    path = Path(path)
    return path if path.is_absolute() else project_root() / path


def validate_counties(values: Iterable[str]) -> list[str]:
    """County codes for ``--county`` values (codes or any registered name). Raises
    :class:`samverkan.registry.UnknownCountyError` (a ValueError) for anything else, a
    path-like value included — before any kernel starts."""
    from samverkan.registry import county_code

    return sorted({county_code(v) for v in values})


def notebook_chapters(manifest: cache.Manifest, code: str) -> list[tuple[str, str, dict]]:
    """``book.notebook_chapters()`` as (generated, source, parameters) with paths relative to
    the root; memoised in the manifest by the digest of ``_quarto.yml`` and the code, so the
    no-change path does not import the renderer."""
    quarto = project_root() / "_quarto.yml"
    key = cache.text_digest(cache.file_digest(quarto), code)
    memo = manifest.get("_chapters")
    if memo.get("key") == key:
        return [(g, s, dict(p)) for g, s, p in memo["chapters"]]
    from samverkan.book.chapters import notebook_chapters as from_book

    chapters = [(_rel(_abs(g)), _rel(_abs(s)), dict(p or {})) for g, s, p in from_book()]
    manifest.set("_chapters", {"key": key, "chapters": chapters})
    return chapters


def county_documents(manifest: cache.Manifest, code: str) -> dict[str, list[str]]:
    """Each county's own report, ``{lan_code: [html, pdf]}`` relative to the root
    (:func:`samverkan.book.county_docs.document_paths`); memoised like
    :func:`notebook_chapters`, so the no-change path does not import the registry."""
    quarto = project_root() / "_quarto.yml"
    key = cache.text_digest(cache.file_digest(quarto), code)
    memo = manifest.get("_county_documents")
    if memo.get("key") == key:
        return dict(memo["documents"])
    from samverkan.book import county_docs

    documents = {
        lan: [_rel(p) for p in county_docs.document_paths(lan)]
        for lan in county_docs.county_chapters()
    }
    manifest.set("_county_documents", {"key": key, "documents": documents})
    return documents


def plan(
    chapters: Sequence[tuple[str, str, dict]], report_round: int,
    documents: dict[str, list[str]] | None = None,
) -> list[Stage]:
    """The stages, in run order: clean, the other chapters, the counties, markdown, render, and
    each county's own report (``documents``: :func:`county_documents`)."""
    known = set(county_codes())
    stages: list[Stage] = []
    for generated, source, params in chapters:
        src = _abs(source)
        parameters = {**params, "report_round": report_round}
        lan_code = None
        if src.name == CLEAN_NOTEBOOK:
            kind = "clean"
        elif src.name == COUNTY_NOTEBOOK:
            kind = "county"
            lan_code = str(params.get("lan_code", ""))
            if lan_code not in known:
                raise ValueError(
                    f"_quarto.yml: county chapter {generated} has lan_code {lan_code!r}, not an "
                    "SCB county code from data/reference/counties.csv."
                )
        else:
            kind = "chapter"
        stages.append(Stage(Path(generated).stem, kind, (_abs(generated),), src, parameters,
                            lan_code))
    order = {"clean": 0, "chapter": 1, "county": 2}
    stages.sort(key=lambda s: order[s.kind])
    if [s.kind for s in stages].count("clean") != 1:
        raise ValueError(f"_quarto.yml must hold exactly one chapter from {CLEAN_NOTEBOOK}")
    gen = generated_dir()
    stages.append(Stage("markdown", "markdown", tuple(gen / f for f, _ in MARKDOWN_GENERATORS)))
    stages.append(Stage("render", "render", (book_dir(),)))
    for county in [s for s in stages if s.kind == "county"]:
        if county.lan_code in (documents or {}):
            outputs = tuple(_abs(p) for p in (documents or {})[county.lan_code])
            stages.append(Stage(f"{COUNTY_DOC_PREFIX}{county.lan_code}", "countydoc", outputs,
                                lan_code=county.lan_code))
    return stages


# ------------------------------------------------------------------------------ fingerprints


class Fingerprints:
    """Content digests of the inputs, each computed at most once per run."""

    def __init__(self, root: Path, report_round: int) -> None:
        self.root = root
        self.report_round = report_round
        self._memo: dict[str, Any] = {}

    def _once(self, name: str, compute: Callable[[], Any]) -> Any:
        if name not in self._memo:
            self._memo[name] = compute()
        return self._memo[name]

    @property
    def code(self) -> str:
        """The package's code and data files plus data/reference/."""
        def compute() -> str:
            files = cache.tree_files(self.root / "samverkan", suffixes=(".py", ".yaml", ".yml"))
            files += cache.tree_files(self.root / "data" / "reference")
            return cache.combine(cache.files_digests(files, self.root))

        return self._once("code", compute)

    @property
    def raw(self) -> dict[str, str]:
        """Every raw submission and coding sheet: {relative path: sha256}."""
        def compute() -> dict[str, str]:
            data = self.root / "data"
            files = [p for p in cache.tree_files(data / "raw") if p.parent != data / "raw"]
            files += cache.tree_files(data / "coding")
            return cache.files_digests(files, self.root)

        return self._once("raw", compute)

    @property
    def raw_records(self) -> str:
        """The files beside the rounds' folders in ``data/raw/``: the generator's record of
        what it wrote (samverkan.provenance), which says whose files a county's are."""
        def compute() -> str:
            raw = self.root / "data" / "raw"
            files = sorted(p for p in raw.iterdir() if p.is_file()) if raw.is_dir() else []
            return cache.combine(cache.files_digests(files, self.root))

        return self._once("raw_records", compute)

    def county_raw(self, lan_code: str) -> str:
        """The county's own submissions (``data/raw/<round>/<lan_code>-*``), all rounds."""
        own = {
            rel: d for rel, d in self.raw.items()
            if rel.startswith("data/raw/") and Path(rel).name.startswith(f"{lan_code}-")
        }
        return cache.combine(own)

    def notebook(self, path: Path) -> str:
        return self._once(f"nb:{path}", lambda: cache.file_digest(path))

    @property
    def book_assets(self) -> str:
        """What every rendered document reads besides its chapters: ``_quarto.yml`` (titles,
        settings) and ``report/assets/`` (templates, styles, filters)."""
        def compute() -> str:
            files = [self.root / "_quarto.yml", *cache.tree_files(self.root / "report" / "assets")]
            return cache.combine(cache.files_digests(files, self.root))

        return self._once("book_assets", compute)

    def book_sources(self) -> str:
        """What the renderer reads besides the code: _quarto.yml and the other root-level
        sources, the report/ folder (executed chapters included; logs and the manifest not) and
        the round's processed tables. Not memoised: the render key is taken again after the
        render, so that what the render itself writes there (the cover note) counts as read."""
        root_files = [
            p for p in sorted(self.root.iterdir())
            if p.is_file() and not p.name.startswith(".")
            and p.suffix in {".yml", ".yaml", ".qmd", ".bib", ".csl", ".css", ".typ"}
        ]
        report = [
            p for p in cache.tree_files(self.root / "report")
            if "logs" not in p.relative_to(self.root / "report").parts
        ]
        processed = cache.tree_files(
            self.root / "data" / "processed" / str(self.report_round), exclude=("logs",)
        )
        return cache.combine(cache.files_digests(root_files + report + processed, self.root))


def clean_output_files(report_round: int) -> list[Path]:
    """The processed files the later stages read (``clean.read_processed``): those of the round
    and of the rounds before it (a round links to the one before)."""
    from samverkan.intake import clean
    from samverkan.paths import processed_dir
    from samverkan.rounds import ROUNDS

    names = (*clean.OUTPUTS, "board.parquet")
    return [
        processed_dir(r) / name
        for r in ROUNDS if r <= report_round
        for name in names if (processed_dir(r) / name).is_file()
    ]


def county_data_digests(report_round: int, codes: Sequence[str]) -> dict[str, str]:
    """Digest of the data each county's profile shows (see :mod:`samverkan.results.county`).
    A county whose data cannot be read gets a digest of the error, so its stage runs and fails
    loudly."""
    from samverkan.results.county import profile_digests

    return profile_digests(report_round, codes)


# -------------------------------------------------------------------------- worker processes


def _init_worker(root: str) -> None:
    """Kernels inherit this environment: the same project root, the project's package first."""
    if root not in sys.path:
        sys.path.insert(1, root)
    os.environ["SAMVERKAN_ROOT"] = root
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (root, os.environ.get("PYTHONPATH", "")) if p
    )
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _error_text(exc: BaseException) -> tuple[str, str]:
    """(one-line message, full text for the log)."""
    ename = getattr(exc, "ename", None)
    if ename is not None:
        evalue = _ANSI.sub("", str(getattr(exc, "evalue", "")))
        line = f"{ename}: {evalue}".strip()
        return line.splitlines()[0] if line else ename, _ANSI.sub("", str(exc))
    text = "".join(traceback.format_exception(exc))
    return f"{type(exc).__name__}: {exc}".splitlines()[0], text


def _call(target: str, *args: Any) -> Any:
    module, _, func = target.partition(":")
    import importlib

    return getattr(importlib.import_module(module), func)(*args)


def work(task: dict[str, Any]) -> dict[str, Any]:
    """Run one task in a worker: a notebook through papermill (``task["source"]``) or a
    function (``task["call"]``). Everything the task prints, its kernel's too, goes to its log.
    Returns status, seconds, message. Never raises."""
    start = time.perf_counter()
    log = Path(task["log"])
    log.parent.mkdir(parents=True, exist_ok=True)
    status, message = STATUS_RAN, ""
    with open(log, "w", encoding="utf-8") as fh:
        fh.write(f"stage: {task['name']}\nparameters: {task.get('parameters', {})}\n")
        fh.write(f"started: {time.strftime('%Y-%m-%d %H:%M:%S')}\n\n")
        fh.flush()
        sys.stdout.flush()
        sys.stderr.flush()
        saved = os.dup(1), os.dup(2)
        os.dup2(fh.fileno(), 1)
        os.dup2(fh.fileno(), 2)
        try:
            if "source" in task:
                _run_notebook(task)
            elif "county_doc" in task:
                target, lan_code = task["county_doc"]
                for warning in _call(target, lan_code).warnings:
                    print(f"warning: {warning}")
            else:
                for target, arg in task["call"]:
                    result = _call(target, *([Path(arg)] if arg else []))
                    for warning in getattr(result, "warnings", None) or []:
                        print(f"warning: {warning}")
        except BaseException as exc:  # noqa: BLE001 - fail-soft: the parent reports it
            if isinstance(exc, KeyboardInterrupt):
                raise
            status = STATUS_FAILED
            message, full = _error_text(exc)
            sys.stdout.flush()
            print(f"\nFAILED: {full}", file=sys.stderr)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
        seconds = time.perf_counter() - start
        fh.write(f"\n{status} after {seconds:.1f} s\n")
    return {"name": task["name"], "status": status, "seconds": seconds, "message": message}


_SHARED: dict[str, Any] = {}
"""This worker's kept kernel: ``km``, ``source`` (the notebook it runs), ``err`` (its log)."""

_RESET = """\
get_ipython().reset(new_session=True)
import os as _os, sys as _sys
_os.chdir({root!r})
if "matplotlib.pyplot" in _sys.modules:
    _sys.modules["matplotlib.pyplot"].close("all")
del _os, _sys
"""


def _stop_shared_kernel() -> None:
    km, err = _SHARED.pop("km", None), _SHARED.pop("err", None)
    _SHARED.pop("source", None)
    if km is not None:
        km.shutdown_kernel(now=True)
    if err is not None:
        err.close()


def _shared_kernel(source: str, root: str) -> Any:
    """A kernel this worker keeps for successive runs of the same notebook (the county
    profiles: one notebook, 21 parameter sets), so kernel start and imports are paid once per
    worker, not once per county. Before each reuse the namespace, the execution count, open
    figures and the working directory are reset; a kernel that failed a run is not reused.
    Different notebooks never share a kernel, so a run cannot depend on what ran before it."""
    from multiprocessing.util import Finalize

    from jupyter_client.manager import KernelManager

    km = _SHARED.get("km")
    if km is not None and (_SHARED.get("source") != source or not km.is_alive()):
        _stop_shared_kernel()
        km = None
    if km is not None:
        # a client of its own for each reset: one kept across papermill runs stops getting
        # replies once papermill's client has used the kernel
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=60)
            reply = kc.execute_interactive(
                _RESET.format(root=root), store_history=False, timeout=60,
                output_hook=lambda _msg: None,
            )
        finally:
            kc.stop_channels()
        if reply["content"]["status"] == "ok":
            return km
        _stop_shared_kernel()
    logs = Path(root) / GENERATED / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    err = open(logs / "kernels.log", "a", encoding="utf-8")  # noqa: SIM115 - kept open
    km = KernelManager(kernel_name=KERNEL)
    km.start_kernel(cwd=root, stdout=err, stderr=err)
    if not _SHARED.get("finalizer"):
        _SHARED["finalizer"] = Finalize(None, _stop_shared_kernel, exitpriority=10)
    _SHARED.update(km=km, source=source, err=err)
    return km


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill_cell_options(nb: dict[str, Any], parameters: dict[str, Any]) -> bool:
    """Replace ``{name}`` by the parameter's value in what Quarto reads before any code runs:
    the cell options (the leading ``#|`` lines) of every code cell and the headings of every
    Markdown cell, in place. A county notebook's ``#| label: tbl-x-{lan_code}`` becomes
    ``tbl-x-05`` (labels unique across the book) and its title ``# {lan_name}
    {#sec-lan-{lan_code}}`` the county's name, which Quarto's sidebar shows. True when anything
    changed."""
    changed = False
    for cell in nb.get("cells", []):
        kind = cell.get("cell_type")
        if kind not in ("code", "markdown"):
            continue
        source = cell.get("source", "")
        lines = ("".join(source) if isinstance(source, list) else source).split("\n")
        cell_changed = False
        for i, line in enumerate(lines):
            if kind == "code" and not line.lstrip().startswith("#|"):
                break
            if kind == "markdown" and not line.startswith("#"):
                continue
            filled = _PLACEHOLDER.sub(
                lambda m: str(parameters[m.group(1)]) if m.group(1) in parameters
                else m.group(0),
                line,
            )
            if filled != line:
                lines[i], cell_changed = filled, True
        if cell_changed:
            cell["source"] = "\n".join(lines)
            changed = True
    return changed


def placeholders(parameters: dict[str, Any]) -> dict[str, Any]:
    """The values ``fill_cell_options`` fills in: the papermill parameters, and for a county
    chapter the county's name (``lan_name``, "Stockholms län") from the registry."""
    values = dict(parameters)
    if "lan_code" in values:
        from samverkan.registry import county_name

        values["lan_name"] = county_name(str(values["lan_code"]))
    return values


def _run_notebook(task: dict[str, Any]) -> None:
    """Execute into a temp file beside the output; os.replace onto it only on success. A
    failed notebook is kept as ``logs/<name>.failed.ipynb`` and the stale output removed, so
    the book never shows last night's figures under tonight's date."""
    import json

    import papermill

    source, output = Path(task["source"]), Path(task["output"])
    output.parent.mkdir(parents=True, exist_ok=True)
    # papermill wants an .ipynb name, so not samverkan.io.atomic_path (which ends in .tmp)
    fd, tmp = tempfile.mkstemp(prefix=f".{output.stem}.", suffix=".ipynb", dir=output.parent)
    os.fchmod(fd, file_mode())  # the user's umask, not mkstemp's owner-only mode
    os.close(fd)
    try:
        nb = json.loads(source.read_text(encoding="utf-8"))
        prepared = fill_cell_options(nb, placeholders(task["parameters"]))
        if prepared:
            Path(tmp).write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
        shared = {"km": _shared_kernel(str(source), task["root"])} if task.get("shared") else {}
        try:
            papermill.execute_notebook(
                tmp if prepared else str(source),
                tmp,
                parameters=task["parameters"],
                kernel_name=KERNEL,
                cwd=task["root"],
                progress_bar=False,
                log_output=False,
                execution_timeout=CELL_TIMEOUT_S,
                **shared,
            )
        except BaseException:
            if shared:
                _stop_shared_kernel()
            raise
        if prepared:  # say where it came from, not the temp file
            done = json.loads(Path(tmp).read_text(encoding="utf-8"))
            done["metadata"].get("papermill", {})["input_path"] = str(source)
            Path(tmp).write_text(json.dumps(done, indent=1, ensure_ascii=False) + "\n",
                                 encoding="utf-8")
        os.replace(tmp, output)
    except BaseException:
        failed = Path(task["log"]).with_suffix(".failed.ipynb")
        if os.path.getsize(tmp):
            os.replace(tmp, failed)
        output.unlink(missing_ok=True)
        raise
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class Pool:
    """Tasks on ``jobs`` worker processes; results are handed to ``on_done`` as they finish."""

    def __init__(self, jobs: int, root: Path, on_done: Callable[[dict[str, Any]], None]) -> None:
        self.jobs = jobs
        self.root = root
        self.on_done = on_done
        self._executor: Any = None
        self._pending: dict[Any, str] = {}

    def submit(self, task: dict[str, Any]) -> None:
        if self._executor is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            (self.root / GENERATED / "logs" / "kernels.log").unlink(missing_ok=True)

            self._executor = ProcessPoolExecutor(
                max_workers=self.jobs,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
                initargs=(str(self.root),),
            )
        self._pending[self._executor.submit(work, task)] = task["name"]

    def wait(self, names: Iterable[str] | None = None) -> None:
        """Until the named tasks (default: all submitted) are done."""
        from concurrent.futures import FIRST_COMPLETED
        from concurrent.futures import wait as wait_futures

        wanted = set(self._pending.values()) if names is None else set(names)
        while wanted & set(self._pending.values()):
            done, _ = wait_futures(list(self._pending), return_when=FIRST_COMPLETED)
            for future in done:
                name = self._pending.pop(future)
                try:
                    result = future.result()
                except BaseException as exc:  # noqa: BLE001 - a worker died: report, go on
                    message, _ = _error_text(exc)
                    result = {"name": name, "status": STATUS_FAILED, "seconds": 0.0,
                              "message": f"worker process failed: {message}"}
                self.on_done(result)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)


# ---------------------------------------------------------------------------------- the run


class Progress:
    """A tqdm bar on a terminal; one line per finished stage otherwise (cron, CI logs)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.total = 0
        self.done = 0
        self._bar: Any = None
        if enabled and sys.stderr.isatty():
            from tqdm import tqdm

            self._bar = tqdm(total=0, unit="stage", file=sys.stderr, dynamic_ncols=True)

    def add(self, n: int) -> None:
        self.total += n
        if self._bar is not None:
            self._bar.total = self.total
            self._bar.refresh()

    def finished(self, result: StageResult) -> None:
        self.done += 1
        if self._bar is not None:
            self._bar.set_postfix_str(f"{result.stage.name} {result.status}", refresh=False)
            self._bar.update(1)
        elif self.enabled:
            print(
                f"[{self.done}/{self.total}] {result.stage.name}: {result.status} "
                f"({result.seconds:.1f} s){' — ' + result.message if result.message else ''}",
                file=sys.stderr,
                flush=True,
            )

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


class Run:
    """One ``run``: decides what is stale, runs it, records it."""

    def __init__(
        self,
        report_round: int,
        jobs: int,
        counties: Sequence[str] | None,
        use_cache: bool,
        progress: bool,
    ) -> None:
        self.root = project_root()
        self.report_round = report_round
        self.use_cache = use_cache
        self.manifest = cache.Manifest.load(manifest_path())
        self.fp = Fingerprints(self.root, report_round)
        self.stages = plan(
            notebook_chapters(self.manifest, self.fp.code), report_round,
            county_documents(self.manifest, self.fp.code),
        )
        self.selected = set(counties) if counties is not None else None
        self.results: dict[str, StageResult] = {}
        self.keys: dict[str, str] = {}
        self.progress = Progress(progress)
        self.pool = Pool(jobs, self.root, self._done)
        self._started: dict[str, float] = {}
        self._pending_record: dict[str, Callable[[], dict[str, Any]]] = {}

    # -- keys ------------------------------------------------------------------------------

    def _base(self, stage: Stage) -> list[Any]:
        nb = self.fp.notebook(stage.source) if stage.source else ""
        return [stage.kind, stage.name, nb, stage.parameters, self.fp.code]

    def _fresh(self, stage: Stage, key: str) -> bool:
        entry = self.manifest.get(stage.name)
        return (
            self.use_cache
            and entry.get("key") == key
            and cache.outputs_unchanged(entry.get("outputs", {}), self.root)
        )

    def _outputs_of(self, stage: Stage) -> dict[str, str]:
        files: list[Path] = []
        # the book's folder holds the county reports (_book/lan/): their stages' outputs
        exclude = (
            {s.outputs[0].parent.name for s in self.stages if s.kind == "countydoc"}
            if stage.kind == "render" else set()
        )
        for out in stage.outputs:
            files += (cache.tree_files(out, exclude=exclude) if out.is_dir()
                      else [out] if out.is_file() else [])
        return cache.files_digests(files, self.root)

    def _record(self, stage: Stage, extra: dict[str, str] | None = None) -> None:
        outputs = self._outputs_of(stage)
        outputs.update(extra or {})
        self.manifest.set(stage.name, {"key": self.keys[stage.name], "outputs": outputs})

    # -- results ---------------------------------------------------------------------------

    def _set(self, stage: Stage, status: str, seconds: float = 0.0, message: str = "") -> None:
        log = logs_dir() / f"{stage.name}.log" if status in (STATUS_RAN, STATUS_FAILED) else None
        result = StageResult(stage, status, seconds, message, log)
        self.results[stage.name] = result
        if status in (STATUS_RAN, STATUS_FAILED):
            self.progress.finished(result)

    def _done(self, outcome: dict[str, Any]) -> None:
        stage = next(s for s in self.stages if s.name == outcome["name"])
        if outcome["status"] == STATUS_RAN:
            record = self._pending_record.pop(stage.name, None)
            extra = record() if record else None
            self._record(stage, extra)
        else:
            self.manifest.drop(stage.name)
        self.manifest.save()
        self._set(stage, outcome["status"], outcome["seconds"], outcome["message"])

    def _task(self, stage: Stage) -> dict[str, Any]:
        task: dict[str, Any] = {
            "name": stage.name,
            "root": str(self.root),
            "log": str(logs_dir() / f"{stage.name}.log"),
            "parameters": stage.parameters,
        }
        if stage.kind == "markdown":
            task["call"] = [(target, str(out)) for (_, target), out in
                            zip(MARKDOWN_GENERATORS, stage.outputs, strict=True)]
        elif stage.kind == "render":
            task["call"] = [(RENDER_TARGET, "")]
        elif stage.kind == "countydoc":
            task["county_doc"] = (COUNTY_DOC_TARGET, stage.lan_code)
        else:
            task["source"] = str(stage.source)
            task["output"] = str(stage.outputs[0])
            task["shared"] = stage.kind == "county" and SHARE_KERNELS
        return task

    def _start(self, stage: Stage) -> None:
        self.progress.add(1)
        self.pool.submit(self._task(stage))

    def _skip_all(self, stages: Iterable[Stage], why: str) -> None:
        for stage in stages:
            self._set(stage, STATUS_SKIPPED, message=why)

    # -- the graph -------------------------------------------------------------------------

    def execute(self) -> list[StageResult]:
        by_kind: dict[str, list[Stage]] = {}
        for stage in self.stages:
            by_kind.setdefault(stage.kind, []).append(stage)
        clean = by_kind["clean"][0]
        markdown = by_kind["markdown"][0]
        render = by_kind["render"][0]
        try:
            self._run_markdown(markdown)
            clean_outputs = self._run_clean(clean)
            if clean_outputs is None:
                why = f"{clean.name} failed"
                self._skip_all(by_kind.get("chapter", []) + by_kind.get("county", []), why)
            else:
                self._run_chapters(by_kind.get("chapter", []), clean_outputs)
                self._run_counties(by_kind.get("county", []), clean_outputs)
            self.pool.wait()
            self._run_render(render)
            if shutil.which("quarto"):  # Quarto empties _book/ before it renders the book
                self.pool.wait([render.name])
            self._run_county_docs(by_kind.get("countydoc", []))
            self.pool.wait()
        finally:
            self.pool.close()
            self.progress.close()
            self.manifest.save()
        return [self.results[s.name] for s in self.stages]

    def _run_clean(self, stage: Stage) -> str | None:
        """Run (or reuse) the clean stage; the digest of the files it wrote, None on failure."""
        key = cache.text_digest(*self._base(stage), self.fp.raw)
        self.keys[stage.name] = key
        if self._fresh(stage, key):
            self._set(stage, STATUS_CACHED)
            return self._processed_digest(self.manifest.get(stage.name)["outputs"])
        def written() -> dict[str, str]:
            return cache.files_digests(clean_output_files(self.report_round), self.root)

        self._pending_record[stage.name] = written
        self._start(stage)
        self.pool.wait([stage.name])
        if self.results[stage.name].status != STATUS_RAN:
            return None
        return self._processed_digest(self.manifest.get(stage.name)["outputs"])

    @staticmethod
    def _processed_digest(outputs: dict[str, str]) -> str:
        return cache.combine({k: v for k, v in outputs.items() if k.startswith("data/")})

    def _run_markdown(self, stage: Stage) -> None:
        key = cache.text_digest(*self._base(stage), MARKDOWN_GENERATORS)
        self.keys[stage.name] = key
        if self._fresh(stage, key):
            self._set(stage, STATUS_CACHED)
        else:
            self._start(stage)

    def _run_chapters(self, stages: Sequence[Stage], clean_outputs: str) -> None:
        for stage in stages:
            key = cache.text_digest(*self._base(stage), clean_outputs)
            self.keys[stage.name] = key
            if self._fresh(stage, key):
                self._set(stage, STATUS_CACHED)
            else:
                self._start(stage)

    def _county_digests(self, stages: Sequence[Stage], clean_outputs: str) -> dict[str, str]:
        """Per-county data digests, memoised by the clean outputs and the code they come from."""
        memo_key = cache.text_digest(clean_outputs, self.fp.code, self.report_round)
        memo = self.manifest.get("_county_data")
        codes = [s.lan_code for s in stages if s.lan_code]
        if memo.get("key") == memo_key and set(codes) <= set(memo.get("digests", {})):
            return memo["digests"]
        try:
            digests = county_data_digests(self.report_round, codes)
        except Exception as exc:  # noqa: BLE001 - every county then reruns and reports it
            message, _ = _error_text(exc)
            digests = {code: cache.text_digest("error", message) for code in codes}
        else:
            self.manifest.set("_county_data", {"key": memo_key, "digests": digests})
        return digests

    def _run_counties(self, stages: Sequence[Stage], clean_outputs: str) -> None:
        if not stages:
            return
        digests = self._county_digests(stages, clean_outputs)
        for stage in stages:
            code = stage.lan_code or ""
            key = cache.text_digest(
                *self._base(stage), self.fp.county_raw(code), digests.get(code, "")
            )
            self.keys[stage.name] = key
            if self._fresh(stage, key):
                self._set(stage, STATUS_CACHED)
            elif self.selected is not None and code not in self.selected:
                self._set(stage, STATUS_UNSELECTED, message="stale; not in --county")
            else:
                self._start(stage)

    def _run_render(self, stage: Stage) -> None:
        not_ready = [
            r.stage.name for r in self.results.values()
            if r.status not in (STATUS_RAN, STATUS_CACHED)
        ]
        if not_ready:
            shown = ", ".join(not_ready[:5]) + (" …" if len(not_ready) > 5 else "")
            self._set(stage, STATUS_SKIPPED, message=f"chapters not up to date: {shown}")
            return
        def render_key() -> str:
            return cache.text_digest(*self._base(stage), RENDER_TARGET, self.fp.book_sources())

        self.keys[stage.name] = render_key()
        if self._fresh(stage, self.keys[stage.name]):
            self._set(stage, STATUS_CACHED)
            return

        def after_render() -> dict[str, str]:
            self.keys[stage.name] = render_key()
            return {}

        self._pending_record[stage.name] = after_render
        self._start(stage)


    def _run_county_docs(self, stages: Sequence[Stage]) -> None:
        """Each county's own report, once its profile is up to date: rendered again only when
        what it shows changed (the profile's cells, not papermill's timestamps), or the
        templates, the code or the county's files did."""
        for stage in stages:
            profile = self.results.get(f"county_{stage.lan_code}")
            if profile is None or profile.status not in (STATUS_RAN, STATUS_CACHED):
                status = profile.status if profile else "missing"
                if status == STATUS_UNSELECTED:
                    self._set(stage, STATUS_UNSELECTED, message="stale; not in --county")
                else:
                    self._set(stage, STATUS_SKIPPED, message=f"county_{stage.lan_code} {status}")
                continue
            key = cache.text_digest(
                *self._base(stage), COUNTY_DOC_TARGET, self._profile_cells(profile.stage),
                self.fp.book_assets, self.fp.county_raw(stage.lan_code or ""),
                self.fp.raw_records,
            )
            self.keys[stage.name] = key
            if self._fresh(stage, key):
                self._set(stage, STATUS_CACHED)
            elif self.selected is not None and stage.lan_code not in self.selected:
                self._set(stage, STATUS_UNSELECTED, message="stale; not in --county")
            else:
                self._start(stage)

    def _profile_cells(self, stage: Stage) -> str:
        """Digest of an executed notebook's cells (sources and outputs) without its metadata,
        which papermill stamps with the run's times; memoised by the file's digest."""
        path = stage.outputs[0]
        file = cache.file_digest(path)
        memo = dict(self.manifest.get("_cells"))
        if memo.get(stage.name, [None])[0] != file:
            import json

            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
            memo[stage.name] = [file, cache.text_digest(
                [[c.get("cell_type"), c.get("source"), c.get("outputs")] for c in cells]
            )]
            self.manifest.set("_cells", memo)
        return memo[stage.name][1]


def run(
    report_round: int = DEFAULT_ROUND,
    jobs: int | None = None,
    counties: Sequence[str] | None = None,
    use_cache: bool = True,
    progress: bool = True,
) -> list[StageResult]:
    """Run the pipeline; one result per stage, in run order. ``counties`` (codes or names) limits
    the county runs; they are validated before anything starts (ValueError)."""
    selected = validate_counties(counties) if counties else None
    jobs = max(1, jobs or os.cpu_count() or 1)
    with _run_lock():
        return Run(report_round, jobs, selected, use_cache, progress).execute()


class RunInProgress(RuntimeError):
    """Another ``run`` holds the project's run lock."""


@contextmanager
def _run_lock() -> Iterator[None]:
    """One run per project at a time: two would write the same outputs and manifest."""
    import fcntl

    path = generated_dir() / ".run.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunInProgress(
                f"another run of this project is in progress (it holds {_rel(path)}); "
                "wait for it to finish"
            ) from None
        yield


# ----------------------------------------------------------------------------------- summary


def summary(results: Sequence[StageResult]) -> str:
    """The end-of-run table (stage, county, status, seconds, output) and each failure's message
    with its log."""
    rows = [("stage", "county", "status", "seconds", "output")]
    for r in results:
        shown = r.log if r.status == STATUS_FAILED else r.stage.outputs[0]
        if r.stage.kind == "markdown":
            shown = r.stage.outputs[0].parent
        rows.append((r.stage.name, r.stage.lan_code or "", r.status, f"{r.seconds:.1f}",
                     _rel(shown) if shown else ""))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = ["  ".join(cell.ljust(w) if i != 3 else cell.rjust(w)
                       for i, (cell, w) in enumerate(zip(row, widths, strict=True))).rstrip()
             for row in rows]
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    lines.append("")
    lines.append(", ".join(f"{n} {status}" for status, n in counts.items()))
    for r in (r for r in results if r.status in (STATUS_FAILED, STATUS_SKIPPED)):
        where = f" (log: {_rel(r.log)})" if r.log else ""
        lines.append(f"{r.status.upper()} {r.stage.name}: {r.message}{where}")
    unselected = [r.stage.lan_code or r.stage.name for r in results
                  if r.status == STATUS_UNSELECTED]
    if unselected:
        lines.append(f"NOT SELECTED (out of date, not in --county): {', '.join(unselected)}")
    return "\n".join(lines)


def failed(results: Sequence[StageResult]) -> bool:
    """True when a stage failed, or was skipped because something upstream failed."""
    return any(r.status == STATUS_FAILED for r in results)


def write_run_logs(results: Sequence[StageResult], report_round: int, text: str) -> None:
    """``logs/run.log`` (the summary as printed) and ``logs/run.json`` (the same for machines:
    CI annotations, the benchmark), replaced at every run."""
    import json

    logs_dir().mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    write_text(logs_dir() / "run.log",
               f"samverkan run --round {report_round} ({stamp})\n\n{text}\n")
    stages = [
        {"stage": r.stage.name, "county": r.stage.lan_code, "status": r.status,
         "seconds": round(r.seconds, 2), "output": _rel(r.stage.outputs[0]),
         "message": r.message, "log": _rel(r.log) if r.log else None}
        for r in results
    ]
    payload = {"round": report_round, "finished": stamp, "failed": failed(results),
               "stages": stages}
    write_text(logs_dir() / "run.json", json.dumps(payload, indent=1, ensure_ascii=False) + "\n")


def main(args: argparse.Namespace) -> int:
    """``python -m samverkan run``: exit 0 when no stage failed, 1 when any stage failed, 2 when
    nothing was started (a bad argument, or another run of the project in progress)."""
    try:
        results = run(
            report_round=args.round,
            jobs=args.jobs,
            counties=args.county,
            use_cache=not args.no_cache,
        )
    except (ValueError, RunInProgress) as exc:
        print(f"samverkan run: {exc}", file=sys.stderr)
        return 2
    text = summary(results)
    print(text)
    try:
        write_run_logs(results, args.round, text)
    except OSError as exc:
        print(f"samverkan run: could not write the run logs: {exc}", file=sys.stderr)
    return 1 if failed(results) else 0
