"""The reconstruction's assumptions: every choice the generator made to reconcile the published
aggregates, as a record written beside the files (``data/raw/SYNTH_MANIFEST.json``,
``"assumptions"``) and listed in the book's appendix *Rekonstruktionens antaganden*.

Each entry is computed from the generated dataset and the published figures it was made from,
never typed in: which county requisitioned part of an unstarred cell and how much, which printed
figures the generator did not follow, which projects that never started had ticked a structure,
which projects are in two integration groups, and so on (the readings of
:mod:`samverkan.synth.generate`). Entries are plain data (reading, key, county code, value, unit,
Swedish text), so the book reads them without importing the generator.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from samverkan import fmt, registry
from samverkan.reference import published

if TYPE_CHECKING:
    from samverkan.synth.generate import Dataset


def _entry(reading: int, key: str, lan_code: str, value: int, unit: str, text: str
           ) -> dict[str, Any]:
    return {"reading": reading, "key": key, "lan_code": lan_code, "value": value, "unit": unit,
            "text": text}


def _names(codes: list[str]) -> str:
    counted = Counter(codes)
    return ", ".join(f"{registry.county_name(c, form='short')} ({n})" if n > 1 else
                     registry.county_name(c, form="short") for c, n in sorted(counted.items()))


def assumptions(ds: Dataset) -> list[dict[str, Any]]:
    """The generator's reconciling choices in ``ds`` (one replica's worth at ``scale`` 1; at a
    larger scale the counts are over every replica)."""
    from samverkan.synth.targets import targets

    t = targets()
    pub = published()
    out: list[dict[str, Any]] = []
    # reading 1: a printed row total the year cells contradict
    for lan, county in sorted(t.counties.items()):
        total = pub.loc[pub["key"] == f"t1.{lan}.2008-2010", "value"]
        years = sum(county.allocated.values())
        if not total.empty and int(float(total.iloc[0])) != years:
            out.append(_entry(
                1, "allocation_row_total", lan, years, "sek",
                f"{registry.county_name(lan)}: länets fördelade medel är årscellernas summa, "
                f"{fmt.kr(years)}, inte den tryckta radsumman {fmt.kr(float(total.iloc[0]))} "
                "(tabell 1); kolumnsummorna stöder årscellerna."))
    # reading 2: an unstarred cell requisitioned only in part
    requisitioned = float(pub.loc[pub["key"] == "t6.requisitioned_sek", "value"].iloc[0])
    for lan, county in sorted(t.counties.items()):
        for year, allocated in sorted(county.allocated.items()):
            taken = county.requisitioned[year]
            if 0 < taken < allocated:
                out.append(_entry(
                    2, "partial_requisition", lan, allocated - taken, "sek",
                    f"{registry.county_name(lan)} rekvirerade {fmt.kr(allocated - taken)} mindre "
                    f"än de fördelade medlen för {year} ({fmt.kr(taken)} av "
                    f"{fmt.kr(allocated)}). Rapporten stjärnmarkerar ingen sådan cell; beloppet "
                    f"får tabell 6:s rekvirerade medel ({fmt.kr(requisitioned)}) att gå ihop "
                    "med de stjärnmarkerade cellerna i tabell 1."))
    final = [p for p in ds.projects]
    # reading 3 and 7: projects that never started
    never = [p for p in final if not p.started]
    if never:
        out.append(_entry(
            7, "not_started", "", len(never), "projects",
            f"{len(never)} beviljade projekt startade aldrig ({_names([p.lan_code for p in never])}"
            "); de redovisar 0 kr i beviljade medel, eftersom bidraget inte betalades ut."))
    new_never = [p for p in never if p.flags.get("coop_new")]
    out.append(_entry(
        3, "new_structure_not_started", "", len(new_never), "projects",
        f"{len(new_never)} av projekten som aldrig startade hade kryssat för ny "
        "samverkansstruktur" + (f" ({_names([p.lan_code for p in new_never])})"
                                if new_never else "")
        + ": länens celler i tabell 2 summerar då till rikets antal över alla beviljade "
        "projekt, medan de startade projekten har det antal som rapportens punktlista anger."))
    # reading 4: projects in two integration groups
    both = [p for p in final if p.started and p.integration == "done_plan"]
    out.append(_entry(
        4, "integration_two_groups", "", len(both), "projects",
        f"{len(both)} startade projekt har både integrerats delvis och har en plan för resten "
        f"({_names([p.lan_code for p in both])}), så att tabell 5:s tre grupper kan summera "
        "till fler än de startade projekten."))
    # reading 5: family perspective dropped between the rounds
    dropped = [p for p in final if p.dropped_men]
    out.append(_entry(
        5, "family_perspective_dropped", "", len(dropped), "projects",
        f"{len(dropped)} projekt från 2008–2009 slutade arbeta med våldsutövande män mellan "
        f"redovisningarna ({_names([p.lan_code for p in dropped])}), så att "
        "familjeperspektivet vid delredovisningen och i slutredovisningen går ihop."))
    # reading 6: what the bullets leave open
    invited = [p for p in final if p.church_kind == "invited"]
    fk_invited = [p for p in final if p.fk_kind == "invited"]
    out.append(_entry(
        6, "church_invited", "", len(invited), "projects",
        f"{len(invited)} projekt med kyrkan som partner har bjudit in den till utbildning i "
        "stället för operativ samverkan: rapporten anger bara hur många som samverkade "
        "operativt."))
    out.append(_entry(
        6, "fk_invited", "", len(fk_invited), "projects",
        f"{len(fk_invited)} projekt har bjudit in Försäkringskassan till utbildning eller "
        "samråd; rapporten anger bara det sammanlagda antalet och hur många som deltog aktivt."))
    out.append(_entry(
        0, "project_rows", "", len([p for p in final if p.replica == 0]), "projects",
        "Varje projekt – kommuner, diarienummer, belopp, datum, kryssrutor, fritextsvar och "
        "kontaktuppgifter – är påhittat, liksom länsstyrelsernas administration, återbetalning "
        "och svar per län; bara summorna som rapporten trycker är verkliga."))
    return out
