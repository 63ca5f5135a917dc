"""The processed tables' contract: their columns and dtypes, the rejects, ledger and coding-issue
columns, and the Swedish labels of every check code (the code itself stays a column of its own
for machines)."""

from __future__ import annotations

from samverkan.intake import codebook
from samverkan.intake.codebook import Field

PROVENANCE: tuple[str, ...] = ("source_file", "source_sheet", "source_row")
"""Where each accepted row came from (file relative to the round's raw folder, sheet, row)."""
TABLES: dict[str, str] = {"Projekt": "projects", "Medel": "allocations", "Länsstyrelsen": "board"}
REJECT_COLUMNS: tuple[str, ...] = ("file", "sheet", "row", "column", "value", "reason", "check")
LEDGER_COLUMNS: tuple[str, ...] = (
    "file", "sheet", "sheet_name", "lan_code", "status", "check", "rows_read", "rows_accepted",
    "rows_rejected", "rows_blank", "header_row", "personal_columns_dropped",
    "personal_data_redacted", "unknown_columns",
    "message",
)
CODING_ISSUE_COLUMNS: tuple[str, ...] = ("diarienummer", "lan_code", "issue", "detail")
LEDGER_STATUSES: dict[str, str] = {
    "ok": "Inläst utan fel",
    "rows_rejected": "Inläst, rader avvisade",
    "file_rejected": "Avvisad",
    "copy": "Identisk kopia, lästes inte",
}
"""Ledger status → Swedish label."""

CHECK_LABELS: dict[str, str] = {
    "file_format": "Filtypen stöds inte",
    "file_name": "Filnamnet anger inte län eller tabell",
    "file_empty": "Tom fil",
    "file_encoding": "Fel teckenkodning",
    "file_unreadable": "Filen kan inte läsas",
    "county_mismatch": "Länet i filnamnet stämmer inte",
    "sheet_missing": "Blad eller tabell saknas",
    "sheet_round": "Tabellen hör inte till omgången",
    "sheet_empty": "Inga rader under rubrikraden",
    "header_missing": "Rubrikrad saknas",
    "column_missing": "Obligatorisk kolumn saknas",
    "column_duplicate": "Kolumnen förekommer två gånger",
    "row_width": "Raden har fler celler än rubrikraden",
    "required_missing": "Obligatoriskt värde saknas",
    "formula_no_value": "Formel utan sparat värde",
    "spreadsheet_error": "Felvärde från kalkylbladet (#SAKNAS!, #REFERENS! …)",
    "duplicate_key_of_other_county": "Diarienummer från ett annat läns projekt",
    "amount_format": "Belopp som inte kan läsas",
    "amount_ore": "Belopp med ören",
    "amount_unit": "Belopp i tusental",
    "amount_range": "Orimligt belopp",
    "amount_negative": "Negativt belopp",
    "integer_format": "Antal som inte kan läsas",
    "integer_negative": "Negativt antal",
    "year_format": "År som inte kan läsas",
    "year_range": "År utanför perioden",
    "date_format": "Datum som inte kan läsas",
    "date_invalid": "Datum som inte finns",
    "date_range": "Datum utanför perioden",
    "period_order": "Periodens slut före dess början",
    "checkbox_value": "Kryssvärde utanför vokabulären",
    "report_type_value": "Okänd redovisningstyp",
    "status_value": "Okänd status",
    "county_unknown": "Okänt län",
    "county_file_mismatch": "Raden gäller ett annat län än filen",
    "municipality_unknown": "Okänd kommun",
    "duplicate_key": "Dubblett",
    "granted_over_requisitioned": "Beviljat mer än rekvirerat",
    "internal_error": "Internt fel i programmet",
    "file_delimiter": "Fel avgränsningstecken i CSV-filen",
    "sheet_ambiguous": "Flera blad passar samma tabell",
    "submission_ambiguous": "Mer än en inlämning från länet",
    "file_copy_name": "Filnamnet är en kopias",
    "file_copy": "Identisk kopia",
    "totals_row": "Summarad",
    "report_round_mismatch": "Raden hör till den andra omgången",
    "municipality_county": "Sökande kommun i ett annat län",
}
"""Check code (rejects.csv ``check``, ledger ``check``) → Swedish label for the report."""

CODING_ISSUE_LABELS: dict[str, str] = {
    "coding_file_missing": "Kodningsfilen saknas",
    "coding_columns_missing": "Kolumner saknas i kodningsfilen",
    "coding_duplicate": "Projektet är kodat mer än en gång",
    "coding_value": "Ogiltigt värde i kodningen",
    "coding_county_mismatch": "Kodningen anger ett annat län",
    "coding_without_project": "Kodat projekt saknas bland redovisningarna",
    "project_without_coding": "Redovisat projekt saknar kodning",
    "partial_report_missing": "Delredovisning 2010 saknas",
    "final_report_missing": "Slutomgångens redovisning saknas",
    "link_not_checked": "Kopplingen till förra omgången kunde inte prövas",
}
"""Coding issue code → Swedish label."""


# ---------------------------------------------------------------------------------- the columns


def table_fields(sheet: str) -> tuple[Field, ...]:
    """A sheet's non-personal fields (every round), in codebook order."""
    return tuple(f for f in codebook.fields(sheet) if not f.personal)


def keyword_columns() -> tuple[str, ...]:
    return tuple(k.name for k in codebook.taxonomy())


def coding_columns() -> tuple[str, ...]:
    return tuple(f["name"] for f in codebook.coding_fields())


def columns(table: str, provenance: bool = True) -> tuple[str, ...]:
    """The processed table's columns in contract order (see notes/MODEL.md)."""
    sheet = {v: k for k, v in TABLES.items()}[table]
    out = ["report_round", *(f.name for f in table_fields(sheet))]
    if table == "projects":
        out += [*keyword_columns(), *coding_columns()]
    return tuple(out + list(PROVENANCE if provenance else ()))


def dtype(f: Field) -> str:
    return {"amount": "Int64", "year": "Int64", "integer": "Int64", "checkbox": "boolean",
            "date": "datetime64[ms]"}.get(f.type, "str")

