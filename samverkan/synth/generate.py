"""The reconstructed county submissions: ``python -m samverkan synth --seed N --scale K --out DIR``.

The per-project reports behind Rapport 2011:39 are not public, so this module writes a
**reconstruction**: the county-level figures are the published ones (Table 1 allocations, Table 2
project counts and cooperation types per county, Table 2's footnotes on projects that never
started), and the project rows are synthesised so that the pipeline's output reproduces every
aggregate that the report states consistently (Tables 2–6, their sub-counts, the partial-report
figures of 2010). Every target is read from ``data/reference/published.csv``; none is typed in
here. The generator writes three things per round, all from one seeded run:

* ``data/raw/<round>/``: one submission per county (a workbook or CSV files), valid but messy in
  a fixed, documented mix (:data:`PROFILES`, table in ``data/raw/README.md``);
* ``data/coding/<round>.csv``: the evaluator's coding sheet;
* ``tests/truth/<round>/``: the clean tables the raw files were written from (``projects.csv``,
  ``allocations.csv``, ``board.csv``), in the format of ``notes/MODEL.md``, which a correct
  cleaner must reproduce exactly.

Readings chosen where the report contradicts itself (also in ``data/raw/README.md``):

1. Table 1, Halland: the year cells (190 000 + 220 000 + 310 000 = 720 000) are used, not the
   printed row total 620 000; the column totals (23 000 000) confirm the year cells.
2. Requisitioned funds follow the two figures that agree with each other: Table 6's
   21 950 000 and the text's repayment 728 646 (21 950 000 − 21 221 354 = 728 646). Table 1's
   ``*`` cells (funds not requisitioned, 0 here) add up to 1 020 000, which leaves 21 980 000:
   the stars are the odd one out, and the audit reports them as the contradiction. The other
   30 000 kr (Table 6's shortfall against the stars, computed from published.csv) are a partial
   requisition of an unstarred cell, a legitimate reading of a cell without a star: the county
   with the largest 2010 allocation requisitioned that much less of it (:func:`_partial_cell`).
3. Table 2's county cells are reproduced over all 151 final-round rows; its "Nya" cells add up
   to 89 while the Summa row prints 88. The national figure is the sum of the counties (89) in
   the book's tables and the audit alike, so the printed 88 is a contradiction. Exactly one of
   the three projects that never started had ticked "new structure" (the started projects have
   88 new and 84 existing structures). The summary's 91 new / 85 existing are not reproduced.
4. Integration (Table 5): 53 + 54 + 46 = 153 for 148 projects. Five projects are partly
   integrated *and* have a plan for the rest (integration_done and integration_plan); the others
   are in exactly one group. "With a plan" is integration_will or integration_plan.
5. Family perspective (women, children and men): 32 projects in the partial report 2010, 24 among
   the projects granted in 2010, 55 in all in 2011. One 2008–2009 project dropped its work with
   violent men between the rounds, so 31 of the 2008–2009 projects keep the family perspective
   in 2011 (31 + 24 = 55).
6. Churches: 34 projects in 2011, 17 with operative cooperation (kw_church_operative) and the
   other 17 invited to training (kw_church_invited); 18 projects had a church partner at the
   partial report 2010. Försäkringskassan: 11 = 1 active partner (kw_fk_active) + 10 invited
   (kw_fk_invited).
7. The three projects that never started (Södermanland 2, Östergötland 1, all granted in 2010)
   report ``granted_sek`` 0: the grant was not paid out (Östergötland did not requisition its
   2010 funds at all). The 20 170 607 kr of Table 6 are thus both the sum over the 148 started
   projects and over all 151 rows. They are not in the evaluator's coding sheet.
8. "133 redovisade projekt" (examples section) and "från ett projekt i några län" (Table 2 prints
   0 for three counties) are not reproduced; the partial report's 69 projects are all started.

Money rules enforced per county (and checked before anything is written): administration ≤ 5 %
of the county's requisition, integer amounts that add up exactly to 1 050 747 kr nationally;
granted (started projects) + administration ≤ requisitioned, so every repayment ≥ 0; granted
funds up to each year within the funds requisitioned up to that year (2008; 2008–2009;
2008–2010), so a county with no 2010 project cannot spend its 2010 funds; each grant between
20 000 and 920 000 kr, most rounded to the thousand, one per county exact.

``--scale K`` writes K independent replicas of the national structure into the same 21
submissions (K × 151 projects; allocations and board figures are the replicas' sums), for
benchmarks; published aggregates hold only at K = 1.
"""

from __future__ import annotations

import csv
import io
import math
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from samverkan import provenance, registry
from samverkan.intake import codebook
from samverkan.io import write_atomic, write_csv
from samverkan.paths import coding_path, project_root, raw_dir
from samverkan.reference import published
from samverkan.rounds import FINAL, GRANT_YEARS, PARTIAL, ROUNDS
from samverkan.synth import text as synth_text

YEARS = GRANT_YEARS
DEFAULT_SEED = 2011

MIN_GRANT, MAX_GRANT = 20_000, 920_000
ADMIN_CAP = 0.05

ACTORS = ("actor_municipalities", "actor_health", "actor_justice", "actor_church", "actor_fk",
          "actor_voluntary", "actor_other")
AREAS = ("area_women", "area_children", "area_honour", "area_housing", "area_men",
         "area_vulnerable")
COOP = ("coop_new", "coop_existing", "coop_evaluate")
INTEGRATION = ("integration_done", "integration_will", "integration_plan",
               "integration_not_relevant")


class SynthError(RuntimeError):
    """The generator cannot meet a target (e.g. the published figures changed inconsistently)."""


# ------------------------------------------------------------------------------- targets


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
    """The published figures as generator targets (see the module docstring for readings)."""
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


# ----------------------------------------------------------------------------- projects


@dataclass
class Project:
    """One project through both rounds (the round-2010 view only when ``old``)."""

    lan_code: str
    replica: int
    index: int
    old: bool
    started: bool = True
    flags: dict[str, bool] = field(default_factory=dict)
    """Final-round checkboxes and keyword flags."""
    flags_2010: dict[str, bool] = field(default_factory=dict)
    dropped_men: bool = False
    """A 2008–2009 project that worked with violent men in 2010 but not in 2011 (reading 5)."""
    church_kind: str = ""
    fk_kind: str = ""
    status: str = "avslutad"
    status_2010: str = "pagar"
    integration: str | None = None
    coding: dict[str, str] = field(default_factory=dict)
    coding_2010: dict[str, str] = field(default_factory=dict)
    granted_sek: int = 0
    granted_year: int = 2010
    decision: date = date(2010, 1, 1)
    start: date = date(2010, 1, 1)
    end: date | None = None
    end_2010: date | None = None
    diarienummer: str = ""
    municipalities: tuple[str, ...] = ()
    """Kommunkoder of the applicants, the main applicant first."""
    partners: tuple[str, ...] = ()
    """Kommunkoder of other municipalities named in the actor text."""

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.lan_code, self.replica, self.index)


@cache
def county_municipalities(lan_code: str) -> tuple[str, ...]:
    """Kommunkoder of a county, sorted."""
    frame = registry.municipalities()
    return tuple(frame.loc[frame["lan_code"] == lan_code, "kommunkod"])


def _rng(seed: int, *parts: object) -> random.Random:
    return random.Random("/".join(map(str, (seed, *parts))))


def _choose(rng: random.Random, candidates: Sequence[Project], k: int,
            weight: Callable[[Project], float] | None = None) -> list[Project]:
    """Exactly ``k`` of ``candidates``, weighted without replacement (Efraimidis–Spirakis)."""
    if k < 0 or k > len(candidates):
        raise SynthError(f"cannot choose {k} of {len(candidates)} projects")
    if weight is None:
        return rng.sample(list(candidates), k)
    keyed = [(rng.random() ** (1.0 / weight(p)), i) for i, p in enumerate(candidates)]
    keyed.sort(reverse=True)
    return [candidates[i] for _, i in keyed[:k]]


def _skeleton(t: Targets, replica: int) -> list[Project]:
    """The projects of one replica: per county its 2008–2009 projects, then its 2010 projects,
    the last ``n_not_started`` of which never start."""
    projects = []
    for lan, c in t.counties.items():
        for i in range(c.n_total):
            old = i < c.n_old
            started = old or i < c.n_total - c.n_not_started
            projects.append(Project(lan_code=lan, replica=replica, index=i, old=old,
                                    started=started))
    return projects


# ------------------------------------------------------------------- cooperation (Table 2)


def _spread_counts(rng: random.Random, total: int, lows: dict[str, int],
                   highs: dict[str, int]) -> dict[str, int]:
    """Integers between ``lows`` and ``highs`` per key that add up to ``total``."""
    if not sum(lows.values()) <= total <= sum(highs.values()):
        raise SynthError(f"cannot split {total} within the per-county bounds")
    out = dict(lows)
    for _ in range(total - sum(lows.values())):
        room = [k for k in sorted(out) if out[k] < highs[k]]
        pick = _choose(rng, [_Key(k) for k in room], 1, lambda x: highs[x.k] - out[x.k])[0].k
        out[pick] += 1
    return out


@dataclass(frozen=True)
class _Key:
    k: str


def assign_cooperation(t: Targets, projects: list[Project], seed: int, replica: int) -> None:
    """Table 2's cooperation cells per county over all final-round rows; over the 2008–2009
    projects the partial report's 43 new / 47 existing; exactly one not-started project with a
    new structure (reading 3)."""
    rng = _rng(seed, replica, "coop")
    by_county: dict[str, list[Project]] = defaultdict(list)
    for p in projects:
        p.flags.update(dict.fromkeys(COOP, False))
        by_county[p.lan_code].append(p)
    cells_new = sum(c.new for c in t.counties.values())
    not_started = [p for p in projects if not p.started and t.counties[p.lan_code].new > 0]
    for p in _choose(rng, not_started, cells_new - t.new_started):
        p.flags["coop_new"] = True
    if sum(c.existing for c in t.counties.values()) != t.existing_started:
        raise SynthError("existing structures: Table 2's cells and its bullet differ")
    remaining = {lan: c.new - sum(p.flags["coop_new"] for p in by_county[lan])
                 for lan, c in t.counties.items()}
    n_old = {lan: c.n_old for lan, c in t.counties.items()}
    n_new = {lan: sum(1 for p in by_county[lan] if p.started and not p.old)
             for lan in t.counties}
    split: dict[str, dict[str, int]] = {}
    for flag, want, total in (("coop_new", remaining, t.partial["coop_new"]),
                              ("coop_existing", {k: c.existing for k, c in t.counties.items()},
                               t.partial["coop_existing"])):
        lows = {k: max(0, want[k] - n_new[k]) for k in want}
        highs = {k: min(want[k], n_old[k]) for k in want}
        split[flag] = _spread_counts(rng, total, lows, highs)
    for lan, c in t.counties.items():
        old = [p for p in by_county[lan] if p.old]
        young = [p for p in by_county[lan] if p.started and not p.old]
        for flag, want in (("coop_new", remaining[lan]), ("coop_existing", c.existing)):
            k_old = split[flag][lan]
            for group, k in ((old, k_old), (young, want - k_old)):
                weight = (lambda p: 1.0 if p.flags["coop_new"] else 3.0) \
                    if flag == "coop_existing" else None
                for p in _choose(rng, group, k, weight):
                    p.flags[flag] = True
        pool = old + young
        for p in _choose(rng, pool, c.evaluated):
            p.flags["coop_evaluate"] = True


# ------------------------------------------------------------ actors and areas (Tables 3–4)

_SUBFLAGS = {
    "actor_health": ("kw_primary_care", "kw_mvc_bvc", "kw_psychiatry", "kw_acute_care", "kw_bup"),
    "actor_justice": ("kw_police", "kw_prosecutor"),
    "actor_voluntary": ("kw_womens_shelter", "kw_victim_support"),
    "actor_other": ("kw_school", "kw_university"),
    "area_vulnerable": ("vg_disability", "vg_substance", "vg_elderly", "vg_same_sex",
                        "vg_foreign_background"),
}


def keyword_names() -> tuple[str, ...]:
    return tuple(k.name for k in codebook.taxonomy())


@cache
def _keyword_regexes() -> tuple[tuple[str, tuple[str, ...], Any], ...]:
    return tuple((k.name, k.fields, k.regex) for k in codebook.taxonomy())


def _exact(rng: random.Random, pool: Sequence[Project], k: int, flag: str,
           weight: Callable[[Project], float] | None = None) -> list[Project]:
    chosen = _choose(rng, pool, k, weight)
    for p in chosen:
        p.flags[flag] = True
    return chosen


def assign_actors_areas(t: Targets, projects: list[Project], seed: int, replica: int) -> None:
    """Tables 3 and 4 over the started projects, with the partial report's church (18) and
    family (32) figures over the 2008–2009 projects (readings 5 and 6)."""
    rng = _rng(seed, replica, "actors")
    c = t.counts
    for p in projects:
        p.flags.update(dict.fromkeys(ACTORS + AREAS + keyword_names(), False))
    started = [p for p in projects if p.started]
    old = [p for p in started if p.old]
    young = [p for p in started if not p.old]
    multi = [p for p in started if len(county_municipalities(p.lan_code)) > 1]
    _exact(rng, multi, c["actor_municipalities"], "actor_municipalities")
    for actor in ("actor_health", "actor_justice", "actor_voluntary", "actor_other", "actor_fk"):
        _exact(rng, started, c[actor], actor)
    church_old = min(len(old), c["actor_church"],
                     t.partial["actor_church"] + rng.randint(1, 4))
    _exact(rng, old, church_old, "actor_church")
    _exact(rng, young, c["actor_church"] - church_old, "actor_church")
    for parent, subs in _SUBFLAGS.items():
        if parent == "area_vulnerable":
            continue
        members = [p for p in started if p.flags[parent]]
        for sub in subs:
            weight = (lambda p: 3.0 if p.flags["kw_police"] else 1.0) \
                if sub == "kw_prosecutor" else None
            _exact(rng, members, c[sub], sub, weight)
    church = [p for p in started if p.flags["actor_church"]]
    operative = set(map(id, _exact(rng, church, c["kw_church_operative"],
                                   "kw_church_operative")))
    for p in church:
        p.church_kind = "operative" if id(p) in operative else "invited"
        p.flags["kw_church_invited"] = id(p) not in operative
    fk = [p for p in started if p.flags["actor_fk"]]
    active = set(map(id, _exact(rng, fk, c["kw_fk_active"], "kw_fk_active")))
    for p in fk:
        p.fk_kind = "active" if id(p) in active else "invited"
        p.flags["kw_fk_invited"] = id(p) not in active
    _assign_areas(t, rng, started, old, young)
    for p in projects:
        if not p.started:
            _planned_actors_areas(rng, p)


def _assign_areas(t: Targets, rng: random.Random, started: list[Project], old: list[Project],
                  young: list[Project]) -> None:
    c = t.counts
    fam_old = t.family - t.family_2010
    family = _choose(rng, old, fam_old) + _choose(rng, young, t.family_2010)
    fam_ids = {id(p) for p in family}
    droppers = _choose(rng, [p for p in old if id(p) not in fam_ids],
                       t.partial["family"] - fam_old)
    drop_ids = {id(p) for p in droppers}
    for p in family:
        p.flags.update(area_women=True, area_children=True, area_men=True)
    for p in droppers:
        p.flags.update(area_women=True, area_children=True)
    rest = [p for p in started if id(p) not in fam_ids | drop_ids]
    men_extra = _exact(rng, rest, c["area_men"] - len(family), "area_men")
    men_ids = {id(p) for p in men_extra}
    _exact(rng, rest, c["area_women"] - len(family) - len(droppers), "area_women")
    not_both = [p for p in rest if not (id(p) in men_ids and p.flags["area_women"])]
    _exact(rng, not_both, c["area_children"] - len(family) - len(droppers), "area_children",
           lambda p: 1.0 if p.flags["area_women"] else 2.0)

    def empty(p: Project) -> float:
        return 1.0 if any(p.flags[a] for a in AREAS) else 6.0

    for area in ("area_honour", "area_housing", "area_vulnerable"):
        _exact(rng, started, c[area], area, empty)
    vulnerable = [p for p in started if p.flags["area_vulnerable"]]
    for sub in _SUBFLAGS["area_vulnerable"]:
        _exact(rng, vulnerable, c[sub], sub)
    for p in droppers:
        p.dropped_men = True


def _planned_actors_areas(rng: random.Random, p: Project) -> None:
    """A project that never started reports the partners and areas of its application; it is
    outside every Table 3–5 count."""
    for actor in ("actor_health", "actor_justice", "actor_voluntary"):
        p.flags[actor] = rng.random() < 0.5
    for area in ("area_women", "area_children"):
        p.flags[area] = True
    if p.flags["actor_justice"]:
        p.flags["kw_police"] = True
    if p.flags["actor_voluntary"]:
        p.flags["kw_womens_shelter"] = True


# ------------------------------------------------------------ status and coding (Table 5)

CODING = tuple(f["name"] for f in codebook.coding_fields())


def assign_status_coding(t: Targets, projects: list[Project], seed: int, replica: int) -> None:
    """Table 5 over the started projects: status, integration groups (reading 4) and the
    evaluator's coding; the partial report's status and coding of the 2008–2009 projects."""
    rng = _rng(seed, replica, "status")
    c = t.counts
    started = [p for p in projects if p.started]
    old = [p for p in started if p.old]
    young = [p for p in started if not p.old]
    for p in projects:
        p.flags.update(dict.fromkeys(INTEGRATION, False))
        p.status = "avslutad" if p.started else "ej_startad"
    ongoing_old = min(len(old), c["ongoing"], rng.randint(3, 8))
    ongoing = _choose(rng, old, ongoing_old, lambda p: 1.0 + (p.granted_year == 2009)) + \
        _choose(rng, young, c["ongoing"] - ongoing_old)
    for p in ongoing:
        p.status = "pagar"

    def ongoing_w(heavy: float) -> Callable[[Project], float]:
        return lambda p: heavy if p.status == "pagar" else 1.0

    overlap = (c["integration_done"] + c["integration_plan"] + c["integration_not_relevant"]
               - t.started)
    pool = list(started)
    groups = (("plan", c["integration_plan"] - overlap, ongoing_w(5.0)),
              ("done_plan", overlap, ongoing_w(2.0)),
              ("done", c["integration_done"] - overlap, ongoing_w(0.2)))
    for group, k, weight in groups:
        chosen = _choose(rng, pool, k, weight)
        ids = {id(p) for p in chosen}
        pool = [p for p in pool if id(p) not in ids]
        for p in chosen:
            p.integration = group
    for p in pool:
        p.integration = "not_relevant"
    if len(pool) != c["integration_not_relevant"]:
        raise SynthError("integration groups do not partition the started projects")
    for p in started:
        f = p.flags
        if p.integration in ("done", "done_plan"):
            f["integration_done"] = True
        if p.integration == "done_plan":
            f["integration_plan"] = True
        if p.integration == "plan":
            if p.status == "pagar":
                f["integration_will"] = True
                f["integration_plan"] = rng.random() < 0.5
            else:
                f["integration_plan"] = True
                f["integration_will"] = rng.random() < 0.3
        if p.integration == "not_relevant":
            f["integration_not_relevant"] = True
    _assign_coding(t, rng, started)
    for p in old:
        _partial_status_coding(rng, p)


def _assign_coding(t: Targets, rng: random.Random, started: list[Project]) -> None:
    c = t.counts
    for p in started:
        p.coding = {}
    one_off = {id(p) for p in started if p.integration == "not_relevant"}
    training = {id(p) for p in _choose(rng, started, c["contains_training"],
                                       lambda p: 4.0 if id(p) in one_off else 1.0)}
    for p in started:
        if id(p) in training:
            full = rng.random() < (0.8 if id(p) in one_off else 0.45)
            p.coding["contains_training"] = "ja" if full else "delvis"
        else:
            p.coding["contains_training"] = "nej"
    not_coop = {id(p) for p in _choose(
        rng, started, c["not_cooperation"],
        lambda p: (6.0 if id(p) in one_off else 1.0) * (2.0 if id(p) in training else 0.3))}
    for p in started:
        if id(p) in not_coop:
            p.coding["real_cooperation"] = "nej"
        else:
            p.coding["real_cooperation"] = "ja" if rng.random() < 0.7 else "delvis"
    temporary = {id(p) for p in _choose(rng, started, c["temporary_constellation"],
                                        lambda p: 5.0 if id(p) in one_off else 1.0)}
    active = {id(p) for p in _choose(rng, started, c["county_board_active"],
                                     lambda p: 2.0 if id(p) in training else 1.0)}
    not_met = {id(p) for p in _choose(rng, started, t.started - c["goal_met"],
                                      lambda p: 3.0 if p.status == "pagar" else 1.0)}
    for p in started:
        p.coding["temporary_constellation"] = "ja" if id(p) in temporary else "nej"
        p.coding["county_board_active"] = "ja" if id(p) in active else "nej"
        if id(p) in not_met:
            judged = rng.random() < (0.2 if p.status == "pagar" else 0.7)
            p.coding["goal_met"] = "nej" if judged else "ej_bedömt"
        else:
            full = rng.random() < (0.6 if p.status == "avslutad" else 0.25)
            p.coding["goal_met"] = "ja" if full else "delvis"


def _partial_status_coding(rng: random.Random, p: Project) -> None:
    """A 2008–2009 project at the partial report (period ending 2009-12-01)."""
    if p.status == "avslutad" and rng.random() < (0.25 if p.granted_year == 2008 else 0.05):
        p.status_2010 = "avslutad"
    else:
        p.status_2010 = "pagar"
    p.coding_2010 = dict(p.coding)
    if p.status_2010 == "pagar":
        r = rng.random()
        p.coding_2010["goal_met"] = "ja" if r < 0.1 else "delvis" if r < 0.6 else "ej_bedömt"


# --------------------------------------------------------------------------- money (Table 6)


@dataclass(frozen=True)
class Board:
    """One county board's figures in one replica (sheet Länsstyrelsen)."""

    lan_code: str
    administration_sek: int
    repayment_sek: int


def _water_fill(values: list[float], total: float, lows: list[float],
                highs: list[float]) -> list[float]:
    """Scale ``values`` to add up to ``total`` while each stays within its bounds."""
    if not sum(lows) - 1e-6 <= total <= sum(highs) + 1e-6:
        raise SynthError(f"cannot spread {total:.0f} within the bounds")
    out = list(values)
    fixed = [False] * len(out)
    for _ in range(len(out) + 1):
        free = [i for i in range(len(out)) if not fixed[i]]
        budget = total - sum(out[i] for i in range(len(out)) if fixed[i])
        weight = sum(values[i] for i in free) or 1.0
        for i in free:
            out[i] = budget * values[i] / weight
        clipped = False
        for i in free:
            if out[i] > highs[i] or out[i] < lows[i]:
                out[i] = min(max(out[i], lows[i]), highs[i])
                fixed[i] = True
                clipped = True
        if not clipped:
            return out
    raise SynthError("water filling did not converge")


def _largest_remainder(values: list[float], total: int) -> list[int]:
    """Integers close to ``values`` that add up to ``total``."""
    floors = [math.floor(v) for v in values]
    order = sorted(range(len(values)), key=lambda i: floors[i] - values[i])
    for i in order[: total - sum(floors)]:
        floors[i] += 1
    return floors


def _admin(t: Targets, rng: random.Random) -> dict[str, int]:
    """Administration per county: ≤ 5 % of its requisition, summing to the published total."""
    lans = sorted(t.counties)
    req = [sum(t.counties[lan].requisitioned.values()) for lan in lans]
    share = t.administration_sek / sum(req)
    raw = [r * share * rng.uniform(0.95, 1.05) for r in req]
    caps = [math.floor(r * ADMIN_CAP) for r in req]
    values = _water_fill(raw, t.administration_sek, [0.0] * len(req), [float(c) for c in caps])
    amounts = _largest_remainder(values, t.administration_sek)
    if any(a > cap for a, cap in zip(amounts, caps, strict=True)):
        raise SynthError("administration above 5 % of a requisition")
    return dict(zip(lans, amounts, strict=True))


def _usable(c: County, admin: int, n_young: int) -> int:
    """What a county can grant: its requisition less administration, and without any started
    2010 project only the funds requisitioned for 2008–2009."""
    total = sum(c.requisitioned.values()) - admin
    return total if n_young else min(total, c.requisitioned[2008] + c.requisitioned[2009])


def _repayments(t: Targets, rng: random.Random, admin: dict[str, int],
                started: dict[str, tuple[int, int]]) -> dict[str, int]:
    """Repayment per county so that the grants add up to the published total."""
    lans = sorted(t.counties)
    req = {lan: sum(t.counties[lan].requisitioned.values()) for lan in lans}
    total = sum(req.values()) - t.granted_sek - t.administration_sek
    lows, highs, raw = [], [], []
    for lan in lans:
        n_old, n_young = started[lan]
        n = n_old + n_young
        usable = min(_usable(t.counties[lan], admin[lan], n_young), int(n * MAX_GRANT * 0.95))
        low = req[lan] - admin[lan] - usable
        high = req[lan] - admin[lan] - math.ceil(n * MIN_GRANT * 1.3)
        if n == 0:
            high = low
        lows.append(float(low))
        highs.append(float(max(low, high)))
        raw.append(req[lan] * rng.uniform(0.2, 1.0))
    extra = _water_fill([r + 1e-9 for r in raw], total - sum(lows),
                        [0.0] * len(lans), [h - lo for lo, h in zip(lows, highs, strict=True)])
    amounts = _largest_remainder([lo + e for lo, e in zip(lows, extra, strict=True)], total)
    return dict(zip(lans, amounts, strict=True))


def _spread(rng: random.Random, total: int, n: int) -> list[float]:
    """``n`` lognormal shares of ``total``, less spread when the mean is near a bound."""
    mean = total / n
    sigma = max(0.05, min(0.55, 0.5 * math.log(mean / MIN_GRANT),
                          0.5 * math.log(MAX_GRANT / mean)))
    raw = [math.exp(rng.gauss(0.0, sigma)) for _ in range(n)]
    return _water_fill(raw, total, [MIN_GRANT * 1.05] * n, [MAX_GRANT * 0.97] * n)


def _decision_amount(rng: random.Random, value: float) -> int:
    """A grant as county boards decide it: mostly whole thousands, large ones often to the
    five or ten thousand, some exact."""
    r = rng.random()
    if r < 0.15:
        return int(round(value))
    if value > 300_000 and r < 0.5:
        return int(round(value / 10_000) * 10_000)
    if value > 100_000 and r < 0.6:
        return int(round(value / 5_000) * 5_000)
    return int(round(value / 1_000) * 1_000)


def _amounts(rng: random.Random, total: int, n: int) -> list[int]:
    """``n`` grants adding up to ``total``; the last one absorbs the rounding (an exact sum)."""
    values = _spread(rng, total, n)
    amounts = [_decision_amount(rng, v) for v in values[:-1]]
    amounts.append(total - sum(amounts))
    while not MIN_GRANT <= amounts[-1] <= MAX_GRANT:
        donor = max(range(n - 1), key=lambda i: amounts[i]) if amounts[-1] < MIN_GRANT else \
            min(range(n - 1), key=lambda i: amounts[i])
        step = 1000 if amounts[-1] < MIN_GRANT else -1000
        amounts[donor] -= step
        amounts[-1] += step
    return amounts


def assign_money(t: Targets, projects: list[Project], seed: int,
                 replica: int) -> dict[str, Board]:
    """Grants per project (amount, year, decision date) and the boards' administration and
    repayment, under the money rules of the module docstring."""
    rng = _rng(seed, replica, "money")
    admin = _admin(t, rng)
    by_county: dict[str, list[Project]] = defaultdict(list)
    for p in projects:
        by_county[p.lan_code].append(p)
    started = {lan: (sum(p.old for p in ps), sum(p.started and not p.old for p in ps))
               for lan, ps in by_county.items()}
    repay = _repayments(t, rng, admin, started)
    for lan, c in t.counties.items():
        ps = by_county[lan]
        old = [p for p in ps if p.old]
        young = [p for p in ps if p.started and not p.old]
        granted = sum(c.requisitioned.values()) - admin[lan] - repay[lan]
        _county_grants(rng, c, granted, old, young)
        for p in ps:
            if not p.started:
                p.granted_sek, p.granted_year = 0, 2010
        for p in ps:
            p.decision = _decision_date(rng, p.granted_year)
    _check_money(t, projects, admin, repay)
    return {lan: Board(lan, admin[lan], repay[lan]) for lan in t.counties}


def _county_grants(rng: random.Random, c: County, granted: int, old: list[Project],
                   young: list[Project]) -> None:
    cum09 = c.requisitioned[2008] + c.requisitioned[2009]
    if not young:
        old_total = granted
    elif not old:
        old_total = 0
    else:
        share = 0.5 * cum09 / sum(c.requisitioned.values()) + \
            0.5 * len(old) / (len(old) + len(young))
        low = max(len(old) * MIN_GRANT * 1.2, granted - len(young) * MAX_GRANT * 0.95)
        high = min(cum09, len(old) * MAX_GRANT * 0.95, granted - len(young) * MIN_GRANT * 1.2)
        if low > high:
            raise SynthError(f"county {c.lan_code}: no room to split grants between years")
        wanted = granted * share * rng.uniform(0.9, 1.1)
        old_total = int(min(max(wanted, low), high) // 1000 * 1000)
    if old_total > cum09:
        raise SynthError(f"county {c.lan_code}: 2008–2009 grants exceed 2008–2009 funds")
    if old:
        for p, amount in zip(old, _amounts(rng, old_total, len(old)), strict=True):
            p.granted_sek = amount
        p08 = 0.0 if c.requisitioned[2008] == 0 else 0.45
        for p in old:
            p.granted_year = 2008 if rng.random() < p08 else 2009
        while sum(p.granted_sek for p in old if p.granted_year == 2008) > c.requisitioned[2008]:
            largest = max((p for p in old if p.granted_year == 2008), key=lambda p: p.granted_sek)
            largest.granted_year = 2009
    if young:
        for p, amount in zip(young, _amounts(rng, granted - old_total, len(young)),
                             strict=True):
            p.granted_sek, p.granted_year = amount, 2010


def _decision_date(rng: random.Random, year: int) -> date:
    first, last = {2008: (date(2008, 9, 15), date(2008, 12, 12)),
                   2009: (date(2009, 2, 2), date(2009, 10, 30)),
                   2010: (date(2010, 2, 1), date(2010, 10, 29))}[year]
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _check_money(t: Targets, projects: list[Project], admin: dict[str, int],
                 repay: dict[str, int]) -> None:
    """The money rules of the module docstring; a violation is a generator bug."""
    problems = []
    for lan, c in t.counties.items():
        ps = [p for p in projects if p.lan_code == lan]
        req = sum(c.requisitioned.values())
        granted = sum(p.granted_sek for p in ps if p.started)
        if admin[lan] > req * ADMIN_CAP:
            problems.append(f"{lan}: administration above 5 %")
        if granted + admin[lan] + repay[lan] != req or repay[lan] < 0:
            problems.append(f"{lan}: granted + administration + repayment != requisitioned")
        cumulative = 0
        for year in YEARS[FINAL]:
            cumulative += c.requisitioned[year]
            spent = sum(p.granted_sek for p in ps if p.granted_year <= year)
            if spent > cumulative:
                problems.append(f"{lan}: grants up to {year} exceed funds up to {year}")
        for p in ps:
            if p.started and not MIN_GRANT <= p.granted_sek <= MAX_GRANT:
                problems.append(f"{lan}: grant {p.granted_sek} out of range")
            if p.granted_year not in ((2008, 2009) if p.old else (2010,)):
                problems.append(f"{lan}: granted_year {p.granted_year} for old={p.old}")
    total = sum(p.granted_sek for p in projects if p.started)
    if total != t.granted_sek or sum(admin.values()) != t.administration_sek:
        problems.append(f"national totals {total} / {sum(admin.values())} off target")
    if problems:
        raise SynthError("money rules broken: " + "; ".join(problems))


# -------------------------------------------------------------- the partial report (2010)


def derive_partial(t: Targets, projects: list[Project], seed: int, replica: int) -> None:
    """The 2008–2009 projects as they reported in 2010: the same cooperation type and areas
    (but for reading 5's one project with violent men), a few partners and target groups
    fewer, and exactly the partial report's church count (reading 6)."""
    rng = _rng(seed, replica, "partial")
    old = [p for p in projects if p.old]
    church = [p for p in old if p.flags["actor_church"]]
    keep = {id(p) for p in _choose(rng, church, t.partial["actor_church"])}
    for p in old:
        f = dict(p.flags)
        f.update(dict.fromkeys(INTEGRATION, False))
        if p.dropped_men:
            f["area_men"] = True
        if f["actor_church"] and id(p) not in keep:
            f.update(actor_church=False, kw_church_operative=False, kw_church_invited=False)
        if f["actor_fk"] and rng.random() < 0.1:
            f.update(actor_fk=False, kw_fk_active=False, kw_fk_invited=False)
        for parent, subs in _SUBFLAGS.items():
            if parent != "area_vulnerable" and f[parent] and rng.random() < 0.08:
                f[parent] = False
                f.update(dict.fromkeys(subs, False))
            for sub in subs:
                if f[sub] and rng.random() < (0.3 if parent == "area_vulnerable" else 0.15):
                    f[sub] = False
        p.flags_2010 = f


# ------------------------------------------------------------ places, dates, contacts, texts


@cache
def _municipality_names() -> dict[str, str]:
    frame = registry.municipalities()
    return dict(zip(frame["kommunkod"], frame["name"], strict=True))


def assign_places_dates(t: Targets, projects: list[Project], seed: int, replica: int) -> None:
    """Applicant municipalities (several for some multi-municipality projects), partner
    municipalities named in the text, and start and end dates consistent with each status."""
    for p in projects:
        rng = _rng(seed, replica, p.lan_code, p.index, "place")
        codes = county_municipalities(p.lan_code)
        main = rng.choice(codes)
        partners: tuple[str, ...] = ()
        if p.flags["actor_municipalities"] and len(codes) > 1:
            others = [c for c in codes if c != main]
            partners = tuple(rng.sample(others, min(len(others), rng.randint(1, 3))))
        joint = bool(partners) and rng.random() < 0.6
        p.municipalities = (main, *partners) if joint else (main,)
        p.partners = () if joint else partners
        _dates(rng, p)


def _dates(rng: random.Random, p: Project) -> None:
    p.start = p.decision + timedelta(days=rng.randint(0, 60))
    if p.granted_year == 2009:
        p.start = min(p.start, date(2009, 11, 13))
    if p.old and p.status_2010 == "avslutad":
        latest = date(2009, 11, 30)
        if (latest - p.start).days < 45:
            p.status_2010 = "pagar"
            p.coding_2010["goal_met"] = "delvis"
        else:
            p.end_2010 = p.start + timedelta(days=rng.randint(45, (latest - p.start).days))
    if p.status == "avslutad":
        if p.end_2010 is not None:
            p.end = p.end_2010
        else:
            first = max(p.start + timedelta(days=120), date(2010, 1, 15))
            p.end = first + timedelta(days=rng.randint(0, (date(2011, 8, 31) - first).days))


@cache
def _county_place(lan_code: str) -> synth_text.Place:
    short = registry.county_name(lan_code, "short")
    return synth_text.Place(short, (), short, registry.county_name(lan_code, "official"))


def _place(p: Project) -> synth_text.Place:
    names = _municipality_names()
    return replace(_county_place(p.lan_code), ort=names[p.municipalities[0]],
                   others=tuple(names[c] for c in (*p.municipalities[1:], *p.partners)))


@cache
def _postponed(lan_code: str) -> bool:
    """The county's footnote says its not-started project may still start (Table 2, **)."""
    frame = published()
    note = frame.loc[frame["key"] == f"t2.note.{lan_code}.projects_not_started", "note"]
    return not note.empty and "may start" in note.iloc[0]


def project_texts(p: Project, report_round: int, seed: int) -> dict[str, str]:
    """Every text field of one project's report in one round, composed from its flags."""
    flags = p.flags if report_round == FINAL else p.flags_2010
    place = _place(p)
    tt = synth_text

    def rng(field_name: str, per_round: bool = False) -> random.Random:
        parts: list[object] = [p.replica, p.lan_code, p.index, field_name]
        if per_round:
            parts.append(report_round)
        return _rng(seed, *parts)

    def kws(parent: str) -> set[str]:
        return {k for k in _SUBFLAGS[parent] if flags[k]}

    goal_changes = rng("goal_changes").random() < 0.3
    out = {
        "title": tt.title(rng("title"), place),
        "goal_text": tt.goal_text(rng("goal", goal_changes), place,
                                  {a: flags[a] for a in AREAS}, {c: flags[c] for c in COOP}),
        "coop_other_text": "",
        "actor_municipalities_text": "", "actor_health_text": "", "actor_justice_text": "",
        "actor_church_text": "", "actor_fk_text": "", "actor_voluntary_text": "",
        "actor_other_text": "", "new_actors_text": "", "area_vulnerable_text": "",
        "new_areas_text": "", "activities_text": "", "goal_fulfilment_text": "",
        "integration_text": "", "future_needs_text": "", "other_info_text": "",
    }
    r = rng("coop_other")
    if not any(flags[c] for c in COOP) or r.random() < 0.08:
        out["coop_other_text"] = tt.coop_other_text(r, place)
    if flags["actor_municipalities"]:
        out["actor_municipalities_text"] = tt.actor_municipalities_text(rng("muni"), place)
    for actor, maker in (("actor_health", tt.actor_health_text),
                         ("actor_justice", tt.actor_justice_text),
                         ("actor_voluntary", tt.actor_voluntary_text),
                         ("actor_other", tt.actor_other_text)):
        if flags[actor]:
            out[f"{actor}_text"] = maker(rng(actor), place, kws(actor))
    if flags["actor_church"]:
        out["actor_church_text"] = tt.actor_church_text(rng("church"), place, p.church_kind)
    if flags["actor_fk"]:
        out["actor_fk_text"] = tt.actor_fk_text(rng("fk"), place, p.fk_kind)
    if flags["area_vulnerable"]:
        out["area_vulnerable_text"] = tt.area_vulnerable_text(rng("vulnerable"),
                                                              kws("area_vulnerable"))
    if flags["coop_existing"]:
        r = rng("new_actors", True)
        if r.random() < 0.6:
            out["new_actors_text"] = tt.new_actors_text(r, place)
        if r.random() < 0.4:
            out["new_areas_text"] = tt.new_areas_text(r, place)
    if not p.started:
        out["other_info_text"] = tt.not_started_text(rng("other_info"), place,
                                                     _postponed(p.lan_code))
        return out
    status = p.status if report_round == FINAL else p.status_2010
    coding = p.coding if report_round == FINAL else p.coding_2010
    training = coding["contains_training"] != "nej"
    early = report_round == PARTIAL and p.granted_year == 2009 and status == "pagar"
    out["activities_text"] = tt.activities_text(rng("activities", True), place, training,
                                                early)
    out["goal_fulfilment_text"] = tt.goal_fulfilment_text(rng("fulfil", True), place,
                                                          coding["goal_met"])
    out["integration_text"] = tt.integration_text(
        rng("integration", True), place, p.integration if report_round == FINAL else None)
    if report_round == FINAL:
        out["future_needs_text"] = tt.future_needs_text(rng("future"), place)
        if rng("other_info").random() < 0.7:
            out["other_info_text"] = tt.other_info_text(rng("other_info_text"), place)
    return out


def contact_for(p: Project, report_round: int, seed: int) -> tuple[str, str, str]:
    """The project's contact person in one round (sometimes a new one in 2011)."""
    changed = report_round == FINAL and _rng(seed, p.replica, p.lan_code, p.index,
                                             "contact_changes").random() < 0.15
    rng = _rng(seed, p.replica, p.lan_code, p.index, "contact", report_round if changed else 0)
    domain = synth_text.ascii_slug(_municipality_names()[p.municipalities[0]]) + ".se"
    return synth_text.contact(rng, domain)


# ------------------------------------------------------------------------------ truth rows

PROJECT_COLUMNS: tuple[str, ...] = (
    "report_round",
    *(f.name for f in codebook.fields("Projekt") if not f.personal),
    *keyword_names(),
    *CODING,
)
ALLOCATION_COLUMNS = ("report_round", "lan_code", "year", "allocated_sek", "requisitioned_sek")
BOARD_COLUMNS = ("report_round", "lan_code", "reported_projects", "reported_granted_sek",
                 "administration_sek", "repayment_sek", "prerequisites_text", "board_other_text")
FINAL_ONLY = tuple(f.name for f in codebook.fields("Projekt") if PARTIAL not in f.rounds)


def truth_row(p: Project, report_round: int, seed: int) -> dict[str, Any]:
    """One clean row of ``projects.csv``; the keyword flags are what the taxonomy finds in the
    texts, and a flag that differs from the one the text was written for raises."""
    flags = p.flags if report_round == FINAL else p.flags_2010
    texts = project_texts(p, report_round, seed)
    if report_round == FINAL:
        status = p.status
        report_type = "slutredovisning" if status == "avslutad" else "delredovisning"
        start = p.start if p.started else p.decision
        end = p.end if p.end is not None else date(2011, 8, 31)
        coding = p.coding
    else:
        status, report_type = p.status_2010, "delredovisning"
        start, end = p.start, p.end_2010 if p.end_2010 is not None else date(2009, 12, 1)
        coding = p.coding_2010
    row: dict[str, Any] = {
        "report_round": report_round, "lan_code": p.lan_code, "diarienummer": p.diarienummer,
        "municipality_codes": ";".join(sorted(p.municipalities)), "report_type": report_type,
        "period_start": start.isoformat(), "period_end": end.isoformat(), "status": status,
        "granted_sek": p.granted_sek, "granted_year": p.granted_year,
    }
    row.update(texts)
    for name in COOP + ACTORS + AREAS + INTEGRATION:
        row[name] = bool(flags.get(name, False))
    for name in FINAL_ONLY:
        if report_round == PARTIAL:
            row[name] = False if isinstance(row[name], bool) else ""
    for name, fields, regex in _keyword_regexes():
        found = any(regex.search(row[f]) for f in fields)
        if found != bool(flags[name]):
            raise SynthError(
                f"{p.diarienummer} ({report_round}): the text says {name}={found} but the "
                f"project was written with {flags[name]}: "
                + " | ".join(row[f] for f in fields))
        row[name] = found
    for name in CODING:
        row[name] = coding.get(name, "")
    return {c: row[c] for c in PROJECT_COLUMNS}


# ---------------------------------------------------------------------------- generation


@dataclass
class Dataset:
    """Everything one run writes, before formatting."""

    seed: int
    scale: int
    projects: list[Project]
    boards: dict[str, list[Board]]
    """Per county, one Board per replica."""

    def rows(self, report_round: int) -> list[Project]:
        ps = self.projects if report_round == FINAL else [p for p in self.projects if p.old]
        return sorted(ps, key=lambda p: (p.lan_code, p.diarienummer))


def generate(seed: int = DEFAULT_SEED, scale: int = 1) -> Dataset:
    """The projects of ``scale`` replicas with every flag, amount, date and identifier set."""
    if scale < 1:
        raise SynthError("--scale must be at least 1")
    t = targets()
    projects: list[Project] = []
    boards: dict[str, list[Board]] = defaultdict(list)
    for replica in range(scale):
        ps = _skeleton(t, replica)
        assign_cooperation(t, ps, seed, replica)
        assign_actors_areas(t, ps, seed, replica)
        for lan, board in assign_money(t, ps, seed, replica).items():
            boards[lan].append(board)
        assign_status_coding(t, ps, seed, replica)
        derive_partial(t, ps, seed, replica)
        assign_places_dates(t, ps, seed, replica)
        projects += ps
    assign_diarienummer(projects, seed)
    return Dataset(seed, scale, projects, dict(boards))


def assign_diarienummer(projects: list[Project], seed: int) -> None:
    """Case numbers in each county's own format, increasing with the decision date, unique
    nationally (the key that links a project's two reports)."""
    used: set[str] = set()
    by_county: dict[str, list[Project]] = defaultdict(list)
    for p in projects:
        by_county[p.lan_code].append(p)
    for lan in sorted(by_county):
        rng = _rng(seed, "dnr", lan)
        number = rng.randint(1200, 4000)
        for p in sorted(by_county[lan], key=lambda p: (p.decision, p.replica, p.index)):
            while True:
                number += rng.randint(3, 250)
                year = p.decision.year
                dnr = PROFILES[lan].dnr.format(n=number, yyyy=year, yy=f"{year % 100:02d}")
                if dnr not in used:
                    break
            used.add(dnr)
            p.diarienummer = dnr


# ------------------------------------------------------------------------ the messy files


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


def submission_files(ds: Dataset, report_round: int, rows: list[dict[str, Any]],
                     truth: dict[str, pd.DataFrame]) -> dict[str, bytes]:
    """File name → bytes of every county's submission in one round."""
    files: dict[str, bytes] = {}
    allocations = truth["allocations"]
    board = truth.get("board")
    by_dnr = {p.diarienummer: p for p in ds.rows(report_round)}
    by_county: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_county[row["lan_code"]].append(row)
    for lan in registry.county_codes():
        style = _style(lan, report_round, ds.seed)
        records = []
        for truth_record in by_county[lan]:
            row = dict(truth_record)
            p = by_dnr[row["diarienummer"]]
            row["municipality_codes"] = p.municipalities
            name, phone, email = contact_for(p, report_round, ds.seed)
            row.update(contact_name=name, contact_phone=phone, contact_email=email)
            records.append(row)
        sheets = [_sheet("Projekt", style, records),
                  _sheet("Medel", style, allocations[allocations["lan_code"] == lan]
                         .to_dict("records"))]
        if board is not None:
            row = board[board["lan_code"] == lan].to_dict("records")[0]
            name, phone, email = synth_text.contact(_rng(ds.seed, "board", lan),
                                                    "lansstyrelsen.se")
            row.update(contact_name=name, contact_phone=phone, contact_email=email)
            sheets.append(_sheet("Länsstyrelsen", style, [row]))
        stem = f"{lan}-{registry.county_slug(lan)}"
        if style.xlsx:
            files[f"{stem}.xlsx"] = _xlsx(sheets)
        else:
            for sheet, canonical in zip(sheets, FILE_SUFFIX_SHEETS, strict=False):
                files[f"{stem}-{codebook.csv_suffix(canonical)}.csv"] = _csv(sheet,
                                                                            style.profile)
    return files


# ------------------------------------------------------------------------------ truth tables


def truth_rows(ds: Dataset, report_round: int) -> list[dict[str, Any]]:
    """The clean project rows of one round."""
    return [truth_row(p, report_round, ds.seed) for p in ds.rows(report_round)]


def truth_tables(ds: Dataset, report_round: int,
                 rows: list[dict[str, Any]] | None = None) -> dict[str, pd.DataFrame]:
    """The clean tables of one round (``projects``, ``allocations`` and, in 2011, ``board``)."""
    t = targets()
    rows = truth_rows(ds, report_round) if rows is None else rows
    projects = pd.DataFrame(rows, columns=list(PROJECT_COLUMNS))
    allocations = pd.DataFrame(
        [{"report_round": report_round, "lan_code": lan, "year": year,
          "allocated_sek": c.allocated[year] * ds.scale,
          "requisitioned_sek": c.requisitioned[year] * ds.scale}
         for lan, c in sorted(t.counties.items()) for year in YEARS[report_round]],
        columns=list(ALLOCATION_COLUMNS))
    out = {"projects": projects, "allocations": allocations}
    if report_round == FINAL:
        boards = []
        per_county: dict[str, list[int]] = defaultdict(list)
        for row in rows:
            per_county[row["lan_code"]].append(row["granted_sek"])
        for lan, c in sorted(t.counties.items()):
            admin = sum(b.administration_sek for b in ds.boards[lan])
            repay = sum(b.repayment_sek for b in ds.boards[lan])
            granted = sum(per_county[lan])
            if sum(c.requisitioned.values()) * ds.scale != granted + admin + repay:
                raise SynthError(f"board {lan}: requisitioned != granted + admin + repayment")
            place = _county_place(lan)
            boards.append({
                "report_round": report_round, "lan_code": lan,
                "reported_projects": len(per_county[lan]), "reported_granted_sek": granted,
                "administration_sek": admin, "repayment_sek": repay,
                "prerequisites_text": synth_text.board_prerequisites_text(
                    _rng(ds.seed, "board_text", lan, 1), place),
                "board_other_text": synth_text.board_other_text(
                    _rng(ds.seed, "board_text", lan, 2), place),
            })
        out["board"] = pd.DataFrame(boards, columns=list(BOARD_COLUMNS))
    return out


def coding_sheet(ds: Dataset, report_round: int) -> pd.DataFrame:
    """The evaluator's coding of the round's started projects."""
    rows = []
    for p in ds.rows(report_round):
        coding = p.coding if report_round == FINAL else p.coding_2010
        if not p.started or not coding:
            continue
        rows.append({"diarienummer": p.diarienummer, "lan_code": p.lan_code,
                     **{name: coding[name] for name in CODING}})
    return pd.DataFrame(rows, columns=["diarienummer", "lan_code", *CODING])


# ------------------------------------------------------------------------------- writing


@dataclass(frozen=True)
class Layout:
    """Where one run writes: raw submissions, coding sheets and truth tables per round."""

    raw: Callable[[int], Path]
    coding: Callable[[int], Path]
    truth: Callable[[int], Path]


def layout(out: Path | None) -> Layout:
    """The project's own folders, or ``out/raw/<round>``, ``out/coding``, ``out/truth``."""
    if out is None:
        return Layout(raw_dir, coding_path,
                      lambda r: project_root() / "tests" / "truth" / str(r))
    out = Path(out)
    return Layout(lambda r: out / "raw" / str(r), lambda r: out / "coding" / f"{r}.csv",
                  lambda r: out / "truth" / str(r))


def _write_bytes(path: Path, data: bytes) -> None:
    write_atomic(path, lambda p: p.write_bytes(data))


def write(ds: Dataset, where: Layout) -> list[Path]:
    """Write every file of the dataset; stale generated submissions in the raw folders (a
    county that changed format) are removed. The submissions written are recorded with their
    hashes in ``SYNTH_MANIFEST.json`` beside the round folders (see :mod:`samverkan.provenance`),
    so the book can tell a county's own files from the reconstruction."""
    written: list[Path] = []
    submissions: dict[int, list[Path]] = {}
    for report_round in ROUNDS:
        rows = truth_rows(ds, report_round)
        truth = truth_tables(ds, report_round, rows)
        for name, frame in truth.items():
            written.append(write_csv(where.truth(report_round) / f"{name}.csv", frame))
        written.append(write_csv(where.coding(report_round), coding_sheet(ds, report_round)))
        raw = where.raw(report_round)
        files = submission_files(ds, report_round, rows, truth)
        for name, data in files.items():
            _write_bytes(raw / name, data)
            written.append(raw / name)
        submissions[report_round] = [raw / name for name in files]
        for old in raw.glob("[0-9][0-9]-*"):
            if old.suffix in {".xlsx", ".csv"} and old.name not in files:
                old.unlink()
    raw_root = where.raw(ROUNDS[0]).parent
    written.append(provenance.write_manifest(submissions, raw_root, ds.seed, ds.scale))
    return written


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
