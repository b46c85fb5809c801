"""The process that PDF workers are forked from (multiprocessing's forkserver), with WeasyPrint imported.

It takes half a second to start, importing WeasyPrint; the CLI starts it first thing (start_early), so that
it does so alongside the main process's own start and loading instead of after them, and ends it when the
build needed no worker after all (stop_if_unused). Kept apart from generator.pdf, whose package imports
the Markdown and configuration modules this is meant to overlap."""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import multiprocessing.forkserver
import os
import signal

PRELOAD = ["generator.pdf.weasy", "generator.pdf.pool"]  # imported once in the forkserver: every worker has them
_workers_started = False  # set by the PDF pool when it starts a worker


def context() -> multiprocessing.context.ForkServerContext:
    """The multiprocessing context the PDF pool starts its workers with."""
    forkserver = multiprocessing.get_context("forkserver")
    forkserver.set_forkserver_preload(PRELOAD)
    return forkserver


def start_early() -> None:
    """Start the forkserver now (it returns at once; the server imports on its own)."""
    context()
    multiprocessing.forkserver.ensure_running()


def workers_started() -> None:
    """The PDF pool started a worker: the forkserver is in use."""
    global _workers_started  # noqa: PLW0603 - one flag for the process, as the forkserver is one
    _workers_started = True


def stop_if_unused() -> None:
    """End a forkserver no worker was started from (every PDF came from the cache). Left alone, it would
    finish importing WeasyPrint before it noticed this process had ended, and whoever reads the build's
    output would wait for it, since it holds the same stdout. multiprocessing has no public way to stop
    it; if its private handle ever changes, the forkserver is left to end on its own, as before."""
    pid = getattr(getattr(multiprocessing.forkserver, "_forkserver", None), "_forkserver_pid", None)
    if _workers_started or not isinstance(pid, int):
        return
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def available_cores() -> int:
    """The CPU cores this process may use: the PDF workers' default number."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
