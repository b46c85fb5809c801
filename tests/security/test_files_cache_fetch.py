"""file:// URLs in free text or markup: the cache hashes, and the PDF engine fetches, only regular
files whose real path (links resolved, '..' and percent-escapes decoded) is inside the project."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import pytest

from generator.cache import Cache, TextCache, pdf_entry_paths
from generator.pdf.weasy import ProjectOnlyFetcher
from tests.conftest import MINIMAL_PROGRAM, write_project
from tests.security.test_files_reading import HUGE, run_capped


def key_for(project: Path, html: str) -> str:
    return Cache(None, project).pdf_key(html, "", "p/guide")


@pytest.fixture
def project(tmp_path):
    return write_project(tmp_path / "project")


def lexically_inside(project: Path, target: Path) -> str:
    """A file:// URL that starts with the project folder but leads to `target` through '..'."""
    ups = "/..".join([""] * (len(project.parts)))
    return f"file://{project}{ups}{target}"


def test_cache_does_not_read_files_outside_the_project(project, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("one")
    os.symlink(outside, project / "theme" / "link.txt")
    html = (f"<p>See {lexically_inside(project, outside)} and file://{project}/theme/link.txt "
            f"and file://localhost{outside}</p>")
    before = key_for(project, html)
    outside.write_text("two: if this changes the key, the file was read")
    assert key_for(project, html) == before


def test_cache_never_reads_proc_files_through_dot_dot(project):
    """/proc/self/pagemap reports size 0 and never ends: reading it ate all memory."""
    url = lexically_inside(project, Path("/proc/self/pagemap"))
    code = ("import sys; from pathlib import Path; from generator.cache import Cache; "
            f"print(Cache(None, Path({str(project)!r})).pdf_key('<p>{url}</p>', '', 'p/guide'))")
    result = run_capped(["-c", code], project)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert len(result.stdout.strip()) == 64


def test_cache_does_hash_a_project_file_named_with_escapes(project):
    """The logo URL is percent-encoded (as_uri) and HTML-escaped in the attribute: decoded, the
    file is found and its content is part of the key (a changed logo re-renders the PDF)."""
    logo = project / "theme" / "my logo & co.png"
    logo.write_bytes(b"first")
    html = f'<img src="file://{project}/theme/my%20logo%20&amp;%20co.png" alt="">'
    before = key_for(project, html)
    logo.write_bytes(b"second")
    assert key_for(project, html) != before


def test_cache_skips_fifos_and_huge_files_in_the_project(project):
    os.mkfifo(project / "theme" / "pipe.png")
    with open(project / "theme" / "huge.png", "wb") as stream:
        stream.truncate(HUGE)
    html = f'<img src="file://{project}/theme/pipe.png"><img src="file://{project}/theme/huge.png">'
    code = ("from pathlib import Path; from generator.cache import Cache; "
            f"print(Cache(None, Path({str(project)!r})).pdf_key({html!r}, '', 'p/guide'))")
    result = run_capped(["-c", code], project)
    assert result.returncode == 0 and len(result.stdout.strip()) == 64, result.stderr


def test_free_text_file_url_does_not_break_or_leak_into_a_build(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET")
    data = copy.deepcopy(MINIMAL_PROGRAM)
    project = write_project(tmp_path / "project", {"p": data})
    pagemap = lexically_inside(project, Path("/proc/self/pagemap"))
    data["agency"] = pagemap  # on every PDF cover, so in the HTML the cache key is made from
    data["name"] = lexically_inside(project, secret)
    project = write_project(tmp_path / "project", {"p": data})
    result = run_capped(["build", "-q", "--jobs", "1", "--out", str(tmp_path / "out")], project)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr


def test_cached_entry_that_is_a_fifo_is_ignored_not_waited_for(project, tmp_path):
    folder = tmp_path / "cache"
    key = "ab" * 32
    pdf, meta = pdf_entry_paths(folder, key)
    pdf.parent.mkdir(parents=True)
    os.mkfifo(meta)
    code = ("from pathlib import Path; from generator.cache import Cache; "
            f"c = Cache(Path({str(folder)!r}), Path({str(project)!r})); print(c.get_pdf({key!r}, 'guide'))")
    assert run_capped(["-c", code], project).stdout.strip() == "None"
    meta.unlink()
    meta.write_text(json.dumps({"pages": 1, "sha256": "0" * 64, "size": HUGE, "fields": 0}))
    os.mkfifo(pdf)
    assert run_capped(["-c", code], project).stdout.strip() == "None"


@pytest.mark.parametrize("planted", ["", "-wal", "-shm"])
def test_a_text_database_that_is_a_fifo_or_a_link_is_never_opened(project, tmp_path, planted):
    """The text cache's database (or its log) planted as a FIFO would hang SQLite's first read, and as a
    link would write through it: the cache is left unused instead, and the build goes on without it."""
    folder = tmp_path / "cache"
    folder.mkdir()
    database = folder / f"{TextCache.FILE}{planted}"
    code = ("from pathlib import Path; from generator.cache import TextCache; "
            f"t = TextCache(Path({str(folder)!r}), ''); t.put('k', 'text'); print(t.get('k'), t.entries())")
    os.mkfifo(database)
    assert run_capped(["-c", code], project).stdout.strip() == "None set()"
    database.unlink()
    target = tmp_path / "elsewhere.sqlite"
    os.symlink(target, database)
    assert run_capped(["-c", code], project).stdout.strip() == "None set()"
    assert not target.exists()


# The PDF engine's URL fetcher


def fetch(project: Path, url: str) -> bytes | None:
    fetcher = ProjectOnlyFetcher(project)
    try:
        response = fetcher.fetch(url)
    except ValueError:
        assert fetcher.refused == [url]
        return None
    try:
        return response.read(64)  # never more: a refused 3 GB file served anyway must not fill memory
    finally:
        response.close()


def test_fetcher_serves_project_files_by_decoded_url(project):
    image = project / "theme" / "my logo.png"
    image.write_bytes(b"PNGDATA")
    assert fetch(project, image.as_uri()) == b"PNGDATA"
    assert fetch(project, f"file://localhost{project}/theme/my%20logo.png") == b"PNGDATA"
    assert fetch(project, "data:text/plain,hi") == b"hi"


def test_fetcher_refuses_everything_else(project, tmp_path):
    outside = tmp_path / "outside.png"
    outside.write_bytes(b"OUTSIDE")
    os.symlink(outside, project / "theme" / "link.png")
    os.symlink("/dev/zero", project / "theme" / "zero.png")
    os.mkfifo(project / "theme" / "pipe.png")
    with open(project / "theme" / "huge.png", "wb") as stream:
        stream.truncate(HUGE)
    for url in [f"file://{project}/theme/link.png", f"file://{project}/theme/zero.png",
                f"file://{project}/theme/pipe.png", f"file://{project}/theme/huge.png",
                lexically_inside(project, outside), f"file://{project}/theme/%2e%2e/%2e%2e/outside.png",
                f"file://otherhost{outside}", "http://127.0.0.1:9/x.png", "ftp://example.org/x"]:
        assert fetch(project, url) is None, url


def test_pdf_build_refuses_an_image_linked_outside_the_project(tmp_path):
    outside = tmp_path / "outside.png"
    outside.write_bytes(b"\x89PNG\r\n\x1a\n")
    sections = {"guide/about.md": "---\ntitle: A\n---\n<img src=\"../content/pic.png\" alt=\"p\">\n",
                "guide/meetings.md": "---\ntitle: M\n---\nok\n"}
    project = write_project(tmp_path / "project", sections=sections)
    os.symlink(outside, project / "content" / "pic.png")
    result = run_capped(["build", "-q", "--jobs", "1", "--no-cache", "--out", str(tmp_path / "out")], project)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "refused to fetch" in result.stderr and "pic.png" in result.stderr
