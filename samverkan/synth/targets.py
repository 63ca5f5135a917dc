"""The published figures the generator reproduces, read from ``data/reference/published.csv``:
each county's allocations, requisitions and projects (Tables 1 and 2) and the national counts of
Tables 3–6 and the partial report, with the identities the generator's readings rely on (the
readings themselves: the docstring of :mod:`samverkan.synth.generate`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd

from samverkan import registry
from samverkan.reference import published
from samverkan.rounds import FINAL, GRANT_YEARS

YEARS = GRANT_YEARS


class SynthError(RuntimeError):
    """The generator cannot meet a target (e.g. the published figures changed inconsistently)."""


@dataclass(frozen=True)
class County:
    """One county's published figures (Tables 1 and 2)."""

    lan_code: str
    allocated: dict[int, int]
    requisitioned: dict[int, int]
    n_old: int
    """Projects granted 2008–2009 (Table 2, 'Antal projekt 2008–2009')."""
    n_total: int
    """Projects granted 2008–2010 incl. the ones never started."""
    n_not_started: int
    new: int
    existing: int
    evaluated: int

    @property
    def n_new(self) -> int:
        return self.n_total - self.n_old


@dataclass(frozen=True)
class Targets:
    """Every published figure the generator reproduces, read from published.csv."""

    counties: dict[str, County]
    started: int
    counts: dict[str, int]
    """Exact counts over the started projects of the final round, by truth column name."""
    partial: dict[str, int]
    """Counts over the partial-report rows (round 2010)."""
    family: int
    family_2010: int
    """Family perspective among the started projects granted in 2010."""
    new_started: int
    existing_started: int
    granted_sek: int
    administration_sek: int


def _value(frame: pd.DataFrame, key: str) -> int:
    match = frame.loc[frame["key"] == key, "value"]
    if match.empty:
        raise SynthError(f"published.csv has no figure {key!r}, which the generator needs")
    return int(match.iloc[0])


@cache
def targets() -> Targets:
    """The published figures as generator targets (readings: :mod:`samverkan.synth.generate`)."""
    pub = published()
    counties: dict[str, County] = {}
    for lan in registry.county_codes():
        allocated, requisitioned = {}, {}
        for year in YEARS[FINAL]:
            row = pub.loc[pub["key"] == f"t1.{lan}.{year}"].iloc[0]
            allocated[year] = int(row["value"])
            requisitioned[year] = 0 if row["marker"] == "*" else int(row["value"])
        note = pub.loc[pub["key"] == f"t2.note.{lan}.projects_not_started", "value"]
        counties[lan] = County(
            lan_code=lan, allocated=allocated, requisitioned=requisitioned,
            n_old=_value(pub, f"t2.{lan}.projects_2008-2009"),
            n_total=_value(pub, f"t2.{lan}.projects_2008-2010"),
            n_not_started=int(note.iloc[0]) if not note.empty else 0,
            new=_value(pub, f"t2.{lan}.new_structures"),
            existing=_value(pub, f"t2.{lan}.existing_structures"),
            evaluated=_value(pub, f"t2.{lan}.evaluated_structures"),
        )
    _partial_requisition(counties, _value(pub, "t6.requisitioned_sek"))
    counts: dict[str, int] = {}
    national = pub[(pub["lan_code"] == "00") & (pub["period"] == "2008-2010")]
    for row in national.itertuples(index=False):
        m = row.measure
        if m.startswith(("area_", "kw_", "vg_")) and row.table in {"t3", "t4", "prose"}:
            counts.setdefault(m, int(row.value))
        elif m.startswith("partner_") and row.table == "t3":
            name = "kw_prosecutor" if m == "partner_prosecutor" else "actor_" + m[8:]
            counts[name] = int(row.value)
    counts["kw_church_invited"] = counts["actor_church"] - counts["kw_church_operative"]
    for key, name in (("t5.goal_met", "goal_met"), ("t5.integration_done", "integration_done"),
                      ("t5.integration_plan", "integration_plan"),
                      ("t5.integration_not_relevant", "integration_not_relevant"),
                      ("t5.real_cooperation", "real_cooperation"),
                      ("t5.note.not_cooperation", "not_cooperation"),
                      ("t5.contains_training", "contains_training"), ("t5.ongoing", "ongoing"),
                      ("t5.finished", "finished"),
                      ("t5.temporary_constellation", "temporary_constellation"),
                      ("t5.county_board_active", "county_board_active")):
        counts[name] = _value(pub, key)
    result = Targets(
        counties=counties,
        started=_value(pub, "t5.projects_started"),
        counts=counts,
        partial={
            "projects": _value(pub, "t2.total.projects_2008-2009"),
            "coop_new": _value(pub, "t2.bullet.new_structures_2008-2009"),
            "coop_existing": _value(pub, "t2.bullet.existing_structures_2008-2009"),
            "actor_church": _value(pub, "prose.results.partner_church_2008-2009"),
            "family": _value(pub, "prose.reflections.family_perspective_2008-2009"),
        },
        family=_value(pub, "t4.family_perspective"),
        family_2010=_value(pub, "prose.reflections.family_perspective_2010"),
        new_started=_value(pub, "t2.bullet.new_structures"),
        existing_started=_value(pub, "t2.bullet.existing_structures"),
        granted_sek=_value(pub, "t6.granted_sek"),
        administration_sek=_value(pub, "t6.administration_sek"),
    )
    _check_targets(result)
    return result


def _partial_cell(counties: dict[str, County], shortfall: int) -> tuple[str, int]:
    """The unstarred cell that was requisitioned only in part (reading 2): the largest 2010
    allocation that was requisitioned and can carry the shortfall."""
    cells = [(c.requisitioned[2010], lan) for lan, c in counties.items()
             if c.requisitioned[2010] >= shortfall > 0]
    if not cells:
        raise SynthError(f"no unstarred 2010 cell can carry a partial requisition of {shortfall}")
    return max(cells)[1], 2010


def _partial_requisition(counties: dict[str, County], requisitioned_total: int) -> None:
    """Make the requisitions add up to Table 6's total (reading 2): what the stars leave minus
    Table 6's figure is requisitioned less in one unstarred cell."""
    by_stars = sum(sum(c.requisitioned.values()) for c in counties.values())
    shortfall = by_stars - requisitioned_total
    if shortfall < 0:
        raise SynthError(f"Table 6 requisitions {-shortfall} more than Table 1 allows")
    if shortfall:
        lan, year = _partial_cell(counties, shortfall)
        counties[lan].requisitioned[year] -= shortfall


def _check_targets(t: Targets) -> None:
    """The identities the readings rely on; a changed published.csv that breaks one stops here."""
    c = t.counts
    total = sum(x.n_total for x in t.counties.values())
    started = total - sum(x.n_not_started for x in t.counties.values())
    problems = []
    if started != t.started:
        problems.append(f"Table 2 gives {started} started projects, Tables 3–5 {t.started}")
    if sum(x.n_old for x in t.counties.values()) != t.partial["projects"]:
        problems.append("Table 2's 2008–2009 cells do not add up to the partial report's total")
    if c["ongoing"] + c["finished"] != t.started:
        problems.append("ongoing + finished != started")
    if c["real_cooperation"] + c["not_cooperation"] != t.started:
        problems.append("real cooperation + not cooperation != started")
    if c["kw_fk_active"] + c["kw_fk_invited"] != c["actor_fk"]:
        problems.append("Försäkringskassan active + invited != partner_fk")
    overlap = (c["integration_done"] + c["integration_plan"] + c["integration_not_relevant"]
               - t.started)
    if overlap < 0 or overlap > min(c["integration_done"], c["integration_plan"]):
        problems.append(f"integration groups overlap by {overlap}")
    if t.partial["family"] - (t.family - t.family_2010) < 0:
        problems.append("more family projects in 2011 than in 2010 among 2008–2009 grants")
    if problems:
        raise SynthError("published.csv no longer fits the generator's readings: "
                         + "; ".join(problems))
