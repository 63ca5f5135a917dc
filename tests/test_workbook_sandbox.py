"""A county's workbook is parsed only in the sandbox's child process: the error values and
formulas that python-calamine does not show are read there too, never in the pipeline's own
process (issue 19: a parser's abort or hang costs only that file)."""

from __future__ import annotations

import xml.etree.ElementTree
from pathlib import Path

import openpyxl
import pytest
import xlrd
from clean_fixtures import (
    SheetError,
    allocation,
    board,
    grid,
    project,
    write_ods,
    write_xls,
    write_xlsx,
)

from samverkan.intake import ingest
from samverkan.intake.normalise import CellProblem

WRITERS = {"xlsx": write_xlsx, "xls": write_xls, "ods": write_ods}


def _workbook(raw: Path, kind: str) -> str:
    """Stockholm's workbook whose second project shows ``#N/A`` for the amount (and, in the
    ``.xlsx``, whose third project's amount is a formula saved without its value)."""
    rows = [project("Stockholm", f"1-{i}") for i in range(3)]
    rows[1] = {**rows[1], "granted_sek": SheetError("#N/A")}
    sheets = {"Projekt": grid("Projekt", rows, 2011),
              "Medel": grid("Medel", [allocation("01", y) for y in (2008, 2009, 2010)], 2011),
              "Länsstyrelsen": grid("Länsstyrelsen", [board("01")], 2011)}
    name = f"01-stockholm.{kind}"
    path = WRITERS[kind](raw / name, sheets)
    if kind == "xlsx":
        workbook = openpyxl.load_workbook(path)
        sheet = workbook["Projekt"]
        column = next(c.column_letter for c in sheet[1] if c.value == "Beviljade medel (kr)")
        sheet[f"{column}4"] = f"={column}2*2"
        workbook.save(path)
    return name


@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods"])
def test_error_values_and_formulas_are_read_in_the_child_only(tmp_path, monkeypatch, kind):
    name = _workbook(tmp_path, kind)

    def parsed_here(*args, **kwargs):
        raise AssertionError("a county's workbook was parsed in the pipeline's own process")

    monkeypatch.setattr(openpyxl, "load_workbook", parsed_here)
    monkeypatch.setattr(xlrd, "open_workbook", parsed_here)
    monkeypatch.setattr(xml.etree.ElementTree, "iterparse", parsed_here)
    outcomes = {(o.file, o.sheet): o for o in ingest.read_submissions(tmp_path, 2011)}
    outcome = outcomes[(name, "Projekt")]
    assert outcome.error is None, outcome.error
    cells = outcome.table.cells
    error = cells.loc[3, "granted_sek"]  # sheet row 3: the header is row 1
    assert isinstance(error, CellProblem) and error.check == "spreadsheet_error"
    assert error.shown == "#N/A" and "felvärdet '#N/A'" in error.reason
    if kind == "xlsx":
        formula = cells.loc[4, "granted_sek"]
        assert isinstance(formula, CellProblem) and formula.check == "formula_no_value"
        assert "1 celler med formel, 0 med sparat värde" in outcome.table.notes
    else:
        assert not any("formel" in note for note in outcome.table.notes)
