"""The planted-error suite: single-figure mutations of data/reference/published.csv of many
kinds (a county cell, a column total, a row total, a sub-count above its parent, an economics
identity, a text figure, a date, a share, an extreme, a form count, a marker …). Each must be
caught by a finding that was not there before and touches the mutated figure; where the other
figures single it out (``named``), the audit must name the mutated figure as the suspect. The
expectation of each case is argued in its comment from the report's structure, not read from
the code under test."""

from __future__ import annotations

import pandas as pd
import pytest

from samverkan.audit import stage
from samverkan.reference import published


@pytest.fixture(scope="module")
def ref() -> pd.DataFrame:
    return published().copy()


@pytest.fixture(scope="module")
def before(ref: pd.DataFrame) -> set[tuple]:
    return _signature(stage.consistency(ref))


def _signature(found: pd.DataFrame) -> set[tuple]:
    """A finding is new when its rule, figures, severity or stated value is new."""
    return set(zip(found["rule"], found["keys"], found["severity"], found["stated"],
                   strict=True))


def _value(ref: pd.DataFrame, key: str) -> float:
    return float(ref.loc[ref["key"] == key, "value"].iloc[0])


# (key, change, named): change is a function of the printed value, or a dict of columns.
CASES: list[tuple[str, object, bool]] = [
    # a county's year cell: its row total and its column's Summa both disagree; every other
    # figure of both is confirmed by another row or column
    ("t1.03.2009", lambda v: v + 10_000, True),
    # a column total of Table 1: the county cells are confirmed by their row totals, the
    # prose's 7 miljoner by 6 + 7 + 10 = 23
    ("t1.total.2009", lambda v: v + 100_000, True),
    # a county's row total
    ("t1.17.2008-2010", lambda v: v + 50_000, True),
    # a county cell of Table 2: any of the 21 cells could carry the error (not named)
    ("t2.03.projects_2008-2010", lambda v: v + 1, False),
    # a county's new structures above its projects (a sub-count above its parent): setting
    # the projects instead would break the column sum of the projects
    ("t2.12.new_structures", lambda v: 40, True),
    # Table 5's real cooperation above the 148 started projects: the base is printed four
    # times, 19 not-cooperation twice, and the reflections repeat 129
    ("t5.real_cooperation", lambda v: 150, True),
    # an economics identity: total costs are in two identities, the others in one each
    ("t6.total_costs_sek", lambda v: v + 1_000, True),
    # the administration: granted and administration are each printed once, either could
    # carry it (not named)
    ("t6.administration_sek", lambda v: v + 1, False),
    # a text figure printed three times: the table and its bullet agree
    ("prose.reflections.contains_training", lambda v: 100, True),
    # a partial-report figure above the final one (period nesting); 34 is confirmed by Table 3
    ("prose.results.partner_church_2008-2009", lambda v: 40, True),
    # the 23 million of the summary (msek) against Tables 1 and 6
    ("prose.summary.allocated_sek", lambda v: 24, True),
    # Table 2's Summa of 2008–2009 against its bullets and the reflections, which agree
    ("t2.total.projects_2008-2009", lambda v: v + 1, True),
    # a share outside what its wording allows: numerator and base are confirmed elsewhere
    ("prose.summary.family_perspective_share", {"value": 30, "text": "Knappt 30 procent"}, True),
    # the largest county at the final report: Västerbotten's 22 is printed twice
    ("t2.bullet.county_max_2008-2010", lambda v: 25, True),
    # the number of questions of the final form against the appendix
    ("prose.method.form_questions", lambda v: 10, True),
    # a date: the appendix's period now ends before it starts and disagrees with the
    # foreword's end; setting the foreword's end instead would put it before its own start
    ("prose.appendix.report_period_end_2008-2009", lambda v: 20080801, True),
    # a partition of Table 5: ongoing and finished are each printed once (not named)
    ("t5.finished", lambda v: v + 1, False),
    # a star planted in Table 1: the markers, not a figure, are the suspect
    ("t1.25.2010", {"marker": "*"}, False),
]


@pytest.mark.parametrize(("key", "change", "named"), CASES, ids=[c[0] for c in CASES])
def test_a_planted_error_is_caught_and_its_figure_named(ref, before, key, change, named):
    mutated = ref.copy()
    at = mutated["key"] == key
    assert at.sum() == 1, key
    if isinstance(change, dict):
        for column, value in change.items():
            mutated.loc[at, column] = value
    else:
        mutated.loc[at, "value"] = int(change(_value(ref, key)))
    found = stage.consistency(mutated)
    new = found[[s not in before for s in zip(found["rule"], found["keys"], found["severity"],
                                              found["stated"], strict=True)]]
    assert len(new) > 0, f"planted error in {key} not caught"
    touching = new[[key in k.split(";") for k in new["keys"]]]
    assert len(touching) > 0, new["detail"].tolist()
    if named:
        assert (touching["suspect"] == key).any(), touching[["detail", "assessment"]].to_dict()
        assert key not in set(found.loc[found["suspect"] != key, "suspect"])
    if "marker" in (change if isinstance(change, dict) else {}):
        assert (touching["suspect"] == "marker:t1:*").all()


def test_the_suite_is_varied():
    kinds = {key.split(".")[0] + ("." + key.split(".")[1] if key.startswith("prose") else "")
             for key, _, _ in CASES}
    assert len(CASES) >= 15 and len(kinds) >= 8, kinds


# ------------------------------------------------------------------ issue 23: the audit's logic
# Expected values worked out by hand from Rapport 2011:39 (data/reference/published.csv).


def _mutate(ref: pd.DataFrame, changes: dict[str, dict[str, object]]) -> pd.DataFrame:
    mutated = ref.copy()
    for key, columns in changes.items():
        at = mutated["key"] == key
        assert at.sum() == 1, key
        for column, value in columns.items():
            mutated.loc[at, column] = value
    return mutated


def _new(found: pd.DataFrame, before: set[tuple]) -> pd.DataFrame:
    return found[[s not in before for s in zip(found["rule"], found["keys"], found["severity"],
                                               found["stated"], strict=True)]]


# 55 projects of 148 started have a family perspective: 55 / 148 = 37,16 %.
QUIET = [
    ("drygt 37", {"value": 37, "text": "Drygt 37 procent"}),  # allows 37–37,5 %
    ("37", {"value": 37, "text": "37 procent"}),  # allows 36,5–37,5 %
    ("knappt 40", {"value": 40, "text": "Knappt 40 procent"}),  # as printed: 35–40 %
]


@pytest.mark.parametrize(("name", "change"), QUIET, ids=[q[0] for q in QUIET])
def test_a_share_within_the_audits_own_tolerance_is_no_finding(ref, before, name, change):
    found = stage.consistency(_mutate(ref, {"prose.summary.family_perspective_share": change}))
    assert _new(found, before).empty, _new(found, before)["detail"].tolist()
    assert "share" not in set(found["rule"])
    holding = stage.weighed_findings(ref)  # the share is among the checks that hold
    assert "share" not in set(holding["rule"])


def test_a_share_outside_its_tolerance_is_a_contradiction(ref, before):
    # "drygt 38 procent" allows 38–38,5 %, and 37,16 % is below it
    found = stage.consistency(_mutate(ref, {"prose.summary.family_perspective_share":
                                            {"value": 38, "text": "Drygt 38 procent"}}))
    share = found[found["rule"] == "share"]
    assert share["severity"].tolist() == ["Motsägelse"]
    assert share["suspect"].tolist() == ["prose.summary.family_perspective_share"]


def test_the_method_date_is_the_suspect_because_the_other_dates_contradict_it(ref):
    """The foreword ends the final period 2011-08-31, the method 2010-08-31. Held against the
    period's other dates: the deadline extended from 30 April 2011 (so that more projects could
    finish: the period runs past it) holds for 2011-08-31 only; the final report due 31
    December 2011 is 122 days after 2011-08-31 but 487 days after 2010-08-31 (the partial
    report came four months after its period) — for 2011 only; the county boards' answers due
    30 June 2011 are before 2011-08-31 — for 2010 only. Two against the method, one against
    the foreword: the method's date is the suspect."""
    found = stage.consistency(ref)
    dated = found[(found["rule"] == "same_figure") & (found["unit"] == "date")]
    assert dated["suspect"].tolist() == ["prose.method.report_period_end"]
    said = dated["assessment"].iloc[0]
    assert "för 2011-08-31 talar 2011-04-30" in said and "2011-12-31" in said
    assert "för 2010-08-31 talar 2011-06-30" in said
    assert "prose.foreword.report_period_end" not in set(found["suspect"])


def test_the_date_suspect_follows_the_evidence_not_the_section(ref):
    # the same two dates printed the other way round: now the foreword carries 2010-08-31
    mutated = _mutate(ref, {"prose.foreword.report_period_end": {"value": 20100831,
                                                                 "text": "2010-08-31"},
                            "prose.method.report_period_end": {"value": 20110831,
                                                               "text": "2011-08-31"}})
    found = stage.consistency(mutated)
    dated = found[(found["rule"] == "same_figure") & (found["unit"] == "date")]
    assert dated["suspect"].tolist() == ["prose.foreword.report_period_end"]


def test_prose_that_binds_a_figure_to_a_county_is_compared_with_that_countys_row(ref, before):
    # "till 13 i Skåne": 13 is still the column's largest (Västra Götaland's), so the extreme
    # holds, but Skåne's row of Tabell 2 has 8 for 2008–2009. The 13 is confirmed by the
    # column's largest value and Skåne's 8 by the column's Summa (69): neither figure is the
    # suspect (the county the text names is what is wrong), and the finding says so
    found = stage.consistency(_mutate(ref, {"t2.bullet.county_max_2008-2009":
                                            {"text": "till 13 i Skåne"}}))
    new = _new(found, before)
    assert new["keys"].tolist() == ["t2.bullet.county_max_2008-2009;t2.12.projects_2008-2009"]
    assert new["suspect"].tolist() == [""]
    assert "Skåne" in new["detail"].iloc[0] and "bekräftas" in new["assessment"].iloc[0]


def test_a_county_cell_in_two_failing_relations_is_named_where_one_would_not_be(ref, before):
    # Västra Götaland's 13 (2008–2009) printed as 12: Tabell 2's Summa 69 now gets 68 from its
    # 21 cells (none confirmed by another check), and the bullet "till 13 i Västra Götaland"
    # (its largest county, and its Västra Götaland figure) disagrees with the row. The cell is
    # in all three; Gotland's, Blekinge's and Jämtland's 0 are in two (the column and the
    # report's own "från ett projekt" minimum), but setting one of them to 1 resolves only the
    # column. Setting the cell back to 13 resolves all three: it is the suspect of each.
    found = stage.consistency(_mutate(ref, {"t2.14.projects_2008-2009": {"value": 12,
                                                                          "text": "12"}}))
    new = _new(found, before)
    assert sorted(new["rule"]) == ["extreme", "same_figure", "sum_of_parts"]
    assert set(new["suspect"]) == {"t2.14.projects_2008-2009"}
    assert (new["suspect_value"] == 13).all()


def test_a_known_error_elsewhere_names_no_unrelated_county(ref):
    # Tabell 2's new structures add up to 89 against the printed 88; no county cell is confirmed
    # by another check, and Västerbotten's cells fall short of its projects only under a
    # reading (a possible deviation). No county is the suspect.
    found = stage.consistency(ref)
    column = found[(found["rule"] == "sum_of_parts") & found["keys"].str.startswith(
        "t2.total.new_structures")]
    assert len(column) == 1 and column["suspect"].iloc[0] == ""
    named = {s for s in found["suspect"] if s.startswith("t2.") and "bullet" not in s}
    assert not named, named


STATED = [
    # "De 21 länsstyrelserna": Tabell 1 has allocations for 21 counties in 2008–2010
    ("prose.method.county_boards", {"value": 20, "text": "De 20 länsstyrelserna"}),
    # "tre år": Tabell 1 has the years 2008, 2009 and 2010
    ("prose.summary.funding_years", {"value": 4, "text": "fyra år"}),
    # the funds could be used until 2011; grants were made until 2010, so not until 2009
    ("prose.distribution.funds_use_period_end", {"value": 2009, "text": "2008–2009"}),
]


@pytest.mark.parametrize(("key", "change"), STATED, ids=[s[0] for s in STATED])
def test_a_stated_count_is_compared_with_the_tables_and_the_period(ref, before, key, change):
    found = stage.consistency(_mutate(ref, {key: change}))
    new = _new(found, before)
    assert new["rule"].tolist() == ["stated_count"]
    assert new["suspect"].tolist() == [key]
