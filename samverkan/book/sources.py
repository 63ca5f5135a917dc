"""Where each table and chart of the book comes from: its source line ("Källa: …").

Every figure the book prints belongs to one class:

- :data:`PUBLISHED`: Rapport 2011:39 prints it and the pipeline reproduces it (the audit says
  which printed figures it reproduces: ``status == "match"`` in ``audit.csv``);
- :data:`OWN`: computed from a county's own files, and the report does not print it;
- :data:`RECONSTRUCTION`: it exists only because the generator made project rows, and the
  report does not print it.

What a table or chart *shows* is declared here once per label (:data:`DECLARED`: which of the
report's tables it reproduces, and what else it shows); which class its figures have is never
written by hand: it comes from the audit (how many printed figures of those tables the run
reproduces, for the whole country or for one county) and from
:func:`samverkan.provenance.county_sources` (whose files each county's figures were computed
from). Once a county's own files are in, its figures lose the reconstruction's mark; once all 21
are, no table says "rekonstruerat".

A table that shows both printed and reconstruction-only figures (a *mixed* table) declares
which of its cells reproduce printed figures (:class:`Cells`); :func:`marked` puts
:data:`MARK` after every other figure cell while its county's files are the reconstruction (a
national cell: while any county's are), and the table's source line then ends with the legend.
A county's files are judged per round: a figure of the partial report (2010) is the county's
own only when its 2010 files are.

The facts are computed once per run by the counties stage (:func:`facts`, written beside the
county slices as ``provenance.json``) and each notebook's tables and charts get their line from
:func:`source` (:func:`install` adds it under every labelled table and figure cell, and marks
the cells of the tables it shows).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from samverkan import provenance, registry, rounds

PUBLISHED = "publicerad"
OWN = "länets egna filer"
RECONSTRUCTION = "endast rekonstruktion"
"""The three classes of a figure."""

MARK = "ᴿ"
"""The visible mark of a reconstruction-only figure in running text (not colour alone)."""
MARK_LEGEND = (f"{MARK}\u00a0= siffran finns bara i det rekonstruerade underlaget, inte i "
               "Rapport 2011:39")

TABLE_NAMES: dict[str, str] = {
    "t1": "tabell 1", "t2": "tabell 2", "t3": "tabell 3", "t4": "tabell 4", "t5": "tabell 5",
    "t6": "tabell 6", "prose": "rapportens text",
}


FIXED_LINES: dict[str, str] = {
    "form": "Källa: blanketterna i Rapport 2011:39:s bilagor; rubrikerna och de godkända "
            "värdena ur programmets kodbok.",
    "program": "Källa: programmets kodbok och mappstruktur.",
}
"""Source lines of tables that hold no figures (kinds ``form`` and ``program``)."""


Figure = tuple[str, ...]
"""A figure a cell is computed from: ``(measure, period)`` of the cell's county (its row's, or
the profile's), or ``(measure, period, lan_code)`` of another (``"00"``: the country)."""


@dataclass(frozen=True)
class Cells:
    """Which cells of a table show figures that Rapport 2011:39 prints, for a table whose
    figures are partly the report's and partly not (a *mixed* table): every other figure cell
    is reconstruction-only while its county's files are the reconstruction, and carries
    :data:`MARK`.

    ``columns``: the rows are counties (their short names) and ``Riket``; a column named here
    holds, in each row, the figure computed from the figures listed (:data:`Figure`). A cell
    shows a printed figure when every figure it is computed from is printed and reproduced
    (the audit's ``match``) in one of the table's declared report tables; the periods also say
    which round's files a cell comes from (the partial report's span: the 2010 files).
    ``rows``: the table is one county's (a profile's); a row named here holds the figure
    ``measure`` of the period its column names (a year, or ``Totalt``: the round's span)."""

    columns: dict[str, tuple[Figure, ...]] = field(default_factory=dict)
    rows: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Declared:
    """What a table or chart shows: the report's tables whose printed figures it reproduces
    (``tables``), and what else it shows that the report does not print (``also``, Swedish,
    empty when nothing). ``kind`` is ``"figures"`` (figures computed from the submissions),
    ``"files"`` (facts about the submitted files themselves), ``"audit"`` (the report's
    printed figures against the computed ones), or one of :data:`FIXED_LINES` (no figures)."""

    tables: tuple[str, ...] = ()
    also: str = ""
    kind: str = "figures"
    national: bool = False
    """The table shows the country's figures only: only the report's national cells count."""
    partial: bool = False
    """The table also shows the partial report's figures (the round before's files)."""
    cells: Cells | None = None
    """For a mixed table, which of its cells show printed figures (:class:`Cells`)."""


ALLOCATED, REQUISITIONED = "allocated_sek", "requisitioned_sek"
SPAN = rounds.PERIOD_BY_ROUND[rounds.FINAL]
PARTIAL_SPAN = rounds.PERIOD_BY_ROUND[rounds.PARTIAL]
"""The measures and periods (of ``data/reference/published.csv``) the declarations name most."""

DECLARED: dict[str, Declared] = {
    # 04 Sammanfattning
    "tbl-nyckeltal": Declared(("t1", "t2", "t5", "t6", "prose"), national=True),
    # 05 Fördelning
    "tbl-medel": Declared(("t1", "t6"), "rekvirerade medel per län och nyttjandegrad", cells=Cells(
        {**{year: ((ALLOCATED, year),) for year in ("2008", "2009", "2010")},
         "Fördelat totalt": ((ALLOCATED, SPAN),), "Rekvirerat totalt": ((REQUISITIONED, SPAN),),
         "Nyttjandegrad": ((REQUISITIONED, SPAN), (ALLOCATED, SPAN))})),
    "fig-medel": Declared(("t1",)),
    "fig-nyttjande": Declared((), "rekvirerade medel per län"),
    "tbl-ekonomi": Declared(("t6", "prose"), "återbetalningen enligt länsstyrelsernas egna "
                                             "uppgifter", national=True, cells=Cells(rows={
        "Fördelade medel": ALLOCATED, "Rekvirerade medel": REQUISITIONED,
        "Beviljat till startade projekt": "granted_sek",
        "Länsstyrelsernas administration": "administration_sek",
        "Sammanlagda kostnader": "total_costs_sek",
        "Återbetalas (rekvirerat − kostnader)": "repayment_sek",
        "Återbetalas enligt länsstyrelsernas egna uppgifter": "reported_repayment_sek"})),
    "fig-ekonomi": Declared(("t6",)),
    "tbl-ekonomi-lan": Declared(("t1", "t6"), "rekvirerade och beviljade medel och "
                                               "administration per län", cells=Cells({
        "Fördelade medel": ((ALLOCATED, SPAN),), "Rekvirerade medel": ((REQUISITIONED, SPAN),),
        "Beviljat": (("granted_sek", SPAN),), "Administration": (("administration_sek", SPAN),),
        "Adm. andel": (("administration_share", SPAN),)})),
    "tbl-aterbetalning-lan": Declared(("t6", "prose"), "kostnader och återbetalning per län",
                                      cells=Cells({
        "Sammanlagda kostnader": (("total_costs_sek", SPAN),),
        "Återbetalning, beräknad": (("repayment_sek", SPAN),),
        "Återbetalning, länsstyrelsens uppgift": (("reported_repayment_sek", SPAN),)})),
    "fig-per-invanare": Declared(("t1",)),
    "tbl-per-invanare": Declared(("t1", "t2", "t6"), "nyttjandegrad och medel per projekt",
                                 cells=Cells({
        "Kr per invånare": ((ALLOCATED, SPAN),),
        "Projekt per 100 000 inv.": (("projects_granted", SPAN),),
        "Medelsandel / befolkningsandel": ((ALLOCATED, SPAN), (ALLOCATED, SPAN, "00")),
        "Nyttjandegrad": ((REQUISITIONED, SPAN), (ALLOCATED, SPAN)),
        "Kr per projekt": (("granted_sek", SPAN), ("projects_started", SPAN))})),
    # 02 Resultat
    "tbl-projekt": Declared(("t2",), "antal startade och ej startade projekt per län",
                            cells=Cells({  # each column's period says its round
        "Delredovisning 2010": (("projects_granted", PARTIAL_SPAN),),
        "Slutredovisning 2011": (("projects_granted", SPAN),),
        "Varav startade": (("projects_started", SPAN),),
        "Varav ej startade": (("projects_not_started", SPAN),),
        "Ny struktur": (("new_structures", SPAN),),
        "Befintlig utvecklas": (("existing_structures", SPAN),),
        "Utvärdering": (("evaluated_structures", SPAN),)})),
    "fig-projekt": Declared(("t2",), partial=True),
    "tbl-partner": Declared(("t3",)),
    "fig-partner": Declared(("t3",)),
    "tbl-malgrupper": Declared(("t4",)),
    "fig-malgrupper": Declared(("t4",)),
    "tbl-maluppfyllelse": Declared(("t5",)),
    "fig-tratt": Declared((), "stegen från avslutade till integrerade projekt"),
    "tbl-forandring": Declared(("t2", "t3", "t4", "t5"), national=True, partial=True),
    "fig-forandring": Declared(("t2", "t3", "t4", "t5"), national=True, partial=True),
    "tbl-status": Declared((), "projektens status vid de två redovisningarna", partial=True),
    "tbl-indikatorer": Declared((), "indikatorerna per län"),
    # 06 Exempel
    "tbl-exempel": Declared((), "projekten och deras svar"),
    # 03 Granskning
    "tbl-granskning-status": Declared(kind="audit"),
    "fig-granskning-status": Declared(kind="audit"),
    "tbl-granskning-regler": Declared(kind="audit"),
    "tbl-granskning-motsagelser": Declared(kind="audit"),
    "tbl-granskning-avvikelser": Declared(kind="audit"),
    "tbl-granskning-ej-beraknade": Declared(kind="audit"),
    # 01 Datakvalitet
    "tbl-datakvalitet-lan": Declared(kind="files"),
    "tbl-datakvalitet-orsaker": Declared(kind="files"),
    "tbl-datakvalitet-avvisade": Declared(kind="files"),
    "tbl-datakvalitet-bokforing": Declared(kind="files"),
    "tbl-datakvalitet-kodning": Declared(kind="files"),
    # the appendices written from the program's own description of the forms and files
    "tbl-blankett-del": Declared(kind="form"),
    "tbl-blankett-slut": Declared(kind="form"),
    "tbl-blankett-lst": Declared(kind="form"),
    "tbl-blankett-ovrigt": Declared(kind="form"),
    "tbl-om-berakningen-filer": Declared(kind="program"),
    "tbl-om-berakningen-projekt": Declared(kind="program"),
    "tbl-om-berakningen-medel": Declared(kind="program"),
    "tbl-om-berakningen-lansstyrelsen": Declared(kind="program"),
    # the county profiles (label + "-<länskod>")
    "tbl-medel-lan": Declared(("t1",), "rekvirerade och beviljade medel per år",
                              cells=Cells(rows={"Fördelade medel (kr)": ALLOCATED})),
    "fig-medel-lan": Declared(("t1",), "rekvirerade och beviljade medel per år"),
    "tbl-projekt-lan": Declared((), "länets projekt"),
    "tbl-partner-lan": Declared((), "länets kolumner (rikets är tabell 3)"),
    "tbl-malgrupp-lan": Declared((), "länets kolumner (rikets är tabell 4)"),
    "tbl-indikatorer-lan": Declared((), "länets indikatorer och rang"),
    "tbl-granskning-lan": Declared(kind="audit"),
    "tbl-filer-lan": Declared(kind="files"),
    "tbl-avvisade-lan": Declared(kind="files"),
    "tbl-kodning-lan": Declared(kind="files"),
}
"""Every table and chart label of the book (a county profile's labels end in ``-lan``
instead of the county code), with what it shows."""

_COUNTY_LABEL = re.compile(r"^(?P<base>(?:tbl|fig)-[\w-]+)-(?P<code>\d{2})$")


class UndeclaredLabel(KeyError):
    """A table or chart whose source is not declared in :data:`DECLARED`."""


def declared(label: str) -> tuple[Declared, str | None]:
    """The declaration of ``label`` and the county it belongs to (``None``: the whole country)."""
    match = _COUNTY_LABEL.match(label)
    if match and f"{match['base']}-lan" in DECLARED:
        return DECLARED[f"{match['base']}-lan"], match["code"]
    if label not in DECLARED:
        raise UndeclaredLabel(f"{label}: add what it shows to samverkan.book.sources.DECLARED")
    return DECLARED[label], None


# ------------------------------------------------------------------------------------ the facts


def facts(audit: pd.DataFrame, published: pd.DataFrame,
          sources: Mapping[int, Mapping[str, str]], report_round: int) -> dict:
    """What the source lines and the marks are made from, for the book of ``report_round``:
    per report table (``t1`` … ``prose``) and county code (``"00"`` for the country's
    figures), how many figures the report prints and how many of them the run reproduces
    (``printed``); the printed figures it reproduces, as ``lan_code:measure:period`` per table
    (``reproduced``: the audit's ``match``); and each county's source per round
    (:func:`provenance.county_sources` of every round up to ``report_round``: a figure of the
    partial report is the county's own only when its files of that round are)."""
    merged = published.merge(audit[["key", "status"]], on="key", how="left")
    merged["lan_code"] = merged["lan_code"].fillna("").replace("", "00")
    counts: dict[str, dict[str, list[int]]] = {}
    for (table, lan), rows in merged.groupby(["table", "lan_code"], sort=True):
        counts.setdefault(str(table), {})[str(lan)] = [int((rows["status"] == "match").sum()),
                                                       len(rows)]
    reproduced: dict[str, list[str]] = {}
    if {"measure", "period"} <= set(merged.columns):
        match = merged[merged["status"] == "match"]
        for table, rows in match.groupby("table", sort=True):
            reproduced[str(table)] = sorted({_figure_key(lan, m, p) for lan, m, p in zip(
                rows["lan_code"], rows["measure"], rows["period"].fillna(""), strict=True)})
    return {"printed": counts, "reproduced": reproduced, "round": str(report_round),
            "sources": {str(r): dict(sorted(sources[r].items()))
                        for r in sorted(sources) if r <= report_round}}


def _figure_key(lan_code: str, measure: str, period: str) -> str:
    return f"{lan_code}:{measure}:{period}"


def facts_json(data: dict) -> str:
    """:func:`facts` as JSON text (the same facts give the same bytes)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


# ------------------------------------------------------------------------------ the classes


def _reproduced(decl: Declared, data: dict, lan_code: str | None) -> tuple[int, int]:
    """Printed figures of the declared tables (all, or one county's) and how many are
    reproduced: ``(reproduced, printed)``."""
    done = printed = 0
    wanted = "00" if decl.national else lan_code
    for table in decl.tables:
        per_lan = data["printed"].get(table, {})
        for lan, (match, total) in per_lan.items():
            if wanted is None or lan == wanted:
                done, printed = done + match, printed + total
    return done, printed


def _rounds(data: dict, partial: bool = False) -> list[str]:
    """The rounds whose files a table's figures come from: the book's, and with ``partial``
    the ones before it too (the partial report's figures)."""
    return [r for r in data["sources"] if r == data["round"] or (partial and r < data["round"])]


def county_source(data: dict, lan_code: str, rounds_: list[str] | None = None) -> str:
    """A county's source for figures of ``rounds_`` (default: the book's round): the
    reconstruction when its files of any of them are, else its own when any are."""
    found = {data["sources"].get(r, {}).get(lan_code, provenance.MISSING)
             for r in (rounds_ or [data["round"]])}
    for source in (provenance.RECONSTRUCTED, provenance.OWN):
        if source in found:
            return source
    return provenance.MISSING


def _underlag(data: dict, lan_code: str | None, rounds_: list[str] | None = None
              ) -> tuple[str, str]:
    """The class of figures that the report does not print, and the words for their source."""
    if lan_code is not None:
        if county_source(data, lan_code, rounds_) == provenance.RECONSTRUCTED:
            return RECONSTRUCTION, "rekonstruerat underlag"
        return OWN, "länsstyrelsens egna filer"
    every = sorted({c for r in (rounds_ or [data["round"]]) for c in data["sources"].get(r, {})})
    of = {c: county_source(data, c, rounds_) for c in every}
    reconstructed = [c for c, s in of.items() if s == provenance.RECONSTRUCTED]
    own = [c for c, s in of.items() if s == provenance.OWN]
    if not reconstructed:
        return OWN, "länsstyrelsernas egna filer"
    if not own:
        return RECONSTRUCTION, "rekonstruerat underlag"
    names = ", ".join(registry.county_name(c, form="short") for c in own)
    return RECONSTRUCTION, (f"egna filer från {names}, rekonstruerat underlag för övriga "
                            f"{len(reconstructed)} län")


@dataclass(frozen=True)
class Source:
    """A table's or chart's classes (one or two) and its Swedish source line."""

    classes: tuple[str, ...]
    line: str

    @property
    def reconstruction_only(self) -> bool:
        """True when some figure in it exists only in the reconstruction."""
        return RECONSTRUCTION in self.classes


def _table_list(tables: list[str]) -> str:
    """``tabell 2``, ``tabell 1, 2, 5 och 6 och rapportens text``."""
    numbers = [t[1:] for t in tables if t != "prose"]
    parts = []
    if numbers:
        words = numbers[0] if len(numbers) == 1 else f"{', '.join(numbers[:-1])} och {numbers[-1]}"
        parts.append(f"tabell {words}")
    if "prose" in tables:
        parts.append(TABLE_NAMES["prose"])
    return " och ".join(parts)


def source(label: str, data: dict) -> Source:
    """The source of the table or chart ``label`` from the run's :func:`facts`."""
    decl, lan_code = declared(label)
    if decl.kind in FIXED_LINES:  # no figures: the forms and the program's own files
        return Source((), FIXED_LINES[decl.kind])
    rest_class, underlag = _underlag(data, lan_code, _rounds(data, decl.partial))
    if decl.kind == "audit":
        return Source((PUBLISHED,), "Källa: Rapport 2011:39 (de tryckta siffrorna) och "
                                    f"beräkningen ur underlaget ({underlag}).")
    if decl.kind == "files":
        return Source((rest_class,), f"Källa: de inlämnade filerna ({underlag}).")
    done, printed = _reproduced(decl, data, lan_code)
    parts, classes = [], []
    if done:
        which = _table_list([t for t in decl.tables
                             if _reproduced(Declared((t,), national=decl.national), data,
                                            lan_code)[0]])
        county = "" if lan_code is None else ", länets rad"
        parts.append(f"Rapport 2011:39, {which}{county}; beräknad ur underlaget "
                     f"({done} av {printed} tryckta siffror återskapas)")
        classes.append(PUBLISHED)
    if decl.also or not done:
        what = decl.also or "siffrorna"
        parts.append(f"{what}: {underlag}; finns inte i Rapport 2011:39")
        classes.append(rest_class)
    line = "Källa: " + ". ".join(p[0].upper() + p[1:] for p in parts) + "."
    if classes[-1] == RECONSTRUCTION:
        line += f" ({MARK})"
    return Source(tuple(classes), line)


_FIGURE = re.compile(r"\d")
"""A shown cell that holds a figure (a dash or a name holds none)."""


@functools.cache
def _county_codes_by_name() -> dict[str, str]:
    from samverkan.results import frames

    return {frames.county_name(c): c for c in (*registry.county_codes(), frames.NATIONAL)}


def _row_county(head: str) -> str | None:
    """The county code of a county table's row (its short name; ``Riket``: ``"00"``)."""
    return _county_codes_by_name().get(head)


def cell_figures(cells: Cells, head: str, column: str, lan_code: str | None, data: dict
                 ) -> tuple[str, tuple[tuple[str, str, str], ...]] | None:
    """The county of one shown cell (``"00"``: the country) and the figures it is computed
    from, as ``(lan_code, measure, period)`` (empty: a figure the report does not print);
    ``None`` for a row that is not a county's (a table by county) or not a figure."""
    if cells.columns:
        lan = _row_county(head)
        if lan is None:
            return None
        return lan, tuple((f[2] if len(f) > 2 else lan, f[0], f[1])
                          for f in cells.columns.get(column, ()))
    lan = lan_code or "00"
    period = column if column in rounds.PERIOD_YEARS else rounds.PERIOD_BY_ROUND[
        int(data["round"])]
    measure = cells.rows.get(head)
    return lan, ((lan, measure, period),) if measure else ()


def reproduced_figures(decl: Declared, data: dict) -> frozenset[str]:
    """The printed figures of the report tables ``decl`` declares that the run reproduces
    (``lan_code:measure:period``, the audit's ``match``)."""
    return frozenset(k for t in decl.tables for k in data.get("reproduced", {}).get(t, ()))


def reconstruction_only(figures: tuple[tuple[str, str, str], ...], lan: str, partial: bool,
                        data: dict, reproduced: frozenset[str]) -> bool:
    """True when a cell of county ``lan`` computed from ``figures`` (:func:`cell_figures`)
    shows a figure that only the reconstruction gives: not every figure it is computed from is
    among the ``reproduced`` ones (:func:`reproduced_figures`), and the county's files of the
    figures' round (the partial report's span: the round before; the book's otherwise;
    unknown: every round the table shows) are the reconstruction (the country's: any
    county's)."""
    if figures and all(_figure_key(*f) in reproduced for f in figures):
        return False
    periods = {f[2] for f in figures}
    partial_rounds = [r for r in data["sources"] if r < data["round"]]
    if periods and periods <= {PARTIAL_SPAN} and partial_rounds:
        rounds_ = partial_rounds
    elif periods:
        rounds_ = [data["round"]]
    else:
        rounds_ = _rounds(data, partial)
    return _underlag(data, None if lan == "00" else lan, rounds_)[0] == RECONSTRUCTION


def marked(frame: pd.DataFrame, label: str, data: dict) -> tuple[pd.DataFrame, int]:
    """A shown table (Swedish text, indexed by its first column) with :data:`MARK` after
    every reconstruction-only figure (:func:`reconstruction_only`), and how many it marked.
    Only a mixed table (declared with :class:`Cells`) marks cells; the source line of a table
    whose figures are all reconstruction-only carries the mark for the whole table. The
    exported tables are never marked: only what the book shows."""
    decl, lan_code = declared(label)
    if decl.cells is None:
        return frame, 0
    reproduced = reproduced_figures(decl, data)
    out = frame.copy()
    count = 0
    for r, head in enumerate(frame.index):
        for c, column in enumerate(frame.columns):
            value = frame.iat[r, c]
            if not isinstance(value, str) or not _FIGURE.search(value):
                continue
            found = cell_figures(decl.cells, str(head), str(column), lan_code, data)
            if found and reconstruction_only(found[1], found[0], decl.partial, data,
                                             reproduced):
                out.iat[r, c] = value + MARK
                count += 1
    return out, count


def table_line(label: str, data: dict, marks: int) -> str:
    """The source line under a table that shows ``marks`` marked cells: with the legend of
    the mark (once) when it shows any."""
    line = source(label, data).line
    return f"{line} {MARK_LEGEND}." if marks else line


def mark(value: str, data: dict, lan_code: str | None = None,
         report_round: int | None = None) -> str:
    """``value`` with the reconstruction's mark when figures of the whole country
    (``lan_code`` None) or of the county in ``report_round`` (default: the book's round) come
    from reconstructed files."""
    return value + MARK if reconstructed(data, lan_code, report_round) else value


def mark_unless_reproduced(value: str, data: dict, lan_code: str, measure: str, period: str
                           ) -> str:
    """``value``, a figure of the county (``"00"``: the country) that the report may print,
    with the reconstruction's mark unless the run reproduces the printed figure (the audit's
    record) or the county's files are its own."""
    reproduced = {k for keys in data.get("reproduced", {}).values() for k in keys}
    if _figure_key(lan_code, measure, period) in reproduced:
        return value
    return mark(value, data, None if lan_code == "00" else lan_code)


def mark_any(value: str, data: dict, lan_codes: list[str]) -> str:
    """``value`` with the reconstruction's mark when any of the counties ``lan_codes`` (that
    share the value, e.g. tied at the top) has the reconstruction's files: a figure that a
    county's own files give loses the mark only when no reconstructed county gives it too."""
    return value + MARK if any(reconstructed(data, c) for c in lan_codes) else value


def county_facts(data: dict, lan_code: str) -> dict:
    """The part of :func:`facts` one county's profile needs (its own cells and sources only),
    so that another county's files do not change this county's slice."""
    prefix = f"{lan_code}:"
    return {"printed": {table: {lan: counts for lan, counts in per_lan.items() if lan == lan_code}
                        for table, per_lan in data["printed"].items()},
            "reproduced": {table: [k for k in keys if k.startswith(prefix)]
                           for table, keys in data.get("reproduced", {}).items()},
            "round": data["round"],
            "sources": {r: {lan_code: per_round.get(lan_code, provenance.MISSING)}
                        for r, per_round in data["sources"].items()}}


# ------------------------------------------------------------------------- in the notebooks

_LABEL = re.compile(r"^#\|\s*label:\s*(\S+)\s*$", re.MULTILINE)


def cell_label(source: str, namespace: dict[str, Any]) -> str | None:
    """The ``#| label:`` of a cell's source with ``{lan_code}`` filled in, or ``None``: the
    county code of the profile the notebook read (its ``report``), else the ``lan_code``
    parameter. papermill's command line reads ``-p lan_code 03`` as the number 3, which the
    profile has already turned into "03"."""
    match = _LABEL.search(source)
    if not match:
        return None
    code = getattr(namespace.get("report"), "lan_code", None) or namespace.get("lan_code", "")
    return match.group(1).replace("{lan_code}", str(code))


def notebook_facts(namespace: dict[str, Any]) -> dict:
    """The source facts a notebook's tables use: a county profile's from its slice (the
    ``report`` it read), a national chapter's from ``provenance.json`` of its ``report_round``."""
    report = namespace.get("report")
    if report is not None and hasattr(report, "provenance"):
        return report.provenance
    from samverkan.pipeline import artefacts
    from samverkan.results.county import facts_path

    artefacts.require_current(f"counties_{namespace['report_round']}")
    return json.loads(facts_path(int(namespace["report_round"])).read_text(encoding="utf-8"))


def install(shell: Any, html: Callable[[pd.DataFrame], str]) -> None:
    """Show the source line under every labelled table and figure of a notebook, as Markdown,
    and every DataFrame as ``html`` makes it, with the reconstruction's mark in a mixed
    table's reconstruction-only cells (:func:`marked`; the legend then ends the table's source
    line). A table's line follows the table in its own cell (a table cell that shows nothing
    gets none). A figure cell must show its image alone (Quarto makes every further output a
    sub-figure), so a figure's line opens the next code cell, which must be the figure's
    unlabelled description cell (``tests/test_sources.py`` keeps the notebooks so)."""
    from IPython.display import Markdown, display

    pending: list[str] = []
    running: dict[str, Any] = {"label": None, "marks": 0, "facts": None}

    def facts() -> dict:
        """The notebook's source facts, read and checked current once per cell (the check
        hashes what the counties stage read: 50 ms, for every table shown twice)."""
        if running["facts"] is None:
            running["facts"] = notebook_facts(shell.user_ns)
        return running["facts"]

    def before(info: Any) -> None:
        running["facts"] = None
        if pending:
            label = pending.pop()
            display(Markdown(source(label, facts()).line))
        running["label"] = cell_label(getattr(info, "raw_cell", "") or "", shell.user_ns)
        running["marks"] = 0

    def frame_html(frame: pd.DataFrame) -> str:
        label = running["label"]
        if label and label.startswith("tbl-"):
            frame, running["marks"] = marked(frame, label, facts())
        return html(frame)

    def after(result: Any) -> None:
        label = cell_label(result.info.raw_cell or "", shell.user_ns)
        running["label"] = None
        if not label or result.error_in_exec is not None:
            return
        if label.startswith("fig-"):
            pending[:] = [label]
            return
        if result.result is None:
            return
        display(Markdown(table_line(label, facts(), running["marks"])))

    shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, frame_html)
    for event, hook in (("pre_run_cell", before), ("post_run_cell", after)):
        for old in [h for h in shell.events.callbacks[event]
                    if getattr(h, "__module__", "") == __name__]:
            shell.events.unregister(event, old)
        shell.events.register(event, hook)


def reconstructed(data: dict, lan_code: str | None = None, report_round: int | None = None
                  ) -> bool:
    """True while the figures of the whole country (``lan_code`` None: any county) or of the
    county in ``report_round`` (default: the book's round) come from the reconstruction."""
    rounds_ = None if report_round is None else [str(report_round)]
    return _underlag(data, lan_code, rounds_)[0] == RECONSTRUCTION
