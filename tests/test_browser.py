"""The browser check (tests/browser.py) on the tiny test book: no console errors, no requests
beyond the file itself, a table of contents whose links all land, every figure's image loaded
with alt text, every cross-reference link pointing at something; and that it catches a page
broken in each of those ways. The project's own book is checked by tests/test_end_to_end.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import PHONE, WIDTH, axe_violations, browser_problems

from samverkan.book import render
from samverkan.paths import project_root
from tests.book_fixtures import write_tiny_book


@pytest.fixture(scope="module")
def tiny_html(tmp_path_factory) -> Path:
    root = write_tiny_book(tmp_path_factory.mktemp("browser"), assets_from=project_root())
    render.write_cover_note(root)
    return render.render_embedded(root).outputs[0]


@pytest.mark.parametrize("width", [WIDTH, PHONE])
def test_tiny_book_in_the_browser(tiny_html, width):
    assert browser_problems(tiny_html, width=width) == []


@pytest.mark.parametrize("width", [WIDTH, PHONE])
def test_tiny_book_has_no_wcag_21_aa_violation(tiny_html, width):
    """axe-core (the engine of the accessibility checkers public bodies use) finds nothing in
    WCAG 2.1 A and AA, at a laptop's and a phone's width."""
    assert axe_violations(tiny_html, width) == []


def test_axe_catches_an_inaccessible_page(tiny_html, tmp_path):
    """The axe check can fail: an image without alt text, pale text and a scroll box that a
    keyboard cannot reach are each reported."""
    broken = tmp_path / "broken.html"
    html = tiny_html.read_text(encoding="utf-8")
    html = html.replace('role="img" aria-label="Staplar för Stockholm, Uppsala och Östergötland"',
                        "", 1)
    html = html.replace('alt="Staplar för Stockholm, Uppsala och Östergötland"', "", 1)
    html = html.replace("</main>", '<p style="color: #aaa">blek text</p>'
                        '<pre style="white-space: pre; overflow-x: auto; width: 200px">'
                        + "bred " * 100 + "</pre></main>")
    broken.write_text(html, encoding="utf-8")
    rules = {line.split(" ", 1)[0] for line in axe_violations(broken, PHONE)}
    assert {"image-alt", "color-contrast", "scrollable-region-focusable"} <= rules, rules


def test_the_browser_check_catches_a_broken_page(tiny_html, tmp_path):
    broken = tmp_path / "broken.html"
    html = tiny_html.read_text(encoding="utf-8")
    html = html.replace('<a href="#tbl-medel">', '<a href="#tbl-borta">', 1)
    html = html.replace('alt="Staplar för Stockholm, Uppsala och Östergötland"', 'alt=""', 1)
    html = html.replace("</main>", '<script>console.error("trasig")</script>'
                        '<img src="http://127.0.0.1:9/x.png" alt="extern">'
                        '<div class="table-scroll"><table id="tbl-bred"><thead><tr><th></th>'
                        '<th>Bred</th></tr></thead><tbody><tr><td>1</td>'
                        '<td><div style="width: 3000px">x</div></td></tr></tbody></table></div>'
                        '<p>?@tbl-borta</p></main>')
    broken.write_text(html, encoding="utf-8")
    problems = browser_problems(broken, figures={"fig-staplar", "fig-saknas"})
    assert "fig-saknas is not on the page" in problems
    assert "fig-staplar is not on the page" not in problems
    assert "link #tbl-borta has no target" in problems
    assert "fig-staplar: image without alt text" in problems
    assert "console error: trasig" in problems
    assert "the page requested http://127.0.0.1:9/x.png" in problems
    assert "1 script element(s): the book needs none" in problems
    assert any(p.startswith("tbl-bred is ") and "px column" in p for p in problems), problems
    assert "tbl-bred has 1 header cell(s) without text" in problems
    assert "unresolved cross-reference ?@tbl-borta" in problems
    assert any(p.startswith("scroll region ") and p.endswith(
        "(no name) is not a named, keyboard-focusable region") for p in problems), problems
