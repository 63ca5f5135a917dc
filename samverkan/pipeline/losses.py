"""What a run left out: every rejected row or file of the rounds it read, per county.

A run whose clean stage rejected a row still writes every table, but the national figures then
count fewer projects and kronor than the counties reported. ``python -m samverkan run`` must not
call that success: it ends with the lines of :func:`losses_text` and exits 1 when
:func:`losses` finds anything (the README's "exit 1: a row was rejected").

Read from the clean stages' own records (``ledger.csv``, ``rejects.csv``, ``board.csv``,
``projects.csv`` in ``data/processed/<round>/``) with the standard library only: this runs on the
no-change path too.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from samverkan.paths import processed_dir
from samverkan.rounds import ROUNDS

LOST = ("rows_rejected", "file_rejected")
"""Ledger statuses that leave something out (``copy``, an identical second file, does not)."""

PROJECT_SHEET = "Projekt"


@dataclass
class CountyLoss:
    """One county's rejections in one round."""

    report_round: int
    lan_code: str
    rows: int = 0
    """Rows rejected (a file rejected whole counts the rows it had, when they could be read)."""
    projects: int = 0
    """Project rows among them: projects the national figures do not count."""
    files: list[str] = field(default_factory=list)
    """Files rejected whole (``file (sheet)`` when one sheet of it was)."""
    reasons: list[str] = field(default_factory=list)
    """Every reject as ``file, rad N, fält: orsak``."""
    kronor: int | None = None
    """The county's own total of granted kronor minus the granted kronor of its accepted
    projects (None when the county's total is not on record)."""


def _rows(path: Path) -> list[dict[str, str]]:
    from samverkan.io import restore_formula

    if not path.is_file():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k: restore_formula(v or "") for k, v in row.items()}
                for row in csv.DictReader(handle, delimiter=";")]


def _int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def losses(report_round: int, base: Path | None = None) -> list[CountyLoss]:
    """Every county that lost a row or a file in ``report_round`` or a round before it, in
    round and county order. ``base``: the processed folder's parent (default the project's)."""
    out: list[CountyLoss] = []
    for r in (q for q in ROUNDS if q <= report_round):
        folder = base / str(r) if base is not None else processed_dir(r)
        out += _round_losses(r, folder)
    return out


def _round_losses(report_round: int, folder: Path) -> list[CountyLoss]:
    ledger = [row for row in _rows(folder / "ledger.csv") if row.get("status") in LOST]
    if not ledger:
        return []
    by_county: dict[str, CountyLoss] = {}

    def county(code: str) -> CountyLoss:
        return by_county.setdefault(code, CountyLoss(report_round, code or "??"))

    sheet_county = {(row["file"], row["sheet"]): row.get("lan_code", "") for row in ledger}
    file_county = {row["file"]: row.get("lan_code", "") for row in ledger}
    for row in ledger:
        loss = county(row.get("lan_code", ""))
        rejected = _int(row.get("rows_rejected", "")) or 0
        if row["status"] == "file_rejected":
            loss.files.append(f"{row['file']} ({row['sheet']})" if row["sheet"] else row["file"])
            rejected = max(rejected, _int(row.get("rows_read", "")) or 0)
            if row.get("message"):
                loss.reasons.append(f"{row['file']}: {row['message']}")
        loss.rows += rejected
    project_rows: dict[str, set[tuple[str, str]]] = {}
    for reject in _rows(folder / "rejects.csv"):
        code = sheet_county.get((reject["file"], reject["sheet"]),
                               file_county.get(reject["file"], ""))
        loss = county(code)
        where = f"{reject['file']}, rad {reject['row']}" if reject.get("row") else reject["file"]
        field_name = f", {reject['column']}" if reject.get("column") else ""
        loss.reasons.append(f"{where}{field_name}: {reject['reason']}")
        if reject["sheet"] == PROJECT_SHEET and reject.get("row"):
            project_rows.setdefault(code, set()).add((reject["file"], reject["row"]))
    for code, rows in project_rows.items():
        by_county[code].projects = len(rows)
    for loss in by_county.values():  # a file rejected whole: its ledger and rejects say one thing
        loss.reasons = list(dict.fromkeys(loss.reasons))
    _kronor(folder, by_county)
    return [by_county[c] for c in sorted(by_county)]


def _kronor(folder: Path, by_county: dict[str, CountyLoss]) -> None:
    """The county's reported total of granted kronor minus what its accepted projects add up
    to: the kronor its national figures leave out."""
    reported = {row["lan_code"]: _int(row.get("reported_granted_sek", ""))
                for row in _rows(folder / "board.csv")}
    accepted: dict[str, int] = {}
    for row in _rows(folder / "projects.csv"):
        accepted[row["lan_code"]] = accepted.get(row["lan_code"], 0) + (
            _int(row.get("granted_sek", "")) or 0)
    for code, loss in by_county.items():
        total = reported.get(code)
        if total is not None:
            loss.kronor = total - accepted.get(code, 0)


def _kr(amount: int) -> str:
    return f"{amount:,}".replace(",", "\N{NO-BREAK SPACE}") + "\N{NO-BREAK SPACE}kr"


def losses_text(found: Iterable[CountyLoss], reasons: int = 3) -> str:
    """The summary's lines about rejected rows (Swedish: the county official reads them);
    empty when nothing was rejected."""
    found = list(found)
    if not found:
        return ""
    rows = sum(loss.rows for loss in found)
    files = sum(len(loss.files) for loss in found)
    what = " och ".join(
        [f"{rows} {'rad' if rows == 1 else 'rader'}"] * bool(rows or not files)
        + [f"{files} {'fil' if files == 1 else 'filer'}"] * bool(files))
    lines = [f"AVVISAT: {what} i länens inlämningar räknas inte i siffrorna (körningen "
             "slutar med kod 1). Rätta dem och kör igen."]
    for loss in found:
        from samverkan.registry import county_name

        try:
            name = county_name(loss.lan_code)
        except (KeyError, ValueError):
            name = loss.lan_code
        left = [f"{loss.projects} projekt"] if loss.projects else []
        if loss.kronor:
            left.append(f"{_kr(loss.kronor)} av länets redovisade beviljade medel")
        if loss.files:
            left.append("hela filen " + ", ".join(loss.files))
        tail = f"; riket saknar {', '.join(left)}" if left else ""
        lines.append(f"  {loss.report_round} {loss.lan_code} {name}: {loss.rows} avvisade{tail}")
        for reason in loss.reasons[:reasons]:
            lines.append(f"    {reason}")
        if len(loss.reasons) > reasons:
            lines.append(f"    … och {len(loss.reasons) - reasons} till i "
                         f"data/processed/{loss.report_round}/rejects.csv")
    return "\n".join(lines)
