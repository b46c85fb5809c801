"""Site engines: the choice of engine, and Zensical's diagnostics turned into located problems."""

from __future__ import annotations

import json

import pytest

import generator.build as build_module
from generator.build import build
from generator.config import BuildError
from generator.site.engines import configured_engine, zensical_problems
from tests.conftest import write_project

ZENSICAL_OUTPUT = """\
Build started
Warning: page does not exist
    ╭─[ downloads.md:27:10 ]
    │
 27 │ [broken](nowhere.md) and [anchor](#nope)
    │          ───┬──
    │             ╰──── page does not exist
────╯
\x1b[33mWarning:\x1b[0m anchor does not exist
    \x1b[38;5;246m╭─[ program-guide/timeline.md:3:36 ]\x1b[0m
2 issues found
"""


def test_zensical_diagnostics_become_located_problems():
    problems = [str(p) for p in zensical_problems(ZENSICAL_OUTPUT)]
    assert problems == ["downloads.md:27:10: page does not exist",
                        "program-guide/timeline.md:3:36: anchor does not exist"]


def test_engine_comes_from_the_command_line_then_mkdocs_yml(tmp_path):
    project = write_project(tmp_path / "p")
    assert configured_engine(project) == "mkdocs"
    assert configured_engine(project, "zensical") == "zensical"
    (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text() + "\nsite_engine: zensical\n")
    assert configured_engine(project) == "zensical"
    with pytest.raises(BuildError) as caught:
        configured_engine(project, "hugo")
    assert "'hugo' is not a site engine; choose one of mkdocs, zensical" in str(caught.value)


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_both_engines_build_the_same_pages(tmp_path, engine):
    pytest.importorskip(engine)
    out = tmp_path / "out"
    build(write_project(tmp_path / "p"), out=out, jobs=1, cache_dir=False, site_engine=engine)
    program = out / "example"
    for page in ["index.html", "downloads.html", "guide/index.html", "guide/about.html", "pdf/guide.pdf"]:
        assert (program / page).is_file(), (engine, page)
    assert not (program / "404.html").exists()
    assert "Example Mentoring" in (program / "guide" / "about.html").read_text()
    pages = json.loads((program / "manifest.json").read_text())["documents"][0]["pages"]
    assert f"{pages} page{'s' if pages > 1 else ''} · PDF" in (program / "downloads.html").read_text()


def test_a_broken_link_fails_the_zensical_build_with_its_location(tmp_path):
    pytest.importorskip("zensical")
    sections = {"guide/about.md": "---\ntitle: About\n---\nSee [the list](missing.md).\n",
                "guide/meetings.md": "---\ntitle: Meetings\n---\nMeet often.\n"}
    project = write_project(tmp_path / "p", sections=sections)
    with pytest.raises(BuildError) as caught:
        build(project, out=tmp_path / "out", jobs=1, cache_dir=False, site_engine="zensical")
    assert any(str(p).startswith("guide/about.md:") and "does not exist" in str(p) for p in caught.value.problems)
    assert not (tmp_path / "out" / "example").exists()


def test_mkdocs_builds_the_other_pages_while_the_pdfs_render(tmp_path, monkeypatch):
    """Only the pages that show the PDFs (each document's index, Downloads) wait for them; they come last,
    with the PDFs' real page counts."""
    seen_when_waiting: list[set[str]] = []
    collect = build_module.collect_pdfs

    def watched_collect(plan, *args, **kwargs):
        site = plan.staging / "site"
        seen_when_waiting.append({p.relative_to(site).as_posix() for p in site.rglob("*.html")})
        return collect(plan, *args, **kwargs)

    monkeypatch.setattr(build_module, "collect_pdfs", watched_collect)
    out = tmp_path / "out"
    (report,) = build(write_project(tmp_path / "p"), out=out, jobs=1, cache_dir=False)
    (before,) = seen_when_waiting
    assert {"index.html", "guide/about.html", "guide/meetings.html"} <= before
    assert not {"downloads.html", "guide/index.html"} & before
    pages = report.documents[0].pages
    assert pages > 0
    assert f"Download the PDF ({pages} page" in (out / "example" / "guide" / "index.html").read_text()
    assert f"{pages} page{'s' if pages > 1 else ''} · PDF" in (out / "example" / "downloads.html").read_text()
    assert (out / "example" / "pdf" / "guide.pdf").read_bytes().startswith(b"%PDF")


def test_an_edited_theme_template_shows_in_the_next_build_of_the_same_process(tmp_path):
    """Compiled templates are kept between MkDocs builds, by the template's source: an edit is seen."""
    project, out = write_project(tmp_path / "p"), tmp_path / "out"
    build(project, out=out, jobs=1, cache_dir=False)
    footer = project / "theme" / "overrides" / "partials" / "footer.html"
    footer.write_text(footer.read_text() + "\n<!-- edited footer -->\n")
    build(project, out=out, jobs=1, cache_dir=False)
    assert "<!-- edited footer -->" in (out / "example" / "guide" / "about.html").read_text()


def test_a_file_added_to_the_projects_theme_is_published_by_the_next_build_of_the_same_process(tmp_path):
    """The installed theme's files are listed once per process; the project's own theme folder every build."""
    project, out = write_project(tmp_path / "p"), tmp_path / "out"
    build(project, out=out, jobs=1, cache_dir=False)
    added = project / "theme" / "overrides" / "assets" / "stamp.svg"
    added.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    build(project, out=out, jobs=1, cache_dir=False)
    assert (out / "example" / "assets" / "stamp.svg").read_text() == added.read_text()
    assert list((out / "example" / "assets" / "javascripts").glob("bundle.*.min.js"))  # Material's, listed once
