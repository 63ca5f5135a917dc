"""Audit of Rapport 2011:39: its published figures against the recomputed ones, and its internal
consistency on its own figures.

Two products, both written to ``data/processed/<round>/``:

* ``audit.csv`` (:func:`audit_published`): every figure of ``data/reference/published.csv``
  with the value the pipeline recomputes for the same measure, period and county, and a status
  ``match`` / ``differs`` / ``not_recomputable``.
* ``consistency.csv`` (:func:`consistency`): what the report's own figures say about each other.
  Generic rules read the structure of the reference data (``parent``, ``measure``, ``period``,
  ``lan_code``, ``marker``) and the declarative structure below (:data:`PARTITIONS`,
  :data:`IDENTITIES`, :data:`SHARES`, :data:`EXTREMES`). The rules know which figures *should*
  relate, never which of them are wrong.

The same rules run on the county boards' own totals (the Länsstyrelsen sheet) against the sum of
their projects and their allocations (:func:`submission_figures`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from samverkan import fmt
from samverkan.io import write_csv
from samverkan.paths import DEFAULT_ROUND, processed_dir
from samverkan.reference import MEASURES, in_base_units

STATUSES: tuple[str, ...] = ("match", "differs", "not_recomputable")
AUDIT_COLUMNS: tuple[str, ...] = ("key", "source", "published", "recomputed", "status", "note")
CONSISTENCY_COLUMNS: tuple[str, ...] = (
    "source", "rule", "expected", "stated", "difference", "unit", "keys", "detail",
)
CHECK_COLUMNS: tuple[str, ...] = (*CONSISTENCY_COLUMNS, "finding")

RULES: dict[str, str] = {
    "sum_of_parts": "Delar med samma mått summerar till sin tryckta summa (kolumnsummor, "
                    "summor i texten)",
    "period_sum": "Åren summerar till perioden (radsummor, 2008–2009 + 2010 = 2008–2010)",
    "partition": "Kategorier som delar upp projekten summerar till helheten",
    "identity": "Ekonomiska samband (kostnader, återbetalning, rekvirerade medel)",
    "same_figure": "Samma uppgift tryckt på flera ställen har samma värde",
    "subcount": "En delmängd är inte större än det den är en del av",
    "period_nesting": "En kortare period är inte större än den längre perioden",
    "share": "En tryckt andel stämmer med antalen den bygger på",
    "extreme": "Ett tryckt minsta eller största värde stämmer med tabellen",
}
"""The rules, in the order they run, with a Swedish description for the audit chapter."""


# ----------------------------------------------------------------------- declarative structure


@dataclass(frozen=True)
class Marked:
    """The sum of the cells of ``table`` carrying ``marker`` (e.g. Tabell 1's ``*``: funds not
    requisitioned from Kammarkollegiet), single-year cells within the period."""

    table: str
    marker: str
    measure: str
    label: str


@dataclass(frozen=True)
class Identity:
    """``lhs = sum(plus) - sum(minus)``. ``rule`` is ``partition`` when the terms are categories
    that split the projects of ``lhs`` into disjoint parts, ``identity`` for accounting."""

    rule: str
    lhs: str
    plus: tuple[str | Marked, ...]
    minus: tuple[str | Marked, ...] = ()


NOT_REQUISITIONED = Marked("t1", "*", "allocated_sek", "ej rekvirerade medel (*-markerade celler "
                                                       "i Tabell 1)")

PARTITIONS: tuple[Identity, ...] = (
    Identity("partition", "projects_granted", ("projects_started", "projects_not_started")),
    Identity("partition", "projects_started", ("ongoing", "finished")),
    Identity("partition", "projects_started", ("real_cooperation", "not_cooperation")),
    Identity("partition", "projects_started",
             ("integration_done", "integration_plan", "integration_not_relevant")),
    Identity("partition", "partner_fk", ("kw_fk_active", "kw_fk_invited")),
)
"""Categories the report presents as splitting a whole into disjoint parts."""

IDENTITIES: tuple[Identity, ...] = (
    Identity("identity", "total_costs_sek", ("granted_sek", "administration_sek")),
    Identity("identity", "repayment_sek", ("requisitioned_sek",), ("total_costs_sek",)),
    Identity("identity", "requisitioned_sek", ("allocated_sek",), (NOT_REQUISITIONED,)),
)
"""Accounting identities of Tabell 6 and Tabell 1."""


@dataclass(frozen=True)
class Share:
    """A printed percentage ``measure`` = 100 × numerator / denominator, for each denominator the
    text could mean."""

    measure: str
    numerator: str
    denominators: tuple[str, ...]


SHARES: tuple[Share, ...] = (
    Share("family_perspective_share", "family_perspective", ("projects_started",)),
    Share("administration_share", "administration_sek", ("requisitioned_sek", "granted_sek")),
)

EXTREMES: dict[str, tuple[str, str]] = {
    "projects_granted_county_min": ("projects_granted", "min"),
}
"""Measures that state the smallest or largest county value of another measure."""

PERIOD_YEARS: dict[str, frozenset[int]] = {
    "2008": frozenset({2008}), "2009": frozenset({2009}), "2010": frozenset({2010}),
    "2008-2009": frozenset({2008, 2009}), "2008-2010": frozenset({2008, 2009, 2010}),
}
PERIOD_SPLITS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("2008-2010", ("2008", "2009", "2010")),
    ("2008-2010", ("2008-2009", "2010")),
    ("2008-2009", ("2008", "2009")),
)
"""A period and the disjoint periods that make it up."""

ADDITIVE_UNITS: frozenset[str] = frozenset({"sek", "projects"})
"""Units whose values add up and are never negative (the only ones sums and bounds apply to)."""

NATIONAL = "00"
COUNTY_CODES: frozenset[str] = frozenset(f"{n:02d}" for n in range(1, 26))
DATA_TABLES: frozenset[str] = frozenset({"projects", "allocations"})
"""Tables of :func:`submission_figures` computed from the project and allocation rows."""

QUALIFIERS: dict[str, str] = {
    "knappt": "below", "nästan": "below", "drygt": "above", "strax över": "above",
    "cirka": "around", "ca": "around", "omkring": "around", "ungefär": "around",
}
"""Swedish words that make a printed figure approximate, and on which side of it the truth is."""

MEASURE_LABELS: dict[str, str] = {
    "allocated_sek": "fördelade medel", "requisitioned_sek": "rekvirerade medel",
    "granted_sek": "beviljade medel", "administration_sek": "länsstyrelsernas administration",
    "administration_share": "administrationens andel", "total_costs_sek": "sammanlagda kostnader",
    "repayment_sek": "återbetalning till Kammarkollegiet",
    "projects_granted": "beviljade projekt", "projects_started": "startade projekt",
    "projects_not_started": "projekt som inte startat",
    "projects_granted_county_min": "minsta antal beviljade projekt i ett län",
    "new_structures": "nya samverkansstrukturer",
    "existing_structures": "befintliga samverkansstrukturer",
    "evaluated_structures": "utvärderade samverkansstrukturer",
    "partner_municipalities": "samverkan med andra kommuner",
    "partner_health": "samverkan med hälso- och sjukvård",
    "partner_justice": "samverkan med rättsväsendet",
    "partner_prosecutor": "samverkan med åklagarmyndigheten",
    "partner_church": "samverkan med kyrka och samfund",
    "partner_fk": "samverkan med Försäkringskassan",
    "partner_voluntary": "samverkan med frivilligorganisationer",
    "partner_other": "samverkan med övriga", "kw_primary_care": "primärvård",
    "kw_mvc_bvc": "mödra- och barnavårdscentral", "kw_psychiatry": "psykiatri",
    "kw_acute_care": "akutsjukvård", "kw_bup": "BUP", "kw_police": "polis",
    "kw_church_operative": "operativ samverkan med kyrkan",
    "kw_fk_active": "Försäkringskassan aktiv", "kw_fk_invited": "Försäkringskassan inbjuden",
    "kw_womens_shelter": "kvinnojourer", "kw_victim_support": "brottsofferjourer",
    "kw_school": "skolor och förskolor", "kw_university": "högskolor",
    "area_women": "våldsutsatta kvinnor", "area_children": "barn som upplevt våld",
    "area_honour": "hedersrelaterat våld", "area_housing": "skyddat boende",
    "area_men": "män som utövar våld", "area_vulnerable": "särskilt utsatta grupper",
    "family_perspective": "familjeperspektiv",
    "family_perspective_share": "andelen projekt med familjeperspektiv",
    "vg_disability": "kvinnor med funktionsnedsättning", "vg_substance": "kvinnor med missbruk",
    "vg_elderly": "äldre kvinnor", "vg_same_sex": "samkönade relationer",
    "vg_foreign_background": "kvinnor med annan etnisk bakgrund",
    "goal_met": "mål helt eller delvis nådda", "integration_done": "integrerade i verksamheten",
    "integration_plan": "med integreringsplan", "integration_not_relevant": "ska inte integreras",
    "real_cooperation": "reell samverkan", "not_cooperation": "inte samverkansprojekt",
    "contains_training": "innehåller utbildning", "ongoing": "pågående",
    "temporary_constellation": "tillfälliga konstellationer",
    "county_board_active": "länsstyrelsen aktiv", "finished": "avslutade",
    "county_boards": "länsstyrelser", "funding_years": "år med medel",
    "form_questions": "frågor i blanketten",
    "government_decision_date": "regeringsbeslutets datum",
    "report_period_start": "redovisningsperiodens början",
    "report_period_end": "redovisningsperiodens slut", "report_due": "redovisningens slutdatum",
    "report_due_original": "ursprungligt slutdatum", "coordinator_report_due":
        "länsstyrelsernas slutdatum", "funds_use_period_end": "sista år medlen fick användas",
}
"""Swedish names of the measures, for the sentences of the audit chapter."""


# ----------------------------------------------------------------------------- formatting


def label(measure: str) -> str:
    """Swedish name of a measure (the canonical name when none is known)."""
    return MEASURE_LABELS.get(measure, measure)


def period_label(period: str) -> str:
    """``2008-2010`` → ``2008–2010`` (en dash)."""
    return period.replace("-", "–")


def county_label(lan_code: str) -> str:
    """A county's short name, ``riket`` for the national figure, ``""`` when not per county."""
    if lan_code == NATIONAL:
        return "riket"
    if lan_code in COUNTY_CODES:
        from samverkan.registry import county_name

        return county_name(lan_code, "short")
    return ""


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
        return _as_date(value).isoformat()
    return fmt.num(value)


def _bare(value: float | int, unit: str) -> str:
    """A value without its unit, for terms of a sum (``190 000``)."""
    if unit == "date":
        return _as_date(value).isoformat()
    decimals = 0 if float(value).is_integer() else 1
    return fmt.num(value, decimals)


def _as_date(value: float | int) -> date:
    text = f"{int(value):08d}"
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))


def _difference(stated: float, expected: float, unit: str) -> float:
    """stated − expected; in days for dates, rounded to cents otherwise."""
    if unit == "date":
        return float((_as_date(stated) - _as_date(expected)).days)
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
    return interval[0] - 1e-9 <= value <= interval[1] + 1e-9


# ------------------------------------------------------------------------------- the figures


def _primacy(table: str, source: str) -> int:
    """Which printing of a figure stands for it: a table body or computed data (0) before a
    table's bullets and footnotes (1) before prose and the boards' own sheet (2)."""
    if table in DATA_TABLES or re.fullmatch(r"Tabell \d+", source):
        return 0
    if re.fullmatch(r"t\d+", table):
        return 1
    return 2


def figures(frame: pd.DataFrame) -> pd.DataFrame:
    """The figures in base units (msek → sek), with file ``order`` and ``primacy``; ``value`` as
    float. ``frame`` has the columns of ``published.csv``."""
    result = in_base_units(frame).reset_index(drop=True)
    result["value"] = result["value"].astype("float64")
    result["order"] = range(len(result))
    result["primacy"] = [_primacy(t, s) for t, s in zip(result["table"], result["source"],
                                                        strict=True)]
    return result


@dataclass(frozen=True)
class _Fig:
    key: str
    source: str
    table: str
    lan_code: str
    measure: str
    period: str
    value: float
    unit: str
    text: str


@dataclass(frozen=True)
class _Resolved:
    value: float
    keys: tuple[str, ...]
    unit: str
    how: str
    """``printed``, ``counties`` (national sum of county figures), ``years`` (period as the sum
    of its years) or ``derived`` (from an identity)."""


_Term = tuple[int, str, str, _Resolved]
"""A resolved term of an identity: sign, Swedish name, measure, value."""


@dataclass
class _Check:
    rule: str
    source: str
    keys: tuple[str, ...]
    stated: float
    expected: float
    unit: str
    finding: bool
    detail: str


@dataclass
class _Book:
    """Index over the figures, resolver of a measure's value, and collector of checks."""

    frame: pd.DataFrame
    checks: list[_Check] = field(default_factory=list)
    nesting: list[tuple[_Fig, _Fig]] = field(default_factory=list)
    _seen: set[frozenset[str]] = field(default_factory=set)

    def __post_init__(self) -> None:
        ordered = self.frame.sort_values(["primacy", "order"])
        self.rows: dict[tuple[str, str, str], list[_Fig]] = {}
        for r in ordered.itertuples(index=False):
            fig = _Fig(r.key, r.source, r.table, r.lan_code, r.measure, r.period, r.value, r.unit,
                       r.text)
            self.rows.setdefault((r.measure, r.period, r.lan_code), []).append(fig)
        self.by_key = {f.key: f for figs in self.rows.values() for f in figs}

    def add(self, check: _Check) -> None:
        keys = frozenset(check.keys)
        if keys in self._seen:
            return
        self._seen.add(keys)
        self.checks.append(check)

    def printed(self, measure: str, period: str, lan: str,
                prefer: str | None = None) -> _Fig | None:
        figs = self.rows.get((measure, period, lan), [])
        if not figs:
            return None
        if prefer is not None:
            preferred = [f for f in figs if f.table == prefer]
            if preferred:
                return preferred[0]
        return figs[0]

    def resolve(self, term: str | Marked, period: str, lan: str, prefer: str | None = None,
                depth: int = 0) -> _Resolved | None:
        """The value of a measure (or marked cells) for a period and county: as printed, else
        as the sum of the counties (national), the sum of its years, or from an identity."""
        if isinstance(term, Marked):
            return self._marked(term, period, lan)
        fig = self.printed(term, period, lan, prefer)
        if fig is not None:
            return _Resolved(fig.value, (fig.key,), fig.unit, "printed")
        if depth >= 2:
            return None
        if lan == NATIONAL:
            parts = [self.printed(term, period, c, prefer) for c in sorted(COUNTY_CODES)]
            parts = [p for p in parts if p is not None]
            if parts and parts[0].unit in ADDITIVE_UNITS:
                return _Resolved(sum(p.value for p in parts), tuple(p.key for p in parts),
                                 parts[0].unit, "counties")
        for whole, pieces in PERIOD_SPLITS:
            if whole != period:
                continue
            resolved = [self.resolve(term, p, lan, prefer, depth + 1) for p in pieces]
            if all(r is not None for r in resolved) and resolved[0].unit in ADDITIVE_UNITS:
                return _Resolved(sum(r.value for r in resolved),
                                 tuple(k for r in resolved for k in r.keys), resolved[0].unit,
                                 "years")
        for ident in IDENTITIES:
            if ident.lhs == term:
                value = self.evaluate(ident, period, lan, prefer, depth + 1)
                if value is not None:
                    total, keys, unit, _ = value
                    return _Resolved(total, keys, unit, "derived")
        return None

    def _marked(self, term: Marked, period: str, lan: str) -> _Resolved | None:
        frame = self.frame
        in_table = frame[(frame["table"] == term.table) & (frame["measure"] == term.measure)]
        if in_table.empty:
            return None
        years = PERIOD_YEARS.get(period, frozenset())
        cells = in_table[(in_table["marker"] == term.marker)
                         & in_table["period"].map(lambda p: len(PERIOD_YEARS.get(p, ())) == 1
                                                  and PERIOD_YEARS[p] <= years)]
        if lan != NATIONAL:
            cells = cells[cells["lan_code"] == lan]
        unit = in_table["unit"].iloc[0]
        return _Resolved(float(cells["value"].sum()), tuple(cells["key"]), unit, "marked")

    def evaluate(self, ident: Identity, period: str, lan: str, prefer: str | None,
                 depth: int = 0) -> tuple[float, tuple[str, ...], str, list[_Term]] | None:
        """``sum(plus) - sum(minus)`` with each term resolved: (value, keys, unit, terms), or
        None when a term cannot be resolved or the units differ."""
        terms: list[_Term] = []
        for sign, group in ((1, ident.plus), (-1, ident.minus)):
            for term in group:
                resolved = self.resolve(term, period, lan, prefer, depth)
                if resolved is None:
                    return None
                name = term.label if isinstance(term, Marked) else label(term)
                terms.append((sign, name, term if isinstance(term, str) else term.measure,
                              resolved))
        if len({t[3].unit for t in terms}) != 1:
            return None
        total = sum(sign * r.value for sign, _, _, r in terms)
        return total, tuple(k for *_, r in terms for k in r.keys), terms[0][3].unit, terms


# ------------------------------------------------------------------------------------- rules


def _but(finding: bool) -> str:
    """The conjunction of a detail sentence: the figures disagree (men) or agree (och)."""
    return "men" if finding else "och"


def _exceeds(finding: bool) -> str:
    return "är fler än" if finding else "är inte fler än"


def _where(fig: _Fig) -> str:
    county = county_label(fig.lan_code)
    return f"{fig.source}, {county}" if county and fig.lan_code != NATIONAL else fig.source


def _rule_sum_of_parts(book: _Book) -> None:
    """Children with the same measure as their parent are its disjoint parts: they add up to it
    (Tabell 1 and 2 columns → Summa, 6 + 7 + 10 miljoner → 23, 69 + 82 → 151, 32 + 24 → 55)."""
    frame = book.frame
    children = frame[frame["parent"] != ""]
    for parent_key, group in children.groupby("parent", sort=False):
        parent = book.by_key.get(parent_key)
        if parent is None:
            continue
        parts = [book.by_key[k] for k in group["key"] if book.by_key[k].measure == parent.measure]
        if not parts or parent.unit not in ADDITIVE_UNITS:
            continue
        expected = sum(p.value for p in parts)
        finding = expected != parent.value
        if len(parts) <= 4:
            terms = " + ".join(f"{_bare(p.value, p.unit)} ({_part_name(p, parent)})"
                               for p in parts)
            parts_text = f"delarna {terms} summerar till {value_text(expected, parent.unit)}"
        else:
            parts_text = (f"de {len(parts)} delarna ({_part_kind(parts)}) summerar till "
                          f"{value_text(expected, parent.unit)}")
        detail = (f"{_where(parent)}: {label(parent.measure)} {period_label(parent.period)} "
                  f"anges till {value_text(parent.value, parent.unit)}, {_but(finding)} "
                  f"{parts_text}.")
        book.add(_Check("sum_of_parts", parent.source, (parent.key, *(p.key for p in parts)),
                        parent.value, expected, parent.unit, finding, detail))


def _part_name(part: _Fig, whole: _Fig) -> str:
    if part.lan_code != whole.lan_code:
        return county_label(part.lan_code)
    return period_label(part.period)


def _part_kind(parts: Sequence[_Fig]) -> str:
    return "länens värden" if len({p.lan_code for p in parts}) == len(parts) else "delarnas värden"


def _group_key(fig: _Fig) -> str:
    return fig.source if fig.table == "prose" else fig.table


def _rule_periods(book: _Book) -> None:
    """Within one table (or one prose section), a county's years add up to the period they make
    up (Tabell 1's S:a tre år; 69 + 82 = 151), and a shorter period never exceeds the longer one
    that contains it (projects by 2009 ≤ projects by 2010; 18 → 34 church projects)."""
    groups: dict[tuple[str, str, str], dict[str, _Fig]] = {}
    for (measure, period, lan), figs in book.rows.items():
        for fig in figs:
            if fig.unit not in ADDITIVE_UNITS or period not in PERIOD_YEARS:
                continue
            groups.setdefault((_group_key(fig), lan, measure), {}).setdefault(period, fig)
    for by_period in groups.values():
        covered: set[frozenset[str]] = set()
        for whole, pieces in PERIOD_SPLITS:
            if whole not in by_period or not all(p in by_period for p in pieces):
                continue
            total = by_period[whole]
            parts = [by_period[p] for p in pieces]
            expected = sum(p.value for p in parts)
            names = " + ".join(period_label(p.period) for p in parts)
            terms = " + ".join(_bare(p.value, p.unit) for p in parts)
            finding = expected != total.value
            detail = (f"{_where(total)}: {label(total.measure)} för "
                      f"{period_label(total.period)} anges till "
                      f"{value_text(total.value, total.unit)}, {_but(finding)} {names} = {terms} "
                      f"= {value_text(expected, total.unit)}.")
            book.add(_Check("period_sum", total.source, (total.key, *(p.key for p in parts)),
                            total.value, expected, total.unit, finding, detail))
            covered.update(frozenset({total.period, p.period}) for p in parts)
        for short, long in ((a, b) for a in by_period for b in by_period
                            if PERIOD_YEARS[a] < PERIOD_YEARS[b]):
            if frozenset({short, long}) not in covered:
                book.nesting.append((by_period[short], by_period[long]))


def _rule_nesting(book: _Book) -> None:
    for short, long in book.nesting:
        finding = short.value > long.value
        detail = (f"{_where(short)}: {label(short.measure)} {period_label(short.period)} "
                  f"({value_text(short.value, short.unit)}) {_exceeds(finding)} för hela "
                  f"{period_label(long.period)} ({value_text(long.value, long.unit)}, "
                  f"{long.source}).")
        book.add(_Check("period_nesting", short.source, (short.key, long.key), short.value,
                        long.value, short.unit, finding, detail))


def _prefer_table(book: _Book, measures: Iterable[str], period: str, lan: str) -> str | None:
    """The table in which most of the measures are printed for this period and county (a
    numbered table before the prose on a tie), so that related figures come from one place."""
    tables = [t for m in measures for t in {f.table for f in book.rows.get((m, period, lan), [])}]
    if not tables:
        return None
    return min(sorted(set(tables)), key=lambda t: (-tables.count(t), t == "prose"))


def _rule_identities(book: _Book, identities: Sequence[Identity]) -> None:
    """``lhs = plus − minus`` wherever the left-hand side is printed and every term can be
    resolved (partitions: ongoing + finished = started; accounting: granted + administration =
    costs, requisitioned − costs = repayment, allocated − not requisitioned = requisitioned)."""
    for ident in identities:
        wheres = sorted({(period, lan) for (measure, period, lan) in book.rows
                         if measure == ident.lhs})
        for period, lan in wheres:
            names = [ident.lhs, *(t for t in (*ident.plus, *ident.minus) if isinstance(t, str))]
            prefer = _prefer_table(book, names, period, lan)
            lhs = book.printed(ident.lhs, period, lan, prefer)
            value = book.evaluate(ident, period, lan, prefer)
            if lhs is None or value is None or value[2] != lhs.unit:
                continue
            expected, keys, unit, terms = value
            finding = not math.isclose(expected, lhs.value, abs_tol=0.5)
            expression = " ".join(
                f"{'+' if sign > 0 else '−'} {name} {_bare(r.value, unit)}"
                for sign, name, _, r in terms).lstrip("+ ")
            if ident.rule == "partition":
                detail = (f"{_where(lhs)}: {expression} = {value_text(expected, unit)}, "
                          f"{_but(finding)} "
                          f"{label(ident.lhs)} {period_label(period)} anges till "
                          f"{value_text(lhs.value, unit)}.")
            else:
                detail = (f"{_where(lhs)}: {label(ident.lhs)} anges till "
                          f"{value_text(lhs.value, unit)}, {_but(finding)} {expression} = "
                          f"{value_text(expected, unit)}.")
            book.add(_Check(ident.rule, lhs.source, (lhs.key, *keys), lhs.value, expected, unit,
                            finding, detail))


def _rule_same_figure(book: _Book) -> None:
    """Every printing of one measure for one period and county has the same value; the table's
    own printing stands for the figure (summary 91 new structures vs Tabell 2's 88)."""
    for figs in book.rows.values():
        if len(figs) < 2:
            continue
        reference = figs[0]
        for fig in figs[1:]:
            if fig.unit != reference.unit:
                continue
            finding = fig.value != reference.value
            detail = (f"{_where(fig)} anger {label(fig.measure)} {period_label(fig.period)} "
                      f"till {value_text(fig.value, fig.unit)} (”{fig.text}”), {_but(finding)} "
                      f"{reference.source} anger {value_text(reference.value, reference.unit)}.")
            book.add(_Check("same_figure", fig.source, (fig.key, reference.key), fig.value,
                            reference.value, fig.unit, finding, detail))


def _rule_subcounts(book: _Book) -> None:
    """A child with a different measure than its parent is a subset of the parent's projects or
    money: never larger. Lifted to the counties where both have county parts (a county's new
    structures ≤ its projects)."""
    frame = book.frame
    parts_by_parent: dict[str, dict[str, _Fig]] = {}
    for r in frame[frame["parent"] != ""].itertuples(index=False):
        parent = book.by_key.get(r.parent)
        child = book.by_key[r.key]
        if parent is not None and parent.measure == child.measure:
            parts_by_parent.setdefault(parent.key, {}).setdefault(child.lan_code, child)
    for r in frame[frame["parent"] != ""].itertuples(index=False):
        child, parent = book.by_key[r.key], book.by_key.get(r.parent)
        if parent is None or parent.measure == child.measure or parent.unit != child.unit:
            continue
        if child.unit not in ADDITIVE_UNITS:
            continue
        pairs = [(child, parent)]
        child_parts = parts_by_parent.get(child.key, {})
        parent_parts = parts_by_parent.get(parent.key, {})
        pairs += [(child_parts[lan], parent_parts[lan])
                  for lan in sorted(set(child_parts) & set(parent_parts))]
        for small, big in pairs:
            finding = small.value > big.value
            detail = (f"{_where(small)}: {label(small.measure)} "
                      f"({value_text(small.value, small.unit)}) {_exceeds(finding)} "
                      f"{label(big.measure)} ({value_text(big.value, big.unit)}), som de är en "
                      f"del av.")
            book.add(_Check("subcount", small.source, (small.key, big.key), small.value,
                            big.value, small.unit, finding, detail))


def _rule_shares(book: _Book) -> None:
    """A printed percentage against the counts or amounts it is a share of, read at the
    precision it is printed with (``knappt 40 procent`` allows 35–40 %, ``5%`` 4,5–5,5 %)."""
    for share in SHARES:
        for (measure, period, lan), figs in sorted(book.rows.items()):
            if measure != share.measure:
                continue
            fig = figs[0]
            where_lan = lan or NATIONAL
            prefer = _prefer_table(book, [share.numerator], period, where_lan)
            numerator = book.resolve(share.numerator, period, where_lan, prefer)
            for denominator_name in share.denominators:
                denominator = book.resolve(denominator_name, period, where_lan, prefer)
                if numerator is None or denominator is None or not denominator.value:
                    continue
                computed = round(100 * numerator.value / denominator.value, 2)
                interval = stated_interval(fig.value, fig.text, fig.unit)
                finding = not within(computed, interval)
                detail = (f"{_where(fig)}: {label(share.measure)} anges som ”{fig.text}”, "
                          f"{_but(finding)} "
                          f"{label(share.numerator)} / {label(denominator_name)} = "
                          f"{_bare(numerator.value, numerator.unit)} / "
                          f"{_bare(denominator.value, denominator.unit)} = "
                          f"{fmt.num(computed, 1)}{fmt.NBSP}%, "
                          f"{'utanför' if finding else 'inom'} "
                          f"{fmt.num(interval[0], 1)}–{fmt.num(interval[1], 1)}{fmt.NBSP}%.")
                book.add(_Check("share", fig.source,
                                (fig.key, *numerator.keys, *denominator.keys),
                                fig.value, computed, "percent", finding, detail))


def _rule_extremes(book: _Book) -> None:
    """A printed smallest (or largest) county value against the county values of the table."""
    for (measure, period, _lan), figs in sorted(book.rows.items()):
        if measure not in EXTREMES:
            continue
        base, how = EXTREMES[measure]
        for fig in figs:
            prefer = fig.table
            counties = [book.printed(base, period, c, prefer) for c in sorted(COUNTY_CODES)]
            counties = [c for c in counties if c is not None]
            if len(counties) < 2:
                continue
            pick = min if how == "min" else max
            expected = pick(c.value for c in counties)
            at = [c for c in counties if c.value == expected]
            names = ", ".join(county_label(c.lan_code) for c in at)
            word = "minsta" if how == "min" else "största"
            finding = fig.value != expected
            detail = (f"{_where(fig)}: det {word} antalet per län {period_label(period)} anges "
                      f"till {fmt.num(fig.value)} (”{fig.text}”), {_but(finding)} "
                      f"{at[0].source} har {fmt.num(expected)} för {names}.")
            book.add(_Check("extreme", fig.source, (fig.key, *(c.key for c in at)), fig.value,
                            expected, fig.unit, finding, detail))


def checks(frame: pd.DataFrame) -> pd.DataFrame:
    """Every consistency check the rules make on ``frame`` (columns of ``published.csv``), passed
    or not: :data:`CHECK_COLUMNS`, ``finding`` True where the figures disagree. A set of figures
    is checked once, by the first rule in :data:`RULES` that relates them."""
    book = _Book(figures(frame))
    _rule_sum_of_parts(book)
    _rule_periods(book)
    _rule_identities(book, PARTITIONS)
    _rule_identities(book, IDENTITIES)
    _rule_same_figure(book)
    _rule_subcounts(book)
    _rule_nesting(book)
    _rule_shares(book)
    _rule_extremes(book)
    rows = [{"source": c.source, "rule": c.rule, "expected": c.expected, "stated": c.stated,
             "difference": _difference(c.stated, c.expected, c.unit), "unit": c.unit,
             "keys": ";".join(c.keys), "detail": c.detail, "finding": c.finding}
            for c in book.checks]
    result = pd.DataFrame(rows, columns=list(CHECK_COLUMNS))
    return result.astype({"finding": bool})


def consistency(frame: pd.DataFrame) -> pd.DataFrame:
    """The inconsistencies among the figures of ``frame``: the :func:`checks` that fail, in the
    columns :data:`CONSISTENCY_COLUMNS` (``difference`` = stated − expected, days for dates)."""
    return _findings(checks(frame))


# ------------------------------------------------------------------- published vs recomputed


def audit_published(published: pd.DataFrame, measures: pd.DataFrame) -> pd.DataFrame:
    """Every published figure against the recomputed value of the same measure, period and
    county (``measures``: columns lan_code, measure, period, value). Status ``match`` when the
    recomputed value is what the printed figure allows (:func:`stated_interval`), ``differs``
    otherwise, ``not_recomputable`` when the processed data has no such figure; ``note`` says
    why, and names the consistency findings of the report that touch the figure."""
    figs = figures(published)
    found = consistency(published)
    touching: dict[str, list[str]] = {}
    for row in found.itertuples(index=False):
        for key in row.keys.split(";"):
            touching.setdefault(key, []).append(f"{row.rule}: {row.detail}")
    recomputed = {(str(r.lan_code), str(r.measure), str(r.period)): float(r.value)
                  for r in measures.itertuples(index=False) if pd.notna(r.value)}
    known = set(measures["measure"].astype(str))
    rows = []
    for fig in figs.itertuples(index=False):
        value = recomputed.get((fig.lan_code, fig.measure, fig.period))
        if value is None:
            status = "not_recomputable"
            note = _why_not(fig, known, recomputed)
        else:
            ok = within(value, stated_interval(fig.value, fig.text, fig.unit))
            status = "match" if ok else "differs"
            note = "" if ok else (f"published {_plain(fig.value)}, recomputed {_plain(value)} "
                                  f"(difference {_plain(fig.value - value)})")
        if fig.key in touching:
            note = "; ".join(filter(None, [note, "report inconsistent here — "
                                           + " | ".join(touching[fig.key])]))
        rows.append({"key": fig.key, "source": fig.source, "published": fig.value,
                     "recomputed": value, "status": status, "note": note})
    return pd.DataFrame(rows, columns=list(AUDIT_COLUMNS))


def _plain(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"


def _why_not(fig: Any, known: set[str], recomputed: dict[tuple[str, str, str], float]) -> str:
    what = MEASURES.get(fig.measure, fig.measure)
    if fig.measure not in known:
        return (f"the submissions carry no figure for '{fig.measure}' ({what}): it describes the "
                f"report, the form or the calendar, not the projects")
    periods = sorted({p for (lan, m, p) in recomputed if m == fig.measure})
    lans = sorted({lan for (lan, m, p) in recomputed if m == fig.measure})
    if fig.period not in periods:
        return (f"'{fig.measure}' is recomputed for period(s) {', '.join(periods)} only, not "
                f"{fig.period or 'without a period'}")
    return (f"'{fig.measure}' is recomputed for {len(lans)} county code(s), not for "
            f"{fig.lan_code or 'a figure without county'}")


# ------------------------------------------------------------------ reading the results


STATUS_LABELS: dict[str, str] = {"match": "Stämmer", "differs": "Avviker",
                                 "not_recomputable": "Kan inte beräknas"}
TABLE_LABELS: dict[str, str] = {**{f"t{n}": f"Tabell {n}" for n in range(1, 7)},
                                "prose": "Löptext"}

READER_NOTES: dict[str, str] = {
    "sum_of_parts": "Den som summerar delarna själv får {expected} och inte den tryckta summan "
                    "{stated}: antingen summan eller någon av delarna är fel.",
    "period_sum": "Raden går inte ihop: åren ger {expected}, radsumman säger {stated}. Båda kan "
                  "inte vara rätt.",
    "partition": "Kategorierna presenteras som en uppdelning av projekten men summerar till "
                 "{expected} i stället för {stated}: några projekt räknas i mer än en kategori "
                 "(eller saknas), så andelarna kan inte läggas ihop.",
    "identity": "Beloppen i den ekonomiska redovisningen hänger inte ihop; skillnaden är "
                "{difference}.",
    "same_figure": "Samma uppgift anges med två värden ({stated} och {expected}); läsaren kan "
                   "inte avgöra vilket som gäller.",
    "subcount": "En delmängd ({stated}) är större än helheten ({expected}), vilket inte är "
                "möjligt.",
    "period_nesting": "Antalet för den kortare perioden ({stated}) är större än för hela "
                      "perioden ({expected}), vilket inte är möjligt.",
    "share": "Andelen ({stated}) stämmer inte med antalen den bygger på ({expected}).",
    "extreme": "Texten beskriver spridningen mellan länen annorlunda än tabellen ({stated} mot "
               "{expected}).",
}
"""What a finding of each rule means for a reader of the report."""


def reader_note(finding: Any) -> str:
    """The reader's consequence of one finding (a row of :func:`consistency`), with its numbers."""
    unit = finding.unit
    difference = (f"{fmt.num(abs(finding.difference))} dagar" if unit == "date"
                  else value_text(abs(finding.difference), unit))
    return READER_NOTES[finding.rule].format(
        stated=value_text(finding.stated, unit), expected=value_text(finding.expected, unit),
        difference=difference)


def status_table(audit_frame: pd.DataFrame, published_frame: pd.DataFrame) -> pd.DataFrame:
    """Counts of audit statuses per table of the report (rows Tabell 1–6, Löptext, Totalt),
    Swedish headers."""
    tables = published_frame.set_index("key")["table"]
    frame = audit_frame.assign(table=audit_frame["key"].map(tables).map(TABLE_LABELS))
    counts = pd.crosstab(frame["table"], frame["status"]).reindex(
        index=[t for t in TABLE_LABELS.values() if t in set(frame["table"])],
        columns=list(STATUSES), fill_value=0)
    counts.loc["Totalt"] = counts.sum()
    counts["Totalt"] = counts.sum(axis=1)
    counts = counts.rename(columns=STATUS_LABELS)
    counts.index.name = "Del av rapporten"
    counts.columns.name = None
    return counts


RULE_NAMES: dict[str, str] = {
    "sum_of_parts": "Delar mot summa", "period_sum": "År mot period",
    "partition": "Uppdelning av projekten", "identity": "Ekonomiskt samband",
    "same_figure": "Samma uppgift på flera ställen", "subcount": "Delmängd mot helhet",
    "period_nesting": "Kortare mot längre period", "share": "Andel mot antal",
    "extreme": "Minsta/största län",
}
"""Short Swedish names of the rules, for table cells."""


def _signed(difference: float, unit: str) -> str:
    if unit == "date":
        return f"{fmt.num(difference)} dagar"
    sign = "+" if difference > 0 else ""
    return sign + value_text(difference, unit)


def rules_table(all_checks: pd.DataFrame) -> pd.DataFrame:
    """Per rule: what it checks, how many checks it made and how many found a contradiction."""
    counts = all_checks.groupby("rule")["finding"].agg(["size", "sum"])
    rows = [{"Regel": RULE_NAMES[rule], "Vad som kontrolleras": RULES[rule],
             "Kontroller": int(counts.at[rule, "size"]) if rule in counts.index else 0,
             "Motsägelser": int(counts.at[rule, "sum"]) if rule in counts.index else 0}
            for rule in RULES]
    return pd.DataFrame(rows).set_index("Regel")


def findings_table(findings: pd.DataFrame) -> pd.DataFrame:
    """The findings with Swedish headers and formatted numbers."""
    rows = [{"Källa": f.source, "Regel": RULE_NAMES[f.rule],
             "Angivet": value_text(f.stated, f.unit), "Förväntat": value_text(f.expected, f.unit),
             "Skillnad": _signed(f.difference, f.unit)}
            for f in findings.itertuples(index=False)]
    return pd.DataFrame(rows, columns=["Källa", "Regel", "Angivet", "Förväntat", "Skillnad"])


def _figure_name(fig: Any) -> str:
    county = county_label(fig.lan_code)
    where = f", {county}" if county and fig.lan_code != NATIONAL else ""
    period = f" {period_label(fig.period)}" if fig.period else ""
    return f"{label(fig.measure)}{period}{where}"


def differences_table(explained: pd.DataFrame, published_frame: pd.DataFrame) -> pd.DataFrame:
    """The ``differs`` rows (from :func:`explain_differences`) with Swedish headers."""
    figs = figures(published_frame).set_index("key")
    rows = []
    for d in explained.itertuples(index=False):
        fig = figs.loc[d.key]
        rows.append({"Källa": d.source, "Uppgift": _figure_name(fig),
                     "Publicerat": value_text(d.published, fig.unit),
                     "Beräknat": value_text(d.recomputed, fig.unit),
                     "Förklaras av rapporten": "ja" if d.explained else "nej"})
    return pd.DataFrame(rows, columns=["Källa", "Uppgift", "Publicerat", "Beräknat",
                                       "Förklaras av rapporten"])


def not_recomputable_table(audit_frame: pd.DataFrame, published_frame: pd.DataFrame
                           ) -> pd.DataFrame:
    """The figures that cannot be recomputed, one row per measure: what, where, how many."""
    figs = figures(published_frame).set_index("key")
    keys = audit_frame.loc[audit_frame["status"] == "not_recomputable", "key"]
    rows = figs.loc[list(keys)]
    grouped = rows.groupby("measure", sort=False).agg(
        sources=("source", lambda s: ", ".join(dict.fromkeys(s))), n=("source", "size"))
    return pd.DataFrame({"Uppgift": [label(m) for m in grouped.index],
                         "Var i rapporten": grouped["sources"].tolist(),
                         "Antal": grouped["n"].tolist()})


def corrections(published_frame: pd.DataFrame) -> pd.DataFrame:
    """Single printed figures whose correction would resolve two or more findings at once
    without creating a new one (Halland's row total explains both its row and the column's
    Summa). Found by trying, for each figure in several findings, the value one finding implies
    and re-running the rules. Columns key, source, printed, corrected, resolves (n findings)."""
    base = consistency(published_frame)
    before = {(f.rule, f.keys) for f in base.itertuples(index=False)}
    values = figures(published_frame).set_index("key")
    counts = pd.Series([k for keys in base["keys"] for k in keys.split(";")]).value_counts()
    rows = []
    for key in sorted(counts[counts >= 2].index):
        if values.at[key, "unit"] == "msek":
            continue
        candidates = set()
        for f in base.itertuples(index=False):
            keys = f.keys.split(";")
            if key == keys[0]:
                candidates.add(f.expected)
            elif key in keys and f.rule in {"sum_of_parts", "period_sum", "partition"}:
                candidates.add(values.at[key, "value"] + f.difference)
        for candidate in sorted(candidates):
            mutated = published_frame.copy()
            mutated["value"] = mutated["value"].astype("float64")
            mutated.loc[mutated["key"] == key, "value"] = candidate
            after = {(f.rule, f.keys) for f in consistency(mutated).itertuples(index=False)}
            resolved = len(before - after)
            if resolved >= 2 and after <= before:
                rows.append({"key": key, "source": values.at[key, "source"],
                             "printed": values.at[key, "value"], "corrected": candidate,
                             "resolves": resolved})
    return pd.DataFrame(rows, columns=["key", "source", "printed", "corrected", "resolves"])


def describe_correction(correction: Any, published_frame: pd.DataFrame) -> str:
    """A Swedish sentence for one row of :func:`corrections`."""
    fig = figures(published_frame).set_index("key").loc[correction.key]
    return (f"Om {_figure_name(fig)} i {fig.source} i stället vore "
            f"{value_text(correction.corrected, fig.unit)} (tryckt: "
            f"{value_text(correction.printed, fig.unit)}) skulle {correction.resolves} av "
            f"motsägelserna försvinna utan att någon ny uppstår: ett enda tryckfel förklarar "
            f"dem.")


def status_figure(table: pd.DataFrame) -> Any:
    """Horizontal stacked bars of :func:`status_table` (without its totals), colour-blind-safe
    colours (Okabe–Ito), Swedish labels; returns the matplotlib figure."""
    import matplotlib.pyplot as plt

    data = table.drop(index="Totalt", columns="Totalt").iloc[::-1]
    colours = {"Stämmer": "#009E73", "Avviker": "#D55E00", "Kan inte beräknas": "#999999"}
    fig, ax = plt.subplots(figsize=(7, 3.2))
    left = pd.Series(0, index=data.index)
    for column in data.columns:
        ax.barh(data.index, data[column], left=left, color=colours[column], label=column)
        left = left + data[column]
    ax.set_xlabel("Antal tryckta siffror")
    ax.legend(loc="lower right", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def explain_differences(audit_frame: pd.DataFrame, published_frame: pd.DataFrame
                        ) -> pd.DataFrame:
    """Each ``differs`` row with a Swedish explanation built from the report's own figures: the
    findings that touch it or another printing of the same figure, and which of the report's
    conflicting figures the recomputed value agrees with, or, for a figure printed consistently
    with others, the contradicted figure it follows from (the prose's repayment from Table 6's
    requisitioned funds) when that one differs too. ``explained`` is False when nothing in
    the report accounts for the difference (then the reconstruction, not the report, is off)."""
    figs = figures(published_frame).set_index("key")
    all_checks = checks(published_frame)
    found = _findings(all_checks)
    touching: dict[str, list[Any]] = {}
    for row in found.itertuples(index=False):
        for key in row.keys.split(";"):
            touching.setdefault(key, []).append(row)
    derived: dict[str, list[Any]] = {}
    """Key → passing identities that give its printed value from other printed figures."""
    for row in all_checks[~all_checks["finding"] & (all_checks["rule"] == "identity")].itertuples(
            index=False):
        derived.setdefault(row.keys.split(";")[0], []).append(row)
    rows = []
    differs = audit_frame[audit_frame["status"] == "differs"]
    differing = set(differs["key"])
    for a in differs.itertuples(index=False):
        fig = figs.loc[a.key]
        same = figs[(figs["measure"] == fig.measure) & (figs["period"] == fig.period)
                    & (figs["lan_code"] == fig.lan_code)]
        related = list(touching.get(a.key, []))
        if not related:  # a repeated printing: its conflicts are those of the other printings
            related = [f for k in same.index if k != a.key for f in touching.get(k, [])]
        reasons = []
        agrees = list(dict.fromkeys(row.source for k, row in same.iterrows()
                                    if k != a.key and row.value == a.recomputed))
        if agrees:
            more = f" och {len(agrees) - 3} ställen till" if len(agrees) > 3 else ""
            reasons.append("Det beräknade värdet är det som trycks i "
                           + ", ".join(agrees[:3]) + more + ".")
        for f in related:
            implied = " Det beräknade värdet är det som de övriga siffrorna ger." \
                if f.expected == a.recomputed and f.stated != a.recomputed else ""
            reasons.append(f"Rapporten motsäger sig själv här: {f.detail}{implied}")
        if not related:  # printed consistently with a figure the report contradicts elsewhere
            for identity in derived.get(a.key, []):
                upstream = [f for k in identity.keys.split(";")[1:] if k in differing
                            for f in touching.get(k, [])]
                if upstream:
                    reasons.append(
                        f"Den tryckta siffran följer av rapportens egna siffror "
                        f"({identity.detail.rstrip('.')}"
                        f"), men en av dem motsägs på ett annat ställe i rapporten: "
                        f"{upstream[0].detail}")
        where = county_label(fig.lan_code)
        where = f", {where}" if where and fig.lan_code != NATIONAL else ""
        head = (f"{fig.source}{where}: {label(fig.measure)} {period_label(fig.period)} anges "
                f"till {value_text(fig.value, fig.unit)}, beräkningen ger "
                f"{value_text(a.recomputed, fig.unit)}.")
        rows.append({"key": a.key, "source": fig.source, "published": fig.value,
                     "recomputed": a.recomputed, "explained": bool(reasons),
                     "explanation": " ".join([head, *reasons])})
    return pd.DataFrame(rows, columns=["key", "source", "published", "recomputed", "explained",
                                       "explanation"])


# --------------------------------------------------------------- the county boards' own totals


def submission_figures(processed: Any) -> pd.DataFrame:
    """The county boards' own totals (sheet Länsstyrelsen) beside the sums of their projects and
    allocations, in the columns of ``published.csv``, so :func:`checks` can run on them: the
    board's project count and granted money against its project rows (``same_figure``), its
    repayment against requisitioned − granted − administration (``identity``)."""
    projects, allocations, board = processed.projects, processed.allocations, processed.board
    rows: list[dict[str, Any]] = []

    def add(key: str, source: str, table: str, lan: str, measure: str, period: str, value: Any,
            unit: str) -> None:
        rows.append({"key": key, "source": source, "table": table, "lan_code": lan,
                     "measure": measure, "period": period, "value": str(int(value)),
                     "unit": unit, "marker": "", "text": fmt.num(int(value)), "parent": "",
                     "note": ""})

    board_measures = {"reported_projects": ("projects_granted", "projects"),
                      "reported_granted_sek": ("granted_sek", "sek"),
                      "administration_sek": ("administration_sek", "sek"),
                      "repayment_sek": ("repayment_sek", "sek")}
    for b in board.sort_values("lan_code").itertuples(index=False):
        where = f"Länsstyrelsens blad ({b.source_file}, rad {b.source_row})"
        for column, (measure, unit) in board_measures.items():
            add(f"board.{b.lan_code}.{measure}", where, "board", b.lan_code, measure,
                "2008-2010", getattr(b, column), unit)
    for lan, group in projects.groupby("lan_code", sort=True):
        where = f"Projektblad ({', '.join(sorted(set(group['source_file'])))})"
        add(f"projects.{lan}.projects_granted", where, "projects", lan, "projects_granted",
            "2008-2010", len(group), "projects")
        add(f"projects.{lan}.granted_sek", where, "projects", lan, "granted_sek", "2008-2010",
            group["granted_sek"].sum(), "sek")
    for a in allocations.sort_values(["lan_code", "year"]).itertuples(index=False):
        where = f"Medelblad ({a.source_file}, rad {a.source_row})"
        for measure in ("allocated_sek", "requisitioned_sek"):
            add(f"allocations.{a.lan_code}.{a.year}.{measure}", where, "allocations", a.lan_code,
                measure, str(a.year), getattr(a, measure), "sek")
    return pd.DataFrame(rows, columns=list(published_columns()))


def published_columns() -> tuple[str, ...]:
    from samverkan.reference import COLUMNS

    return COLUMNS


# ------------------------------------------------------------------------------------ running


@dataclass(frozen=True)
class AuditResult:
    """What :func:`run` computed and wrote."""

    audit: pd.DataFrame
    """``audit.csv``: every published figure against the recomputed one."""
    checks: pd.DataFrame
    """Every consistency check on the report's published figures (:func:`checks`)."""
    submission_checks: pd.DataFrame
    """Every check of the county boards' own totals (:func:`submission_figures`)."""

    @property
    def report_findings(self) -> pd.DataFrame:
        return _findings(self.checks)

    @property
    def submission_findings(self) -> pd.DataFrame:
        return _findings(self.submission_checks)

    @property
    def consistency(self) -> pd.DataFrame:
        """``consistency.csv``: the report's inconsistencies, then the county sheets'."""
        return pd.concat([self.report_findings, self.submission_findings], ignore_index=True)


def _findings(all_checks: pd.DataFrame) -> pd.DataFrame:
    found = all_checks[all_checks["finding"]]
    return found.loc[:, list(CONSISTENCY_COLUMNS)].reset_index(drop=True)


def compute(report_round: int = DEFAULT_ROUND) -> AuditResult:
    """Audit the round's processed data (and the round before it) against Rapport 2011:39."""
    from samverkan.intake.clean import load_processed
    from samverkan.reference import published
    from samverkan.results.indicators import measures

    current, previous = load_processed(report_round), load_processed(report_round - 1)
    reference = published()
    return AuditResult(audit=audit_published(reference, measures(current, previous)),
                       checks=checks(reference),
                       submission_checks=checks(submission_figures(current)))


def run(report_round: int = DEFAULT_ROUND) -> AuditResult:
    """:func:`compute`, then write ``audit.csv`` and ``consistency.csv`` to
    ``data/processed/<round>/`` atomically."""
    result = compute(report_round)
    out = processed_dir(report_round)
    write_csv(out / "audit.csv", result.audit)
    write_csv(out / "consistency.csv", result.consistency)
    return result


def main(args: Any) -> int:
    result = run(getattr(args, "round", DEFAULT_ROUND))
    counts = result.audit["status"].value_counts()
    print(", ".join(f"{s}: {int(counts.get(s, 0))}" for s in STATUSES)
          + f"; report inconsistencies: {len(result.report_findings)}; "
            f"county sheet inconsistencies: {len(result.submission_findings)}")
    return 0
