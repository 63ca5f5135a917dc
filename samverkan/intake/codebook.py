"""The submission codebook: form questions → canonical fields, header spellings, vocabularies,
and the keyword taxonomy for free text. The data lives in ``codebook.yaml`` beside this file."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from samverkan.io import parse_yaml
from samverkan.rounds import REPORT_TYPES

SHEETS = ("Projekt", "Medel", "Länsstyrelsen")


@dataclass(frozen=True)
class Field:
    """One canonical column of one sheet."""

    name: str
    sheet: str
    label: str
    question: str
    type: str
    required: bool
    rounds: tuple[int, ...]
    headers: tuple[str, ...]
    values: dict[str, tuple[str, ...]] = field(default_factory=dict)
    personal: bool = False


@dataclass(frozen=True)
class Keyword:
    """A free-text flag of the taxonomy (a sub-count of the report)."""

    name: str
    label: str
    parent: str
    fields: tuple[str, ...]
    patterns: tuple[str, ...]

    @property
    def regex(self) -> re.Pattern[str]:
        """Case-insensitive alternation of the patterns, each anchored at a word start."""
        alternatives = "|".join(re.escape(p) for p in self.patterns)
        return re.compile(rf"(?<!\w)(?:{alternatives})", re.IGNORECASE)


@cache
def raw_codebook() -> dict[str, Any]:
    """The parsed YAML, as written, its vocabularies checked (:func:`check_vocabularies`)."""
    text = resources.files("samverkan.intake").joinpath("codebook.yaml").read_text(encoding="utf-8")
    raw = parse_yaml(text)
    check_vocabularies(raw)
    return raw


def vocabularies(raw: dict[str, Any]) -> dict[str, list[object]]:
    """Every list of spellings of the codebook, by where it is: sheet names, header spellings,
    enum values, the checkbox words, the coding sheet's values and the taxonomy's patterns."""
    out: dict[str, list[object]] = {}
    for sheet, spec in (raw.get("sheets") or {}).items():
        out[f"sheets.{sheet}.names"] = list(spec.get("names") or [])
    for f in raw.get("fields") or []:
        out[f"fields.{f['name']}.headers"] = list(f.get("headers") or [])
        for value, spellings in (f.get("values") or {}).items():
            out[f"fields.{f['name']}.values.{value}"] = [value, *(spellings or [])]
    for value, spellings in (raw.get("checkbox") or {}).items():
        out[f"checkbox.{str(value).lower()}"] = list(spellings or [])
    for f in (raw.get("coding") or {}).get("fields") or []:
        out[f"coding.{f['name']}.values"] = list(f.get("values") or [])
    for k in raw.get("taxonomy") or []:
        out[f"taxonomy.{k['name']}.patterns"] = list(k.get("patterns") or [])
    return out


def check_vocabularies(raw: dict[str, Any]) -> None:
    """Refuse a codebook whose vocabulary holds anything but text: YAML 1.1 reads an unquoted
    yes, no, on, off, true or false as a boolean and 1 as a number, so a spelling must be
    quoted to be read as written. The checkbox section's keys must be exactly true and false."""
    bad = [f"{where}: {entry!r} ({type(entry).__name__})"
           for where, entries in vocabularies(raw).items() for entry in entries
           if not isinstance(entry, str)]
    if bad:
        raise ValueError("codebook.yaml: every vocabulary entry must be a quoted string; "
                         "not text: " + "; ".join(bad))
    if set(raw.get("checkbox") or {}) != {True, False}:
        raise ValueError("codebook.yaml: checkbox must have exactly the keys true and false")


def header_key(text: object) -> str:
    """Normalise a header for matching: lower case, no accents folded away (å ä ö kept), no
    punctuation or whitespace differences, no trailing "(kr)"."""
    s = unicodedata.normalize("NFC", str(text)).replace("\xa0", " ").strip().lower()
    s = re.sub(r"\(kr\)|\bkr\b|:$", "", s)
    return re.sub(r"[^0-9a-zåäöéü]+", "", s)


@cache
def fields(sheet: str | None = None, report_round: int | None = None) -> tuple[Field, ...]:
    """Every field, or those of one sheet and/or one round, in form order."""
    out = []
    for raw in raw_codebook()["fields"]:
        f = Field(
            name=raw["name"],
            sheet=raw["sheet"],
            label=raw["label"],
            question=raw["question"],
            type=raw["type"],
            required=bool(raw.get("required", False)),
            rounds=tuple(raw["rounds"]),
            headers=tuple(raw["headers"]),
            values={k: tuple(v) for k, v in (raw.get("values") or {}).items()},
            personal=bool(raw.get("personal", False)),
        )
        if sheet is not None and f.sheet != sheet:
            continue
        if report_round is not None and report_round not in f.rounds:
            continue
        out.append(f)
    return tuple(out)


def field_by_name(sheet: str, name: str) -> Field:
    for f in fields(sheet):
        if f.name == name:
            return f
    raise KeyError(f"{sheet}.{name} is not in the codebook")


@cache
def header_index(sheet: str) -> dict[str, str]:
    """Normalised header spelling → canonical field name, for one sheet."""
    index: dict[str, str] = {}
    for f in fields(sheet):
        for spelling in (f.name, f.label, *f.headers):
            key = header_key(spelling)
            if index.get(key, f.name) != f.name:
                raise ValueError(f"codebook: header {spelling!r} maps to two fields of {sheet}")
            index[key] = f.name
    return index


def canonical_header(sheet: str, header: object) -> str | None:
    """The canonical field a raw header means, or None when the codebook does not know it."""
    return header_index(sheet).get(header_key(header))


def personal_fields() -> frozenset[str]:
    """Names of the fields that carry personal data (dropped at ingest)."""
    return frozenset(f.name for f in fields() if f.personal)


@cache
def sheet_names(sheet: str) -> tuple[str, ...]:
    """Accepted spellings of a workbook sheet name."""
    return tuple(raw_codebook()["sheets"][sheet]["names"])


def sheet_rounds(sheet: str) -> tuple[int, ...]:
    return tuple(raw_codebook()["sheets"][sheet]["rounds"])


def csv_suffix(sheet: str) -> str:
    """File-name suffix of a sheet sent as CSV: ``<länskod>-<slug>-<suffix>.csv``."""
    return raw_codebook()["sheets"][sheet]["csv_suffix"]


@cache
def checkbox_vocabulary() -> dict[str, bool]:
    """Normalised checkbox spelling → value."""
    vocab: dict[str, bool] = {}
    for value in (True, False):
        for spelling in raw_codebook()["checkbox"][value]:
            key = spelling.strip().lower()
            if vocab.get(key, value) != value:
                raise ValueError(f"codebook.yaml: checkbox spelling {spelling!r} is both true "
                                 "and false")
            vocab[key] = value
    return vocab


def value_labels(sheet: str, name: str) -> dict[str, str]:
    """A value field's canonical values → their Swedish label for tables: the form's own
    spelling (the first accepted one), capitalised (``pagar`` → ``Pågår``)."""
    values = field_by_name(sheet, name).values
    return {value: spellings[0][:1].upper() + spellings[0][1:] if spellings else value
            for value, spellings in values.items()}


def coding_fields() -> tuple[dict[str, Any], ...]:
    """The evaluator's coding sheet fields (name, label, values)."""
    return tuple(raw_codebook()["coding"]["fields"])


@cache
def taxonomy() -> tuple[Keyword, ...]:
    """The free-text keyword flags, in report order."""
    return tuple(
        Keyword(
            name=k["name"],
            label=k["label"],
            parent=k["parent"],
            fields=tuple(k["fields"]),
            patterns=tuple(k["patterns"]),
        )
        for k in raw_codebook()["taxonomy"]
    )


TEXT_TYPES = frozenset({"text", "longtext", "id", "municipalities", "county"})
"""Field types whose template cells are formatted as text (``@``): free text and codes, so
that a text starting with ``=`` stays text and a code keeps its leading zero."""


def write_template(path: Path | str, report_round: int) -> Path:
    """A blank submission workbook for ``report_round`` built from this codebook: a sheet
    "Instruktioner" (question, type, required, accepted values and header spellings of every
    column), then one sheet per table of the round headed by the Swedish labels, with dropdowns
    for checkbox, enum, year and county columns and the contact columns marked as personal
    data that is dropped at ingest. The bytes depend only on the codebook and the round."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from samverkan import registry, xlsx

    blank_rows = 500
    years = [str(y) for y in range(2008, report_round)]
    counties = [registry.county_name(c, "short") for c in registry.county_codes()]
    true_spellings = [s for s, v in checkbox_vocabulary().items() if v and s]
    kinds = {
        "county": ("Län", "länets namn eller länskod, t.ex. Kalmar län eller 08"),
        "municipalities": ("Kommun(er)", "kommunens namn eller kommunkod; flera kommuner "
                           "åtskilda med komma, semikolon eller ”och”"),
        "text": ("Text", "fritext"),
        "longtext": ("Fritext", "fritext, gärna några meningar"),
        "id": ("Diarienummer", "länsstyrelsens diarienummer, samma i del- och "
               "slutredovisningen"),
        "date": ("Datum", "t.ex. 2009-09-01 (även 20090901 och 1/9 2009 går bra)"),
        "amount": ("Belopp", "hela kronor, t.ex. 916 210 eller 916210"),
        "year": ("År", f"ett av åren {', '.join(years)}"),
        "checkbox": ("Kryss", f"X för ja, tomt för nej (även {', '.join(true_spellings)} "
                     "betyder ja)"),
        "enum": ("Ett av värdena", ""),
        "integer": ("Heltal", "ett heltal, t.ex. 4"),
    }
    forms = {"del": "delredovisning", "slut": "slutredovisning",
             "lst": "frågor till länsstyrelsen"}
    personal_note = ("Personuppgift: används bara för kontakt om redovisningen och tas bort vid "
                     "inläsning. Den sparas aldrig i bearbetade data eller i rapporten.")
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    personal_fill = PatternFill("solid", fgColor="FCE4D6")

    workbook = xlsx.workbook()
    guide = workbook.create_sheet("Instruktioner")
    form = REPORT_TYPES[report_round]
    guide.append([f"Mall för {form} {report_round}: utvecklingsmedel för lokal samverkan mot "
                  "mäns våld mot kvinnor"])
    guide.append(["Fyll i ett blad per tabell: en rad per projekt i bladet Projekt, en rad per "
                  "år i bladet Medel" + (" och en rad i bladet Länsstyrelsen"
                                         if report_round in sheet_rounds("Länsstyrelsen")
                                         else "")
                  + ". Ändra inte rubrikerna. Orange rubriker är personuppgifter som tas bort "
                  "vid inläsning."])
    guide.append([])
    guide.append(["Blad", "Kolumn", "Fråga i blanketten", "Typ", "Obligatorisk",
                  "Godkända värden", "Personuppgift", "Andra godkända rubriker"])
    for cell in guide[4]:
        cell.font = bold
    guide["A1"].font = Font(bold=True, size=13)
    for sheet in SHEETS:
        if report_round not in sheet_rounds(sheet):
            continue
        ws = workbook.create_sheet(sheet_names(sheet)[0])
        columns = fields(sheet, report_round)
        ws.append([f.label for f in columns])
        ws.freeze_panes = "A2"
        for i, f in enumerate(columns, start=1):
            letter = get_column_letter(i)
            header = ws.cell(row=1, column=i)
            header.font, header.alignment = bold, wrap
            ws.column_dimensions[letter].width = 40 if f.type == "longtext" else 18
            choices: list[str] = []
            kind, accepted = kinds[f.type]
            if f.type == "checkbox":
                choices = ["X"]
            elif f.type == "enum":
                choices = [spellings[0] if spellings else value
                           for value, spellings in f.values.items()]
                accepted = "; ".join(
                    f"{spellings[0]} (även: {', '.join(spellings[1:])})" if len(spellings) > 1
                    else spellings[0] if spellings else value
                    for value, spellings in f.values.items())
            elif f.type == "year":
                choices = years
            elif f.type == "county" and len(",".join(counties)) <= 255:
                choices = counties
            if f.type in TEXT_TYPES:  # typed text stays text, even "= En sammanhållen …"
                for (cell,) in ws.iter_rows(min_row=2, max_row=blank_rows + 1, min_col=i,
                                            max_col=i):
                    cell.number_format = "@"
            if choices:
                validation = DataValidation(
                    type="list", formula1=f'"{",".join(choices)}"', allow_blank=True,
                    errorStyle="warning", showErrorMessage=True, errorTitle="Okänt värde",
                    error="Värdet finns inte i listan. Välj ett värde med pilen till höger om "
                          "cellen, eller lämna cellen tom.")
                validation.add(f"{letter}2:{letter}{blank_rows + 1}")
                ws.add_data_validation(validation)
            if f.personal:
                header.fill = personal_fill
                header.comment = Comment(personal_note, "samverkan")
            parts = []
            for part in (p.strip() for p in f.question.split(";")):
                form_name, _, rest = part.partition(" ")
                if form_name not in forms or not rest:
                    parts.append(part)
                elif rest == "huvud":
                    parts.append(f"{forms[form_name]}, blankettens huvud")
                else:
                    parts.append(f"{forms[form_name]}, "
                                 f"{'fråga ' if rest[0].isdigit() else ''}{rest}")
            question = "; ".join(parts)
            guide.append([ws.title, f.label, question, kind, "Ja" if f.required else "Nej",
                          accepted, "Ja, tas bort vid inläsning" if f.personal else "",
                          ", ".join(h for h in f.headers if h != f.label)])
    for letter, width in zip("ABCDEFGH", (14, 36, 30, 14, 12, 60, 22, 50), strict=True):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    guide.merge_cells("A2:H2")
    for sheet in workbook.worksheets:
        xlsx.fit_row_heights(sheet, min_row=2 if sheet is guide else 1)
        xlsx.print_setup(sheet, "4:4" if sheet is guide else "1:1")
    return xlsx.save(workbook, path)


