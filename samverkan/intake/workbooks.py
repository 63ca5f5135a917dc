"""Workbook submissions (``.xlsx``, ``.xls``, ``.ods``, all through python-calamine): the
round's sheets found by their accepted names, merged cells filled down, formulas without a stored
value marked, and each sheet's table or the error that rejected it (:func:`read_workbook`)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

from openpyxl.utils import get_column_letter

from samverkan.intake import codebook, limits, sandbox
from samverkan.intake.files import SourceFile, SubmissionError
from samverkan.intake.normalise import CellProblem
from samverkan.intake.sheets import (
    SheetOutcome,
    _blank,
    _header_label,
    round_sheets,
    rows_held,
    table_from_grid,
)


def match_sheets(names: Sequence[str], report_round: int) -> dict[str, list[str]]:
    """Canonical sheet → every sheet of the workbook whose name is one of its accepted
    spellings (more than one is an ambiguous submission)."""
    found: dict[str, list[str]] = {}
    for sheet in round_sheets(report_round):
        keys = {codebook.header_key(n) for n in codebook.sheet_names(sheet)}
        found[sheet] = [n for n in names if codebook.header_key(n) in keys]
    return {sheet: names for sheet, names in found.items() if names}


def has_formulas(path: Path) -> bool:
    """Whether any worksheet of an ``.xlsx`` workbook holds a formula (a look into the zip,
    a chunk at a time; the archive has passed limits.check_archive)."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with archive.open(name) as handle:
                    tail = b""
                    while chunk := handle.read(1 << 20):
                        data = tail + chunk
                        if b"<f>" in data or b"<f " in data or re.search(rb"<\w+:f[ >]", data):
                            return True
                        tail = chunk[-16:]
    return False


def _formula_cells(path: Path, sheet_name: str) -> dict[tuple[int, int], str]:
    """(row, column) → formula for the sheet's formula cells (0-based)."""
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        out = {}
        for r, row in enumerate(workbook[sheet_name].iter_rows()):
            for cell in row:
                if getattr(cell, "data_type", None) == "f":
                    out[(r, cell.column - 1)] = str(cell.value)
        return out
    finally:
        workbook.close()


def _raw_grid(workbook: sandbox.WorkbookData, sheet_name: str) -> list[list[object]]:
    return [list(r) for r in workbook.grids[sheet_name]]


def _sheet_grid(workbook: sandbox.WorkbookData, path: Path, sheet_name: str,
                formulas_possible: bool) -> tuple[list[list[object]], list[str]]:
    """The sheet's cells from A1, merged areas filled down, formulas without a stored value
    marked (``.xlsx`` only: the other formats store every formula's value); plus notes."""
    grid = _raw_grid(workbook, sheet_name)
    notes: list[str] = []
    merged = workbook.merged[sheet_name]
    filled = []
    for (r0, c0), (r1, c1) in merged:
        if r1 == r0:
            continue
        limits.check_grid(path.name, sheet_name, r1 + 1, c1 + 1)  # the fill's bound
        while len(grid) <= r1:
            grid.append([])
        for row in grid[r0:r1 + 1]:
            row.extend([""] * (c1 + 1 - len(row)))
        for c in range(c0, c1 + 1):
            for r in range(r0 + 1, r1 + 1):
                grid[r][c] = grid[r0][c]
        filled.append(f"{get_column_letter(c0 + 1)}{r0 + 1}:{get_column_letter(c1 + 1)}{r1 + 1}")
    if filled:
        notes.append(f"sammanfogade celler fylldes nedåt: {', '.join(filled)}")
    formulas = _formula_cells(path, sheet_name) if formulas_possible else {}
    without_value = 0
    for (r, c), formula in sorted(formulas.items()):
        current = grid[r][c] if r < len(grid) and c < len(grid[r]) else ""
        if _blank(current):
            while len(grid) <= r:
                grid.append([])
            grid[r].extend([""] * (c + 1 - len(grid[r])))
            grid[r][c] = CellProblem(
                "formula_no_value",
                f"cellen {get_column_letter(c + 1)}{r + 1} innehåller formeln {formula[:60]!r} "
                "utan "
                "sparat värde: skriv in värdet, eller öppna filen i Excel så att formeln räknas "
                "och spara den",
            )
            without_value += 1
    if formulas:
        notes.append(f"{len(formulas)} celler med formel, {len(formulas) - without_value} med "
                     "sparat värde")
    return grid, notes


def open_workbook(source: SourceFile) -> sandbox.WorkbookData:
    """The workbook's sheets, after the checks of samverkan.intake.limits, parsed in a child
    process (samverkan.intake.sandbox); :class:`SubmissionError` when it cannot be used."""
    limits.check_file(source)
    workbook = sandbox.load(source.path, source.name, source.kind)
    for name, grid in workbook.grids.items():
        limits.check_grid(source.name, name, len(grid), max(map(len, grid), default=0))
    return workbook


def read_workbook(source: SourceFile, report_round: int) -> list[SheetOutcome]:
    """Every sheet of the round from a workbook: a table or the error that rejected it."""
    workbook = open_workbook(source)
    names = workbook.names
    found = match_sheets(names, report_round)
    formulas_possible = source.kind == "xlsx" and has_formulas(source.path)
    outcomes = []
    used = {n for group in found.values() for n in group}
    ignored = [n for n in names if n not in used]
    for sheet in round_sheets(report_round):
        outcome = SheetOutcome(file=source.name, sheet=sheet, lan_code=source.lan_code)
        outcomes.append(outcome)
        if sheet not in found:
            spellings = ", ".join(repr(n) for n in codebook.sheet_names(sheet))
            outcome.error = SubmissionError(
                "sheet_missing",
                f"{source.name}: bladet {sheet!r} saknas (godtagna namn: {spellings}); "
                f"arbetsboken har {', '.join(repr(n) for n in names)}. Lägg till bladet eller "
                "byt namn på det.",
            )
            continue
        if len(found[sheet]) > 1:
            listed = " och ".join(repr(n) for n in found[sheet])
            outcome.sheet_name = ", ".join(found[sheet])
            outcome.error = SubmissionError(
                "sheet_ambiguous",
                f"{source.name}: bladen {listed} passar båda som tabellen {sheet!r}, så det går "
                f"inte att avgöra vilket som gäller, och inget av dem har lästs. Ta bort bladet "
                "som inte hör till inlämningen (till exempel en äldre version) och skicka filen "
                "igen.",
                rows_read=sum(rows_held(_raw_grid(workbook, n), sheet) for n in found[sheet]),
            )
            continue
        outcome.sheet_name = found[sheet][0]
        try:
            grid, notes = _sheet_grid(workbook, source.path, outcome.sheet_name,
                                      formulas_possible)
            table = table_from_grid(grid, file=source.name, sheet=sheet,
                                    sheet_name=outcome.sheet_name, lan_code=source.lan_code,
                                    report_round=report_round, strict_width=False)
            table.notes[:0] = notes
            outcome.table = table
        except SubmissionError as error:
            outcome.error = error
    if ignored:
        note = f"andra blad lästes inte: {', '.join(_header_label(n) for n in ignored)}"
        first = next((o.table for o in outcomes if o.table is not None), None)
        if first is not None:
            first.notes.append(note)
    return outcomes
