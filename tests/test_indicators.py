"""Results: measures, tables, change 2010 → 2011 and indicators on tiny hand-made frames whose
expected values are counted by hand, and on the generator's truth tables against
data/reference/published.csv."""

from __future__ import annotations

import pandas as pd
import pytest

from samverkan import indicators
from tests.indicator_fixtures import project, tables


@pytest.fixture
def small() -> tuple[indicators.Tables, indicators.Tables]:
    """Round 2011: Stockholm A (started, granted 2010), B (not started); Uppsala C (ongoing).
    Round 2010: Stockholm A."""
    p11 = tables(
        [project(2011, "01", "A", coop_new=True, actor_health=True, kw_police=True,
                 actor_justice=True, goal_met="ja", real_cooperation="delvis", area_women=True,
                 area_children=True, area_men=True, granted_year=2010, granted_sek=300_000,
                 integration_will=True),
         project(2011, "01", "B", status="ej_startad", actor_health=True, coop_existing=True,
                 granted_sek=50_000),
         project(2011, "03", "C", status="pagar", real_cooperation="nej", granted_sek=5_000,
                 area_women=True, area_children=True, goal_met="ej_bedömt",
                 integration_plan=True, integration_done=True)],
        [("01", 2008, 100, 90), ("01", 2009, 100, 100), ("01", 2010, 200, 200),
         ("03", 2010, 50, 0)],
        [("01", 2, 350_000, 10, 0), ("03", 1, 5_000, 2, 0)])
    p10 = tables([project(2010, "01", "A", coop_new=True, actor_church=True, status="pagar")],
                 [("01", 2008, 100, 90), ("01", 2009, 100, 100)])
    return p11, p10


def _value(frame: pd.DataFrame, measure: str, period: str, lan: str) -> float:
    hit = frame[(frame["measure"] == measure) & (frame["period"] == period)
                & (frame["lan_code"] == lan)]
    assert len(hit) == 1, (measure, period, lan, hit)
    return float(hit["value"].iloc[0])


def test_measures_counts_by_hand(small):
    m = indicators.measures(*small)
    assert list(m.columns) == ["lan_code", "measure", "period", "value"]
    assert not m.duplicated(["lan_code", "measure", "period"]).any()
    expected = {
        ("projects_granted", "2008-2010", "00"): 3,
        ("projects_granted", "2008-2010", "01"): 2,
        ("projects_granted", "2008-2009", "01"): 1,
        ("projects_granted", "2010", "00"): 1,  # A was granted 2010
        ("projects_started", "2008-2010", "00"): 2,
        ("projects_not_started", "2008-2010", "01"): 1,
        ("new_structures", "2008-2010", "00"): 1,
        ("existing_structures", "2008-2010", "01"): 1,  # B counts: Table 2 takes all rows
        ("partner_health", "2008-2010", "00"): 1,  # B not started: not counted
        ("partner_justice", "2008-2010", "01"): 1,
        ("kw_police", "2008-2010", "00"): 1,
        ("partner_church", "2008-2009", "00"): 1,
        ("partner_church", "2008-2010", "00"): 0,
        ("family_perspective", "2008-2010", "00"): 1,  # C lacks men
        ("family_perspective_share", "2008-2010", "00"): 50.0,
        ("goal_met", "2008-2010", "00"): 1,  # ej_bedömt does not count
        ("real_cooperation", "2008-2010", "00"): 1,
        ("not_cooperation", "2008-2010", "03"): 1,
        ("integration_plan", "2008-2010", "00"): 2,  # A will, C plan
        ("integration_done", "2008-2010", "00"): 1,
        ("ongoing", "2008-2010", "00"): 1,
        ("finished", "2008-2010", "00"): 1,
        ("projects_granted_county_min", "2008-2010", ""): 0,  # 19 counties without projects
        ("allocated_sek", "2008", "00"): 100,
        ("allocated_sek", "2010", "00"): 250,
        ("allocated_sek", "2008-2010", "01"): 400,
        ("allocated_sek", "2008-2010", "25"): 0,
        ("requisitioned_sek", "2008-2010", "00"): 390,
        ("granted_sek", "2008-2010", "00"): 305_000,  # started only
        ("granted_sek", "2010", "00"): 300_000,
        ("administration_sek", "2008-2010", "00"): 12,
        ("total_costs_sek", "2008-2010", "00"): 305_012,
        ("repayment_sek", "2008-2010", "00"): 390 - 305_012,
        ("administration_share", "2008-2010", ""): 100 * 12 / 390,
        ("administration_share", "2008-2010", "01"): 100 * 10 / 390,
        ("funding_years", "2008-2010", ""): 3,
        ("county_boards", "2008-2010", ""): 2,
    }
    for (measure, period, lan), value in expected.items():
        assert _value(m, measure, period, lan) == pytest.approx(value), (measure, period, lan)


def test_measures_without_partial_report(small):
    m = indicators.measures(small[0])
    assert "2008-2009" not in set(m["period"])
