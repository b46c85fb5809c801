"""The output folder: links planted in --out are never followed out of it (replaced, removed or
skipped, the files they point at untouched), and the programs index reads only what builds wrote."""

from __future__ import annotations

import copy
import json
import os

from generator.build import build
from tests.conftest import MINIMAL_PROGRAM, write_project
from tests.security.test_files_reading import run_capped


def outside_folder(tmp_path):
    folder = tmp_path / "precious"
    folder.mkdir()
    (folder / "keep.txt").write_text("keep me")
    (folder / "manifest.json").write_text(json.dumps({"name": "Injected name", "agency": "Nobody"}))
    return folder


def assert_untouched(folder):
    assert (folder / "keep.txt").read_text() == "keep me"
    assert sorted(p.name for p in folder.iterdir()) == ["keep.txt", "manifest.json"]


def leftovers(out):
    return [p.name for p in out.iterdir() if p.name.startswith(".staging-")]


def test_program_folder_that_is_a_link_is_replaced_not_followed(tmp_path):
    project = write_project(tmp_path / "project", {"p": MINIMAL_PROGRAM})
    out = tmp_path / "out"
    out.mkdir()
    precious = outside_folder(tmp_path)
    os.symlink(precious, out / "p")
    for _ in range(2):  # the second build used to meet the link left behind and crash
        build(project, out=out, jobs=1)
        assert (out / "p").is_dir() and not (out / "p").is_symlink()
        assert (out / "p" / "manifest.json").is_file() and not leftovers(out)
        assert_untouched(precious)


def test_leftover_staging_link_is_removed_not_restored(tmp_path):
    project = write_project(tmp_path / "project", {"p": MINIMAL_PROGRAM})
    out = tmp_path / "out"
    out.mkdir()
    precious = outside_folder(tmp_path)
    os.symlink(precious, out / ".staging-old-q")
    os.symlink(precious, out / ".staging-p-abc")
    build(project, out=out, jobs=1)
    assert not os.path.lexists(out / "q") and not leftovers(out)
    assert "Injected name" not in (out / "index.html").read_text()
    assert_untouched(precious)


def test_index_skips_linked_and_damaged_program_folders(tmp_path):
    project = write_project(tmp_path / "project", {"p": MINIMAL_PROGRAM})
    out = tmp_path / "out"
    (out / "broken").mkdir(parents=True)
    (out / "broken" / "manifest.json").write_text("{not json")
    (out / "wrong").mkdir()
    (out / "wrong" / "manifest.json").write_text(json.dumps({"name": ["x"], "agency": 3}))
    (out / "missing").mkdir()
    (out / "missing" / "manifest.json").write_text(json.dumps({"program": "missing"}))
    os.symlink(outside_folder(tmp_path), out / "linked")
    build(project, out=out, jobs=1)
    index = (out / "index.html").read_text()
    assert "Example Mentoring" in index and "Injected name" not in index
    assert "linked/" not in index and "broken/" not in index and "wrong/" not in index


def test_index_does_not_wait_on_a_fifo_manifest(tmp_path):
    project = write_project(tmp_path / "project", {"p": MINIMAL_PROGRAM})
    out = tmp_path / "out"
    (out / "pipe").mkdir(parents=True)
    os.mkfifo(out / "pipe" / "manifest.json")
    result = run_capped(["build", "-q", "--jobs", "1", "--out", str(out)], project)
    assert result.returncode == 0, result.stderr
    assert "Example Mentoring" in (out / "index.html").read_text()


def test_links_planted_for_the_index_and_the_lock_do_not_write_outside(tmp_path):
    project = write_project(tmp_path / "project", {"p": copy.deepcopy(MINIMAL_PROGRAM)})
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("original")
    os.symlink(victim, out / ".staging-index.html")
    build(project, out=out, jobs=1)
    assert victim.read_text() == "original" and not leftovers(out)
    assert (out / "index.html").is_file() and not (out / "index.html").is_symlink()

    (out / ".handbook.lock").unlink()
    os.symlink(victim, out / ".handbook.lock")
    result = run_capped(["build", "-q", "--jobs", "1", "--out", str(out)], project)
    assert victim.read_text() == "original"
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "cannot lock" in result.stderr
