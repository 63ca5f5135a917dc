"""The book's structure and source: the chapter list in ``_quarto.yml`` and the assembly of all
chapters (executed notebooks, ``.qmd`` and ``.md`` files) into one pandoc Markdown document.

The assembly keeps Quarto's syntax, so one set of pandoc Lua filters (``report/assets/``) gives
the same result as ``quarto render``:

- Notebook code cells are hidden; their outputs are kept. A cell's options are Quarto's ``#|``
  comments at the top of its source (``#| label: fig-x``, ``#| fig-cap: ...``, ``#| fig-alt:
  ...``, ``#| label: tbl-x``, ``#| tbl-cap: ...``, ``#| include: false``, ``#| output: false``,
  ``#| echo: true``). A ``fig-`` labelled cell's images become one figure; a ``tbl-`` labelled
  cell's first table (a DataFrame's HTML, or a Markdown table) becomes the table.
- ``text/markdown`` outputs (``display(Markdown(...))``) are Markdown, so ``@fig-x`` in them is a
  cross-reference like anywhere else.
- ``{{< include path >}}`` is replaced by the file (path relative to the including file, or to
  the project root when it starts with ``/``); ``{{< pagebreak >}}`` becomes a page break.
- Image paths starting with ``/`` are relative to the project root (Quarto's convention); other
  relative paths are relative to the chapter's file.
"""

from __future__ import annotations

import base64
import copy
import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import NamedTuple

import yaml

from samverkan.io import parse_yaml
from samverkan.paths import GENERATED, project_root

"""Where the runner writes executed notebooks and generated chapters (paths.generated_dir())."""

OPTIONAL_TAG = "optional"
"""A labelled table cell with this tag may show nothing (the text before it says why)."""

NOTEBOOK_SOURCES = PurePosixPath("notebooks")
COUNTY_NOTEBOOK = "county"
COUNTY_CHAPTER = re.compile(r"county_(\d{2})$")

CHAPTER_MARKER = "book-chapter"
APPENDIX_MARKER = "book-appendices"
PART_MARKER = "book-part"

_SHORTCODE = re.compile(r"\{\{<\s*(\w[\w-]*)\s*(.*?)\s*>\}\}")
_CELL_OPTION = re.compile(r"^\s*#\|\s?(.*)$")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*\n", re.DOTALL)
_HTML_TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL | re.IGNORECASE)
_MD_TABLE_LINE = re.compile(r"^\s*\|.*\|\s*$")
_IMAGE_TYPES = {"image/svg+xml": "svg", "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif"}


class BookError(Exception):
    """The book's configuration cannot be used (no _quarto.yml, no chapter list, bad entry)."""


@dataclass(frozen=True)
class Chapter:
    """One chapter of the book, as listed in ``_quarto.yml``."""

    path: str
    """As written in _quarto.yml: POSIX, relative to the project root."""
    file: Path
    """Absolute path of the chapter's file."""
    appendix: bool = False
    part: str | None = None
    """Title of the part the chapter belongs to, if the book uses parts."""

    @property
    def is_notebook(self) -> bool:
        return self.path.endswith(".ipynb")

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).stem


class NotebookChapter(NamedTuple):
    """A notebook chapter and how the runner produces it with papermill."""

    generated: Path
    """The executed copy the book reads (report/_generated/NAME.ipynb)."""
    source: Path
    """The notebook papermill executes (notebooks/NAME.ipynb, or notebooks/county.ipynb)."""
    parameters: dict[str, object]
    """Chapter-specific papermill parameters ({"lan_code": "01"} for a county profile); the
    runner adds the run-wide ones (report_round)."""


@dataclass
class Problem:
    """Something wrong with the book's source, for ``check`` and as render warnings."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def config(root: Path | None = None) -> dict:
    """The parsed ``_quarto.yml`` (a copy of your own: parsed once per version of the file)."""
    path = (root or project_root()) / "_quarto.yml"
    try:
        stat = path.stat()
    except OSError:
        raise BookError(f"{path} is missing: the book's chapter list lives there.") from None
    return copy.deepcopy(_parsed_config(path, stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=8)
def _parsed_config(path: Path, _mtime_ns: int, _size: int) -> dict:
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise BookError(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("book"), dict):
        raise BookError(f"{path} has no `book:` section with the chapter list.")
    return data


def _entries(items: object, appendix: bool, where: str) -> list[tuple[str, bool, str | None]]:
    """Flatten a chapters/appendices list, parts included, to (path, appendix, part)."""
    if items is None:
        return []
    if not isinstance(items, list):
        raise BookError(f"_quarto.yml: book.{where} must be a list of files")
    out: list[tuple[str, bool, str | None]] = []
    for item in items:
        if isinstance(item, str):
            out.append((item, appendix, None))
        elif isinstance(item, dict) and "part" in item:
            part = str(item["part"])
            for path, _, _ in _entries(item.get("chapters", []), appendix, where):
                out.append((path, appendix, part))
        else:
            raise BookError(f"_quarto.yml: book.{where} has an entry that is not a file: {item!r}")
    return out


def chapters(root: Path | None = None) -> list[Chapter]:
    """Every chapter of the book in reading order: ``book.chapters`` then ``book.appendices``."""
    root = root or project_root()
    book = config(root)["book"]
    entries = _entries(book.get("chapters"), False, "chapters") + _entries(
        book.get("appendices"), True, "appendices"
    )
    if not entries:
        raise BookError("_quarto.yml: book.chapters is empty")
    seen: set[str] = set()
    result = []
    for path, appendix, part in entries:
        if path in seen:
            raise BookError(f"_quarto.yml: {path} is listed twice")
        seen.add(path)
        result.append(Chapter(path, root / path, appendix, part))
    return result


def notebook_chapters(root: Path | None = None) -> list[NotebookChapter]:
    """The notebook chapters the runner must execute: for ``report/_generated/NAME.ipynb`` the
    source is ``notebooks/NAME.ipynb``, except ``county_NN.ipynb`` whose source is
    ``notebooks/county.ipynb`` run with ``lan_code="NN"``."""
    root = root or project_root()
    result = []
    for chapter in chapters(root):
        if not chapter.is_notebook:
            continue
        if PurePosixPath(chapter.path).parent != GENERATED:
            raise BookError(
                f"_quarto.yml: notebook chapter {chapter.path} is not in {GENERATED}/; the book "
                "reads executed copies only"
            )
        county = COUNTY_CHAPTER.fullmatch(chapter.name)
        if county:
            source, parameters = COUNTY_NOTEBOOK, {"lan_code": county.group(1)}
        else:
            source, parameters = chapter.name, {}
        result.append(
            NotebookChapter(chapter.file, root / NOTEBOOK_SOURCES / f"{source}.ipynb", parameters)
        )
    return result


def output_dir(root: Path | None = None) -> Path:
    """Where the rendered book goes (``project.output-dir``, default ``_book``)."""
    root = root or project_root()
    return root / str(config(root).get("project", {}).get("output-dir", "_book"))


def round_output_dir(report_round: int, root: Path | None = None) -> Path:
    """Where a round's book and county reports go: the final round's in :func:`output_dir`
    itself (``_book/rapport.html``, ``_book/lan/``), an earlier round's in a folder of its own
    (``_book/2010/``), so that a run of one round never overwrites another's."""
    from samverkan.rounds import FINAL

    out = output_dir(root)
    return out if report_round == FINAL else out / str(report_round)


def output_name(root: Path | None = None) -> str:
    """Base name of the single-file outputs (``book.output-file``, default ``rapport``)."""
    return str(config(root)["book"].get("output-file", "rapport"))


# ---------------------------------------------------------------------------------------------
# Cell options and notebook outputs


def cell_options(source: str) -> tuple[dict, str]:
    """Split a code cell's leading ``#|`` option comments from its code.

    Returns the options (parsed as YAML, like Quarto) and the remaining source."""
    lines = source.splitlines()
    option_lines = []
    for line in lines:
        match = _CELL_OPTION.match(line)
        if not match:
            break
        option_lines.append(match.group(1))
    rest = "\n".join(lines[len(option_lines) :])
    if not option_lines:
        return {}, rest
    try:
        options = parse_yaml("\n".join(option_lines)) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"cell options are not valid YAML: {exc}") from exc
    if not isinstance(options, dict):
        raise ValueError("cell options must be `#| key: value` lines")
    return options, rest


def _attr_value(text: object) -> str:
    """A pandoc attribute value in double quotes."""
    flat = " ".join(str(text).split())
    return '"' + flat.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _fence(text: str, char: str = "`") -> str:
    """A code fence longer than any run of ``char`` in ``text``."""
    longest = max((len(m) for m in re.findall(re.escape(char) + "+", text)), default=0)
    return char * max(3, longest + 1)


def _joined(value: object) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


@dataclass
class _Output:
    kind: str  # "image", "table", "markdown", "html", "text"
    text: str = ""
    src: str = ""


def _table_html(html: str) -> str | None:
    """The first ``<table>`` of an HTML output (a DataFrame or Styler), tidied for pandoc: the
    extra header row pandas writes for a named index is merged into the column header row
    above it."""
    match = _HTML_TABLE.search(html)
    if not match:
        return None
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(match.group(0), "html.parser")
    thead = soup.find("thead")
    rows = thead.find_all("tr", recursive=False) if thead else []
    if len(rows) >= 2:
        above, last = (r.find_all(["th", "td"], recursive=False) for r in rows[-2:])
        names = [c.get_text(strip=True) for c in last]
        n = next((i for i, name in enumerate(names) if not name), len(names))
        if (
            0 < n < len(names)
            and not any(names[n:])
            and len(above) >= n
            and not any(c.get_text(strip=True) for c in above[:n])
            and not any(c.get("colspan") for c in above[:n])
        ):
            for cell, name in zip(above[:n], names[:n], strict=True):
                cell.string = name
            rows[-1].decompose()
    for tag in soup.find_all(["style", "script"]):
        tag.decompose()
    return str(soup)


def _is_markdown_table(text: str) -> bool:
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines) >= 2 and all(_MD_TABLE_LINE.match(line) for line in lines[:2])


class _NotebookConverter:
    """Converts one executed notebook to Markdown, writing its images to ``media_dir``."""

    def __init__(self, chapter: Chapter, media_dir: Path | None, media_url: str) -> None:
        self.chapter = chapter
        self.media_dir = media_dir
        self.media_url = media_url
        self.problems: list[Problem] = []
        self.n_images = 0

    def problem(self, cell: int, message: str) -> None:
        self.problems.append(Problem(f"{self.chapter.path}, cell {cell}", message))

    def image(self, mime: str, data: object) -> str:
        """Write one image output; return its root-relative URL."""
        self.n_images += 1
        name = f"{self.chapter.name}-{self.n_images}.{_IMAGE_TYPES[mime]}"
        if self.media_dir is not None:
            target = self.media_dir / name
            if mime == "image/svg+xml":
                target.write_text(_joined(data), encoding="utf-8")
            else:
                target.write_bytes(base64.b64decode(_joined(data)))
        return f"{self.media_url}/{name}"

    def outputs(self, index: int, cell: dict) -> list[_Output]:
        result = []
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "stream":
                if output.get("name") == "stdout":
                    result.append(_Output("text", _joined(output.get("text", ""))))
            elif kind == "error":
                self.problem(index, f"raised {output.get('ename')}: {output.get('evalue')}")
            elif kind in ("display_data", "execute_result"):
                data = output.get("data", {})
                mime = next((m for m in _IMAGE_TYPES if m in data), None)
                if mime:
                    result.append(_Output("image", src=self.image(mime, data[mime])))
                elif "text/markdown" in data:
                    result.append(_Output("markdown", _joined(data["text/markdown"])))
                elif "text/html" in data:
                    html = _joined(data["text/html"])
                    table = _table_html(html)
                    if table is not None:
                        result.append(_Output("table", table))
                    else:
                        self.problem(index, "HTML output without a table: the PDF will lack it")
                        result.append(_Output("html", html))
                elif "text/plain" in data:
                    result.append(_Output("text", _joined(data["text/plain"])))
        return result

    def cell(self, index: int, cell: dict) -> str:
        kind = cell.get("cell_type")
        source = _joined(cell.get("source", ""))
        if kind == "markdown":
            return source
        if kind == "raw":
            fmt = cell.get("metadata", {}).get("raw_mimetype", "")
            if fmt in ("text/markdown", "text/x-markdown"):
                return source
            if fmt == "text/html":
                fence = _fence(source)
                return f"{fence}{{=html}}\n{source}\n{fence}"
            return ""
        if kind != "code":
            return ""
        try:
            options, code = cell_options(source)
        except ValueError as exc:
            self.problem(index, str(exc))
            options, code = {}, source
        if options.get("include") is False:
            return ""
        parts = []
        if options.get("echo") is True:
            fence = _fence(code)
            parts.append(f"{fence} python\n{code}\n{fence}")
        if options.get("output") is False:
            return "\n\n".join(parts)
        outputs = self.outputs(index, cell)
        label = str(options.get("label", "") or "")
        if label.startswith("fig-"):
            parts.extend(self.figure(index, label, options, outputs))
        elif label.startswith("tbl-"):
            tags = cell.get("metadata", {}).get("tags", [])
            parts.extend(self.table(index, label, options, outputs, OPTIONAL_TAG in tags))
        else:
            if label:
                self.problem(index, f"label {label!r} must start with fig- or tbl-")
            parts.extend(self.plain(index, options, outputs))
        return "\n\n".join(p for p in parts if p.strip())

    @staticmethod
    def image_md(src: str, alt: str) -> str:
        return f"![]({src}){{fig-alt={_attr_value(alt)}}}" if alt else f"![]({src})"

    def plain(self, index: int, options: dict, outputs: list[_Output]) -> list[str]:
        parts = []
        alt = str(options.get("fig-alt", "") or "")
        for out in outputs:
            if out.kind == "image":
                cap = options.get("fig-cap")
                if not alt:
                    self.problem(index, "a figure without alt text: add `#| fig-alt: ...`")
                if cap:
                    parts.append(f"::: {{.nb-figure}}\n{self.image_md(out.src, alt)}\n\n{cap}\n:::")
                else:
                    parts.append(self.image_md(out.src, alt))
            else:
                parts.append(self.render(out))
        return parts

    def figure(self, index: int, label: str, options: dict, outputs: list[_Output]) -> list[str]:
        images = [o for o in outputs if o.kind == "image"]
        rest = [self.render(o) for o in outputs if o.kind != "image"]
        if not images:
            self.problem(index, f"cell labelled {label} produced no image (end it with plt.show())")
            return rest
        cap = options.get("fig-cap")
        if not cap:
            self.problem(index, f"figure {label} has no caption: add `#| fig-cap: ...`")
        alt = str(options.get("fig-alt", "") or "")
        if not alt:
            self.problem(index, f"figure {label} has no alt text: add `#| fig-alt: ...`")
        body = "\n\n".join(self.image_md(o.src, alt) for o in images)
        caption = f"\n\n{' '.join(str(cap).split())}" if cap else ""
        return [f"::: {{#{label} .nb-figure}}\n{body}{caption}\n:::", *rest]

    def table(self, index: int, label: str, options: dict, outputs: list[_Output],
              optional: bool = False) -> list[str]:
        """The labelled table; a cell tagged ``optional`` may show nothing at all."""
        position = next(
            (
                i
                for i, o in enumerate(outputs)
                if o.kind == "table" or (o.kind == "markdown" and _is_markdown_table(o.text))
            ),
            None,
        )
        if not outputs and optional:
            return []  # nothing to show (e.g. no rejected rows): the text says so, no empty table
        if position is None:
            self.problem(index, f"cell labelled {label} produced no table (return the DataFrame)")
            return [self.render(o) for o in outputs]
        cap = options.get("tbl-cap")
        if not cap:
            self.problem(index, f"table {label} has no caption: add `#| tbl-cap: ...`")
        caption = f"\n\n{' '.join(str(cap).split())}" if cap else ""
        parts = [self.render(o) for o in outputs[:position]]
        table = self.render(outputs[position])
        parts.append(f"::: {{#{label} .nb-table}}\n{table}{caption}\n:::")
        parts.extend(self.render(o) for o in outputs[position + 1 :])
        return parts

    @staticmethod
    def render(out: _Output) -> str:
        if out.kind == "markdown":
            return out.text
        if out.kind in ("table", "html"):
            fence = _fence(out.text)
            return f"{fence}{{=html}}\n{out.text}\n{fence}"
        if out.kind == "text":
            text = out.text.rstrip("\n")
            fence = _fence(text)
            return f"{fence} {{.cell-output}}\n{text}\n{fence}" if text.strip() else ""
        return ""

    def convert(self) -> str:
        try:
            nb = json.loads(self.chapter.file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            self.problems.append(Problem(self.chapter.path, f"cannot read the notebook: {exc}"))
            return ""
        blocks = [self.cell(i, cell) for i, cell in enumerate(nb.get("cells", []), start=1)]
        return "\n\n".join(b for b in blocks if b.strip())


def notebook_markdown(
    chapter: Chapter, media_dir: Path | None = None, media_url: str = ""
) -> tuple[str, list[Problem]]:
    """An executed notebook as Markdown (code hidden, outputs kept), and what is wrong with it.

    Images are written to ``media_dir`` (if given) and referenced as ``media_url/NAME``."""
    converter = _NotebookConverter(chapter, media_dir, media_url)
    return converter.convert(), converter.problems


# ---------------------------------------------------------------------------------------------
# Markdown chapters: front matter and shortcodes


def _strip_front_matter(text: str) -> tuple[dict, str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = parse_yaml(match.group(1)) or {}
    except yaml.YAMLError:
        meta = {}
    return (meta if isinstance(meta, dict) else {}), text[match.end() :]


def expand_shortcodes(
    text: str, file: Path, root: Path, problems: list[Problem], depth: int = 0
) -> str:
    """Replace ``{{< include >}}`` and ``{{< pagebreak >}}``; report any other shortcode."""
    where = file.relative_to(root).as_posix() if file.is_relative_to(root) else str(file)

    def replace(match: re.Match[str]) -> str:
        name, args = match.group(1), match.group(2).strip().strip("\"'")
        if name == "pagebreak":
            return "\n\n::: {.pagebreak}\n:::\n\n"
        if name == "include":
            target = root / args.lstrip("/") if args.startswith("/") else file.parent / args
            if not target.is_file():
                problems.append(Problem(where, f"the included file {args} does not exist"))
                return ""
            if depth > 10:
                problems.append(Problem(where, f"includes nested too deep at {args}"))
                return ""
            _, body = _strip_front_matter(target.read_text(encoding="utf-8"))
            return expand_shortcodes(body, target, root, problems, depth + 1)
        problems.append(Problem(where, f"unsupported shortcode {{{{< {name} >}}}}"))
        return match.group(0)

    return _SHORTCODE.sub(replace, text)


def markdown_chapter(chapter: Chapter, root: Path) -> tuple[str, list[Problem]]:
    """A ``.qmd``/``.md`` chapter as Markdown: front matter title as heading, shortcodes done."""
    problems: list[Problem] = []
    try:
        text = chapter.file.read_text(encoding="utf-8")
    except OSError as exc:
        return "", [Problem(chapter.path, f"cannot read the chapter: {exc}")]
    meta, body = _strip_front_matter(text)
    if meta.get("title") and not re.search(r"^#\s", body, re.MULTILINE):
        body = f"# {meta['title']}\n\n{body}"
    return expand_shortcodes(body, chapter.file, root, problems), problems


# ---------------------------------------------------------------------------------------------
# The whole book


@dataclass
class Assembly:
    """The book as one Markdown document, and what was found wrong while assembling it."""

    markdown: str
    problems: list[Problem] = field(default_factory=list)
    missing: list[Chapter] = field(default_factory=list)


def assemble(
    root: Path | None = None, media_dir: Path | None = None, media_url: str = "",
    only: list[Chapter] | None = None,
) -> Assembly:
    """Every chapter in order (or the chapters ``only``), as one Markdown document for pandoc.

    Before each chapter an empty marker div records its source file (the filters resolve
    relative image paths with it); before the first appendix an appendix marker switches
    chapter numbering to letters; parts get a marker with their title."""
    root = root or project_root()
    parts: list[str] = []
    problems: list[Problem] = []
    missing: list[Chapter] = []
    in_appendix = False
    part: str | None = None
    for chapter in chapters(root) if only is None else only:
        if not chapter.file.is_file():
            missing.append(chapter)
            continue
        if chapter.appendix and not in_appendix:
            in_appendix = True
            parts.append(f"::: {{.{APPENDIX_MARKER}}}\n:::")
        if chapter.part and chapter.part != part:
            parts.append(f"::: {{.{PART_MARKER} title={_attr_value(chapter.part)}}}\n:::")
        part = chapter.part
        parts.append(f"::: {{.{CHAPTER_MARKER} source={_attr_value(chapter.path)}}}\n:::")
        if chapter.is_notebook:
            text, found = notebook_markdown(chapter, media_dir, media_url)
        else:
            text, found = markdown_chapter(chapter, root)
        problems.extend(found)
        if not re.search(r"^#\s", text, re.MULTILINE):
            problems.append(Problem(chapter.path, "the chapter has no level-1 heading (# Titel)"))
        parts.append(text)
    return Assembly("\n\n".join(parts) + "\n", problems, missing)
