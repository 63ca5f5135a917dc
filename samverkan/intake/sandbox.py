"""A workbook parsed in a child process with a memory and time limit, so that whatever a
county's file makes the parser do (python-calamine aborts the whole process when an allocation
fails) costs that file only: the child's death becomes the file's :class:`SubmissionError`.

The child runs this file as a script (``python -I sandbox.py``) and imports nothing of the
project, so it starts in a tenth of a second; it sends back every sheet's name, cells (from A1,
empty area kept), merged ranges, error values and formulas, pickled: the parent process never
parses a county's workbook itself (not with openpyxl, xlrd or an XML parser either). The
limits checked before parsing (samverkan.intake.limits) make most refusals specific; these are
the backstop.
"""

from __future__ import annotations

import pickle
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

MEMORY_BYTES = 2 * 1024**3
"""Address space of the child that parses one workbook (a 10 000 × 200 sheet needs ~0.5 GB)."""
SECONDS = 120
"""Wall-clock time one workbook may take to parse (an ordinary one takes well under a second)."""

Merged = list[tuple[tuple[int, int], tuple[int, int]]]


@dataclass(frozen=True)
class WorkbookData:
    """A parsed workbook: its sheet names in order, and each sheet's cells and merged ranges
    (0-based ``((first row, first column), (last row, last column))``)."""

    names: list[str]
    grids: dict[str, list[list[object]]]
    merged: dict[str, Merged]
    errors: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)
    """Per sheet, (row, column) → error value (``#N/A``) of its error cells, 0-based: calamine
    reads them as empty cells (or 0 in an ``.ods``)."""
    formulas: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)
    """Per sheet, (row, column) → formula of its formula cells (``.xlsx`` only), 0-based."""


def _zip_has_formulas(path: str) -> bool:
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


def _zip_has_error_cells(path: str) -> bool:
    """Whether any worksheet of an ``.xlsx`` workbook holds an error value (``t="e"``)."""
    with zipfile.ZipFile(path) as archive:
        return any(re.search(rb"""<(?:\w+:)?c [^>]*\bt=["']e["']""", archive.read(name))
                   for name in archive.namelist()
                   if name.startswith("xl/worksheets/") and name.endswith(".xml"))


def _xlsx_cells(path: str, data_only: bool, data_type: str) -> dict[str, dict]:
    """Per sheet, (row, column) → value of the cells of openpyxl's ``data_type`` (``"e"`` an
    error value, typed or a formula's cached result, with ``data_only``; ``"f"`` a formula)."""
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    try:
        return {sheet.title: {(r, cell.column - 1): str(cell.value)
                              for r, row in enumerate(sheet.iter_rows())
                              for cell in row if getattr(cell, "data_type", None) == data_type}
                for sheet in workbook.worksheets}
    finally:
        workbook.close()


def _xls_error_cells(path: str) -> dict[str, dict]:
    """Per sheet, the error cells of an ``.xls`` workbook, typed or a formula's cached result;
    calamine reads them as empty cells, xlrd as errors."""
    import xlrd

    workbook = xlrd.open_workbook(path, on_demand=True)
    try:
        out = {}
        for name in workbook.sheet_names():
            sheet = workbook.sheet_by_name(name)
            out[name] = {(r, c): xlrd.error_text_from_code.get(sheet.cell_value(r, c), "#FEL")
                         for r in range(sheet.nrows) for c in range(sheet.row_len(r))
                         if sheet.cell_type(r, c) == xlrd.XL_CELL_ERROR}
        return out
    finally:
        workbook.release_resources()


_ODS = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
        "calcext": "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"}


def _ods_error_cells(path: str) -> dict[str, dict]:
    """Per sheet, the error cells of an ``.ods`` file (LibreOffice marks them
    ``calcext:value-type="error"``; calamine reads them as empty or 0)."""
    from xml.etree.ElementTree import iterparse

    with zipfile.ZipFile(path) as archive:
        if b'value-type="error"' not in archive.read("content.xml"):
            return {}
        table, row, col = f"{{{_ODS['table']}}}", -1, 0
        out: dict[str, dict] = {}
        current: dict | None = None
        for event, element in iterparse(archive.open("content.xml"), events=("start", "end")):
            tag = element.tag
            if tag == f"{table}table":
                if event == "start":
                    current = out.setdefault(element.get(f"{table}name", ""), {})
                    row = -1
                else:
                    current = None
                continue
            if current is None:
                continue
            if tag == f"{table}table-row" and event == "start":
                row, col = row + 1, 0
            elif tag == f"{table}table-row":
                row += int(element.get(f"{table}number-rows-repeated", "1")) - 1
            elif tag in (f"{table}table-cell", f"{table}covered-table-cell") and event == "end":
                if element.get(f"{{{_ODS['calcext']}}}value-type") == "error":
                    current[(row, col)] = "".join(element.itertext()).strip() or "#FEL"
                col += int(element.get(f"{table}number-columns-repeated", "1"))
                element.clear()
        return out


def _error_and_formula_cells(path: str, kind: str) -> tuple[dict, dict]:
    """The error cells and formula cells of every sheet, each read only when the format can
    hold them (for an ``.xlsx``, when a look into the zip finds any)."""
    if kind == "xls":
        return _xls_error_cells(path), {}
    if kind == "ods":
        return _ods_error_cells(path), {}
    errors = _xlsx_cells(path, True, "e") if _zip_has_error_cells(path) else {}
    formulas = _xlsx_cells(path, False, "f") if _zip_has_formulas(path) else {}
    return errors, formulas


def _child(path: str, kind: str, memory: int, cpu: int, max_rows: int,
           max_columns: int) -> dict:
    """Runs in the child: the workbook as plain data, or why it could not be read."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_path(path)
        names = list(workbook.sheet_names)
        grids, merged = {}, {}
        for name in names:
            sheet = workbook.get_sheet_by_name(name)
            height, width = sheet.total_height, sheet.total_width
            if height > max_rows or width > max_columns:
                return {"too_large": (name, height, width)}
            grids[name] = [list(r) for r in sheet.to_python(skip_empty_area=False)]
            merged[name] = [((r0, c0), (r1, c1))
                            for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
        errors, formulas = _error_and_formula_cells(path, kind)
        return {"names": names, "grids": grids, "merged": merged, "errors": errors,
                "formulas": formulas}
    except MemoryError:
        return {"memory": True}
    except Exception as error:  # calamine raises several types for a broken file
        return {"error": (type(error).__name__, " ".join(str(error).split())[:200])}


def kind_name(kind: str) -> str:
    """A workbook format as messages name it (Swedish)."""
    return {"xls": "Excel 97–2003-arbetsbok (.xls)", "ods": "LibreOffice-kalkylark (.ods)"
            }.get(kind, "Excel-arbetsbok (.xlsx)")


def load(path: Path, name: str, kind: str) -> WorkbookData:
    """The workbook at ``path`` parsed in a child process; :class:`SubmissionError` (messages
    naming ``name``) when it cannot be read, is too large, or takes too much memory or time."""
    from samverkan.intake import limits
    from samverkan.intake.files import SubmissionError

    def refused(check: str, what: str) -> SubmissionError:
        return SubmissionError(check, f"{name}: {what}")

    command = [sys.executable, "-I", __file__, str(path), kind, str(MEMORY_BYTES), str(SECONDS),
               str(limits.MAX_ROWS + 1), str(limits.MAX_COLUMNS)]
    try:
        proc = subprocess.run(command, capture_output=True, timeout=SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise refused("file_too_large", f"filen tog mer än {SECONDS} sekunder att läsa och "
                      f"har inte använts. {limits.SPLIT_ADVICE}") from None
    result = None
    if proc.returncode == 0:
        try:
            result = pickle.loads(proc.stdout)  # noqa: S301 (our own child's output)
        except (pickle.UnpicklingError, EOFError, ValueError):
            result = None
    if result is None or result.get("memory"):
        raise refused("file_too_large", f"filen behöver mer än {MEMORY_BYTES // 1024**3} GB "
                      f"minne för att läsas och har inte använts. {limits.SPLIT_ADVICE}")
    if "too_large" in result:
        sheet, rows, columns = result["too_large"]
        limits.check_grid(name, sheet, rows, columns)
    if "error" in result:
        error, detail = result["error"]
        raise SubmissionError(
            "file_unreadable",
            f"{name}: filen kan inte läsas som {kind_name(kind)} ({error}: {detail}). Öppna "
            "den i Excel och spara den som Excel-arbetsbok (.xlsx).")
    return WorkbookData(result["names"], result["grids"], result["merged"], result["errors"],
                        result["formulas"])


if __name__ == "__main__":
    _path, _kind, _memory, _cpu, _rows, _columns = sys.argv[1:7]
    sys.stdout.buffer.write(pickle.dumps(_child(_path, _kind, int(_memory), int(_cpu),
                                                int(_rows), int(_columns))))
