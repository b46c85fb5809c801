"""A catalogue of realistic coordinator mistakes in a program file: each is reported at the line
that is actually wrong, shows that line with a caret under the column, and says what to do."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.config import ConfigError, ContentError, load_programs
from generator.config.syntax import syntax_problem
from generator.content import load_library
from generator.errors import excerpt
from tests.conftest import write_project
from tests.test_cli import run

BASE = """\
name: Example Mentoring
agency: City of Example
description: A small example program.
edition: "2027"
schedule:
  length: 6 months
  switch_after: 6 weeks
meetings:
  one_to_one:
    per_month: 2
    hours_per_month: 2
roles:
  - id: mentor
    title: Mentor
    summary: Guides the mentee.
    responsibilities:
      - meet every month
      - listen
  - id: mentee
    title: Mentee
    summary: Leads their own learning.
contacts:
  - role: Program Coordinator
    email: coordinator@example.org
"""

# (name, text replaced, replacement, line, column, advice)
CATALOGUE = [
    ("three-space indent", "  length: 6 months\n", "   length: 6 months\n", 6, 4, "indent"),
    ("one space too many", "  switch_after: 6 weeks\n", "   switch_after: 6 weeks\n", 7, 4, "indent"),
    ("one space too few", "    hours_per_month: 2\n", "   hours_per_month: 2\n", 11, 4, "indent"),
    ("tab indent", "    per_month: 2\n", "\tper_month: 2\n", 10, 1, "not tabs"),
    ("tab after colon", "    per_month: 2\n", "    per_month:\t2\n", 10, 15, "not a tab"),
    ("no space after colon", "    hours_per_month: 2\n", "    hours_per_month:4\n", 11, 21, "space after the colon"),
    ("no space after colon, then a key", "    per_month: 2\n", "    per_month:2\n", 10, 15, "space after the colon"),
    ("key at the top level", "  switch_after: 6 weeks\n", "switch_after: 6 weeks\n", 7, 1, "belongs under 'schedule'"),
    ("unclosed double quote", "name: Example Mentoring\n", 'name: "Example Mentoring\n', 1, 7, "quote"),
    ("unclosed single quote", "    title: Mentor\n", "    title: 'Mentor\n", 14, 12, "never closed"),
    ("apostrophe in single quotes", "    title: Mentor\n", "    title: 'Mentor's guide'\n", 14, 19, "apostrophe"),
    ("text after the closing quote", "    title: Mentor\n", '    title: "Mentor" of the year\n', 14, 20, "inside the quotes"),
    ("list item too far left", "      - listen\n", "    - listen\n", 18, 5, "line this list item up"),
    ("list item one space off", "      - listen\n", "     - listen\n", 18, 6, "line this list item up"),
    ("no space after dash", "      - listen\n", "      -listen\n", 18, 8, "space after the '-'"),
    ("duplicate key", "agency: City of Example\n", "agency: City of Example\nagency: Town\n", 3, 1, "keep one"),
    ("no colon", "agency: City of Example\n", "agency City of Example\n", 2, 7, "no colon"),
    ("no colon, nested", "    per_month: 2\n", "    per_month 2\n", 10, 14, "no colon"),
    ("colon inside a value", "    summary: Guides the mentee.\n", "    summary: Note: guides the mentee.\n", 15, 18,
     "put the value in quotes"),
    ("value starting with @", "    email: coordinator@example.org\n", "    email: @coordinator\n", 24, 12, "in quotes"),
    ("value starting with [", "    title: Mentor\n", "    title: [Lead] Mentor\n", 14, 12, "in quotes"),
    ("key indented under a value", "    title: Mentor\n", "     title: Mentor\n", 14, 6, "indent this line"),
    ("first key indented", "agency: City of Example\n", " agency: City of Example\n", 2, 2, "left edge"),
    ("nested block off the file's step", "  one_to_one:\n    per_month: 2\n    hours_per_month: 2\n",
     "   one_to_one:\n     per_month: 2\n     hours_per_month: 2\n  group:\n    per_month: 1\n", 9, 4,
     "indent this one by 2 spaces"),
    ("no colon before a nested block", "schedule:\n", "schedule\n", 5, 9, "no colon"),
    ("glued colon before a long value", "    summary: Guides the mentee.\n",
     "    summary:Guides the mentee\n      through the program.\n", 15, 13, "space after the colon"),
    ("a line at the level of list items", "      - listen\n", "      - listen\n      note: often\n", 19, 7,
     "does not start with '- '"),
    ("list not closed", "    title: Mentor\n", "    title: [Mentor\n", 14, 12, "not closed"),
    ("value starting with *", "    title: Mentor\n", "    title: *Mentor\n", 14, 12, "in quotes"),
    ("a bullet from a word processor", "      - listen\n", "      * listen\n", 18, 7, "start a list item with '- '"),
    ("an equals sign", "    per_month: 2\n", "    per_month = 2\n", 10, 14, "not '='"),
    ("a second item without its dash", "  - id: mentee\n", "    id: mentee\n", 19, 5, "begin it with '- '"),
    ("a placeholder for a number", "    per_month: 2\n", "    per_month: TBD\n", 10, 5, "write 'blank'"),
    ("a choice in capitals", "edition: \"2027\"\n", "edition: \"2027\"\npaper: A4\n", 5, 1, "did you mean 'a4'?"),
    ("number in words", "    hours_per_month: 2\n", "    hours_per_month: four\n", 11, 5, "in digits: 4, or 'blank'"),
    ("number as text", "    hours_per_month: 2\n", "    hours_per_month: lots\n", 11, 5, "write a number such as 2"),
    ("list on one line", "    responsibilities:\n      - meet every month\n      - listen\n",
     "    responsibilities: meet every month, listen\n", 16, 5, "one duty per line, each starting with '- '"),
    ("duration in words", "  length: 6 months\n", "  length: as long as the other course runs\n", 6, 3, "tied_to"),
    ("minimum duration", "  length: 6 months\n", "  length: at least 6 months\n", 6, 3, "length_is_minimum: true"),
    ("yes for text", "    title: Mentor\n", "    title: yes\n", 14, 5, "in quotes"),
    ("words for true/false", "    hours_per_month: 2\n", "    hours_per_month: 2\n    on_work_time: sometimes\n", 12, 5,
     "write true or false"),
    ("empty required value", "    summary: Guides the mentee.\n", "    summary:\n", 15, 5, "the value is empty"),
    ("missing field", "    summary: Leads their own learning.\n", "", 19, 5, "add 'summary: …'"),
    ("date in another form", "  switch_after: 6 weeks\n", "  switch_after: 6 weeks\n  start: 15/01/2027\n", 8, 3,
     "2027-01-15"),
    ("a date that does not exist", "  switch_after: 6 weeks\n", "  switch_after: 6 weeks\n  start: 2027-02-30\n",
     8, 10, "not a real date (day is out of range for month)"),
    ("id with capitals", "  - id: mentee\n", "  - id: Mentee\n", 19, 5, "lowercase"),
    ("field name with spaces", "    hours_per_month: 2\n", "    hours per month: 2\n", 11, 5, "did you mean 'hours_per_month'"),
    ("mapping written as text", "meetings:\n  one_to_one:\n    per_month: 2\n    hours_per_month: 2\n",
     "meetings: twice a month\n", 8, 1, "holds fields"),
    ("role ids on one line", "    email: coordinator@example.org\n",
     "    email: coordinator@example.org\nevents:\n  - id: kickoff\n    name: Kick-off\n    kind: orientation\n"
     "    attendees: mentor, mentee\n", 29, 5, "[mentor, mentee]"),
]


def problems_for(tmp_path, text):
    project = write_project(tmp_path, {"x": text})
    with pytest.raises(ConfigError) as caught:
        load_programs(project)
    return caught.value.problems


@pytest.mark.parametrize("name, old, new, line, column, advice", CATALOGUE, ids=[c[0] for c in CATALOGUE])
def test_a_mistake_is_reported_at_the_wrong_line_shown_with_a_caret_and_advice(tmp_path, name, old, new, line,
                                                                                column, advice):
    assert old in BASE
    text = BASE.replace(old, new, 1)
    (problem,) = problems_for(tmp_path, text)
    assert (problem.location.line, problem.location.column) == (line, column), problem.report()
    assert advice in problem.message, problem.report()
    shown = problem.excerpt.splitlines()
    wrong = text.splitlines()[line - 1].replace("\t", "→")
    assert f"{line:>5} | {wrong}" in shown, problem.report()
    assert shown[-1].startswith("      | ") and shown[-1].endswith("^"), problem.report()


def test_the_base_program_is_valid(tmp_path):
    assert [p.id for p in load_programs(write_project(tmp_path, {"x": BASE}))] == ["x"]


def test_an_excerpt_shows_no_control_character_and_keeps_the_caret_under_the_column():
    shown = excerpt("name: a\u202eb\ttitle: 日本x\n", 1, 20).splitlines()
    assert shown[0] == "    1 | name: a?b→title: 日本x"
    assert shown[1] == "      | " + " " * 19 + "  ^"  # the two wide characters take two columns each


yaml_lines = st.text(alphabet=" \t-:'\"[]{}#ab@|>*&!%,", max_size=14)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(yaml_lines, max_size=8))
def test_any_syntax_error_becomes_a_located_problem(lines):
    text = "\n".join(lines)
    try:
        yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        problem = syntax_problem(text, error, "x.yml")
        assert problem.message and problem.location.line
    except yaml.YAMLError:
        pass


program_lines = st.lists(st.sampled_from(BASE.splitlines()) | yaml_lines | st.sampled_from(
    ["!!int roles: 2", "? [a, b]\n: c", "x: !!float abc", "<<: {a: 1}", "b: &a [1, 2]", "c: *a", "d: 'é\u2028'",
     "e: \ufeffx", "f: {\ufeffa: 1, b: 2}", "- agree?ment", "f: [a?b, c]", "g: |\n  text\n   more", "h: 2027-02-30"]), max_size=14)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(program_lines)
def test_libyaml_reads_a_file_as_the_python_parser_does(lines):
    """Program files are parsed by libyaml when it can: whatever both parsers read, they read alike, to the
    column of every key and value (the marks every message is located by)."""
    from generator.config import yamlfile

    text = "\n".join(lines)
    try:
        fast: object = yamlfile._parsed_by_libyaml(text, "x.yml")
    except ConfigError as error:  # refused while building the data (a duplicate key...)
        fast = error.problems
    if fast is None:
        return  # not read by libyaml (a tab, a BOM, a syntax error): parse() reads it with PyYAML alone
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        slow: object = yamlfile._Builder(loader, "x.yml", text).document(node) if node is not None else None
    except ConfigError as error:
        slow = error.problems
    except yaml.YAMLError:
        return  # libyaml reads a few things PyYAML refuses ("[a?b]"): they are valid YAML
    if isinstance(fast, yamlfile.Document):
        assert isinstance(slow, yamlfile.Document) and (fast.data, fast.marks) == (slow.data, slow.marks)
    else:
        assert fast == slow


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(program_lines)
def test_a_program_file_is_read_or_refused_with_a_located_problem_never_a_traceback(tmp_path_factory, lines):
    from generator.config.yamlfile import parse

    path = tmp_path_factory.mktemp("yaml") / "x.yml"
    path.write_text("\n".join(lines), encoding="utf-8")
    try:
        parse(path, "x.yml")
    except ConfigError as error:
        assert all(problem.location.file == "x.yml" for problem in error.problems)


def test_a_key_that_cannot_be_read_is_refused_at_its_line(tmp_path):
    path = tmp_path / "x.yml"
    path.write_text("name: x\n!!int roles: 2\n")
    from generator.config.yamlfile import parse

    with pytest.raises(ConfigError) as caught:
        parse(path, "x.yml")
    assert caught.value.problems[0].location.line == 2 and "plain words" in caught.value.problems[0].message


def test_check_prints_the_line_and_caret_under_each_error(tmp_path):
    project = write_project(tmp_path, {"x": BASE.replace("    hours_per_month: 2\n", "    hours_per_month: four\n")})
    result = run("check", cwd=project)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: program-config/x.yml:11:5: meetings.one_to_one.hours_per_month: write the number in digits: 4, "
        "or 'blank'",
        "   11 |     hours_per_month: four",
        "      |                      ^",
    ]


def test_a_mistake_on_the_extends_line_shows_that_line(tmp_path):
    (problem,) = problems_for(tmp_path, "extends: _missing.yml\n" + BASE)
    assert problem.excerpt.splitlines()[0] == "    1 | extends: _missing.yml"


@pytest.mark.parametrize("word, number", [("twice", 2), ("once", 1), ("three", 3)])
def test_a_count_in_words_is_answered_with_its_digits(tmp_path, word, number):
    (problem,) = problems_for(tmp_path, BASE.replace("    per_month: 2\n", f"    per_month: {word}\n"))
    assert f"write the number in digits: {number}, or 'blank'" in problem.message


def test_advice_never_echoes_a_character_that_reorders_text(tmp_path):
    found = problems_for(tmp_path, BASE.replace("agency: City of Example", "agency City\u202e of Example"))
    found += problems_for(tmp_path / "b", BASE.replace("  - id: mentee", "  - id: Men\u202etee"))
    for problem in found:
        assert "\u202e" not in problem.report(), problem.report()
        assert problem.location.line in (2, 19)


def test_a_syntax_error_in_a_section_front_matter_is_shown_at_its_line(tmp_path):
    sections = {"guide/about.md": "---\ntitle: About\npage_break:false\n---\nText.\n",
                "guide/meetings.md": "---\ntitle: Meetings\n---\nText.\n"}
    project = write_project(tmp_path, {"x": BASE}, sections=sections)
    with pytest.raises(ContentError) as caught:
        load_library(project)
    problem = caught.value.problems[0]  # once for each document that has the section
    assert (problem.location.line, problem.location.column) == (3, 12), problem.report()
    assert problem.message.startswith("front matter: put a space after the colon")
    assert "    3 | page_break:false" in problem.excerpt
