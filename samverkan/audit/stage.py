"""The audit stage: one round's audit computed from the processed data and written to
``data/processed/<round>/`` (``audit.csv``, ``consistency.csv``, and the whole result as
``audit_result.pickle``). :func:`audit_round` is the public entry point (the CLI's ``audit``
command calls it); the chapters and the county slices call :func:`compute`, which takes the
stored result when it was computed from the very files it would read."""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pandas as pd

from samverkan.audit import evidence, rules
from samverkan.audit.compare import audit_published, round_figures, submission_figures
from samverkan.io import write_atomic, write_csv
from samverkan.paths import processed_dir, project_root
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


def inputs_digest(report_round: int, root: Path | None = None) -> str:
    """One digest of everything :func:`compute` reads: the package's code and reference data
    (the runner's ``stages.CODE``) and the processed tables of the round and the rounds before
    it."""
    from samverkan.pipeline import cache, stages
    from samverkan.rounds import ROUNDS

    root = root or project_root()
    patterns = (*stages.CODE, *(p for q in ROUNDS if q <= report_round
                                for p in stages.clean_outputs(q)))
    files = cache.expand(patterns, root, skip=lambda _rel: False)
    return cache.text_digest(report_round, cache.files_digests(files, root))


def stored_path(report_round: int) -> Path:
    """The audit stage's whole result, beside ``audit.csv``: the chapters and the county slices
    read it instead of computing the audit again (four times per cold run)."""
    from samverkan.pipeline.stages import stored_audit

    return project_root() / stored_audit(report_round)


def _stored(report_round: int, digest: str) -> AuditResult | None:
    """The stored result of the round when it was computed from inputs with ``digest``."""
    path = stored_path(report_round)
    try:
        stored_digest, result = pickle.loads(path.read_bytes())
    except Exception:  # noqa: BLE001 - missing, partial or from another version: compute
        return None
    return result if stored_digest == digest and isinstance(result, AuditResult) else None


def compute(report_round: int = DEFAULT_ROUND) -> AuditResult:
    """Audit one round's processed data (and the round before it, which the final report
    links to) against Rapport 2011:39: the published figures of the round against the
    recomputed ones, the report's contradictions among them, and the county sheets' totals.
    The audit stage's stored result when it was computed from the same code, reference data
    and processed tables (:func:`inputs_digest`), else computed here."""
    stored = _stored(report_round, inputs_digest(report_round))
    return stored if stored is not None else _compute(report_round)


def _compute(report_round: int) -> AuditResult:
    """:func:`compute`, always computed."""
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
    """:func:`compute` (always computed), then write ``audit.csv``, ``consistency.csv`` and
    the result with the digest of its inputs (:func:`stored_path`) to ``data/processed/<round>/``
    atomically. The public entry point of the audit stage."""
    digest = inputs_digest(report_round)
    result = _compute(report_round)
    out = processed_dir(report_round)
    write_csv(out / "audit.csv", result.audit)
    write_csv(out / "consistency.csv", result.consistency)
    write_atomic(stored_path(report_round),
                 lambda tmp: tmp.write_bytes(pickle.dumps((digest, result))))
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
