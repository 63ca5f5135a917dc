"""Result tables: Swedish formatting, CSV and xlsx export (number formats, neutralised formulas,
atomic and byte-stable writes)."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

from samverkan import xlsx
from samverkan.io import read_csv
from samverkan.results import tables
from tests.indicator_fixtures import project
from tests.indicator_fixtures import tables as make_tables

HYPERLINK = '=HYPERLINK("http://example.invalid","klicka")'


@pytest.fixture(scope="module")
def rounds():
    p11 = make_tables(
        [project(2011, "01", HYPERLINK, coop_new=True, actor_health=True, goal_met="ja",
                 granted_sek=1_234_567),
         project(2011, "03", "B", status="pagar", granted_sek=10_000)],
        [("01", 2008, 1_260_000, 1_260_000), ("03", 2008, 210_000, 105_000)],
        [("01", 1, 1_234_567, 50_000, 0), ("03", 1, 10_000, 5_000, 0)])
    p10 = make_tables([project(2010, "01", HYPERLINK, status="pagar")],
                      [("01", 2008, 1_260_000, 1_260_000)])
    return p11, p10


def test_formatted_is_swedish():
    t = tables.Table("x", "X", "X", pd.DataFrame({"Län": ["A"], "Kr": [1_260_000],
                                                   "Andel": [0.372], "Antal": [float("nan")],
                                                   "Med": [True]}),
                     {"Kr": "kr", "Andel": "share", "Antal": "int", "Med": "bool"})
    row = tables.formatted(t).iloc[0].tolist()
    assert row == ["A", "1\u00a0260\u00a0000", "37,2\u00a0%", "–", "Ja"]


def test_sheet_names_are_whole_words(rounds, exported):
    workbook = load_workbook(exported[0] / "tabeller.xlsx")
    for table, name in zip(tables.results_tables(*rounds), workbook.sheetnames, strict=True):
        assert len(name) <= 31 and table.sheet.startswith(name), (table.sheet, name)
        assert table.sheet == name or table.sheet[len(name)] == " ", (table.sheet, name)
    assert "Tabell 5 Måluppfyllelse och" in workbook.sheetnames  # not "… och str"


def test_long_text_wraps_in_rows_high_enough(exported):
    workbook = load_workbook(exported[0] / "tabeller.xlsx")
    long_cells = [(sheet, cell) for sheet in workbook.worksheets for row in sheet.iter_rows(
        min_row=3) for cell in row if isinstance(cell.value, str) and len(cell.value) > 70]
    assert long_cells, "the projects' goal texts are longer than the column cap"
    for sheet, cell in long_cells:
        assert cell.alignment.wrap_text, (sheet.title, cell.coordinate)
        width = sheet.column_dimensions[cell.column_letter].width
        assert width <= tables.WIDTH_CAP
        height = sheet.row_dimensions[cell.row].height
        assert height and height >= 15 * len(cell.value) / (width * 1.1), (sheet.title,
                                                                            cell.coordinate)


@pytest.fixture(scope="module")
def exported(rounds, tmp_path_factory):
    out = tmp_path_factory.mktemp("tables")
    return out, tables.export_tables(*rounds, out_dir=out)


def test_export_writes_csv_and_xlsx(exported):
    tmp_path, paths = exported
    names = {p.name for p in paths}
    assert "tabeller.xlsx" in names and "tabell1_medel.csv" in names
    assert not list(tmp_path.glob(".*.tmp"))  # atomic writes leave no temporary files
    t1 = read_csv(tmp_path / "tabell1_medel.csv")
    assert t1.columns[0] == "Län" and "Fördelat 2008" in t1.columns
    assert t1.loc[t1["Län"] == "Riket", "Fördelat totalt"].item() == str(1_260_000 + 210_000)
    assert t1["Fördelat 2008"].str.fullmatch(r"\d+").all()  # whole kronor stay whole numbers
    raw = (tmp_path / "tabell1_medel.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf\"L\xc3\xa4n\";") and b"\r\n" in raw

    workbook = load_workbook(tmp_path / "tabeller.xlsx")
    assert len(workbook.sheetnames) == len(paths) - 1
    sheet = workbook["Tabell 1 Medel"]
    header = [c.value for c in sheet[2]]
    stockholm = next(r for r in sheet.iter_rows(min_row=3) if r[0].value == "Stockholm")
    cell = stockholm[header.index("Fördelat 2008")]
    assert cell.value == 1_260_000 and cell.data_type == "n"
    assert cell.number_format == tables.EXCEL_FORMATS["kr"]
    share = stockholm[header.index("Nyttjandegrad")]
    assert share.value == 1 and share.number_format == "0.0%"


def test_xlsx_neutralises_formulas(exported):
    tmp_path, _ = exported
    workbook = load_workbook(tmp_path / "tabeller.xlsx")
    found = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and "HYPERLINK" in cell.value:
                    found.append(cell.value)
    assert found and all(v == HYPERLINK for v in found)  # the text itself, as a text cell
    csv_text = (tmp_path / "forandring_projekt.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in csv_text
    assert "True" not in csv_text and "False" not in csv_text and '"Ja"' in csv_text


def test_xlsx_neutralises_every_formula_start(tmp_path):
    texts = [HYPERLINK, "+1+1", "-2+3", "@SUM(A1)", "vanlig text"]
    t = tables.Table("x", "X", "=titel", pd.DataFrame({"=rubrik": texts}))
    tables.write_xlsx([t], tmp_path / "x.xlsx")
    sheet = load_workbook(tmp_path / "x.xlsx")["X"]
    cells = [c for (c,) in sheet.iter_rows(min_col=1, max_col=1)]
    assert [c.value for c in cells] == ["=titel", "=rubrik", *texts]
    assert {c.data_type for c in cells} == {"s"}


def test_exports_are_byte_stable(rounds, exported, tmp_path):
    first = exported[1]
    second = tables.export_tables(*rounds, out_dir=tmp_path)
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    # and the stable bytes hold the right figures: Tabell 6 by hand from the fixture
    t6 = read_csv(tmp_path / "tabell6_ekonomi.csv").set_index("Län")
    assert t6.loc["Stockholm"].iloc[:2].tolist() == ["1260000", "1260000"]
    assert t6.loc["Riket"].iloc[:2].tolist() == [str(1_260_000 + 210_000),
                                                 str(1_260_000 + 105_000)]


def test_failed_xlsx_write_keeps_the_old_file(rounds, tmp_path, monkeypatch):
    target = tmp_path / "tabeller.xlsx"
    target.write_bytes(b"old")

    def broken(book: object, creator: str) -> bytes:
        raise RuntimeError("disk full")

    monkeypatch.setattr(xlsx, "to_bytes", broken)
    with pytest.raises(RuntimeError):
        tables.write_xlsx(tables.results_tables(*rounds), target)
    assert target.read_bytes() == b"old"
    assert not list(tmp_path.glob(".*.tmp"))


def test_results_tables_without_partial_report(rounds):
    names = [t.name for t in tables.results_tables(rounds[0], None)]
    assert "forandring_matt" not in names and "tabell6_ekonomi" in names
