"""The report's published figures against the figures recomputed from the county boards'
submissions (``audit.csv``), the differences explained by the report's own contradictions, and
the county boards' own totals in the form of published figures so the rules can check them."""

from __future__ import annotations

from typing import Any

import pandas as pd

from samverkan import fmt
from samverkan.audit.evidence import MARKER_PREFIX
from samverkan.audit.figures import figures
from samverkan.audit.text import (
    NATIONAL,
    capital,
    county_label,
    label,
    signed,
    source_label,
    stated_interval,
    value_text,
    within,
)
from samverkan.rounds import PERIOD_YEARS, period_label

STATUSES: tuple[str, ...] = ("match", "differs", "not_recomputable")
AUDIT_COLUMNS: tuple[str, ...] = ("key", "source", "published", "recomputed", "status", "note")

ROUND_YEARS: dict[int, frozenset[int]] = {2010: frozenset({2008, 2009}),
                                          2011: frozenset({2008, 2009, 2010})}
"""The grant years a round reports on: the partial report of 2010 covers 2008–2009."""


def round_figures(published: pd.DataFrame, report_round: int) -> pd.DataFrame:
    """The published figures a round's submissions can speak to: for the final report every
    figure, for the partial report (2010) those of the years 2008 and 2009 (Tabell 2's first
    column, the partial report's bullets and appendix, Tabell 1's first two years)."""
    years = ROUND_YEARS[report_round]
    if years == max(ROUND_YEARS.values(), key=len):
        return published.reset_index(drop=True)
    keep = published["period"].map(lambda p: p in PERIOD_YEARS and PERIOD_YEARS[p] <= years)
    return published[keep].reset_index(drop=True)


def _plain(value: float, unit: str) -> str:
    return value_text(value, unit)


def audit_published(published: pd.DataFrame, measures: pd.DataFrame,
                    findings: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every published figure against the recomputed value of the same measure, period and
    county (``measures``: columns lan_code, measure, period, value). Status ``match`` when the
    recomputed value is what the printed figure allows (:func:`stated_interval`), ``differs``
    otherwise, ``not_recomputable`` when the processed data has no such figure. ``note`` says
    why in Swedish, and names the numbered findings of ``findings`` (the report's weighed
    contradictions, :func:`samverkan.audit.stage.report_findings`) that touch the figure."""
    figs = figures(published)
    touching: dict[str, list[str]] = {}
    if findings is not None:
        for number, row in enumerate(findings.itertuples(index=False), start=1):
            for key in row.keys.split(";"):
                mark = " (misstänkt)" if row.suspect == key else ""
                touching.setdefault(key, []).append(f"{number}{mark}")
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
            note = "" if ok else (f"tryckt {_plain(fig.value, fig.unit)}, beräknat "
                                  f"{_plain(value, fig.unit)} (skillnad "
                                  f"{signed(fig.value - value, fig.unit)})")
        if fig.key in touching:
            numbers = ", ".join(touching[fig.key])
            note = "; ".join(filter(None, [note, f"rapporten säger emot sig själv här: "
                                                 f"motsägelse {numbers} i consistency.csv"]))
        rows.append({"key": fig.key, "source": fig.source, "published": fig.value,
                     "recomputed": value, "status": status, "note": note})
    return pd.DataFrame(rows, columns=list(AUDIT_COLUMNS))


def _why_not(fig: Any, known: set[str], recomputed: dict[tuple[str, str, str], float]) -> str:
    if fig.measure not in known:
        return (f"inlämningarna har ingen uppgift om {label(fig.measure)}: den beskriver "
                f"rapporten, blanketten eller tidsplanen, inte projekten")
    periods = sorted({p for (lan, m, p) in recomputed if m == fig.measure})
    if fig.period not in periods:
        return (f"{label(fig.measure)} beräknas bara för "
                f"{', '.join(period_label(p) for p in periods)}, inte för "
                f"{period_label(fig.period) or 'en uppgift utan period'}")
    lans = sorted({lan for (lan, m, p) in recomputed if m == fig.measure})
    return (f"{label(fig.measure)} beräknas för {len(lans)} länskoder, inte för "
            f"{fig.lan_code or 'en uppgift utan län'}")


def figure_name(fig: Any) -> str:
    county = county_label(fig.lan_code)
    where = f", {county}" if county and fig.lan_code != NATIONAL else ""
    period = f" {period_label(fig.period)}" if fig.period else ""
    return f"{label(fig.measure)}{period}{where}"


def explain_differences(audit_frame: pd.DataFrame, published_frame: pd.DataFrame,
                        findings: pd.DataFrame) -> pd.DataFrame:
    """Each ``differs`` row with a Swedish explanation built from the report's own weighed
    findings (``findings``, numbered from 1 as in the audit chapter): which contradictions the
    printed figure (or another printing of the same figure) is part of, whether it is the
    suspect, and whether the recomputed value is the one the other figures give. ``explained``
    is False when nothing in the report accounts for the difference (then the data, not the
    report, is off)."""
    figs = figures(published_frame).set_index("key")
    numbered = list(enumerate(findings.itertuples(index=False), start=1))
    rows = []
    for a in audit_frame[audit_frame["status"] == "differs"].itertuples(index=False):
        fig = figs.loc[a.key]
        same = figs[(figs["measure"] == fig.measure) & (figs["period"] == fig.period)
                    & (figs["lan_code"] == fig.lan_code)].index
        related = [(n, f) for n, f in numbered if a.key in f.keys.split(";")]
        via = [(n, f) for n, f in numbered if any(k in f.keys.split(";") for k in same)
               and (n, f) not in related]
        reasons = []
        suspected = [n for n, f in related if f.suspect == a.key]
        if suspected:
            implied = [f.suspect_value for n, f in related if f.suspect == a.key]
            follows = any(v == a.recomputed for v in implied)
            reasons.append(f"Den pekas ut som misstänkt i motsägelse {_numbers(suspected)}"
                           + (", och beräkningen ger det värde som de övriga siffrorna ger."
                              if follows else "."))
        elif related:
            reasons.append(f"Den ingår i {_each(related, figs)}.")
        elif via:
            reasons.append(f"Samma uppgift trycks på ett annat ställe som ingår i "
                           f"{_each(via, figs)}.")
        gives = [n for n, f in related + via if f.expected == a.recomputed
                 and f.keys.split(";")[0] in same and f.suspect not in same]
        if gives and not suspected:
            reasons.append(f"Beräkningen ger det värde som de övriga siffrorna i motsägelse "
                           f"{_numbers(gives)} ger.")
        head = (f"{capital(source_label(fig.source))}: {figure_name(fig)} anges till "
                f"{value_text(fig.value, fig.unit)}, beräkningen ger "
                f"{value_text(a.recomputed, fig.unit)}.")
        rows.append({"key": a.key, "source": fig.source, "published": fig.value,
                     "recomputed": a.recomputed, "explained": bool(reasons),
                     "explanation": " ".join([head, *reasons])})
    return pd.DataFrame(rows, columns=["key", "source", "published", "recomputed", "explained",
                                       "explanation"])


def _numbers(numbers: list[int] | list[str]) -> str:
    unique = [str(n) for n in dict.fromkeys(numbers)]
    return unique[0] if len(unique) == 1 else ", ".join(unique[:-1]) + " och " + unique[-1]


def _each(numbered: list[tuple[int, Any]], figs: pd.DataFrame) -> str:
    """``motsägelse 2 (ingen enskild siffra pekas ut) och 7 (misstänkt: …)``."""
    parts = []
    for n, f in numbered:
        if not f.suspect:
            parts.append(f"{n} (ingen enskild siffra pekas ut)")
        elif f.suspect.startswith(MARKER_PREFIX):
            parts.append(f"{n} (misstänkt: markeringarna i rapportens tabell "
                         f"{f.suspect.split(':')[1].lstrip('t')})")
        else:
            parts.append(f"{n} (misstänkt: {figure_name(figs.loc[f.suspect])} i "
                         f"{source_label(figs.at[f.suspect, 'source'])})")
    return "motsägelse " + _numbers(parts)


def submission_figures(processed: Any, period: str = "2008-2010") -> pd.DataFrame:
    """The county boards' own totals (sheet Länsstyrelsen) beside the sums of their projects and
    allocations, in the columns of ``published.csv``, so the rules can run on them: the
    board's project count and granted money against its project rows (``same_figure``), its
    repayment against requisitioned − granted − administration (``identity``). ``period`` is
    the one the round's project rows report on."""
    from samverkan.reference import COLUMNS

    projects, allocations = processed.projects, processed.allocations
    board = getattr(processed, "board", None)
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
    if board is not None and not board.empty:
        for b in board.sort_values("lan_code").itertuples(index=False):
            where = f"Länsstyrelsens blad ({b.source_file}, rad {b.source_row})"
            for column, (measure, unit) in board_measures.items():
                add(f"board.{b.lan_code}.{measure}", where, "board", b.lan_code, measure,
                    period, getattr(b, column), unit)
    for lan, group in projects.groupby("lan_code", sort=True):
        where = f"Projektblad ({', '.join(sorted(set(group['source_file'])))})"
        add(f"projects.{lan}.projects_granted", where, "projects", lan, "projects_granted",
            period, len(group), "projects")
        add(f"projects.{lan}.granted_sek", where, "projects", lan, "granted_sek", period,
            group["granted_sek"].sum(), "sek")
    for a in allocations.sort_values(["lan_code", "year"]).itertuples(index=False):
        where = f"Medelblad ({a.source_file}, rad {a.source_row})"
        for measure in ("allocated_sek", "requisitioned_sek"):
            add(f"allocations.{a.lan_code}.{a.year}.{measure}", where, "allocations", a.lan_code,
                measure, str(a.year), getattr(a, measure), "sek")
    return pd.DataFrame(rows, columns=list(COLUMNS))
