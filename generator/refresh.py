"""The preview's PDFs, kept current in the background so that the preview never waits for them.

`handbook serve` rebuilds the site pages at once on every save and then asks for a refresh here.
A background thread reads the program again, renders what changed (unchanged PDFs come from the
cache), and when the set is complete and differs from the one on show, swaps it into the
preview's docs folder and calls `ready` (the preview rebuilds its pages, whose Downloads page
shows the new page counts, and the browser reloads). Requests made meanwhile are merged into
one refresh after the current one: the newest files always win.
"""

from __future__ import annotations

import shutil
import sys
import threading
from collections.abc import Callable
from concurrent.futures import CancelledError
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import TracebackType

from generator.build import load
from generator.cache import Cache
from generator.errors import HandbookError
from generator.output import publish
from generator.pdf.pool import PdfPool
from generator.pdfplan import collect_pdfs, plan_pdfs
from generator.project import Project
from generator.site import Download

PDF_FOLDER = "pdf"  # in the docs folder, as in a build
WATCHED = ("content", "program-config", "theme", "mkdocs.yml")  # what the preview follows in the project
STOP_GRACE = 5.0  # seconds a failed refresh waits for the preview to say it is stopping


class PdfRefresher:
    """One program's PDFs for the preview: `request()` after each page rebuild, `downloads` (under
    `lock`) for the next one. A context manager: its thread runs from enter to exit."""

    def __init__(self, project: Path, program_id: str, docs_dir: Path, work: Path, engine: PdfPool, cache: Cache,
                 ready: Callable[[], None]):
        self.project, self.program_id = project, program_id
        self.docs_dir, self.work = docs_dir, work
        self.engine, self.cache, self.ready = engine, cache, ready
        self.lock = threading.Lock()  # held while the PDFs on show change, and while a site is built from them
        self.downloads: list[Download] = []  # the PDFs on show (none before the first set is ready)
        self._shown: dict[str, str] = {}  # document id -> sha256 of the PDFs on show
        self._planned: list[tuple[str, int, int]] | None = None  # the project's files the PDFs on show come from
        self._state = threading.Condition()
        self._wanted = False  # a refresh was asked for since the current one started
        self._busy = False    # a refresh is wanted or under way
        self._stopping = False
        self._pending: list[object] = []  # the current refresh's unfinished PDFs, to cancel on stop
        self._thread = threading.Thread(target=self._run, name="handbook-pdf-refresh", daemon=True)

    def __enter__(self) -> PdfRefresher:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()

    def request(self) -> None:
        """Refresh the PDFs from the project's files as they are now; returns at once."""
        with self._state:
            self._wanted = self._busy = True
            self._state.notify_all()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until no refresh is wanted or under way; False if the timeout passed first."""
        with self._state:
            return self._state.wait_for(lambda: not self._busy, timeout)

    def stop(self) -> None:
        """End the thread: what is queued is cancelled; a PDF being rendered is let finish."""
        with self._state:
            self._stopping = True
            self._state.notify_all()
            for pending in self._pending:
                cancel = getattr(pending, "cancel", None)
                if cancel:
                    cancel()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while True:
            with self._state:
                self._state.wait_for(lambda: self._wanted or self._stopping)
                if self._stopping:
                    return
                self._wanted = False
            try:
                self._refresh()
            except CancelledError:
                return  # stopping
            except HandbookError as error:  # e.g. a PDF that asked for a file outside the project
                for problem in error.problems:
                    print(f"error: {problem} (the PDFs on show are the previous ones)", file=sys.stderr)
            except Exception as error:  # noqa: BLE001 - the preview goes on; the next save tries again
                # Ctrl+C or SIGTERM reaches the PDF workers too, and the preview stops a moment later:
                # then say nothing.
                with self._state:
                    if self._state.wait_for(lambda: self._stopping, timeout=STOP_GRACE):
                        return
                print(f"error: the PDFs were not refreshed: {error!r}", file=sys.stderr)
                if isinstance(error, BrokenProcessPool):  # a worker died on its own: no PDF can render now
                    print("error: restart the preview to render PDFs again", file=sys.stderr)
                    return
            with self._state:
                self._busy = self._wanted
                self._state.notify_all()

    def _refresh(self) -> None:
        files = watched_files(self.project)
        if files == self._planned:
            return  # e.g. the rebuild that showed the last PDFs: nothing changed since they were planned
        try:
            library, (program,) = load(self.project, [self.program_id], compiled=self.cache.texts())
            shared = Project.load(self.project)
        except HandbookError:
            return  # the page rebuild reports the same problems
        plan = plan_pdfs(program, library, shared, self.work, self.cache, self.engine)
        try:
            with self._state:
                self._pending = [source for _, source in plan.pdfs]
            if self._stopping:
                raise CancelledError
            downloads, results, rendered = collect_pdfs(plan, self.cache)
            shas = {result.document_id: result.sha256 for result in results}
            self._planned = files
            if shas == self._shown:
                return
            with self.lock:
                self.docs_dir.mkdir(parents=True, exist_ok=True)  # the pages may not have built yet
                publish(plan.pdf_dir, self.docs_dir / PDF_FOLDER)
                self.downloads, self._shown = downloads, shas
            print(f"PDFs ready: {len(results)} ({len(rendered)} rendered); reloading", file=sys.stderr)
            self.ready()
        finally:
            with self._state:
                self._pending = []
            shutil.rmtree(plan.staging, ignore_errors=True)


def watched_files(project: Path) -> list[tuple[str, int, int]]:
    """(path, modification time, size) of every file the preview watches: equal lists, same PDFs."""
    found = []
    for name in WATCHED:
        top = project / name
        for path in [top, *sorted(top.rglob("*"))] if top.is_dir() else [top]:
            try:
                info = path.stat()
            except OSError:
                continue
            if not path.is_dir():
                found.append((str(path), info.st_mtime_ns, info.st_size))
    return found
