"""``python -m samverkan <command>``: one entry point for every stage.

This module alone reads arguments, prints and chooses exit codes; the functions it calls take
typed arguments and return results (or raise). Exit codes: 0 done, 1 done with failures (a
stage failed, a row was rejected, the book has problems), 2 nothing was done (a bad argument,
another run in progress, missing input), 128 + the signal's number when a run was interrupted
(130 for Ctrl-C, 143 for SIGTERM).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from samverkan.rounds import DEFAULT_ROUND, FINAL, PARTIAL, ROUNDS


def _jobs(text: str) -> int:
    """``--jobs``: a whole number of at least 1 (argparse exits 2 for anything else)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value}: at least 1 stage must run at a time")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m samverkan", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="the whole pipeline: clean, results, audit, counties, render")
    run.add_argument("--round", type=int, choices=ROUNDS, default=DEFAULT_ROUND)
    run.add_argument("--jobs", type=_jobs, default=None, help="parallel stages (default: cores)")
    run.add_argument("--county", nargs="+", default=None, help="only these counties (code or name)")
    run.add_argument("--no-cache", action="store_true", help="rerun every stage")

    clean = sub.add_parser("clean", help="read, normalise and validate a round's submissions "
                                         "(and the rounds before it, which it links to)")
    clean.add_argument("--round", type=int, choices=ROUNDS, default=DEFAULT_ROUND)

    audit = sub.add_parser("audit", help="recompute the audit alone from the processed data")
    audit.add_argument("--round", type=int, choices=ROUNDS, default=DEFAULT_ROUND)

    render = sub.add_parser("render", help="render the book: Quarto if installed, else pandoc + "
                                           "typst")
    render.add_argument("--engine", choices=("auto", "quarto", "embedded"), default="auto")
    sub.add_parser("check", help="check the book's integrity: chapters, executions, references")

    bench = sub.add_parser("bench", help="benchmark the pipeline and print JSON figures")
    bench.add_argument("--jobs", type=_jobs, default=None)

    synth = sub.add_parser("synth", help="write the reconstructed raw submissions")
    synth.add_argument("--seed", type=int, default=2011)
    synth.add_argument("--scale", type=int, default=1)
    synth.add_argument("--out", type=Path, default=None, help="default: the project's data/")

    template = sub.add_parser("template", help="write a blank submission workbook")
    template.add_argument("--out", type=Path, default=Path("inlamning_mall.xlsx"))
    template.add_argument("--round", type=int, choices=ROUNDS, default=DEFAULT_ROUND)
    return parser


def _err(command: str, message: object) -> None:
    print(f"samverkan {command}: {message}", file=sys.stderr)


def cmd_run(args: argparse.Namespace) -> int:
    """Exit 0 when every stage ran or was up to date and no row was rejected, 1 when a stage
    failed or a row or file was rejected, 2 when nothing was started, 128 + signal when
    interrupted."""
    from samverkan.pipeline import runner
    from samverkan.pipeline.lock import RunInProgress
    from samverkan.pipeline.report import failed

    try:
        outcome = runner.run(report_round=args.round, jobs=args.jobs, counties=args.county,
                             use_cache=not args.no_cache)
    except (ValueError, RunInProgress) as exc:
        _err("run", exc)
        return 2
    print(runner.run_summary(outcome))
    if outcome.interrupted:
        return 128 + outcome.interrupted
    return 1 if failed(outcome.results) or outcome.rejected else 0


def cmd_clean(args: argparse.Namespace) -> int:
    """Exit 1 when anything was rejected (after writing everything good)."""
    from samverkan.intake import clean
    from samverkan.paths import processed_dir, project_root

    status = 0
    for report_round in (r for r in ROUNDS if r <= args.round):
        try:
            result = clean.run(report_round)
        except FileNotFoundError as exc:
            _err("clean", exc)
            return 2
        print(result.summary())
        out = processed_dir(report_round).relative_to(project_root())
        if not result.ok:
            print(f"{len(result.rejects)} rejects: see {out}/rejects.csv and {out}/ledger.csv.")
            status = 1
        else:
            print(f"Wrote {out}/.")
    return status


def cmd_audit(args: argparse.Namespace) -> int:
    """The audit stage's own call, alone: from the processed data to audit.csv and
    consistency.csv."""
    from samverkan.audit.stage import summary_line
    from samverkan.pipeline import stages

    try:
        result = stages.resolve(stages.AUDIT_TARGET)(report_round=args.round)
    except FileNotFoundError as exc:
        _err("audit", exc)
        return 2
    print(summary_line(result))
    print(f"Wrote data/processed/{args.round}/audit.csv and consistency.csv.")
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    from samverkan.book import chapters, render
    from samverkan.paths import project_root

    try:
        result = render.render_book(engine=args.engine)
    except (chapters.BookError, render.RenderError) as exc:
        _err("render", exc)
        return 1
    for warning in result.warnings:
        _err("render", f"warning: {warning}")
    root = project_root()
    print(f"render: {result.engine} in {result.seconds:.1f} s")
    for path in result.outputs:
        size = path.stat().st_size
        shown = f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{size / 1000:.0f} kB"
        extra = f", {result.pages} pages" if path.suffix == ".pdf" and result.pages else ""
        print(f"  {path.relative_to(root)}  ({shown}{extra})")
    if result.warnings:
        _err("render", f"{len(result.warnings)} warning(s); `python -m samverkan check` lists "
                       "what to fix")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """The book's source, then each county's own report."""
    from samverkan.book import chapters, county_docs, render

    problems = render.check_book()
    problems += county_docs.check_county_documents()
    if not problems:
        counties = len(county_docs.county_chapters())
        print(f"check: the book is complete ({len(chapters.chapters())} chapters), and so are "
              f"the {counties} county reports in {county_docs.LAN_DIR}/")
        return 0
    _err("check", f"{len(problems)} problem(s):")
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    return 1


def cmd_bench(args: argparse.Namespace) -> int:
    from samverkan.pipeline import bench

    figures = bench.bench(jobs=args.jobs)
    print(json.dumps(figures, indent=1, ensure_ascii=False))
    return 0 if figures["cold_exit"] == 0 else 1


def cmd_synth(args: argparse.Namespace) -> int:
    import time

    from samverkan.synth import generate

    begin = time.perf_counter()
    ds = generate.generate(args.seed, args.scale)
    written = generate.write(ds, generate.layout(args.out))
    n = {r: len(ds.rows(r)) for r in ROUNDS}
    print(f"synth: seed {args.seed}, scale {args.scale}: {n[PARTIAL]} project reports "
          f"2010, {n[FINAL]} 2011, {len(written)} files in "
          f"{time.perf_counter() - begin:.1f} s")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from samverkan.intake import codebook

    path = codebook.write_template(args.out, args.round)
    print(f"template: wrote {path} (round {args.round}); fill it in and save it as "
          f"data/raw/{args.round}/<länskod>-<län>.xlsx")
    return 0


def _locked(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """``command`` while holding the project's lock (exit 2 when another command holds it):
    every command that writes into the project."""

    def locked(args: argparse.Namespace) -> int:
        from samverkan.pipeline.lock import RunInProgress, project_lock

        if args.command == "synth" and args.out is not None:
            return command(args)  # writes elsewhere
        try:
            with project_lock(args.command):
                return command(args)
        except RunInProgress as exc:
            _err(args.command, exc)
            return 2

    return locked


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "run": cmd_run, "clean": _locked(cmd_clean), "audit": _locked(cmd_audit),
    "render": _locked(cmd_render), "check": cmd_check, "bench": cmd_bench,
    "synth": _locked(cmd_synth), "template": cmd_template,
}
"""Each command; those that write into the project hold its lock (``run`` takes it itself)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the command; returns the process exit code."""
    args = _parser().parse_args(argv)
    return COMMANDS[args.command](args)
