"""The package's one xlsx writer: openpyxl workbooks saved with fixed bytes (the same content
always gives the same file: fixed document dates and zip entry times, entries in openpyxl's
order), atomically, with the helpers every workbook here shares (text that stays text, row
heights that fit wrapped text, sheet names within Excel's limit)."""

from __future__ import annotations

import io
import math
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from samverkan.io import write_atomic

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

FIXED_TIME = datetime(2011, 12, 31)
"""Document and zip entry time of every workbook the package writes."""
LINE_HEIGHT = 15.0
"""Points per line of 11-point Calibri, the default font."""
SHEET_NAME_LIMIT = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def workbook() -> Workbook:
    """A new workbook without its default sheet."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    return book


def set_text(cell: Cell, value: str) -> Cell:
    """Put ``value`` in ``cell`` as text: never a formula, even when it starts with ``=``."""
    cell.value = value
    cell.data_type = "s"
    return cell


def sheet_name(text: str, taken: set[str] | None = None) -> str:
    """A valid, unused Excel sheet name for ``text``: forbidden characters removed, cut at a
    word boundary to at most 31 characters (mid-word only for a single longer word), numbered
    when the name is taken (``taken`` holds lower-case names and gets the new one)."""
    clean = " ".join(_SHEET_FORBIDDEN.sub("", text).split()) or "Tabell"

    def cut(limit: int) -> str:
        if len(clean) <= limit:
            return clean
        head = clean[:limit + 1].rsplit(" ", 1)[0] if " " in clean[:limit + 1] else ""
        return head.rstrip(" -–,") or clean[:limit]

    name, n = cut(SHEET_NAME_LIMIT), 2
    while taken is not None and name.lower() in taken:
        suffix = f" {n}"
        name, n = cut(SHEET_NAME_LIMIT - len(suffix)) + suffix, n + 1
    if taken is not None:
        taken.add(name.lower())
    return name


def text_lines(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide (a word longer
    than the line is broken)."""
    chars = max(1, int(width * 1.1) - 1)  # text averages narrower than the width unit "0"
    lines = 0
    for paragraph in str(text).split("\n"):
        line = 0
        lines += 1
        for word in paragraph.split():
            if line and line + 1 + len(word) > chars:
                lines += 1
                line = 0
            line += (1 if line else 0) + len(word)
            if line > chars:
                lines += math.ceil(line / chars) - 1
                line %= chars
    return lines


def fit_row_heights(sheet: Worksheet, min_row: int = 1) -> None:
    """Set every row's height to fit its wrapped text: LibreOffice does not grow rows that a
    file leaves without a height, so wrapped cells would overlap the rows below."""
    from openpyxl.utils import get_column_letter

    def width(column: int) -> float:
        return sheet.column_dimensions[get_column_letter(column)].width or 8.43

    merged = {(r.min_row, r.min_col): sum(width(c) for c in range(r.min_col, r.max_col + 1))
              for r in sheet.merged_cells.ranges}
    for row in sheet.iter_rows(min_row=min_row):
        lines = 1
        for cell in row:
            if cell.value is None or not (cell.alignment and cell.alignment.wrap_text):
                continue
            wide = merged.get((cell.row, cell.column)) or width(cell.column)
            lines = max(lines, text_lines(str(cell.value), wide))
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = lines * LINE_HEIGHT + 2


def print_setup(sheet: Worksheet, header_rows: str = "1:1", landscape: bool = True) -> None:
    """Print on A4, all columns on one page width, the header rows repeated on every page."""
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = header_rows


def to_bytes(book: Workbook, creator: str = "samverkan") -> bytes:
    """The workbook's bytes, depending only on its content."""
    from openpyxl.writer.excel import ExcelWriter

    book.properties.creator = creator
    book.properties.created = book.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).write_data()
    stable = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, \
            zipfile.ZipFile(stable, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return stable.getvalue()


def save(book: Workbook, path: Path | str, creator: str = "samverkan") -> Path:
    """Write the workbook to ``path`` atomically, with fixed bytes (:func:`to_bytes`)."""
    return write_atomic(Path(path), lambda p: p.write_bytes(to_bytes(book, creator)))
