"""Markup, script and template syntax in config values print literally, in HTML and in PDFs,
and content templates cannot reach Python internals."""

from __future__ import annotations

import copy

import pytest
from pypdf import PdfReader

from generator.build import build
from generator.config import ContentError
from tests.conftest import MINIMAL_PROGRAM, write_project

HOSTILE = {
    "name": "<script>alert('x')</script> Mentoring",
    "agency": "</title><h1>Agency</h1>",
    "roles": [
        {"id": "mentor", "title": "{{ 7*7 }} Mentor", "summary": "{% include 'home.md' %}"},
        {"id": "mentee", "title": "Mentee *bold* [link](https://example.org)", "summary": "`code` | pipe"},
    ],
    "contacts": [{"role": "{{ ''.__class__ }}", "email": "<img src=x onerror=alert(1)>@example.org"}],
}

SECTIONS = {
    "guide/about.md": "---\ntitle: About {{ program.name }}\n---\n{{ program.name }} by {{ program.agency }}.\n\n"
                      "{% for role in program.roles %}- {{ role.title }}: {{ role.summary }}\n{% endfor %}\n"
                      "{% for c in program.contacts %}Contact {{ c.role }} at {{ c.email }}.\n{% endfor %}",
    "guide/meetings.md": "---\ntitle: Meetings\n---\nMeet {{ program.meetings.one_to_one | frequency }}.\n",
}


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    data = {**copy.deepcopy(MINIMAL_PROGRAM), **HOSTILE}
    project = write_project(root / "project", {"hostile": data}, sections=SECTIONS)
    build(project, out=root / "out", jobs=1)
    return root / "out" / "hostile"


def test_html_shows_values_as_text(hostile_build):
    page = (hostile_build / "guide" / "about.html").read_text()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "</title><h1>Agency" not in page and "&lt;/title&gt;&lt;h1&gt;Agency" in page
    assert "<img src=x" not in page
    assert "49 Mentor" not in page and "{{ 7*7 }} Mentor" in page
    assert "{% include &#39;home.md&#39; %}" in page or "{% include 'home.md' %}" in page
    assert "*bold* [link](https://example.org)" in page
    assert "<strong>bold</strong>" not in page and 'href="https://example.org"' not in page


def test_page_titles_and_index_escape_values(hostile_build):
    index = (hostile_build.parent / "index.html").read_text()
    assert "<script>alert" not in index
    home = (hostile_build / "index.html").read_text()
    assert "<script>alert('x')" not in home


def test_pdf_shows_values_as_text(hostile_build):
    reader = PdfReader(hostile_build / "pdf" / "guide.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "<script>alert('x')</script> Mentoring" in text
    assert "{{ 7*7 }} Mentor" in text and "49 Mentor" not in text
    assert "{{ ''.__class__ }}" in text
    assert reader.metadata.title.startswith("Program guide: <script>")


@pytest.mark.parametrize("template", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ program.__class__ }}",
    "{{ program.model_config }}x{{ program.__dict__ }}",
    "{{ role.__globals__ }}",
    "{{ lipsum.__globals__['os'] }}",
])
def test_templates_cannot_reach_python_internals(tmp_path, template):
    sections = {**SECTIONS, "guide/meetings.md": f"---\ntitle: M\n---\nok\n\n{template}\n"}
    project = write_project(tmp_path / "p", sections=sections)
    with pytest.raises(ContentError) as caught:
        build(project, out=tmp_path / "out", jobs=1)
    assert str(caught.value.problems[0].location) == "content/sections/guide/meetings.md:6"
