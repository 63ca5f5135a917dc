"""The blank submission workbook (``python -m samverkan template``): its sheets and headers are
the codebook's, it is byte-stable, and a county that fills it in with its projects gets exactly
those projects out of the cleaner, in both rounds (the values come from the generator's truth
tables, written the way a county official would type them)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from samverkan import registry
from samverkan.cli import main
from samverkan.intake import codebook
from samverkan.intake.clean import PROVENANCE, clean_round
from samverkan.io import read_csv
from samverkan.paths import coding_path, project_root
from samverkan.rounds import ROUNDS

TRUTH = project_root() / "tests" / "truth"
KALMAR = "08"


def _template(path: Path, report_round: int) -> Path:
    assert main(["template", "--out", str(path), "--round", str(report_round)]) == 0
    return path


@pytest.mark.parametrize("report_round", ROUNDS)
def test_template_has_the_rounds_sheets_with_the_codebook_labels(tmp_path, report_round):
    book = openpyxl.load_workbook(_template(tmp_path / "mall.xlsx", report_round))
    sheets = [s for s in codebook.SHEETS if report_round in codebook.sheet_rounds(s)]
    assert book.sheetnames == ["Instruktioner", *sheets]
    guide_columns = [row[1] for row in book["Instruktioner"].iter_rows(min_row=5,
                                                                        values_only=True)]
    for sheet in sheets:
        labels = [c.value for c in book[sheet][1]]
        assert labels == [f.label for f in codebook.fields(sheet, report_round)]
        assert all(label in guide_columns for label in labels)
        personal = {c.value for c in book[sheet][1] if c.comment is not None}
        assert personal == {f.label for f in codebook.fields(sheet, report_round) if f.personal}


def test_template_fits_a_spreadsheet_desk(tmp_path):
    book = openpyxl.load_workbook(_template(tmp_path / "mall.xlsx", 2011))
    dropdowns = [v for sheet in book.worksheets for v in sheet.data_validations.dataValidation]
    assert len(dropdowns) >= 20 and all(v.showErrorMessage and v.error for v in dropdowns)
    for sheet in book.worksheets[1:]:
        for i, f in enumerate(codebook.fields(sheet.title, 2011), start=1):
            formats = {sheet.cell(row=r, column=i).number_format for r in (2, 100, 501)}
            assert formats == ({"@"} if f.type in codebook.TEXT_TYPES else {"General"}), f.name
        assert sheet.print_title_rows == "$1:$1" and sheet.page_setup.fitToWidth == 1
    guide = book["Instruktioner"]
    for row in guide.iter_rows(min_row=5):
        accepted = str(row[5].value or "")  # "Godkända värden", 60 wide
        if len(accepted) > 140:
            assert guide.row_dimensions[row[0].row].height >= 3 * 15, accepted
    header = book["Projekt"].row_dimensions[1].height
    assert header and header >= 45  # "Utvärdera befintlig samverkansstruktur": 3 lines at 18


def test_template_bytes_depend_only_on_the_round(tmp_path):
    first = _template(tmp_path / "a.xlsx", 2011).read_bytes()
    assert _template(tmp_path / "b.xlsx", 2011).read_bytes() == first
    assert _template(tmp_path / "c.xlsx", 2010).read_bytes() != first
    # the same bytes are the right workbook: the final report's sheets (the partial report has
    # no county board sheet) and the form's first questions as headers
    expected = {"b.xlsx": ["Instruktioner", "Projekt", "Medel", "Länsstyrelsen"],
                "c.xlsx": ["Instruktioner", "Projekt", "Medel"]}
    for name, sheets in expected.items():
        book = openpyxl.load_workbook(tmp_path / name)
        assert book.sheetnames == sheets
        assert [c.value for c in book["Projekt"][1]][:4] == [
            "Länsstyrelse", "Diarienummer", "Sökande kommun", "Projektnamn"]


def _typed_as_a_county_would(f: codebook.Field, value: str) -> object:
    """A truth-table value as a person fills in the template's cell."""
    if f.type == "checkbox":
        return "X" if value == "Ja" else None
    if f.type == "enum":
        return f.values[value][0] if f.values.get(value) else value
    if f.type == "county":
        return registry.county_name(value, "short")
    if f.type == "municipalities":
        return ", ".join(registry.municipality_name(c) for c in value.split(";"))
    return value or None


def _truth_rows(report_round: int, table: str) -> list[dict[str, str]]:
    rows = read_csv(TRUTH / str(report_round) / f"{table}.csv")
    return rows[rows["lan_code"] == KALMAR].to_dict("records")


def _fill(template: Path, report_round: int, out: Path) -> Path:
    book = openpyxl.load_workbook(template)
    tables = {"Projekt": "projects", "Medel": "allocations", "Länsstyrelsen": "board"}
    for sheet in book.sheetnames[1:]:
        columns = codebook.fields(sheet, report_round)
        for row in _truth_rows(report_round, tables[sheet]):
            book[sheet].append([None if f.personal else _typed_as_a_county_would(f, row[f.name])
                                for f in columns])
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out


def test_a_filled_in_template_cleans_to_the_projects_it_holds(tmp_path):
    for report_round in ROUNDS:  # 2010 first: the final reports link to the partial ones
        raw = tmp_path / "raw" / str(report_round)
        _fill(_template(tmp_path / f"mall-{report_round}.xlsx", report_round), report_round,
              raw / f"{KALMAR}-kalmar.xlsx")
        coding = read_csv(coding_path(report_round))
        coding_file = tmp_path / "coding" / f"{report_round}.csv"
        coding_file.parent.mkdir(exist_ok=True)
        coding[coding["lan_code"] == KALMAR].to_csv(coding_file, index=False)
        result = clean_round(raw, coding_file, tmp_path / "out" / str(report_round),
                             report_round)
        assert result.rejects.empty, result.rejects.to_dict("records")
        tables = ("projects", "allocations", "board")[:3 if report_round == 2011 else 2]
        for table in tables:
            truth = pd.DataFrame(_truth_rows(report_round, table))
            assert len(truth) > 0
            mine = read_csv(tmp_path / "out" / str(report_round) / f"{table}.csv")
            mine = mine.drop(columns=[c for c in PROVENANCE if c in mine.columns])
            assert set(mine.columns) == set(truth.columns), table
            key = ["diarienummer"] if table == "projects" else list(mine.columns[:3])
            pd.testing.assert_frame_equal(
                mine.sort_values(key).reset_index(drop=True),
                truth[mine.columns].sort_values(key).reset_index(drop=True))
