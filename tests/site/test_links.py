"""linkchecker finds no broken link in the built sites: every page, asset, PDF and calendar that a
page links to exists. Local files only: links to other sites are not followed (the build is offline)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from urllib.parse import unquote, urlsplit

import pytest

from tests.site.conftest import BuiltSite, missing


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


def test_a_link_to_a_missing_heading_fails_the_build(tmp_path):
    """linkchecker does not look inside pages for #anchors (too slow for every page); MkDocs does, at
    build time (mkdocs.yml: validation.anchors: warn, with strict)."""
    from generator.build import build
    from generator.config import BuildError
    from tests.conftest import MINIMAL_SECTIONS, write_project

    sections = dict(MINIMAL_SECTIONS)
    sections["guide/meetings.md"] += "        See [about](about.md#no-such-heading).\n"
    project = write_project(tmp_path / "project", sections=sections)
    with pytest.raises(BuildError, match="no-such-heading"):
        build(project, out=tmp_path / "out", cache_dir=False)
