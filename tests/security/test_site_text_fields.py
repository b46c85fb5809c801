"""Text in a program file: one-line fields refuse line breaks, no field holds a control character,
lists have upper bounds; each a located error from `check`, before anything is built."""

from __future__ import annotations

import copy
import typing

import pytest
import yaml

from generator.build import build, check
from generator.config import ConfigError
from generator.config.schema import MAX_ROLES, Program
from generator.config.types import LINE_PATTERN, TEXT_PATTERN, TextKind
from tests.conftest import MINIMAL_PROGRAM, write_project


def problems_for(tmp_path, text: str, **files) -> list:
    project = write_project(tmp_path / "project", {"p": text, **files})
    with pytest.raises(ConfigError) as caught:
        check(project)
    return caught.value.problems


def program_text(**fields) -> str:
    data = {**copy.deepcopy(MINIMAL_PROGRAM), **fields}
    return yaml.safe_dump(data, sort_keys=False)  # other characters as escapes in double quotes


@pytest.mark.parametrize("field, value", [
    ("name", "Example\n\n# Heading"),
    ("edition", "2027\nBEGIN:VEVENT"),
    ("agency", "City\rof Example"),
])
def test_a_line_break_in_a_one_line_field_is_a_located_error(tmp_path, field, value):
    (problem,) = problems_for(tmp_path, program_text(**{field: value}))
    line = next(i for i, text in enumerate(program_text(**{field: value}).splitlines(), 1) if text.startswith(f"{field}:"))
    assert (problem.location.file, problem.location.line, problem.field) == ("program-config/p.yml", line, field)
    assert "must be a single line" in problem.message or "U+000D (carriage return)" in problem.message


def test_a_line_break_in_a_list_item_or_heading_key_is_located(tmp_path):
    text = program_text(content={"ground_rules": {"Respect\n# H1": ["Listen"]}, "purposes": ["a", "b\n\n- c"]})
    found = {p.field: p for p in problems_for(tmp_path, text)}
    assert set(found) == {"content.ground_rules.Respect\\n# H1", "content.purposes[1]"}
    assert all(p.location.line for p in found.values())


@pytest.mark.parametrize("character, name", [
    ("\x00", "U+0000 (NUL)"), ("\x1b", "U+001B (escape)"), ("\x07", "U+0007 (bell)"), ("\t", "U+0009 (tab)"),
    ("\x85", "U+0085 (next line)"), ("\u202e", "U+202E (right-to-left override)"),
    ("\u2066", "U+2066 (left-to-right isolate)"), ("\u2028", "U+2028 (line separator)"),
    ("\ufffe", "U+FFFE (non-character)"),
])
def test_control_characters_are_refused_in_every_kind_of_text(tmp_path, character, name):
    text = program_text(description=f"Long text{character}.", roles=[
        {"id": "mentor", "title": f"Men{character}tor", "summary": "Guides."},
        {"id": "mentee", "title": "Mentee", "summary": "Learns.", "responsibilities": [f"x{character}"]}])
    found = {p.field: p for p in problems_for(tmp_path, text)}
    assert set(found) == {"description", "roles[0].title", "roles[1].responsibilities[0]"}
    for problem in found.values():
        assert problem.location.line is not None and name in problem.message
        assert character not in str(problem)  # named, never echoed into the terminal


def test_a_lone_surrogate_from_a_yaml_escape_is_refused(tmp_path):
    text = program_text().replace("name: Example Mentoring", 'name: "Example \\uD800 Mentoring"')
    (problem,) = problems_for(tmp_path, text)  # pydantic refuses it before TextKind sees it
    assert (problem.field, problem.location.line) == ("name", 1) and "not valid text" in problem.message


def test_control_characters_in_a_mapping_key_are_located_and_shown_escaped(tmp_path):
    text = program_text(content={"critical_success_factors": {"Overall\u202e program": ["Trust"]}})
    (problem,) = problems_for(tmp_path, text)
    assert problem.field == "content.critical_success_factors.Overall\\u202e program"
    assert problem.location.line is not None and "\u202e" not in str(problem)


def test_multi_line_fields_keep_their_paragraphs(tmp_path):
    project = write_project(tmp_path / "project", {"p": program_text(description="One.\n\nTwo.\n")})
    (program,) = check(project)
    assert program.description == "One.\n\nTwo.\n"


def test_a_folded_one_line_value_loses_only_its_final_line_break(tmp_path):
    text = program_text().replace("name: Example Mentoring", "name: >\n  Example\n  Mentoring")
    (program,) = check(write_project(tmp_path / "project", {"p": text}))
    assert program.name == "Example Mentoring"


@pytest.mark.parametrize("extends, message", [
    ("_base\x00.yml", "U+0000 (NUL)"),
    ("_base.yml\x1b[2J", "U+001B (escape)"),
    ("_base.yml\n", "must be a single line"),
    ("a" * 300 + ".yml", "at most 255"),
])
def test_bad_characters_in_extends_are_a_located_error_not_a_traceback(tmp_path, extends, message):
    text = yaml.safe_dump({"extends": extends, **MINIMAL_PROGRAM}, sort_keys=False)
    (problem,) = problems_for(tmp_path, text, _base="edition: '2027'\n")
    assert (str(problem.location), problem.field) == ("program-config/p.yml:1:1", "extends")
    assert message in problem.message


def test_a_nul_in_the_logo_path_is_a_located_error(tmp_path):
    (problem,) = problems_for(tmp_path, program_text(branding={"logo": "theme/logo\x00.png"}))
    assert problem.field == "branding.logo" and problem.location.line is not None
    assert "U+0000 (NUL)" in problem.message


def test_five_thousand_roles_are_one_quick_located_error(tmp_path):
    roles = [{"id": f"role-{i}", "title": f"Role {i}", "summary": "Does things."} for i in range(5000)]
    project = write_project(tmp_path / "project", {"p": program_text(roles=roles)})
    with pytest.raises(ConfigError) as caught:
        build(project, out=tmp_path / "out", jobs=1)
    (problem,) = caught.value.problems  # one error: the items were not validated one by one
    assert problem.field == "roles" and problem.location.line is not None
    assert f"has 5000 items; at most {MAX_ROLES} are allowed" in problem.message
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("field, value", [
    ("events", [{"id": f"e{i}", "name": "E", "kind": "other"} for i in range(500)]),
    ("contacts", [{"role": "Coordinator"}] * 500),
    ("content", {"purposes": ["aim"] * 500}),
    ("content", {"ground_rules": {f"Heading {i}": ["rule"] for i in range(500)}}),
    ("name", "x" * 201),
    ("description", "x" * 6000),
])
def test_lists_mappings_and_texts_have_upper_bounds(tmp_path, field, value):
    (problem,) = problems_for(tmp_path, program_text(**{field: value}))
    assert problem.field.startswith(field) and problem.location.line is not None
    assert "at most" in problem.message


def _string_schemas(node, path="$"):
    if isinstance(node, dict):
        if node.get("type") == "string" and "enum" not in node and "const" not in node and "format" not in node:
            yield path, node
        for key, value in node.items():
            yield from _string_schemas(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _string_schemas(value, f"{path}[{index}]")


def test_every_string_in_the_json_schema_is_bounded_and_refuses_control_characters():
    """A field added later as a plain `str` fails here: give it a kind (Line, Text, a reference)."""
    schema = Program.model_json_schema()
    strings = list(_string_schemas(schema))
    assert len(strings) > 60
    for path, node in strings:
        assert "pattern" in node, f"{path}: no pattern (use Line, Text or a reference type from config/types.py)"
        if node["pattern"] in (LINE_PATTERN, TEXT_PATTERN):
            assert node.get("maxLength"), path
    bounded = list(_objects_and_arrays(schema))
    assert len(bounded) > 30
    for path, node in bounded:
        bound = "maxItems" if node["type"] == "array" else "maxProperties"
        assert bound in node, f"{path}: a list or mapping without an upper bound (annotate it with AtMost)"


def _objects_and_arrays(node, path="$"):
    if isinstance(node, dict):
        if node.get("type") in ("array", "object") and "properties" not in node:
            yield path, node
        for key, value in node.items():
            yield from _objects_and_arrays(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _objects_and_arrays(value, f"{path}[{index}]")


def _str_fields(model, path=""):
    for name, info in model.model_fields.items():
        yield from _str_leaves(info.annotation, list(info.metadata), f"{path}{name}")


def _str_leaves(annotation, metadata, path):
    while typing.get_origin(annotation) is typing.Annotated:
        annotation, *meta = typing.get_args(annotation)
        metadata = metadata + meta
    if annotation is str:
        yield path, metadata
    elif isinstance(annotation, type) and issubclass(annotation, Program.__mro__[1]):
        yield from _str_fields(annotation, f"{path}.")
    else:
        for arg in typing.get_args(annotation):
            yield from _str_leaves(arg, [], f"{path}[]")


def test_every_text_field_of_the_model_has_a_kind_or_a_pattern():
    fields = list(_str_fields(Program))
    assert len(fields) > 60
    for path, metadata in fields:
        kinds = [m for m in metadata if isinstance(m, TextKind)]
        patterns = [m for m in metadata if getattr(m, "pattern", None)]
        assert kinds or patterns, f"{path}: a str without a TextKind (Line, Text, RoleRef...) or a pattern"
