"""The results stage's files: every table as CSV and in ``tabeller.xlsx``, every chart as PNG and
SVG, for a round, from its processed data (the chapters show the same tables and charts)."""

from __future__ import annotations

from pathlib import Path

from samverkan.rounds import DEFAULT_ROUND


def write_exports(report_round: int = DEFAULT_ROUND) -> list[Path]:
    """Write ``data/processed/<round>/tables/`` and ``figures/``, and the round before's tables
    (beside its audit) when it has projects; the paths written."""
    from samverkan.intake.outputs import load_processed
    from samverkan.results import charts, frames, tables

    current, previous = load_processed(report_round), load_processed(report_round - 1)
    written = tables.export_tables(current, previous)
    if frames.has_projects(previous):
        written += tables.export_tables(previous, None)
    return [*written, *charts.save_all(current, previous)]
