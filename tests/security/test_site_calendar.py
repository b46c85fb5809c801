"""calendar.ics: a value can never add a line, a property or an event, asserts on or not
(`python -O` strips the assertion icalendar relied on), and a line break in a one-line field
never reaches the calendar writer (a located error from check)."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import textwrap

import pytest
import yaml
from icalendar import Calendar

from generator.build import build
from generator.config import ConfigError
from generator.config.schema import Program
from generator.facts.schedule import ics_calendar, program_schedule
from tests.conftest import MINIMAL_PROGRAM, REPO, write_project

INJECTION = "X\r\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:Injected\rUID:evil\u2028DTSTART:20270101\x00\u202e"


def hostile_program() -> Program:
    data = {**copy.deepcopy(MINIMAL_PROGRAM), "id": "p",
            "schedule": {"length": "6 months", "start": "2027-01-04", "switch_after": "6 weeks"},
            "events": [{"id": "orientation", "name": "Orientation", "kind": "orientation", "when": "month 1",
                        "description": "First paragraph; with, commas.\n\nSecond paragraph\\."}]}
    program = Program.model_validate(data)
    # Past the schema, as if a value slipped through: the writer must hold on its own.
    return program.model_copy(update={"name": INJECTION, "edition": "2027\nBEGIN:VEVENT", "short_name": INJECTION})


def check_calendar(data: bytes) -> None:
    text = data.decode("utf-8")
    lines = text.split("\r\n")
    assert lines[-1] == "" and all("\r" not in line and "\n" not in line for line in lines)
    assert lines.count("BEGIN:VEVENT") == 2 and "\x00" not in text and "\u202e" not in text
    unfolded = text.replace("\r\n ", "")
    assert not any(line.startswith(("UID:evil", "SUMMARY:Injected", "DTSTART:20270101")) for line in unfolded.split("\r\n"))
    calendar = Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    # an extension property stays in its escaped form when read back
    assert str(calendar["X-WR-CALNAME"]).startswith(r"X\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:Injected\nUID:evil\nDTSTART")
    orientation = next(e for e in events if str(e["UID"]) == "p-orientation@handbook")
    assert str(orientation["DESCRIPTION"]) == "First paragraph; with, commas.\n\nSecond paragraph\\."


def test_calendar_text_is_escaped():
    program = hostile_program()
    check_calendar(ics_calendar(program, program_schedule(program)))


def test_calendar_text_is_escaped_under_python_optimize(tmp_path):
    """Under -O icalendar's own assertion is gone: the escaping must not depend on it."""
    script = textwrap.dedent("""
        import sys
        from tests.security.test_site_calendar import check_calendar, hostile_program
        from generator.facts.schedule import ics_calendar, program_schedule
        if sys.flags.optimize < 1:
            raise SystemExit("not optimized")
        program = hostile_program()
        check_calendar(ics_calendar(program, program_schedule(program)))
        print("ok")
    """)
    env = {**os.environ, "PYTHONOPTIMIZE": "1"}
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


@pytest.mark.parametrize("field", ["name", "edition"])
def test_a_line_break_in_name_or_edition_stops_at_check_not_in_the_calendar_writer(tmp_path, field):
    data = {**copy.deepcopy(MINIMAL_PROGRAM), field: "2027\nBEGIN:VEVENT",
            "schedule": {"length": "6 months", "start": "2027-01-04"}}
    project = write_project(tmp_path / "project", {"p": yaml.safe_dump(data, sort_keys=False)})
    for optimize in ("", "1"):
        env = {**os.environ, "PYTHONOPTIMIZE": optimize}
        result = subprocess.run([sys.executable, "-m", "generator", "build", "--out", str(tmp_path / "out")],
                                cwd=project, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert "program-config/p.yml:" in result.stderr + result.stdout
        assert f"{field}: must be a single line" in result.stderr + result.stdout
    with pytest.raises(ConfigError):
        build(project, out=tmp_path / "out", jobs=1)
    assert not (tmp_path / "out" / "p").exists()
