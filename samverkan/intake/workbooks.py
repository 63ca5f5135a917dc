"""Workbook submissions (``.xlsx``, ``.xls``, ``.ods``, all through python-calamine): the
round's sheets found by their accepted names, merged cells filled down, formulas without a stored
value marked, and each sheet's table or the error that rejected it (:func:`read_workbook`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl.utils import get_column_letter

from samverkan.intake import codebook, limits, sandbox
from samverkan.intake.files import SourceFile, SubmissionError
from samverkan.intake.normalise import CellProblem, error_cell
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


def _raw_grid(workbook: sandbox.WorkbookData, sheet_name: str) -> list[list[object]]:
    return [list(r) for r in workbook.grids[sheet_name]]


def fill_merged(grid: list[list[object]], merged: Sequence[tuple[tuple[int, int],
                                                                   tuple[int, int]]]) -> list[str]:
    """Fill each merged area of more than one row down from its first row, in place, into the
    rows of the area that hold data outside it; a blank row the area spans (a separator) stays
    blank. Returns the areas filled (``C3:C5``)."""
    filled = []
    for (r0, c0), (r1, c1) in merged:
        if r1 == r0:
            continue
        while len(grid) <= r1:
            grid.append([])
        for row in grid[r0:r1 + 1]:
            row.extend([""] * (c1 + 1 - len(row)))
        with_data = [r for r in range(r0 + 1, r1 + 1)
                     if any(not _blank(v) for j, v in enumerate(grid[r]) if not c0 <= j <= c1)]
        for c in range(c0, c1 + 1):
            for r in with_data:
                grid[r][c] = grid[r0][c]
        if with_data:
            filled.append(f"{get_column_letter(c0 + 1)}{r0 + 1}:"
                          f"{get_column_letter(c1 + 1)}{r1 + 1}")
    return filled


def _sheet_grid(workbook: sandbox.WorkbookData, path: Path, sheet_name: str
                ) -> tuple[list[list[object]], list[str]]:
    """The sheet's cells from A1, merged areas filled down into the rows with data, error
    values marked (calamine reads an error as an empty cell, or 0 in an ``.ods``) and
    formulas without a stored value marked (``.xlsx`` only: the other formats store every
    formula's value); plus notes."""
    grid = _raw_grid(workbook, sheet_name)
    notes: list[str] = []
    merged = workbook.merged[sheet_name]
    for (_, _), (r1, c1) in merged:  # the fill's bound
        limits.check_grid(path.name, sheet_name, r1 + 1, c1 + 1)
    filled = fill_merged(grid, merged)
    if filled:
        notes.append(f"sammanfogade celler fylldes nedåt: {', '.join(filled)}")
    errors = workbook.errors.get(sheet_name, {})
    for (r, c), value in sorted(errors.items()):
        while len(grid) <= r:
            grid.append([])
        grid[r].extend([""] * (c + 1 - len(grid[r])))
        grid[r][c] = error_cell(value, f"{get_column_letter(c + 1)}{r + 1}")
    formulas = workbook.formulas.get(sheet_name, {})
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
        failed = sum(1 for place in formulas if place in errors)
        notes.append(f"{len(formulas)} celler med formel, "
                     f"{len(formulas) - without_value - failed} med sparat värde"
                     + (f", {failed} med felvärde" if failed else ""))
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
            grid, notes = _sheet_grid(workbook, source.path, outcome.sheet_name)
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
