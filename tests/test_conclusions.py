"""The closing chapter's numbers (samverkan.book.conclusions) on a tiny hand-made round: every
expected value is counted by hand from the four projects below, or read from
data/reference/published.csv with the csv module, never taken from the code under test."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from samverkan import provenance, registry
from samverkan.audit import compare, rules, stage
from samverkan.book import sources
from samverkan.book.conclusions import conclusion_facts, unprinted_markdown
from samverkan.paths import reference_dir
from samverkan.reference import published
from samverkan.results import measures as meas
from tests.indicator_fixtures import project, tables


@pytest.fixture(scope="module")
def p11():
    """Four projects of 2011: two in Stockholm, one not started in Jönköping, one in Dalarna."""
    return tables(
        [project(2011, "01", "A", coop_new=True, actor_health=True, actor_justice=True,
                 goal_met="ja", integration_done=True, area_women=True, granted_sek=1_500_000),
         project(2011, "01", "B", status="pagar", actor_voluntary=True, goal_met="delvis",
                 area_children=True, area_women=True, granted_sek=400_000),
         project(2011, "06", "C", status="ej_startad", granted_sek=0),
         project(2011, "20", "D", coop_existing=True, actor_church=True, goal_met="ja",
                 integration_plan=True, granted_sek=300_000)],
        [("01", 2008, 1_260_000, 1_260_000), ("01", 2010, 2_100_000, 2_100_000),
         ("06", 2010, 360_000, 0), ("20", 2010, 300_000, 300_000)],
        [("01", 2, 1_900_000, 100_000, 0), ("06", 1, 0, 0, 360_000),
         ("20", 1, 300_000, 20_000, 0)])


@pytest.fixture(scope="module")
def facts(p11):
    p10 = tables([project(2010, "01", "A", coop_new=True, status="pagar")],
                 [("01", 2008, 1_260_000, 1_260_000)])
    reference = compare.round_figures(published(), 2011)
    checks = rules.checks(reference)
    findings = stage.weighed_findings(reference, checks)
    none = reference.iloc[:0]  # no county sheets in this round
    audit = stage.AuditResult(
        report_round=2011, published=reference,
        audit=compare.audit_published(reference, meas.measures(p11, p10), findings),
        checks=checks, report_findings=findings, submission_checks=rules.checks(none),
        submission_findings=stage.weighed_findings(none))
    return conclusion_facts(p11, p10, audit)


def test_projects_and_outcomes_are_counted_from_the_rows(facts):
    assert (facts.granted, facts.started, facts.not_started) == (4, 3, 1)
    assert (facts.finished, facts.ongoing) == (2, 1)  # A and D finished, B ongoing
    assert facts.goal_met == 3  # ja, delvis, ja
    assert (facts.integration_done, facts.integration_plan) == (1, 1)  # A; D
    assert (facts.new_structures, facts.existing_structures) == (1, 1)
    assert facts.integrated_of_granted == pytest.approx(1 / 4)  # only A goes all the way


def test_partners_and_target_groups_most_frequent_first(facts):
    assert [n for _, n in facts.partners] == [1, 1, 1]
    assert facts.areas[0] == ("Våldsutsatta kvinnor", 2)  # A and B
    assert facts.areas[1][1] == 1  # B's children


def test_money(facts):
    assert facts.allocated_sek == 1_260_000 + 2_100_000 + 360_000 + 300_000
    assert facts.requisitioned_sek == 1_260_000 + 2_100_000 + 300_000
    assert facts.granted_sek == 1_500_000 + 400_000 + 300_000  # C never started
    assert facts.administration_sek == 100_000 + 20_000
    assert facts.short_counties == ("06",)


def test_spreads_name_the_county_and_its_number_of_projects(facts):
    done = next(s for s in facts.spreads if s.key == "integrerad")
    assert (done.low_lan, done.low, done.low_n) == ("20", 0.0, 1)  # D not integrated
    assert (done.high_lan, done.high, done.high_n) == ("01", 0.5, 2)  # A of A and B
    assert done.national == pytest.approx(1 / 3)
    goal = next(s for s in facts.spreads if s.key == "maluppfyllelse")
    assert (goal.low_lan, goal.high_lan) == ("01", "01")  # a tie at 100 %: the first code


def test_the_audit_counts_add_up_to_every_printed_figure(facts):
    with open(reference_dir() / "published.csv", encoding="utf-8", newline="") as fh:
        printed = sum(1 for _ in csv.DictReader(fh))
    assert 0 < facts.printed <= printed  # the figures the final report's round speaks to
    assert facts.matches + facts.differs + facts.not_recomputable == printed
    assert facts.contradictions > 0  # the report's own contradictions hold for any data


def test_the_findings_are_split_into_contradictions_and_possible_deviations(facts):
    """Counted here with pandas from the audit's own weighed findings of the reference."""
    reference = compare.round_figures(published(), 2011)
    findings = stage.weighed_findings(reference, rules.checks(reference))
    severity = findings["severity"].value_counts()
    assert facts.possible == severity.get("Möjlig avvikelse", 0)
    assert facts.contradictions == severity.get("Motsägelse", 0)
    assert facts.contradictions + facts.possible == len(findings)
    assert 0 <= facts.explained_by_contradictions <= facts.differs


def _source_facts(own: tuple[str, ...]) -> dict:
    every = {c: provenance.OWN if c in own else provenance.RECONSTRUCTED
             for c in registry.county_codes()}
    return sources.facts(pd.DataFrame({"key": [], "status": []}),
                         pd.DataFrame({"key": [], "table": [], "lan_code": []}),
                         {2010: every, 2011: every}, 2011)


def test_the_unprinted_figures_are_marked_county_by_county(facts, p11):
    """Slutsatser's subsection of figures the report does not print: a county's value loses the
    reconstruction's mark once that county's files are its own, unless a reconstructed county
    ties with it. By hand from the four projects: nobody has real cooperation (Stockholm and
    Dalarna tie at 0 %), Stockholm integrated 1 of 2 started (50 %), Dalarna 0 of 1."""
    mark = sources.MARK
    every = unprinted_markdown(facts, p11, _source_facts(()))
    assert "Uppgifter som bara finns i det rekonstruerade underlaget" in every
    assert "bland dem Stockholms län (0,0\u00a0%" + mark + ")" in every
    assert "högst i Stockholms län (50,0\u00a0%" + mark + ")" in every

    stockholm = unprinted_markdown(facts, p11, _source_facts(("01",)))
    assert "högst i Stockholms län (50,0\u00a0%) " in stockholm  # Stockholm's own value
    assert "lägst i Dalarnas län (0,0\u00a0%" + mark + ")" in stockholm  # Dalarna's is not
    # tied with Dalarna, whose files are still the reconstruction
    assert "2 län, bland dem Stockholms län (0,0\u00a0%" + mark + ")" in stockholm

    own = unprinted_markdown(facts, p11, _source_facts(tuple(registry.county_codes())))
    assert mark not in own and "rekonstruerat" not in own
    assert "Uppgifter ur länens egna filer som Rapport 2011:39 inte trycker" in own
