"""The rendered HTML in a real browser (headless Chromium through Playwright, the system's
Chromium): :func:`browser_problems` lists everything a reader's browser would show wrong with a
book. Used on the tiny test book (tests/test_browser.py) and on the project's own book after a
full run (tests/test_end_to_end.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
WIDTH = 1280
"""The reader's window: a common laptop width."""
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]

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
    tables: Array.from(document.querySelectorAll('main table')).map(t => {
      const box = t.closest('.table-scroll, figure, div[id^="tbl-"]') || t.parentElement;
      return {
        id: t.id, name: t.id || (t.closest('[id^="tbl-"]') || {}).id || 'a table',
        rows: t.rows.length,
        caption: ((t.caption || document.getElementById(t.getAttribute('aria-labelledby') || '')
                   || {}).textContent || '').trim(),
        width: Math.round(t.getBoundingClientRect().width), room: box.clientWidth,
        emptyHeaders: Array.from(t.querySelectorAll('thead th'))
          .filter(th => !th.textContent.trim()).length,
      };
    }),
    wideFigures: figures.filter(f => Array.from(f.querySelectorAll('img')).some(
      i => i.getBoundingClientRect().width > f.clientWidth + 1)).map(f => f.id || 'a figure'),
    scrollRegions: Array.from(document.querySelectorAll('main .table-scroll')).map(box => ({
      focusable: box.tabIndex === 0, role: box.getAttribute('role') || '',
      name: box.getAttribute('aria-label') || (document.getElementById(
        box.getAttribute('aria-labelledby') || '') || {}).textContent || '',
      captionInside: box.querySelectorAll('caption').length})),
    pageWidth: document.documentElement.scrollWidth,
    scripts: document.scripts.length,
  };
}"""


def browser_problems(html: Path, figures: set[str] | None = None, width: int = WIDTH
                     ) -> list[str]:
    """Everything a reader's browser would show wrong with the book at ``html`` in a ``width``
    px window; ``figures``: the ids of the figures that must be on the page. At the laptop
    width every table fits its column; narrower, a table may scroll inside its region."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise AssertionError(f"Chromium is not installed at {CHROMIUM}: run scripts/setup.sh as "
                             "root, or `apt-get install chromium`")
    url = html.resolve().as_uri()
    console: list[str] = []
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 1600})
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
    if dom["pageWidth"] > width:
        problems.append(f"the page is {dom['pageWidth']} px wide in a {width} px window")
    for number, box in enumerate(dom["scrollRegions"], start=1):
        where = f"scroll region {number} ({box['name'][:40] or 'no name'})"
        if not box["focusable"] or box["role"] != "region" or not box["name"].strip():
            problems.append(f"{where} is not a named, keyboard-focusable region")
        if box["captionInside"]:
            problems.append(f"{where} scrolls its table's caption out of view")
    problems += [f"{name} is wider than its column" for name in dom["wideFigures"]]
    for table in dom["tables"]:
        name = table["name"]
        if table["id"].startswith("tbl-") and not table["caption"].startswith("Tabell"):
            problems.append(f"{table['id']}: caption does not start with 'Tabell N'")
        if table["rows"] < 2:
            problems.append(f"{name} has no body rows")
        if width >= WIDTH and table["width"] > table["room"] + 1:
            problems.append(f"{name} is {table['width']} px wide in a {table['room']} px column")
        if table["emptyHeaders"]:
            problems.append(f"{name} has {table['emptyHeaders']} header cell(s) without text")
    missing = sorted((figures or set()) - {f["id"] for f in dom["figures"]})
    problems += [f"{name} is not on the page" for name in missing]
    return problems


WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
"""axe-core's tags for the rules of WCAG 2.1 levels A and AA (what lag 2018:1937 requires)."""
PHONE = 390
"""A phone's width in CSS pixels (iPhone 12 to 15)."""


def axe_violations(html: Path, width: int = WIDTH) -> list[str]:
    """axe-core's WCAG 2.1 A and AA violations on the page at ``html`` in a ``width`` px window,
    one line per rule: id, impact, how many elements, the first element's selector."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(html.resolve().as_uri(), wait_until="load")
            results = Axe().run(page, options={
                "runOnly": {"type": "tag", "values": WCAG_21_AA},
                "resultTypes": ["violations"],
            })
        finally:
            browser.close()
    return [f"{v['id']} ({v['impact']}, {len(v['nodes'])}×): {v['nodes'][0]['target']}"
            for v in results.response["violations"]]
