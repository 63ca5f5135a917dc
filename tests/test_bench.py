"""The benchmark's helpers (the benchmark itself is a script that prints figures, not a test):
what the floor notebooks import, the project copy, and the one-county text correction."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from samverkan.intake.clean import clean_round
from samverkan.pipeline import bench, kernels

ROOT = Path(__file__).resolve().parents[1]


def test_floor_notebooks_import_what_the_real_ones_import(tmp_path: Path) -> None:
    nb = {"cells": [
        {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": "x = 1"},
        {"cell_type": "code", "metadata": {},
         "source": ["#| include: false\n", "import pandas as pd\n", "from a import (b,\n  c)\n",
                    "y = pd.DataFrame()\n", "def f():\n", "    import os\n"]},
        {"cell_type": "markdown", "metadata": {}, "source": "import nothing"},
        {"cell_type": "code", "metadata": {}, "source": "import pandas as pd\n%matplotlib inline"},
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "n.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert kernels.notebook_imports([path]) == ["import pandas as pd", "from a import (b,\n  c)"]


def test_the_copy_has_sources_and_data_but_no_outputs(tmp_path: Path) -> None:
    copy = bench.copy_project(tmp_path / "p", ROOT)
    assert (copy / "_quarto.yml").is_file()
    assert (copy / "samverkan" / "pipeline" / "runner.py").is_file()
    assert sorted(p.name for p in (copy / "data" / "raw" / "2011").iterdir()) == sorted(
        p.name for p in (ROOT / "data" / "raw" / "2011").iterdir())
    for rel in (".git", ".venv", "data/processed", "report/_generated", "_book"):
        assert not (copy / rel).exists(), rel


@pytest.mark.parametrize("lan_code", ["01", "05"])  # a workbook and a CSV submission
def test_the_correction_changes_one_title_of_one_county(tmp_path: Path, lan_code: str) -> None:
    copy = bench.copy_project(tmp_path / "p", ROOT)
    raw = copy / "data" / "raw" / "2011"
    coding = copy / "data" / "coding" / "2011.csv"
    before = clean_round(raw, coding, None, 2011, previous=None).projects
    changed = bench.correct_one_county(copy, 2011, lan_code)
    assert changed.startswith(f"{lan_code}-")
    after = clean_round(raw, coding, None, 2011, previous=None).projects
    assert len(after) == len(before)
    keyed = before.set_index("diarienummer")["title"], after.set_index("diarienummer")["title"]
    moved = [d for d in keyed[0].index if keyed[0][d] != keyed[1][d]]
    assert len(moved) == 1
    assert keyed[1][moved[0]] == f"{keyed[0][moved[0]]} (rättad)"
    assert after.set_index("diarienummer").loc[moved[0], "lan_code"] == lan_code


def test_the_chapter_edit_changes_one_cell_source_of_one_notebook(tmp_path: Path) -> None:
    from samverkan.pipeline import cache

    copy = bench.copy_project(tmp_path / "p", ROOT)
    others = {p.name: cache.notebook_digest(p) for p in (copy / "notebooks").glob("*.ipynb")}
    before = json.loads((copy / bench.EDITED_CHAPTER).read_text(encoding="utf-8"))
    assert bench.edit_one_chapter(copy) == bench.EDITED_CHAPTER
    after = json.loads((copy / bench.EDITED_CHAPTER).read_text(encoding="utf-8"))
    changed = [i for i, (a, b) in enumerate(zip(before["cells"], after["cells"], strict=True))
               if a["source"] != b["source"]]
    assert len(changed) == 1 and "".join(after["cells"][changed[0]]["source"]).endswith(
        "# redigerad")
    now = {p.name: cache.notebook_digest(p) for p in (copy / "notebooks").glob("*.ipynb")}
    assert {n for n in now if now[n] != others[n]} == {"05_distribution.ipynb"}
