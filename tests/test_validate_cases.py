"""Validation of one sheet's rows, in memory: which rows are refused, on which column, by which
rule, and the exact Swedish reason (naming file and row) a county reads in the rejects table.
The rows are small hand-made tables; every expected reject is written out by hand from the
rows given here and the reference lists (data/reference/counties.csv: 01 is Stockholms län,
03 Uppsala län; municipalities.csv: Solna 0184 and Sundbyberg 0183 in 01, Uppsala 0380 in 03)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from clean_fixtures import allocation, board, project

from samverkan.intake import codebook
from samverkan.intake.clean import check_tables
from samverkan.intake.codebook import fields
from samverkan.intake.ledger import Rejects
from samverkan.intake.sheets import RawSheet
from samverkan.intake.validate import (
    _describe,
    check_requisitioned,
    combine,
    duplicates,
    row_problems,
    schema,
    stub,
    totals_rows,
    validation_failures,
)

PERSONAL = {f.name for s in ("Projekt", "Länsstyrelsen") for f in fields(s) if f.personal}


def raw_sheet(file: str, lan: str, sheet: str, rows: list[dict], first_row: int = 2,
              problems: dict[int, tuple[str, str]] | None = None,
              sheet_name: str | None = None) -> RawSheet:
    """One file's table as the reader gives it: text cells by canonical field, indexed by row."""
    cells = pd.DataFrame([{k: v for k, v in r.items() if k not in PERSONAL} for r in rows],
                         dtype=object)
    cells.index = pd.Index(range(first_row, first_row + len(rows)), name="source_row")
    return RawSheet(file, sheet, sheet_name or sheet, lan, first_row - 1, cells,
                    row_problems=problems or {})


def check(tables: list[RawSheet], sheet: str, report_round: int = 2011,
          owners: dict[str, str] | None = None):
    rejects = Rejects()
    frame, bad = check_tables(tables, sheet, report_round, rejects, owners)
    got = {(r["file"], r["row"], r["column"], r["check"]): r["reason"] for r in rejects.rows}
    return frame, bad, got, rejects


def ok_project(lan: str, dnr: str, **values) -> dict:
    """A project row that passes every check in round 2011 (municipality in its county)."""
    values.setdefault("municipality_codes", {"01": "Solna", "03": "Uppsala"}[lan])
    return project(lan, dnr, **values)


# ------------------------------------------------------------------------------------- Medel

def test_allocation_years_and_amounts_at_the_edges_of_the_round():
    rows = [allocation("01", 2008), allocation("01", 2010, "0", "0"),
            allocation("01", 2007), allocation("01", 2011), allocation("01", 2009, "-5")]
    tables = [raw_sheet("01-medel.csv", "01", "Medel", rows),
              raw_sheet("03-medel.csv", "03", "Medel", [allocation("03", 2009, "7", "")], 7)]
    frame, bad, got, _ = check(tables, "Medel")
    assert got == {
        ("01-medel.csv", 4, "year", "year_range"):
            "året 2007 ligger utanför omgångens år 2008–2010",
        ("01-medel.csv", 5, "year", "year_range"):
            "året 2011 ligger utanför omgångens år 2008–2010",
        ("01-medel.csv", 6, "allocated_sek", "amount_negative"):
            "Fördelade medel (kr) är negativt (-5); skriv beloppet eller antalet som ett "
            "positivt tal",
        ("03-medel.csv", 7, "requisitioned_sek", "required_missing"):
            "Rekvirerade medel (kr) (requisitioned_sek) måste fyllas i men är tom",
    }
    assert bad == {2, 3, 4, 5}
    assert frame["year"].tolist() == [2008, 2010, 2007, 2011, 2009, 2009]
    assert frame["allocated_sek"].tolist() == [200000, 0, 200000, 200000, -5, 7]
    assert frame["source_row"].tolist() == [2, 3, 4, 5, 6, 7]
    assert str(frame["year"].dtype) == "Int64"


def test_the_same_county_and_year_twice_refuses_both_rows_naming_both():
    rows = [allocation("01", 2009), allocation("01", 2009, "1 000"), allocation("01", 2010)]
    _, bad, got, _ = check([raw_sheet("01-medel.csv", "01", "Medel", rows)], "Medel")
    reason = ("lan_code=01 year=2009 förekommer 2 gånger (01-medel.csv rad 2, 01-medel.csv rad 3); "
              "behåll en rad per lan_code och year och omgång")
    assert got == {("01-medel.csv", 2, "year", "duplicate_key"): reason,
                   ("01-medel.csv", 3, "year", "duplicate_key"): reason}
    assert bad == {0, 1}


def test_rows_whose_key_could_not_be_read_are_never_duplicates_of_each_other():
    rows = [allocation("01", "abc"), allocation("01", "xyz"), allocation("01", 2009)]
    _, bad, got, _ = check([raw_sheet("01-medel.csv", "01", "Medel", rows)], "Medel")
    assert got == {("01-medel.csv", 2, "year", "year_format"):
                   "”abc” är inget årtal: skriv t.ex. 2009",
                   ("01-medel.csv", 3, "year", "year_format"):
                   "”xyz” är inget årtal: skriv t.ex. 2009"}
    assert bad == {0, 1}


def test_a_row_of_another_county_is_refused_and_never_makes_a_duplicate():
    tables = [raw_sheet("01-medel.csv", "01", "Medel", [allocation("01", 2009)]),
              raw_sheet("03-medel.csv", "03", "Medel", [allocation("01", 2009)], first_row=5)]
    _, bad, got, _ = check(tables, "Medel")
    assert got == {("03-medel.csv", 5, "lan_code", "county_file_mismatch"):
                   "raden gäller 01 (Stockholms län) men filen är inlämningen från 03 "
                   "(Uppsala län): flytta raden till det länets fil eller rätta länet"}
    assert bad == {1}


def test_a_column_missing_from_the_file_is_blank_a_required_one_refuses_every_row():
    rows = [{"lan_code": "01", "year": 2009, "allocated_sek": "5"},
            {"lan_code": "01", "year": 2010, "allocated_sek": "6"}]
    frame, bad, got, rejects = check([raw_sheet("01-m.csv", "01", "Medel", rows)], "Medel")
    missing = "Rekvirerade medel (kr) (requisitioned_sek) måste fyllas i men är tom"
    assert got == {("01-m.csv", 2, "requisitioned_sek", "required_missing"): missing,
                   ("01-m.csv", 3, "requisitioned_sek", "required_missing"): missing}
    assert [r["value"] for r in rejects.rows] == ["", ""]  # no cell: nothing written
    assert [r["sheet"] for r in rejects.rows] == ["Medel", "Medel"]
    assert bad == {0, 1}
    assert frame["requisitioned_sek"].isna().all() and frame["allocated_sek"].tolist() == [5, 6]
    # an optional column left out: the board's free text is blank, the row is kept
    row = {k: v for k, v in board("01").items() if k != "board_other_text"}
    frame, bad, got, _ = check([raw_sheet("01-ls.csv", "01", "Länsstyrelsen", [row])],
                               "Länsstyrelsen")
    assert got == {} and bad == set()
    assert frame["board_other_text"].tolist() == [""]
    assert frame["prerequisites_text"].tolist() == ["Stöd"]


def test_a_cell_refused_by_its_parser_is_not_refused_again_and_later_rows_are_still_judged():
    # row 2's year is no year: refused once (year_format), not again as blank by the schema;
    # row 3's year is outside the round, row 4's amount negative: both still judged after it
    rows = [allocation("01", "abc"), allocation("01", 2007), allocation("03", 2009, "-1")]
    tables = [raw_sheet("01-m.csv", "01", "Medel", rows[:2]),
              raw_sheet("03-m.csv", "03", "Medel", rows[2:], first_row=4)]
    _, bad, got, rejects = check(tables, "Medel")
    assert got == {
        ("01-m.csv", 2, "year", "year_format"): "”abc” är inget årtal: skriv t.ex. 2009",
        ("01-m.csv", 3, "year", "year_range"): "året 2007 ligger utanför omgångens år 2008–2010",
        ("03-m.csv", 4, "allocated_sek", "amount_negative"):
            "Fördelade medel (kr) är negativt (-1); skriv beloppet eller antalet som ett "
            "positivt tal"}
    assert len(rejects.rows) == 3 and bad == {0, 1, 2}


# ------------------------------------------------------------------------------ Länsstyrelsen

def test_a_board_row_with_a_negative_count_and_a_board_reported_twice():
    rows = [board("01", reported_projects="-1"), board("01", reported_projects="0")]
    _, bad, got, _ = check([raw_sheet("01-ls.csv", "01", "Länsstyrelsen", rows)], "Länsstyrelsen")
    twice = ("lan_code=01 förekommer 2 gånger (01-ls.csv rad 2, 01-ls.csv rad 3); behåll en rad "
             "per lan_code och omgång")
    assert got == {
        ("01-ls.csv", 2, "reported_projects", "integer_negative"):
            "Antal beviljade projekt är negativt (-1); skriv beloppet eller antalet som ett "
            "positivt tal",
        ("01-ls.csv", 2, "lan_code", "duplicate_key"): twice,
        ("01-ls.csv", 3, "lan_code", "duplicate_key"): twice,
    }
    assert bad == {0, 1}


def test_a_count_keeps_every_digit_when_another_rows_count_is_blank():
    # 2**53 + 1 is the first whole number a float cannot hold: the typed column must not pass
    # through floats on its way to Int64 (a blank beside it would make pandas infer float64)
    tables = [raw_sheet("01-ls.csv", "01", "Länsstyrelsen",
                        [board("01", reported_projects="9007199254740993")]),
              raw_sheet("03-ls.csv", "03", "Länsstyrelsen", [board("03", reported_projects="")])]
    frame, bad, got, _ = check(tables, "Länsstyrelsen")
    assert got == {("03-ls.csv", 2, "reported_projects", "required_missing"):
                   "Antal beviljade projekt (reported_projects) måste fyllas i men är tom"}
    assert bad == {1}
    assert frame.at[0, "reported_projects"] == 9007199254740993


# ------------------------------------------------------------------------------------ Projekt

def test_project_dates_outside_the_programme_and_a_period_that_ends_before_it_starts():
    rows = [ok_project("01", "A", period_start="2008-01-01", period_end="2011-12-31"),
            ok_project("01", "B", period_start="2007-12-31"),
            ok_project("01", "C", period_end="2012-01-01"),
            ok_project("01", "D", period_start="2009-09-01", period_end="2009-08-31"),
            ok_project("01", "E", period_start="2009-09-01", period_end="2009-09-01")]
    frame, bad, got, _ = check([raw_sheet("01-p.csv", "01", "Projekt", rows)], "Projekt")
    assert got == {
        ("01-p.csv", 3, "period_start", "date_range"):
            "datumet 2007-12-31 ligger utanför 2008-01-01 – 2011-12-31; rätta datumet",
        ("01-p.csv", 4, "period_end", "date_range"):
            "datumet 2012-01-01 ligger utanför 2008-01-01 – 2011-12-31; rätta datumet",
        ("01-p.csv", 5, "period_end", "period_order"):
            "rapportperioden slutar (2009-08-31) innan den börjar (2009-09-01); rätta ett av "
            "datumen",
    }
    assert bad == {1, 2, 3}
    assert frame.at[0, "period_start"] == pd.Timestamp("2008-01-01")
    assert frame.at[0, "granted_sek"] == 100000 and frame.at[0, "status"] == "avslutad"
    assert frame.at[0, "municipality_codes"] == "0184"
    assert frame["coop_existing"].tolist() == [True] * 5
    assert frame["coop_new"].tolist() == [False] * 5
    assert str(frame["period_start"].dtype) == "datetime64[ms]"


def test_a_project_without_a_title_is_refused():
    rows = [ok_project("01", "A", title="  "), ok_project("01", "B"),
            ok_project("01", "C", title=None, coop_other_text="")]
    _, bad, got, _ = check([raw_sheet("01-p.csv", "01", "Projekt", rows)], "Projekt")
    missing = "Projektnamn (title) måste fyllas i men är tom"
    assert got == {("01-p.csv", 2, "title", "required_missing"): missing,
                   ("01-p.csv", 4, "title", "required_missing"): missing}
    assert bad == {0, 2}


def test_the_report_of_the_other_round_is_refused_once():
    partial = {"report_type": "delredovisning", "status": "pågår"}
    rows = [ok_project("01", "A", **partial, period_end="2009-12-31"),
            ok_project("01", "B", **partial, period_end="2010-01-01"),
            ok_project("01", "C")]
    _, bad, got, _ = check([raw_sheet("01-p.csv", "01", "Projekt", rows)], "Projekt")
    assert got == {("01-p.csv", 2, "report_type", "report_round_mismatch"):
                   "raden är en delredovisning för perioden till 2009-12-31, det vill säga omgång "
                   "2010s redovisning; den hör inte hemma i omgång 2011. Ta bort raden, eller "
                   "rätta 'Redovisningen avser' och rapportperioden om projektet har lämnat sin "
                   "redovisning för 2011"}
    assert bad == {0}
    rows = [ok_project("01", "A", period_end="2010-08-31"),
            ok_project("01", "B", **partial, period_end="2010-08-31"),
            ok_project("03", "C", period_end="2010-08-31")]  # another county's: refused for that
    frame, bad, got, _ = check([raw_sheet("01-p.csv", "01", "Projekt", rows)], "Projekt", 2010)
    # the 2011 form's questions (e.g. integration_done) are no columns of round 2010
    assert "integration_done" not in frame.columns and "coop_new" in frame.columns
    assert got == {
        ("01-p.csv", 2, "report_type", "report_round_mismatch"):
            "raden är en slutredovisning, men omgång 2010 gäller delredovisningar: flytta raden "
            "till omgång 2011 eller rätta 'Redovisningen avser'",
        ("01-p.csv", 4, "lan_code", "county_file_mismatch"):
            "raden gäller 03 (Uppsala län) men filen är inlämningen från 01 (Stockholms län): "
            "flytta raden till det länets fil eller rätta länet",
    }
    assert bad == {0, 2}


def test_applicants_outside_the_county_refuse_the_row_only_when_none_is_inside():
    rows = [ok_project("01", "C", municipality_codes="Solna, Sundbyberg"),
            ok_project("01", "A", municipality_codes="Uppsala"),
            ok_project("01", "B", municipality_codes="Solna och Uppsala"),
            ok_project("01", "D", municipality_codes="Enköping, Uppsala")]
    _, bad, got, rejects = check([raw_sheet("01-p.csv", "01", "Projekt", rows)], "Projekt")
    assert got == {
        ("01-p.csv", 3, "municipality_codes", "municipality_county"):
            "ingen sökande kommun ligger i Stockholms län: Uppsala hör till Uppsala län (03). "
            "Rätta kommunen, eller låt länsstyrelsen i det länet redovisa projektet",
        ("01-p.csv", 5, "municipality_codes", "municipality_county"):
            "ingen sökande kommun ligger i Stockholms län: Uppsala hör till Uppsala län (03), "
            "Enköping hör till Uppsala län (03). Rätta kommunen, eller låt länsstyrelsen i det "
            "länet redovisa projektet",
    }
    assert bad == {1, 3}
    assert rejects.notes == {("01-p.csv", "Projekt"): [
        "rad 4: sökande kommun i annat län godtogs eftersom projektet också har en sökande "
        "kommun i länet (Uppsala hör till Uppsala län (03))"]}


OTHER_COUNTY = ("diarienumret D-1 är ett projekt i Stockholms län (01-p.csv rad 2; så står det "
                "också i utvärderarens kodning eller i förra omgången): rätta diarienumret till "
                "det egna projektets")


def test_a_project_number_of_another_countys_known_project_costs_only_the_copy():
    tables = [raw_sheet("01-p.csv", "01", "Projekt", [ok_project("01", "D-1")]),
              raw_sheet("03-p.csv", "03", "Projekt", [ok_project("03", "D-1")], first_row=7)]
    _, bad, got, _ = check(tables, "Projekt", owners={"D-1": "01"})
    assert got == {("03-p.csv", 7, "diarienummer", "duplicate_key_of_other_county"): OTHER_COUNTY}
    assert bad == {1}


@pytest.mark.parametrize("owners", [None, {}, {"D-1": "25"}, {"D-2": "01"}])
def test_without_a_known_owner_every_row_with_the_project_number_is_refused(owners):
    tables = [raw_sheet("01-p.csv", "01", "Projekt", [ok_project("01", "D-1")]),
              raw_sheet("03-p.csv", "03", "Projekt", [ok_project("03", "D-1")], first_row=7)]
    _, bad, got, _ = check(tables, "Projekt", owners=owners)
    reason = ("diarienummer=D-1 förekommer 2 gånger (01-p.csv rad 2, 03-p.csv rad 7); behåll en "
              "rad per diarienummer och omgång")
    assert got == {("01-p.csv", 2, "diarienummer", "duplicate_key"): reason,
                   ("03-p.csv", 7, "diarienummer", "duplicate_key"): reason}
    assert bad == {0, 1}


def test_an_owner_that_has_the_project_twice_or_alone_does_not_decide():
    # the owner's file has it twice: which row is right is not known
    tables = [raw_sheet("01-p.csv", "01", "Projekt", [ok_project("01", "D-1")] * 2),
              raw_sheet("03-p.csv", "03", "Projekt", [ok_project("03", "D-1")], first_row=7)]
    _, bad, got, _ = check(tables, "Projekt", owners={"D-1": "01"})
    assert {k[3] for k in got} == {"duplicate_key"} and bad == {0, 1, 2}
    assert got[("03-p.csv", 7, "diarienummer", "duplicate_key")] == (
        "diarienummer=D-1 förekommer 3 gånger (01-p.csv rad 2, 01-p.csv rad 3, 03-p.csv rad 7); "
        "behåll en rad per diarienummer och omgång")
    # only the owner's own file has it, twice
    tables = [raw_sheet("01-p.csv", "01", "Projekt", [ok_project("01", "D-1")] * 2)]
    _, bad, got, _ = check(tables, "Projekt", owners={"D-1": "01"})
    assert {k[3] for k in got} == {"duplicate_key"} and bad == {0, 1}


def test_duplicates_skip_refused_rows_and_blank_keys():
    typed = pd.DataFrame({"source_file": ["a.csv", "a.csv", "b.csv", "a.csv", "a.csv"],
                          "source_row": [2, 3, 4, 5, 6],
                          "diarienummer": [" D-1", "D-1 ", "D-1", "", None]},
                         index=[10, 11, 12, 13, 14])
    lan = pd.Series(["01", "01", "03", "01", "01"], index=typed.index)
    two = ("diarienummer=D-1 förekommer 2 gånger (a.csv rad 2, a.csv rad 3); behåll en rad per "
           "diarienummer och omgång")
    assert duplicates(typed, lan, "Projekt", {12}) == {10: ("diarienummer", "duplicate_key", two),
                                                       11: ("diarienummer", "duplicate_key", two)}
    assert duplicates(typed, lan, "Projekt", {11, 12}) == {}
    assert duplicates(typed, lan, "Projekt", {10, 11}, {"D-1": "03"}) == {}
    # the owner's rule is the project sheet's: a Medel key is never another county's
    medel = pd.DataFrame({"source_file": ["a.csv", "b.csv"], "source_row": [2, 3],
                          "lan_code": ["01", "01"], "year": [2009, 2009]})
    both = ("lan_code=01 year=2009 förekommer 2 gånger (a.csv rad 2, b.csv rad 3); behåll en rad "
            "per lan_code och year och omgång")
    assert duplicates(medel, pd.Series(["01", "03"]), "Medel", set(), {"01 2009": "01"}) == {
        0: ("year", "duplicate_key", both), 1: ("year", "duplicate_key", both)}


def test_owners_decide_for_projects_only_when_the_owner_has_it_once():
    typed = pd.DataFrame({"source_file": ["a.csv", "b.csv", "c.csv"], "source_row": [2, 3, 4],
                          "diarienummer": ["D-1", "D-1", "D-1"]})
    lan = pd.Series(["01", "03", "25"])
    other = ("diarienummer", "duplicate_key_of_other_county",
             "diarienumret D-1 är ett projekt i Uppsala län (b.csv rad 3; så står det också i "
             "utvärderarens kodning eller i förra omgången): rätta diarienumret till det egna "
             "projektets")
    assert duplicates(typed, lan, "Projekt", set(), {"D-1": "03"}) == {0: other, 2: other}
    # a number settled by its owner does not end the search: D-2 after it is still judged
    more = pd.concat([typed, pd.DataFrame({"source_file": ["a.csv", "a.csv"],
                                           "source_row": [5, 6], "diarienummer": ["D-2", "D-2"]})],
                     ignore_index=True)
    twice = ("diarienummer", "duplicate_key", "diarienummer=D-2 förekommer 2 gånger (a.csv rad 5, "
             "a.csv rad 6); behåll en rad per diarienummer och omgång")
    assert duplicates(more, pd.Series(["01", "03", "25", "01", "01"]), "Projekt", set(),
                      {"D-1": "03"}) == {0: other, 2: other, 3: twice, 4: twice}


# ---------------------------------------------------------------------------- totals rows

@pytest.mark.parametrize(("column", "cell"), [
    ("lan_code", "Summa"), ("lan_code", "  s:a:"), ("diarienummer", "TOTALT"),
    ("title", "Total summa alla projekt"), ("title", "Samtliga"), ("title", "Sum."),
    ("title", "Totals"), ("title", "total"),
])
def test_a_totals_row_is_refused_whole_naming_its_cell(column, cell):
    rows = [ok_project("01", "A"), ok_project("01", "B", **{column: cell})]
    frame, bad, got, _ = check([raw_sheet("01-p.csv", "01", "Projekt", rows)], "Projekt")
    assert got == {("01-p.csv", 3, column, "totals_row"):
                   f"raden är en summarad (”{cell.strip()}”), inte en uppgift om ett projekt, "
                   "ett år eller ett län: programmet räknar fram summorna själv. Ta bort raden."}
    assert bad == {1}
    # the refused row is kept as a stub: its provenance and the diarienummer as written
    assert frame.loc[1, ["source_file", "source_row"]].tolist() == ["01-p.csv", 3]
    assert frame.at[1, "diarienummer"] == ("B" if column != "diarienummer" else cell)


def test_a_totals_row_is_refused_once_even_when_several_cells_say_so():
    raw = pd.DataFrame({"source_file": ["x.csv", "x.csv"], "source_row": [2, 3],
                        "lan_code": ["01", "Summa"], "diarienummer": ["A", "Totalt"],
                        "title": ["Summerläger", "S:a"]})
    rejects = Rejects()
    assert totals_rows(raw, "Projekt", rejects) == {1}
    assert [(r["sheet"], r["row"], r["column"], r["check"], r["value"]) for r in rejects.rows] == [
        ("Projekt", 3, "lan_code", "totals_row", "Summa")]
    no_number = raw.drop(columns="diarienummer")  # a missing column skips only itself
    assert totals_rows(no_number.assign(lan_code="01"), "Projekt", Rejects()) == {1}
    medel = pd.DataFrame({"source_file": ["x.csv"] * 3, "source_row": [2, 3, 4],
                          "lan_code": [1, "Totalförsvaret", "summan"]})
    assert totals_rows(medel, "Medel", Rejects()) == set()


# -------------------------------------------------------------- rows unusable as a whole, stubs

def test_a_row_the_reader_found_unusable_is_refused_and_kept_as_a_stub():
    problem = {3: ("row_extra_cells", "raden har fler celler än rubrikraden")}
    tables = [raw_sheet("01-p.csv", "01", "Projekt",
                        [ok_project("01", "A"), ok_project("01", "B")], problems=problem),
              raw_sheet("03-p.csv", "03", "Projekt", [ok_project("03", "C")], first_row=3)]
    frame, bad, got, rejects = check(tables, "Projekt")
    assert rejects.rows == [{"file": "01-p.csv", "sheet": "Projekt", "row": 3, "column": "",
                             "value": "", "reason": "raden har fler celler än rubrikraden",
                             "check": "row_extra_cells"}]
    assert bad == {1}
    assert frame["diarienummer"].tolist() == ["A", "B", "C"]
    assert frame["source_row"].tolist() == [2, 3, 3]


def test_row_problems_of_an_empty_sheet_and_stubs():
    assert row_problems([], pd.DataFrame(), "Projekt", Rejects()) == set()
    raw = pd.DataFrame({"source_file": ["x.csv"] * 2, "source_sheet": ["Projekt"] * 2,
                        "source_row": [2, 3], "diarienummer": [12.0, "A"], "title": ["T", "U"]},
                       index=[5, 6])
    assert stub(raw, {5}).to_dict("records") == [
        {"source_file": "x.csv", "source_sheet": "Projekt", "source_row": 2, "diarienummer": "12"}]
    medel = raw.drop(columns=["diarienummer", "title"])
    assert stub(medel, {6, 5}).to_dict("list") == {
        "source_file": ["x.csv", "x.csv"], "source_sheet": ["Projekt", "Projekt"],
        "source_row": [2, 3]}


def test_combine_puts_provenance_first_and_numbers_the_rows():
    assert combine([]).empty
    a = raw_sheet("01-m.csv", "01", "Medel", [allocation("01", 2009)], first_row=4,
                  sheet_name="Medel 2009")
    b = raw_sheet("03-m.csv", "03", "Medel", [allocation("03", 2009), allocation("03", 2010)],
                  sheet_name="Blad1")
    raw = combine([a, b])
    assert raw["source_sheet"].tolist() == ["Medel 2009", "Blad1", "Blad1"]
    assert list(raw.columns[:4]) == ["source_file", "source_sheet", "_file_lan", "source_row"]
    assert raw.index.tolist() == [0, 1, 2]
    assert raw["source_file"].tolist() == ["01-m.csv", "03-m.csv", "03-m.csv"]
    assert raw["_file_lan"].tolist() == ["01", "03", "03"]
    assert raw["source_row"].tolist() == [4, 2, 3]
    assert raw["year"].tolist() == [2009, 2009, 2010]


# --------------------------------------------------------------------- reasons, schema failures

def _field(name: str):
    return next(f for s in ("Projekt", "Medel") for f in fields(s) if f.name == name)


@pytest.mark.parametrize(("name", "check_", "value", "reason"), [
    ("granted_sek", "required_missing", None, "Beviljade medel (kr) (granted_sek) måste fyllas i "
     "men är tom"),
    ("granted_sek", "amount_negative", -5.0, "Beviljade medel (kr) är negativt (-5); skriv "
     "beloppet eller antalet som ett positivt tal"),
    ("granted_year", "year_range", 2012, "året 2012 ligger utanför omgångens år 2008–2010"),
    ("period_start", "date_range", date(2007, 1, 2), "datumet 2007-01-02 ligger utanför "
     "2008-01-01 – 2011-12-31; rätta datumet"),
    ("status", "status_value", " kanske ", "Status: ”kanske” uppfyller inte regeln status_value"),
])
def test_each_rule_has_its_own_reason(name, check_, value, reason):
    row = pd.Series({"period_start": date(2009, 9, 1), "period_end": date(2009, 8, 31)})
    assert _describe(_field(name), check_, value, row, 2011) == reason
    order = _describe(_field("period_end"), "period_order", "x", row, 2011)
    assert order == ("rapportperioden slutar (2009-08-31) innan den börjar (2009-09-01); rätta "
                     "ett av datumen")


def test_validation_failures_of_a_valid_frame_is_empty_with_its_columns():
    frame = pd.DataFrame({"lan_code": ["01"], "year": pd.array([2009], dtype="Int64"),
                          "allocated_sek": pd.array([1], dtype="Int64"),
                          "requisitioned_sek": pd.array([0], dtype="Int64")})
    out = validation_failures(frame, "Medel", 2011)
    assert out.empty and list(out.columns) == ["index", "column", "check"]
    frame.loc[0, "requisitioned_sek"] = -1
    frame.loc[0, "year"] = 2007
    out = validation_failures(frame, "Medel", 2010)
    assert out.to_dict("records") == [
        {"index": 0, "column": "requisitioned_sek", "check": "amount_negative"},
        {"index": 0, "column": "year", "check": "year_range"}]
    # a key of two columns written twice is reported once per row, on lan_code
    twice = pd.concat([frame, frame], ignore_index=True).assign(year=2009, requisitioned_sek=0)
    assert str(out["index"].dtype) == "int64"  # row labels, as the typed frame has them
    assert out.index.tolist() == [0, 1]  # numbered anew after sorting
    assert validation_failures(twice, "Medel", 2011).to_dict("records") == [
        {"index": 0, "column": "lan_code", "check": "duplicate_key"},
        {"index": 1, "column": "lan_code", "check": "duplicate_key"}]


BOARD_COLUMNS = ["lan_code", "reported_projects", "reported_granted_sek", "administration_sek",
                 "repayment_sek", "prerequisites_text", "board_other_text"]
"""The Länsstyrelsen sheet's fields in codebook.yaml, without the three contact fields."""


def test_the_schema_has_the_sheets_own_columns_of_the_round_and_no_contact_fields():
    assert list(schema("Medel", 2011).columns) == ["lan_code", "year", "allocated_sek",
                                                   "requisitioned_sek"]
    assert list(schema("Länsstyrelsen", 2011).columns) == BOARD_COLUMNS
    assert list(schema("Länsstyrelsen", 2010).columns) == []  # no board sheet in round 2010
    # the integration questions were asked in the final report (2011) only
    assert "integration_done" in schema("Projekt", 2011).columns
    assert "integration_done" not in schema("Projekt", 2010).columns
    assert "coop_new" in schema("Projekt", 2010).columns


def test_a_contact_field_anywhere_in_the_form_is_left_out_and_the_rest_kept(monkeypatch):
    # codebook.yaml puts the contact fields last; the schema must not depend on it
    board = fields("Länsstyrelsen", 2011)
    contact_first = tuple(sorted(board, key=lambda f: not f.personal))
    monkeypatch.setattr(codebook, "fields", lambda sheet, report_round: contact_first)
    assert list(schema("Länsstyrelsen", 2011).columns) == BOARD_COLUMNS


def test_the_schema_refuses_a_county_code_that_is_no_county():
    # the county parser refuses such a code first; the schema is the second line of defence
    frame = pd.DataFrame({"lan_code": ["99", "25"], "year": pd.array([2009, 2009], dtype="Int64"),
                          "allocated_sek": pd.array([1, 1], dtype="Int64"),
                          "requisitioned_sek": pd.array([1, 1], dtype="Int64")})
    assert validation_failures(frame, "Medel", 2011).to_dict("records") == [
        {"index": 0, "column": "lan_code", "check": "county_unknown"}]


def test_the_schema_refuses_a_value_outside_the_codebook_and_a_malformed_municipality_list():
    # the parsers refuse such cells first; the schema is the second line of defence
    day = pd.Timestamp("2009-09-01")
    frame = pd.DataFrame({
        "status": ["pagar", "kanske", "avslutad", "ej_startad"],
        "report_type": ["slutredovisning", "delredovisning", "slut", "slutredovisning"],
        "municipality_codes": ["0184;0183", "0184", "Solna", "0184;18"],
        "period_start": pd.Series([day] * 4, dtype="datetime64[ms]"),
        "period_end": pd.Series([day] * 4, dtype="datetime64[ms]")})
    assert validation_failures(frame, "Projekt", 2011).to_dict("records") == [
        {"index": 1, "column": "status", "check": "status_value"},
        {"index": 2, "column": "municipality_codes", "check": "municipality_unknown"},
        {"index": 2, "column": "report_type", "check": "report_type_value"},
        {"index": 3, "column": "municipality_codes", "check": "municipality_unknown"}]


def test_the_schema_reports_a_project_number_or_a_board_written_twice_on_both_rows():
    # duplicates() judges these in normalise_sheet; the schema's own report is kept honest here
    day = pd.Series([pd.Timestamp("2009-09-01")] * 3, dtype="datetime64[ms]")
    projects = pd.DataFrame({"diarienummer": ["A", "B", "A"], "status": ["pagar"] * 3,
                             "granted_sek": pd.array([5, 5, 5], dtype="Int64"),
                             "period_start": day, "period_end": day})
    assert validation_failures(projects, "Projekt", 2011).to_dict("records") == [
        {"index": 0, "column": "diarienummer", "check": "duplicate_key"},
        {"index": 2, "column": "diarienummer", "check": "duplicate_key"}]
    boards = pd.DataFrame({"lan_code": ["01", "03", "01"],
                           "reported_projects": pd.array([1, 1, 1], dtype="Int64")})
    assert validation_failures(boards, "Länsstyrelsen", 2011).to_dict("records") == [
        {"index": 0, "column": "lan_code", "check": "duplicate_key"},
        {"index": 2, "column": "lan_code", "check": "duplicate_key"}]
    assert validation_failures(boards.iloc[:2], "Länsstyrelsen", 2011).empty


def test_the_schema_lets_an_optional_field_be_blank_and_refuses_a_blank_required_one():
    # the parsers give blank checkboxes False and blank texts "", so only a direct call with a
    # missing value tells "may be blank" from "must be filled in"
    day = pd.Series([pd.Timestamp("2009-09-01")] * 2, dtype="datetime64[ms]")
    frame = pd.DataFrame({"coop_new": pd.array([None, True], dtype="boolean"),
                          "goal_text": [None, "Mål"], "title": ["Projekt", None],
                          "period_start": day, "period_end": day})
    assert validation_failures(frame, "Projekt", 2011).to_dict("records") == [
        {"index": 1, "column": "title", "check": "required_missing"}]


def test_the_schema_takes_a_county_with_two_years_as_two_allocation_rows():
    frame = pd.DataFrame({"lan_code": ["01", "01"], "year": pd.array([2009, 2010], dtype="Int64"),
                          "allocated_sek": pd.array([1, 1], dtype="Int64"),
                          "requisitioned_sek": pd.array([1, 1], dtype="Int64")})
    assert validation_failures(frame, "Medel", 2011).empty  # the key is county and year


# ------------------------------------------------------------------ granted above requisitioned

def _typed(projects: list[tuple[str, int]], allocations: list[tuple[str, str, int]]):
    p = pd.DataFrame({"lan_code": [c for c, _ in projects],
                      "granted_sek": pd.array([g for _, g in projects], dtype="Int64"),
                      "source_file": [f"{c}-p.csv" for c, _ in projects]})
    m = pd.DataFrame({"lan_code": [c for c, _, _ in allocations],
                      "source_file": [f for _, f, _ in allocations],
                      "source_row": list(range(2, 2 + len(allocations))),
                      "requisitioned_sek": pd.array([r for _, _, r in allocations],
                                                    dtype="Int64")})
    return {"Projekt": p, "Medel": m}


def test_granted_above_requisitioned_refuses_the_countys_allocation_rows():
    typed = _typed([("01", 50_000), ("01", 30_000), ("01", 999_999), ("03", 60_000)],
                   [("01", "01-m.csv", 40_000), ("01", "01-m.csv", 39_999),
                    ("03", "03-m.csv", 60_000), ("03", "03-m.csv", 1)])
    rejected = {"Projekt": {2}, "Medel": {3}}
    rejects = Rejects()
    check_requisitioned(typed, rejected, rejects)
    reason = ("länets projekt har beviljats sammanlagt 80000 kr men länet har rekvirerat 79999 kr; "
              "rätta raderna i Medel eller projektens beviljade belopp")
    assert rejects.rows == [
        {"file": "01-m.csv", "sheet": "Medel", "row": 2, "column": "requisitioned_sek",
         "value": "40000", "reason": reason, "check": "granted_over_requisitioned"},
        {"file": "01-m.csv", "sheet": "Medel", "row": 3, "column": "requisitioned_sek",
         "value": "39999", "reason": reason, "check": "granted_over_requisitioned"}]
    assert rejected == {"Projekt": {2}, "Medel": {0, 1, 3}}
    assert rejects.notes == {}


def test_a_county_not_judged_does_not_stop_the_next_and_no_projects_grant_nothing():
    # 01 granted 90 000 against 80 000 but one of its rows was refused: not judged;
    # 03 granted 70 000 against 60 000: judged; 25 has no projects and requisitioned 0: fine
    typed = _typed([("01", 90_000), ("03", 70_000)],
                   [("01", "01-m.csv", 80_000), ("01", "01-m.csv", 5),
                    ("03", "03-m.csv", 60_000), ("25", "25-m.csv", 0)])
    rejected = {"Projekt": set(), "Medel": {1}}
    rejects = Rejects()
    check_requisitioned(typed, rejected, rejects)
    assert [(r["file"], r["row"], r["check"]) for r in rejects.rows] == [
        ("03-m.csv", 4, "granted_over_requisitioned")]
    assert rejected["Medel"] == {1, 2}
    assert list(rejects.notes) == [("01-m.csv", "Medel")]


def test_equal_grants_pass_and_a_county_with_a_refused_allocation_row_is_not_judged():
    typed = _typed([("01", 80_000), ("03", 70_000)],
                   [("01", "01-m.csv", 80_000), ("03", "03-m.csv", 60_000),
                    ("03", "03-m.csv", 10_000)])
    rejected = {"Projekt": set(), "Medel": {2}}
    rejects = Rejects()
    check_requisitioned(typed, rejected, rejects)
    assert rejects.rows == [] and rejected["Medel"] == {2}
    assert rejects.notes == {("03-m.csv", "Medel"): [
        "beviljat (70000 kr) jämfördes inte med rekvirerat: en rad i Medel avvisades, så det "
        "rekvirerade beloppet är inte komplett"]}


def test_no_projects_or_no_allocations_judge_nothing():
    no_file = pd.DataFrame(columns=["source_file", "source_sheet", "source_row"])
    for typed in (_typed([], [("01", "01-m.csv", 1)]), _typed([("01", 5)], []),
                  {"Projekt": no_file, "Medel": _typed([], [("01", "01-m.csv", -5)])["Medel"]},
                  {"Projekt": _typed([("01", 5)], [])["Projekt"], "Medel": no_file}):
        rejects = Rejects()
        check_requisitioned(typed, {"Projekt": set(), "Medel": set()}, rejects)
        assert rejects.rows == [] and rejects.notes == {}
