"""Content templates: includes resolve inside content/, and every template failure is a located
ContentError (file:line), never a traceback."""

from __future__ import annotations

import os

import pytest

from generator.build import build
from generator.config import ContentError, load_programs
from generator.content import load_library
from generator.render import Renderer
from tests.conftest import write_project
from tests.security.test_files_reading import HUGE, assert_refused, run_capped

SECTIONS = {"guide/meetings.md": "---\ntitle: Meetings\n---\nok\n"}


def render_all(project):
    library = load_library(project)
    for program in load_programs(project, documents={d.id for d in library.documents}):
        for target in ("site", "pdf"):
            renderer = Renderer(library, program, target)
            for spec in renderer.published:
                renderer.document(spec)


def project_with(tmp_path, about: str, **files: str):
    project = write_project(tmp_path / "project", sections={"guide/about.md": about, **SECTIONS})
    for name, text in files.items():
        path = project / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return project


def the_problem(project):
    with pytest.raises(ContentError) as caught:
        render_all(project)
    (problem,) = caught.value.problems
    return problem


@pytest.mark.parametrize("statement", [
    "{% include 'sections/guide/secret.md' %}",
    "{% include 'sections/guide/secret.md' ignore missing %}",
    "{% include ['sections/guide/nothing.md', 'sections/guide/secret.md'] %}",
    "{% import 'sections/guide/secret.md' as secret %}",
    "{% from 'sections/guide/secret.md' import x %}",
    "{% extends 'sections/guide/secret.md' %}",
])
def test_template_through_a_link_leading_out_of_content_is_refused(tmp_path, statement):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-OUTSIDE-CONTENT\n")
    project = project_with(tmp_path, f"---\ntitle: About\n---\nIntro\n\n{statement}\n")
    os.symlink(secret, project / "content" / "sections" / "guide" / "secret.md")
    problem = the_problem(project)
    assert (problem.location.file, problem.location.line) == ("content/sections/guide/about.md", 6)
    assert "'sections/guide/secret.md' is a link leading outside content/" in problem.message


def test_include_of_a_project_file_outside_content_is_refused(tmp_path):
    """Inside the project but outside content/ (mkdocs.yml) through a link: still refused."""
    project = project_with(tmp_path, "---\ntitle: About\n---\n{% include 'sections/guide/conf.md' %}\n")
    os.symlink(project / "mkdocs.yml", project / "content" / "sections" / "guide" / "conf.md")
    problem = the_problem(project)
    assert problem.location.line == 4 and "leading outside content/" in problem.message


@pytest.mark.parametrize("make, why", [
    (os.mkfifo, "is a FIFO (named pipe), not a regular file"),
    (lambda path: os.symlink("/dev/zero", path), "is a link leading outside content/"),
    (lambda path: os.truncate(path, HUGE) if path.touch() is None else None, "is larger than 2 MB"),
])
def test_include_of_a_hostile_file_is_refused_even_with_ignore_missing(tmp_path, make, why):
    project = project_with(tmp_path, "---\ntitle: About\n---\n{% include 'parts/x.md' ignore missing %}\n")
    (project / "content" / "parts").mkdir()
    make(project / "content" / "parts" / "x.md")
    # in a capped child process: a build that read the 3 GB file dies of MemoryError, not the test run
    result = run_capped(["build", "-q", "--jobs", "1", "--no-cache", "--out", str(tmp_path / "out")], project)
    assert_refused(result, "content/sections/guide/about.md:4", f"'parts/x.md' {why}")


def test_include_inside_content_still_works(tmp_path):
    project = project_with(tmp_path, "---\ntitle: About\n---\n{% include 'parts/linked.md' %}\n",
                           **{"parts/real.md": "Included {{ program.name }}\n"})
    os.symlink("real.md", project / "content" / "parts" / "linked.md")
    library = load_library(project)
    (program,) = load_programs(project)
    document = Renderer(library, program, "site").document(library.documents[0])
    assert "Included Example Mentoring" in document.sections[0].markdown


@pytest.mark.parametrize("body, line, message", [
    ("Text\n\n{{ 'x'.encode('rot13') }}\n", 6, "'rot13' is not a text encoding"),
    ("Text\n\n{{ 'x'.encode('zlib') }}\n", 6, "is not a text encoding"),
    ("{% macro again(n) %}\n{{ again(n) }}\n{% endmacro %}\n{{ again(1) }}\n", None, "too deeply nested"),
    ("Text\n{% include 'sections/guide/about.md' %}\n", 5, "too deeply nested"),
    ("Text\n{{ '%(a)s' % {} }}\n", 5, "template error"),
    ("Text\n{{ program.name.encode('utf-8').decode('utf-16') }}\n", 5, "template error"),
])
def test_every_template_failure_is_a_located_content_error(tmp_path, body, line, message):
    project = project_with(tmp_path, f"---\ntitle: About\n---\n{body}")
    problem = the_problem(project)
    assert problem.location.file == "content/sections/guide/about.md"
    if line is not None:
        assert problem.location.line == line
    else:
        assert problem.location.line is not None
    assert message in problem.message
    assert "Traceback" not in str(problem)


def test_failure_in_a_title_is_a_content_error(tmp_path):
    project = project_with(tmp_path, "---\ntitle: About {{ 'x'.encode('rot13') }}\n---\nText\n")
    problem = the_problem(project)
    assert problem.location.file == "content/sections/guide/about.md"
    assert "'rot13' is not a text encoding" in problem.message


def test_home_page_failure_is_a_located_content_error_and_nothing_is_published(tmp_path):
    project = project_with(tmp_path, "---\ntitle: About\n---\nText\n")
    (project / "content" / "home.md").write_text("# Home\n\n{{ 'x'.encode('rot13') }}\n")
    with pytest.raises(ContentError) as caught:
        build(project, out=tmp_path / "out", jobs=1, cache_dir=False)
    (problem,) = caught.value.problems
    assert (problem.location.file, problem.location.line) == ("content/home.md", 3)
    assert not any(p.name != ".handbook.lock" for p in (tmp_path / "out").iterdir())
