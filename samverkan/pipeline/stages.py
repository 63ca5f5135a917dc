"""The stage table: every unit of work of ``python -m samverkan run``, what it reads and writes.

Reads like the recipe it is::

    clean_2010 ─► clean_2011 ─┬─► results_2011 (tables, workbook, figures) ──► 02_results
                              ├─► counties_2011 (one slice per county) ──► county_01 … county_25
                              ├─► audit_2010, audit_2011 (audit.csv, consistency.csv, result)
                              └─► 01_clean, 03_audit, 04_summary, 05_distribution, 06_examples
    markdown (indikatorer.md, blanketter.md)
    every chapter ───────────────────────────────────────────────────────────────────► render
    county_NN ──► lan_NN (the county's own HTML and PDF in _book/lan/)

Each :class:`Stage` declares its input files (globs relative to the project root) and its output
files (a trailing ``/`` marks a folder). The runner derives the order from them (a stage that
reads what another writes runs after it), hashes the input files and runs a stage only when they
changed or an output is missing or was changed. Nothing else decides staleness.

The notebook stages come from the chapter list in ``_quarto.yml`` (:mod:`samverkan.book.chapters`),
so a new chapter notebook is a new stage without code changes; it reads every processed table of
the round unless :data:`CHAPTER_READS` narrows that. To add a kind of stage, write a function
``(Plan) -> list[Stage]`` and append it to :data:`BUILDERS`.

This module is on the no-change path: it imports nothing heavier than the standard library.
"""

from __future__ import annotations

import fnmatch
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from samverkan.rounds import ROUNDS

CODE = ("samverkan/**/*.py", "samverkan/**/*.yaml", "data/reference/*")
"""Read by every stage: the package's code and data files and the published reference figures."""

IGNORED = ("report/_generated/logs/*", "report/_generated/.*", "*/__pycache__/*")
"""Never inputs: the run's own logs, the runner's record and lock, caches."""

CLEAN_NOTEBOOK = "01_clean.ipynb"
COUNTY_NOTEBOOK = "county.ipynb"


@dataclass(frozen=True)
class Stage:
    """One unit of work: a notebook run (``notebook``) or function calls (``calls``)."""

    name: str
    kind: str
    inputs: tuple[str, ...]
    """Globs of the files read, relative to the project root (:data:`CODE` is added)."""
    outputs: tuple[str, ...]
    """Files or folders (trailing ``/``) written, relative to the project root."""
    calls: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    """``("module:function", ((keyword, value), …))`` called in order in a worker."""
    notebook: str | None = None
    """The source notebook papermill runs into ``outputs[0]``."""
    parameters: dict[str, Any] = field(default_factory=dict, compare=False)
    lan_code: str | None = None
    after: tuple[str, ...] = ()
    """Stages that must finish first although this one reads nothing they write."""

    @property
    def all_inputs(self) -> tuple[str, ...]:
        return (*self.inputs, *CODE)


@dataclass(frozen=True)
class Plan:
    """What the stage table is built from."""

    report_round: int
    chapters: Sequence[tuple[str, str, dict[str, Any]]]
    """(generated, source, parameters) per notebook chapter, paths relative to the root."""
    counties: frozenset[str]
    """The registered county codes."""
    county_documents: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Each county's own report files (relative), ``{lan_code: (html, pdf)}``."""
    quarto: bool = False
    """Quarto renders the book: it empties ``_book/`` first, so the county reports come after."""

    @property
    def rounds(self) -> tuple[int, ...]:
        """The round and every round before it (a round links to the one before)."""
        return tuple(r for r in ROUNDS if r <= self.report_round)


def resolve(target: str) -> Callable[..., Any]:
    """The function named by ``"package.module:function"``."""
    import importlib

    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def call(target: str, **kwargs: Any) -> tuple[str, tuple[tuple[str, Any], ...]]:
    """One function call of a stage: ``call("pkg.mod:func", report_round=2011)``."""
    return target, tuple(sorted(kwargs.items()))


# --------------------------------------------------------------------------------- artefacts

PROCESSED_TABLES = ("projects.parquet", "allocations.parquet", "board.parquet", "projects.csv",
                    "allocations.csv", "board.csv", "rejects.csv", "ledger.csv",
                    "coding_issues.csv")
"""What a clean stage writes in ``data/processed/<round>/`` (``board`` in the final round only,
so it is declared as written and a missing ``board.*`` in 2010 is no change)."""


def processed(report_round: int, name: str = "") -> str:
    return f"data/processed/{report_round}/{name}"


def clean_outputs(report_round: int) -> tuple[str, ...]:
    return tuple(processed(report_round, n) for n in PROCESSED_TABLES)


def tables_dir(report_round: int) -> str:
    return processed(report_round, "tables/")


def figures_dir(report_round: int) -> str:
    return processed(report_round, "figures/")


def slices_dir(report_round: int) -> str:
    return processed(report_round, "counties/")


def county_slice(report_round: int, lan_code: str) -> str:
    return processed(report_round, f"counties/{lan_code}.json")


# ------------------------------------------------------------------------------------ builders

CLEAN_TARGET = "samverkan.intake.clean:run"
EXPORTS_TARGET = "samverkan.results.exports:write_exports"
SLICES_TARGET = "samverkan.results.county:write_slices"


def clean_stages(plan: Plan) -> list[Stage]:
    """One per round: raw submissions and coding sheet → processed tables. A round reads the
    round before's projects (the link between a project's partial and final report)."""
    stages = []
    for r in plan.rounds:
        before = clean_outputs(r - 1) if r - 1 in plan.rounds else ()
        stages.append(Stage(
            f"clean_{r}", "clean",
            inputs=(f"data/raw/{r}/**/*", f"data/coding/{r}.csv", *before),
            outputs=clean_outputs(r),
            calls=(call(CLEAN_TARGET, report_round=r),),
        ))
    return stages


def _processed_inputs(plan: Plan) -> tuple[str, ...]:
    return tuple(p for r in plan.rounds for p in clean_outputs(r))


def submission_inputs(plan: Plan) -> tuple[str, ...]:
    """The generator's record and the counties' submission files (names starting with a county
    code, as :mod:`samverkan.provenance` reads them): what says whose files each county has."""
    return ("data/raw/SYNTH_MANIFEST.json",
            *(f"data/raw/{r}/**/[0-9][0-9]-*" for r in plan.rounds))


def results_stages(plan: Plan) -> list[Stage]:
    """The round's exports (every table as CSV and ``tabeller.xlsx``, every chart as PNG and
    SVG; the round before's tables beside its audit) and one data slice per county, which is all
    a county profile reads. Two stages so that they run side by side."""
    r = plan.report_round
    return [
        Stage(f"results_{r}", "results", inputs=_processed_inputs(plan),
              outputs=(tables_dir(r), figures_dir(r),
                       *(tables_dir(q) for q in plan.rounds if q < r)),
              calls=(call(EXPORTS_TARGET, report_round=r),)),
        # the slices say whose files each county's figures come from (the generator's record)
        Stage(f"counties_{r}", "results",
              inputs=(*_audited_inputs(plan), *submission_inputs(plan)),
              outputs=(slices_dir(r),),
              calls=(call(SLICES_TARGET, report_round=r),)),
    ]


def audit_stages(plan: Plan) -> list[Stage]:
    """Per round, the published figures against the recomputed ones (``samverkan audit`` makes
    the same call)."""
    return [Stage(f"audit_{r}", "audit",
                  inputs=tuple(p for q in plan.rounds if q <= r for p in clean_outputs(q)),
                  outputs=(processed(r, "audit.csv"), processed(r, "consistency.csv"),
                           stored_audit(r)),
                  calls=(call(AUDIT_TARGET, report_round=r),))
            for r in plan.rounds]


AUDIT_TARGET = "samverkan.audit:audit_round"
"""The audit package's entry point (``report_round`` → writes audit.csv, consistency.csv and
the stored result)."""


def stored_audit(report_round: int) -> str:
    """The audit stage's whole result with the digest of its inputs
    (``samverkan.audit.stage.stored_path``)."""
    return processed(report_round, "audit_result.pickle")


def _audited_inputs(plan: Plan) -> tuple[str, ...]:
    """The processed tables and the stored audits of the rounds: what a reader of
    ``samverkan.audit.stage.compute`` reads, so that the audit runs first and once."""
    return (*_processed_inputs(plan), *(stored_audit(r) for r in plan.rounds))


CHAPTER_READS: dict[str, Callable[[Plan], tuple[str, ...]]] = {
    "02_results.ipynb": lambda p: (*_processed_inputs(p), tables_dir(p.report_round) + "*"),
    "03_audit.ipynb": _audited_inputs,
    "04_summary.ipynb": _audited_inputs,
    "07_conclusions.ipynb": _audited_inputs,
}
"""What a chapter notebook reads besides the processed tables of its rounds (by source name).
A notebook not listed reads the processed tables only."""


def chapter_stages(plan: Plan) -> list[Stage]:
    """One per notebook chapter of ``_quarto.yml``: national chapters read the processed tables,
    each county profile reads its own slice."""
    stages = []
    for generated, source, params in plan.chapters:
        name = PurePosixPath(generated).stem
        parameters = {**params, "report_round": plan.report_round}
        source_name = PurePosixPath(source).name
        if source_name == COUNTY_NOTEBOOK:
            lan_code = str(params.get("lan_code", ""))
            if lan_code not in plan.counties:
                raise ValueError(
                    f"_quarto.yml: county chapter {generated} has lan_code {lan_code!r}, not an "
                    "SCB county code from data/reference/counties.csv."
                )
            stages.append(Stage(name, "county", (source, county_slice(plan.report_round,
                                                                      lan_code)),
                                (generated,), notebook=source, parameters=parameters,
                                lan_code=lan_code))
            continue
        reads = CHAPTER_READS.get(source_name, _processed_inputs)(plan)
        # every chapter's tables carry a source line made from the run's source facts
        reads = (*reads, county_slice(plan.report_round, "provenance"))
        stages.append(Stage(name, "chapter", (source, *reads), (generated,), notebook=source,
                            parameters=parameters))
    return stages


MARKDOWN_GENERATORS: tuple[tuple[str, str], ...] = (
    ("report/_generated/indikatorer.md",
     "samverkan.results.indicators:write_indicator_definitions"),
    ("report/_generated/blanketter.md", "samverkan.intake.forms:write_forms_appendix"),
    ("report/_generated/om-berakningen.md", "samverkan.book.technical:write_technical_appendix"),
    ("report/_generated/antaganden.md", "samverkan.book.assumptions:write_assumptions_appendix"),
    ("report/_generated/rekonstruktion.html", "samverkan.book.contract:write_quarto_notice"),
)
"""Generated markdown chapters (and the notice Quarto's HTML pages include): file ←
``module:function(path)``."""


def markdown_stages(plan: Plan) -> list[Stage]:
    # the assumptions appendix reads the generator's record and whose files each county has
    reads = submission_inputs(plan)
    return [Stage("markdown", "markdown", reads, tuple(f for f, _ in MARKDOWN_GENERATORS),
                  calls=tuple(call(target, path=f) for f, target in MARKDOWN_GENERATORS))]


RENDER_TARGET = "samverkan.book.render:render_book"


def book_dir(report_round: int) -> str:
    """The round's book folder: ``_book/`` for the final round, ``_book/<round>/`` before it
    (:func:`samverkan.book.chapters.round_output_dir`; ``project.output-dir`` is ``_book``)."""
    return "_book/" if report_round == ROUNDS[-1] else f"_book/{report_round}/"


def changes_page(report_round: int) -> str:
    """The run's change report beside the round's book (:mod:`samverkan.pipeline.changes`):
    written after the stages, so no stage's output."""
    return book_dir(report_round) + "andringar.html"


def other_rounds_books(report_round: int) -> tuple[str, ...]:
    """The other rounds' own book folders inside ``_book/``: never the final book's files."""
    return tuple(book_dir(r) for r in ROUNDS if r != report_round and r != ROUNDS[-1])


def render_stages(plan: Plan) -> list[Stage]:
    """The book from every chapter; it waits for every other stage that writes what it reads,
    and is skipped when one of them is not up to date (``_book/`` keeps the last complete book)."""
    return [Stage("render", "render",
                  inputs=("_quarto.yml", "*.qmd", "*.bib", "*.csl", "report/**/*"),
                  outputs=(book_dir(plan.report_round), "report/_generated/omslag.md"),
                  calls=(call(RENDER_TARGET),))]


COUNTY_DOC_TARGET = "samverkan.book.county_docs:render_county"
"""Writes one county's own report (``_book/lan/``) from its executed profile."""


def national_basis(plan: Plan) -> tuple[str, ...]:
    """The stages a county report's national comparisons rest on: every clean, results and
    audit stage and every notebook chapter, the other counties' profiles included."""
    r = plan.report_round
    return (*(f"clean_{q}" for q in plan.rounds), f"results_{r}", f"counties_{r}",
            *(f"audit_{q}" for q in plan.rounds),
            *(PurePosixPath(generated).stem for generated, _, _ in plan.chapters))


def county_document_stages(plan: Plan) -> list[Stage]:
    """Each county's own HTML and PDF (``lan_<länskod>``), from its executed profile, the book's
    settings and assets, its own files and the generator's record beside the rounds' folders
    (the cover says whose data it is).

    They wait for :func:`national_basis`: when any of it failed, no county report is made and
    each keeps its last complete version (as ``_book/`` keeps the last complete book), because
    its national comparisons would rest on a part of the counties only."""
    basis = national_basis(plan)
    out = []
    for generated, source, params in plan.chapters:
        if PurePosixPath(source).name != COUNTY_NOTEBOOK:
            continue
        code = str(params.get("lan_code", ""))
        out.append(Stage(
            f"lan_{code}", "countydoc",
            inputs=(generated, "_quarto.yml", "report/assets/**/*", f"data/raw/*/{code}-*",
                    "data/raw/*"),  # the last: the generator's record of whose files they are
            outputs=plan.county_documents.get(code, ()),
            calls=(call(COUNTY_DOC_TARGET, lan_code=code, report_round=plan.report_round),),
            lan_code=code,
            after=(*basis, "render") if plan.quarto else basis,
        ))
    return out


BUILDERS: list[Callable[[Plan], list[Stage]]] = [
    clean_stages, results_stages, audit_stages, chapter_stages, markdown_stages, render_stages,
    county_document_stages,
]
"""The stage table, in the order stages are started when several are ready."""


def stage_table(plan: Plan) -> list[Stage]:
    """Every stage for ``plan``; raises ValueError for a chapter list the runner cannot run."""
    stages = [stage for build in BUILDERS for stage in build(plan)]
    names = [s.name for s in stages]
    if len(set(names)) != len(names):
        raise ValueError(f"stage names must be unique: {names}")
    return stages


# -------------------------------------------------------------------------------- dependencies


@functools.cache
def reads(pattern: str, output: str) -> bool:
    """True when the input glob ``pattern`` (``Path.glob`` syntax) can match ``output`` (a file)
    or a file inside it (a folder, when it ends in ``/``)."""
    parts = pattern.split("/")
    if not output.endswith("/"):
        target = output.split("/")
        if "**" not in parts:
            return len(parts) == len(target) and all(
                fnmatch.fnmatchcase(t, p) for t, p in zip(target, parts, strict=True))
        return fnmatch.fnmatchcase(output, pattern) or fnmatch.fnmatchcase(
            output, pattern.replace("**/", ""))
    folder = output.rstrip("/").split("/")
    for i, part in enumerate(folder):
        if i >= len(parts):
            return False
        if parts[i] == "**":
            return True
        if not fnmatch.fnmatchcase(part, parts[i]):
            return False
    return len(parts) > len(folder)


def dependencies(stages: Sequence[Stage]) -> dict[str, tuple[str, ...]]:
    """For each stage, the stages that write something it reads (never itself)."""
    out: dict[str, tuple[str, ...]] = {}
    for stage in stages:
        out[stage.name] = tuple(
            other.name for other in stages
            if other is not stage and (
                other.name in stage.after
                or any(reads(p, o) for p in stage.inputs for o in other.outputs))
        )
    return out


def under(rel: str, outputs: Sequence[str]) -> bool:
    """True when the relative path ``rel`` is one of ``outputs`` or inside one of its folders."""
    return any(rel == o or (o.endswith("/") and rel.startswith(o)) for o in outputs)


SOURCE_NOTEBOOKS = "notebooks/*.ipynb"
"""The notebooks people edit: an input by what they execute, not by what Lab last saved."""


def input_digest(root: Path, rel: str) -> str:
    """The digest an input file is recorded by: a source notebook's cells
    (:func:`cache.notebook_digest`), any other file's bytes."""
    from samverkan.pipeline import cache

    path = root / rel
    if fnmatch.fnmatchcase(rel, SOURCE_NOTEBOOKS):
        return cache.notebook_digest(path)
    return cache.file_digest(path)


def ignored(rel: str) -> bool:
    """True for a path (relative, POSIX) that is never an input (:data:`IGNORED`)."""
    return any(fnmatch.fnmatchcase(rel, p) for p in IGNORED) or any(
        part.startswith(".") or part == "__pycache__" for part in rel.split("/"))
