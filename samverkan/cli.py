"""``python -m samverkan <command>``: one entry point for every stage."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from samverkan.rounds import DEFAULT_ROUND, ROUNDS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m samverkan", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="the whole pipeline: clean, results, audit, counties, render")
    run.add_argument("--round", type=int, choices=ROUNDS, default=DEFAULT_ROUND)
    run.add_argument("--jobs", type=int, default=None, help="parallel county runs (default: cores)")
    run.add_argument("--county", nargs="+", default=None, help="only these counties (code or name)")
    run.add_argument("--no-cache", action="store_true", help="rerun every stage")

    clean = sub.add_parser("clean", help="read, normalise and validate one round's submissions")
    clean.add_argument("--round", type=int, choices=ROUNDS, default=DEFAULT_ROUND)

    sub.add_parser("render", help="render the book: Quarto if installed, else pandoc + typst")
    sub.add_parser("check", help="check the book's integrity: chapters, executions, references")
    sub.add_parser("bench", help="benchmark the pipeline and print JSON figures")

    synth = sub.add_parser("synth", help="write the reconstructed raw submissions")
    synth.add_argument("--seed", type=int, default=2011)
    synth.add_argument("--scale", type=int, default=1)
    synth.add_argument("--out", type=Path, default=None, help="default: the project's data/")

    template = sub.add_parser("template", help="write a blank submission workbook")
    template.add_argument("--out", type=Path, default=Path("inlamning_mall.xlsx"))
    template.add_argument("--round", type=int, choices=ROUNDS, default=DEFAULT_ROUND)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the command; returns the process exit code."""
    args = _parser().parse_args(argv)
    if args.command == "run":
        from samverkan.pipeline import runner

        return runner.main(args)
    if args.command == "clean":
        from samverkan.intake import clean

        return clean.main(args)
    if args.command == "render":
        from samverkan.book import render

        return render.main(args)
    if args.command == "check":
        from samverkan.book import render

        return render.check_main(args)
    if args.command == "bench":
        from samverkan.pipeline import bench

        return bench.main(args)
    if args.command == "synth":
        from samverkan.synth import generate as synth

        return synth.main(args)
    if args.command == "template":
        from samverkan.intake import codebook

        return codebook.template_main(args)
    raise AssertionError(args.command)
