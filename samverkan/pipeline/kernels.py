"""The Jupyter kernels a worker runs notebooks in: started here, handed to papermill, shut down
here. A worker keeps its kernel for its next notebook (a chapter or a county profile), with the
kernel's state reset between runs (:data:`_RESET`), so kernel start and imports are paid once per
worker, not once per notebook.

Readiness is checked without jupyter_client's fixed waits (:class:`ReadyClient`): on this
pipeline's 28 notebook runs they were 0.2–0.4 s each of a worker doing nothing."""

from __future__ import annotations

import ast
import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from queue import Empty
from typing import Any

import zmq
from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.session import new_id
from jupyter_client.utils import ensure_async, run_sync

KERNEL = "python3"
RECONNECT_S = 5.0
"""How long a shell socket may refuse to take a message before it is connected anew."""
SEND_TIMEOUT_S = 60.0
"""How long any send on a shell socket may block before it fails: the stage fails, the run goes
on."""
PROBE_S = 0.02
"""How long to listen on IOPub after a ``kernel_info`` reply before asking again, and for
silence when draining it (jupyter_client waits 0.2 s for each)."""


class ReadyClient(BlockingKernelClient):
    """A kernel client with a routing identity of its own, whose ``wait_for_ready`` asks
    ``kernel_info`` until the reply has come and IOPub carries the kernel's status (so IOPub is
    connected), then drains IOPub: the same checks as jupyter_client's, with short probes repeated
    instead of one 0.2 s wait each, and never blocked longer than its timeout.

    Once, under load, a client's shell socket was connected to nothing (no TCP connection, no
    reconnection attempts) and its first ``kernel_info`` blocked for good, hanging the run. So a
    shell socket that cannot take a message within :data:`RECONNECT_S` is replaced by a freshly
    connected one, until the timeout, and the readiness check fails instead of hanging. Each
    client also has a session id (the shell socket's routing identity) of its own instead of the
    manager's, which every client of a kept kernel shared."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.session = self.session.clone()
        self.session.session = new_id()  # also the shell socket's identity (bsession)

    def connect_shell(self, identity: bytes | None = None) -> zmq.Socket:
        """The shell socket, whose sends (a cell's execute request too) give up after
        :data:`SEND_TIMEOUT_S` with ``zmq.Again`` instead of blocking for good."""
        socket = super().connect_shell(identity=identity)
        socket.sndtimeo = int(SEND_TIMEOUT_S * 1000)
        return socket

    async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
        while True:
            if not self._shell_writable(deadline):
                raise RuntimeError(f"Kernel's shell channel not connected in {timeout} seconds")
            self.kernel_info()
            try:
                reply = await ensure_async(self.shell_channel.get_msg(timeout=1))
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                try:
                    await ensure_async(self.iopub_channel.get_msg(timeout=PROBE_S))
                except Empty:
                    pass
                else:
                    self._handle_kernel_info_reply(reply)
                    break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")
        while True:  # what is left of the status messages of the probes
            try:
                await ensure_async(self.iopub_channel.get_msg(timeout=PROBE_S))
            except Empty:
                break

    wait_for_ready = run_sync(_async_wait_for_ready)

    def _shell_writable(self, deadline: float) -> bool:
        """True once the shell socket can take a message; a socket that cannot within
        :data:`RECONNECT_S` is closed and connected anew, until ``deadline``."""
        while True:
            wait = max(0.0, min(RECONNECT_S, deadline - time.monotonic()))
            if self.shell_channel.socket.poll(int(wait * 1000), zmq.POLLOUT):
                return True
            if time.monotonic() >= deadline:
                return False
            print(f"kernel client: the shell channel took no message for {RECONNECT_S} s; "
                  "connecting it again", file=sys.stderr, flush=True)
            self._shell_channel.close()
            self._shell_channel = None


def start(root: str, log: Any = None) -> Any:
    """A started kernel (its manager) in ``root``, whose clients are :class:`ReadyClient`; its
    output goes to the open file ``log``, or where the worker's goes (the stage's log). Its
    history stays in memory, as nbclient's kernels' does (parallel kernels, one SQLite file)."""
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name=KERNEL, client_class=f"{__name__}.ReadyClient")
    streams = {} if log is None else {"stdout": log, "stderr": log}
    km.start_kernel(cwd=root, extra_arguments=["--HistoryManager.hist_file=:memory:"], **streams)
    return km


# --------------------------------------------------------------------------- the kept kernel

_KEPT: dict[str, Any] = {}
"""This worker's kept kernel: ``km`` and ``err`` (its log)."""

_RESET = """\
get_ipython().reset(new_session=True)
import os as _os, sys as _sys, warnings as _warnings
_os.chdir({root!r})
if "matplotlib.pyplot" in _sys.modules:
    _sys.modules["matplotlib.pyplot"].close("all")
if "pandas" in _sys.modules:
    _sys.modules["pandas"].reset_option("^display[.]")
if not hasattr(_warnings, "_samverkan_fresh"):  # the kernel's own filters, kept at its start
    _warnings._samverkan_fresh = list(_warnings.filters)
_warnings.filters[:] = _warnings._samverkan_fresh
_warnings._filters_mutated()  # and forget which warnings were shown
del _os, _sys, _warnings
"""
"""What a notebook may change in its kernel, put back as a fresh kernel has it: the namespace
and execution count, the working directory, open figures, pandas' display options (every
notebook sets them through ``tables.show_in_full``), the warning filters and the record of
warnings already shown (a warning one notebook showed is shown again in the next). The
shell's DataFrame formatter and source-line hooks are set anew by each notebook's
``show_in_full``; nothing in the notebooks sets matplotlib's rcParams outside a
``rc_context``."""


def stop_kept() -> None:
    """Shut the kept kernel down (a no-op when there is none)."""
    km, err = _KEPT.pop("km", None), _KEPT.pop("err", None)
    if km is not None:
        km.shutdown_kernel(now=True)
    if err is not None:
        err.close()


def _reset(km: Any, root: str, timeout: float = 60.0) -> bool:
    """Run :data:`_RESET` in the kept kernel; True when it succeeded. A client of its own for
    each reset (one kept across papermill runs stops getting replies once papermill's client has
    used the kernel), on the shell channel alone: the reply is all it needs."""
    kc = km.client()
    kc.start_channels(iopub=False, stdin=False, hb=False, control=False)
    try:
        reply = kc.execute(_RESET.format(root=root), silent=True, store_history=False,
                           reply=True, timeout=timeout)
        return reply["content"]["status"] == "ok"
    except TimeoutError:
        return False
    finally:
        kc.stop_channels()


def kept(root: str) -> Any:
    """The kernel this worker keeps for its successive notebooks, so kernel start and imports
    are paid once per worker, not once per notebook. Before each reuse its state is reset
    (:data:`_RESET`); a kernel that failed a run or its reset is not reused
    (:func:`stop_kept`). ``tests/test_kernels.py`` keeps the reset honest; on the shipped
    data, the 28 notebooks' outputs were the same (images aside) with a kernel each."""
    from multiprocessing.util import Finalize

    km = _KEPT.get("km")
    if km is not None and not km.is_alive():
        stop_kept()
        km = None
    if km is not None:
        if _reset(km, root):
            return km
        stop_kept()
    err = open(logs(root) / "kernels.log", "a", encoding="utf-8")  # noqa: SIM115 - kept open
    km = start(root, err)
    if not _reset(km, root):  # records the fresh kernel's warning filters
        km.shutdown_kernel(now=True)
        err.close()
        raise RuntimeError("a new kernel did not take its first reset")
    if not _KEPT.get("finalizer"):
        _KEPT["finalizer"] = Finalize(None, stop_kept, exitpriority=10)
    _KEPT.update(km=km, err=err)
    return km


def notebook_imports(paths: Iterable[Path]) -> list[str]:
    """The top-level import statements of the notebooks' code cells, in order, deduplicated."""
    found: list[str] = []
    for path in paths:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                continue
            source = cell["source"]
            source = "".join(source) if isinstance(source, list) else source
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue
            for node in tree.body:
                if isinstance(node, ast.Import | ast.ImportFrom):
                    statement = ast.get_source_segment(source, node) or ""
                    if statement not in found:
                        found.append(statement)
    return found


def warm(root: str, notebooks: list[str]) -> None:
    """Start this worker's kept kernel and run the notebooks' imports in it (they stay through
    the resets), at a moment the worker would otherwise wait: the runner sends this when a
    worker is idle while notebook stages are still to come."""
    km = kept(root)
    kc = km.client()
    kc.start_channels(iopub=False, stdin=False, hb=False, control=False)
    try:
        reply = kc.execute("\n".join(notebook_imports(Path(n) for n in notebooks)),
                           silent=True, store_history=False, reply=True, timeout=300)
    finally:
        kc.stop_channels()
    if reply["content"]["status"] != "ok":
        stop_kept()
        raise RuntimeError(f"the notebooks' imports failed in a new kernel: "
                           f"{reply['content'].get('ename')}: {reply['content'].get('evalue')}")


def logs(root: str) -> Path:
    """The run's log folder (kernels write their own output to ``kernels.log`` there)."""
    folder = Path(root) / "report" / "_generated" / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
