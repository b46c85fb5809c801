"""A new agency in minutes: `handbook new`, the reference and schema kept in sync, helpful errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
import yaml

from generator.build import build, check
from generator.config import ConfigError, HandbookError, load_programs
from generator.config.describe import fields
from generator.config.lint import PLACEHOLDER
from generator.config.reference import reference_markdown
from generator.config.schema import Program
from generator.errors import HandbookWarning
from generator.scaffold import new_program
from tests.conftest import MINIMAL_PROGRAM, REPO, write_project
from tests.test_cli import run


def test_new_from_scratch_passes_check_with_warnings_and_builds_a_draft(project, tmp_path):
    path = new_program(project, "talent-council")
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=../handbook.schema.json\n")
    assert "hours_per_month: blank" in text and "per_month: blank" in text
    with pytest.warns(HandbookWarning, match="placeholder"):
        assert [p.id for p in check(project, ["talent-council"])] == ["talent-council"]
    with pytest.warns(HandbookWarning, match="placeholder"):
        (report,) = build(project, ["talent-council"], out=tmp_path / "out", jobs=1)
    assert (report.path / "pdf" / "guide.pdf").is_file()


def test_new_file_has_every_field_commented(project):
    text = new_program(project, "fresh").read_text()
    for doc in fields(Program):
        if doc.path == "id" or "[]" in doc.path or doc.path.startswith("copied_from"):  # only a copy has it
            continue
        assert re.search(rf"^\s*(# )?{re.escape(doc.name)}:", text, re.M), doc.path
    assert "# Minimum hours per month the pair spends in conversation" in text


def test_new_from_existing_program_copies_its_values(project):
    path = new_program(project, "copy", source_id="example")
    with pytest.warns(HandbookWarning, match="also the name of"):
        program = load_programs(project, ["copy"])[0]
    original = _quietly(project, "example")
    assert program.model_dump(exclude={"id", "copied_from"}) == original.model_dump(exclude={"id", "copied_from"})
    assert "name: Example Mentoring" in path.read_text()
    assert program.copied_from is not None and program.copied_from.program == "example"
    assert "City of Example" in program.copied_from.names and "Mentor" in program.copied_from.names


def _quietly(project, program_id):
    with pytest.warns(HandbookWarning):
        return load_programs(project, [program_id])[0]


PYTHON_WORDS = [r"\bNone\b", r"\bOneToOne\b", r"\bGroupSessions\b", r"list of [A-Z]", r"\b\d+\.0\b", r"\bnull\b",
                r"\bTrue\b", r"\bFalse\b", r"mapping of"]


@pytest.mark.parametrize("source", [None, "example"])
def test_comments_and_values_speak_to_coordinators_not_python(project, source):
    text = new_program(project, "fresh", source_id=source).read_text()
    for word in PYTHON_WORDS:
        assert not re.search(word, text), (word, re.search(rf".*{word}.*", text).group())  # type: ignore[union-attr]
    assert "per_month: 2\n" in text if source else "per_month: blank\n" in text
    assert "leave out if the program doesn't say" in text


def test_starter_states_no_fact_about_the_program(project):
    text = new_program(project, "fresh").read_text()
    data = yaml.safe_load(text)
    assert [role["id"] for role in data["roles"]] == ["mentor", "mentee"]  # no invented coordinator and duties
    assert all(not role["responsibilities"] for role in data["roles"])
    assert "run_by" not in data and "first_meeting_hours" not in data["meetings"]["one_to_one"]
    assert "example.org" not in yaml.safe_dump(data)
    for field in ("name", "agency", "description", "edition"):
        assert PLACEHOLDER.fullmatch(data[field]), field
    assert "<Program name>" in text.split("\n\n")[0], "the header says what a placeholder looks like"


def test_starter_warns_once_per_placeholder_at_its_line(project):
    path = new_program(project, "fresh")
    lines = path.read_text().splitlines()
    with pytest.warns(HandbookWarning) as caught:
        check(project, ["fresh"])
    messages = [str(w.message) for w in caught]
    placeholders = [n for n, line in enumerate(lines, 1) if PLACEHOLDER.search(line) and not line.lstrip().startswith("#")]
    assert len(messages) == len(placeholders) == 8
    for message, number in zip(messages, placeholders, strict=True):
        assert message.startswith(f"program-config/fresh.yml:{number}:"), message
    assert any(": roles[0].summary: '<One or two sentences" in m for m in messages)


def test_check_prints_warnings_as_lines_and_strict_fails(project):
    new_program(project, "fresh")
    result = run("check", "fresh", cwd=project)
    assert result.returncode == 0, result.stderr
    warnings = result.stderr.strip().splitlines()
    assert warnings and all(line.startswith("warning: program-config/fresh.yml:") for line in warnings), warnings
    assert "Traceback" not in result.stderr and "HandbookWarning" not in result.stderr
    assert "ok: 1 program(s) valid (8 warning(s) above): fresh" in result.stdout
    strict = run("check", "--strict", "fresh", cwd=project)
    assert strict.returncode == 1
    assert strict.stderr.startswith("error: program-config/fresh.yml:10:1: name: '<Program name>' is a placeholder")


def test_copy_marks_what_must_change(project):
    lines = new_program(project, "copy", source_id="example").read_text().splitlines()
    for field in ("name", "agency", "contacts", "branding"):
        at = next(n for n, line in enumerate(lines) if line.startswith(f"{field}:"))
        above = "\n".join(lines[at - 3:at])
        assert "# CHANGE (copied from example):" in above, field
    assert sum("# CHANGE" in line for line in lines) == 4


STALE = {**MINIMAL_PROGRAM, "committees": [{"id": "council", "name": "Mentoring Committee", "purpose": "Matches pairs."}]}
STALE["roles"] = [{**MINIMAL_PROGRAM["roles"][0], "responsibilities": ["Report to the Mentoring Committee."]},
                  MINIMAL_PROGRAM["roles"][1]]


def test_a_renamed_committee_left_in_free_text_warns_at_its_line(tmp_path):
    project = write_project(tmp_path, {"source": STALE})
    path = new_program(project, "copy", source_id="source")
    text = path.read_text().replace("name: Example Mentoring", "name: Talent Mentoring")
    path.write_text(text.replace("  name: Mentoring Committee", "  name: Talent Council"))
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "Report to the Mentoring" in text)
    with pytest.warns(HandbookWarning) as caught:
        load_programs(project, ["copy"])
    (message,) = [str(w.message) for w in caught]
    assert message.startswith(f"program-config/copy.yml:{line}:5: roles[0].responsibilities[0]: mentions "
                              f"'Mentoring Committee', a name from source"), message


def test_a_copy_that_kept_its_names_or_renamed_everything_has_no_stale_warning(tmp_path):
    project = write_project(tmp_path, {"source": STALE})
    path = new_program(project, "copy", source_id="source")
    path.write_text(path.read_text().replace("Example Mentoring", "Talent Mentoring"))
    load_programs(project, ["copy"])  # the committee keeps its name: mentioning it is right (no warning)
    path.write_text(path.read_text().replace("Mentoring Committee", "Talent Council"))
    load_programs(project, ["copy"])


def test_new_refuses_to_overwrite_and_checks_the_id(project):
    with pytest.raises(HandbookError, match="already exists"):
        new_program(project, "example")
    with pytest.raises(HandbookError, match="lowercase"):
        new_program(project, "Bad Id")
    with pytest.raises(ConfigError, match="no such program"):
        new_program(project, "x", source_id="missing")


def test_near_miss_key_suggests_the_right_name(tmp_path):
    data = yaml.safe_load(yaml.safe_dump(MINIMAL_PROGRAM))
    data["meetings"]["one_to_one"]["per_mnth"] = 3
    data["schedul"] = data.pop("schedule")
    project = write_project(tmp_path, {"p": data})
    with pytest.raises(ConfigError) as caught:
        load_programs(project)
    text = str(caught.value)
    assert "meetings.one_to_one.per_mnth: unknown field; did you mean 'per_month'?" in text
    assert "schedul: unknown field; did you mean 'schedule'?" in text


def test_enum_errors_list_the_allowed_values(tmp_path):
    project = write_project(tmp_path, {"p": {**MINIMAL_PROGRAM, "paper": "legal"}})
    with pytest.raises(ConfigError, match="paper: must be one of 'letter' or 'a4'"):
        load_programs(project)


def test_out_of_range_value_says_the_range(tmp_path):
    data = yaml.safe_load(yaml.safe_dump(MINIMAL_PROGRAM))
    data["meetings"]["one_to_one"]["per_month"] = 45
    project = write_project(tmp_path, {"p": data})
    with pytest.raises(ConfigError, match="per_month: must be less than or equal to 31"):
        load_programs(project)


def test_every_schema_field_is_in_the_reference():
    reference = reference_markdown()
    for doc in fields(Program):
        if doc.path != "id":
            assert f"| `{doc.path}` |" in reference, doc.path


def test_published_reference_and_schema_are_in_sync_with_the_code():
    assert (REPO / "docs" / "pages" / "configuration.md").read_text() == reference_markdown(), \
        "run: handbook reference > docs/pages/configuration.md"
    assert json.loads((REPO / "handbook.schema.json").read_text()) == Program.model_json_schema(), \
        "run: handbook schema > handbook.schema.json"


def test_every_example_program_points_editors_at_the_schema():
    for path in sorted((REPO / "program-config").glob("*.yml")):
        assert path.read_text().startswith("# yaml-language-server: $schema=../handbook.schema.json"), path


def test_project_documentation_site_builds(tmp_path):
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(REPO / "docs" / "mkdocs.yml"),
                             "-d", str(tmp_path / "docs")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Configuration reference" in (tmp_path / "docs" / "configuration.html").read_text()
