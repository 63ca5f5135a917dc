"""The audit stage's stored result (samverkan/audit/stage.py): the chapters and the county
slices read what the audit stage computed instead of computing it again, but only while
everything the audit reads is what it was computed from."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from samverkan import paths
from samverkan.audit import stage
from samverkan.pipeline.stages import PROCESSED_TABLES

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = (2010, 2011)


class Computed(Exception):
    """The audit was computed, not read back."""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A project with the shipped reference data, the processed tables of both rounds (from
    the pipeline's run that ``make test`` starts with) and one module of code."""
    missing = [r for r in ROUNDS if not (ROOT / "data" / "processed" / str(r)).is_dir()]
    if missing:
        pytest.fail(f"no processed data for {missing}: run `python -m samverkan run` first")
    root = tmp_path / "proj"
    shutil.copytree(ROOT / "data" / "reference", root / "data" / "reference")
    for r in ROUNDS:
        target = root / "data" / "processed" / str(r)
        target.mkdir(parents=True)
        for name in PROCESSED_TABLES:
            if (ROOT / "data" / "processed" / str(r) / name).is_file():
                shutil.copy2(ROOT / "data" / "processed" / str(r) / name, target / name)
    (root / "samverkan").mkdir()
    (root / "samverkan" / "code.py").write_text("VERSION = 1\n", encoding="utf-8")
    monkeypatch.setenv("SAMVERKAN_ROOT", str(root))
    paths.project_root.cache_clear()
    yield root
    paths.project_root.cache_clear()


def _computing_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    def computed(*_args: object, **_kwargs: object) -> None:
        raise Computed
    monkeypatch.setattr(stage, "audit_published", computed)


def test_the_audit_stages_result_is_read_back_not_computed_again(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    written = stage.audit_round(2011)
    _computing_raises(monkeypatch)
    read = stage.compute(2011)
    for field in ("published", "audit", "checks", "report_findings", "submission_checks",
                  "submission_findings"):
        pd.testing.assert_frame_equal(getattr(read, field), getattr(written, field))
    assert read.report_round == 2011
    read.audit.loc[:, "status"] = "ändrad"  # a reader that changes its copy changes no other
    assert (stage.compute(2011).audit["status"] != "ändrad").all()


@pytest.mark.parametrize("change", ["code", "this round's table", "the round before's table",
                                    "reference data", "a broken file", "another round's audit"])
def test_the_audit_is_computed_again_when_anything_it_reads_changed(
        project: Path, monkeypatch: pytest.MonkeyPatch, change: str) -> None:
    stage.audit_round(2011)
    stored = stage.stored_path(2011)
    if change == "code":
        (project / "samverkan" / "code.py").write_text("VERSION = 2\n", encoding="utf-8")
    elif change == "this round's table":
        with open(project / "data" / "processed" / "2011" / "ledger.csv", "a") as fh:
            fh.write("\n")
    elif change == "the round before's table":
        with open(project / "data" / "processed" / "2010" / "projects.csv", "a") as fh:
            fh.write("\n")
    elif change == "reference data":
        with open(next((project / "data" / "reference").glob("*.csv")), "a") as fh:
            fh.write("\n")
    elif change == "a broken file":
        stored.write_bytes(stored.read_bytes()[:100])
    else:  # the 2010 result stored where 2011's belongs: another round's inputs
        stage.audit_round(2010)
        shutil.copy(stage.stored_path(2010), stored)
    _computing_raises(monkeypatch)
    with pytest.raises(Computed):
        stage.compute(2011)


def test_the_readers_of_the_audit_run_after_it() -> None:
    """The runner orders stages by what they read: the chapters that call ``compute`` and the
    county slices read the stored audits, so the audits run before them, once."""
    from samverkan.pipeline import stages

    plan = stages.Plan(report_round=2011, chapters=(), counties=frozenset())
    stored = {stages.stored_audit(r) for r in ROUNDS}
    assert set(plan.rounds) == set(ROUNDS)
    assert stored <= {o for s in stages.audit_stages(plan) for o in s.outputs}
    for name in ("03_audit.ipynb", "04_summary.ipynb", "07_conclusions.ipynb"):
        assert stored <= set(stages.CHAPTER_READS[name](plan)), name
    counties = next(s for s in stages.results_stages(plan) if s.name.startswith("counties"))
    assert stored <= set(counties.inputs)
