"""The data-quality chapter's tables and prose: every figure from the processed round, Swedish
headers and number formatting, an explicit row when there is nothing to list."""

from __future__ import annotations

import pytest
from clean_fixtures import small_round
from test_clean import bad_round, run

from samverkan.fmt import NBSP
from samverkan.intake import quality


@pytest.fixture
def bad(tmp_path):
    bad_round(tmp_path)
    return run(tmp_path)


@pytest.fixture
def good(tmp_path):
    small_round(tmp_path)
    return run(tmp_path)


def test_facts_count_what_the_ledger_and_tables_hold(bad):
    f = quality.facts(bad)
    # bad_round: Stockholm 12 project rows (11 rejected) + 3 + 1; Norrbotten 1 + 3 + 1
    assert (f.rows_read, f.rows_accepted, f.rows_rejected) == (21, 10, 11)
    assert (f.projects, f.allocations, f.board) == (2, 6, 2)
    assert f.counties == 21 and f.counties_submitted == 2 and len(f.counties_missing) == 19
    assert f.files == 2 and f.files_rejected == 0 and f.ledger_balanced
    assert f.personal_columns == 12 and f.files_with_personal_columns == 2


def test_county_table_has_every_county_with_swedish_headers(bad):
    table = quality.county_table(bad)
    assert len(table) == 21 and table.index.name == "Län"
    assert list(table.columns) == ["Filer", "Projekt", "Lästa rader", "Godtagna", "Avvisade",
                                   "Status"]
    assert table.loc["Stockholms län", "Avvisade"] == "11"
    assert table.loc["Stockholms län", "Status"] == "Rader avvisade"
    assert table.loc["Uppsala län", "Status"] == "Ingen inlämning"


def test_reasons_and_rejects_tables_use_swedish_labels(bad):
    reasons = quality.reason_table(bad)
    assert reasons.loc["Dubblett", "Antal"] == "2"
    assert reasons.loc["Belopp med ören", "Antal"] == "1"
    rejects = quality.rejects_table(bad)
    assert len(rejects) == len(bad.rejects)
    assert "Beviljade medel (kr)" in set(rejects["Fält"])
    assert "916 210,50" in set(rejects["Värde"])


def test_empty_findings_are_said_not_hidden(good):
    assert quality.reason_table(good).index[0] == "Inga avvisade rader eller filer"
    assert quality.rejects_text(quality.facts(good)).startswith("Ingen rad och ingen fil")
    text = quality.summary_text(quality.facts(good), 2011)
    assert "Alla 12 lästa rader godtogs" in text


def test_prose_formats_numbers_the_swedish_way(tmp_path):
    f = quality.facts(run(small_round(tmp_path).parents[1]))
    f = type(f)(**{**f.__dict__, "rows_read": 12345, "rows_accepted": 12000,
                   "rows_rejected": 345})
    text = quality.summary_text(f, 2011)
    assert f"Av 12{NBSP}345 lästa rader godtogs 12{NBSP}000 och 345 avvisades (2,8{NBSP}%)" in text


def test_a_long_reject_list_is_cut_with_a_count_of_the_rest(bad):
    table = quality.rejects_table(bad, limit=5)
    assert len(table) == 6
    assert table.iloc[-1]["Fel"] == f"ytterligare {len(bad.rejects) - 5} avvisningar i rejects.csv"



def test_the_headline_never_says_nothing_was_rejected_while_projects_are_lost(tmp_path):
    """A county's project file that cannot be read at all (its rows cannot be counted) still
    makes the headline say that data is missing; a file rejected whole counts its rows."""
    raw = small_round(tmp_path)
    (raw / "25-norrbotten-projekt.csv").write_bytes(b"")
    f = quality.facts(run(tmp_path))
    assert f.files_rejected == 1
    text = quality.summary_text(f, 2011)
    assert "ingen rad avvisades" not in text and "gick inte att läsa alls" in text
    (raw / "25-norrbotten-projekt.csv").write_bytes(
        (raw / "25-norrbotten-medel.csv").read_bytes().replace(b";", b"|"))
    f = quality.facts(run(tmp_path))
    assert f.rows_rejected > 0
    assert "avvisades" in quality.summary_text(f, 2011)


def test_personal_data_removed_from_free_text_is_counted_in_the_chapter(tmp_path):
    from clean_fixtures import grid, project, write_csv

    raw = small_round(tmp_path)
    norr = [project("25", "2501-9", municipality_codes="Luleå",
                    other_info_text="Ring 0920-123 45 eller mejla x.y@example.se")]
    write_csv(raw / "25-norrbotten-projekt.csv", grid("Projekt", norr, 2011))
    result = run(tmp_path)
    f = quality.facts(result)
    assert (f.personal_data_redacted, f.files_with_redactions) == (2, 1)
    assert "ersattes 2 e-postadresser, telefonnummer eller personnummer i 1 filer" in (
        quality.privacy_text(f))
    table = quality.ledger_table(result)
    outcome = table.loc["25-norrbotten-projekt.csv", "Utfall"]
    assert outcome.startswith("Inläst utan fel. ")
    assert outcome.endswith(" 2 personuppgifter borttagna ur fritext.")


@pytest.mark.parametrize("entry", ["link", "folder", "odd name"])
def test_a_county_whose_only_entry_was_refused_is_missing_not_submitted(tmp_path, entry):
    raw = small_round(tmp_path)  # Stockholm and Norrbotten; Södermanland sends nothing usable
    if entry == "link":
        (raw / "04-sodermanland.xlsx").symlink_to(raw / "01-stockholm.xlsx")
    elif entry == "folder":
        (raw / "04-sodermanland.xlsx").mkdir()
    else:
        (raw / "04-sodermanland\n.xlsx").write_bytes((raw / "01-stockholm.xlsx").read_bytes())
    result = run(tmp_path)
    assert not result.ok  # `samverkan clean` exits 1
    f = quality.facts(result)
    assert f.counties_submitted == 2 and "Södermanland" in f.counties_missing
    assert f.files == 4  # Stockholm's workbook and Norrbotten's three CSV files
    assert f.files_rejected == 1
    assert "lämnade 2 av 21 län" in quality.summary_text(f, 2011)
    status = quality.county_table(result).loc["Södermanlands län", "Status"]
    assert status.startswith("Ingen inlämning")
