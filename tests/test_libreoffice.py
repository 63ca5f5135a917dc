"""The files county officials open, opened in a real LibreOffice Calc (Debian
``libreoffice-calc-nogui``, installed by scripts/setup.sh), headless:

* every CSV the pipeline writes for people (the table exports, rejects.csv, ledger.csv, the
  processed tables, coding issues, audit.csv, consistency.csv), imported with Swedish settings
  (``;``, UTF-8, locale 1053, quoted fields as text, formulas evaluated as Excel would), lands
  in the right columns with
  every unquoted number numeric and no cell a formula or an error; hostile text
  (``=2*100000``, ``-2009-09-01``, ``=HYPERLINK(…)``) stays visible text;
* ``tabeller.xlsx`` and the template open and re-save with every value equal to what openpyxl
  reads, and the template keeps its dropdowns with error alerts on.

LibreOffice starts once per file type (about ten seconds each): every file goes in one call.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from clean_fixtures import allocation, board, coding_row, grid, project, write_coding
from clean_fixtures import write_csv as write_raw_csv
from openpyxl import load_workbook
from test_codebook import _fill as fill_template

from samverkan.audit import stage
from samverkan.intake import outputs
from samverkan.intake.clean import clean_round
from samverkan.intake.codebook import write_template
from samverkan.io import write_csv
from samverkan.paths import coding_path, raw_dir
from samverkan.results import tables
from samverkan.rounds import ROUNDS

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
SWEDISH_CSV = "Text - txt - csv (StarCalc):59,34,76,1,,1053,true,false,false,false,false,-1,true"
"""CSV import as a Swedish desk reads our files: ``;`` (59), ``"`` (34), UTF-8 (76), from line
1, standard column types, Swedish (1053), quoted field as text, no special-number detection,
token 13 = evaluate formulas (on: the worst case, what Excel always does)."""
HYPERLINK = '=HYPERLINK("http://example.invalid";"Klicka här")'
FIELD = re.compile(r'("(?:[^"]|"")*"|[^";\r\n]*)(;|\r\n)')
NUMBER = re.compile(r"-?\d+(?:,\d+)?")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _soffice(tmp: Path, files: list[Path], target: str, infilter: str | None = None) -> Path:
    if not Path(SOFFICE).exists():
        raise AssertionError(f"LibreOffice is not installed at {SOFFICE}: run scripts/setup.sh "
                             "as root, or `apt-get install libreoffice-calc-nogui`")
    out = tmp / f"lo-{target}"
    command = [SOFFICE, f"-env:UserInstallation={(tmp / 'lo-profile').as_uri()}", "--headless",
               "--norestore", "--convert-to", target, "--outdir", str(out)]
    if infilter:
        command.append(f"--infilter={infilter}")
    done = subprocess.run([*command, *map(str, files)], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    missing = [f.name for f in files if not (out / f"{f.stem}.{target}").is_file()]
    assert not missing, (missing, done.stdout, done.stderr)
    return out


def _hostile_round(root: Path) -> Path:
    """Uppsala sends CSV files whose values a spreadsheet would run: one accepted project with
    a HYPERLINK title and an unknown column, rows rejected for a formula amount and a minus
    date."""
    raw = root / "raw" / "2011"
    uppsala = {"municipality_codes": "Uppsala"}
    rows = [project("03", "301-1", title=HYPERLINK, **uppsala),
            project("03", "301-2", granted_sek="=2*100000", **uppsala),
            project("03", "301-3", period_start="-2009-09-01", **uppsala),
            project("03", "301-4", granted_year="=1+1", **uppsala)]
    write_raw_csv(raw / "03-uppsala-projekt.csv",
                  grid("Projekt", rows, 2011, extra={HYPERLINK: ["x", "", "", ""]}))
    write_raw_csv(raw / "03-uppsala-medel.csv",
                  grid("Medel", [allocation("03", y) for y in (2008, 2009, 2010)], 2011))
    write_raw_csv(raw / "03-uppsala-lansstyrelsen.csv",
                  grid("Länsstyrelsen", [board("03", board_other_text="@SUM(A1)")], 2011))
    write_coding(root / "coding" / "2011.csv", [coding_row("03", "301-1")])
    return raw


@pytest.fixture(scope="module")
def opened(tmp_path_factory) -> tuple[dict[str, Path], Path]:
    """Every people-facing CSV (name → path) and the folder of LibreOffice's xlsx copies."""
    tmp = tmp_path_factory.mktemp("libreoffice")
    hostile = _hostile_round(tmp / "hostile")
    result = clean_round(hostile, tmp / "hostile" / "coding" / "2011.csv", tmp / "h2011", 2011)
    assert len(result.rejects) >= 3, result.rejects.to_dict("records")
    shipped = {}
    for r in ROUNDS:
        shipped[r] = clean_round(raw_dir(r), coding_path(r), tmp / f"s{r}", r)
    tables.export_tables(shipped[2011], shipped[2010], tmp / "tables")
    with pytest.MonkeyPatch.context() as patch:  # the audit of these cleaned rounds
        patch.setattr(outputs, "load_processed", lambda r: shipped[r])
        audited = stage.compute(2011)
    write_csv(tmp / "s2011" / "audit.csv", audited.audit)
    write_csv(tmp / "s2011" / "consistency.csv", audited.consistency)
    files = {f"hostile_{p.stem}": p for p in sorted((tmp / "h2011").glob("*.csv"))}
    files |= {f"shipped_{p.stem}": p for p in sorted((tmp / "s2011").glob("*.csv"))}
    files |= {f"table_{p.stem}": p for p in sorted((tmp / "tables").glob("*.csv"))}
    batch = tmp / "batch"
    batch.mkdir()
    for name, path in files.items():
        shutil.copyfile(path, batch / f"{name}.csv")
    out = _soffice(tmp, sorted(batch.glob("*.csv")), "xlsx", SWEDISH_CSV)
    return {name: batch / f"{name}.csv" for name in files}, out


def _fields(path: Path) -> list[list[tuple[str, bool]]]:
    """The file's rows as (text, was quoted) per field: an independent reading of the bytes."""
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name}: no UTF-8 byte-order mark"
    text = raw[3:].decode("utf-8")
    rows, row, pos = [], [], 0
    while pos < len(text):
        match = FIELD.match(text, pos)
        assert match and match.end() > pos, f"{path.name}: unparseable at {text[pos:pos + 40]!r}"
        field = match.group(1)
        quoted = field.startswith('"')
        row.append((field[1:-1].replace('""', '"') if quoted else field, quoted))
        if match.group(2) == "\r\n":
            rows.append(row)
            row = []
        pos = match.end()
    return rows


def test_every_csv_reads_with_swedish_settings(opened):
    files, out = opened
    assert {"hostile_rejects", "hostile_ledger", "shipped_projects", "shipped_audit",
            "shipped_consistency", "table_indikatorer", "table_tabell1_medel"} <= set(files)
    numeric = {}
    for name, path in files.items():
        rows = _fields(path)
        sheet = load_workbook(out / f"{name}.xlsx").active
        cells = [list(r) for r in sheet.iter_rows(max_col=len(rows[0]))]
        assert sheet.max_column == len(rows[0]), (name, sheet.max_column, len(rows[0]))
        assert len(cells) == len(rows), (name, len(cells), len(rows))
        numeric[name] = 0
        for row, line in zip(cells, rows, strict=True):
            assert len(line) == len(rows[0]), (name, line)
            for cell, (text, quoted) in zip(row, line, strict=True):
                where = (name, cell.coordinate, text)
                assert cell.data_type not in ("f", "e"), where
                if quoted:
                    assert cell.data_type == "s" and cell.value == text, (*where, cell.value)
                elif NUMBER.fullmatch(text):
                    assert cell.data_type == "n", where
                    assert cell.value == pytest.approx(float(text.replace(",", "."))), where
                    numeric[name] += 1
                elif DATE.fullmatch(text):
                    assert cell.is_date and cell.value.date().isoformat() == text, where
                else:
                    assert text == "" and cell.value is None, where
    assert numeric["table_indikatorer"] > 100, numeric  # decimals with a comma are numbers
    assert numeric["table_tabell1_medel"] > 50 and numeric["shipped_ledger"] > 50, numeric


def test_codes_and_hostile_text_stay_text(opened):
    files, out = opened

    def column(name: str, header: str) -> list[object]:
        sheet = load_workbook(out / f"{name}.xlsx").active
        head = [c.value for c in sheet[1]]
        return [r[head.index(header)].value for r in sheet.iter_rows(min_row=2)]

    assert set(column("shipped_projects", "lan_code")) >= {"01", "03", "25"}
    assert "0180" in set(column("shipped_projects", "municipality_codes"))
    rejects = [v for h in ("value", "reason") for v in column("hostile_rejects", h)]
    assert "'=2*100000" in rejects and "'-2009-09-01" in rejects, rejects
    assert "'" + HYPERLINK in column("hostile_projects", "title")
    unknown = column("hostile_ledger", "unknown_columns")  # the header, shortened with "…"
    assert any(str(v).startswith("'=HYPERLINK(") for v in unknown), unknown


def _values(path: Path) -> dict[str, list[list[object]]]:
    """Cell values per sheet; numbers to 12 significant digits (a spreadsheet keeps 15)."""
    def value(v: object) -> object:
        return float(f"{v:.12g}") if isinstance(v, float) else v

    book = load_workbook(path)
    return {s.title: [[value(c.value) for c in r] for r in s.iter_rows()]
            for s in book.worksheets}


def test_workbooks_open_and_resave_unchanged(opened, tmp_path):
    files, _ = opened
    workbook = files["table_tabell1_medel"].parent.parent / "tables" / "tabeller.xlsx"
    template = write_template(tmp_path / "mall-2011.xlsx", 2011)
    filled = fill_template(template, 2011, tmp_path / "filled" / "08-kalmar.xlsx")
    out = _soffice(tmp_path, [workbook, template, filled], "xlsx")
    for original in (workbook, template):
        mine, theirs = _values(original), _values(out / original.name)
        assert list(mine) == list(theirs), original.name
        for sheet in mine:
            trimmed = [[v for v in row] for row in theirs[sheet] if any(v is not None
                                                                         for v in row)]
            expected = [row for row in mine[sheet] if any(v is not None for v in row)]
            width = max(len(r) for r in expected)
            assert [r[:width] for r in trimmed] == expected, (original.name, sheet)
    resaved = load_workbook(out / template.name)["Projekt"]
    validations = resaved.data_validations.dataValidation
    assert len(validations) >= 20
    assert all(v.showErrorMessage for v in validations)

    # Kalmar's filled-in template, re-saved by LibreOffice, cleans exactly like the original
    (tmp_path / "lo" / "08-kalmar.xlsx").parent.mkdir()
    shutil.copyfile(out / filled.name, tmp_path / "lo" / "08-kalmar.xlsx")
    coding = tmp_path / "coding.csv"
    write_coding(coding, [])
    direct = clean_round(filled.parent, coding, tmp_path / "out-direct", 2011)
    via_lo = clean_round(tmp_path / "lo", coding, tmp_path / "out-lo", 2011)
    assert direct.rejects.empty and via_lo.rejects.empty, via_lo.rejects.to_dict("records")
    assert len(direct.projects) > 0
    for table in ("projects", "allocations", "board"):
        pd.testing.assert_frame_equal(getattr(via_lo, table), getattr(direct, table))
