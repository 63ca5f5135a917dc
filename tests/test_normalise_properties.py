"""Property tests for the normalisers: a value rendered in any accepted spelling parses back to
itself; garbage is rejected with a reason, never read as some other valid value."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from samverkan.intake.codebook import Field, fields, raw_codebook
from samverkan.intake.normalise import (
    CellProblem,
    InvalidValue,
    normalise_column,
    parse_amount,
    parse_checkbox,
    parse_date,
    parse_municipalities,
)

settings.register_profile("samverkan", max_examples=300, deadline=None)
settings.load_profile("samverkan")

SPACES = [" ", "\u00a0", "\u202f", "\u2009"]
CURRENCY_SUFFIXES = ["", " kr", "kr", " kr.", " SEK", " sek", ":-", " :-", ",-", " kronor"]
ZERO_ORE = ["", ",00", ",0", ".00", ".0"]


def grouped(n: int, sep: str) -> str:
    digits = str(n)
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return sep.join(groups)


@st.composite
def amount_spelling(draw: st.DrawFn) -> tuple[int, object]:
    n = draw(st.integers(min_value=0, max_value=10**9))
    kind = draw(st.sampled_from(["text", "int", "float"]))
    if kind == "int":
        return n, n
    if kind == "float":
        return n, float(n)
    body = grouped(n, draw(st.sampled_from(SPACES))) if draw(st.booleans()) else str(n)
    text = body + draw(st.sampled_from(ZERO_ORE)) + draw(st.sampled_from(CURRENCY_SUFFIXES))
    pad = draw(st.sampled_from(["", " ", "  ", "\t"]))
    return n, pad + text + pad


@given(amount_spelling())
@example((916210, "916 210 kr"))
@example((916210, "916\u00a0210 kr"))
@example((916210, "916210,00"))
def test_any_amount_spelling_parses_to_its_value(case):
    value, spelling = case
    assert parse_amount(spelling) == value


@st.composite
def broken_amount(draw: st.DrawFn) -> str:
    n = draw(st.integers(min_value=1000, max_value=10**8))
    body = grouped(n, " ")
    how = draw(st.sampled_from(["letter", "ore", "two_decimals", "bad_group", "thousands"]))
    if how == "letter":
        i = draw(st.integers(min_value=1, max_value=len(body) - 1))
        return body[:i] + draw(st.sampled_from("oOlIxabc")) + body[i:]
    if how == "ore":
        return f"{body},{draw(st.integers(min_value=1, max_value=99)):02d}"
    if how == "two_decimals":
        return f"{body},00,00"
    if how == "bad_group":
        digits = str(n)
        return digits[:-2] + " " + digits[-2:]
    return f"{n // 1000} tkr"


@given(broken_amount())
@example("916 210,50")
@example("1.500")
@example("1,500")
@example("kanske")
def test_broken_amounts_are_rejected_with_a_reason(text):
    with pytest.raises(InvalidValue) as error:
        parse_amount(text)
    assert error.value.reason and error.value.check.startswith("amount")


@given(st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: not x.is_integer()))
def test_amounts_with_ore_from_workbooks_are_rejected(number):
    with pytest.raises(InvalidValue):
        parse_amount(number)


@given(st.text(max_size=20))
@example("00 000")
@example("-0")
@example("916210")
@example(" 42 ")
@example("\U0001fbf0")  # SEGMENTED DIGIT ZERO: a digit to Python, not a spelling of 0
def test_arbitrary_text_is_rejected_or_read_from_its_own_digits(text):
    try:
        value = parse_amount(text)
    except InvalidValue:
        # a parser that rejected everything would pass here: plain digits must be read
        assert not re.fullmatch(r"\s*[1-9][0-9]{0,8}\s*", text), f"{text!r} was rejected"
        return
    digits = re.sub(r"\D", "", text)
    # every digit of the text is the amount's, or zero öre after it
    assert digits.lstrip("0") in {str(abs(value)).lstrip("0") + z for z in ("", "0", "00")} or (
        value == 0 and set(digits) == {"0"}
    )


# ------------------------------------------------------------------------------------- dates

SWEDISH_MONTHS = dict(enumerate(
    ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
     "oktober", "november", "december"], start=1))


@st.composite
def date_spelling(draw: st.DrawFn) -> tuple[date, object]:
    d = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)))
    forms = [
        d.isoformat(), d.strftime("%Y%m%d"), f"{d.year}/{d.month:02d}/{d.day:02d}",
        f"{d.year}.{d.month}.{d.day}", f"{d.day}/{d.month} {d.year}",
        f"{d.day}/{d.month}-{d.year}",
        f"{d.day}.{d.month}.{d.year}", f"{d.day} {SWEDISH_MONTHS[d.month]} {d.year}",
        f"{d.day} {SWEDISH_MONTHS[d.month][:3]} {d.year}", f"{d.isoformat()} 00:00:00",
        d, datetime(d.year, d.month, d.day), datetime(d.year, d.month, d.day, 13, 45),
        float((d - date(1899, 12, 30)).days), (d - date(1899, 12, 30)).days,
        float(d.strftime("%Y%m%d")),
    ]
    return d, draw(st.sampled_from(forms))


@given(date_spelling())
@example((date(2009, 9, 1), "20090901"))
@example((date(2009, 9, 1), "1/9 2009"))
@example((date(2009, 9, 1), 40057))
def test_any_date_spelling_parses_to_its_value(case):
    value, spelling = case
    assert parse_date(spelling) == value


@st.composite
def impossible_date(draw: st.DrawFn) -> str:
    year = draw(st.integers(min_value=2000, max_value=2030))
    month = draw(st.integers(min_value=1, max_value=12))
    last = ((date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)).day
    day = draw(st.integers(min_value=last + 1, max_value=39))
    if draw(st.booleans()):
        month, day = draw(st.integers(min_value=13, max_value=99)), 1
    form = draw(st.sampled_from(["iso", "compact", "dmy", "dotted"]))
    return {"iso": f"{year}-{month:02d}-{day:02d}", "compact": f"{year}{month:02d}{day:02d}",
            "dmy": f"{day}/{month} {year}", "dotted": f"{day}.{month}.{year}"}[form]


@given(impossible_date())
@example("31/2 2009")
@example("20090231")
def test_impossible_dates_are_rejected(text):
    with pytest.raises(InvalidValue) as error:
        parse_date(text)
    assert error.value.check in {"date_invalid", "date_format"}


@given(st.text(max_size=20))
@example("09/01/2009")
@example("1/9 09")
@example("2009")
@example("2009-09-01")
@example("15 sept 2009")
@example("\U0001fbf2\U0001fbf0\U0001fbf0\U0001fbf9\U0001fbf0\U0001fbf9\U0001fbf0\U0001fbf1")
def test_arbitrary_text_is_rejected_or_a_date_it_spells(text):
    try:
        value = parse_date(text)
    except InvalidValue:
        # a parser that rejected everything would pass here: an ISO date that exists is read
        if m := re.fullmatch(r"\s*(20[0-2]\d)-(\d\d)-(\d\d)\s*", text):
            with pytest.raises(ValueError):
                date(int(m[1]), int(m[2]), int(m[3]))
        return
    digits = re.sub(r"\D", "", text)
    if len(digits) == 5:  # an Excel serial number written as text
        assert value == date(1899, 12, 30) + timedelta(days=int(digits))
    else:
        assert str(value.year) in text and str(value.day) in text


MONTH_SPELLINGS = [
    ("januari", 1), ("jan", 1), ("februari", 2), ("feb", 2), ("mars", 3), ("mar", 3),
    ("april", 4), ("apr", 4), ("maj", 5), ("juni", 6), ("jun", 6), ("juli", 7), ("jul", 7),
    ("augusti", 8), ("aug", 8), ("september", 9), ("sep", 9), ("sept", 9), ("oktober", 10),
    ("okt", 10), ("november", 11), ("nov", 11), ("december", 12), ("dec", 12),
]
"""Every month name and abbreviation the date reader accepts (the module docstring's "1
september 2009" / "1 sep 2009"), with its month number written out by hand."""


@pytest.mark.parametrize(("name", "month"), MONTH_SPELLINGS)
def test_every_month_name_and_abbreviation_is_its_month(name, month):
    assert parse_date(f"3 {name} 2009") == date(2009, month, 3)
    assert parse_date(f"3 {name.upper()}. 2010") == date(2010, month, 3)


@pytest.mark.parametrize("name", ["sepember", "oct", "may", "mrs", "juli2"])
def test_unknown_month_names_are_rejected_naming_the_month(name):
    with pytest.raises(InvalidValue) as error:
        parse_date(f"3 {name} 2009")
    assert error.value.check == "date_format"


@pytest.mark.parametrize("ambiguous", ["09/01/2009", "01-09-2009", "1/9/09", "2009", "sep 2009"])
def test_ambiguous_or_partial_dates_are_rejected(ambiguous):
    with pytest.raises(InvalidValue):
        parse_date(ambiguous)


# -------------------------------------------------------------------------------- checkboxes

VOCABULARY = raw_codebook()["checkbox"]


@st.composite
def checkbox_spelling(draw: st.DrawFn) -> tuple[bool, object]:
    value = draw(st.booleans())
    spelling = str(draw(st.sampled_from(VOCABULARY[value])))
    spelling = draw(st.sampled_from([spelling, spelling.upper(), spelling.title()]))
    pad = draw(st.sampled_from(["", " ", "\u00a0", "  "]))
    return value, pad + spelling + pad


@given(checkbox_spelling())
def test_any_checkbox_spelling_parses_to_its_value(case):
    value, spelling = case
    assert parse_checkbox(spelling) is value


@given(st.one_of(st.booleans(), st.sampled_from([0, 1, 0.0, 1.0])))
def test_workbook_checkbox_values(value):
    assert parse_checkbox(value) is bool(value)


ALL_SPELLINGS = {str(s).strip().lower() for v in (True, False) for s in VOCABULARY[v]}


@given(st.text(max_size=12))
@example("kanske")
@example("2")
@example("xx")
@example("[ x ]")
def test_checkbox_garbage_is_rejected(text):
    assume(text.strip().lower() not in ALL_SPELLINGS)
    with pytest.raises(InvalidValue) as error:
        parse_checkbox(text)
    assert error.value.check == "checkbox_value"


@pytest.mark.parametrize("number", [2, -1, 0.5, 10])
def test_checkbox_numbers_other_than_one_and_zero_are_rejected(number):
    with pytest.raises(InvalidValue):
        parse_checkbox(number)


# ------------------------------------------------------------- free text and municipality lists

def _field(name: str) -> Field:
    return next(f for f in fields("Projekt") if f.name == name)


def test_a_free_text_column_keeps_numbers_dates_and_blanks_as_the_sheet_shows_them():
    cells = pd.Series(["  Polisen ", 2009, 12.0, 2.5, datetime(2009, 9, 1), None, True,
                       CellProblem("formula_no_value", "formel utan värde")],
                      index=[10, 11, 12, 13, 14, 15, 16, 17], dtype=object)
    for name in ("coop_other_text", "goal_text"):  # text and longtext
        values, errors = normalise_column(cells, _field(name))
        assert values == ["Polisen", "2009", "12", "2.5", "2009-09-01", "", "SANT", None]
        assert list(errors) == [17]
        assert (errors[17].check, errors[17].reason) == ("formula_no_value", "formel utan värde")


@pytest.mark.parametrize(("cell", "codes"), [
    ("Solna,", "0184"),
    (",Solna", "0184"),
    ("Solna, , Sundbyberg", "0183;0184"),
    ("Sundbyberg och Solna;", "0183;0184"),
    ("Solna & Solna", "0184"),
])
def test_empty_parts_of_a_municipality_list_are_skipped(cell, codes):
    assert parse_municipalities(cell) == codes


@pytest.mark.parametrize("cell", [",", " ; ", ", &"])
def test_a_municipality_list_without_a_name_is_missing(cell):
    with pytest.raises(InvalidValue) as error:
        parse_municipalities(cell)
    assert error.value.check == "required_missing"
