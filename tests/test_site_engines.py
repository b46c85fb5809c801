"""Site engines: the choice of engine, and Zensical's diagnostics turned into located problems."""

from __future__ import annotations

import pytest

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


def test_a_broken_link_fails_the_zensical_build_with_its_location(tmp_path):
    pytest.importorskip("zensical")
    sections = {"guide/about.md": "---\ntitle: About\n---\nSee [the list](missing.md).\n",
                "guide/meetings.md": "---\ntitle: Meetings\n---\nMeet often.\n"}
    project = write_project(tmp_path / "p", sections=sections)
    with pytest.raises(BuildError) as caught:
        build(project, out=tmp_path / "out", jobs=1, cache_dir=False, site_engine="zensical")
    assert any(str(p).startswith("guide/about.md:") and "does not exist" in str(p) for p in caught.value.problems)
    assert not (tmp_path / "out" / "example").exists()
