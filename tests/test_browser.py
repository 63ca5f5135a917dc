"""The browser check (tests/browser.py) on the tiny test book: no console errors, no requests
beyond the file itself, a table of contents whose links all land, every figure's image loaded
with alt text, every cross-reference link pointing at something; and that it catches a page
broken in each of those ways. The project's own book is checked by tests/test_end_to_end.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_problems

from samverkan.book import render
from samverkan.paths import project_root
from tests.book_fixtures import write_tiny_book


@pytest.fixture(scope="module")
def tiny_html(tmp_path_factory) -> Path:
    root = write_tiny_book(tmp_path_factory.mktemp("browser"), assets_from=project_root())
    render.write_cover_note(root)
    return render.render_embedded(root).outputs[0]


def test_tiny_book_in_the_browser(tiny_html):
    assert browser_problems(tiny_html) == []


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
