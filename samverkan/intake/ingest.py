"""Readers for the county boards' submissions: workbooks (``<länskod>-<slug>.xlsx``) and CSV files
(``<länskod>-<slug>-<suffix>.csv``) under ``data/raw/<round>/``.

A reader finds the header row under any title rows, maps the headers through the codebook, drops
personal data and unknown columns at once (only their header names are noted, never their
values), and returns the raw cells of the codebook's fields with their spreadsheet row numbers.
Nothing is parsed here (see :mod:`samverkan.intake.normalise`). A problem that makes a whole file or
sheet unusable raises :class:`SubmissionError` with a message that says what to do. Raw files
are opened read-only and never modified.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import python_calamine

from samverkan import registry
from samverkan.intake import codebook
from samverkan.intake.normalise import CellProblem
from samverkan.privacy import redact

HEADER_SCAN_ROWS = 30
"""Title rows above the header: the header must be among the first this many rows."""
MIN_HEADER_MATCHES = 2
"""A row is a header row when at least this many of its cells are codebook headers."""
DELIMITERS = (";", ",", "\t")
"""CSV delimiters tried, in order of preference (the contract says ``;``)."""
ENCODINGS = ("utf-8-sig", "cp1252")
"""CSV encodings accepted: UTF-8 with or without BOM, Windows-1252."""

_FILE_NAME = re.compile(r"^(?P<code>\d{2})-(?P<slug>[a-z0-9_-]+?)(?:-(?P<suffix>[a-z]+))?$")


class SubmissionError(Exception):
    """A file or sheet that cannot be used as a whole; the message names the problem and what
    to do. ``rows_read`` counts the data rows it held (0 when unreadable)."""

    def __init__(self, check: str, message: str, rows_read: int = 0, column: str = "") -> None:
        super().__init__(message)
        self.check = check
        self.message = redact(message)
        self.rows_read = rows_read
        self.column = column


@dataclass(frozen=True)
class SourceFile:
    """A submission file: its name relative to the round's raw folder, county, and kind."""

    path: Path
    name: str
    lan_code: str
    kind: str
    """``xlsx`` or ``csv``."""
    sheet: str | None = None
    """For a CSV file: the canonical sheet its suffix names."""


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
    notes: list[str] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return len(self.cells)


@dataclass
class SheetOutcome:
    """What reading one (file, sheet) gave: a table, or the error that rejected it."""

    file: str
    sheet: str
    lan_code: str
    sheet_name: str = ""
    table: RawSheet | None = None
    error: SubmissionError | None = None


# ------------------------------------------------------------------------------------ discovery


def round_sheets(report_round: int) -> tuple[str, ...]:
    """The sheets a submission of this round holds."""
    return tuple(s for s in codebook.SHEETS if report_round in codebook.sheet_rounds(s))


def _sheet_for_suffix(suffix: str) -> str | None:
    for sheet in codebook.SHEETS:
        if codebook.csv_suffix(sheet) == suffix:
            return sheet
    return None


def identify(path: Path, raw_dir: Path) -> SourceFile:
    """The county and kind of a submission file from its name; :class:`SubmissionError` when the
    name does not follow ``<länskod>-<slug>.xlsx`` / ``<länskod>-<slug>-<suffix>.csv``."""
    name = path.relative_to(raw_dir).as_posix()
    kind = path.suffix.lower().lstrip(".")
    expected = (
        "name files <länskod>-<county>.xlsx or <länskod>-<county>-<projekt|medel|lansstyrelsen>"
        ".csv, e.g. 01-stockholm.xlsx or 25-norrbotten-projekt.csv"
    )
    if kind not in {"xlsx", "csv"}:
        raise SubmissionError(
            "file_format",
            f"{name}: unsupported file type {path.suffix!r}. Save the submission as an Excel "
            f"workbook (.xlsx) or as CSV files and {expected}.",
        )
    match = _FILE_NAME.match(path.stem.lower())
    if not match:
        raise SubmissionError(
            "file_name", f"{name}: the file name does not say the county: {expected}."
        )
    try:
        lan_code = registry.county_code(match["code"])
    except registry.UnknownCountyError as error:
        raise SubmissionError(
            "county_unknown", f"{name}: the file name names an unknown county. {error}"
        ) from None
    slug, suffix = match["slug"], match["suffix"]
    sheet = None
    if kind == "csv":
        if suffix is None and "-" in slug:
            slug, suffix = slug.rsplit("-", 1)
        sheet = _sheet_for_suffix(suffix or "")
        if sheet is None:
            suffixes = ", ".join(f"-{codebook.csv_suffix(s)}" for s in codebook.SHEETS)
            raise SubmissionError(
                "file_name",
                f"{name}: cannot tell which table this CSV file holds; end its name with one of "
                f"{suffixes} ({expected}).",
            )
    elif suffix is not None:
        slug = f"{slug}-{suffix}"
    try:
        slug_code = registry.county_code(slug.replace("-", " "))
    except registry.UnknownCountyError:
        slug_code = lan_code
    if slug_code != lan_code:
        raise SubmissionError(
            "county_mismatch",
            f"{name}: the file name's county code {lan_code} "
            f"({registry.county_name(lan_code, 'short')}) and name {slug!r} "
            f"({registry.county_name(slug_code, 'short')}) disagree; rename the file.",
        )
    return SourceFile(path=path, name=name, lan_code=lan_code, kind=kind, sheet=sheet)


def discover(raw_dir: Path) -> tuple[list[SourceFile], list[SheetOutcome]]:
    """The round's submission files, sorted by name, and the files rejected by their name.
    Hidden files, Excel lock files (``~$…``) and README files are skipped."""
    files: list[SourceFile] = []
    rejected: list[SheetOutcome] = []
    for path in sorted(p for p in raw_dir.rglob("*") if p.is_file()):
        if path.name.startswith((".", "~$")) or path.stem.upper() == "README":
            continue
        try:
            files.append(identify(path, raw_dir))
        except SubmissionError as error:
            rejected.append(SheetOutcome(file=path.relative_to(raw_dir).as_posix(), sheet="",
                                         lan_code="", error=error))
    return files, rejected


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
    """0-based index of the header row: the row among the first :data:`HEADER_SCAN_ROWS` with the
    most codebook headers (at least :data:`MIN_HEADER_MATCHES`), or None."""
    best, best_count = None, MIN_HEADER_MATCHES - 1
    for i, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        count = _header_matches(row, sheet)
        if count > best_count:
            best, best_count = i, count
    return best


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


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
    non-personal fields. ``strict_width``: a row with more cells than the header is a row
    problem (CSV: a stray delimiter shifted its columns); otherwise such cells are noted."""
    where = file if strict_width else f"{file}, sheet {sheet_name!r}"
    header_index = find_header_row(grid, sheet)
    if header_index is None:
        examples = ", ".join(repr(f.label) for f in codebook.fields(sheet, report_round)[:3])
        hint = " and that it is separated by ';'" if strict_width else ""
        raise SubmissionError(
            "header_missing",
            f"{where}: no header row found: none of the first {HEADER_SCAN_ROWS} rows has at "
            f"least {MIN_HEADER_MATCHES} column names from the codebook (such as {examples}). "
            f"Check that the table has its header row{hint}.",
        )
    header = grid[header_index]
    round_fields = {f.name: f for f in codebook.fields(sheet, report_round)}
    personal = codebook.personal_fields()
    columns: dict[str, int] = {}
    notes: list[str] = []
    unknown: list[str] = []
    other_round: list[str] = []
    personal_count = 0
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
            first = _column_letter(columns[name])
            raise SubmissionError(
                "column_duplicate",
                f"{where}: columns {first} and {_column_letter(j)} both mean "
                f"{round_fields[name].label!r} ({name}); keep one of them.",
                column=name,
            )
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
    for offset, row in enumerate(data):
        number = header_index + 2 + offset
        if all(c == "" or c is None or _blank(c) for c in row):
            blank_rows += 1
            continue
        rows.append(number)
        kept.append([row[j] if j < len(row) else "" for j in columns.values()])
        extra = [c for c in row[width:] if not _blank(c)]
        extra += [row[j] for j in unheaded if j < len(row) and not _blank(row[j])]
        if extra:
            if strict_width:
                row_problems[number] = (
                    "row_width",
                    f"row has {len(row)} cells but the header has {width}: a stray "
                    "delimiter shifts its columns; quote text that holds ';'",
                )
            else:
                overflow_rows.append(number)

    missing = [f for f in round_fields.values() if f.required and f.name not in columns]
    if missing:
        names = ", ".join(f"{f.label!r} ({f.name})" for f in missing)
        raise SubmissionError(
            "column_missing",
            f"{where}: required column{'s' if len(missing) > 1 else ''} missing: {names}. Add "
            f"the column with one of the header spellings in the codebook.",
            rows_read=len(rows),
            column=missing[0].name,
        )
    if other_round:
        notes.append(f"columns not asked in {report_round} ignored: {', '.join(other_round)}")
    if overflow_rows:
        notes.append(f"cells without a header ignored on {len(overflow_rows)} rows")
    cells = pd.DataFrame(
        {name: pd.Series([r[k] for r in kept], dtype=object) for k, name in enumerate(columns)},
        columns=list(columns),
    )
    cells.index = pd.Index(rows, name="source_row")
    return RawSheet(file=file, sheet=sheet, sheet_name=sheet_name, lan_code=lan_code,
                    header_row=header_index + 1, cells=cells, row_problems=row_problems,
                    blank_rows=blank_rows, unknown_columns=unknown,
                    personal_columns=personal_count, notes=notes)


# ------------------------------------------------------------------------------------------ CSV


def decode(raw: bytes, name: str) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in; :class:`SubmissionError` when it is
    not UTF-8 (with or without BOM) or Windows-1252."""
    fix = "Save it as 'CSV UTF-8 (kommaavgränsad)' or 'CSV (semikolonavgränsad)' from Excel."
    if not raw.strip():
        raise SubmissionError("file_empty", f"{name}: the file is empty. Send the filled-in table.")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw.count(b"\x00") > len(raw) // 10:
        raise SubmissionError("file_encoding", f"{name}: the file is UTF-16 text. {fix}")
    for encoding in ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text):
            raise SubmissionError(
                "file_encoding",
                f"{name}: the file holds control characters: it is not text in UTF-8 or "
                f"Windows-1252. {fix}",
            )
        if re.search(r"Ã[\u0080-\u00bf\u2013-\u203a\u0152-\u0178]", text):
            raise SubmissionError(
                "file_encoding",
                f"{name}: the text is UTF-8 converted twice (å ä ö show as Ã¥ Ã¤ Ã¶). {fix}",
            )
        return text, encoding
    raise SubmissionError(
        "file_encoding", f"{name}: the file is neither UTF-8 nor Windows-1252 text. {fix}"
    )


def _csv_rows(text: str, delimiter: str) -> list[list[object]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def read_csv(source: SourceFile, report_round: int) -> RawSheet:
    """One table from a CSV file (delimiter and encoding detected)."""
    assert source.sheet is not None
    with source.path.open("rb") as handle:
        raw = handle.read()
    text, encoding = decode(raw, source.name)
    head = "\n".join(text.splitlines()[:HEADER_SCAN_ROWS])
    scores = {d: max((_header_matches(r, source.sheet) for r in _csv_rows(head, d)), default=0)
              for d in DELIMITERS}
    delimiter = max(DELIMITERS, key=lambda d: scores[d])
    grid = _csv_rows(text, delimiter)
    table = table_from_grid(grid, file=source.name, sheet=source.sheet, sheet_name=source.sheet,
                            lan_code=source.lan_code, report_round=report_round,
                            strict_width=True)
    if encoding != "utf-8-sig" or delimiter != ";":
        readable = {"utf-8-sig": "UTF-8", "cp1252": "Windows-1252"}[encoding]
        table.notes.insert(0, f"encoding {readable}, delimiter {delimiter!r}")
    return table


# ------------------------------------------------------------------------------------- workbooks


def _sheet_key(name: str) -> str:
    return codebook.header_key(name)


def match_sheets(names: Sequence[str], report_round: int) -> dict[str, str]:
    """Canonical sheet → the workbook's sheet name, by the codebook's accepted spellings."""
    found: dict[str, str] = {}
    for sheet in round_sheets(report_round):
        keys = {_sheet_key(n) for n in codebook.sheet_names(sheet)}
        for name in names:
            if _sheet_key(name) in keys and sheet not in found:
                found[sheet] = name
    return found


def has_formulas(path: Path) -> bool:
    """Whether any worksheet of the workbook holds a formula (a cheap look into the zip)."""
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


def _sheet_grid(workbook: python_calamine.CalamineWorkbook, path: Path, sheet_name: str,
                formulas_possible: bool) -> tuple[list[list[object]], list[str]]:
    """The sheet's cells from A1, merged areas filled down, formulas without a stored value
    marked; plus notes on what was done."""
    sheet = workbook.get_sheet_by_name(sheet_name)
    grid = [list(r) for r in sheet.to_python(skip_empty_area=False)]
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
        filled.append(f"{_column_letter(c0)}{r0 + 1}:{_column_letter(c1)}{r1 + 1}")
    if filled:
        notes.append(f"merged cells filled down: {', '.join(filled)}")
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
                f"cell {_column_letter(c)}{r + 1} holds the formula {formula[:60]!r} without a "
                "stored value: open the file in Excel so it calculates, save it, or type the value",
            )
            without_value += 1
    if formulas:
        notes.append(f"{len(formulas)} formula cells, {len(formulas) - without_value} with a "
                     "stored value")
    return grid, notes


def read_workbook(source: SourceFile, report_round: int) -> list[SheetOutcome]:
    """Every sheet of the round from a workbook: a table or the error that rejected it."""
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(source.path))
        names = list(workbook.sheet_names)
    except Exception as error:  # calamine raises several types for a broken file
        detail = " ".join(str(error).split())[:120]
        raise SubmissionError(
            "file_unreadable",
            f"{source.name}: cannot be read as an Excel workbook ({type(error).__name__}: "
            f"{detail}). Open it in Excel and save it as .xlsx (Excel-arbetsbok).",
        ) from None
    found = match_sheets(names, report_round)
    formulas_possible = has_formulas(source.path)
    outcomes = []
    ignored = [n for n in names if n not in found.values()]
    for sheet in round_sheets(report_round):
        outcome = SheetOutcome(file=source.name, sheet=sheet, lan_code=source.lan_code)
        if sheet not in found:
            spellings = ", ".join(repr(n) for n in codebook.sheet_names(sheet))
            outcome.error = SubmissionError(
                "sheet_missing",
                f"{source.name}: no sheet {sheet!r} (accepted names: {spellings}); the workbook "
                f"has {', '.join(repr(n) for n in names)}. Add the sheet or rename it.",
            )
            outcomes.append(outcome)
            continue
        outcome.sheet_name = found[sheet]
        try:
            grid, notes = _sheet_grid(workbook, source.path, found[sheet], formulas_possible)
            table = table_from_grid(grid, file=source.name, sheet=sheet, sheet_name=found[sheet],
                                    lan_code=source.lan_code, report_round=report_round,
                                    strict_width=False)
            table.notes[:0] = notes
            outcome.table = table
        except SubmissionError as error:
            outcome.error = error
        outcomes.append(outcome)
    if ignored and outcomes:
        note = f"other sheets ignored: {', '.join(_header_label(n) for n in ignored)}"
        first = outcomes[0]
        if first.table is not None:
            first.table.notes.append(note)
    return outcomes


# ------------------------------------------------------------------------------------ the round


def read_submissions(raw_dir: Path, report_round: int) -> list[SheetOutcome]:
    """Every (file, sheet) of the round under ``raw_dir``: read tables and rejected files, in
    file order. A county that sends CSV files but lacks one of the round's tables gets a
    ``sheet_missing`` outcome for it."""
    files, outcomes = discover(raw_dir)
    csv_sheets: dict[str, set[str]] = {}
    for source in files:
        if source.kind == "xlsx":
            try:
                outcomes.extend(read_workbook(source, report_round))
            except SubmissionError as error:
                outcomes.append(SheetOutcome(file=source.name, sheet="", lan_code=source.lan_code,
                                             error=error))
            continue
        assert source.sheet is not None
        csv_sheets.setdefault(source.lan_code, set()).add(source.sheet)
        outcome = SheetOutcome(file=source.name, sheet=source.sheet, lan_code=source.lan_code,
                               sheet_name=source.sheet)
        if report_round not in codebook.sheet_rounds(source.sheet):
            outcome.error = SubmissionError(
                "sheet_round",
                f"{source.name}: the {source.sheet} table is not part of the {report_round} "
                "submission; move the file to the right round's folder.",
            )
        else:
            try:
                outcome.table = read_csv(source, report_round)
            except SubmissionError as error:
                outcome.error = error
        outcomes.append(outcome)
    for lan_code, sheets in sorted(csv_sheets.items()):
        slug = registry.county_name(lan_code, "short")
        for sheet in round_sheets(report_round):
            if sheet not in sheets:
                pattern = f"{lan_code}-*-{codebook.csv_suffix(sheet)}.csv"
                outcomes.append(SheetOutcome(
                    file=pattern, sheet=sheet, lan_code=lan_code, sheet_name=sheet,
                    error=SubmissionError(
                        "sheet_missing",
                        f"{slug}: CSV files were sent but no {sheet} table ({pattern}); send it "
                        "as a CSV file or send one workbook with every sheet.",
                    ),
                ))
    return outcomes
