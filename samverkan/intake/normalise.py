"""Value normalisers: one raw cell (text from a CSV, or a number, date or bool from a workbook) to
one typed value, or :class:`InvalidValue` with a reason. Never a guess: a spelling that is not
listed here is rejected, so a parsed value is always the value the county meant.

Accepted spellings (anything else raises :class:`InvalidValue`):

* amount: whole kronor, ``916210``, ``916 210`` (space, no-break or thin space between groups of
  three), ``916 210 kr``, ``916210 SEK``, ``916 210:-``, ``916210,00`` / ``916210.00`` (öre other
  than zero are rejected); workbook numbers that are whole kronor. A sign is parsed (validation
  rejects negative amounts with its own reason).
* date: ``20090901``, ``2009-09-01`` (also with ``/`` or ``.``, and a midnight time),
  ``1/9 2009``, ``1/9-2009``, ``1.9.2009``, ``1 september 2009`` / ``1 sep 2009``, workbook
  dates and datetimes, Excel serial numbers (2000–2030).
* checkbox: the codebook vocabulary (``checkbox:`` in codebook.yaml), workbook booleans, 1 and 0.
* enum: the field's canonical values and the spellings listed in the codebook.

Digits are the ASCII 0–9: a digit of another script (``١٢``, fullwidth ``１２``, the segmented
``🯰``) is no listed spelling and is rejected, never read as a number.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Hashable
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

import pandas as pd

from samverkan import registry
from samverkan.intake.codebook import Field, checkbox_vocabulary


class InvalidValue(ValueError):
    """A cell that cannot be read as its field's type; ``check`` names the rule it broke."""

    def __init__(self, check: str, reason: str) -> None:
        super().__init__(reason)
        self.check = check
        self.reason = reason


class CellProblem:
    """A cell the reader could not take a value from (e.g. a formula without a stored value, or
    a spreadsheet error value); ``shown`` is what the cell shows, for the rejects table."""

    __slots__ = ("check", "reason", "shown")

    def __init__(self, check: str, reason: str, shown: str = "") -> None:
        self.check = check
        self.reason = reason
        self.shown = shown

    def __repr__(self) -> str:
        return f"CellProblem({self.check!r})"

    def __str__(self) -> str:
        return self.shown


ERROR_VALUES: dict[str, str] = {
    "#N/A": "värdet saknas, t.ex. en LETARAD som inte hittade något",
    "#REF!": "formeln hänvisar till en cell som inte finns längre",
    "#DIV/0!": "division med noll",
    "#VALUE!": "fel sorts värde i formeln",
    "#NAME?": "okänt namn eller okänd funktion i formeln",
    "#NUM!": "ogiltigt tal i formeln",
    "#NULL!": "områden i formeln som inte möts",
    "#SPILL!": "formelns resultat får inte plats",
    "#CALC!": "formeln kan inte räknas ut",
    "#GETTING_DATA": "värdet hämtas fortfarande",
}
"""Excel's error values and what each means, in Swedish."""
_LOCALISED_ERRORS: dict[str, str] = {
    "#SAKNAS!": "#N/A", "#SAKNAS": "#N/A", "#N/A!": "#N/A", "#REFERENS!": "#REF!",
    "#DIVISION/0!": "#DIV/0!", "#VÄRDEFEL!": "#VALUE!", "#NAMN?": "#NAME?",
    "#OGILTIGT!": "#NUM!", "#SKÄRNING!": "#NULL!",
}
"""The same error values as a Swedish Excel shows (and saves to CSV) them."""
_LIBREOFFICE_ERROR = re.compile(r"Err:\d{3}")


def error_value(cell: object) -> str | None:
    """The spreadsheet error value a cell holds (``#N/A``, a Swedish ``#SAKNAS!``, LibreOffice's
    ``Err:502``), as written; None for any other cell."""
    if cell.__class__ is not str or not cell or cell.lstrip()[:1] not in {"#", "E"}:
        return None
    text = cell.strip()
    upper = text.upper()
    if upper in ERROR_VALUES or upper in _LOCALISED_ERRORS or _LIBREOFFICE_ERROR.fullmatch(text):
        return text
    return None


def error_cell(value: str, where: str) -> CellProblem:
    """The problem of a cell that holds the spreadsheet error ``value``; ``where``: ``F12``."""
    code = _LOCALISED_ERRORS.get(value.upper(), value.upper())
    meaning = ERROR_VALUES.get(code, "ett fel i en formel")
    return CellProblem(
        "spreadsheet_error",
        f"cellen {where} innehåller felvärdet {value!r} ({meaning}): det är ett fel i "
        "kalkylbladet, inget värde. Rätta formeln eller skriv in värdet, och spara filen igen",
        value,
    )


def invisible_characters(text: str) -> list[str]:
    """The invisible format characters in ``text`` (zero-width space, soft hyphen, word joiner,
    byte order mark, direction marks …: Unicode category Cf), in order."""
    return [c for c in text if unicodedata.category(c) == "Cf"]


def character_name(char: str) -> str:
    """``U+200B (ZERO WIDTH SPACE)``."""
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'okänt tecken')})"


def is_blank(value: object) -> bool:
    """None, NaN, NaT or a string of whitespace only."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    return value is pd.NaT or value is pd.NA


def _problem(value: object) -> None:
    if isinstance(value, CellProblem):
        raise InvalidValue(value.check, value.reason)


def raw_text(value: object) -> str:
    """A cell as the text a spreadsheet shows: whole numbers without ``.0``, dates ISO."""
    if isinstance(value, CellProblem):
        return value.shown
    if is_blank(value):
        return ""
    if isinstance(value, bool):
        return "SANT" if value else "FALSKT"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


# ------------------------------------------------------------------------------------- amounts

_SPACES = " \u00a0\u202f\u2009"
_CURRENCY = re.compile(r"^(?:sek|kr\.?)\s*|\s*(?:kr\.?|kronor|sek|:-|,-)$", re.IGNORECASE)
_THOUSANDS = re.compile(r"^(?:tkr|mkr|mnkr|ksek|msek)$|\s(?:tkr|mkr|mnkr)$", re.IGNORECASE)
_AMOUNT = re.compile(
    rf"^(?P<sign>[-−–+]?)(?P<whole>[0-9]{{1,3}}(?:[{_SPACES}][0-9]{{3}})+|[0-9]+)(?:[,.](?P<frac>[0-9]{{1,2}}))?$"
)
_AMBIGUOUS = re.compile(r"^[-−–+]?[0-9]{1,3}(?:[.,][0-9]{3})+$")
MAX_AMOUNT = 10**10
"""Larger figures are not kronor in this programme (the whole grant was about 26 million)."""


def parse_amount(value: object) -> int:
    """Whole kronor from a cell; see the module docstring for the accepted spellings."""
    _problem(value)
    if isinstance(value, bool):
        raise InvalidValue("amount_format",
                           f"”{raw_text(value)}” är ett ja/nej-värde, inte ett belopp")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidValue("amount_format", f"”{value}” är inget belopp")
        if not value.is_integer():
            raise InvalidValue(
                "amount_ore",
                f"{raw_text(value)} har ören: skriv hela kronor (ören redovisas inte)",
            )
        number = int(value)
    elif isinstance(value, str):
        number = _parse_amount_text(value)
    else:
        raise InvalidValue("amount_format", f"”{raw_text(value)}” är inget belopp")
    if abs(number) >= MAX_AMOUNT:
        raise InvalidValue("amount_range",
                           f"{number} kr är inget rimligt belopp; skriv beloppet i hela kronor")
    return number


def _parse_amount_text(text: str) -> int:
    s = unicodedata.normalize("NFC", text).strip()
    if _THOUSANDS.search(s):
        raise InvalidValue(
            "amount_unit",
            f"”{text.strip()}” är angivet i tusental eller miljoner: skriv hela kronor",
        )
    previous = None
    while previous != s:
        previous, s = s, _CURRENCY.sub("", s).strip()
    if _AMBIGUOUS.match(s):
        raise InvalidValue(
            "amount_format",
            f"”{text.strip()}” är tvetydigt (tusentalsavgränsare eller decimaler?): skriv hela "
            "kronor med mellanslag mellan tusental, t.ex. 916 210",
        )
    match = _AMOUNT.match(s)
    if not match:
        raise InvalidValue(
            "amount_format",
            f"”{text.strip()}” är inget belopp i kronor: skriv t.ex. 916210 eller 916 210 kr",
        )
    frac = match["frac"]
    if frac and int(frac) != 0:
        raise InvalidValue(
            "amount_ore", f"”{text.strip()}” har ören: skriv hela kronor (ören redovisas inte)"
        )
    number = int(re.sub(f"[{_SPACES}]", "", match["whole"]))
    return -number if match["sign"] in {"-", "−", "–"} else number


def parse_integer(value: object) -> int:
    """A count (e.g. number of projects): a whole number, no unit."""
    _problem(value)
    if isinstance(value, str):
        s = value.strip()
        if not re.fullmatch(rf"[-−]?[0-9]{{1,3}}(?:[{_SPACES}][0-9]{{3}})+"
                            r"|[-−]?[0-9]+(?:[,.]0+)?", s):
            raise InvalidValue("integer_format", f"”{s}” är inget heltal")
        s = re.sub(f"[{_SPACES}]", "", s).replace("−", "-")
        return int(re.sub(r"[,.]0+$", "", s))
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidValue("integer_format", f"”{raw_text(value)}” är inget heltal")
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        raise InvalidValue("integer_format", f"”{raw_text(value)}” är inget heltal")
    return int(value)


def parse_year(value: object) -> int:
    """A four-digit year (range checks are validation's)."""
    _problem(value)
    if isinstance(value, str):
        s = value.strip()
        if not re.fullmatch(r"[0-9]{4}(?:[,.]0+)?", s):
            raise InvalidValue("year_format", f"”{s}” är inget årtal: skriv t.ex. 2009")
        return int(s[:4])
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidValue("year_format", f"”{raw_text(value)}” är inget årtal: skriv t.ex. 2009")
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        raise InvalidValue("year_format", f"”{raw_text(value)}” är inget årtal: skriv t.ex. 2009")
    if not 1000 <= value <= 9999:
        raise InvalidValue("year_format", f"{int(value)} är inget årtal: skriv t.ex. 2009")
    return int(value)


# --------------------------------------------------------------------------------------- dates

MONTHS: dict[str, int] = {
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "okt": 10, "nov": 11, "dec": 12,
}
_EXCEL_EPOCH = date(1899, 12, 30)
SERIAL_RANGE = (36526, 47848)
"""Excel serial numbers accepted as dates: 2000-01-01 to 2030-12-31."""

_YMD = re.compile(r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})(?:[ T]00:00(?::00)?)?")
_COMPACT = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_DMY = re.compile(r"([0-9]{1,2})/([0-9]{1,2})[ -]([0-9]{4})|([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_NAMED = re.compile(r"([0-9]{1,2})\s+([a-zåäö]+)\.?\s+([0-9]{4})", re.IGNORECASE)


def _make_date(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidValue(
            "date_invalid", f"”{text}” är inget datum som finns i almanackan (dag {day}, månad "
            f"{month}); rätta datumet"
        ) from None


def _from_serial(number: float) -> date:
    if not SERIAL_RANGE[0] <= number < SERIAL_RANGE[1] + 1:
        raise InvalidValue(
            "date_format", f"”{raw_text(number)}” är ett tal, inget datum: skriv t.ex. 2009-09-01"
        )
    return _EXCEL_EPOCH + timedelta(days=math.floor(number))


def parse_date(value: object) -> date:
    """A calendar date from a cell; see the module docstring for the accepted spellings."""
    _problem(value)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise InvalidValue("date_format", f"”{raw_text(value)}” är ett ja/nej-värde, inget datum")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise InvalidValue("date_format", f"”{value}” är inget datum")
        if float(value).is_integer() and 10_000_000 <= value <= 99_999_999:
            return parse_date(str(int(value)))
        return _from_serial(value)
    if not isinstance(value, str):
        raise InvalidValue("date_format", f"”{raw_text(value)}” är inget datum")
    text = value.strip()
    if m := _COMPACT.fullmatch(text):
        return _make_date(int(m[1]), int(m[2]), int(m[3]), text)
    if m := _YMD.fullmatch(text):
        return _make_date(int(m[1]), int(m[3]), int(m[4]), text)
    if m := _DMY.fullmatch(text):
        day, month, year = (m[1], m[2], m[3]) if m[1] else (m[4], m[5], m[6])
        return _make_date(int(year), int(month), int(day), text)
    if m := _NAMED.fullmatch(text):
        month = MONTHS.get(m[2].lower())
        if month is None:
            raise InvalidValue("date_format", f"”{text}”: okänt månadsnamn ”{m[2]}”")
        return _make_date(int(m[3]), month, int(m[1]), text)
    if re.fullmatch(r"[0-9]{5}", text):
        return _from_serial(int(text))
    raise InvalidValue(
        "date_format",
        f"”{text}” är inget datum i ett känt format: skriv t.ex. 2009-09-01 eller 20090901",
    )


# ----------------------------------------------------------------------- checkboxes and enums


def parse_checkbox(value: object) -> bool:
    """True/False from the codebook's checkbox vocabulary; blank is False."""
    _problem(value)
    if is_blank(value):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise InvalidValue("checkbox_value", f"”{raw_text(value)}” är inget kryssvärde: "
                           "markera med X och lämna tomt annars")
    if isinstance(value, str):
        found = checkbox_vocabulary().get(value.strip().lower())
        if found is not None:
            return found
    raise InvalidValue(
        "checkbox_value",
        f"”{raw_text(value)}” är inget kryssvärde: markera med X (eller ja/1) och lämna tomt "
        "(eller nej/0) annars",
    )


def enum_key(text: str) -> str:
    return re.sub(r"[\s_]+", " ", unicodedata.normalize("NFC", text).strip().lower()).rstrip(".")


def enum_index(f: Field) -> dict[str, str]:
    """Normalised spelling → canonical value of an enum field."""
    index: dict[str, str] = {}
    for canonical, spellings in f.values.items():
        for spelling in (canonical, *spellings):
            index[enum_key(spelling)] = canonical
    return index


def parse_enum(f: Field, value: object) -> str:
    """The canonical value of an enum field."""
    _problem(value)
    found = enum_index(f).get(enum_key(raw_text(value)))
    if found is None:
        raise InvalidValue(
            f"{f.name}_value",
            f"”{raw_text(value)}” är inget giltigt värde för ”{f.label}”: välj ett av "
            f"{', '.join(form_values(f))} (som i mallens lista)",
        )
    return found


def form_values(f: Field) -> list[str]:
    """An enum field's values in the form's words (``ej startad``, ``pågår``, ``avslutad``):
    the first spelling of each value, as the template's dropdown offers them."""
    return [spellings[0] if spellings else value for value, spellings in f.values.items()]


# ----------------------------------------------------------------- counties and municipalities


def parse_county(value: object) -> str:
    """The länskod ("01") of a county name or code."""
    _problem(value)
    try:
        return registry.county_code(raw_text(value))
    except registry.UnknownCountyError:
        raise InvalidValue(
            "county_unknown",
            f"okänt län ”{raw_text(value)}”: skriv länskoden ('01'–'25') eller länets namn, "
            "t.ex. 'Stockholms län' eller 'Stockholm' (stavningarna finns i "
            "data/reference/counties.csv)",
        ) from None


_MUNICIPALITY_SPLIT = re.compile(r"\s*(?:[,;&\n]|\s+och\s+)\s*", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _municipality(name: str) -> str:
    return registry.municipality_code(name)


def parse_municipalities(value: object) -> str:
    """Kommunkoder of one or more municipalities (separated by , ; & or "och"), unique and
    sorted, joined by ";"."""
    _problem(value)
    codes = set()
    for part in _MUNICIPALITY_SPLIT.split(raw_text(value)):
        if not part:
            continue
        try:
            codes.add(_municipality(part))
        except registry.UnknownMunicipalityError as error:
            if str(error).startswith("Ambiguous"):
                reason = (f"kommunnamnet ”{part}” utan å, ä och ö passar flera kommuner: skriv "
                          "namnet med sina prickar och ringar (Håbo / Habo) eller kommunkoden")
            else:
                reason = (f"okänd kommun ”{part}”: skriv kommunens namn (t.ex. 'Uppsala') eller "
                          "dess fyrsiffriga kommunkod; namnen finns i "
                          "data/reference/municipalities.csv")
            raise InvalidValue("municipality_unknown", reason) from None
    if not codes:
        raise InvalidValue("required_missing", "ingen sökande kommun angiven")
    return ";".join(sorted(codes))


def parse_text(value: object) -> str:
    """Text as the spreadsheet shows it, whitespace stripped; blank is ""."""
    _problem(value)
    return raw_text(value)


PARSERS: dict[str, Callable[[object], Any]] = {
    "county": parse_county,
    "municipalities": parse_municipalities,
    "text": parse_text,
    "longtext": parse_text,
    "id": parse_text,
    "date": parse_date,
    "amount": parse_amount,
    "year": parse_year,
    "checkbox": parse_checkbox,
    "integer": parse_integer,
}


def parser_for(f: Field) -> Callable[[object], Any]:
    """The normaliser of a codebook field."""
    if f.type == "enum":
        return lambda value: parse_enum(f, value)
    return PARSERS[f.type]


_BLANK = object()


def _cache_key(value: object) -> Hashable:
    """The cache key of a cell: text is its own key (blank text is judged by the caller), an
    empty cell (None, NaN, NaT, NA) is :data:`_BLANK`, and any other value is keyed with its
    type (1 == 1.0 == True, but a bool must not borrow a number's result)."""
    cls = value.__class__
    if cls is str:
        return value
    if value is None or (cls is float and value != value) or value is pd.NaT or value is pd.NA:
        return _BLANK
    return (cls, value)


def normalise_column(
    values: pd.Series, f: Field
) -> tuple[list[Any], dict[Hashable, InvalidValue]]:
    """Parse a column of raw cells: the typed values (None where blank or invalid) and the
    errors by index label. Blank cells are None except for checkboxes (False) and text (""); a
    blank required cell is an error. Each distinct cell value is parsed once."""
    parse = parser_for(f)
    blank_value = parse("") if f.type in {"checkbox", "id"} else None  # free text: see below
    labels = values.index.tolist()
    cells = values.tolist()
    out: list[Any] = []
    errors: dict[Hashable, InvalidValue] = {}
    missing = InvalidValue("required_missing", f"{f.label} ({f.name}) måste fyllas i men är tom")
    if f.type in {"text", "longtext"}:
        # free text cannot be invalid, only missing: a fast path without the cache
        for label, value in zip(labels, cells, strict=True):
            if isinstance(value, CellProblem):
                errors[label] = InvalidValue(value.check, value.reason)
                out.append(None)
                continue
            text = value.strip() if value.__class__ is str else raw_text(value)
            if f.required and not text:
                errors[label] = missing
            out.append(text)
        return out, errors
    if all(c.__class__ is str for c in cells):  # a CSV column: the text is the key
        keys: list[Hashable] = cells
        representative: dict[Hashable, object] = dict.fromkeys(cells)
        representative = {k: k for k in representative}
    else:
        keys = [_cache_key(c) for c in cells]
        representative = dict(zip(keys, cells, strict=True))
    cache: dict[Hashable, Any] = {}
    for key, value in representative.items():
        if key is _BLANK or (value.__class__ is str and (not value or value.isspace())):
            result: Any = missing if f.required else blank_value
        elif isinstance(value, CellProblem):
            result = InvalidValue(value.check, value.reason)
        else:
            try:
                result = parse(value)
            except InvalidValue as error:
                result = error
        cache[key] = result
    out = [cache[k] for k in keys]
    for i in [i for i, r in enumerate(out) if r.__class__ is InvalidValue]:
        errors[labels[i]] = out[i]
        out[i] = blank_value if out[i] is missing else None
    return out, errors


