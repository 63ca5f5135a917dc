"""The data-quality chapter (notebooks/01_clean.ipynb): what was read, accepted and rejected per
county, file and sheet, why, and what the coding sheet and the link between the rounds found.
Tables come with Swedish headers and Swedish number formatting; the figures for the prose come
from :func:`facts`. Nothing here reads files: everything comes from a :class:`~clean.Processed`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from samverkan import registry
from samverkan.book.markup import literal
from samverkan.fmt import num, pct
from samverkan.intake import codebook
from samverkan.intake.clean import CHECK_LABELS, CODING_ISSUE_LABELS, LEDGER_STATUSES, Processed
from samverkan.rounds import ROUNDS

SHEET_LABELS: dict[str, str] = {"Projekt": "Projekt", "Medel": "Medel",
                                "Länsstyrelsen": "Länsstyrelsen", "": "(hela filen)"}


@dataclass(frozen=True)
class Facts:
    """The figures the chapter's prose states."""

    counties: int
    counties_submitted: int
    counties_missing: tuple[str, ...]
    files: int
    files_rejected: int
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    rows_blank: int
    projects: int
    allocations: int
    board: int
    personal_columns: int
    files_with_personal_columns: int
    personal_data_redacted: int
    """E-mail addresses, phone numbers and personnummer removed from free text."""
    files_with_redactions: int
    unknown_columns: tuple[str, ...]
    coding_issues: int
    uncoded_projects: int
    uncoded_not_started: int
    """Uncoded projects that never started (the evaluator codes started projects only)."""
    partial_reports_missing: int
    ledger_balanced: bool
    """rows read = rows accepted + rows rejected for every file and sheet."""

    @property
    def rejected_share(self) -> float:
        return self.rows_rejected / self.rows_read if self.rows_read else 0.0


def _ledger(processed: Processed) -> pd.DataFrame:
    ledger = processed.ledger.copy()
    for name in ("rows_read", "rows_accepted", "rows_rejected", "rows_blank",
                 "personal_columns_dropped", "personal_data_redacted"):
        ledger[name] = pd.to_numeric(ledger[name]).astype("int64")
    return ledger


def facts(processed: Processed) -> Facts:
    """Counts for the prose, computed from the processed round."""
    ledger = _ledger(processed)
    codes = registry.county_codes()
    submitted = set(ledger["lan_code"]) & set(codes)
    unknown = sorted({c for cell in ledger["unknown_columns"] if cell for c in cell.split("; ")})
    issues = processed.coding_issues["issue"]
    return Facts(
        counties=len(codes),
        counties_submitted=len(submitted),
        counties_missing=tuple(registry.county_name(c, "short") for c in codes
                               if c not in submitted),
        files=ledger["file"].nunique(),
        files_rejected=len(ledger.loc[ledger["status"] == "file_rejected", ["file", "sheet"]]
                           .drop_duplicates()),
        rows_read=int(ledger["rows_read"].sum()),
        rows_accepted=int(ledger["rows_accepted"].sum()),
        rows_rejected=int(ledger["rows_rejected"].sum()),
        rows_blank=int(ledger["rows_blank"].sum()),
        projects=len(processed.projects),
        allocations=len(processed.allocations),
        board=len(processed.board),
        personal_columns=int(ledger["personal_columns_dropped"].sum()),
        files_with_personal_columns=ledger.loc[ledger["personal_columns_dropped"] > 0,
                                               "file"].nunique(),
        personal_data_redacted=int(ledger["personal_data_redacted"].sum()),
        files_with_redactions=ledger.loc[ledger["personal_data_redacted"] > 0, "file"].nunique(),
        unknown_columns=tuple(unknown),
        coding_issues=int((issues != "link_not_checked").sum()),
        uncoded_projects=int((issues == "project_without_coding").sum()),
        uncoded_not_started=int(processed.projects["diarienummer"].isin(
            processed.coding_issues.loc[issues == "project_without_coding", "diarienummer"])
            .where(processed.projects["status"] == "ej_startad", False).sum()),
        partial_reports_missing=int((issues == "partial_report_missing").sum()),
        ledger_balanced=bool((ledger["rows_read"]
                              == ledger["rows_accepted"] + ledger["rows_rejected"]).all()),
    )


def county_table(processed: Processed) -> pd.DataFrame:
    """One row per county of the registry: files, rows read, accepted, rejected, status."""
    ledger = _ledger(processed)
    rows = []
    for code in registry.county_codes():
        mine = ledger[ledger["lan_code"] == code]
        if mine.empty:
            status = "Ingen inlämning"
        elif mine["status"].isin(["ok", "copy"]).all():
            status = "Inläst utan fel"
        elif (mine["status"] == "file_rejected").any():
            status = "Fil eller blad avvisat"
        else:
            status = "Rader avvisade"
        rows.append({
            "Län": registry.county_name(code, "official"),
            "Filer": num(mine["file"].nunique()),
            "Projekt": num(int((processed.projects["lan_code"] == code).sum())),
            "Lästa rader": num(int(mine["rows_read"].sum())),
            "Godtagna": num(int(mine["rows_accepted"].sum())),
            "Avvisade": num(int(mine["rows_rejected"].sum())),
            "Status": status,
        })
    return pd.DataFrame(rows).set_index("Län")


def ledger_table(processed: Processed) -> pd.DataFrame:
    """The ledger per file and sheet: rows read = accepted + rejected, blank rows, contact
    columns dropped, status."""
    ledger = _ledger(processed)
    return pd.DataFrame({
        "Fil": ledger["file"],
        "Blad": ledger["sheet"].map(SHEET_LABELS),
        "Lästa rader": ledger["rows_read"].map(num),
        "Godtagna": ledger["rows_accepted"].map(num),
        "Avvisade": ledger["rows_rejected"].map(num),
        "Tomma rader": ledger["rows_blank"].map(num),
        "Kontaktkolumner borttagna": ledger["personal_columns_dropped"].map(num),
        "Personuppgifter borttagna ur fritext": ledger["personal_data_redacted"].map(num),
        "Status": ledger["status"].map(LEDGER_STATUSES),
    }).set_index("Fil")


def reason_table(processed: Processed) -> pd.DataFrame:
    """Rejections by reason: how many rejected cells or files, in how many rows and files."""
    rejects = processed.rejects
    if rejects.empty:
        return pd.DataFrame([{"Fel": "Inga avvisade rader eller filer", "Antal": num(0),
                              "Filer": num(0)}]).set_index("Fel")
    grouped = rejects.groupby("check", sort=False).agg(
        n=("check", "size"), files=("file", "nunique"))
    grouped = grouped.sort_values(["n"], ascending=False, kind="stable")
    return pd.DataFrame({
        "Fel": [CHECK_LABELS.get(c, c) for c in grouped.index],
        "Antal": grouped["n"].map(num).tolist(),
        "Filer": grouped["files"].map(num).tolist(),
    }).set_index("Fel")


def _field_label(sheet: str, column: str) -> str:
    if not column:
        return "–"
    try:
        return codebook.field_by_name(sheet, column).label
    except KeyError:
        return column


def rejects_table(processed: Processed, limit: int = 200) -> pd.DataFrame:
    """Every rejection: file, sheet, row, field (Swedish label), value as written, reason. Past
    ``limit`` rows a last row says how many more there are in rejects.csv."""
    rejects = processed.rejects
    more = len(rejects) - limit
    if more > 0:
        rejects = rejects.head(limit)
    if rejects.empty:
        return pd.DataFrame([{"Fil": "–", "Blad": "–", "Rad": "–", "Fält": "–", "Värde": "–",
                              "Fel": "Inga avvisade rader eller filer"}]).set_index("Fil")
    table = pd.DataFrame({
        "Fil": rejects["file"],
        "Blad": rejects["sheet"].map(SHEET_LABELS),
        "Rad": rejects["row"].replace("", "–"),
        "Fält": [_field_label(s, c) for s, c in zip(rejects["sheet"], rejects["column"],
                                                   strict=True)],
        "Värde": rejects["value"].replace("", "–"),
        "Fel": rejects["check"].map(lambda c: CHECK_LABELS.get(c, c)),
    })
    if more > 0:
        table.loc[len(table)] = ["…", "", "", "", "",
                                 f"ytterligare {num(more)} avvisningar i rejects.csv"]
    return table.set_index("Fil")


def coding_table(processed: Processed) -> pd.DataFrame:
    """Coding-sheet and round-link findings by kind, with the diarienummer concerned."""
    issues = processed.coding_issues
    issues = issues[issues["issue"] != "link_not_checked"]
    if issues.empty:
        return pd.DataFrame([{"Avvikelse": "Inga avvikelser", "Antal": num(0),
                              "Diarienummer": "–"}]).set_index("Avvikelse")
    rows = []
    for issue, group in issues.groupby("issue", sort=True):
        numbers = sorted(d for d in group["diarienummer"] if d)
        shown = ", ".join(numbers[:8]) + (f" med flera ({num(len(numbers))})"
                                          if len(numbers) > 8 else "")
        rows.append({"Avvikelse": CODING_ISSUE_LABELS.get(issue, issue),
                     "Antal": num(len(group)), "Diarienummer": shown or "–"})
    return pd.DataFrame(rows).set_index("Avvikelse")


def summary_text(f: Facts, report_round: int) -> str:
    """The chapter's opening paragraph (Swedish), every figure computed."""
    parts = [
        f"I omgång {report_round} lämnade {num(f.counties_submitted)} av {num(f.counties)} län "
        f"in sina uppgifter, i sammanlagt {num(f.files)} filer."
    ]
    if f.counties_missing:
        parts.append(f"Inga uppgifter kom från {', '.join(f.counties_missing)}.")
    if f.rows_rejected:
        parts.append(
            f"Av {num(f.rows_read)} lästa rader godtogs {num(f.rows_accepted)} och "
            f"{num(f.rows_rejected)} avvisades ({pct(f.rejected_share)}); raderna i filer som "
            "avvisades i sin helhet räknas som lästa och avvisade."
        )
    elif f.files_rejected:
        parts.append(
            f"Alla {num(f.rows_read)} rader som gick att läsa godtogs, men "
            f"{num(f.files_rejected)} filer eller blad gick inte att läsa alls, så uppgifter "
            "kan saknas från dem."
        )
    else:
        parts.append(f"Alla {num(f.rows_read)} lästa rader godtogs; ingen rad avvisades.")
    if f.rows_blank:
        parts.append(f"{num(f.rows_blank)} tomma rader i filerna hoppades över.")
    parts.append(
        f"Det bearbetade underlaget består av {num(f.projects)} projektredovisningar, "
        f"{num(f.allocations)} rader om fördelade och rekvirerade medel"
        + (f" och {num(f.board)} svar från länsstyrelserna." if f.board else ".")
    )
    if f.files_rejected:
        parts.append(f"{num(f.files_rejected)} filer eller blad kunde inte användas alls och "
                     "redovisas nedan med skälet.")
    return " ".join(parts)


HEADERS_LIMIT = 2000
"""Characters of unknown column headers listed in the book (literal text, cut with a note)."""


def privacy_text(f: Facts) -> str:
    """What happened to contact data and unknown columns (Swedish Markdown; the headers are
    literal text, markup.literal)."""
    text = (f"Vid inläsningen togs {num(f.personal_columns)} kolumner med kontaktuppgifter "
            f"(kontaktperson, telefon, e-post) i {num(f.files_with_personal_columns)} filer bort "
            "innan något skrevs; uppgifterna finns inte i något bearbetat underlag.")
    if f.personal_data_redacted:
        text += (f" I fritextfälten ersattes {num(f.personal_data_redacted)} e-postadresser, "
                 f"telefonnummer eller personnummer i {num(f.files_with_redactions)} filer med en "
                 "markering som [e-post borttagen] redan vid inläsningen.")
    else:
        text += (" Inga e-postadresser, telefonnummer eller personnummer hittades i "
                 "fritextfälten.")
    if f.unknown_columns:
        text += (" Kolumner som kodboken inte känner till lästes inte in, bara deras rubriker "
                 f"noterades: {literal(', '.join(f.unknown_columns), HEADERS_LIMIT)}.")
    else:
        text += " Inga okända kolumner förekom."
    return text


def coding_text(f: Facts, report_round: int) -> str:
    """The coding sheet and the round link in one paragraph (Swedish)."""
    text = (f"Utvärderarens kodning jämfördes med redovisningarna: {num(f.coding_issues)} "
            f"avvikelser, varav {num(f.uncoded_projects)} redovisade projekt som saknar kodning")
    if f.uncoded_projects and f.uncoded_not_started == f.uncoded_projects:
        text += "; alla dessa är projekt som aldrig startade och därför inte har bedömts."
    elif f.uncoded_not_started:
        text += (f"; {num(f.uncoded_not_started)} av dem är projekt som aldrig startade och "
                 "därför inte har bedömts.")
    else:
        text += "."
    if report_round - 1 in ROUNDS and f.partial_reports_missing:
        text += (f" {num(f.partial_reports_missing)} projekt som beviljades 2008 eller 2009 "
                 f"saknar delredovisning från {report_round - 1}.")
    elif report_round - 1 in ROUNDS:
        text += (" Alla projekt som beviljades 2008 eller 2009 har en delredovisning från "
                 f"{report_round - 1}.")
    return text


def rejects_text(f: Facts) -> str:
    """One sentence on what was rejected, pointing at the tables (Swedish)."""
    if not (f.rows_rejected or f.files_rejected):
        return "Ingen rad och ingen fil avvisades i omgången."  # and no empty tables follow
    return (f"Sammanlagt avvisades {num(f.rows_rejected)} rader, och {num(f.files_rejected)} "
            "filer eller blad kunde inte användas i sin helhet. "
            "@tbl-datakvalitet-orsaker sammanfattar skälen och @tbl-datakvalitet-avvisade listar "
            "varje avvisning med fil, blad, rad och fält.")
