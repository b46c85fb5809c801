"""handbook against the peer a coordinator would otherwise pick: MkDocs with the mkdocs-to-pdf plugin.

One example program, cold, each in a fresh process, median of --runs:

- handbook: `handbook build PROGRAM --jobs 2 --no-cache`: the site and every PDF (the workbooks, the guides,
  the role chart, the forms with their fields, the packet);
- the peer: `mkdocs build` of the same staged pages with the `to-pdf` plugin: the site and one PDF of all
  pages (no form fields, no separate documents).

Reported as seconds and milliseconds per PDF page. mkdocs-to-pdf pins nothing we use, but it is not one of
our dependencies: install it in a virtual environment that sees ours, and name its Python:

    python3 -m venv --system-site-packages /tmp/peer && /tmp/peer/bin/pip install mkdocs-to-pdf==0.12.1
    python benchmarks/peer.py --peer-python /tmp/peer/bin/python
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from pypdf import PdfReader

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.build import load, stage_site  # noqa: E402
from generator.facts import derive_facts  # noqa: E402
from generator.pdf import PdfResult  # noqa: E402
from generator.project import Project  # noqa: E402
from generator.render import Renderer  # noqa: E402
from generator.site import Download  # noqa: E402

ENV = {**os.environ, "SOURCE_DATE_EPOCH": "0", "PYTHONPATH": str(REPO)}


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def handbook_run(program: str, out: Path) -> tuple[float, int]:
    """Seconds, and pages of every PDF it made."""
    shutil.rmtree(out, ignore_errors=True)
    seconds = timed([sys.executable, "-m", "generator", "build", program, "--out", str(out), "--jobs", "2",
                     "--no-cache", "-q"], REPO)
    return seconds, sum(len(PdfReader(pdf).pages) for pdf in (out / program / "pdf").glob("*.pdf"))


def stage_for_peer(program_id: str, work: Path) -> Path:
    """The program's site pages as handbook stages them, and a mkdocs.yml that adds the to-pdf plugin."""
    library, (program,) = load(REPO, [program_id])
    shared = Project.load(REPO)
    docs = work / "docs"
    downloads = []
    for spec in Renderer(library, program, "site").published:  # the pages link to the PDFs: stand-ins
        (docs / "pdf").mkdir(parents=True, exist_ok=True)
        (docs / "pdf" / f"{spec.id}.pdf").write_bytes(b"%PDF-1.7")
        downloads.append(Download(spec, f"pdf/{spec.id}.pdf", PdfResult(spec.id, "", 1, 1, "")))
    config = stage_site(derive_facts(program), library, shared, docs, work / "site", downloads, work,
                        "mkdocs").config
    config.pop("site_engine")
    config["strict"] = False  # the peer's own warnings are not ours to fail on
    config["plugins"] = [*config.get("plugins", []), {"to-pdf": {"output_path": "pdf/handbook.pdf"}}]
    (work / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return work / "mkdocs.yml"


def peer_run(peer_python: str, config: Path) -> tuple[float, int]:
    site = config.parent / "site"
    shutil.rmtree(site, ignore_errors=True)
    seconds = timed([peer_python, "-m", "mkdocs", "build", "-q", "-f", str(config)], config.parent)
    return seconds, len(PdfReader(site / "pdf" / "handbook.pdf").pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peer-python", required=True, help="a Python with mkdocs-to-pdf installed")
    parser.add_argument("--program", default="san-jose-emp")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="handbook-peer-") as folder:
        work = Path(folder)
        config = stage_for_peer(args.program, work / "peer")
        ours = [handbook_run(args.program, work / "out") for _ in range(args.runs)]
        theirs = [peer_run(args.peer_python, config) for _ in range(args.runs)]
    for name, runs in (("handbook, --jobs 2", ours), ("mkdocs-to-pdf 0.12.1", theirs)):
        seconds, pages = statistics.median(r[0] for r in runs), runs[-1][1]
        print(f"{name}: {seconds:.2f} s median ({', '.join(f'{r[0]:.2f}' for r in runs)}), {pages} PDF pages, "
              f"{seconds / pages * 1000:.0f} ms per PDF page")
    per_page = (statistics.median(r[0] for r in theirs) / theirs[-1][1]) / (
        statistics.median(r[0] for r in ours) / ours[-1][1])
    print(f"handbook is {per_page:.1f}x faster per PDF page")


if __name__ == "__main__":
    main()
