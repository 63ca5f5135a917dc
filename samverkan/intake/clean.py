"""Cleaning one report round: read every county submission, normalise, validate (pandera), code the
free text, merge the evaluator's coding sheet, and account for every row.

The work is split by responsibility: :mod:`~samverkan.intake.ingest` reads the files,
:mod:`~samverkan.intake.validate` parses and checks each table, :mod:`~samverkan.intake.ledger`
accounts for every row, :mod:`~samverkan.intake.coding` adds the keyword flags, the evaluator's
coding and the link between the rounds, :mod:`~samverkan.intake.outputs` writes and reads the
processed tables (their columns are in :mod:`~samverkan.intake.contract`). This module runs them
in order for a round.

Outputs in ``data/processed/<round>/`` (written atomically): ``projects``, ``allocations`` and
(round 2011) ``board`` as Parquet and CSV; ``rejects.csv`` (every rejected row or file with its
reason), ``ledger.csv`` (per file and sheet: rows read = rows accepted + rows rejected),
``coding_issues.csv`` (coding sheet vs submissions, and the link between the rounds).

Entry points: :func:`clean_round` (explicit folders, for tests and benchmarks), :func:`run`
(the project's folders); reading the outputs is :func:`samverkan.intake.outputs.load_processed`
(never builds them: the pipeline's stage table runs the rounds in order).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from samverkan.intake import codebook
from samverkan.intake.coding import keyword_flags, link_rounds, merge_coding, read_coding
from samverkan.intake.contract import (
    CHECK_LABELS,
    CODING_ISSUE_COLUMNS,
    CODING_ISSUE_LABELS,
    LEDGER_COLUMNS,
    LEDGER_STATUSES,
    PROVENANCE,
    TABLES,
    columns,
)
from samverkan.intake.ingest import internal_error, read_submissions
from samverkan.intake.ledger import Rejects, ledger_for
from samverkan.intake.outputs import (
    CleanResult,
    MissingProcessedData,
    Processed,
    clear_outputs,
    empty_table,
    load_processed,
    read_processed,
    require_processed,
    sort_key,
    typed_output,
    write_outputs,
)
from samverkan.intake.sheets import RawSheet
from samverkan.intake.validate import (
    check_requisitioned,
    combine,
    normalise_sheet,
    row_problems,
    stub,
    totals_rows,
)
from samverkan.paths import coding_path, processed_dir, raw_dir
from samverkan.rounds import DEFAULT_ROUND, ROUNDS

__all__ = [
    "CHECK_LABELS", "CODING_ISSUE_LABELS", "LEDGER_STATUSES", "PROVENANCE", "TABLES",
    "CleanResult", "MissingProcessedData", "Processed", "clean_round", "columns", "load_processed",
    "read_processed", "run",
]


PreviousRound = pd.DataFrame | Callable[[], pd.DataFrame | None] | None
"""The round before's projects, or a function that gives them once they are built."""


def check_tables(tables: list[RawSheet], sheet: str, report_round: int, rejects: Rejects,
                 owners: Mapping[str, str] | None = None) -> tuple[pd.DataFrame, set[int]]:
    """One sheet of every county, checked together (duplicates are looked for across files):
    the typed frame of every row and the index of the rejected rows. ``owners``: diarienummer
    → länskod where the coding sheet or the round before says whose project it is."""
    raw = combine(tables)
    if raw.empty:
        return pd.DataFrame(columns=list(PROVENANCE)), set()
    # a misaligned row or a totals row is rejected as a whole: its cells are not judged
    problems = row_problems(tables, raw, sheet, rejects)
    problems |= totals_rows(raw.drop(index=sorted(problems)), sheet, rejects)
    frame, bad = normalise_sheet(raw.drop(index=sorted(problems)), sheet, report_round, rejects,
                                 owners=owners)
    if problems:
        frame = pd.concat([frame, stub(raw, problems)]).sort_index()
    return frame, bad | problems


def check_isolated(tables: list[RawSheet], sheet: str, report_round: int, rejects: Rejects,
                   owners: Mapping[str, str] | None = None
                   ) -> tuple[tuple[pd.DataFrame, set[int]], dict[str, Exception]]:
    """:func:`check_tables`, but an unexpected exception caused by one file's rows costs only
    that file: the files that fail on their own are set aside (file → exception) and the others
    are checked together again."""
    trial = Rejects()
    try:
        result = check_tables(tables, sheet, report_round, trial, owners)
    except Exception:  # found out below, file by file
        pass
    else:
        rejects.rows += trial.rows
        for key, notes in trial.notes.items():
            rejects.notes.setdefault(key, []).extend(notes)
        return result, {}
    crashed: dict[str, Exception] = {}
    for table in tables:
        try:
            check_tables([table], sheet, report_round, Rejects(), owners)
        except Exception as error:  # this file's own rows break the check
            crashed[table.file] = error
    rest = [t for t in tables if t.file not in crashed]
    try:
        trial = Rejects()
        result = check_tables(rest, sheet, report_round, trial, owners)
    except Exception as error:  # only the files together fail: none of them can be used
        crashed.update({t.file: error for t in rest})
        result = check_tables([], sheet, report_round, Rejects())
    else:
        rejects.rows += trial.rows
        for key, notes in trial.notes.items():
            rejects.notes.setdefault(key, []).extend(notes)
    return result, crashed


def project_owners(coding: pd.DataFrame, previous: pd.DataFrame | None) -> dict[str, str]:
    """diarienummer → länskod of the projects whose county is known without the submissions:
    the evaluator's coding sheet, then the round before's accepted projects. A diarienummer the
    two place in different counties has no known owner."""
    owners: dict[str, str] = {}
    conflict: set[str] = set()
    for frame in (coding, previous):
        if frame is None or frame.empty or "lan_code" not in frame.columns:
            continue
        for dnr, lan in zip(frame["diarienummer"].astype(str), frame["lan_code"], strict=True):
            if not isinstance(lan, str) or not lan or not dnr:
                continue
            if owners.get(dnr, lan) != lan:
                conflict.add(dnr)
            owners.setdefault(dnr, lan)
    return {dnr: lan for dnr, lan in owners.items() if dnr not in conflict}


def clean_round(raw_dir: Path, coding_path: Path, out_dir: Path | None, report_round: int,
                previous: PreviousRound = None) -> CleanResult:
    """Clean one round's submissions under ``raw_dir`` with the coding sheet ``coding_path``;
    write the outputs to ``out_dir`` (None: write nothing).

    ``previous``: the round before's projects (or a function returning them, called only when
    they are needed), for the link between partial and final reports; when None,
    ``<out_dir>/../<round-1>/projects.parquet`` is used if it exists."""
    raw_dir, coding_path = Path(raw_dir), Path(coding_path)
    if not raw_dir.is_dir():
        raise FileNotFoundError(
            f"Mappen för inlämningarna {raw_dir.name!r} i omgång {report_round} saknas "
            f"({raw_dir.parent.name}/{raw_dir.name}): lägg länens filer där, eller kör "
            "`python -m samverkan synth` för att skriva de rekonstruerade."
        )
    if out_dir is not None:  # a failed clean must not leave the last run's outputs looking current
        clear_outputs(Path(out_dir))
    timings: dict[str, float] = {}
    start = time.perf_counter()
    outcomes = read_submissions(raw_dir, report_round)
    timings["read"] = time.perf_counter() - start

    start = time.perf_counter()
    coding, issues = read_coding(coding_path)
    if callable(previous):
        previous = previous()
    if previous is None and out_dir is not None:
        sibling = Path(out_dir).parent / str(report_round - 1) / "projects.parquet"
        previous = pd.read_parquet(sibling, columns=["diarienummer", "lan_code"]) \
            if sibling.is_file() else None
    owners = project_owners(coding, previous)
    rejects = Rejects()
    ledger: list[dict[str, Any]] = []
    typed: dict[str, pd.DataFrame] = {}
    rejected_rows: dict[str, set[int]] = {}
    for sheet in (s for s in codebook.SHEETS if report_round in codebook.sheet_rounds(s)):
        mine = [o for o in outcomes if o.sheet == sheet and o.table is not None]
        (typed[sheet], rejected_rows[sheet]), crashed = check_isolated(
            [o.table for o in mine if not o.table.cells.empty], sheet, report_round, rejects,
            owners)
        for outcome in mine:
            if outcome.file in crashed:
                outcome.error = internal_error(crashed[outcome.file], outcome.file,
                                               outcome.sheet_name, outcome.table.rows_read)
                outcome.table = None
    timings["normalise"] = time.perf_counter() - start

    start = time.perf_counter()
    if report_round in codebook.sheet_rounds("Medel"):
        check_requisitioned(typed, rejected_rows, rejects)

    accepted = {s: f.drop(index=sorted(rejected_rows[s])) for s, f in typed.items()}
    for outcome in outcomes:
        ledger.append(ledger_for(outcome, typed, rejected_rows, rejects))

    projects = accepted["Projekt"].copy()
    projects["report_round"] = report_round
    projects = pd.concat([projects, keyword_flags(projects)], axis=1)
    rejected_ids = {
        str(typed["Projekt"].at[i, "diarienummer"]) for i in rejected_rows["Projekt"]
        if "diarienummer" in typed["Projekt"] and pd.notna(typed["Projekt"].at[i, "diarienummer"])
    }
    for name in ("diarienummer", "lan_code", "granted_year"):
        if name not in projects.columns:
            projects[name] = pd.Series(dtype=object)
    projects = merge_coding(projects, coding, rejected_ids, issues)
    issues += link_rounds(projects, previous, report_round, rejected_ids)

    result = CleanResult(
        projects=sort_key(typed_output(projects, "projects"), ["lan_code", "diarienummer"]),
        allocations=sort_key(typed_output(
            accepted["Medel"].assign(report_round=report_round), "allocations"),
            ["lan_code", "year"]),
        board=sort_key(typed_output(accepted["Länsstyrelsen"].assign(
            report_round=report_round), "board"), ["lan_code"])
        if "Länsstyrelsen" in accepted else empty_table("board"),
        rejects=rejects.frame(),
        ledger=sort_key(pd.DataFrame(ledger, columns=list(LEDGER_COLUMNS)), ["file", "sheet"]),
        coding_issues=sort_key(pd.DataFrame(issues, columns=list(CODING_ISSUE_COLUMNS)),
                                ["issue", "lan_code", "diarienummer"]),
        report_round=report_round,
        timings=timings,
    )
    timings["validate"] = time.perf_counter() - start
    if out_dir is not None:
        start = time.perf_counter()
        write_outputs(result, Path(out_dir))
        timings["write"] = time.perf_counter() - start
    return result


# ----------------------------------------------------------------------- the project's folders


def run(report_round: int = DEFAULT_ROUND) -> CleanResult:
    """Clean the round from the project's folders and write ``data/processed/<round>/``. The
    round before must have been cleaned (its projects link to this round's); the pipeline's
    stage table runs the rounds in order."""
    if report_round not in ROUNDS:
        raise ValueError(f"No report round {report_round}: rounds are {ROUNDS}.")
    if report_round - 1 in ROUNDS:
        require_processed(report_round - 1, f"cleaning {report_round}")
    return clean_round(raw_dir(report_round), coding_path(report_round),
                       processed_dir(report_round), report_round)


