"""CSV submissions: the text of a file in an accepted encoding (:func:`decode`), its delimiter
(sniffed by the codebook headers it gives) and its table (:func:`read_csv`), with a message that
names the encoding or delimiter when they are the cause of a problem."""

from __future__ import annotations

import csv
import io
import re

from samverkan.intake.files import SourceFile, SubmissionError
from samverkan.intake.sheets import (
    HEADER_SCAN_ROWS,
    RawSheet,
    _header_matches,
    rows_held,
    table_from_grid,
)

DELIMITERS = (";", ",", "\t")
"""CSV delimiters tried, in order of preference (the contract says ``;``)."""
ENCODINGS = ("utf-8-sig", "cp1252")
"""CSV encodings accepted: UTF-8 with or without BOM, Windows-1252."""
SAVE_AS = "Spara den som 'CSV UTF-8 (kommaavgränsad)' eller 'CSV (semikolonavgränsad)' från Excel."
_DELIMITER_NAMES = {";": "';'", ",": "','", "\t": "tabb"}


def _position(text: str, offset: int) -> str:
    """``rad 3, tecken 17``: where character ``offset`` of ``text`` is (1-based)."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"rad {line}, tecken {column}"


def _odd_bytes(raw: bytes) -> str:
    """Where the first byte that Windows-1252 does not have is (the file is not UTF-8 either:
    this is only asked then), and which byte it is; the column counts bytes."""
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError as error:
        at = error.start
    else:
        return "okänd plats"
    return f"{_position(raw.decode('latin-1'), at)}: byten 0x{raw[at]:02X}"


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
        if control := re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text):
            raise SubmissionError(
                "file_encoding",
                f"{name}: filen innehåller styrtecken (första på "
                f"{_position(text, control.start())}, tecknet U+{ord(control[0]):04X}): den är "
                f"inte text i UTF-8 eller Windows-1252. {SAVE_AS}", rows_read=_text_rows(text),
            )
        if double := re.search(r"Ã[\u0080-\u00bf\u2013-\u203a\u0152-\u0178]", text):
            raise SubmissionError(
                "file_encoding",
                f"{name}: texten är UTF-8 som har konverterats två gånger (å ä ö syns som Ã¥ Ã¤ "
                f"Ã¶; första gången på {_position(text, double.start())}: {double[0]!r}). "
                f"{SAVE_AS}", rows_read=_text_rows(text),
            )
        return text, encoding
    raise SubmissionError(
        "file_encoding", f"{name}: filen är varken UTF-8- eller Windows-1252-text (första "
        f"okända tecknet på {_odd_bytes(raw)}). {SAVE_AS}",
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
