"""Build progress: the build reports events (stage, done, total, item); a display shows them.

On a terminal the display is one live line with counts and, once a few PDFs are done, the time
left ("PDFs 14/36, about 20 s left"); piped, it prints one summary line per stage and no spinner
noise; quiet, nothing. The build's Python API takes any callable, or none.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TextIO

STAGE_NAMES = {"pdf": "PDFs", "site": "sites"}
WORKED_AND_CACHED = {"pdf": ("rendered", "from the cache"), "site": ("built", "unchanged")}
MIN_DONE_FOR_ESTIMATE = 3  # the pace of the first one or two says little (workers start, fonts load)


@dataclass(frozen=True)
class ProgressEvent:
    stage: str     # "pdf" or "site"
    done: int      # items finished in this stage so far, this one included
    total: int     # items in this stage in the whole build
    item: str      # what just finished ("charlotte-sll: guide.pdf"); "" for the event that opens the stage
    cached: bool = False  # taken from the cache: done, but it took no time


Progress = Callable[[ProgressEvent], None]


def no_progress(_event: ProgressEvent) -> None:
    """The progress callable of a build nobody watches."""


class StageCounter:
    """Counts one stage's finished items and reports each as an event.

    Safe to call from any thread (a rendered PDF is reported from the pool's thread); events are
    reported one at a time, in the order of their counts."""

    def __init__(self, report: Progress, stage: str, total: int):
        self.report, self.stage, self.total = report, stage, total
        self.done = 0
        self._lock = threading.Lock()
        report(ProgressEvent(stage, 0, total, ""))

    def finished(self, item: str, cached: bool = False) -> None:
        with self._lock:
            self.done += 1
            self.report(ProgressEvent(self.stage, self.done, self.total, item, cached))

    def on_done(self, item: str) -> Callable[[object], None]:
        """A callback for a Future (or the pool's inline stand-in) that counts `item` when it is done;
        not when it was cancelled (a failed build drops what is still queued)."""

        def done(future: object) -> None:
            cancelled = getattr(future, "cancelled", None)
            if not (cancelled and cancelled()):
                self.finished(item)

        return done


class StagePace:
    """How long a stage has taken, and how long its rest will take at the pace of the items really
    worked on so far (cached items are done at once and would make the pace look too quick)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self.started = clock()
        self.worked = 0
        self.cached = 0

    def count(self, event: ProgressEvent) -> None:
        if event.item:
            if event.cached:
                self.cached += 1
            else:
                self.worked += 1

    def elapsed(self) -> float:
        return self.clock() - self.started

    def seconds_left(self, event: ProgressEvent) -> float | None:
        """None until MIN_DONE_FOR_ESTIMATE items were worked on."""
        if self.worked < MIN_DONE_FOR_ESTIMATE:
            return None
        return self.elapsed() / self.worked * (event.total - event.done)


def duration(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    return f"{round(seconds / 60)} min"


def live_line(event: ProgressEvent, seconds_left: float | None) -> str:
    """'PDFs 14/36, about 20 s left · charlotte-sll: guide.pdf'"""
    text = f"{STAGE_NAMES.get(event.stage, event.stage)} {event.done}/{event.total}"
    if seconds_left is not None and event.done < event.total:
        text += f", about {duration(seconds_left)} left"
    return f"{text} · {event.item}" if event.item else text


def summary_line(event: ProgressEvent, pace: StagePace) -> str:
    """'PDFs 36/36 after 41 s (12 rendered, 24 from the cache)': the time since the stage opened, which
    for every stage is when the build started (stages overlap: sites build while PDFs render)."""
    text = f"{STAGE_NAMES.get(event.stage, event.stage)} {event.done}/{event.total} after {duration(pace.elapsed())}"
    if not pace.cached:
        return text
    worked, cached = WORKED_AND_CACHED.get(event.stage, ("done", "cached"))
    return f"{text} ({pace.worked} {worked}, {pace.cached} {cached})"


class ProgressDisplay:
    """Turns events into text: `show` gets the live line on each event (a terminal), `print_line`
    the summary line when a stage completes (piped). Either may be None."""

    def __init__(self, show: Callable[[str], None] | None, print_line: Callable[[str], None] | None,
                 clock: Callable[[], float] = time.monotonic):
        self.show, self.print_line, self.clock = show, print_line, clock
        self.paces: dict[str, StagePace] = {}
        self._lock = threading.Lock()

    def __call__(self, event: ProgressEvent) -> None:
        with self._lock:
            pace = self.paces.setdefault(event.stage, StagePace(self.clock))
            pace.count(event)
            if self.show and event.item:  # an opening event would hide the stage that is under way
                self.show(live_line(event, pace.seconds_left(event)))
            if self.print_line and event.done == event.total and event.total:
                self.print_line(summary_line(event, pace))


@contextmanager
def progress_display(quiet: bool = False, stream: TextIO | None = None) -> Iterator[Progress]:
    """The progress callable for a build run from the command line, writing to `stream` (stderr)."""
    stream = stream or sys.stderr
    if quiet:
        yield no_progress
    elif not stream.isatty():
        yield ProgressDisplay(None, lambda line: print(line, file=stream, flush=True))
    else:
        from rich.console import Console

        with Console(file=stream).status("building…") as status:
            yield ProgressDisplay(status.update, None)
