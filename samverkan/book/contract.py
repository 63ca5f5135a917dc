"""What ``quarto render`` reads, kept as a tested contract where Quarto is not installed.

Quarto (>= 1.9) renders the same ``_quarto.yml`` and executed notebooks as the embedded
renderer, but reads some things differently; each rule here is a finding of a real Quarto 1.9
render (issue 13) or a rule of ``report/README-render.md``:

- a book chapter's title, and its entry in the HTML sidebar, is the first heading of the
  chapter's Markdown (for a notebook: its Markdown *cells*, not a code cell's output), so
  every chapter opens with one level-1 heading in a Markdown cell, with a ``#sec-`` id; a
  county appendix's title is the county's name;
- Quarto numbers headings itself (chapter-prefixed: 4.1, H.1): no hand-numbered heading, no
  skipped level; an appendix's sections are ``.unlisted`` so the contents list chapters,
  their sections and the appendices' titles only;
- a labelled figure cell with several outputs becomes sub-figures (a), (b) with an empty
  caption: one image per ``fig-`` cell;
- ``format:`` needs ``html`` and ``typst`` (without it Quarto writes HTML only), the typst
  book template (orange-book) fails without ``book.author``, and its chapter word comes from
  ``crossref-ch-prefix`` (``lang: sv`` alone leaves "Chapter" in the running headers in
  Quarto 1.9; quarto-cli #14524); ``crossref: chapters: false`` gives the HTML book numbers
  that restart on every page;
- CSS given to Quarto must not style Bootstrap's layout containers (body, the sidebar, the
  page grid): the embedded renderer's page CSS collapsed Quarto's sidebar to 50 px;
- ``quarto render`` appends ``/.quarto/`` and ``**/*.quarto_ipynb`` to ``.gitignore``.

Every check is a pure function over text or parsed data returning :class:`Problem` s;
``quarto_problems`` runs them over a project and is part of ``python -m samverkan check``.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import tinycss2

from samverkan.book import chapters as book
from samverkan.book import numbering
from samverkan.book.chapters import Problem

QUARTO_NOTICE = "report/_generated/rekonstruktion.html"
"""The reconstruction notice for Quarto's HTML book, written by the markdown stage
(:func:`write_quarto_notice`) and named in ``_quarto.yml`` as ``format.html.include-before-body``:
Quarto puts it right after ``<body>`` on every page of its multi-page book (the embedded
renderer's one-page HTML has it from its template, ``report/assets/rapport.html``)."""

GITIGNORE_ENTRIES = ("/.quarto/", "**/*.quarto_ipynb")
"""What ``quarto render`` appends to ``.gitignore`` when they are missing."""

LAYOUT_SELECTORS = re.compile(
    r"^(html|body|main|header|footer|nav|aside"
    r"|#quarto-[\w-]+|#title-block-header|#TOC|#toc-title"
    r"|\.(sidebar[\w-]*|page-columns|page-layout-[\w-]+|page-full|column-[\w-]+"
    r"|container(-fluid)?|row|col(-[\w-]+)?|content|quarto-[\w-]+|nav[\w-]*|navbar[\w-]*"
    r"|toc[\w-]*|title-block[\w-]*|callout[\w-]*|table-scroll))$"
)
"""Selectors (element, #id or .class) of Quarto's page layout: Bootstrap's grid, the sidebar,
the title block, the table of contents, callouts (Quarto draws its own). CSS for Quarto may
style the content (tables, figures, captions), never these."""

HAND_NUMBER = re.compile(
    r"^((\d{1,2}|[A-Z])(\.\d{1,2})+\.?|\d{1,2}[.)]|(Kapitel|Bilaga|Avsnitt|Del)\s+[\dA-Z]+\b)"
    r"\s*[-–—:.]?\s"
)
"""A heading that carries its own number ("4.1 Medel", "2. Bakgrund", "Bilaga B — …")."""

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*(?:\{([^{}]*)\})?[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


@dataclass(frozen=True)
class Heading:
    """One ATX heading, where it was found."""

    level: int
    text: str
    ident: str
    classes: tuple[str, ...]
    in_output: bool
    """Found in a code cell's Markdown output (Quarto's chapter title never comes from one)."""
    cell: int


def headings(markdown: str, cell: int = 0, in_output: bool = False) -> list[Heading]:
    """The ATX headings of a Markdown text, code fences skipped."""
    found = []
    fence = ""
    for line in markdown.splitlines():
        opening = _FENCE.match(line)
        if opening:
            marker = opening.group(1)
            if not fence:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = ""
            continue
        if fence:
            continue
        match = _HEADING.match(line)
        if not match:
            continue
        attrs = (match.group(3) or "").split()
        ident = next((a[1:] for a in attrs if a.startswith("#")), "")
        classes = tuple(a[1:] for a in attrs if a.startswith("."))
        found.append(Heading(len(match.group(1)), match.group(2).strip(), ident, classes,
                             in_output, cell))
    return found


def notebook_headings(nb: dict) -> list[Heading]:
    """Every heading of a notebook in reading order: Markdown cells and Markdown outputs."""
    found: list[Heading] = []
    for index, cell in enumerate(nb.get("cells", []), start=1):
        if cell.get("cell_type") == "markdown":
            found += headings(book._joined(cell.get("source", "")), index)
        elif cell.get("cell_type") == "code":
            for output in cell.get("outputs", []):
                text = output.get("data", {}).get("text/markdown")
                if text is not None:
                    found += headings(book._joined(text), index, in_output=True)
    return found


def heading_problems(
    where: str, found: list[Heading], *, appendix: bool = False, title: str | None = None
) -> list[Problem]:
    """A chapter's headings as Quarto needs them: the first one a level-1 title (not from a
    code cell's output) with a ``#sec-`` id, the only level-1 heading; no skipped level; no
    hand numbering; in an appendix, sections ``.unlisted``; ``title`` if given."""
    problems: list[Problem] = []

    def problem(heading: Heading | None, message: str) -> None:
        place = f"{where}, cell {heading.cell}" if heading and heading.cell else where
        problems.append(Problem(place, message))

    if not found:
        return [Problem(where, "no heading: a chapter opens with its title, `# Titel {#sec-…}`")]
    first = found[0]
    if first.level != 1:
        problem(first, (
            f"the first heading, {first.text!r}, is level {first.level}: Quarto takes the "
            "chapter's title (and its sidebar entry) from it; open the chapter with "
            "`# Titel {#sec-…}`"))
    elif first.in_output:
        problem(first, (
            f"the title {first.text!r} comes from a code cell's output: Quarto's sidebar "
            "takes the first heading of the Markdown cells instead; write the title in a "
            "Markdown cell (the runner fills `{lan_name}`/`{lan_code}` in it)"))
    if first.level == 1 and not first.ident.startswith("sec-"):
        problem(first, f"the title {first.text!r} has no `{{#sec-…}}` id to refer to")
    if title is not None and first.level == 1 and first.text != title:
        problem(first, f"the title is {first.text!r}, not the county's name {title!r}")
    for extra in (h for h in found[1:] if h.level == 1):
        problem(extra, (
            f"a second level-1 heading {extra.text!r}: a chapter has one title; its parts "
            "are level-2 sections"))
    previous = 0
    for heading in found:
        if previous and heading.level > previous + 1:
            problem(heading, (
                f"the heading {heading.text!r} is level {heading.level} right under level "
                f"{previous}: Quarto would number it {previous}.0.1; use level {previous + 1}"))
        previous = heading.level
        if HAND_NUMBER.match(heading.text):
            problem(heading, (
                f"the heading {heading.text!r} is numbered by hand: Quarto and the embedded "
                "renderer number headings themselves (4.1, H.1)"))
        if appendix and heading.level > 1 and "unlisted" not in heading.classes:
            problem(heading, (
                f"the appendix section {heading.text!r} is not `{{.unlisted}}`: the contents "
                "list the appendices' titles, not their sections"))
    return problems


def _labelled_code_cells(nb: dict) -> list[tuple[int, dict, str]]:
    """(1-based cell number, cell, label) of every code cell whose options parse (``check``
    reports the ones that do not); the label is ``""`` where the cell has none."""
    out = []
    for index, cell in enumerate(nb.get("cells", []), start=1):
        if cell.get("cell_type") != "code":
            continue
        try:
            options, _ = book.cell_options(book._joined(cell.get("source", "")))
        except ValueError:
            continue
        out.append((index, cell, str(options.get("label", "") or "")))
    return out


def figure_problems(where: str, nb: dict) -> list[Problem]:
    """Every ``fig-`` labelled code cell that has run shows exactly one image."""
    problems = []
    for index, cell, label in _labelled_code_cells(nb):
        outputs = cell.get("outputs", [])
        if not label.startswith("fig-") or not outputs:
            continue
        images = [o for o in outputs if any(k.startswith("image/") for k in o.get("data", {}))]
        if len(outputs) != 1 or len(images) != 1:
            problems.append(Problem(f"{where}, cell {index}", (
                f"the figure cell {label} has {len(outputs)} outputs ({len(images)} images): "
                "Quarto makes each output a sub-figure (a), (b) under an empty caption; show "
                "one image and put the description in a cell of its own")))
    return problems


def county_source_problems(where: str, nb: dict) -> list[Problem]:
    """The county notebook (run once per county into one book) before the runner fills it:
    its title names ``{lan_name}`` with the id ``sec-lan-{lan_code}``, and every label carries
    ``{lan_code}`` so that it is unique in the book."""
    problems = []
    titles = [line for cell in nb.get("cells", []) if cell.get("cell_type") == "markdown"
              for line in book._joined(cell.get("source", "")).splitlines()
              if line.startswith("# ")]  # placeholders nest braces: not a heading to parse yet
    if not titles or "{lan_name}" not in titles[0] or "{#sec-lan-{lan_code}" not in titles[0]:
        problems.append(Problem(where, (
            "the county title must be the Markdown cell `# {lan_name} {#sec-lan-{lan_code}}`: "
            "the runner fills in each county's name and code")))
    for index, _cell, label in _labelled_code_cells(nb):
        if label and "{lan_code}" not in label:
            problems.append(Problem(f"{where}, cell {index}", (
                f"the label {label} lacks `{{lan_code}}`: the 21 county chapters would define "
                "it 21 times")))
    return problems


def notice_html(text: str | None) -> str:
    """The reconstruction notice (:func:`samverkan.provenance.notice_text`) as the HTML block
    that heads every page of Quarto's HTML book, the same markup as the embedded renderer's
    (``<p id="notice" class="reconstruction-notice" role="note">``), the text escaped; empty
    once no county has the reconstruction (the file must still exist for Quarto)."""
    if text is None:
        return ""
    return ('<p id="notice" class="reconstruction-notice" role="note"><strong>Obs!</strong> '
            f"{html.escape(text, quote=False)}</p>\n")


def write_quarto_notice(path: Path | str | None = None) -> Path:
    """Write :func:`notice_html` for the project's data (whose files each county has in the
    final round) atomically to ``path`` (default :data:`QUARTO_NOTICE`)."""
    from samverkan import provenance
    from samverkan.io import write_text
    from samverkan.paths import project_root
    from samverkan.rounds import DEFAULT_ROUND

    text = provenance.notice_text(provenance.county_sources(DEFAULT_ROUND))
    return write_text(Path(path) if path else project_root() / QUARTO_NOTICE, notice_html(text))


def config_problems(cfg: dict, scheme: numbering.Scheme = numbering.BOOK) -> list[Problem]:
    """``_quarto.yml`` as Quarto 1.9 needs it for the book both renderers make."""
    where = "_quarto.yml"
    problems = []
    formats = cfg.get("format") or {}
    if not isinstance(formats, dict) or not {"html", "typst"} <= set(formats):
        problems.append(Problem(where, (
            "`format:` must list `html` and `typst`: without both Quarto renders the HTML "
            "book only and no PDF")))
    info = cfg.get("book") or {}
    if not info.get("author"):
        problems.append(Problem(where, (
            "`book.author` is missing: Quarto's typst book template (orange-book) fails "
            "with `expected content, found array` without it")))
    if cfg.get("lang") != "sv":
        problems.append(Problem(where, "`lang: sv` is missing: Quarto's words would be English"))
    crossref = cfg.get("crossref") or {}
    if isinstance(crossref, dict) and crossref.get("chapters") is False:
        problems.append(Problem(where, (
            "`crossref: chapters: false`: Quarto's HTML book renders each chapter on its own, "
            "so its figure and table numbers restart on every page; the book numbers them "
            "per chapter (Tabell 4.2, Figur H.1)")))
    if (cfg.get("execute") or {}).get("enabled") is not False:
        problems.append(Problem(where, (
            "`execute: enabled: false` is missing: papermill executes the notebooks, Quarto "
            "only assembles them")))
    html = formats.get("html") if isinstance(formats, dict) else None
    typst = formats.get("typst") if isinstance(formats, dict) else None
    for name, options in (("html", html), ("typst", typst)):
        if not isinstance(options, dict):
            continue
        if options.get("toc-title") != scheme.contents:
            problems.append(Problem(where, (
                f"`format.{name}.toc-title` must be {scheme.contents!r}, as in the embedded "
                "renderer")))
        if options.get("embed-resources") is True:
            problems.append(Problem(where, (
                f"`format.{name}.embed-resources: true` breaks `quarto render` of a book "
                "with several formats (quarto-cli #11206)")))
    if isinstance(html, dict) and QUARTO_NOTICE not in _format_files(
            cfg, "html", "include-before-body"):
        problems.append(Problem(where, (
            f"`format.html.include-before-body` must name {QUARTO_NOTICE}: without it Quarto's "
            "HTML pages lack the reconstruction notice that heads every page of the book")))
    if isinstance(typst, dict):
        if typst.get("crossref-ch-prefix") != scheme.chapter:
            problems.append(Problem(where, (
                f"`format.typst.crossref-ch-prefix` must be {scheme.chapter!r}: Quarto 1.9's "
                "typst book template takes its chapter word from it, and `lang: sv` alone "
                "leaves \"Chapter 1.\" in the running headers (quarto-cli #14524)")))
        if int(typst.get("toc-depth", 3)) > 2:
            problems.append(Problem(where, (
                "`format.typst.toc-depth` above 2 lists subsections: the contents run for "
                "pages")))
    return problems


def _selector_parts(tokens: list) -> Iterable[str]:
    """Element names, ``#ids`` and ``.classes`` of a selector's tokens (tinycss2)."""
    previous = None
    for token in tokens:
        if token.type == "ident" and not (previous is not None and previous == ":"):
            yield ("." + token.value) if previous == "." else token.value
        elif token.type == "hash":
            yield "#" + token.value
        elif token.type == "function":
            yield from _selector_parts(token.arguments)
        previous = token.value if token.type == "literal" else None


def css_problems(where: str, css: str) -> list[Problem]:
    """Rules of a stylesheet given to Quarto that style Quarto's layout containers."""
    problems = []

    def visit(rules: list) -> None:
        for rule in rules:
            if rule.type == "qualified-rule":
                selector = tinycss2.serialize(rule.prelude).strip()
                hits = sorted({p for p in _selector_parts(rule.prelude)
                               if LAYOUT_SELECTORS.match(p)})
                if hits:
                    problems.append(Problem(where, (
                        f"`{selector}` styles Quarto's layout ({', '.join(hits)}): Bootstrap's "
                        "grid and sidebar break (the sidebar collapsed to 50 px); style the "
                        "content only, or use the theme's options")))
            elif rule.type == "at-rule" and rule.content is not None:
                visit(tinycss2.parse_blocks_contents(rule.content, skip_comments=True,
                                                     skip_whitespace=True))
            elif rule.type == "error":
                problems.append(Problem(where, f"CSS that cannot be parsed: {rule.message}"))

    visit(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
    return problems


CAPTIONS = ("figcaption", "caption", ".figure-caption")
"""The selectors of Quarto's figure and table captions (printed in #6d7a86 by its theme)."""
MIN_CONTRAST = 4.5
"""WCAG 2.1 AA (1.4.3): the contrast of normal text against its background."""
_HEX = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def contrast(colour: str, background: str = "#ffffff") -> float:
    """WCAG 2.1's contrast ratio of two ``#rgb``/``#rrggbb`` colours, 1 to 21."""

    def luminance(value: str) -> float:
        digits = value.lstrip("#")
        digits = "".join(c * 2 for c in digits) if len(digits) == 3 else digits
        channels = [int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
                   for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    lighter, darker = sorted((luminance(colour), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _subjects(prelude: list) -> list[str]:
    """The element each selector of a list styles: its last part (``figcaption strong`` styles
    ``strong``)."""
    subjects, current = [], []
    for token in [*prelude, None]:
        if token is None or (token.type == "literal" and token.value == ","):
            parts = list(_selector_parts(current))
            subjects += parts[-1:]
            current = []
        else:
            current.append(token)
    return subjects


def _colours(css: str) -> Iterable[tuple[str, list[str], str]]:
    """Every ``color: #…`` of a stylesheet: its selector, what it styles, the colour."""
    def visit(rules: list) -> Iterable[tuple[str, list[str], str]]:
        for rule in rules:
            if rule.type == "qualified-rule":
                selector = tinycss2.serialize(rule.prelude).strip()
                for decl in tinycss2.parse_declaration_list(rule.content, skip_comments=True,
                                                            skip_whitespace=True):
                    if decl.type == "declaration" and decl.lower_name == "color":
                        match = _HEX.fullmatch(tinycss2.serialize(decl.value).strip())
                        if match:
                            yield selector, _subjects(rule.prelude), match.group(0)
            elif rule.type == "at-rule" and rule.content is not None:
                yield from visit(tinycss2.parse_blocks_contents(
                    rule.content, skip_comments=True, skip_whitespace=True))

    yield from visit(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


def contrast_problems(where: str, css: str) -> list[Problem]:
    """Text colours of the stylesheet given to Quarto below 4.5:1 on white, and captions
    left in the theme's grey (Quarto 1.9's #6d7a86: 4.39:1)."""
    problems = []
    covered: set[str] = set()
    for selector, parts, colour in _colours(css):
        ratio = contrast(colour)
        if ratio < MIN_CONTRAST:
            problems.append(Problem(where, (
                f"`{selector}` has colour {colour}, {ratio:.2f}:1 on white; WCAG 2.1 AA "
                f"needs {MIN_CONTRAST}:1")))
        else:
            covered.update(parts)
    missing = [c for c in CAPTIONS if c not in covered]
    if missing:
        problems.append(Problem(where, (
            f"no colour of at least {MIN_CONTRAST}:1 for the captions ({', '.join(missing)}): "
            "Quarto's theme prints them in #6d7a86, 4.39:1 on white")))
    return problems


def partial_problems(where: str, text: str, scheme: numbering.Scheme = numbering.BOOK
                     ) -> list[Problem]:
    """The typst book partial (``typst-show.typ``) calls orange-book's ``book`` with the
    Swedish words for chapter and part (its defaults are "Chapter" and "Part")."""
    problems = []
    if not re.search(r'#import\s+"@preview/orange-book:[\d.]+"', text) or "book.with(" not in text:
        problems.append(Problem(where, (
            "does not import orange-book and call `book.with(...)`: Quarto's typst book "
            "would lose its template")))
    words = dict(re.findall(r'supplement-(chapter|part)\s*:\s*"([^"]*)"', text))
    for key, want in (("chapter", scheme.chapter), ("part", numbering.PART)):
        if words.get(key) != want:
            problems.append(Problem(where, (
                f'`supplement-{key}: "{want}"` is missing from `book.with(...)`: orange-book '
                f'would print its English default ("{key.capitalize()}") in the running heads')))
    return problems


def gitignore_problems(text: str) -> list[Problem]:
    """``.gitignore`` already holds what ``quarto render`` would append."""
    lines = {line.strip() for line in text.splitlines()}
    return [
        Problem(".gitignore", (
            f"`{entry}` is missing: `quarto render` appends it and leaves the tree unclean"))
        for entry in GITIGNORE_ENTRIES if entry not in lines
    ]


def _format_files(cfg: dict, fmt: str, key: str) -> list[str]:
    """The files a format option names (``css``, ``include-in-header``): one or a list."""
    options = (cfg.get("format") or {}).get(fmt)
    value = options.get(key, []) if isinstance(options, dict) else []
    values = [value] if isinstance(value, str | dict) else list(value or [])
    return [v if isinstance(v, str) else str(v.get("file", "")) for v in values
            if isinstance(v, str) or "file" in v]


def chapter_problems(
    chapter: book.Chapter, county_name: Callable[[str], str] | None = None
) -> list[Problem]:
    """The heading and figure rules for one existing chapter file (an executed notebook, a
    ``.qmd`` or ``.md``); a county appendix's title must be ``county_name(lan_code)``."""
    text = chapter.file.read_text(encoding="utf-8")
    if chapter.is_notebook:
        try:
            nb = json.loads(text)
        except ValueError:
            return []  # `check` reports unreadable notebooks
        found = notebook_headings(nb)
        problems = figure_problems(chapter.path, nb)
    else:
        found = headings(book._strip_front_matter(text)[1])
        problems = []
    county = book.COUNTY_CHAPTER.fullmatch(chapter.name)
    title = county_name(county.group(1)) if county and county_name else None
    return heading_problems(chapter.path, found, appendix=chapter.appendix, title=title) + problems


def _registry_name(lan_code: str) -> str:
    from samverkan.registry import county_name

    return county_name(lan_code)


def quarto_problems(
    root: Path, county_name: Callable[[str], str] | None = _registry_name
) -> list[Problem]:
    """Everything in the project Quarto would render differently from the embedded renderer
    (chapters that do not exist yet are left to ``check``'s own message)."""
    cfg = book.config(root)
    problems = config_problems(cfg)
    for css in _format_files(cfg, "html", "css"):
        path = root / css
        if not path.is_file():
            problems.append(Problem("_quarto.yml", f"the stylesheet {css} does not exist"))
        else:
            text = path.read_text(encoding="utf-8")
            problems += css_problems(css, text) + contrast_problems(css, text)
    for fmt, key in (("typst", "include-in-header"), ("typst", "template-partials"),
                     ("html", "include-after-body")):
        for include in _format_files(cfg, fmt, key):
            if not (root / include).is_file():
                problems.append(Problem("_quarto.yml", f"the {fmt} {key} file {include} does "
                                                       "not exist"))
    partials = [p for p in _format_files(cfg, "typst", "template-partials")
                if PurePosixPath(p).name == "typst-show.typ"]
    if not partials:
        problems.append(Problem("_quarto.yml", (
            "`format.typst.template-partials` has no typst-show.typ: Quarto 1.9.38's own "
            "leaves orange-book's \"Chapter\" and \"Part\" in the PDF's running heads")))
    for partial in partials:
        if (root / partial).is_file():
            problems += partial_problems(partial, (root / partial).read_text(encoding="utf-8"))
    gitignore = root / ".gitignore"
    problems += gitignore_problems(
        gitignore.read_text(encoding="utf-8") if gitignore.is_file() else "")
    for chapter in book.chapters(root):
        if chapter.file.is_file():
            problems += chapter_problems(chapter, county_name)
    sources = {c.source for c in book.notebook_chapters(root) if "lan_code" in c.parameters}
    for source in sorted(s for s in sources if s.is_file()):
        where = source.relative_to(root).as_posix()
        problems += county_source_problems(where, json.loads(source.read_text(encoding="utf-8")))
    return problems
