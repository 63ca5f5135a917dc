"""published.csv against the report itself: every transcribed figure is re-read from the seed
text of Rapport 2011:39, so a typing error, a missing cell or a swapped measure fails here."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

import pandas as pd
import pytest
from shared import shared_file

from samverkan import reference
from samverkan.paths import reference_dir
from samverkan.registry import county_code

SEED_NAME = "003_f6ad71d40d166250.txt"

# Printed row labels of Tables 3–5 and column heads of Table 6 → the measure they count. This is
# the test's own reading of the report, independent of published.csv.
TABLE_LABELS: dict[str, dict[str, str]] = {
    "Tabell 3": {
        "Samverkan med andra kommuner": "partner_municipalities",
        "Samverkan med hälso- sjukvård": "partner_health",
        "Samverkan med rättsväsendet": "partner_justice",
        "Samverkan med åklagarmyndighet": "partner_prosecutor",
        "Samverkan med kyrka och samfund": "partner_church",
        "Samverkan med försäkringskassan": "partner_fk",
        "Samverkan med frivilligorganisation": "partner_voluntary",
        "Samverkan med övriga": "partner_other",
    },
    "Tabell 4": {
        "Våldsutsatta kvinnor": "area_women",
        "Barn som upplevt våld i nära relation": "area_children",
        "Hedersrelaterat våld": "area_honour",
        "Skyddat boende": "area_housing",
        "Män som utövar våld": "area_men",
        "Särskilt utsatta grupper": "area_vulnerable",
        "Familjeperspektiv: kvinnor, barn och män": "family_perspective",
    },
    "Tabell 5": {
        "Samverkansprojekt som helt eller delvis nått målen för projektet": "goal_met",
        "Samverkansprojekt som har integrerats i verksamheten": "integration_done",
        "Samverkansprojekt med integreringsplan till ordinarie verksamhet": "integration_plan",
        "Projekt som inte ska integreras": "integration_not_relevant",
        "Projekt med reell samverkan mellan olika parter helt eller delvis": "real_cooperation",
        "Projekt som helt eller delvis innehåller utbildning": "contains_training",
        "Samverkansprojekt som pågår": "ongoing",
        "Tillfälliga samverkanskonstellationer": "temporary_constellation",
        "Projekt där länsstyrelsen deltagit aktivt": "county_board_active",
        "Projekt som är avslutade": "finished",
    },
    "Tabell 6": {
        "Medel att fördela": "allocated_sek",
        "Rekvirerade medel": "requisitioned_sek",
        "Beviljade medel för 148 projekt": "granted_sek",
        "Länsstyrelsens administration 5%": "administration_sek",
        "Sammanlagda kostnader": "total_costs_sek",
    },
}
T1_PERIODS = ("2008", "2009", "2010", "2008-2010")
T2_COLUMNS = (
    ("projects_2008-2009", "projects_granted", "2008-2009"),
    ("projects_2008-2010", "projects_granted", "2008-2010"),
    ("new_structures", "new_structures", "2008-2010"),
    ("existing_structures", "existing_structures", "2008-2010"),
    ("evaluated_structures", "evaluated_structures", "2008-2010"),
)
# Where each prose source starts in the seed; the section runs to the next heading line.
SECTION_HEADINGS = {
    "Förord": "## Förord",
    "Sammanfattning": "# Sammanfattning",
    "Länsstyrelsernas uppdrag": "### **Länsstyrelsernas uppdrag**",
    "Fördelning av utvecklingsmedlen": "## Fördelning av utvecklingsmedlen",
    "Metod för sammanställning": "## Metod för sammanställning",
    "Resultat, text": "## Resultat",
    "Exempel på samverkansprojekt": "### Exempel på samverkansprojekt",
    "Reflektioner": "## Reflektioner",
    "Bilaga, delredovisning": "## Delredovisning av utvecklingsmedel",
    "Bilaga, frågor till länsstyrelserna": "## Frågor till Länsstyrelserna",
    "Baksida": "# Länsstyrelsens rapportserie",
}
NUMBER_WORDS = {"ett": 1, "en": 1, "två": 2, "tre": 3, "sex": 6, "sju": 7, "tio": 10}
MONTHS = {m: i for i, m in enumerate(
    ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
     "oktober", "november", "december"], start=1)}


# ----------------------------------------------------------------------------- reading the seed


@cache
def seed_text() -> str:
    path = shared_file("seeds", SEED_NAME)
    return path.read_text(encoding="utf-8")


def plain(cell: str) -> str:
    """A cell without the HTML bold markup the conversion left around totals."""
    return re.sub(r"</?b>", "", cell).strip()


def amount(cell: str) -> int:
    return int(re.sub(r"[^\d]", "", cell))


def tab_table(seed: str, header_start: str) -> list[list[str]]:
    """The tab-separated rows following the header line that starts with ``header_start``."""
    lines = seed.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    rows = []
    for line in lines[start + 1:]:
        if "\t" not in line:
            break
        rows.append([plain(cell) for cell in line.split("\t")])
    return rows


def table_region(seed: str, number: int) -> str:
    """Text from "Tabell n." up to the next table (or the examples for Table 6)."""
    start = seed.index(f"Tabell {number}.")
    end_mark = f"Tabell {number + 1}." if number < 6 else "### Exempel på samverkansprojekt"
    return seed[start:seed.index(end_mark, start)]


def labelled_lines(region: str) -> dict[str, str]:
    """``label<TAB>value`` lines of a two-column table (Tables 3–5)."""
    found = {}
    for line in region.splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and parts[1].strip() and not line.startswith("<b>"):
            found[parts[0].strip()] = parts[1].strip()
    return found


def section(seed: str, source: str) -> str:
    """The part of the seed a row's ``source`` names: a table with its notes and bullets, or a
    section up to the next heading of the same or a higher level."""
    match = re.match(r"Tabell (\d)", source)
    if match:
        return table_region(seed, int(match.group(1)))
    heading = SECTION_HEADINGS[source]
    lines = seed.splitlines()
    start = next(i for i, line in enumerate(lines)
                 if line.strip() == heading or line.startswith(heading + " "))
    level = len(heading) - len(heading.lstrip("#"))
    end = next((i for i in range(start + 1, len(lines))
                if lines[i].startswith("#") and len(lines[i]) - len(lines[i].lstrip("#")) <= level),
               len(lines))
    return "\n".join(lines[start:end])


def numbers_in(text: str) -> set[int]:
    """Every number a printed figure text can stand for: digits (with space thousands
    separators), Swedish number words, and dates as yyyymmdd."""
    found = {amount(m) for m in re.findall(r"\d{1,3}(?: \d{3})+(?!\d)|\d+", text)}
    found |= {NUMBER_WORDS[w] for w in re.findall(r"\w+", text.casefold()) if w in NUMBER_WORDS}
    for y, m, d in re.findall(r"(\d{4})-(\d{2})-(\d{2})", text):
        found.add(int(f"{y}{m}{d}"))
    for d, month, y in re.findall(r"(\d{1,2}) (\w+) (\d{4})", text):
        if month in MONTHS:
            found.add(int(f"{y}{MONTHS[month]:02d}{int(d):02d}"))
    return found


# ----------------------------------------------------------------------------- the checker


def seed_cells(seed: str) -> dict[str, dict[str, object]]:
    """Every cell of Tables 1–6 as the seed prints it: key → expected fields."""
    cells: dict[str, dict[str, object]] = {}
    for name, tab_rows, columns, source in (
        ("t1", tab_table(seed, "Länsstyrelse\t2008"), [(p, "allocated_sek", p) for p in T1_PERIODS],
         "Tabell 1"),
        ("t2", tab_table(seed, "Län\tAntal projekt"), T2_COLUMNS, "Tabell 2"),
    ):
        for row in tab_rows:
            lan = "00" if row[0] == "Summa" else county_code(row[0])
            for (suffix, measure, period), cell in zip(columns, row[1:], strict=True):
                who = "total" if lan == "00" else lan
                key = f"{name}.{who}.{suffix}" if name == "t2" else f"t1.{who}.{period}"
                cells[key] = {
                    "source": source, "lan_code": lan, "measure": measure, "period": period,
                    "text": cell, "value": amount(cell), "marker": re.match(r"\**", cell).group(),
                }
                if lan != "00":  # a county cell is a part of its column's Summa
                    cells[key]["parent"] = key.replace(f".{lan}.", ".total.")
    for number in (3, 4, 5):
        source = f"Tabell {number}"
        for label, cell in labelled_lines(table_region(seed, number)).items():
            measure = TABLE_LABELS[source][label.rstrip("*")]
            cells[f"t{number}.{measure}"] = {
                "source": source, "lan_code": "00", "measure": measure, "period": "2008-2010",
                "text": cell, "value": int(cell.split()[0]),
                "marker": label[len(label.rstrip("*")):],
            }
    region = table_region(seed, 6).splitlines()
    head = next(i for i, line in enumerate(region) if line.startswith("Medel att fördela"))
    for label, cell in zip(region[head].split("\t"), region[head + 1].split("\t"), strict=True):
        measure = TABLE_LABELS["Tabell 6"][label.strip()]
        cells[f"t6.{measure}"] = {
            "source": "Tabell 6", "lan_code": "00", "measure": measure, "period": "2008-2010",
            "text": cell.strip(), "value": amount(cell),
        }
    return cells


def bullet_counts(seed: str, number: int) -> Counter[int]:
    """The "(n)" sub-counts printed in the bullet list under Table ``number``."""
    bullets = [line for line in table_region(seed, number).splitlines() if line.startswith("- ")]
    return Counter(int(n) for line in bullets for n in re.findall(r"\((\d+)\)", line))


def problems_against_seed(frame: pd.DataFrame, seed: str) -> list[str]:
    """Every disagreement between published.csv and the report, naming the key and field."""
    problems: list[str] = []
    rows = {row["key"]: row for row in frame.to_dict("records")}
    cells = seed_cells(seed)
    for key, expected in cells.items():
        row = rows.get(key)
        if row is None:
            problems.append(f"{key}: printed cell {expected['text']!r} is not transcribed")
            continue
        for field, value in expected.items():
            got = row[field]
            if field == "value":
                got = pd.to_numeric(got)
            if got != value:
                problems.append(f"{key}: {field} is {got!r}, the report prints {value!r}")
    for key, row in rows.items():
        is_cell = row["source"] in {f"Tabell {n}" for n in range(1, 7)}
        if is_cell and key not in cells and not re.search(r"\bprojects_started$|share$", key):
            problems.append(f"{key}: no such cell in {row['source']} of the report")
    for number in (3, 4):
        printed = bullet_counts(seed, number)
        source = f"Tabell {number}, punktlista"
        transcribed = Counter(
            int(pd.to_numeric(r["value"])) for r in rows.values() if r["source"] == source
        )
        if printed != transcribed:
            problems.append(f"{source}: report prints sub-counts {sorted(printed.elements())}, "
                            f"published.csv has {sorted(transcribed.elements())}")
    for key, row in rows.items():
        try:
            where = section(seed, row["source"])
        except (KeyError, StopIteration):
            problems.append(f"{key}: source {row['source']!r} is not a known part of the report")
            continue
        if row["text"] not in where:
            problems.append(f"{key}: text {row['text']!r} does not occur in {row['source']}")
        if pd.to_numeric(row["value"]) not in numbers_in(row["text"]):
            problems.append(f"{key}: value {row['value']!r} is not what {row['text']!r} says")
    return problems


# ----------------------------------------------------------------------------- tests


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    path = reference_dir() / "published.csv"
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def test_every_figure_agrees_with_the_report(frame):
    problems = problems_against_seed(frame, seed_text())
    assert not problems, "\n".join(problems)


def test_every_table_cell_is_transcribed(frame):
    cells = seed_cells(seed_text())
    assert len([k for k in cells if k.startswith("t1.")]) == 22 * 4
    assert len([k for k in cells if k.startswith("t2.")]) == 22 * 5
    assert set(cells) <= set(frame["key"])


def test_file_follows_its_own_rules(frame):
    assert reference.check_published(frame) == []
    assert frame["key"].is_unique
    assert set(frame.loc[frame["parent"] != "", "parent"]) <= set(frame["key"])
    assert set(frame["measure"]) <= set(reference.MEASURES)
    assert set(frame["unit"]) <= set(reference.UNITS)


def test_reader_types_and_lookup():
    published = reference.published()
    assert published["lan_code"].map(type).eq(str).all()
    assert published.loc[published["key"] == "t1.01.2008", "lan_code"].item() == "01"
    assert pd.api.types.is_integer_dtype(published["value"])
    cell = seed_cells(seed_text())["t1.total.2008"]
    assert reference.published_value("t1.total.2008") == cell["value"]
    with pytest.raises(KeyError, match="no-such-key"):
        reference.published_value("no-such-key")


def test_msek_converts_to_sek_for_comparison():
    base = reference.in_base_units(reference.published()).set_index("key")
    printed = [n for n in numbers_in("23 miljoner") if n < 100]
    assert base.at["prose.summary.allocated_sek", "unit"] == "sek"
    assert base.at["prose.summary.allocated_sek", "value"] == printed[0] * 1_000_000


MUTATIONS = [
    ("t1.01.2008", "text", "1 290 000"),
    ("t1.01.2008", "value", "1290000"),
    ("t1.07.2010", "marker", "*"),
    ("t2.24.projects_2008-2010", "value", "12"),
    ("t2.total.new_structures", "value", "89"),
    ("t3.partner_health", "measure", "partner_justice"),
    ("t3.partner_health.bup", "value", "9"),
    ("t5.goal_met", "period", "2008-2009"),
    ("t6.granted_sek", "text", "20 170 670 kr"),
    ("prose.summary.new_structures", "value", "88"),
    ("prose.method.report_period_end", "value", "20110831"),
    ("prose.reflections.family_perspective", "source", "Sammanfattning"),
]


@pytest.mark.parametrize(("key", "field", "wrong"), MUTATIONS)
def test_an_altered_row_is_caught(frame, key, field, wrong):
    altered = frame.copy()
    row = altered["key"] == key
    assert row.sum() == 1 and altered.loc[row, field].item() != wrong
    altered.loc[row, field] = wrong
    problems = problems_against_seed(altered, seed_text())
    assert any(p.startswith(key) for p in problems), problems


def test_a_dropped_or_invented_row_is_caught(frame):
    dropped = frame[frame["key"] != "t4.area_men"]
    assert any("t4.area_men" in p for p in problems_against_seed(dropped, seed_text()))
    bullet = frame[frame["key"] == "t3.partner_justice.police"].assign(key="t3.extra", value="61")
    invented = pd.concat([frame, bullet], ignore_index=True)
    assert any("punktlista" in p for p in problems_against_seed(invented, seed_text()))


@pytest.mark.parametrize(
    ("key", "field", "wrong", "message"),
    [
        ("t1.01.2008", "measure", "allocated", "measure"),
        ("t1.01.2008", "parent", "t1.nowhere", "parent"),
        ("t1.01.2008", "unit", "kronor", "unit"),
        ("t1.01.2008", "lan_code", "1", "lan_code"),
        ("t1.01.2008", "value", "1 260 000", "not a number"),
        ("t1.01.2009", "key", "t1.01.2008", "duplicated"),
    ],
)
def test_rule_checker_catches_broken_rows(frame, key, field, wrong, message):
    altered = frame.copy()
    altered.loc[altered["key"] == key, field] = wrong
    assert any(message in p for p in reference.check_published(altered))


