"""Build progress: events with counts, a live line with the time left, one summary line per stage when piped."""

from __future__ import annotations

import io
import threading
from concurrent.futures import Future

from generator.build import build
from generator.progress import (
    ProgressDisplay,
    ProgressEvent,
    StageCounter,
    live_line,
    progress_display,
)
from tests.conftest import MINIMAL_PROGRAM, write_project


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_counter_opens_its_stage_then_reports_each_finished_item():
    events: list[ProgressEvent] = []
    counter = StageCounter(events.append, "pdf", 2)
    counter.finished("a: guide.pdf")
    counter.finished("a: journal.pdf", cached=True)
    assert events == [ProgressEvent("pdf", 0, 2, ""), ProgressEvent("pdf", 1, 2, "a: guide.pdf"),
                      ProgressEvent("pdf", 2, 2, "a: journal.pdf", cached=True)]


def test_a_counter_reports_items_finished_on_many_threads_in_count_order():
    events: list[ProgressEvent] = []
    counter = StageCounter(events.append, "pdf", 200)
    threads = [threading.Thread(target=counter.finished, args=(f"doc {n}",)) for n in range(200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [e.done for e in events] == list(range(201))


def test_a_cancelled_pdf_is_not_counted_as_done():
    events: list[ProgressEvent] = []
    counter = StageCounter(events.append, "pdf", 2)
    cancelled: Future[None] = Future()
    cancelled.add_done_callback(counter.on_done("a: guide.pdf"))
    cancelled.cancel()
    finished: Future[None] = Future()
    finished.add_done_callback(counter.on_done("a: journal.pdf"))
    finished.set_result(None)
    assert [e.item for e in events] == ["", "a: journal.pdf"]


def test_the_live_line_says_nothing_about_time_until_a_few_pdfs_are_rendered():
    clock, lines = Clock(), []
    display = ProgressDisplay(lines.append, None, clock)
    display(ProgressEvent("pdf", 0, 36, ""))
    for done in (1, 2):
        clock.now += 10
        display(ProgressEvent("pdf", done, 36, f"a: doc{done}.pdf"))
    assert lines == ["PDFs 1/36 · a: doc1.pdf", "PDFs 2/36 · a: doc2.pdf"]
    clock.now += 10
    display(ProgressEvent("pdf", 3, 36, "a: doc3.pdf"))
    assert lines[-1] == "PDFs 3/36, about 6 min left · a: doc3.pdf"  # 10 s each, 33 to go: 5.5 min


def test_the_time_left_is_paced_by_rendered_pdfs_not_cached_ones():
    clock, lines = Clock(), []
    display = ProgressDisplay(lines.append, None, clock)
    display(ProgressEvent("pdf", 0, 26, ""))
    for done in range(1, 21):  # twenty from the cache, at once
        display(ProgressEvent("pdf", done, 26, f"a: cached{done}.pdf", cached=True))
    assert "left" not in lines[-1]
    for done in range(21, 24):  # then three rendered, 4 s each
        clock.now += 4
        display(ProgressEvent("pdf", done, 26, f"a: doc{done}.pdf"))
    assert lines[-1] == "PDFs 23/26, about 12 s left · a: doc23.pdf"


def test_the_live_line_counts_minutes_for_long_waits():
    event = ProgressEvent("pdf", 14, 36, "nc: journal.pdf")
    assert live_line(event, 20.2) == "PDFs 14/36, about 20 s left · nc: journal.pdf"
    assert live_line(event, 600) == "PDFs 14/36, about 10 min left · nc: journal.pdf"
    assert live_line(ProgressEvent("pdf", 36, 36, "nc: guide.pdf"), 3) == "PDFs 36/36 · nc: guide.pdf"


def test_piped_progress_is_one_summary_line_per_stage():
    stream = io.StringIO()  # not a terminal
    with progress_display(stream=stream) as progress:
        pdfs, sites = StageCounter(progress, "pdf", 3), StageCounter(progress, "site", 1)
        pdfs.finished("a: guide.pdf", cached=True)
        pdfs.finished("a: journal.pdf")
        assert stream.getvalue() == ""  # nothing while a stage is under way
        pdfs.finished("a: agreement.pdf")
        sites.finished("a")
    assert stream.getvalue() == "PDFs 3/3 after 1 s (2 rendered, 1 from the cache)\nsites 1/1 after 1 s\n"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_shows_the_counts_live():
    stream = Terminal()
    with progress_display(stream=stream) as progress:
        StageCounter(progress, "pdf", 36).finished("a: guide.pdf")
    assert "PDFs 1/36 · a: guide.pdf" in stream.getvalue()


def test_quiet_progress_prints_nothing():
    stream = Terminal()
    with progress_display(quiet=True, stream=stream) as progress:
        StageCounter(progress, "pdf", 1).finished("a: guide.pdf")
    assert stream.getvalue() == ""


def test_build_reports_every_pdf_and_site_and_what_came_from_the_cache(tmp_path):
    project = write_project(tmp_path / "project", {"one": MINIMAL_PROGRAM, "two": {**MINIMAL_PROGRAM, "name": "Second Mentoring"}})
    for run in ("first", "again"):
        events: list[ProgressEvent] = []
        build(project, out=tmp_path / "out", progress=events.append, jobs=2, cache_dir=tmp_path / "cache")
        pdfs = [e for e in events if e.stage == "pdf" and e.item]
        sites = [e for e in events if e.stage == "site" and e.item]
        assert sorted(e.item for e in pdfs) == ["one: guide.pdf", "two: guide.pdf"]  # 'extra' is not published
        assert [e.done for e in pdfs] == [1, 2] and {e.total for e in pdfs} == {2}
        assert [(e.item, e.done, e.total) for e in sites] == [("one", 1, 2), ("two", 2, 2)]
        assert all(e.cached == (run == "again") for e in pdfs + sites), run
