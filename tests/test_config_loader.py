"""Loading program files: layering, blanks, durations, and every mistake reported with its place."""

from __future__ import annotations

import copy
import re
import textwrap
from pathlib import Path

import pytest

from generator.config import BLANK, ConfigError, Duration, load_programs
from tests.conftest import MINIMAL_PROGRAM, write_project


def problems_of(project: Path, ids=None) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_programs(project, ids)
    return [str(p) for p in caught.value.problems]


def test_minimal_program_loads(project):
    (program,) = load_programs(project)
    assert program.id == "example"
    assert program.schedule.length == Duration(6, "month")
    assert program.meetings.one_to_one.per_month == 2


def test_every_mistake_is_reported_at_once_with_file_line_and_field(tmp_path):
    bad = """\
        name: Broken
        agency: City
        description: x
        edition: 2027
        paper: A5
        schedule:
          length: 9 monts
        meetings:
          one_to_one:
            per_month: -1
            hours_per_mnth: 2
        roles:
          - id: mentor
            title: Mentor
        """
    project = write_project(tmp_path, {"broken": bad})
    found = problems_of(project)
    assert "program-config/broken.yml:5:1: paper: must be one of 'letter' or 'a4'" in found
    assert any(p.startswith("program-config/broken.yml:7:3: schedule.length: '9 monts' is not a duration") for p in found)
    assert any(p.startswith("program-config/broken.yml:10:5: meetings.one_to_one.per_month: must be greater than 0") for p in found)
    assert "program-config/broken.yml:11:5: meetings.one_to_one.hours_per_mnth: unknown field; did you mean 'hours_per_month'?" in found
    assert "program-config/broken.yml:13:5: roles[0].summary: required field is missing: add 'summary: …' " \
           "(one or two sentences on what the role is for)" in found
    assert len(found) == 5


def test_problems_from_several_files_are_all_reported(tmp_path):
    good = copy.deepcopy(MINIMAL_PROGRAM)
    project = write_project(tmp_path, {"a": {**good, "paper": "A5"}, "b": {**good, "edition": None}})
    found = problems_of(project)
    assert any(p.startswith("program-config/a.yml") for p in found)
    assert any(p.startswith("program-config/b.yml") for p in found)


def test_blank_on_purpose_is_a_value_not_a_missing_one(tmp_path):
    data = copy.deepcopy(MINIMAL_PROGRAM)
    data["meetings"]["one_to_one"] = {"per_month": "blank", "hours_per_month": "blank"}
    data["eligibility"] = {"mentee": {"service": "blank"}}
    (program,) = load_programs(write_project(tmp_path, {"template": data}))
    assert program.meetings.one_to_one.hours_per_month is BLANK
    assert program.eligibility.mentee.service is BLANK


@pytest.mark.parametrize("text, amount, unit", [
    ("9 months", 9, "month"), ("1 year", 1, "year"), ("6 weeks", 6, "week"), ("six weeks", 6, "week"),
    ("1.5 years", 1.5, "year"), ("One Month", 1, "month"),
])
def test_natural_durations_parse(text, amount, unit):
    assert Duration.parse(text) == Duration(amount, unit)


@pytest.mark.parametrize("text", ["9", "nine", "-3 months", "0 weeks", "3 fortnights", "", "many months"])
def test_bad_durations_are_rejected(text):
    with pytest.raises(ValueError):
        Duration.parse(text)


def test_switch_point_after_the_end_is_located(tmp_path):
    data = copy.deepcopy(MINIMAL_PROGRAM)
    data["schedule"] = {"length": "5 months", "switch_after": "6 months"}
    found = problems_of(write_project(tmp_path, {"late": data}))
    assert found == ["program-config/late.yml:7:3: schedule.switch_after: 6 months is after the program ends (5 months)"]


def test_unknown_role_reference_and_duplicate_ids_are_located(tmp_path):
    data = copy.deepcopy(MINIMAL_PROGRAM)
    data["roles"].append({"id": "mentor", "title": "Second", "summary": "x"})
    data["events"] = [{"id": "kickoff", "name": "Kick-off", "kind": "orientation", "when": "month 1",
                       "attendees": ["mentor", "sponsor"]}]
    found = problems_of(write_project(tmp_path, {"refs": data}))
    assert any("roles[2].id: id 'mentor' is already used by roles[0]" in p for p in found)
    assert any("events[0].attendees[1]: 'sponsor' is not the id of a role or committee" in p for p in found)


def test_every_reference_to_a_role_or_committee_is_checked_with_a_suggestion(tmp_path):
    data = copy.deepcopy(MINIMAL_PROGRAM)
    data["roles"].append({"id": "hr", "title": "Human Resources", "summary": "x"})
    data["committees"] = [{"id": "panel", "name": "Panel", "purpose": "Matches.", "members": ["hr", "mentro",
                                                                                            "a manager from each unit"]}]
    data["selection"] = {"matched_by": "pannel"}
    data["run_by"] = "h-r"
    data["meetings"]["one_to_one"]["who_schedules"] = "mente"
    data["events"] = [{"id": "training", "name": "Training", "kind": "training", "delivered_by": ["vendor"]}]
    found = problems_of(write_project(tmp_path, {"refs": data}))
    expected = [
        "selection.matched_by: 'pannel' is not the id of a role or committee; did you mean 'panel'?",
        "run_by: 'h-r' is not the id of a role or committee; did you mean 'hr'?",
        "meetings.one_to_one.who_schedules: 'mente' is not a role id; did you mean 'mentee'?",
        "events[0].delivered_by[0]: 'vendor' is not the id of a role or committee",
        "committees[0].members[1]: 'mentro' is not the id of a role or committee",
    ]
    for message in expected:
        assert any(message in line for line in found), (message, found)
    assert all(re.match(r"program-config/refs\.yml:\d+:\d+: ", line) for line in found), found
    assert not any("a manager from each unit" in line for line in found)


def test_a_program_needs_a_mentor_and_a_mentee(tmp_path):
    data = copy.deepcopy(MINIMAL_PROGRAM)
    data["roles"] = [{"id": "mentor", "title": "Mentor", "summary": "x"}, {"id": "learner", "title": "Learner", "summary": "y"}]
    found = problems_of(write_project(tmp_path, {"pair": data}))
    assert any("roles: a program needs a role with id 'mentee'" in line for line in found), found


def test_event_outside_the_program_is_an_error(tmp_path):
    data = copy.deepcopy(MINIMAL_PROGRAM)
    data["events"] = [{"id": "late", "name": "Late", "kind": "other", "when": "month 8"}]
    found = problems_of(write_project(tmp_path, {"ev": data}))
    assert len(found) == 1 and "events[0].when: 'month 8' is outside the program (6 months)" in found[0]


def test_extends_merges_deeply_and_errors_point_at_the_file_that_set_the_value(tmp_path):
    base = """\
        agency: City of Example
        edition: "2027"
        description: Shared description.
        meetings:
          one_to_one:
            per_month: 1
            hours_per_month: 2
        roles:
          - id: mentor
            title: Mentor
            summary: Guides.
          - id: mentee
            title: Mentee
            summary: Learns.
        """
    child = """\
        extends: _base.yml
        name: Child Program
        schedule:
          length: 9 months
        meetings:
          one_to_one:
            per_month: 2
        """
    project = write_project(tmp_path, {"_base": base, "child": child})
    (program,) = load_programs(project)
    assert program.meetings.one_to_one.per_month == 2
    assert program.meetings.one_to_one.hours_per_month == 2
    assert program.agency == "City of Example"
    (project / "program-config" / "_base.yml").write_text(textwrap.dedent(base).replace("hours_per_month: 2", "hours_per_month: lots"))
    found = problems_of(project)
    assert len(found) == 1 and found[0].startswith("program-config/_base.yml:7:5: meetings.one_to_one.hours_per_month:")


@pytest.mark.parametrize("target, message", [
    ("../../etc/passwd", "is outside program-config/"),
    ("/etc/passwd", "not a URL or absolute path"),
    ("https://example.org/base.yml", "not a URL or absolute path"),
    ("_missing.yml", "does not exist"),
    ("child.yml", "leads back to itself"),
])
def test_extends_must_stay_inside_program_config(tmp_path, target, message):
    project = write_project(tmp_path, {"child": f"extends: {target}\nname: x\n"})
    found = problems_of(project)
    assert len(found) == 1 and "child.yml:1:1: extends:" in found[0] and message in found[0]


@pytest.mark.parametrize("text, message", [
    ("", "the file is empty"),
    ("- a\n- b\n", "must be a mapping"),
    ("just words", "must be a mapping"),
    ("name: [unclosed\n", "opened with '[' here is not closed"),
    ("name: a\nname: b\n", "duplicate key (first given on line 1)"),
    ("a: &a [1, 2]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
     "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
     "f: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n", "too large or too deeply nested"),
])
def test_malformed_files_give_located_errors(tmp_path, text, message):
    project = write_project(tmp_path, {"odd": text})
    found = problems_of(project)
    assert len(found) == 1 and found[0].startswith("program-config/odd.yml") and message in found[0]


def test_binary_junk_is_reported_not_crashed_on(tmp_path):
    project = write_project(tmp_path, {})
    (project / "program-config" / "junk.yml").write_bytes(b"\xff\xfe\x00garbage")
    assert problems_of(project) == ["program-config/junk.yml: not UTF-8 text (byte 0)"]


def test_files_starting_with_underscore_are_bases_not_programs(tmp_path):
    project = write_project(tmp_path, {"_base": "edition: '2027'\n", "example": MINIMAL_PROGRAM})
    assert [p.id for p in load_programs(project)] == ["example"]


def test_unknown_program_id_suggests_the_closest(project):
    assert problems_of(project, ["exampel"]) == ["program-config/exampel.yml: no such program; did you mean 'example'?"]


def test_id_must_match_the_file_name(tmp_path):
    project = write_project(tmp_path, {"one": {"id": "two", **MINIMAL_PROGRAM}})
    assert problems_of(project) == ["program-config/one.yml:1:1: id: must match the file name 'one'"]
