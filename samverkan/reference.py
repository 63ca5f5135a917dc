"""The published figures of Rapport 2011:39, as transcribed in ``data/reference/published.csv``.

One row per printed figure (table cell, bullet sub-count, figure in the prose), with its source,
measure, period and the text exactly as printed. The file is written by hand and never by code;
this module only reads and checks it. The key scheme, measures and parent rules are documented in
``data/reference/README.md``.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from samverkan.paths import reference_dir
from samverkan.rounds import PERIODS

COLUMNS: tuple[str, ...] = (
    "key", "source", "table", "lan_code", "measure", "period", "value", "unit", "marker", "text",
    "parent", "note",
)
TABLES: tuple[str, ...] = ("t1", "t2", "t3", "t4", "t5", "t6", "prose")
MARKERS: tuple[str, ...] = ("", "*", "**")
UNITS: dict[str, str] = {
    "sek": "kronor",
    "msek": "million kronor (value × 1 000 000 = sek)",
    "projects": "number of projects",
    "percent": "per cent (5 means 5 %)",
    "count": "a count of something other than projects (questions, county boards, years)",
    "date": "a calendar date written yyyymmdd",
    "year": "a calendar year",
}
UNIT_TO_BASE: dict[str, tuple[str, int]] = {"msek": ("sek", 1_000_000)}
"""Units that convert to another unit before two figures are compared."""

MEASURES: dict[str, str] = {
    # money (Tabell 1, Tabell 6, prose)
    "allocated_sek": "development funds allocated ('Medel att fördela'; per county: Tabell 1)",
    "requisitioned_sek": "funds requisitioned by the county boards from Kammarkollegiet",
    "granted_sek": "funds granted to the projects",
    "administration_sek": "the county boards' administration",
    "administration_share": "the administration share of the funds, per cent",
    "total_costs_sek": "granted funds plus administration ('Sammanlagda kostnader')",
    "repayment_sek": "remaining funds to be repaid to Kammarkollegiet",
    # projects (Tabell 2 and prose)
    "projects_granted": "projects granted funds (period = the years the grants were made)",
    "projects_started": "projects started or finished (the report's base of 148)",
    "projects_not_started": "granted projects that did not or may not start",
    "projects_granted_county_min": "smallest number of granted projects in a county",
    "projects_granted_county_max": "largest number of granted projects in a county",
    "new_structures": "projects establishing a new cooperation structure",
    "existing_structures": "projects developing an existing cooperation structure",
    "evaluated_structures": "projects evaluating an existing cooperation structure",
    # partners (Tabell 3) and their sub-counts from free text (codebook taxonomy names)
    "partner_municipalities": "projects cooperating with other municipalities",
    "partner_health": "projects cooperating with health care",
    "partner_justice": "projects cooperating with the justice system",
    "partner_prosecutor": "projects cooperating with the prosecution authority",
    "partner_church": "projects cooperating with churches and faith communities",
    "partner_fk": "projects cooperating with Försäkringskassan",
    "partner_voluntary": "projects cooperating with voluntary organisations",
    "partner_other": "projects cooperating with other actors",
    "kw_primary_care": "health-care partner: primary care",
    "kw_mvc_bvc": "health-care partner: maternity and child health centres",
    "kw_psychiatry": "health-care partner: psychiatry for children and adults",
    "kw_acute_care": "health-care partner: acute care",
    "kw_bup": "health-care partner: child and adolescent psychiatry",
    "kw_police": "justice partner: police",
    "kw_church_operative": "church partner: operative cooperation",
    "kw_fk_active": "Försäkringskassan took an active part",
    "kw_fk_invited": "Försäkringskassan invited to training or consultation",
    "kw_womens_shelter": "voluntary partner: women's shelters",
    "kw_victim_support": "voluntary partner: victim support",
    "kw_school": "other partner: schools and pre-schools",
    "kw_university": "other partner: universities",
    # areas and target groups (Tabell 4)
    "area_women": "projects for women subjected to violence",
    "area_children": "projects for children who experienced violence",
    "area_honour": "projects on honour-related violence",
    "area_housing": "projects on protected housing",
    "area_men": "projects for men who use violence",
    "area_vulnerable": "projects for especially vulnerable groups",
    "family_perspective": "projects covering women, children and men together",
    "family_perspective_share": "share of projects with a family perspective, per cent",
    "vg_disability": "vulnerable group: women with disabilities",
    "vg_substance": "vulnerable group: women with substance abuse",
    "vg_elderly": "vulnerable group: elderly women",
    "vg_same_sex": "vulnerable group: same-sex relationships",
    "vg_foreign_background": "vulnerable group: women of other ethnic origin",
    # goal fulfilment and structure (Tabell 5)
    "goal_met": "projects that met their goals fully or partly",
    "integration_done": "projects integrated into ordinary work",
    "integration_plan": "projects with a plan for integration",
    "integration_not_relevant": "projects not to be integrated (e.g. one-off training)",
    "real_cooperation": "projects with real cooperation between parties, fully or partly",
    "not_cooperation": "projects judged not to be cooperation projects",
    "contains_training": "projects consisting fully or partly of training",
    "ongoing": "projects still running",
    "temporary_constellation": "temporary cooperation constellations",
    "county_board_active": "projects in which the county board took an active part",
    "finished": "projects finished",
    # the assignment, the form and the calendar (prose)
    "county_boards": "county boards reporting",
    "funding_years": "years over which the funds were allocated",
    "form_questions": "questions per project in the reporting form",
    "government_decision_date": "date of the government decision on the assignment",
    "report_period_start": "first day of the reporting period",
    "report_period_end": "last day of the reporting period",
    "report_due": "date the report was due at the Government Offices",
    "report_due_original": "due date of the final report before the extension",
    "coordinator_report_due": "date the county boards' reports were due at the coordinator",
    "funds_use_period_end": "last year in which the funds could be used",
}


class ReferenceError(ValueError):
    """published.csv breaks its own rules (see data/reference/README.md)."""


def check_published(frame: pd.DataFrame) -> list[str]:
    """Every violation of the file's rules, one message each naming the key and the field:
    columns, unique keys, known tables/measures/units/periods/markers, county codes, existing
    parents, numeric values. An empty list means the frame is well formed."""
    problems: list[str] = []
    if tuple(frame.columns) != COLUMNS:
        return [f"columns are {list(frame.columns)}, expected {list(COLUMNS)}"]
    duplicated = frame.loc[frame["key"].duplicated(), "key"]
    problems += [f"key {key!r}: duplicated" for key in duplicated]
    keys = set(frame["key"])
    lan_codes = {f"{n:02d}" for n in range(0, 26)}
    for row in frame.itertuples(index=False):
        where = f"key {row.key!r}"
        if row.key != row.key.strip().lower() or not row.key.isascii() or " " in row.key:
            problems.append(f"{where}: keys are lower-case ascii without spaces")
        for field, allowed in (("table", TABLES), ("measure", MEASURES), ("unit", UNITS),
                               ("period", PERIODS), ("marker", MARKERS)):
            if getattr(row, field) not in allowed:
                problems.append(f"{where}: {field} {getattr(row, field)!r} is not one of the "
                                f"documented values")
        if row.lan_code and row.lan_code not in lan_codes:
            problems.append(f"{where}: lan_code {row.lan_code!r} is not an SCB code")
        if row.parent and row.parent not in keys:
            problems.append(f"{where}: parent {row.parent!r} is not a key in the file")
        if pd.isna(pd.to_numeric(row.value, errors="coerce")):
            problems.append(f"{where}: value {row.value!r} is not a number")
        if not row.text or not row.source:
            problems.append(f"{where}: text and source must be filled")
    return problems


@cache
def published() -> pd.DataFrame:
    """The published figures: one row per figure, text columns as str (codes keep their leading
    zero, empty means none), ``value`` numeric (Int64 when every value is whole)."""
    path = reference_dir() / "published.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    problems = check_published(frame)
    if problems:
        raise ReferenceError(f"{path}: " + "; ".join(problems))
    values = pd.to_numeric(frame["value"])
    frame["value"] = values.astype("Int64") if (values % 1 == 0).all() else values
    return frame


def published_value(key: str) -> int | float:
    """The value printed for one key (``published_value("t1.total.2008")`` → 6000000)."""
    frame = published()
    match = frame.loc[frame["key"] == key, "value"]
    if match.empty:
        raise KeyError(f"No published figure with key {key!r} in data/reference/published.csv")
    value = match.iloc[0]
    return int(value) if float(value).is_integer() else float(value)


def in_base_units(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy where units listed in :data:`UNIT_TO_BASE` are converted (msek → sek), so that a
    prose figure and a table figure of the same measure and period can be compared."""
    result = frame.copy()
    values = result["value"].astype("Float64")
    for unit, (base, factor) in UNIT_TO_BASE.items():
        rows = result["unit"] == unit
        values[rows] = values[rows] * factor
        result.loc[rows, "unit"] = base
    result["value"] = values.astype("Int64") if (values.dropna() % 1 == 0).all() else values
    return result
