"""samverkan.book.markup: text from a submission renders as itself, never as markup, through
the book's own pandoc reader, in HTML and in typst (and typst's PDF)."""

from __future__ import annotations

import json
import subprocess
from html.parser import HTMLParser

import pytest

from samverkan.book import markup
from samverkan.book.render import READER, _pandoc, _walk

HOSTILE = [
    "`#read(\"/data/raw/2011/07-kronoberg-projekt.csv\")`{=typst}",
    "`<b>fet</b>`{=html}",
    "```{=html}\n<script>alert(1)</script>\n```",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[länk](javascript:alert(1))",
    "<javascript:alert(1)>",
    "![h](../../data/raw/2011/07-kronoberg-projekt.csv)",
    "Samverkan @fig-x mot våld [@tbl-y]",
    "::: {#fig-z .callout}\ntext\n:::",
    "---\ntitle: x\n---",
    "1. Första punkten",
    "A. punkt",
    "(@) exempel",
    "# Rubrik",
    "Rubrik\n======",
    "    indraget som kod",
    "- listpunkt\n+ en till\n* och en",
    "> citat",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "{{< include /data/raw/2011/07-kronoberg-projekt.csv >}}",
    "{{< pagebreak >}}",
    "#set page(fill: red);",
    "$x^2$ och \\(y\\) och ~sub~ och ^sup^ och ~~struken~~",
    "\\textbf{tex} och \\\\ slut\\",
    "*kursiv* __fet__ `kod`",
    "Term\n:   definition",
    "&lt;script&gt; &#60;b&#62; &amp;",
    "[^1] och ^[fotnot]",
    "<!-- kommentar --> <div>block</div>",
    "e-post: a@b.se, \"citat\" 'apostrof' -- ... ---",
    "rad ett\\\nrad två",
    "[x]{.class style=\"color:red\"} [y]{=typst}",
]


def _ast(markdown: str) -> dict:
    out = subprocess.run([_pandoc(), "-f", READER, "-t", "json"], input=markdown,
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def _convert(markdown: str, to: str) -> str:
    return subprocess.run([_pandoc(), "-f", READER, "-t", to], input=markdown,
                          capture_output=True, text=True, check=True).stdout


def _inline_text(inlines: list[dict]) -> str:
    """Only Str and Space allowed: anything else is markup read from the data."""
    parts = []
    for node in inlines:
        assert node["t"] in ("Str", "Space"), f"markup read from data: {node}"
        parts.append(node["c"] if node["t"] == "Str" else " ")
    return "".join(parts)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_one_paragraph_of_plain_words(text):
    doc = _ast(markup.literal(text))
    assert [b["t"] for b in doc["blocks"]] == ["Para"]
    assert _inline_text(doc["blocks"][0]["c"]) == " ".join(text.split())


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_in_html_is_text_only(text):
    html = _convert(markup.literal(text), "html5")
    parser = _Elements()
    parser.feed(html)
    assert [tag for tag, _ in parser.tags] == ["p"]  # no element came from the data
    assert "".join(parser.text).strip() == " ".join(text.split())


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_in_typst_compiles_to_that_text(text, tmp_path):
    import typst

    source = tmp_path / "doc.typ"
    source.write_text(_convert(markup.literal(text), "typst"), encoding="utf-8")
    pdf = tmp_path / "doc.pdf"
    typst.compile(str(source), output=str(pdf), root=str(tmp_path))  # raises on any error
    printed = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                             check=True).stdout
    # typst prints "..." as an ellipsis (pandoc's typst writer leaves it); nothing else changes
    assert " ".join(printed.split()) == " ".join(text.split()).replace("...", "…")


def test_paragraphs_are_kept_when_asked_and_each_stays_literal():
    text = "Första stycket\nfortsätter.\n\n# Andra\n\n\n1. tredje"
    doc = _ast(markup.literal(text, paragraphs=True))
    assert [b["t"] for b in doc["blocks"]] == ["Para"] * 3
    assert [_inline_text(b["c"]) for b in doc["blocks"]] == [
        "Första stycket fortsätter.", "# Andra", "1. tredje"]


def test_a_long_text_is_cut_with_a_visible_note():
    text = "ord " * 100  # 400 characters
    result = markup.literal(text, limit=50)
    shown = _inline_text(_ast(result)["blocks"][0]["c"])
    assert shown.endswith(" [… avkortat]")
    kept = shown.removesuffix(" [… avkortat]")
    assert len(kept) <= 50 and text.startswith(kept)
    assert markup.literal("kort", limit=50) == "kort"  # no note when nothing was cut


def test_control_characters_are_shown_not_passed_on():
    doc = _ast(markup.literal("a\x1b[31mröd\x00b\x7f"))
    assert _inline_text(doc["blocks"][0]["c"]) == "a\ufffd[31mröd\ufffdb\ufffd"


def test_empty_and_missing_text():
    assert markup.literal(None) == ""
    assert markup.literal("  \n ") == ""


# ------------------------------------------------------------------ where data text enters the book

_MARKUP_NODES = {"RawInline", "RawBlock", "Image", "Link", "Cite", "Math", "Code", "CodeBlock",
                 "Div", "Span", "BulletList", "OrderedList", "Note", "Header", "BlockQuote",
                 "Table", "DefinitionList", "LineBlock", "HorizontalRule", "Superscript",
                 "Subscript", "Strikeout"}


def _markup_in(markdown: str, allowed: set[str] = frozenset()) -> list[str]:
    return [n["t"] for n in _walk(_ast(markdown)["blocks"]) if n["t"] in _MARKUP_NODES - allowed]


def test_county_board_answers_are_literal_and_limited():
    from samverkan.results import county

    long_answer = "Vi samverkade. " * 400  # 6 000 characters
    text = county.answers_markdown(
        [("Fråga ett", HOSTILE[0]), ("Fråga två", HOSTILE[4]), ("Fråga tre", long_answer)])
    assert _markup_in(text) == []
    html = _convert(text, "html5")
    assert "<img" not in html and "{=typst}" in html
    assert " ".join(html.split()).count("[… avkortat]") == 1
    assert county.answers_markdown([("Fråga", "")]) == "**Fråga.** *Inget svar.*"


def test_unknown_column_headers_are_literal_in_the_quality_chapter():
    import dataclasses

    from samverkan.intake import quality

    values = {f.name: 0 for f in dataclasses.fields(quality.Facts)}
    values.update(counties_missing=(), ledger_balanced=True,
                  unknown_columns=("<img src=x onerror=alert(1)>", HOSTILE[0], "[x](javascript:1)"))
    text = quality.privacy_text(quality.Facts(**values))
    assert _markup_in(text) == []
    parser = _Elements()
    parser.feed(_convert(text, "html5"))
    assert [tag for tag, _ in parser.tags] == ["p"]
    assert "<img src=x onerror=alert(1)>" in " ".join("".join(parser.text).split())


def test_an_example_project_is_literal_apart_from_its_own_headings():
    import pandas as pd

    from samverkan.results import tables

    example = pd.Series({
        "cooperation_type": "Ny *struktur*", "lan_code": "08", "municipalities": "Kalmar @fig-x",
        "diarienummer": "1.2-3", "breadth": 2, "partners": "<script>alert(1)</script>",
        "title": "Samverkan @fig-x mot våld {=typst}", "goal_text": "1. mål\n\n# rubrik",
        "activities_text": "![h](/etc/passwd)", "goal_fulfilment_text": None,
        "integration_text": "::: {.x}\n:::",
    })
    text = tables.example_markdown(example, {"printed": {}, "round": "2011",
                                             "sources": {"2011": {"08": "rekonstruerad"}}})
    # the section heading, the italic type and the bold field names are the book's own
    assert _markup_in(text, allowed={"Header"}) == []
    headers = [n for n in _walk(_ast(text)["blocks"]) if n["t"] == "Header"]
    assert len(headers) == 1 and _inline_text(headers[0]["c"][2]) == (
        "Samverkan @fig-x mot våld {=typst}")
