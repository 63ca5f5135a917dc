"""``python -m samverkan run``: the stage table (:mod:`samverkan.pipeline.stages`), run
incrementally, in parallel and fail-soft.

The runner alone decides what is stale. For every stage it hashes the files its input globs
match (SHA-256 of content, never timestamps; the package's code is an input of every stage) and
records, in ``report/_generated/.manifest.json``, the key, the input digests and the digests of
the outputs it wrote. A stage is up to date when its key is the recorded one and its recorded
outputs are still there, byte for byte: deleting ``data/processed/2011/tables/`` reruns the
stage that writes it, and only the stages that read what changed run after it. Notebooks check
the same record before they read anything (:mod:`samverkan.pipeline.artefacts`).

A stage is ready as soon as every stage that writes what it reads has finished; a free worker of
the pool (``--jobs``, default: the cores) takes the ready stage with the longest chain of work
still behind it (each stage's seconds from its last run, or :data:`TYPICAL_SECONDS`), so the book's
render is never queued behind the county reports. A failed
stage fails alone; what reads its outputs is skipped, and the book is not rendered until every
chapter is up to date. SIGTERM or SIGINT stops the run: nothing new starts, every worker and
kernel is shut down, the stages that did not finish are recorded as ``interrupted`` (and rerun
next time), the summary and run logs are written and the lock released.

The no-change path imports neither pandas nor papermill.
"""

from __future__ import annotations

import os
import shutil
import signal
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from samverkan.paths import generated_dir, project_root
from samverkan.pipeline import cache, stages
from samverkan.pipeline.changes import ChangeReport
from samverkan.pipeline.lock import project_lock
from samverkan.pipeline.losses import CountyLoss, losses, losses_text
from samverkan.pipeline.report import (
    STATUS_CACHED,
    STATUS_FAILED,
    STATUS_INTERRUPTED,
    STATUS_RAN,
    STATUS_SKIPPED,
    STATUS_UNSELECTED,
    Progress,
    StageResult,
    logs_dir,
    summary,
    write_run_logs,
)
from samverkan.pipeline.stages import Stage
from samverkan.registry import county_codes
from samverkan.rounds import DEFAULT_ROUND

OK = (STATUS_RAN, STATUS_CACHED)
WARM = "kernel_warm_up"
"""The pool task that starts an idle worker's kernel ahead of its first notebook."""


def manifest_path() -> Path:
    return generated_dir() / ".manifest.json"


def validate_counties(values: Iterable[str]) -> list[str]:
    """County codes for ``--county`` values (codes or any registered name). Raises
    :class:`samverkan.registry.UnknownCountyError` (a ValueError) for anything else, a
    path-like value included — before any kernel starts."""
    from samverkan.registry import county_code

    return sorted({county_code(v) for v in values})


def notebook_chapters(manifest: cache.Manifest, root: Path) -> list[tuple[str, str, dict]]:
    """``book.notebook_chapters()`` as (generated, source, parameters) relative to the root;
    memoised in the manifest by the digests of ``_quarto.yml`` and the chapter-list code, so the
    no-change path does not import the book's modules."""
    key = cache.text_digest(cache.file_digest(root / "_quarto.yml"),
                            cache.file_digest(Path(__file__).parents[1] / "book" / "chapters.py"))
    memo = manifest.get("_chapters")
    if memo.get("key") == key:
        return [(g, s, dict(p)) for g, s, p in memo["chapters"]]
    from samverkan.book.chapters import notebook_chapters as from_book

    def relative(path: Path) -> str:
        return path.resolve().relative_to(root.resolve()).as_posix()

    chapters = [(relative(g), relative(s), dict(p or {})) for g, s, p in from_book(root)]
    manifest.set("_chapters", {"key": key, "chapters": chapters})
    return chapters


def county_documents(manifest: cache.Manifest, root: Path, report_round: int = DEFAULT_ROUND
                     ) -> dict[str, tuple[str, ...]]:
    """Each county's own report, ``{lan_code: (html, pdf)}`` relative to the root
    (:func:`samverkan.book.county_docs.document_paths`); memoised like
    :func:`notebook_chapters`, so the no-change path does not import the registry."""
    package = Path(__file__).parents[1]
    key = cache.text_digest(cache.file_digest(root / "_quarto.yml"),
                            cache.file_digest(package / "book" / "county_docs.py"),
                            cache.file_digest(root / "data" / "reference" / "counties.csv"),
                            report_round)
    memo = manifest.get("_county_documents")
    if memo.get("key") == key:
        return {code: tuple(paths) for code, paths in memo["documents"].items()}
    from samverkan.book import county_docs

    documents = {
        code: tuple(p.resolve().relative_to(root.resolve()).as_posix()
                    for p in county_docs.document_paths(code, root, report_round))
        for code in county_docs.county_chapters(root)
    }
    manifest.set("_county_documents", {"key": key, "documents": documents})
    return documents


TYPICAL_SECONDS = {"clean": 1.0, "results": 3.0, "audit": 0.5, "chapter": 2.5, "county": 0.6,
                   "markdown": 0.3, "render": 3.5, "countydoc": 0.4}
"""A stage's expected seconds before it has run here (a cold run): what decides the order of
ready stages, nothing else."""


def critical_path(stage_list: Sequence[Stage], needs: dict[str, tuple[str, ...]],
                  seconds: dict[str, float]) -> dict[str, float]:
    """For each stage, its own expected seconds plus the longest chain of stages that wait for
    it (the order in which ready stages are worth starting: longest first)."""
    waiting: dict[str, list[str]] = {s.name: [] for s in stage_list}
    for name, before in needs.items():
        for other in before:
            waiting[other].append(name)
    out: dict[str, float] = {}

    def length(name: str) -> float:
        if name not in out:
            out[name] = seconds[name] + max((length(w) for w in waiting[name]), default=0.0)
        return out[name]

    for stage in stage_list:
        length(stage.name)
    return out


def plan_stages(report_round: int, manifest: cache.Manifest | None = None) -> list[Stage]:
    """The stage table of this project for ``report_round``."""
    root = project_root()
    manifest = manifest or cache.Manifest.load(manifest_path())
    plan = stages.Plan(report_round, notebook_chapters(manifest, root),
                       frozenset(county_codes()), county_documents(manifest, root, report_round),
                       quarto=shutil.which("quarto") is not None)
    return stages.stage_table(plan)


# ------------------------------------------------------------------------------- the records


class Inputs:
    """Digests of input files, each glob expanded and each file hashed at most once until a
    stage that writes there finishes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._memo: dict[str, str] = {}
        self._globs: dict[str, list[str]] = {}

    def _expand(self, pattern: str) -> list[str]:
        if pattern not in self._globs:
            self._globs[pattern] = [p.relative_to(self.root).as_posix()
                                    for p in cache.expand([pattern], self.root, stages.ignored)]
        return self._globs[pattern]

    def of(self, stage: Stage) -> dict[str, str]:
        """``{relative path: sha256}`` of the files the stage reads (never its own outputs)."""
        out = {}
        for pattern in stage.all_inputs:
            for rel in self._expand(pattern):
                if rel in out or stages.under(rel, stage.outputs):
                    continue
                if rel not in self._memo:
                    self._memo[rel] = stages.input_digest(self.root, rel)
                out[rel] = self._memo[rel]
        return dict(sorted(out.items()))

    def forget(self, stage: Stage) -> None:
        """Drop what ``stage`` may have changed: its files' digests and the globs they match."""
        for rel in [r for r in self._memo if stages.under(r, stage.outputs)]:
            del self._memo[rel]
        for pattern in [p for p in self._globs
                        if any(stages.reads(p, o) for o in stage.outputs)]:
            del self._globs[pattern]


def stage_key(stage: Stage, inputs: dict[str, str]) -> str:
    """What a stage's result depends on: its definition and its input files' contents."""
    return cache.text_digest(stage.kind, stage.name, stage.calls, stage.notebook,
                             stage.parameters, inputs)


def output_digests(stage: Stage, root: Path, others: Sequence[str] = ()) -> dict[str, str]:
    """The files the stage's declared outputs hold now, without those other stages declare
    (``others``: the county reports in ``_book/lan/`` are not the book's)."""
    files: list[Path] = []
    for out in stage.outputs:
        path = root / out
        files += cache.tree_files(path) if out.endswith("/") else [path] if path.is_file() else []
    digests = cache.files_digests(files, root)
    return {rel: d for rel, d in digests.items() if rel in stage.outputs
            or not stages.under(rel, others)}


# ---------------------------------------------------------------------------------- the run


class Interrupted(Exception):
    """SIGTERM or SIGINT arrived during the run."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@dataclass
class RunOutcome:
    """Every stage's result in table order, and the signal that stopped the run, if one did."""

    results: list[StageResult]
    interrupted: int | None = None
    losses: list[CountyLoss] = field(default_factory=list)
    """Every county's rejected rows or files in the rounds the run read."""
    changes: ChangeReport | None = None
    """The figures that moved since the last complete run."""

    @property
    def rejected(self) -> bool:
        """True when a row or file of a county's submission was left out."""
        return bool(self.losses)


class Run:
    """One ``run``: decides what is stale, runs it, records it."""

    def __init__(self, report_round: int, jobs: int, counties: Sequence[str] | None,
                 use_cache: bool, progress: bool) -> None:
        from samverkan.pipeline.execute import Pool

        self.root = project_root()
        self.report_round = report_round
        self.use_cache = use_cache
        self.manifest = cache.Manifest.load(manifest_path())
        self.stages = plan_stages(report_round, self.manifest)
        self.by_name = {s.name: s for s in self.stages}
        self.needs = stages.dependencies(self.stages)
        self.selected = set(counties) if counties is not None else None
        self.inputs = Inputs(self.root)
        self.results: dict[str, StageResult] = {}
        self.pending: dict[str, dict[str, Any]] = {}
        self.progress = Progress(progress)
        self.pool = Pool(jobs, self.root, self._done)
        self.jobs = jobs
        self.started = time.time()
        self.ready: list[Stage] = []
        self.warmed = False
        self.priority = critical_path(self.stages, self.needs, {
            s.name: float(self.manifest.get(s.name).get("seconds")
                          or TYPICAL_SECONDS.get(s.kind, 1.0))
            for s in self.stages})

    def _set(self, stage: Stage, status: str, seconds: float = 0.0, message: str = "",
             started: float | None = None) -> None:
        log = logs_dir() / f"{stage.name}.log" if status in (STATUS_RAN, STATUS_FAILED) else None
        result = StageResult(stage, status, seconds, message, log,
                             None if started is None else started - self.started)
        self.results[stage.name] = result
        if status in (STATUS_RAN, STATUS_FAILED):
            self.progress.finished(result)

    def _done(self, outcome: dict[str, Any]) -> None:
        if outcome["name"] == WARM:  # no stage: a failed warm-up costs only its time
            return
        stage = self.by_name[outcome["name"]]
        record = self.pending.pop(stage.name)
        self.inputs.forget(stage)
        if outcome["status"] == STATUS_RAN:
            others = [o for s in self.stages if s is not stage for o in s.outputs]
            others += [*stages.other_rounds_books(self.report_round),
                       stages.changes_page(self.report_round)]
            self.manifest.set(stage.name, {**record, "seconds": round(outcome["seconds"], 2),
                                           "finished": time.strftime("%Y-%m-%d %H:%M"),
                                           "outputs": output_digests(stage, self.root, others)})
        self.manifest.save()
        self._set(stage, outcome["status"], outcome["seconds"], outcome["message"],
                  outcome.get("started"))

    def _fresh(self, stage: Stage, key: str) -> bool:
        entry = self.manifest.get(stage.name)
        return (self.use_cache and entry.get("key") == key and bool(entry.get("outputs"))
                and cache.outputs_unchanged(entry["outputs"], self.root))

    def _task(self, stage: Stage) -> dict[str, Any]:
        task: dict[str, Any] = {
            "name": stage.name, "root": str(self.root),
            "log": str(logs_dir() / f"{stage.name}.log"), "parameters": stage.parameters,
        }
        if stage.notebook:
            task.update(source=str(self.root / stage.notebook),
                        output=str(self.root / stage.outputs[0]),
                        shared=True)  # the worker's kept kernel (pipeline.kernels)
        else:
            task["calls"] = [(target, dict(kwargs)) for target, kwargs in stage.calls]
        return task

    def _unselected(self, stage: Stage) -> bool:
        """A county's stage when ``--county`` names other counties."""
        return (self.selected is not None and stage.lan_code is not None
                and stage.lan_code not in self.selected)

    def _consider(self, stage: Stage) -> None:
        """Every stage it reads from has finished: skip, reuse or start it."""
        behind = [d for d in self.needs[stage.name] if self.results[d].status not in OK]
        if behind and self._unselected(stage) and all(
                self.results[d].status == STATUS_UNSELECTED for d in behind):
            self._set(stage, STATUS_UNSELECTED, message="stale; not in --county")
            return
        if stage.kind == "countydoc":  # --county: the others' profiles are no part of its basis
            behind = [d for d in behind if self.results[d].status != STATUS_UNSELECTED]
        if behind:
            shown = ", ".join(behind[:5]) + (" …" if len(behind) > 5 else "")
            self._set(stage, STATUS_SKIPPED, message=f"not up to date: {shown}")
            return
        inputs = self.inputs.of(stage)
        key = stage_key(stage, inputs)
        if self._fresh(stage, key):
            self._set(stage, STATUS_CACHED)
        elif self._unselected(stage):
            self._set(stage, STATUS_UNSELECTED, message="stale; not in --county")
        else:
            self.pending[stage.name] = {"key": key, "inputs": inputs,
                                        "patterns": list(stage.all_inputs),
                                        "declared": list(stage.outputs)}
            self.manifest.drop(stage.name)  # a run that dies now leaves it stale
            self.manifest.save()
            self.progress.add(1)
            self.ready.append(stage)

    def _dispatch(self) -> None:
        """Start ready stages, longest chain first, while a worker is free (the pool's own queue
        is first come, first served, so it is handed no more than it can start). A worker left
        idle while notebook stages are still to come starts its kernel meanwhile
        (:func:`samverkan.pipeline.kernels.warm`), once per run."""
        self.ready.sort(key=lambda s: -self.priority[s.name])
        while self.ready and len(self.pool.running()) < self.jobs:
            self.pool.submit(self._task(self.ready.pop(0)))
        if not self.warmed and len(self.pool.running()) < self.jobs and any(
                s.notebook and s.name not in self.results and s.name not in self.pending
                for s in self.stages):
            self.warmed = True
            self.pool.submit({
                "name": WARM, "root": str(self.root), "log": str(logs_dir() / f"{WARM}.log"),
                "calls": [("samverkan.pipeline.kernels:warm", {
                    "root": str(self.root),
                    "notebooks": sorted({str(self.root / s.notebook)
                                         for s in self.stages if s.notebook})})],
            })

    def _schedule(self) -> None:
        """Consider every stage whose inputs are final, in table order, until none is left."""
        progressed = True
        while progressed:
            progressed = False
            for stage in self.stages:
                if stage.name in self.results or stage.name in self.pending:
                    continue
                if all(d in self.results for d in self.needs[stage.name]):
                    self._consider(stage)
                    progressed = True

    def execute(self) -> RunOutcome:
        interrupted = None
        try:
            with _signals_interrupt():
                self._schedule()
                self._dispatch()
                while self.pool.busy:
                    self.pool.wait(any_one=True)
                    self._schedule()
                    self._dispatch()
        except Interrupted as stop:
            interrupted = stop.signum
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, signal.SIG_IGN)  # no second interruption of the clean-up
            self.pool.interrupt()
            for name in list(self.pending):
                self.manifest.drop(name)
            self.pending.clear()
            self.ready.clear()
            for stage in self.stages:
                if stage.name not in self.results:
                    self._set(stage, STATUS_INTERRUPTED, message=f"stopped by {stop}")
        finally:
            self.pool.close()
            self.progress.close()
            self.manifest.save()
        return RunOutcome([self.results[s.name] for s in self.stages], interrupted)


@contextmanager
def _signals_interrupt() -> Iterator[None]:
    """SIGTERM and SIGINT raise :class:`Interrupted` in the main thread while the run lasts."""
    def handler(signum: int, _frame: Any) -> None:
        raise Interrupted(signum)

    saved = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, previous in saved.items():
            signal.signal(sig, previous)


def run(report_round: int = DEFAULT_ROUND, jobs: int | None = None,
        counties: Sequence[str] | None = None, use_cache: bool = True,
        progress: bool = True) -> RunOutcome:
    """Run the pipeline and write its run logs. ``counties`` (codes or names) limits the county
    profiles; they are validated before anything starts (ValueError). Raises
    :class:`samverkan.pipeline.lock.RunInProgress` when another command holds the project's
    lock."""
    selected = validate_counties(counties) if counties else None
    jobs = max(1, jobs or os.cpu_count() or 1)
    with project_lock("run"):
        outcome = Run(report_round, jobs, selected, use_cache, progress).execute()
        outcome.losses = losses(report_round)
        outcome.changes = record_changes(outcome, report_round)
        name = signal.Signals(outcome.interrupted).name if outcome.interrupted else None
        write_run_logs(outcome.results, report_round, run_summary(outcome), name,
                       rejected=sum(loss.rows for loss in outcome.losses))
    return outcome


def record_changes(outcome: RunOutcome, report_round: int) -> ChangeReport:
    """Compare the round's figures with the last complete run's and write the change report;
    a complete run (every stage up to date) that moved something becomes the next basis."""
    from samverkan.pipeline import changes

    report = changes.compare(report_round)
    changes.write(report)
    complete = not outcome.interrupted and all(r.status in OK for r in outcome.results)
    if complete and (not report.basis or report.changes or report.counties):
        changes.keep_as_basis(report_round, time.strftime("%Y-%m-%d %H:%M"))
    return report


def run_summary(outcome: RunOutcome) -> str:
    """The end-of-run table, what the rejected rows leave out of the figures, what moved."""
    from samverkan.pipeline.changes import changes_text

    moved = changes_text(outcome.changes) if outcome.changes else ""
    return "\n\n".join(t for t in (summary(outcome.results), losses_text(outcome.losses),
                                    moved) if t)
