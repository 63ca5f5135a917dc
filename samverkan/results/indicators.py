"""Follow-up indicators for local cooperation: their definition cards (:data:`INDICATORS`, the
single source of truth for what each indicator means), their values per county and nationally
with ranks, one county's indicators beside the nation's, and the chapter *Indikatorer*."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from samverkan import fmt
from samverkan.io import write_text
from samverkan.paths import generated_dir
from samverkan.registry import county_code, population
from samverkan.results.frames import (
    ACTORS,
    NATIONAL,
    NOT_STARTED,
    ProcessedLike,
    counties,
    prepare_allocations,
    prepare_projects,
)
from samverkan.results.measures import flags_of

POPULATION_YEAR = 2010
"""Population on 31 December of this year is the denominator of the per-inhabitant
indicators (the last year of the grants; the registry holds 2009 and 2010)."""


@dataclass(frozen=True)
class Indicator:
    """A definition card: the single source of truth for an indicator's meaning. ``unit`` is
    ``andel`` (0–1), ``kr``, ``antal`` (a count per unit), ``kvot`` or ``korrelation``."""

    key: str
    title: str
    numerator: str
    denominator: str
    source: str
    caveats: str
    unit: str
    scope: str = "län och riket"
    decimals: int | None = None
    """Decimals when formatted; default by unit (andel 1, kr 0, antal 1, kvot and korrelation 2)."""


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "reell_samverkan", "Andel projekt med reell samverkan",
        "Startade projekt som utvärderaren bedömt ha reell samverkan mellan olika parter, helt "
        "eller delvis (kodningen reell samverkan = ja eller delvis).",
        "Startade projekt (status pågår eller avslutad).",
        "Utvärderarens kodningsblad för slutredovisningen, fältet Reell "
        "samverkan, som bygger på svaren på slutredovisningens fråga 2 (mål och insatser) och 4 "
        "(aktörer).",
        "Bedömningen görs av en person och det fanns ingen gemensam definition av samverkan när "
        "medlen utlystes. Stockholms stads ansökan föreslår att samverkan kräver att varje part "
        "tillför egna resurser till en gemensam uppgift; ren information och erfarenhetsutbyte "
        "räknas då inte. Projekt som saknas i kodningsbladet räknas inte i täljaren.",
        "andel"),
    Indicator(
        "integrerad", "Andel projekt integrerade i ordinarie verksamhet",
        "Startade projekt där rutan Har integrerats är ikryssad.",
        "Startade projekt.",
        "Slutredovisningen, fråga 7 (Har integrerats).",
        "Frågan ställdes bara i slutredovisningen 2011. Projekt som fortfarande pågår har ofta "
        "inte hunnit integreras. Uppgiften lämnas av projektet självt.",
        "andel"),
    Indicator(
        "integrerad_eller_plan", "Andel projekt integrerade eller med plan för integrering",
        "Startade projekt som har integrerats, ska integreras eller har en konkret plan för "
        "integrering (minst en av de tre rutorna).",
        "Startade projekt.",
        "Slutredovisningen, fråga 7 (Har integrerats, Ska integreras, Konkret plan).",
        "En avsikt att integrera är ingen garanti för att det sker. Projekt som enbart bestått "
        "av utbildning ska ofta inte integreras och sänker andelen utan att vara misslyckanden.",
        "andel"),
    Indicator(
        "samverkansbredd", "Samverkansbredd: antal typer av aktörer per projekt",
        "Summan över startade projekt av antalet ikryssade aktörstyper (andra kommuner, "
        "hälso- och sjukvård, rättsväsendet, kyrkor och samfund, Försäkringskassan, frivilliga "
        "organisationer, andra aktörer; högst sju per projekt).",
        "Startade projekt.",
        "Slutredovisningen, fråga 4 (delredovisningen fråga 3): kryssrutorna för aktörer.",
        "En ikryssad ruta säger inget om hur djup samverkan är. Åklagare ingår i rättsväsendet "
        "och räknas inte som en egen typ.",
        "antal"),
    Indicator(
        "familjeperspektiv", "Andel projekt med familjeperspektiv",
        "Startade projekt som riktar sig både till våldsutsatta kvinnor, till barn som upplevt "
        "våld och till män som utövar våld.",
        "Startade projekt.",
        "Slutredovisningen, fråga 5 (delredovisningen fråga 4): kryssrutorna för områden.",
        "Att alla tre grupperna är ikryssade visar inte att insatserna hänger ihop.",
        "andel"),
    Indicator(
        "maluppfyllelse", "Andel projekt som helt eller delvis nått målen",
        "Startade projekt som utvärderaren bedömt ha nått målen helt eller delvis (kodningen "
        "Målen nådda = ja eller delvis).",
        "Startade projekt.",
        "Utvärderarens kodningsblad, fältet Målen nådda, grundat på slutredovisningens fråga 6 "
        "(Måluppfyllelse).",
        "Pågående projekt kan sällan bedömas fullt ut, vilket drar ned andelen. Projekt som inte "
        "bedömts räknas inte i täljaren.",
        "andel"),
    Indicator(
        "medel_per_projekt", "Beviljade medel per startat projekt",
        "Beviljade medel (kr) till startade projekt.",
        "Startade projekt.",
        "Slutredovisningen, fråga 3 (Beviljade medel), och projektets status.",
        "Projekten varierar från enstaka seminarier till flerårig verksamhet; ett medelvärde "
        "döljer den spridningen.",
        "kr"),
    Indicator(
        "nyttjandegrad", "Nyttjandegrad: rekvirerade medel av fördelade",
        "Medel som länsstyrelsen rekvirerat från Kammarkollegiet 2008–2010 (kr).",
        "Medel som fördelats till länet 2008–2010 (kr).",
        "Länsstyrelsens blad Medel (Fördelade medel, Rekvirerade medel), jfr Rapport 2011:39, "
        "tabell 1 och 6.",
        "Rekvirerade medel är inte förbrukade medel: det som inte används betalas tillbaka.",
        "andel"),
    Indicator(
        "medel_per_invanare", "Fördelade medel per invånare",
        "Medel som fördelats till länet 2008–2010 (kr).",
        f"Folkmängd den 31 december {POPULATION_YEAR} (SCB).",
        "Länsstyrelsens blad Medel (Fördelade medel) och SCB:s folkmängd per kommun, summerad "
        "per län (se Om beräkningen).",
        "Beloppet säger hur medlen fördelades, inte vad ett projekt kostade per invånare det "
        "nådde.",
        "kr", decimals=2),
    Indicator(
        "projekt_per_100000", "Projekt per 100 000 invånare",
        "Beviljade projekt 2008–2010 (även de som inte startat) × 100 000.",
        f"Folkmängd den 31 december {POPULATION_YEAR} (SCB).",
        "Projektbladets rader i slutredovisningen och SCB:s folkmängd per län.",
        "Ett projekt kan omfatta flera kommuner och vara litet eller stort.",
        "antal"),
    Indicator(
        "medel_mot_befolkning", "Länets andel av medlen i förhållande till andel av befolkningen",
        "Länets andel av de fördelade medlen 2008–2010.",
        f"Länets andel av rikets folkmängd den 31 december {POPULATION_YEAR}.",
        "Länsstyrelsens blad Medel och SCB:s folkmängd per län.",
        "1 betyder medel i proportion till folkmängden, över 1 mer än proportionellt. För "
        "riket är kvoten 1.",
        "kvot"),
    Indicator(
        "korrelation_medel_befolkning", "Samband mellan fördelade medel och folkmängd",
        "Pearsons korrelationskoefficient mellan länens fördelade medel 2008–2010 och deras "
        f"folkmängd den 31 december {POPULATION_YEAR}.",
        "De 21 länen.",
        "Länsstyrelsens blad Medel och SCB:s folkmängd per län.",
        "Beräknas bara för riket (Pearsons korrelationskoefficient över länen). Ett högt värde "
        "betyder att medlen följer folkmängden, inte att de räcker lika långt i alla län.",
        "korrelation", scope="riket", decimals=4),
)
INDICATOR_BY_KEY: dict[str, Indicator] = {i.key: i for i in INDICATORS}

VALUE_COLUMNS = ("indicator", "title", "lan_code", "value", "numerator", "denominator", "rank",
                 "note")


def _populations() -> pd.Series:
    return pd.Series({lan: population(lan, POPULATION_YEAR) for lan in counties()},
                     dtype="float64")


def _ratio_rows(key: str, numerator: pd.Series, denominator: pd.Series, scale: float = 1.0,
                missing_note: str = "") -> list[dict[str, Any]]:
    """Rows for the 21 counties and the nation: value = scale × numerator / denominator;
    NaN with ``missing_note`` (or a note on a zero denominator) when it cannot be computed."""
    rows = []
    complete = denominator.notna().all()
    for lan in [*counties(), NATIONAL]:
        if lan == NATIONAL:
            num = float(numerator.sum())
            den = float(denominator.sum()) if complete else float("nan")
        else:
            num, den = float(numerator.get(lan, 0)), float(denominator.get(lan, float("nan")))
        note = ""
        if pd.isna(den):
            value = float("nan")
            note = missing_note if lan != NATIONAL else (
                f"{missing_note} för {int(denominator.isna().sum())} av 21 län")
        elif den == 0:
            value, note = float("nan"), "nämnaren är 0"
        else:
            value = scale * num / den
        rows.append({"indicator": key, "lan_code": lan, "value": value, "numerator": num,
                     "denominator": den, "note": note})
    return rows


def indicator_values(p2011: ProcessedLike, p2010: ProcessedLike | None = None
                     ) -> pd.DataFrame:
    """Every indicator of :data:`INDICATORS` for the 21 counties and the nation (``lan_code``
    ``"00"``): columns indicator, title, lan_code, value, numerator, denominator, rank (among
    the counties with a value, 1 = highest, ties share the best rank), note (why a value is
    missing). ``p2010`` is accepted for symmetry with :func:`measures` and not needed."""
    del p2010
    projects = prepare_projects(p2011.projects)
    started = projects[projects["status"] != NOT_STARTED]
    flags = flags_of(projects)
    flags = flags[flags["projects_started"]]
    by = flags.groupby("lan_code")
    n_started = by["projects_started"].sum().reindex(counties(), fill_value=0)
    alloc = prepare_allocations(p2011.allocations).groupby("lan_code")
    allocated, requisitioned = alloc["allocated_sek"].sum(), alloc["requisitioned_sek"].sum()
    pop = _populations()
    no_pop = f"folkmängd {POPULATION_YEAR} saknas i länsregistret"
    rows: list[dict[str, Any]] = []
    rows += _ratio_rows("reell_samverkan", by["real_cooperation"].sum(), n_started)
    rows += _ratio_rows("integrerad", by["integration_done"].sum(), n_started)
    planned = started.assign(any_=started["integration_done"] | started["integration_will"]
                             | started["integration_plan"]).groupby("lan_code")["any_"].sum()
    rows += _ratio_rows("integrerad_eller_plan", planned, n_started)
    breadth = started.assign(n=started[list(ACTORS)].sum(axis=1)).groupby("lan_code")["n"].sum()
    rows += _ratio_rows("samverkansbredd", breadth, n_started)
    rows += _ratio_rows("familjeperspektiv", by["family_perspective"].sum(), n_started)
    rows += _ratio_rows("maluppfyllelse", by["goal_met"].sum(), n_started)
    rows += _ratio_rows("medel_per_projekt", started.groupby("lan_code")["granted_sek"].sum(),
                        n_started)
    rows += _ratio_rows("nyttjandegrad", requisitioned, allocated.reindex(counties()).fillna(0))
    rows += _ratio_rows("medel_per_invanare", allocated, pop, missing_note=no_pop)
    granted_projects = projects.groupby("lan_code").size()
    rows += _ratio_rows("projekt_per_100000", granted_projects, pop, scale=100_000,
                        missing_note=no_pop)
    rows += _share_ratio_rows(allocated, pop, no_pop)
    rows += _correlation_rows(allocated, pop, no_pop)
    frame = pd.DataFrame(rows)
    frame["title"] = frame["indicator"].map(lambda k: INDICATOR_BY_KEY[k].title)
    is_county = frame["lan_code"] != NATIONAL
    frame["rank"] = (frame["value"].where(is_county).groupby(frame["indicator"])
                     .rank(method="min", ascending=False).astype("Int64"))
    return frame.loc[:, list(VALUE_COLUMNS)].reset_index(drop=True)


def _share_ratio_rows(allocated: pd.Series, pop: pd.Series, no_pop: str) -> list[dict[str, Any]]:
    """Allocation share ÷ population share per county (1 for the nation) — only when every
    county's population is known (the national total is their sum)."""
    alloc = allocated.reindex(counties()).fillna(0)
    complete = bool(pop.notna().all())
    rows = []
    for lan in [*counties(), NATIONAL]:
        alloc_share = 1.0 if lan == NATIONAL else alloc[lan] / alloc.sum()
        pop_share = (1.0 if lan == NATIONAL else pop[lan] / pop.sum()) if complete else None
        if pop_share is None:
            missing = int(pop.isna().sum())
            rows.append({"indicator": "medel_mot_befolkning", "lan_code": lan,
                         "value": float("nan"), "numerator": float(alloc_share),
                         "denominator": float("nan"),
                         "note": f"{no_pop} för {missing} av 21 län: rikets folkmängd okänd"})
            continue
        rows.append({"indicator": "medel_mot_befolkning", "lan_code": lan,
                     "value": float(alloc_share / pop_share), "numerator": float(alloc_share),
                     "denominator": float(pop_share), "note": ""})
    return rows


def _correlation_rows(allocated: pd.Series, pop: pd.Series, no_pop: str
                      ) -> list[dict[str, Any]]:
    known = pop.dropna()
    pairs = pd.DataFrame({"alloc": allocated.reindex(known.index).fillna(0), "pop": known})
    rows = [{"indicator": "korrelation_medel_befolkning", "lan_code": lan, "value": float("nan"),
             "numerator": float("nan"), "denominator": float("nan"),
             "note": "beräknas bara för riket"} for lan in counties()]
    note = f"{len(pairs)} av 21 län med känd folkmängd"
    if len(pairs) < 3:
        value, note = float("nan"), f"{note}; minst tre behövs ({no_pop} för övriga)"
    else:
        value = float(pairs["alloc"].corr(pairs["pop"]))
    rows.append({"indicator": "korrelation_medel_befolkning", "lan_code": NATIONAL,
                 "value": value, "numerator": float("nan"), "denominator": float(len(pairs)),
                 "note": note})
    return rows


def format_indicator(key: str, value: float | None) -> str:
    """An indicator value in Swedish notation for its unit."""
    card = INDICATOR_BY_KEY[key]
    decimals = card.decimals if card.decimals is not None else {
        "andel": 1, "kr": 0, "antal": 1}.get(card.unit, 2)
    if card.unit == "andel":
        return fmt.pct(value, decimals)
    if card.unit == "kr":
        return fmt.kr(value, decimals)
    return fmt.num(value, decimals)


def rank_text(rank: int, tied: int, of: int) -> str:
    """A county's place in Swedish, ties shown: ``"3 av 21"``, or ``"delad 1:a plats med 11
    län (av 21)"`` when ``tied`` counties (this one included) share the place."""
    if tied <= 1:
        return f"{rank} av {of}"
    suffix = ":a" if rank % 10 in (1, 2) and rank % 100 not in (11, 12) else ":e"
    return f"delad {rank}{suffix} plats med {tied - 1} län (av {of})"


def county_indicators(lan_code: str, p2011: ProcessedLike, p2010: ProcessedLike | None = None,
                      values: pd.DataFrame | None = None) -> pd.DataFrame:
    """One county's indicators beside the nation's, formatted for display: columns indikator,
    län, riket, rang (:func:`rank_text`, among the counties with a value; ``–`` when the
    county has no value, with the reason in the län column). ``values`` is
    :func:`indicator_values` of the same data, when already computed."""
    lan = county_code(lan_code)
    values = values if values is not None else indicator_values(p2011, p2010)
    row_of = {(r["indicator"], r["lan_code"]): r for r in values.to_dict("records")}
    counties = values[values["lan_code"] != NATIONAL]
    n_ranked_of = counties.groupby("indicator")["value"].count()
    ties_of = counties.groupby(["indicator", "rank"])["lan_code"].count()
    rows = []
    for card in INDICATORS:
        own, nation = row_of[(card.key, lan)], row_of[(card.key, NATIONAL)]
        n_ranked = int(n_ranked_of.get(card.key, 0))
        county_text = format_indicator(card.key, own["value"])
        if pd.isna(own["value"]) and own["note"]:
            county_text = f"– ({own['note']})"
        nation_text = format_indicator(card.key, nation["value"])
        if pd.isna(nation["value"]) and nation["note"]:
            nation_text = f"– ({nation['note']})"
        rank = ("–" if pd.isna(own["rank"]) else
                rank_text(int(own["rank"]), int(ties_of[(card.key, own["rank"])]), n_ranked))
        rows.append({"indikator": card.title, "län": county_text, "riket": nation_text,
                     "rang": rank})
    return pd.DataFrame(rows, columns=["indikator", "län", "riket", "rang"])


def indicator_definitions_markdown() -> str:
    """The chapter *Indikatorer*: one definition card per indicator, from :data:`INDICATORS`."""
    lines = [
        "# Indikatorer för uppföljning av lokal samverkan {#sec-indikatorer}",
        "",
        "Rapport 2011:39 redovisar antal projekt men inga mått som går att följa över tid eller "
        "jämföra mellan län. Stockholms stads ansökan om utvecklingsmedel hade som ett av sina "
        "mål att ta fram ett uppföljningsbart mål eller en indikator för lokal samverkan. "
        "Indikatorerna nedan är ett förslag som kan beräknas direkt ur redovisningarna. Varje "
        "indikator beräknas för varje län och för riket; länen rangordnas så att 1 är det "
        "högsta värdet. Där en uppgift saknas redovisas inget värde, aldrig en skattning.",
        "",
    ]
    units = {"andel": "andel i procent", "kr": "kronor", "antal": "antal",
             "kvot": "kvot", "korrelation": "korrelationskoefficient (−1 till 1)"}
    for card in INDICATORS:
        lines += [
            f"## {card.title}",
            "",
            f"- **Enhet:** {units[card.unit]}",
            f"- **Täljare:** {card.numerator}",
            f"- **Nämnare:** {card.denominator}",
            f"- **Källa:** {card.source}",
            f"- **Redovisas för:** {card.scope}",
            f"- **Att tänka på:** {card.caveats}",
            "",
        ]
    return "\n".join(lines)


def write_indicator_definitions(path: Path | None = None) -> Path:
    """Write :func:`indicator_definitions_markdown` atomically to ``path`` (default
    ``report/_generated/indikatorer.md``) and return the path."""
    target = path if path is not None else generated_dir() / "indikatorer.md"
    return write_text(target, indicator_definitions_markdown())


