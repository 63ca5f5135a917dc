"""What the reader sees of the book's front matter, tables and appendices: the cover's publisher
and Swedish date, tables without pandas' index and with right-aligned numbers, the form appendix
in the form's own words, and every path and field name in the one technical appendix."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from samverkan import fmt
from samverkan.book import render, technical
from samverkan.intake import codebook, forms
from samverkan.results import county, tables

NBSP = "\u00a0"


def test_month_year_is_swedish():
    assert fmt.month_year(dt.date(2026, 12, 2)) == "december 2026"
    assert fmt.month_year(dt.date(2011, 5, 31)) == "maj 2011"


def _quarto(tmp_path, book: str):
    (tmp_path / "_quarto.yml").write_text(
        f"project:\n  type: book\nbook:\n  title: T\n{book}  chapters: [index.qmd]\nlang: sv\n",
        encoding="utf-8")
    return tmp_path


def test_cover_shows_the_publisher_and_the_month(tmp_path):
    root = _quarto(tmp_path, '  author: "Länsstyrelsen i Kalmar län"\n  date: today\n')
    meta = render._metadata(root, dt.date(2026, 12, 2))
    assert meta["publisher"] == "Länsstyrelsen i Kalmar län"
    assert meta["date"] == "december 2026"


def test_a_fixed_date_in_quarto_yml_wins_over_the_build_day(tmp_path):
    root = _quarto(tmp_path, "  date: 2027-01-15\n")
    meta = render._metadata(root, dt.date(2026, 12, 2))
    assert meta["date"] == "januari 2027"
    assert meta["publisher"] is None


def test_book_tables_leave_out_the_default_index_and_align_numbers_right():
    frame = pd.DataFrame({"Län": ["Stockholm", "Gotland"], "Rang": ["14 av 21", "1 av 21"],
                          "Projekt per 100 000 inv.": ["2,3", "–"], "Not": ["a b", ""]})
    html = tables.book_html(frame)
    header = re.search(r"<thead>(.*?)</thead>", html).group(1)
    assert re.findall(r"<th[^>]*>([^<]*)</th>", header) == [
        "Län", "Rang", f"Projekt per 100{NBSP}000 inv.", "Not"]  # no "0, 1" index column
    assert f"14{NBSP}av{NBSP}21" in html  # never wrapped
    first_row = re.search(r"<tbody><tr>(.*?)</tr>", html).group(1)
    aligned = re.findall(r'<td( style="text-align: right;")?>', first_row)
    assert aligned == ["", ' style="text-align: right;"', ' style="text-align: right;"', ""]


def test_a_named_index_becomes_a_labelled_first_column():
    frame = pd.DataFrame({"Län": ["Stockholm"], "Antal": ["1 000"]}).set_index("Län")
    html = tables.book_html(frame)
    assert '<th scope="col">Län</th>' in html
    assert '<th scope="row">Stockholm</th>' in html
    assert html.count("<tr>") == 2  # one header row (pandas writes a second for the name)


def test_form_appendix_speaks_the_forms_language():
    text = forms.forms_markdown()
    snake = sorted({f.name for f in codebook.fields() if "_" in f.name})
    assert [n for n in snake if re.search(rf"\b{n}\b", text)] == []
    assert "codebook.yaml" not in text and "samverkan/" not in text
    assert "Målen" in text or "Mål med samverkansinsatsen" in text
    assert "@sec-om-berakningen" in text


def test_technical_appendix_holds_every_field_and_file():
    text = technical.technical_markdown()
    assert text.startswith("# Om beräkningen {#sec-om-berakningen}")
    for f in codebook.fields():
        assert f"`{f.name}`" in text, f.name
    for path in ("data/raw/<omgång>/", "data/processed/<omgång>/tables/",
                 "samverkan/intake/codebook.yaml", "data/raw/README.md", "make report"):
        assert path in text
    assert technical.OPENING in " ".join(text.split())


def test_county_money_table_compares_totals_and_says_how_grants_are_counted():
    funds = pd.DataFrame({"year": [2008, 2009, 2010],
                          "allocated_sek": [100_000, 200_000, 300_000],
                          "requisitioned_sek": [100_000, 200_000, 150_000],
                          "granted_sek": [0, 400_000, 150_000]})
    funds["uptake"] = funds["requisitioned_sek"] / funds["allocated_sek"]
    shown = county.funds_table(funds)
    assert list(shown.columns) == ["2008", "2009", "2010", "Totalt"]
    assert shown.index.name == "Medel"
    granted = next(r for r in shown.index if r.startswith("Beviljat"))
    assert "beslutsår" in granted
    assert shown.at[granted, "Totalt"] == fmt.num(550_000)
    assert shown.at["Rekvirerade medel (kr)", "Totalt"] == fmt.num(450_000)
    assert shown.at["Nyttjandegrad", "Totalt"] == fmt.pct(450_000 / 600_000)
