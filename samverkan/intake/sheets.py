"""A submission's sheets as read: the table of one sheet (Projekt, Medel or Länsstyrelsen) from
its grid of cells, a CSV file's rows or a worksheet (:func:`table_from_grid`), and what reading
each (file, sheet) gave (:class:`SheetOutcome`).

A reader finds the header row (anywhere in the sheet, under any title rows), maps the headers
through the codebook, drops personal data and unknown columns at once (only their header names
are noted, never their values), removes e-mail addresses, phone numbers and personnummer from
free text (counted), and returns the raw cells of the codebook's fields with their spreadsheet
row numbers. Nothing is parsed here (see :mod:`samverkan.intake.normalise`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd
from openpyxl.utils import get_column_letter

from samverkan.intake import codebook
from samverkan.intake.files import SubmissionError
from samverkan.intake.normalise import (
    character_name,
    error_cell,
    error_value,
    invisible_characters,
)
from samverkan.privacy import redact

HEADER_SCAN_ROWS = 30
"""The header is looked for among the first this many rows first, then in the rest."""
MIN_HEADER_MATCHES = 2
"""A row is a header row when at least this many of its cells are codebook headers."""
FREE_TEXT = ("text", "longtext")
"""Field types whose cells are searched for personal data."""


@dataclass
class RawSheet:
    """One table as read: the raw cells of the codebook fields, indexed by spreadsheet row."""

    file: str
    sheet: str
    """Canonical sheet: Projekt, Medel or Länsstyrelsen."""
    sheet_name: str
    """The sheet's name in the workbook (the canonical name for a CSV file)."""
    lan_code: str
    header_row: int
    cells: pd.DataFrame
    """Object columns named by canonical field; index = 1-based row number in the file."""
    row_problems: dict[int, tuple[str, str]] = field(default_factory=dict)
    """Row number → (check, reason) for rows unusable as a whole."""
    blank_rows: int = 0
    unknown_columns: list[str] = field(default_factory=list)
    """Headers the codebook does not know (their cells are not kept)."""
    personal_columns: int = 0
    """Contact-data columns dropped at reading (their cells are never kept)."""
    redacted: Counter[str] = field(default_factory=Counter)
    """Personal data removed from free-text cells, by kind (email, phone, personnummer)."""
    notes: list[str] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return len(self.cells)


@dataclass
class SheetOutcome:
    """What reading one (file, sheet) gave: a table, the error that rejected it, or (``copy_of``)
    nothing because the file is an identical copy of another."""

    file: str
    sheet: str
    lan_code: str
    sheet_name: str = ""
    table: RawSheet | None = None
    error: SubmissionError | None = None
    copy_of: str = ""


def round_sheets(report_round: int) -> tuple[str, ...]:
    """The sheets a submission of this round holds."""
    return tuple(s for s in codebook.SHEETS if report_round in codebook.sheet_rounds(s))


def _blank(cell: object) -> bool:
    if cell is None or cell == "":
        return True
    if isinstance(cell, str):
        return not cell.strip()
    return isinstance(cell, float) and cell != cell


@lru_cache(maxsize=8192)
def _canonical(sheet: str, cell: str) -> str | None:
    return codebook.canonical_header(sheet, cell)


def _header_matches(row: Sequence[object], sheet: str) -> int:
    """How many cells of the row are codebook headers (long text is never a header)."""
    return sum(
        1 for cell in row
        if isinstance(cell, str) and 0 < len(cell) <= 80 and _canonical(sheet, cell) is not None
    )


def find_header_row(grid: Sequence[Sequence[object]], sheet: str) -> int | None:
    """0-based index of the header row: the row with the most codebook headers (at least
    :data:`MIN_HEADER_MATCHES`), looked for among the first :data:`HEADER_SCAN_ROWS` rows and,
    when none is there, in the rest of the sheet; None when no row qualifies."""
    for lo, hi in ((0, HEADER_SCAN_ROWS), (HEADER_SCAN_ROWS, len(grid))):
        best, best_count = None, MIN_HEADER_MATCHES - 1
        for i in range(lo, min(hi, len(grid))):
            count = _header_matches(grid[i], sheet)
            if count > best_count:
                best, best_count = i, count
        if best is not None:
            return best
    return None


def _looks_like_header(row: Sequence[object]) -> bool:
    """Whether a row names at least two codebook columns of any sheet, even when its cells are
    run together by a delimiter that was not recognised."""
    words = [w for c in row if isinstance(c, str) for w in re.split(r"[|;,\t]", c)]
    return any(_header_matches(words, sheet) >= MIN_HEADER_MATCHES for sheet in codebook.SHEETS)


def rows_held(grid: Sequence[Sequence[object]], sheet: str | None) -> int:
    """The data rows a table holds, for the ledger of a file that is rejected whole: the
    non-blank rows under the header; when no header is recognised, the non-blank rows after a
    first row that looks like one, or all of them."""
    header = find_header_row(grid, sheet) if sheet else None
    filled = [i for i, row in enumerate(grid) if any(not _blank(c) for c in row)]
    if header is None:
        first = filled[0] if filled else None
        header = first if first is not None and _looks_like_header(grid[first]) else -1
    return sum(1 for i in filled if i > header)


def _header_label(cell: object) -> str:
    text = redact(" ".join(str(cell).split()))
    return text if len(text) <= 40 else text[:37] + "…"


def clean_cells(kept: list[list[object]], rows: list[int], columns: dict[str, int],
                round_fields: dict[str, codebook.Field]) -> list[str]:
    """Mend the kept cells in place, and say what was done: a spreadsheet error value
    (``#N/A``, ``#DIV/0!`` …) in any cell becomes a :class:`CellProblem` naming the cell and
    the error (its row is refused); invisible characters (zero-width space, soft hyphen, word
    joiner, BOM …) are removed from every cell that is not free text, so a code or
    diarienummer never differs invisibly from the same one elsewhere. Returns ledger notes."""
    letters = [get_column_letter(j + 1) for j in columns.values()]
    coded = [round_fields[name].type not in FREE_TEXT for name in columns]
    removed: Counter[str] = Counter()
    places: list[str] = []
    for number, row in zip(rows, kept, strict=True):
        for k, cell in enumerate(row):
            if cell.__class__ is not str or not cell:
                continue
            code = error_value(cell)
            if code is not None:
                row[k] = error_cell(code, f"{letters[k]}{number}")
                continue
            if coded[k] and not cell.isascii():
                hidden = invisible_characters(cell)
                if hidden:
                    row[k] = "".join(c for c in cell if c not in hidden)
                    removed.update(hidden)
                    places.append(f"{letters[k]}{number}")
    if not removed:
        return []
    names = ", ".join(f"{character_name(c)} {n} gång{'er' if n > 1 else ''}"
                      for c, n in sorted(removed.items()))
    shown = ", ".join(places[:10]) + (" …" if len(places) > 10 else "")
    return [f"osynliga tecken togs bort ur koder och värden: {names} (cell {shown})"]


def table_from_grid(
    grid: list[list[object]],
    *,
    file: str,
    sheet: str,
    sheet_name: str,
    lan_code: str,
    report_round: int,
    strict_width: bool,
) -> RawSheet:
    """Find the header, map it through the codebook, and keep the raw cells of the round's
    non-personal fields (free text with personal data removed). Cells in a column without a
    header are noted. ``strict_width`` (CSV): a row with more cells than the header is a row
    problem, a stray delimiter has shifted its columns; in a workbook such cells are noted."""
    where = file if strict_width else f"{file}, blad {sheet_name!r}"
    header_index = find_header_row(grid, sheet)
    if header_index is None:
        examples = ", ".join(repr(f.label) for f in codebook.fields(sheet, report_round)[:3])
        hint = " och att filen är avgränsad med ';'" if strict_width else ""
        raise SubmissionError(
            "header_missing",
            f"{where}: ingen rubrikrad hittades: ingen rad har minst {MIN_HEADER_MATCHES} "
            f"kolumnnamn ur kodboken (som {examples}). Kontrollera att tabellen har sin "
            f"rubrikrad{hint}.",
            rows_read=rows_held(grid, None),
        )
    header = grid[header_index]
    round_fields = {f.name: f for f in codebook.fields(sheet, report_round)}
    personal = codebook.personal_fields()
    columns: dict[str, int] = {}
    notes: list[str] = []
    unknown: list[str] = []
    other_round: list[str] = []
    personal_count = 0
    duplicate: tuple[str, int, int] | None = None
    for j, cell in enumerate(header):
        if _blank(cell):
            continue
        name = codebook.canonical_header(sheet, cell)
        if name is None:
            unknown.append(_header_label(cell))
        elif name in personal:
            personal_count += 1
        elif name not in round_fields:
            other_round.append(_header_label(cell))
        elif name in columns:
            duplicate = duplicate or (name, columns[name], j)
        else:
            columns[name] = j

    data = grid[header_index + 1:]
    width = len(header)
    unheaded = [j for j in range(width) if _blank(header[j])]
    rows: list[int] = []
    kept: list[list[object]] = []
    row_problems: dict[int, tuple[str, str]] = {}
    blank_rows = 0
    overflow_rows: list[int] = []
    unheaded_rows: list[int] = []
    for offset, row in enumerate(data):
        number = header_index + 2 + offset
        if all(_blank(c) for c in row):
            blank_rows += 1
            continue
        rows.append(number)
        kept.append([row[j] if j < len(row) else "" for j in columns.values()])
        if any(not _blank(row[j]) for j in unheaded if j < len(row)):
            unheaded_rows.append(number)
        if len(row) > width and any(not _blank(c) for c in row[width:]):
            last = max(j for j, c in enumerate(row) if not _blank(c))
            overflow_rows.append(number)
            row_problems[number] = (
                "row_width",
                f"raden har {last + 1} celler men rubrikraden har {width}: ett "
                "avgränsningstecken i en text förskjuter radens kolumner; sätt text som "
                "innehåller ';' inom citattecken eller ta bort tecknet",
            )
    if not strict_width or (len(rows) > 1 and len(overflow_rows) == len(rows)):
        row_problems = {}  # cells past the header in a workbook or on every row: a column
    else:
        overflow_rows = []

    if duplicate is not None:
        name, first, second = duplicate
        raise SubmissionError(
            "column_duplicate",
            f"{where}: kolumnerna {get_column_letter(first + 1)} och "
            f"{get_column_letter(second + 1)} betyder "
            f"båda {round_fields[name].label!r} ({name}); behåll en av dem.",
            rows_read=len(rows), column=name,
        )
    missing = [f for f in round_fields.values() if f.required and f.name not in columns]
    if missing:
        names = ", ".join(f"{f.label!r} ({f.name})" for f in missing)
        raise SubmissionError(
            "column_missing",
            f"{where}: obligatorisk{'a' if len(missing) > 1 else ''} "
            f"kolumn{'er' if len(missing) > 1 else ''} saknas: {names}. Lägg till kolumnen med "
            "en av kodbokens rubriker (se data/raw/README.md).",
            rows_read=len(rows),
            column=missing[0].name,
        )
    if other_round:
        notes.append(f"kolumner som inte efterfrågas {report_round} lästes inte: "
                     f"{', '.join(other_round)}")
    if unheaded_rows:
        letters = ", ".join(get_column_letter(j + 1) for j in unheaded)
        notes.append(f"celler i kolumner utan rubrik ({letters}) lästes inte, på "
                     f"{len(unheaded_rows)} rader")
    if overflow_rows:
        notes.append(f"celler till höger om sista rubriken (en kolumn utan rubrik) lästes inte, "
                     f"på {len(overflow_rows)} rader")
    notes += clean_cells(kept, rows, columns, round_fields)
    redacted: Counter[str] = Counter()
    free_text = [k for k, name in enumerate(columns) if round_fields[name].type in FREE_TEXT]
    seen: dict[str, tuple[str, Counter[str]]] = {}
    for row in kept:
        for k in free_text:
            text = row[k]
            if text.__class__ is str and text:
                done = seen.get(text)
                if done is None:
                    found: Counter[str] = Counter()
                    done = seen[text] = (redact(text, found), found)
                row[k] = done[0]
                if done[1]:
                    redacted.update(done[1])
    cells = pd.DataFrame(
        {name: pd.Series([r[k] for r in kept], dtype=object) for k, name in enumerate(columns)},
        columns=list(columns),
    )
    cells.index = pd.Index(rows, name="source_row")
    return RawSheet(file=file, sheet=sheet, sheet_name=sheet_name, lan_code=lan_code,
                    header_row=header_index + 1, cells=cells, row_problems=row_problems,
                    blank_rows=blank_rows, unknown_columns=unknown,
                    personal_columns=personal_count, redacted=redacted, notes=notes)
