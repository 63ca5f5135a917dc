"""make mutation: run mutmut over the core modules one at a time and print the score per module.

mutmut (configured under ``[tool.mutmut]`` in pyproject.toml) copies the package into
``mutants/``, mutates only the core modules and runs, for each mutant, the targeted unit and
property tests that call the mutated function. This script runs one module at a time (at most
``--workers`` processes, default 2: the machine is shared) and then reads mutmut's own result
files (``mutants/<module>.py.meta``) to print, per module, how many mutants were killed, survived,
had no test, timed out or were not checked. Survivors judged equivalent (no input can tell them
from the original) are listed with the reason in ``tests/mutation/equivalent.md``; the score is
killed / (all − equivalent).

Usage: ``python scripts/mutation.py [--workers N] [--report-only] [module ...]`` where a module is
``results/report_tables`` or similar (default: all core modules); a module may carry a function
filter, ``results/measures:project_flags``, to re-run the mutants of one function only.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = ["results/report_tables", "results/measures", "results/indicators", "audit/rules",
        "audit/evidence", "intake/normalise", "intake/validate"]
EQUIVALENT = ROOT / "tests" / "mutation" / "equivalent.md"
TARGET = 0.90

# mutmut's exit codes (mutmut/stats.py): 1 and 3 killed, 0 survived, 33 and 5 no test,
# 36/24/-24/152/255 timeout (counted as killed: the mutant made the tests hang), None not checked.
KILLED = {1, 3, 36, 24, -24, 152, 255, 37}
SURVIVED = {0}
NO_TESTS = {33, 5}


def equivalent_mutants() -> set[str]:
    """The mutant names listed (in backticks, at the start of a bullet) in equivalent.md."""
    if not EQUIVALENT.is_file():
        return set()
    return set(re.findall(r"^- `([\w.]+__mutmut_\d+)`", EQUIVALENT.read_text("utf-8"), re.M))


def results(module: str) -> dict[str, int | None]:
    """mutmut's stored exit code per mutant of ``module`` (empty if never run)."""
    meta = ROOT / "mutants" / "samverkan" / f"{module}.py.meta"
    if not meta.is_file():
        return {}
    return json.loads(meta.read_text("utf-8"))["exit_code_by_key"]


def summary(module: str, equivalent: set[str]) -> dict[str, object]:
    """Counts per outcome and the score of one module."""
    codes = results(module)
    counts: Counter[str] = Counter()
    survivors = []
    for name, code in codes.items():
        if name in equivalent and code in SURVIVED:
            counts["equivalent"] += 1
        elif code is None:
            counts["not checked"] += 1
        elif code in KILLED:
            counts["killed"] += 1
        elif code in SURVIVED:
            counts["survived"] += 1
            survivors.append(name)
        elif code in NO_TESTS:
            counts["no tests"] += 1
            survivors.append(name)
        else:
            counts["suspicious"] += 1
            survivors.append(name)
    judged = len(codes) - counts["equivalent"] - counts["not checked"]
    score = counts["killed"] / judged if judged else float("nan")
    return {"module": module, "mutants": len(codes), "counts": counts, "score": score,
            "survivors": sorted(survivors)}


def sync_package_data() -> None:
    """Copy every package file that mutmut does not mutate (other modules, codebook.yaml …)
    into ``mutants/`` afresh: mutmut copies such a file only when it has no copy yet, so after a
    merge or pull the copy would be stale and test collection fails."""
    target = ROOT / "mutants" / "samverkan"
    if not target.is_dir():
        return
    mutated = {ROOT / "samverkan" / f"{m}.py" for m in CORE}
    for source in (ROOT / "samverkan").rglob("*"):
        if source.is_file() and source.suffix != ".pyc" and source not in mutated:
            copy = target / source.relative_to(ROOT / "samverkan")
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy)


def run(module: str, workers: int) -> int:
    """Run mutmut on the mutants of one module (or of one function, ``module:function``)."""
    sync_package_data()
    path, _, function = module.partition(":")
    pattern = "samverkan." + path.replace("/", ".") + (f".x_{function}__mutmut_*" if function
                                                       else ".*")
    print(f"== mutmut run {pattern}", flush=True)
    done = subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(workers),
                           pattern], cwd=ROOT, stdout=subprocess.DEVNULL)
    return done.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", default=CORE)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--report-only", action="store_true",
                        help="print the stored results without running mutmut")
    parser.add_argument("--survivors", action="store_true", help="list surviving mutants")
    args = parser.parse_args(argv)
    failed = []
    for module in args.modules:
        if not args.report_only and run(module, args.workers) != 0:
            failed.append(module)
    equivalent = equivalent_mutants()
    print(f"\n{'module':24} {'mutants':>7} {'killed':>6} {'surv.':>5} {'no test':>7} "
          f"{'equiv.':>6} {'unchecked':>9} {'score':>6}")
    below = []
    for module in dict.fromkeys(m.partition(":")[0] for m in args.modules):
        s = summary(module, equivalent)
        c = s["counts"]
        print(f"{module:24} {s['mutants']:>7} {c['killed']:>6} {c['survived']:>5} "
              f"{c['no tests']:>7} {c['equivalent']:>6} {c['not checked']:>9} "
              f"{s['score']:>6.1%}")
        if not s["score"] >= TARGET:
            below.append(module)
        if args.survivors:
            for name in s["survivors"]:
                print(f"    {name}")
    if failed:
        print(f"mutmut failed on: {', '.join(failed)}", file=sys.stderr)
    if below:
        print(f"below {TARGET:.0%} killed: {', '.join(below)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
