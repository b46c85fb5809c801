"""The process that PDF workers are forked from (multiprocessing's forkserver), with WeasyPrint imported.

It takes half a second to start, importing WeasyPrint; the CLI starts it first thing (start_early), so that
it does so alongside the main process's own start and loading instead of after them. Kept apart from
generator.pdf, whose package imports the Markdown and configuration modules this is meant to overlap."""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import multiprocessing.forkserver
import os

PRELOAD = ["generator.pdf.weasy", "generator.pdf.pool"]  # imported once in the forkserver: every worker has them


def context() -> multiprocessing.context.ForkServerContext:
    forkserver = multiprocessing.get_context("forkserver")
    forkserver.set_forkserver_preload(PRELOAD)
    return forkserver


def start_early() -> None:
    """Start the forkserver now (it returns at once; the server imports on its own)."""
    context()
    multiprocessing.forkserver.ensure_running()


def available_cores() -> int:
    """The CPU cores this process may use: the PDF workers' default number."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
