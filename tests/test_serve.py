"""`handbook serve`: the program's home page on localhost, rebuilt when content changes."""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError, Future
from contextlib import contextmanager
from pathlib import Path

import pytest

from generator.build import load
from generator.cache import Cache
from generator.pdf.pool import PdfTask
from generator.pdf.result import PdfResult
from generator.project import Project
from generator.refresh import PdfRefresher
from generator.serve import stage_pages
from tests.conftest import REPO


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch_when(url: str, wanted: Callable[[bytes], bool], timeout: float, what: str) -> bytes:
    """The body at url once it is what the test waits for (the preview builds in the background)."""
    deadline = time.monotonic() + timeout
    last = b""
    while time.monotonic() < deadline:
        try:
            last = urllib.request.urlopen(url, timeout=5).read()
            if wanted(last):
                return last
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} never {what}; last response: {last[:200]!r}")


def fetch_until(url: str, expected: str, timeout: float) -> str:
    return fetch_when(url, lambda body: expected in body.decode(), timeout, f"showed {expected!r}").decode()


@contextmanager
def preview(*args: str) -> Iterator[str]:
    """`handbook serve ARGS` in its own process; yields its address, and stops it as Ctrl+C would."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    server = subprocess.Popen([sys.executable, "-m", "generator", *args, "--port", str(port)], env=env,
                              start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


def test_serve_shows_the_home_page_and_rebuilds_on_change(project):
    with preview("--project", str(project), "serve", "example") as base:
        home = fetch_until(f"{base}/", "Example Mentoring", 90)
        assert "<title>Home - Example Mentoring</title>" in home
        section = project / "content" / "sections" / "guide" / "meetings.md"
        section.write_text(section.read_text() + "\nBring your journal.\n")
        fetch_until(f"{base}/guide/meetings.html", "Bring your journal.", 60)
        assert not (project / "site").exists()  # nothing generated inside the watched project


def test_serve_renders_the_pdfs_in_the_background_and_again_after_a_change(project):
    with preview("serve", "example", "--project", str(project)) as base:
        # the document page gets its download button once the PDFs are ready, without a restart
        fetch_until(f"{base}/guide/index.html", "Download the PDF (", 120)
        before = urllib.request.urlopen(f"{base}/pdf/guide.pdf", timeout=5).read()
        assert before.startswith(b"%PDF")
        section = project / "content" / "sections" / "guide" / "meetings.md"
        section.write_text(section.read_text() + "\nBring your journal.\n")
        after = fetch_when(f"{base}/pdf/guide.pdf", lambda body: body != before, 120, "changed")
        assert after.startswith(b"%PDF")


# PdfRefresher in-process, with an engine that renders only when the test says so: no timing involved.

class HeldEngine:
    """Takes PDF tasks and finishes them on request, writing a stand-in PDF whose bytes follow the HTML."""

    def __init__(self) -> None:
        self.tasks: list[tuple[PdfTask, Future[PdfResult]]] = []
        self.arrived = threading.Condition()

    def submit(self, task: PdfTask) -> Future[PdfResult]:
        future: Future[PdfResult] = Future()
        future.set_running_or_notify_cancel()
        with self.arrived:
            self.tasks.append((task, future))
            self.arrived.notify_all()
        return future

    def wait_for_tasks(self, count: int) -> list[tuple[PdfTask, Future[PdfResult]]]:
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.tasks) >= count, timeout=120), "no PDF was asked for"
            return list(self.tasks)

    def finish(self) -> None:
        for task, future in self.tasks:
            if not future.done():
                data = b"%PDF-stand-in " + hashlib.sha256(task.job.html.encode()).hexdigest().encode()
                Path(task.target).parent.mkdir(parents=True, exist_ok=True)
                Path(task.target).write_bytes(data)
                future.set_result(PdfResult(task.job.document_id, task.target, 2, len(data),
                                            hashlib.sha256(data).hexdigest()))


@pytest.fixture
def refresher(project, tmp_path):
    engine, ready = HeldEngine(), []
    work = tmp_path / "work"
    work.mkdir()
    with PdfRefresher(project, "example", work / "docs", work, engine, Cache(None, project),  # type: ignore[arg-type]
                      lambda: ready.append(1)) as pdfs:
        yield pdfs, engine, ready


def test_the_pages_are_built_before_the_pdfs_are_ready(refresher, project, tmp_path):
    pdfs, engine, ready = refresher
    pdfs.request()
    engine.wait_for_tasks(1)  # the guide is being rendered, and is not finished
    assert pdfs.downloads == [] and ready == []
    library, (program,) = load(project, ["example"])
    work = tmp_path / "work"
    stage_pages(program, library, Project.load(project), work / "docs", work / "site", pdfs.downloads, work)
    assert "Download the PDF" not in (work / "site" / "guide" / "index.html").read_text()
    assert "The PDFs are being rendered" in (work / "site" / "downloads.html").read_text()
    engine.finish()
    assert pdfs.wait_idle(timeout=120)
    assert ready == [1] and [d.spec.id for d in pdfs.downloads] == ["guide"]
    assert (work / "docs" / "pdf" / "guide.pdf").read_bytes().startswith(b"%PDF-stand-in")


def test_an_unchanged_project_is_not_rendered_again(refresher):
    pdfs, engine, ready = refresher
    for _ in range(2):  # the second: the rebuild that showed the first PDFs asks again
        pdfs.request()
        engine.wait_for_tasks(1)
        engine.finish()
        assert pdfs.wait_idle(timeout=120)
    assert len(engine.tasks) == 1 and ready == [1]


def test_the_same_pdfs_again_do_not_reload_the_page(refresher, project):
    pdfs, engine, ready = refresher
    section = project / "content" / "sections" / "guide" / "meetings.md"
    for count in (1, 2):
        section.write_text(section.read_text())  # saved again, unchanged: a new time, the same PDF
        os.utime(section, ns=(count * 10**9, count * 10**9))
        pdfs.request()
        engine.wait_for_tasks(count)
        engine.finish()
        assert pdfs.wait_idle(timeout=120)
    assert ready == [1]


def test_a_changed_section_gives_new_pdfs_and_a_reload(refresher, project, tmp_path):
    pdfs, engine, ready = refresher
    pdfs.request()
    engine.wait_for_tasks(1)
    engine.finish()
    assert pdfs.wait_idle(timeout=120)
    before = (tmp_path / "work" / "docs" / "pdf" / "guide.pdf").read_bytes()
    section = project / "content" / "sections" / "guide" / "meetings.md"
    section.write_text(section.read_text() + "\nBring your journal.\n")
    pdfs.request()
    engine.wait_for_tasks(2)
    engine.finish()
    assert pdfs.wait_idle(timeout=120)
    assert ready == [1, 1]
    assert (tmp_path / "work" / "docs" / "pdf" / "guide.pdf").read_bytes() != before


def test_a_broken_program_keeps_the_pdfs_on_show(refresher, project, tmp_path, capsys):
    pdfs, engine, ready = refresher
    pdfs.request()
    engine.wait_for_tasks(1)
    engine.finish()
    assert pdfs.wait_idle(timeout=120)
    shown = list(pdfs.downloads)
    config = project / "program-config" / "example.yml"
    config.write_text(config.read_text() + "colour: red\n")
    pdfs.request()
    assert pdfs.wait_idle(timeout=120)
    assert pdfs.downloads == shown and ready == [1] and len(engine.tasks) == 1
    assert "error" not in capsys.readouterr().err  # the page rebuild reports the mistake, once


def test_stopping_cancels_the_pdfs_still_queued(project, tmp_path):
    engine = HeldEngine()
    pdfs = PdfRefresher(project, "example", tmp_path / "docs", tmp_path, engine, Cache(None, project),  # type: ignore[arg-type]
                        lambda: None)
    with pdfs:
        pdfs.request()
        ((_, future),) = engine.wait_for_tasks(1)
        future.cancel = lambda: future.set_exception(CancelledError()) or True  # a queued task cancels
    assert future.done() and not any(path.name.startswith(".staging") for path in tmp_path.iterdir())
