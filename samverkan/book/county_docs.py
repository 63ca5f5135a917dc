"""Each county's own report: ``_book/lan/<länskod>-<slug>.html`` and ``.pdf``.

A county board sends its profile on — to its municipalities, its steering group, the projects —
and checks what the national run did with its files. Each county's document is made from the
executed county notebook that the book's appendix already uses (``report/_generated/
county_NN.ipynb``; the profile's logic has one home), with the book's own templates, styles and
Lua filters (:func:`samverkan.book.render.render_document`), so numbering, captions, alt text and
``lang="sv"`` are the book's. It holds:

- a cover naming the county, the round, the date and whether the county's files are the
  reconstruction or its own;
- "Om rapporten" (unnumbered): what the document is and how to have a rejected row corrected;
- the profile (chapter 1), ending with the county's data quality: every rejected value of its
  files with file, sheet, row, field and reason;
- "Om beräkningen" (chapter 2): how the figures were computed, pointing to the national book
  for the definitions.

The profile's references to chapters of the national book (``@sec-indikatorer``) read as text
naming that book and chapter (``report/assets/county.lua``). The counties are the county
appendices of ``_quarto.yml`` (the chapter list keeps one home).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import tempfile
import time
from pathlib import Path

from samverkan import provenance, registry
from samverkan.book import chapters as book
from samverkan.book import render
from samverkan.book.basis import basis_text
from samverkan.book.chapters import Chapter, Problem
from samverkan.paths import project_root
from samverkan.rounds import FINAL

LAN_DIR = "lan"
"""The county documents' folder inside the book's output folder."""

FILTERS = ("county.lua", *render.FILTERS)
"""The book's filters, after one for a document that holds one chapter of the book."""

RECONSTRUCTED, OWN = provenance.RECONSTRUCTED, provenance.OWN
"""Where a county's files come from (:func:`samverkan.provenance.county_sources`)."""

_REF = re.compile(r"@((?:sec|fig|tbl)-[\w-]*\w)")


class CountyDocError(Exception):
    """A county's document cannot be made; the message says why and what to do."""


# ------------------------------------------------------------------------------ where things are


def county_chapters(root: Path | None = None) -> dict[str, Chapter]:
    """The county profiles of the book, ``{lan_code: chapter}``, in the book's order."""
    result = {}
    for chapter in book.chapters(root):
        match = book.COUNTY_CHAPTER.fullmatch(chapter.name)
        if match and chapter.is_notebook:
            result[match.group(1)] = chapter
    return result


def output_dir(root: Path | None = None, report_round: int = FINAL) -> Path:
    """``_book/lan/`` (inside the book's ``output-dir``; ``_book/2010/lan/`` for the partial
    round, :func:`samverkan.book.chapters.round_output_dir`)."""
    return book.round_output_dir(report_round, root) / LAN_DIR


def document_paths(lan_code: str, root: Path | None = None, report_round: int = FINAL
                   ) -> tuple[Path, Path]:
    """The county's HTML and PDF: ``_book/lan/<länskod>-<slug>.html`` and ``.pdf`` (in the
    round's own folder for a round before the final one)."""
    code = registry.county_code(lan_code)
    stem = f"{code}-{registry.county_slug(code)}"
    out = output_dir(root, report_round)
    return out / f"{stem}.html", out / f"{stem}.pdf"


def data_source(lan_code: str, report_round: int, root: Path | None = None) -> str:
    """Whether the county's files for the round are the shipped reconstruction
    (:data:`RECONSTRUCTED`: exactly the files ``synth`` recorded) or the county's own
    (:data:`OWN`), from :func:`samverkan.provenance.county_sources`."""
    raw = (root or project_root()) / "data" / "raw"
    source = provenance.county_sources(report_round, raw)[registry.county_code(lan_code)]
    return RECONSTRUCTED if source == RECONSTRUCTED else OWN


# ---------------------------------------------------------------------------------- the texts


def round_text(report_round: int) -> str:
    """``slutredovisningen 2011``."""
    return f"{render.ROUND_NAMES.get(report_round, 'redovisningen')} {report_round}"


def cover_lines(lan_code: str, report_round: int, source: str) -> list[str]:
    """What the cover says under the title besides the date: the county board, the round and
    where the data comes from."""
    underlag = (
        "rekonstruerat, inte länets verkliga inlämning"
        if source == RECONSTRUCTED else "länsstyrelsens egna filer"
    )
    return [
        registry.county_name(lan_code, "board"),
        f"Redovisningsomgång: {round_text(report_round)}",
        f"Underlag: {underlag}",
    ]


NO_REJECTS = "Inga värden i länets filer avvisades i den här körningen."
"""What the introduction says when the profile has no table of rejected values."""


def rejects_label(lan_code: str) -> str:
    """The label of the profile's table of rejected values (shown only when there are any)."""
    return f"tbl-avvisade-{lan_code}"


def intro_markdown(lan_code: str, report_round: int, source: str, national_title: str,
                   commit: str, rejects_shown: bool = True, basis: str = "") -> str:
    """"Om rapporten": what the document is, where the data comes from, how to correct a row
    (``rejects_shown``: the profile has a table of rejected values; ``basis``: which counties'
    submissions the national comparisons rest on, :func:`samverkan.book.basis.basis_text`)."""
    code = registry.county_code(lan_code)
    name = registry.county_name(code)
    board = registry.county_name(code, "board")
    if source == RECONSTRUCTED:
        data = (
            '::: {.callout-important title="Underlaget är rekonstruerat"}\n'
            "Länets filer i körningen är det rekonstruerade underlag som följer med programmet, "
            f"inte de filer som {board} faktiskt lämnade in. Länets fördelade medel per år och "
            "antalet projekt är de som Rapport 2011:39 publicerar; de enskilda projekten och "
            "deras svar, länets rekvirerade och beviljade medel, administration och "
            "återbetalning och länsstyrelsens svar har tagits fram av en generator och "
            "motsvarar inga verkliga uppgifter.\n"
            ":::"
        )
    else:
        data = (
            '::: {.callout-note title="Underlaget"}\n'
            f"Siffrorna är beräknade ur de filer som {board} själv "
            f"lämnade in för {round_text(report_round)}.\n"
            ":::"
        )
    return (
        "# Om rapporten {.unnumbered}\n\n"
        f"Den här rapporten gäller {name} och utvecklingsmedlen för lokal samverkan mot mäns "
        f"våld mot kvinnor, i {round_text(report_round)}. Den är ett utdrag ur den nationella "
        f"rapporten ”{national_title}”: länets profil (@sec-lan-{code}) är densamma som "
        f"länets bilaga där, och jämförelserna med riket bygger på "
        f"{basis or 'alla läns inlämningar'}.\n\n"
        f"{data}\n\n"
        "Profilen avslutas med länets datakvalitet: hur många rader som lästes och godtogs i "
        + (f"varje fil och blad, och i @{rejects_label(code)} varje värde som inte kunde tolkas, "
           "med fil, blad, rad, fält och orsak. Ett avvisat värde räknas inte i någon tabell. "
           "Rätta värdet i länets fil och skicka in den igen; nästa körning räknar om länets "
           "rapport och den nationella rapporten.\n\n"
           if rejects_shown else f"varje fil och blad. {NO_REJECTS}\n\n")
        + f"Hur siffrorna är beräknade beskrivs kort i @sec-om-berakningen-{code}.\n\n"
        f"- **Redovisningsomgång:** {round_text(report_round)}\n"
        f"- **Programversion (git):** {commit}\n"
    )


def method_markdown(lan_code: str, report_round: int, national_title: str, basis: str = ""
                    ) -> str:
    """"Om beräkningen": how the figures were computed, and where the definitions are."""
    code = registry.county_code(lan_code)
    return (
        f"# Om beräkningen {{#sec-om-berakningen-{code}}}\n\n"
        f"Alla siffror i rapporten är beräknade av programmet ur länsstyrelsernas filer för "
        f"{round_text(report_round)}, inte inskrivna för hand. Programmet läser varje fil, "
        "tolkar belopp, datum, kryssrutor och kommunnamn, och lägger varje värde som inte går "
        "att tolka åt sidan med fil, blad, rad, fält och orsak i stället för att gissa. "
        "Kontaktuppgifter tas bort redan vid inläsningen och finns inte i någon utdata.\n\n"
        "Kolumnen Målen nådda och bedömningarna av samverkan kommer från utvärderarens "
        "kodningsblad, inte från projektens egna svar. Länets värden jämförs med rikets, som "
        f"är beräknade på samma sätt ur {basis or 'alla läns inlämningar'}, och länets rang "
        "är dess plats bland "
        "de län som har ett värde för indikatorn.\n\n"
        f"Definitionerna av indikatorerna och tabellerna, granskningen av Rapport 2011:39 och "
        f"datakvaliteten i hela landet finns i den nationella rapporten ”{national_title}”.\n"
    )


def _national_chapters(root: Path) -> list[Chapter]:
    counties = set(county_chapters(root).values())
    return [c for c in book.chapters(root) if c not in counties]


def national_refs(root: Path, labels: set[str]) -> dict[str, str]:
    """For each ``sec-`` label of ``labels`` that a national chapter defines in a heading:
    ``kapitlet ”Titel” i den nationella rapporten`` (``avsnittet`` below level 1). Read from the
    chapters' text (notebook JSON included), without assembling the book."""
    wanted = {label for label in labels if label.startswith("sec-")}
    found: dict[str, str] = {}
    for chapter in _national_chapters(root):
        if not wanted - set(found):
            break
        try:
            text = chapter.file.read_text(encoding="utf-8")
        except OSError:
            continue
        for match in _LABELLED_HEADING.finditer(text):  # one pass over the chapter
            label = match.group(3)
            if label in wanted and label not in found:
                kind = "kapitlet" if len(match.group(1)) == 1 else "avsnittet"
                found[label] = f"{kind} ”{match.group(2).strip()}” i den nationella rapporten"
    return found


_LABELLED_HEADING = re.compile(r"(?m)(#{1,6})[ \t]+([^\n\"{}\\]+?)[ \t]*\{#(sec-[^\s}.]+)[\s}.]")
"""A Markdown heading with an ``{#sec-…}`` label: (hashes, title, label)."""


# ------------------------------------------------------------------------------------ rendering


def render_county(
    lan_code: str, root: Path | None = None, built: dt.date | None = None,
    report_round: int | None = None,
) -> render.RenderResult:
    """Write the county's HTML and PDF (atomically) from its executed profile notebook."""
    root = (root or project_root()).resolve()
    built = built or dt.date.today()
    start = time.perf_counter()
    code = registry.county_code(lan_code)
    profile = county_chapters(root).get(code)
    if profile is None:
        raise CountyDocError(
            f"{registry.county_name(code)} ({code}) has no county appendix in _quarto.yml "
            f"(report/_generated/county_{code}.ipynb)"
        )
    if not profile.file.is_file():
        raise CountyDocError(
            f"{profile.path} does not exist: `python -m samverkan run --county {code}` writes it"
        )
    report_round = report_round or render.report_round(root)
    source = data_source(code, report_round, root)
    info = book.config(root)["book"]
    national_title = str(info.get("title", "Rapport"))
    html, pdf = document_paths(code, root, report_round)
    html.parent.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix=f".build-{code}-", dir=html.parent))
    try:
        media = build / "media"
        media.mkdir()
        url = "/" + media.relative_to(root).as_posix()
        generated = str(book.GENERATED)
        method = build / "om-berakningen.md"
        basis = basis_text(report_round, root)
        method.write_text(method_markdown(code, report_round, national_title, basis),
                          encoding="utf-8")
        body = book.assemble(root, media, url, [
            dataclasses.replace(profile, appendix=False, part=None),  # chapter 1 here
            Chapter(f"{generated}/lan-{code}-om-berakningen.md", method),
        ])
        rejects_shown = f"{{#{rejects_label(code)}" in body.markdown
        intro = build / "om-rapporten.md"
        intro.write_text(intro_markdown(code, report_round, source, national_title,
                                        render.git_commit(root), rejects_shown, basis),
                         encoding="utf-8")
        front = book.assemble(root, media, url,
                              [Chapter(f"{generated}/lan-{code}-om-rapporten.md", intro)])
        markdown = front.markdown + "\n" + body.markdown
        warnings = [str(p) for p in front.problems + body.problems]
        metadata = {
            **render._metadata(root, built),
            "title": registry.county_name(code),
            "pagetitle": f"{registry.county_name(code)}: {national_title}",
            "subtitle": f"{national_title} – länets rapport",
            "cover-lines": cover_lines(code, report_round, source),
            "publisher": None,  # the county board is on a cover line; not the book's publisher
            "notice": provenance.county_notice(
                code, provenance.county_sources(report_round, root / "data" / "raw")),
            "external-refs": national_refs(root, set(_REF.findall(markdown))),
        }
        warnings += render.render_document(
            markdown, metadata, html, pdf, root, built, build, FILTERS
        )
    finally:
        shutil.rmtree(build, ignore_errors=True)
    return render.RenderResult(
        "embedded (pandoc + typst)", [html, pdf], time.perf_counter() - start,
        render.pdf_page_count(pdf), warnings,
    )


# ---------------------------------------------------------------------------------------- check


_ID = re.compile(r'\sid="([^"]+)"')
_HREF = re.compile(r'\shref="#([^"]*)"')


def document_problems(lan_code: str, root: Path | None = None) -> list[Problem]:
    """What is wrong with one county's documents: missing, incomplete (no profile, no data
    quality or method section, a PDF cut short) or with a reference that does not resolve."""
    root = root or project_root()
    code = registry.county_code(lan_code)
    html, pdf = document_paths(code, root)
    problems: list[Problem] = []
    hint = f"`python -m samverkan run --county {code}` writes it"
    for path in (html, pdf):
        if not path.is_file():
            problems.append(Problem(path.relative_to(root).as_posix(), f"missing: {hint}"))
    if not problems:
        problems += _html_problems(html.read_text(encoding="utf-8"), code,
                                   html.relative_to(root).as_posix())
        problems += _pdf_problems(pdf, pdf.relative_to(root).as_posix(), hint)
    return problems


def _html_problems(text: str, code: str, where: str) -> list[Problem]:
    problems = []
    ids = set(_ID.findall(text))
    name = registry.county_name(code)
    if f"<title>{name}" not in text:
        problems.append(Problem(where, f"the title does not name {name}"))
    for label, what in ((f"sec-lan-{code}", "the county's profile"),
                        (f"sec-om-berakningen-{code}", "the section Om beräkningen")):
        if label not in ids:
            problems.append(Problem(where, f"incomplete: {what} (#{label}) is missing"))
    plain = " ".join(re.sub(r"<[^>]+>", "", text).split())
    if rejects_label(code) not in ids and NO_REJECTS not in plain:
        problems.append(Problem(where, (
            f"incomplete: neither the table of rejected values (#{rejects_label(code)}) nor "
            "the sentence that nothing was rejected")))
    dangling = sorted({h for h in _HREF.findall(text) if h not in ids})
    if dangling:
        problems.append(Problem(where, f"links without a target: {', '.join(dangling[:5])}"))
    unresolved = sorted(set(re.findall(r"\?@[\w-]+", text)))
    if unresolved:
        problems.append(Problem(where, f"unresolved references: {', '.join(unresolved[:5])}"))
    return problems


def _pdf_problems(pdf: Path, where: str, hint: str) -> list[Problem]:
    data = pdf.read_bytes()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        return [Problem(where, f"not a complete PDF (cut short?): {hint}")]
    if render.pdf_page_count(pdf) < 2:
        return [Problem(where, "incomplete: fewer than 2 pages")]
    return []


def check_county_documents(root: Path | None = None) -> list[Problem]:
    """Every county of the book has both documents, each complete, its references resolved;
    no document in ``_book/lan/`` for a county the book does not have."""
    root = root or project_root()
    codes = list(county_chapters(root))
    problems = [p for code in codes for p in document_problems(code, root)]
    expected = {p.name for code in codes for p in document_paths(code, root)}
    folder = output_dir(root)
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.suffix in (".html", ".pdf") and path.name not in expected:
                problems.append(Problem(
                    path.relative_to(root).as_posix(),
                    "not a county of the book's chapter list: remove it",
                ))
    return problems
