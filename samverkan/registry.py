"""The county and municipality registry: one source of truth for SCB codes, names and population.

Facts live in ``data/reference/counties.csv`` and ``data/reference/municipalities.csv`` (see
``data/reference/README.md``); this module only reads them. Every lookup is case-, whitespace- and
diacritics-insensitive, and an unknown name raises an error that says what was given and how to
fix it.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from samverkan.paths import reference_dir

if TYPE_CHECKING:  # pandas is imported where a table is read: county codes need none
    import pandas as pd

POPULATION_YEARS: tuple[int, ...] = (2009, 2010)
"""Years (population on 31 December) held in data/reference/population_*.csv."""

_COUNTY_FORMS = {"official": "name", "short": "short_name", "board": "board_name"}

# Spellings a county board may use for a municipality that are not "<name>", "<name> kommun" or
# "<name>s stad/kommun" (SCB's short name is the key): Falu kommun is Falun, Region Gotland is
# Gotland's municipality.
_MUNICIPALITY_ALIASES = {"Falu": "2080", "Region Gotland": "0980", "Gotlands": "0980"}


class UnknownCountyError(ValueError):
    """A county name or code that the registry does not know."""


class UnknownMunicipalityError(ValueError):
    """A municipality name or code that the registry does not know."""


# --------------------------------------------------------------------------------- normalising


def fold(text: str) -> str:
    """Lower case, accents removed (å→a, ä→a, ö→o), hyphens and dots as spaces, one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = re.sub(r"[-.,:;_]", " ", plain)
    return re.sub(r"\s+", " ", plain).strip()


def _key_exact(text: str) -> str:
    """Lower case, hyphens as spaces, one space; accents kept (Håbo and Habo differ)."""
    plain = re.sub(r"[-.,:;_]", " ", unicodedata.normalize("NFC", text).casefold())
    return re.sub(r"\s+", " ", plain).strip()


def _refuse_path_like(kind: str, given: object, error: type[ValueError]) -> str:
    """The input as a stripped string; a path-like or control-character input is refused."""
    text = str(given).strip()
    if not text:
        raise error(f"Empty {kind} name: give an SCB code or a {kind} name.")
    if "/" in text or "\\" in text or ".." in text or any(ord(ch) < 32 for ch in text):
        raise error(
            f"Refusing {kind} {given!r}: it looks like a path or holds control characters. "
            f"Give an SCB code or a {kind} name, not a file name."
        )
    return text


# ------------------------------------------------------------------------------------ counties


@cache
def counties() -> pd.DataFrame:
    """The 21 counties, indexed by ``lan_code`` ("01".."25"), sorted, with their population on
    31 December of each of :data:`POPULATION_YEARS` (``population_2009``, ``population_2010``)."""
    import pandas as pd

    path = reference_dir() / "counties.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    population = pd.read_csv(reference_dir() / "population_counties.csv", dtype={"lan_code": str})
    return frame.merge(population, on="lan_code", how="left", validate="1:1") \
        .set_index("lan_code").sort_index()


@cache
def county_codes() -> tuple[str, ...]:
    """The county codes, sorted ("01", "03", …, "25"), read without pandas (the runner's
    no-change path asks for them)."""
    with open(reference_dir() / "counties.csv", encoding="utf-8", newline="") as fh:
        return tuple(sorted(row["lan_code"] for row in csv.DictReader(fh)))


def _county_name_keys(row: pd.Series) -> set[str]:
    """Every folded spelling that names this county."""
    names = [row["name"], row["short_name"], row["board_name"]]
    names += [v for v in row["variants"].split("|") if v.strip()]
    return {fold(name) for name in names}


@cache
def _county_index() -> dict[str, str]:
    """Folded spelling → code; a spelling claimed by two counties is a data error."""
    index: dict[str, str] = {}
    for code, row in counties().iterrows():
        for key in _county_name_keys(row):
            if index.get(key, code) != code:
                raise ValueError(
                    f"counties.csv: spelling {key!r} names both {index[key]} and {code}; "
                    "remove it from one row's variants."
                )
            index[key] = code
    return index


def _county_candidates(folded: str) -> list[str]:
    """The folded input with board prefixes and "län"/"s län" suffixes taken off."""
    candidates = [folded]
    stripped = re.sub(r"^(lansstyrelsen|lanstyrelsen|lansstyrelse|lanstyrelse)( i)? ", "", folded)
    candidates.append(stripped)
    for text in list(candidates):
        without_lan = re.sub(r" (lan|county)$", "", text)
        candidates.append(without_lan)
        if without_lan.endswith("s"):
            candidates.append(without_lan[:-1])
    return list(dict.fromkeys(candidates))


def county_code(name_or_code: str) -> str:
    """The SCB county code ("01".."25") for a code ("1", "01"), official name, short name, board
    name or any accepted spelling. Raises :class:`UnknownCountyError` otherwise."""
    text = _refuse_path_like("county", name_or_code, UnknownCountyError)
    codes = county_codes()
    if text.isdigit():
        code = text.zfill(2)
        if code in codes:
            return code
        raise UnknownCountyError(
            f"Unknown county code {text!r}: SCB county codes 2008–2010 are "
            f"{', '.join(codes)} (\"00\" is the whole country, not a county)."
        )
    index = _county_index()
    for candidate in _county_candidates(fold(text)):
        if candidate in index:
            return index[candidate]
    close = difflib.get_close_matches(fold(text), list(index), n=3, cutoff=0.75)
    hint = f" Did you mean: {', '.join(repr(index[c] + ' ' + c) for c in close)}?" if close else ""
    raise UnknownCountyError(
        f"Unknown county {text!r}. Give an SCB county code ('01'–'25') or a county name such as "
        f"'Stockholms län' or 'Stockholm'; accepted spellings are in "
        f"data/reference/counties.csv (columns name, short_name, board_name, variants) — add a "
        f"new spelling to variants there.{hint}"
    )


def county_name(lan_code: str, form: str = "official") -> str:
    """The county's name: ``official`` ("Stockholms län"), ``short`` ("Stockholm") or ``board``
    ("Länsstyrelsen i Stockholms län")."""
    if form not in _COUNTY_FORMS:
        raise ValueError(f"form must be one of {', '.join(_COUNTY_FORMS)}, not {form!r}")
    code = county_code(lan_code)
    return str(counties().at[code, _COUNTY_FORMS[form]])


def county_slug(lan_code: str) -> str:
    """ASCII short county name for file names (``vastra-gotaland``): the county's submissions
    are ``<länskod>-<slug>…`` and its own report ``_book/lan/<länskod>-<slug>.html``."""
    name = county_name(lan_code, "short").lower().replace(" ", "-")
    return name.translate(str.maketrans("åäöé", "aaoe"))


def _check_year(year: int) -> None:
    if year not in POPULATION_YEARS:
        raise ValueError(
            f"No population year {year}: data/reference holds "
            f"{', '.join(map(str, POPULATION_YEARS))} (31 December)."
        )


def population(lan_code: str, year: int) -> int:
    """The county's population on 31 December ``year`` (SCB): the sum of its municipalities
    (``data/reference/population_counties.csv``, built by ``scripts/build_population.py``)."""
    _check_year(year)
    return int(counties().at[county_code(lan_code), f"population_{year}"])


def municipality_population(kommunkod: str, year: int) -> int:
    """The municipality's population on 31 December ``year`` (SCB)."""
    _check_year(year)
    frame = _municipal_population()
    return int(frame.at[municipality_code(kommunkod), f"population_{year}"])


@cache
def _municipal_population() -> pd.DataFrame:
    """SCB's population per municipality (``data/reference/population_municipalities.csv``)."""
    import pandas as pd

    path = reference_dir() / "population_municipalities.csv"
    return pd.read_csv(path, dtype={"kommunkod": str, "source_row": str}).set_index("kommunkod")


# ------------------------------------------------------------------------------ municipalities


@cache
def municipalities() -> pd.DataFrame:
    """The 290 municipalities: columns ``kommunkod``, ``name``, ``lan_code`` (all text), sorted
    by kommunkod."""
    import pandas as pd

    path = reference_dir() / "municipalities.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return frame.sort_values("kommunkod", ignore_index=True)


@cache
def _municipality_indexes() -> tuple[dict[str, str], dict[str, str], dict[str, set[str]]]:
    """(accent-keeping key → code, folded key → code, ambiguous folded key → codes); folded keys
    shared by two municipalities (Håbo/Habo) are only in the third."""
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    ambiguous: dict[str, set[str]] = {}
    pairs = list(zip(municipalities()["name"], municipalities()["kommunkod"], strict=True))
    pairs += list(_MUNICIPALITY_ALIASES.items())
    for name, code in pairs:
        exact[_key_exact(name)] = code
        key = fold(name)
        if folded.get(key, code) != code:
            ambiguous.setdefault(key, {folded[key]}).add(code)
        folded[key] = code
    for key in ambiguous:
        del folded[key]
    return exact, folded, ambiguous


def _municipality_candidates(text: str, key: Callable[[str], str]) -> list[str]:
    """The key of the input, and with "kommun"/"stad" (and a genitive s before it) taken off."""
    base = key(text)
    candidates = [base]
    for suffix in (" kommun", " stad", " municipality", " kommune"):
        if base.endswith(suffix):
            trimmed = base[: -len(suffix)].strip()
            candidates.append(trimmed)
            if trimmed.endswith("s"):
                candidates.append(trimmed[:-1])
    return list(dict.fromkeys(candidates))


def municipality_code(name: str) -> str:
    """The kommunkod ("0114") for a municipality name ("Upplands Väsby", "Stockholms stad",
    "Kalmar kommun", case/space-insensitive) or code. Raises :class:`UnknownMunicipalityError`."""
    text = _refuse_path_like("municipality", name, UnknownMunicipalityError)
    codes = set(municipalities()["kommunkod"])
    if text.isdigit():
        code = text.zfill(4)
        if code in codes:
            return code
        raise UnknownMunicipalityError(
            f"Unknown kommunkod {text!r}: not one of the 290 SCB municipality codes of 2008–2010 "
            "(data/reference/municipalities.csv)."
        )
    exact, folded, ambiguous = _municipality_indexes()
    for candidate in _municipality_candidates(text, _key_exact):
        if candidate in exact:
            return exact[candidate]
    for candidate in _municipality_candidates(text, fold):
        if candidate in folded:
            return folded[candidate]
        if candidate in ambiguous:
            raise UnknownMunicipalityError(
                f"Ambiguous municipality {text!r}: without accents it matches kommunkod "
                f"{' and '.join(sorted(ambiguous[candidate]))}. Write the name with its accents "
                "(Håbo / Habo) or give the kommunkod."
            )
    close = difflib.get_close_matches(_key_exact(text), list(exact), n=3, cutoff=0.75)
    hint = f" Did you mean: {', '.join(repr(c) for c in close)}?" if close else ""
    raise UnknownMunicipalityError(
        f"Unknown municipality {text!r}. Give a four-digit kommunkod (e.g. '0180') or the "
        f"municipality's name (e.g. 'Stockholm', 'Stockholms stad', 'Upplands Väsby kommun'); "
        f"names are in data/reference/municipalities.csv.{hint}"
    )


def municipality_name(kommunkod: str) -> str:
    """The municipality's short name ("Upplands Väsby") for a kommunkod (or a name)."""
    code = municipality_code(kommunkod)
    frame = municipalities()
    return str(frame.loc[frame["kommunkod"] == code, "name"].iloc[0])


def municipality_county(kommunkod: str) -> str:
    """The lan_code of the county a municipality belongs to."""
    code = municipality_code(kommunkod)
    frame = municipalities()
    return str(frame.loc[frame["kommunkod"] == code, "lan_code"].iloc[0])
