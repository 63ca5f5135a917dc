"""One project's report in one round: its applicant and partner municipalities and its dates,
the texts and the contact person it writes, and the clean row of ``projects.csv`` (the truth the
raw files are written from)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from functools import cache
from typing import Any

from samverkan import registry
from samverkan.intake import codebook
from samverkan.reference import published
from samverkan.rounds import FINAL, PARTIAL
from samverkan.synth import text as synth_text
from samverkan.synth import text_actors, text_outcomes
from samverkan.synth.projects import (
    _SUBFLAGS,
    ACTORS,
    AREAS,
    CODING,
    COOP,
    INTEGRATION,
    Project,
    _keyword_regexes,
    _rng,
    county_municipalities,
    keyword_names,
)
from samverkan.synth.targets import SynthError, Targets


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
    tt, actors, outcomes = synth_text, text_actors, text_outcomes

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
        out["actor_municipalities_text"] = actors.actor_municipalities_text(rng("muni"), place)
    for actor, maker in (("actor_health", actors.actor_health_text),
                         ("actor_justice", actors.actor_justice_text),
                         ("actor_voluntary", actors.actor_voluntary_text),
                         ("actor_other", actors.actor_other_text)):
        if flags[actor]:
            out[f"{actor}_text"] = maker(rng(actor), place, kws(actor))
    if flags["actor_church"]:
        out["actor_church_text"] = actors.actor_church_text(rng("church"), place, p.church_kind)
    if flags["actor_fk"]:
        out["actor_fk_text"] = actors.actor_fk_text(rng("fk"), place, p.fk_kind)
    if flags["area_vulnerable"]:
        out["area_vulnerable_text"] = actors.area_vulnerable_text(rng("vulnerable"),
                                                                  kws("area_vulnerable"))
    if flags["coop_existing"]:
        r = rng("new_actors", True)
        if r.random() < 0.6:
            out["new_actors_text"] = actors.new_actors_text(r, place)
        if r.random() < 0.4:
            out["new_areas_text"] = actors.new_areas_text(r, place)
    if not p.started:
        out["other_info_text"] = outcomes.not_started_text(rng("other_info"), place,
                                                           _postponed(p.lan_code))
        return out
    status = p.status if report_round == FINAL else p.status_2010
    coding = p.coding if report_round == FINAL else p.coding_2010
    training = coding["contains_training"] != "nej"
    early = report_round == PARTIAL and p.granted_year == 2009 and status == "pagar"
    out["activities_text"] = tt.activities_text(rng("activities", True), place, training,
                                                early)
    out["goal_fulfilment_text"] = outcomes.goal_fulfilment_text(rng("fulfil", True), place,
                                                                coding["goal_met"])
    out["integration_text"] = outcomes.integration_text(
        rng("integration", True), place, p.integration if report_round == FINAL else None)
    if report_round == FINAL:
        out["future_needs_text"] = outcomes.future_needs_text(rng("future"), place)
        if rng("other_info").random() < 0.7:
            out["other_info_text"] = outcomes.other_info_text(rng("other_info_text"), place)
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
