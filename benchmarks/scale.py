"""How builds scale: N synthetic programs made from the seed configs, against the raw engines.

Not a test (machines are noisy): reports medians of several runs, and ratios measured in the
same run on the same machine. Usage:

    python benchmarks/scale.py                # N = 1 and 10, 3 runs each; peak RSS for 1, 10, 50
    python benchmarks/scale.py --runs 5 --sizes 1 10 50 --rss 1 10 50

Reports: cold build per program; overhead over the raw engines doing the same work (a plain
MkDocs build of the same staged pages + WeasyPrint write_pdf of the same HTML); no-change and
one-program-changed rebuilds as a fraction of cold; --jobs 2 over --jobs 1; peak RSS.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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


def run_build(project: Path, out: Path, jobs: int, cache: Path | None) -> tuple[float, int]:
    """Time one `handbook build` in a fresh process; return (seconds, peak RSS in MiB of any process)."""
    cache_args = ["--cache", str(cache)] if cache else ["--no-cache"]
    code = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], check=True)\n"
        "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, sys.executable, "-m", "generator", "--project", str(project),
                             "build", "-q", "--out", str(out), "--jobs", str(jobs), *cache_args],
                            capture_output=True, text=True, check=True, env={"SOURCE_DATE_EPOCH": "0", "PATH": "/usr/bin:/bin",
                                                                            "PYTHONPATH": str(ROOT)})
    seconds, rss_kib = result.stdout.split()
    return float(seconds), int(rss_kib) // 1024


def raw_engines(project: Path) -> float:
    """The same work done by the engines alone, serially in a fresh process: WeasyPrint write_pdf
    of every document's HTML, and a plain MkDocs build of every program's staged pages."""
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
    for spec in renderer.published:
        job = pdfs.job(renderer.document(spec))
        jobs.append(job)
        (docs / "pdf").mkdir(parents=True, exist_ok=True)
        (docs / "pdf" / f"{{spec.id}}.pdf").write_bytes(b"%PDF-1.7")
        downloads.append(Download(spec, f"pdf/{{spec.id}}.pdf", PdfResult(spec.id, "", 1, 1, "")))
    config = stage_site(derive_facts(program), library, Project.load(project), docs, work / program.id / "site", downloads,
                        work / program.id, "mkdocs")
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
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--rss", type=int, nargs="+", default=[1, 10, 50])
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="handbook-scale-"))
    rows = {}
    try:
        for size in args.sizes:
            project = synthetic_project(work / f"p{size}", size)
            cold1, cold2, nochange, onechange, raw = [], [], [], [], []
            for run in range(args.runs):
                out, cache = work / f"out{size}-{run}", work / f"cache{size}-{run}"
                cold1.append(run_build(project, work / f"serial{size}-{run}", 1, None)[0])
                cold2.append(run_build(project, out, 2, cache)[0])
                nochange.append(run_build(project, out, 2, cache)[0])
                changed = project / "program-config" / "program-000.yml"
                text = changed.read_text()
                changed.write_text(text.replace("edition:", f"# run {run}\nedition:", 1).replace("name: ", "name: Changed ", 1))
                onechange.append(run_build(project, out, 2, cache)[0])
                changed.write_text(text)
                raw.append(raw_engines(project))
                shutil.rmtree(out), shutil.rmtree(cache), shutil.rmtree(work / f"serial{size}-{run}")
            rows[size] = {
                "cold_jobs1": median(cold1), "cold_jobs2": median(cold2), "nochange": median(nochange),
                "onechange": median(onechange), "raw": median(raw),
            }
        rss = {}
        for size in args.rss:
            project = work / f"p{size}" if (work / f"p{size}").exists() else synthetic_project(work / f"p{size}", size)
            rss[size] = run_build(project, work / f"rss{size}", 2, None)[1]
            shutil.rmtree(work / f"rss{size}")
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
    print("\n| programs | peak RSS of any process (MiB) |\n| --- | --- |")
    for size, mib in rss.items():
        print(f"| {size} | {mib} |")
    print(json.dumps({"rows": rows, "rss": rss}))


if __name__ == "__main__":
    main()
