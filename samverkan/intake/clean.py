"""Cleaning one report round: read every county submission, normalise, validate (pandera), code the
free text, merge the evaluator's coding sheet, and account for every row.

Outputs in ``data/processed/<round>/`` (written atomically): ``projects``, ``allocations`` and
(round 2011) ``board`` as Parquet and CSV; ``rejects.csv`` (every rejected row or file with its
reason), ``ledger.csv`` (per file and sheet: rows read = rows accepted + rows rejected),
``coding_issues.csv`` (coding sheet vs submissions, and the link between the rounds).

Entry points: :func:`clean_round` (explicit folders, for tests and benchmarks), :func:`run`
(the project's folders), :func:`load_processed` (read the outputs, building them first when
missing or stale), :func:`main` (``python -m samverkan clean --round R``).
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import json
import multiprocessing
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from samverkan import registry
from samverkan.intake import codebook
from samverkan.intake.codebook import Field
from samverkan.intake.ingest import RawSheet, SheetOutcome, read_submissions
from samverkan.intake.normalise import enum_key, normalise_column, raw_text, redact
from samverkan.io import write_atomic, write_csv, write_parquet, write_text
from samverkan.paths import (
    DEFAULT_ROUND,
    ROUNDS,
    coding_path,
    processed_dir,
    project_root,
    raw_dir,
    reference_dir,
)

PROVENANCE: tuple[str, ...] = ("source_file", "source_sheet", "source_row")
"""Where each accepted row came from (file relative to the round's raw folder, sheet, row)."""
TABLES: dict[str, str] = {"Projekt": "projects", "Medel": "allocations", "Länsstyrelsen": "board"}
REJECT_COLUMNS: tuple[str, ...] = ("file", "sheet", "row", "column", "value", "reason", "check")
LEDGER_COLUMNS: tuple[str, ...] = (
    "file", "sheet", "sheet_name", "lan_code", "status", "check", "rows_read", "rows_accepted",
    "rows_rejected", "rows_blank", "header_row", "personal_columns_dropped", "unknown_columns",
    "message",
)
CODING_ISSUE_COLUMNS: tuple[str, ...] = ("diarienummer", "lan_code", "issue", "detail")
LEDGER_STATUSES: dict[str, str] = {
    "ok": "Inläst utan fel",
    "rows_rejected": "Inläst, rader avvisade",
    "file_rejected": "Avvisad",
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


def _dtype(f: Field) -> str:
    return {"amount": "Int64", "year": "Int64", "integer": "Int64", "checkbox": "boolean",
            "date": "datetime64[ms]"}.get(f.type, "str")


# ----------------------------------------------------------------------------------- validation

_DATE_LO = pd.Timestamp("2008-01-01")


def year_range(report_round: int) -> tuple[int, int]:
    """Years of funds a round covers: 2008–2009 in the partial round 2010, 2008–2010 in 2011."""
    return 2008, report_round - 1


def schema(sheet: str, report_round: int) -> pa.DataFrameSchema:
    """The pandera schema of one sheet's normalised rows (before the round's columns are added).
    Each check's ``error`` is its check code (see :data:`CHECK_LABELS`)."""
    lo, hi = year_range(report_round)
    date_hi = pd.Timestamp(f"{report_round}-12-31")
    cols: dict[str, pa.Column] = {}
    for f in codebook.fields(sheet, report_round):
        if f.personal:
            continue
        checks: list[pa.Check] = []
        if f.type == "amount":
            checks.append(pa.Check.ge(0, error="amount_negative"))
        elif f.type == "integer":
            checks.append(pa.Check.ge(0, error="integer_negative"))
        elif f.type == "year":
            checks.append(pa.Check.in_range(lo, hi, error="year_range"))
        elif f.type == "date":
            checks.append(pa.Check.in_range(_DATE_LO, date_hi, error="date_range"))
        elif f.type == "county":
            checks.append(pa.Check.isin(list(registry.county_codes()), error="county_unknown"))
        elif f.type == "enum":
            checks.append(pa.Check.isin(list(f.values), error=f"{f.name}_value"))
        elif f.type == "municipalities":
            checks.append(pa.Check.str_matches(r"^\d{4}(;\d{4})*$", error="municipality_unknown"))
        cols[f.name] = pa.Column(_dtype(f), checks=checks, nullable=not f.required,
                                 unique=f.type == "id", required=False)
    frame_checks = []
    if sheet == "Projekt":
        frame_checks.append(pa.Check(
            lambda df: ~(df["period_end"] < df["period_start"]), error="period_order"
        ))
    unique = {"Medel": ["lan_code", "year"], "Länsstyrelsen": ["lan_code"]}.get(sheet)
    return pa.DataFrameSchema(cols, checks=frame_checks, unique=unique, report_duplicates="all",
                              strict=False)


_FRAME_CHECK_COLUMN = {"period_order": "period_end"}
_PANDERA_BUILTIN = {"not_nullable": "required_missing", "field_uniqueness": "duplicate_key",
                    "multiple_fields_uniqueness": "duplicate_key"}


def validation_failures(frame: pd.DataFrame, sheet: str, report_round: int) -> pd.DataFrame:
    """Every (index, column, check) the schema fails, as a frame with those columns; one row per
    failing cell (a frame-level check is reported on the column it names)."""
    try:
        schema(sheet, report_round).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    else:
        return pd.DataFrame(columns=["index", "column", "check"])
    cases = cases[cases["index"].notna()].copy()
    cases["check"] = cases["check"].astype(str).map(lambda c: _PANDERA_BUILTIN.get(c, c))
    frame_level = cases["check"].isin(list(_FRAME_CHECK_COLUMN))
    cases.loc[frame_level, "column"] = cases.loc[frame_level, "check"].map(_FRAME_CHECK_COLUMN)
    multi = cases["check"].eq("duplicate_key") & cases["schema_context"].eq("DataFrameSchema")
    cases.loc[multi, "column"] = "lan_code"
    cases["index"] = cases["index"].astype(int)
    out = cases.loc[:, ["index", "column", "check"]].drop_duplicates()
    return out.sort_values(["index", "column", "check"], ignore_index=True)


# ------------------------------------------------------------------------------- the round's rows


@dataclass
class _Rejects:
    """rejects.csv rows collected while cleaning, and which rows of each table they reject."""

    rows: list[dict[str, Any]] = field(default_factory=list)

    def add(self, file: str, sheet: str, row: int | str, column: str, value: object,
            check: str, reason: str) -> None:
        self.rows.append({"file": file, "sheet": sheet, "row": row, "column": column,
                          "value": redact(raw_text(value))[:200], "reason": redact(reason),
                          "check": check})

    def frame(self) -> pd.DataFrame:
        frame = pd.DataFrame(self.rows, columns=list(REJECT_COLUMNS))
        frame["row"] = frame["row"].astype(str)
        order = frame.assign(_row=pd.to_numeric(frame["row"], errors="coerce").fillna(0))
        order = order.sort_values(["file", "sheet", "_row", "column", "check"], kind="stable")
        return order.drop(columns="_row").reset_index(drop=True)


def _combine(tables: list[RawSheet]) -> pd.DataFrame:
    """One raw frame per sheet: every file's cells, provenance, and the file's county."""
    parts = []
    for t in tables:
        part = t.cells.reset_index()
        part.insert(0, "source_file", t.file)
        part.insert(1, "source_sheet", t.sheet_name)
        part.insert(2, "_file_lan", t.lan_code)
        parts.append(part)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _describe(f: Field, check: str, value: object, row: pd.Series, report_round: int) -> str:
    """The reason for a validation failure, in words that say what to do."""
    shown = raw_text(value)
    lo, hi = year_range(report_round)
    if check == "required_missing":
        return f"{f.label} ({f.name}) is required but blank"
    if check in {"amount_negative", "integer_negative"}:
        return f"{f.label} is negative ({shown}); give the amount as a positive number"
    if check == "year_range":
        return f"year {shown} is outside the round's years {lo}–{hi}"
    if check == "date_range":
        return f"date {shown} is outside {_DATE_LO.date()} – {report_round}-12-31"
    if check == "period_order":
        return (f"the reporting period ends ({raw_text(row.get('period_end'))}) before it "
                f"starts ({raw_text(row.get('period_start'))}); correct one of the dates")
    return f"{f.label}: {shown!r} fails {check}"


def _duplicate_reason(frame: pd.DataFrame, sheet: str, index: int) -> tuple[str, str]:
    """(column, reason) for a row whose key appears more than once."""
    keys = {"Projekt": ["diarienummer"], "Medel": ["lan_code", "year"],
            "Länsstyrelsen": ["lan_code"]}[sheet]
    same = frame.index[(frame[keys] == frame.loc[index, keys].to_numpy()).all(axis=1)]
    places = ", ".join(f"{frame.at[i, 'source_file']} row {frame.at[i, 'source_row']}"
                       for i in same)
    what = " ".join(f"{k}={raw_text(frame.at[index, k])}" for k in keys)
    return keys[-1], (f"{what} appears {len(same)} times ({places}); keep one row per "
                      f"{' and '.join(keys)} and round")


def normalise_sheet(
    raw: pd.DataFrame, sheet: str, report_round: int, rejects: _Rejects
) -> tuple[pd.DataFrame, set[int]]:
    """Parse and validate one sheet's combined raw rows: the typed frame (every row) and the
    index of the rejected rows, whose reasons are added to ``rejects``."""
    round_fields = [f for f in codebook.fields(sheet, report_round) if not f.personal]
    typed = pd.DataFrame(index=raw.index)
    for name in PROVENANCE:
        typed[name] = raw[name]
    failed: set[tuple[int, str]] = set()
    rejected: set[int] = set()

    def reject(index: int, column: str, check: str, reason: str) -> None:
        value = raw.at[index, column] if column in raw.columns else ""
        rejects.add(raw.at[index, "source_file"], sheet, int(raw.at[index, "source_row"]),
                    column, value, check, reason)
        failed.add((index, column))
        rejected.add(index)

    for f in round_fields:
        column = raw[f.name] if f.name in raw.columns else pd.Series("", index=raw.index)
        values, errors = normalise_column(column.astype(object), f)
        typed[f.name] = pd.Series(values, index=raw.index, dtype=object)
        for index, error in errors.items():
            reject(int(index), f.name, error.check, error.reason)
        if f.type == "date":
            typed[f.name] = pd.to_datetime(typed[f.name]).astype("datetime64[ms]")
        else:
            typed[f.name] = typed[f.name].astype(_dtype(f))

    if "lan_code" in typed.columns:
        mismatch = typed["lan_code"].notna() & (typed["lan_code"] != raw["_file_lan"])
        for index in typed.index[mismatch]:
            row_code, file_code = typed.at[index, "lan_code"], raw.at[index, "_file_lan"]
            reject(int(index), "lan_code", "county_file_mismatch",
                   f"the row is for {row_code} ({registry.county_name(row_code, 'short')}) but "
                   f"the file is {file_code} ({registry.county_name(file_code, 'short')})'s "
                   "submission: move the row to its county's file or correct the county")

    by_name = {f.name: f for f in round_fields}
    for case in validation_failures(typed.drop(columns=list(PROVENANCE)), sheet,
                                    report_round).itertuples(index=False):
        index, column, check = int(case.index), str(case.column), str(case.check)
        if check == "duplicate_key":
            column, reason = _duplicate_reason(typed, sheet, index)
        elif (index, column) in failed:
            continue  # already rejected for this cell (e.g. blank after a parse error)
        else:
            reason = _describe(by_name[column], check, raw.at[index, column],
                               typed.loc[index], report_round)
        reject(index, column, check, reason)
    return typed, rejected


def _stub(raw: pd.DataFrame, rows: set[int]) -> pd.DataFrame:
    """Provenance (and the diarienummer as written) of rows rejected before normalising, so the
    ledger can count them and the coding check can name them."""
    keep = [*PROVENANCE, *(["diarienummer"] if "diarienummer" in raw.columns else [])]
    stub = raw.loc[sorted(rows), keep]
    if "diarienummer" in stub.columns:
        stub["diarienummer"] = stub["diarienummer"].map(raw_text).astype("str")
    return stub


def _row_problems(tables: list[RawSheet], raw: pd.DataFrame, sheet: str,
                  rejects: _Rejects) -> set[int]:
    """Rows the reader found unusable as a whole (e.g. a CSV row with too many cells)."""
    rejected: set[int] = set()
    if raw.empty:
        return rejected
    position = {(f, r): i for i, (f, r) in enumerate(zip(raw["source_file"], raw["source_row"],
                                                         strict=True))}
    for t in tables:
        for row, (check, reason) in sorted(t.row_problems.items()):
            rejects.add(t.file, sheet, row, "", "", check, reason)
            rejected.add(raw.index[position[(t.file, row)]])
    return rejected


# ---------------------------------------------------------------------------- free-text flags


def keyword_flags(projects: pd.DataFrame) -> pd.DataFrame:
    """One bool column per taxonomy keyword: does any of its fields mention it."""
    out = pd.DataFrame(index=projects.index)
    for keyword in codebook.taxonomy():
        regex = keyword.regex
        hit = np.zeros(len(projects), dtype=bool)
        for name in keyword.fields:
            if name in projects.columns:
                texts = projects[name].fillna("").astype(str).tolist()
                found = {t: bool(regex.search(t)) for t in dict.fromkeys(texts)}
                hit |= np.fromiter((found[t] for t in texts), bool, len(texts))
        out[keyword.name] = hit
    return out


# ---------------------------------------------------------------------------------- the coding


def read_coding(path: Path) -> tuple[pd.DataFrame, list[dict[str, str]]]:
    """The evaluator's coding sheet, one row per diarienummer with valid values ("" for an
    invalid or duplicated entry), and its issues."""
    names = coding_columns()
    empty = pd.DataFrame(columns=["diarienummer", "lan_code", *names], dtype="str")
    issues: list[dict[str, str]] = []
    if not path.is_file():
        issues.append({"diarienummer": "", "lan_code": "", "issue": "coding_file_missing",
                       "detail": f"no coding sheet {path.name}: every project is uncoded"})
        return empty, issues
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.columns = [c.strip() for c in frame.columns]
    missing = [c for c in ("diarienummer", *names) if c not in frame.columns]
    if missing:
        issues.append({"diarienummer": "", "lan_code": "", "issue": "coding_columns_missing",
                       "detail": f"{path.name} lacks the columns {', '.join(missing)}"})
        return empty, issues
    if "lan_code" not in frame.columns:
        frame["lan_code"] = ""
    frame = frame.loc[:, ["diarienummer", "lan_code", *names]].apply(lambda s: s.str.strip())
    frame = frame[frame.ne("").any(axis=1)]
    codes = {text: _coded_county(text) for text in frame["lan_code"].unique()}
    frame["lan_code"] = frame["lan_code"].map(codes)
    for spec in codebook.coding_fields():
        allowed = {enum_key(v): v for v in spec["values"]}
        raw = frame[spec["name"]]
        canonical = raw.map({v: allowed.get(enum_key(v), "") for v in raw.unique()})
        for row in frame[canonical.eq("") & raw.ne("")].itertuples(index=False):
            value = getattr(row, spec["name"])
            issues.append({
                "diarienummer": row.diarienummer, "lan_code": row.lan_code,
                "issue": "coding_value",
                "detail": f"{spec['name']} = {redact(value)!r} is not one of "
                          f"{', '.join(spec['values'])}; left uncoded"})
        frame[spec["name"]] = canonical.astype("str")
    duplicated = frame["diarienummer"].duplicated(keep=False)
    for key, group in frame[duplicated].groupby("diarienummer", sort=True):
        issues.append({"diarienummer": key, "lan_code": group["lan_code"].iloc[0],
                       "issue": "coding_duplicate",
                       "detail": f"coded {len(group)} times; the codings are not used"})
    frame.loc[duplicated, list(names)] = ""
    frame = frame.drop_duplicates("diarienummer")
    return frame.reset_index(drop=True), issues


def _coded_county(text: str) -> str:
    try:
        return registry.county_code(text) if text else ""
    except registry.UnknownCountyError:
        return text


def merge_coding(projects: pd.DataFrame, coding: pd.DataFrame, rejected_ids: set[str],
                 issues: list[dict[str, str]]) -> pd.DataFrame:
    """Projects with the coding columns ("" when uncoded); mismatches are added to ``issues``."""
    names = list(coding_columns())
    merged = projects.merge(coding.rename(columns={"lan_code": "coded_lan_code"}), how="left",
                            on="diarienummer", validate="many_to_one")
    merged.index = projects.index
    for name in names:
        merged[name] = merged[name].fillna("").astype("str")
    uncoded = merged["coded_lan_code"].isna()
    for row in merged[uncoded].sort_values("diarienummer").itertuples():
        issues.append({"diarienummer": row.diarienummer, "lan_code": row.lan_code,
                       "issue": "project_without_coding",
                       "detail": f"submitted ({row.source_file} row {row.source_row}) but not "
                                 "in the coding sheet; coding columns left blank"})
    coded_lan = merged["coded_lan_code"]
    wrong_lan = ~uncoded & coded_lan.ne("") & coded_lan.ne(merged["lan_code"])
    for row in merged[wrong_lan].sort_values("diarienummer").itertuples():
        issues.append({"diarienummer": row.diarienummer, "lan_code": row.lan_code,
                       "issue": "coding_county_mismatch",
                       "detail": f"the coding sheet says county {row.coded_lan_code}, the "
                                 f"submission {row.lan_code}; the coding is used"})
    submitted = set(projects["diarienummer"])
    for row in coding[~coding["diarienummer"].isin(submitted)].itertuples():
        where = ("its report was rejected (see rejects.csv)" if row.diarienummer in rejected_ids
                 else "it is in no submission")
        issues.append({"diarienummer": row.diarienummer, "lan_code": row.lan_code,
                       "issue": "coding_without_project", "detail": f"coded, but {where}"})
    return merged.drop(columns="coded_lan_code")


def link_rounds(projects: pd.DataFrame, previous: pd.DataFrame | None, report_round: int,
                rejected_ids: set[str]) -> list[dict[str, str]]:
    """Issues linking a round-2011 project list to the round-2010 one by diarienummer: a final
    round report of a 2008/2009 project without a partial report, and a partial report without
    a final round report."""
    if report_round - 1 not in ROUNDS:
        return []
    if previous is None:
        return [{"diarienummer": "", "lan_code": "", "issue": "link_not_checked",
                 "detail": f"round {report_round - 1} was not available"}]
    issues = []
    earlier = set(previous["diarienummer"])
    lo, hi = year_range(report_round - 1)
    due = projects["granted_year"].between(lo, hi) & ~projects["diarienummer"].isin(earlier)
    for row in projects[due].sort_values("diarienummer").itertuples():
        issues.append({"diarienummer": row.diarienummer, "lan_code": row.lan_code,
                       "issue": "partial_report_missing",
                       "detail": f"granted {row.granted_year} but no partial report in round "
                                 f"{report_round - 1}"})
    now = set(projects["diarienummer"]) | rejected_ids
    for row in previous[~previous["diarienummer"].isin(now)].sort_values(
            "diarienummer").itertuples():
        issues.append({"diarienummer": row.diarienummer, "lan_code": row.lan_code,
                       "issue": "final_report_missing",
                       "detail": f"partial report in round {report_round - 1} but no report "
                                 f"in round {report_round}"})
    return issues


# --------------------------------------------------------------------------------- the result


@dataclass
class Processed:
    """A round's processed tables (see notes/MODEL.md for the columns)."""

    projects: pd.DataFrame
    allocations: pd.DataFrame
    board: pd.DataFrame
    rejects: pd.DataFrame
    ledger: pd.DataFrame
    coding_issues: pd.DataFrame

    @property
    def ok(self) -> bool:
        """Nothing rejected."""
        return self.rejects.empty


@dataclass
class CleanResult(Processed):
    """What :func:`clean_round` made, with the seconds each phase took."""

    report_round: int = DEFAULT_ROUND
    timings: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        """A few lines for the terminal."""
        ledger = self.ledger
        lines = [
            f"Round {self.report_round}: {ledger['file'].nunique()} files, "
            f"{int(ledger['rows_read'].sum())} rows read, "
            f"{int(ledger['rows_accepted'].sum())} accepted, "
            f"{int(ledger['rows_rejected'].sum())} rejected; {len(self.projects)} projects, "
            f"{len(self.allocations)} allocation rows, {len(self.board)} board rows; "
            f"{len(self.coding_issues)} coding issues."
        ]
        bad = ledger[ledger["status"] != "ok"]
        for row in bad.itertuples(index=False):
            lines.append(f"  {row.status}: {row.file} {row.sheet} — "
                         f"{row.rows_rejected} of {row.rows_read} rows rejected. {row.message}")
        return "\n".join(lines)


def _empty(table: str) -> pd.DataFrame:
    return _typed_output(pd.DataFrame(columns=list(columns(table))), table)


def _typed_output(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """The table in contract column order and dtypes."""
    sheet = {v: k for k, v in TABLES.items()}[table]
    out = pd.DataFrame(index=frame.index)
    types = {f.name: f for f in table_fields(sheet)}
    for name in columns(table):
        series = frame[name] if name in frame.columns else pd.Series(index=frame.index,
                                                                      dtype=object)
        f = types.get(name)
        if name in {"report_round", "source_row"} or (f and f.type in {"amount", "year",
                                                                      "integer"}):
            out[name] = series.astype("int64")
        elif f and f.type == "checkbox" or name in keyword_columns():
            out[name] = series.fillna(False).astype(bool)
        elif f and f.type == "date":
            out[name] = pd.to_datetime(series).astype("datetime64[ms]")
        else:
            out[name] = series.fillna("").astype("str")
    return out.reset_index(drop=True)


def _ledger_row(outcome: SheetOutcome, **values: Any) -> dict[str, Any]:
    row = {"file": outcome.file, "sheet": outcome.sheet, "sheet_name": outcome.sheet_name,
           "lan_code": outcome.lan_code, "status": "ok", "check": "", "rows_read": 0,
           "rows_accepted": 0, "rows_rejected": 0, "rows_blank": 0, "header_row": "",
           "personal_columns_dropped": 0, "unknown_columns": "", "message": ""}
    row.update(values)
    return row


def _sort_key(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)


PreviousRound = pd.DataFrame | Callable[[], pd.DataFrame | None] | None
"""The round before's projects, or a function that gives them once they are built."""


def clean_round(raw_dir: Path, coding_path: Path, out_dir: Path | None, report_round: int,
                previous: PreviousRound = None) -> CleanResult:
    """Clean one round's submissions under ``raw_dir`` with the coding sheet ``coding_path``;
    write the outputs to ``out_dir`` (None: write nothing).

    ``previous``: the round before's projects (or a function returning them, called only when
    they are needed), for the link between partial and final reports; when None,
    ``<out_dir>/../<round-1>/projects.parquet`` is used if it exists."""
    raw_dir, coding_path = Path(raw_dir), Path(coding_path)
    if not raw_dir.is_dir():
        raise FileNotFoundError(
            f"No submissions folder {raw_dir.name!r} for round {report_round} "
            f"({raw_dir.parent.name}/{raw_dir.name}): put the county files there, or run "
            "`python -m samverkan synth` to write the reconstructed ones."
        )
    timings: dict[str, float] = {}
    start = time.perf_counter()
    outcomes = read_submissions(raw_dir, report_round)
    timings["read"] = time.perf_counter() - start

    start = time.perf_counter()
    rejects = _Rejects()
    ledger: list[dict[str, Any]] = []
    typed: dict[str, pd.DataFrame] = {}
    rejected_rows: dict[str, set[int]] = {}
    for sheet in (s for s in codebook.SHEETS if report_round in codebook.sheet_rounds(s)):
        tables = [o.table for o in outcomes if o.sheet == sheet and o.table is not None]
        tables = [t for t in tables if not t.cells.empty]
        raw = _combine(tables)
        if raw.empty:
            typed[sheet], rejected_rows[sheet] = pd.DataFrame(columns=list(PROVENANCE)), set()
            continue
        problems = _row_problems(tables, raw, sheet, rejects)
        # a misaligned row is rejected as a whole: its cells are not judged one by one
        frame, bad = normalise_sheet(raw.drop(index=sorted(problems)), sheet, report_round,
                                     rejects)
        if problems:
            frame = pd.concat([frame, _stub(raw, problems)]).sort_index()
        typed[sheet], rejected_rows[sheet] = frame, bad | problems
    timings["normalise"] = time.perf_counter() - start

    start = time.perf_counter()
    if report_round in codebook.sheet_rounds("Medel"):
        _check_requisitioned(typed, rejected_rows, rejects)

    accepted = {s: f.drop(index=sorted(rejected_rows[s])) for s, f in typed.items()}
    for outcome in outcomes:
        ledger.append(_ledger_for(outcome, typed, rejected_rows, rejects))

    projects = accepted["Projekt"].copy()
    projects["report_round"] = report_round
    projects = pd.concat([projects, keyword_flags(projects)], axis=1)
    rejected_ids = {
        str(typed["Projekt"].at[i, "diarienummer"]) for i in rejected_rows["Projekt"]
        if "diarienummer" in typed["Projekt"] and pd.notna(typed["Projekt"].at[i, "diarienummer"])
    }
    coding, issues = read_coding(coding_path)
    for name in ("diarienummer", "lan_code", "granted_year"):
        if name not in projects.columns:
            projects[name] = pd.Series(dtype=object)
    projects = merge_coding(projects, coding, rejected_ids, issues)
    if callable(previous):
        previous = previous()
    if previous is None and out_dir is not None:
        sibling = Path(out_dir).parent / str(report_round - 1) / "projects.parquet"
        previous = pd.read_parquet(sibling, columns=["diarienummer", "lan_code"]) \
            if sibling.is_file() else None
    issues += link_rounds(projects, previous, report_round, rejected_ids)

    result = CleanResult(
        projects=_sort_key(_typed_output(projects, "projects"), ["lan_code", "diarienummer"]),
        allocations=_sort_key(_typed_output(
            accepted["Medel"].assign(report_round=report_round), "allocations"),
            ["lan_code", "year"]),
        board=_sort_key(_typed_output(accepted["Länsstyrelsen"].assign(
            report_round=report_round), "board"), ["lan_code"])
        if "Länsstyrelsen" in accepted else _empty("board"),
        rejects=rejects.frame(),
        ledger=_sort_key(pd.DataFrame(ledger, columns=list(LEDGER_COLUMNS)), ["file", "sheet"]),
        coding_issues=_sort_key(pd.DataFrame(issues, columns=list(CODING_ISSUE_COLUMNS)),
                                ["issue", "lan_code", "diarienummer"]),
        report_round=report_round,
        timings=timings,
    )
    timings["validate"] = time.perf_counter() - start
    if out_dir is not None:
        start = time.perf_counter()
        write_outputs(result, Path(out_dir))
        timings["write"] = time.perf_counter() - start
    return result


def _ledger_for(outcome: SheetOutcome, typed: dict[str, pd.DataFrame],
                rejected_rows: dict[str, set[int]], rejects: _Rejects) -> dict[str, Any]:
    if outcome.error is not None:
        error = outcome.error
        rejects.add(outcome.file, outcome.sheet, "", error.column, "", error.check, error.message)
        return _ledger_row(outcome, status="file_rejected", check=error.check,
                           rows_read=error.rows_read, rows_rejected=error.rows_read,
                           message=error.message)
    table = outcome.table
    assert table is not None
    frame = typed[outcome.sheet]
    mine = frame.index[frame["source_file"].eq(table.file)] if len(frame) else []
    rejected = len(set(mine) & rejected_rows[outcome.sheet])
    values = dict(rows_read=table.rows_read, rows_accepted=table.rows_read - rejected,
                  rows_rejected=rejected, rows_blank=table.blank_rows,
                  header_row=table.header_row, personal_columns_dropped=table.personal_columns,
                  unknown_columns="; ".join(table.unknown_columns),
                  message=redact("; ".join(table.notes)))
    if table.rows_read == 0 and outcome.sheet != "Projekt":
        message = (f"{table.file}: no rows under the header of the {outcome.sheet} table; fill "
                   "in the table")
        rejects.add(table.file, outcome.sheet, "", "", "", "sheet_empty", message)
        values.update(status="file_rejected", check="sheet_empty", message=message)
    elif rejected:
        values.update(status="rows_rejected")
    return _ledger_row(outcome, **values)


def _check_requisitioned(typed: dict[str, pd.DataFrame], rejected_rows: dict[str, set[int]],
                         rejects: _Rejects) -> None:
    """A county may not have granted its projects more than it requisitioned: when it has, the
    county's allocation rows are rejected (the project rows stand on their own)."""
    projects, allocations = typed["Projekt"], typed["Medel"]
    if projects.empty or allocations.empty:
        return
    ok_projects = projects.drop(index=sorted(rejected_rows["Projekt"]))
    ok_allocations = allocations.drop(index=sorted(rejected_rows["Medel"]))
    granted = ok_projects.groupby("lan_code")["granted_sek"].sum()
    requisitioned = ok_allocations.groupby("lan_code")["requisitioned_sek"].sum()
    for lan_code, total in requisitioned.items():
        given = int(granted.get(lan_code, 0))
        if given <= int(total):
            continue
        rows = ok_allocations.index[ok_allocations["lan_code"] == lan_code]
        for index in rows:
            rejects.add(allocations.at[index, "source_file"], "Medel",
                        int(allocations.at[index, "source_row"]), "requisitioned_sek",
                        allocations.at[index, "requisitioned_sek"], "granted_over_requisitioned",
                        f"the county's projects were granted {given} kr in all but it "
                        f"requisitioned {int(total)} kr; correct the Medel rows or the "
                        "projects' granted amounts")
            rejected_rows["Medel"].add(index)


# ------------------------------------------------------------------------------------- outputs

DATE_FORMAT = "%Y-%m-%d"


def write_outputs(result: CleanResult, out_dir: Path) -> None:
    """Every output of a round, each written atomically (``board`` only in the rounds that
    have the sheet)."""
    for table in ("projects", "allocations", "board"):
        frame = getattr(result, table)
        if table == "board" and result.report_round not in codebook.sheet_rounds("Länsstyrelsen"):
            continue
        write_parquet(out_dir / f"{table}.parquet", frame)
        write_atomic(out_dir / f"{table}.csv", lambda path, f=frame: _write_table_csv(f, path))
    write_csv(out_dir / "rejects.csv", result.rejects)
    write_csv(out_dir / "ledger.csv", result.ledger)
    write_csv(out_dir / "coding_issues.csv", result.coding_issues)


def _write_table_csv(frame: pd.DataFrame, path: Path) -> None:
    """A processed table as the project's tidy CSV (UTF-8, comma, minimal quoting, ``\\n``):
    dates ISO, booleans True/False; the same text pandas' ``to_csv`` writes, about a third
    faster for the long free-text columns."""
    columns = []
    for name in frame.columns:
        series = frame[name]
        if pd.api.types.is_datetime64_any_dtype(series):
            columns.append(series.dt.strftime(DATE_FORMAT).fillna("").tolist())
        elif series.dtype == bool:
            columns.append(["True" if v else "False" for v in series.tolist()])
        else:
            columns.append(series.astype(str).tolist())
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(list(frame.columns))
        writer.writerows(zip(*columns, strict=True))


# ----------------------------------------------------------------------- the project's folders


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "missing"


SOURCES = ("intake/codebook.yaml", "intake/codebook.py", "registry.py", "intake/normalise.py",
           "intake/ingest.py", "intake/clean.py")
"""Package files whose change makes the processed data stale."""


def inputs_digest(report_round: int) -> dict[str, str]:
    """Content hashes of everything a round's processed data depends on (paths relative to the
    project root): raw files, coding sheet, registry facts, the cleaning code, and the round
    before's inputs."""
    root = project_root()
    paths = sorted(p for p in raw_dir(report_round).rglob("*") if p.is_file()) \
        if raw_dir(report_round).is_dir() else []
    paths += [coding_path(report_round), reference_dir() / "counties.csv",
              reference_dir() / "municipalities.csv"]
    package = Path(__file__).resolve().parents[1]
    out = {p.relative_to(root).as_posix() if p.is_relative_to(root) else p.name: _digest(p)
           for p in paths}
    out.update({f"samverkan/{name}": _digest(package / name) for name in SOURCES})
    if report_round - 1 in ROUNDS:
        before = json.dumps(inputs_digest(report_round - 1), sort_keys=True).encode()
        out[f"round {report_round - 1}"] = hashlib.sha256(before).hexdigest()
    return out


MANIFEST = "clean_manifest.json"
OUTPUTS = ("projects.parquet", "allocations.parquet", "rejects.csv", "ledger.csv",
           "coding_issues.csv")


def is_stale(report_round: int) -> bool:
    """True when the round's processed data is missing or was built from other inputs."""
    out = processed_dir(report_round)
    manifest = out / MANIFEST
    if not manifest.is_file() or any(not (out / name).is_file() for name in OUTPUTS):
        return True
    return json.loads(manifest.read_text(encoding="utf-8")) != inputs_digest(report_round)


@contextmanager
def _lock(report_round: int) -> Iterator[None]:
    """One builder per round at a time (parallel notebook runs may ask for the same data)."""
    out = processed_dir(report_round)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / ".clean.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build(report_round: int, previous: PreviousRound) -> CleanResult:
    """Clean the round from the project's folders, write it and its manifest (caller locks)."""
    digest = inputs_digest(report_round)
    result = clean_round(raw_dir(report_round), coding_path(report_round),
                         processed_dir(report_round), report_round, previous=previous)
    write_text(processed_dir(report_round) / MANIFEST,
               json.dumps(digest, indent=1, sort_keys=True) + "\n")
    return result


def _load_in_child(report_round: int) -> None:
    """Build the round's processed data if stale (run in a separate process)."""
    load_processed(report_round)


def _previous_projects(report_round: int) -> PreviousRound:
    """The round before's projects. When they must be built first, the build runs in a
    separate process while this round is read and normalised, and a function that waits for
    it is returned (the rounds are independent until they are linked at the end)."""
    before = report_round - 1
    if before not in ROUNDS:
        return None
    if not is_stale(before):
        return read_processed(processed_dir(before)).projects
    executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    future = executor.submit(_load_in_child, before)

    def wait() -> pd.DataFrame:
        try:
            future.result()
        finally:
            executor.shutdown()
        return load_processed(before).projects

    return wait


def run(report_round: int = DEFAULT_ROUND) -> CleanResult:
    """Clean the round from the project's folders and write ``data/processed/<round>/`` (the
    round before is loaded, or built when stale, for the link between the rounds)."""
    if report_round not in ROUNDS:
        raise ValueError(f"No report round {report_round}: rounds are {ROUNDS}.")
    previous = _previous_projects(report_round)
    with _lock(report_round):
        return _build(report_round, previous)


def load_processed(report_round: int = DEFAULT_ROUND) -> Processed:
    """The round's processed tables, building them first when missing or stale. A round before
    the first (e.g. the round before 2010) has no data: empty tables."""
    if report_round < min(ROUNDS):
        return Processed(projects=_empty("projects"), allocations=_empty("allocations"),
                         board=_empty("board"), rejects=pd.DataFrame(columns=REJECT_COLUMNS),
                         ledger=pd.DataFrame(columns=LEDGER_COLUMNS),
                         coding_issues=pd.DataFrame(columns=CODING_ISSUE_COLUMNS))
    if report_round not in ROUNDS:
        raise ValueError(f"No report round {report_round}: rounds are {ROUNDS}.")
    if is_stale(report_round):
        previous = _previous_projects(report_round)
        with _lock(report_round):
            if is_stale(report_round):
                _build(report_round, previous)
    return read_processed(processed_dir(report_round))


def read_processed(out_dir: Path) -> Processed:
    """The tables written by :func:`write_outputs` in ``out_dir``."""
    def csv(name: str, cols: tuple[str, ...]) -> pd.DataFrame:
        return pd.read_csv(out_dir / name, dtype=str, keep_default_na=False).reindex(
            columns=list(cols), fill_value="")

    board = out_dir / "board.parquet"
    return Processed(
        projects=pd.read_parquet(out_dir / "projects.parquet"),
        allocations=pd.read_parquet(out_dir / "allocations.parquet"),
        board=pd.read_parquet(board) if board.is_file() else _empty("board"),
        rejects=csv("rejects.csv", REJECT_COLUMNS),
        ledger=_ledger_types(csv("ledger.csv", LEDGER_COLUMNS)),
        coding_issues=csv("coding_issues.csv", CODING_ISSUE_COLUMNS),
    )


def _ledger_types(ledger: pd.DataFrame) -> pd.DataFrame:
    for name in ("rows_read", "rows_accepted", "rows_rejected", "rows_blank",
                 "personal_columns_dropped"):
        ledger[name] = ledger[name].astype("int64")
    return ledger


def main(args: Any) -> int:
    """``python -m samverkan clean --round R``: exit status 1 when anything was rejected (after
    writing everything good)."""
    report_round = getattr(args, "round", DEFAULT_ROUND)
    try:
        result = run(report_round)
    except FileNotFoundError as error:
        print(f"clean: {error}")
        return 2
    print(result.summary())
    out = processed_dir(report_round).relative_to(project_root())
    if not result.ok:
        print(f"{len(result.rejects)} rejects: see {out}/rejects.csv and {out}/ledger.csv.")
        return 1
    print(f"Wrote {out}/.")
    return 0

