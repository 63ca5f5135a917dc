"""The worker side of ``python -m samverkan run``: a pool of processes that run one stage each,
a notebook through papermill or a list of function calls, with everything the stage prints
(its kernel's too) in its log. Nothing outlives the runner: see :func:`_init_worker`."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

CELL_TIMEOUT_S = 1800
"""A cell that runs longer than this is stuck: the stage fails instead of hanging the night."""

STATUS_RAN, STATUS_FAILED = "ran", "failed"


def _init_worker(root: str) -> None:
    """Kernels inherit this environment: the same project root, the project's package first.
    The worker dies with the runner (even a SIGKILLed one: ``PR_SET_PDEATHSIG`` on Linux), and
    its kernels follow it (ipykernel polls its parent); SIGTERM from the runner shuts its
    kernels down first (:func:`_terminate`); SIGINT (Ctrl-C reaches the whole terminal group)
    is the runner's to handle."""
    if root not in sys.path:
        sys.path.insert(1, root)
    os.environ["SAMVERKAN_ROOT"] = root
    os.chdir(root)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (root, os.environ.get("PYTHONPATH", "")) if p
    )
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _terminate)
    from multiprocessing.util import Finalize

    Finalize(None, _exit_now, exitpriority=-1)  # after every other finalizer (the kept kernel's)


def _exit_now() -> None:
    """A worker's last act when the pool closes: its finalizers have run (its kept kernel is
    shut down), its results are sent, its logs are written; what is left is the interpreter's
    teardown of pandas, matplotlib, papermill and the rest, which took the runner's close a
    second or more per cold run. Flush and exit without it."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(0)


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """Ask the kernel to send ``sig`` to this process when its parent dies (Linux only; a no-op
    elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    pr_set_pdeathsig = 1
    try:
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(sig), 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


def _terminate(signum: int, _frame: Any) -> None:
    """SIGTERM in a worker: shut down the kept kernel, kill every other child (papermill's
    kernel), exit at once."""
    try:
        from samverkan.pipeline import kernels

        kernels.stop_kept()
    finally:
        kill_descendants(os.getpid())
        os._exit(128 + signum)


def kill_descendants(pid: int, timeout: float = 3.0) -> list[int]:
    """Terminate every descendant of ``pid`` (SIGTERM, then SIGKILL after ``timeout``); the
    pids that were found."""
    import psutil

    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []
    for child in children:
        with contextlib.suppress(psutil.Error):
            child.terminate()
    _, alive = psutil.wait_procs(children, timeout=timeout)
    for child in alive:
        with contextlib.suppress(psutil.Error):
            child.kill()
    psutil.wait_procs(alive, timeout=timeout)
    return [c.pid for c in children]


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _error_text(exc: BaseException) -> tuple[str, str]:
    """(one-line message, full text for the log)."""
    ename = getattr(exc, "ename", None)
    if ename is not None:
        evalue = _ANSI.sub("", str(getattr(exc, "evalue", "")))
        line = f"{ename}: {evalue}".strip()
        return line.splitlines()[0] if line else ename, _ANSI.sub("", str(exc))
    text = "".join(traceback.format_exception(exc))
    return f"{type(exc).__name__}: {exc}".splitlines()[0], text


def _call(target: str, kwargs: dict[str, Any]) -> Any:
    from samverkan.pipeline.stages import resolve

    return resolve(target)(**kwargs)


def work(task: dict[str, Any]) -> dict[str, Any]:
    """Run one task in a worker: a notebook through papermill (``task["source"]``) or a
    sequence of function calls (``task["calls"]``). Everything the task prints, its kernel's
    too, goes to its log. Returns status, seconds, message. Never raises."""
    started, start = time.time(), time.perf_counter()
    log = Path(task["log"])
    log.parent.mkdir(parents=True, exist_ok=True)
    status, message = STATUS_RAN, ""
    with open(log, "w", encoding="utf-8") as fh:
        fh.write(f"stage: {task['name']}\nparameters: {task.get('parameters', {})}\n")
        fh.write(f"started: {time.strftime('%Y-%m-%d %H:%M:%S')}\n\n")
        fh.flush()
        sys.stdout.flush()
        sys.stderr.flush()
        saved = os.dup(1), os.dup(2)
        os.dup2(fh.fileno(), 1)
        os.dup2(fh.fileno(), 2)
        try:
            if "source" in task:
                _run_notebook(task)
            else:
                for target, kwargs in task["calls"]:
                    result = _call(target, dict(kwargs))
                    for warning in getattr(result, "warnings", None) or []:
                        print(f"warning: {warning}")
        except BaseException as exc:  # noqa: BLE001 - fail-soft: the parent reports it
            if isinstance(exc, KeyboardInterrupt):
                raise
            status = STATUS_FAILED
            message, full = _error_text(exc)
            sys.stdout.flush()
            print(f"\nFAILED: {full}", file=sys.stderr)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
        seconds = time.perf_counter() - start
        fh.write(f"\n{status} after {seconds:.1f} s\n")
    return {"name": task["name"], "status": status, "seconds": seconds, "message": message,
            "started": started}


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill_cell_options(nb: dict[str, Any], parameters: dict[str, Any]) -> bool:
    """Replace ``{name}`` by the parameter's value in what Quarto reads before any code runs:
    the cell options (the leading ``#|`` lines) of every code cell and the headings of every
    Markdown cell, in place. A county notebook's ``#| label: tbl-x-{lan_code}`` becomes
    ``tbl-x-05`` (labels unique across the book) and its title ``# {lan_name}
    {#sec-lan-{lan_code}}`` the county's name, which Quarto's sidebar shows. True when anything
    changed."""
    changed = False
    for cell in nb.get("cells", []):
        kind = cell.get("cell_type")
        if kind not in ("code", "markdown"):
            continue
        source = cell.get("source", "")
        lines = ("".join(source) if isinstance(source, list) else source).split("\n")
        cell_changed = False
        for i, line in enumerate(lines):
            if kind == "code" and not line.lstrip().startswith("#|"):
                break
            if kind == "markdown" and not line.startswith("#"):
                continue
            filled = _PLACEHOLDER.sub(
                lambda m: str(parameters[m.group(1)]) if m.group(1) in parameters
                else m.group(0),
                line,
            )
            if filled != line:
                lines[i], cell_changed = filled, True
        if cell_changed:
            cell["source"] = "\n".join(lines)
            changed = True
    return changed


def placeholders(parameters: dict[str, Any]) -> dict[str, Any]:
    """The values ``fill_cell_options`` fills in: the papermill parameters, and for a county
    chapter the county's name (``lan_name``, "Stockholms län") from the registry."""
    values = dict(parameters)
    if "lan_code" in values:
        from samverkan.registry import county_name

        values["lan_name"] = county_name(str(values["lan_code"]))
    return values


def _run_notebook(task: dict[str, Any]) -> None:
    """Execute into a temp file beside the output; os.replace onto it only on success. A
    failed notebook is kept as ``logs/<name>.failed.ipynb`` and the stale output removed, so
    the book never shows last night's figures under tonight's date."""
    import json

    import papermill

    from samverkan.io import file_mode
    from samverkan.pipeline import kernels

    source, output = Path(task["source"]), Path(task["output"])
    output.parent.mkdir(parents=True, exist_ok=True)
    # papermill wants an .ipynb name, so not samverkan.io.atomic_path (which ends in .tmp)
    fd, tmp = tempfile.mkstemp(prefix=f".{output.stem}.", suffix=".ipynb", dir=output.parent)
    os.fchmod(fd, file_mode())  # the user's umask, not mkstemp's owner-only mode
    os.close(fd)
    try:
        nb = json.loads(source.read_text(encoding="utf-8"))
        prepared = fill_cell_options(nb, placeholders(task["parameters"]))
        if prepared:
            Path(tmp).write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
        shared = bool(task.get("shared"))
        km = kernels.kept(task["root"]) if shared else kernels.start(task["root"])
        try:
            papermill.execute_notebook(
                tmp if prepared else str(source),
                tmp,
                parameters=task["parameters"],
                kernel_name=kernels.KERNEL,
                cwd=task["root"],
                progress_bar=False,
                log_output=False,
                execution_timeout=CELL_TIMEOUT_S,
                request_save_on_cell_execute=False,  # once at the end: per cell cost 0.3 s
                km=km,
            )
        except BaseException:
            if shared:
                kernels.stop_kept()
            raise
        finally:
            if not shared:
                km.shutdown_kernel(now=True)  # its notebook is done: nothing to wait for
        if prepared:  # say where it came from, not the temp file
            done = json.loads(Path(tmp).read_text(encoding="utf-8"))
            done["metadata"].get("papermill", {})["input_path"] = str(source)
            Path(tmp).write_text(json.dumps(done, indent=1, ensure_ascii=False) + "\n",
                                 encoding="utf-8")
        os.replace(tmp, output)
    except BaseException:
        failed = Path(task["log"]).with_suffix(".failed.ipynb")
        if os.path.getsize(tmp):
            os.replace(tmp, failed)
        output.unlink(missing_ok=True)
        raise
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class Pool:
    """Tasks on ``jobs`` worker processes; results are handed to ``on_done`` as they finish."""

    def __init__(self, jobs: int, root: Path, on_done: Callable[[dict[str, Any]], None]) -> None:
        self.jobs = jobs
        self.root = root
        self.on_done = on_done
        self._executor: Any = None
        self._pending: dict[Any, str] = {}

    def submit(self, task: dict[str, Any]) -> None:
        if self._executor is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            (self.root / "report" / "_generated" / "logs" / "kernels.log").unlink(missing_ok=True)

            self._executor = ProcessPoolExecutor(
                max_workers=self.jobs,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
                initargs=(str(self.root),),
            )
        self._pending[self._executor.submit(work, task)] = task["name"]

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def wait(self, names: Iterable[str] | None = None, any_one: bool = False) -> None:
        """Until the named tasks (default: all submitted) are done, or, with ``any_one``, until
        at least one task is done."""
        from concurrent.futures import FIRST_COMPLETED
        from concurrent.futures import wait as wait_futures

        wanted = set(self._pending.values()) if names is None else set(names)
        while wanted & set(self._pending.values()):
            done, _ = wait_futures(list(self._pending), return_when=FIRST_COMPLETED)
            for future in done:
                name = self._pending.pop(future)
                try:
                    result = future.result()
                except BaseException as exc:  # noqa: BLE001 - a worker died: report, go on
                    message, _ = _error_text(exc)
                    result = {"name": name, "status": STATUS_FAILED, "seconds": 0.0,
                              "message": f"worker process failed: {message}"}
                self.on_done(result)
            if any_one:
                return

    def running(self) -> list[str]:
        """The names of the tasks submitted and not reported done."""
        return list(self._pending.values())

    def interrupt(self, grace: float = 5.0) -> None:
        """Stop now: SIGTERM to every worker (each shuts its kernels down and exits), then kill
        whatever this process started that is still there (kernels, the resource tracker)."""
        import signal as _signal

        executor, self._executor = self._executor, None
        self._pending.clear()
        if executor is None:
            return
        workers = list((getattr(executor, "_processes", None) or {}).values())
        for worker in workers:
            with contextlib.suppress(OSError):
                os.kill(worker.pid, _signal.SIGTERM)
        deadline = time.monotonic() + grace
        for worker in workers:
            worker.join(max(0.0, deadline - time.monotonic()))
        kill_descendants(os.getpid(), timeout=grace)
        executor.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
