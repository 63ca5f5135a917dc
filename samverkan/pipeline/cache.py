"""Content hashes and the run manifest behind ``python -m samverkan run``'s incremental runs.

A stage reruns only when the SHA-256 of something it depends on changed (never a timestamp).
This module is on the no-change path, which must stay fast: it imports nothing heavier than
``hashlib`` and ``json``.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

MANIFEST_VERSION = 1

IGNORED_NAMES = frozenset({"__pycache__", ".ipynb_checkpoints", ".DS_Store", ".pytest_cache"})
"""Names never hashed: caches and editor litter, not inputs."""

_CHUNK = 1 << 20


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def notebook_digest(path: Path) -> str:
    """SHA-256 of what changes a notebook's execution: each cell's type, source and tags
    (papermill's ``parameters`` cell) and the kernel's name; not the saved outputs, execution
    counts or other metadata a Lab session writes. A file that is no notebook JSON: its bytes."""
    try:
        nb = json.loads(path.read_bytes())
        cells = [(c.get("cell_type"), "".join(c.get("source") or ""),
                  sorted((c.get("metadata") or {}).get("tags") or []))
                 for c in nb["cells"]]
        kernel = ((nb.get("metadata") or {}).get("kernelspec") or {}).get("name")
    except (ValueError, KeyError, TypeError, AttributeError):
        return file_digest(path)
    return text_digest("notebook", kernel, cells)


def text_digest(*parts: object) -> str:
    """SHA-256 of the parts, each as canonical JSON (so ``("a", "bc")`` ≠ ``("ab", "c")``)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(json.dumps(part, sort_keys=True, ensure_ascii=False, default=str).encode())
        h.update(b"\0")
    return h.hexdigest()


def tree_files(
    root: Path, suffixes: Iterable[str] | None = None, exclude: Iterable[str] = ()
) -> list[Path]:
    """Files under ``root`` (recursively, sorted), optionally only those ending in one of
    ``suffixes``; hidden files, caches and any top-level entry named in ``exclude`` are left
    out. A missing ``root`` has no files."""
    if not root.is_dir():
        return []
    wanted = tuple(suffixes) if suffixes is not None else None
    skip = set(exclude)
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel = Path(dirpath).relative_to(root)
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".")
            and d not in IGNORED_NAMES
            and not (rel == Path(".") and d in skip)
        )
        for name in sorted(filenames):
            if name.startswith(".") or name in IGNORED_NAMES:
                continue
            if rel == Path(".") and name in skip:
                continue
            if wanted is not None and not name.endswith(wanted):
                continue
            out.append(Path(dirpath) / name)
    return out


def expand(patterns: Iterable[str], root: Path, skip: Callable[[str], bool]) -> list[Path]:
    """The files matched by the globs ``patterns`` under ``root`` (sorted, each once), without
    those whose relative POSIX path ``skip`` refuses."""
    found: set[Path] = set()
    for pattern in patterns:
        for path in root.glob(pattern):
            if path.is_file() and not skip(path.relative_to(root).as_posix()):
                found.add(path)
    return sorted(found)


def files_digests(paths: Iterable[Path], base: Path) -> dict[str, str]:
    """``{path relative to base (posix): sha256}`` for each path."""
    return {p.relative_to(base).as_posix(): file_digest(p) for p in paths}


def combine(digests: dict[str, str]) -> str:
    """One digest for a set of named digests (order-independent)."""
    return text_digest(sorted(digests.items()))


def outputs_unchanged(recorded: dict[str, str], base: Path) -> bool:
    """True when every recorded output still exists with the recorded content."""
    for rel, digest in recorded.items():
        path = base / rel
        if not path.is_file() or file_digest(path) != digest:
            return False
    return True


class Manifest:
    """What each stage was last run from: ``{stage: {"key": …, "outputs": {path: sha256}}}``
    plus memo entries whose names start with ``_``. Stored as JSON; written atomically."""

    def __init__(self, path: Path, entries: dict[str, Any] | None = None) -> None:
        self.path = path
        self.entries: dict[str, Any] = entries or {}
        self._saved = json.dumps(self.entries, sort_keys=True)

    @classmethod
    def load(cls, path: Path) -> Manifest:
        """The manifest at ``path``; an absent, unreadable or old-version one is empty (every
        stage then reruns, which is always safe)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path)
        if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
            return cls(path)
        return cls(path, data.get("entries") or {})

    def get(self, name: str) -> dict[str, Any]:
        return self.entries.get(name) or {}

    def set(self, name: str, entry: dict[str, Any]) -> None:
        self.entries[name] = entry

    def drop(self, name: str) -> None:
        self.entries.pop(name, None)

    def save(self) -> None:
        """Write the manifest if it changed (temp file + rename, so it is never half-written)."""
        text = json.dumps(self.entries, sort_keys=True)
        if text == self._saved and self.path.exists():
            return
        from samverkan.io import write_text  # imports pandas: only when something ran

        payload = {"version": MANIFEST_VERSION, "entries": self.entries}
        write_text(self.path, json.dumps(payload, indent=1, sort_keys=True) + "\n")
        self._saved = text
