"""Readers: header under title rows, header spellings, personal data dropped at reading, CSV
encodings and delimiters, merged cells and formulas, file names, raw files left untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest
from clean_fixtures import (
    CONTACT,
    allocation,
    board,
    grid,
    project,
    small_round,
    write_csv,
    write_xlsx,
)

from samverkan.intake import csvfiles, ingest, sheets
from samverkan.intake.ingest import SubmissionError
from samverkan.intake.normalise import CellProblem


def outcomes_by_key(raw: Path, report_round: int = 2011
                    ) -> dict[tuple[str, str], sheets.SheetOutcome]:
    return {(o.file, o.sheet): o for o in ingest.read_submissions(raw, report_round)}


def test_every_sheet_of_a_valid_round_is_read(tmp_path):
    raw = small_round(tmp_path)
    found = outcomes_by_key(raw)
    assert sorted(found) == [
        ("01-stockholm.xlsx", "Länsstyrelsen"), ("01-stockholm.xlsx", "Medel"),
        ("01-stockholm.xlsx", "Projekt"), ("25-norrbotten-lansstyrelsen.csv", "Länsstyrelsen"),
        ("25-norrbotten-medel.csv", "Medel"), ("25-norrbotten-projekt.csv", "Projekt"),
    ]
    assert all(o.error is None for o in found.values())
    stockholm = found[("01-stockholm.xlsx", "Projekt")].table
    # two title rows, header on row 3, projects on rows 4-6 as a spreadsheet numbers them
    assert stockholm.header_row == 3
    assert list(stockholm.cells.index) == [4, 5, 6]
    assert stockholm.cells.loc[5, "diarienummer"] == "101-2-2009"


def test_personal_data_never_enters_the_tables(tmp_path):
    raw = small_round(tmp_path)
    for outcome in ingest.read_submissions(raw, 2011):
        table = outcome.table
        assert table is not None
        assert not {"contact_name", "contact_phone", "contact_email"} & set(table.cells.columns)
        dump = table.cells.to_csv() + repr(table.notes) + repr(table.unknown_columns)
        for value in CONTACT.values():
            assert value not in dump
    assert outcomes_by_key(raw)[("01-stockholm.xlsx", "Projekt")].table.personal_columns == 3


def test_unknown_columns_are_named_but_their_values_dropped(tmp_path):
    rows = [project("01", "1-1"), project("01", "1-2")]
    sheets = {"Projekt": grid("Projekt", rows, 2011, extra={"Mobil": ["070-123 45 67"] * 2,
                                                            "Kommentar": ["hemligt", ""]}),
              "Medel": grid("Medel", [allocation("01", y) for y in (2008, 2009, 2010)], 2011),
              "Länsstyrelsen": grid("Länsstyrelsen", [board("01")], 2011)}
    raw = tmp_path / "raw"
    write_xlsx(raw / "01-stockholm.xlsx", sheets)
    table = outcomes_by_key(raw)[("01-stockholm.xlsx", "Projekt")].table
    assert table.unknown_columns == ["Mobil", "Kommentar"]
    assert "070-123 45 67" not in table.cells.to_csv() and "hemligt" not in table.cells.to_csv()


def test_header_spellings_map_to_canonical_fields(tmp_path):
    rows = [project("25", "25-1")]
    for spelling in (0, 1, 2, 3):
        path = write_csv(tmp_path / f"s{spelling}" / "25-norrbotten-projekt.csv",
                         grid("Projekt", rows, 2011, spelling=spelling))
        source = ingest.identify(path, path.parent)
        table = csvfiles.read_csv(source, 2011)
        assert table.cells.loc[2, "diarienummer"] == "25-1"
        assert table.cells.loc[2, "granted_sek"] == "100 000 kr"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_encodings_and_delimiters_are_detected(tmp_path, encoding, delimiter):
    rows = [project("25", "25-1", title="Våld i nära relationer – Övertorneå")]
    path = write_csv(tmp_path / "25-norrbotten-projekt.csv", grid("Projekt", rows, 2011, titles=1),
                     encoding=encoding, delimiter=delimiter)
    table = csvfiles.read_csv(ingest.identify(path, tmp_path), 2011)
    assert table.header_row == 2
    assert table.cells.loc[3, "title"] == "Våld i nära relationer – Övertorneå"


@pytest.mark.parametrize(("payload", "fragment"), [
    (b"", "filen är tom"),
    ("Län;Diarienummer\nStockholm;1\n".encode("utf-16"), "UTF-16"),
    ("Län;Diarienummer\nGävle\x81;1\n".encode("latin-1"), "varken UTF-8- eller Windows-1252"),
    ("Län;Projektnamn\nStockholm;VÃ¥ld\n".encode(), "konverterats två gånger"),
])
def test_unreadable_csv_files_are_rejected_with_a_reason(tmp_path, payload, fragment):
    path = tmp_path / "01-stockholm-projekt.csv"
    path.write_bytes(payload)
    with pytest.raises(SubmissionError) as error:
        csvfiles.read_csv(ingest.identify(path, tmp_path), 2011)
    assert fragment in error.value.message
    assert "01-stockholm-projekt.csv" in error.value.message


def test_a_csv_row_with_too_many_cells_is_a_row_problem(tmp_path):
    rows = grid("Projekt", [project("25", "25-1"), project("25", "25-2")], 2011)
    rows[2] = rows[2] + ["spill"]
    path = write_csv(tmp_path / "25-norrbotten-projekt.csv", rows)
    table = csvfiles.read_csv(ingest.identify(path, tmp_path), 2011)
    assert list(table.row_problems) == [3]
    assert table.row_problems[3][0] == "row_width"


def test_merged_cells_are_filled_down_and_formulas_without_value_marked(tmp_path):
    rows = [project("Stockholm", f"1-{i}") for i in range(3)]
    sheets = {"Projekt": grid("Projekt", rows, 2011),
              "Medel": grid("Medel", [allocation("01", y) for y in (2008, 2009, 2010)], 2011),
              "Länsstyrelsen": grid("Länsstyrelsen", [board("01")], 2011)}
    path = write_xlsx(tmp_path / "01-stockholm.xlsx", sheets)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Projekt"]
    sheet["A3"] = None
    sheet["A4"] = None
    sheet.merge_cells("A2:A4")
    amount_column = next(c.column_letter for c in sheet[1] if c.value == "Beviljade medel (kr)")
    sheet[f"{amount_column}3"] = f"={amount_column}2*2"
    workbook.save(path)
    table = outcomes_by_key(tmp_path)[("01-stockholm.xlsx", "Projekt")].table
    assert list(table.cells["lan_code"]) == ["Stockholm"] * 3
    problem = table.cells.loc[3, "granted_sek"]
    assert isinstance(problem, CellProblem) and problem.check == "formula_no_value"
    assert "sammanfogade celler fylldes nedåt: A2:A4" in table.notes


@pytest.mark.parametrize(("name", "check"), [
    ("stockholm.xlsx", "file_name"),
    ("99-atlantis.xlsx", "county_unknown"),
    ("01-uppsala.xlsx", "county_mismatch"),
    ("01-stockholm.pdf", "file_format"),
    ("01-stockholm-kontakter.csv", "file_name"),
])
def test_file_names_must_name_county_and_table(tmp_path, name, check):
    path = tmp_path / name
    path.write_text("x")
    with pytest.raises(SubmissionError) as error:
        ingest.identify(path, tmp_path)
    assert error.value.check == check
    assert name in error.value.message


def test_file_names_give_county_and_table(tmp_path):
    for name, lan, sheet in [("01-stockholm.xlsx", "01", None),
                             ("14-vastra-gotaland.xlsx", "14", None),
                             ("25-norrbotten-projekt.csv", "25", "Projekt"),
                             ("07-kronoberg-lansstyrelsen.csv", "07", "Länsstyrelsen")]:
        source = ingest.identify(tmp_path / name, tmp_path)
        assert (source.lan_code, source.sheet) == (lan, sheet)


def test_sheet_names_follow_the_codebook_and_missing_sheets_are_reported(tmp_path):
    sheets = {"Projekten": grid("Projekt", [project("01", "1-1")], 2011),
              "Instruktioner": [["Fyll i"]],
              "ekonomi": grid("Medel", [allocation("01", y) for y in (2008, 2009, 2010)], 2011)}
    write_xlsx(tmp_path / "01-stockholm.xlsx", sheets)
    found = outcomes_by_key(tmp_path)
    assert found[("01-stockholm.xlsx", "Projekt")].sheet_name == "Projekten"
    assert found[("01-stockholm.xlsx", "Medel")].sheet_name == "ekonomi"
    missing = found[("01-stockholm.xlsx", "Länsstyrelsen")].error
    assert missing.check == "sheet_missing" and "Länsstyrelsen" in missing.message
    notes = found[("01-stockholm.xlsx", "Projekt")].table.notes
    assert "andra blad lästes inte: Instruktioner" in notes


def test_a_csv_submission_without_one_of_its_tables_is_reported(tmp_path):
    write_csv(tmp_path / "25-norrbotten-projekt.csv", grid("Projekt", [project("25", "1")], 2011))
    found = outcomes_by_key(tmp_path)
    assert found[("25-*-medel.csv", "Medel")].error.check == "sheet_missing"
    assert found[("25-*-lansstyrelsen.csv", "Länsstyrelsen")].error.check == "sheet_missing"


def test_duplicated_and_missing_columns_reject_the_sheet(tmp_path):
    rows = grid("Projekt", [project("25", "1")], 2011)
    dup = [r + [r[1]] for r in rows]
    dup[0][-1] = "Dnr"
    path = write_csv(tmp_path / "a" / "25-norrbotten-projekt.csv", dup)
    with pytest.raises(SubmissionError) as error:
        csvfiles.read_csv(ingest.identify(path, path.parent), 2011)
    assert error.value.check == "column_duplicate" and "Diarienummer" in error.value.message
    path = write_csv(tmp_path / "b" / "25-norrbotten-projekt.csv",
                     grid("Projekt", [project("25", "1")], 2011, drop=("granted_sek",)))
    with pytest.raises(SubmissionError) as error:
        csvfiles.read_csv(ingest.identify(path, path.parent), 2011)
    assert error.value.check == "column_missing" and "granted_sek" in error.value.message
    assert error.value.rows_read == 1


def test_raw_files_are_not_modified(tmp_path):
    raw = small_round(tmp_path)
    before = {p: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
              for p in raw.iterdir()}
    ingest.read_submissions(raw, 2011)
    after = {p: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
             for p in raw.iterdir()}
    assert before == after
