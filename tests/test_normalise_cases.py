"""Tables of cells and what the normalisers must make of them: the value, or the rule broken and
the exact Swedish reason a county reads in the rejects table. Every expected value is written
out by hand from the accepted spellings of the module docstring and the codebook; the boundaries
(the largest amount, the first and last Excel serial date, four-digit years, eight-digit numbers
read as dates) are tested on both sides."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pandas as pd
import pytest

from samverkan.intake.codebook import Field, fields
from samverkan.intake.normalise import (
    CellProblem,
    InvalidValue,
    character_name,
    error_cell,
    error_value,
    form_values,
    invisible_characters,
    is_blank,
    normalise_column,
    parse_amount,
    parse_checkbox,
    parse_county,
    parse_date,
    parse_enum,
    parse_integer,
    parse_municipalities,
    parse_text,
    parse_year,
    parser_for,
    raw_text,
)

NAN = float("nan")
INF = float("inf")
PROBLEM = CellProblem("formula_no_value", "cellen har en formel utan sparat värde", "=A1+B1")


def field(name: str, sheet: str = "Projekt") -> Field:
    return next(f for f in fields(sheet) if f.name == name)


def rejected(parse, value) -> tuple[str, str]:
    with pytest.raises(InvalidValue) as error:
        parse(value)
    assert str(error.value) == error.value.reason
    return error.value.check, error.value.reason


# ------------------------------------------------------------------- spreadsheet error values

@pytest.mark.parametrize(("cell", "found"), [
    ("#N/A", "#N/A"), ("  #n/a ", "#n/a"), ("#SAKNAS!", "#SAKNAS!"), ("#saknas", "#saknas"),
    ("#VÄRDEFEL!", "#VÄRDEFEL!"), ("Err:502", "Err:502"), (" Err:504\n", "Err:504"),
    ("#GETTING_DATA", "#GETTING_DATA"),
    ("", None), ("   ", None), ("#", None), ("#HEJ!", None), ("N/A", None), ("x#N/A", None),
    ("Err:50", None), ("Err:5021", None), ("err:502", None), ("Error", None), ("ERR:502", None),
    (502, None), (None, None), (NAN, None),
])
def test_error_values_are_recognised_as_written(cell, found):
    assert error_value(cell) == found


ERROR_MEANINGS = [
    ("#N/A", "värdet saknas, t.ex. en LETARAD som inte hittade något"),
    ("#REF!", "formeln hänvisar till en cell som inte finns längre"),
    ("#DIV/0!", "division med noll"),
    ("#VALUE!", "fel sorts värde i formeln"),
    ("#NAME?", "okänt namn eller okänd funktion i formeln"),
    ("#NUM!", "ogiltigt tal i formeln"),
    ("#NULL!", "områden i formeln som inte möts"),
    ("#SPILL!", "formelns resultat får inte plats"),
    ("#CALC!", "formeln kan inte räknas ut"),
    ("#GETTING_DATA", "värdet hämtas fortfarande"),
    # a Swedish Excel's names for the same errors
    ("#SAKNAS!", "värdet saknas, t.ex. en LETARAD som inte hittade något"),
    ("#SAKNAS", "värdet saknas, t.ex. en LETARAD som inte hittade något"),
    ("#N/A!", "värdet saknas, t.ex. en LETARAD som inte hittade något"),
    ("#saknas!", "värdet saknas, t.ex. en LETARAD som inte hittade något"),
    ("#REFERENS!", "formeln hänvisar till en cell som inte finns längre"),
    ("#DIVISION/0!", "division med noll"),
    ("#VÄRDEFEL!", "fel sorts värde i formeln"),
    ("#NAMN?", "okänt namn eller okänd funktion i formeln"),
    ("#OGILTIGT!", "ogiltigt tal i formeln"),
    ("#SKÄRNING!", "områden i formeln som inte möts"),
    ("Err:502", "ett fel i en formel"),
]


@pytest.mark.parametrize(("value", "meaning"), ERROR_MEANINGS)
def test_an_error_cell_says_what_the_error_means_and_what_to_do(value, meaning):
    problem = error_cell(value, "F12")
    assert problem.check == "spreadsheet_error"
    assert problem.shown == value and str(problem) == value
    assert problem.reason == (
        f"cellen F12 innehåller felvärdet '{value}' ({meaning}): det är ett fel i kalkylbladet, "
        "inget värde. Rätta formeln eller skriv in värdet, och spara filen igen")


def test_a_cell_problem_shows_its_cell_and_names_its_check():
    assert repr(PROBLEM) == "CellProblem('formula_no_value')"
    assert str(PROBLEM) == "=A1+B1"
    assert str(CellProblem("x", "y")) == ""


def test_invisible_characters_are_found_in_order_and_named():
    text = "a\u200bb\u00adc\ufeffd e\u2060"
    assert invisible_characters(text) == ["\u200b", "\u00ad", "\ufeff", "\u2060"]
    assert invisible_characters("vanlig text, å ä ö\u00a0") == []
    assert character_name("\u200b") == "U+200B (ZERO WIDTH SPACE)"
    assert character_name("\u00ad") == "U+00AD (SOFT HYPHEN)"
    assert character_name("\ue000") == "U+E000 (okänt tecken)"  # private use: no name


# ----------------------------------------------------------------------- blank and raw text

@pytest.mark.parametrize(("cell", "blank"), [
    (None, True), ("", True), ("  \t", True), (NAN, True), (pd.NaT, True), (pd.NA, True),
    ("x", False), (" 0 ", False), (0, False), (0.0, False), (False, False), (INF, False),
    (date(2009, 9, 1), False),
])
def test_blank_cells(cell, blank):
    assert is_blank(cell) is blank


@pytest.mark.parametrize(("cell", "shown"), [
    (PROBLEM, "=A1+B1"), (None, ""), (NAN, ""), ("   ", ""), (True, "SANT"), (False, "FALSKT"),
    (12.0, "12"), (-3.0, "-3"), (2.5, "2.5"), (7, "7"), (" Solna \n", "Solna"),
    (datetime(2009, 9, 1), "2009-09-01"), (datetime(2009, 9, 1, 13, 5), "2009-09-01 13:05:00"),
    (date(2010, 12, 31), "2010-12-31"), (INF, "inf"),
])
def test_raw_text_is_the_cell_as_the_spreadsheet_shows_it(cell, shown):
    assert raw_text(cell) == shown
    if not isinstance(cell, CellProblem):
        assert parse_text(cell) == shown


@pytest.mark.parametrize("parse", [parse_amount, parse_integer, parse_year, parse_date,
                                   parse_checkbox, parse_county, parse_municipalities,
                                   parse_text, parser_for(field("status"))])
def test_every_parser_refuses_a_cell_problem_with_its_own_reason(parse):
    assert rejected(parse, PROBLEM) == ("formula_no_value",
                                        "cellen har en formel utan sparat värde")


@pytest.mark.parametrize(("parse", "cell", "check"), [
    (parse_amount, "\U0001fbf0", "amount_format"),        # SEGMENTED DIGIT ZERO, once read as 0
    (parse_amount, "916 \uff12\uff11\uff10 kr", "amount_format"),  # fullwidth 210
    (parse_integer, "\u0661\u0662", "integer_format"),     # Arabic-Indic 12
    (parse_year, "\u0662\u0660\u0660\u0669", "year_format"),  # Arabic-Indic 2009
    (parse_date, "\U0001fbf2\U0001fbf0\U0001fbf0\U0001fbf9\U0001fbf0\U0001fbf9"
                 "\U0001fbf0\U0001fbf1", "date_format"),  # segmented 20090901
    (parse_date, "1 september \U0001d7ee\U0001d7ec\U0001d7ec\U0001d7f5", "date_format"),
])
def test_digits_of_another_script_are_refused_never_read_as_numbers(parse, cell, check):
    # Python's int() and \d take any Unicode digit; the module docstring lists 0-9 only
    assert rejected(parse, cell)[0] == check


# -------------------------------------------------------------------------------- amounts

@pytest.mark.parametrize(("cell", "kronor"), [
    (916210, 916210), (0, 0), (916210.0, 916210), ("916210", 916210), ("916 210", 916210),
    ("1 000 000", 1_000_000), ("916\u00a0210 kr", 916210), ("916\u202f210", 916210),
    ("916\u2009210", 916210), ("916210 SEK", 916210), ("SEK 916210", 916210),
    ("kr 500", 500), ("kr. 500", 500), ("916 210:-", 916210), ("500,-", 500),
    ("500 kronor", 500), ("500 kr.", 500), ("500 kr:-", 500), ("500kr", 500),
    ("916210,00", 916210), ("916210.0", 916210), ("  42  ", 42),
    ("-500", -500), ("\u2212500", -500), ("\u2013500", -500), ("+500", 500), (-7, -7),
    (9_999_999_999, 9_999_999_999), (-9_999_999_999, -9_999_999_999),
    ("9 999 999 999", 9_999_999_999), ("12", 12), ("123", 123), ("1 234", 1234),
])
def test_amount_spellings(cell, kronor):
    assert parse_amount(cell) == kronor


@pytest.mark.parametrize(("cell", "check", "reason"), [
    (True, "amount_format", "”SANT” är ett ja/nej-värde, inte ett belopp"),
    (False, "amount_format", "”FALSKT” är ett ja/nej-värde, inte ett belopp"),
    (INF, "amount_format", "”inf” är inget belopp"),
    (NAN, "amount_format", "”nan” är inget belopp"),
    (2.5, "amount_ore", "2.5 har ören: skriv hela kronor (ören redovisas inte)"),
    (date(2009, 9, 1), "amount_format", "”2009-09-01” är inget belopp"),
    (Decimal("12"), "amount_format", "”12” är inget belopp"),
    (10**10, "amount_range",
     "10000000000 kr är inget rimligt belopp; skriv beloppet i hela kronor"),
    (-(10**10), "amount_range",
     "-10000000000 kr är inget rimligt belopp; skriv beloppet i hela kronor"),
    (1e10, "amount_range", "10000000000 kr är inget rimligt belopp; skriv beloppet i hela kronor"),
    ("10 000 000 000", "amount_range",
     "10000000000 kr är inget rimligt belopp; skriv beloppet i hela kronor"),
    (" 5 tkr ", "amount_unit", "”5 tkr” är angivet i tusental eller miljoner: skriv hela kronor"),
    ("3 Mkr", "amount_unit", "”3 Mkr” är angivet i tusental eller miljoner: skriv hela kronor"),
    ("2 mnkr", "amount_unit", "”2 mnkr” är angivet i tusental eller miljoner: skriv hela kronor"),
    ("KSEK", "amount_unit", "”KSEK” är angivet i tusental eller miljoner: skriv hela kronor"),
    ("msek", "amount_unit", "”msek” är angivet i tusental eller miljoner: skriv hela kronor"),
    ("1.000", "amount_format", "”1.000” är tvetydigt (tusentalsavgränsare eller decimaler?): "
     "skriv hela kronor med mellanslag mellan tusental, t.ex. 916 210"),
    ("-1,000,000 kr", "amount_format", "”-1,000,000 kr” är tvetydigt (tusentalsavgränsare eller "
     "decimaler?): skriv hela kronor med mellanslag mellan tusental, t.ex. 916 210"),
    (" abc ", "amount_format",
     "”abc” är inget belopp i kronor: skriv t.ex. 916210 eller 916 210 kr"),
    ("", "amount_format", "”” är inget belopp i kronor: skriv t.ex. 916210 eller 916 210 kr"),
    ("12 34", "amount_format",
     "”12 34” är inget belopp i kronor: skriv t.ex. 916210 eller 916 210 kr"),
    ("1234 567", "amount_format",
     "”1234 567” är inget belopp i kronor: skriv t.ex. 916210 eller 916 210 kr"),
    ("12,345", "amount_format", "”12,345” är tvetydigt (tusentalsavgränsare eller decimaler?): "
     "skriv hela kronor med mellanslag mellan tusental, t.ex. 916 210"),
    ("12.5", "amount_ore", "”12.5” har ören: skriv hela kronor (ören redovisas inte)"),
    ("916 210,50 kr", "amount_ore",
     "”916 210,50 kr” har ören: skriv hela kronor (ören redovisas inte)"),
    ("0,01", "amount_ore", "”0,01” har ören: skriv hela kronor (ören redovisas inte)"),
])
def test_amounts_that_are_refused(cell, check, reason):
    assert rejected(parse_amount, cell) == (check, reason)


# ------------------------------------------------------------------------- integers and years

@pytest.mark.parametrize(("cell", "number"), [
    ("12", 12), (" 12 ", 12), ("0", 0), ("1 234", 1234), ("1\u00a0234\u00a0567", 1_234_567),
    ("-3", -3), ("\u22123", -3), ("\u22121 234", -1234), ("12,0", 12), ("12.00", 12),
    (7, 7), (3.0, 3), (-2.0, -2),
])
def test_integer_spellings(cell, number):
    assert parse_integer(cell) == number


@pytest.mark.parametrize(("cell", "reason"), [
    ("12,5", "”12,5” är inget heltal"), (" x ", "”x” är inget heltal"),
    ("12 34", "”12 34” är inget heltal"), ("1234 567", "”1234 567” är inget heltal"),
    ("12,05", "”12,05” är inget heltal"), ("+3", "”+3” är inget heltal"),
    (True, "”SANT” är inget heltal"), (date(2009, 1, 1), "”2009-01-01” är inget heltal"),
    (2.5, "”2.5” är inget heltal"), (INF, "”inf” är inget heltal"), (NAN, "”” är inget heltal"),
])
def test_integers_that_are_refused(cell, reason):
    assert rejected(parse_integer, cell) == ("integer_format", reason)


@pytest.mark.parametrize(("cell", "year"), [
    ("2009", 2009), (" 2010 ", 2010), ("2009.0", 2009), ("2009,00", 2009), (2011, 2011),
    (2009.0, 2009), (1000, 1000), (9999, 9999), (1000.0, 1000),
])
def test_year_spellings(cell, year):
    assert parse_year(cell) == year


@pytest.mark.parametrize(("cell", "reason"), [
    ("209", "”209” är inget årtal: skriv t.ex. 2009"),
    (" 20091 ", "”20091” är inget årtal: skriv t.ex. 2009"),
    ("2009.5", "”2009.5” är inget årtal: skriv t.ex. 2009"),
    ("år 2009", "”år 2009” är inget årtal: skriv t.ex. 2009"),
    (True, "”SANT” är inget årtal: skriv t.ex. 2009"),
    (date(2009, 1, 1), "”2009-01-01” är inget årtal: skriv t.ex. 2009"),
    (2009.5, "”2009.5” är inget årtal: skriv t.ex. 2009"),
    (INF, "”inf” är inget årtal: skriv t.ex. 2009"),
    (999, "999 är inget årtal: skriv t.ex. 2009"),
    (10000, "10000 är inget årtal: skriv t.ex. 2009"),
    (999.0, "999 är inget årtal: skriv t.ex. 2009"),
    (-2009, "-2009 är inget årtal: skriv t.ex. 2009"),
])
def test_years_that_are_refused(cell, reason):
    assert rejected(parse_year, cell) == ("year_format", reason)


# ---------------------------------------------------------------------------------- dates

@pytest.mark.parametrize(("cell", "day"), [
    ("20090901", date(2009, 9, 1)), ("2009-09-01", date(2009, 9, 1)),
    ("2009-9-1", date(2009, 9, 1)), ("2009/09/01", date(2009, 9, 1)),
    ("2009.09.01", date(2009, 9, 1)), ("2009-09-01 00:00", date(2009, 9, 1)),
    ("2009-09-01T00:00:00", date(2009, 9, 1)), (" 2009-09-01 ", date(2009, 9, 1)),
    ("1/9 2009", date(2009, 9, 1)), ("1/9-2009", date(2009, 9, 1)),
    ("30/6 2010", date(2010, 6, 30)), ("1.9.2009", date(2009, 9, 1)),
    ("31.12.2010", date(2010, 12, 31)), ("1 september 2009", date(2009, 9, 1)),
    ("1 sep. 2009", date(2009, 9, 1)), ("15  Maj  2010", date(2010, 5, 15)),
    # Excel serial numbers: day 36526 is 2000-01-01, day 40057 is 2009-09-01 (counted from
    # 1899-12-30), 47848 is 2030-12-31, the last accepted
    (40057, date(2009, 9, 1)), (40057.0, date(2009, 9, 1)), (40057.75, date(2009, 9, 1)),
    ("40057", date(2009, 9, 1)), (36526, date(2000, 1, 1)), (47848, date(2030, 12, 31)),
    (47848.99, date(2030, 12, 31)), ("36526", date(2000, 1, 1)),
    # eight-digit numbers from a workbook are compact dates
    (20090901, date(2009, 9, 1)), (20090901.0, date(2009, 9, 1)),
    (datetime(2009, 9, 1, 15, 30), date(2009, 9, 1)), (date(2010, 1, 31), date(2010, 1, 31)),
])
def test_date_spellings(cell, day):
    parsed = parse_date(cell)
    assert parsed == day and type(parsed) is date


def _not_a_date(shown: str) -> str:
    return f"”{shown}” är inget datum i ett känt format: skriv t.ex. 2009-09-01 eller 20090901"


def _number(shown: str) -> str:
    return f"”{shown}” är ett tal, inget datum: skriv t.ex. 2009-09-01"


@pytest.mark.parametrize(("cell", "check", "reason"), [
    (True, "date_format", "”SANT” är ett ja/nej-värde, inget datum"),
    (INF, "date_format", "”inf” är inget datum"),
    (NAN, "date_format", "”nan” är inget datum"),
    (Decimal("1.5"), "date_format", "”1.5” är inget datum"),
    (36525, "date_format", _number("36525")), (47849, "date_format", _number("47849")),
    (47849.0, "date_format", _number("47849")), (36525.5, "date_format", _number("36525.5")),
    ("36525", "date_format", _number("36525")), ("47849", "date_format", _number("47849")),
    (9_999_999, "date_format", _number("9999999")),
    (100_000_000, "date_format", _number("100000000")),
    (20090901.5, "date_format", _number("20090901.5")),
    (10_000_000, "date_invalid",
     "”10000000” är inget datum som finns i almanackan (dag 0, månad 0); rätta datumet"),
    (99_999_999, "date_invalid",
     "”99999999” är inget datum som finns i almanackan (dag 99, månad 99); rätta datumet"),
    ("20090231", "date_invalid",
     "”20090231” är inget datum som finns i almanackan (dag 31, månad 2); rätta datumet"),
    ("2009-13-01", "date_invalid",
     "”2009-13-01” är inget datum som finns i almanackan (dag 1, månad 13); rätta datumet"),
    ("31/4 2010", "date_invalid",
     "”31/4 2010” är inget datum som finns i almanackan (dag 31, månad 4); rätta datumet"),
    ("29.2.2009", "date_invalid",
     "”29.2.2009” är inget datum som finns i almanackan (dag 29, månad 2); rätta datumet"),
    ("30 februari 2010", "date_invalid",
     "”30 februari 2010” är inget datum som finns i almanackan (dag 30, månad 2); rätta datumet"),
    (" 3 foo 2009 ", "date_format", "”3 foo 2009”: okänt månadsnamn ”foo”"),
    ("2009-09/01", "date_format", _not_a_date("2009-09/01")),
    ("2009-09-01 12:00", "date_format", _not_a_date("2009-09-01 12:00")),
    ("1/9/2009", "date_format", _not_a_date("1/9/2009")),
    ("1.9 2009", "date_format", _not_a_date("1.9 2009")),
    ("hösten 2009", "date_format", _not_a_date("hösten 2009")),
    ("4005", "date_format", _not_a_date("4005")),
    ("400570", "date_format", _not_a_date("400570")),
    ("", "date_format", _not_a_date("")),
])
def test_dates_that_are_refused(cell, check, reason):
    assert rejected(parse_date, cell) == (check, reason)


# ------------------------------------------------------------------------- checkboxes, enums

@pytest.mark.parametrize(("cell", "ticked"), [
    (None, False), ("", False), ("  ", False), (NAN, False), (True, True), (False, False),
    (1, True), (0, False), (1.0, True), (0.0, False), (" X ", True), ("Ja", True),
    ("NEJ", False), ("-", False), ("[x]", True), ("\u2713", True),
])
def test_checkbox_values(cell, ticked):
    assert parse_checkbox(cell) is ticked


@pytest.mark.parametrize(("cell", "reason"), [
    (2, "”2” är inget kryssvärde: markera med X och lämna tomt annars"),
    (-1.0, "”-1” är inget kryssvärde: markera med X och lämna tomt annars"),
    (0.5, "”0.5” är inget kryssvärde: markera med X och lämna tomt annars"),
    (" kanske ", "”kanske” är inget kryssvärde: markera med X (eller ja/1) och lämna tomt "
     "(eller nej/0) annars"),
    (date(2009, 1, 1), "”2009-01-01” är inget kryssvärde: markera med X (eller ja/1) och lämna "
     "tomt (eller nej/0) annars"),
])
def test_checkbox_values_that_are_refused(cell, reason):
    assert rejected(parse_checkbox, cell) == ("checkbox_value", reason)


@pytest.mark.parametrize(("cell", "value"), [
    ("pågår", "pagar"), ("Pågående", "pagar"), ("  EJ   STARTAD ", "ej_startad"),
    ("ej_startad", "ej_startad"), ("Avslutad.", "avslutad"), ("klar", "avslutad"),
    ("pa\u030agår", "pagar"),  # å written as a + combining ring (NFD), as a Mac may save it
])
def test_enum_spellings(cell, value):
    assert parse_enum(field("status"), cell) == value
    assert parser_for(field("status"))(cell) == value


@pytest.mark.parametrize("cell", ["\u017ftartad", "\u0131nte startat", "pågår x", "startade"])
def test_an_enum_spelling_is_matched_by_lower_case_only_never_guessed(cell):
    # a long s (ſ) or a dotless i (ı) upper-cases to S or I: read case-blind by upper-casing,
    # "ſtartad" would pass for "startad"; it is not a listed spelling
    assert rejected(parser_for(field("status")), cell)[0] == "status_value"


def test_an_unknown_enum_value_names_the_field_and_the_forms_choices():
    assert rejected(parser_for(field("status")), " kanske ") == (
        "status_value",
        "”kanske” är inget giltigt värde för ”Status”: välj ett av ej startad, pågår, avslutad "
        "(som i mallens lista)")
    assert rejected(parser_for(field("report_type")), 2) == (
        "report_type_value",
        "”2” är inget giltigt värde för ”Redovisningen avser”: välj ett av delredovisning, "
        "slutredovisning (som i mallens lista)")


def test_form_values_fall_back_to_the_canonical_value_without_spellings():
    f = Field("grade", "Projekt", "Betyg", "", "enum", True, (2011,), (),
              values={"god": (), "mycket_god": ("mycket god", "mg")})
    assert form_values(f) == ["god", "mycket god"]
    assert parse_enum(f, "MG") == "mycket_god" and parse_enum(f, "God") == "god"


@pytest.mark.parametrize(("type_", "parse"), [
    ("county", parse_county), ("municipalities", parse_municipalities), ("text", parse_text),
    ("longtext", parse_text), ("id", parse_text), ("date", parse_date),
    ("amount", parse_amount), ("year", parse_year), ("checkbox", parse_checkbox),
    ("integer", parse_integer),
])
def test_each_field_type_has_its_parser(type_, parse):
    f = Field("x", "Projekt", "X", "", type_, True, (2011,), ())
    assert parser_for(f) is parse


# ------------------------------------------------------------- counties and municipalities

@pytest.mark.parametrize(("cell", "code"), [
    ("01", "01"), ("Stockholms län", "01"), (" Norrbotten ", "25"), (25.0, "25"),
])
def test_counties(cell, code):
    assert parse_county(cell) == code


def test_an_unknown_county_says_how_to_write_one():
    assert rejected(parse_county, " Xland ") == (
        "county_unknown",
        "okänt län ”Xland”: skriv länskoden ('01'–'25') eller länets namn, t.ex. 'Stockholms län' "
        "eller 'Stockholm' (stavningarna finns i data/reference/counties.csv)")


@pytest.mark.parametrize(("cell", "codes"), [
    ("Solna", "0184"), ("Uppsala och Solna", "0184;0380"), ("Solna OCH Uppsala", "0184;0380"),
    ("Uppsala;Solna", "0184;0380"), ("Uppsala & Solna", "0184;0380"),
    ("Uppsala\nSolna", "0184;0380"), ("Habo", "0643"), ("Håbo", "0305"),
])
def test_municipality_lists(cell, codes):
    assert parse_municipalities(cell) == codes


@pytest.mark.parametrize(("cell", "reason"), [
    ("Solna, Xby", "okänd kommun ”Xby”: skriv kommunens namn (t.ex. 'Uppsala') eller dess "
     "fyrsiffriga kommunkod; namnen finns i data/reference/municipalities.csv"),
    ("Hàbo", "kommunnamnet ”Hàbo” utan å, ä och ö passar flera kommuner: skriv namnet med sina "
     "prickar och ringar (Håbo / Habo) eller kommunkoden"),
])
def test_unknown_or_ambiguous_municipalities_are_named(cell, reason):
    assert rejected(parse_municipalities, cell) == ("municipality_unknown", reason)


def test_a_blank_municipality_cell_names_no_applicant():
    assert rejected(parse_municipalities, "  ") == ("required_missing",
                                                    "ingen sökande kommun angiven")


# -------------------------------------------------------------------------- whole columns

def _column(cells: list[object]) -> pd.Series:
    return pd.Series(cells, index=[100 + i for i in range(len(cells))], dtype=object)


def _errors(errors: dict) -> dict:
    return {label: (e.check, e.reason) for label, e in errors.items()}


MISSING_GRANT = ("required_missing", "Beviljade medel (kr) (granted_sek) måste fyllas i men är tom")


def test_a_workbook_amount_column_is_parsed_cell_by_cell_with_blanks_missing():
    cells = [1, True, 1.0, None, NAN, pd.NaT, pd.NA, "", "  ", PROBLEM, "5 tkr", "1 000", 1,
             "1 000"]
    values, errors = normalise_column(_column(cells), field("granted_sek"))
    assert values == [1, None, 1, None, None, None, None, None, None, None, None, 1000, 1, 1000]
    assert _errors(errors) == {
        101: ("amount_format", "”SANT” är ett ja/nej-värde, inte ett belopp"),
        103: MISSING_GRANT, 104: MISSING_GRANT, 105: MISSING_GRANT, 106: MISSING_GRANT,
        107: MISSING_GRANT, 108: MISSING_GRANT,
        109: ("formula_no_value", "cellen har en formel utan sparat värde"),
        110: ("amount_unit", "”5 tkr” är angivet i tusental eller miljoner: skriv hela kronor"),
    }


def test_a_csv_amount_column_is_text_only():
    values, errors = normalise_column(_column(["916 210", "", " ", "916 210", "x"]),
                                      field("granted_sek"))
    assert values == [916210, None, None, 916210, None]
    assert _errors(errors) == {
        101: MISSING_GRANT, 102: MISSING_GRANT,
        104: ("amount_format", "”x” är inget belopp i kronor: skriv t.ex. 916210 eller 916 210 kr"),
    }


def test_a_missing_id_keeps_its_blank_text_and_an_optional_blank_is_no_error():
    values, errors = normalise_column(_column(["A-1 ", "", "  "]), field("diarienummer"))
    assert values == ["A-1", "", ""]
    missing = ("required_missing", "Diarienummer (diarienummer) måste fyllas i men är tom")
    assert _errors(errors) == {101: missing, 102: missing}
    values, errors = normalise_column(_column([12.0, None]), field("diarienummer"))
    assert values == ["12", ""] and _errors(errors) == {101: missing}
    optional = Field("n", "Projekt", "N", "", "amount", False, (2011,), ())
    values, errors = normalise_column(_column(["", None, NAN, "7", 7]), optional)
    assert values == [None, None, None, 7, 7] and errors == {}


def test_a_checkbox_column_reads_blanks_as_unticked():
    cells = [True, 1, 0.0, None, "", "x", 2, PROBLEM, "  ", False, NAN]
    values, errors = normalise_column(_column(cells), field("coop_new"))
    assert values == [True, True, False, False, False, True, None, None, False, False, False]
    assert _errors(errors) == {
        106: ("checkbox_value", "”2” är inget kryssvärde: markera med X och lämna tomt annars"),
        107: ("formula_no_value", "cellen har en formel utan sparat värde"),
    }
    values, errors = normalise_column(_column(["X", "", "nej", "kanske"]), field("coop_new"))
    assert values == [True, False, False, None] and list(errors) == [103]


def test_a_free_text_column_keeps_text_and_refuses_only_cell_problems():
    values, errors = normalise_column(_column([" Polisen ", 3.0, None, PROBLEM, True]),
                                      field("goal_text"))
    assert values == ["Polisen", "3", "", None, "SANT"]
    assert _errors(errors) == {103: ("formula_no_value", "cellen har en formel utan sparat värde")}


def test_a_blank_required_text_is_missing_and_an_optional_one_is_empty_text():
    cells = [" Projekt X ", "", "  ", None, NAN, 12.0]
    values, errors = normalise_column(_column(cells), field("title"))  # required
    assert values == ["Projekt X", "", "", "", "", "12"]
    missing = ("required_missing", "Projektnamn (title) måste fyllas i men är tom")
    assert _errors(errors) == {101: missing, 102: missing, 103: missing, 104: missing}
    values, errors = normalise_column(_column(cells), field("coop_other_text"))  # optional
    assert values == ["Projekt X", "", "", "", "", "12"] and errors == {}


def test_a_date_column_of_workbook_cells():
    cells = [datetime(2009, 9, 1), "2009-09-01", 40057, 20090901, None, "1/9"]
    values, errors = normalise_column(_column(cells), field("period_start"))
    assert values == [date(2009, 9, 1)] * 4 + [None, None]
    assert _errors(errors) == {
        104: ("required_missing", "Rapportperiod från (period_start) måste fyllas i men är tom"),
        105: ("date_format", _not_a_date("1/9")),
    }
