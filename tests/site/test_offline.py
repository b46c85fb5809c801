"""The sites work opened from disk (file://), search included, and ask nothing of the network.

Both engines' search runs in a Web Worker, which a file:// page cannot start, and fetches its index
(Material: search/search_index.json, Zensical: search.json), which a file:// page cannot fetch. The
`offline` plugin (mkdocs.yml; both engines have it) also writes the index as a script (Material:
search/search_index.js, Zensical: search.js) and adds the iframe-worker shim, which the theme ships
(theme/<overrides>/assets/javascripts/iframe-worker, one identical copy per engine) instead of
loading it from a CDN at run time. Over http the shim stays out of the way
(tests/site/test_end_to_end.py searches over http)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.site.conftest import ENGINES, PROGRAMS, BuiltSite

SHIM = "assets/javascripts/iframe-worker/shim.js"
SHIM_SHA256 = "e8e412dbcfea9b7e31b5ffa288d7b6035915e714c542f4176a0cdbe262fc9609"  # iframe-worker 1.0.4
# One query per program, and the page it must lead to.
QUERY = ("conversation starters", "mentee-workbook/conversation-starters.html", "Conversation starters")


@pytest.fixture
def offline_page(page):
    """A page that may load file:// URLs only: any other request is refused and recorded."""
    asked: list[str] = []

    def refuse(route):
        asked.append(route.request.url)
        route.abort()

    page.route(re.compile(r"^(?!file:).*"), refuse)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    yield page
    assert not asked, f"requests that leave the machine: {asked}"
    assert not errors, errors


@pytest.mark.parametrize("program", PROGRAMS)
def test_search_works_from_disk(program, built_site: BuiltSite, offline_page):
    page = offline_page
    query, target, title = QUERY
    page.goto((built_site.root / program / "index.html").as_uri())
    assert page.evaluate("location.protocol") == "file:"
    built_site.engine.search(page, query)
    result = built_site.engine.result(page, target)
    result.wait_for(state="visible")
    result.click()
    page.wait_for_url(re.compile(re.escape(target)))
    assert page.url.startswith("file://")
    assert page.locator("article h1").first.inner_text().rstrip("¶").strip() == title


def test_search_index_is_inlined_and_the_shim_ships_with_the_site(built_site: BuiltSite):
    engine = built_site.engine
    for program in PROGRAMS:
        site = built_site.root / program
        assert (site / engine.search_index).is_file()
        assert (site / engine.offline_index).read_text(encoding="utf-8").startswith("var __index = {")
        shim = site / SHIM
        assert hashlib.sha256(shim.read_bytes()).hexdigest() == SHIM_SHA256
        licence = (shim.parent / "LICENSE").read_text(encoding="utf-8")  # MIT: the notice travels with it
        assert "Martin Donath" in licence and "Permission is hereby granted" in licence
    theme = REPO / "theme" / engine.overrides
    assert (theme / SHIM).read_bytes() == (built_site.root / PROGRAMS[0] / SHIM).read_bytes()


def test_every_engines_shim_is_the_same_vendored_file():
    """Each engine's overrides folder carries its own copy of the shim (an engine reads one custom_dir):
    the same bytes, with its licence."""
    for engine in ENGINES.values():
        shim = REPO / "theme" / engine.overrides / SHIM
        assert hashlib.sha256(shim.read_bytes()).hexdigest() == SHIM_SHA256, engine.overrides
        assert "Martin Donath" in (shim.parent / "LICENSE").read_text(encoding="utf-8"), engine.overrides


def test_no_page_loads_anything_from_another_site(built_site: BuiltSite):
    """No script, stylesheet, font or frame comes from elsewhere (unpkg.com was Material's default)."""
    remote = re.compile(r'<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)="(?:https?:)?//', re.I)
    for page in built_site.pages:
        html = (built_site.root / page).read_text(encoding="utf-8")
        assert not remote.search(html), page
        if "/" in page:  # program pages (not the programs index) load the local shim first
            scripts = re.findall(r'<script src="([^"]+)"', html)
            assert scripts and Path(scripts[0]).as_posix().endswith(SHIM), (page, scripts)
