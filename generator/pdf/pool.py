"""PDF stage, the pool: runs PDF jobs inline (--jobs 1) or in worker processes, one document per task.

Workers write the PDF to its staging path (and the cache) themselves and send back only
figures, so the main process never holds PDF bytes and its memory stays flat however many
programs are built. Output bytes do not depend on the number of jobs.
"""

from __future__ import annotations

import gc
import shutil
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator import forkserver
from generator.cache import store_pdf
from generator.pdf.html import PdfJob
from generator.pdf.result import PdfResult
from generator.pdf.thumbnail import first_page_thumbnail, with_thumbnail

if TYPE_CHECKING:
    from generator.pdf.weasy import Stylesheets


@dataclass(frozen=True)
class PdfTask:
    job: PdfJob
    target: str
    cache_folder: str | None
    key: str


def run_task(task: PdfTask, stylesheets: Stylesheets) -> PdfResult:
    from generator.pdf.weasy import render_pdf  # WeasyPrint loads only when a PDF is really rendered

    result, data = render_pdf(task.job, Path(task.target), stylesheets)
    if result.refused:
        return result
    thumbnail = first_page_thumbnail(data)
    result = with_thumbnail(result, thumbnail)
    if task.cache_folder:
        store_pdf(Path(task.cache_folder), task.key, data, result.pages, result.fields, thumbnail)
    return result


class _Deferred:
    """A future-alike for --jobs 1: the work runs when the result is asked for, in order."""

    def __init__(self, task: PdfTask, pool: PdfPool):
        self.task = task
        self.pool = pool
        self.callbacks: list[Callable[[_Deferred], object]] = []

    def add_done_callback(self, callback: Callable[[_Deferred], object]) -> None:
        """Called once the result is made (as a Future's callbacks are)."""
        self.callbacks.append(callback)

    def result(self) -> PdfResult:
        result = run_task(self.task, self.pool.inline_stylesheets())
        for callback in self.callbacks:
            callback(self)
        return result


# A worker process's parsed stylesheets: the one piece of state a worker keeps between its tasks (the
# pool hands it only a task), created by the initializer and used by every task the worker runs.
_worker_stylesheets: Stylesheets | None = None


def _start_worker(folder: str) -> None:
    """Worker initializer: temporary files (WeasyPrint's font folders) go into the engine's scratch
    folder, which the engine removes; workers end without running the finalizers that would."""
    global _worker_stylesheets  # noqa: PLW0603 - the worker process's own state, see above
    from generator.pdf.weasy import Stylesheets

    tempfile.tempdir = folder
    _worker_stylesheets = Stylesheets()
    # What the worker starts with (WeasyPrint and its dependencies, imported) lives as long as the worker:
    # left out of the garbage collector's full passes, which otherwise walk it again and again while a
    # document is laid out (5 % of a workbook's time).
    gc.freeze()


def _ready() -> None:
    """A task that does nothing: submitted to start a worker (its initializer does the work)."""


def _run_in_worker(task: PdfTask) -> PdfResult:
    assert _worker_stylesheets is not None, "a worker starts with _start_worker"
    return run_task(task, _worker_stylesheets)


class PdfPool:
    def __init__(self, jobs: int, scratch_parent: Path | None = None):
        """scratch_parent: where the workers' scratch folder goes (default: the system's temporary folder);
        a caller with a folder of its own that it removes however it ends passes that one."""
        self.jobs = max(1, jobs)
        self.pool: ProcessPoolExecutor | None = None
        self.scratch = tempfile.mkdtemp(prefix="handbook-pdf-", dir=scratch_parent)
        if self.jobs > 1:
            context = forkserver.context()  # workers start with WeasyPrint imported
            # No max_tasks_per_child: on Python 3.11 recycling workers can hang the pool for good
            # (seen here at 120 documents). Each task renders one document and lets it go.
            self.pool = ProcessPoolExecutor(self.jobs, mp_context=context, initializer=_start_worker,
                                            initargs=(self.scratch,))
        self._stylesheets: Stylesheets | None = None  # inline (--jobs 1): parsed on the first PDF rendered
        self._starting: threading.Thread | None = None

    def warm_up(self) -> None:
        """Start every worker now (the first call only): their start (WeasyPrint, the stylesheets) then
        overlaps the main process's rendering of the first documents' HTML instead of following it.
        Returns at once: starting a worker waits for the forkserver to finish importing WeasyPrint, which
        is this thread's time to render HTML in (a submit meanwhile waits for the pool's lock)."""
        if self.pool is not None and self._starting is None:
            forkserver.workers_started()
            self._starting = threading.Thread(target=self._start_workers, args=(self.pool,), daemon=True,
                                              name="handbook-pdf-workers")
            self._starting.start()

    def _start_workers(self, pool: ProcessPoolExecutor) -> None:
        try:
            for _ in range(self.jobs):  # the pool starts one worker per task while none is idle
                pool.submit(_ready)
        except (RuntimeError, OSError):
            pass  # the pool was shut down, or could not start a worker: the next submit says so

    def submit(self, task: PdfTask) -> Future[PdfResult] | _Deferred:
        if self.pool is None:
            return _Deferred(task, self)
        forkserver.workers_started()
        return self.pool.submit(_run_in_worker, task)

    def inline_stylesheets(self) -> Stylesheets:
        if self._stylesheets is None:
            from generator.pdf.weasy import Stylesheets

            self._stylesheets = Stylesheets()
        return self._stylesheets

    def __enter__(self) -> PdfPool:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._starting is not None:
            self._starting.join()
        if self.pool:
            self.pool.shutdown(wait=True, cancel_futures=True)
        if self._stylesheets is not None:  # inline: their font configuration owns a temporary folder
            self._stylesheets.close()
        shutil.rmtree(self.scratch, ignore_errors=True)


def default_jobs() -> int:
    return forkserver.available_cores()
