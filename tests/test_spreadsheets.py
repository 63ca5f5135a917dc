"""The files people open in a spreadsheet (samverkan.io's CSV convention, samverkan.xlsx):
Swedish separators and decimals, text that never runs as a formula, exact read-back, the user's
umask, fixed workbook bytes, sheet names and row heights."""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.styles import Alignment

from samverkan import xlsx
from samverkan.io import neutralise_formula, read_csv, restore_formula, write_csv, write_text


def test_csv_is_the_swedish_spreadsheet_convention(tmp_path):
    frame = pd.DataFrame({
        "lan_code": ["01", "25"], "kommunkod": ["0980", "2584"], "andel": [0.372, np.nan],
        "belopp": [1_260_000, -5], "med": [True, False], "titel": ['Ett "citat"; två', "Å ä ö"],
        "start": pd.to_datetime(["2009-09-01", None]),
    })
    raw = write_csv(tmp_path / "x.csv", frame).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel then reads UTF-8
    lines = raw[3:].decode("utf-8").split("\r\n")
    assert lines[0] == '"lan_code";"kommunkod";"andel";"belopp";"med";"titel";"start"'
    assert lines[1] == '"01";"0980";0,372;1260000;"Ja";"Ett ""citat""; två";2009-09-01'
    assert lines[2] == '"25";"2584";;-5;"Nej";"Å ä ö";'
    assert lines[3:] == [""]


def test_formula_text_is_neutralised_but_negative_numbers_stay_numbers(tmp_path):
    texts = ["=2*100000", "=1+1", "+1", "-2009-09-01", "@SUM(A1)", "\tx", "\rx",
             '=HYPERLINK("http://example.invalid";"Klicka här")', "-5", "-1,5", "-1.5"]
    raw = write_csv(tmp_path / "x.csv", pd.DataFrame({"v": texts})).read_bytes().decode()
    for text in texts[:8]:
        quoted = text.replace('"', '""')
        assert "\r\n\"'" + quoted + "\"\r\n" in raw, text
    for text in texts[8:]:
        assert f'\r\n"{text}"\r\n' in raw, text
    assert list(read_csv(tmp_path / "x.csv")["v"]) == texts


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("'=+-@\t\rab1;,\" "), max_size=6))
def test_neutralising_is_undone_exactly(text):
    assert restore_formula(neutralise_formula(text)) == text
    assert not str(neutralise_formula(text)).startswith(("=", "+", "@", "\t", "\r"))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=12), st.integers(-10**12, 10**12),
                          st.booleans()), min_size=1, max_size=5))
def test_read_csv_gives_back_what_write_csv_wrote(tmp_path_factory, rows):
    frame = pd.DataFrame(rows, columns=["text", "number", "flag"])
    path = write_csv(tmp_path_factory.mktemp("rt") / "x.csv", frame)
    back = read_csv(path)
    assert list(back["text"]) == [t for t in frame["text"]]
    assert list(back["number"]) == [str(n) for n in frame["number"]]
    assert list(back["flag"]) == ["Ja" if f else "Nej" for f in frame["flag"]]


def test_read_csv_still_reads_a_comma_separated_file(tmp_path):
    (tmp_path / "c.csv").write_text("diarienummer,lan_code\n801-1,01\n", encoding="utf-8")
    assert read_csv(tmp_path / "c.csv").to_dict("records") == [
        {"diarienummer": "801-1", "lan_code": "01"}]


@contextmanager
def _umask(mask: int):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def test_outputs_take_the_users_umask(tmp_path):
    for mask, mode in ((0o022, 0o644), (0o027, 0o640), (0o002, 0o664)):
        with _umask(mask):
            csv = write_csv(tmp_path / f"{mask:o}.csv", pd.DataFrame({"a": [1]}))
            text = write_text(tmp_path / f"{mask:o}.txt", "x")
            wb = xlsx.workbook()
            wb.create_sheet("A")
            book = xlsx.save(wb, tmp_path / f"{mask:o}.xlsx")
        for path in (csv, text, book):
            assert stat.S_IMODE(path.stat().st_mode) == mode, (path.name, oct(mask))


def test_sheet_names_are_cut_at_a_word_and_kept_unique():
    assert xlsx.sheet_name("Tabell 3: partner/län [riket]*?") == "Tabell 3 partnerlän riket"
    name = xlsx.sheet_name("Tabell 5 Måluppfyllelse och strukturer per län")
    assert name == "Tabell 5 Måluppfyllelse och"
    assert xlsx.sheet_name("x" * 40) == "x" * 31
    taken: set[str] = set()
    first = xlsx.sheet_name("Tabell 5 Måluppfyllelse och strukturer", taken)
    second = xlsx.sheet_name("Tabell 5 Måluppfyllelse och strukturer", taken)
    assert first != second and len(second) <= 31 and second.endswith(" 2")


def test_workbooks_have_fixed_bytes_and_rows_that_fit_their_text(tmp_path):
    def build():
        book = xlsx.workbook()
        sheet = book.create_sheet("Blad")
        sheet.column_dimensions["A"].width = 20
        cell = xlsx.set_text(sheet.cell(row=1, column=1), "=" + "ord " * 30)
        cell.alignment = Alignment(wrap_text=True)
        xlsx.fit_row_heights(sheet)
        return book

    a = xlsx.save(build(), tmp_path / "a.xlsx").read_bytes()
    b = xlsx.save(build(), tmp_path / "b.xlsx").read_bytes()
    assert a == b
    sheet = load_workbook(tmp_path / "a.xlsx")["Blad"]
    assert sheet["A1"].data_type == "s" and sheet["A1"].value.startswith("=ord")
    # 121 characters in a 20-wide column: at least six lines of 15 points
    assert sheet.row_dimensions[1].height >= 6 * xlsx.LINE_HEIGHT
