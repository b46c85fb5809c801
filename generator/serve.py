"""Live preview of one program's site: re-render and rebuild when content, config or theme change.

The pages are rebuilt at once on every save; the PDFs follow in the background (generator/refresh.py)
and the browser reloads again when they are ready, so the preview never waits for WeasyPrint.

Everything generated lives in a temporary folder outside the project, so the watcher never sees
its own output (writing into a watched folder would rebuild forever). The folder is removed however
the preview ends: Ctrl+C, SIGTERM or SIGHUP (a closed terminal), or an error.
"""

from __future__ import annotations

import errno
import shutil
import signal
import socket
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from generator.build import DEFAULT_CACHE, load, stage_site
from generator.cache import Cache, TextCache
from generator.config import Program
from generator.content import ContentLibrary
from generator.environment import environment_variable
from generator.errors import HandbookError, Location, Problem
from generator.facts import derive_facts
from generator.pdf.pool import PdfPool, default_jobs
from generator.project import Project
from generator.refresh import PDF_FOLDER, WATCHED, PdfRefresher
from generator.site import Download, build_site, configured_engine
from generator.site.staging import DOWNLOADS_PAGE

HOST = "127.0.0.1"
# How often the preview looks for saved files (MkDocs' default is 0.5 s, half of which a save waits on
# average); a stat of the few hundred watched files every 0.1 s costs nothing noticeable.
POLL_SECONDS = 0.1
BUILD_DELAY_SECONDS = 0.02
PORT_ERRORS = (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL)
PDFS_PENDING = ("---\ntitle: Downloads\n---\n\n# Downloads\n\n"
                "The PDFs are being rendered; this page reloads by itself when they are ready.\n")


def serve(project: Path, program_id: str, port: int = 8000) -> None:
    from mkdocs.livereload import LiveReloadServer

    project = project.resolve()
    load(project, [program_id])  # every mistake in the program's files now, before anything starts
    check_port(port)  # before the first build, not after
    try:
        with stop_on_signals(), temporary_folder(f"handbook-serve-{program_id}-") as work:
            _preview(project, program_id, port, work, LiveReloadServer)
    except KeyboardInterrupt:
        pass
    print("stopped; the preview's temporary files are removed", file=sys.stderr)


def _preview(project: Path, program_id: str, port: int, work: Path, server_class: Any) -> None:
    docs_dir, site_dir, pdfs_ready = work / "docs", work / "site", work / "pdfs-ready"
    pdfs_ready.mkdir()
    cache = Cache(project / DEFAULT_CACHE, project)
    # At least two workers: they are processes, so the server's own threads never render a PDF.
    # The pool's scratch folder goes inside `work` too: a signal can land between making it and entering
    # the pool's `with`, and `work` is removed whatever happens.
    with worker_temp_folder(work / "tmp"), PdfPool(max(2, default_jobs()), work / "tmp") as engine, \
            PdfRefresher(project, program_id, docs_dir, work, engine, cache, lambda: touch(pdfs_ready)) as pdfs:

        def rebuild() -> None:
            """The pages at once, from the PDFs on show; then the PDFs, in the background."""
            try:
                library, (program,) = load(project, [program_id], compiled=cache.texts())  # compiled once
                shared = Project.load(project)  # read again: mkdocs.yml may have changed
                with pdfs.lock:
                    stage_pages(program, library, shared, docs_dir, site_dir, pdfs.downloads, work, cache.texts())
            except HandbookError as error:
                for problem in error.problems:
                    print(f"error: {problem.report()}", file=sys.stderr)
            pdfs.request()

        rebuild()
        server = server_class(builder=rebuild, host=HOST, port=port, root=str(site_dir),
                              polling_interval=POLL_SECONDS)
        # MkDocs waits 0.1 s for a save's other file events; the polling watcher sees a save's files in one
        # look at the folders anyway, so the wait only delays the preview.
        server.build_delay = BUILD_DELAY_SECONDS
        for name in WATCHED:
            server.watch(str(project / name))
        server.watch(str(pdfs_ready))  # a new set of PDFs: rebuild the pages (page counts) and reload
        print(f"serving {program_id} at http://{HOST}:{port}/ (Ctrl+C to stop); the PDFs render in the background "
              "and the page reloads when they are ready", file=sys.stderr)
        try:
            server.serve()
        except OSError as error:  # the port was taken since check_port looked (serve() binds first)
            if error.errno in PORT_ERRORS:
                raise port_error(port, error) from None
            raise
        finally:
            server.shutdown()


def stage_pages(program: Program, library: ContentLibrary, shared: Project, docs_dir: Path, site_dir: Path,
                downloads: list[Download], work: Path, pages: TextCache | None = None) -> None:
    """Render the program's pages into docs_dir (its PDFs stay) and build the site into site_dir."""
    if docs_dir.is_dir():
        for page in docs_dir.iterdir():
            if page.name != PDF_FOLDER:
                shutil.rmtree(page) if page.is_dir() else page.unlink()
    config = stage_site(derive_facts(program), library, shared, docs_dir, site_dir, downloads, work,
                        configured_engine(shared)).config
    if not downloads:  # not an empty table: the first PDFs are still rendering
        (docs_dir / DOWNLOADS_PAGE).write_text(PDFS_PENDING, encoding="utf-8")
    build_site(config, work / "mkdocs.yml", pages=pages)


def touch(folder: Path) -> None:
    """Change a file in a watched folder: the live-reload server then rebuilds and reloads the browser."""
    stamp = folder / "stamp"
    count = int(stamp.read_text()) + 1 if stamp.exists() else 1
    stamp.write_text(str(count))


def check_port(port: int) -> None:
    """A clear error now if the port cannot be used (taken, privileged or out of range)."""
    if not 0 < port < 65536:
        raise HandbookError(Problem(Location("handbook serve"), "--port", f"{port} is not a port number (1-65535)"))
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        try:
            probe.bind((HOST, port))
        except OSError as error:
            raise port_error(port, error) from None


def port_error(port: int, error: OSError) -> HandbookError:
    if error.errno == errno.EADDRINUSE:
        why = f"port {port} is already in use (another preview or server?)"
    elif error.errno == errno.EACCES:
        why = f"port {port} needs administrator rights"
    else:
        why = f"cannot listen on port {port}: {error.strerror or error}"
    return HandbookError(Problem(Location("handbook serve"), "--port",
                                 f"{why}; choose another, for example --port {port + 1 if port < 65535 else 8001}"))


@contextmanager
def worker_temp_folder(folder: Path) -> Iterator[None]:
    """PDF workers started meanwhile keep their temporary files (WeasyPrint's fonts) in `folder`.

    A worker ends without cleaning up (it is killed on SIGTERM, and leaves with os._exit anyway);
    inside the preview's folder, what it leaves goes when the preview does."""
    folder.mkdir()
    with environment_variable("TMPDIR", str(folder)):
        yield


@contextmanager
def temporary_folder(prefix: str) -> Iterator[Path]:
    work = None
    try:
        work = Path(tempfile.mkdtemp(prefix=prefix))
        yield work
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP end the preview like Ctrl+C, so `finally` blocks (cleanup) run.

    Only the first signal interrupts: a second one must not break off the cleanup the first started."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    stopping = False

    def interrupt(signum: int, frame: object) -> None:
        nonlocal stopping
        if not stopping:
            stopping = True
            raise KeyboardInterrupt

    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    previous = {number: signal.signal(number, interrupt) for number in wanted}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
