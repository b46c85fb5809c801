"""The command line: exit codes, errors as plain located lines, never a traceback."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

import pytest

from generator import __version__
from generator.cli import COMMAND_HELP, build_parser, main
from tests.conftest import MINIMAL_PROGRAM, REPO, write_project


def run(*args, cwd):
    """The CLI as a user runs it (`python -m generator`, in its own process), from this checkout: the
    repository goes first on PYTHONPATH, so no install is needed and an installed copy is not what runs."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, check=False)


def test_check_passes_on_a_valid_project(project):
    result = run("check", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "ok: 1 program(s) valid: example" in result.stdout


def test_check_prints_every_problem_and_exits_1_without_traceback(tmp_path):
    project = write_project(tmp_path, {"a": {**MINIMAL_PROGRAM, "paper": "A5", "colour": "red"}})
    result = run("check", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert any(line.startswith("error: program-config/a.yml:") and "paper: must be one of" in line for line in lines)
    assert any("colour: unknown field" in line for line in lines)


def test_build_reports_what_it_made(project, tmp_path):
    result = run("build", "--out", str(tmp_path / "out"), cwd=project)
    assert result.returncode == 0, result.stderr
    assert "example: 1 PDFs" in result.stdout and "index.html" in result.stdout
    assert (tmp_path / "out" / "example" / "pdf" / "guide.pdf").is_file()


def test_quiet_build_prints_nothing(project, tmp_path):
    result = run("build", "-q", "--out", str(tmp_path / "out"), cwd=project)
    assert result.returncode == 0 and result.stdout == "" and result.stderr == ""


def test_schema_is_json_schema_with_descriptions(project):
    result = run("schema", cwd=project)
    schema = json.loads(result.stdout)
    assert schema["title"] == "Program"
    assert schema["properties"]["name"]["description"].startswith("Program name")


def test_explain_says_what_the_handbook_will_state_and_what_it_leaves_open(tmp_path):
    data = {**MINIMAL_PROGRAM, "meetings": {"one_to_one": {"per_month": "blank"}},
            "events": [{"id": "training", "name": "Mentor training", "kind": "training", "attendees": ["mentor"]}]}
    project = write_project(tmp_path, {"shape": data})
    result = run("explain", "shape", cwd=project)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Length: six months" in out
    assert "One-to-one meetings: __________ times a month" in out
    assert "Date to be announced: Mentor training (training; required or not: not stated); with the mentor" in out
    blanks, unsaid = out.split("Left blank on purpose")[1].split("Not stated")
    assert "meetings.one_to_one.per_month" in blanks and "run_by: who runs the program" in unsaid
    assert "events[0].when" in unsaid


def test_explain_an_unknown_program_is_a_located_error(project):
    result = run("explain", "exampel", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "no such program; did you mean 'example'?" in result.stderr


# In-process: the parser, help texts and the checks made before any command runs.


def test_bare_handbook_prints_the_help_and_exits_0(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: handbook") and "examples:" in out
    assert all(name in out for name in COMMAND_HELP)


def test_version_prints_the_package_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"handbook {__version__}"


def subcommands() -> dict[str, argparse.ArgumentParser]:
    (commands,) = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(commands.choices)


def test_every_argument_of_every_command_is_described():
    for name, command in subcommands().items():
        for action in command._actions:
            assert action.help, f"handbook {name}: {action.dest} has no help text"


@pytest.mark.parametrize("name", sorted(COMMAND_HELP))
def test_every_command_help_shows_an_example(name, capsys):
    with pytest.raises(SystemExit):
        main([name, "-h"])
    out = capsys.readouterr().out
    assert "example" in out and f"handbook {name} " in out.split("example", 1)[1]


@pytest.mark.parametrize("command", [["build"], ["check"], ["explain", "x"], ["serve", "x"], ["new", "x"]])
def test_outside_a_handbook_folder_says_so_in_plain_words(command, tmp_path, capsys):
    assert main(["--project", str(tmp_path), *command]) == 1
    err = capsys.readouterr().err
    assert err == (f"error: {tmp_path.resolve()}: this is not a handbook folder (it has no content/documents.yml "
                   "and no program-config/); cd into one or pass --project FOLDER\n")
    assert not any(tmp_path.iterdir())  # nothing written


def test_project_works_before_or_after_the_command(project, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # not a handbook folder
    assert main(["--project", str(project), "check"]) == 0
    assert main(["check", "--project", str(project)]) == 0
    assert capsys.readouterr().out.count("ok: 1 program(s) valid: example") == 2


def test_commands_that_need_no_project_run_anywhere(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Program"


def test_shards_built_apart_merge_into_one_site(tmp_path):
    project = write_project(tmp_path / "p", {"a": MINIMAL_PROGRAM, "b": {**MINIMAL_PROGRAM, "name": "Other"}})
    for k in ("1", "2"):
        result = run("build", "--shard", f"{k}/2", "--out", str(tmp_path / f"shard-{k}"), cwd=project)
        assert result.returncode == 0, result.stderr
        assert f"shard {k}/2: 1 program(s)" in result.stdout
    result = run("merge", str(tmp_path / "shard-1"), str(tmp_path / "shard-2"), "--out", str(tmp_path / "site"),
                 cwd=project)
    assert result.returncode == 0, result.stderr
    assert "merged 2 program(s) from 2 shard(s)" in result.stdout
    assert (tmp_path / "site" / "a" / "manifest.json").is_file() and (tmp_path / "site" / "b" / "index.html").is_file()


def test_shard_and_merge_mistakes_are_plain_errors(project, tmp_path):
    for args, message in [
        (["build", "--shard", "3/2"], "error: --shard: expected K/N with 1 ≤ K ≤ N (e.g. 2/4), got '3/2'"),
        (["build", "--balance-from", str(tmp_path)], "error: --balance-from: only with --shard K/N"),
        (["merge", str(tmp_path), "--out", str(tmp_path / "site")],
         f"error: {tmp_path}/handbook-shard.json: no shard record"),
    ]:
        result = run(*args, cwd=project)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert result.stderr.startswith(message), result.stderr


FORKSERVER_PROBE = """
import multiprocessing.forkserver, sys
import generator.build
def probe(*args, **kwargs):  # stands in for the build: is the PDF workers' forkserver already starting?
    print("forkserver running" if multiprocessing.forkserver._forkserver._forkserver_pid else "no forkserver")
    return []
generator.build.build = probe
from generator.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize(("jobs", "expected"), [("2", "forkserver running"), ("1", "no forkserver")])
def test_build_starts_the_pdf_workers_forkserver_before_the_build_when_it_will_use_workers(tmp_path, jobs, expected):
    """Its import of WeasyPrint then overlaps the loading of the project (a cold build's first half second)."""
    project = write_project(tmp_path / "p")
    done = subprocess.run([sys.executable, "-c", FORKSERVER_PROBE, "build", "--project", str(project), "--jobs", jobs,
                           "--quiet"], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert done.stdout.strip() == expected, done.stderr


FORKSERVER_AFTER = """
import multiprocessing.forkserver, os, sys
from generator.cli import main
code = main(sys.argv[1:])
pid = multiprocessing.forkserver._forkserver._forkserver_pid
try:
    os.kill(pid, 0)
    print("forkserver left running")
except ProcessLookupError:
    print("forkserver ended")
sys.exit(code)
"""


def test_a_build_that_renders_nothing_ends_the_forkserver_it_started(tmp_path):
    """Every PDF came from the cache: the forkserver started early is ended with the build, rather than left
    importing WeasyPrint while whoever reads the build's output waits for the pipe it holds to close."""
    project = write_project(tmp_path / "p")
    command = [sys.executable, "-c", FORKSERVER_AFTER, "build", "--project", str(project), "--out", str(tmp_path / "out"),
               "--jobs", "2", "--quiet"]
    first = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=120)
    assert first.returncode == 0, first.stderr
    again = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=60)
    assert again.stdout.strip() == "forkserver ended", again.stderr
