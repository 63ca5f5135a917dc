"""The Makefile's promises: `make lab` runs for the README's setup (root included), on a chosen
port, headless, at the project root; `make report` says samverkan's own exit code."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _dry(*args: str) -> str:
    """What make would run (``-n``), the setup step left out."""
    proc = subprocess.run(["make", "-n", "--no-print-directory", *args], cwd=ROOT,
                          capture_output=True, text=True, check=True, timeout=60)
    return "\n".join(line for line in proc.stdout.splitlines() if "setup.sh" not in line)


def test_lab_takes_a_port_runs_headless_and_opens_at_the_project_root() -> None:
    line = next(x for x in _dry("lab", "PORT=8899", "HEADLESS=1").splitlines()
                if "jupyter lab" in x)
    assert "--port=8899" in line and "--no-browser" in line
    assert f'--ServerApp.root_dir="{ROOT}"' in line
    assert " notebooks/" not in line
    assert ("--allow-root" in line) == (os.geteuid() == 0)
    plain = next(x for x in _dry("lab").splitlines() if "jupyter lab" in x)
    assert "--no-browser" not in plain and "--port=8888" in plain


def test_make_report_says_samverkans_own_exit_code(tmp_path: Path) -> None:
    """make turns any failure into its own 2; the recipe prints samverkan's code first."""
    fake = tmp_path / "python"
    fake.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    fake.chmod(0o755)
    proc = subprocess.run(["make", "--no-print-directory", "-o", "setup", f"PY={fake}", "report"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "python -m samverkan run exited 1" in proc.stderr
