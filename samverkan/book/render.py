"""Render the book and check its integrity.

``render``: ``quarto render`` when Quarto >= 1.9 is on PATH (typst books need it), else the
embedded renderer: the chapters of ``_quarto.yml`` assembled into one Markdown
document (samverkan.book.chapters), then pandoc with the Lua filters in ``report/assets/``
to one self-contained HTML file and to typst, and typst to PDF. Either way the cover note
(which data, which round, which commit, when) is written first.

``check``: every chapter exists, every notebook chapter is executed without errors, every
cross-reference and image resolves, every figure has alt text; every county's own report
(samverkan.book.county_docs) exists, complete, its references resolved; and what Quarto reads
keeps its contract (samverkan.book.contract).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from samverkan import provenance
from samverkan.book import chapters as book
from samverkan.book import contract, numbering
from samverkan.book.chapters import BookError, Problem
from samverkan.fmt import month_year
from samverkan.io import atomic_path, file_mode, write_text
from samverkan.paths import project_root
from samverkan.rounds import DEFAULT_ROUND, ROUND_NAMES

QUARTO_MIN = (1, 9)
ASSETS = PurePosixPath("report/assets")
FILTERS = ("quarto.lua", "crossref.lua", "output.lua")
FORMAT_FILTERS = ("output.lua",)
"""The filters that depend on the output format: run once per format on the document the
others made (they run once, into pandoc's JSON)."""
COVER_NOTE = book.GENERATED / "omslag.md"
CHECK_MEDIA = "nbmedia:"
"""URL prefix of notebook images in check mode (not written; nothing to resolve)."""

PDF_STANDARD = "ua-1"
"""PDF/UA-1 (ISO 14289-1): typst checks it (a title, alt text on every image, tagged structure)
and writes the identification, the document's language and DisplayDocTitle."""

READER = "markdown-smart"
"""Pandoc's Markdown, without smart quotes: the authors type Swedish quotes (”) themselves."""



@dataclass
class RenderResult:
    """What a render produced."""

    engine: str
    outputs: list[Path]
    seconds: float
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)


class RenderError(Exception):
    """The book cannot be rendered; the message says why and what to do."""


# ---------------------------------------------------------------------------------------------
# The cover note


def git_commit(root: Path) -> str:
    """The checkout's short commit hash, ``+`` when files differ from it; ``okänd`` without git."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=root, capture_output=True, text=True, check=True, timeout=20,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root, capture_output=True, text=True, check=True, timeout=20,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "okänd"
    return f"{commit}+" if commit and dirty else (commit or "okänd")


def report_round(root: Path) -> int:
    """The round the executed notebooks were run for (papermill's ``report_round``)."""
    for chapter in book.notebook_chapters(root):
        if not chapter.generated.is_file():
            continue
        try:
            meta = json.loads(chapter.generated.read_text(encoding="utf-8"))["metadata"]
        except (OSError, ValueError, KeyError):
            continue
        value = meta.get("papermill", {}).get("parameters", {}).get("report_round")
        if value is not None:
            return int(value)
    return DEFAULT_ROUND


def cover_note(report_round: int, commit: str, built: dt.date, sources: dict[str, str]) -> str:
    """The cover note (Markdown, Swedish): which data (per county ``sources``, see
    :func:`samverkan.provenance.county_sources`), which round, which program, when."""
    kinds = set(sources.values())
    per_county = provenance.cover_sentence(sources)
    if provenance.RECONSTRUCTED in kinds:
        partly = provenance.OWN in kinds
        opening = (
            "Boken är byggd ur länsstyrelsernas egna filer där sådana finns och "
            "annars ur det rekonstruerade underlag som följer med projektet." if partly else
            "Boken är byggd ur det rekonstruerade underlag som följer med projektet, inte ur "
            "länsstyrelsernas verkliga inlämningar, som inte är offentliga."
        )
        data = (
            '::: {.callout-important title="Underlaget är '
            f'{"delvis " if partly else ""}rekonstruerat"}}\n'
            f"{opening} Verkliga är de uppgifter som Rapport 2011:39 själv publicerar: "
            "fördelade medel per län och år, antal projekt och typ av samverkansstruktur per län "
            "och rikets summor. Allt annat har tagits fram av en dokumenterad generator så att "
            "det ger samma sammanställda uppgifter som rapporten: de enskilda projekten med "
            "deras svar, rekvirerade och beviljade medel, administration och återbetalning per "
            "län och länsstyrelsernas svar. Ett rekonstruerat projekt motsvarar alltså inget "
            "verkligt projekt, och generatorns val står i bilagan Rekonstruktionens antaganden. "
            f"{per_county}\n"
            ":::"
        )
    elif provenance.OWN in kinds:
        data = (
            '::: {.callout-note title="Underlaget"}\n'
            "Boken är byggd ur länsstyrelsernas egna inlämningar. "
            f"{per_county}\n"
            ":::"
        )
    else:
        data = (
            '::: {.callout-warning title="Underlaget saknas"}\n'
            f"Det finns inga inlämningar för redovisningsomgång {report_round}.\n"
            ":::"
        )
    round_text = f"{report_round} ({ROUND_NAMES.get(report_round, 'okänd omgång')})"
    return (
        f"{data}\n\n"
        f"- **Redovisningsomgång:** {round_text}\n"
        f"- **Programversion (git):** {commit}\n"
        f"- **Byggd:** {built.isoformat()}\n"
    )


def write_cover_note(root: Path | None = None, built: dt.date | None = None) -> Path:
    """Write ``report/_generated/omslag.md`` (included by ``index.qmd``), saying per county
    whether its files in ``data/raw/`` are the reconstruction or its own."""
    root = root or project_root()
    round_ = report_round(root)
    sources = provenance.county_sources(round_, root / "data" / "raw")
    text = cover_note(round_, git_commit(root), built or dt.date.today(), sources)
    return write_text(root / COVER_NOTE, text)


# ---------------------------------------------------------------------------------------------
# Pandoc and typst


def _pandoc() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def _run_pandoc(args: list[str], cwd: Path) -> list[str]:
    """Run pandoc; return its warnings (stderr lines); raise RenderError when it fails."""
    proc = subprocess.run(
        [_pandoc(), *args], cwd=cwd, capture_output=True, text=True, check=False
    )
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    if proc.returncode != 0:
        raise RenderError("pandoc failed:\n" + "\n".join(lines))
    return lines


def publication_date(info: dict, built: dt.date) -> dt.date:
    """The book's date: ``book: date:`` in _quarto.yml (an ISO date), or the build date when it
    is ``today`` or absent."""
    value = info.get("date", "today")
    if isinstance(value, dt.date):
        return value
    return built if str(value).strip() in ("", "today") else dt.date.fromisoformat(str(value))


def _proper_name_pattern() -> str:
    """A typst regex of every word of the 21 counties' names (with and without a genitive s)
    and of the 290 municipalities' names (words of four letters or more: Heby, Ydre,
    Sollefteå), longest first: the PDF template keeps them from being hyphenated. Only letters
    and "|": output.lua hands it to the template as raw typst, unescaped."""
    from samverkan import registry

    frame = registry.counties()
    stems = {w.removesuffix("s") for name in (*frame["name"], *frame["short_name"])
             for w in name.split() if w != "län" and w.isalpha()}
    municipal = {w for name in registry.municipalities()["name"]
                 for w in re.split(r"[^\w]+", name) if len(w) >= 4 and w.isalpha()}
    words = stems | {f"{w}s" for w in stems} | municipal | {f"{w}s" for w in municipal}
    return "|".join(sorted(words, key=lambda w: (-len(w), w)))


def _publisher(info: dict) -> str | None:
    """Who publishes the book: ``book: author:`` in _quarto.yml (the one line a county edits)."""
    author = info.get("author")
    names = author if isinstance(author, list) else [author] if author else []
    return ", ".join(str(a) for a in names) or None


def _metadata(root: Path, built: dt.date) -> dict:
    cfg = book.config(root)
    info = cfg["book"]
    fmt = cfg.get("format", {}) or {}
    html = fmt.get("html", {}) if isinstance(fmt.get("html"), dict) else {}
    return {
        "title": str(info.get("title", "Rapport")),
        "pagetitle": str(info.get("title", "Rapport")),
        "subtitle": str(info.get("subtitle", "")) or None,
        "date": month_year(publication_date(info, built)),
        "publisher": _publisher(info),
        "nobreak": _proper_name_pattern(),
        "lang": str(cfg.get("lang", "sv")),
        "toc-title": numbering.BOOK.contents,
        "toc-depth": int(html.get("toc-depth", 2)),
        "number-depth": int(cfg.get("number-depth", 3)),
        "book-root": str(root),
        "notice": provenance.notice_text(
            provenance.county_sources(report_round(root), root / "data" / "raw")),
        **numbering.BOOK.metadata(),
    }


def pdf_page_count(path: Path) -> int:
    """Pages in a PDF written by typst (page objects are not compressed there)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", path.read_bytes()))


def _typst_compile(source: Path, target: Path, root: Path, built: dt.date) -> list[str]:
    import typst

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    stamp = (
        int(epoch)
        if epoch
        else int(dt.datetime.combine(built, dt.time(), tzinfo=dt.UTC).timestamp())
    )
    try:
        _, warnings = typst.compile_with_warnings(
            str(source), output=str(target), root=str(root), ignore_system_fonts=True,
            timestamp=stamp, pdf_standards=PDF_STANDARD,
        )
    except typst.TypstError as exc:
        raise RenderError(f"typst failed: {exc.message}\n{exc.diagnostic}") from exc
    return [f"typst: {w.message}" for w in warnings]


def _write_html(common: list[str], assets: Path, target: Path, root: Path, mode: int) -> list[str]:
    with atomic_path(target) as tmp:
        warnings = _run_pandoc(
            [*common, "-t", "html5", "-s", "--embed-resources",
             "--template", str(assets / "rapport.html"), "--css", str(assets / "rapport.css"),
             "-o", str(tmp)],
            cwd=root,
        )
        tmp.chmod(mode)
    return warnings


def _write_pdf(
    common: list[str], assets: Path, typ: Path, target: Path, root: Path, built: dt.date,
    mode: int,
) -> list[str]:
    warnings = _run_pandoc(
        [*common, "-t", "typst", "-s", "--template", str(assets / "rapport.typ"),
         "-o", str(typ)],
        cwd=root,
    )
    with atomic_path(target) as tmp:
        warnings += _typst_compile(typ, tmp, root, built)
        tmp.chmod(mode)
    return warnings


@contextmanager
def _as_pair(*targets: Path) -> Iterator[tuple[Path, ...]]:
    """Staged paths (a scratch folder beside each target) for files that belong together, such
    as a document's HTML and PDF: all are moved onto their targets only when the block ends
    without error, so a failed PDF never leaves a new HTML beside an old PDF."""
    for target in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
    folders = [Path(tempfile.mkdtemp(prefix=".pair-", dir=t.parent)) for t in targets]
    try:
        staged = tuple(f / t.name for f, t in zip(folders, targets, strict=True))
        yield staged
        for path in staged:
            if not path.is_file():
                raise RenderError(f"{path.name} was not written")
        for path, target in zip(staged, targets, strict=True):
            os.replace(path, target)
    finally:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


def render_document(
    markdown: str, metadata: dict, html: Path, pdf: Path, root: Path, built: dt.date,
    build: Path, filters: tuple[str, ...] = FILTERS,
) -> list[str]:
    """One assembled document (Quarto's Markdown, see samverkan.book.chapters) to a
    self-contained ``html`` and an A4 ``pdf`` with the book's templates, styles and Lua filters
    (``filters``, from report/assets/, in order), written as a pair (both replaced only when
    both succeeded, each atomically); ``build`` is a
    scratch folder. Returns the warnings of pandoc and typst."""
    assets = root / ASSETS
    source = build / "book.md"
    source.write_text(markdown, encoding="utf-8")
    meta = build / "metadata.yaml"
    meta.write_text(yaml.safe_dump(metadata, allow_unicode=True), encoding="utf-8")
    document = build / "book.json"  # read and filtered once, for both formats
    warnings = _run_pandoc(
        [str(source), "-f", READER, "--metadata-file", str(meta),
         *(arg for f in filters if f not in FORMAT_FILTERS
           for arg in ("--lua-filter", str(assets / f))),
         "-t", "json", "-o", str(document)],
        cwd=root,
    )
    common = [
        str(document), "-f", "json", "--toc",
        *(arg for f in filters if f in FORMAT_FILTERS
          for arg in ("--lua-filter", str(assets / f))),
    ]
    mode = file_mode()
    with (_as_pair(html, pdf) as (new_html, new_pdf),  # both replaced, or neither
          ThreadPoolExecutor(max_workers=2) as pool):  # two pandoc processes side by side
        jobs = [
            pool.submit(_write_html, common, assets, new_html, root, mode),
            pool.submit(_write_pdf, common, assets, build / "book.typ", new_pdf, root, built,
                        mode),
        ]
        for job in jobs:
            warnings += job.result()
    return warnings


def render_embedded(root: Path | None = None, built: dt.date | None = None) -> RenderResult:
    """The embedded renderer: ``_book/<name>.html`` (self-contained) and ``_book/<name>.pdf``."""
    root = (root or project_root()).resolve()
    built = built or dt.date.today()
    start = time.perf_counter()
    out = book.round_output_dir(report_round(root), root).resolve()
    if not out.is_relative_to(root):
        raise RenderError(f"output-dir {out} must lie inside the project {root}")
    name = book.output_name(root)
    out.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix=".build-", dir=out))
    try:
        media = build / "media"
        media.mkdir()
        assembly = book.assemble(root, media, "/" + media.relative_to(root).as_posix())
        if assembly.missing:
            raise RenderError(_missing_message(assembly.missing))
        warnings = [str(p) for p in assembly.problems]
        html, pdf = out / f"{name}.html", out / f"{name}.pdf"
        warnings += render_document(
            assembly.markdown, _metadata(root, built), html, pdf, root, built, build
        )
        if os.environ.get("SAMVERKAN_KEEP_BUILD"):
            shutil.copytree(build, out / "build", dirs_exist_ok=True)
    finally:
        shutil.rmtree(build, ignore_errors=True)
    return RenderResult(
        "embedded (pandoc + typst)", [html, pdf], time.perf_counter() - start,
        pdf_page_count(pdf), warnings,
    )


# ---------------------------------------------------------------------------------------------
# Quarto


def quarto_version(quarto: str) -> tuple[int, ...]:
    """``quarto --version`` as a tuple; ``()`` if it cannot be read."""
    try:
        text = subprocess.run(
            [quarto, "--version"], capture_output=True, text=True, check=True, timeout=60
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    match = re.match(r"\s*(\d+)\.(\d+)(?:\.(\d+))?", text)
    return tuple(int(g) for g in match.groups() if g is not None) if match else ()


def render_quarto(quarto: str, root: Path | None = None) -> RenderResult:
    """``quarto render`` of the whole book (HTML and typst PDF), in the project root."""
    root = root or project_root()
    start = time.perf_counter()
    missing = [c for c in book.chapters(root) if not c.file.is_file()]
    if missing:
        raise RenderError(_missing_message(missing))
    proc = subprocess.run([quarto, "render"], cwd=root, check=False)
    if proc.returncode != 0:
        raise RenderError(f"quarto render failed (exit {proc.returncode}); see its output above")
    out = book.output_dir(root)
    outputs = [p for p in (out / "index.html", out / f"{book.output_name(root)}.pdf") if p.exists()]
    pdf = next((p for p in outputs if p.suffix == ".pdf"), None)
    pages = pdf_page_count(pdf) if pdf else None
    return RenderResult("quarto", outputs, time.perf_counter() - start, pages)


def render_book(
    root: Path | None = None, *, engine: str = "auto"
) -> RenderResult:
    """Write the cover note, then render with Quarto (``engine="quarto"``, or ``"auto"`` when
    Quarto >= 1.9 is installed) or the embedded renderer (``"embedded"``)."""
    root = root or project_root()
    write_cover_note(root)
    if engine not in ("auto", "quarto", "embedded"):
        raise ValueError(f"unknown engine {engine!r}")
    quarto = shutil.which("quarto") if engine != "embedded" else None
    if quarto:
        version = quarto_version(quarto)
        if version >= QUARTO_MIN:
            return render_quarto(quarto, root)
        wanted = ".".join(map(str, QUARTO_MIN))
        found = ".".join(map(str, version)) or "?"
        if engine == "quarto":
            raise RenderError(f"Quarto {found} is too old: typst books need Quarto >= {wanted}")
        print(f"render: Quarto {found} < {wanted}; using the embedded renderer", file=sys.stderr)
    elif engine == "quarto":
        raise RenderError("quarto is not on PATH")
    return render_embedded(root)


def _missing_hint(chapter: book.Chapter) -> str:
    if chapter.path == str(COVER_NOTE):
        return "`python -m samverkan render` writes it"
    if chapter.path.startswith(str(book.GENERATED)):
        return "`python -m samverkan run` writes it"
    return "write it or remove it from _quarto.yml"


def _missing_message(missing: list[book.Chapter]) -> str:
    lines = [f"{len(missing)} chapter(s) of _quarto.yml do not exist:"]
    lines += [f"  {chapter.path}: {_missing_hint(chapter)}" for chapter in missing]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Check


TRUNCATED_CELL = re.compile(r"<t[dh][^>]*>([^<]{0,80}\.\.\.)</t[dh]>")
"""A table cell whose text pandas cut at ``display.max_colwidth``."""


def _notebook_problems(chapter: book.Chapter) -> list[Problem]:
    """Every code cell executed (has an execution count), no error outputs, no table cell cut
    short by pandas' display limits."""
    try:
        nb = json.loads(chapter.file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [Problem(chapter.path, f"cannot read the notebook: {exc}")]
    problems = []
    unexecuted = []
    for index, cell in enumerate(nb.get("cells", []), start=1):
        if cell.get("cell_type") != "code" or not "".join(cell.get("source", "")).strip():
            continue
        if cell.get("execution_count") is None:
            unexecuted.append(index)
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                problems.append(Problem(
                    f"{chapter.path}, cell {index}",
                    f"raised {output.get('ename')}: {output.get('evalue')}",
                ))
            html = "".join(output.get("data", {}).get("text/html", ""))
            cut = TRUNCATED_CELL.findall(html)
            if cut:
                problems.append(Problem(
                    f"{chapter.path}, cell {index}",
                    f"{len(cut)} table cell(s) cut short by pandas (e.g. {cut[0]!r}); call "
                    "samverkan.results.tables.show_in_full() before displaying the table",
                ))
    if unexecuted:
        cells = ", ".join(map(str, unexecuted[:10])) + (" …" if len(unexecuted) > 10 else "")
        problems.append(Problem(
            chapter.path,
            f"not executed: {len(unexecuted)} code cell(s) have no execution count "
            f"(cells {cells}); run `python -m samverkan run`",
        ))
    return problems


def _walk(node: object):
    """Every pandoc AST element (a dict with "t") below ``node``, in document order."""
    if isinstance(node, dict):
        if "t" in node:
            yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def _attr_id(attr: list) -> str:
    return attr[0] if attr else ""


def _ast_problems(markdown: str, root: Path) -> list[Problem]:
    """Cross-references, labels and images, read from the pandoc AST of the assembled book."""
    proc = subprocess.run(
        [_pandoc(), "-f", READER, "-t", "json"],
        input=markdown, capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        return [Problem("book", f"pandoc cannot read the assembled book: {proc.stderr.strip()}")]
    doc = json.loads(proc.stdout)
    labels: dict[str, str] = {}
    refs: list[tuple[str, str]] = []
    problems: list[Problem] = []
    source = "book"
    for block in doc["blocks"]:
        if block["t"] == "Div" and book.CHAPTER_MARKER in block["c"][0][1]:
            source = dict(block["c"][0][2]).get("source", "book")
            continue
        for el in _walk(block):
            kind, content = el["t"], el.get("c")
            ident = ""
            if kind == "Header":  # heading levels: samverkan.book.contract
                ident = _attr_id(content[1])
            elif kind in ("Figure", "Table"):
                ident = _attr_id(content[0])
            elif kind == "Div" and re.match(r"(fig|tbl)-", _attr_id(content[0])):
                ident = _attr_id(content[0])
            elif kind == "Cite":
                for citation in content[0]:
                    cid = citation["citationId"]
                    if re.match(r"(?i)(fig|tbl|sec)-", cid):
                        refs.append((source, cid[0].lower() + cid[1:]))
            elif kind == "Image":
                problems.extend(_image_problems(content, source, root))
            if ident in labels:
                problems.append(Problem(
                    source, f"the label {ident} is defined twice (also in {labels[ident]})"
                ))
            elif ident:
                labels[ident] = source
    for where, ref in refs:
        if ref not in labels:
            problems.append(Problem(where, f"@{ref} refers to no figure, table or section"))
    return problems


def _image_problems(content: list, source: str, root: Path) -> list[Problem]:
    attr, alt, (src, _title) = content
    problems = []
    if src.startswith(CHECK_MEDIA) or src.startswith("data:"):
        return problems
    if re.match(r"[a-zA-Z][\w+.-]*:", src):
        return [Problem(source, f"the image {src} is not a local file (no external requests)")]
    path = (
        root / src.lstrip("/")
        if src.startswith("/")
        else root / PurePosixPath(source).parent / src
    )
    inside, top = path.resolve(), root.resolve()
    if not inside.is_relative_to(top) or inside.is_relative_to(top / "data"):
        return [Problem(source, f"the image {src} is outside the book's own folders (a file in "
                        "data/ or outside the project is never embedded)")]
    if not path.is_file():
        problems.append(Problem(source, f"the image {src} does not exist"))
    keys = dict(attr[2])
    if not alt and not keys.get("alt") and not keys.get("fig-alt"):
        problems.append(Problem(source, f"the image {src} has no alt text"))
    return problems


def check_book(root: Path | None = None) -> list[Problem]:
    """Everything wrong with the book's source; empty when it is ready to render."""
    root = root or project_root()
    try:
        chapters = book.chapters(root)
    except BookError as exc:
        return [Problem("_quarto.yml", str(exc))]
    problems: list[Problem] = []
    for chapter in chapters:
        if not chapter.file.is_file():
            problems.append(Problem(chapter.path, f"does not exist: {_missing_hint(chapter)}"))
        elif chapter.is_notebook:
            problems.extend(_notebook_problems(chapter))
    assembly = book.assemble(root, None, CHECK_MEDIA)
    seen = {str(p) for p in problems}
    problems.extend(p for p in assembly.problems if str(p) not in seen)
    problems.extend(_ast_problems(assembly.markdown, root))
    problems.extend(contract.quarto_problems(root))
    return problems
