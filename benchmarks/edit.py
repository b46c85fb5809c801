"""The edit -> see loop: seconds from saving one change until what it affects is ready.

On a copy of the repository with a warm cache (one cold build first, not counted):

- build, section edited: a sentence added to one mentee-workbook section, then `build` of the three
  example programs, in process, `--jobs 2`: every affected output (each program's workbook, its
  packet, its site) published;
- build, cadence changed: one program's meetings per month changed, then the same build;
- serve, Markdown / YAML saved: `handbook serve charlotte-sll` running; a sentence added to a section,
  or to the program's description, and the seconds until the preview serves the page with it
  (polled every 20 ms). The PDFs re-render in the background and are not waited for.

Timings are medians of --runs; the machine is noisy, so compare figures of one run with each other.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.build import build  # noqa: E402

PROGRAMS = ["charlotte-sll", "nc-mentoring", "san-jose-emp"]
SECTION = "content/sections/workbook/phases.md"  # a mentee-workbook section (also in the packet)
SECTION_PAGE = "mentee-workbook/phases.html"
SERVED = "charlotte-sll"


def copy_project(work: Path) -> Path:
    project = work / "project"
    project.mkdir()
    for name in ["content", "theme", "program-config"]:
        shutil.copytree(REPO / name, project / name)
    shutil.copyfile(REPO / "mkdocs.yml", project / "mkdocs.yml")
    return project


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as stream:
        stream.write(f"\n{text}\n")


def set_cadence(path: Path, per_month: int) -> None:
    """san-jose-emp meets per_month times a month: change that one number."""
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.strip().startswith("per_month:"))
    indent = lines[number][: len(lines[number]) - len(lines[number].lstrip())]
    lines[number] = f"{indent}per_month: {per_month}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def timed_build(project: Path, out: Path) -> tuple[float, int, int]:
    """Seconds, PDFs rendered, sites built."""
    start = time.perf_counter()
    reports = build(project, PROGRAMS, out, jobs=2)
    seconds = time.perf_counter() - start
    return seconds, sum(len(r.rendered) for r in reports), sum(r.site_built for r in reports)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def wait_for(url: str, marker: str, limit: float = 60.0) -> float:
    start = time.perf_counter()
    while marker not in fetch(url):
        if time.perf_counter() - start > limit:
            raise TimeoutError(f"{marker!r} never appeared at {url}")
        time.sleep(0.02)
    return time.perf_counter() - start


def serve_loop(project: Path, runs: int) -> tuple[list[float], list[float]]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    server = subprocess.Popen([sys.executable, "-m", "generator", "serve", SERVED, "--port", str(port)],
                              cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for(base, "<html", limit=120)
        time.sleep(20)  # let the background PDFs finish, so they do not share the cores with the timing
        markdown, yaml = [], []
        for run in range(runs):
            marker = f"Saved edit {run} of the benchmark."
            append(project / SECTION, marker)
            markdown.append(wait_for(base + SECTION_PAGE, marker))
            time.sleep(8)  # the PDFs of that edit
            marker = f"Description edit {run} of the benchmark."
            config = project / "program-config" / f"{SERVED}.yml"
            text = config.read_text(encoding="utf-8").replace("description: >-\n", f"description: >-\n  {marker}\n", 1)
            config.write_text(text, encoding="utf-8")
            yaml.append(wait_for(base, marker))
            time.sleep(8)
        return markdown, yaml
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-serve", action="store_true", help="skip the serve rows")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
    with tempfile.TemporaryDirectory(prefix="handbook-edit-") as folder:
        work = Path(folder)
        project = copy_project(work)
        out = work / "site"
        cold, rendered, sites = timed_build(project, out)
        print(f"cold build, 3 programs: {cold:.1f} s ({rendered} PDFs, {sites} sites)")
        rows = []
        for label, change in [
            ("build, one mentee-workbook section edited", lambda run: append(project / SECTION, f"Edit {run}.")),
            ("build, one program's cadence changed",
             lambda run: set_cadence(project / "program-config" / "san-jose-emp.yml", 3 + run)),
        ]:
            timings = []
            for run in range(args.runs):
                change(run)
                timings.append(timed_build(project, out))
            seconds = statistics.median(t[0] for t in timings)
            rows.append((label, seconds, timings[-1][1], timings[-1][2]))
        for label, seconds, rendered, sites in rows:
            print(f"{label}: {seconds:.2f} s median ({rendered} PDFs rendered, {sites} sites built)")
        if not args.no_serve:
            markdown, yaml = serve_loop(project, args.runs)
            print(f"serve, Markdown saved -> page shows it: {statistics.median(markdown):.2f} s median "
                  f"({', '.join(f'{t:.2f}' for t in markdown)})")
            print(f"serve, YAML saved -> page shows it: {statistics.median(yaml):.2f} s median "
                  f"({', '.join(f'{t:.2f}' for t in yaml)})")


if __name__ == "__main__":
    main()
