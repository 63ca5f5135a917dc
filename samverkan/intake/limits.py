"""Limits a submission file must keep before it is parsed (documented in data/raw/README.md).

A county's file is untrusted: a few kilobytes can declare a sheet of a million rows or expand
to gigabytes. :func:`check_file` looks at a file before any parser does (its size; for the zip
formats ``.xlsx`` and ``.ods`` every member's real uncompressed size, and in an ``.xlsx`` the
declared and real extent of each sheet and its merged ranges) and raises
:class:`SubmissionError` with a Swedish message naming the limit. The parse itself then runs in
a child process with a memory and time limit (samverkan.intake.sandbox), so what these checks
miss costs only that file.
"""

from __future__ import annotations

import html
import re
import zipfile
import zlib
from pathlib import Path

from samverkan.intake.files import SourceFile, SubmissionError

MAX_FILE_BYTES = 50 * 1024 * 1024
"""A submission file (workbook or CSV) at most 50 MB."""
MAX_ROWS = 10_000
"""Rows of one sheet or CSV file (the largest county has a few hundred projects)."""
MAX_COLUMNS = 200
"""Columns of one sheet or CSV file (the codebook has about 60)."""
MAX_LINE_CHARS = 100_000
"""Characters in one CSV line (one project's free text is a few thousand)."""
MAX_MEMBER_BYTES = 100 * 1024 * 1024
"""Uncompressed size of one member of an ``.xlsx``/``.ods`` archive."""
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024
"""Uncompressed size of all members of an archive together."""
MAX_MEMBERS = 1_000
"""Members of an archive (an ordinary workbook has 10–30)."""

SPLIT_ADVICE = ("Ta bort tomma rader och kolumner utanför tabellen, eller dela upp filen, och "
                "skicka den igen.")

_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,3})(\d{1,7})\"")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"([A-Z0-9:$]+)\"")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z0-9:$]+)\"")
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d{1,7})")
_CHUNK = 1 << 20
_OVERLAP = 512


def column_number(letters: str) -> int:
    """``A`` → 1, ``Z`` → 26, ``AA`` → 27, ``XFD`` → 16384."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - ord("A") + 1
    return n


def _far_corner(ref: str) -> tuple[int, int]:
    """(row, column), 1-based, of the far end of a cell or range reference (``B2:XFD9``)."""
    cells = [(int(m[1]), column_number(m[0])) for m in _REF.findall(ref)]
    return (max((r for r, _ in cells), default=0), max((c for _, c in cells), default=0))


def _too_large(name: str, what: str, limit: str) -> SubmissionError:
    return SubmissionError("file_too_large", f"{name}: {what}; gränsen är {limit}. {SPLIT_ADVICE}")


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def check_size(path: Path, name: str) -> None:
    """The file is at most :data:`MAX_FILE_BYTES`."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _too_large(name, f"filen är {_mb(size)}", f"{_mb(MAX_FILE_BYTES)} per fil")


def _extent(name: str, where: str, rows: int, columns: int, what: str) -> None:
    if rows > MAX_ROWS + 1 or columns > MAX_COLUMNS:  # + 1: the header row
        from openpyxl.utils import get_column_letter

        corner = f"{get_column_letter(min(max(columns, 1), 18278))}{rows}"
        raise _too_large(
            name, f"{where} {what} ända till cell {corner} ({rows} rader, {columns} "
            "kolumner)", f"{MAX_ROWS} rader och {MAX_COLUMNS} kolumner per blad")


class _Scan:
    """What the sheet XML of an ``.xlsx`` member shows, read in chunks."""

    def __init__(self) -> None:
        self.rows = self.columns = 0
        self.dimension = (0, 0)
        self.merged: list[tuple[int, int]] = []
        self.entity = False

    def feed(self, data: bytes) -> None:
        for m in _CELL_REF.finditer(data):
            self.rows = max(self.rows, int(m[2]))
            self.columns = max(self.columns, column_number(m[1].decode()))
        if self.dimension == (0, 0):
            m = _DIMENSION.search(data)
            if m:
                self.dimension = _far_corner(m[1].decode())
        self.merged += [_far_corner(m[1].decode()) for m in _MERGE.finditer(data)]
        self.entity = self.entity or bool(_ENTITY.search(data))


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, budget: int,
            scan: _Scan | None) -> int:
    """The member's real uncompressed size (read in chunks, stopped at the limits)."""
    size = 0
    tail = b""
    try:
        with archive.open(info) as handle:
            while chunk := handle.read(_CHUNK):
                size += len(chunk)
                if size > MAX_MEMBER_BYTES:
                    raise _too_large(
                        name, f"delen {info.filename!r} i arkivet packas upp till mer än "
                        f"{_mb(MAX_MEMBER_BYTES)}", f"{_mb(MAX_MEMBER_BYTES)} uppackat per del")
                if size > budget:
                    raise _too_large(name, "arkivet packas upp till mer än "
                                     f"{_mb(MAX_ARCHIVE_BYTES)}",
                                     f"{_mb(MAX_ARCHIVE_BYTES)} uppackat")
                if scan is not None:
                    # a reference cut at a chunk boundary is whole in tail + chunk
                    scan.feed(tail + chunk)
                    tail = chunk[-_OVERLAP:]
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as err:
        raise corrupt(name, f"delen {info.filename!r} i arkivet går inte att packa upp "
                      f"({type(err).__name__})") from None
    return size


def corrupt(name: str, what: str) -> SubmissionError:
    """A workbook whose archive or XML is broken."""
    return SubmissionError(
        "file_corrupt",
        f"{name}: filen är skadad: {what}. Öppna den i Excel eller LibreOffice, spara den på "
        "nytt som Excel-arbetsbok (.xlsx) och skicka den igen.")


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet XML member → the sheet's name, from ``xl/workbook.xml`` and its relations (read
    only when small; a name is only for messages)."""
    def small(member: str) -> str:
        try:
            info = archive.getinfo(member)
            return archive.read(info).decode("utf-8", "replace") if info.file_size < 1 << 20 else ""
        except (KeyError, zipfile.BadZipFile, zlib.error, EOFError, RuntimeError):
            return ""
    targets = {}
    for tag in re.findall(r"<Relationship\b[^>]*>", small("xl/_rels/workbook.xml.rels")):
        rid, target = re.search(r'\bId="([^"]*)"', tag), re.search(r'\bTarget="([^"]*)"', tag)
        if rid and target:
            targets[rid[1]] = target[1]
    names = {}
    for tag in re.findall(r"<sheet\b[^>]*>", small("xl/workbook.xml")):
        sheet, rid = re.search(r'\bname="([^"]*)"', tag), re.search(r'\br:id="([^"]*)"', tag)
        if not (sheet and rid):
            continue
        sheet = sheet[1]
        target = targets.get(rid[1], "").lstrip("/")
        names[target if target.startswith("xl/") else f"xl/{target}"] = html.unescape(sheet)
    return names


def check_archive(path: Path, name: str, kind: str) -> None:
    """An ``.xlsx``/``.ods`` file: a zip archive within the member limits; for ``.xlsx`` each
    sheet's declared and real extent, and its merged ranges, within the sheet limits, and no
    XML entity declarations (Excel never writes one)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        from samverkan.intake.sandbox import kind_name

        raise SubmissionError(
            "file_unreadable",
            f"{name}: filen kan inte läsas som {kind_name(kind)}: den är inget zip-arkiv, som "
            "en sådan fil är. Öppna den i Excel och spara den som Excel-arbetsbok (.xlsx).",
        ) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise _too_large(name, f"arkivet har {len(members)} delar", f"{MAX_MEMBERS} delar")
        budget = MAX_ARCHIVE_BYTES
        sheet_names = _sheet_names(archive) if kind == "xlsx" else {}
        for info in members:
            if info.is_dir():
                continue
            sheet_xml = (kind == "xlsx" and info.filename.startswith("xl/worksheets/")
                         and info.filename.endswith(".xml"))
            xml = info.filename.endswith(".xml")
            scan = _Scan() if xml else None
            budget -= _member(archive, info, name, budget, scan)
            if scan is None:
                continue
            if scan.entity:
                raise corrupt(name, f"delen {info.filename!r} innehåller en XML-entitet "
                              "(<!ENTITY), som kalkylprogram aldrig skriver")
            if sheet_xml:
                sheet = (f"bladet {sheet_names[info.filename]!r}" if info.filename in sheet_names
                         else f"bladet i delen {info.filename!r}")
                _extent(name, sheet, *scan.dimension, "anger sin storlek")
                _extent(name, sheet, scan.rows, scan.columns, "har innehåll")
                for rows, columns in scan.merged:
                    _extent(name, sheet, rows, columns, "har sammanfogade celler")


def check_file(source: SourceFile) -> None:
    """Every check a file must pass before it is parsed (see the module's docstring)."""
    check_size(source.path, source.name)
    if source.kind in ("xlsx", "ods"):
        check_archive(source.path, source.name, source.kind)


def check_grid(name: str, sheet: str | None, rows: int, columns: int) -> None:
    """A parsed sheet (any format; ``None``: a CSV file) within the sheet limits."""
    _extent(name, "filen" if sheet is None else f"bladet {sheet!r}", rows, columns,
            "har innehåll")
