"""The command line: exit codes, errors as plain located lines, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys

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
