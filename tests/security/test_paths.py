"""Paths stay inside the project: logos, bases and content resources; nothing is fetched."""

from __future__ import annotations

import copy
import os

import pytest

from generator.build import build
from generator.config import BuildError, ConfigError
from tests.conftest import MINIMAL_PROGRAM, write_project

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082")


def project_with_logo(tmp_path, logo: str):
    data = copy.deepcopy(MINIMAL_PROGRAM)
    data["branding"] = {"logo": logo}
    return write_project(tmp_path / "project", {"p": data})


@pytest.mark.parametrize("logo, message", [
    ("../../etc/passwd", "must be a file inside the project"),
    ("/etc/hostname", "must be a file inside the project"),
    ("https://example.org/logo.png", "must be a file inside the project"),
    ("theme/missing.png", "does not exist"),
    ("mkdocs.yml", "must be a PNG, JPEG or SVG image"),
])
def test_bad_logos_are_located_errors(tmp_path, logo, message):
    project = project_with_logo(tmp_path, logo)
    with pytest.raises(ConfigError) as caught:
        build(project, out=tmp_path / "out", jobs=1)
    (problem,) = caught.value.problems
    assert problem.location.file == "program-config/p.yml" and problem.field == "branding.logo"
    assert message in problem.message
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_symlinked_logo_leading_outside_is_refused(tmp_path):
    outside = tmp_path / "outside.png"
    outside.write_bytes(PNG)
    project = project_with_logo(tmp_path, "theme/logo.png")
    os.symlink(outside, project / "theme" / "logo.png")
    with pytest.raises(ConfigError, match="must be a file inside the project"):
        build(project, out=tmp_path / "out", jobs=1)


def test_logo_inside_the_project_is_used_on_cover_and_site(tmp_path):
    project = project_with_logo(tmp_path, "theme/logo.png")
    (project / "theme" / "logo.png").write_bytes(PNG)
    build(project, out=tmp_path / "out", jobs=1)
    assert (tmp_path / "out" / "p" / "assets" / "logo.png").read_bytes() == PNG


def test_symlinked_base_leading_outside_is_refused(tmp_path):
    outside = tmp_path / "evil.yml"
    outside.write_text("agency: Elsewhere\n")
    project = write_project(tmp_path / "project", {"p": {"extends": "_base.yml", **MINIMAL_PROGRAM}})
    os.symlink(outside, project / "program-config" / "_base.yml")
    with pytest.raises(ConfigError, match="is outside program-config/"):
        build(project, out=tmp_path / "out", jobs=1)


def test_content_cannot_include_files_outside_content(tmp_path):
    sections = {"guide/about.md": "---\ntitle: A\n---\n{% include '../../mkdocs.yml' %}\n",
                "guide/meetings.md": "---\ntitle: M\n---\nok\n"}
    project = write_project(tmp_path / "project", sections=sections)
    with pytest.raises(Exception) as caught:
        build(project, out=tmp_path / "out", jobs=1)
    assert "template not found" in str(caught.value)


def test_pdf_engine_fetches_nothing_outside_the_project(tmp_path):
    sections = {"guide/about.md": "---\ntitle: A\n---\n<img src=\"http://127.0.0.1:9/x.png\" alt=\"x\">\n\n"
                                  "<img src=\"file:///etc/passwd\" alt=\"y\">\n",
                "guide/meetings.md": "---\ntitle: M\n---\nok\n"}
    project = write_project(tmp_path / "project", sections=sections)
    with pytest.raises(BuildError) as caught:
        build(project, out=tmp_path / "out", jobs=1)
    text = str(caught.value)
    assert "refused to fetch http://127.0.0.1:9/x.png" in text and "refused to fetch file:///etc/passwd" in text
