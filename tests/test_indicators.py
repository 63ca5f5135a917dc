"""Results: measures, tables, change 2010 → 2011 and indicators on tiny hand-made frames whose
expected values are counted by hand, and on the generator's truth tables against
data/reference/published.csv."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from samverkan.audit.text import stated_interval, within
from samverkan.reference import in_base_units, published
from samverkan.results import change, examples, frames, indicators, measures, report_tables
from tests.indicator_fixtures import project, tables
from tests.readings import GENERATOR_DEVIATIONS, NOT_RECOMPUTABLE

TRUTH = Path(__file__).parent / "truth"



@pytest.fixture
def small() -> tuple[frames.Tables, frames.Tables]:
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
    m = measures.measures(*small)
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
        ("existing_structures", "2008-2010", "00"): 1,  # national: the sum of the counties
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


def test_measures_rows_are_sorted_and_numbered_and_a_missing_value_is_nan(small):
    m = measures.measures(*small)
    assert list(m.index) == list(range(len(m)))
    keys = list(zip(m["measure"], m["period"], m["lan_code"], strict=True))
    assert keys == sorted(keys)
    assert measures.measure_value(m, "projects_granted", "2008-2010") == 3  # Riket by default
    assert measures.measure_value(m, "projects_granted", "2008-2010", "01") == 2
    assert pd.isna(measures.measure_value(m, "projects_granted", "1999"))


def test_county_counts_are_whole_numbers(small):
    counts = measures.county_counts(small[0].projects, ["projects_granted", "area_women"])
    assert counts.dtypes.to_dict() == {"lan_code": "str", "projects_granted": "int64",
                                       "area_women": "int64"}
    assert counts.set_index("lan_code").loc["00"].tolist() == [3, 2]


def test_measures_without_partial_report(small):
    m = measures.measures(small[0])
    assert "2008-2009" not in set(m["period"])


# ------------------------------------------------------------------------------------ tables


def test_table1_sums_and_uptake(small):
    t = report_tables.table1(small[0]).set_index("lan_code")
    assert t.loc["01", ["allocated_2008", "allocated_2009", "allocated_2010"]].tolist() == [
        100, 100, 200]
    assert t.loc["01", "allocated_total"] == 400
    assert t.loc["01", "requisitioned_total"] == 390
    assert t.loc["01", "not_requisitioned"] == 10
    assert t.loc["01", "uptake"] == pytest.approx(390 / 400)
    assert t.loc["03", "uptake"] == 0
    assert pd.isna(t.loc["04", "uptake"])  # nothing allocated: no uptake, not 0 %
    assert t.loc["00", "allocated_total"] == 450
    assert len(t) == 22  # 21 counties and the nation


def test_table2_per_county(small):
    t = report_tables.table2(*small).set_index("lan_code")
    assert t.loc["01"].to_dict() == {
        "projects_2008_2009": 1, "projects_2008_2010": 2, "projects_started": 1,
        "projects_not_started": 1, "new_structures": 1, "existing_structures": 1,
        "evaluated_structures": 0}
    assert t.loc["00", "projects_2008_2010"] == 3
    assert t.loc["00", "existing_structures"] == 1  # the table's national row sums its cells
    assert t.loc["25", "projects_2008_2010"] == 0


def test_count_tables_over_started_projects(small):
    t3 = report_tables.table3(small[0]).set_index("measure")
    assert t3.loc["partner_health", "count"] == 1  # B has the box but never started
    assert t3.loc["partner_health", "share"] == pytest.approx(1 / 2)
    assert t3.loc["kw_police", "parent"] == "partner_justice"
    assert t3.loc["partner_prosecutor", "parent"] == "partner_justice"
    t4 = report_tables.table4(small[0]).set_index("measure")
    assert t4.loc["area_women", "count"] == 2
    assert t4.loc["family_perspective", "count"] == 1
    assert t4.loc["vg_elderly", "parent"] == "area_vulnerable"
    t5 = report_tables.table5(small[0]).set_index("measure")
    assert t5.loc[["goal_met", "integration_done", "integration_plan", "real_cooperation",
                   "not_cooperation", "ongoing", "finished"], "count"].tolist() == [
        1, 1, 2, 1, 1, 1, 1]


def test_counts_by_county(small):
    t = report_tables.counts_by_county(small[0], "t4").set_index("lan_code")
    assert t.loc["03", ["projects_started", "area_women", "area_men"]].tolist() == [1, 1, 0]
    assert "vg_elderly" not in t  # sub-counts left out by default
    assert t.loc["00", "area_women"] == 2


def test_table6_identities(small):
    t = report_tables.table6(small[0]).set_index("lan_code")
    row = t.loc["01"]
    assert row["granted_sek"] == 300_000  # A only: B never started
    assert row["administration_sek"] == 10
    assert row["total_costs_sek"] == 300_010
    assert row["repayment_sek"] == 390 - 300_010
    assert row["administration_share"] == pytest.approx(10 / 390)
    assert t.loc["00", "reported_repayment_sek"] == 0


# -------------------------------------------------------------------------- change 2010 → 2011


def test_change_by_measure(small):
    c = change.change_by_measure(*small)
    national = c[c["lan_code"] == "00"].set_index("measure")
    assert national.loc["projects_granted", ["value_2010", "value_2011", "change"]].tolist() == [
        1, 3, 2]
    assert national.loc["partner_church", "change"] == -1
    assert national.loc["partner_church", "label"] == "Kyrkor och samfund"


def test_project_changes(small):
    c = change.project_changes(*small).set_index("diarienummer")
    assert c.loc["A", "status_2010"] == "pagar" and c.loc["A", "status_2011"] == "avslutad"
    gained, lost = c.loc["A", "gained"].split(";"), c.loc["A", "lost"].split(";")
    assert {"partner_health", "partner_justice", "family_perspective", "goal_met",
            "finished"} <= set(gained)
    assert set(lost) == {"partner_church", "ongoing"}
    assert not c.loc["B", "in_2010"] and c.loc["B", "in_2011"]
    assert c.loc["B", "gained"] == "" and c.loc["B", "status_2010"] == ""
    transitions = change.status_transitions(*small)
    assert transitions.loc["pagar", "avslutad"] == 1
    assert transitions.loc["saknas", "ej_startad"] == 1
    flags = change.flag_changes(*small).set_index("measure")
    assert flags.loc["partner_church", ["gained", "lost", "net"]].tolist() == [0, 1, -1]
    assert flags.loc["partner_health", "gained"] == 1


# -------------------------------------------------------------------------------- indicators


def _values(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    return frame[frame["indicator"] == key].set_index("lan_code")


def test_indicator_cards_are_complete():
    units = {c.key: c.unit for c in indicators.INDICATORS}
    assert units == {
        "reell_samverkan": "andel", "integrerad": "andel", "integrerad_eller_plan": "andel",
        "samverkansbredd": "antal", "familjeperspektiv": "andel", "maluppfyllelse": "andel",
        "medel_per_projekt": "kr", "nyttjandegrad": "andel", "medel_per_invanare": "kr",
        "projekt_per_100000": "antal", "medel_mot_befolkning": "kvot",
        "korrelation_medel_befolkning": "korrelation"}
    assert len(indicators.INDICATORS) == len(units)  # no key twice
    for card in indicators.INDICATORS:
        for text in (card.title, card.numerator, card.denominator, card.source, card.caveats):
            assert text.strip(), card.key
    family = indicators.INDICATOR_BY_KEY["familjeperspektiv"]
    assert family.title == "Andel projekt med familjeperspektiv"
    assert family.denominator == "Startade projekt."
    assert indicators.INDICATOR_BY_KEY["korrelation_medel_befolkning"].scope == "riket"


@pytest.mark.parametrize(("key", "value", "text"), [
    ("familjeperspektiv", 0.3726, "37,3\u00a0%"),  # andel: a percentage with one decimal
    ("medel_per_projekt", 91_621.4, "91\u00a0621\u00a0kr"),  # kr: whole kronor
    ("medel_per_invanare", 2.456, "2,46\u00a0kr"),  # its card asks for two decimals
    ("samverkansbredd", 2.25, "2,2"),  # antal: one decimal (2.25 is a tie: to even)
    ("medel_mot_befolkning", 1.0049, "1,00"),  # kvot: two decimals
    ("korrelation_medel_befolkning", 0.87664, "0,8766"),  # its card asks for four
    ("nyttjandegrad", None, "–"),
])
def test_indicator_values_are_formatted_by_their_unit(key, value, text):
    assert indicators.format_indicator(key, value) == text


def test_indicator_values_by_hand(small, monkeypatch):
    population = {lan: None for lan in frames.counties()}
    population.update({"01": 2_000_000, "03": 500_000})
    monkeypatch.setattr(indicators, "_populations",
                        lambda: pd.Series(population, dtype="float64"))
    v = indicators.indicator_values(small[0])
    real = _values(v, "reell_samverkan")
    assert real.loc["01", "value"] == 1 and real.loc["03", "value"] == 0
    assert real.loc["00", "value"] == pytest.approx(1 / 2)
    assert real.loc["01", "rank"] == 1 and real.loc["03", "rank"] == 2
    assert pd.isna(real.loc["00", "rank"])
    assert pd.isna(real.loc["25", "value"]) and real.loc["25", "note"] == "nämnaren är 0"
    breadth = _values(v, "samverkansbredd")
    assert breadth.loc["01", "value"] == 2  # A: health and justice
    assert breadth.loc["00", "value"] == pytest.approx((2 + 0) / 2)
    assert _values(v, "integrerad_eller_plan").loc["00", "value"] == 1
    assert _values(v, "medel_per_projekt").loc["00", "value"] == pytest.approx(305_000 / 2)
    assert _values(v, "nyttjandegrad").loc["01", "value"] == pytest.approx(390 / 400)
    per_inhabitant = _values(v, "medel_per_invanare")
    assert per_inhabitant.loc["01", "value"] == pytest.approx(400 / 2_000_000)
    assert pd.isna(per_inhabitant.loc["04", "value"])
    assert "saknas" in per_inhabitant.loc["04", "note"]
    assert pd.isna(per_inhabitant.loc["00", "value"])  # Sweden's total needs all 21 counties
    assert "19 av 21" in per_inhabitant.loc["00", "note"]
    per_100k = _values(v, "projekt_per_100000")
    assert per_100k.loc["03", "value"] == pytest.approx(1 / 500_000 * 100_000)
    assert pd.isna(_values(v, "medel_mot_befolkning").loc["01", "value"])
    assert pd.isna(_values(v, "korrelation_medel_befolkning").loc["00", "value"])  # 2 < 3


def test_population_share_and_correlation_when_complete(small, monkeypatch):
    codes = frames.counties()
    population = {lan: 100_000.0 for lan in codes}
    population["01"] = 300_000.0
    monkeypatch.setattr(indicators, "_populations", lambda: pd.Series(population))
    v = indicators.indicator_values(small[0])
    ratio = _values(v, "medel_mot_befolkning")
    total_pop = 300_000 + 20 * 100_000
    assert ratio.loc["01", "value"] == pytest.approx((400 / 450) / (300_000 / total_pop))
    assert ratio.loc["00", "value"] == pytest.approx(1)
    allocated = pd.Series({lan: 0.0 for lan in codes}) + pd.Series({"01": 400.0, "03": 50.0})
    expected = allocated.fillna(0).corr(pd.Series(population))
    corr = _values(v, "korrelation_medel_befolkning").loc["00"]
    assert corr["value"] == pytest.approx(expected)
    assert corr["denominator"] == 21


def test_county_indicators_format(small, monkeypatch):
    monkeypatch.setattr(indicators, "_populations",
                        lambda: pd.Series({lan: None for lan in frames.counties()},
                                          dtype="float64"))
    table = indicators.county_indicators("Stockholm", small[0])
    assert list(table.columns) == ["indikator", "län", "riket", "rang"]
    assert len(table) == len(indicators.INDICATORS)
    row = table.set_index("indikator").loc["Andel projekt med reell samverkan"]
    assert row["län"] == "100,0\u00a0%" and row["riket"] == "50,0\u00a0%"
    assert row["rang"] == "1 av 2"
    per_inhabitant = table.set_index("indikator").loc["Fördelade medel per invånare"]
    assert per_inhabitant["län"].startswith("–") and "saknas" in per_inhabitant["län"]
    assert per_inhabitant["rang"] == "–"


def test_indicator_chapter(tmp_path):
    path = indicators.write_indicator_definitions(tmp_path / "indikatorer.md")
    text = path.read_text(encoding="utf-8")
    assert text.startswith(
        "# Indikatorer för uppföljning av lokal samverkan {#sec-indikatorer}\n")
    for card in indicators.INDICATORS:
        assert card.title in text and card.caveats in text
    assert not list(tmp_path.glob(".*.tmp"))


# ---------------------------------------------------------------------------------- examples


def test_examples_follow_the_rule():
    rows = [
        project(2011, "01", "D2", coop_new=True, goal_met="ja", integration_done=True,
                actor_health=True, actor_justice=True, title="Bred"),
        project(2011, "01", "D1", coop_new=True, goal_met="ja", integration_done=True,
                actor_health=True, actor_other=True, title="Lika bred, lägre diarienummer"),
        project(2011, "03", "E", coop_new=True, goal_met="delvis", actor_health=True,
                actor_justice=True, actor_church=True, title="Bredast men ej integrerad"),
        project(2011, "03", "F", coop_existing=True, goal_met="nej", status="pagar",
                goal_text="Mejla a.b@example.se eller ring 08-123 45 67"),
    ]
    ex = examples.examples(tables(rows, [("01", 2008, 1, 1)])).set_index("cooperation_type")
    new = ex.loc["Ny samverkansstruktur"]
    assert new["diarienummer"] == "D1"  # D1 and D2 tie on breadth 2: lowest diarienummer
    assert new["criterion"] == "målen nådda och integrerat"
    existing = ex.loc["Befintlig samverkansstruktur utvecklas"]
    assert existing["diarienummer"] == "F" and existing["criterion"] == "startat"
    assert "@" not in existing["goal_text"] and "123 45 67" not in existing["goal_text"]
    assert "Befintlig samverkansstruktur utvärderas" not in ex.index  # no such project


# ---------------------------------------------------------------- truth tables vs the report


@pytest.fixture(scope="module")
def truth_measures() -> pd.DataFrame:
    p11 = frames.read_tables(TRUTH / "2011")
    p10 = frames.read_tables(TRUTH / "2010")
    return measures.measures(p11, p10)


def test_truth_reproduces_the_published_figures(truth_measures):
    recomputed = {(r.lan_code, r.measure, r.period): r.value
                  for r in truth_measures.itertuples(index=False)}
    reference = in_base_units(published())
    matched, differing, missing = [], {}, []
    for fig in reference.itertuples(index=False):
        value = recomputed.get((fig.lan_code, fig.measure, fig.period))
        if value is None:
            missing.append(fig)
        elif within(value, stated_interval(float(fig.value), fig.text, fig.unit)):
            matched.append(fig.key)
        else:
            differing[fig.key] = (fig.value, value)
    assert {f.measure for f in missing} <= NOT_RECOMPUTABLE, [f.key for f in missing
                                                             if f.measure not in NOT_RECOMPUTABLE]
    assert set(differing) == set(GENERATOR_DEVIATIONS), differing
    assert len(matched) == len(reference) - len(missing) - len(GENERATOR_DEVIATIONS)


def test_truth_national_rows_are_county_sums(truth_measures):
    """Every national count is the sum of its county values: no measure is counted over other
    projects nationally than in the county cells (the book's tables and the audit agree)."""
    m = truth_measures[truth_measures["lan_code"] != ""]
    sums = m[m["lan_code"] != "00"].groupby(["measure", "period"])["value"].sum()
    national = m[m["lan_code"] == "00"].set_index(["measure", "period"])["value"]
    additive = [k for k in national.index if not k[0].endswith("_share")]
    assert (national[additive] == sums[additive]).all()


# ------------------------------------------- report tables: rows, order and edges by hand

SCB_ORDER = ["01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14", "17", "18",
             "19", "20", "21", "22", "23", "24", "25"]
"""The 21 county codes in SCB order, written out (Stockholm 01 … Norrbotten 25), then Riket."""


@pytest.fixture
def edges() -> frames.Tables:
    """Round 2011: Stockholm D (started) and E (never started, every area ticked); Jönköping
    (06) allocated 1 and requisitioned 1 in 2010 with administration 1; Uppsala (03) two
    allocation rows for 2009 and requisitions without an allocation in 2010; Östergötland (05)
    administration 3 without any funds; Stockholm's board reports a repayment of 7, Jönköping's
    and Östergötland's 0."""
    return tables(
        [project(2011, "01", "D", area_women=True, granted_sek=40),
         project(2011, "01", "E", status="ej_startad", area_women=True, area_children=True,
                 area_men=True, granted_sek=60)],
        [("01", 2008, 100, 100), ("03", 2009, 30, 20), ("03", 2009, 10, 10),
         ("03", 2010, 0, 5), ("06", 2010, 1, 1)],
        [("01", 2, 100, 50, 7), ("06", 0, 0, 1, 0), ("05", 0, 0, 3, 0)])


def test_ordered_counts_puts_each_sub_count_under_its_main_row_with_a_dash():
    table = pd.DataFrame(
        [("a", "Alfa", "", 3, 0.3), ("b", "Beta", "", 2, 0.2), ("a1", "Alfa ett", "a", 1, 0.1),
         ("b1", "Beta ett", "b", 1, 0.1), ("a2", "Alfa två", "a", 2, 0.2)],
        columns=["measure", "label", "parent", "count", "share"])
    out = report_tables.ordered_counts(table)
    assert list(out.columns) == ["measure", "label", "parent", "count", "share"]
    assert list(out.index) == [0, 1, 2, 3, 4]
    assert out["measure"].tolist() == ["a", "a1", "a2", "b", "b1"]
    assert out["label"].tolist() == ["Alfa", "– Alfa ett", "– Alfa två", "Beta", "– Beta ett"]
    assert out["count"].tolist() == [3, 1, 2, 2, 1]
    assert table["label"].tolist()[2] == "Alfa ett"  # the input is left as it was
    empty = report_tables.ordered_counts(table.iloc[:0])
    assert list(empty.columns) == ["measure", "label", "parent", "count", "share"]
    assert len(empty) == 0


def test_ordered_counts_of_table3_prints_the_prosecutor_and_police_under_justice(small):
    out = report_tables.ordered_counts(report_tables.table3(small[0]))
    measures_in_order = out["measure"].tolist()
    justice = measures_in_order.index("partner_justice")
    assert measures_in_order[justice + 1] == "partner_prosecutor"
    assert measures_in_order.index("kw_police") > justice
    assert measures_in_order[0] == "partner_municipalities"
    assert out.set_index("measure").loc["partner_prosecutor", "label"] == "– Åklagarmyndigheten"


def test_count_table_labels_and_no_share_without_started_projects(small, edges):
    t3 = report_tables.table3(small[0]).set_index("measure")
    assert t3.loc["partner_health", "label"] == "Hälso- och sjukvård"
    never = tables([project(2011, "01", "F", status="ej_startad", actor_health=True)],
                   [("01", 2008, 1, 1)])
    t = report_tables.table3(never).set_index("measure")
    assert t.loc["partner_health", "count"] == 0
    assert pd.isna(t.loc["partner_health", "share"])  # no started project: no share, not 0
    empty = report_tables.count_table(edges, "no such table")
    assert list(empty.columns) == ["measure", "label", "parent", "count", "share"]
    assert len(empty) == 0


def test_table1_fills_missing_years_sums_rows_and_leaves_uptake_out_without_allocation(edges):
    t = report_tables.table1(edges)
    assert t["lan_code"].tolist() == [*SCB_ORDER, "00"]
    t = t.set_index("lan_code")
    assert t.loc["01", ["allocated_2008", "allocated_2009", "allocated_2010"]].tolist() == [
        100, 0, 0]
    assert t.loc["03", ["allocated_2009", "requisitioned_2009"]].tolist() == [40, 30]  # 30+10
    assert t.loc["25", ["allocated_2008", "requisitioned_2010", "allocated_total"]].tolist() == [
        0, 0, 0]  # a county without rows: zeros, not blanks
    assert t.loc["00", "requisitioned_total"] == 100 + 30 + 5 + 1
    assert t.loc["06", "uptake"] == 1.0  # 1 of 1
    assert t.loc["03", "uptake"] == pytest.approx(35 / 40)  # (20 + 10 + 5) / (30 + 10 + 0)
    lone = tables([project(2011, "01", "G")], [("01", 2010, 0, 5)])
    assert pd.isna(report_tables.table1(lone).set_index("lan_code").loc["01", "uptake"])


def test_table2_puts_the_partial_reports_projects_second(small):
    t = report_tables.table2(*small)
    assert list(t.columns[:3]) == ["lan_code", "projects_2008_2009", "projects_2008_2010"]


def test_table6_rows_in_county_order_with_riket_last_and_reported_repayment_on_its_county(
        edges):
    t = report_tables.table6(edges)
    assert t["lan_code"].tolist() == [*SCB_ORDER, "00"]
    assert list(t.columns[:7]) == ["lan_code", "allocated_sek", "requisitioned_sek",
                                   "granted_sek", "administration_sek", "total_costs_sek",
                                   "repayment_sek"]
    t = t.set_index("lan_code")
    assert t.loc["01", ["allocated_sek", "requisitioned_sek", "granted_sek"]].tolist() == [
        100, 100, 40]  # E never started: its 60 are not granted to a started project
    assert t.loc["01", "reported_repayment_sek"] == 7
    assert pd.isna(t.loc["03", "reported_repayment_sek"])  # no board row
    assert t.loc["00", "reported_repayment_sek"] == 7  # one county reported: the sum is 7
    assert t.loc["06", "administration_share"] == 1.0  # 1 of 1 requisitioned
    assert t.loc["01", "administration_share"] == pytest.approx(50 / 100)
    assert pd.isna(t.loc["04", "administration_share"])  # nothing requisitioned
    assert pd.isna(t.loc["05", "administration_share"])  # 3 of nothing: no share, not infinite


def test_table6_national_reported_repayment_from_a_single_county():
    one = tables([project(2011, "01", "H")], [("01", 2010, 10, 10)], [("01", 1, 5, 1, 4)])
    t = report_tables.table6(one).set_index("lan_code")
    assert t.loc["00", "reported_repayment_sek"] == 4  # one county's figure is the sum
    assert pd.isna(t.loc["25", "reported_repayment_sek"])


def test_family_perspective_counts_started_projects_only(edges):
    m = measures.measures(edges)
    # E ticks women, children and men but never started; D ticks women only
    assert _value(m, "family_perspective", "2008-2010", "01") == 0
    assert _value(m, "family_perspective_share", "2008-2010", "01") == 0.0
    assert _value(m, "area_women", "2008-2010", "00") == 1
    flags = measures.project_flags(edges.projects).set_index("diarienummer")
    assert not flags.loc["E", "family_perspective"]
    assert flags.loc["E", "projects_not_started"]


def test_family_share_rows_only_where_projects_started_and_always_for_riket(small):
    m = measures.measures(*small)
    shares = m[(m["measure"] == "family_perspective_share") & (m["period"] == "2008-2010")]
    # Stockholm: A of A (B never started) = 100 %; Uppsala: C lacks men = 0 %; Riket 1 of 2
    assert dict(zip(shares["lan_code"], shares["value"], strict=True)) == {
        "00": 50.0, "01": 100.0, "03": 0.0}
    never = tables([project(2011, "01", "N", status="ej_startad", area_women=True,
                            area_children=True, area_men=True)], [("01", 2010, 1, 1)])
    m = measures.measures(never)
    shares = m[(m["measure"] == "family_perspective_share") & (m["period"] == "2008-2010")]
    assert shares["lan_code"].tolist() == ["00"] and shares["value"].isna().all()


def test_the_smallest_and_largest_county_include_norrbotten():
    rows = [project(2011, "25", f"N{i}") for i in range(3)] + [project(2011, "01", "S")]
    m = measures.measures(tables(rows, [("01", 2010, 1, 1)]))
    assert _value(m, "projects_granted_county_max", "2008-2010", "") == 3  # Norrbotten (25)
    assert _value(m, "projects_granted_county_min", "2008-2010", "") == 0  # e.g. Uppsala


# ------------------------------------------------------------- measures: helpers, by hand

def test_a_label_is_the_measures_swedish_name_or_the_name_itself():
    assert measures.label("area_women") == "Våldsutsatta kvinnor"  # a project count
    assert measures.label("granted_sek") == "Beviljade medel till startade projekt"  # money
    assert measures.label("no_such_measure") == "no_such_measure"


def test_project_flags_keep_the_projects_index_with_county_and_number_first(small):
    projects = small[0].projects.set_axis([10, 20, 30])  # A, B, C of the small round
    flags = measures.project_flags(projects)
    assert flags.index.tolist() == [10, 20, 30]
    assert flags.columns[:3].tolist() == ["lan_code", "diarienummer", "projects_granted"]
    assert flags["diarienummer"].tolist() == ["A", "B", "C"]
    assert flags["lan_code"].tolist() == ["01", "01", "03"]
    # B never started: counted as granted and not started, never in a started-only count
    assert flags["projects_not_started"].tolist() == [False, True, False]
    assert flags["partner_health"].tolist() == [True, False, False]


def test_county_counts_have_a_row_per_county_in_scb_order_then_riket(small):
    counts = measures.county_counts(small[0].projects, ["projects_granted", "area_women"])
    assert counts.columns.tolist() == ["lan_code", "projects_granted", "area_women"]
    assert counts["lan_code"].tolist() == [*SCB_ORDER, "00"]
    by_county = counts.set_index("lan_code")
    assert by_county.loc["01"].tolist() == [2, 1]  # A and B granted; A started with women
    assert by_county.loc["03"].tolist() == [1, 1]  # C
    assert by_county.loc["25"].tolist() == [0, 0]


def test_a_record_whose_code_is_no_county_is_left_out_of_every_total():
    # Stockholm (01) is the first county: a stray code must not land on it, nor on Uppsala
    codes = ["99", "01", "", "03", "01"]
    values = [[1000.0, 1.0], [5.0, 1.0], [300.0, 1.0], [7.0, 0.0], [2.0, 1.0]]
    totals = measures._county_totals(codes, values)
    assert totals.shape == (22, 2)
    assert totals[0].tolist() == [7.0, 2.0]  # 01: 5 + 2, two records
    assert totals[1].tolist() == [7.0, 0.0]  # 03
    assert totals[2:21].sum() == 0
    assert totals[21].tolist() == [14.0, 2.0]  # Riket: the counties' sum, strays left out
    one = measures._county_totals(["03", "99"], [4, 6])  # one value per record
    assert one[1].tolist() == [4.0] and one[21].tolist() == [4.0] and one.shape == (22, 1)


def test_a_round_without_a_board_sheet_has_money_but_no_administration(small):
    from types import SimpleNamespace

    # a processed set with no board attribute at all (as the partial round 2010 has no sheet)
    bare = SimpleNamespace(projects=small[0].projects, allocations=small[0].allocations)
    m = measures.round_measures(bare)
    assert _value(m, "requisitioned_sek", "2008-2010", "00") == 390
    assert _value(m, "funding_years", "2008-2010", "") == 3
    assert not m["measure"].isin(["administration_sek", "total_costs_sek", "repayment_sek",
                                  "administration_share"]).any()


def test_county_boards_count_counties_with_projects_or_allocations(edges):
    # projects only from Stockholm (01); allocations from 01, Uppsala (03) and Jönköping (06);
    # Östergötland (05) has only a board row: not a reporting county by this count
    m = measures.measures(edges)
    assert _value(m, "county_boards", "2008-2010", "") == 3
