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
from generator.config.reference import reference_markdown
from generator.config.schema import Program
from generator.scaffold import new_program
from tests.conftest import MINIMAL_PROGRAM, REPO, write_project


def test_new_from_scratch_passes_check_and_builds(project, tmp_path):
    path = new_program(project, "talent-council")
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=../handbook.schema.json\n")
    assert "hours_per_month: blank" in text and "per_month: blank" in text
    assert [p.id for p in check(project, ["talent-council"])] == ["talent-council"]
    (report,) = build(project, ["talent-council"], out=tmp_path / "out", jobs=1)
    assert (report.path / "pdf" / "guide.pdf").is_file()


def test_new_file_has_every_field_commented(project):
    text = new_program(project, "fresh").read_text()
    for doc in fields(Program):
        if doc.path == "id" or "[]" in doc.path:
            continue
        assert re.search(rf"^\s*(# )?{re.escape(doc.name)}:", text, re.M), doc.path
    assert "# Minimum hours per month the pair spends in conversation" in text


def test_new_from_existing_program_copies_its_values(project):
    path = new_program(project, "copy", source_id="example")
    program = load_programs(project, ["copy"])[0]
    original = load_programs(project, ["example"])[0]
    assert program.model_dump(exclude={"id"}) == original.model_dump(exclude={"id"})
    assert "name: Example Mentoring" in path.read_text()


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
