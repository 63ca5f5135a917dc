"""Workbook submissions (``.xlsx``, ``.xls``, ``.ods``, all through python-calamine): the
round's sheets found by their accepted names, merged cells filled down, formulas without a stored
value marked, and each sheet's table or the error that rejected it (:func:`read_workbook`)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

import python_calamine
from openpyxl.utils import get_column_letter

from samverkan.intake import codebook
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


def has_formulas(path: Path) -> bool:
    """Whether any worksheet of an ``.xlsx`` workbook holds a formula (a look into the zip)."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                data = archive.read(name)
                if b"<f>" in data or b"<f " in data or re.search(rb"<\w+:f[ >]", data):
                    return True
    return False


def has_error_cells(path: Path) -> bool:
    """Whether any worksheet of an ``.xlsx`` workbook holds an error value (``t="e"``)."""
    with zipfile.ZipFile(path) as archive:
        return any(re.search(rb"""<(?:\w+:)?c [^>]*\bt=["']e["']""", archive.read(name))
                   for name in archive.namelist()
                   if name.startswith("xl/worksheets/") and name.endswith(".xml"))


def _error_cells(path: Path, sheet_name: str) -> dict[tuple[int, int], str]:
    """(row, column) → error value (``#N/A``) of the sheet's error cells, typed or a formula's
    cached result (0-based). python-calamine reads them as empty cells, openpyxl as errors."""
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return {(r, cell.column - 1): str(cell.value)
                for r, row in enumerate(workbook[sheet_name].iter_rows())
                for cell in row if getattr(cell, "data_type", None) == "e"}
    finally:
        workbook.close()


def _xls_error_cells(path: Path, sheet_name: str) -> dict[tuple[int, int], str]:
    """(row, column) → error value of the sheet's error cells in an ``.xls`` workbook, typed or
    a formula's cached result (0-based); calamine reads them as empty cells, xlrd as errors."""
    import xlrd

    workbook = xlrd.open_workbook(str(path), on_demand=True)
    try:
        sheet = workbook.sheet_by_name(sheet_name)
        return {(r, c): xlrd.error_text_from_code.get(sheet.cell_value(r, c), "#FEL")
                for r in range(sheet.nrows) for c in range(sheet.row_len(r))
                if sheet.cell_type(r, c) == xlrd.XL_CELL_ERROR}
    finally:
        workbook.release_resources()


_ODS = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
        "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
        "calcext": "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"}


def _ods_error_cells(path: Path, sheet_name: str) -> dict[tuple[int, int], str]:
    """(row, column) → error value of the sheet's error cells in an ``.ods`` file (LibreOffice
    marks them ``calcext:value-type="error"``; calamine reads them as empty or 0), 0-based."""
    from xml.etree.ElementTree import iterparse

    with zipfile.ZipFile(path) as archive:
        if b'value-type="error"' not in archive.read("content.xml"):
            return {}
        handle = archive.open("content.xml")
        table, row, col = f"{{{_ODS['table']}}}", -1, 0
        out: dict[tuple[int, int], str] = {}
        inside = False
        for event, element in iterparse(handle, events=("start", "end")):
            tag = element.tag
            if tag == f"{table}table":
                if event == "start":
                    inside = element.get(f"{table}name") == sheet_name
                    row = -1
                continue
            if not inside:
                continue
            if tag == f"{table}table-row" and event == "start":
                row, col = row + 1, 0
            elif tag == f"{table}table-row":
                row += int(element.get(f"{table}number-rows-repeated", "1")) - 1
            elif tag in (f"{table}table-cell", f"{table}covered-table-cell") and event == "end":
                if element.get(f"{{{_ODS['calcext']}}}value-type") == "error":
                    shown = "".join(element.itertext()).strip() or "#FEL"
                    out[(row, col)] = shown
                col += int(element.get(f"{table}number-columns-repeated", "1"))
                element.clear()
        return out


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


def _raw_grid(workbook: python_calamine.CalamineWorkbook, sheet_name: str,
              sheet: python_calamine.CalamineSheet | None = None) -> list[list[object]]:
    sheet = sheet or workbook.get_sheet_by_name(sheet_name)
    return [list(r) for r in sheet.to_python(skip_empty_area=False)]


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


def _sheet_grid(workbook: python_calamine.CalamineWorkbook, path: Path, sheet_name: str,
                formulas_possible: bool, errors_possible: bool = False
                ) -> tuple[list[list[object]], list[str]]:
    """The sheet's cells from A1, merged areas filled down into the rows with data, error
    values marked (calamine reads an error as an empty cell, or 0 in an ``.ods``) and
    formulas without a stored value marked (``.xlsx`` only: the other formats store every
    formula's value); plus notes."""
    sheet = workbook.get_sheet_by_name(sheet_name)
    grid = _raw_grid(workbook, sheet_name, sheet)
    notes: list[str] = []
    filled = fill_merged(grid, sheet.merged_cell_ranges or [])
    if filled:
        notes.append(f"sammanfogade celler fylldes nedåt: {', '.join(filled)}")
    errors = {}
    if errors_possible:
        reader = {".ods": _ods_error_cells, ".xls": _xls_error_cells}.get(path.suffix.lower(),
                                                                        _error_cells)
        errors = reader(path, sheet_name)
    for (r, c), value in sorted(errors.items()):
        while len(grid) <= r:
            grid.append([])
        grid[r].extend([""] * (c + 1 - len(grid[r])))
        grid[r][c] = error_cell(value, f"{get_column_letter(c + 1)}{r + 1}")
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
        failed = sum(1 for place in formulas if place in errors)
        notes.append(f"{len(formulas)} celler med formel, "
                     f"{len(formulas) - without_value - failed} med sparat värde"
                     + (f", {failed} med felvärde" if failed else ""))
    return grid, notes


def _open_workbook(source: SourceFile) -> tuple[python_calamine.CalamineWorkbook, list[str]]:
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(source.path))
        return workbook, list(workbook.sheet_names)
    except Exception as error:  # calamine raises several types for a broken file
        detail = " ".join(str(error).split())[:120]
        kind = {"xls": "Excel 97–2003-arbetsbok (.xls)", "ods": "LibreOffice-kalkylark (.ods)"
                }.get(source.kind, "Excel-arbetsbok (.xlsx)")
        raise SubmissionError(
            "file_unreadable",
            f"{source.name}: filen kan inte läsas som {kind} ({type(error).__name__}: "
            f"{detail}). Öppna den i Excel och spara den som Excel-arbetsbok (.xlsx).",
        ) from None


def read_workbook(source: SourceFile, report_round: int) -> list[SheetOutcome]:
    """Every sheet of the round from a workbook: a table or the error that rejected it."""
    workbook, names = _open_workbook(source)
    found = match_sheets(names, report_round)
    formulas_possible = source.kind == "xlsx" and has_formulas(source.path)
    errors_possible = source.kind in {"ods", "xls"} or (source.kind == "xlsx"
                                                        and has_error_cells(source.path))
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
                                      formulas_possible, errors_possible)
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
