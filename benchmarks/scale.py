"""How builds scale: N synthetic programs made from the seed configs, against the raw engines.

Not a test (machines are noisy): reports medians of several runs, and ratios measured in the
same run on the same machine. Usage:

    python benchmarks/scale.py      # N = 1 and 10, 3 runs each; memory for 10, 30, 100; shards of 100
    python benchmarks/scale.py --runs 1 --sizes --rss 10 30 --shard-size 20   # what fits a busy machine

Reports: cold build per program; overhead over the raw engines doing the same work (a plain
MkDocs build of the same staged pages + WeasyPrint write_pdf of the same HTML); no-change and
one-program-changed rebuilds as a fraction of cold; --jobs 2 over --jobs 1; memory peaks of the
whole process tree, PDF workers included (benchmarks/proctree.py); and a full build against the
slowest of --shards shards (`build --shard K/N`), each run on its own as on its own machine.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.proctree import TreeMemory, run_sampled  # noqa: E402

SEEDS = ["charlotte-sll", "nc-mentoring", "san-jose-emp"]


def synthetic_project(folder: Path, count: int) -> Path:
    """A project with `count` programs cloned from the seeds, each with its own name and numbers."""
    for name in ("content", "theme"):
        shutil.copytree(ROOT / name, folder / name, symlinks=True)
    shutil.copyfile(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    config = folder / "program-config"
    config.mkdir()
    shutil.copyfile(ROOT / "program-config" / "_base.yml", config / "_base.yml")
    for n in range(count):
        data = yaml.safe_load((ROOT / "program-config" / f"{SEEDS[n % 3]}.yml").read_text())
        data["name"] = f"{data['name']} {n:03d}"
        data["edition"] = str(2027 + n % 3)
        one = data.setdefault("meetings", {}).setdefault("one_to_one", {})
        if one.get("per_month") not in (None, "blank"):
            one["per_month"] = 1 + n % 3
        (config / f"program-{n:03d}.yml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return folder


BUILD_ENV = {"SOURCE_DATE_EPOCH": "0", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}


def build_command(project: Path, out: Path, jobs: int, cache: Path | None, *extra: str) -> list[str]:
    cache_args = ["--cache", str(cache)] if cache else ["--no-cache"]
    return [sys.executable, "-m", "generator", "--project", str(project), "build", "-q", "--out", str(out),
            "--jobs", str(jobs), *cache_args, *extra]


def run_build(project: Path, out: Path, jobs: int, cache: Path | None, *extra: str) -> tuple[float, TreeMemory]:
    """One `handbook build` in a fresh process, its process tree sampled; return (seconds, memory peaks and CPU
    time). The sampling reads /proc every 50 ms and takes some of the cores: time with timed_build instead."""
    return run_sampled(build_command(project, out, jobs, cache, *extra), env=BUILD_ENV)


def timed_build(project: Path, out: Path, jobs: int, cache: Path | None) -> float:
    """Seconds of one `handbook build` in a fresh process, with nothing else running (as the raw engines are)."""
    start = time.perf_counter()
    subprocess.run(build_command(project, out, jobs, cache), env=BUILD_ENV, check=True, capture_output=True)
    return time.perf_counter() - start


def shard_row(project: Path, work: Path, shards: int, jobs: int) -> tuple[TreeMemory, float, dict[str, list[tuple[float, TreeMemory]]]]:
    """A full build against the same programs built as `shards` shards, each run on its own (as on its own
    machine: own output, no cache), balanced by document count and by pages from the full build's manifests."""
    full, usage = run_build(project, work / "full", jobs, None)
    row = {}
    for basis, extra in (("documents", []), ("pages", ["--balance-from", str(work / "full")])):
        times = []
        for k in range(1, shards + 1):
            times.append(run_build(project, work / f"{basis}-{k}", jobs, None, "--shard", f"{k}/{shards}", *extra))
            shutil.rmtree(work / f"{basis}-{k}")
        row[basis] = times
    shutil.rmtree(work / "full")
    return usage, full, row


def raw_engines(project: Path) -> float:
    """The same output made by the engines alone, serially in a fresh process: WeasyPrint write_pdf
    of every document's HTML, and a plain MkDocs build of every program's staged pages. A packet is
    laid out as a self-contained PDF has to be without joining: its own part, then the documents it
    bundles again (as before 2026-11-26, so the reference stays the same across versions)."""
    code = f"""
import sys, tempfile, time, io
from pathlib import Path
sys.path.insert(0, {str(ROOT)!r})
from weasyprint import CSS, HTML
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
import yaml
from generator.config import load_programs
from generator.content import load_library
from generator.render import Renderer
from generator.pdf.html import PrintHtml, PRINT_CSS  # noqa: F401
from generator.project import THEME_DIR, Project
from generator.build import stage_site
from generator.facts import derive_facts
from generator.site import Download
from generator.pdf import PdfResult
project = Path({str(project)!r})
library = load_library(project)
programs = load_programs(project, documents={{d.id for d in library.documents}})
jobs, sites = [], []
work = Path(tempfile.mkdtemp())
for program in programs:
    renderer = Renderer(library, program, "pdf")
    pdfs = PrintHtml(Project.load(project), program)
    docs = work / program.id / "docs"
    downloads = []
    laid_out = {{}}
    for spec in renderer.published:
        job = pdfs.job(renderer.document(spec))
        jobs.append(job)
        laid_out[spec.id] = job
        (docs / "pdf").mkdir(parents=True, exist_ok=True)
        (docs / "pdf" / f"{{spec.id}}.pdf").write_bytes(b"%PDF-1.7")
        downloads.append(Download(spec, f"pdf/{{spec.id}}.pdf", PdfResult(spec.id, "", 1, 1, "")))
    for spec in renderer.published:  # a packet without joining lays out its bundled documents again
        jobs.extend(laid_out[doc_id] for doc_id in spec.bundle if doc_id in laid_out)
    config = stage_site(derive_facts(program), library, Project.load(project), docs, work / program.id / "site", downloads,
                        work / program.id, "mkdocs").config
    config.pop("site_engine")  # ours, not MkDocs'
    (work / program.id / "mkdocs.yml").write_text(yaml.safe_dump(config))
    sites.append(work / program.id / "mkdocs.yml")
start = time.perf_counter()
for job in jobs:
    css = [CSS(filename=str(project / THEME_DIR / PRINT_CSS)), CSS(string=job.program_css)]
    HTML(string=job.html, base_url=str(project / THEME_DIR) + "/").write_pdf(io.BytesIO(), stylesheets=css,
        pdf_forms=True, pdf_tags=True)
for site in sites:
    mkdocs_build(load_config(str(site)))
print(time.perf_counter() - start)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={"SOURCE_DATE_EPOCH": "0", "PATH": "/usr/bin:/bin"})
    return float(result.stdout.split()[-1])


def median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1, 10], help="programs per timing row")
    parser.add_argument("--rss", type=int, nargs="*", default=[10, 30, 100], help="programs per memory row")
    parser.add_argument("--shard-size", type=int, default=100, help="programs in the shard row (0: no row)")
    parser.add_argument("--shards", type=int, default=4)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="handbook-scale-"))
    rows = {}
    try:
        for size in args.sizes:
            project = synthetic_project(work / f"p{size}", size)
            cold1, cold2, nochange, onechange, raw = [], [], [], [], []
            for run in range(args.runs):
                out, cache = work / f"out{size}-{run}", work / f"cache{size}-{run}"
                cold1.append(timed_build(project, work / f"serial{size}-{run}", 1, None))
                cold2.append(timed_build(project, out, 2, cache))
                nochange.append(timed_build(project, out, 2, cache))
                changed = project / "program-config" / "program-000.yml"
                text = changed.read_text()
                changed.write_text(text.replace("edition:", f"# run {run}\nedition:", 1).replace("name: ", "name: Changed ", 1))
                onechange.append(timed_build(project, out, 2, cache))
                changed.write_text(text)
                raw.append(raw_engines(project))
                shutil.rmtree(out), shutil.rmtree(cache), shutil.rmtree(work / f"serial{size}-{run}")
            rows[size] = {
                "cold_jobs1": median(cold1), "cold_jobs2": median(cold2), "nochange": median(nochange),
                "onechange": median(onechange), "raw": median(raw),
            }
        rss = {}
        for size in args.rss:
            rss[size] = run_build(project_of(work, size), work / f"rss{size}", 2, None)[1]
            shutil.rmtree(work / f"rss{size}")
        sharded = shard_row(project_of(work, args.shard_size), work, args.shards, 2) if args.shard_size else None
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"median of {args.runs} runs; {Path('/proc/cpuinfo').read_text().count('processor')} cores\n")
    print("| programs | cold, jobs 1 (s) | per program (s) | raw engines (s) | overhead | cold, jobs 2 (s) "
          "| jobs 2 speed-up | no-change rebuild | one program changed |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for size, r in rows.items():
        print(f"| {size} | {r['cold_jobs1']:.1f} | {r['cold_jobs1'] / size:.2f} | {r['raw']:.1f} | "
              f"{r['cold_jobs1'] / r['raw']:.2f}x | {r['cold_jobs2']:.1f} | {r['cold_jobs1'] / r['cold_jobs2']:.2f}x | "
              f"{r['nochange'] / r['cold_jobs2']:.1%} | {r['onechange'] / r['cold_jobs2']:.1%} |")
    print("\n| programs | peak tree RSS (MiB) | peak tree PSS (MiB) | largest worker RSS (MiB) | main process RSS (MiB) "
          "| processes |\n| --- | --- | --- | --- | --- | --- |")
    for size, m in rss.items():
        print(f"| {size} | {m.tree_rss:.0f} | {m.tree_pss:.0f} | {m.worker_rss:.0f} | {m.main_rss:.0f} | {m.processes} |")
    if sharded:
        usage, full, by_basis = sharded
        print(f"\n{args.shard_size} programs, full build vs {args.shards} shards each run alone, --jobs 2; "
              "seconds, wall clock (CPU time of the process tree)\n")
        print(f"full build, whole process tree: peak RSS {usage.tree_rss:.0f} MiB, PSS {usage.tree_pss:.0f} MiB, "
              f"largest worker {usage.worker_rss:.0f} MiB, main process {usage.main_rss:.0f} MiB\n")
        print("| balanced by | full build | each shard | slowest shard | slowest / full |\n| --- | --- | --- | --- | --- |")
        for basis, runs in by_basis.items():
            slowest = max(runs, key=lambda run: run[0])
            heaviest = max(run[1].cpu_seconds for run in runs)
            print(f"| {basis} | {full:.1f} ({usage.cpu_seconds:.0f}) | "
                  f"{', '.join(f'{t:.1f} ({m.cpu_seconds:.0f})' for t, m in runs)} | {slowest[0]:.1f} ({heaviest:.0f}) "
                  f"| {slowest[0] / full:.2f} ({heaviest / usage.cpu_seconds:.2f}) |")
    summary = {size: {"tree_rss": m.tree_rss, "tree_pss": m.tree_pss, "worker_rss": m.worker_rss,
                      "main_rss": m.main_rss, "cpu": m.cpu_seconds} for size, m in rss.items()}
    shards = sharded and {basis: [(t, m.cpu_seconds) for t, m in runs] for basis, runs in sharded[2].items()}
    print(json.dumps({"rows": rows, "rss": summary, "shards": shards, "full": sharded and sharded[1]}))


def project_of(work: Path, size: int) -> Path:
    """The synthetic project of `size` programs, made once per run."""
    folder = work / f"p{size}"
    return folder if folder.exists() else synthetic_project(folder, size)


if __name__ == "__main__":
    main()
