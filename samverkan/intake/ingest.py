"""Readers for the county boards' submissions: a whole round under ``data/raw/<round>/`` (which
files make up a submission: :mod:`samverkan.intake.files`), each file read by
:mod:`samverkan.intake.workbooks` (``.xlsx``, ``.xls``, ``.ods``) or
:mod:`samverkan.intake.csvfiles`, each sheet's table found by :mod:`samverkan.intake.sheets`.

A problem that makes a whole file or sheet unusable raises :class:`SubmissionError` with a message
that says what to do; an unexpected error in one file rejects that file (``internal_error``) and
the round goes on. Raw files are opened read-only and never modified.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from samverkan import registry
from samverkan.intake import codebook, limits, sandbox
from samverkan.intake.csvfiles import _csv_rows, _sniff, _utf16_rows, read_csv
from samverkan.intake.files import (
    WORKBOOK_KINDS,
    SourceFile,
    SubmissionError,
    candidates,
    identify,
    refused_entries,
    resolve,
)
from samverkan.intake.sheets import SheetOutcome, round_sheets, rows_held
from samverkan.intake.workbooks import match_sheets, read_workbook

__all__ = ["SourceFile", "SubmissionError", "identify", "read_submissions"]


def file_rows(path: Path, kind: str, report_round: int, sheet: str | None = None) -> int:
    """Best effort: the data rows a file holds, for the ledger of a file rejected before it
    was read (0 when it cannot be read at all)."""
    try:
        limits.check_size(path, path.name)
        if kind == "csv":
            raw = path.read_bytes()
            if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                return _utf16_rows(raw)
            text = raw.decode("utf-8-sig", errors="replace")
            return rows_held(_csv_rows(text, _sniff(text, sheet)), sheet)
        if kind not in WORKBOOK_KINDS:
            return 0
        if kind in ("xlsx", "ods"):
            limits.check_archive(path, path.name, kind)
        workbook = sandbox.load(path, path.name, kind)
        found = match_sheets(workbook.names, report_round)
        return sum(rows_held(workbook.grids[n], s) for s, group in found.items() for n in group)
    except Exception:  # a file that cannot be read holds no rows we can count
        return 0


def internal_error(error: Exception, file: str, sheet: str, rows: int) -> SubmissionError:
    """An unexpected exception while reading or checking one file, as that file's rejection."""
    where = f"{file}, blad {sheet!r}" if sheet else file
    return SubmissionError(
        "internal_error",
        f"{where}: ett oväntat fel i programmet ({type(error).__name__}) när filen lästes eller "
        "kontrollerades; filen har inte använts, de andra länens filer har lästs som vanligt. "
        "Rapportera felet till den som förvaltar samverkan och bifoga filen.",
        rows_read=rows,
    )


def _read_file(source: SourceFile, report_round: int) -> list[SheetOutcome]:
    """The outcomes of one file that is part of its county's submission."""
    if source.workbook:
        try:
            return read_workbook(source, report_round)
        except SubmissionError as error:
            return [SheetOutcome(file=source.name, sheet="", lan_code=source.lan_code,
                                 error=error)]
    assert source.sheet is not None
    outcome = SheetOutcome(file=source.name, sheet=source.sheet, lan_code=source.lan_code,
                           sheet_name=source.sheet)
    if report_round not in codebook.sheet_rounds(source.sheet):
        outcome.error = SubmissionError(
            "sheet_round",
            f"{source.name}: tabellen {source.sheet} ingår inte i inlämningen för "
            f"{report_round}; flytta filen till rätt omgångs mapp.",
            rows_read=file_rows(source.path, "csv", report_round, source.sheet),
        )
        return [outcome]
    try:
        outcome.table = read_csv(source, report_round)
    except SubmissionError as error:
        outcome.error = error
    return [outcome]


def _csv_tables_missing(sources: list[SourceFile], report_round: int) -> list[SheetOutcome]:
    """A county that sends CSV files but lacks one of the round's tables."""
    csv_sheets: dict[str, set[str]] = {}
    for source in sources:
        if source.sheet is not None:
            csv_sheets.setdefault(source.lan_code, set()).add(source.sheet)
    outcomes = []
    for lan_code, sheets in sorted(csv_sheets.items()):
        slug = registry.county_name(lan_code, "short")
        for sheet in round_sheets(report_round):
            if sheet not in sheets:
                pattern = f"{lan_code}-*-{codebook.csv_suffix(sheet)}.csv"
                outcomes.append(SheetOutcome(
                    file=pattern, sheet=sheet, lan_code=lan_code, sheet_name=sheet,
                    error=SubmissionError(
                        "sheet_missing",
                        f"{slug}: CSV-filer har skickats men ingen tabell {sheet} ({pattern}); "
                        "skicka den som CSV-fil, eller skicka en arbetsbok med alla blad.",
                    ),
                ))
    return outcomes


def _county_of(name: str, raw_dir: Path) -> str:
    """The county a refused entry's name points to, if any (only the name is looked at)."""
    try:
        return identify(raw_dir / name, raw_dir).lan_code
    except (SubmissionError, ValueError):
        code = name[:2] if name[2:3] == "-" else ""
        try:
            return registry.county_code(code) if code.isdigit() else ""
        except registry.UnknownCountyError:
            return ""


def read_submissions(raw_dir: Path, report_round: int) -> list[SheetOutcome]:
    """Every (file, sheet) of the round under ``raw_dir``: read tables, identical copies set
    aside, and rejected files (by name, by an ambiguous submission, by content, or by an
    unexpected error in that file alone), in file order."""
    outcomes: list[SheetOutcome] = []
    by_county: dict[str, list[SourceFile]] = {}
    for name, check, message in refused_entries(raw_dir):
        outcomes.append(SheetOutcome(file=name, sheet="", lan_code=_county_of(name, raw_dir),
                                     error=SubmissionError(check, message)))
    for path in candidates(raw_dir):
        name = path.relative_to(raw_dir).as_posix()
        try:
            source = identify(path, raw_dir)
        except SubmissionError as error:
            error.rows_read = file_rows(path, path.suffix.lower().lstrip("."), report_round)
            outcomes.append(SheetOutcome(file=name, sheet="", lan_code="", error=error))
            continue
        by_county.setdefault(source.lan_code, []).append(source)
    used: list[SourceFile] = []
    for lan_code, sources in sorted(by_county.items()):
        resolution = resolve(sources, report_round)
        for copy, original in resolution.copies.items():
            outcomes.append(SheetOutcome(file=copy, sheet="", lan_code=lan_code,
                                         copy_of=original))
        for source, check, message in resolution.refused:
            outcomes.append(SheetOutcome(
                file=source.name, sheet="", lan_code=lan_code,
                error=SubmissionError(check, message, rows_read=file_rows(
                    source.path, source.kind, report_round, source.sheet))))
        used += resolution.use
    # side by side: a workbook is read in a child process of its own (samverkan.intake.sandbox),
    # and a round's children mostly start Python; each file's outcome is its own, as before
    with ThreadPoolExecutor(max_workers=READERS) as pool:
        for read in pool.map(lambda source: _read_safely(source, report_round), used):
            outcomes.extend(read)
    outcomes += _csv_tables_missing(used, report_round)
    return sorted(outcomes, key=lambda o: (o.file, o.sheet))


READERS = 4
"""Files of a round read at the same time (at most this many workbook children at once)."""


def _read_safely(source: SourceFile, report_round: int) -> list[SheetOutcome]:
    """:func:`_read_file`, with an unexpected failure as that file's rejection: one file's
    failure never stops the round."""
    try:
        return _read_file(source, report_round)
    except Exception as error:  # noqa: BLE001 - reported as the file's rejection
        rows = file_rows(source.path, source.kind, report_round, source.sheet)
        return [SheetOutcome(file=source.name, sheet="", lan_code=source.lan_code,
                             error=internal_error(error, source.name, "", rows))]
