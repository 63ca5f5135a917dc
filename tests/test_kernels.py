"""The pipeline's kernels (samverkan/pipeline/kernels.py): clients of one kernel never share a
routing identity, and a kept kernel takes client after client (reset, then papermill's) without
a hang."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from samverkan.pipeline import kernels


def _outcome(work, seconds: float) -> dict[str, object]:
    """Run ``work`` in a daemon thread for at most ``seconds``: ``{"done": its result}``, or
    ``{"error": what it raised}``, or ``{}`` when it is still blocked (a test must not hang)."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["done"] = work()
        except BaseException as exc:  # noqa: BLE001 - reported by the caller
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    return outcome


def test_each_client_of_a_kernel_has_its_own_identity(tmp_path: Path) -> None:
    km = kernels.start(str(tmp_path))
    try:
        first, second = km.client(), km.client()
        assert first.session.bsession != second.session.bsession
        assert first.session.bsession != km.session.bsession
        assert first.session.key == second.session.key == km.session.key  # same signing key
    finally:
        km.shutdown_kernel(now=True)


def test_a_kept_kernel_takes_client_after_client_without_hanging(tmp_path: Path) -> None:
    """A reset (shell channel only), then a full client that waits for readiness and runs a
    cell, fifteen times in a row on one kernel, as the county profiles use a kept kernel."""
    km = kernels.start(str(tmp_path))

    def cycles() -> bool:
        for i in range(15):
            assert kernels._reset(km, str(tmp_path), timeout=30), f"reset {i} failed"
            kc = km.client()
            kc.start_channels()
            try:
                kc.wait_for_ready(timeout=30)
                reply = kc.execute_interactive(f"x = {i}", timeout=30,
                                               output_hook=lambda _msg: None)
                assert reply["content"]["status"] == "ok"
            finally:
                kc.stop_channels()
        return True

    try:
        outcome = _outcome(cycles, 240)
        assert "error" not in outcome, outcome.get("error")
        assert outcome.get("done"), "a client of the kept kernel hung"
    finally:
        km.shutdown_kernel(now=True)


def test_a_shell_socket_connected_to_nothing_is_connected_again(tmp_path: Path,
                                                               monkeypatch) -> None:
    """The state a hung run showed once: the client's shell socket has no connection, so its
    first send would block for good. The readiness check replaces it and the kernel answers."""
    import zmq

    monkeypatch.setattr(kernels, "RECONNECT_S", 0.5)
    km = kernels.start(str(tmp_path))
    kc = km.client()
    kc.start_channels()
    stuck = kc.context.socket(zmq.DEALER)
    stuck.immediate = True  # no queue before a connection exists: nothing can be sent
    stuck.linger = 0
    stuck.connect("tcp://127.0.0.1:9")  # nothing listens there
    kc.shell_channel.close()
    kc._shell_channel = kc.shell_channel_class(stuck, kc.session, kc.ioloop)
    assert not stuck.poll(200, zmq.POLLOUT), "the stand-in socket must refuse messages"

    def ready() -> str:
        kc.wait_for_ready(timeout=30)
        reply = kc.execute_interactive("41 + 1", timeout=30, output_hook=lambda _msg: None)
        return reply["content"]["status"]

    try:
        outcome = _outcome(ready, 60)
        assert "error" not in outcome, outcome.get("error")
        assert outcome.get("done") == "ok", "the readiness check hung on the stuck socket"
        assert kc.shell_channel.socket is not stuck
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_a_send_on_a_shell_socket_that_takes_nothing_fails_instead_of_blocking(
        tmp_path: Path, monkeypatch) -> None:
    """Every send on a client's shell socket (a cell's execute request too) has a time limit:
    on a socket that can take nothing it raises zmq.Again instead of blocking the stage."""
    import zmq

    monkeypatch.setattr(kernels, "SEND_TIMEOUT_S", 0.3)
    km = kernels.start(str(tmp_path))
    kc = km.client()
    try:
        socket = kc.connect_shell()
        assert socket.sndtimeo == 300
        socket.immediate = True  # the hung run's state: connected to nothing, nothing queued
        socket.connect("tcp://127.0.0.1:9")
        socket.disconnect(kc._make_url("shell"))
        with pytest.raises(zmq.Again):
            socket.send(b"execute_request")
        socket.close(linger=0)
    finally:
        km.shutdown_kernel(now=True)


def _notebook(path: Path, *cells: str) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)
    return path


def _texts(path: Path, stream: str = "stdout") -> list[str]:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    return ["".join(o.get("text", "") for o in c.outputs if o.get("name") == stream)
            for c in nb.cells]


def test_successive_notebooks_on_a_kept_kernel_start_from_a_fresh_state(tmp_path: Path) -> None:
    """Two different notebooks on one worker's kept kernel (as every notebook stage runs): the
    second sees none of the first's variables, has pandas' default display options and a fresh
    kernel's warning filters (a library's warning the first showed, then silenced, is shown
    again; a DeprecationWarning from a library stays hidden), and counts its cells from 1; and
    it is the same kernel process (else the test proves nothing)."""
    from samverkan.pipeline.execute import _run_notebook

    (tmp_path / "noisy.py").write_text(
        "import warnings\n\ndef f():\n    warnings.warn('kontrollvarning')\n\n"
        "def g():\n    warnings.warn('gammal', DeprecationWarning)\n", encoding="utf-8")
    first = _notebook(
        tmp_path / "a.ipynb",
        "import os, pandas as pd, noisy\npd.set_option('display.max_rows', 3)\nsecret = 1\n"
        "noisy.f()\nimport warnings\nwarnings.simplefilter('ignore')\nprint(os.getpid())",
    )
    second = _notebook(
        tmp_path / "b.ipynb",
        "import os, pandas as pd, noisy\nnoisy.f()\nnoisy.g()\n"
        "print(os.getpid(), 'secret' in globals(), pd.get_option('display.max_rows'))",
    )
    try:
        for source in (first, second):
            _run_notebook({"source": str(source), "output": str(source.with_suffix(".out.ipynb")),
                           "root": str(tmp_path), "log": str(tmp_path / "x.log"),
                           "parameters": {}, "shared": True})
    finally:
        kernels.stop_kept()
    pid = _texts(tmp_path / "a.out.ipynb")[0].split()[-1]
    shown = _texts(tmp_path / "b.out.ipynb")[0]
    assert shown.split()[-3:] == [pid, "False", "60"]  # pandas' default: 60 rows
    assert "kontrollvarning" in _texts(tmp_path / "a.out.ipynb", "stderr")[0]
    assert "kontrollvarning" in _texts(tmp_path / "b.out.ipynb", "stderr")[0]
    assert "gammal" not in _texts(tmp_path / "b.out.ipynb", "stderr")[0]
    import nbformat

    counts = [c.execution_count for c in nbformat.read(tmp_path / "b.out.ipynb", 4).cells]
    assert counts == [1]


_PROBE = '''\
import atexit
import os
from pathlib import Path

from samverkan.pipeline import kernels


def keep_a_kernel(root: str, marks: str) -> None:
    km = kernels.kept(root)
    Path(marks, "kernel_pid").write_text(str(km.provisioner.pid))
    Path(marks, "worker_pid").write_text(str(os.getpid()))
    atexit.register(Path(marks, "teardown").write_text, "ran")
'''


def _running(pid: int) -> bool:
    """True while ``pid`` is a process that is neither gone nor a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
def test_a_closing_pool_stops_each_workers_kernel_and_skips_the_interpreter_teardown(
        tmp_path: Path) -> None:
    """When the runner's pool closes, a worker's finalizers run (its kept kernel is shut down)
    and then it exits at once: the interpreter's teardown (here an ``atexit`` handler the
    task registered) never runs, as it cost the cold run a second or more in worker exits."""
    from samverkan.pipeline.execute import STATUS_RAN, Pool

    (tmp_path / "probe_worker.py").write_text(_PROBE, encoding="utf-8")
    marks = tmp_path / "marks"
    marks.mkdir()
    results: list[dict] = []
    pool = Pool(1, tmp_path, results.append)
    try:
        pool.submit({"name": "probe", "log": str(tmp_path / "probe.log"),
                     "calls": [("probe_worker:keep_a_kernel",
                                (("marks", str(marks)), ("root", str(tmp_path))))]})
        pool.wait()
    finally:
        pool.close()
    assert [r["status"] for r in results] == [STATUS_RAN], (tmp_path / "probe.log").read_text()
    worker, kernel = (int((marks / name).read_text()) for name in ("worker_pid", "kernel_pid"))
    assert not _running(worker)
    assert not _running(kernel)
    assert not (marks / "teardown").exists()
