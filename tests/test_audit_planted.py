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
