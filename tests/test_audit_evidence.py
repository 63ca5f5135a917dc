"""Weighing the evidence (:mod:`samverkan.audit.evidence`) on small synthetic reports: which
figure of a finding is the suspect, what it would be, the Swedish assessment and the offered
corrections. Every expected value is worked out here from the figures (a sum, a difference),
never read from the module's output."""

from __future__ import annotations

from functools import partial
from types import SimpleNamespace

import pandas as pd
import pytest

from samverkan.audit import evidence, rules
from samverkan.reference import COLUMNS
from tests.test_audit_rules import _row

COUNTIES = ("01", "03")
NBSP = "\u00a0"


def _frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["value"] = frame["value"].astype("float64")
    return frame


CHECK = partial(rules.checks, forms={}, counties=COUNTIES)


def _weigh(rows: list[dict[str, object]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = _frame(rows)
    return frame, evidence.weigh(frame, CHECK(frame), CHECK)


PROSE = {"table": "prose", "source": "Sammanfattning"}


# ------------------------------------------------------------------------- the implied value


def _finding(kind: str, keys: str, stated: float, expected: float, signs: str = "",
             unit: str = "projects") -> SimpleNamespace:
    return SimpleNamespace(kind=kind, keys=keys, stated=stated, expected=expected, signs=signs,
                           unit=unit)


def test_implied_value_of_each_figure_of_a_sum():
    # the total 10 against its parts 3 + 4 = 7: the total would be 7, a part 3 + (10 − 7) = 6
    # and the other 4 + 3 = 7 (6 + 4 = 3 + 7 = 10)
    row = _finding("equal", "t;a;b", 10, 7, "0;1;1")
    values = pd.Series({"t": 10.0, "a": 3.0, "b": 4.0})
    assert evidence._implied(row, "t", values) == 7
    assert evidence._implied(row, "a", values) == 6
    assert evidence._implied(row, "b", values) == 7


def test_implied_value_through_a_minus():
    # repayment 5 = requisitioned 100 − costs 90 (= 10): requisitioned would be 95, costs 95
    row = _finding("equal", "r;q;c", 5, 10, "0;1;-1", unit="sek")
    values = pd.Series({"r": 5.0, "q": 100.0, "c": 90.0})
    assert evidence._implied(row, "r", values) == 10
    assert evidence._implied(row, "q", values) == 95
    assert evidence._implied(row, "c", values) == 95


def test_implied_value_of_a_pair_is_the_other_figure():
    values = pd.Series({"x": 4.0, "y": 9.0})
    for row in (_finding("equal", "x;y", 4, 9, "0;1"), _finding("atmost", "x;y", 4, 9),
                _finding("equal", "x;y", 4, 9, "0;1", unit="date")):
        assert evidence._implied(row, "x", values) == 9
        assert evidence._implied(row, "y", values) == 4


def test_no_implied_value_without_an_equation():
    values = pd.Series({"x": 4.0, "y": 9.0, "z": 1.0})
    assert evidence._implied(_finding("atleast", "x;y", 4, 9, "0;1"), "x", values) is None
    assert evidence._implied(_finding("other", "x;y", 4, 9), "y", values) is None
    assert evidence._implied(_finding("equal", "x;y", 4, 9), "y", values) is None  # no signs
    # three dates: no sum of dates is meant
    three = _finding("equal", "x;y;z", 4, 9, "0;1;1", unit="date")
    assert evidence._implied(three, "x", values) is None
    # atmost with three figures says nothing about one of them
    assert evidence._implied(_finding("atmost", "x;y;z", 4, 9), "x", values) is None


def test_mutated_sets_a_figure_in_its_printed_unit():
    frame = _frame([_row("m", "allocated_sek", 23, unit="msek"),
                    _row("s", "granted_sek", 500, unit="sek")])
    out = evidence._mutated(frame, "m", 24_000_000)
    assert out["value"].tolist() == [24.0, 500.0]
    out = evidence._mutated(frame, "s", 700)
    assert out["value"].tolist() == [23.0, 700.0]
    assert frame["value"].tolist() == [23.0, 500.0]  # the input is left as it was


# ---------------------------------------------------------------------- counting relations


def test_relation_counts_counts_holding_equalities_and_contradictions_per_figure():
    checks = pd.DataFrame({
        "keys": ["a;b", "a;c", "b;c;b", "a;d", "d;e", "c;e", "e;f"],
        "finding": [False, False, True, True, True, False, False],
        "kind": ["equal", "other", "equal", "atmost", "equal", "atmost", "equal"],
        "severity": ["", "", "Motsägelse", "Motsägelse", "Möjlig avvikelse", "", ""],
    })
    holds, fails = evidence.relation_counts(checks)
    # holding: a;b (equal), a;c (other), e;f (equal); c;e is an inequality: confirms nothing
    assert holds == {"a": 2, "b": 1, "c": 1, "e": 1, "f": 1}
    # contradictions: b;c;b (b once), a;d; d;e is only a possible deviation
    assert fails == {"b": 1, "c": 1, "a": 1, "d": 1}


def test_most_failing_keeps_the_crossing_figures_only_from_two_contradictions():
    assert evidence._most_failing(["a", "b", "c"], {"a": 2, "b": 1, "c": 2}) == ["a", "c"]
    assert evidence._most_failing(["a", "b"], {"a": 1, "b": 1}) == ["a", "b"]
    assert evidence._most_failing(["a", "b"], {"a": 1}) == ["a", "b"]
    assert evidence._most_failing(["a", "b"], {"b": 3}) == ["b"]


# ------------------------------------------------------------------------- weighing findings


def _single_free(total: int) -> list[dict[str, object]]:
    """Tabell 2: Stockholm 2 + Uppsala 3 against a Summa of ``total``; the county cells are
    printed again in the summary (and agree), so only the Summa is free."""
    return [_row("t2.01.p", "projects_granted", 2, lan="01", parent="t2.total.p"),
            _row("t2.03.p", "projects_granted", 3, lan="03", parent="t2.total.p"),
            _row("t2.total.p", "projects_granted", total),
            _row("p.01", "projects_granted", 2, lan="01", **PROSE),
            _row("p.03", "projects_granted", 3, lan="03", **PROSE)]


def test_the_only_free_figure_is_the_suspect_and_the_others_give_its_value():
    frame, weighed = _weigh(_single_free(6))
    assert weighed["rule"].tolist() == ["sum_of_parts"]
    row = weighed.iloc[0]
    assert row["keys"] == "t2.total.p;t2.01.p;t2.03.p"
    assert row["suspect"] == "t2.total.p" and row["candidates"] == "t2.total.p"
    assert row["suspect_value"] == 5  # 2 + 3
    assert row["assessment"] == ("Misstänkt: beviljade projekt 2008–2010 i rapportens tabell 2 "
                                 "(6 projekt); de övriga siffrorna ger 5 projekt.")
    # the findings with their own columns, then the weighing's (no index column in between)
    assert list(weighed.columns) == [*rules.CHECK_COLUMNS, *evidence.WEIGHED_COLUMNS]
    fixes = evidence.corrections(frame, weighed, CHECK)
    assert fixes.to_dict("records") == [{"key": "t2.total.p", "source": "Tabell 2",
                                         "printed": 6.0, "corrected": 5.0, "resolves": 1}]


def test_a_county_figure_is_described_with_its_county():
    # the Stockholm cell is the free one: its summary printing is gone, the Summa 5 is
    # printed again in the summary (and agrees), Uppsala's 3 likewise
    rows = [r for r in _single_free(5) if r["key"] != "p.01"]
    rows[0]["value"] = 1
    rows.append(_row("p.total", "projects_granted", 5, **PROSE))
    frame, weighed = _weigh(rows)
    row = weighed.iloc[0]
    assert row["suspect"] == "t2.01.p" and row["suspect_value"] == 2  # 5 − 3
    assert row["assessment"] == ("Misstänkt: beviljade projekt 2008–2010, Stockholm i "
                                 "rapportens tabell 2 (1 projekt); de övriga siffrorna ger "
                                 "2 projekt.")


def test_no_figure_is_named_when_every_one_is_confirmed_elsewhere():
    rows = [*_single_free(6), _row("p.total", "projects_granted", 6, **PROSE)]
    frame, weighed = _weigh(rows)
    found = weighed[weighed["rule"] == "sum_of_parts"].iloc[0]
    assert found["suspect"] == "" and found["candidates"] == ""
    assert pd.isna(found["suspect_value"])
    assert found["assessment"] == ("Ingen enskild siffra kan pekas ut: var och en bekräftas av "
                                   "en annan kontroll.")
    assert evidence.corrections(frame, weighed, CHECK).empty


def _pair(table_value: int, prose_value: int, period: str = "2008-2010"
          ) -> list[dict[str, object]]:
    """One figure printed in Tabell 2 and in the summary; Tabell 2's has a sub-count of 5
    (projects started) below it."""
    tag = "" if period == "2008-2010" else f"_{period}"
    return [_row(f"t2.total.p{tag}", "projects_granted", table_value, period=period),
            _row(f"t2.total.s{tag}", "projects_started", 5, period=period,
                 parent=f"t2.total.p{tag}"),
            _row(f"p.total{tag}", "projects_granted", prose_value, period=period, **PROSE)]


def test_of_two_free_figures_the_one_whose_correction_breaks_nothing_is_the_suspect():
    # Tabell 2 says 5, the summary 4. Setting the summary to 5 resolves the finding; setting
    # Tabell 2 to 4 would put its 5 started projects above its 4 granted: a new finding
    frame, weighed = _weigh(_pair(5, 4))
    found = weighed[weighed["rule"] == "same_figure"].iloc[0]
    assert found["keys"] == "p.total;t2.total.p"
    assert found["candidates"] == "p.total;t2.total.p"
    assert found["suspect"] == "p.total" and found["suspect_value"] == 5
    assert found["assessment"] == ("Misstänkt: beviljade projekt 2008–2010 i rapportens "
                                   "sammanfattning (4 projekt); de övriga siffrorna ger "
                                   "5 projekt.")
    assert evidence.corrections(frame, weighed, CHECK).to_dict("records") == [
        {"key": "p.total", "source": "Sammanfattning", "printed": 4.0, "corrected": 5.0,
         "resolves": 1}]


def test_two_free_figures_whose_corrections_both_hold_name_no_suspect():
    # Tabell 2 says 6, the summary 7: either could be right (5 started ≤ 6 and ≤ 7)
    frame, weighed = _weigh(_pair(6, 7))
    found = weighed[weighed["rule"] == "same_figure"].iloc[0]
    assert found["suspect"] == "" and pd.isna(found["suspect_value"])
    assert found["candidates"] == "p.total;t2.total.p"
    assert found["assessment"] == (
        "Ingen enskild siffra kan pekas ut: felet kan ligga i beviljade projekt 2008–2010 i "
        "rapportens sammanfattning (7 projekt) eller beviljade projekt 2008–2010 i rapportens "
        "tabell 2 (6 projekt).")
    assert evidence.corrections(frame, weighed, CHECK).empty


def test_a_sub_count_above_its_whole_names_no_figure_and_a_shortfall_names_none_either():
    _, weighed = _weigh([_row("t2.total.p", "projects_granted", 4),
                         _row("t2.total.s", "projects_started", 5, parent="t2.total.p")])
    assert weighed["rule"].tolist() == ["subcount"]
    # two free figures, and either correction (4 → 5 or 5 → 4) resolves it: no suspect
    assert weighed["suspect"].tolist() == [""]
    structures = [_row("t2.01.projects", "projects_granted", 5, lan="01"),
                  _row("t2.01.new", "new_structures", 2, lan="01"),
                  _row("t2.01.existing", "existing_structures", 2, lan="01"),
                  _row("t2.01.evaluated", "evaluated_structures", 0, lan="01")]
    _, weighed = _weigh(structures)
    assert weighed["rule"].tolist() == ["coverage"]
    row = weighed.iloc[0]
    assert row["suspect"] == "" and row["candidates"] == "" and pd.isna(row["suspect_value"])
    assert row["assessment"] == ("Ingen enskild siffra pekas ut: delarna räcker inte till "
                                 "helheten, och vilken som är för liten säger inga andra "
                                 "siffror.")


def _many_parts(total: int) -> list[dict[str, object]]:
    """A Summa over five county cells (1 each), none printed anywhere else."""
    lans = ("01", "03", "04", "05", "06")
    return [*(_row(f"t2.{lan}.p", "projects_granted", 1, lan=lan, parent="t2.total.p")
              for lan in lans),
            _row("t2.total.p", "projects_granted", total)]


def test_more_free_figures_than_can_be_tried_name_no_suspect():
    frame, weighed = _weigh(_many_parts(6))
    row = weighed.iloc[0]
    assert row["suspect"] == "" and pd.isna(row["suspect_value"])
    assert row["candidates"] == "t2.total.p;t2.01.p;t2.03.p;t2.04.p;t2.05.p;t2.06.p"
    assert row["assessment"] == ("Ingen enskild siffra kan pekas ut: 6 av siffrorna bekräftas "
                                 "inte av någon annan kontroll.")
    assert evidence.MAX_TRIALS == 4


def test_weigh_keeps_the_findings_in_order_with_their_own_columns():
    frame, weighed = _weigh([*_single_free(6), *_pair(5, 4, "2008-2009")])
    assert weighed["rule"].tolist() == ["sum_of_parts", "same_figure"]
    assert weighed["suspect"].tolist() == ["t2.total.p", "p.total_2008-2009"]
    assert weighed["suspect_value"].tolist() == [5, 5]
    # the corrections come in the order of their keys, not of the findings
    fixes = evidence.corrections(frame, weighed, CHECK)
    assert fixes["key"].tolist() == ["p.total_2008-2009", "t2.total.p"]
    assert fixes["corrected"].tolist() == [5, 5]
    assert weighed.index.tolist() == [0, 1]
    assert not weighed["finding"].eq(False).any()


@pytest.mark.parametrize("suspect", ["marker:t1:*"])
def test_a_marker_suspect_is_described_by_its_label(suspect):
    row = SimpleNamespace(kind="equal", unit="sek")
    text = evidence._assessment(suspect, [], float("nan"), pd.DataFrame(), row)
    assert text == ("Misstänkt: ej rekvirerade medel (stjärnmarkerade celler i rapportens "
                    "tabell 1). Varje siffra i sambandet bekräftas av en annan kontroll som går "
                    "ihop, men markeringarna gör det inte.")


def test_a_share_suspect_gives_no_value_in_percent():
    figs = pd.DataFrame({"source": ["Sammanfattning"], "lan_code": [""],
                         "measure": ["family_perspective_share"], "period": ["2008-2010"],
                         "value": [30.0], "unit": ["percent"]}, index=["p.share"])
    row = SimpleNamespace(kind="other", unit="percent")
    assert evidence._assessment("p.share", ["p.share"], 37.0, figs, row) == (
        f"Misstänkt: andelen projekt med familjeperspektiv 2008–2010 i rapportens "
        f"sammanfattning (30{NBSP}%).")


def test_a_correction_is_offered_only_where_it_explains_everything_about_its_figure():
    t3 = {"period": "2008", "table": "t3", "source": "Tabell 3"}
    t4 = {"period": "2009", "table": "t4", "source": "Tabell 4"}
    t9 = {"period": "2010", "table": "t9", "source": "Tabell 9"}
    prose = {"table": "prose", "source": "Sammanfattning"}
    rows = [
        # 2008: the Summa 9 is the only free figure of 2 + 3, but setting it to 5 would put
        # its 6 started projects above it: no correction
        _row("a.01", "projects_granted", 2, lan="01", parent="a.total", **t3),
        _row("a.03", "projects_granted", 3, lan="03", parent="a.total", **t3),
        _row("a.total", "projects_granted", 9, **t3),
        _row("a.s", "projects_started", 6, parent="a.total", **t3),
        _row("a.p01", "projects_granted", 2, lan="01", period="2008", **prose),
        _row("a.p03", "projects_granted", 3, lan="03", period="2008", **prose),
        # 2009: Stockholm's 5 is the only free figure of 5 + 3 against 9 (it would be 6), but it
        # is also the whole that its structures 2 + 2 + 0 fall short of: no correction
        _row("b.01", "projects_granted", 5, lan="01", parent="b.total", **t4),
        _row("b.03", "projects_granted", 3, lan="03", parent="b.total", **t4),
        _row("b.total", "projects_granted", 9, **t4),
        _row("b.p03", "projects_granted", 3, lan="03", period="2009", **prose),
        _row("b.ptotal", "projects_granted", 9, period="2009", **prose),
        _row("b.new", "new_structures", 2, lan="01", **t4),
        _row("b.existing", "existing_structures", 2, lan="01", **t4),
        _row("b.evaluated", "evaluated_structures", 0, lan="01", **t4),
        # 2010: the summary's 4 against Tabell 9's 5, which has 5 started projects below it
        _row("c.t", "projects_granted", 5, **t9),
        _row("c.s", "projects_started", 5, parent="c.t", **t9),
        _row("c.prose", "projects_granted", 4, period="2010", **prose),
    ]
    frame, weighed = _weigh(rows)
    assert dict(zip(weighed["keys"], weighed["suspect"], strict=True)) == {
        "a.total;a.01;a.03": "a.total",
        "b.total;b.01;b.03": "b.01",
        "c.prose;c.t": "c.prose",
        "b.new;b.existing;b.evaluated;b.01": "",
        # the nation's structures are Stockholm's (the sum of the counties): 4 against 9
        "b.new;b.existing;b.evaluated;b.total": "",
    }
    assert weighed.set_index("suspect").loc[["a.total", "b.01", "c.prose"],
                                            "suspect_value"].tolist() == [5, 6, 5]
    fixes = evidence.corrections(frame, weighed, CHECK)
    assert fixes.to_dict("records") == [{"key": "c.prose", "source": "Sammanfattning",
                                         "printed": 4.0, "corrected": 5.0, "resolves": 1}]


def test_no_correction_is_still_a_table_with_its_columns():
    frame, weighed = _weigh(_pair(6, 7))
    fixes = evidence.corrections(frame, weighed, CHECK)
    assert fixes.empty
    assert list(fixes.columns) == ["key", "source", "printed", "corrected", "resolves"]


def test_no_correction_when_two_findings_imply_different_values_for_the_suspect():
    # Stockholm's 5 started projects of 2008–2009 are above its 3 granted projects of
    # 2008–2009 and above its 4 started projects of 2008–2010; the 3 and the 4 are printed
    # again in the prose. The 5 is the suspect of both, which would make it 3 and 4: no
    # single correction is offered, although 3 would resolve both
    t2 = {"lan": "01"}
    prose = {"lan": "01", "table": "prose", "source": "Reflektioner"}
    rows = [_row("t2.01.granted", "projects_granted", 3, period="2008-2009", **t2),
            _row("t2.01.started", "projects_started", 5, period="2008-2009",
                 parent="t2.01.granted", **t2),
            _row("t2.01.started_all", "projects_started", 4, **t2),
            _row("p.01.granted", "projects_granted", 3, period="2008-2009", **prose),
            _row("p.01.started_all", "projects_started", 4, **prose)]
    frame, weighed = _weigh(rows)
    assert dict(zip(weighed["rule"], weighed["suspect_value"], strict=True)) == {
        "subcount": 3, "period_nesting": 4}
    assert set(weighed["suspect"]) == {"t2.01.started"}
    assert evidence.corrections(frame, weighed, CHECK).empty


def test_four_free_figures_are_each_tried():
    # 2008–2009: Riket's 9 against Stockholm 2 + Uppsala 3 + Södermanland 3 = 8, none printed
    # elsewhere. Each county's 2008–2009 count equals its 2008–2010 count, so raising one
    # (to 3, 4 or 4) would put the shorter period above the longer one: only lowering
    # Riket's 9 to 8 resolves the finding without a new one
    counts = {"01": 2, "03": 3, "04": 3}
    rows = [_row("t2.total.p0809", "projects_granted", 9, period="2008-2009")]
    for lan, n in counts.items():
        rows += [_row(f"t2.{lan}.p0809", "projects_granted", n, lan=lan, period="2008-2009",
                      parent="t2.total.p0809"),
                 _row(f"t2.{lan}.p", "projects_granted", n, lan=lan)]
    _, weighed = _weigh(rows)
    found = weighed[weighed["rule"] == "sum_of_parts"].iloc[0]
    assert found["candidates"] == "t2.total.p0809;t2.01.p0809;t2.03.p0809;t2.04.p0809"
    assert found["suspect"] == "t2.total.p0809" and found["suspect_value"] == 8


def test_a_figure_without_a_period_is_described_without_a_gap():
    figs = pd.DataFrame({"source": ["Metod för sammanställning"], "lan_code": [""],
                         "measure": ["county_boards"], "period": [""], "value": [20.0],
                         "unit": ["count"]}, index=["p.boards"])
    row = SimpleNamespace(kind="other", unit="count")
    assert evidence._assessment("p.boards", ["p.boards"], 21.0, figs, row) == (
        "Misstänkt: länsstyrelser i rapportens metodavsnitt (20); de övriga siffrorna ger 21.")


def test_implied_value_of_a_pair_through_a_minus_uses_the_sign():
    # x = −y with x printed 4 and y 9 (so −9 expected): x would be −9, y would be −4
    row = _finding("equal", "x;y", 4, -9, "0;-1")
    values = pd.Series({"x": 4.0, "y": 9.0})
    assert evidence._implied(row, "x", values) == -9
    assert evidence._implied(row, "y", values) == -4


def test_four_free_figures_that_each_could_be_wrong_are_all_named():
    # the same sum without the 2008–2010 cells: any of the four corrections resolves it alone
    rows = [_row("t2.total.p0809", "projects_granted", 9, period="2008-2009")]
    for lan, n in {"01": 2, "03": 3, "04": 3}.items():
        rows.append(_row(f"t2.{lan}.p0809", "projects_granted", n, lan=lan,
                         period="2008-2009", parent="t2.total.p0809"))
    _, weighed = _weigh(rows)
    found = weighed.iloc[0]
    assert found["suspect"] == ""
    assert found["assessment"] == (
        "Ingen enskild siffra kan pekas ut: felet kan ligga i beviljade projekt 2008–2009 i "
        "rapportens tabell 2 (9 projekt) eller beviljade projekt 2008–2009, Stockholm i "
        "rapportens tabell 2 (2 projekt) eller beviljade projekt 2008–2009, Uppsala i "
        "rapportens tabell 2 (3 projekt) eller beviljade projekt 2008–2009, Södermanland i "
        "rapportens tabell 2 (3 projekt).")


def _period_ends(first: int, second: int) -> list[dict[str, object]]:
    """The end of the final report period printed twice (the foreword first, then the method),
    with the extended deadline 2011-04-30 and the report due 2011-12-31."""
    date = {"unit": "date", "table": "prose"}
    return [_row("p.foreword.end", "report_period_end", first, source="Förord", **date),
            _row("p.method.end", "report_period_end", second,
                 source="Metod för sammanställning", **date),
            _row("p.original", "report_due_original", 20110430, source="Förord", **date),
            _row("p.due", "report_due", 20111231, source="Förord", **date)]


@pytest.mark.parametrize(("first", "second", "suspect", "where"), [
    (20110831, 20100831, "p.method.end", "metodavsnitt"),  # the figure first in the keys
    (20100831, 20110831, "p.foreword.end", "förord"),  # the reference, second in the keys
])
def test_a_date_printed_two_ways_gets_the_other_printings_value(first, second, suspect, where):
    # 2011-08-31 is after the original deadline 2011-04-30 (the period was extended) and 122
    # days before the report due 2011-12-31; 2010-08-31 is before the deadline and 487 days
    # before the report: the other dates speak for 2011-08-31
    _, weighed = _weigh(_period_ends(first, second))
    dated = weighed[weighed["rule"] == "same_figure"].iloc[0]
    assert dated["keys"] == "p.method.end;p.foreword.end"
    assert dated["suspect"] == suspect and dated["suspect_value"] == 20110831
    assert dated["assessment"].startswith(
        f"Misstänkt: redovisningsperiodens slut 2008–2010 i rapportens {where} (2010-08-31); "
        f"de övriga siffrorna ger 2011-08-31. ")


def test_a_tie_goes_to_the_figure_in_two_contradictions():
    # Tabell 2's Summa 6 disagrees with its parts 2 + 3 and with the summary's 7. Setting
    # either printing of the Summa to the other resolves that finding alone, a tie; the Summa
    # of Tabell 2 is in both contradictions, the summary's 7 in one: the Summa is the suspect
    rows = [*_single_free(6), _row("p.total", "projects_granted", 7, **PROSE)]
    _, weighed = _weigh(rows)
    found = weighed.set_index("rule")
    assert found.at["same_figure", "keys"] == "p.total;t2.total.p"
    assert found.at["same_figure", "suspect"] == "t2.total.p"
    assert found.at["same_figure", "suspect_value"] == 7
    assert found.at["sum_of_parts", "suspect"] == "t2.total.p"
    assert found.at["sum_of_parts", "suspect_value"] == 5


def test_with_many_free_figures_one_in_two_contradictions_is_tried():
    # five county cells of 1 against a Summa of 6; Stockholm's cell is also printed as 2 in
    # the reflections. Setting the cell to 2 resolves both findings: the suspect of each
    rows = [*_many_parts(6), _row("p.01", "projects_granted", 2, lan="01", table="prose",
                                  source="Reflektioner")]
    frame, weighed = _weigh(rows)
    found = weighed.set_index("rule")
    assert found.at["sum_of_parts", "suspect"] == "t2.01.p"
    assert found.at["sum_of_parts", "suspect_value"] == 2  # 1 + (6 − 5)
    assert found.at["same_figure", "suspect"] == "t2.01.p"
    assert evidence.corrections(frame, weighed, CHECK).to_dict("records") == [
        {"key": "t2.01.p", "source": "Tabell 2", "printed": 1.0, "corrected": 2.0,
         "resolves": 2}]


def test_many_free_figures_of_a_possible_deviation_name_no_suspect():
    # integrated 3 (Stockholm) + 2 (Uppsala), with a plan 2, not to be integrated 1: 8 of 6
    # started projects, which the overlap of the categories may explain. None of the five
    # figures is in a contradiction, so none is tried
    t5 = {"table": "t5", "source": "Tabell 5"}
    rows = [_row("t5.base", "projects_started", 6, **t5),
            _row("t5.01.done", "integration_done", 3, lan="01", **t5),
            _row("t5.03.done", "integration_done", 2, lan="03", **t5),
            _row("t5.plan", "integration_plan", 2, **t5),
            _row("t5.not", "integration_not_relevant", 1, **t5)]
    _, weighed = _weigh(rows)
    found = weighed.iloc[0]
    assert found["severity"] == "Möjlig avvikelse" and found["suspect"] == ""
    assert found["candidates"] == "t5.base;t5.01.done;t5.03.done;t5.plan;t5.not"
    assert found["assessment"] == ("Ingen enskild siffra kan pekas ut: 5 av siffrorna "
                                   "bekräftas inte av någon annan kontroll.")


def test_a_confirmed_identity_blames_no_markers_outside_table_1():
    # costs 70 against granted 50 + administration 10; each is printed again in the summary
    # and agrees there. Tabell 6's granted funds carry a star, but only Tabell 1's stars
    # (funds not requisitioned) take part in an identity: no suspect
    t6 = {"unit": "sek", "table": "t6", "source": "Tabell 6"}
    summary = {"unit": "sek", **PROSE}
    rows = [_row("t6.granted", "granted_sek", 50, marker="*", **t6),
            _row("t6.adm", "administration_sek", 10, **t6),
            _row("t6.costs", "total_costs_sek", 70, **t6),
            _row("p.granted", "granted_sek", 50, **summary),
            _row("p.adm", "administration_sek", 10, **summary),
            _row("p.costs", "total_costs_sek", 70, **summary)]
    _, weighed = _weigh(rows)
    found = weighed.iloc[0]
    assert found["rule"] == "identity" and found["keys"] == "t6.costs;t6.granted;t6.adm"
    assert found["suspect"] == "" and found["candidates"] == ""
    assert found["assessment"] == ("Ingen enskild siffra kan pekas ut: var och en bekräftas av "
                                   "en annan kontroll.")


def test_with_many_free_figures_a_correction_that_resolves_one_finding_names_no_one():
    # five county cells of 1 against a Summa of 6; Stockholm's cell is also printed as 3 in
    # the reflections. Setting the cell to 2 resolves the Summa but not the reflections' 3:
    # one finding is not enough to single out one of six unconfirmed figures
    rows = [*_many_parts(6), _row("p.01", "projects_granted", 3, lan="01", table="prose",
                                  source="Reflektioner")]
    _, weighed = _weigh(rows)
    found = weighed.set_index("rule")
    assert found.at["sum_of_parts", "suspect"] == ""
    assert pd.isna(found.at["sum_of_parts", "suspect_value"])
