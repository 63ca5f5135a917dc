"""The reconstructed county submissions: ``python -m samverkan synth --seed N --scale K --out DIR``.

The per-project reports behind Rapport 2011:39 are not public, so this module writes a
**reconstruction**: the county-level figures are the published ones (Table 1 allocations, Table 2
project counts and cooperation types per county, Table 2's footnotes on projects that never
started), and the project rows are synthesised so that the pipeline's output reproduces every
aggregate that the report states consistently (Tables 2–6, their sub-counts, the partial-report
figures of 2010). Every target is read from ``data/reference/published.csv``; none is typed in
here. The generator writes three things per round, all from one seeded run:

* ``data/raw/<round>/``: one submission per county (a workbook or CSV files), valid but messy in
  a fixed, documented mix (:data:`~samverkan.synth.files.PROFILES`, table in
  ``data/raw/README.md``);
* ``data/coding/<round>.csv``: the evaluator's coding sheet;
* ``tests/truth/<round>/``: the clean tables the raw files were written from (``projects.csv``,
  ``allocations.csv``, ``board.csv``), in the format of ``notes/MODEL.md``, which a correct
  cleaner must reproduce exactly.

Readings chosen where the report contradicts itself (also in ``data/raw/README.md``):

1. Table 1, Halland: the year cells (190 000 + 220 000 + 310 000 = 720 000) are used, not the
   printed row total 620 000; the column totals (23 000 000) confirm the year cells.
2. Requisitioned funds follow the two figures that agree with each other: Table 6's
   21 950 000 and the text's repayment 728 646 (21 950 000 − 21 221 354 = 728 646). Table 1's
   ``*`` cells (funds not requisitioned, 0 here) add up to 1 020 000, which leaves 21 980 000:
   the stars are the odd one out, and the audit reports them as the contradiction. The other
   30 000 kr (Table 6's shortfall against the stars, computed from published.csv) are a partial
   requisition of an unstarred cell, a legitimate reading of a cell without a star: the county
   with the largest 2010 allocation requisitioned that much less of it
   (:func:`~samverkan.synth.targets._partial_cell`).
3. Table 2's county cells are reproduced over all 151 final-round rows; its "Nya" cells add up
   to 89 while the Summa row prints 88. The national figure is the sum of the counties (89) in
   the book's tables and the audit alike, so the printed 88 is a contradiction. Exactly one of
   the three projects that never started had ticked "new structure" (the started projects have
   88 new and 84 existing structures). The summary's 91 new / 85 existing are not reproduced.
4. Integration (Table 5): 53 + 54 + 46 = 153 for 148 projects. Five projects are partly
   integrated *and* have a plan for the rest (integration_done and integration_plan); the others
   are in exactly one group. "With a plan" is integration_will or integration_plan.
5. Family perspective (women, children and men): 32 projects in the partial report 2010, 24 among
   the projects granted in 2010, 55 in all in 2011. One 2008–2009 project dropped its work with
   violent men between the rounds, so 31 of the 2008–2009 projects keep the family perspective
   in 2011 (31 + 24 = 55).
6. Churches: 34 projects in 2011, 17 with operative cooperation (kw_church_operative) and the
   other 17 invited to training (kw_church_invited); 18 projects had a church partner at the
   partial report 2010. Försäkringskassan: 11 = 1 active partner (kw_fk_active) + 10 invited
   (kw_fk_invited).
7. The three projects that never started (Södermanland 2, Östergötland 1, all granted in 2010)
   report ``granted_sek`` 0: the grant was not paid out (Östergötland did not requisition its
   2010 funds at all). The 20 170 607 kr of Table 6 are thus both the sum over the 148 started
   projects and over all 151 rows. They are not in the evaluator's coding sheet.
8. "133 redovisade projekt" (examples section) and "från ett projekt i några län" (Table 2 prints
   0 for three counties) are not reproduced; the partial report's 69 projects are all started.

The money rules, checked per county before anything is written, are in the docstring of
:mod:`samverkan.synth.money`.

``--scale K`` writes K independent replicas of the national structure into the same 21
submissions (K × 151 projects; allocations and board figures are the replicas' sums), for
benchmarks; published aggregates hold only at K = 1.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from samverkan import provenance, registry
from samverkan.intake import codebook
from samverkan.io import write_atomic, write_csv
from samverkan.paths import coding_path, project_root, raw_dir
from samverkan.rounds import FINAL, ROUNDS
from samverkan.synth import text as synth_text
from samverkan.synth.assumptions import assumptions
from samverkan.synth.files import FILE_SUFFIX_SHEETS, PROFILES, _csv, _sheet, _style, _xlsx
from samverkan.synth.money import Board, assign_money
from samverkan.synth.projects import (
    CODING,
    Project,
    _rng,
    _skeleton,
    assign_actors_areas,
    assign_cooperation,
    assign_status_coding,
    derive_partial,
)
from samverkan.synth.reports import (
    ALLOCATION_COLUMNS,
    BOARD_COLUMNS,
    PROJECT_COLUMNS,
    _county_place,
    assign_places_dates,
    contact_for,
    truth_row,
)
from samverkan.synth.targets import YEARS, SynthError, targets

DEFAULT_SEED = 2011



# ---------------------------------------------------------------------------- generation


@dataclass
class Dataset:
    """Everything one run writes, before formatting."""

    seed: int
    scale: int
    projects: list[Project]
    boards: dict[str, list[Board]]
    """Per county, one Board per replica."""

    def rows(self, report_round: int) -> list[Project]:
        ps = self.projects if report_round == FINAL else [p for p in self.projects if p.old]
        return sorted(ps, key=lambda p: (p.lan_code, p.diarienummer))


def generate(seed: int = DEFAULT_SEED, scale: int = 1) -> Dataset:
    """The projects of ``scale`` replicas with every flag, amount, date and identifier set."""
    if scale < 1:
        raise SynthError("--scale must be at least 1")
    t = targets()
    projects: list[Project] = []
    boards: dict[str, list[Board]] = defaultdict(list)
    for replica in range(scale):
        ps = _skeleton(t, replica)
        assign_cooperation(t, ps, seed, replica)
        assign_actors_areas(t, ps, seed, replica)
        for lan, board in assign_money(t, ps, seed, replica).items():
            boards[lan].append(board)
        assign_status_coding(t, ps, seed, replica)
        derive_partial(t, ps, seed, replica)
        assign_places_dates(t, ps, seed, replica)
        projects += ps
    assign_diarienummer(projects, seed)
    return Dataset(seed, scale, projects, dict(boards))


def assign_diarienummer(projects: list[Project], seed: int) -> None:
    """Case numbers in each county's own format, increasing with the decision date, unique
    nationally (the key that links a project's two reports)."""
    used: set[str] = set()
    by_county: dict[str, list[Project]] = defaultdict(list)
    for p in projects:
        by_county[p.lan_code].append(p)
    for lan in sorted(by_county):
        rng = _rng(seed, "dnr", lan)
        number = rng.randint(1200, 4000)
        for p in sorted(by_county[lan], key=lambda p: (p.decision, p.replica, p.index)):
            while True:
                number += rng.randint(3, 250)
                year = p.decision.year
                dnr = PROFILES[lan].dnr.format(n=number, yyyy=year, yy=f"{year % 100:02d}")
                if dnr not in used:
                    break
            used.add(dnr)
            p.diarienummer = dnr


# ------------------------------------------------------------------------ the messy files


def submission_files(ds: Dataset, report_round: int, rows: list[dict[str, Any]],
                     truth: dict[str, pd.DataFrame]) -> dict[str, bytes]:
    """File name → bytes of every county's submission in one round."""
    files: dict[str, bytes] = {}
    allocations = truth["allocations"]
    board = truth.get("board")
    by_dnr = {p.diarienummer: p for p in ds.rows(report_round)}
    by_county: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_county[row["lan_code"]].append(row)
    for lan in registry.county_codes():
        style = _style(lan, report_round, ds.seed)
        records = []
        for truth_record in by_county[lan]:
            row = dict(truth_record)
            p = by_dnr[row["diarienummer"]]
            row["municipality_codes"] = p.municipalities
            name, phone, email = contact_for(p, report_round, ds.seed)
            row.update(contact_name=name, contact_phone=phone, contact_email=email)
            records.append(row)
        sheets = [_sheet("Projekt", style, records),
                  _sheet("Medel", style, allocations[allocations["lan_code"] == lan]
                         .to_dict("records"))]
        if board is not None:
            row = board[board["lan_code"] == lan].to_dict("records")[0]
            name, phone, email = synth_text.contact(_rng(ds.seed, "board", lan),
                                                    "lansstyrelsen.se")
            row.update(contact_name=name, contact_phone=phone, contact_email=email)
            sheets.append(_sheet("Länsstyrelsen", style, [row]))
        stem = f"{lan}-{registry.county_slug(lan)}"
        if style.xlsx:
            files[f"{stem}.xlsx"] = _xlsx(sheets)
        else:
            for sheet, canonical in zip(sheets, FILE_SUFFIX_SHEETS, strict=False):
                files[f"{stem}-{codebook.csv_suffix(canonical)}.csv"] = _csv(sheet,
                                                                            style.profile)
    return files


# ------------------------------------------------------------------------------ truth tables


def truth_rows(ds: Dataset, report_round: int) -> list[dict[str, Any]]:
    """The clean project rows of one round."""
    return [truth_row(p, report_round, ds.seed) for p in ds.rows(report_round)]


def truth_tables(ds: Dataset, report_round: int,
                 rows: list[dict[str, Any]] | None = None) -> dict[str, pd.DataFrame]:
    """The clean tables of one round (``projects``, ``allocations`` and, in 2011, ``board``)."""
    t = targets()
    rows = truth_rows(ds, report_round) if rows is None else rows
    projects = pd.DataFrame(rows, columns=list(PROJECT_COLUMNS))
    allocations = pd.DataFrame(
        [{"report_round": report_round, "lan_code": lan, "year": year,
          "allocated_sek": c.allocated[year] * ds.scale,
          "requisitioned_sek": c.requisitioned[year] * ds.scale}
         for lan, c in sorted(t.counties.items()) for year in YEARS[report_round]],
        columns=list(ALLOCATION_COLUMNS))
    out = {"projects": projects, "allocations": allocations}
    if report_round == FINAL:
        boards = []
        per_county: dict[str, list[int]] = defaultdict(list)
        for row in rows:
            per_county[row["lan_code"]].append(row["granted_sek"])
        for lan, c in sorted(t.counties.items()):
            admin = sum(b.administration_sek for b in ds.boards[lan])
            repay = sum(b.repayment_sek for b in ds.boards[lan])
            granted = sum(per_county[lan])
            if sum(c.requisitioned.values()) * ds.scale != granted + admin + repay:
                raise SynthError(f"board {lan}: requisitioned != granted + admin + repayment")
            place = _county_place(lan)
            boards.append({
                "report_round": report_round, "lan_code": lan,
                "reported_projects": len(per_county[lan]), "reported_granted_sek": granted,
                "administration_sek": admin, "repayment_sek": repay,
                "prerequisites_text": synth_text.board_prerequisites_text(
                    _rng(ds.seed, "board_text", lan, 1), place),
                "board_other_text": synth_text.board_other_text(
                    _rng(ds.seed, "board_text", lan, 2), place),
            })
        out["board"] = pd.DataFrame(boards, columns=list(BOARD_COLUMNS))
    return out


def coding_sheet(ds: Dataset, report_round: int) -> pd.DataFrame:
    """The evaluator's coding of the round's started projects."""
    rows = []
    for p in ds.rows(report_round):
        coding = p.coding if report_round == FINAL else p.coding_2010
        if not p.started or not coding:
            continue
        rows.append({"diarienummer": p.diarienummer, "lan_code": p.lan_code,
                     **{name: coding[name] for name in CODING}})
    return pd.DataFrame(rows, columns=["diarienummer", "lan_code", *CODING])


# ------------------------------------------------------------------------------- writing


@dataclass(frozen=True)
class Layout:
    """Where one run writes: raw submissions, coding sheets and truth tables per round."""

    raw: Callable[[int], Path]
    coding: Callable[[int], Path]
    truth: Callable[[int], Path]


def layout(out: Path | None) -> Layout:
    """The project's own folders, or ``out/raw/<round>``, ``out/coding``, ``out/truth``."""
    if out is None:
        return Layout(raw_dir, coding_path,
                      lambda r: project_root() / "tests" / "truth" / str(r))
    out = Path(out)
    return Layout(lambda r: out / "raw" / str(r), lambda r: out / "coding" / f"{r}.csv",
                  lambda r: out / "truth" / str(r))


def _write_bytes(path: Path, data: bytes) -> None:
    write_atomic(path, lambda p: p.write_bytes(data))


def write(ds: Dataset, where: Layout) -> list[Path]:
    """Write every file of the dataset; stale generated submissions in the raw folders (a
    county that changed format) are removed. The submissions written are recorded with their
    hashes in ``SYNTH_MANIFEST.json`` beside the round folders (see :mod:`samverkan.provenance`),
    so the book can tell a county's own files from the reconstruction."""
    written: list[Path] = []
    submissions: dict[int, list[Path]] = {}
    for report_round in ROUNDS:
        rows = truth_rows(ds, report_round)
        truth = truth_tables(ds, report_round, rows)
        for name, frame in truth.items():
            written.append(write_csv(where.truth(report_round) / f"{name}.csv", frame))
        written.append(write_csv(where.coding(report_round), coding_sheet(ds, report_round)))
        raw = where.raw(report_round)
        files = submission_files(ds, report_round, rows, truth)
        for name, data in files.items():
            _write_bytes(raw / name, data)
            written.append(raw / name)
        submissions[report_round] = [raw / name for name in files]
        for old in raw.glob("[0-9][0-9]-*"):
            if old.suffix in {".xlsx", ".csv"} and old.name not in files:
                old.unlink()
    raw_root = where.raw(ROUNDS[0]).parent
    written.append(provenance.write_manifest(submissions, raw_root, ds.seed, ds.scale,
                                             assumptions(ds)))
    return written
