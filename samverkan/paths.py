"""Where things live: the project root is found, never assumed."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path, PurePosixPath

GENERATED = PurePosixPath("report/_generated")
"""Where the run writes executed notebooks, generated chapters and logs (relative to the root;
git-ignored)."""


def _is_root(path: Path) -> bool:
    return (path / "_quarto.yml").is_file() and (path / "samverkan").is_dir()


@cache
def project_root() -> Path:
    """The checkout's root: ``$SAMVERKAN_ROOT``, else the first parent of the working directory
    (or of this package) that holds ``_quarto.yml`` and ``samverkan/``."""
    env = os.environ.get("SAMVERKAN_ROOT")
    if env:
        return Path(env).resolve()
    for start in (Path.cwd(), Path(__file__).resolve().parent):
        for candidate in (start, *start.parents):
            if _is_root(candidate):
                return candidate
    raise FileNotFoundError(
        "Cannot find the samverkan project root (a folder with _quarto.yml and samverkan/). "
        "Run from inside the checkout or set SAMVERKAN_ROOT."
    )


def data_dir() -> Path:
    return project_root() / "data"


def raw_dir(report_round: int) -> Path:
    return data_dir() / "raw" / str(report_round)


def coding_path(report_round: int) -> Path:
    return data_dir() / "coding" / f"{report_round}.csv"


def reference_dir() -> Path:
    return data_dir() / "reference"


def processed_dir(report_round: int) -> Path:
    return data_dir() / "processed" / str(report_round)


def generated_dir() -> Path:
    return project_root() / GENERATED


def book_dir() -> Path:
    return project_root() / "_book"
