"""The PDF text check (tests/pdftext.py) on made-up page text: it passes clean text and catches
each problem it is meant to catch. The project's own PDF is checked by tests/test_end_to_end.py."""

from __future__ import annotations

from pdftext import field_names, pdf_text_problems

from samverkan.book.technical import OPENING

FILES = {"07-kronoberg-projekt.csv", "08-kalmar.xlsx"}


def test_clean_text_passes():
    text = ("Södermanlands län fick mest. Filen 07-kronoberg-\nprojekt.csv lästes. "
            f"Västra Götaland har 49 projekt.\n{OPENING}\nFältet lan_code är länskoden.")
    assert pdf_text_problems(text, FILES) == []


def test_hyphenated_county_names_are_caught():
    problems = pdf_text_problems("I Söderman-\nland och i Väster-\nbottens län.", FILES)
    assert problems == ["county name hyphenated: Söderman-land",
                        "county name hyphenated: Väster-bottens"]


def test_a_hyphen_inserted_in_a_file_name_is_caught():
    problems = pdf_text_problems("Filen 07-krono-\nberg-projekt.csv avvisades.", FILES)
    assert "file name broken with a hyphen: '07-krono-\\nberg-projekt.csv'" in problems


def test_missing_population_and_field_names_are_caught():
    name = sorted(field_names())[0]
    text = f"Folkmängd saknas för 15 län. Fältet {name} används.\n{OPENING}\n{name}"
    assert pdf_text_problems(text, FILES) == [
        "'folkmängd saknas' in the book", f"field name {name} outside the technical appendix"]
