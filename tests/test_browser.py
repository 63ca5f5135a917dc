"""The rendered HTML in a real browser (headless Chromium through Playwright): no console
errors, no requests beyond the file itself, a table of contents whose links all land, every
figure's image loaded with alt text, every cross-reference link pointing at something.

:func:`browser_problems` is the assertion for any book: the tiny test book here, and the
project's ``_book/rapport.html`` after a full run (the end-to-end test calls it too)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from samverkan import book, render
from samverkan.paths import project_root
from tests.book_fixtures import write_tiny_book

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Chromium is not installed (scripts/setup.sh installs it)"
)

# Runs in the page: what the DOM says about the book.
INSPECT = """() => {
  const targets = a => document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)));
  const internal = Array.from(document.querySelectorAll('main a[href^="#"]'));
  const toc = Array.from(document.querySelectorAll('nav#TOC a[href^="#"]'));
  const figures = Array.from(document.querySelectorAll('main figure'));
  return {
    lang: document.documentElement.lang,
    tocTitle: (document.querySelector('nav#TOC #toc-title') || {}).textContent || '',
    toc: toc.length,
    tocDangling: toc.filter(a => !targets(a)).map(a => a.getAttribute('href')),
    refsDangling: internal.filter(a => !targets(a)).map(a => a.getAttribute('href')),
    unresolved: (document.body.innerText.match(/\\?@[\\w-]+/g) || []),
    figures: figures.map(f => ({
      id: f.id,
      images: Array.from(f.querySelectorAll('img')).map(i => ({
        loaded: i.complete && i.naturalWidth > 0, alt: i.getAttribute('alt') || '',
        src: i.getAttribute('src').slice(0, 30)})),
      caption: (f.querySelector('figcaption') || {}).textContent || ''})),
    tables: Array.from(document.querySelectorAll('main table')).map(t => ({
      id: t.id, rows: t.rows.length, caption: (t.caption || {}).textContent || ''})),
    scripts: document.scripts.length,
  };
}"""


def browser_problems(html: Path) -> list[str]:
    """Everything a reader's browser would show wrong with the book at ``html``."""
    from playwright.sync_api import sync_playwright

    url = html.resolve().as_uri()
    console: list[str] = []
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 1600})
            page.on("console", lambda m: console.append(f"console {m.type}: {m.text}")
                    if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: console.append(f"page error: {e}"))
            page.on("request", lambda r: requests.append(r.url) if r.url != url else None)
            page.goto(url, wait_until="load")
            dom = page.evaluate(INSPECT)
        finally:
            browser.close()
    problems = list(console)
    problems += [f"the page requested {r}" for r in requests if not r.startswith("data:")]
    if dom["lang"] != "sv":
        problems.append(f"<html lang> is {dom['lang']!r}, not 'sv'")
    if dom["tocTitle"] != "Innehåll" or dom["toc"] == 0:
        problems.append("no table of contents titled Innehåll")
    problems += [f"TOC link {h} has no target" for h in dom["tocDangling"]]
    problems += [f"link {h} has no target" for h in dom["refsDangling"]]
    problems += [f"unresolved cross-reference {u}" for u in dom["unresolved"]]
    if dom["scripts"]:
        problems.append(f"{dom['scripts']} script element(s): the book needs none")
    for figure in dom["figures"]:
        name = figure["id"] or "a figure"
        if not figure["images"]:
            problems.append(f"{name} has no image")
        for image in figure["images"]:
            if not image["loaded"]:
                problems.append(f"{name}: image {image['src']}… did not load")
            if not image["alt"].strip():
                problems.append(f"{name}: image without alt text")
            if not image["src"].startswith("data:"):
                problems.append(f"{name}: image is not embedded ({image['src']}…)")
        if figure["id"].startswith("fig-") and not figure["caption"].startswith("Figur"):
            problems.append(f"{name}: caption does not start with 'Figur N'")
    for table in dom["tables"]:
        if table["id"].startswith("tbl-") and not table["caption"].startswith("Tabell"):
            problems.append(f"{table['id']}: caption does not start with 'Tabell N'")
        if table["rows"] < 2:
            problems.append(f"{table['id'] or 'a table'} has no body rows")
    return problems


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
                        '<img src="http://127.0.0.1:9/x.png" alt="extern"></main>')
    broken.write_text(html, encoding="utf-8")
    problems = browser_problems(broken)
    assert "link #tbl-borta has no target" in problems
    assert "fig-staplar: image without alt text" in problems
    assert "console error: trasig" in problems
    assert "the page requested http://127.0.0.1:9/x.png" in problems
    assert "1 script element(s): the book needs none" in problems


def test_project_book_in_the_browser():
    """The project's own rendered book, when a run has produced it."""
    html = book.output_dir(project_root()) / f"{book.output_name(project_root())}.html"
    if not html.is_file():
        pytest.skip(f"{html} does not exist yet: run `python -m samverkan run`")
    assert browser_problems(html) == []
