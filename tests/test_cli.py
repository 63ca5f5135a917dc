"""The command line: it alone reads arguments, prints and picks exit codes; `audit` recomputes the
audit alone from processed data on a copy of the project."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from samverkan import paths
from samverkan.cli import main
from samverkan.io import read_csv
from samverkan.pipeline import bench

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = bench.copy_project(tmp_path / "project", ROOT)
    monkeypatch.setenv("SAMVERKAN_ROOT", str(root))
    paths.project_root.cache_clear()
    yield root
    paths.project_root.cache_clear()


def test_audit_alone_from_the_processed_data(copy: Path, capsys: pytest.CaptureFixture[str]
                                             ) -> None:
    assert main(["audit"]) == 2, "no processed data yet: nothing to audit"
    assert "python -m samverkan run" in capsys.readouterr().err
    assert main(["clean"]) == 0
    capsys.readouterr()
    assert main(["audit", "--round", "2011"]) == 0
    out = capsys.readouterr().out
    audit = read_csv(copy / "data/processed/2011/audit.csv")
    counts = audit["status"].value_counts()
    assert f"match: {counts['match']}" in out and f"differs: {counts['differs']}" in out
    # every printed figure of Rapport 2011:39 (counted with the csv module) has one status
    with open(copy / "data/reference/published.csv", encoding="utf-8", newline="") as fh:
        printed = sum(1 for _ in csv.DictReader(fh))
    stated = dict(re.findall(r"(match|differs|not_recomputable): (\d+)", out))
    assert sum(map(int, stated.values())) == len(audit) == printed
    assert int(stated["match"]) > 0 and "consistency.csv" in out


@pytest.mark.parametrize("argv", [["render", "--engine", "typst"], ["run", "--round", "2009"],
                                  ["audit", "--round", "x"], ["nothing"],
                                  ["run", "--jobs", "0"], ["run", "--jobs", "-3"],
                                  ["run", "--jobs", "two"], ["bench", "--jobs", "0"],
                                  ["clean", "--round", "2012"]])
def test_bad_arguments_exit_2_before_anything_runs(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2


def test_render_engine_is_an_option_of_the_command() -> None:
    from samverkan.cli import _parser

    assert _parser().parse_args(["render", "--engine", "embedded"]).engine == "embedded"
    assert _parser().parse_args(["render"]).engine == "auto"


def test_an_unknown_round_is_named_and_the_rounds_listed(capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    with pytest.raises(SystemExit):
        main(["run", "--round", "2012"])
    err = capsys.readouterr().err
    assert "2012" in err and "2010" in err and "2011" in err


def test_a_failed_write_names_the_file_it_was_writing(tmp_path: Path) -> None:
    """A full disk (ENOSPC from a writer that holds no file name) names the target."""
    import errno

    from samverkan.io import write_atomic

    def full(path: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    target = tmp_path / "tables" / "t1.csv"
    with pytest.raises(OSError, match="No space left on device; .*tables/t1.csv was not written"
                       ) as caught:
        write_atomic(target, full)
    assert caught.value.filename == str(target)
    assert not target.exists() and not list(target.parent.iterdir())
