"""Atomic writes: an output is either the old file or the complete new one, never half."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # frames are only passed through: the no-change run must not import pandas
    import pandas as pd


@contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` on success."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_atomic(target: Path | str, writer: Callable[[Path], object]) -> Path:
    """Call ``writer(tmp_path)`` and move the result onto ``target`` atomically."""
    with atomic_path(target) as tmp:
        writer(tmp)
    return Path(target)


def write_text(target: Path | str, text: str) -> Path:
    """UTF-8 text, atomically."""
    return write_atomic(target, lambda p: p.write_text(text, encoding="utf-8"))


def write_csv(target: Path | str, frame: pd.DataFrame) -> Path:
    """UTF-8, comma-separated, no index: the project's tidy CSV."""
    return write_atomic(target, lambda p: frame.to_csv(p, index=False, lineterminator="\n"))


def write_parquet(target: Path | str, frame: pd.DataFrame) -> Path:
    return write_atomic(target, lambda p: frame.to_parquet(p, index=False))
