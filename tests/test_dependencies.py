"""Dependencies are declared, not frozen by hand: every package the code imports is a direct
dependency in pyproject.toml, and the generated lock (requirements.txt) pins each direct
dependency at a version its lower bound allows."""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LOCAL = {"samverkan", "tests", *(p.stem for folder in ("tests", "scripts")
                                  for p in (ROOT / folder).glob("*.py"))}
"""Top-level names that are this project's own modules (the tests import their helpers and
each other by their bare names too)."""


def declared(*extras: str) -> dict[str, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = list(project["dependencies"])
    for extra in extras:
        lines += project["optional-dependencies"][extra]
    return {canonicalize_name(r.name): r for r in map(Requirement, lines)}


def locked(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[canonicalize_name(name)] = version.strip()
    return pins


def imported_distributions(*folders: str) -> dict[str, set[str]]:
    """Distribution → the files that import it, for every third-party top-level import."""
    provides = packages_distributions()
    found: dict[str, set[str]] = {}
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top in sys.stdlib_module_names or top in LOCAL or top == "__future__":
                        continue
                    for dist in provides.get(top, [top]):
                        found.setdefault(canonicalize_name(dist),
                                         set()).add(str(path.relative_to(ROOT)))
    return found


def test_the_package_imports_only_its_declared_dependencies():
    undeclared = {d: f for d, f in imported_distributions("samverkan").items()
                  if d not in declared()}
    assert undeclared == {}, "add these to [project] dependencies in pyproject.toml, then make lock"


def test_tests_and_scripts_import_only_declared_dependencies():
    allowed = declared("test")
    allowed |= {canonicalize_name("packaging"): Requirement("packaging")}  # pytest's own
    undeclared = {d: f for d, f in imported_distributions("tests", "scripts").items()
                  if d not in allowed}
    assert undeclared == {}, "add these to the test extra in pyproject.toml, then make lock"


def test_the_lock_pins_every_direct_dependency_within_its_bounds():
    pins = locked(ROOT / "requirements.txt")
    for name, requirement in declared("test").items():
        assert name in pins, f"{name} is not in requirements.txt: run make lock"
        assert requirement.specifier.contains(pins[name]), (name, pins[name])
    lab = locked(ROOT / "requirements-lab.txt")
    assert {n: v for n, v in lab.items() if n in pins} == pins, "requirements-lab.txt moved a pin"
    assert all(name in lab for name in declared("lab"))


def test_every_direct_dependency_is_used():
    used = imported_distributions("samverkan", "tests", "scripts")
    needed_without_import = {"ipykernel", "pyarrow", "pypandoc-binary", "nbval", "pytest-xdist",
                             "ruff", "ipython", "python-calamine", "mutmut",
                             "pytest-cov"}
    """The kernel papermill starts, pandas' Parquet engine, pypandoc's bundled pandoc, the
    pytest plugins (make test, make coverage), mutmut (make mutation runs it), the linter,
    IPython (notebooks) and calamine (pandas' xlsx engine)."""
    unused = [n for n in declared("test") if n not in used and n not in needed_without_import]
    assert unused == [], "drop these from pyproject.toml (nothing imports them), then make lock"
