"""Hostile files in the project: a FIFO, a link to /dev/zero or to a file elsewhere, a huge file.

Every file the build reads from the project (program files, documents.yml, sections, home.md,
the theme, mkdocs.yml) is refused before it is read when it is not a regular file inside the
project or is over the size limit: a located error naming the file, never a hang, a traceback
or memory eaten. The commands run in a child process with a memory and file-size cap, so
a build that did read such a file fails at once instead of taking the machine down; the
timeout only guards against a hang (it is not a timing assertion).
"""

from __future__ import annotations

import copy
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from generator.config import load_programs
from tests.conftest import MINIMAL_PROGRAM, REPO, write_project

MEMORY_CAP = 1 << 30           # a process that reads a 3 GB file or /dev/zero dies of MemoryError
FILE_SIZE_CAP = 200 << 20      # ... and one that copies /dev/zero stops here
HANG_GUARD = 120               # seconds; a hang fails the test instead of blocking the run
HUGE = 3 << 30                 # a sparse file: 3 GB by its size, nothing on disk


def _caps() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_CAP, FILE_SIZE_CAP))


def run_capped(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run `python -m generator ARGS` (or `python -c CODE` when args[0] == '-c') with the caps."""
    command = [sys.executable, *args] if args[0] == "-c" else [sys.executable, "-m", "generator", *args]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, preexec_fn=_caps,
                          timeout=HANG_GUARD, env=env)


def huge(path: Path) -> None:
    with open(path, "wb") as stream:
        stream.truncate(HUGE)


def outside_program(tmp_path: Path) -> Path:
    """A valid program file outside the project: were it followed, the program would load."""
    import yaml

    target = tmp_path / "elsewhere" / "secret.yml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(MINIMAL_PROGRAM))
    return target


def assert_refused(result: subprocess.CompletedProcess, label: str, why: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith(f"error: {label}:")]
    assert lines and why in lines[0], result.stderr


def make(kind: str, path: Path, tmp_path: Path) -> None:
    path.unlink(missing_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        os.symlink("/dev/zero", path)
    elif kind == "outside":
        os.symlink(outside_program(tmp_path), path)
    elif kind == "huge":
        huge(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "loop":
        os.symlink(path.name, path)
    else:
        raise AssertionError(kind)


WHY = {"fifo": "is a FIFO (named pipe), not a regular file", "dev-zero": "is a link leading outside the project",
       "outside": "is a link leading outside the project", "huge": "is larger than 2 MB",
       "folder": "is a folder, not a regular file", "loop": "cannot be read (Too many levels of symbolic links)"}


@pytest.mark.parametrize("kind", list(WHY))
def test_hostile_program_file_is_refused_before_reading(tmp_path, kind):
    project = write_project(tmp_path / "project")
    make(kind, project / "program-config" / "hostile.yml", tmp_path)
    result = run_capped(["check"], project)
    assert_refused(result, "program-config/hostile.yml", WHY[kind])


def test_fifo_program_file_does_not_hang_build(tmp_path):
    project = write_project(tmp_path / "project")
    os.mkfifo(project / "program-config" / "hostile.yml")
    result = run_capped(["build", "-q", "--jobs", "1", "--out", str(tmp_path / "out")], project)
    assert_refused(result, "program-config/hostile.yml", "is a FIFO")
    assert not (tmp_path / "out" / "example").exists()


def test_program_file_linked_inside_the_project_still_loads(tmp_path):
    import yaml

    project = write_project(tmp_path / "project", {})
    shared = project / "shared" / "real.yml"
    shared.parent.mkdir()
    shared.write_text(yaml.safe_dump(MINIMAL_PROGRAM))
    os.symlink("../shared/real.yml", project / "program-config" / "linked.yml")
    (program,) = load_programs(project)
    assert program.id == "linked" and program.name == MINIMAL_PROGRAM["name"]


def test_program_file_in_linked_folder_is_named_by_its_own_path(tmp_path):
    project = write_project(tmp_path / "project", {})
    os.symlink(outside_program(tmp_path), project / "program-config" / "p.yml")
    result = run_capped(["check"], project)
    assert_refused(result, "program-config/p.yml", "is a link leading outside the project")
    assert str(tmp_path / "elsewhere") not in result.stderr  # named as the user names it


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "outside", "huge"])
def test_hostile_documents_list_is_refused_before_reading(tmp_path, kind):
    project = write_project(tmp_path / "project")
    make(kind, project / "content" / "documents.yml", tmp_path)
    result = run_capped(["check"], project)
    assert_refused(result, "content/documents.yml", WHY[kind])


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "outside", "huge"])
def test_hostile_section_is_refused_before_reading(tmp_path, kind):
    project = write_project(tmp_path / "project")
    make(kind, project / "content" / "sections" / "guide" / "meetings.md", tmp_path)
    result = run_capped(["check"], project)
    why = WHY[kind].replace("the project", "content/")
    # located where documents.yml names the section
    assert_refused(result, "content/documents.yml", f"section 'guide/meetings' {why}")


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "outside", "huge"])
def test_hostile_home_page_is_refused_before_reading(tmp_path, kind):
    project = write_project(tmp_path / "project")
    make(kind, project / "content" / "home.md", tmp_path)
    result = run_capped(["build", "-q", "--jobs", "1", "--no-cache", "--out", str(tmp_path / "out")], project)
    why = WHY[kind].replace("the project", "content/")
    assert_refused(result, "content/home.md", why)
    assert not (tmp_path / "out" / "example").exists()


@pytest.mark.parametrize("name, kind, why", [
    ("theme/site.js", "fifo", "is a FIFO (named pipe), not a regular file"),
    ("theme/site.css", "dev-zero", "is a link leading outside the project"),
    ("theme/fonts/Extra.ttf", "outside", "is a link leading outside the project"),
    ("theme/overrides/partials/footer.html", "outside", "is a link leading outside the project"),
    ("theme/print.css", "huge", "is larger than 20 MB"),
    ("mkdocs.yml", "fifo", "is a FIFO (named pipe), not a regular file"),
    ("mkdocs.yml", "huge", "is larger than 2 MB"),
])
def test_hostile_theme_and_site_files_are_refused_before_reading(tmp_path, name, kind, why):
    project = write_project(tmp_path / "project")
    make(kind, project / name, tmp_path)
    for command in (["check"], ["build", "-q", "--jobs", "1", "--no-cache", "--out", str(tmp_path / "out")]):
        result = run_capped(command, project)
        assert_refused(result, name, why)
    assert not (tmp_path / "out" / "example").exists()


def test_theme_folder_linked_outside_is_refused(tmp_path):
    project = write_project(tmp_path / "project")
    elsewhere = tmp_path / "elsewhere-theme"
    os.rename(project / "theme", elsewhere)
    os.symlink(elsewhere, project / "theme")
    result = run_capped(["check"], project)
    assert_refused(result, "theme", "is a link leading outside the project")


def test_valid_project_with_links_inside_it_builds(tmp_path):
    """Links that stay inside the project are fine: a font linked from another folder of it."""
    project = write_project(tmp_path / "project", {"p": copy.deepcopy(MINIMAL_PROGRAM)})
    (project / "shared").mkdir()
    os.rename(project / "theme" / "site.js", project / "shared" / "site.js")
    os.symlink("../shared/site.js", project / "theme" / "site.js")
    result = run_capped(["build", "-q", "--jobs", "1", "--no-cache", "--out", str(tmp_path / "out")], project)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "p" / "assets" / "site.js").read_bytes() == (project / "shared" / "site.js").read_bytes()
