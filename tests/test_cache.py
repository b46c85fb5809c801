"""The build cache: change each kind of input and exactly the right outputs are rebuilt;
a damaged or half-written cache is never trusted."""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path

import pytest

from generator.build import build
from generator.cache import TextCache
from tests.conftest import MINIMAL_DOCUMENTS, MINIMAL_PROGRAM, MINIMAL_SECTIONS, write_project

DOCUMENTS = copy.deepcopy(MINIMAL_DOCUMENTS)
DOCUMENTS["documents"].append({"id": "notes", "title": "Meeting notes", "kind": "guide", "audience": "All",
                               "description": "Notes.", "sections": ["guide/meetings"]})


@pytest.fixture
def two_programs(tmp_path):
    other = {**copy.deepcopy(MINIMAL_PROGRAM), "name": "Other Mentoring"}
    project = write_project(tmp_path / "project", {"one": MINIMAL_PROGRAM, "two": other}, documents=DOCUMENTS)
    return project, tmp_path / "out"


def rendered(reports) -> dict[str, list[str]]:
    return {r.program.id: sorted(r.rendered) for r in reports}


def sites_built(reports) -> dict[str, bool]:
    return {r.program.id: r.site_built for r in reports}


def digest_tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_no_change_rebuild_renders_nothing(two_programs):
    project, out = two_programs
    first = build(project, out=out, jobs=1)
    assert rendered(first) == {"one": ["guide", "notes"], "two": ["guide", "notes"]}
    before = digest_tree(out)
    again = build(project, out=out, jobs=1)
    assert rendered(again) == {"one": [], "two": []}
    assert sites_built(again) == {"one": False, "two": False}
    assert digest_tree(out) == before


def test_changing_one_program_rebuilds_only_that_program(two_programs):
    project, out = two_programs
    build(project, out=out, jobs=1)
    path = project / "program-config" / "two.yml"
    path.write_text(path.read_text().replace("Other Mentoring", "Other Mentoring Program"))
    again = build(project, out=out, jobs=1)
    assert rendered(again) == {"one": [], "two": ["guide", "notes"]}
    assert sites_built(again) == {"one": False, "two": True}


def test_changing_one_section_rebuilds_only_documents_that_use_it(two_programs):
    project, out = two_programs
    build(project, out=out, jobs=1)
    section = project / "content" / "sections" / "guide" / "about.md"
    section.write_text(section.read_text() + "\nA new sentence.\n")
    again = build(project, out=out, jobs=1)
    assert rendered(again) == {"one": ["guide"], "two": ["guide"]}   # 'notes' does not use about.md
    assert "A new sentence." in (out / "one" / "guide" / "about.html").read_text()


def test_theme_change_rebuilds_every_pdf(two_programs):
    project, out = two_programs
    build(project, out=out, jobs=1)
    css = project / "theme" / "print.css"
    css.write_text(css.read_text() + "\nh2 { letter-spacing: 0.01em; }\n")
    again = build(project, out=out, jobs=1)
    assert rendered(again) == {"one": ["guide", "notes"], "two": ["guide", "notes"]}


def test_engine_version_change_invalidates(two_programs, monkeypatch):
    project, out = two_programs
    build(project, out=out, jobs=1)
    from importlib import metadata
    real = metadata.version
    monkeypatch.setattr(metadata, "version", lambda name: "999" if name == "weasyprint" else real(name))
    again = build(project, out=out, jobs=1)
    assert rendered(again) == {"one": ["guide", "notes"], "two": ["guide", "notes"]}


def test_damaged_cache_entries_are_ignored_and_rebuilt(two_programs):
    project, out = two_programs
    build(project, out=out, jobs=1)
    good = digest_tree(out)
    entries = sorted((project / ".handbook-cache" / "pdf").rglob("*.pdf"))
    entries[0].write_bytes(entries[0].read_bytes()[:-100] + b"garbage")      # damaged bytes
    entries[1].with_suffix(".json").write_text("{not json")                  # damaged metadata
    entries[2].with_suffix(".json").unlink()                                  # killed before metadata
    again = build(project, out=out.with_name("again"), jobs=1)  # a new folder: the entries are needed
    assert sum(len(v) for v in rendered(again).values()) == 3
    assert digest_tree(out.with_name("again")) == good


def test_parallel_and_serial_builds_are_byte_identical(tmp_path):
    project = write_project(tmp_path / "project", {"one": MINIMAL_PROGRAM}, documents=DOCUMENTS)
    build(project, out=tmp_path / "serial", jobs=1, cache_dir=False)
    build(project, out=tmp_path / "parallel", jobs=2, cache_dir=False)
    assert digest_tree(tmp_path / "serial") == digest_tree(tmp_path / "parallel")


def test_no_cache_option_leaves_no_cache(tmp_path):
    project = write_project(tmp_path / "project", sections=MINIMAL_SECTIONS)
    reports = build(project, out=tmp_path / "out", jobs=1, cache_dir=False)
    assert rendered(reports) == {"example": ["guide"]}
    assert not (project / ".handbook-cache").exists()


def test_a_pdf_from_the_cache_comes_with_its_thumbnail(two_programs):
    project, out = two_programs
    build(project, out=out, jobs=1)
    again = build(project, out=out.with_name("again"), jobs=1)  # a new folder: every PDF from the cache
    assert rendered(again) == {"one": [], "two": []}
    for program in ("one", "two"):
        thumbnail = out.with_name("again") / program / "pdf" / "guide.png"
        assert thumbnail.read_bytes() == (out / program / "pdf" / "guide.png").read_bytes()


def test_a_damaged_cached_thumbnail_renders_its_pdf_again(two_programs):
    project, out = two_programs
    build(project, out=out, jobs=1)
    good = digest_tree(out)
    thumbnail = sorted((project / ".handbook-cache" / "pdf").rglob("*.png"))[0]
    thumbnail.write_bytes(thumbnail.read_bytes()[:-10])
    again = build(project, out=out.with_name("again"), jobs=1)
    assert sum(len(v) for v in rendered(again).values()) == 1
    assert digest_tree(out.with_name("again")) == good


def test_a_no_change_rebuild_does_not_render_the_pages_again(two_programs, monkeypatch):
    """Inputs unchanged and the output whole: neither PDF HTML nor site pages are rendered."""
    project, out = two_programs
    first = build(project, out=out, jobs=1)
    from generator import build as build_module

    def refuse(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(build_module, "plan_pdfs", refuse)
    monkeypatch.setattr(build_module.PdfPool, "warm_up", refuse)  # no worker is started for nothing
    again = build(project, out=out, jobs=1)
    assert rendered(again) == {"one": [], "two": []} and sites_built(again) == {"one": False, "two": False}
    assert [(r.pages, len(r.documents)) for r in again] == [(r.pages, len(r.documents)) for r in first]


def test_a_pdf_deleted_from_the_output_is_put_back(two_programs):
    project, out = two_programs
    build(project, out=out, jobs=1)
    good = digest_tree(out)
    (out / "one" / "pdf" / "guide.pdf").unlink()
    again = build(project, out=out, jobs=1)
    assert rendered(again) == {"one": [], "two": []}  # from the cache
    assert sites_built(again) == {"one": True, "two": False}
    assert digest_tree(out) == good


def test_a_changed_logo_outside_the_source_folders_rebuilds_its_program(two_programs):
    project, out = two_programs
    logo = project / "branding" / "logo.svg"
    logo.parent.mkdir()
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>')
    path = project / "program-config" / "one.yml"
    path.write_text(path.read_text() + "branding:\n  logo: branding/logo.svg\n")
    build(project, out=out, jobs=1)
    logo.write_text(logo.read_text().replace('width="10" height="10"/>', 'width="5" height="10"/>'))
    again = build(project, out=out, jobs=1)
    assert rendered(again) == {"one": ["guide", "notes"], "two": []}


def test_an_output_folder_built_earlier_is_not_taken_for_current_after_another_was_built(two_programs):
    """Keys are kept per output folder: a change built into B does not make A's older output pass."""
    project, out = two_programs
    build(project, out=out, jobs=1)
    section = project / "content" / "sections" / "guide" / "about.md"
    section.write_text(section.read_text() + "\nA new sentence.\n")
    build(project, out=out.with_name("b"), jobs=1)
    build(project, out=out, jobs=1)
    assert "A new sentence." in (out / "one" / "guide" / "about.html").read_text()


def test_pages_from_the_page_cache_equal_pages_rendered_afresh(tmp_path):
    """A page whose inputs did not change comes from the page cache: after each kind of edit, the site built
    with a warm cache is byte for byte the site built with none, and only the changed pages were rendered."""
    project, cache = write_project(tmp_path / "p"), tmp_path / "cache"
    sections = project / "content" / "sections" / "guide"
    program = project / "program-config" / "example.yml"
    footer = project / "theme" / "overrides" / "partials" / "footer.html"
    stored = lambda: TextCache(cache, "").entries()  # noqa: E731  # pages and conversions

    def built_alike(label: str) -> None:
        with_cache, without = tmp_path / f"{label}-cached", tmp_path / f"{label}-fresh"
        build(project, out=with_cache, jobs=1, cache_dir=cache)
        build(project, out=without, jobs=1, cache_dir=False)
        assert tree_bytes(with_cache) == tree_bytes(without), label

    built_alike("cold")
    every_page = stored()
    assert {kind for _, kind in every_page} == {"html", "json", "print", "search"}
    edits = {
        "section text": lambda: (sections / "meetings.md").write_text((sections / "meetings.md").read_text() + "\nBring notes.\n"),
        "a heading": lambda: (sections / "meetings.md").write_text((sections / "meetings.md").read_text() + "\n## Agenda\n\nFirst.\n"),
        "program name": lambda: program.write_text(program.read_text().replace("Example Mentoring", "Sample Mentoring")),
        "theme template": lambda: footer.write_text(footer.read_text() + "\n<!-- edited -->\n"),
    }
    for label, edit in edits.items():
        before = stored()
        edit()
        built_alike(label)
        if label in ("section text", "a heading"):  # one page's text: that page (and the PDF pages) made again
            assert 0 < len(stored() - before) < len(every_page) / 2, label


def test_a_new_process_takes_compiled_templates_from_the_cache(tmp_path, monkeypatch):
    """The content's and the theme's templates compile once per cache, not once per `handbook build`: a
    build whose process has compiled nothing (no template in memory) parses no template file."""
    import jinja2

    from generator.site import mkdocs_events

    project, cache = write_project(tmp_path / "p"), tmp_path / "cache"
    parsed: list[str] = []
    parse = jinja2.Environment._parse

    def counted(self, source, name, filename):  # type: ignore[no-untyped-def]
        if filename:  # a template file (inline templates, from strings, are never kept)
            parsed.append(name)
        return parse(self, source, name, filename)

    monkeypatch.setattr(jinja2.Environment, "_parse", counted)
    for attempt, cache_dir in enumerate([cache, cache, False]):
        monkeypatch.setattr(mkdocs_events, "THEME_TEMPLATES", {})  # as in a new process
        parsed.clear()
        build(project, out=tmp_path / f"out{attempt}", jobs=1, cache_dir=cache_dir)
        if attempt == 0:
            assert "main.html" in parsed and any(name.endswith(".md") for name in parsed)
        elif attempt == 1:
            assert parsed == []
        else:
            assert "main.html" in parsed  # without the cache, compiled again


def test_a_damaged_text_database_is_started_afresh(tmp_path):
    """A text cache that is not a database (cut short, overwritten) costs a cold build, not a failed one."""
    project, cache = write_project(tmp_path / "p"), tmp_path / "cache"
    cache.mkdir()
    (cache / TextCache.FILE).write_bytes(b"not a database, " * 512)
    build(project, out=tmp_path / "out", jobs=1, cache_dir=cache)
    assert (tmp_path / "out" / "example" / "guide" / "about.html").is_file()
    assert {kind for _, kind in TextCache(cache, "").entries()} == {"html", "json", "print", "search"}


def test_text_cache_entries_are_kept_by_key_and_kind(tmp_path):
    texts = TextCache(tmp_path / "cache", "salt")
    key = texts.key(["a", "b"])
    assert texts.get(key) is None
    texts.put(key, "page", "html")
    texts.put(key, "conversion", "json")
    texts.put(key, "page, again", "html")
    again = TextCache(tmp_path / "cache", "salt")  # another connection, as another build would open
    assert (again.get(key, "html"), again.get(key, "json"), again.get(key, "print")) == ("page, again", "conversion", None)
    assert again.entries() == {(key, "html"), (key, "json")}


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_plugin_the_page_cache_does_not_know_turns_it_off(tmp_path):
    """Another MkDocs plugin could put anything into a page's context: then every page is rendered."""
    project, cache = write_project(tmp_path / "p"), tmp_path / "cache"
    settings = project / "mkdocs.yml"
    settings.write_text(settings.read_text().replace("  - offline\n", "  - offline\n  - tags\n"))
    build(project, out=tmp_path / "out", jobs=1, cache_dir=cache)
    assert (tmp_path / "out" / "example" / "guide" / "about.html").is_file()
    assert "html" not in {kind for _, kind in TextCache(cache, "").entries()}


def test_a_link_to_a_heading_removed_from_another_page_fails_a_build_with_a_warm_cache(tmp_path):
    """The linking page's Markdown is unchanged, so its conversion comes from the cache: the links it holds
    come with it, and the removed heading is still found missing."""
    from generator.config import BuildError

    sections = dict(MINIMAL_SECTIONS)
    sections["guide/about.md"] += "\n        ## History\n\n        Founded long ago.\n"
    sections["guide/meetings.md"] += "        See [the history](about.md#history).\n"
    project, cache = write_project(tmp_path / "p", sections=sections), tmp_path / "cache"
    build(project, out=tmp_path / "out", jobs=1, cache_dir=cache)
    about = project / "content" / "sections" / "guide" / "about.md"
    about.write_text(about.read_text().replace("## History", "## Origins"))
    with pytest.raises(BuildError) as caught:
        build(project, out=tmp_path / "out", jobs=1, cache_dir=cache)
    assert any("guide/meetings.md" in str(p) and "history" in str(p) for p in caught.value.problems)


def test_a_link_to_a_missing_page_fails_every_build_with_a_warm_cache(tmp_path):
    """A conversion that logged a message is not kept, so the message (here: a failed strict build) comes again."""
    from generator.config import BuildError

    sections = dict(MINIMAL_SECTIONS)
    sections["guide/meetings.md"] += "        See [the rules](rules.md).\n"
    project, cache = write_project(tmp_path / "p", sections=sections), tmp_path / "cache"
    for _ in range(2):
        with pytest.raises(BuildError) as caught:
            build(project, out=tmp_path / "out", jobs=1, cache_dir=cache)
        assert any("rules.md" in str(p) for p in caught.value.problems)
