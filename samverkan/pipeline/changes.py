"""What changed: the figures a run moved since the last complete run, and the county reports
whose content changed.

"Ran" is not "changed": a stage reruns when its inputs changed, yet most of what it writes may
be what it wrote before. After every run this module compares the round's figures — every
exported table (``data/processed/<round>/tables/*.csv``: the book's tables and indicators,
national and per county), the audit (``audit.csv``) and each county's slice (``counties/*.json``:
everything a county report shows) — with the copy kept from the last complete run
(``report/_generated/.last-complete/<round>/``), and writes

- ``report/_generated/logs/changes.csv``: one row per moved figure (figure, county, row, column,
  old → new), for a cron mail to attach;
- ``andringar.html`` beside the round's book (``_book/andringar.html``): the same, readable;
- ``report/_generated/logs/changed-counties.txt``: the county codes whose report content changed
  (its slice, or the county notebook's cells), one a line: what the README's mail recipe reads;
- a few lines at the end of the run's summary (:func:`changes_text`).

A complete run (every stage ran or was up to date) becomes the new basis of comparison; a run
with a failed stage is compared but does not replace it. Standard library only, and figure
files whose bytes did not change are not parsed: the no-change path stays fast.
"""

from __future__ import annotations

import csv
import html
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from samverkan.paths import generated_dir, project_root
from samverkan.pipeline import cache, stages
from samverkan.registry import county_codes

COLUMNS = ("figure", "county", "row", "column", "old", "new")
CHANGES_CSV = "changes.csv"
CHANGED_COUNTIES = "changed-counties.txt"
COUNTY_NOTEBOOK = "notebooks/county.ipynb"
NATIONAL = "Riket"


@dataclass(frozen=True)
class Change:
    """One figure that moved (``old`` or ``new`` empty: the row or figure is new or gone)."""

    figure: str
    county: str
    row: str
    column: str
    old: str
    new: str


@dataclass
class ChangeReport:
    """The figures that moved and the counties whose report content changed."""

    report_round: int
    basis: str
    """When the run compared with finished (``""``: there was none)."""
    changes: list[Change]
    counties: list[str]


def snapshot_dir(report_round: int, root: Path | None = None) -> Path:
    """The last complete run's figures (hidden: never an input of a stage)."""
    return (root or project_root()) / "report" / "_generated" / ".last-complete" / str(
        report_round)


def figure_files(report_round: int, root: Path) -> dict[str, Path]:
    """The round's figure files, ``{path relative to the round's folder: path}``."""
    base = root / stages.processed(report_round)
    found = [*cache.tree_files(base / "tables", suffixes=(".csv",)),
             *([base / "audit.csv"] if (base / "audit.csv").is_file() else []),
             *cache.tree_files(base / "counties", suffixes=(".json",))]
    return {p.relative_to(base).as_posix(): p for p in found}


# ------------------------------------------------------------------------------ comparing


def _csv_rows(path: Path | None) -> tuple[list[str], list[list[str]]]:
    if path is None or not path.is_file():
        return [], []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    return (rows[0], rows[1:]) if rows else ([], [])


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ".").replace("\N{NO-BREAK SPACE}", ""))
    except ValueError:
        return False
    return True


def _key_width(rows: list[list[str]]) -> int:
    """How many leading columns name a row: those with no number in any row (at least 1)."""
    width = min((len(r) for r in rows), default=1)
    n = 0
    while n < width and not any(_is_number(r[n]) for r in rows if r[n]):
        n += 1
    return max(n, 1)


def compare_table(figure: str, old: Path | None, new: Path | None) -> list[Change]:
    """The cells of a CSV table that differ, rows matched by their leading text columns."""
    head_old, rows_old = _csv_rows(old)
    head_new, rows_new = _csv_rows(new)
    width = _key_width(rows_new or rows_old)
    county_column = (head_new or head_old)[:1] == ["Län"]

    def keyed(head: list[str], rows: list[list[str]]) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for row in rows:
            key = " / ".join(row[:width])
            while key in out:  # a repeated name: keep both rows
                key += " (igen)"
            out[key] = dict(zip(head[width:], row[width:], strict=False))
        return out

    before, after = keyed(head_old, rows_old), keyed(head_new, rows_new)
    changes = []
    for key in [*after, *(k for k in before if k not in after)]:
        a, b = before.get(key, {}), after.get(key, {})
        county = key.split(" / ")[0] if county_column else NATIONAL
        for column in [*b, *(c for c in a if c not in b)]:
            if a.get(column, "") != b.get(column, ""):
                changes.append(Change(figure, county, key, column, a.get(column, ""),
                                      b.get(column, "")))
    return changes


def _leaves(value: object, path: str = "") -> dict[str, str]:
    if isinstance(value, dict):
        return {k: v for key, item in value.items()
                for k, v in _leaves(item, f"{path}.{key}" if path else str(key)).items()}
    if isinstance(value, list):
        return {k: v for i, item in enumerate(value)
                for k, v in _leaves(item, f"{path}[{i + 1}]").items()}
    return {path: "" if value is None else str(value)}


def _slice_values(payload: object) -> dict[tuple[str, str, str], str]:
    """A county slice's values by (part, row, column): a table part (``indicators``, ``funds``
    …, stored as index, columns and data) cell by cell under its row and column labels, any
    other part by its key path (``facts.granted_sek``) with no column."""
    out: dict[tuple[str, str, str], str] = {}
    if not isinstance(payload, dict):  # not a profile's slice: its values by position
        return {("", path, ""): leaf for path, leaf in _leaves(payload).items()}
    for part, value in payload.items():
        if isinstance(value, dict) and {"index", "columns", "data"} <= value.keys():
            for label, row in zip(value["index"], value["data"], strict=False):
                for column, cell in zip(value["columns"], row, strict=False):
                    key = (str(part), str(label), str(column))
                    while key in out:  # a repeated row label: keep both rows
                        key = (key[0], key[1] + " (igen)", key[2])
                    out[key] = "" if cell is None else str(cell)
        else:
            for path, leaf in _leaves(value, str(part)).items():
                out[(str(part), path, "")] = leaf
    return out


def compare_slice(figure: str, old: Path | None, new: Path | None) -> list[Change]:
    """The values of a county's slice that differ: ``counties/03.json: indicators``, row
    ``Andel … (%)``, column ``Länet``; or ``counties/03.json: facts``, row
    ``facts.granted_sek``."""
    def read(path: Path | None) -> dict[tuple[str, str, str], str]:
        if path is None or not path.is_file():
            return {}
        try:
            return _slice_values(json.loads(path.read_text(encoding="utf-8")))
        except ValueError:
            return {}

    a, b = read(old), read(new)
    county = Path(figure).stem
    return [Change(f"{figure}: {part}" if part else figure, county, row, column,
                   a.get(key, ""), b.get(key, ""))
            for key in [*b, *(k for k in a if k not in b)] if a.get(key, "") != b.get(key, "")
            for part, row, column in [key]]


def compare(report_round: int, root: Path | None = None) -> ChangeReport:
    """The round's figures now against the last complete run's."""
    root = root or project_root()
    snap = snapshot_dir(report_round, root)
    meta = _meta(snap)
    now = figure_files(report_round, root)
    if not meta:
        return ChangeReport(report_round, "", [], [])
    before = {rel: snap / rel for rel in meta.get("files", {})}
    changes: list[Change] = []
    counties: set[str] = set()
    for rel in sorted(set(now) | set(before)):
        new, old = now.get(rel), before.get(rel)
        if new is not None and old is not None and \
                cache.file_digest(new) == meta["files"][rel]:
            continue
        found = (compare_slice(rel, old, new) if rel.endswith(".json")
                 else compare_table(Path(rel).stem, old, new))
        changes += found
        if found and slice_county(rel):
            counties.add(slice_county(rel))
    if meta.get("county_notebook") != _county_notebook(root):
        counties |= {slice_county(rel) for rel in now if slice_county(rel)}
    return ChangeReport(report_round, str(meta.get("finished", "")), changes, sorted(counties))


def slice_county(rel: str) -> str:
    """The county code of a county slice (``counties/08.json`` → ``08``); ``""`` for any other
    figure file, such as the source facts ``counties/provenance.json`` beside the slices, which
    is no county's report."""
    path = Path(rel)
    if path.parent.as_posix() == "counties" and path.stem in county_codes():
        return path.stem
    return ""


def _meta(snap: Path) -> dict:
    try:
        return json.loads((snap / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _county_notebook(root: Path) -> str:
    path = root / COUNTY_NOTEBOOK
    return cache.notebook_digest(path) if path.is_file() else ""


def keep_as_basis(report_round: int, finished: str, root: Path | None = None) -> None:
    """Make the round's figures now the basis the next runs compare with (after a complete
    run): copied into a new folder, then swapped in."""
    root = root or project_root()
    snap = snapshot_dir(report_round, root)
    files = figure_files(report_round, root)
    fresh = snap.with_name(f"{snap.name}.new")
    shutil.rmtree(fresh, ignore_errors=True)
    digests = {}
    for rel, path in files.items():
        target = fresh / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        digests[rel] = cache.file_digest(target)
    meta = {"finished": finished, "files": digests, "county_notebook": _county_notebook(root)}
    fresh.mkdir(parents=True, exist_ok=True)
    (fresh / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    old = snap.with_name(f"{snap.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if snap.exists():
        snap.rename(old)
    fresh.rename(snap)
    shutil.rmtree(old, ignore_errors=True)


# -------------------------------------------------------------------------------- telling it


def changes_text(report: ChangeReport, shown: int = 5) -> str:
    """The summary's closing lines."""
    if not report.basis:
        return ("CHANGES: no earlier complete run of this round to compare with; this run's "
                "figures are the basis of the next change report.")
    head = f"CHANGES since the last complete run ({report.basis}): "
    if not report.changes:
        return head + "no figure moved, and no county report's content changed."
    figures = sorted({c.figure for c in report.changes})
    lines = [head + f"{len(report.changes)} figures moved in {len(figures)} tables or "
             f"slices ({', '.join(figures[:6])}{' …' if len(figures) > 6 else ''})."]
    for c in report.changes[:shown]:
        lines.append(f"  {c.figure}, {c.row}, {c.column}: {c.old or '–'} → {c.new or '–'}")
    if len(report.changes) > shown:
        lines.append(f"  … and {len(report.changes) - shown} more in "
                     f"report/_generated/logs/{CHANGES_CSV}")
    lines.append("County reports whose content changed: "
                 + (", ".join(report.counties) if report.counties else "none")
                 + f" (report/_generated/logs/{CHANGED_COUNTIES}).")
    return "\n".join(lines)


def changes_page(report: ChangeReport) -> str:
    """A self-contained Swedish HTML page of the changes (every value escaped: county text is
    data, never markup)."""
    e = html.escape
    if not report.basis:
        body = "<p>Det finns ingen tidigare fullständig körning att jämföra med.</p>"
    elif not report.changes:
        body = (f"<p>Inga siffror har ändrats sedan den senaste fullständiga körningen "
                f"({e(report.basis)}).</p>")
    else:
        rows = "\n".join(
            f"<tr><td>{e(c.figure)}</td><td>{e(c.county)}</td><td>{e(c.row)}</td>"
            f"<td>{e(c.column)}</td><td>{e(c.old or '–')}</td><td>{e(c.new or '–')}</td></tr>"
            for c in report.changes)
        counties = ", ".join(e(c) for c in report.counties) or "inga"
        body = (f"<p>{len(report.changes)} siffror har ändrats sedan den senaste fullständiga "
                f"körningen ({e(report.basis)}). Länsrapporter vars innehåll ändrades: "
                f"{counties}.</p>\n<table>\n<thead><tr><th>Tabell</th><th>Län</th><th>Rad</th>"
                f"<th>Kolumn</th><th>Förut</th><th>Nu</th></tr></thead>\n<tbody>\n{rows}\n"
                "</tbody>\n</table>")
    return ("<!DOCTYPE html>\n<html lang=\"sv\">\n<head><meta charset=\"utf-8\">"
            f"<title>Ändringar i omgång {report.report_round}</title>"
            "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
            "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .5em;"
            "text-align:left}</style></head>\n<body>\n"
            f"<h1>Ändringar i omgång {report.report_round}</h1>\n{body}\n</body>\n</html>\n")


def write(report: ChangeReport, root: Path | None = None) -> None:
    """``changes.csv`` and ``changed-counties.txt`` in the logs, the page beside the book."""
    from samverkan.io import neutralise_formula, write_text

    root = root or project_root()
    logs = generated_dir() / "logs"
    lines = [";".join(COLUMNS)]
    for c in report.changes:
        lines.append(";".join('"' + str(neutralise_formula(v)).replace('"', '""') + '"' for v in (
            c.figure, c.county, c.row, c.column, c.old, c.new)))
    write_text(logs / CHANGES_CSV, "\ufeff" + "\r\n".join(lines) + "\r\n")
    write_text(logs / CHANGED_COUNTIES, "".join(f"{c}\n" for c in report.counties))
    write_text(root / stages.changes_page(report.report_round), changes_page(report))
