"""The projects of the reconstruction and what they answer: one replica's skeleton (Table 2's
projects per county), then the flags that reproduce Table 2's cooperation types, Tables 3–4's
partners and areas and Table 5's status, integration and evaluator's coding, and the 2008–2009
projects as they reported at the partial report of 2010."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from samverkan import registry
from samverkan.intake import codebook
from samverkan.synth.targets import SynthError, Targets

ACTORS = ("actor_municipalities", "actor_health", "actor_justice", "actor_church", "actor_fk",
          "actor_voluntary", "actor_other")
AREAS = ("area_women", "area_children", "area_honour", "area_housing", "area_men",
         "area_vulnerable")
COOP = ("coop_new", "coop_existing", "coop_evaluate")
INTEGRATION = ("integration_done", "integration_will", "integration_plan",
               "integration_not_relevant")


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
