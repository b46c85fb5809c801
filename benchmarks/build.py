"""Time a cold build and a no-change rebuild of the example programs, per stage.

Not a test: machines are noisy, so this reports medians of several runs and leaves judging
to people. Each cold build starts with an empty output and cache; the rebuild reuses both.
Stage times are wall-clock seconds of the main process ('pdf' is waiting for the workers).
Usage: python benchmarks/build.py [--runs 5] [--jobs 2] [PROGRAM ...]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.build import StageTimes, build  # noqa: E402
from generator.content import load_library  # noqa: E402

STAGES = ["load", "pdf", "render", "site", "publish"]


def timed_build(out: Path, programs: list[str] | None, jobs: int) -> tuple[float, StageTimes, list]:
    times = StageTimes()
    start = time.perf_counter()
    reports = build(ROOT, programs, out=out / "site", times=times, jobs=jobs, cache_dir=out / "cache")
    return time.perf_counter() - start, times, reports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("programs", nargs="*")
    args = parser.parse_args()
    cold, rebuild = [], []
    reports = []
    for _ in range(args.runs):
        out = Path(tempfile.mkdtemp(prefix="handbook-bench-"))
        try:
            cold.append(timed_build(out, args.programs or None, args.jobs))
            rebuild.append(timed_build(out, args.programs or None, args.jobs))
            reports = cold[-1][2]
        finally:
            shutil.rmtree(out, ignore_errors=True)

    def median(runs, stage=None):
        return statistics.median(r[0] if stage is None else r[1].get(stage, 0.0) for r in runs)

    pages = sum(r.pages for r in reports)
    pdfs = sum(len(r.documents) for r in reports)
    print(f"{len(reports)} programs, {pdfs} PDFs, {pages} PDF pages ({laid_out(reports)} laid out by WeasyPrint); "
          f"median of {args.runs} runs\n")
    print(f"{'stage':<10}{'cold (s)':>10}{'rebuild (s)':>13}")
    for stage in STAGES:
        print(f"{stage:<10}{median(cold, stage):>10.2f}{median(rebuild, stage):>13.2f}")
    print(f"{'total':<10}{median(cold):>10.2f}{median(rebuild):>13.2f}")
    print(f"\nno-change rebuild / cold: {median(rebuild) / median(cold):.0%}")
    print(f"PDF time per page: {median(cold, 'pdf') / max(pages, 1) * 1000:.0f} ms")
    for report in reports:
        print(f"  {report.program.id}: " + ", ".join(f"{d.document_id} {d.pages}p" for d in report.documents))


def laid_out(reports: list) -> int:
    """PDF pages WeasyPrint lays out: a packet's bundled documents are joined on as their own PDFs."""
    packets = {spec.id: spec.bundle for spec in load_library(ROOT).documents if spec.bundle}
    total = 0
    for report in reports:
        pages = {document.document_id: document.pages for document in report.documents}
        total += sum(pages.values()) - sum(pages.get(part, 0) for packet in packets if packet in pages
                                           for part in packets[packet])
    return total


if __name__ == "__main__":
    main()
