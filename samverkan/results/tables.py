"""The result tables with Swedish headers: for display in the notebooks (numbers formatted the
Swedish way, as text) and for export (``data/processed/<round>/tables/*.csv`` and one
``tabeller.xlsx`` with a sheet per table, numbers as numbers with Excel number formats).

A :class:`Table` holds the numbers and says how each column is formatted; :func:`formatted`
and :func:`write_xlsx` read the same description, so the notebook and the workbook agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from samverkan import fmt, rounds
from samverkan.book.markup import literal
from samverkan.book.sources import MARK
from samverkan.intake import codebook
from samverkan.io import NO, YES, write_csv
from samverkan.paths import processed_dir
from samverkan.results import change as chg
from samverkan.results import examples as exm
from samverkan.results import frames
from samverkan.results import indicators as ind
from samverkan.results import measures as meas
from samverkan.results import report_tables as rt

EXAMPLE_LIMIT = 3000
"""Characters of one field of an example project shown in the book; a longer text is cut with a
note (markup.TRUNCATED)."""

KINDS = ("text", "int", "kr", "share", "dec1", "dec2", "bool")
"""Column kinds: text; whole number; kronor; share 0–1 shown as per cent; one or two decimals;
yes/no."""
EXCEL_FORMATS: dict[str, str] = {
    "int": "#,##0", "kr": '#,##0" kr"', "share": "0.0%", "dec1": "0.0", "dec2": "0.00",
}
STATUS_LABELS: dict[str, str] = {**codebook.value_labels("Projekt", "status"),
                                 "": "–", "saknas": "Saknas"}
"""A project's status in the tables (the form's words); ``saknas``: not in that report."""


@dataclass
class Table:
    """One result table: ``name`` (file stem, ascii), ``sheet`` (its sheet's title; the
    workbook cuts it at a word to Excel's 31 characters), Swedish ``caption``, the numbers in
    ``frame`` (Swedish headers) and the kind of each column (:data:`KINDS`; unlisted columns are
    text)."""

    name: str
    sheet: str
    caption: str
    frame: pd.DataFrame
    kinds: dict[str, str] = field(default_factory=dict)

    def kind(self, column: str) -> str:
        return self.kinds.get(column, "text")


# ------------------------------------------------------------------------------ the tables


def _county_column(frame: pd.DataFrame) -> pd.Series:
    return frame["lan_code"].map(frames.county_name)


def table1(p2011: frames.ProcessedLike) -> Table:
    """Tabell 1: fördelade och rekvirerade medel per län och år."""
    t = rt.table1(p2011)
    years = [c.removeprefix("allocated_") for c in t.columns
             if c.startswith("allocated_") and c != "allocated_total"]
    out = pd.DataFrame({"Län": _county_column(t)})
    kinds = {}
    for year in years:
        out[f"Fördelat {year}"] = t[f"allocated_{year}"]
    out["Fördelat totalt"] = t["allocated_total"]
    for year in years:
        out[f"Rekvirerat {year}"] = t[f"requisitioned_{year}"]
    out["Rekvirerat totalt"] = t["requisitioned_total"]
    out["Ej rekvirerat"] = t["not_requisitioned"]
    out["Nyttjandegrad"] = t["uptake"]
    kinds = {c: "kr" for c in out.columns[1:-1]} | {"Nyttjandegrad": "share"}
    return Table("tabell1_medel", "Tabell 1 Medel", "Fördelade och rekvirerade medel per län "
                 "och år (kr)", out, kinds)


def table1_compact(p2011: frames.ProcessedLike) -> Table:
    """Tabell 1 for the chapter: allocations per year, in all, requisitioned in all, uptake."""
    full = table1(p2011)
    keep = [c for c in full.frame.columns if not c.startswith("Rekvirerat 2")
            and c != "Ej rekvirerat"]
    frame = full.frame[keep].rename(columns=lambda c: c.removeprefix("Fördelat ").capitalize()
                                    if c.startswith("Fördelat 2") else c)
    kinds = {c: "kr" for c in frame.columns[1:-1]} | {"Nyttjandegrad": "share"}
    return Table("tabell1_medel_kort", "Tabell 1 kort", "Fördelade medel per län och år och "
                 "rekvirerade medel (kr)", frame, kinds)


def economics_summary(p2011: frames.ProcessedLike) -> Table:
    """Tabell 6 nationally, one row per item."""
    t = rt.table6(p2011)
    row = t[t["lan_code"] == frames.NATIONAL].iloc[0]
    items = [("Fördelade medel", row["allocated_sek"]),
             ("Rekvirerade medel", row["requisitioned_sek"]),
             ("Beviljat till startade projekt", row["granted_sek"]),
             ("Länsstyrelsernas administration", row["administration_sek"]),
             ("Sammanlagda kostnader", row["total_costs_sek"]),
             ("Återbetalas (rekvirerat − kostnader)", row["repayment_sek"]),
             ("Återbetalas enligt länsstyrelsernas egna uppgifter",
              row["reported_repayment_sek"])]
    frame = pd.DataFrame(items, columns=["Post", "Kronor"])
    return Table("tabell6_riket", "Tabell 6 riket", "Ekonomisk redovisning för riket (kr)",
                 frame, {"Kronor": "kr"})


def table2(p2011: frames.ProcessedLike, p2010: frames.ProcessedLike | None) -> Table:
    """Tabell 2: projekt per län och typ av samverkansstruktur."""
    t = rt.table2(p2011, p2010)
    names = {"projects_2008_2009": "Delredovisning 2010",
             "projects_2008_2010": "Slutredovisning 2011",
             "projects_started": "Varav startade", "projects_not_started": "Varav ej startade",
             "new_structures": "Ny struktur",
             "existing_structures": "Befintlig utvecklas",
             "evaluated_structures": "Utvärdering"}
    out = pd.DataFrame({"Län": _county_column(t)})
    for column, header in names.items():
        if column in t:
            out[header] = t[column]
    return Table("tabell2_projekt", "Tabell 2 Projekt", "Projekt per län vid del- och "
                 "slutredovisningen och typ av samverkansstruktur", out,
                 {c: "int" for c in out.columns[1:]})


def count_table(p2011: frames.ProcessedLike, table: str) -> Table:
    """Tabell 3, 4 or 5 nationally, sub-counts under their row."""
    t = rt.ordered_counts(rt.count_table(p2011, table))
    started = int(meas.project_flags(p2011.projects)["projects_started"].sum())
    first, caption = {
        "t3": ("Samverkanspartner", "Samverkanspartner i de startade projekten (ett projekt kan "
               "ha flera)"),
        "t4": ("Område och målgrupp", "Områden och målgrupper i de startade projekten (de "
               "flesta har flera)"),
        "t5": ("Måluppfyllelse och struktur", "Måluppfyllelse, integrering och struktur i de "
               "startade projekten"),
    }[table]
    out = pd.DataFrame({first: t["label"], "Antal projekt": t["count"],
                        f"Andel av {fmt.num(started)} startade": t["share"]})
    number = table[1]
    slug = {"t3": "partner", "t4": "malgrupper", "t5": "maluppfyllelse"}[table]
    return Table(f"tabell{number}_{slug}", f"Tabell {number} {first}", caption, out,
                 {"Antal projekt": "int", out.columns[2]: "share"})


def county_counts(p2011: frames.ProcessedLike, table: str) -> Table:
    """The main rows of Tabell 3, 4 or 5 per county."""
    t = rt.counts_by_county(p2011, table)
    out = pd.DataFrame({"Län": _county_column(t), "Startade projekt": t["projects_started"]})
    for column in t.columns[2:]:
        out[meas.label(column)] = t[column]
    number = table[1]
    slug = {"t3": "partner", "t4": "malgrupper", "t5": "maluppfyllelse"}[table]
    what = {"t3": "Samverkanspartner", "t4": "Områden och målgrupper",
            "t5": "Måluppfyllelse och struktur"}[table]
    return Table(f"tabell{number}_{slug}_per_lan", f"Tabell {number} per län",
                 f"{what} per län (antal startade projekt)", out,
                 {c: "int" for c in out.columns[1:]})


def table6(p2011: frames.ProcessedLike) -> Table:
    """Tabell 6: ekonomisk redovisning per län och för riket."""
    t = rt.table6(p2011)
    out = pd.DataFrame({
        "Län": _county_column(t),
        "Fördelade medel": t["allocated_sek"],
        "Rekvirerade medel": t["requisitioned_sek"],
        "Beviljat till startade projekt": t["granted_sek"],
        "Länsstyrelsens administration": t["administration_sek"],
        "Sammanlagda kostnader": t["total_costs_sek"],
        "Återbetalning (rekvirerat − kostnader)": t["repayment_sek"],
        "Återbetalning enligt länsstyrelsen": t["reported_repayment_sek"],
        "Administration av rekvirerat": t["administration_share"],
    })
    kinds = {c: "kr" for c in out.columns[1:-1]} | {"Administration av rekvirerat": "share"}
    return Table("tabell6_ekonomi", "Tabell 6 Ekonomi", "Ekonomisk redovisning 2008–2010 per "
                 "län (kr)", out, kinds)


def table6_costs(p2011: frames.ProcessedLike) -> Table:
    """The first half of :func:`table6` for the book's column width: what each county got,
    requisitioned, granted and spent on administration."""
    full = table6(p2011)
    keep = ["Län", "Fördelade medel", "Rekvirerade medel", "Beviljat till startade projekt",
            "Länsstyrelsens administration", "Administration av rekvirerat"]
    frame = full.frame[keep].rename(columns={"Beviljat till startade projekt": "Beviljat",
                                             "Länsstyrelsens administration": "Administration",
                                             "Administration av rekvirerat": "Adm. andel"})
    return Table("tabell6_kostnader", "Tabell 6 kostnader", "Medel och kostnader per län (kr)",
                 frame, {c: "kr" for c in frame.columns[1:-1]} | {"Adm. andel": "share"})


def table6_repayment(p2011: frames.ProcessedLike) -> Table:
    """The second half of :func:`table6`: total costs and what is to be paid back, computed and
    as the county board reports it."""
    full = table6(p2011)
    keep = ["Län", "Sammanlagda kostnader", "Återbetalning (rekvirerat − kostnader)",
            "Återbetalning enligt länsstyrelsen"]
    frame = full.frame[keep].rename(columns={
        "Återbetalning (rekvirerat − kostnader)": "Återbetalning, beräknad",
        "Återbetalning enligt länsstyrelsen": "Återbetalning, länsstyrelsens uppgift"})
    return Table("tabell6_aterbetalning", "Tabell 6 återbetalning", "Kostnader och "
                 "återbetalning per län (kr)", frame, {c: "kr" for c in frame.columns[1:]})


NOT_ASKED_NOTE = "frågades inte i delredovisningen 2010"
"""The note beside a measure whose question a round's form did not ask (shown as –, never 0)."""


def not_asked(measure: str, report_round: int) -> bool:
    """True when the measure is a form question (a codebook field of the same name) that the
    round's form did not ask (e.g. integration in the partial report of 2010)."""
    from samverkan.intake import codebook

    rounds = {f.name: f.rounds for f in codebook.fields()}
    return measure in rounds and report_round not in rounds[measure]


def change_table(p2011: frames.ProcessedLike, p2010: frames.ProcessedLike, main_only: bool = False
                 ) -> Table:
    """Every measure nationally at the partial and the final report (``main_only``: without
    the free-text sub-counts)."""
    c = chg.change_by_measure(p2011, p2010)
    c = c[c["lan_code"] == frames.NATIONAL]
    if main_only:
        c = c[c["measure"].map(lambda n: not meas.MEASURE_BY_NAME[n].parent
                               or n == "partner_prosecutor")]
    unasked = c["measure"].map(lambda n: not_asked(n, 2010)).to_numpy()
    out = pd.DataFrame({"Mått": c["label"].to_numpy(),
                        "Delredovisning 2010": c["value_2010"].mask(unasked).to_numpy(),
                        "Slutredovisning 2011": c["value_2011"].to_numpy(),
                        "Förändring": c["change"].mask(unasked).to_numpy()})
    out["Mått"] = [f"{label} ({NOT_ASKED_NOTE})" if no else label
                   for label, no in zip(out["Mått"], unasked, strict=True)]
    return Table("forandring_matt", "Förändring 2010–2011", "Antal projekt per mått vid "
                 "delredovisningen 2010 och slutredovisningen 2011 (riket)", out,
                 {c: "int" for c in out.columns[1:]})


def change_by_county_table(p2011: frames.ProcessedLike, p2010: frames.ProcessedLike) -> Table:
    """Every measure per county at the partial and the final report (long format)."""
    c = chg.change_by_measure(p2011, p2010)
    out = pd.DataFrame({"Län": _county_column(c).to_numpy(), "Mått": c["label"].to_numpy(),
                        "Delredovisning 2010": c["value_2010"].to_numpy(),
                        "Slutredovisning 2011": c["value_2011"].to_numpy(),
                        "Förändring": c["change"].to_numpy()})
    return Table("forandring_per_lan", "Förändring per län", "Antal projekt per mått och län "
                 "vid delredovisningen 2010 och slutredovisningen 2011", out,
                 {c: "int" for c in out.columns[2:]})


def _labels(names: str) -> str:
    return "; ".join(meas.label(n) for n in names.split(";") if n)


def project_change_table(p2011: frames.ProcessedLike, p2010: frames.ProcessedLike) -> Table:
    """Per project: in which reports, status in each, what it gained and lost."""
    c = chg.project_changes(p2011, p2010)
    out = pd.DataFrame({
        "Diarienummer": c["diarienummer"], "Län": _county_column(c),
        "I delredovisningen 2010": c["in_2010"], "I slutredovisningen 2011": c["in_2011"],
        "Status 2010": c["status_2010"].map(STATUS_LABELS),
        "Status 2011": c["status_2011"].map(STATUS_LABELS),
        "Tillkom": c["gained"].map(_labels), "Föll bort": c["lost"].map(_labels),
    })
    return Table("forandring_projekt", "Förändring per projekt", "Projektens status och "
                 "uppgifter vid del- och slutredovisningen", out,
                 {"I delredovisningen 2010": "bool", "I slutredovisningen 2011": "bool"})


def status_table(p2011: frames.ProcessedLike, p2010: frames.ProcessedLike) -> Table:
    """Projects by status at the partial (rows) and the final report (columns)."""
    t = chg.status_transitions(p2011, p2010)
    out = t.rename(index=STATUS_LABELS, columns=STATUS_LABELS).reset_index()
    out = out.rename(columns={"status_2010": "Status 2010 \\ 2011"})
    out.columns.name = None
    return Table("status_2010_2011", "Status 2010 och 2011", "Projekt efter status vid "
                 "delredovisningen 2010 (rader) och slutredovisningen 2011 (kolumner)", out,
                 {c: "int" for c in out.columns[1:]})


def indicator_table(p2011: frames.ProcessedLike, keys: list[str] | None = None,
                    short: bool = False) -> Table:
    """The indicators per county and nationally (one column per indicator; ``keys`` selects
    and orders them, ``short`` uses the short headers of :data:`SHORT_TITLES`)."""
    cards = [ind.INDICATOR_BY_KEY[k] for k in keys] if keys else list(ind.INDICATORS)
    v = ind.indicator_values(p2011)
    wide = v.pivot(index="lan_code", columns="indicator", values="value")
    wide = wide.reindex(index=[*frames.counties(), frames.NATIONAL], columns=[c.key for c in cards])
    out = pd.DataFrame({"Län": [frames.county_name(c) for c in wide.index]})
    kinds = {}
    for card in cards:
        title = SHORT_TITLES.get(card.key, card.title) if short else card.title
        out[title] = wide[card.key].to_numpy()
        kinds[title] = {"andel": "share", "kr": "dec2" if card.decimals == 2 else "kr",
                             "antal": "dec1"}.get(card.unit, "dec2")
    return Table("indikatorer", "Indikatorer", "Indikatorer för lokal samverkan per län och "
                 "för riket", out, kinds)


SHORT_TITLES: dict[str, str] = {
    "reell_samverkan": "Reell samverkan", "integrerad": "Integrerade",
    "integrerad_eller_plan": "Integrerade eller plan", "samverkansbredd": "Aktörstyper per projekt",
    "familjeperspektiv": "Familjeperspektiv", "maluppfyllelse": "Målen nådda",
    "medel_per_projekt": "Kr per projekt", "nyttjandegrad": "Nyttjandegrad",
    "medel_per_invanare": "Kr per invånare", "projekt_per_100000": "Projekt per 100 000 inv.",
    "medel_mot_befolkning": "Medelsandel / befolkningsandel",
    "korrelation_medel_befolkning": "Korrelation medel–folkmängd",
}
"""Column headers for indicator tables in the chapters (the cards keep the full titles)."""


EXAMPLE_INVENTED = ("**Påhittad illustration {mark}.** Projektet, diarienumret och texterna "
                    "nedan kommer ur det rekonstruerade underlaget för {county}: generatorn "
                    "skrev dem, och de är inte något verkligt projekts eller någon kommuns ord.")
EXAMPLE_OWN = ("**Projektets egna svar** ur {county}s fil, oredigerade utom att sådant som "
               "liknar e-postadresser och telefonnummer har tagits bort.")
"""The label under an example's heading: an invented illustration while its county's files
are the reconstruction, the project's own words once they are the county's own."""


def example_markdown(example: pd.Series, provenance_facts: dict) -> str:
    """One example project (a row of :func:`examples.examples`) as a Markdown section, one
    level below the chapter's heading, labelled as an invented illustration or the project's
    own answers by its county's source (``provenance_facts``, :func:`samverkan.book.sources.
    facts`); the project's own text is literal (markup.literal)."""
    from samverkan.book import sources
    from samverkan.registry import county_name

    def text(value: object, paragraphs: bool = False) -> str:
        missing = value is None or (isinstance(value, float) and pd.isna(value))
        return ("" if missing else literal(value, EXAMPLE_LIMIT, paragraphs)) or "–"

    facts = (f"*{text(example['cooperation_type'])}.* {county_name(example['lan_code'])}, "
             f"{text(example['municipalities'])}; diarienummer "
             f"{text(example['diarienummer'])}. Samverkar med "
             f"{fmt.num(example['breadth'])} typer av aktörer: "
             f"{text(example['partners']) if example['partners'] else 'inga angivna'}.")
    label = (EXAMPLE_INVENTED if sources.reconstructed(provenance_facts, example["lan_code"])
             else EXAMPLE_OWN).format(mark=sources.MARK, county=county_name(example["lan_code"]))
    parts = [f"## {text(example['title'])}", label, facts]
    for field_name, heading in (("goal_text", "Mål"), ("activities_text", "Genomförda insatser"),
                                ("goal_fulfilment_text", "Måluppfyllelse"),
                                ("integration_text", "Integrering i ordinarie verksamhet")):
        parts.append(f"**{heading}.** {text(example[field_name], paragraphs=True)}")
    return "\n\n".join(parts)


def examples_overview(p2011: frames.ProcessedLike) -> Table:
    """The chosen examples in one table."""
    ex = exm.examples(p2011)
    frame = pd.DataFrame({"Typ av samverkan": ex["cooperation_type"],
                          "Projekt": ex["title"], "Län": ex["county"],
                          "Diarienummer": ex["diarienummer"],
                          "Aktörstyper": ex["breadth"], "Urval": ex["criterion"]})
    return Table("exempel", "Exempel", "Exempel på samverkansprojekt, ett per typ av samverkan",
                 frame, {"Aktörstyper": "int"})


def results_tables(p2011: frames.ProcessedLike, p2010: frames.ProcessedLike | None) -> list[Table]:
    """Every exported table, in report order."""
    tables = [table1(p2011), table2(p2011, p2010)]
    for t in ("t3", "t4", "t5"):
        tables += [count_table(p2011, t), county_counts(p2011, t)]
    tables += [table6(p2011), indicator_table(p2011)]
    if frames.has_projects(p2010):
        tables += [change_table(p2011, p2010), change_by_county_table(p2011, p2010),
                   project_change_table(p2011, p2010), status_table(p2011, p2010)]
    return tables


# ------------------------------------------------------------------------------- formatting


def _format_value(value: object, kind: str) -> str:
    if kind == "text":
        return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    if value is None or pd.isna(value):
        return "–"
    if kind == "bool":
        return "Ja" if value else "Nej"
    if kind == "share":
        return fmt.pct(float(value))
    if kind == "kr":
        return fmt.num(float(value))
    decimals = {"dec1": 1, "dec2": 2}.get(kind, 0)
    return fmt.num(float(value), decimals)


def formatted(table: Table) -> pd.DataFrame:
    """The table as Swedish text for display: thousands with a non-breaking space, decimal
    comma, per cent, ``–`` for a missing value."""
    out = pd.DataFrame(index=table.frame.index)
    for column in table.frame.columns:
        kind = table.kind(column)
        out[column] = [_format_value(v, kind) for v in table.frame[column]]
    return out.reset_index(drop=True)


def show_in_full() -> None:
    """Set up a chapter notebook's kernel for the book's tables: pandas' display limits
    (50 characters per cell, 60 rows) off, every DataFrame shown through :func:`book_html`,
    and under every labelled table and figure its source line, with the reconstruction's mark
    in a mixed table's reconstruction-only cells (:func:`samverkan.book.sources.install`).
    Called once at the top of a chapter notebook."""
    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.max_rows", None)
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        from samverkan.book import sources

        sources.install(shell, book_html)


_NUMBER = re.compile(r"([−-]?\d[\d\u00a0]*(,\d+)?(\u00a0(%|kr))?|\d+[ \u00a0]av[ \u00a0]\d+)"
                     rf"{MARK}?|–|")
"""A shown number, share, "N av M" (a reconstruction-only one with the mark) or a dash."""
_DIGIT_GROUPS = re.compile(r"(\d) (\d{3})(?!\d)")  # also before a mark: "150 000ᴿ"
_FILE_NAME = re.compile(r"\d\d-[\w.-]+\.(csv|xlsx)")


def _unbreakable(text: str) -> str:
    """Keep what must not wrap on one line: "14 av 21" and "100 000" (NBSP)."""
    text = _DIGIT_GROUPS.sub(f"\\1{fmt.NBSP}\\2", text)
    return re.sub(r"(\d) av (\d)", f"\\1{fmt.NBSP}av{fmt.NBSP}\\2", text)


def _numeric(values: list[str]) -> bool:
    """A column of Swedish numbers, shares, "N av M" or dashes (at least one number)."""
    cells = [v.strip() for v in values]
    return any(c not in ("", "–") for c in cells) and all(_NUMBER.fullmatch(c) for c in cells)


def book_html(frame: pd.DataFrame) -> str:
    """A DataFrame as the book prints it: one header row of Swedish headers; the index as the
    first column (headed by its name) unless it is pandas' default 0, 1, 2 …, which is left
    out; numeric columns right-aligned; "14 av 21" and "100 000" never broken over two lines.
    Pandoc and Quarto read the alignment from the cells' ``text-align``."""
    from html import escape

    default_index = isinstance(frame.index, pd.RangeIndex) and frame.index.name is None
    table = frame if default_index else frame.reset_index()
    headers = ["" if h is None else str(h) for h in table.columns]
    columns = [[_unbreakable("" if pd.isna(v) else str(v)) for v in table[c]]
               for c in table.columns]
    right = [i > 0 and _numeric(values) for i, values in enumerate(columns)]

    def cell(tag: str, text: str, i: int, row_head: bool = False) -> str:
        style = ' style="text-align: right;"' if right[i] else ""
        scope = ' scope="row"' if row_head else ' scope="col"' if tag == "th" else ""
        # a submission's file name in monospace, which breaks at "-" without a hyphen
        content = f"<code>{escape(text)}</code>" if _FILE_NAME.fullmatch(text) else escape(text)
        return f"<{tag}{scope}{style}>{content}</{tag}>"

    head = "".join(cell("th", _unbreakable(h), i) for i, h in enumerate(headers))
    body = []
    for r in range(len(table)):
        cells = [cell("th", columns[0][r], 0, row_head=True) if not default_index
                 else cell("td", columns[0][r], 0)]
        cells += [cell("td", columns[i][r], i) for i in range(1, len(columns))]
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (f'<table class="dataframe book-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def display_frame(table: Table) -> pd.DataFrame:
    """:func:`formatted`, indexed by the first column, for a notebook table cell."""
    out = formatted(table)
    return out.set_index(out.columns[0])


def key_figures(p2011: frames.ProcessedLike, p2010: frames.ProcessedLike | None) -> Table:
    """The summary's key numbers: money, projects and outcomes nationally."""
    m = meas.measures(p2011, p2010)
    period = rounds.PERIOD_BY_ROUND[frames.report_round_of(p2011)]

    def value(measure: str, lan: str = frames.NATIONAL) -> float:
        return meas.measure_value(m, measure, period, lan)

    started = value("projects_started")
    structures = meas.started_structures(p2011)  # shares of started: counts of started
    rows: list[tuple[str, float, str, float | None]] = [
        ("Fördelade medel", value("allocated_sek"), "kr", None),
        ("Rekvirerade medel", value("requisitioned_sek"), "kr", None),
        ("Beviljat till startade projekt", value("granted_sek"), "kr", None),
        ("Länsstyrelsernas administration", value("administration_sek"), "kr", None),
        ("Återbetalas till Kammarkollegiet", value("repayment_sek"), "kr", None),
        ("Beviljade projekt", value("projects_granted"), "int", None),
    ]
    for measure in ("projects_started", "goal_met", "integration_done", "integration_plan",
                    "real_cooperation", "new_structures", "existing_structures",
                    "family_perspective", "finished", "ongoing"):
        count = structures.get(measure, value(measure))
        rows.append((meas.label(measure), count, "int", count / started if started else None))
    frame = pd.DataFrame(rows, columns=["Uppgift", "Värde", "kind", "Andel av startade"])
    kinds = {"Värde": "int", "Andel av startade": "share"}
    table = Table("nyckeltal", "Nyckeltal", f"Nyckeltal för {period.replace('-', '–')}",
                  frame.drop(columns="kind"), kinds)
    return table

WIDTH_CAP = 60
"""Widest column of ``tabeller.xlsx`` (characters); longer text wraps in it."""


def _cell_value(value: object, kind: str) -> object:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if kind == "text":
        return str(value)
    if kind == "bool":
        return YES if value else NO
    number = float(value)
    return int(number) if kind in ("int", "kr") and number.is_integer() else number


def write_xlsx(tables: list[Table], path: Path | str) -> Path:
    """One workbook, one sheet per table: caption in the first row, bold Swedish headers in
    the second, numbers as numbers with Excel number formats, text as text (never a formula),
    long text wrapped in columns at most :data:`WIDTH_CAP` wide with rows high enough to show
    it. Written atomically with fixed bytes (:mod:`samverkan.xlsx`)."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from samverkan import xlsx

    workbook = xlsx.workbook()
    used: set[str] = set()
    wrap = Alignment(wrap_text=True, vertical="top")
    for table in tables:
        sheet = workbook.create_sheet(xlsx.sheet_name(table.sheet, used))
        xlsx.set_text(sheet.cell(row=1, column=1), table.caption).font = Font(bold=True, size=12)
        kinds = [table.kind(c) for c in table.frame.columns]
        for index, column in enumerate(table.frame.columns, start=1):
            header = xlsx.set_text(sheet.cell(row=2, column=index), str(column))
            header.font, header.alignment = Font(bold=True), wrap
        for r, row in enumerate(table.frame.itertuples(index=False), start=3):
            for c, (value, kind) in enumerate(zip(row, kinds, strict=True), start=1):
                value = _cell_value(value, kind)
                cell = sheet.cell(row=r, column=c)
                if isinstance(value, str):
                    xlsx.set_text(cell, value)
                else:
                    cell.value = value
                if kind in EXCEL_FORMATS:
                    cell.number_format = EXCEL_FORMATS[kind]
        for index, (column, kind) in enumerate(zip(table.frame.columns, kinds, strict=True),
                                               start=1):
            width = max([len(str(column))] + [len(_format_value(v, kind))
                                              for v in table.frame[column]])
            sheet.column_dimensions[get_column_letter(index)].width = min(max(10, width + 2),
                                                                          WIDTH_CAP)
            if width + 2 > WIDTH_CAP:
                for (cell,) in sheet.iter_rows(min_row=3, min_col=index, max_col=index):
                    cell.alignment = wrap
        xlsx.fit_row_heights(sheet, min_row=2)
        xlsx.print_setup(sheet, "2:2")
        sheet.freeze_panes = "B3"
    return xlsx.save(workbook, path)


def export_csv(table: Table, directory: Path | str) -> Path:
    """``<name>.csv`` in the spreadsheet convention of :func:`samverkan.io.write_csv`: Swedish
    headers, numbers as numbers (whole numbers without decimals), ``Ja``/``Nej``."""
    frame = table.frame.copy()
    for column in frame.columns:
        kind = table.kind(column)
        if kind in ("int", "kr"):
            values = pd.to_numeric(frame[column])
            if (values.dropna() % 1 == 0).all():
                frame[column] = values.round().astype("Int64")
        elif kind == "bool":
            frame[column] = frame[column].map(
                lambda v: None if v is None or (not isinstance(v, str) and pd.isna(v))
                else YES if v else NO)
    return write_csv(Path(directory) / f"{table.name}.csv", frame)


def export_tables(p2011: frames.ProcessedLike, p2010: frames.ProcessedLike | None,
                  out_dir: Path | str | None = None) -> list[Path]:
    """Write every table of :func:`results_tables` as CSV and all of them as ``tabeller.xlsx``
    to ``out_dir`` (default ``data/processed/<round>/tables/``), atomically; return the paths."""
    directory = Path(out_dir) if out_dir is not None else (
        processed_dir(frames.report_round_of(p2011)) / "tables")
    tables = results_tables(p2011, p2010)
    paths = [export_csv(t, directory) for t in tables]
    paths.append(write_xlsx(tables, directory / "tabeller.xlsx"))
    return paths
