"""Hostile and broken submission files, written on the fly from a county's own workbook or CSV
(tests/test_hostile.py; the benchmark figures in the closing note of issue 19 come from the
same builders with the real limits)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

SHEET = "xl/worksheets/sheet1.xml"


def rewrite_xlsx(source: Path, target: Path, member: str = SHEET, edit=None,
                 extra: dict[str, bytes] | None = None) -> Path:
    """A copy of the workbook ``source`` with ``edit(bytes) -> bytes`` applied to ``member``
    and ``extra`` members added."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == member and edit is not None:
                data = edit(data)
            dst.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            dst.writestr(name, data)
    return target


def far_cell(data: bytes, ref: str = "XFD1048576") -> bytes:
    """One more cell, far away (the 9.5 KB workbook that made calamine allocate 512 GiB)."""
    row = re.sub(r"\D", "", ref)
    cell = f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>x</t></is></c></row>'.encode()
    return data.replace(b"</sheetData>", cell + b"</sheetData>")


def dimension(data: bytes, ref: str = "A1:XFD1048576") -> bytes:
    return re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data)


def merged(data: bytes, ref: str = "A3:AX1048576") -> bytes:
    merge = f'<mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>'.encode()
    return data.replace(b"</sheetData>", b"</sheetData>" + merge)


def entity(data: bytes) -> bytes:
    """An internal entity declared and used in the sheet XML."""
    decl = b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY e "entitet">]>'
    return decl + data.replace(b"<t>Diarienummer</t>", b"<t>&e;</t>", 1)


def padding(size: int):
    """An edit that pads the sheet XML with ``size`` bytes of blanks (a zip bomb: blanks
    compress about a thousand to one)."""
    def edit(data: bytes) -> bytes:
        return data.replace(b"</sheetData>", b"</sheetData>" + b" " * size)
    return edit


def corrupt_member(source: Path, target: Path, member: str = SHEET) -> Path:
    """The workbook with the compressed bytes of ``member`` overwritten in the middle."""
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        info = archive.getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 20, start + min(info.compress_size, 400) - 20):
        data[i] = 0x55
    target.write_bytes(bytes(data))
    return target


def long_rows(data: bytes, rows: int) -> bytes:
    """The sheet with ``rows`` more copies of its last data row (numbered on)."""
    last = re.findall(rb"<row r=\"(\d+)\">(.*?)</row>", data)[-1]
    start = int(last[0])
    body = last[1]
    out = []
    for i in range(start + 1, start + rows + 1):
        cells = re.sub(rb'r="([A-Z]+)\d+"', lambda m, i=i: b'r="%s%d"' % (m[1], i), body)
        out.append(b'<row r="%d">' % i + cells + b"</row>")
    return data.replace(b"</sheetData>", b"".join(out) + b"</sheetData>")
