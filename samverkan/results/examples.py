"""Example projects for the chapter *Exempel*: one per cooperation type, chosen by a stated
rule (:data:`EXAMPLE_RULE`), with contact details removed from their free text."""

from __future__ import annotations

import pandas as pd

from samverkan.privacy import redact
from samverkan.registry import municipality_name
from samverkan.results.frames import (
    ACTORS,
    NOT_STARTED,
    YES_PARTLY,
    ProcessedLike,
    county_name,
    prepare_projects,
)
from samverkan.results.measures import MEASURE_BY_NAME

COOPERATION_TYPES: dict[str, str] = {
    "coop_new": "Ny samverkansstruktur",
    "coop_existing": "Befintlig samverkansstruktur utvecklas",
    "coop_evaluate": "Befintlig samverkansstruktur utvärderas",
}
EXAMPLE_RULE = (
    "För varje typ av samverkan (ny struktur, befintlig struktur som utvecklas, utvärdering) "
    "väljs bland de startade projekten av den typen det som samverkar med flest typer av "
    "aktörer och som både nått sina mål (bedömning ja) och integrerats i ordinarie verksamhet. "
    "Finns inget sådant projekt räcker att målen nåtts helt eller delvis, och därefter att "
    "projektet startat. Vid lika bredd väljs det lägsta diarienumret. Ett projekt visas bara "
    "en gång."
)


def examples(p2011: ProcessedLike) -> pd.DataFrame:
    """One example project per cooperation type chosen by :data:`EXAMPLE_RULE`: columns
    cooperation_type, criterion, diarienummer, lan_code, county, municipalities, title,
    breadth, partners, goal_text, activities_text, goal_fulfilment_text, integration_text."""
    p = prepare_projects(p2011.projects)
    p = p[p["status"] != NOT_STARTED].copy()
    p["breadth"] = p[list(ACTORS)].sum(axis=1)
    tiers = (
        ("målen nådda och integrerat", (p["goal_met"] == "ja") & p["integration_done"]),
        ("målen helt eller delvis nådda", p["goal_met"].isin(YES_PARTLY)),
        ("startat", pd.Series(True, index=p.index)),
    )
    partner_labels = {actor: MEASURE_BY_NAME["partner_" + actor.removeprefix("actor_")].label
                      for actor in ACTORS}
    chosen: list[str] = []
    rows = []
    for column, type_label in COOPERATION_TYPES.items():
        pools = [(c, p[p[column] & ok & ~p["diarienummer"].isin(chosen)]) for c, ok in tiers]
        found = next(((c, pool) for c, pool in pools if not pool.empty), None)
        if found is None:
            continue
        criterion, pool = found
        best = pool.sort_values(["breadth", "diarienummer"], ascending=[False, True]).iloc[0]
        chosen.append(best["diarienummer"])
        codes = [c for c in str(best["municipality_codes"]).split(";") if c]
        rows.append({
            "cooperation_type": type_label, "criterion": criterion,
            "diarienummer": best["diarienummer"], "lan_code": best["lan_code"],
            "county": county_name(best["lan_code"]),
            "municipalities": ", ".join(municipality_name(c) for c in codes),
            "title": redact(best["title"]), "breadth": int(best["breadth"]),
            "partners": ", ".join(partner_labels[a] for a in partner_labels if best[a]),
            **{f: redact(str(best.get(f, ""))) for f in
               ("goal_text", "activities_text", "goal_fulfilment_text", "integration_text")},
        })
    return pd.DataFrame(rows)


def published_examples() -> pd.DataFrame:
    """The example projects Rapport 2011:39 describes (``data/reference/examples.csv``): key,
    lan_code, who, summary (our own wording of the report's facts), section, page."""
    from samverkan.paths import reference_dir

    return pd.read_csv(reference_dir() / "examples.csv", dtype=str, keep_default_na=False)


def published_examples_markdown() -> str:
    """The report's own examples as a list of cited facts (Swedish Markdown), each ending with
    its place in the report: these are real projects, unlike the reconstruction's."""
    from samverkan.book.markup import literal

    items = []
    for row in published_examples().itertuples(index=False):
        items.append(f"- **{literal(row.who)}** ({county_name(row.lan_code)}). "
                     f"{literal(row.summary)} (Rapport 2011:39, "
                     f"{row.section[0].lower()}{row.section[1:]}, s. {row.page})")
    return "\n".join(items)


def chapter_markdown(reconstructed: bool) -> str:
    """The chapter's opening (Swedish Markdown): the examples Rapport 2011:39 publishes, as
    cited facts, then the heading and introduction of the examples drawn from the data."""
    return "\n\n".join([
        "## Exempel som Rapport 2011:39 beskriver {#sec-exempel-rapporten}",
        "Rapport 2011:39 beskriver några verkliga projekt för att visa hur olika samverkan kan "
        "se ut. Så här sammanfattar vi vad rapporten säger om dem:",
        published_examples_markdown(),
        "## Exempel ur underlaget {#sec-exempel-underlaget}",
        underlag_intro(reconstructed),
    ])


def underlag_intro(reconstructed: bool, rule: str = EXAMPLE_RULE) -> str:
    """What the examples drawn from the submissions are (Swedish): while the projects are the
    reconstruction's, an invented illustration, never the projects' own words."""
    if reconstructed:
        return (
            "Exemplen nedan är valda ur underlaget efter en fast regel, så att samma data alltid "
            f"ger samma urval. {rule} Där ett läns underlag är rekonstruerat är projekten, "
            "deras diarienummer och texter påhittade av generatorn och visar bara hur ett "
            "projekts redovisning återges i boken: en påhittad illustration, inte någon kommuns "
            "eller något projekts egna ord. Under varje exempels rubrik står om det är en "
            "påhittad illustration eller projektets egna svar (@tbl-exempel)."
        )
    return (
        "Exemplen nedan är valda ur redovisningarna efter en fast regel, så att samma data "
        f"alltid ger samma urval. {rule} Texterna är projektens egna svar, oredigerade utom att "
        "sådant som liknar e-postadresser och telefonnummer har tagits bort (@tbl-exempel)."
    )
