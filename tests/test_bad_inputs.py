"""The bad-input corpus (tests/bad_inputs/, made by make_corpus.py): every case gives its
expected status, message and number of rejects; the run goes on with the other files; the
ledger balances and nothing is lost; contact data never reaches an output."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from privacy import raw_contacts

from samverkan.intake.clean import clean_round
from samverkan.io import neutralise_formula

CORPUS = Path(__file__).parent / "bad_inputs"


@cache
def cases() -> pd.DataFrame:
    return pd.read_csv(CORPUS / "cases.csv", dtype=str, keep_default_na=False)


def case_names() -> list[str]:
    return sorted(set(cases()["case"]))


def run_case(name: str, out: Path) -> dict[int, object]:
    """Clean every round of the case in order (the later round links to the earlier)."""
    results = {}
    for raw in sorted((CORPUS / name / "raw").iterdir()):
        report_round = int(raw.name)
        results[report_round] = clean_round(raw, CORPUS / name / "coding" / f"{raw.name}.csv",
                                            out / raw.name, report_round)
    return results


_CLEANED: dict[str, tuple[Path, dict[int, object]]] = {}


def cleaned(name: str, factory: pytest.TempPathFactory) -> tuple[Path, dict[int, object]]:
    """The case cleaned once per session (outputs in a temporary folder)."""
    if name not in _CLEANED:
        out = factory.mktemp(name)
        _CLEANED[name] = (out, run_case(name, out))
    return _CLEANED[name]


def test_the_corpus_has_at_least_70_cases_each_with_files():
    assert len(case_names()) >= 70
    for name in case_names():
        assert any((CORPUS / name / "raw").rglob("*")), name
    assert {p.name for p in CORPUS.iterdir() if p.is_dir()} == set(case_names())


@pytest.mark.parametrize("name", case_names())
def test_bad_input_case(name, tmp_path_factory):
    expected = cases()[cases()["case"] == name]
    report_round = int(expected["round"].iloc[0])
    result = cleaned(name, tmp_path_factory)[1][report_round]
    ledger, rejects = result.ledger, result.rejects

    # nothing lost: every file of the round has a ledger row, and every row read is accounted
    raw_files = {p.relative_to(CORPUS / name / "raw" / str(report_round)).as_posix()
                 for p in (CORPUS / name / "raw" / str(report_round)).rglob("*") if p.is_file()}
    assert raw_files <= set(ledger["file"])
    assert (ledger["rows_read"] == ledger["rows_accepted"] + ledger["rows_rejected"]).all()
    accepted = len(result.projects) + len(result.allocations) + len(result.board)
    assert int(ledger["rows_accepted"].sum()) == accepted
    assert set(rejects["file"]) <= set(ledger["file"])

    for e in expected.itertuples(index=False):
        row = ledger[(ledger["file"] == e.file) & (ledger["sheet"] == e.sheet)]
        assert len(row) == 1, f"no ledger row for {e.file} {e.sheet}"
        row = row.iloc[0]
        assert row["status"] == e.status
        mine = rejects[(rejects["file"] == e.file) & (rejects["sheet"] == e.sheet)]
        assert len(mine) == int(e.rejects), mine.to_string()
        if e.check:
            assert e.check in set(mine["check"]) | {row["check"]}
        if e.message:
            said = " ".join([row["message"], *mine["reason"]])
            assert e.message in said, said
        if e.status == "file_rejected":
            assert row["rows_accepted"] == 0 and row["message"]
        if e.rows_read:  # a file rejected whole still counts the rows it holds
            assert row["rows_read"] == int(e.rows_read), row.to_dict()

    # the run went on: the valid companion (Gotland) is accepted unless the case is about it
    about = set(expected["file"])
    companion = ledger[ledger["file"].str.startswith("09-") & ~ledger["file"].isin(about)]
    assert len(companion) and (companion["status"] == "ok").all()
    assert "09" in set(result.projects["lan_code"]) or "09-gotland-projekt.csv" in about

    issues = set(result.coding_issues["issue"]) - {"link_not_checked"}
    wanted = {i for i in expected["issue"] if i}
    assert wanted <= issues
    assert issues <= wanted | {"coding_without_project"}
    assert result.ok == (expected["rejects"].astype(int).sum() == 0
                         and expected["status"].isin(["ok", "copy"]).all())


@pytest.mark.parametrize("name", case_names())
def test_no_contact_data_in_any_output(name, tmp_path_factory):
    out, _ = cleaned(name, tmp_path_factory)
    secrets = raw_contacts(CORPUS / name / "raw")
    assert secrets, "the corpus files carry contact data to look for"
    for path in out.rglob("*"):
        if path.suffix in {".csv", ".parquet"}:
            text = path.read_bytes().decode("utf-8", errors="replace")
            found = [s for s in secrets if s in text]
            assert not found, (path.name, found)


def test_formula_like_text_is_kept_as_text_and_neutralised_for_excel(tmp_path,
                                                                   tmp_path_factory):
    result = cleaned("formula_like_free_text", tmp_path_factory)[1][2011]
    row = result.projects.set_index("diarienummer").loc["301-1"]
    assert row["goal_text"] == '=HYPERLINK("http://example.org";"Klicka")'
    assert row["title"] == "-Samverkan-"
    workbook = openpyxl.Workbook()
    workbook.active.append([neutralise_formula(row["goal_text"]),
                            neutralise_formula(row["title"]), neutralise_formula(12)])
    workbook.save(tmp_path / "out.xlsx")
    cells = next(openpyxl.load_workbook(tmp_path / "out.xlsx").active.iter_rows())
    assert [c.data_type for c in cells] == ["s", "s", "n"]
    assert cells[0].value == "'" + row["goal_text"]


def test_unknown_columns_are_named_in_the_ledger(tmp_path_factory):
    out, results = cleaned("contact_data_in_unknown_columns", tmp_path_factory)
    result = results[2011]
    ledger = result.ledger.set_index(["file", "sheet"])
    assert ledger.loc[("03-uppsala.xlsx", "Projekt"), "unknown_columns"] == (
        "Mobil; Kontaktpersonens e-post (ny)")
    written = (out / "2011" / "ledger.csv").read_text(encoding="utf-8")
    assert "070-111 22 33" not in written and "a.b@example.org" not in written


def test_cases_table_is_well_formed():
    with (CORPUS / "cases.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all(r["status"] in {"ok", "rows_rejected", "file_rejected", "copy"}
                        for r in rows)
    assert all(r["rejects"].isdigit() and (r["rows_read"] == "" or r["rows_read"].isdigit())
               for r in rows)


def test_the_committed_corpus_is_what_the_script_writes(tmp_path):
    """make_corpus.py and the committed files agree: same cases table, same files, and the same
    bytes for every file that has no timestamp inside (CSV and raw bytes; workbooks carry their
    creation time)."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = module
    spec.loader.exec_module(module)
    module.main(tmp_path)
    assert (tmp_path / "cases.csv").read_text() == (CORPUS / "cases.csv").read_text()
    fresh = {p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file()}
    committed = {p.relative_to(CORPUS) for p in CORPUS.rglob("*") if p.is_file()
                 and p.parent != CORPUS and "__pycache__" not in p.parts}
    assert fresh - {Path("cases.csv")} == committed
    for path in committed:
        if path.suffix != ".xlsx":
            assert (tmp_path / path).read_bytes() == (CORPUS / path).read_bytes(), path



def test_personal_data_typed_into_free_text_is_removed_and_counted(tmp_path_factory):
    out, results = cleaned("personal_data_in_free_text", tmp_path_factory)
    ledger = results[2011].ledger.set_index(["file", "sheet"])
    assert ledger.loc[("03-uppsala.xlsx", "Projekt"), "personal_data_redacted"] == 3
    row = results[2011].projects.set_index("diarienummer").loc["301-1"]
    assert row["other_info_text"] == ("Frågor till [e-post borttagen] eller "
                                      "[telefonnummer borttaget]")
    typed = ("anna.berg@example.se", "070-123 45 67", "19750505-1234")
    for path in out.rglob("*"):
        if path.suffix in {".csv", ".parquet"}:
            text = path.read_bytes().decode("utf-8", errors="replace")
            assert not [t for t in typed if t in text], path.name


def test_a_value_that_looks_like_a_formula_is_rejected_as_written(tmp_path_factory):
    _, results = cleaned("formula_in_an_amount", tmp_path_factory)
    values = set(results[2011].rejects["value"])
    assert {"=2*100000", "-2009-09-01"} <= values


def test_the_other_counties_are_unaffected_by_an_ambiguous_submission(tmp_path_factory):
    """Gotland's cleaned rows are the same whatever Uppsala sent."""
    def gotland(name: str) -> pd.DataFrame:
        projects = cleaned(name, tmp_path_factory)[1][2011].projects
        return projects[projects["lan_code"] == "09"].reset_index(drop=True)

    reference = gotland("invalid_coding_value").drop(columns=["real_cooperation"])
    for name in ("workbook_beside_csv_files", "two_workbook_versions", "two_sheets_for_one_table",
                 "different_copy_beside_original", "downloaded_copy_name"):
        pd.testing.assert_frame_equal(gotland(name).drop(columns=["real_cooperation"]),
                                      reference)


def test_rejects_csv_keeps_formula_like_values_as_text(tmp_path_factory):
    """rejects.csv goes through the project's one CSV writer: a rejected value that looks like
    a formula is written neutralised (no cell starts with = or -) and reads back as written."""
    from samverkan.io import read_csv

    out, _ = cleaned("formula_in_an_amount", tmp_path_factory)
    path = out / "2011" / "rejects.csv"
    cells = [c for line in path.read_text(encoding="utf-8-sig").splitlines()
             for c in line.split(";")]
    assert not [c for c in cells if c.strip('"').startswith(("=", "-2009"))]
    assert {"=2*100000", "-2009-09-01"} <= set(read_csv(path)["value"])
