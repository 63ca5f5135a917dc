"""Every spelling the codebook lists is read as listed: the vocabularies are strings by schema
(YAML 1.1 reads an unquoted yes/no/on/off as a boolean), and each entry of each vocabulary goes
through the reader that uses it and comes out as the value the codebook gives it."""

from __future__ import annotations

import pytest
from clean_fixtures import allocation, coding_row, grid, project, write_coding, write_csv

from samverkan.intake import codebook
from samverkan.intake.clean import clean_round
from samverkan.intake.coding import read_coding
from samverkan.intake.normalise import enum_index, parse_checkbox, parse_enum
from samverkan.intake.workbooks import match_sheets
from samverkan.io import parse_yaml

# The words YAML 1.1 turns into something other than text when they are not quoted.
YAML11_TRAPS = ("yes", "no", "on", "off", "true", "false", "y", "n", "1", "0", "~", "null")


def test_every_vocabulary_entry_is_a_string():
    vocabularies = codebook.vocabularies(codebook.raw_codebook())
    assert len(vocabularies) > 50
    for where, entries in vocabularies.items():
        assert all(isinstance(e, str) for e in entries), where


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "true", "1"])
def test_the_loader_refuses_an_unquoted_word_yaml_reads_as_something_else(word):
    raw = parse_yaml(f"checkbox:\n  true: [x, {word}]\n  false: ['']\n")
    with pytest.raises(ValueError, match="must be a quoted string"):
        codebook.check_vocabularies(raw)
    quoted = parse_yaml(f"checkbox:\n  true: [x, '{word}']\n  false: ['']\n")
    codebook.check_vocabularies(quoted)  # the same word quoted is text


def test_the_checkbox_words_the_issue_names_are_in_the_vocabulary_as_text():
    vocab = codebook.checkbox_vocabulary()
    assert vocab["yes"] is True and vocab["no"] is False
    assert vocab["true"] is True and vocab["false"] is False
    assert all(isinstance(k, str) for k in vocab)


def test_every_checkbox_spelling_round_trips_through_the_reader():
    raw = codebook.raw_codebook()["checkbox"]
    for value in (True, False):
        for spelling in raw[value]:
            for typed in {spelling, spelling.upper(), f" {spelling} "}:
                assert parse_checkbox(typed) is value, typed


def test_every_enum_spelling_round_trips_through_the_reader():
    seen = 0
    for f in codebook.fields():
        if f.type != "enum":
            continue
        for canonical, spellings in f.values.items():
            for spelling in (canonical, *spellings):
                assert parse_enum(f, spelling) == canonical, (f.name, spelling)
                assert parse_enum(f, spelling.upper()) == canonical, (f.name, spelling)
                seen += 1
        assert set(enum_index(f).values()) == set(f.values)
    assert seen >= 20


def test_every_header_spelling_and_sheet_name_round_trips_through_the_reader():
    for f in codebook.fields():
        for spelling in (f.name, f.label, *f.headers):
            assert codebook.canonical_header(f.sheet, spelling) == f.name, spelling
    for sheet in codebook.SHEETS:
        report_round = codebook.sheet_rounds(sheet)[-1]
        for name in codebook.sheet_names(sheet):
            assert match_sheets([name], report_round) == {sheet: [name]}, name


def test_every_coding_value_round_trips_through_the_coding_reader(tmp_path):
    specs = codebook.coding_fields()
    width = max(len(s["values"]) for s in specs)
    rows = []
    for i in range(width):
        row = coding_row("01", f"101-{i}")
        for spec in specs:
            row[spec["name"]] = spec["values"][i % len(spec["values"])]
        rows.append(row)
    frame, issues = read_coding(write_coding(tmp_path / "2011.csv", rows))
    assert not [i for i in issues if i["issue"] == "coding_value"]
    for i, row in enumerate(rows):
        got = frame.set_index("diarienummer").loc[row["diarienummer"]]
        for spec in specs:
            assert got[spec["name"]] == spec["values"][i % len(spec["values"])]


def test_a_county_that_ticks_its_boxes_with_yes_and_no_keeps_every_project(tmp_path):
    """The case that broke: yes/no in every checkbox column of a CSV submission."""
    boxes = [f.name for f in codebook.fields("Projekt", 2011) if f.type == "checkbox"]
    rows = [project("Gotland", f"901-{i}", municipality_codes="Region Gotland",
                    **{b: ("yes" if (i + j) % 2 else "no") for j, b in enumerate(boxes)})
            for i in range(1, 3)]
    raw = tmp_path / "raw" / "2011"
    write_csv(raw / "09-gotland-projekt.csv", grid("Projekt", rows, 2011))
    write_csv(raw / "09-gotland-medel.csv",
              grid("Medel", [allocation("09", y) for y in (2008, 2009, 2010)], 2011))
    from clean_fixtures import board
    write_csv(raw / "09-gotland-lansstyrelsen.csv", grid("Länsstyrelsen", [board("09")], 2011))
    coding = write_coding(tmp_path / "coding.csv", [coding_row("09", r["diarienummer"])
                                                    for r in rows])
    result = clean_round(raw, coding, None, 2011)
    assert result.rejects.empty, result.rejects.to_string()
    projects = result.projects.set_index("diarienummer")
    for i in range(1, 3):
        for j, b in enumerate(boxes):
            assert bool(projects.at[f"901-{i}", b]) is bool((i + j) % 2), (i, b)
    assert {w for w in YAML11_TRAPS if w in codebook.checkbox_vocabulary()} == {
        "yes", "no", "true", "false", "n", "1", "0"}
