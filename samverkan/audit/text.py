"""Swedish words for the audit: measure names, where in Rapport 2011:39 a figure is printed,
values with their units, and how precisely a printed figure is meant (``knappt 40 procent``)."""

from __future__ import annotations

import math
import re
from datetime import date
from functools import cache

from samverkan import fmt
from samverkan.results.measures import label as table_label

NATIONAL = "00"

QUALIFIERS: dict[str, str] = {
    "knappt": "below", "nästan": "below", "drygt": "above", "strax över": "above",
    "cirka": "around", "ca": "around", "omkring": "around", "ungefär": "around",
}
"""Swedish words that make a printed figure approximate, and on which side of it the truth is."""

MEASURE_LABELS: dict[str, str] = {
    "granted_sek": "beviljade medel",
    "administration_sek": "länsstyrelsernas administration",
    "administration_share": "administrationens andel",
    "repayment_sek": "återbetalning till Kammarkollegiet",
    "projects_not_started": "projekt som inte startat",
    "projects_granted_county_min": "minsta antal beviljade projekt i ett län",
    "projects_granted_county_max": "största antal beviljade projekt i ett län",
    "evaluated_structures": "utvärderade samverkansstrukturer",
    "partner_municipalities": "samverkan med andra kommuner",
    "partner_health": "samverkan med hälso- och sjukvård",
    "partner_justice": "samverkan med rättsväsendet",
    "partner_prosecutor": "samverkan med åklagarmyndigheten",
    "partner_church": "samverkan med kyrka och samfund",
    "partner_fk": "samverkan med Försäkringskassan",
    "partner_voluntary": "samverkan med frivilligorganisationer",
    "partner_other": "samverkan med övriga",
    "kw_fk_active": "Försäkringskassan aktiv",
    "kw_womens_shelter": "kvinnojourer",
    "kw_victim_support": "brottsofferjourer",
    "kw_school": "skolor och förskolor",
    "kw_university": "högskolor",
    "family_perspective": "familjeperspektiv",
    "family_perspective_share": "andelen projekt med familjeperspektiv",
    "vg_foreign_background": "kvinnor med annan etnisk bakgrund",
    "goal_met": "mål helt eller delvis nådda",
    "integration_done": "integrerade i verksamheten",
    "integration_plan": "med integreringsplan",
    "real_cooperation": "reell samverkan",
    "contains_training": "innehåller utbildning",
    "ongoing": "pågående",
    "temporary_constellation": "tillfälliga konstellationer",
    "county_board_active": "länsstyrelsen aktiv",
    "county_boards": "länsstyrelser",
    "funding_years": "år med medel",
    "form_questions": "frågor i blanketten",
    "government_decision_date": "regeringsbeslutets datum",
    "report_period_start": "redovisningsperiodens början",
    "report_period_end": "redovisningsperiodens slut",
    "report_due": "redovisningens slutdatum",
    "report_due_original": "ursprungligt slutdatum",
    "coordinator_report_due": "länsstyrelsernas slutdatum",
    "funds_use_period_end": "sista år medlen fick användas",
}
"""Swedish names of the measures for the sentences of the audit chapter, where running text
names them otherwise than the results' tables do (:func:`samverkan.results.measures.label`)."""

PROSE_SOURCES: dict[str, str] = {
    "Sammanfattning": "rapportens sammanfattning", "Förord": "rapportens förord",
    "Reflektioner": "rapportens reflektioner", "Resultat, text": "rapportens resultattext",
    "Metod för sammanställning": "rapportens metodavsnitt",
    "Exempel på samverkansprojekt": "rapportens projektexempel",
    "Länsstyrelsernas uppdrag": "rapportens avsnitt om uppdraget",
    "Fördelning av utvecklingsmedlen": "rapportens avsnitt om fördelningen",
    "Bilaga, delredovisning": "rapportens bilaga med delredovisningens blankett",
    "Bilaga, frågor till länsstyrelserna": "rapportens bilaga med frågorna till länsstyrelserna",
    "Baksida": "rapportens baksida",
}
"""Where in Rapport 2011:39 a prose figure is printed, named so that it is never mistaken for a
chapter of this book."""


def label(measure: str) -> str:
    """Swedish name of a measure in running text (the canonical name when none is known)."""
    if measure in MEASURE_LABELS:
        return MEASURE_LABELS[measure]
    name = table_label(measure)
    first = name.split(" ", 1)[0]
    keep = first.isupper() or first in ("Försäkringskassan", "Kammarkollegiet")
    return name if keep or name == measure else name[:1].lower() + name[1:]


def source_label(source: str) -> str:
    """Where a figure is printed, named apart from the book's own tables and chapters:
    ``Tabell 1`` → ``rapportens tabell 1``, ``Sammanfattning`` → ``rapportens sammanfattning``.
    Sources that are not the report's (the county boards' sheets) are returned as they are."""
    table = re.fullmatch(r"Tabell (\d+)(.*)", source)
    if table:
        return f"rapportens tabell {table.group(1)}{table.group(2)}"
    return PROSE_SOURCES.get(source, source)


def capital(text: str) -> str:
    """The first letter upper-case (a sentence that starts with a source)."""
    return text[:1].upper() + text[1:]


@cache
def county_label(lan_code: str) -> str:
    """A county's short name, ``riket`` for the national figure, ``""`` when not per county."""
    from samverkan.registry import county_codes, county_name

    if lan_code == NATIONAL:
        return "riket"
    if lan_code in set(county_codes()):
        return county_name(lan_code, "short")
    return ""


def as_date(value: float | int) -> date:
    """A ``yyyymmdd`` number as a date."""
    text = f"{int(value):08d}"
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))


def value_text(value: float | int | None, unit: str) -> str:
    """A value in Swedish with its unit: ``620 000 kr``, ``88 projekt``, ``37,2 %``, dates ISO."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit == "sek":
        return fmt.kr(value)
    if unit == "projects":
        return f"{fmt.num(value)} projekt"
    if unit == "percent":
        return f"{fmt.num(value, 0 if float(value).is_integer() else 1)}{fmt.NBSP}%"
    if unit == "date":
        return as_date(value).isoformat()
    return fmt.num(value)


def bare(value: float | int, unit: str) -> str:
    """A value without its unit, for terms of a sum (``190 000``)."""
    if unit == "date":
        return as_date(value).isoformat()
    decimals = 0 if float(value).is_integer() else 1
    return fmt.num(value, decimals)


def signed(difference: float, unit: str) -> str:
    """A difference with its sign (``+30 000 kr``, ``−1 projekt``, ``365 dagar``); a
    difference of two shares is in percentage points (``+2,8 procentenheter``), never ``%``."""
    if unit == "date":
        return f"{fmt.num(difference)} dagar"
    sign = "+" if difference > 0 else ""
    if unit == "percent":
        points = fmt.num(difference, 0 if float(difference).is_integer() else 1)
        return f"{sign}{points} procentenheter"
    return sign + value_text(difference, unit)


def difference(stated: float, expected: float, unit: str) -> float:
    """stated − expected; in days for dates, rounded to cents otherwise."""
    if unit == "date":
        return float((as_date(stated) - as_date(expected)).days)
    return round(float(stated) - float(expected), 2)


def stated_interval(value: float, text: str, unit: str) -> tuple[float, float]:
    """The values a printed figure allows. Exact for counts and money; a percentage printed with
    ``d`` decimals covers ± half a unit of its last digit; a qualifier (``knappt 40``: just under
    40) opens an interval of half the figure's rounding step (40 → step 10) on its side."""
    lowered = text.lower()
    qualifier = next((side for word, side in QUALIFIERS.items()
                      if re.search(rf"\b{re.escape(word)}\b", lowered)), None)
    if qualifier is None:
        if unit != "percent":
            return float(value), float(value)
        decimals = len(text.split(",")[1].rstrip("% procent")) if "," in text else 0
        half = 0.5 * 10.0 ** -decimals
        return float(value) - half, float(value) + half
    step = 1.0
    while value and float(value) % (step * 10) == 0:
        step *= 10
    half = step / 2
    low, high = {"below": (value - half, value), "above": (value, value + half),
                 "around": (value - half, value + half)}[qualifier]
    return float(low), float(high)


def within(value: float, interval: tuple[float, float]) -> bool:
    """``value`` inside the closed interval (with a float margin)."""
    return interval[0] - 1e-9 <= value <= interval[1] + 1e-9


def counted(n: int, singular: str, plural: str) -> str:
    """A count with its noun in Swedish agreement: ``1 motsägelse``, ``0 motsägelser``."""
    return f"{fmt.num(n)} {singular if n == 1 else plural}"
