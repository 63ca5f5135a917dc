"""Write the bad-input corpus: one folder per case with the raw files of one round (a broken
Uppsala submission beside a valid Gotland one, so each case also shows that the run goes on)
and the coding sheet, plus ``cases.csv`` with the expected outcome of each case.

Run from the checkout: ``python tests/bad_inputs/make_corpus.py``. The files are committed so
they can be opened and read; rerunning rewrites them (workbooks differ only in their timestamps).

cases.csv columns: case, round, file, sheet (the ledger row the case is about), status (ledger
status expected there), check (the check code), message (a fragment the ledger message or the
reject reason must contain), rejects (rows of rejects.csv for that file and sheet), issue (a
coding issue code the case must produce, "" for none).
"""

from __future__ import annotations

import csv
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parents[1]))

from clean_fixtures import (  # noqa: E402
    SheetError,
    allocation,
    board,
    coding_row,
    grid,
    project,
    write_coding,
    write_csv,
    write_ods,
    write_xls,
    write_xlsx,
)

UPPSALA = "03-uppsala.xlsx"
CASE_COLUMNS = ("case", "round", "file", "sheet", "status", "check", "message", "rejects",
                "issue", "rows_read")


def uppsala_rows(report_round: int) -> list[dict[str, Any]]:
    kind = ({"report_type": "Delredovisning", "status": "Pågår", "period_end": "2009-12-01"}
            if report_round == 2010 else {})
    return [
        project("Uppsala län", "301-1", municipality_codes="Uppsala", granted_year=2008, **kind),
        project("Uppsala", "301-2", municipality_codes="Enköping & Håbo", granted_sek="120 000",
                **kind),
        project("03", "301-3", municipality_codes="Tierp", granted_sek=80000, **kind),
    ]


def years(report_round: int) -> list[int]:
    return list(range(2008, report_round))


def uppsala_sheets(report_round: int, rows: list[dict[str, Any]] | None = None,
                   **changes: list[list[Any]]) -> dict[str, list[list[Any]]]:
    sheets = {
        "Projekt": grid("Projekt", rows if rows is not None else uppsala_rows(report_round),
                        report_round, titles=1),
        "Medel": grid("Medel", [allocation("03", y, requisitioned="400 000")
                                for y in years(report_round)], report_round),
    }
    if report_round == 2011:
        sheets["Länsstyrelsen"] = grid("Länsstyrelsen", [board("03")], report_round)
    sheets.update(changes)
    return sheets


def write_gotland(raw: Path, report_round: int) -> list[dict[str, Any]]:
    """The valid companion submission: Gotland as CSV files."""
    kind = ({"report_type": "Delredovisning", "status": "Pågår", "period_end": "2009-12-01"}
            if report_round == 2010 else {})
    rows = [project("Gotland", "901-1", municipality_codes="Region Gotland", **kind)]
    write_csv(raw / "09-gotland-projekt.csv", grid("Projekt", rows, report_round))
    write_csv(raw / "09-gotland-medel.csv",
              grid("Medel", [allocation("09", y) for y in years(report_round)], report_round))
    if report_round == 2011:
        write_csv(raw / "09-gotland-lansstyrelsen.csv",
                  grid("Länsstyrelsen", [board("09")], report_round))
    return rows


@dataclass
class Case:
    name: str
    write: Callable[[Path, int], None]
    """Writes the Uppsala files into the raw folder."""
    expect: list[dict[str, Any]]
    report_round: int = 2011
    coded: tuple[str, ...] = ("301-1", "301-2", "301-3")
    previous_round: bool = False


def _xlsx(**changes: Any) -> Callable[[Path, int], None]:
    def write(raw: Path, r: int) -> None:
        write_xlsx(raw / UPPSALA, uppsala_sheets(r, **changes))
    return write


def _rows(*edits: tuple[int, dict[str, Any]], extra: list[dict[str, Any]] | None = None
          ) -> Callable[[Path, int], None]:
    """Uppsala's workbook with row ``i`` of the projects changed by ``edits``."""
    def write(raw: Path, r: int) -> None:
        rows = uppsala_rows(r)
        for i, change in edits:
            rows[i] = {**rows[i], **change}
        write_xlsx(raw / UPPSALA, uppsala_sheets(r, rows=rows + (extra or [])))
    return write


def _csv_set(projekt: bytes | None = None, medel: bytes | None = None,
             skip: tuple[str, ...] = ()) -> Callable[[Path, int], None]:
    """Uppsala as CSV files, with raw bytes replacing one table."""
    def write(raw: Path, r: int) -> None:
        sheets = uppsala_sheets(r)
        names = {"Projekt": "projekt", "Medel": "medel", "Länsstyrelsen": "lansstyrelsen"}
        for sheet, rows in sheets.items():
            if names[sheet] in skip:
                continue
            path = raw / f"03-uppsala-{names[sheet]}.csv"
            payload = {"Projekt": projekt, "Medel": medel}.get(sheet)
            if payload is None:
                write_csv(path, rows)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(payload)
    return write


def _projekt_text(rows: list[list[Any]], delimiter: str = ";") -> str:
    return "\r\n".join(delimiter.join(str(c) for c in row) for row in rows) + "\r\n"


def _projekt_grid(r: int = 2011) -> list[list[Any]]:
    return grid("Projekt", uppsala_rows(r), r)


def _merged_and_formula(raw: Path, r: int) -> None:
    path = write_xlsx(raw / UPPSALA, uppsala_sheets(r))
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Projekt"]
    header = [c.value for c in sheet[2]]
    lan = header.index("Länsstyrelse") + 1
    amount = header.index("Beviljade medel (kr)") + 1
    sheet.cell(4, lan).value = None
    sheet.cell(5, lan).value = None
    sheet.merge_cells(start_row=3, start_column=lan, end_row=5, end_column=lan)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
    letter = openpyxl.utils.get_column_letter(amount)
    sheet.cell(5, amount).value = f"=SUM({letter}3:{letter}4)"
    workbook.save(path)


def _wrong_county_rows(raw: Path, r: int) -> None:
    rows = [{**row, "lan_code": "Stockholms län"} for row in uppsala_rows(r)]
    write_xlsx(raw / UPPSALA, uppsala_sheets(r, rows=rows))


def _duplicate_across_files(raw: Path, r: int) -> None:
    rows = uppsala_rows(r)
    rows[0] = {**rows[0], "diarienummer": "901-1"}
    write_xlsx(raw / UPPSALA, uppsala_sheets(r, rows=rows))


def _row_too_wide(raw: Path, r: int) -> None:
    rows = _projekt_grid(r)
    rows[2] = [*rows[2][:5], "Mål; med semikolon", *rows[2][6:], "spill"]
    text = _projekt_text(rows)
    _csv_set(projekt=text.encode("utf-8"))(raw, r)


def _blank_medel(r: int = 2011) -> bytes:
    rows = grid("Medel", [], r)
    return (_projekt_text(rows) + ";;;;\r\n" * 3).encode("utf-8")


def _formula_text(raw: Path, r: int) -> None:
    rows = uppsala_rows(r)
    rows[0] = {**rows[0], "goal_text": '=HYPERLINK("http://example.org";"Klicka")',
               "activities_text": "+46 är inget telefonnummer här", "title": "-Samverkan-"}
    write_csv(raw / "03-uppsala-projekt.csv", grid("Projekt", rows, r))
    _csv_set(skip=("projekt",))(raw, r)


def _contact_in_unknown_column(raw: Path, r: int) -> None:
    sheets = uppsala_sheets(r)
    sheets["Projekt"] = grid("Projekt", uppsala_rows(r), r, titles=1, extra={
        "Mobil": ["070-111 22 33", "070-444 55 66", "070-777 88 99"],
        "Kontaktpersonens e-post (ny)": ["a.b@example.org", "c.d@example.org", "e.f@example.org"],
    })
    write_xlsx(raw / UPPSALA, sheets)


def _header_only_projekt(raw: Path, r: int) -> None:
    write_xlsx(raw / UPPSALA, uppsala_sheets(r, rows=[]))


def _wrong_round_table(raw: Path, r: int) -> None:
    _csv_set()(raw, r)
    write_csv(raw / "03-uppsala-lansstyrelsen.csv", grid("Länsstyrelsen", [board("03")], 2011))


def _partial_missing(raw: Path, r: int) -> None:
    write_xlsx(raw / UPPSALA, uppsala_sheets(r))
    if r == 2010:  # the 2010 round lacks 301-2's partial report
        rows = [row for row in uppsala_rows(r) if row["diarienummer"] != "301-2"]
        write_xlsx(raw / UPPSALA, uppsala_sheets(r, rows=rows))


def _granted_over(raw: Path, r: int) -> None:
    medel = grid("Medel", [allocation("03", y, requisitioned="50 000") for y in years(r)], r)
    write_xlsx(raw / UPPSALA, uppsala_sheets(r, Medel=medel))


def _duplicate_year(raw: Path, r: int) -> None:
    rows = [allocation("03", y, requisitioned="400 000") for y in years(r)]
    rows.append(allocation("03", 2009, requisitioned="400 000"))
    write_xlsx(raw / UPPSALA, uppsala_sheets(r, Medel=grid("Medel", rows, r)))


def _missing_column(raw: Path, r: int) -> None:
    write_xlsx(raw / UPPSALA, uppsala_sheets(
        r, Projekt=grid("Projekt", uppsala_rows(r), r, drop=("granted_sek",))))


def _duplicated_header(raw: Path, r: int) -> None:
    rows = grid("Projekt", uppsala_rows(r), r)
    rows = [row + [row[1]] for row in rows]
    rows[0][-1] = "Dnr"
    write_xlsx(raw / UPPSALA, uppsala_sheets(r, Projekt=rows))


def _no_header(raw: Path, r: int) -> None:
    rows = grid("Projekt", uppsala_rows(r), r)[1:]
    _csv_set(projekt=_projekt_text(rows).encode("utf-8"))(raw, r)


def _missing_sheet(raw: Path, r: int) -> None:
    sheets = uppsala_sheets(r)
    del sheets["Länsstyrelsen"]
    write_xlsx(raw / UPPSALA, sheets)


def _misnamed(name: str) -> Callable[[Path, int], None]:
    def write(raw: Path, r: int) -> None:
        write_xlsx(raw / name, uppsala_sheets(r))
    return write


def _bytes(name: str, payload: bytes) -> Callable[[Path, int], None]:
    def write(raw: Path, r: int) -> None:
        raw.mkdir(parents=True, exist_ok=True)
        (raw / name).write_bytes(payload)
    return write


def _xls(name: str = "03-uppsala.xls", rows: list[dict[str, Any]] | None = None,
         drop_sheet: str = "") -> Callable[[Path, int], None]:
    """Uppsala as an Excel 97–2003 (.xls) or LibreOffice (.ods) workbook, by the name's suffix."""
    def write(raw: Path, r: int) -> None:
        sheets = uppsala_sheets(r, rows=rows)
        sheets.pop(drop_sheet, None)
        (write_ods if name.endswith(".ods") else write_xls)(raw / name, sheets)
    return write


def _csv_edit(*edits: tuple[int, dict[str, Any]]) -> Callable[[Path, int], None]:
    """Uppsala as CSV files with row ``i`` of the projects changed by ``edits``."""
    def write(raw: Path, r: int) -> None:
        rows = uppsala_rows(r)
        for i, change in edits:
            rows[i] = {**rows[i], **change}
        write_csv(raw / PROJEKT_CSV, grid("Projekt", rows, r))
        _csv_set(skip=("projekt",))(raw, r)
    return write


def _medel_without_year(raw: Path, r: int) -> None:
    rows = [allocation("03", y, requisitioned="400 000") for y in years(r)]
    rows += [allocation("03", "", requisitioned="1 000"),
             allocation("03", "", requisitioned="2 000")]
    write_xlsx(raw / UPPSALA, uppsala_sheets(r, Medel=grid("Medel", rows, r)))


def _two_project_sheets(raw: Path, r: int) -> None:
    old = [{**row, "report_type": "Delredovisning", "status": "Pågår",
            "period_end": "2009-12-01"} for row in uppsala_rows(r)]
    sheets = uppsala_sheets(r)
    sheets["Projektredovisning"] = sheets.pop("Projekt")
    sheets = {"Projekt": grid("Projekt", old, r), **sheets}
    write_xlsx(raw / UPPSALA, sheets)


def _workbook_beside_csv(raw: Path, r: int) -> None:
    write_xlsx(raw / UPPSALA, uppsala_sheets(r))
    rows = uppsala_rows(r)
    rows[0] = {**rows[0], "granted_sek": "150 000"}
    write_csv(raw / "03-uppsala-projekt.csv", grid("Projekt", rows, r))


def _two_workbook_versions(raw: Path, r: int) -> None:
    write_xlsx(raw / UPPSALA, uppsala_sheets(r))
    rows = uppsala_rows(r)
    rows[1] = {**rows[1], "status": "Pågår", "report_type": "Delredovisning"}
    write_xlsx(raw / "03-uppsala-ny.xlsx", uppsala_sheets(r, rows=rows))


def _two_csv_for_one_table(raw: Path, r: int) -> None:
    _csv_set()(raw, r)
    rows = uppsala_rows(r)[:2]
    write_csv(raw / "03-uppsala-lan-projekt.csv", grid("Projekt", rows, r))


def _identical_copy(raw: Path, r: int) -> None:
    path = write_xlsx(raw / UPPSALA, uppsala_sheets(r))
    shutil.copyfile(path, raw / "03-uppsala (1).xlsx")


def _different_copy(raw: Path, r: int) -> None:
    write_xlsx(raw / UPPSALA, uppsala_sheets(r))
    rows = uppsala_rows(r)
    rows[2] = {**rows[2], "granted_sek": 90000}
    write_xlsx(raw / "03-uppsala (1).xlsx", uppsala_sheets(r, rows=rows))


def _comma_separated(raw: Path, r: int) -> None:
    rows = uppsala_rows(r)
    rows[1] = {**rows[1], "goal_text": "Stöd till kvinnor, barn och unga"}
    _csv_set(projekt=_projekt_text(grid("Projekt", rows, r), delimiter=",").encode("utf-8"))(
        raw, r)


def _tab_separated(raw: Path, r: int) -> None:
    rows = uppsala_rows(r)
    rows[2] = {**rows[2], "activities_text": "Utbildning\tnätverksträffar"}
    _csv_set(projekt=_projekt_text(grid("Projekt", rows, r), delimiter="\t").encode("utf-8"))(
        raw, r)


def _unheaded_csv_column(raw: Path, r: int) -> None:
    rows = _projekt_grid(r)
    rows = [rows[0] + [""]] + [row + [f"anteckning {i}"] for i, row in enumerate(rows[1:])]
    _csv_set(projekt=_projekt_text(rows).encode("utf-8"))(raw, r)


def _totals_row_medel(raw: Path, r: int) -> None:
    rows = [allocation("03", y, requisitioned="400 000") for y in years(r)]
    rows.append(allocation("Summa", "", allocated="600 000", requisitioned="1 200 000"))
    write_xlsx(raw / UPPSALA, uppsala_sheets(r, Medel=grid("Medel", rows, r)))


def _header_far_down(raw: Path, r: int) -> None:
    sheets = uppsala_sheets(r)
    sheets["Projekt"] = grid("Projekt", uppsala_rows(r), r, titles=34)
    write_xlsx(raw / UPPSALA, sheets)


def _lone_copy(raw: Path, r: int) -> None:
    write_xlsx(raw / "03-uppsala (1).xlsx", uppsala_sheets(r))


def _cached_error_formula(path: Path, error: str, formula: str) -> None:
    """Give the first cell showing ``error`` in the workbook a formula, as Excel saves a formula
    whose result is an error (``<f>`` beside the cached ``<v>#DIV/0!</v>``)."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    for name, data in parts.items():
        target = f"<v>{error}</v>".encode()
        if name.startswith("xl/worksheets/") and target in data:
            parts[name] = data.replace(target, f"<f>{formula}</f>".encode() + target, 1)
            break
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _error_values_xlsx(raw: Path, r: int) -> None:
    rows = uppsala_rows(r)
    rows[0] = {**rows[0], "area_men": "#N/A"}  # an error typed or left by a lookup
    rows[1] = {**rows[1], "granted_sek": "#DIV/0!"}  # a formula whose cached value is an error
    rows[2] = {**rows[2], "diarienummer": "#REF!"}
    path = write_xlsx(raw / UPPSALA, uppsala_sheets(r, rows=rows))
    _cached_error_formula(path, "#DIV/0!", "O3/0")


def _error_values_csv(raw: Path, r: int) -> None:
    rows = uppsala_rows(r)
    rows[0] = {**rows[0], "coop_new": "#SAKNAS!"}  # a Swedish Excel saves #N/A so
    rows[2] = {**rows[2], "goal_text": "#VALUE!"}
    write_csv(raw / PROJEKT_CSV, grid("Projekt", rows, r))
    _csv_set(skip=("projekt",))(raw, r)


def _error_value_ods(raw: Path, r: int) -> None:
    rows = uppsala_rows(r)
    rows[1] = {**rows[1], "granted_sek": SheetError("#N/A")}  # calamine reads it as 0
    write_ods(raw / "03-uppsala.ods", uppsala_sheets(r, rows=rows))


def _error_values_xls(raw: Path, r: int) -> None:
    rows = uppsala_rows(r)
    rows[0] = {**rows[0], "period_start": SheetError("#VALUE!")}  # calamine reads it blank
    rows[2] = {**rows[2], "area_women": SheetError("#NAME?")}
    write_xls(raw / "03-uppsala.xls", uppsala_sheets(r, rows=rows))


def _invisible_characters(raw: Path, r: int) -> None:
    rows = uppsala_rows(r)
    if r == 2011:  # the 2010 report has the clean keys, so the link between rounds shows it
        rows[0] = {**rows[0], "diarienummer": "301\u200b-1", "lan_code": "Upp\u00adsala län"}
        rows[1] = {**rows[1], "diarienummer": "\ufeff301-2",
                   "municipality_codes": "Enkö\u2060ping & Håbo"}
        rows[2] = {**rows[2], "granted_sek": "80\u200b000", "status": "Avslu\u00adtad"}
    write_xlsx(raw / UPPSALA, uppsala_sheets(r, rows=rows))


def _one_row_of_another_county(raw: Path, r: int) -> None:
    """Uppsala pastes Gotland's project (county and diarienummer) into its Projekt sheet and
    writes Gotland as the county of its own 2009 allocation row: each wrong row is refused,
    Gotland's own rows stand, and Uppsala's other allocation rows are not refused for a
    requisitioned total that the refused row leaves short."""
    rows = [*uppsala_rows(r), project("Gotland", "901-1", municipality_codes="Region Gotland")]
    medel = grid("Medel", [allocation("09" if y == 2009 else "03", y, requisitioned="120 000")
                           for y in years(r)], r)
    write_xlsx(raw / UPPSALA, uppsala_sheets(r, rows=rows, Medel=medel))


def _merged_over_blank_rows(raw: Path, r: int) -> None:
    """The county column merged over the whole table, blank separator rows between projects."""
    path = write_xlsx(raw / UPPSALA, uppsala_sheets(r))
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Projekt"]
    sheet.insert_rows(4)
    sheet.insert_rows(6)
    header = [c.value for c in sheet[2]]
    lan = header.index("Länsstyrelse") + 1
    for row in (5, 7):
        sheet.cell(row, lan).value = None
    sheet.merge_cells(start_row=3, start_column=lan, end_row=7, end_column=lan)
    workbook.save(path)


def _yes_no_checkboxes(raw: Path, r: int) -> None:
    rows = [{**row, "coop_existing": "yes", "coop_new": "no", "area_men": "Yes",
             "actor_church": "NO"} for row in uppsala_rows(r)]
    write_xlsx(raw / UPPSALA, uppsala_sheets(r, rows=rows))


def expect(file: str = UPPSALA, sheet: str = "Projekt", status: str = "rows_rejected",
           check: str = "", message: str = "", rejects: int = 1, issue: str = "",
           rows_read: int | str = "") -> dict[str, Any]:
    return {"file": file, "sheet": sheet, "status": status, "check": check, "message": message,
            "rejects": rejects, "issue": issue, "rows_read": rows_read}


def file_rejected(check: str, message: str, file: str = UPPSALA, sheet: str = "Projekt",
                  rows: int = 0) -> list[dict[str, Any]]:
    return [expect(file=file, sheet=sheet, status="file_rejected", check=check, message=message,
                   rows_read=rows)]


PROJEKT_CSV = "03-uppsala-projekt.csv"
MEDEL_CSV = "03-uppsala-medel.csv"
CASES: list[Case] = [
    Case("empty_csv", _csv_set(projekt=b""),
         file_rejected("file_empty", "filen är tom", PROJEKT_CSV)),
    Case("empty_xlsx", _bytes(UPPSALA, b""),
         file_rejected("file_unreadable", "kan inte läsas som Excel-arbetsbok", sheet="")),
    Case("text_renamed_xlsx", _bytes(UPPSALA, "Län;Diarienummer\nUppsala;301-1\n".encode()),
         file_rejected("file_unreadable", "kan inte läsas som Excel-arbetsbok", sheet="")),
    Case("utf16_csv", _csv_set(projekt=_projekt_text(_projekt_grid()).encode("utf-16")),
         file_rejected("file_encoding", "UTF-16", PROJEKT_CSV, rows=3)),
    Case("not_cp1252_bytes",
         _csv_set(projekt=_projekt_text(_projekt_grid()).encode("cp1252").replace(
             b"\xe4", b"\x81")),
         file_rejected("file_encoding", "varken UTF-8- eller Windows-1252-text (första okända "
                       "tecknet på rad 1, tecken 2: byten 0x81)", PROJEKT_CSV, rows=3)),
    Case("double_encoded_utf8",
         _csv_set(projekt=_projekt_text(_projekt_grid()).encode("utf-8").decode(
             "cp1252", errors="replace").encode("utf-8")),
         file_rejected("file_encoding", "konverterats två gånger (å ä ö syns som Ã¥ Ã¤ Ã¶; första "
                       "gången på rad 1, tecken 2: 'Ã¤')", PROJEKT_CSV, rows=3)),
    Case("missing_required_column", _missing_column,
         [expect(status="file_rejected", check="column_missing", message="granted_sek",
                 rejects=1)]),
    Case("duplicated_header", _duplicated_header,
         file_rejected("column_duplicate", "betyder båda 'Diarienummer'", rows=3)),
    Case("wrong_delimiter",
         _csv_set(projekt=_projekt_text(_projekt_grid(), delimiter="|").encode("utf-8")),
         file_rejected("header_missing", "ingen rubrikrad hittades", PROJEKT_CSV, rows=3)),
    Case("no_header_row", _no_header,
         file_rejected("header_missing", "ingen rubrikrad hittades", PROJEKT_CSV, rows=3)),
    Case("unknown_county_in_file_name", _misnamed("99-atlantis.xlsx"),
         file_rejected("county_unknown", "länskoden '99', som inget län har", "99-atlantis.xlsx",
                       "", rows=7)),
    Case("file_name_counties_disagree", _misnamed("03-stockholm.xlsx"),
         file_rejected("county_mismatch", "stämmer inte överens", "03-stockholm.xlsx", "",
                       rows=7)),
    Case("file_name_without_county", _misnamed("uppsala.xlsx"),
         file_rejected("file_name", "filnamnet anger inte länet", "uppsala.xlsx", "", rows=7)),
    Case("unsupported_file_type", _bytes("03-uppsala.pdf", b"%PDF-1.4\n"),
         file_rejected("file_format", "filtypen '.pdf' kan inte läsas", "03-uppsala.pdf", "")),
    Case("missing_sheet", _missing_sheet,
         file_rejected("sheet_missing", "bladet 'Länsstyrelsen' saknas", sheet="Länsstyrelsen")),
    Case("csv_table_missing", _csv_set(skip=("medel",)),
         file_rejected("sheet_missing", "ingen tabell Medel", "03-*-medel.csv", "Medel")),
    Case("table_of_another_round", _wrong_round_table,
         file_rejected("sheet_round", "ingår inte i inlämningen för 2010",
                       "03-uppsala-lansstyrelsen.csv", "Länsstyrelsen", rows=1),
         report_round=2010),
    Case("header_only_medel", _csv_set(medel=_projekt_text(grid("Medel", [], 2011)).encode()),
         file_rejected("sheet_empty", "inga rader under rubrikraden", MEDEL_CSV, "Medel")),
    Case("all_rows_blank", _csv_set(medel=_blank_medel()),
         file_rejected("sheet_empty", "inga rader under rubrikraden", MEDEL_CSV, "Medel")),
    Case("unknown_county_in_row", _rows((1, {"lan_code": "Atlantis län"})),
         [expect(check="county_unknown", message="okänt län 'Atlantis län'")]),
    Case("rows_of_another_county", _wrong_county_rows,
         [expect(check="county_file_mismatch", message="filen är inlämningen från 03 (Uppsala län)",
                 rejects=3)]),
    Case("unknown_municipality", _rows((2, {"municipality_codes": "Tierp och Lilleby"})),
         [expect(check="municipality_unknown", message="okänd kommun 'Lilleby'")]),
    Case("duplicate_diarienummer", _rows((2, {"diarienummer": "301-1"})),
         [expect(check="duplicate_key", message="diarienummer=301-1 förekommer 2 gånger",
                 rejects=2)]),
    # a diarienummer copied from another county's project costs only the copying county's row
    # (the coding sheet says 901-1 is Gotland's)
    Case("duplicate_diarienummer_across_files", _duplicate_across_files,
         [expect(check="duplicate_key_of_other_county",
                 message="diarienumret 901-1 är ett projekt i Gotlands län "
                         "(09-gotland-projekt.csv rad 2",
                 issue="coding_without_project")]),
    Case("duplicate_allocation_year", _duplicate_year,
         [expect(sheet="Medel", check="duplicate_key", message="lan_code=03 year=2009",
                 rejects=2)]),
    Case("negative_amount", _rows((0, {"granted_sek": "-120 000"})),
         [expect(check="amount_negative", message="är negativt")]),
    Case("unparseable_amount", _rows((0, {"granted_sek": "ca 100 000"})),
         [expect(check="amount_format", message="är inget belopp i kronor")]),
    Case("amount_with_ore", _rows((0, {"granted_sek": "916 210,50"})),
         [expect(check="amount_ore", message="har ören")]),
    Case("amount_in_thousands", _rows((0, {"granted_sek": "500 tkr"})),
         [expect(check="amount_unit", message="i tusental")]),
    Case("end_before_start", _rows((0, {"period_start": "20090901", "period_end": "20090831"})),
         [expect(check="period_order", message="slutar (2009-08-31) innan den börjar")]),
    Case("impossible_date", _rows((1, {"period_end": "31/2 2010"})),
         [expect(check="date_invalid", message="inget datum som finns i almanackan")]),
    Case("unknown_date_format", _rows((1, {"period_start": "sept -09"})),
         [expect(check="date_format", message="inget datum i ett känt format")]),
    Case("year_out_of_range", _rows((1, {"granted_year": "2012"})),
         [expect(check="year_range", message="utanför omgångens år 2008–2010")]),
    Case("checkbox_outside_vocabulary", _rows((2, {"area_men": "kanske"})),
         [expect(check="checkbox_value", message="'kanske' är inget kryssvärde")]),
    Case("unknown_status", _rows((2, {"status": "vilande"})),
         [expect(check="status_value",
                 message="välj ett av ej startad, pågår, avslutad")]),
    Case("required_value_blank", _rows((0, {"diarienummer": "  "})),
         [expect(check="required_missing", message="Diarienummer (diarienummer) måste fyllas i")],
         coded=("301-2", "301-3")),
    Case("two_bad_values_in_one_row", _rows((0, {"granted_sek": "x", "coop_new": "?"})),
         [expect(check="amount_format", message="inget belopp", rejects=2)]),
    Case("merged_cells_and_formula", _merged_and_formula,
         [expect(check="formula_no_value", message="innehåller formeln '=SUM(")]),
    Case("row_too_wide", _row_too_wide,
         [expect(file=PROJEKT_CSV, check="row_width",
                 message="raden har 52 celler men rubrikraden har 50")]),
    Case("granted_above_requisitioned", _granted_over,
         [expect(sheet="Medel", check="granted_over_requisitioned",
                 message="rekvirerat 150000 kr", rejects=3)]),
    Case("final_report_without_partial_report", _partial_missing,
         [expect(status="ok", rejects=0, issue="partial_report_missing")],
         previous_round=True),
    Case("formula_like_free_text", _formula_text,
         [expect(file=PROJEKT_CSV, status="ok", rejects=0)]),
    Case("contact_data_in_unknown_columns", _contact_in_unknown_column,
         [expect(status="ok", rejects=0)]),
    Case("header_only_projekt", _header_only_projekt,
         [expect(status="ok", rejects=0, issue="coding_without_project")]),
    Case("invalid_coding_value", _xlsx(), [expect(status="ok", rejects=0, issue="coding_value")]),
]


COPY = "03-uppsala (1).xlsx"
REFUSED = "har skickat mer än en inlämning i omgång 2011"
NEW_CASES: list[Case] = [
    # 1. one bad file never stops a round (the Medel rows that crashed _duplicate_reason)
    Case("medel_rows_without_year", _medel_without_year,
         [expect(sheet="Medel", check="required_missing", message="År (year) måste fyllas i",
                 rejects=2)]),
    # 2. ambiguous submissions are refused
    Case("two_sheets_for_one_table", _two_project_sheets,
         [expect(status="file_rejected", check="sheet_ambiguous",
                 message="bladen 'Projekt' och 'Projektredovisning' passar båda", rows_read=6)]),
    Case("workbook_beside_csv_files", _workbook_beside_csv,
         [expect(file=UPPSALA, sheet="", status="file_rejected", check="submission_ambiguous",
                 message=f"{REFUSED}: 03-uppsala-projekt.csv, 03-uppsala.xlsx", rows_read=7),
          expect(file=PROJEKT_CSV, sheet="", status="file_rejected",
                 check="submission_ambiguous", message=REFUSED, rows_read=3)]),
    Case("two_workbook_versions", _two_workbook_versions,
         [expect(file=UPPSALA, sheet="", status="file_rejected", check="submission_ambiguous",
                 message="03-uppsala-ny.xlsx, 03-uppsala.xlsx", rows_read=7),
          expect(file="03-uppsala-ny.xlsx", sheet="", status="file_rejected",
                 check="submission_ambiguous", message=REFUSED, rows_read=7)]),
    Case("two_csv_files_for_one_table", _two_csv_for_one_table,
         [expect(file="03-uppsala-lan-projekt.csv", sheet="", status="file_rejected",
                 check="submission_ambiguous", message=REFUSED, rows_read=2),
          expect(file=MEDEL_CSV, sheet="", status="file_rejected",
                 check="submission_ambiguous", message=REFUSED, rows_read=3)]),
    Case("identical_copy_beside_original", _identical_copy,
         [expect(file=COPY, sheet="", status="copy", check="file_copy",
                 message="är en identisk kopia av 03-uppsala.xlsx", rejects=0, rows_read=0),
          expect(status="ok", rejects=0, rows_read=3)]),
    Case("different_copy_beside_original", _different_copy,
         [expect(file=COPY, sheet="", status="file_rejected", check="submission_ambiguous",
                 message=REFUSED, rows_read=7)]),
    Case("downloaded_copy_name", _lone_copy,
         [expect(file=COPY, sheet="", status="file_rejected", check="file_copy_name",
                 message="ser ut som en nedladdad eller kopierad fil", rows_read=7)]),
    Case("partial_report_row_in_final_round",
         _rows((1, {"report_type": "Delredovisning", "status": "Pågår",
                    "period_end": "2009-12-01"})),
         [expect(check="report_round_mismatch", message="det vill säga omgång 2010s redovisning")]),
    Case("final_report_row_in_partial_round", _rows((0, {"report_type": "Slutredovisning"})),
         [expect(check="report_round_mismatch", message="omgång 2010 gäller delredovisningar")],
         report_round=2010),
    # 3. registry consistency
    Case("municipality_of_another_county", _rows((2, {"municipality_codes": "Göteborgs stad"})),
         [expect(check="municipality_county",
                 message="Göteborg hör till Västra Götalands län (14)")]),
    Case("applicants_across_a_county_border", _rows((2, {"municipality_codes": "Tierp och Gävle"})),
         [expect(status="ok", rejects=0, message="Gävle hör till Gävleborgs län (21)")]),
    # 4. personal data in free text
    Case("personal_data_in_free_text",
         _rows((0, {"other_info_text": "Frågor till anna.berg@example.se eller 070-123 45 67"}),
               (1, {"goal_text": "Stöd till kvinnan (19750505-1234) och barnen"})),
         [expect(status="ok", rejects=0,
                 message="1 e-postadress, 1 personnummer, 1 telefonnummer")]),
    # 5. messages name the real cause
    Case("comma_separated_without_quoting", _comma_separated,
         [expect(file=PROJEKT_CSV, status="file_rejected", check="file_delimiter",
                 message="Filen är avgränsad med ',', inte med ';'", rows_read=3)]),
    Case("tab_separated_without_quoting", _tab_separated,
         [expect(file=PROJEKT_CSV, check="row_width", message="avgränsad med tabb")]),
    Case("unheaded_csv_column", _unheaded_csv_column,
         [expect(file=PROJEKT_CSV, status="ok", rejects=0,
                 message="celler i kolumner utan rubrik (AY) lästes inte, på 3 rader")]),
    Case("totals_row", _totals_row_medel,
         [expect(sheet="Medel", check="totals_row", message="raden är en summarad ('Summa')")]),
    Case("totals_row_in_projects", _rows(extra=[project("Totalt", "", title="",
                                                        granted_sek="300 000")]),
         [expect(check="totals_row", message="raden är en summarad ('Totalt')")]),
    Case("blank_diarienummer_twice", _rows((0, {"diarienummer": ""}), (1, {"diarienummer": ""})),
         [expect(check="required_missing", message="Diarienummer (diarienummer) måste fyllas i",
                 rejects=2)], coded=("301-3",)),
    Case("formula_in_an_amount", _csv_edit((0, {"granted_sek": "=2*100000"}),
                                           (1, {"period_start": "-2009-09-01"})),
         [expect(file=PROJEKT_CSV, check="amount_format", message="'=2*100000' är inget belopp",
                 rejects=2)]),
    # 8. header search
    Case("header_below_row_30", _header_far_down, [expect(status="ok", rejects=0, rows_read=3)]),
    # 9. workbooks as offices save them
    Case("excel_97_workbook", _xls(),
         [expect(file="03-uppsala.xls", status="ok", rejects=0, rows_read=3)]),
    Case("excel_97_workbook_with_a_bad_value",
         _xls(rows=[{**uppsala_rows(2011)[0], "status": "vilande"}, *uppsala_rows(2011)[1:]]),
         [expect(file="03-uppsala.xls", check="status_value",
                 message="välj ett av ej startad, pågår, avslutad")]),
    Case("libreoffice_workbook", _xls("03-uppsala.ods"),
         [expect(file="03-uppsala.ods", status="ok", rejects=0, rows_read=3)]),
    Case("libreoffice_workbook_without_a_sheet", _xls("03-uppsala.ods", drop_sheet="Medel"),
         [expect(file="03-uppsala.ods", sheet="Medel", status="file_rejected",
                 check="sheet_missing", message="bladet 'Medel' saknas")]),
]
CASES += NEW_CASES

ISSUE_23_CASES: list[Case] = [
    # 1. every spelling the codebook lists is read as listed (yes/no were YAML booleans)
    Case("checkbox_yes_and_no", _yes_no_checkboxes, [expect(status="ok", rejects=0)]),
    # 2. spreadsheet error values are never data
    Case("spreadsheet_error_values", _error_values_xlsx,
         [expect(check="spreadsheet_error",
                 message="cellen O4 innehåller felvärdet '#DIV/0!' (division med noll)",
                 rejects=3, issue="coding_without_project")]),
    Case("spreadsheet_error_values_in_csv", _error_values_csv,
         [expect(file=PROJEKT_CSV, check="spreadsheet_error",
                 message="felvärdet '#SAKNAS!' (värdet saknas", rejects=2)]),
    Case("spreadsheet_error_value_in_ods", _error_value_ods,
         [expect(file="03-uppsala.ods", check="spreadsheet_error",
                 message="cellen O4 innehåller felvärdet '#N/A'")]),
    Case("spreadsheet_error_values_in_xls", _error_values_xls,
         [expect(file="03-uppsala.xls", check="spreadsheet_error",
                 message="cellen AF5 innehåller felvärdet '#NAME?'", rejects=2)]),
    # 3. invisible characters never split a key
    Case("invisible_characters_in_codes", _invisible_characters,
         [expect(status="ok", rejects=0, message="U+200B (ZERO WIDTH SPACE) 2 gånger")],
         previous_round=True),
    # 4. one wrong row costs only itself
    Case("one_row_of_another_county", _one_row_of_another_county,
         [expect(check="county_file_mismatch", message="raden gäller 09 (Gotlands län)"),
          expect(sheet="Medel", check="county_file_mismatch",
                 message="raden gäller 09 (Gotlands län)")]),
    # 5. merged cells spanning blank separator rows
    Case("merged_cells_over_blank_rows", _merged_over_blank_rows,
         [expect(status="ok", rejects=0, rows_read=3,
                 message="sammanfogade celler fylldes nedåt: A3:A7")]),
]
CASES += ISSUE_23_CASES


def write_case(case: Case, root: Path) -> None:
    rounds = [2010, case.report_round] if case.previous_round else [case.report_round]
    for r in rounds:
        raw = root / "raw" / str(r)
        gotland = write_gotland(raw, r)
        case.write(raw, r)
        coded = [coding_row("03", d) for d in case.coded] + [
            coding_row("09", g["diarienummer"]) for g in gotland
            if g["diarienummer"] not in case.coded]
        if r == 2010 and case.previous_round:  # 301-2 has no partial report
            coded = [c for c in coded if c["diarienummer"] != "301-2"]
        if case.name == "invalid_coding_value":
            coded[0]["real_cooperation"] = "typ"
        write_coding(root / "coding" / f"{r}.csv", coded)


def main(out: Path = HERE) -> None:
    """Write every case folder and cases.csv into ``out`` (default: beside this script)."""
    rows = []
    for case in CASES:
        folder = out / case.name
        shutil.rmtree(folder, ignore_errors=True)
        write_case(case, folder)
        for e in case.expect:
            rows.append({"case": case.name, "round": case.report_round, **e})
    with (out / "cases.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(CASE_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(CASES)} cases written to {out}")


if __name__ == "__main__":
    main()
