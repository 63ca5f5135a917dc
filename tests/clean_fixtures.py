"""Small hand-made submissions for the cleaning tests: each builder writes raw files the way a
county board might, and returns the values the cleaner must find (written independently of the
cleaner, from the rows given here)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import openpyxl

from samverkan.intake.codebook import fields

CONTACT = {"contact_name": "Karin Exempelsson", "contact_phone": "08-508 254 06",
           "contact_email": "karin.exempelsson@example.se"}


def project(lan: str, dnr: str, **values: Any) -> dict[str, Any]:
    """One Projekt row, canonical field → raw cell; override any field with keyword arguments."""
    row: dict[str, Any] = {
        "lan_code": lan, "diarienummer": dnr, "municipality_codes": "Stockholm",
        "title": f"Samverkan {dnr}", "report_type": "Slutredovisning",
        "period_start": "2009-09-01", "period_end": "2011-08-31", "status": "Avslutad",
        "goal_text": "Bättre samverkan", "activities_text": "Utbildning",
        "coop_existing": "X", "coop_new": "", "coop_evaluate": "", "coop_other_text": "",
        "granted_sek": "100 000 kr", "granted_year": "2009",
        "actor_municipalities": "", "actor_municipalities_text": "",
        "actor_health": "x", "actor_health_text": "BUP och vårdcentral",
        "actor_justice": "Ja", "actor_justice_text": "Närpolisen",
        "actor_church": "", "actor_church_text": "", "actor_fk": "", "actor_fk_text": "",
        "actor_voluntary": "1", "actor_voluntary_text": "Kvinnojouren",
        "actor_other": "", "actor_other_text": "", "new_actors_text": "",
        "area_women": "X", "area_children": "X", "area_honour": "", "area_housing": "",
        "area_men": "", "area_vulnerable": "X", "area_vulnerable_text": "Äldre kvinnor",
        "new_areas_text": "", "goal_fulfilment_text": "Delvis", "integration_text": "",
        "integration_done": "X", "integration_will": "", "integration_plan": "",
        "integration_not_relevant": "", "future_needs_text": "", "other_info_text": "",
        **CONTACT,
    }
    row.update(values)
    return row


def allocation(lan: str, year: int, allocated: Any = "200 000", requisitioned: Any = "200 000"
               ) -> dict[str, Any]:
    return {"lan_code": lan, "year": year, "allocated_sek": allocated,
            "requisitioned_sek": requisitioned}


def board(lan: str, **values: Any) -> dict[str, Any]:
    row = {"lan_code": lan, "reported_projects": 1, "reported_granted_sek": "100 000",
           "administration_sek": "5 000", "repayment_sek": "0", "prerequisites_text": "Stöd",
           "board_other_text": "", "contact_name": CONTACT["contact_name"],
           "contact_phone": CONTACT["contact_phone"], "contact_email": CONTACT["contact_email"]}
    row.update(values)
    return row


def header_of(sheet: str, name: str, spelling: int = 0) -> str:
    """A header spelling of a field: 0 = its label, n = its n-th listed spelling."""
    for f in fields(sheet):
        if f.name == name:
            return f.label if spelling == 0 else f.headers[(spelling - 1) % len(f.headers)]
    raise KeyError(name)


def grid(sheet: str, rows: list[dict[str, Any]], report_round: int, *, titles: int = 0,
         spelling: int = 0, extra: dict[str, list[Any]] | None = None,
         drop: tuple[str, ...] = ()) -> list[list[Any]]:
    """Title rows, a header row and the data rows of a sheet (fields of the round, contact data
    included; ``extra``: unknown columns to add; ``drop``: fields to leave out)."""
    names = [f.name for f in fields(sheet, report_round) if f.name not in drop]
    names = list(dict.fromkeys(names))
    out: list[list[Any]] = [[f"Redovisning {report_round}"] for _ in range(titles)]
    header = [header_of(sheet, n, spelling) for n in names] + list(extra or {})
    out.append(header)
    for i, row in enumerate(rows):
        out.append([row.get(n, "") for n in names] + [v[i] for v in (extra or {}).values()])
    return out


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def write_xls(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """An Excel 97–2003 workbook (BIFF8, written by xlwt; the same bytes every time)."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets.items():
        sheet = workbook.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, SheetError):  # an error cell, as a failed formula leaves
                    sheet.row(r).set_cell_error(c, XLS_ERROR_CODES[str(value)])
                elif value is not None and value != "":
                    sheet.write(r, c, value)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(str(path))
    return path


class SheetError(str):
    """A cell showing a spreadsheet error value (``#N/A``): in an ``.ods`` file written as
    LibreOffice writes a formula whose result is an error, in an ``.xls`` as an error cell."""


XLS_ERROR_CODES = {"#NULL!": 0x00, "#DIV/0!": 0x07, "#VALUE!": 0x0F, "#REF!": 0x17,
                   "#NAME?": 0x1D, "#NUM!": 0x24, "#N/A": 0x2A}
"""The BIFF codes of Excel's error values (xlwt knows them by these numbers)."""


def _ods_cell(value: Any) -> str:
    from xml.sax.saxutils import escape

    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, SheetError):
        return ('<table:table-cell table:formula="of:=NA()" office:value-type="float" '
                f'office:value="0" calcext:value-type="error"><text:p>{escape(str(value))}'
                "</text:p></table:table-cell>")
    if isinstance(value, bool):
        return ('<table:table-cell office:value-type="boolean" '
                f'office:boolean-value="{str(value).lower()}"/>')
    if isinstance(value, int | float):
        return f'<table:table-cell office:value-type="float" office:value="{value}"/>'
    return (f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}'
            "</text:p></table:table-cell>")


def write_ods(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """A LibreOffice spreadsheet (OpenDocument, the minimal package: mimetype, manifest and
    content; fixed timestamps, so the same bytes every time)."""
    import zipfile
    from xml.sax.saxutils import quoteattr

    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"')
    tables = "".join(
        f"<table:table table:name={quoteattr(name)}>"
        + "".join("<table:table-row>" + "".join(_ods_cell(v) for v in row)
                  + "</table:table-row>" for row in rows)
        + "</table:table>" for name, rows in sheets.items())
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} '
               f'office:version="1.2"><office:body><office:spreadsheet>{tables}'
               "</office:spreadsheet></office:body></office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>")
    path.parent.mkdir(parents=True, exist_ok=True)
    stamp = (2011, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data, method in (
                ("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                 zipfile.ZIP_STORED),
                ("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED),
                ("content.xml", content, zipfile.ZIP_DEFLATED)):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = method
            archive.writestr(info, data)
    return path


def write_csv(path: Path, rows: list[list[Any]], encoding: str = "utf-8-sig",
              delimiter: str = ";") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def write_coding(path: Path, rows: list[dict[str, str]]) -> Path:
    names = ["diarienummer", "lan_code", "real_cooperation", "contains_training",
             "temporary_constellation", "county_board_active", "goal_met"]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=names)
        writer.writeheader()
        writer.writerows(rows)
    return path


def coding_row(lan: str, dnr: str) -> dict[str, str]:
    return {"diarienummer": dnr, "lan_code": lan, "real_cooperation": "ja",
            "contains_training": "delvis", "temporary_constellation": "nej",
            "county_board_active": "ja", "goal_met": "ja"}


def small_round(root: Path, report_round: int = 2011) -> Path:
    """A valid round: Stockholm as a workbook (title rows, label headers), Norrbotten as
    cp1252 CSV files (other header spellings). Returns the raw folder; the coding sheet is
    ``root/coding/<round>.csv``."""
    raw = root / "raw" / str(report_round)
    years = range(2008, report_round)
    kind = {"report_type": "Delredovisning", "status": "Pågår",
            "period_end": "2009-12-01"} if report_round == 2010 else {}
    sthlm = [project("Stockholms län", "101-1-2008", granted_year=2008, **kind),
             project("Stockholm", "101-2-2009", municipality_codes="Solna, Sundbyberg och Nacka",
                     granted_sek=250000, period_start="20090901", **kind)]
    sheets = {"Projekt": grid("Projekt", sthlm, report_round, titles=2),
              "Medel": grid("Medel", [allocation("01", y) for y in years], report_round)}
    if report_round == 2011:
        sthlm.append(project("01", "101-3-2010", granted_year=2010, status="ej startad",
                             report_type="Delredovisning", granted_sek="50 000,00"))
        sheets["Projekt"] = grid("Projekt", sthlm, report_round, titles=2)
        sheets["Länsstyrelsen"] = grid("Länsstyrelsen", [board("01")], report_round)
    write_xlsx(raw / "01-stockholm.xlsx", sheets)
    norr = [project("Norrbottens län", "2501-9", municipality_codes="Luleå; Kiruna",
                    granted_sek="75 000", actor_justice_text="Polis och åklagare", **kind)]
    write_csv(raw / "25-norrbotten-projekt.csv", grid("Projekt", norr, report_round, spelling=1),
              encoding="cp1252")
    write_csv(raw / "25-norrbotten-medel.csv",
              grid("Medel", [allocation("25", y) for y in years], report_round, spelling=2))
    if report_round == 2011:
        write_csv(raw / "25-norrbotten-lansstyrelsen.csv",
                  grid("Länsstyrelsen", [board("25")], report_round), encoding="utf-8")
    write_coding(root / "coding" / f"{report_round}.csv",
                 [coding_row(r["lan_code"], r["diarienummer"]) for r in [*sthlm, *norr]])
    return raw
