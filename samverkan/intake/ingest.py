"""Readers for the county boards' submissions: workbooks (``.xlsx``, ``.xls``, ``.ods``, all through
python-calamine) and CSV files under ``data/raw/<round>/`` (which files make up a submission:
:mod:`samverkan.intake.files`).

A reader finds the header row (anywhere in the sheet, under any title rows), maps the headers
through the codebook, drops personal data and unknown columns at once (only their header names
are noted, never their values), removes e-mail addresses, phone numbers and personnummer from
free text (counted), and returns the raw cells of the codebook's fields with their spreadsheet
row numbers. Nothing is parsed here (see :mod:`samverkan.intake.normalise`). A problem that makes
a whole file or sheet unusable raises :class:`SubmissionError` with a message that says what to
do; an unexpected error in one file rejects that file (``internal_error``) and the round goes on.
Raw files are opened read-only and never modified.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import python_calamine
from openpyxl.utils import get_column_letter

from samverkan import registry
from samverkan.intake import codebook
from samverkan.intake.files import (
    SourceFile,
    SubmissionError,
    candidates,
    identify,
    resolve,
)
from samverkan.intake.normalise import CellProblem
from samverkan.privacy import redact

__all__ = ["RawSheet", "SheetOutcome", "SourceFile", "SubmissionError", "identify", "read_csv",
           "read_submissions", "read_workbook", "table_from_grid"]

HEADER_SCAN_ROWS = 30
"""The header is looked for among the first this many rows first, then in the rest."""
MIN_HEADER_MATCHES = 2
"""A row is a header row when at least this many of its cells are codebook headers."""
DELIMITERS = (";", ",", "\t")
"""CSV delimiters tried, in order of preference (the contract says ``;``)."""
ENCODINGS = ("utf-8-sig", "cp1252")
"""CSV encodings accepted: UTF-8 with or without BOM, Windows-1252."""
FREE_TEXT = ("text", "longtext")
"""Field types whose cells are searched for personal data."""
SAVE_AS = "Spara den som 'CSV UTF-8 (kommaavgränsad)' eller 'CSV (semikolonavgränsad)' från Excel."
_DELIMITER_NAMES = {";": "';'", ",": "','", "\t": "tabb"}


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


# -------------------------------------------------------------------------------------- tables


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


# ------------------------------------------------------------------------------------------ CSV


def decode(raw: bytes, name: str) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in; :class:`SubmissionError` when it is
    not UTF-8 (with or without BOM) or Windows-1252."""
    if not raw.strip():
        raise SubmissionError("file_empty", f"{name}: filen är tom. Skicka den ifyllda tabellen.")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw.count(b"\x00") > len(raw) // 10:
        raise SubmissionError("file_encoding", f"{name}: filen är UTF-16-text. {SAVE_AS}",
                              rows_read=_utf16_rows(raw))
    for encoding in ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text):
            raise SubmissionError(
                "file_encoding",
                f"{name}: filen innehåller styrtecken: den är inte text i UTF-8 eller "
                f"Windows-1252. {SAVE_AS}", rows_read=_text_rows(text),
            )
        if re.search(r"Ã[\u0080-\u00bf\u2013-\u203a\u0152-\u0178]", text):
            raise SubmissionError(
                "file_encoding",
                f"{name}: texten är UTF-8 som har konverterats två gånger (å ä ö syns som Ã¥ Ã¤ "
                f"Ã¶). {SAVE_AS}", rows_read=_text_rows(text),
            )
        return text, encoding
    raise SubmissionError(
        "file_encoding", f"{name}: filen är varken UTF-8- eller Windows-1252-text. {SAVE_AS}",
        rows_read=_text_rows(raw.decode("latin-1")),
    )


def _text_rows(text: str) -> int:
    return rows_held(_csv_rows(text, _sniff(text, None)), None)


def _utf16_rows(raw: bytes) -> int:
    try:
        return _text_rows(raw.decode("utf-16"))
    except UnicodeDecodeError:
        return 0


def _csv_rows(text: str, delimiter: str) -> list[list[object]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _sniff(text: str, sheet: str | None) -> str:
    """The delimiter whose split gives the most codebook headers (most cells when ``sheet`` is
    None), preferring ``;``."""
    head = "\n".join(text.splitlines()[:HEADER_SCAN_ROWS])
    if sheet is None:
        return max(DELIMITERS, key=lambda d: head.count(d))
    scores = {d: max((_header_matches(r, sheet) for r in _csv_rows(head, d)), default=0)
              for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: scores[d])


def _delimiter_cause(delimiter: str) -> str:
    name = _DELIMITER_NAMES[delimiter]
    return (f"Filen är avgränsad med {name}, inte med ';', och text som innehåller {name} står "
            "inte inom citattecken, så kolumnerna förskjuts. Spara den som "
            "'CSV (semikolonavgränsad)' från Excel.")


def read_csv(source: SourceFile, report_round: int) -> RawSheet:
    """One table from a CSV file (delimiter and encoding detected). When the file is separated
    by ``,`` or tab, a problem with its columns is reported with that as its cause."""
    assert source.sheet is not None
    with source.path.open("rb") as handle:
        raw = handle.read()
    text, encoding = decode(raw, source.name)
    delimiter = _sniff(text, source.sheet)
    grid = _csv_rows(text, delimiter)
    try:
        table = table_from_grid(grid, file=source.name, sheet=source.sheet,
                                sheet_name=source.sheet, lan_code=source.lan_code,
                                report_round=report_round, strict_width=True)
    except SubmissionError as error:
        if delimiter == ";" or error.check not in {"column_duplicate", "column_missing"}:
            raise
        raise SubmissionError(
            "file_delimiter",
            f"{source.name}: {_delimiter_cause(delimiter)} (Så som filen är nu: "
            f"{error.message.split(': ', 1)[-1]})",
            rows_read=error.rows_read, column=error.column,
        ) from None
    if delimiter != ";":
        for number, (check, _) in list(table.row_problems.items()):
            table.row_problems[number] = (check, _delimiter_cause(delimiter))
    if encoding != "utf-8-sig" or delimiter != ";":
        readable = {"utf-8-sig": "UTF-8", "cp1252": "Windows-1252"}[encoding]
        table.notes.insert(0, f"teckenkodning {readable}, avgränsare "
                              f"{_DELIMITER_NAMES[delimiter]}")
    return table


# ------------------------------------------------------------------------------------- workbooks


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


def _sheet_grid(workbook: python_calamine.CalamineWorkbook, path: Path, sheet_name: str,
                formulas_possible: bool) -> tuple[list[list[object]], list[str]]:
    """The sheet's cells from A1, merged areas filled down, formulas without a stored value
    marked (``.xlsx`` only: the other formats store every formula's value); plus notes."""
    sheet = workbook.get_sheet_by_name(sheet_name)
    grid = _raw_grid(workbook, sheet_name, sheet)
    notes: list[str] = []
    merged = sheet.merged_cell_ranges or []
    filled = []
    for (r0, c0), (r1, c1) in merged:
        if r1 == r0:
            continue
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


# ------------------------------------------------------------------------------------ the round


def file_rows(path: Path, kind: str, report_round: int, sheet: str | None = None) -> int:
    """Best effort: the data rows a file holds, for the ledger of a file rejected before it
    was read (0 when it cannot be read at all)."""
    try:
        if kind == "csv":
            raw = path.read_bytes()
            if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                return _utf16_rows(raw)
            text = raw.decode("utf-8-sig", errors="replace")
            return rows_held(_csv_rows(text, _sniff(text, sheet)), sheet)
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        found = match_sheets(list(workbook.sheet_names), report_round)
        return sum(rows_held(_raw_grid(workbook, n), s) for s, group in found.items()
                   for n in group)
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


def read_submissions(raw_dir: Path, report_round: int) -> list[SheetOutcome]:
    """Every (file, sheet) of the round under ``raw_dir``: read tables, identical copies set
    aside, and rejected files (by name, by an ambiguous submission, by content, or by an
    unexpected error in that file alone), in file order."""
    outcomes: list[SheetOutcome] = []
    by_county: dict[str, list[SourceFile]] = {}
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
        for source in resolution.use:
            try:
                outcomes.extend(_read_file(source, report_round))
            except Exception as error:  # one file's unexpected failure never stops the round
                rows = file_rows(source.path, source.kind, report_round, source.sheet)
                outcomes.append(SheetOutcome(file=source.name, sheet="", lan_code=lan_code,
                                             error=internal_error(error, source.name, "", rows)))
            used.append(source)
    outcomes += _csv_tables_missing(used, report_round)
    return sorted(outcomes, key=lambda o: (o.file, o.sheet))
