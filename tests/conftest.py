"""Test order under mutation testing only (``make mutation``, scripts/mutation.py).

mutmut runs, for each mutant, every targeted test that calls the mutated function, in no
particular order, and stops at the first failure (``-x``). A mutant of an audit rule is almost
always killed by the small synthetic tests (``tests/test_audit_rules.py``, a few milliseconds
each), but when the planted-error suite happens to come first it spends seconds on the full
reference before getting there. So, only while mutmut runs a mutant (``MUTANT_UNDER_TEST`` is
set), the test modules run fastest first, by their tests' mean duration from mutmut's own stats
(``mutmut-stats.json``, in the working directory ``mutants/``). Each module's tests stay
together and in their order, so module fixtures are built once. Which tests run, and what they
assert, is unchanged: a surviving mutant still runs them all. Outside mutmut this does nothing.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path

import pytest


def _module(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[0]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not os.environ.get("MUTANT_UNDER_TEST"):
        return
    stats = Path("mutmut-stats.json")
    if not stats.is_file():
        return
    durations = json.loads(stats.read_text("utf-8")).get("duration_by_test", {})
    by_module: dict[str, list[float]] = defaultdict(list)
    for item in items:
        known = by_module[_module(item)]  # a module of new tests only (no stats yet) comes last
        if item.nodeid in durations:
            known.append(durations[item.nodeid])
    mean = {module: sum(d) / len(d) if d else float("inf") for module, d in by_module.items()}
    items.sort(key=lambda item: (mean[_module(item)], _module(item)))
