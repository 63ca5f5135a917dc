"""The audit: published figures vs recomputed ones, and the consistency rules on the report's own
figures. Expected values come from data/reference/published.csv (read here with plain pandas),
never from the module under test; planted errors in a mutated copy must be found by exactly the
rules that relate the mutated figure."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pandas as pd
import pytest

from samverkan.audit import compare, present, rules, stage
from samverkan.audit.text import stated_interval
from samverkan.reference import published

ADDITIVE = {"sek", "projects"}


@pytest.fixture(scope="module")
def ref() -> pd.DataFrame:
    return published().copy()


@pytest.fixture(scope="module")
def base_findings(ref: pd.DataFrame) -> pd.DataFrame:
    return stage.consistency(ref)


def _plain(ref: pd.DataFrame) -> pd.DataFrame:
    """The reference with values as float in base units, computed here (msek × 1 000 000)."""
    frame = ref.copy()
    frame["value"] = frame["value"].astype(float)
    msek = frame["unit"] == "msek"
    frame.loc[msek, "value"] *= 1_000_000
    frame.loc[msek, "unit"] = "sek"
    return frame


def _mutate(ref: pd.DataFrame, key: str, **changes: object) -> pd.DataFrame:
    frame = ref.copy()
    assert (frame["key"] == key).sum() == 1, key
    for column, value in changes.items():
        frame.loc[frame["key"] == key, column] = value
    return frame


def _signature(findings: pd.DataFrame) -> set[tuple]:
    return {(r.rule, r.keys, r.stated, r.expected) for r in findings.itertuples(index=False)}


# ---------------------------------------------------------------- the unmutated reference


def test_findings_have_the_documented_shape(ref, base_findings):
    assert tuple(base_findings.columns) == stage.CONSISTENCY_COLUMNS
    assert len(base_findings) > 0
    values = _plain(ref).set_index("key")["value"]
    sources = set(ref["source"])
    for row in base_findings.itertuples(index=False):
        keys = row.keys.split(";")
        assert row.source in sources
        assert row.rule in rules.RULES
        assert row.severity in {"Motsägelse", "Möjlig avvikelse"}
        assert row.detail and row.assessment
        assert set(keys) <= set(values.index), keys
        # the stated figure is the printed value of the first key (sums of parts: coverage)
        if row.rule not in {"share", "coverage"}:
            assert values[keys[0]] == row.stated
        if row.severity == "Motsägelse" and row.rule != "form_count":
            assert row.difference != 0


def test_consistency_is_the_failing_checks(ref, base_findings):
    all_checks = rules.checks(ref)
    assert tuple(all_checks.columns) == rules.CHECK_COLUMNS
    assert len(all_checks) > len(base_findings)
    failing = all_checks[all_checks["finding"]]
    assert _signature(failing) == _signature(base_findings)
    # every check has a non-empty set of keys that exist, and no set of figures is checked twice
    assert all_checks["keys"].map(lambda k: frozenset(k.split(";"))).is_unique


def test_every_rule_runs_on_the_reference(ref):
    assert set(rules.checks(ref)["rule"]) == set(rules.RULES)


def test_sum_of_parts_findings_are_exactly_the_parents_whose_parts_do_not_add_up(ref,
                                                                             base_findings):
    frame = _plain(ref)
    by_key = frame.set_index("key")
    expected = set()
    for parent, group in frame[frame["parent"] != ""].groupby("parent"):
        same = group[group["measure"] == by_key.at[parent, "measure"]]
        if len(same) and by_key.at[parent, "unit"] in ADDITIVE:
            if same["value"].sum() != by_key.at[parent, "value"]:
                expected.add((parent, same["value"].sum()))
    found = base_findings[base_findings["rule"] == "sum_of_parts"]
    assert {(k.split(";")[0], e) for k, e in zip(found["keys"], found["expected"],
                                                  strict=True)} == expected


def test_table1_row_totals_against_the_years(ref, base_findings):
    t1 = _plain(ref)
    t1 = t1[(t1["table"] == "t1")].pivot(index="lan_code", columns="period", values="value")
    wrong = t1.index[t1[["2008", "2009", "2010"]].sum(axis=1) != t1["2008-2010"]]
    found = base_findings[(base_findings["rule"] == "period_sum")
                          & base_findings["keys"].str.startswith("t1.")]
    assert sorted(k.split(";")[0].split(".")[1] for k in found["keys"]) == sorted(wrong)
    for row in found.itertuples(index=False):
        lan = row.keys.split(".")[1]
        assert row.expected == t1.loc[lan, ["2008", "2009", "2010"]].sum()


def test_every_figure_printed_twice_with_two_values_is_found(ref, base_findings):
    frame = _plain(ref)
    groups = frame.groupby(["measure", "period", "lan_code"])["value"].nunique()
    conflicting = set(groups[groups > 1].index)
    found = base_findings[base_findings["rule"] == "same_figure"]
    by_key = frame.set_index("key")
    hit = {tuple(by_key.loc[k.split(";")[0], ["measure", "period", "lan_code"]])
           for k in found["keys"]}
    assert hit == conflicting


def test_sums_in_findings_are_the_sums_of_their_keys(ref, base_findings):
    values = _plain(ref).set_index("key")["value"]
    for row in base_findings.itertuples(index=False):
        keys = row.keys.split(";")
        if row.rule in {"sum_of_parts", "period_sum", "partition"}:
            assert values[keys[1:]].sum() == row.expected, row.detail
        if row.rule in {"same_figure", "subcount", "period_nesting", "extreme"}:
            assert values[keys[1]] == row.expected, row.detail


# ------------------------------------------------------------------------ planted errors


def _planted(ref: pd.DataFrame, base: pd.DataFrame, key: str, **changes: object) -> pd.DataFrame:
    mutated = stage.consistency(_mutate(ref, key, **changes))
    before = _signature(base)
    new = mutated[[(r.rule, r.keys, r.stated, r.expected) not in before
                   for r in mutated.itertuples(index=False)]]
    assert len(new) > 0, f"planted error in {key} not found"
    for row in new.itertuples(index=False):
        assert key in row.keys.split(";"), f"{row.rule} fired without touching {key}: {row.detail}"
    return new


def _value(ref: pd.DataFrame, key: str) -> int:
    return int(ref.loc[ref["key"] == key, "value"].iloc[0])


def _first_consistent(ref, base, table: str, measure_prefix: str = "") -> str:
    """A key of ``table`` that no finding of the unmutated reference touches."""
    touched = {k for keys in base["keys"] for k in keys.split(";")}
    rows = ref[(ref["table"] == table) & ref["measure"].str.startswith(measure_prefix)]
    return next(k for k in rows["key"] if k not in touched)


def test_planted_error_in_a_table1_year_cell(ref, base_findings):
    key = _first_consistent(ref, base_findings, "t1")
    key = next(k for k in ref["key"] if k.startswith(key.rsplit(".", 1)[0] + ".2009"))
    new = _planted(ref, base_findings, key, value=_value(ref, key) + 10_000)
    assert set(new["rule"]) == {"sum_of_parts", "period_sum"}
    assert (new["difference"].abs() == 10_000).all()


def test_planted_error_in_a_table3_cell_above_its_subcounts(ref, base_findings):
    key = "t3.partner_health"
    children = ref[ref["parent"] == key]
    low = int(children["value"].min())
    new = _planted(ref, base_findings, key, value=low)
    assert set(new["rule"]) == {"subcount"}
    assert len(new) == int((children["value"] > low).sum())


def test_planted_error_in_a_table3_cell_repeated_in_the_prose(ref, base_findings):
    # a Table 3 row that the prose prints again: the two printings disagree
    frame = ref[ref["table"] == "t3"]
    prose = ref[ref["table"] == "prose"]
    key = next(r.key for r in frame.itertuples() if ((prose["measure"] == r.measure)
                                                     & (prose["period"] == r.period)).any())
    new = _planted(ref, base_findings, key, value=_value(ref, key) + 1)
    assert "same_figure" in set(new["rule"])


def test_planted_error_in_a_partition(ref, base_findings):
    new = _planted(ref, base_findings, "t5.finished", value=_value(ref, "t5.finished") + 1)
    assert set(new["rule"]) == {"partition"}


def test_planted_error_in_the_economy(ref, base_findings):
    key = "t6.administration_sek"
    new = _planted(ref, base_findings, key, value=_value(ref, key) + 1)
    assert set(new["rule"]) == {"identity"}
    assert new["difference"].abs().tolist() == [1.0]


def test_planted_error_in_a_share(ref, base_findings):
    key = "prose.summary.family_perspective_share"
    new = _planted(ref, base_findings, key, value=30, text="Knappt 30 procent")
    assert set(new["rule"]) == {"share"}


def test_planted_star_in_table1_changes_the_requisitioned_identity(ref, base_findings):
    key = next(r.key for r in ref.itertuples() if r.table == "t1" and r.marker == ""
               and r.period == "2010" and r.lan_code != "00")
    new = _planted(ref, base_findings, key, marker="*")
    assert set(new["rule"]) == {"identity"}


def test_planted_error_in_a_table2_county_cell_above_its_projects(ref, base_findings):
    row = ref[ref["key"].str.match(r"t2\.\d\d\.new_structures$")].iloc[0]
    projects = _value(ref, f"t2.{row.lan_code}.projects_2008-2010")
    new = _planted(ref, base_findings, row.key, value=projects + 1)
    assert {"subcount", "sum_of_parts"} <= set(new["rule"])


def test_planted_partial_report_count_above_the_final_one(ref, base_findings):
    cells = ref[ref["key"].str.match(r"t2\.\d\d\.projects_2008-2009$")]
    row = cells[cells["value"] > cells["value"].min()].iloc[0]  # not the county minimum
    final = _value(ref, f"t2.{row.lan_code}.projects_2008-2010")
    new = _planted(ref, base_findings, row.key, value=final + 1)
    assert {"period_nesting", "sum_of_parts"} <= set(new["rule"])


def test_planted_error_in_a_date(ref, base_findings):
    key = "prose.appendix.report_period_start_2008-2009"
    new = _planted(ref, base_findings, key, value=20080902)
    assert set(new["rule"]) == {"same_figure"}
    assert new["difference"].tolist() == [1.0]  # one day


# ------------------------------------------------------------------------ printed precision


@pytest.mark.parametrize(("value", "text", "unit", "interval"), [
    (40, "Knappt 40 procent", "percent", (35.0, 40.0)),
    (5, "5%", "percent", (4.5, 5.5)),
    (37.2, "37,2 %", "percent", (37.15, 37.25)),
    (88, "88", "projects", (88.0, 88.0)),
    (100, "drygt 100", "projects", (100.0, 150.0)),
])
def test_stated_interval(value, text, unit, interval):
    low, high = stated_interval(value, text, unit)
    assert low == pytest.approx(interval[0]) and high == pytest.approx(interval[1])


# ------------------------------------------------------------------- published vs recomputed


def _measures_from(ref: pd.DataFrame) -> pd.DataFrame:
    """A measures table that recomputes every per-county and national money/project figure as
    the table prints it (the first printing in the file for each measure, period and county)."""
    frame = _plain(ref)
    frame = frame[frame["unit"].isin(ADDITIVE) & (frame["lan_code"] != "")]
    frame = frame.drop_duplicates(["lan_code", "measure", "period"])
    return frame[["lan_code", "measure", "period", "value"]].reset_index(drop=True)


def test_audit_covers_every_published_figure(ref):
    result = compare.audit_published(ref, _measures_from(ref))
    assert tuple(result.columns) == compare.AUDIT_COLUMNS
    assert result["key"].tolist() == ref["key"].tolist()
    assert set(result["status"]) <= set(compare.STATUSES)
    missing = result[result["status"] == "not_recomputable"]
    assert missing["note"].str.len().gt(0).all()
    assert missing["recomputed"].isna().all()


def test_audit_statuses_follow_the_recomputed_values(ref):
    measures = _measures_from(ref)
    result = compare.audit_published(ref, measures).set_index("key")
    frame = _plain(ref).set_index("key")
    lookup = measures.set_index(["lan_code", "measure", "period"])["value"]
    for key, row in frame.iterrows():
        index = (row["lan_code"], row["measure"], row["period"])
        if index not in lookup.index:
            assert result.at[key, "status"] == "not_recomputable", key
        else:
            expected = "match" if lookup[index] == row["value"] else "differs"
            assert result.at[key, "status"] == expected, key


def test_audit_flags_a_recomputed_value_that_differs_and_explains_report_conflicts(ref):
    measures = _measures_from(ref)
    target = ref[ref["key"] == "t2.total.new_structures"].iloc[0]
    at = ((measures["measure"] == target.measure) & (measures["period"] == target.period)
          & (measures["lan_code"] == target.lan_code))
    measures.loc[at, "value"] = float(target.value) + 1
    result = compare.audit_published(ref, measures, stage.consistency(ref)).set_index("key")
    same = ref[(ref["measure"] == target.measure) & (ref["period"] == target.period)
               & (ref["lan_code"] == target.lan_code)]
    for key, value in zip(same["key"], same["value"], strict=True):
        expected = "match" if value == target.value + 1 else "differs"
        assert result.at[key, "status"] == expected, key
    # the report's own cells disagree with this total: the note says so
    assert "rapporten säger emot sig själv här" in result.at[target.key, "note"]


def test_audit_reads_percentages_at_their_printed_precision(ref):
    key = "prose.summary.family_perspective_share"
    row = ref[ref["key"] == key].iloc[0]
    low, high = stated_interval(float(row.value), row.text, row.unit)
    for value, status in ((low + (high - low) / 2, "match"), (high + 1, "differs")):
        measures = pd.DataFrame({"lan_code": [row.lan_code], "measure": [row.measure],
                                 "period": [row.period], "value": [value]})
        result = compare.audit_published(ref, measures).set_index("key")
        assert result.at[key, "status"] == status


# ------------------------------------------------------------- the county boards' own sheets


def _submission(reported_projects: int, repayment: int) -> SimpleNamespace:
    projects = pd.DataFrame({
        "lan_code": ["01", "01", "03"], "diarienummer": ["a", "b", "c"],
        "granted_sek": [100_000, 50_000, 80_000], "source_file": ["01.xlsx", "01.xlsx", "03.xlsx"],
    })
    allocations = pd.DataFrame({
        "lan_code": ["01"] * 3 + ["03"] * 3, "year": [2008, 2009, 2010] * 2,
        "allocated_sek": [100_000, 100_000, 100_000, 30_000, 30_000, 30_000],
        "requisitioned_sek": [100_000, 0, 100_000, 30_000, 30_000, 30_000],
        "source_file": ["01.xlsx"] * 3 + ["03.xlsx"] * 3, "source_row": [2, 3, 4] * 2,
    })
    board = pd.DataFrame({
        "lan_code": ["01", "03"], "reported_projects": [reported_projects, 1],
        "reported_granted_sek": [150_000, 80_000], "administration_sek": [7_500, 4_000],
        "repayment_sek": [repayment, 90_000 - 80_000 - 4_000],
        "source_file": ["01.xlsx", "03.xlsx"], "source_row": [2, 2],
    })
    return SimpleNamespace(projects=projects, allocations=allocations, board=board)


def test_board_totals_that_agree_with_their_projects_give_no_finding():
    consistent = _submission(2, 200_000 - 150_000 - 7_500)
    assert stage.consistency(compare.submission_figures(consistent)).empty
    assert len(rules.checks(compare.submission_figures(consistent))) > 0


def test_board_totals_that_disagree_with_their_projects_are_found():
    wrong = _submission(3, 200_000 - 150_000 - 7_500 + 1_000)
    found = stage.consistency(compare.submission_figures(wrong))
    assert sorted(found["rule"]) == ["identity", "same_figure"]
    assert set(found["difference"]) == {1.0, 1000.0}
    assert found["keys"].str.contains("board.01.").all()


# ------------------------------------------------------------------ reading the results


def test_explanations_say_which_differences_the_report_itself_accounts_for(ref, base_findings):
    measures = _measures_from(ref)
    frame = _plain(ref)
    cells = frame[frame["parent"] == "t2.total.new_structures"]

    def at(measure: str) -> pd.Series:
        return ((measures["measure"] == measure) & (measures["lan_code"] == "00")
                & (measures["period"] == "2008-2010"))

    measures.loc[at("new_structures"), "value"] = cells["value"].sum()  # the cells' sum
    measures.loc[at("partner_health"), "value"] += 1  # a difference nothing in the report explains
    result = compare.audit_published(ref, measures, base_findings)
    explained = compare.explain_differences(result, ref, base_findings).set_index("key")
    assert set(explained.index) == set(result.loc[result["status"] == "differs", "key"])
    assert explained.at["t2.total.new_structures", "explained"]
    assert "motsägelse" in explained.at["t2.total.new_structures", "explanation"]
    assert not explained.at["t3.partner_health", "explained"]
    # no boilerplate repeated, no "… och N ställen till"
    for text in explained["explanation"]:
        assert "ställen till" not in text and text.count("säger emot sig själv") <= 1


def test_status_table_counts_every_figure_once(ref):
    result = compare.audit_published(ref, _measures_from(ref))
    table = present.status_table(result, ref)
    assert table.loc["Totalt", "Totalt"] == len(ref)
    counts = result["status"].value_counts()
    for status, column in present.STATUS_LABELS.items():
        assert table.loc["Totalt", column] == counts.get(status, 0)
    # the report's tables are named apart from the book's own numbered tables
    assert all(t.startswith("Rapportens ") for t in table.index if t != "Totalt")


def test_finding_texts_name_the_reports_tables_and_never_double_a_label(base_findings):
    text = present.findings_markdown(base_findings)
    assert "Rapportens tabell 1" in text
    assert not re.search(r"(?<!ortens )(?<!rapportens )\bTabell \d", text)
    for line in text.splitlines():
        body = line.split(". ", 1)[1]
        first = re.match(r"\*\*(.+?)\.\*\*", body).group(1)
        assert first in {"Motsägelse", "Möjlig avvikelse"}
        assert body.count("Rapporten motsäger sig själv") == 0


def test_one_misprinted_row_total_is_recognised_as_the_cause_of_two_findings(ref):
    t1 = _plain(ref)
    t1 = t1[(t1["table"] == "t1") & (t1["lan_code"] != "00")]
    years = t1[t1["period"].isin(["2008", "2009", "2010"])].groupby("lan_code")["value"].sum()
    # a copy in which every row total equals its years and the Summa equals the rows
    repaired = ref.copy()
    for lan, total in years.items():
        repaired.loc[repaired["key"] == f"t1.{lan}.2008-2010", "value"] = int(total)
    repaired.loc[repaired["key"] == "t1.total.2008-2010", "value"] = int(years.sum())
    sums = stage.consistency(repaired)
    sums = sums[sums["rule"].isin(["sum_of_parts", "period_sum"])]
    assert not sums["keys"].str.startswith("t1.").any()
    lan = sorted(years.index)[3]
    key = f"t1.{lan}.2008-2010"
    planted = _mutate(repaired, key, value=int(years[lan]) + 50_000)
    found = stage.corrections(planted).set_index("key")
    assert key in found.index
    assert found.at[key, "corrected"] == years[lan]
    assert found.at[key, "resolves"] == 2


def test_no_correction_is_offered_when_the_figures_do_not_single_one_out(ref, base_findings):
    """The family perspective 32 + 24 ≠ 55: either part could be wrong, so no correction."""
    fixes = stage.corrections(ref, base_findings)
    family = base_findings[base_findings["keys"].str.startswith(
        "prose.reflections.family_perspective;")]
    assert len(family) == 1 and family["suspect"].iloc[0] == ""
    assert not set(fixes["key"]) & set(family["keys"].iloc[0].split(";"))
    # every offered correction is the named suspect of each finding it is part of
    for fix in fixes.itertuples(index=False):
        touched = base_findings[[fix.key in k.split(";") for k in base_findings["keys"]]]
        assert (touched["suspect"] == fix.key).all()


def test_the_agreeing_pair_outweighs_table1s_stars(base_findings):
    """Tabell 6's requisitioned funds and the text's repayment agree; the stars are the odd one
    out, so neither printed figure is named as the suspect."""
    values = published().set_index("key")["value"].astype(float)
    assert (values["t6.requisitioned_sek"] - values["t6.total_costs_sek"]
            == values["prose.results.repayment_sek"])
    identity = base_findings[base_findings["keys"].str.startswith("t6.requisitioned_sek;")]
    assert len(identity) == 1
    assert identity["suspect"].iloc[0] == "marker:t1:*"
    assert "stjärnmarkerade" in identity["assessment"].iloc[0]
    assert not base_findings["suspect"].isin(["t6.requisitioned_sek",
                                              "prose.results.repayment_sek"]).any()


def test_the_national_new_structures_are_the_sum_of_the_counties(base_findings):
    """No special reading: the Summa row's 88 against the county cells is a contradiction."""
    cells = _plain(published())
    cells = cells[cells["parent"] == "t2.total.new_structures"]
    found = base_findings[base_findings["keys"].str.startswith("t2.total.new_structures;")]
    assert len(found) == 1 and found["severity"].iloc[0] == "Motsägelse"
    assert found["expected"].iloc[0] == cells["value"].sum()


def test_a_date_order_finding_states_the_expected_order_not_the_printed_one():
    """The foreword's period end (2011-08-31) falls after the boards' deadline (2011-06-30):
    the finding says so and that the reverse is expected. It once read "…är senare än …; en
    period som redan är slut", stating the expected relation as if the report printed it."""
    reference = compare.round_figures(published(), 2011)
    findings = stage.weighed_findings(reference, rules.checks(reference))
    dates = findings[findings["rule"] == "date_order"]
    assert len(dates) == 1
    detail = dates.iloc[0]["detail"]
    assert ("redovisningsperiodens slut 2008–2010 (2011-08-31) är senare än länsstyrelsernas "
            "slutdatum (2011-06-30") in detail
    assert detail.endswith("; väntat är att projekten redovisar till länsstyrelsen en period "
                           "som redan är slut.")


@pytest.mark.parametrize("report_round", [2010, 2011])
def test_no_finding_states_the_value_it_expects(report_round):
    """A finding whose stated and expected values are equal ("Angivet 6 / Förväntat 6") says
    nothing: every finding of the printed report, in both rounds, names a different value."""
    reference = compare.round_figures(published(), report_round)
    findings = stage.weighed_findings(reference, rules.checks(reference))
    assert len(findings) > 0
    same = findings[findings["stated"] == findings["expected"]]
    assert same[["rule", "keys"]].values.tolist() == []
