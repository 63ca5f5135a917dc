"""Cleaning a round: typed tables in contract order, validation mapped back to file/sheet/row,
the coding merge and round link, the ledger, outputs, the loader and the command."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest
from clean_fixtures import (
    allocation,
    board,
    coding_row,
    grid,
    project,
    small_round,
    write_coding,
    write_csv,
    write_ods,
    write_xls,
    write_xlsx,
)

from samverkan import paths
from samverkan.cli import main
from samverkan.intake import clean, ingest
from samverkan.intake import validate as validate_module
from samverkan.intake.codebook import fields, taxonomy
from samverkan.io import read_csv
from samverkan.paths import reference_dir

ROUND_YEARS = {2010: (2008, 2009), 2011: (2008, 2009, 2010)}


def municipality_codes(*names: str) -> str:
    """Kommunkoder looked up in the reference file directly (not through the registry)."""
    with (reference_dir() / "municipalities.csv").open(encoding="utf-8") as handle:
        index = {row["name"]: row["kommunkod"] for row in csv.DictReader(handle)}
    return ";".join(sorted(index[n] for n in names))


def run(root: Path, report_round: int = 2011) -> clean.CleanResult:
    raw = root / "raw" / str(report_round)
    return clean.clean_round(raw, root / "coding" / f"{report_round}.csv",
                             root / "processed" / str(report_round), report_round)


def balanced(ledger: pd.DataFrame) -> bool:
    return bool((ledger["rows_read"] == ledger["rows_accepted"] + ledger["rows_rejected"]).all())


@pytest.fixture
def both_rounds(tmp_path):
    small_round(tmp_path, 2010)
    small_round(tmp_path, 2011)
    return tmp_path, run(tmp_path, 2010), run(tmp_path, 2011)


def test_a_valid_round_is_accepted_whole(both_rounds):
    _, r2010, r2011 = both_rounds
    for result, n_projects in ((r2010, 3), (r2011, 4)):
        assert result.ok and result.rejects.empty
        assert balanced(result.ledger) and (result.ledger["status"] == "ok").all()
        assert len(result.projects) == n_projects
        assert result.coding_issues.empty
    assert len(r2011.board) == 2 and r2010.board.empty


def test_columns_are_in_contract_order_with_contract_types(both_rounds):
    _, _, result = both_rounds
    projects = result.projects
    expected = ["report_round"] + [f.name for f in fields("Projekt") if not f.personal]
    expected += [k.name for k in taxonomy()]
    expected += ["real_cooperation", "contains_training", "temporary_constellation",
                 "county_board_active", "goal_met", "source_file", "source_sheet", "source_row"]
    assert list(projects.columns) == expected
    assert list(result.allocations.columns) == [
        "report_round", "lan_code", "year", "allocated_sek", "requisitioned_sek",
        "source_file", "source_sheet", "source_row"]
    assert list(result.board.columns) == [
        "report_round", "lan_code", "reported_projects", "reported_granted_sek",
        "administration_sek", "repayment_sek", "prerequisites_text", "board_other_text",
        "source_file", "source_sheet", "source_row"]
    for f in fields("Projekt"):
        if f.type == "checkbox":
            assert projects[f.name].dtype == bool, f.name
        if f.type in {"amount", "year"}:
            assert projects[f.name].dtype == "int64", f.name
    assert not projects.isna().any().any()


def test_values_are_normalised(both_rounds):
    _, r2010, r2011 = both_rounds
    p = r2011.projects.set_index("diarienummer")
    assert p.at["101-2-2009", "municipality_codes"] == municipality_codes(
        "Solna", "Sundbyberg", "Nacka")
    assert p.at["2501-9", "municipality_codes"] == municipality_codes("Luleå", "Kiruna")
    assert p.at["101-2-2009", "granted_sek"] == 250000          # a workbook number
    assert p.at["101-1-2008", "granted_sek"] == 100000          # "100 000 kr"
    assert p.at["101-3-2010", "granted_sek"] == 50000           # "50 000,00"
    assert p.at["101-2-2009", "period_start"] == pd.Timestamp("2009-09-01")  # "20090901"
    assert p.at["101-3-2010", "status"] == "ej_startad"
    assert p.at["101-1-2008", "report_type"] == "slutredovisning"
    assert list(p["lan_code"]) == ["01", "01", "01", "25"]
    assert p.at["101-1-2008", "actor_voluntary"]                 # "1"
    assert p.at["101-1-2008", "actor_justice"]                   # "Ja"
    assert not p.at["101-1-2008", "coop_new"]                    # blank
    assert p.at["2501-9", "kw_prosecutor"] and not p.at["101-1-2008", "kw_prosecutor"]
    assert p.at["101-1-2008", "kw_police"]                       # "Närpolisen"
    assert p.at["101-1-2008", "goal_met"] == "ja"
    q = r2010.projects
    assert not q["integration_done"].any()                       # not asked in 2010
    assert (q["future_needs_text"] == "").all()


def test_outputs_are_written_and_read_back(both_rounds):
    root, _, result = both_rounds
    out = root / "processed" / "2011"
    for name in ("projects", "allocations", "board"):
        assert (out / f"{name}.parquet").is_file() and (out / f"{name}.csv").is_file()
    for name in ("rejects.csv", "ledger.csv", "coding_issues.csv"):
        assert (out / name).is_file()
    assert not (root / "processed" / "2010" / "board.parquet").exists()
    back = clean.read_processed(out)
    pd.testing.assert_frame_equal(back.projects, result.projects)
    pd.testing.assert_frame_equal(back.allocations, result.allocations)
    text = (out / "projects.csv").read_text(encoding="utf-8-sig")
    assert "2009-09-01" in text and "00:00:00" not in text
    assert list(back.ledger["rows_read"]) == list(result.ledger["rows_read"])


def bad_round(tmp_path: Path) -> Path:
    """Stockholm with one bad value per row, Norrbotten clean; both as workbooks."""
    raw = tmp_path / "raw" / "2011"
    rows = [
        project("01", "1-ok"),
        project("01", "1-neg", granted_sek="-5 000"),
        project("01", "1-ore", granted_sek="916 210,50"),
        project("01", "1-order", period_start="20090901", period_end="20090831"),
        project("01", "1-box", coop_new="kanske"),
        project("01", "1-kommun", municipality_codes="Atlantis"),
        project("01", "1-dup"),
        project("01", "1-dup"),
        project("01", "1-year", granted_year=2012),
        project("01", "1-two", granted_sek="mycket", period_end="31/2 2011"),
        project("01", "1-nodnr", diarienummer=""),
        project("Uppsala", "1-lan"),
    ]
    write_xlsx(raw / "01-stockholm.xlsx", {
        "Projekt": grid("Projekt", rows, 2011, titles=1),
        "Medel": grid("Medel", [allocation("01", y, requisitioned="10 000 000")
                                for y in (2008, 2009, 2010)], 2011),
        "Länsstyrelsen": grid("Länsstyrelsen", [board("01")], 2011)})
    write_xlsx(raw / "25-norrbotten.xlsx", {
        "Projekt": grid("Projekt", [project("25", "25-ok", municipality_codes="Luleå")], 2011),
        "Medel": grid("Medel", [allocation("25", y) for y in (2008, 2009, 2010)], 2011),
        "Länsstyrelsen": grid("Länsstyrelsen", [board("25")], 2011)})
    write_coding(tmp_path / "coding" / "2011.csv",
                 [coding_row("01", "1-ok"), coding_row("25", "25-ok")])
    return raw


def test_bad_rows_are_rejected_with_file_sheet_row_column_and_reason(tmp_path):
    bad_round(tmp_path)
    result = run(tmp_path)
    rejects = result.rejects
    assert set(rejects["file"]) == {"01-stockholm.xlsx"}
    got = {(int(r.row), r.column, r.check) for r in rejects.itertuples()}
    # header on row 2 under one title row: project i is on row 3 + i
    assert got == {
        (4, "granted_sek", "amount_negative"),
        (5, "granted_sek", "amount_ore"),
        (6, "period_end", "period_order"),
        (7, "coop_new", "checkbox_value"),
        (8, "municipality_codes", "municipality_unknown"),
        (9, "diarienummer", "duplicate_key"),
        (10, "diarienummer", "duplicate_key"),
        (11, "granted_year", "year_range"),
        (12, "granted_sek", "amount_format"),
        (12, "period_end", "date_invalid"),
        (13, "diarienummer", "required_missing"),
        (14, "lan_code", "county_file_mismatch"),
    }
    assert sorted(result.projects["diarienummer"]) == ["1-ok", "25-ok"]
    ledger = result.ledger.set_index(["file", "sheet"])
    assert ledger.loc[("01-stockholm.xlsx", "Projekt"), "rows_rejected"] == 11
    assert ledger.loc[("01-stockholm.xlsx", "Projekt"), "status"] == "rows_rejected"
    assert balanced(result.ledger)
    order = rejects[rejects["check"] == "period_order"].iloc[0]
    assert "2009-08-31" in order["reason"] and "2009-09-01" in order["reason"]
    dup = rejects[rejects["check"] == "duplicate_key"].iloc[0]
    assert "rad 9" in dup["reason"] and "rad 10" in dup["reason"]
    assert rejects[rejects["check"] == "amount_ore"].iloc[0]["value"] == "916 210,50"
    assert not result.ok


def test_granted_above_requisitioned_rejects_the_county_allocations(tmp_path):
    raw = small_round(tmp_path)
    write_csv(raw / "25-norrbotten-medel.csv",
              grid("Medel", [allocation("25", y, requisitioned="20 000") for y in
                             (2008, 2009, 2010)], 2011))
    result = run(tmp_path)
    rejected = result.rejects[result.rejects["check"] == "granted_over_requisitioned"]
    assert sorted(rejected["row"].astype(int)) == [2, 3, 4]
    assert "75000" in rejected.iloc[0]["reason"] and "60000" in rejected.iloc[0]["reason"]
    assert set(result.allocations["lan_code"]) == {"01"}
    assert "2501-9" in set(result.projects["diarienummer"])


def test_coding_issues_are_reported_not_dropped(tmp_path):
    small_round(tmp_path)
    write_coding(tmp_path / "coding" / "2011.csv", [
        coding_row("01", "101-1-2008"),
        {**coding_row("01", "101-2-2009"), "goal_met": "kanske"},
        coding_row("03", "101-3-2010"),
        coding_row("01", "999-9"),
        coding_row("01", "998-1"), coding_row("01", "998-1"),
    ])
    result = run(tmp_path)
    issues = {(r.diarienummer, r.issue) for r in result.coding_issues.itertuples()}
    assert issues == {
        ("101-2-2009", "coding_value"),
        ("101-3-2010", "coding_county_mismatch"),
        ("999-9", "coding_without_project"),
        ("998-1", "coding_duplicate"),
        ("998-1", "coding_without_project"),
        ("2501-9", "project_without_coding"),
        ("", "link_not_checked"),
    }
    p = result.projects.set_index("diarienummer")
    assert len(p) == 4 and result.ok
    assert p.at["2501-9", "goal_met"] == "" and p.at["101-2-2009", "goal_met"] == ""
    assert p.at["101-2-2009", "real_cooperation"] == "ja"


def test_a_final_report_without_its_partial_report_is_reported(tmp_path):
    small_round(tmp_path, 2010)
    small_round(tmp_path, 2011)
    previous = run(tmp_path, 2010).projects
    previous = previous[previous["diarienummer"] != "101-2-2009"]
    previous = pd.concat([previous, previous.head(1).assign(diarienummer="101-0-2008")])
    result = clean.clean_round(tmp_path / "raw" / "2011", tmp_path / "coding" / "2011.csv",
                               None, 2011, previous=previous)
    issues = {(r.diarienummer, r.issue) for r in result.coding_issues.itertuples()}
    assert issues == {("101-2-2009", "partial_report_missing"),
                      ("101-0-2008", "final_report_missing")}


@pytest.fixture
def project_copy(tmp_path, monkeypatch):
    """A throwaway project root with the reference data and the small rounds."""
    root = tmp_path / "project"
    (root / "samverkan").mkdir(parents=True)
    (root / "_quarto.yml").write_text("project: {}\n")
    shutil.copytree(reference_dir(), root / "data" / "reference")
    small_round(root / "data", 2010)
    small_round(root / "data", 2011)
    monkeypatch.setenv("SAMVERKAN_ROOT", str(root))
    paths.project_root.cache_clear()
    yield root
    paths.project_root.cache_clear()


def test_run_cleans_a_round_after_the_round_before_and_load_processed_never_builds(
        project_copy):
    processed = project_copy / "data" / "processed"
    with pytest.raises(clean.MissingProcessedData, match=r"2011/projects.parquet is missing.*"
                                                         r"python -m samverkan run"):
        clean.load_processed(2011)
    with pytest.raises(clean.MissingProcessedData, match=r"cleaning 2011: .*2010/projects"):
        clean.run(2011)
    assert not (processed / "2011").exists(), "nothing is built as a side effect"
    clean.run(2010)
    first = clean.run(2011)
    assert len(first.projects) == 4
    assert "link_not_checked" not in set(first.coding_issues["issue"]), "linked to 2010"
    stamp = (processed / "2011" / "projects.parquet").stat().st_mtime_ns
    again = clean.load_processed(2011)
    assert (processed / "2011" / "projects.parquet").stat().st_mtime_ns == stamp
    pd.testing.assert_frame_equal(first.projects, again.projects)
    write_coding(project_copy / "data" / "coding" / "2011.csv", [coding_row("01", "101-1-2008")])
    stale = clean.load_processed(2011)  # reads what is there: staleness is the runner's
    pd.testing.assert_frame_equal(first.projects, stale.projects)
    assert (stale.projects["goal_met"] == "ja").sum() == 4
    assert (clean.run(2011).projects["goal_met"] == "ja").sum() == 1
    assert clean.load_processed(2009).projects.empty
    assert not list(processed.rglob("*manifest*")) and not list(processed.rglob(".*lock"))


def test_the_command_exits_non_zero_after_writing_when_rows_are_rejected(project_copy, capsys):
    assert main(["clean", "--round", "2011"]) == 0
    out = capsys.readouterr().out
    assert "Omgång 2010" in out and "Omgång 2011" in out, "the round before is cleaned first"
    for old in (project_copy / "data" / "raw" / "2011").glob("25-norrbotten-*.csv"):
        old.unlink()  # bad_round sends Norrbotten as a workbook: one submission per county
    bad_round(project_copy / "data")
    assert main(["clean", "--round", "2011"]) == 1
    printed = capsys.readouterr().out
    assert "rejects.csv" in printed and "01-stockholm.xlsx" in printed
    written = read_csv(project_copy / "data" / "processed" / "2011" / "projects.csv")
    assert "25-ok" in set(written["diarienummer"])


def test_a_missing_submissions_folder_is_an_error_not_an_empty_round(tmp_path, capsys,
                                                                     project_copy):
    with pytest.raises(FileNotFoundError, match="Mappen för inlämningarna"):
        clean.clean_round(tmp_path / "nowhere", tmp_path / "c.csv", None, 2011)
    shutil.rmtree(project_copy / "data" / "raw" / "2010")
    assert main(["clean", "--round", "2010"]) == 2
    assert "synth" in capsys.readouterr().err



def test_a_crash_in_one_countys_reader_costs_only_that_county(project_copy, monkeypatch,
                                                              capsys):
    """An unexpected exception while reading Norrbotten's CSV files rejects those files with
    internal_error (exception type, file, a request to report it); Stockholm is cleaned exactly
    as without the crash, the ledger balances and the command exits 1."""
    assert main(["clean", "--round", "2011"]) == 0
    out = project_copy / "data" / "processed" / "2011"
    before = clean.read_processed(out)
    real = ingest.read_csv

    def crash(source, report_round):
        if source.lan_code == "25":
            raise TypeError("boolean value of NA is ambiguous")
        return real(source, report_round)

    monkeypatch.setattr(ingest, "read_csv", crash)
    capsys.readouterr()
    assert main(["clean", "--round", "2011"]) == 1
    printed = capsys.readouterr().out
    after = clean.read_processed(out)
    ledger = after.ledger.set_index("file")
    for name in ("25-norrbotten-projekt.csv", "25-norrbotten-medel.csv",
                 "25-norrbotten-lansstyrelsen.csv"):
        row = ledger.loc[name]
        assert (row["status"], row["check"]) == ("file_rejected", "internal_error")
        assert "TypeError" in row["message"] and name in row["message"]
        assert "Rapportera felet" in row["message"]
    assert ledger.loc["25-norrbotten-projekt.csv", "rows_read"] == 1
    assert balanced(after.ledger)
    assert "internal_error" not in set(before.rejects["check"])
    assert "TypeError" in printed
    stockholm = before.projects[before.projects["lan_code"] == "01"].reset_index(drop=True)
    pd.testing.assert_frame_equal(after.projects.reset_index(drop=True), stockholm)
    assert set(after.allocations["lan_code"]) == {"01"} and set(after.board["lan_code"]) == {"01"}


def test_a_crash_while_checking_one_file_costs_only_that_file(tmp_path, monkeypatch):
    """The checks run on every county's rows together; when they fail unexpectedly, the file
    whose rows make them fail is found, rejected with internal_error, and the rest checked."""
    small_round(tmp_path)
    expected = run(tmp_path)
    real = validate_module.normalise_sheet

    def crash(raw, sheet, report_round, rejects, **options):
        if sheet == "Projekt" and raw["source_file"].str.startswith("25-").any():
            raise TypeError("boolean value of NA is ambiguous")
        return real(raw, sheet, report_round, rejects, **options)

    monkeypatch.setattr(clean, "normalise_sheet", crash)
    result = run(tmp_path)
    row = result.ledger.set_index(["file", "sheet"]).loc[("25-norrbotten-projekt.csv",
                                                          "Projekt")]
    assert (row["status"], row["check"], row["rows_read"]) == ("file_rejected",
                                                               "internal_error", 1)
    assert "25-norrbotten-projekt.csv, blad 'Projekt'" in row["message"]
    assert balanced(result.ledger) and not result.ok
    mine = expected.projects[expected.projects["lan_code"] == "01"].reset_index(drop=True)
    pd.testing.assert_frame_equal(result.projects, mine)
    assert len(result.allocations) == len(expected.allocations)


def test_a_failed_clean_leaves_no_outputs_of_the_run_before(tmp_path, monkeypatch):
    small_round(tmp_path)
    run(tmp_path)
    out = tmp_path / "processed" / "2011"
    assert (out / "rejects.csv").is_file() and (out / "ledger.csv").is_file()

    def broken(path):
        raise RuntimeError("disk full")

    monkeypatch.setattr(clean, "read_coding", broken)
    with pytest.raises(RuntimeError):
        run(tmp_path)
    assert not [p.name for p in out.iterdir() if p.suffix in {".csv", ".parquet"}]


def test_workbooks_saved_as_xls_and_ods_clean_like_xlsx(tmp_path):
    small_round(tmp_path)
    expected = run(tmp_path)
    raw = tmp_path / "raw" / "2011"
    workbook = raw / "01-stockholm.xlsx"
    import openpyxl

    book = openpyxl.load_workbook(workbook)
    sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book}
    workbook.unlink()
    for writer, suffix in ((write_xls, ".xls"), (write_ods, ".ods")):
        path = writer(raw / f"01-stockholm{suffix}", sheets)
        result = run(tmp_path)
        path.unlink()
        assert result.ok, result.rejects.to_string()
        got = result.projects.drop(columns=["source_file"])
        pd.testing.assert_frame_equal(got, expected.projects.drop(columns=["source_file"]))
        assert set(result.projects["source_file"]) == {f"01-stockholm{suffix}",
                                                       "25-norrbotten-projekt.csv"}
