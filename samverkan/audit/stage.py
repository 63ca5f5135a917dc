"""The audit stage: one round's audit computed from the processed data and written to
``data/processed/<round>/`` (``audit.csv``, ``consistency.csv``). :func:`audit_round` is the
public entry point (the CLI's ``audit`` command and the audit chapter call it)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import pandas as pd

from samverkan.audit import evidence, rules
from samverkan.audit.compare import audit_published, round_figures, submission_figures
from samverkan.io import write_csv
from samverkan.paths import processed_dir
from samverkan.rounds import DEFAULT_ROUND

CONSISTENCY_COLUMNS: tuple[str, ...] = (
    "source", "rule", "severity", "stated", "expected", "difference", "unit", "tolerance",
    "keys", "suspect", "candidates", "suspect_value", "detail", "assessment",
)
"""``consistency.csv``: one row per finding, the report's first, then the county sheets'."""


def weighed_findings(frame: pd.DataFrame, all_checks: pd.DataFrame | None = None
                     ) -> pd.DataFrame:
    """The findings among the figures of ``frame`` (columns of ``published.csv``) with their
    severity, suspect and assessment (:func:`samverkan.audit.evidence.weigh`), in
    :data:`CONSISTENCY_COLUMNS`."""
    check = partial(rules.checks)
    if all_checks is None:
        all_checks = check(frame)
    weighed = evidence.weigh(frame, all_checks, check)
    return weighed.loc[:, list(CONSISTENCY_COLUMNS)].reset_index(drop=True)


def consistency(frame: pd.DataFrame) -> pd.DataFrame:
    """The inconsistencies among the figures of ``frame``, weighed (:func:`weighed_findings`)."""
    return weighed_findings(frame)


def corrections(frame: pd.DataFrame, findings: pd.DataFrame | None = None) -> pd.DataFrame:
    """Single misprints that would explain findings, offered only when unique
    (:func:`samverkan.audit.evidence.corrections`)."""
    if findings is None:
        findings = weighed_findings(frame)
    return evidence.corrections(frame, findings, rules.checks)


@dataclass(frozen=True)
class AuditResult:
    """What :func:`compute` found for one round."""

    report_round: int
    published: pd.DataFrame
    """The published figures this round's submissions speak to (:func:`round_figures`)."""
    audit: pd.DataFrame
    """``audit.csv``: every such figure against the recomputed one."""
    checks: pd.DataFrame
    """Every consistency check on those published figures (:func:`rules.checks`)."""
    report_findings: pd.DataFrame
    """The failing checks, weighed: severity, suspect, assessment."""
    submission_checks: pd.DataFrame
    """Every check of the county boards' own totals against their rows."""
    submission_findings: pd.DataFrame

    @property
    def consistency(self) -> pd.DataFrame:
        """``consistency.csv``: the report's findings, then the county sheets'."""
        return pd.concat([self.report_findings, self.submission_findings], ignore_index=True)

    def corrections(self) -> pd.DataFrame:
        """Single misprints of the report that would explain findings (unique only)."""
        return evidence.corrections(self.published, self.report_findings, rules.checks)


def compute(report_round: int = DEFAULT_ROUND) -> AuditResult:
    """Audit one round's processed data (and the round before it, which the final report
    links to) against Rapport 2011:39: the published figures of the round against the
    recomputed ones, the report's contradictions among them, and the county sheets' totals."""
    from samverkan.intake.outputs import load_processed
    from samverkan.reference import published
    from samverkan.results.measures import measures
    from samverkan.rounds import PERIOD_BY_ROUND, ROUNDS

    current = load_processed(report_round)
    previous = load_processed(report_round - 1) if report_round - 1 in ROUNDS else None
    reference = round_figures(published(), report_round)
    all_checks = rules.checks(reference)
    found = weighed_findings(reference, all_checks)
    submitted = submission_figures(current, PERIOD_BY_ROUND[report_round])
    submission_checks = rules.checks(submitted)
    return AuditResult(
        report_round=report_round, published=reference,
        audit=audit_published(reference, measures(current, previous), found),
        checks=all_checks, report_findings=found, submission_checks=submission_checks,
        submission_findings=weighed_findings(submitted, submission_checks))


def audit_round(report_round: int = DEFAULT_ROUND) -> AuditResult:
    """:func:`compute`, then write ``audit.csv`` and ``consistency.csv`` to
    ``data/processed/<round>/`` atomically. The public entry point of the audit stage."""
    result = compute(report_round)
    out = processed_dir(report_round)
    write_csv(out / "audit.csv", result.audit)
    write_csv(out / "consistency.csv", result.consistency)
    return result


def summary_line(result: AuditResult) -> str:
    """One line for a terminal: statuses and findings by severity."""
    counts = result.audit["status"].value_counts()
    severity = result.report_findings["severity"].value_counts()
    return (f"round {result.report_round}: "
            + ", ".join(f"{s}: {int(counts.get(s, 0))}" for s in
                        ("match", "differs", "not_recomputable"))
            + "; report: " + ", ".join(f"{s} {int(n)}" for s, n in severity.items())
            + f"; county sheets: {len(result.submission_findings)} findings")
