"""Template rendering: strict, sandboxed, escaped, and blanks as write-in lines."""

from __future__ import annotations

import pytest

from generator.config import BLANK, ContentError, Duration
from generator.config.schema import OneToOne
from generator.templating import (
    WRITE_IN,
    frequency,
    hours,
    in_words,
    join_and,
    make_environment,
    render_template,
    times,
)


def render(tmp_path, text: str, **context) -> str:
    (tmp_path / "t.md").write_text(text)
    return render_template(make_environment(tmp_path), "t.md", context, "content/t.md")


def test_misspelt_name_is_an_error_with_file_and_line(tmp_path):
    with pytest.raises(ContentError) as caught:
        render(tmp_path, "line one\n\n{{ programme.name }}\n", program={})
    (problem,) = caught.value.problems
    assert str(problem.location) == "content/t.md:3"
    assert "'programme' is undefined" in problem.message


def test_missing_attribute_is_an_error_not_a_blank(tmp_path):
    with pytest.raises(ContentError) as caught:
        render(tmp_path, "{{ program.nmae }}", program={"name": "x"})
    assert "nmae" in caught.value.problems[0].message


def test_syntax_error_names_the_line(tmp_path):
    with pytest.raises(ContentError) as caught:
        render(tmp_path, "ok\n{% if %}\n")
    assert str(caught.value.problems[0].location) == "content/t.md:2"


@pytest.mark.parametrize("template", ["{{ ''.__class__ }}", "{{ ''.__class__.__mro__ }}",
                                      "{{ program.__init__.__globals__ }}", "{{ cycler.__init__ }}"])
def test_templates_cannot_reach_python_internals(tmp_path, template):
    with pytest.raises(ContentError):
        render(tmp_path, template, program="x")


@pytest.mark.parametrize("value, shown", [
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("</title>", "&lt;/title&gt;"),
    ("{{ 7*7 }}", "\\{\\{ 7\\*7 \\}\\}"),
    ("{% include 'x' %}", "\\{% include &#39;x&#39; %\\}"),
    ("*bold* [link](x)", "\\*bold\\* \\[link\\](x)"),
])
def test_config_values_print_literally(tmp_path, value, shown):
    assert render(tmp_path, "{{ name }}", name=value) == shown


def test_blank_and_none_print_as_write_in_lines(tmp_path):
    out = render(tmp_path, "at least {{ a }} hours, {{ b }}", a=BLANK, b=None)
    assert out == f"at least {WRITE_IN} hours, {WRITE_IN}"
    assert "None" not in out


def test_numbers_print_without_trailing_zero(tmp_path):
    assert render(tmp_path, "{{ a }} and {{ b }}", a=2.0, b=1.5) == "2 and 1.5"


@pytest.mark.parametrize("cadence, words", [
    (OneToOne(per_month=1), "once a month"),
    (OneToOne(per_month=2), "twice a month"),
    (OneToOne(per_month=3), "three times a month"),
    (OneToOne(every_weeks=2), "every two weeks"),
    (OneToOne(every_weeks=1), "every week"),
])
def test_frequency_in_words(cadence, words):
    assert frequency(cadence) == words


def test_blank_frequency_and_hours_keep_their_unit():
    assert frequency(OneToOne(per_month=BLANK)) == f"{WRITE_IN} times a month"
    assert hours(BLANK) == f"{WRITE_IN} hours"


def test_small_word_helpers():
    assert in_words(Duration(9, "month")) == "nine months"
    assert in_words(Duration(1, "year")) == "one year"
    assert times(2) == "twice" and times(1) == "once" and times(4) == "four times"
    assert hours(1) == "1 hour" and hours(1.5) == "1.5 hours" and hours(0.5) == "30 minutes"
    assert join_and(["a", "b", "c"]) == "a, b and c"
    assert join_and(["<x>"]) == "&lt;x&gt;"


def test_two_blanks_in_one_paragraph_stay_write_in_lines(tmp_path):
    import markdown
    out = render(tmp_path, "meet {{ a }} times for {{ b }} hours", a=BLANK, b=BLANK)
    html = markdown.markdown(out)
    assert "<strong>" not in html and "<em>" not in html
    assert html.count("&#95;" * 10) == 2


def test_runtime_template_errors_are_located(tmp_path):
    with pytest.raises(ContentError) as caught:
        render(tmp_path, "ok\n{% if 'a' is contains 'b' %}x{% endif %}\n")
    assert str(caught.value.problems[0].location).startswith("content/t.md")
