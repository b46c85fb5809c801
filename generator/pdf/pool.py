"""PDF stage, the pool: runs PDF jobs inline (--jobs 1) or in worker processes, one document per task.

Workers write the PDF to its staging path (and the cache) themselves and send back only
figures, so the main process never holds PDF bytes and its memory stays flat however many
programs are built. Output bytes do not depend on the number of jobs.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generator.cache import store_pdf
from generator.pdf.html import PdfJob
from generator.pdf.result import PdfResult


@dataclass(frozen=True)
class PdfTask:
    job: PdfJob
    target: str
    cache_folder: str | None
    key: str


def run_task(task: PdfTask) -> PdfResult:
    from generator.pdf.weasy import render_pdf  # WeasyPrint loads only when a PDF is really rendered

    result, data = render_pdf(task.job, Path(task.target))
    if task.cache_folder and not result.refused:
        store_pdf(Path(task.cache_folder), task.key, data, result.pages, result.fields)
    return result


class _Deferred:
    """A future-alike for --jobs 1: the work runs when the result is asked for, in order."""

    def __init__(self, task: PdfTask):
        self.task = task

    def result(self) -> PdfResult:
        return run_task(self.task)


def _use_scratch(folder: str) -> None:
    """Worker initializer: temporary files (WeasyPrint's font folders) go into the engine's scratch
    folder, which the engine removes; workers end without running the finalizers that would."""
    tempfile.tempdir = folder


class PdfPool:
    def __init__(self, jobs: int):
        self.jobs = max(1, jobs)
        self.pool: ProcessPoolExecutor | None = None
        self.scratch = tempfile.mkdtemp(prefix="handbook-pdf-")
        if self.jobs > 1:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["generator.pdf.weasy"])  # workers start with WeasyPrint imported
            # No max_tasks_per_child: on Python 3.11 recycling workers can hang the pool for good
            # (seen here at 120 documents). Each task renders one document and lets it go.
            self.pool = ProcessPoolExecutor(self.jobs, mp_context=context, initializer=_use_scratch,
                                            initargs=(self.scratch,))

    def submit(self, task: PdfTask) -> Future[PdfResult] | _Deferred:
        return self.pool.submit(run_task, task) if self.pool else _Deferred(task)

    def __enter__(self) -> PdfPool:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool:
            self.pool.shutdown(wait=True, cancel_futures=True)
        else:  # inline: let go of the parsed stylesheets, whose font configuration owns a temp folder
            from generator.pdf.weasy import forget_stylesheets

            forget_stylesheets()
        shutil.rmtree(self.scratch, ignore_errors=True)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
