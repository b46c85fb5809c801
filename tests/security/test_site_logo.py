"""Logos: the real type from the bytes, a size limit, and no SVG that can run script or fetch
anything; each refusal a located error from `check`, before anything is built or published."""

from __future__ import annotations

import copy
import os
import struct
import zlib

import pytest
import yaml

from generator.build import build, check
from generator.config import ConfigError
from generator.logo import MAX_LOGO_BYTES
from tests.conftest import MINIMAL_PROGRAM, write_project

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">{}</svg>'
SAFE_SVG = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
            '<!-- Generator: an editor -->\n'
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" viewBox="0 0 10 10">'
            '<style>.a { fill: url(#g); }</style><defs><linearGradient id="g"><stop offset="0"/></linearGradient>'
            '<path id="p" d="M0 0h10v10z"/></defs><inkscape:layer/><use xlink:href="#p" class="a"/>'
            '<a href="#p"><text>Agency</text></a></svg>')


def png(width: int = 1, height: int = 1) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" + b"\x00\x00\x00\x00" * min(width, 4))) + chunk(b"IEND", b""))


def jpeg(width: int, height: int) -> bytes:
    frame = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + frame + b"\xff\xd9"


def project_with_logo(tmp_path, name: str, content: bytes | str | None):
    data = copy.deepcopy(MINIMAL_PROGRAM)
    data["branding"] = {"logo": name}
    project = write_project(tmp_path / "project", {"p": yaml.safe_dump(data, sort_keys=False)})
    if content is not None:
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    return project


def refused(tmp_path, name: str, content, message: str) -> None:
    project = project_with_logo(tmp_path, name, content)
    with pytest.raises(ConfigError) as caught:
        build(project, out=tmp_path / "out", jobs=1)
    (problem,) = caught.value.problems
    assert (problem.location.file, problem.field) == ("program-config/p.yml", "branding.logo")
    assert problem.location.line is not None  # the line of `logo:`
    assert message in problem.message, problem.message
    assert not (tmp_path / "out" / "p").exists()


@pytest.mark.parametrize("body, message", [
    ("<script>alert(localStorage.getItem('x'))</script>", "contains a <script> element"),
    ('<rect width="10" height="10" onclick="alert(1)"/>', "event handler (onclick on <rect>)"),
    ('<a href="javascript:alert(1)"><text>x</text></a>', "refers to 'javascript:alert(1)'"),
    ('<a xmlns:x="http://www.w3.org/1999/xlink" x:href="  java&#9;script:alert(1)"><text>x</text></a>',
     "refers to 'java\\tscript:alert(1)'"),
    ('<image href="https://tracker.example/pixel.png" width="1" height="1"/>', "refers to 'https://tracker.example"),
    ('<use href="other.svg#icon"/>', "refers to 'other.svg#icon'"),
    ('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>', "<foreignObject>"),
    ('<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>', "contains HTML (<script>)"),
    ('<h:iframe xmlns:h="http://www.w3.org/1999/xhtml" src="https://example.org"/>', "contains HTML (<iframe>)"),
    ("<style>@import url(https://example.org/x.css);</style>", "loads from elsewhere (@import)"),
    ("<style>rect { fill: u\\72l(https://example.org/x) }</style>", "CSS escape"),
    ('<rect style="fill: url(https://example.org/x#g)"/>', "refers to 'https://example.org/x#g'"),
    ('<a href="#x"><set attributeName="href" to="javascript:alert(1)"/><text>x</text></a>', "animates 'href'"),
])
def test_an_svg_that_could_run_script_or_fetch_is_refused(tmp_path, body, message):
    refused(tmp_path, "theme/logo.svg", SVG.format(body), message)


@pytest.mark.parametrize("content, message", [
    ('<!DOCTYPE svg [<!ATTLIST svg onload CDATA "alert(1)">]>' + SVG.format(""), "declares ATTLIST"),
    ('<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + SVG.format("<text>&b;</text>"),
     "declares ENTITY"),
    ('<?xml-stylesheet href="https://example.org/x.css"?>' + SVG.format(""), "processing instruction"),
    ("<svg><script>alert(1)</script></svg>", "root element is not <svg> in the SVG namespace"),
    ('<html><body><svg xmlns="http://www.w3.org/2000/svg"/></body></html>', "root element is not <svg>"),
    (SVG.format("<g>"), "not a valid SVG image (XML error at line 1"),
    (SVG.format("").encode("utf-16"), "is not an SVG image: its content is not a PNG, JPEG or SVG image"),
])
def test_an_svg_with_declarations_or_not_really_svg_is_refused(tmp_path, content, message):
    refused(tmp_path, "theme/logo.svg", content, message)


@pytest.mark.parametrize("name, content, message", [
    ("theme/logo.png", SVG.format("<script>alert(1)</script>"), "is not a PNG image: its content is an SVG image"),
    ("theme/logo.svg", png(), "is not an SVG image: its content is a PNG image"),
    ("theme/logo.jpg", b"GIF89a" + b"\x00" * 20, "is not a JPEG image: its content is not a PNG, JPEG or SVG image"),
    ("theme/logo.png", b"<html><script>alert(1)</script></html>", "its content is not a PNG, JPEG or SVG image"),
    ("theme/logo.png", png(100_000, 100_000), "is a 100000 × 100000 pixel PNG image"),
    ("theme/logo.jpeg", jpeg(20_000, 10), "is a 20000 × 10 pixel JPEG image"),
    ("theme/logo.png", b"\x89PNG\r\n\x1a\n", "damaged PNG"),
    ("theme/logo.gif", b"GIF89a", "must be a PNG, JPEG or SVG image"),
])
def test_the_type_comes_from_the_bytes_not_the_name(tmp_path, name, content, message):
    refused(tmp_path, name, content, message)


def test_a_huge_logo_is_refused_by_its_size_before_it_is_read(tmp_path):
    project = project_with_logo(tmp_path, "theme/logo.png", png())
    with open(project / "theme" / "logo.png", "r+b") as handle:  # sparse: 1.5 GB on paper, nothing on disk
        handle.truncate(1_500_000_000)
    with pytest.raises(ConfigError) as caught:
        check(project)
    (problem,) = caught.value.problems
    assert "is larger than" in problem.message and f"{MAX_LOGO_BYTES / 1_000_000:g} MB" in problem.message


def test_a_fifo_named_like_a_logo_is_refused_without_hanging(tmp_path):
    project = project_with_logo(tmp_path, "theme/logo.png", None)
    os.mkfifo(project / "theme" / "logo.png")
    with pytest.raises(ConfigError) as caught:
        check(project)
    assert "FIFO" in caught.value.problems[0].message


def test_a_safe_svg_is_published_as_checked(tmp_path):
    project = project_with_logo(tmp_path, "theme/logo.svg", SAFE_SVG)
    build(project, out=tmp_path / "out", jobs=1)
    assert (tmp_path / "out" / "p" / "assets" / "logo.svg").read_text() == SAFE_SVG
    assert 'src="assets/logo.svg"' in (tmp_path / "out" / "p" / "index.html").read_text()


@pytest.mark.parametrize("name, content", [("theme/logo.png", png(120, 40)), ("theme/logo.jpg", jpeg(120, 40)),
                                           ("theme/Logo.PNG", png())])
def test_real_images_pass(tmp_path, name, content):
    (program,) = check(project_with_logo(tmp_path, name, content))
    assert program.branding.logo == name
