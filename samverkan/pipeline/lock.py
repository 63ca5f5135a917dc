"""One writer per project at a time: every command that writes into the project (``run``,
``clean``, ``audit``, ``render``, ``synth`` without ``--out``) holds the same lock, so a
``render`` or ``audit`` started during a run is refused instead of writing ``_book/`` or
``audit.csv`` under it. The lock is an ``flock`` on ``report/_generated/.run.lock``: the
kernel drops it when the process ends, however it ends."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from samverkan.paths import generated_dir


class RunInProgress(RuntimeError):
    """Another command of the project holds its lock."""


@contextmanager
def project_lock(command: str = "run") -> Iterator[None]:
    """Hold the project's lock while ``command`` writes; :class:`RunInProgress` at once when
    another command holds it."""
    import fcntl

    path = generated_dir() / ".run.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another command"
            raise RunInProgress(
                f"{holder} is writing into this project (it holds {path}); `{command}` waits "
                "for nothing: run it again when that has finished"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"`python -m samverkan {command}`")
        fh.flush()
        yield
