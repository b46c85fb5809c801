"""`handbook serve` cleans up however it ends and says clearly when it cannot listen."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from generator.errors import HandbookError
from generator.serve import check_port
from tests.conftest import REPO
from tests.test_serve import fetch_until, free_port


def start(project, tmp, port):
    """The preview in its own session, with its temporary folder under `tmp` (so it can be looked at)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(tmp)}
    return subprocess.Popen([sys.executable, "-m", "generator", "--project", str(project), "serve", "example",
                             "--port", str(port)], env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def leftovers(tmp):
    """Everything left in the temporary folder: the preview's own, and what its PDF workers made."""
    return sorted(path.name for path in tmp.iterdir())


def wait_for(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition never came true"
        time.sleep(0.05)


def stop(server) -> str:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        _, stderr = server.communicate(timeout=60)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
    return stderr


def test_sigterm_while_serving_removes_the_temporary_folder(project, tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    port = free_port()
    server = start(project, tmp, port)
    fetch_until(f"http://127.0.0.1:{port}/", "Example Mentoring", 90)
    assert any(name.startswith("handbook-serve-") for name in leftovers(tmp))  # the preview works in there
    stderr = stop(server)
    assert leftovers(tmp) == [], stderr
    assert "Traceback" not in stderr


def test_sigterm_while_rendering_the_pdfs_removes_the_temporary_folder(project, tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    server = start(project, tmp, free_port())
    try:
        wait_for(lambda: leftovers(tmp) or server.poll() is not None, 90)
    finally:
        stderr = stop(server)
    assert leftovers(tmp) == [], stderr
    assert "Traceback" not in stderr


def test_a_taken_port_is_a_clear_error_naming_it_and_suggesting_another(project, tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = start(project, tmp, port)
        try:
            _, stderr = server.communicate(timeout=60)
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGKILL)
    assert server.returncode == 1
    assert "Traceback" not in stderr
    assert f"port {port} is already in use" in stderr and "--port" in stderr
    assert "rendering" not in stderr  # told before the PDFs are rendered, not minutes later
    assert leftovers(tmp) == []


@pytest.mark.parametrize("port", [0, -1, 65536, 100000])
def test_a_port_out_of_range_is_a_clear_error(port):
    with pytest.raises(HandbookError) as caught:
        check_port(port)
    (problem,) = caught.value.problems
    assert problem.field == "--port" and "not a port number" in problem.message


def test_a_signal_before_the_pdf_pool_is_entered_leaves_no_scratch_folder(project, tmp_path, monkeypatch):
    """Ctrl+C or SIGTERM can land after the PDF pool made its scratch folder and before its `with` took
    hold (so its cleanup never runs): the folder is inside the preview's own, which goes whatever happens."""
    from generator.pdf.pool import PdfPool
    from generator.serve import serve

    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(tmp))

    def interrupted(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(PdfPool, "__enter__", interrupted)
    serve(project, "example", free_port())
    assert leftovers(tmp) == []
