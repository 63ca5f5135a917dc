"""The shipped data: cleaning data/raw/<round>/ reproduces the generator's truth tables
(tests/truth/<round>/) in every field, the ledger balances for every file, and no contact data
from the raw files reaches the processed files or the executed data-quality notebook."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from privacy import raw_contacts

from samverkan.intake.clean import PROVENANCE, clean_round
from samverkan.io import read_csv
from samverkan.paths import coding_path, project_root, raw_dir
from samverkan.privacy import EMAIL
from samverkan.rounds import ROUNDS

TRUTH = Path(__file__).parent / "truth"
KEYS = {"projects": ["lan_code", "diarienummer"], "allocations": ["lan_code", "year"],
        "board": ["lan_code"]}


def _require_shipped_data() -> None:
    missing = [str(p.relative_to(project_root())) for r in ROUNDS
               for p in (raw_dir(r), coding_path(r), TRUTH / str(r)) if not p.exists()]
    if missing:
        pytest.fail(f"The shipped data is missing ({', '.join(missing)}): run `python -m "
                    "samverkan synth` (it writes data/raw, data/coding and tests/truth).")


@cache
def _cleaned(out: str) -> dict[int, object]:
    results = {}
    for r in ROUNDS:  # in order: 2011 links to the 2010 output beside it
        results[r] = clean_round(raw_dir(r), coding_path(r), Path(out) / str(r), r)
    return results


@pytest.fixture(scope="module")
def cleaned(tmp_path_factory):
    _require_shipped_data()
    out = tmp_path_factory.mktemp("shipped")
    return out, _cleaned(str(out))


def _as_text(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    frame = frame.drop(columns=[c for c in PROVENANCE if c in frame.columns])
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)


@pytest.mark.parametrize("report_round", ROUNDS)
@pytest.mark.parametrize("table", list(KEYS))
def test_cleaned_tables_equal_the_truth(cleaned, report_round, table):
    out, _ = cleaned
    truth_path = TRUTH / str(report_round) / f"{table}.csv"
    written = out / str(report_round) / f"{table}.csv"
    if table == "board" and report_round == 2010:
        assert not truth_path.exists() and not written.exists()
        return
    truth = read_csv(truth_path)
    mine = read_csv(written)
    assert len(truth) > 0
    pd.testing.assert_frame_equal(_as_text(mine, KEYS[table]), _as_text(truth, KEYS[table]))


@pytest.mark.parametrize("report_round", ROUNDS)
def test_parquet_and_csv_hold_the_same_rows(cleaned, report_round):
    out, _ = cleaned
    for table in ("projects", "allocations"):
        parquet = pd.read_parquet(out / str(report_round) / f"{table}.parquet")
        csv = read_csv(out / str(report_round) / f"{table}.csv")
        assert len(parquet) == len(csv)
        assert list(parquet.columns) == list(csv.columns)
        assert list(parquet["lan_code"]) == list(csv["lan_code"])


@pytest.mark.parametrize("report_round", ROUNDS)
def test_the_ledger_balances_for_every_file(cleaned, report_round):
    _, results = cleaned
    result = results[report_round]
    ledger = result.ledger
    files = {p.name for p in raw_dir(report_round).iterdir()
             if p.suffix in {".xlsx", ".csv"}}
    assert files == set(ledger["file"])
    assert (ledger["rows_read"] == ledger["rows_accepted"] + ledger["rows_rejected"]).all()
    accepted = len(result.projects) + len(result.allocations) + len(result.board)
    assert int(ledger["rows_accepted"].sum()) == accepted


def _output_texts(out: Path) -> dict[str, str]:
    texts = {str(p.relative_to(out)): p.read_text(encoding="utf-8-sig")
             for p in out.rglob("*") if p.suffix in {".csv", ".json"}}
    texts |= {str(p.relative_to(out)): pd.read_parquet(p).to_csv(index=False)
              for p in out.rglob("*.parquet")}
    notebook = project_root() / "notebooks" / "01_clean.ipynb"
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    texts[notebook.name] = json.dumps([c.get("outputs", []) for c in cells], ensure_ascii=False)
    return texts


def test_no_contact_data_in_processed_files_or_the_notebook(cleaned):
    out, _ = cleaned
    secrets = set()
    for r in ROUNDS:
        secrets |= raw_contacts(raw_dir(r))
    assert len(secrets) > 20, "the raw files carry contact persons to look for"
    for name, text in _output_texts(out).items():
        assert not [s for s in secrets if len(s) > 3 and s in text], name
        assert not EMAIL.search(text), name
