"""The shared facts beside the checkout (``../shared/``: the seed texts and SCB's county,
municipality and population files). CI has them; a fresh clone on its own does not, so the
tests that compare against them skip with a one-line reason there instead of failing."""

from __future__ import annotations

from pathlib import Path

import pytest

from samverkan.paths import project_root


def shared_dir() -> Path:
    """``../shared/`` beside the project root (it may not exist)."""
    return project_root().parent / "shared"


def shared_file(*parts: str) -> Path:
    """``../shared/<parts>``, or skip the calling test with the reason when it is absent."""
    path = shared_dir().joinpath(*parts)
    if not path.is_file():
        pytest.skip(f"needs {Path('..', 'shared', *parts).as_posix()} beside the checkout "
                    "(CI has it; a lone clone does not)")
    return path
