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

The facts are computed once per run by the counties stage (:func:`facts`, written beside the
county slices as ``provenance.json``) and each notebook's tables and charts get their line from
:func:`source_line` (:func:`install` adds it under every labelled table and figure cell).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from samverkan import provenance, registry

PUBLISHED = "publicerad"
OWN = "länets egna filer"
RECONSTRUCTION = "endast rekonstruktion"
"""The three classes of a figure."""

MARK = "ᴿ"
"""The visible mark of a reconstruction-only figure in running text (not colour alone)."""
MARK_LEGEND = (f"{MARK} = siffran finns bara i det rekonstruerade underlaget, inte i "
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


DECLARED: dict[str, Declared] = {
    # 04 Sammanfattning
    "tbl-nyckeltal": Declared(("t1", "t2", "t5", "t6", "prose"), national=True),
    # 05 Fördelning
    "tbl-medel": Declared(("t1",), "rekvirerade medel per län och nyttjandegrad"),
    "fig-medel": Declared(("t1",)),
    "fig-nyttjande": Declared((), "rekvirerade medel per län"),
    "tbl-ekonomi": Declared(("t6", "prose"), national=True),
    "fig-ekonomi": Declared(("t6",)),
    "tbl-ekonomi-lan": Declared(("t1",), "rekvirerade och beviljade medel och administration "
                                         "per län"),
    "tbl-aterbetalning-lan": Declared((), "kostnader och återbetalning per län"),
    "fig-per-invanare": Declared(("t1",)),
    "tbl-per-invanare": Declared(("t1", "t2"), "nyttjandegrad och medel per projekt"),
    # 02 Resultat
    "tbl-projekt": Declared(("t2",)),
    "fig-projekt": Declared(("t2",)),
    "tbl-partner": Declared(("t3",)),
    "fig-partner": Declared(("t3",)),
    "tbl-malgrupper": Declared(("t4",)),
    "fig-malgrupper": Declared(("t4",)),
    "tbl-maluppfyllelse": Declared(("t5",)),
    "fig-tratt": Declared((), "stegen från avslutade till integrerade projekt"),
    "tbl-forandring": Declared(("t2", "t3", "t4", "t5"), national=True),
    "fig-forandring": Declared(("t2", "t3", "t4", "t5"), national=True),
    "tbl-status": Declared((), "projektens status vid de två redovisningarna"),
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
    "tbl-medel-lan": Declared(("t1",), "rekvirerade och beviljade medel per år"),
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


def facts(audit: pd.DataFrame, published: pd.DataFrame, sources: dict[str, str]) -> dict:
    """What the source lines are made from: per report table (``t1`` … ``prose``) and county
    code (``"00"`` for the country's figures), how many figures the report prints and how many
    of them the run reproduces; and each county's source (:func:`provenance.county_sources`)."""
    merged = published[["key", "table", "lan_code"]].merge(audit[["key", "status"]], on="key",
                                                           how="left")
    merged["lan_code"] = merged["lan_code"].fillna("").replace("", "00")
    counts: dict[str, dict[str, list[int]]] = {}
    for (table, lan), rows in merged.groupby(["table", "lan_code"], sort=True):
        counts.setdefault(str(table), {})[str(lan)] = [int((rows["status"] == "match").sum()),
                                                       len(rows)]
    return {"printed": counts, "sources": dict(sorted(sources.items()))}


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


def _underlag(data: dict, lan_code: str | None) -> tuple[str, str]:
    """The class of figures that the report does not print, and the words for their source."""
    sources = data["sources"]
    if lan_code is not None:
        if sources.get(lan_code) == provenance.RECONSTRUCTED:
            return RECONSTRUCTION, "rekonstruerat underlag"
        return OWN, "länsstyrelsens egna filer"
    reconstructed = [c for c, s in sources.items() if s == provenance.RECONSTRUCTED]
    own = [c for c, s in sources.items() if s == provenance.OWN]
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
    rest_class, underlag = _underlag(data, lan_code)
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


def mark(value: str, data: dict, lan_code: str | None = None) -> str:
    """``value`` with the reconstruction's mark when figures of the whole country
    (``lan_code`` None) or of the county come from reconstructed files."""
    return value + MARK if reconstructed(data, lan_code) else value


def mark_any(value: str, data: dict, lan_codes: list[str]) -> str:
    """``value`` with the reconstruction's mark when any of the counties ``lan_codes`` (that
    share the value, e.g. tied at the top) has the reconstruction's files: a figure that a
    county's own files give loses the mark only when no reconstructed county gives it too."""
    return value + MARK if any(reconstructed(data, c) for c in lan_codes) else value


def county_facts(data: dict, lan_code: str) -> dict:
    """The part of :func:`facts` one county's profile needs (its own cells and source only),
    so that another county's files do not change this county's slice."""
    return {"printed": {table: {lan: counts for lan, counts in per_lan.items() if lan == lan_code}
                        for table, per_lan in data["printed"].items()},
            "sources": {lan_code: data["sources"].get(lan_code, provenance.MISSING)}}


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


def install(shell: Any) -> None:
    """Show the source line under every labelled table and figure of a notebook, as Markdown.
    A table's line follows the table in its own cell (a table cell that shows nothing gets
    none). A figure cell must show its image alone (Quarto makes every further output a
    sub-figure), so a figure's line opens the next code cell, which must be the figure's
    unlabelled description cell (``tests/test_sources.py`` keeps the notebooks so)."""
    from IPython.display import Markdown, display

    pending: list[str] = []

    def before(info: Any) -> None:
        if pending:
            label = pending.pop()
            display(Markdown(source(label, notebook_facts(shell.user_ns)).line))

    def after(result: Any) -> None:
        label = cell_label(result.info.raw_cell or "", shell.user_ns)
        if not label or result.error_in_exec is not None:
            return
        if label.startswith("fig-"):
            pending[:] = [label]
            return
        if result.result is None:
            return
        display(Markdown(source(label, notebook_facts(shell.user_ns)).line))

    for event, hook in (("pre_run_cell", before), ("post_run_cell", after)):
        for old in [h for h in shell.events.callbacks[event]
                    if getattr(h, "__module__", "") == __name__]:
            shell.events.unregister(event, old)
        shell.events.register(event, hook)


def reconstructed(data: dict, lan_code: str | None = None) -> bool:
    """True while the figures of the whole country (``lan_code`` None: any county) or of the
    county come from the reconstruction."""
    return _underlag(data, lan_code)[0] == RECONSTRUCTION


# ------------------------------------------------------------------- counting the marks


_MARKED_FIGURE = re.compile(rf"[^\s(]{MARK}")
_MARKED_SOURCE = f"({MARK})"


def marks_per_chapter(html: str) -> dict[str, dict[str, int]]:
    """How many reconstruction-only figures each chapter of a rendered HTML book (or county
    report) marks: per top-level heading (``<h1>`` text, in order), ``figures`` = figures in
    running text and in labels that carry :data:`MARK` right after them (``6ᴿ``,
    ``74,6 %ᴿ``, ``3 projektᴿ``), ``tables`` = tables and charts whose source line ends in
    ``(ᴿ)``, ``labels`` = any other mark (an example labelled an invented illustration); the
    legend's own mark (``ᴿ = …``) is not counted."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    counts: dict[str, dict[str, int]] = {}
    chapter = ""
    for node in (soup.find("main") or soup.body or soup).descendants:
        if getattr(node, "name", None) == "h1":
            chapter = " ".join(node.get_text(" ").split())
            counts.setdefault(chapter, {"figures": 0, "tables": 0, "labels": 0})
            continue
        if not isinstance(node, str) or MARK not in node or not chapter:
            continue
        if node.find_parent("h1") is not None:
            continue
        text = " ".join(node.split())
        tables = text.count(_MARKED_SOURCE)
        figures = len(_MARKED_FIGURE.findall(text.replace(_MARKED_SOURCE, "")))
        legends = len(re.findall(rf"(?:^|\s){MARK} =", text))
        counts[chapter]["tables"] += tables
        counts[chapter]["figures"] += figures
        counts[chapter]["labels"] += text.count(MARK) - tables - figures - legends
    return counts
