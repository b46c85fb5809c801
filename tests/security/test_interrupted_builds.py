"""Nothing lost: a build killed at any moment leaves the previous output complete and readable,
the next build succeeds, and two builds into one folder never corrupt it."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from generator.build import build
from tests.conftest import REPO, write_project

KILLS = 6


def start_build(project: Path, out: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "0"}
    return subprocess.Popen([sys.executable, "-m", "generator", "--project", str(project), "build", "-q",
                             "--out", str(out), *extra], env=env, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def assert_complete(out: Path) -> str:
    """Every program folder is whole: its manifest's PDFs exist with the recorded hashes."""
    assert (out / "index.html").is_file()
    manifest_path = out / "example" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    for doc in manifest["documents"]:
        data = (out / "example" / doc["pdf"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == doc["sha256"]
    assert (out / "example" / "index.html").is_file() and (out / "example" / "search" / "search_index.json").is_file()
    return manifest_path.read_text()


def test_killed_builds_leave_complete_output_and_the_next_build_succeeds(tmp_path):
    project = write_project(tmp_path / "project")
    out = tmp_path / "out"
    build(project, out=out, jobs=1)
    assert_complete(out)
    rng = random.Random(20261125)
    section = project / "content" / "sections" / "guide" / "about.md"
    original = section.read_text()
    for round_ in range(KILLS):
        section.write_text(original + f"\nRevision {round_}.\n")  # so the build has real work to do
        process = start_build(project, out)
        time.sleep(rng.uniform(0.3, 4.0))
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        assert_complete(out)
    final = start_build(project, out)
    assert final.wait(timeout=120) == 0, final.stderr.read()
    assert_complete(out)
    assert f"Revision {KILLS - 1}." in (out / "example" / "guide" / "about.html").read_text()
    assert not [p.name for p in out.iterdir() if p.name.startswith(".staging")]
    # and what the cache kept after all those kills gives the same bytes as a clean build
    clean = tmp_path / "clean"
    build(project, out=clean, jobs=1, cache_dir=False)
    for name in ("guide.pdf",):
        assert (out / "example" / "pdf" / name).read_bytes() == (clean / "example" / "pdf" / name).read_bytes()


def test_two_builds_into_one_folder_at_once(tmp_path):
    project = write_project(tmp_path / "project")
    out = tmp_path / "out"
    first = start_build(project, out, "--no-cache")
    time.sleep(0.2)
    second = start_build(project, out, "--no-cache")
    codes = sorted([first.wait(timeout=120), second.wait(timeout=120)])
    messages = first.stderr.read() + second.stderr.read()
    assert codes in ([0, 0], [0, 1])
    if codes == [0, 1]:
        assert "another build is writing to" in messages and "Traceback" not in messages
    assert_complete(out)
