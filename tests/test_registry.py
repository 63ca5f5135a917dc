"""The county and municipality registry against the shared SCB facts and the report's spellings."""

from __future__ import annotations

import importlib.util
import shutil
from functools import cache

import pandas as pd
import pytest
from shared import shared_file

from samverkan import registry
from samverkan.paths import project_root, reference_dir


@cache
def shared_counties() -> pd.DataFrame:
    return pd.read_csv(shared_file("data", "counties.csv"), dtype=str)


@cache
def shared_municipalities() -> pd.DataFrame:
    return pd.read_csv(shared_file("data", "municipality_county.csv"), dtype=str)


def printed_county_names() -> list[str]:
    """First column of Tables 1 and 2 of Rapport 2011:39, as printed."""
    seed = shared_file("seeds", "003_f6ad71d40d166250.txt").read_text(encoding="utf-8")
    names = []
    for header in ("Länsstyrelse\t2008", "Län\tAntal projekt"):
        lines = seed.splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith(header))
        for line in lines[start + 1:]:
            if "\t" not in line:
                break
            if not line.startswith("<b>"):
                names.append(line.split("\t")[0])
    return names


# ---------------------------------------------------------------------------- counts and codes


def test_21_counties_and_290_municipalities():
    assert len(registry.counties()) == 21
    assert len(registry.municipalities()) == 290
    assert registry.county_codes() == tuple(sorted(registry.counties().index))


def test_counties_match_the_shared_scb_facts():
    shared = shared_counties().set_index("county_code").sort_index()
    ours = registry.counties()
    assert list(ours.index) == list(shared.index)
    assert (ours["name"] == shared["county_name"]).all()
    assert (ours["short_name"] == shared["county_name_short"]).all()
    assert (ours["board_name"] == "Länsstyrelsen i " + shared["county_name"]).all()


def test_municipalities_match_the_shared_scb_facts():
    shared = shared_municipalities().sort_values("municipality_code", ignore_index=True)
    ours = registry.municipalities()
    assert list(ours.columns) == ["kommunkod", "name", "lan_code"]
    assert list(ours["kommunkod"]) == list(shared["municipality_code"])
    assert list(ours["name"]) == list(shared["municipality_name_short"])
    assert list(ours["lan_code"]) == list(shared["county_code"])
    assert set(ours["lan_code"]) == set(registry.county_codes())
    assert ours["kommunkod"].str.fullmatch(r"\d{4}").all()
    assert (ours["kommunkod"].str[:2] == ours["lan_code"]).all()


def test_codes_are_text_with_leading_zero():
    assert registry.counties().index[0] == "01"
    assert registry.municipalities()["kommunkod"].iloc[0] == "0114"


# ---------------------------------------------------------------------------- county lookups


def test_every_county_name_printed_in_tables_1_and_2_resolves():
    names = printed_county_names()
    assert len(names) == 42
    codes = [registry.county_code(name) for name in names]
    assert sorted(set(codes[:21])) == sorted(set(codes[21:])) == list(registry.county_codes())
    assert registry.county_code("Norrbottn") == "25"
    assert registry.county_code("V Götaland") == "14"


def test_every_listed_spelling_resolves_to_its_own_county():
    for code, row in registry.counties().iterrows():
        spellings = [row["name"], row["short_name"], row["board_name"], *row["variants"].split("|")]
        for spelling in spellings:
            assert registry.county_code(spelling) == code, spelling


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("1", "01"), ("01", "01"), (" 25 ", "25"), ("Ostergotland", "05"),
        ("Stockholms lan", "01"), ("  örebro  LÄN ", "18"), ("Länsstyrelsen i Jämtland", "23"),
        ("Gävleborgs", "21"), ("Dalarnas län", "20"), ("Västra Götalands län", "14"),
        ("Sthlm", "01"), ("Vgr", "14"), ("SKANE", "12"), ("Kronobergs län", "07"),
        ("LÄNSSTYRELSEN I STOCKHOLMS LÄN", "01"), ("Länstyrelse Stockholm", "01"),
        ("Jämtlands län", "23"), ("Norrbotten County", "25"),
    ],
)
def test_variants_resolve(given, code):
    assert registry.county_code(given) == code


@pytest.mark.parametrize("given", ["Atlantis", "02", "00", "26", "Västra", "Norr", "Ö"])
def test_unknown_county_is_refused_with_a_message(given):
    with pytest.raises(registry.UnknownCountyError) as error:
        registry.county_code(given)
    message = str(error.value)
    assert repr(given) in message
    assert "01" in message


@pytest.mark.parametrize("given", ["../x", "a/b", "..\\x", "data/raw/2011", "Stockholm\x00", ""])
def test_path_like_county_is_refused(given):
    with pytest.raises(registry.UnknownCountyError, match="path|Empty"):
        registry.county_code(given)


def test_county_errors_are_value_errors():
    assert issubclass(registry.UnknownCountyError, ValueError)
    assert issubclass(registry.UnknownMunicipalityError, ValueError)


def test_county_name_forms():
    assert registry.county_name("1") == "Stockholms län"
    assert registry.county_name("01", "short") == "Stockholm"
    assert registry.county_name("Norrbottn", "board") == "Länsstyrelsen i Norrbottens län"
    with pytest.raises(ValueError, match="form"):
        registry.county_name("01", "long")


# ---------------------------------------------------------------------------- municipalities


def test_every_municipality_resolves_by_name_code_and_long_form():
    for row in registry.municipalities().itertuples():
        assert registry.municipality_code(row.name) == row.kommunkod
        assert registry.municipality_code(f"{row.name} kommun") == row.kommunkod
        assert registry.municipality_code(row.kommunkod) == row.kommunkod
        assert registry.municipality_name(row.kommunkod) == row.name


def test_shared_long_names_resolve():
    """The shared file's mechanical long names ("Faluns kommun", "Kalixs kommun") still land on
    the right code."""
    for row in shared_municipalities().itertuples():
        assert registry.municipality_code(row.municipality_name) == row.municipality_code


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("Stockholms stad", "0180"), ("Göteborgs stad", "1480"), ("Malmö stad", "1280"),
        ("Upplands-Väsby kommun", "0114"), ("upplands bro", "0139"), ("Falu kommun", "2080"),
        ("Håbo", "0305"), ("Habo", "0643"), ("Region Gotland", "0980"), ("114", "0114"),
        ("  STOCKHOLM ", "0180"), ("Borås stad", "1490"), ("Malung Sälen", "2023"),
    ],
)
def test_municipality_spellings(given, code):
    assert registry.municipality_code(given) == code


def test_municipality_county():
    assert registry.municipality_county("Kiruna") == "25"


@pytest.mark.parametrize(
    ("given", "pattern"),
    [("Hàbo", "Ambiguous"), ("Gotham", "Unknown municipality"), ("9999", "kommunkod"),
     ("../etc/passwd", "path"), ("a/b", "path")],
)
def test_bad_municipality_is_refused_with_a_message(given, pattern):
    with pytest.raises(registry.UnknownMunicipalityError, match=pattern) as error:
        registry.municipality_code(given)
    assert repr(given) in str(error.value)


# ---------------------------------------------------------------------------- population

NATIONAL_TOTAL = {2009: 9_340_682, 2010: 9_415_570}
"""SCB's definitive population of Sweden on 31 December (press releases of February 2010/2011)."""


def test_290_municipalities_and_21_counties_add_up_to_sweden():
    for year, total in NATIONAL_TOTAL.items():
        municipal = [registry.municipality_population(code, year)
                     for code in registry.municipalities()["kommunkod"]]
        county = [registry.population(code, year) for code in registry.county_codes()]
        assert len(municipal) == 290 and len(county) == 21
        assert sum(municipal) == total
        assert sum(county) == total


@pytest.mark.parametrize(
    ("county", "number"),
    [("Stockholms län", 2_054_343), ("Blekinge", 153_227), ("Dalarna", 277_047),
     ("Jämtland", 126_691)],
)
def test_scb_county_figures_for_2010(county, number):
    assert registry.population(registry.county_code(county), 2010) == number


def test_each_county_is_the_sum_of_its_municipalities():
    frame = registry.municipalities()
    for code in registry.county_codes():
        members = frame.loc[frame["lan_code"] == code, "kommunkod"]
        for year in registry.POPULATION_YEARS:
            assert registry.population(code, year) == sum(
                registry.municipality_population(m, year) for m in members)


def test_habo_and_habo_are_told_apart():
    """The source spells both "Habo": Håbo (Uppsala län) is the larger one."""
    assert registry.municipality_population("Håbo", 2010) == 19_629
    assert registry.municipality_population("0643", 2010) == 10_741


def test_population_agrees_with_the_shared_scb_files():
    """Cross-check against ../shared/data/population_*.csv (built independently of ours)."""
    county = pd.read_csv(shared_file("data", "population_county.csv"), dtype={"lan_code": str})
    municipal = pd.read_csv(shared_file("data", "population_municipality.csv"),
                            dtype={"kommun_code": str})
    assert len(county) == 42 and len(municipal) == 580
    for row in county.itertuples():
        assert registry.population(row.lan_code, row.year) == row.population, row
    for row in municipal.itertuples():
        assert registry.municipality_population(row.kommun_code, row.year) == row.population, row


def test_population_refuses_other_years():
    with pytest.raises(ValueError, match="2011"):
        registry.population("01", 2011)
    with pytest.raises(ValueError, match="2008"):
        registry.municipality_population("0114", 2008)


def test_population_files_are_what_the_build_script_writes(tmp_path):
    """data/reference/population_*.csv are exactly what scripts/build_population.py makes of the
    saved source copy, so nobody edits them by hand."""
    spec = importlib.util.spec_from_file_location(
        "build_population", project_root() / "scripts" / "build_population.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    (tmp_path / "sources").mkdir()
    shutil.copy(reference_dir() / script.SOURCE, tmp_path / script.SOURCE)
    for written in script.build(tmp_path):
        assert written.read_bytes() == (reference_dir() / written.name).read_bytes()


def test_build_script_refuses_an_unknown_or_doubled_row(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "build_population", project_root() / "scripts" / "build_population.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    source = script.read_source(reference_dir() / script.SOURCE)
    doubled = source.copy()
    doubled.loc[0, "kommun"] = source.loc[1, "kommun"]
    with pytest.raises(ValueError, match="same municipality"):
        script.municipality_rows(doubled)
    unknown = source.copy()
    unknown.loc[0, "kommun"] = "Gotham"
    with pytest.raises(registry.UnknownMunicipalityError, match="Gotham"):
        script.municipality_rows(unknown)
    with pytest.raises(ValueError, match="no row for kommunkod"):
        script.municipality_rows(source.iloc[1:].reset_index(drop=True))


def test_the_book_has_one_appendix_per_registered_county_in_code_order():
    """The county profiles listed in _quarto.yml are exactly the registry's counties, in SCB
    code order, after the national chapters: adding or removing a county in
    data/reference/counties.csv without the book (or the other way round) fails here."""
    from samverkan.book.chapters import chapters, notebook_chapters

    counties = [c.parameters["lan_code"] for c in notebook_chapters() if "lan_code" in c.parameters]
    assert counties == list(registry.county_codes())
    listed = chapters()
    profiles = [i for i, c in enumerate(listed) if c.name.startswith("county_")]
    assert all(listed[i].appendix for i in profiles)
    assert profiles == list(range(profiles[0], profiles[0] + len(profiles)))
