"""linkchecker finds no broken link in the built sites: every page, asset, PDF and calendar that a
page links to exists. Local files only: links to other sites are not followed (the build is offline).
And both site engines publish the same site: the same pages, PDFs and calendar, the same links."""

from __future__ import annotations

import csv
import fnmatch
import io
import posixpath
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.site.conftest import ENGINES, BuiltSite, missing


@pytest.fixture(scope="session")
def linkchecker() -> None:
    try:
        import linkcheck  # noqa: F401
    except ImportError:
        missing("the Python package linkchecker is not installed")


def test_no_broken_links(linkchecker, built_site: BuiltSite, tmp_path):
    config = tmp_path / "linkcheckerrc"
    config.write_text("[filtering]\ncheckextern=0\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "linkcheck", "--config", str(config), "--no-status", "--verbose",
         "--output", "csv", "--timeout", "20", str(built_site.root / "index.html")],
        check=False, capture_output=True, text=True, timeout=600)
    rows = list(csv.DictReader(io.StringIO("\n".join(
        line for line in result.stdout.splitlines() if not line.startswith("#"))), delimiter=";"))
    if not rows:
        pytest.fail(f"linkchecker gave no report (exit {result.returncode}):\n{result.stdout[-2000:]}\n"
                    f"{result.stderr[-2000:]}")
    local = [row for row in rows if row["url"].startswith("file:")]
    broken = [f"{row['parentname']}:{row['line']}: {row['urlname']} -> {row['result']}" for row in local
              if row["valid"] != "True"]
    warned = [f"{row['parentname']}:{row['line']}: {row['urlname']}: {row['warningstring']}" for row in local
              if row["warningstring"]]
    assert not broken, f"{len(broken)} broken links:\n" + "\n".join(broken[:50])
    assert not warned, f"{len(warned)} link warnings:\n" + "\n".join(warned[:50])
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    # It crawled the whole of every site from the programs index: each page was reached by a link.
    reached = {unquote(urlsplit(row["url"]).path) for row in local}
    unreached = [p for p in built_site.pages if str(built_site.root / p) not in reached]
    assert not unreached, f"pages no link leads to: {unreached}"


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_a_link_to_a_missing_heading_fails_the_build(engine, tmp_path):
    """linkchecker does not look inside pages for #anchors (too slow for every page); both site engines
    do, at build time (mkdocs.yml: validation.anchors: warn, with strict)."""
    from generator.build import build
    from generator.config import BuildError
    from tests.conftest import MINIMAL_SECTIONS, write_project

    ENGINES[engine].templates()  # installed, or skip (fail in CI)
    sections = dict(MINIMAL_SECTIONS)
    sections["guide/meetings.md"] += "        See [about](about.md#no-such-heading).\n"
    project = write_project(tmp_path / "project", sections=sections)
    with pytest.raises(BuildError) as caught:
        build(project, out=tmp_path / "out", cache_dir=False, site_engine=engine)
    problems = [str(problem) for problem in caught.value.problems]
    assert any("guide/meetings.md" in p and "anchor" in p for p in problems), problems
    # MkDocs names the anchor; Zensical gives the link's line and column instead.
    where = r"no-such-heading" if engine == "mkdocs" else r"^guide/meetings\.md:\d+:\d+: "
    assert any(re.search(where, p) for p in problems), problems


def local_links(page: Path, root: Path) -> set[str]:
    """Where a page's links lead, as paths from root, less the engine's own assets and other sites."""
    base = posixpath.dirname(page.relative_to(root).as_posix())
    found = set()
    for href in re.findall(r'href="([^"#?]*)', page.read_text(encoding="utf-8")):
        if href and not re.match(r"[a-z]+:", href) and "assets/" not in href:
            found.add(posixpath.normpath(posixpath.join(base, href)))
    return found


def test_both_engines_publish_the_same_site(real_sites):
    """The same page URLs, downloads, calendar and manifest (byte for byte, all but the pages), and every
    page links to the same pages, whichever engine builds the sites (the engines' own scripts, styles,
    search index and sitemap aside)."""
    for engine in ENGINES.values():
        engine.templates()  # every engine is installed, or skip (fail in CI) before building
    sites = {}
    for name, engine in ENGINES.items():
        root = real_sites(name)
        sites[name] = root, {
            path for path in (p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
            if not any(fnmatch.fnmatch(path.partition("/")[2], own) for own in engine.own_files)}
    (first, (root_a, files_a)), (second, (root_b, files_b)) = sorted(sites.items())
    assert files_a == files_b, (f"{first} only: {sorted(files_a - files_b)}; "
                                f"{second} only: {sorted(files_b - files_a)}")
    assert len([f for f in files_a if f.endswith(".pdf")]) >= 3 * 5
    differ = [f for f in sorted(files_a)
              if not f.endswith(".html") and (root_a / f).read_bytes() != (root_b / f).read_bytes()]
    assert not differ, f"files that differ between {first} and {second}: {differ}"
    assert "charlotte-sll/downloads.html" in local_links(root_a / "charlotte-sll" / "index.html", root_a)
    links = [f for f in sorted(files_a) if f.endswith(".html")
             and local_links(root_a / f, root_a) != local_links(root_b / f, root_b)]
    assert not links, f"pages whose links differ between {first} and {second}: {links}"
