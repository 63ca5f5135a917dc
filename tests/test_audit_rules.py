"""Each new rule family of the audit on a small synthetic report of two counties: coverage, date
order, extremes in both directions, question counts against the forms, shares with their
tolerance and partitions whose parts may overlap. Every expected value is stated here."""

from __future__ import annotations

import pandas as pd

from samverkan.audit import rules
from samverkan.reference import COLUMNS

COUNTIES = ("01", "03")
FORMS = {"del": ("huvud", "1", "1a", "2"), "slut": ("huvud", "1", "2a", "2a-kryss", "2b", "3")}
"""del: 2 numbered questions, 3 with sub-questions; slut: 3 numbered, 4 with sub-questions."""


def _row(key: str, measure: str, value: float, unit: str = "projects", lan: str = "00",
         period: str = "2008-2010", table: str = "t2", source: str = "Tabell 2",
         text: str = "", parent: str = "", marker: str = "") -> dict[str, object]:
    return {"key": key, "source": source, "table": table, "lan_code": lan, "measure": measure,
            "period": period, "value": value, "unit": unit, "marker": marker,
            "text": text or str(value), "parent": parent, "note": ""}


def _checks(rows: list[dict[str, object]], rule: str) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["value"] = frame["value"].astype("float64")
    found = rules.checks(frame, forms=FORMS, counties=COUNTIES)
    return found[found["rule"] == rule]


def _structures(new: int) -> list[dict[str, object]]:
    return [_row("t2.01.projects", "projects_granted", 5, lan="01"),
            _row("t2.01.new", "new_structures", new, lan="01"),
            _row("t2.01.existing", "existing_structures", 2, lan="01"),
            _row("t2.01.evaluated", "evaluated_structures", 0, lan="01")]


def test_coverage_parts_that_do_not_reach_the_whole_are_a_possible_deviation():
    short = _checks(_structures(new=2), "coverage")
    assert len(short) == 1 and short["finding"].all()
    assert short["severity"].iloc[0] == "Möjlig avvikelse"
    assert short["stated"].iloc[0] == 4 and short["expected"].iloc[0] == 5
    assert "samverkansstruktur" in short["tolerance"].iloc[0]
    enough = _checks(_structures(new=3), "coverage")
    assert len(enough) == 1 and not enough["finding"].any()


def _dates(end: int, coordinator: int) -> list[dict[str, object]]:
    prose = {"unit": "date", "lan": "", "table": "prose", "source": "Förord"}
    return [_row("p.start", "report_period_start", 20080901, **prose),
            _row("p.end", "report_period_end", end, **prose),
            _row("p.coordinator", "coordinator_report_due", coordinator, **prose),
            _row("p.due", "report_due", 20111231, **prose)]


def test_date_order_finds_a_period_that_ends_before_it_starts():
    found = _checks(_dates(end=20080801, coordinator=20110630), "date_order")
    wrong = found[found["finding"]]
    assert set(wrong["keys"]) == {"p.start;p.end"}
    assert (wrong["severity"] == "Motsägelse").all()
    assert wrong["difference"].iloc[0] == 31  # days


def test_date_order_a_period_ending_after_the_deadline_is_a_possible_deviation():
    found = _checks(_dates(end=20110831, coordinator=20110630), "date_order")
    wrong = found[found["finding"]]
    assert set(wrong["keys"]) == {"p.end;p.coordinator"}
    assert (wrong["severity"] == "Möjlig avvikelse").all()
    assert not _checks(_dates(end=20100831, coordinator=20110630), "date_order")["finding"].any()


def _counts(smallest: int, largest: int) -> list[dict[str, object]]:
    return [_row("t2.01.p", "projects_granted", 1, lan="01"),
            _row("t2.03.p", "projects_granted", 5, lan="03"),
            _row("t2.min", "projects_granted_county_min", smallest, lan=""),
            _row("t2.max", "projects_granted_county_max", largest, lan="")]


def test_extremes_in_both_directions():
    right = _checks(_counts(1, 5), "extreme")
    assert len(right) == 2 and not right["finding"].any()
    wrong = _checks(_counts(2, 4), "extreme")
    found = wrong[wrong["finding"]].set_index("keys")
    assert found.at["t2.min;t2.01.p", "expected"] == 1
    assert found.at["t2.max;t2.03.p", "expected"] == 5


def _questions(partial: int, final: int) -> list[dict[str, object]]:
    prose = {"unit": "count", "lan": "", "table": "prose", "source": "Metod för sammanställning"}
    return [_row("p.q.del", "form_questions", partial, period="2008-2009", **prose),
            _row("p.q.slut", "form_questions", final, period="2008-2010", **prose)]


def test_form_counts_against_the_forms_of_the_appendix():
    same_reading = _checks(_questions(2, 3), "form_count")  # both count numbered questions
    assert not same_reading["finding"].any()
    mixed = _checks(_questions(2, 4), "form_count")  # numbered, then with sub-questions
    assert mixed["finding"].sum() == 1
    assert mixed.loc[mixed["finding"], "severity"].iloc[0] == "Möjlig avvikelse"
    # the partial form's 2 numbered questions (1, 2) are 3 counted with sub-questions (1, 1a, 2),
    # as the final report's 4 are counted: stated 2, expected 3, never "2 against 2"
    assert mixed.loc[mixed["finding"], ["stated", "expected"]].values.tolist() == [[2.0, 3.0]]
    wrong = _checks(_questions(2, 7), "form_count")
    found = wrong[wrong["finding"]]
    assert found["keys"].tolist() == ["p.q.slut"]
    assert found["severity"].iloc[0] == "Motsägelse"


def _share(value: float, text: str) -> list[dict[str, object]]:
    return [_row("t4.base", "projects_started", 100, table="t4", source="Tabell 4"),
            _row("t4.family", "family_perspective", 37, table="t4", source="Tabell 4",
                 parent="t4.base"),
            _row("p.share", "family_perspective_share", value, unit="percent", table="prose",
                 source="Sammanfattning", text=text)]


def test_shares_exact_within_tolerance_and_outside():
    assert not _checks(_share(37, "37 %"), "share")["finding"].any()
    # 37 / 100 = 37 %: "knappt 40" allows 35–40 %, so the audit's own tolerance accepts it:
    # a check that holds (listed with its tolerance), not a finding
    within = _checks(_share(40, "knappt 40 procent"), "share")
    assert within["finding"].tolist() == [False] and within["severity"].tolist() == [""]
    assert "35,0–40,0" in within["tolerance"].iloc[0]
    assert "inom toleransen" in within["detail"].iloc[0]
    # "drygt 37 procent" allows 37–37,5 %: 37 holds; "drygt 38" (38–38,5 %) does not
    assert not _checks(_share(37, "drygt 37 procent"), "share")["finding"].any()
    assert _checks(_share(38, "drygt 38 procent"), "share")["severity"].tolist() == [
        "Motsägelse"]
    outside = _checks(_share(30, "30 %"), "share")
    assert outside["severity"].tolist() == ["Motsägelse"]


def _integration(done: int, ongoing: int) -> list[dict[str, object]]:
    t5 = {"table": "t5", "source": "Tabell 5"}
    return [_row("t5.base", "projects_started", 6, **t5),
            _row("t5.done", "integration_done", done, parent="t5.base", **t5),
            _row("t5.plan", "integration_plan", 3, parent="t5.base", **t5),
            _row("t5.not", "integration_not_relevant", 1, parent="t5.base", **t5),
            _row("t5.ongoing", "ongoing", ongoing, parent="t5.base", **t5),
            _row("t5.finished", "finished", 4, parent="t5.base", **t5)]


def test_partitions_that_may_overlap_are_a_possible_deviation_the_others_a_contradiction():
    found = _checks(_integration(done=3, ongoing=3), "partition")
    wrong = found[found["finding"]].set_index("keys")
    assert wrong.at["t5.base;t5.done;t5.plan;t5.not", "severity"] == "Möjlig avvikelse"
    assert wrong.at["t5.base;t5.ongoing;t5.finished", "severity"] == "Motsägelse"
    fine = _checks(_integration(done=2, ongoing=2), "partition")
    assert not fine["finding"].any()


def test_coverage_names_the_keys_of_the_parts_and_of_the_whole():
    short = _checks(_structures(new=2), "coverage")
    assert short["keys"].tolist() == ["t2.01.new;t2.01.existing;t2.01.evaluated;t2.01.projects"]
    assert short["unit"].tolist() == ["projects"]


def _admin(share: float) -> list[dict[str, object]]:
    t6 = {"unit": "sek", "table": "t6", "source": "Tabell 6"}
    return [_row("t6.adm", "administration_sek", 10, **t6),
            _row("t6.req", "requisitioned_sek", 100, **t6),
            _row("t6.granted", "granted_sek", 50, **t6),
            _row("t6.costs", "total_costs_sek", 60, **t6),
            _row("p.adm", "administration_share", share, unit="percent", lan="", table="prose",
                 source="Sammanfattning", text=f"{share:g} %")]


def test_a_share_is_checked_against_the_denominator_that_comes_closest():
    # 10 / 100 = 10 %, 10 / 50 = 20 %, 10 / 60 = 16.67 %: a printed 10 % is the requisitioned
    # funds' share exactly, a printed 20 % the granted funds' share exactly
    ten = _checks(_admin(10), "share")
    assert ten["finding"].tolist() == [False]
    assert ten["expected"].tolist() == [10.0] and ten["stated"].tolist() == [10.0]
    assert ten["keys"].tolist() == ["p.adm;t6.adm;t6.req"]
    twenty = _checks(_admin(20), "share")
    assert twenty["finding"].tolist() == [False]
    assert twenty["expected"].tolist() == [20.0]
    assert twenty["keys"].tolist() == ["p.adm;t6.adm;t6.granted"]
    off = _checks(_admin(17.5), "share")  # nearest is 16.67 %, outside "17.5 %"'s rounding
    assert off["finding"].tolist() == [True]
    assert off["expected"].tolist() == [16.67]
    assert off["keys"].tolist() == ["p.adm;t6.adm;t6.costs"]


def test_extremes_over_the_counties_the_table_prints_and_none_from_a_single_county():
    three = ("01", "03", "04")  # Södermanland (04) is missing from the table
    rows = _counts(1, 5)
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["value"] = frame["value"].astype("float64")
    found = rules.checks(frame, forms=FORMS, counties=three)
    found = found[found["rule"] == "extreme"].set_index("keys")
    assert found["expected"].to_dict() == {"t2.min;t2.01.p": 1, "t2.max;t2.03.p": 5}
    assert not found["finding"].any()
    lone = [r for r in _counts(1, 1) if r["key"] != "t2.03.p"]
    assert _checks(lone, "extreme").empty  # one county: no smallest or largest to compare



def _prose_date(key: str, measure: str, value: int, period: str = "2008-2010",
                unit: str = "date", source: str = "Förord") -> dict[str, object]:
    return _row(key, measure, value, unit=unit, lan="", period=period, table="prose",
                source=source)


def test_a_printing_of_a_date_in_another_unit_does_not_stop_the_comparisons_after_it():
    # the summary gives the period's end as a year (a count), the preface as a date: the year is
    # skipped, the date is still held against the start (1 September after 31 August)
    rows = [_prose_date("p.start", "report_period_start", 20100901),
            _prose_date("p.endyear", "report_period_end", 2010, unit="count",
                        source="Sammanfattning"),
            _prose_date("p.end", "report_period_end", 20100831)]
    found = _checks(rows, "date_order")
    assert found["keys"].tolist() == ["p.start;p.end"]
    assert found["finding"].tolist() == [True]


def test_two_dates_on_the_same_day_are_in_order():
    rows = [_prose_date("p.start", "report_period_start", 20080901),
            _prose_date("p.end", "report_period_end", 20080901)]
    found = _checks(rows, "date_order")
    assert found["finding"].tolist() == [False]
    assert found["detail"].iloc[0] == (
        "Rapportens förord: redovisningsperiodens början 2008–2010 (2008-09-01) är inte senare "
        "än redovisningsperiodens slut (2008-09-01, rapportens förord); väntat är att en period "
        "slutar efter att den börjat.")


def test_a_date_without_a_period_against_one_with_a_period_names_that_period():
    # the government's decision belongs to no period; the start it precedes to 2008–2010
    rows = [_prose_date("p.decision", "government_decision_date", 20080515, period=""),
            _prose_date("p.start", "report_period_start", 20080901)]
    found = _checks(rows, "date_order")
    assert found["detail"].tolist() == [
        "Rapportens förord: regeringsbeslutets datum 2008–2010 (2008-05-15) är inte senare än "
        "redovisningsperiodens början (2008-09-01, rapportens förord); väntat är att "
        "redovisningsperioden börjar efter regeringsbeslutet."]


def _years_of(total: dict[str, object]) -> list[dict[str, object]]:
    """Stockholm's granted projects in Tabell 2: 3 in 2008–2009 and 2 in 2010, then ``total``."""
    return [_row("t2.01.p0809", "projects_granted", 3, lan="01", period="2008-2009"),
            _row("t2.01.p10", "projects_granted", 2, lan="01", period="2010"), total]


def test_a_share_printed_before_a_count_does_not_hide_the_count_from_the_period_sum():
    # Tabell 2 prints Stockholm's 2008–2010 first as a share (no sum), then as 6 projects:
    # 3 + 2 = 5 against the 6
    rows = [_row("t2.01.pct", "projects_granted", 50, unit="percent", lan="01"),
            *_years_of(_row("t2.01.p", "projects_granted", 6, lan="01"))]
    found = _checks(rows, "period_sum")
    assert found["keys"].tolist() == ["t2.01.p;t2.01.p0809;t2.01.p10"]
    assert found[["stated", "expected"]].values.tolist() == [[6.0, 5.0]]


def test_a_tables_bullets_are_summed_with_its_body():
    # the bullets under Tabell 2 give the whole period (6), the body its years (3 + 2): one
    # table, one place
    bullet = _row("t2.01.bullet", "projects_granted", 6, lan="01",
                  source="Tabell 2, punktlista")
    found = _checks(_years_of(bullet), "period_sum")
    assert found["keys"].tolist() == ["t2.01.bullet;t2.01.p0809;t2.01.p10"]
    assert found[["stated", "expected", "finding"]].values.tolist() == [[6.0, 5.0, True]]


def test_a_printing_in_another_unit_does_not_stop_the_same_figure_comparisons():
    # Tabell 2 has 5 projects for Stockholm; the reflections print a share of the same measure,
    # the summary 4 projects: the 4 is still held against the 5
    rows = [_row("t2.01.p", "projects_granted", 5, lan="01"),
            _row("p.pct", "projects_granted", 40, unit="percent", lan="01", table="prose",
                 source="Reflektioner"),
            _row("p.01", "projects_granted", 4, lan="01", table="prose",
                 source="Sammanfattning")]
    found = _checks(rows, "same_figure")
    assert found["keys"].tolist() == ["p.01;t2.01.p"]
    assert found[["stated", "expected", "finding"]].values.tolist() == [[4.0, 5.0, True]]


def test_a_name_that_is_no_county_does_not_hide_the_county_after_it():
    assert rules.named_counties("i Sverige, och till 13 i Västra Götaland") == ["14"]


def test_years_with_allocations_for_a_single_year():
    # the text says funds were given in 1 year of 2010; Tabell 1 has Riket's 2010: 1 year
    t1 = {"unit": "sek", "table": "t1", "source": "Tabell 1"}
    rows = [_row("t1.00.2010", "allocated_sek", 10, period="2010", **t1),
            _row("p.years", "funding_years", 1, unit="count", lan="", period="2010",
                 table="prose", source="Sammanfattning", text="ett år")]
    found = _checks(rows, "stated_count")
    assert found["keys"].tolist() == ["p.years;t1.00.2010"]
    assert found[["stated", "expected", "finding"]].values.tolist() == [[1.0, 1.0, False]]


def test_boards_are_counted_among_the_counties_with_allocations_in_the_period_only():
    # 2008–2010: Stockholm has allocations; Uppsala only for 2010 and Riket is no county, so
    # one board, as the text says
    t1 = {"unit": "sek", "table": "t1", "source": "Tabell 1"}
    rows = [_row("t1.01.all", "allocated_sek", 15, lan="01", **t1),
            _row("t1.03.2010", "allocated_sek", 5, lan="03", period="2010", **t1),
            _row("t1.00.all", "allocated_sek", 15, **t1),
            _row("p.boards", "county_boards", 1, unit="count", lan="", table="prose",
                 source="Sammanfattning", text="en länsstyrelse")]
    found = _checks(rows, "stated_count")
    assert found[["stated", "expected", "finding"]].values.tolist() == [[1.0, 1.0, False]]


def test_a_figure_without_a_parent_is_no_part_even_beside_a_figure_with_an_empty_key():
    # an empty parent means none, never the figure whose key happens to be empty
    rows = [_row("", "projects_granted", 5), _row("t2.01.p", "projects_granted", 2, lan="01")]
    assert _checks(rows, "sum_of_parts").empty


def _parts_of(parent: str, measure: str, stockholm: float, uppsala: float
              ) -> list[dict[str, object]]:
    suffix = parent.rsplit(".", 1)[1]
    return [_row(f"t2.01.{suffix}", measure, stockholm, lan="01", parent=parent),
            _row(f"t2.03.{suffix}", measure, uppsala, lan="03", parent=parent)]


def test_sums_are_checked_in_the_order_their_parts_are_printed():
    # the started projects' counties come first in the file, the granted ones' after them
    # ("t2.total.p" sorts before "t2.total.s", the file order is kept)
    rows = [*_parts_of("t2.total.s", "projects_started", 1, 2),
            _row("t2.total.s", "projects_started", 3),
            *_parts_of("t2.total.p", "projects_granted", 2, 3),
            _row("t2.total.p", "projects_granted", 5)]
    assert _checks(rows, "sum_of_parts")["keys"].tolist() == [
        "t2.total.s;t2.01.s;t2.03.s", "t2.total.p;t2.01.p;t2.03.p"]


def test_parts_without_their_parent_or_of_another_measure_do_not_stop_the_next_sum():
    granted = [*_parts_of("t2.total.p", "projects_granted", 2, 3),
               _row("t2.total.p", "projects_granted", 6)]
    orphans = _parts_of("t2.total.gone", "projects_granted", 1, 1)  # parent not printed
    assert _checks([*orphans, *granted], "sum_of_parts")[["keys", "expected"]].values.tolist() \
        == [["t2.total.p;t2.01.p;t2.03.p", 5.0]]
    # new structures printed under the started projects are a subset, not a part of them
    subset = [_row("t2.total.s", "projects_started", 5),
              _row("t2.total.new", "new_structures", 2, parent="t2.total.s")]
    assert _checks([*subset, *granted], "sum_of_parts")["keys"].tolist() == [
        "t2.total.p;t2.01.p;t2.03.p"]


def test_an_identity_reads_its_left_side_from_the_table_that_prints_its_terms():
    # Tabell 1 prints total costs of 999 and granted funds of 900 first; Tabell 6 prints the
    # costs (60) with both of their terms: 50 + 10 = 60 holds there, Tabell 1's figures are for
    # the same-figure rule
    t1 = {"unit": "sek", "table": "t1", "source": "Tabell 1"}
    t6 = {"unit": "sek", "table": "t6", "source": "Tabell 6"}
    rows = [_row("t1.costs", "total_costs_sek", 999, **t1),
            _row("t1.granted", "granted_sek", 900, **t1),
            _row("t6.granted", "granted_sek", 50, **t6),
            _row("t6.adm", "administration_sek", 10, **t6),
            _row("t6.costs", "total_costs_sek", 60, **t6)]
    found = _checks(rows, "identity")
    assert found[["keys", "stated", "expected", "finding"]].values.tolist() == [
        ["t6.costs;t6.granted;t6.adm", 60.0, 60.0, False]]


def test_an_identity_whose_terms_are_printed_per_county_only():
    # Riket's costs are printed alone; granted funds and administration only for the two
    # counties: (20 + 30) + (4 + 6) = 60
    t6 = {"unit": "sek", "table": "t6", "source": "Tabell 6"}
    rows = [_row("t6.costs", "total_costs_sek", 60, **t6),
            _row("t6.01.granted", "granted_sek", 20, lan="01", **t6),
            _row("t6.03.granted", "granted_sek", 30, lan="03", **t6),
            _row("t6.01.adm", "administration_sek", 4, lan="01", **t6),
            _row("t6.03.adm", "administration_sek", 6, lan="03", **t6)]
    found = _checks(rows, "identity")
    assert found[["keys", "expected", "finding"]].values.tolist() == [
        ["t6.costs;t6.01.granted;t6.03.granted;t6.01.adm;t6.03.adm", 60.0, False]]


def test_an_identity_that_cannot_be_resolved_in_one_period_is_still_checked_in_the_next():
    # 2008–2009 prints only the costs (no terms to compare them with); 2008–2010 all three
    t6 = {"unit": "sek", "table": "t6", "source": "Tabell 6"}
    rows = [_row("t6.costs0809", "total_costs_sek", 40, period="2008-2009", **t6),
            _row("t6.granted", "granted_sek", 50, **t6),
            _row("t6.adm", "administration_sek", 10, **t6),
            _row("t6.costs", "total_costs_sek", 70, **t6)]
    found = _checks(rows, "identity")
    assert found[["keys", "stated", "expected", "finding"]].values.tolist() == [
        ["t6.costs;t6.granted;t6.adm", 70.0, 60.0, True]]


def test_a_figure_with_an_empty_key_is_the_parent_of_no_figure_without_one():
    # an empty parent means none: Riket's 5 granted projects and Stockholm's 9 started ones have
    # no parent, so neither is compared with the started projects whose key is empty (4, a
    # subset of the 5); nor is Stockholm's 9 lifted against Stockholm's 5 granted
    rows = [_row("t2.total.p", "projects_granted", 5),
            _row("t2.01.p", "projects_granted", 5, lan="01", parent="t2.total.p"),
            _row("", "projects_started", 4, parent="t2.total.p"),
            _row("t2.01.s", "projects_started", 9, lan="01")]
    found = _checks(rows, "subcount")
    assert found[["keys", "finding"]].values.tolist() == [[";t2.total.p", False]]


def test_a_share_of_a_share_does_not_stop_the_subcounts_after_it():
    # Tabell 4 first gives a share under a share (percentages are no subset to compare); the
    # started projects of Tabell 2 (7) are still held against the granted ones (5)
    t4 = {"unit": "percent", "table": "t4", "source": "Tabell 4"}
    rows = [_row("t4.base", "projects_started", 100, **t4),
            _row("t4.family", "family_perspective", 37, parent="t4.base", **t4),
            _row("t2.total.p", "projects_granted", 5),
            _row("t2.total.s", "projects_started", 7, parent="t2.total.p")]
    found = _checks(rows, "subcount")
    assert found[["keys", "stated", "expected", "finding"]].values.tolist() == [
        ["t2.total.s;t2.total.p", 7.0, 5.0, True]]


def _boards(stated: float, text: str) -> list[dict[str, object]]:
    """Tabell 1: Stockholm's allocation for 2008–2010, and one given to no county."""
    t1 = {"unit": "sek", "table": "t1", "source": "Tabell 1"}
    return [_row("t1.01.all", "allocated_sek", 15, lan="01", **t1),
            _row("t1.none", "allocated_sek", 3, lan="", **t1),
            _row("p.boards", "county_boards", stated, unit="count", lan="", table="prose",
                 source="Sammanfattning", text=text)]


def test_an_allocation_to_no_county_is_no_board():
    found = _checks(_boards(1, "en länsstyrelse"), "stated_count")
    assert found[["keys", "stated", "expected", "finding"]].values.tolist() == [
        ["p.boards", 1.0, 1.0, False]]


def test_a_stated_count_is_written_the_swedish_way():
    found = _checks(_boards(1200, "1 200"), "stated_count")
    assert found["detail"].tolist() == [
        "Rapportens sammanfattning: länsstyrelser anges till 1\u00a0200 (”1 200”), men "
        "rapportens tabell 1 har 1 län med medel 2008–2010."]


def test_the_last_year_for_the_funds_check_in_full():
    rows = [_row("p.last", "funds_use_period_end", 2009, unit="count", lan="", table="prose",
                 source="Sammanfattning", text="2009")]
    found = _checks(rows, "stated_count")
    assert found.to_dict("records") == [{
        "source": "Sammanfattning", "rule": "stated_count", "severity": "Motsägelse",
        "expected": 2009.0, "stated": 2010.0, "difference": 1.0, "unit": "count",
        "keys": "p.last", "tolerance": "",
        "detail": "Rapportens sammanfattning: sista år medlen fick användas anges till 2009 "
                  "(”2009”), men periodens sista år med beviljade medel är 2010.",
        "finding": True, "kind": "atmost", "signs": ""}]


def test_four_parts_are_written_out_one_by_one():
    lans = {"01": 1, "03": 2, "04": 3, "05": 4}  # Stockholm, Uppsala, Södermanland, Östergötland
    rows = [*(_row(f"t2.{lan}.p", "projects_granted", n, lan=lan, parent="t2.total.p")
              for lan, n in lans.items()),
            _row("t2.total.p", "projects_granted", 10)]
    found = _checks(rows, "sum_of_parts")
    assert found["detail"].tolist() == [
        "Rapportens tabell 2: beviljade projekt 2008–2010 anges till 10 projekt, och delarna "
        "1 (Stockholm) + 2 (Uppsala) + 3 (Södermanland) + 4 (Östergötland) summerar till "
        "10 projekt."]
