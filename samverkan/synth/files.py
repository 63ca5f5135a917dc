"""The messy files: how each county writes its submission (:data:`PROFILES`, the mix table of
``data/raw/README.md``), the cell formatters, the sheets and the workbook and CSV writers."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from samverkan import registry
from samverkan.intake import codebook
from samverkan.rounds import PARTIAL, ROUNDS
from samverkan.synth import text as synth_text
from samverkan.synth.projects import _rng
from samverkan.synth.reports import _municipality_names
from samverkan.synth.targets import SynthError


@dataclass(frozen=True)
class Profile:
    """How one county writes its submission (the mix table of ``data/raw/README.md``)."""

    formats: tuple[str, str]
    """File format in 2010 and 2011: ``xlsx`` or ``csv``."""
    county: str
    """The county as written in every row (a name variant or the code)."""
    encoding: str = "utf-8"
    """CSV only: ``utf-8``, ``utf-8-sig`` (with BOM) or ``cp1252``."""
    sheet_names: str = "canonical"
    headers: str = "label"
    """``label`` (the template's), ``first`` (first spelling in the codebook) or ``mixed``."""
    title_rows: int = 0
    blank_rows: str = "none"
    """``none``, ``some`` (after some records) or ``every`` (after every record)."""
    checkbox: tuple[tuple[str | int, ...], str | int] = (("X",), "")
    amount: str = "int"
    """``int``, ``kr_nbsp`` (916 210 kr, no-break spaces), ``kr_space``, ``grouped`` (916 210),
    ``decimal`` (916210,00)."""
    date: str = "iso"
    """``iso``, ``compact`` (20090901), ``compact_int`` (a number 20090901), ``dmy`` (1/9 2009),
    ``excel`` (a real date cell; ISO text in CSV)."""
    municipality: str = "kommun"
    """``plain`` (Kalmar), ``kommun`` (Kalmar kommun, Göteborgs stad) or ``code`` (0880)."""
    separator: str = ", "
    dnr: str = "801-{n}-{yyyy}"
    contacts_first: bool = False
    padded_text: bool = False


PROFILES: dict[str, Profile] = {
    "01": Profile(("xlsx", "xlsx"), "Stockholms län", date="excel"),
    "03": Profile(("csv", "csv"), "Uppsala", encoding="utf-8-sig", headers="first", title_rows=1,
                  checkbox=(("x",), ""), amount="kr_nbsp", separator="; ", dnr="851-{n}-{yy}"),
    "04": Profile(("xlsx", "xlsx"), "Sörmland", sheet_names="variant", headers="mixed",
                  title_rows=1, blank_rows="some", checkbox=(("Ja",), "Nej"), amount="grouped",
                  date="dmy", municipality="plain", separator=" och ", dnr="{yyyy}/{n}"),
    "05": Profile(("csv", "csv"), "05", encoding="cp1252", amount="decimal", date="compact",
                  municipality="plain", dnr="702-{n}-{yyyy}"),
    "06": Profile(("xlsx", "xlsx"), "Jönköpings län", headers="mixed", blank_rows="every",
                  checkbox=((1,), 0), date="compact_int", dnr="851-{n}-{yyyy}"),
    "07": Profile(("csv", "csv"), "Länsstyrelsen i Kronobergs län", title_rows=1,
                  checkbox=(("✓",), ""), amount="kr_space", dnr="{n}-{yyyy}"),
    "08": Profile(("csv", "xlsx"), "Kalmar", encoding="utf-8-sig", sheet_names="variant",
                  headers="first", checkbox=(("x",), ""), amount="kr_nbsp", date="excel",
                  separator=" och ", dnr="801-{n}-{yy}"),
    "09": Profile(("csv", "csv"), "Gotlands län", encoding="cp1252", headers="first",
                  title_rows=1, checkbox=(("Ja",), "Nej"), date="dmy", dnr="2.4-{n}-{yyyy}"),
    "10": Profile(("xlsx", "xlsx"), "Blekinge", title_rows=2, amount="decimal",
                  dnr="851-{n}-{yyyy}"),
    "12": Profile(("csv", "csv"), "Skåne län", encoding="utf-8-sig", headers="mixed",
                  blank_rows="some", checkbox=(("1",), "0"), amount="grouped", separator="; ",
                  dnr="851-{n}-{yy}"),
    "13": Profile(("xlsx", "xlsx"), "Hallands län", headers="first", checkbox=(("✓",), ""),
                  date="excel"),
    "14": Profile(("csv", "csv"), "V Götaland", encoding="cp1252", headers="mixed", title_rows=1,
                  blank_rows="some", checkbox=(("X", "x"), ""), amount="kr_nbsp",
                  date="compact", dnr="851-{n}-{yyyy}"),
    "17": Profile(("xlsx", "xlsx"), "Värmlands län", sheet_names="variant", title_rows=1,
                  checkbox=(("Ja",), "Nej"), amount="kr_space", date="dmy", separator=" och ",
                  dnr="801-{n}-{yy}"),
    "18": Profile(("csv", "xlsx"), "18", headers="first", checkbox=(("x",), ""),
                  municipality="code", separator=";", dnr="{yyyy}/{n}"),
    "19": Profile(("xlsx", "xlsx"), "Västmanland", headers="mixed", blank_rows="every",
                  checkbox=(("X",), "-"), date="excel", contacts_first=True,
                  dnr="702-{n}-{yyyy}"),
    "20": Profile(("csv", "csv"), "Dalarnas län", encoding="utf-8-sig", title_rows=1,
                  checkbox=(("Ja",), "Nej"), amount="decimal", date="compact",
                  municipality="plain", dnr="851-{n}-{yy}"),
    "21": Profile(("xlsx", "csv"), "Gävleborgs", title_rows=1, checkbox=(("1",), "0"),
                  amount="grouped", separator="; ", dnr="{n}-{yyyy}"),
    "22": Profile(("csv", "csv"), "Västernorrland", encoding="cp1252", headers="first",
                  checkbox=(("x",), ""), amount="kr_space", date="dmy", padded_text=True),
    "23": Profile(("xlsx", "xlsx"), "Jämtlands län", date="excel", separator=" och ",
                  dnr="2.4-{n}-{yyyy}"),
    "24": Profile(("csv", "csv"), "Västerbotten", headers="mixed", blank_rows="some",
                  checkbox=(("✓",), ""), amount="kr_nbsp", municipality="plain",
                  contacts_first=True, dnr="851-{n}-{yyyy}"),
    "25": Profile(("xlsx", "xlsx"), "Norrbottn", sheet_names="variant", headers="first",
                  title_rows=1, checkbox=(("Ja",), "Nej"), amount="decimal", date="compact"),
}
"""The documented mix of formats and spellings, one profile per county."""

_CITIES = {"Stockholm": "Stockholms stad", "Göteborg": "Göteborgs stad", "Malmö": "Malmö stad",
           "Västerås": "Västerås stad", "Borås": "Borås stad", "Lidingö": "Lidingö stad",
           "Solna": "Solna stad", "Sundbyberg": "Sundbybergs stad", "Mölndal": "Mölndals stad",
           "Trollhättan": "Trollhättans stad", "Landskrona": "Landskrona stad",
           "Haparanda": "Haparanda stad", "Vaxholm": "Vaxholms stad", "Falun": "Falu kommun",
           "Gotland": "Region Gotland"}
_ENUM_SPELLINGS = {
    "status": {"ej_startad": ["ej startad", "Ej startad", "inte startat", "Blir inte av"],
               "pagar": ["pågår", "Pågår", "Pågående", "pågående"],
               "avslutad": ["avslutad", "Avslutad", "Avslutat", "Genomförd", "klar"]},
    "report_type": {"delredovisning": ["delredovisning", "Delredovisning", "Del", "delrapport",
                                       "En delredovisning av samverkansprojektet"],
                    "slutredovisning": ["slutredovisning", "Slutredovisning", "Slut",
                                        "slutrapport",
                                        "En slutredovisning av samverkansprojektet"]},
}
FILE_SUFFIX_SHEETS = ("Projekt", "Medel", "Länsstyrelsen")


@dataclass
class _Style:
    """A profile resolved for one county and round: headers, sheet names, enum spellings."""

    lan_code: str
    report_round: int
    profile: Profile
    xlsx: bool
    rng: random.Random
    headers: dict[tuple[str, str], str]
    sheet_names: dict[str, str]
    enums: dict[tuple[str, str], str]


def _style(lan: str, report_round: int, seed: int) -> _Style:
    profile = PROFILES[lan]
    pick = _rng(seed, "style", lan)
    headers = {}
    for f in codebook.fields():
        options = (f.label, *f.headers)
        chosen = {"label": f.label, "first": f.headers[0]}.get(profile.headers) or \
            pick.choice(options)
        if codebook.canonical_header(f.sheet, chosen) != f.name:
            raise SynthError(f"header {chosen!r} does not map back to {f.sheet}.{f.name}")
        headers[(f.sheet, f.name)] = chosen
    sheet_names = {}
    for sheet in FILE_SUFFIX_SHEETS:
        names = codebook.sheet_names(sheet)
        sheet_names[sheet] = names[0] if profile.sheet_names == "canonical" else \
            pick.choice(names[1:])
    enums = {}
    for name, values in _ENUM_SPELLINGS.items():
        for value, spellings in values.items():
            enums[(name, value)] = pick.choice(spellings)
    if registry.county_code(profile.county) != lan:
        raise SynthError(f"profile county spelling {profile.county!r} is not county {lan}")
    return _Style(lan, report_round, profile, profile.formats[ROUNDS.index(report_round)] ==
                  "xlsx", _rng(seed, "cells", lan, report_round), headers, sheet_names, enums)


def _grouped(value: int, sep: str) -> str:
    return f"{value:,}".replace(",", sep)


def fmt_amount(value: int, style: _Style) -> str | int:
    kind = style.profile.amount
    if kind == "int":
        return value if style.xlsx else str(value)
    if kind == "kr_nbsp":
        return f"{_grouped(value, chr(0xA0))} kr"
    if kind == "kr_space":
        return f"{_grouped(value, ' ')} kr"
    if kind == "grouped":
        return _grouped(value, " ")
    if kind == "decimal":
        return f"{value},00"
    raise SynthError(f"unknown amount style {kind!r}")


def fmt_date(value: date, style: _Style) -> str | int | date:
    kind = style.profile.date
    if kind == "excel":
        return value if style.xlsx else value.isoformat()
    if kind == "iso":
        return value.isoformat()
    if kind == "compact":
        return value.strftime("%Y%m%d")
    if kind == "compact_int":
        return int(value.strftime("%Y%m%d")) if style.xlsx else value.strftime("%Y%m%d")
    if kind == "dmy":
        return f"{value.day}/{value.month} {value.year}"
    raise SynthError(f"unknown date style {kind!r}")


def fmt_checkbox(value: bool, style: _Style) -> str | int:
    trues, false = style.profile.checkbox
    out = style.rng.choice(trues) if value else false
    return out if style.xlsx else str(out)


def fmt_number(value: int, style: _Style) -> str | int:
    return value if style.xlsx else str(value)


def fmt_municipalities(codes: Sequence[str], style: _Style) -> str:
    names = _municipality_names()
    kind = style.profile.municipality
    parts = []
    for code in codes:
        name = names[code]
        if kind == "code":
            parts.append(code)
        elif kind == "plain":
            parts.append(name)
        else:
            parts.append(_CITIES.get(name, f"{name} kommun"))
    for part in parts:
        if _municipality_code(part) not in codes:
            raise SynthError(f"municipality spelling {part!r} does not read back")
    if style.profile.separator == " och ":
        return synth_text.join_sv(parts)
    return style.profile.separator.join(parts)


@cache
def _municipality_code(name: str) -> str:
    return registry.municipality_code(name)


def fmt_text(value: str, style: _Style) -> str:
    if value and style.profile.padded_text and style.rng.random() < 0.3:
        return value + "  "
    return value


def _columns(sheet: str, style: _Style) -> list[codebook.Field]:
    cols = list(codebook.fields(sheet, style.report_round))
    if style.profile.contacts_first:
        personal = [f for f in cols if f.personal]
        rest = [f for f in cols if not f.personal]
        cols = rest[:4] + personal + rest[4:]
    return cols


def _cell(f: codebook.Field, value: Any, style: _Style) -> Any:
    if f.type == "county":
        return style.profile.county
    if f.type == "municipalities":
        return fmt_municipalities(value, style)
    if f.type == "amount":
        return fmt_amount(value, style)
    if f.type == "date":
        return fmt_date(date.fromisoformat(value), style)
    if f.type in ("year", "integer"):
        return fmt_number(value, style)
    if f.type == "checkbox":
        return fmt_checkbox(value, style)
    if f.type == "enum":
        return style.enums[(f.name, value)]
    return fmt_text(value, style)


@dataclass
class Sheet:
    """One table of one submission as written: title rows, header, records (blank rows)."""

    name: str
    title: list[str]
    header: list[str]
    rows: list[list[Any] | None]
    """``None`` is a blank row."""


def _title(style: _Style, sheet: str) -> list[str]:
    board = registry.county_name(style.lan_code, "board")
    if style.profile.title_rows == 0:
        return []
    if sheet == "Projekt":
        kind = "Delredovisning" if style.report_round == PARTIAL else "Slutredovisning"
        main = f"{kind} lokal samverkan {style.report_round} – {board}"
    elif sheet == "Medel":
        main = f"Utvecklingsmedel för lokal samverkan per år – {board}"
    else:
        main = f"Länsstyrelsens svar, slutredovisning {style.report_round} – {board}"
    lines = [main] if style.profile.title_rows == 1 else [board, main]
    return lines


def _sheet(sheet: str, style: _Style, records: list[dict[str, Any]]) -> Sheet:
    cols = _columns(sheet, style)
    rows: list[list[Any] | None] = []
    for record in records:
        rows.append([_cell(f, record[f.name], style) for f in cols])
        blank = style.profile.blank_rows
        if blank == "every" or (blank == "some" and style.rng.random() < 0.15):
            rows.append(None)
    return Sheet(style.sheet_names[sheet], _title(style, sheet),
                 [style.headers[(sheet, f.name)] for f in cols], rows)


def _xlsx(sheets: list[Sheet]) -> bytes:
    """The submission as a workbook (:mod:`samverkan.xlsx`, fixed bytes): title rows, a blank
    row, the header and the records, text always as text, dates with a date format."""
    from samverkan import xlsx

    book = xlsx.workbook()
    for sheet in sheets:
        ws = book.create_sheet(sheet.name)
        lines: list[list[Any] | None] = [[line] for line in sheet.title]
        if sheet.title:
            lines.append(None)
        for r, row in enumerate([*lines, sheet.header, *sheet.rows], start=1):
            for c, value in enumerate(row or [], start=1):
                if value is None or value == "":
                    continue
                if isinstance(value, bool):
                    raise SynthError("workbook cells hold no booleans in this generator")
                cell = ws.cell(row=r, column=c)
                if isinstance(value, int | date):
                    cell.value = value
                    if isinstance(value, date):
                        cell.number_format = "yyyy-mm-dd"
                else:
                    xlsx.set_text(cell, str(value))
    return xlsx.to_bytes(book, creator="samverkan synth")


def _csv(sheet: Sheet, profile: Profile) -> bytes:
    buffer = io.StringIO()
    newline = "\n" if profile.encoding == "utf-8" else "\r\n"
    writer = csv.writer(buffer, delimiter=";", lineterminator=newline)
    for line in sheet.title:
        writer.writerow([line])
    if sheet.title:
        writer.writerow([])
    writer.writerow(sheet.header)
    width = len(sheet.header)
    for row in sheet.rows:
        if row is None:
            writer.writerow([""] * width if profile.blank_rows == "every" else [])
        else:
            writer.writerow(row)
    return buffer.getvalue().encode(profile.encoding)


_DESCRIBE = {
    "amount": {"int": "916210 (a number in xlsx)", "kr_nbsp": "916 210 kr (no-break spaces)",
               "kr_space": "916 210 kr", "grouped": "916 210", "decimal": "916210,00"},
    "date": {"iso": "2009-09-01", "compact": "20090901", "compact_int": "20090901 (a number)",
             "dmy": "1/9 2009", "excel": "Excel dates (ISO text in CSV)"},
    "municipality": {"plain": "Kalmar", "kommun": "Kalmar kommun / Göteborgs stad",
                     "code": "kommunkod 1880"},
    "encoding": {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 + BOM", "cp1252": "cp1252"},
}


def mix_table() -> str:
    """The mix of formats and spellings per county as a Markdown table (data/raw/README.md)."""
    head = ["Län", "2010", "2011", "CSV encoding", "Sheets", "Headers", "Title rows",
            "Blank rows", "Checkbox yes / no", "Amounts", "Dates", "County as", "Municipalities",
            "Diarienummer", "Other"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for lan, p in PROFILES.items():
        csv_used = "csv" in p.formats
        xlsx_used = "xlsx" in p.formats
        trues, false = p.checkbox
        sep = {", ": "`, `", "; ": "`; `", ";": "`;`", " och ": "`och`"}[p.separator]
        cells = [
            f"{lan} {registry.county_name(lan, 'short')}", p.formats[0], p.formats[1],
            _DESCRIBE["encoding"][p.encoding] if csv_used else "–",
            (p.sheet_names if xlsx_used else "–"), p.headers, str(p.title_rows), p.blank_rows,
            f"{' / '.join(f'`{t}`' for t in trues)} / {f'`{false}`' if false != '' else 'blank'}",
            _DESCRIBE["amount"][p.amount], _DESCRIBE["date"][p.date], f"`{p.county}`",
            f"{_DESCRIBE['municipality'][p.municipality]}, {sep}",
            f"`{p.dnr.format(n='1234', yyyy='2009', yy='09')}`",
            "; ".join(note for note, on in (
                ("contact columns after the 4th column", p.contacts_first),
                ("trailing spaces in some texts", p.padded_text),
                ("checkboxes as numbers in xlsx", isinstance(trues[0], int))) if on) or "–",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
