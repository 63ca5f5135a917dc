"""Independent privacy scan for tests: read contact data straight from the raw files (openpyxl
and csv, not the pipeline's readers) and look for it, and for anything shaped like an e-mail
address or a Swedish phone number, in outputs."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path

import openpyxl

from samverkan.intake.codebook import fields, header_key

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"(?<![\w.,-])(?:\+46 ?|0)\d{1,3}[- ]?\d{2,3}[ ]?\d{2}[ ]?\d{2}(?![\w-]|[.,]\d)")
"""A Swedish phone number standing alone: not a run of digits inside a hash, a decimal number
or a code (``a0438239627``, ``12.007086 18``, ``801-1553-2009``)."""
DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+")
CELL_ID = re.compile(r'"id": "[\w-]+"')
"""A notebook cell's id: random characters that can look like a phone number (05320215)."""
CONTACT_WORDS = ("kontakt", "telefon", "mobil", "epost", "mejl", "email")
"""Header words that mark contact data even under a header the codebook does not know."""


def _personal_headers() -> set[str]:
    return {header_key(h) for f in fields() if f.personal for h in (f.name, f.label, *f.headers)}


def _tables_of(path: Path) -> Iterable[list[list[object]]]:
    """The sheets of a workbook, or the one table of a CSV file (UTF-8 or cp1252); nothing for a
    file that cannot be read (the bad-input corpus has such files: they hold nothing to find)."""
    try:
        if path.suffix.lower() == ".xlsx":
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            return [[list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets]
        if path.suffix.lower() in {".xls", ".ods"}:  # python-calamine itself, not the readers
            import python_calamine

            book = python_calamine.CalamineWorkbook.from_path(str(path))
            return [book.get_sheet_by_name(n).to_python() for n in book.sheet_names]
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
        return [list(csv.reader(io.StringIO(text), delimiter=";"))]
    except Exception:
        return []


def raw_contacts(raw_root: Path) -> set[str]:
    """Every value found under a contact-data header in the raw submissions under ``raw_root``."""
    personal = _personal_headers()
    found: set[str] = set()
    for path in sorted(p for p in raw_root.rglob("*") if p.is_file()):
        if path.suffix.lower() not in {".xlsx", ".xls", ".ods", ".csv"}:
            continue
        for rows in _tables_of(path):
            columns: list[int] = []
            for row in rows:
                keys = [header_key(c) if c is not None else "" for c in row]
                hits = [i for i, k in enumerate(keys)
                        if k in personal or any(w in k for w in CONTACT_WORDS)]
                if hits and not columns:
                    columns = hits
                    continue
                found |= {str(row[i]).strip() for i in columns
                          if i < len(row) and row[i] not in (None, "")}
    return found


def leaks(text: str, contacts: set[str]) -> list[str]:
    """Contact values, e-mail addresses and phone numbers found in ``text`` (embedded images
and notebook cell ids are left out: they hold no text)."""
    text = CELL_ID.sub("", DATA_URI.sub("", text))
    hits = [c for c in contacts if len(c) > 3 and c in text]
    hits += EMAIL.findall(text)
    hits += PHONE.findall(text)
    return hits
