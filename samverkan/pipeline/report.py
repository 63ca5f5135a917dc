"""What a run tells its reader: progress while it runs, the summary table at the end, and the
same as ``report/_generated/logs/run.log`` and ``run.json`` (for machines: CI, the benchmark)."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from samverkan.io import write_text
from samverkan.paths import generated_dir, project_root
from samverkan.pipeline.stages import Stage

STATUS_RAN, STATUS_CACHED, STATUS_FAILED = "ran", "cached", "failed"
STATUS_SKIPPED, STATUS_UNSELECTED, STATUS_INTERRUPTED = "skipped", "not selected", "interrupted"


@dataclass
class StageResult:
    """How one stage ended in this run."""

    stage: Stage
    status: str
    seconds: float = 0.0
    message: str = ""
    log: Path | None = None
    started_s: float | None = None
    """When its worker started it, in seconds from the start of the run (stages that ran)."""


def logs_dir() -> Path:
    return generated_dir() / "logs"


def rel(path: Path | str) -> str:
    """``path`` relative to the project root when it is inside it."""
    path = Path(path)
    try:
        return path.resolve().relative_to(project_root().resolve()).as_posix()
    except ValueError:
        return str(path)


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


def _shown_output(result: StageResult) -> str:
    if result.status == STATUS_FAILED and result.log:
        return rel(result.log)
    outputs = result.stage.outputs
    if result.stage.kind == "markdown":
        return str(Path(outputs[0]).parent)
    return outputs[0].rstrip("/") if outputs else ""


def summary(results: Sequence[StageResult]) -> str:
    """The end-of-run table (stage, county, status, seconds, output) and each failure's message
    with its log."""
    rows = [("stage", "county", "status", "seconds", "output")]
    for r in results:
        rows.append((r.stage.name, r.stage.lan_code or "", r.status, f"{r.seconds:.1f}",
                     _shown_output(r)))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = ["  ".join(cell.ljust(w) if i != 3 else cell.rjust(w)
                       for i, (cell, w) in enumerate(zip(row, widths, strict=True))).rstrip()
             for row in rows]
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    lines.append("")
    lines.append(", ".join(f"{n} {status}" for status, n in counts.items()))
    kept = [r for r in results if r.status == STATUS_SKIPPED and r.stage.kind == "countydoc"]
    for r in (r for r in results if r.status in (STATUS_FAILED, STATUS_SKIPPED)
              and r not in kept):
        where = f" (log: {rel(r.log)})" if r.log else ""
        lines.append(f"{r.status.upper()} {r.stage.name}: {r.message}{where}")
    if kept:
        behind = sorted({n for r in results if r.status == STATUS_FAILED for n in [r.stage.name]})
        lines.append(
            f"KEPT {len(kept)} county reports as the last complete run made them "
            f"({', '.join(r.stage.lan_code or '' for r in kept)}): not rebuilt while "
            f"{', '.join(behind) or 'a stage they rest on'} is not up to date, since their "
            "national comparisons would rest on part of the counties only.")
    unselected = [r.stage.lan_code or r.stage.name for r in results
                  if r.status == STATUS_UNSELECTED]
    if unselected:
        lines.append(f"NOT SELECTED (out of date, not in --county): {', '.join(unselected)}")
    stopped = [r.stage.name for r in results if r.status == STATUS_INTERRUPTED]
    if stopped:
        lines.append(f"INTERRUPTED (recomputed by the next run): {', '.join(stopped)}")
    return "\n".join(lines)


def failed(results: Sequence[StageResult]) -> bool:
    """True when a stage failed or was interrupted."""
    return any(r.status in (STATUS_FAILED, STATUS_INTERRUPTED) for r in results)


def write_run_logs(results: Sequence[StageResult], report_round: int, text: str,
                   interrupted: str | None = None, rejected: int = 0) -> None:
    """``logs/run.log`` (the summary as printed) and ``logs/run.json`` (the same for machines,
    ``rejected``: the rows or files left out), replaced at every run."""
    logs_dir().mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    head = f"samverkan run --round {report_round} ({stamp})"
    if interrupted:
        head += f": interrupted by {interrupted}"
    write_text(logs_dir() / "run.log", f"{head}\n\n{text}\n")
    stages = [
        {"stage": r.stage.name, "kind": r.stage.kind, "county": r.stage.lan_code,
         "status": r.status, "seconds": round(r.seconds, 2),
         "started_s": None if r.started_s is None else round(r.started_s, 2),
         "output": _shown_output(r), "message": r.message, "log": rel(r.log) if r.log else None}
        for r in results
    ]
    payload = {"round": report_round, "finished": stamp, "failed": failed(results),
               "rejected": rejected, "interrupted": interrupted, "stages": stages}
    write_text(logs_dir() / "run.json", json.dumps(payload, indent=1, ensure_ascii=False) + "\n")
