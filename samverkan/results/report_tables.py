"""The tables of Rapport 2011:39 recomputed from processed data (Tabell 1–6), per county and
nationally, as plain frames with canonical column names; ``results.tables`` gives them Swedish
headers for the book and the exports."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from samverkan.results.frames import (
    NATIONAL,
    ProcessedLike,
    counties,
    has_projects,
    prepare_allocations,
    prepare_board,
    report_round_of,
)
from samverkan.results.measures import (
    PROJECT_MEASURES,
    county_counts,
    project_flags,
    round_measures,
)
from samverkan.rounds import PERIOD_BY_ROUND


def _wide(frame: pd.DataFrame, names: Iterable[str], period: str) -> pd.DataFrame:
    """Measures as columns, counties (then the national row) as rows."""
    names = list(names)
    sub = frame[(frame["period"] == period) & frame["measure"].isin(names)
                & frame["lan_code"].ne("")]
    wide = sub.pivot(index="lan_code", columns="measure", values="value")
    wide = wide.reindex(index=[*counties(), NATIONAL], columns=names)
    return wide.rename_axis(columns=None).reset_index()


def table1(p2011: ProcessedLike) -> pd.DataFrame:
    """Tabell 1 with requisitions: per county and nationally the funds allocated and requisitioned
    each year and in all (columns ``allocated_<year>``, ``allocated_total``, the same for
    ``requisitioned``), what was not requisitioned and the uptake (requisitioned / allocated)."""
    alloc = prepare_allocations(p2011.allocations)
    out = pd.DataFrame({"lan_code": [*counties(), NATIONAL]})
    for column in ("allocated_sek", "requisitioned_sek"):
        short = column.removesuffix("_sek")
        per_year = alloc.pivot_table(index="lan_code", columns="year", values=column,
                                     aggfunc="sum", fill_value=0)
        for year in sorted(alloc["year"].unique()):
            values = per_year[year].reindex(counties(), fill_value=0)
            out[f"{short}_{year}"] = [*values.tolist(), int(values.sum())]
        year_columns = [f"{short}_{y}" for y in sorted(alloc["year"].unique())]
        out[f"{short}_total"] = out[year_columns].sum(axis=1)
    out["not_requisitioned"] = out["allocated_total"] - out["requisitioned_total"]
    out["uptake"] = out["requisitioned_total"] / out["allocated_total"].where(
        out["allocated_total"] > 0)
    return out


def table2(p2011: ProcessedLike, p2010: ProcessedLike | None = None) -> pd.DataFrame:
    """Tabell 2: per county the projects of the partial report (2008–2009) and of the final
    report (2008–2010), how many started, and the new / existing / evaluated cooperation
    structures over all projects of the final report. The national row is the sum of the
    county rows, as every national figure of the audit is."""
    names = ["projects_granted", "projects_started", "projects_not_started", "new_structures",
             "existing_structures", "evaluated_structures"]
    out = county_counts(p2011.projects, names).rename(
        columns={"projects_granted": "projects_2008_2010"})
    if has_projects(p2010):
        previous = county_counts(p2010.projects, ["projects_granted"])
        out.insert(1, "projects_2008_2009", previous["projects_granted"].to_numpy())
    return out


def count_table(processed: ProcessedLike, table: str) -> pd.DataFrame:
    """Tabell 3, 4 or 5 (``table`` = ``"t3"``, ``"t4"``, ``"t5"``) nationally: one row per
    measure in report order with its Swedish label, its parent (for a sub-count), the number of
    started projects counted and the share of the started projects."""
    flags = project_flags(processed.projects)
    started = int(flags["projects_started"].sum())
    rows = []
    for m in PROJECT_MEASURES:
        if m.table != table:
            continue
        count = int(flags[m.name].sum())
        rows.append({"measure": m.name, "label": m.label, "parent": m.parent, "count": count,
                     "share": count / started if started else float("nan")})
    return pd.DataFrame(rows, columns=["measure", "label", "parent", "count", "share"])


def ordered_counts(table: pd.DataFrame) -> pd.DataFrame:
    """A :func:`count_table` in the order the book prints it: main rows in report order, each
    followed by its sub-counts, whose label is prefixed by "– ". Tables and charts both use it,
    so that a chart's bars follow its table's rows."""
    rows = []
    for _, row in table[table["parent"] == ""].iterrows():
        rows.append(row)
        for _, sub in table[table["parent"] == row["measure"]].iterrows():
            sub = sub.copy()
            sub["label"] = f"– {sub['label']}"
            rows.append(sub)
    return pd.DataFrame(rows, columns=table.columns).reset_index(drop=True)


def table3(processed: ProcessedLike) -> pd.DataFrame:
    """Tabell 3: partners and their free-text sub-counts (see :func:`count_table`)."""
    return count_table(processed, "t3")


def table4(processed: ProcessedLike) -> pd.DataFrame:
    """Tabell 4: areas and target groups, family perspective, vulnerable groups."""
    return count_table(processed, "t4")


def table5(processed: ProcessedLike) -> pd.DataFrame:
    """Tabell 5: goal fulfilment, integration, cooperation, training, status, constellation."""
    return count_table(processed, "t5")


def counts_by_county(processed: ProcessedLike, table: str, main_only: bool = True
                     ) -> pd.DataFrame:
    """The counts of Tabell 3, 4 or 5 per county (rows) and nationally, with the number of
    started projects first; ``main_only`` leaves out the sub-counts."""
    names = [m.name for m in PROJECT_MEASURES
             if m.table == table and (not main_only or not m.parent)]
    return county_counts(processed.projects, ["projects_started", *names])


def table6(p2011: ProcessedLike) -> pd.DataFrame:
    """Tabell 6 per county and nationally: allocated, requisitioned, granted to started
    projects, administration, total costs (granted + administration), repayment (requisitioned
    − costs), the administration's share of the requisitioned funds, and the repayment the
    county board itself reported."""
    names = ["allocated_sek", "requisitioned_sek", "granted_sek", "administration_sek",
             "total_costs_sek", "repayment_sek"]
    period = PERIOD_BY_ROUND[report_round_of(p2011)]
    out = _wide(round_measures(p2011), names, period)
    out["administration_share"] = out["administration_sek"] / out["requisitioned_sek"].where(
        out["requisitioned_sek"] > 0)
    board = prepare_board(p2011.board).groupby("lan_code")["repayment_sek"].sum()
    reported = board.reindex(counties())
    out["reported_repayment_sek"] = [*reported.tolist(), reported.sum(min_count=1)]
    return out
