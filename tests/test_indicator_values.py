"""The indicators (:mod:`samverkan.results.indicators`) value by value: ratios, notes, ranks,
shares of the population, the correlation, the county view and the chapter. Expected values are
worked out here by hand from the tiny frames of ``tests/indicator_fixtures.py`` (or read from
data/reference/population_counties.csv with plain pandas), never from the module's output."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from samverkan.paths import reference_dir
from samverkan.results import frames, indicators
from tests.indicator_fixtures import project, tables

REFERENCE = reference_dir()
NBSP = "\u00a0"
NO_POP = "folkmängd 2010 saknas i länsregistret"


@pytest.fixture
def p2011() -> frames.Tables:
    """Stockholm (01): A started (real cooperation, integrated, two actor types, 300 000 kr),
    B not started; Uppsala (03): C ongoing (no real cooperation, 5 000 kr). Allocations:
    Stockholm 400 (390 requisitioned), Uppsala 50 (0 requisitioned)."""
    return tables(
        [project(2011, "01", "A", actor_health=True, actor_justice=True, goal_met="ja",
                 real_cooperation="delvis", area_women=True, area_children=True, area_men=True,
                 granted_sek=300_000, integration_done=True),
         project(2011, "01", "B", status="ej_startad", actor_health=True, granted_sek=50_000,
                 integration_done=True, real_cooperation="ja"),
         project(2011, "03", "C", status="pagar", real_cooperation="nej", granted_sek=5_000)],
        [("01", 2008, 100, 90), ("01", 2009, 100, 100), ("01", 2010, 200, 200),
         ("03", 2010, 50, 0)])


def _everyone(stockholm: float = 300_000.0, others: float = 100_000.0) -> pd.Series:
    population = {lan: others for lan in frames.counties()}
    population["01"] = stockholm
    return pd.Series(population, dtype="float64")


def _values(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    return frame[frame["indicator"] == key].set_index("lan_code")


def test_populations_are_the_registers_2010_figures():
    scb = pd.read_csv(REFERENCE / "population_counties.csv", dtype={"lan_code": str})
    expected = scb.set_index("lan_code")["population_2010"].astype("float64")
    got = indicators._populations()
    assert got.dtype == "float64"
    assert got.index.tolist() == frames.counties()
    assert got.to_dict() == expected.loc[frames.counties()].to_dict()


def test_ratio_rows_value_note_numerator_and_denominator():
    counties = frames.counties()
    denominator = pd.Series({lan: 2.0 for lan in counties})
    denominator["01"], denominator["03"] = 4.0, 0.0
    rows = indicators._ratio_rows("x", pd.Series({"01": 3.0, "03": 1.0}), denominator,
                                  scale=10.0)
    by = {r["lan_code"]: r for r in rows}
    assert [r["lan_code"] for r in rows] == [*counties, "00"]
    assert {r["indicator"] for r in rows} == {"x"}
    assert by["01"] == {"indicator": "x", "lan_code": "01", "value": 7.5, "numerator": 3.0,
                        "denominator": 4.0, "note": ""}  # 10 × 3 / 4
    assert math.isnan(by["03"]["value"]) and by["03"]["note"] == "nämnaren är 0"
    assert by["04"]["value"] == 0 and by["04"]["numerator"] == 0  # no numerator: 0 of 2
    # the nation: 3 + 1 over 4 + 0 + 19 × 2 = 42
    assert by["00"]["numerator"] == 4 and by["00"]["denominator"] == 42
    assert by["00"]["value"] == pytest.approx(10 * 4 / 42)
    assert by["00"]["note"] == ""


def test_ratio_rows_without_a_denominator_say_so_and_leave_the_nation_out():
    denominator = pd.Series({lan: float("nan") for lan in frames.counties()})
    denominator["01"], denominator["03"] = 4.0, 8.0
    rows = indicators._ratio_rows("x", pd.Series({"01": 2.0, "03": 2.0}), denominator,
                                  missing_note="saknas")
    by = {r["lan_code"]: r for r in rows}
    assert by["01"]["value"] == 0.5 and by["03"]["value"] == 0.25
    assert math.isnan(by["04"]["value"]) and by["04"]["note"] == "saknas"
    assert math.isnan(by["00"]["value"]) and math.isnan(by["00"]["denominator"])
    assert by["00"]["numerator"] == 4
    assert by["00"]["note"] == "saknas för 19 av 21 län"


def test_indicator_values_with_every_population_known(p2011, monkeypatch):
    monkeypatch.setattr(indicators, "_populations", _everyone)
    v = indicators.indicator_values(p2011)
    assert list(v.columns) == list(indicators.VALUE_COLUMNS)
    assert v.index.tolist() == list(range(12 * 22))  # 12 indicators × (21 counties + nation)
    assert v["indicator"].drop_duplicates().tolist() == [i.key for i in indicators.INDICATORS]
    titles = dict(zip(v["indicator"], v["title"], strict=True))
    assert titles["nyttjandegrad"] == "Nyttjandegrad: rekvirerade medel av fördelade"
    # started: A in Stockholm, C in Uppsala (B never started: not counted anywhere)
    real = _values(v, "reell_samverkan")
    assert real.loc["01", ["value", "numerator", "denominator"]].tolist() == [1, 1, 1]
    assert real.loc["03", ["value", "numerator", "denominator"]].tolist() == [0, 0, 1]
    assert real.loc["00", ["value", "numerator", "denominator"]].tolist() == [0.5, 1, 2]
    assert _values(v, "integrerad")["value"][["01", "03", "00"]].tolist() == [1, 0, 0.5]
    assert _values(v, "integrerad_eller_plan")["value"][["01", "03", "00"]].tolist() == [
        1, 0, 0.5]
    assert _values(v, "samverkansbredd")["value"][["01", "03", "00"]].tolist() == [2, 0, 1]
    assert _values(v, "familjeperspektiv")["value"][["01", "00"]].tolist() == [1, 0.5]
    assert _values(v, "maluppfyllelse")["value"][["01", "03", "00"]].tolist() == [1, 0, 0.5]
    money = _values(v, "medel_per_projekt")
    assert money["value"][["01", "03", "00"]].tolist() == [300_000, 5_000, 152_500]
    uptake = _values(v, "nyttjandegrad")
    assert uptake.loc["01", ["value", "numerator", "denominator"]].tolist() == [
        390 / 400, 390, 400]
    assert uptake.loc["03", "value"] == 0  # 0 of 50 requisitioned
    assert math.isnan(uptake.loc["04", "value"]) and uptake.loc["04", "note"] == "nämnaren är 0"
    per_inhabitant = _values(v, "medel_per_invanare")
    assert per_inhabitant.loc["01", "value"] == pytest.approx(400 / 300_000)
    assert per_inhabitant.loc["04", ["value", "numerator", "denominator", "note"]].tolist() == [
        0, 0, 100_000, ""]
    assert per_inhabitant.loc["00", "value"] == pytest.approx(450 / 2_300_000)
    per_100k = _values(v, "projekt_per_100000")
    # granted projects count the one that never started: Stockholm 2, Uppsala 1
    assert per_100k.loc["01", "numerator"] == 2
    assert per_100k.loc["01", "value"] == pytest.approx(2 * 100_000 / 300_000)
    assert per_100k.loc["00", "value"] == pytest.approx(3 * 100_000 / 2_300_000)


def test_ranks_put_the_highest_first_and_ties_share_the_best_place(p2011, monkeypatch):
    monkeypatch.setattr(indicators, "_populations", _everyone)
    v = indicators.indicator_values(p2011)
    per_inhabitant = _values(v, "medel_per_invanare")["rank"]
    # Stockholm 400 / 300 000 above Uppsala 50 / 100 000; the 19 others share 0 kr: place 3
    assert per_inhabitant["01"] == 1 and per_inhabitant["03"] == 2
    assert per_inhabitant["04"] == 3 and per_inhabitant["25"] == 3
    assert pd.isna(per_inhabitant["00"])
    assert str(v["rank"].dtype) == "Int64"
    real = _values(v, "reell_samverkan")["rank"]
    assert real["01"] == 1 and real["03"] == 2 and pd.isna(real["04"])  # 04: no value


def test_share_of_money_against_share_of_people(p2011, monkeypatch):
    monkeypatch.setattr(indicators, "_populations", _everyone)
    ratio = _values(indicators.indicator_values(p2011), "medel_mot_befolkning")
    # Stockholm: 400 of 450 kr and 300 000 of 2 300 000 people
    assert ratio.loc["01", "numerator"] == pytest.approx(400 / 450)
    assert ratio.loc["01", "denominator"] == pytest.approx(300_000 / 2_300_000)
    assert ratio.loc["01", "value"] == pytest.approx((400 / 450) / (300_000 / 2_300_000))
    assert ratio.loc["04", ["value", "numerator"]].tolist() == [0, 0]
    assert ratio.loc["00", ["value", "numerator", "denominator", "note"]].tolist() == [
        1, 1, 1, ""]


def test_share_of_people_unknown_when_a_county_lacks_its_population(p2011, monkeypatch):
    incomplete = _everyone()
    incomplete["25"] = float("nan")
    monkeypatch.setattr(indicators, "_populations", lambda: incomplete)
    ratio = _values(indicators.indicator_values(p2011), "medel_mot_befolkning")
    note = f"{NO_POP} för 1 av 21 län: rikets folkmängd okänd"
    for lan in ("01", "04", "00"):
        assert math.isnan(ratio.loc[lan, "value"]) and math.isnan(ratio.loc[lan, "denominator"])
        assert ratio.loc[lan, "note"] == note
    assert ratio.loc["01", "numerator"] == pytest.approx(400 / 450)
    assert ratio.loc["00", "numerator"] == 1


def _correlation(population: pd.Series) -> pd.DataFrame:
    allocated = pd.Series({"01": 400.0, "03": 50.0})
    return pd.DataFrame(indicators._correlation_rows(allocated, population, NO_POP)
                        ).set_index("lan_code")


def test_correlation_over_three_counties_by_hand():
    known = pd.Series({lan: float("nan") for lan in frames.counties()})
    known["01"], known["03"], known["04"] = 100.0, 200.0, 300.0
    rows = _correlation(known)
    # money (400, 50, 0) against people (100, 200, 300): deviations (250, −100, −150) and
    # (−100, 0, 100); r = −40 000 / √(95 000 × 20 000)
    nation = rows.loc["00"]
    assert nation["value"] == pytest.approx(-40_000 / math.sqrt(95_000 * 20_000))
    assert nation["denominator"] == 3 and math.isnan(nation["numerator"])
    assert nation["note"] == "3 av 21 län med känd folkmängd"
    assert rows.index.tolist() == [*frames.counties(), "00"]
    county = rows.loc["01"]
    assert math.isnan(county["value"]) and math.isnan(county["numerator"])
    assert math.isnan(county["denominator"]) and county["note"] == "beräknas bara för riket"
    assert set(rows["indicator"]) == {"korrelation_medel_befolkning"}


def test_no_correlation_from_two_counties():
    known = pd.Series({lan: float("nan") for lan in frames.counties()})
    known["01"], known["03"] = 100.0, 200.0
    nation = _correlation(known).loc["00"]
    assert math.isnan(nation["value"]) and nation["denominator"] == 2
    assert nation["note"] == (f"2 av 21 län med känd folkmängd; minst tre behövs ({NO_POP} för "
                              f"övriga)")


@pytest.mark.parametrize(("rank", "tied", "of", "text"), [
    (3, 1, 21, "3 av 21"),
    (3, 0, 21, "3 av 21"),
    (1, 2, 21, "delad 1:a plats med 1 län (av 21)"),
    (2, 3, 21, "delad 2:a plats med 2 län (av 21)"),
    (3, 19, 21, "delad 3:e plats med 18 län (av 21)"),
    (11, 2, 21, "delad 11:e plats med 1 län (av 21)"),
    (12, 2, 21, "delad 12:e plats med 1 län (av 21)"),
    (21, 2, 21, "delad 21:a plats med 1 län (av 21)"),
    (22, 2, 30, "delad 22:a plats med 1 län (av 30)"),
    (111, 2, 200, "delad 111:e plats med 1 län (av 200)"),
])
def test_rank_text(rank, tied, of, text):
    assert indicators.rank_text(rank, tied, of) == text


@pytest.mark.parametrize(("key", "value", "text"), [
    ("integrerad", 0.5, f"50,0{NBSP}%"),  # andel: one decimal by default
    ("medel_per_projekt", 152_500.4, f"152{NBSP}500{NBSP}kr"),  # kr: none
    ("projekt_per_100000", 0.13043, "0,1"),  # antal: one
    ("medel_mot_befolkning", 6.8148, "6,81"),  # kvot: two
])
def test_default_decimals_by_unit(key, value, text):
    assert indicators.format_indicator(key, value) == text


def test_county_indicators_beside_the_nation(p2011, monkeypatch):
    monkeypatch.setattr(indicators, "_populations", _everyone)
    table = indicators.county_indicators("04", p2011).set_index("indikator")
    assert table.index.tolist() == [i.title for i in indicators.INDICATORS]
    real = table.loc["Andel projekt med reell samverkan"]
    # Södermanland (04) has no started project: no value, the reason instead, and no place
    assert real.tolist() == ["– (nämnaren är 0)", f"50,0{NBSP}%", "–"]
    money = table.loc["Fördelade medel per invånare"]
    # 0 kr, shared third place with the 18 other counties without money; the nation
    # 450 / 2 300 000 = 0,000196 kr
    assert money.tolist() == [f"0,00{NBSP}kr", f"0,00{NBSP}kr",
                              "delad 3:e plats med 18 län (av 21)"]
    stockholm = indicators.county_indicators("Stockholm", p2011).set_index("indikator")
    assert stockholm.loc["Nyttjandegrad: rekvirerade medel av fördelade"].tolist() == [
        f"97,5{NBSP}%", f"86,7{NBSP}%", "1 av 2"]  # 390 / 400; 390 / 450; 04… have no money
    corr = stockholm.loc["Samband mellan fördelade medel och folkmängd"]
    assert corr["län"] == "– (beräknas bara för riket)" and corr["rang"] == "–"
    # the nation's correlation has a value (and a note on the counties it rests on): the value
    # is shown. Pearson's r over the 21 counties, by hand: money 400, 50 and 19 × 0 against
    # people 300 000 and 20 × 100 000
    money = [400.0, 50.0] + [0.0] * 19
    people = [300_000.0] + [100_000.0] * 20
    mx, my = sum(money) / 21, sum(people) / 21
    cov = sum((x - mx) * (y - my) for x, y in zip(money, people, strict=True))
    r = cov / math.sqrt(sum((x - mx) ** 2 for x in money) * sum((y - my) ** 2 for y in people))
    assert corr["riket"] == f"{r:.4f}".replace(".", ",")


def test_county_indicators_name_why_the_nation_has_no_value(p2011, monkeypatch):
    incomplete = _everyone()
    incomplete["25"] = float("nan")
    monkeypatch.setattr(indicators, "_populations", lambda: incomplete)
    values = indicators.indicator_values(p2011)
    table = indicators.county_indicators("01", p2011, values=values).set_index("indikator")
    per_inhabitant = table.loc["Fördelade medel per invånare"]
    assert per_inhabitant["riket"] == f"– ({NO_POP} för 1 av 21 län)"
    assert per_inhabitant["län"] == f"0,00{NBSP}kr"  # 400 / 300 000 = 0,0013 kr
    assert per_inhabitant["rang"] == "1 av 20"  # Norrbotten (25) has no value


def test_the_chapter_gives_each_card_in_full():
    text = indicators.indicator_definitions_markdown()
    assert text.startswith(
        "# Indikatorer för uppföljning av lokal samverkan {#sec-indikatorer}\n\n"
        "Rapport 2011:39 redovisar antal projekt men inga mått som går att följa över tid eller "
        "jämföra mellan län. Stockholms stads ansökan om utvecklingsmedel hade som ett av sina "
        "mål att ta fram ett uppföljningsbart mål eller en indikator för lokal samverkan. "
        "Indikatorerna nedan är ett förslag som kan beräknas direkt ur redovisningarna. Varje "
        "indikator beräknas för varje län och för riket; länen rangordnas så att 1 är det "
        "högsta värdet. Där en uppgift saknas redovisas inget värde, aldrig en skattning.\n\n"
        "## Andel projekt med reell samverkan\n\n")
    card = indicators.INDICATOR_BY_KEY["korrelation_medel_befolkning"]
    block = "\n".join([
        f"## {card.title}", "",
        "- **Enhet:** korrelationskoefficient (−1 till 1)",
        f"- **Täljare:** {card.numerator}",
        f"- **Nämnare:** {card.denominator}",
        f"- **Källa:** {card.source}",
        "- **Redovisas för:** riket",
        f"- **Att tänka på:** {card.caveats}", "", ""])
    assert block in text + "\n"
    units = {"andel": "andel i procent", "kr": "kronor", "antal": "antal", "kvot": "kvot"}
    for card in indicators.INDICATORS:
        if card.unit in units:
            assert (f"## {card.title}\n\n- **Enhet:** {units[card.unit]}\n"
                    f"- **Täljare:** {card.numerator}\n") in text
            assert f"- **Redovisas för:** län och riket\n- **Att tänka på:** {card.caveats}\n" \
                in text
    assert text.endswith(f"- **Att tänka på:** {indicators.INDICATORS[-1].caveats}\n")


def test_the_chapter_is_written_where_asked(tmp_path):
    target = tmp_path / "kapitel.md"
    assert indicators.write_indicator_definitions(target) == target
    assert target.read_text(encoding="utf-8") == indicators.indicator_definitions_markdown()


def test_ratio_rows_for_a_county_missing_from_the_denominator():
    rows = indicators._ratio_rows("x", pd.Series({"01": 2.0}), pd.Series({"01": 4.0}))
    by = {r["lan_code"]: r for r in rows}
    assert by["01"]["value"] == 0.5 and by["01"]["note"] == ""
    # Uppsala is not in the denominator: no value, and no note unless one is given
    assert math.isnan(by["03"]["value"]) and math.isnan(by["03"]["denominator"])
    assert by["03"]["note"] == "" and by["03"]["numerator"] == 0
    gaps = pd.Series({lan: float("nan") for lan in frames.counties()})
    gaps["01"] = 4.0
    nation = indicators._ratio_rows("x", pd.Series({"01": 2.0}), gaps)[-1]
    assert nation["note"] == " för 20 av 21 län"  # an empty note: only the count is left


def test_the_chapter_goes_to_the_generated_folder_by_default(tmp_path, monkeypatch):
    monkeypatch.setattr(indicators, "generated_dir", lambda: tmp_path)
    assert indicators.write_indicator_definitions() == tmp_path / "indikatorer.md"
    assert (tmp_path / "indikatorer.md").read_text(encoding="utf-8").startswith(
        "# Indikatorer för uppföljning av lokal samverkan")


def test_county_indicators_use_the_values_given(p2011, monkeypatch):
    monkeypatch.setattr(indicators, "_populations", _everyone)
    values = indicators.indicator_values(p2011)

    def recomputed(*_: object) -> pd.DataFrame:
        raise AssertionError("the values were given: nothing to recompute")

    monkeypatch.setattr(indicators, "indicator_values", recomputed)
    table = indicators.county_indicators("01", p2011, values=values).set_index("indikator")
    assert table.at["Andel projekt med reell samverkan", "län"] == f"100,0{NBSP}%"


ROW_KEYS = {"indicator", "lan_code", "value", "numerator", "denominator", "note"}


def test_every_row_of_the_population_indicators_has_the_same_fields():
    known = pd.Series({lan: float("nan") for lan in frames.counties()})
    known["01"], known["03"], known["04"] = 100.0, 200.0, 300.0
    allocated = pd.Series({"01": 400.0, "03": 50.0})
    for rows in (indicators._correlation_rows(allocated, known, NO_POP),
                 indicators._correlation_rows(allocated, known.iloc[:2], NO_POP),
                 indicators._share_ratio_rows(allocated, known, NO_POP),
                 indicators._share_ratio_rows(allocated, _everyone(), NO_POP)):
        assert len(rows) == 22
        assert all(set(r) == ROW_KEYS for r in rows)


def test_missing_populations_are_named_in_every_population_indicator(p2011, monkeypatch):
    population = pd.Series({lan: float("nan") for lan in frames.counties()})
    population["01"], population["03"] = 300_000.0, 100_000.0
    monkeypatch.setattr(indicators, "_populations", lambda: population)
    v = indicators.indicator_values(p2011)
    per_100k = _values(v, "projekt_per_100000")
    assert per_100k.loc["25", "note"] == NO_POP
    assert per_100k.loc["00", "note"] == f"{NO_POP} för 19 av 21 län"
    corr = _values(v, "korrelation_medel_befolkning").loc["00", "note"]
    assert corr == f"2 av 21 län med känd folkmängd; minst tre behövs ({NO_POP} för övriga)"
