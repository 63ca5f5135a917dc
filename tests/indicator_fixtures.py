"""Tiny hand-made processed tables for the results tests (expected values are counted by hand
in each test, never taken from the code under test)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from samverkan.intake import codebook
from samverkan.results.frames import Tables

TEXT_DEFAULTS: dict[str, Any] = {
    "municipality_codes": "0180", "title": "Projekt", "report_type": "slutredovisning",
    "period_start": "2008-09-01", "period_end": "2011-08-31", "status": "avslutad",
    "granted_sek": 100_000, "granted_year": 2009,
}


def project(report_round: int, lan_code: str, diarienummer: str, **values: Any) -> dict[str, Any]:
    """One project row in the processed format: every checkbox and flag False, coding "",
    texts "", then ``values``."""
    row: dict[str, Any] = {"report_round": report_round, "lan_code": lan_code,
                           "diarienummer": diarienummer}
    for f in codebook.fields("Projekt"):
        if f.personal or f.name in row:
            continue
        row[f.name] = False if f.type == "checkbox" else TEXT_DEFAULTS.get(f.name, "")
    for k in codebook.taxonomy():
        row[k.name] = False
    for f in codebook.coding_fields():
        row[f["name"]] = ""
    unknown = set(values) - set(row)
    assert not unknown, f"unknown project fields {unknown}"
    row.update(values)
    return row


def tables(projects: list[dict[str, Any]], allocations: list[tuple[str, int, int, int]],
           board: list[tuple[str, int, int, int, int]] = ()) -> Tables:
    """A :class:`Tables` from project rows, (lan, year, allocated, requisitioned) and
    (lan, reported_projects, reported_granted, administration, repayment) tuples."""
    report_round = projects[0]["report_round"]
    alloc = pd.DataFrame(
        [{"report_round": report_round, "lan_code": lan, "year": y, "allocated_sek": a,
          "requisitioned_sek": r} for lan, y, a, r in allocations])
    brd = pd.DataFrame(
        [{"report_round": report_round, "lan_code": lan, "reported_projects": n,
          "reported_granted_sek": g, "administration_sek": a, "repayment_sek": rp,
          "prerequisites_text": "", "board_other_text": ""} for lan, n, g, a, rp in board])
    return Tables(pd.DataFrame(projects), alloc, brd)
