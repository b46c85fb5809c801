"""Warnings about a valid program: placeholders left in, two programs of one name, a copy's stale names."""

from __future__ import annotations

import pytest

from generator.config import load_programs
from generator.config.lint import PLACEHOLDER, program_names
from generator.errors import ConfigError, HandbookWarning
from tests.conftest import MINIMAL_PROGRAM, write_project


@pytest.mark.parametrize("text", ["<Program name>", "Run by <Agency that runs the program>.", "<E-mail address>",
                                  "<Year or edition printed on covers, e.g. 2027>"])
def test_text_in_angle_brackets_is_a_placeholder(text):
    assert PLACEHOLDER.search(text)


@pytest.mark.parametrize("text", ["Write to <coordinator@example.org>", "See <https://example.org/mentoring>",
                                  "a score < 3 and > 1", "<3 mentoring", "<>", "< spaced >"])
def test_addresses_and_comparisons_are_not_placeholders(text):
    assert not PLACEHOLDER.search(text)


def test_two_programs_with_one_name_warn_on_each(tmp_path):
    project = write_project(tmp_path, {"a": MINIMAL_PROGRAM, "b": {**MINIMAL_PROGRAM, "name": " example  MENTORING"}})
    with pytest.warns(HandbookWarning) as caught:
        load_programs(project)
    messages = sorted(str(w.message) for w in caught)
    assert messages[0].startswith("program-config/a.yml:1:1: name: 'Example Mentoring' is also the name of b;")
    assert messages[1].startswith("program-config/b.yml:1:1: name: ' example  MENTORING' is also the name of a;")


def test_checking_one_program_compares_its_name_with_every_other_file(tmp_path):
    broken = {**MINIMAL_PROGRAM, "paper": "A5"}  # cannot be read: shares no name, and is not reported here
    project = write_project(tmp_path, {"a": MINIMAL_PROGRAM, "b": MINIMAL_PROGRAM, "c": broken})
    with pytest.warns(HandbookWarning, match="is also the name of b;"):
        load_programs(project, ["a"])


def test_strict_makes_every_warning_an_error(tmp_path):
    project = write_project(tmp_path, {"a": {**MINIMAL_PROGRAM, "description": "<Describe the program>"}})
    with pytest.raises(ConfigError) as caught:
        load_programs(project, strict=True)
    (problem,) = caught.value.problems
    assert str(problem).startswith("program-config/a.yml:3:1: description: '<Describe the program>' is a placeholder")
    assert "--strict" in problem.message


def test_a_placeholder_in_a_base_is_placed_in_the_base(tmp_path):
    program = {key: value for key, value in MINIMAL_PROGRAM.items() if key != "edition"}
    project = write_project(tmp_path, {"_base": "edition: <Year>\n", "a": {"extends": "_base.yml", **program}})
    with pytest.warns(HandbookWarning, match=r"^program-config/_base.yml:1:1: edition: '<Year>'"):
        load_programs(project)


def test_an_old_name_inside_a_current_name_is_no_mention(tmp_path):
    copied = {"program": "old", "names": ["Mentoring Committee", "City of Example"]}
    committee = {"id": "board", "name": "Mentoring Committee Board", "purpose": "Reports to the Mentoring Committee Board."}
    project = write_project(tmp_path, {"a": {**MINIMAL_PROGRAM, "committees": [committee], "copied_from": copied}})
    load_programs(project)  # 'Mentoring Committee' only appears inside this program's own name: no warning


def test_program_names_are_what_free_text_names(tmp_path):
    project = write_project(tmp_path, {"a": {**MINIMAL_PROGRAM, "short_name": "EM", "department": "<Department>"}})
    with pytest.warns(HandbookWarning, match="placeholder"):
        (program,) = load_programs(project)
    assert program_names(program) == ["Example Mentoring", "EM", "City of Example", "Mentor", "Mentee",
                                      "Program Coordinator"]
