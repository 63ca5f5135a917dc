"""Benchmark the cleaning stage: print wall time per phase and peak memory (figures, not a test).

    python -m samverkan synth --scale 100 --out ../big       # about 15 000 projects
    python scripts/bench_clean.py ../big                    # both rounds, in order
    python scripts/bench_clean.py ../big --round 2011

Each round is cleaned in a fresh process (so peak memory is that round's alone) with
:func:`samverkan.intake.clean.clean_round`, writing to ``<data>/processed/<round>/``; the
figures are
printed as JSON, one line per round (wall seconds per phase, CPU seconds of the whole process
including the interpreter start, peak resident memory), and the cleaned tables are compared
with ``<data>/truth`` when it exists (the generator writes it).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path


def _cpu() -> float:
    """User + system CPU seconds of this process so far (less sensitive to a busy machine than
    wall time)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _one_round(data: Path, report_round: int) -> dict[str, object]:
    start = time.perf_counter()
    from samverkan.intake.clean import PROVENANCE, clean_round

    imported = time.perf_counter() - start
    result = clean_round(data / "raw" / str(report_round),
                         data / "coding" / f"{report_round}.csv",
                         data / "processed" / str(report_round), report_round)
    total = time.perf_counter() - start
    figures: dict[str, object] = {
        "round": report_round,
        "projects": len(result.projects),
        "rows_read": int(result.ledger["rows_read"].sum()),
        "rows_rejected": int(result.ledger["rows_rejected"].sum()),
        "seconds_total": round(total, 2),
        "seconds_import": round(imported, 2),
        **{f"seconds_{k}": round(v, 2) for k, v in result.timings.items()},
        "cpu_seconds": round(_cpu(), 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    truth = data / "truth" / str(report_round)
    if truth.is_dir():
        from samverkan.io import read_csv

        keys = {"projects": ["lan_code", "diarienummer"], "allocations": ["lan_code", "year"],
                "board": ["lan_code"]}
        equal = True
        for table, key in keys.items():
            if not (truth / f"{table}.csv").is_file():
                continue
            mine = read_csv(data / "processed" / str(report_round) / f"{table}.csv").drop(
                columns=list(PROVENANCE))
            them = read_csv(truth / f"{table}.csv")
            equal &= mine.sort_values(key, ignore_index=True).equals(
                them.sort_values(key, ignore_index=True))
        figures["equals_truth"] = equal
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="folder with raw/, coding/ (and truth/)")
    parser.add_argument("--round", type=int, default=None, help="one round (default: both)")
    parser.add_argument("--inline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inline:
        print(json.dumps(_one_round(args.data, args.round)), flush=True)
        return 0
    rounds = [args.round] if args.round else [2010, 2011]
    for report_round in rounds:
        subprocess.run([sys.executable, __file__, str(args.data), "--round", str(report_round),
                        "--inline"], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
