"""The figures behind the closing chapter "Slutsatser": every number the chapter states, computed
from the same measures, indicators and audit as the chapters it refers to, so that the
conclusions can never drift from the tables they cite.

:func:`conclusion_facts` returns plain numbers (counts, shares, kronor) and county codes; the
notebook ``notebooks/07_conclusions.ipynb`` only words and formats them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from samverkan.audit.compare import explain_differences
from samverkan.audit.declared import CONTRADICTION, POSSIBLE
from samverkan.audit.stage import AuditResult
from samverkan.results import frames
from samverkan.results import indicators as ind
from samverkan.results import measures as meas
from samverkan.results import report_tables as rt
from samverkan.results.charts import funnel_counts
from samverkan.rounds import PERIOD_BY_ROUND


@dataclass(frozen=True)
class Spread:
    """An indicator's lowest and highest county (with the number of projects the county's value
    is counted over) and the nation's value."""

    key: str
    low_lan: str
    low: float
    low_n: int
    high_lan: str
    high: float
    high_n: int
    national: float


@dataclass(frozen=True)
class Facts:
    """Every number of the closing chapter (counts are of started projects unless named)."""

    granted: int
    started: int
    not_started: int
    finished: int
    ongoing: int
    goal_met: int
    integration_done: int
    integration_plan: int
    integration_not_relevant: int
    integrated_of_granted: float
    new_structures: int
    existing_structures: int
    real_cooperation: int
    not_cooperation: int
    temporary: int
    training: int
    county_board_active: int
    family_perspective: int
    partners: tuple[tuple[str, int], ...]
    """The three most frequent partner types (label, projects)."""
    areas: tuple[tuple[str, int], ...]
    """Every area and target group (label, projects), most frequent first."""
    allocated_sek: float
    requisitioned_sek: float
    granted_sek: float
    administration_sek: float
    repayment_sek: float
    short_counties: tuple[str, ...]
    """Counties that requisitioned less than they were allocated."""
    population_corr: float
    per_inhabitant: Spread
    spreads: tuple[Spread, ...]
    printed: int
    matches: int
    differs: int
    not_recomputable: int
    contradictions: int
    """The report's findings the audit weighs as contradictions (the figures cannot all hold)."""
    possible: int
    """Findings weighed as possible deviations (rounding or wording may explain them)."""
    explained_by_contradictions: int
    county_contradictions: int


def _spread(values: pd.DataFrame, key: str) -> Spread:
    """Lowest and highest county (first in code order on a tie) and the national value."""
    rows = values[values["indicator"] == key].set_index("lan_code")
    counties = rows.drop(index=frames.NATIONAL).dropna(subset=["value"]).sort_index()
    low, high = counties["value"].idxmin(), counties["value"].idxmax()
    return Spread(key, str(low), float(counties.at[low, "value"]),
                  int(counties.at[low, "denominator"]), str(high),
                  float(counties.at[high, "value"]), int(counties.at[high, "denominator"]),
                  float(rows.at[frames.NATIONAL, "value"]))


def _counted(table: pd.DataFrame) -> tuple[tuple[str, int], ...]:
    top = table[table["parent"] == ""].sort_values("count", ascending=False, kind="stable")
    return tuple((str(r.label), int(r.count)) for r in top.itertuples())


def conclusion_facts(p2011: frames.ProcessedLike, p2010: frames.ProcessedLike | None,
                     audit: AuditResult) -> Facts:
    """The closing chapter's numbers for one report round."""
    period = PERIOD_BY_ROUND[frames.report_round_of(p2011)]
    m = meas.measures(p2011, p2010)

    def value(measure: str) -> float:
        return float(meas.measure_value(m, measure, period, frames.NATIONAL))

    def count(measure: str) -> int:
        return int(value(measure))

    funnel = _funnel_share(p2011)
    structures = meas.started_structures(p2011)  # the sentence is about started projects
    t1 = rt.table1(p2011)
    counties = t1[t1["lan_code"] != frames.NATIONAL]
    values = ind.indicator_values(p2011)
    corr = values[(values["indicator"] == "korrelation_medel_befolkning")
                  & (values["lan_code"] == frames.NATIONAL)]["value"].iloc[0]
    status = audit.audit["status"].value_counts()
    severity = audit.report_findings["severity"].value_counts()
    explained = explain_differences(audit.audit, audit.published, audit.report_findings)
    return Facts(
        granted=count("projects_granted"), started=count("projects_started"),
        not_started=count("projects_not_started"), finished=count("finished"),
        ongoing=count("ongoing"), goal_met=count("goal_met"),
        integration_done=count("integration_done"), integration_plan=count("integration_plan"),
        integration_not_relevant=count("integration_not_relevant"),
        integrated_of_granted=funnel,
        new_structures=structures["new_structures"],
        existing_structures=structures["existing_structures"],
        real_cooperation=count("real_cooperation"), not_cooperation=count("not_cooperation"),
        temporary=count("temporary_constellation"), training=count("contains_training"),
        county_board_active=count("county_board_active"),
        family_perspective=count("family_perspective"),
        partners=_counted(rt.table3(p2011))[:3], areas=_counted(rt.table4(p2011)),
        allocated_sek=value("allocated_sek"), requisitioned_sek=value("requisitioned_sek"),
        granted_sek=value("granted_sek"), administration_sek=value("administration_sek"),
        repayment_sek=value("repayment_sek"),
        short_counties=tuple(counties.loc[counties["uptake"] < 1, "lan_code"]),
        population_corr=float(corr),
        per_inhabitant=_spread(values, "medel_per_invanare"),
        spreads=tuple(_spread(values, key) for key in
                      ("reell_samverkan", "integrerad", "integrerad_eller_plan",
                       "maluppfyllelse")),
        printed=len(audit.audit), matches=int(status.get("match", 0)),
        differs=int(status.get("differs", 0)),
        not_recomputable=int(status.get("not_recomputable", 0)),
        contradictions=int(severity.get(CONTRADICTION, 0)),
        possible=int(severity.get(POSSIBLE, 0)),
        explained_by_contradictions=int(explained["explained"].sum()),
        county_contradictions=len(audit.submission_findings),
    )


def _funnel_share(p2011: frames.ProcessedLike) -> float:
    """Share of the granted projects that were finished, met their goals and were integrated
    (the last step of the results chapter's funnel)."""
    return float(funnel_counts(p2011)["share"].iloc[-1])


RECONSTRUCTION_LABEL = "sec-slutsatser-rekonstruktion"
"""The subsection of Slutsatser that holds what the report does not print."""


def _extreme(values: pd.DataFrame, key: str, value: float) -> list[str]:
    """The counties (codes) whose indicator ``key`` equals ``value`` (ties)."""
    rows = values[(values["indicator"] == key) & (values["lan_code"] != frames.NATIONAL)]
    return sorted(str(c) for c in rows.loc[(rows["value"] - value).abs() < 1e-9, "lan_code"])


def unprinted_markdown(f: Facts, p2011: frames.ProcessedLike, source_facts: dict) -> str:
    """The labelled subsection of Slutsatser with the figures that Rapport 2011:39 does not
    print (the funnel, the counties' shares, which counties did not requisition all their
    funds): under a heading that says whether they come from the reconstruction or from the
    counties' own files, each such figure marked (:data:`samverkan.book.sources.MARK`) with
    the legend, ties named. Swedish Markdown."""
    from samverkan import fmt
    from samverkan.book import sources
    from samverkan.registry import county_name

    reconstructed = sources.mark("", source_facts) != ""

    def m(text: str) -> str:
        return sources.mark(text, source_facts)
    values = ind.indicator_values(p2011)

    def where(key: str, value: float, first: str) -> str:
        """The county (or the tied counties) with ``value``, and the value marked when any of
        them has the reconstruction's files."""
        tied = _extreme(values, key, value) or [first]
        shown = sources.mark_any(fmt.pct(value), source_facts, tied)
        if len(tied) > 1:
            return f"{len(tied)} län, bland dem {county_name(first)} ({shown})"
        return f"{county_name(first)} ({shown})"

    spread = {s.key: s for s in f.spreads}
    coop, done = spread["reell_samverkan"], spread["integrerad"]
    title = ("Uppgifter som bara finns i det rekonstruerade underlaget" if reconstructed else
             "Uppgifter ur länens egna filer som Rapport 2011:39 inte trycker")
    intro = (f"Siffrorna i det här avsnittet trycks inte i Rapport 2011:39. {sources.MARK_LEGEND}."
             if reconstructed else
             "Siffrorna i det här avsnittet trycks inte i Rapport 2011:39; de är beräknade ur "
             "länsstyrelsernas egna filer.")
    short = ", ".join(county_name(c, form="short") for c in f.short_counties)
    return "\n\n".join([
        f"## {title} {{#{RECONSTRUCTION_LABEL}}}",
        intro,
        f"Följer man projekten från beviljat till avslutat, måluppfyllt och integrerat når "
        f"{m(fmt.pct(f.integrated_of_granted))} av de beviljade projekten hela vägen "
        "(@fig-tratt); rapporten redovisar inte hur måluppfyllelse och integrering hänger ihop "
        "i samma projekt.",
        f"{m(fmt.num(len(f.short_counties)))} län rekvirerade inte hela sin del: {short} "
        "(@tbl-medel).",
        f"Andelen startade projekt med reell samverkan är lägst i "
        f"{where('reell_samverkan', coop.low, coop.low_lan)} och högst i "
        f"{where('reell_samverkan', coop.high, coop.high_lan)}; "
        f"andelen integrerade är lägst i {where('integrerad', done.low, done.low_lan)} "
        f"och högst i {where('integrerad', done.high, done.high_lan)} "
        "(@tbl-indikatorer). Ett län med få projekt kan hamna i "
        "ytterläget genom ett enda projekt; skillnaderna är en anledning att fråga "
        "länsstyrelserna vad som låg bakom.",
    ])
