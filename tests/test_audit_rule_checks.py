"""Every audit rule's check field by field on small synthetic reports of two counties, its
Swedish detail sentence written out by hand from the figures (a sum, a difference, a county's
name), so that a wrong word, figure or county in the audit chapter fails a test. The synthetic
reports are those of ``tests/test_audit_rules.py``."""

from __future__ import annotations

import pandas as pd

from samverkan.audit import rules
from samverkan.reference import COLUMNS
from tests.test_audit_rules import (
    COUNTIES,
    FORMS,
    _admin,
    _checks,
    _counts,
    _dates,
    _integration,
    _questions,
    _row,
    _share,
    _structures,
)

NBSP = "\u00a0"


def _one(rows: list[dict[str, object]], rule: str) -> dict[str, object]:
    found = _checks(rows, rule)
    assert len(found) == 1, found["detail"].tolist()
    return found.iloc[0].to_dict()


def _fields(check: dict[str, object], *names: str) -> list[object]:
    return [check[n] for n in names]


def _counties(total: float, stockholm: float = 2, uppsala: float = 3,
              unit: str = "projects") -> list[dict[str, object]]:
    return [_row("t2.01.p", "projects_granted", stockholm, lan="01", parent="t2.total.p",
                 unit=unit),
            _row("t2.03.p", "projects_granted", uppsala, lan="03", parent="t2.total.p",
                 unit=unit),
            _row("t2.total.p", "projects_granted", total, unit=unit)]


def test_sum_of_parts_check_in_full():
    wrong = _one(_counties(6), "sum_of_parts")
    assert wrong == {
        "source": "Tabell 2", "rule": "sum_of_parts", "severity": "Motsägelse",
        "expected": 5.0, "stated": 6.0, "difference": 1.0, "unit": "projects",
        "keys": "t2.total.p;t2.01.p;t2.03.p", "tolerance": "",
        "detail": "Rapportens tabell 2: beviljade projekt 2008–2010 anges till 6 projekt, men "
                  "delarna 2 (Stockholm) + 3 (Uppsala) summerar till 5 projekt.",
        "finding": True, "kind": "equal", "signs": "0;1;1"}
    right = _one(_counties(5), "sum_of_parts")
    assert _fields(right, "severity", "finding", "difference") == ["", False, 0.0]
    assert right["detail"] == ("Rapportens tabell 2: beviljade projekt 2008–2010 anges till "
                               "5 projekt, och delarna 2 (Stockholm) + 3 (Uppsala) summerar "
                               "till 5 projekt.")


def test_sum_of_parts_over_many_parts_names_their_kind_and_skips_what_does_not_add():
    lans = ("01", "03", "04", "05", "06")
    rows = [*(_row(f"t2.{lan}.p", "projects_granted", 1, lan=lan, parent="t2.total.p")
              for lan in lans),
            _row("t2.total.p", "projects_granted", 5)]
    check = _one(rows, "sum_of_parts")
    assert check["detail"] == ("Rapportens tabell 2: beviljade projekt 2008–2010 anges till "
                               "5 projekt, och de 5 delarna (länens värden) summerar till "
                               "5 projekt.")
    assert check["keys"] == "t2.total.p;t2.01.p;t2.03.p;t2.04.p;t2.05.p;t2.06.p"
    # five parts, two of them Stockholm's (different periods): the parts' values
    rows[1]["lan_code"] = "01"
    rows[1]["period"] = "2008-2009"
    assert _one(rows, "sum_of_parts")["detail"].endswith(
        "och de 5 delarna (delarnas värden) summerar till 5 projekt.")
    # a share does not add up; a child of another measure is no part; a missing parent
    assert _checks(_counties(6, unit="percent"), "sum_of_parts").empty
    other = _counties(6)
    other[1]["measure"] = "projects_started"
    assert _one(other, "sum_of_parts")["keys"] == "t2.total.p;t2.01.p"
    orphan = [r for r in _counties(6) if r["key"] != "t2.total.p"]
    assert _checks(orphan, "sum_of_parts").empty


def test_a_part_of_another_period_is_named_by_its_period():
    rows = [_row("t1.01.2009", "allocated_sek", 100, unit="sek", lan="01", period="2009",
                 table="t1", source="Tabell 1", parent="t1.01.total"),
            _row("t1.01.2010", "allocated_sek", 300, unit="sek", lan="01", period="2010",
                 table="t1", source="Tabell 1", parent="t1.01.total"),
            _row("t1.01.total", "allocated_sek", 500, unit="sek", lan="01",
                 period="2009-2010", table="t1", source="Tabell 1")]
    assert _one(rows, "sum_of_parts")["detail"] == (
        f"Rapportens tabell 1, Stockholm: fördelade medel 2009–2010 anges till 500{NBSP}kr, "
        f"men delarna 100 (2009) + 300 (2010) summerar till 400{NBSP}kr.")


def _years(total: float, y2008: float = 100) -> list[dict[str, object]]:
    t1 = {"unit": "sek", "lan": "01", "table": "t1", "source": "Tabell 1"}
    return [_row("t1.01.2008", "allocated_sek", y2008, period="2008", **t1),
            _row("t1.01.2009", "allocated_sek", 200, period="2009", **t1),
            _row("t1.01.2010", "allocated_sek", 300, period="2010", **t1),
            _row("t1.01.total", "allocated_sek", total, **t1)]


def test_period_sum_check_in_full():
    wrong = _one(_years(650), "period_sum")
    assert wrong == {
        "source": "Tabell 1", "rule": "period_sum", "severity": "Motsägelse",
        "expected": 600.0, "stated": 650.0, "difference": 50.0, "unit": "sek",
        "keys": "t1.01.total;t1.01.2008;t1.01.2009;t1.01.2010", "tolerance": "",
        "detail": f"Rapportens tabell 1, Stockholm: fördelade medel för 2008–2010 anges till "
                  f"650{NBSP}kr, men 2008 + 2009 + 2010 = 100 + 200 + 300 = 600{NBSP}kr.",
        "finding": True, "kind": "equal", "signs": "0;1;1;1"}
    assert not _one(_years(600), "period_sum")["finding"]
    # the years and their period are not compared again as nested periods
    assert _checks(_years(650), "period_nesting").empty


def test_period_sum_over_a_partial_period_and_a_year():
    t2 = {"lan": "01"}
    rows = [_row("t2.01.p0809", "projects_granted", 3, period="2008-2009", **t2),
            _row("t2.01.p10", "projects_granted", 2, period="2010", **t2),
            _row("t2.01.p", "projects_granted", 6, **t2)]
    check = _one(rows, "period_sum")
    assert check["keys"] == "t2.01.p;t2.01.p0809;t2.01.p10"
    assert check["detail"] == ("Rapportens tabell 2, Stockholm: beviljade projekt för "
                               "2008–2010 anges till 6 projekt, men 2008–2009 + 2010 = 3 + 2 "
                               "= 5 projekt.")
    # a share per year is no sum
    for row in rows:
        row["unit"] = "percent"
    assert _checks(rows, "period_sum").empty


def _nested(partial: float, final: float) -> list[dict[str, object]]:
    return [_row("t2.01.p0809", "projects_granted", partial, lan="01", period="2008-2009"),
            _row("p.01.p", "projects_granted", final, lan="01", table="prose",
                 source="Reflektioner")]


def test_period_nesting_check_in_full():
    # a table and a prose section are different places: the prose figure is its own group,
    # so the 2008–2009 cell is compared with the whole period printed in the table only
    rows = [*_nested(7, 5), _row("t2.01.p", "projects_granted", 5, lan="01")]
    check = _one(rows, "period_nesting")
    assert check == {
        "source": "Tabell 2", "rule": "period_nesting", "severity": "Motsägelse",
        "expected": 5.0, "stated": 7.0, "difference": 2.0, "unit": "projects",
        "keys": "t2.01.p0809;t2.01.p", "tolerance": "",
        "detail": "Rapportens tabell 2, Stockholm: beviljade projekt 2008–2009 (7 projekt) är "
                  "fler än för hela 2008–2010 (5 projekt, rapportens tabell 2).",
        "finding": True, "kind": "atmost", "signs": ""}
    rows[0]["value"] = 5
    holds = _one(rows, "period_nesting")
    assert not holds["finding"] and "(5 projekt) är inte fler än för hela" in holds["detail"]
    assert _checks(_nested(7, 5), "period_nesting").empty  # prose and table apart


def _started(ongoing: float, finished: float, started: float = 6) -> list[dict[str, object]]:
    t5 = {"table": "t5", "source": "Tabell 5"}
    return [_row("t5.base", "projects_started", started, **t5),
            _row("t5.ongoing", "ongoing", ongoing, parent="t5.base", **t5),
            _row("t5.finished", "finished", finished, parent="t5.base", **t5)]


def test_partition_check_in_full():
    wrong = _one(_started(3, 4), "partition")
    assert wrong == {
        "source": "Tabell 5", "rule": "partition", "severity": "Motsägelse",
        "expected": 7.0, "stated": 6.0, "difference": -1.0, "unit": "projects",
        "keys": "t5.base;t5.ongoing;t5.finished", "tolerance": "",
        "detail": "Rapportens tabell 5: pågående 3 + avslutade 4 = 7 projekt, men startade "
                  "projekt 2008–2010 anges till 6 projekt.",
        "finding": True, "kind": "equal", "signs": "0;1;1"}
    assert not _one(_started(2, 4), "partition")["finding"]


def test_overlapping_categories_state_how_many_are_in_more_than_one():
    found = _checks(_integration(done=4, ongoing=2), "partition").set_index("keys")
    row = found.loc["t5.base;t5.done;t5.plan;t5.not"]
    # 4 + 3 + 1 = 8 against 6 started: 2 in more than one category
    assert row["severity"] == "Möjlig avvikelse" and row["expected"] == 8
    assert row["tolerance"] == ("kategorierna kan överlappa (blanketten låter ett projekt "
                                "kryssa både att det har integrerats och att det har en plan "
                                "för resten): 2 projekt i mer än en")
    # fewer than the whole cannot be explained by an overlap
    short = _checks(_integration(done=1, ongoing=2), "partition").set_index("keys")
    assert short.at["t5.base;t5.done;t5.plan;t5.not", "severity"] == "Motsägelse"
    assert short.at["t5.base;t5.done;t5.plan;t5.not", "tolerance"] == ""


def _money(costs: float, repayment: float) -> list[dict[str, object]]:
    t6 = {"unit": "sek", "table": "t6", "source": "Tabell 6"}
    return [_row("t6.granted", "granted_sek", 50, **t6),
            _row("t6.adm", "administration_sek", 10, **t6),
            _row("t6.costs", "total_costs_sek", costs, **t6),
            _row("t6.req", "requisitioned_sek", 100, **t6),
            _row("t6.repay", "repayment_sek", repayment, **t6)]


def test_accounting_identities_in_full():
    found = _checks(_money(costs=70, repayment=40), "identity").set_index("keys")
    costs = found.loc["t6.costs;t6.granted;t6.adm"]
    assert costs.to_dict() == {
        "source": "Tabell 6", "rule": "identity", "severity": "Motsägelse",
        "expected": 60.0, "stated": 70.0, "difference": 10.0, "unit": "sek", "tolerance": "",
        "detail": f"Rapportens tabell 6: sammanlagda kostnader anges till 70{NBSP}kr, men "
                  f"beviljade medel 50 + länsstyrelsernas administration 10 = 60{NBSP}kr.",
        "finding": True, "kind": "equal", "signs": "0;1;1"}
    # repayment = requisitioned − costs = 100 − 70 = 30, printed 40
    repayment = found.loc["t6.repay;t6.req;t6.costs"]
    assert repayment["signs"] == "0;1;-1"
    assert _fields(repayment.to_dict(), "expected", "stated", "finding") == [30.0, 40.0, True]
    assert repayment["detail"] == (
        f"Rapportens tabell 6: återbetalning till Kammarkollegiet anges till 40{NBSP}kr, men "
        f"rekvirerade medel 100 − sammanlagda kostnader 70 = 30{NBSP}kr.")
    fine = _checks(_money(costs=60, repayment=40), "identity")
    assert fine["finding"].tolist() == [False, False]
    assert fine["detail"].iloc[0].endswith(
        f"anges till 60{NBSP}kr, och beviljade medel 50 + länsstyrelsernas administration 10 = "
        f"60{NBSP}kr.")
    # within half a krona is no finding (rounding of the printed kronor)
    assert not _checks(_money(costs=60.4, repayment=39.6), "identity")["finding"].any()
    # 60,6 against 50 + 10: off by more than half a krona; 100 − 60,6 = 39,4 holds
    assert _checks(_money(costs=60.6, repayment=39.4), "identity")["finding"].tolist() == [
        True, False]


def test_same_figure_check_in_full():
    rows = [_row("p.01", "projects_granted", 4, lan="01", table="prose",
                 source="Reflektioner", text="fyra projekt"),
            _row("t2.01.p", "projects_granted", 5, lan="01")]
    assert _one(rows, "same_figure") == {
        "source": "Reflektioner", "rule": "same_figure", "severity": "Motsägelse",
        "expected": 5.0, "stated": 4.0, "difference": -1.0, "unit": "projects",
        "keys": "p.01;t2.01.p", "tolerance": "",
        "detail": "Rapportens reflektioner, Stockholm anger beviljade projekt 2008–2010 till "
                  "4 projekt (”fyra projekt”), men rapportens tabell 2 anger 5 projekt.",
        "finding": True, "kind": "equal", "signs": "0;1"}
    rows[0]["value"] = 5
    assert _one(rows, "same_figure")["detail"].endswith(
        "(”fyra projekt”), och rapportens tabell 2 anger 5 projekt.")
    rows[0]["unit"] = "percent"  # a figure in another unit is another figure
    assert _checks(rows, "same_figure").empty


def _sub(started: float, granted: float = 5) -> list[dict[str, object]]:
    return [_row("t2.total.p", "projects_granted", granted),
            _row("t2.total.s", "projects_started", started, parent="t2.total.p"),
            _row("t2.01.p", "projects_granted", granted, lan="01", parent="t2.total.p"),
            _row("t2.01.s", "projects_started", started, lan="01", parent="t2.total.s")]


def test_subcount_check_in_full_and_lifted_to_the_counties():
    found = _checks(_sub(7), "subcount").set_index("keys")
    assert found.index.tolist() == ["t2.total.s;t2.total.p", "t2.01.s;t2.01.p"]
    assert found.loc["t2.total.s;t2.total.p"].to_dict() == {
        "source": "Tabell 2", "rule": "subcount", "severity": "Motsägelse",
        "expected": 5.0, "stated": 7.0, "difference": 2.0, "unit": "projects", "tolerance": "",
        "detail": "Rapportens tabell 2: startade projekt (7 projekt) är fler än beviljade "
                  "projekt (5 projekt), som de är en del av.",
        "finding": True, "kind": "atmost", "signs": ""}
    assert found.at["t2.01.s;t2.01.p", "detail"].startswith(
        "Rapportens tabell 2, Stockholm: startade projekt (7 projekt) är fler än")
    fine = _checks(_sub(5), "subcount")
    assert fine["finding"].tolist() == [False, False]
    assert fine["detail"].iloc[0] == ("Rapportens tabell 2: startade projekt (5 projekt) är "
                                      "inte fler än beviljade projekt (5 projekt), som de är en "
                                      "del av.")


def test_no_subcount_across_units_or_for_shares():
    rows = _sub(7)
    rows[1]["unit"] = "sek"
    # Riket's started projects in kronor: no comparison, and none lifted to its counties
    assert _checks(rows, "subcount").empty
    shares = _sub(7)
    for row in shares:
        row["unit"] = "percent"
    assert _checks(shares, "subcount").empty


def test_coverage_check_in_full():
    short = _one(_structures(new=2), "coverage")
    assert short == {
        "source": "Tabell 2", "rule": "coverage", "severity": "Möjlig avvikelse",
        "expected": 5.0, "stated": 4.0, "difference": -1.0, "unit": "projects",
        "keys": "t2.01.new;t2.01.existing;t2.01.evaluated;t2.01.projects",
        "tolerance": "gäller om varje projekt anger minst en typ av samverkansstruktur",
        "detail": "Rapportens tabell 2, Stockholm: nya samverkansstrukturer 2 + befintliga "
                  "samverkansstrukturer 2 + utvärderade samverkansstrukturer 0 = 4 projekt, "
                  "färre än beviljade projekt 2008–2010 (5 projekt).",
        "finding": True, "kind": "atleast", "signs": ""}
    enough = _one(_structures(new=3), "coverage")
    assert _fields(enough, "severity", "tolerance", "finding") == ["", "", False]
    assert "= 5 projekt, minst lika många som beviljade projekt" in enough["detail"]
    # a part missing, or in another unit: nothing to compare
    assert _checks(_structures(new=2)[:3], "coverage").empty
    other_unit = _structures(new=2)
    other_unit[3]["unit"] = "sek"
    assert _checks(other_unit, "coverage").empty


def test_date_order_check_in_full():
    rows = _dates(end=20080801, coordinator=20110630)
    for row in rows:
        row["period"] = ""  # dates that belong to no period: none is named
    found = _checks(rows, "date_order").set_index("keys")
    wrong = found.loc["p.start;p.end"].to_dict()
    assert wrong == {
        "source": "Förord", "rule": "date_order", "severity": "Motsägelse",
        "expected": 20080801.0, "stated": 20080901.0, "difference": 31.0, "unit": "date",
        "tolerance": "",
        "detail": "Rapportens förord: redovisningsperiodens början (2008-09-01) är senare än "
                  "redovisningsperiodens slut (2008-08-01, rapportens förord); väntat är att en "
                  "period slutar efter att den börjat.",
        "finding": True, "kind": "atmost", "signs": ""}
    assert found.at["p.end;p.coordinator", "detail"].startswith(
        "Rapportens förord: redovisningsperiodens slut (2008-08-01) är inte senare än "
        "länsstyrelsernas slutdatum (2011-06-30, rapportens förord)")


def test_date_order_within_a_period_and_across_periods():
    prose = {"unit": "date", "lan": "", "table": "prose", "source": "Förord"}
    rows = [_row("p.start", "report_period_start", 20100901, period="2008-2010", **prose),
            _row("p.end", "report_period_end", 20100831, period="2008-2010", **prose),
            _row("p.end9", "report_period_end", 20090831, period="2008-2009", **prose)]
    found = _checks(rows, "date_order")
    # the start of 2008–2010 only against the end of 2008–2010
    assert found["keys"].tolist() == ["p.start;p.end"]
    assert found["detail"].iloc[0].startswith(
        "Rapportens förord: redovisningsperiodens början 2008–2010 (2010-09-01) är senare än")
    rows[2]["unit"] = "count"
    rows[1]["unit"] = "count"
    assert _checks(rows, "date_order").empty  # not dates: not compared


def test_share_check_in_full():
    off = _one(_share(30, "30 %"), "share")
    assert off == {
        "source": "Sammanfattning", "rule": "share", "severity": "Motsägelse",
        "expected": 37.0, "stated": 30.0, "difference": -7.0, "unit": "percent",
        "keys": "p.share;t4.family;t4.base",
        "tolerance": f"29,5–30,5{NBSP}% (”30 %”)",
        "detail": f"Rapportens sammanfattning: andelen projekt med familjeperspektiv anges som "
                  f"”30 %”, men familjeperspektiv / startade projekt = 37 / 100 = "
                  f"37,0{NBSP}%; närmast är 37,0{NBSP}%, utanför toleransen.",
        "finding": True, "kind": "other", "signs": ""}
    exact = _one(_share(37, "37 %"), "share")
    assert _fields(exact, "tolerance", "severity", "finding") == ["", "", False]
    assert exact["detail"].endswith(f"närmast är 37,0{NBSP}%, det tryckta värdet.")
    assert ", och familjeperspektiv / startade projekt" in exact["detail"]
    # 37,04 is printed 37 to one decimal: exact; 37,06 is not, yet inside 36,5–37,5
    rows = _share(37, "37 %")
    rows[1]["value"] = 37.04
    assert _one(rows, "share")["tolerance"] == ""
    rows[1]["value"] = 37.06
    inside = _one(rows, "share")
    assert inside["tolerance"] == f"36,5–37,5{NBSP}% (”37 %”)"
    assert inside["detail"].endswith(f"närmast är 37,1{NBSP}%, inom toleransen.")


def test_a_share_without_its_counts_is_not_checked():
    rows = _share(37, "37 %")
    assert _checks([rows[0], rows[2]], "share").empty  # no numerator
    assert _checks(rows[1:], "share").empty  # no base
    rows[0]["value"] = 0
    assert _checks(rows, "share").empty  # a base of 0 gives no share


def test_extreme_check_in_full():
    found = _checks(_counts(2, 4), "extreme").set_index("keys")
    assert found.loc["t2.min;t2.01.p"].to_dict() == {
        "source": "Tabell 2", "rule": "extreme", "severity": "Motsägelse",
        "expected": 1.0, "stated": 2.0, "difference": 1.0, "unit": "projects",
        "tolerance": "",
        "detail": "Rapportens tabell 2: det minsta antalet per län 2008–2010 anges till 2 "
                  "(”2”), men rapportens tabell 2 har 1 för Stockholm.",
        "finding": True, "kind": "equal", "signs": "0;1"}
    assert found.at["t2.max;t2.03.p", "detail"] == (
        "Rapportens tabell 2: det största antalet per län 2008–2010 anges till 4 (”4”), men "
        "rapportens tabell 2 har 5 för Uppsala.")


def test_an_extreme_shared_by_two_counties_is_no_equation():
    rows = _counts(5, 5)
    rows[0]["value"] = 5  # Stockholm and Uppsala both have 5
    found = _checks(rows, "extreme").set_index("keys")
    shared = found.loc["t2.max;t2.01.p;t2.03.p"]
    assert _fields(shared.to_dict(), "kind", "signs", "expected", "finding") == [
        "other", "", 5.0, False]
    assert shared["detail"].endswith("och rapportens tabell 2 har 5 för Stockholm, Uppsala.")


def test_an_extreme_the_text_binds_to_a_county_is_compared_with_its_row():
    rows = _counts(1, 5)
    rows[3]["text"] = "till 5 i Stockholms län"  # the largest, but Stockholm has 1
    found = _checks(rows, "extreme").set_index("keys")
    bound = found.loc["t2.max;t2.01.p"].to_dict()
    assert bound == {
        "source": "Tabell 2", "rule": "extreme", "severity": "Motsägelse",
        "expected": 1.0, "stated": 5.0, "difference": 4.0, "unit": "projects",
        "tolerance": "",
        "detail": "Rapportens tabell 2: texten binder 5 (”till 5 i Stockholms län”) till "
                  "Stockholm, men rapportens tabell 2 har 1 för Stockholm 2008–2010.",
        "finding": True, "kind": "equal", "signs": "0;1"}
    assert not found.at["t2.max;t2.03.p", "finding"]
    rows[3]["text"] = "till 5 i Kalmar län och i Stockholms län"  # Kalmar is not in the table
    assert "t2.max;t2.01.p" in set(_checks(rows, "extreme")["keys"])
    rows[3]["text"] = "till 5 i Kalmar län"  # Kalmar is not in the table: nothing to compare
    assert _checks(rows, "extreme")["keys"].tolist() == ["t2.max;t2.03.p", "t2.min;t2.01.p"]


def test_named_counties():
    assert rules.named_counties("till 13 i Västra Götaland") == ["14"]
    assert rules.named_counties("i Skåne och i Stockholms län") == ["12", "01"]
    assert rules.named_counties("i några län") == []
    assert rules.named_counties("i Atlantis") == []


def _stated(rows: list[dict[str, object]]) -> pd.DataFrame:
    return _checks(rows, "stated_count").set_index("keys")


def _allocations() -> list[dict[str, object]]:
    t1 = {"unit": "sek", "table": "t1", "source": "Tabell 1"}
    return [_row("t1.00.2008", "allocated_sek", 10, period="2008", **t1),
            _row("t1.00.2009", "allocated_sek", 10, period="2009", **t1),
            _row("t1.00.0809", "allocated_sek", 20, period="2008-2009", **t1),
            _row("t1.01.all", "allocated_sek", 15, lan="01", **t1),
            _row("t1.03.all", "allocated_sek", 5, lan="03", **t1),
            _row("p.alloc", "allocated_sek", 10, period="2010", table="prose",
                 source="Sammanfattning", unit="sek")]


def test_stated_counts_in_full():
    prose = {"unit": "count", "lan": "", "table": "prose", "source": "Sammanfattning"}
    rows = [*_allocations(),
            _row("p.years", "funding_years", 3, text="tre år", **prose),
            _row("p.boards", "county_boards", 2, text="två länsstyrelser", **prose),
            _row("p.last", "funds_use_period_end", 2009, text="2009", **prose)]
    found = _stated(rows)
    # Tabell 1 has national money for 2008 and 2009 (a year of the prose is not the table's,
    # 2008–2009 is no single year): 2 years against the stated 3
    assert found.loc["p.years;t1.00.2008;t1.00.2009"].to_dict() == {
        "source": "Sammanfattning", "rule": "stated_count", "severity": "Motsägelse",
        "expected": 2.0, "stated": 3.0, "difference": 1.0, "unit": "count", "tolerance": "",
        "detail": "Rapportens sammanfattning: år med medel anges till 3 (”tre år”), men "
                  "rapportens tabell 1 har medel för 2 år (2008, 2009).",
        "finding": True, "kind": "other", "signs": ""}
    boards = found.loc["p.boards"]
    assert _fields(boards.to_dict(), "expected", "stated", "finding", "kind") == [
        2.0, 2.0, False, "other"]
    assert boards["detail"] == ("Rapportens sammanfattning: länsstyrelser anges till 2 "
                                "(”två länsstyrelser”), och rapportens tabell 1 har 2 län med "
                                "medel 2008–2010.")
    # the funds could be used until 2009, before the period's last grant year 2010
    last = found.loc["p.last"]
    assert _fields(last.to_dict(), "expected", "stated", "finding", "kind", "difference") == [
        2009.0, 2010.0, True, "atmost", 1.0]
    assert last["detail"] == ("Rapportens sammanfattning: sista år medlen fick användas anges "
                              "till 2009 (”2009”), men periodens sista år med beviljade medel "
                              "är 2010.")


def test_stated_counts_that_hold_and_ones_with_nothing_to_compare():
    prose = {"unit": "count", "lan": "", "table": "prose", "source": "Sammanfattning"}
    rows = [*_allocations(),
            _row("p.years", "funding_years", 2, text="två år", **prose),
            _row("p.last", "funds_use_period_end", 2010, text="2010", **prose),
            _row("p.last11", "funds_use_period_end", 2011, text="2011", period="2008-2009",
                 **prose)]
    found = _stated(rows)
    assert not found["finding"].any()
    assert found.loc["p.last11", "detail"].endswith(
        "anges till 2011 (”2011”), och periodens sista år med beviljade medel är 2009.")
    # without Tabell 1, the years and the boards have nothing to be compared with
    alone = [_row("p.years", "funding_years", 2, **prose),
             _row("p.boards", "county_boards", 2, **prose),
             _row("p.other", "funding_years", 2, period="2010", **prose)]
    assert _checks(alone, "stated_count").empty


def test_question_counts_under_both_readings():
    assert rules.question_counts(("huvud", "1", "2a", "2a-kryss", "2b", "3", "10")) == {
        "numbered": 4, "items": 5}  # 1, 2, 3, 10; 1, 2a, 2b, 3, 10
    assert rules.question_counts(()) == {"numbered": 0, "items": 0}


def test_form_count_checks_in_full():
    wrong = _checks(_questions(2, 7), "form_count").set_index("keys")
    assert wrong.loc["p.q.slut"].to_dict() == {
        "source": "Metod för sammanställning", "rule": "form_count", "severity": "Motsägelse",
        "expected": 4.0, "stated": 7.0, "difference": 3.0, "unit": "count", "tolerance": "",
        "detail": "Rapportens metodavsnitt: blanketten för 2008–2010 anges ha 7 frågor (”7”), "
                  "men blanketten i bilagan har 3 räknat som de numrerade frågorna, 4 räknat "
                  "som frågorna med delfrågor.",
        "finding": True, "kind": "other", "signs": ""}
    assert wrong.at["p.q.del", "detail"] == (
        "Rapportens metodavsnitt: blanketten för 2008–2009 anges ha 2 frågor (”2”), och "
        "blanketten i bilagan har 2 räknat som de numrerade frågorna, 3 räknat som frågorna "
        "med delfrågor.")
    assert wrong.at["p.q.del", "expected"] == 2
    # 1 question: no reading gives it; the closest is the 2 numbered ones
    assert _checks(_questions(1, 3), "form_count").set_index("keys").at[
        "p.q.del", "expected"] == 2


def test_mixed_readings_of_two_question_counts_in_full():
    mixed = _checks(_questions(2, 4), "form_count")
    assert mixed["keys"].tolist() == ["p.q.del", "p.q.slut", "p.q.del;p.q.slut"]
    both = mixed.set_index("keys").loc["p.q.del;p.q.slut"].to_dict()
    assert both == {
        "source": "Metod för sammanställning", "rule": "form_count",
        "severity": "Möjlig avvikelse", "expected": 3.0, "stated": 2.0, "difference": -1.0,
        "unit": "count",
        "tolerance": "vad som räknas som en fråga (numrerade frågor eller delfrågor)",
        "detail": "Rapportens metodavsnitt (2 frågor för 2008–2009) räknar de numrerade "
                  "frågorna; rapportens metodavsnitt (4 frågor för 2008–2010) räknar frågorna "
                  "med delfrågor: texten räknar frågorna på olika sätt, så antalen kan inte "
                  "jämföras med varandra.",
        "finding": True, "kind": "other", "signs": ""}
    # a form the appendix does not have: nothing to compare
    assert _checks(_questions(2, 4), "form_count").shape[0] == 3
    rows = _questions(2, 4)
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["value"] = frame["value"].astype("float64")
    only_final = rules.checks(frame, forms={"slut": FORMS["slut"]}, counties=COUNTIES)
    assert only_final.loc[only_final["rule"] == "form_count", "keys"].tolist() == ["p.q.slut"]


def test_a_count_that_fits_both_readings_is_read_either_way():
    forms = {"del": ("1", "2"), "slut": ("1", "1a", "2")}  # del: 2 and 2; slut: 2 and 3
    frame = pd.DataFrame(_questions(2, 3), columns=list(COLUMNS))
    frame["value"] = frame["value"].astype("float64")
    found = rules.checks(frame, forms=forms, counties=COUNTIES)
    found = found[found["rule"] == "form_count"]
    # 2 for del holds under both readings, 3 for slut under "items": they share a reading
    assert found["keys"].tolist() == ["p.q.del", "p.q.slut"]
    assert not found["finding"].any()
    assert found["expected"].tolist() == [2.0, 3.0]


def test_checks_default_to_the_registrys_counties_and_the_appendixs_forms():
    # the appendix's partial-report form has 6 numbered questions (9 with sub-questions), the
    # final-report form 12 with sub-questions (data/reference/published.csv's notes)
    rows = [*_counts(1, 5), *_questions(6, 12)]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["value"] = frame["value"].astype("float64")
    found = rules.checks(frame)
    # the 19 other counties are not in the table: the smallest is still Stockholm's 1
    assert found.loc[found["rule"] == "extreme", "expected"].tolist() == [5.0, 1.0]
    forms = found[found["rule"] == "form_count"]
    assert forms["finding"].tolist() == [False, False, True]
    assert forms["expected"].tolist() == [6.0, 12.0, 9.0]
    assert found["finding"].dtype == bool
    assert tuple(found.columns) == rules.CHECK_COLUMNS


def test_prose_sections_are_their_own_places_for_nested_periods():
    def prose(key: str, value: float, period: str, source: str) -> dict[str, object]:
        return _row(key, "projects_granted", value, lan="01", period=period, table="prose",
                    source=source)

    apart = [prose("p.a", 7, "2008-2009", "Reflektioner"),
             prose("p.b", 5, "2008-2010", "Sammanfattning")]
    assert _checks(apart, "period_nesting").empty
    together = [prose("p.a", 7, "2008-2009", "Reflektioner"),
                prose("p.b", 5, "2008-2010", "Reflektioner")]
    assert _checks(together, "period_nesting")["keys"].tolist() == ["p.a;p.b"]


def test_an_identity_whose_left_side_is_in_another_unit_is_not_checked():
    rows = _money(costs=70, repayment=30)
    rows[2]["unit"] = "count"  # costs as a count: not comparable with kronor
    found = _checks(rows, "identity")
    assert "t6.costs;t6.granted;t6.adm" not in set(found["keys"])


def test_a_share_lists_every_denominator_it_was_held_against():
    check = _one(_admin(10), "share")
    assert check["detail"] == (
        f"Rapportens sammanfattning: administrationens andel anges som ”10 %”, och "
        f"länsstyrelsernas administration / rekvirerade medel = 10 / 100 = 10,0{NBSP}%; "
        f"länsstyrelsernas administration / beviljade medel = 10 / 50 = 20,0{NBSP}%; "
        f"länsstyrelsernas administration / sammanlagda kostnader = 10 / 60 = "
        f"16,7{NBSP}%; närmast är 10,0{NBSP}%, det tryckta värdet.")


def test_a_share_takes_its_base_from_where_its_numerator_is_printed():
    # the reflections print 37 projects with a family perspective of their 74 started ones;
    # Tabell 4 has 100 started. The summary's 50 % is the reflections' 37 / 74
    refl = {"table": "prose", "source": "Reflektioner"}
    rows = [_row("t4.base", "projects_started", 100, table="t4", source="Tabell 4"),
            _row("p.family", "family_perspective", 37, **refl),
            _row("p.base", "projects_started", 74, **refl),
            _row("p.share", "family_perspective_share", 50, unit="percent", table="prose",
                 source="Sammanfattning", text="50 %")]
    check = _one(rows, "share")
    assert _fields(check, "keys", "expected", "finding") == ["p.share;p.family;p.base", 50.0,
                                                             False]


def test_an_extreme_in_the_prose_is_held_against_the_prose_figures_of_the_counties():
    refl = {"table": "prose", "source": "Reflektioner"}
    rows = [_row("t2.01.p", "projects_granted", 1, lan="01"),
            _row("t2.03.p", "projects_granted", 5, lan="03"),
            _row("p.01.p", "projects_granted", 4, lan="01", **refl),
            _row("p.03.p", "projects_granted", 5, lan="03", **refl),
            _row("p.min", "projects_granted_county_min", 4, lan="", text="till 4 i Stockholms län",
                 **refl)]
    # the text binds the 4 to Stockholm: its prose figure (4), not Tabell 2's 1; the same
    # figures as the column's smallest, so checked once
    check = _one(rows, "extreme")
    assert _fields(check, "keys", "expected", "finding") == ["p.min;p.01.p", 4.0, False]
    assert check["detail"] == ("Rapportens reflektioner: det minsta antalet per län 2008–2010 "
                               "anges till 4 (”till 4 i Stockholms län”), och rapportens "
                               "reflektioner har 4 för Stockholm.")


def test_a_share_reads_numerator_and_base_from_one_table():
    # Tabell 5 (first in the file) has 37 of 100, Tabell 4 has 40 of 80: the printed 50 % is
    # Tabell 4's 40 / 80, never 37 (Tabell 5) against 80 (Tabell 4)
    rows = [_row("t5.base", "projects_started", 100, table="t5", source="Tabell 5"),
            _row("t5.family", "family_perspective", 37, table="t5", source="Tabell 5"),
            _row("t4.base", "projects_started", 80, table="t4", source="Tabell 4"),
            _row("t4.family", "family_perspective", 40, table="t4", source="Tabell 4"),
            _row("p.share", "family_perspective_share", 50, unit="percent", table="prose",
                 source="Sammanfattning", text="50 %")]
    check = _one(rows, "share")
    assert _fields(check, "keys", "expected", "finding") == ["p.share;t4.family;t4.base", 50.0,
                                                             False]


def _county_share(lan: str, numerator: bool = True, base: bool = True
                  ) -> list[dict[str, object]]:
    t4 = {"table": "t4", "source": "Tabell 4", "lan": lan}
    rows = [_row(f"p.share.{lan}", "family_perspective_share", 30, unit="percent",
                 table="prose", source="Sammanfattning", text="30 %", lan=lan)]
    if base:
        rows.append(_row(f"t4.base.{lan}", "projects_started", 100, **t4))
    if numerator:
        rows.append(_row(f"t4.family.{lan}", "family_perspective", 37, **t4))
    return rows


def test_a_share_without_its_counts_does_not_stop_the_next_one():
    # Stockholm's share lacks its numerator (then its base); Uppsala's 30 % is still checked
    # against its 37 of 100
    for stockholm in (_county_share("01", numerator=False), _county_share("01", base=False)):
        found = _checks([*stockholm, *_county_share("03")], "share")
        assert found["keys"].tolist() == ["p.share.03;t4.family.03;t4.base.03"]
        assert found["expected"].tolist() == [37.0]


def test_a_share_without_its_first_base_is_held_against_the_others():
    rows = [r for r in _admin(20) if r["key"] != "t6.req"]  # no requisitioned funds
    check = _one(rows, "share")
    # 10 / 50 = 20 % (granted), 10 / 60 = 16,7 % (costs): the printed 20 % holds
    assert _fields(check, "keys", "expected", "finding") == ["p.adm;t6.adm;t6.granted", 20.0,
                                                             False]


def test_a_share_half_a_tenth_from_the_printed_value_still_reads_as_printed():
    # 741 of 2 000 = 37,05 %: within half a tenth of the printed 37, so "37 %" is the value
    # as printed (no tolerance needed), not merely inside 36,5–37,5 %
    rows = _share(37, "37 %")
    rows[0]["value"], rows[1]["value"] = 2000, 741
    check = _one(rows, "share")
    assert _fields(check, "expected", "finding", "tolerance") == [37.05, False, ""]


def test_coverage_takes_the_whole_from_the_table_that_prints_the_parts():
    # Stockholm's projects are printed in Tabell 1 (first, 9) and in Tabell 2 (5) with the
    # structures 2 + 2 + 0, and Tabell 1 also has 3 new structures: Tabell 2's structures are
    # held against Tabell 2's 5
    t1 = {"lan": "01", "table": "t1", "source": "Tabell 1"}
    rows = [_row("t1.01.projects", "projects_granted", 9, **t1),
            _row("t1.01.new", "new_structures", 3, **t1), *_structures(new=2)]
    check = _one(rows, "coverage")
    assert check["keys"] == "t2.01.new;t2.01.existing;t2.01.evaluated;t2.01.projects"
    assert _fields(check, "expected", "stated") == [5.0, 4.0]


def test_mixed_readings_the_other_way_round():
    # 3 questions for the partial report counts its sub-questions (1, 1a, 2), 3 for the final
    # report its numbered questions (1, 2, 3): under the final report's reading the partial
    # report's form has 2
    mixed = _checks(_questions(3, 3), "form_count").set_index("keys")
    assert mixed.loc["p.q.del;p.q.slut", ["stated", "expected"]].tolist() == [3.0, 2.0]
    assert mixed.at["p.q.del;p.q.slut", "detail"].startswith(
        "Rapportens metodavsnitt (3 frågor för 2008–2009) räknar frågorna med delfrågor; "
        "rapportens metodavsnitt (3 frågor för 2008–2010) räknar de numrerade frågorna:")
