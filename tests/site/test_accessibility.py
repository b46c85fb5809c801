"""Every page of every program's site, as each site engine builds it, has no axe-core violation, in
headless Chromium, served over HTTP: every rule axe has (WCAG 2.0/2.1/2.2 A and AA, best practices,
experimental rules), not only the WCAG-tagged ones, less the one listed in SKIPPED_RULES; and nor has
the search with its results showing. Fix violations at their source (theme/site.css, theme/site.js,
theme/overrides, theme/overrides-zensical, generator/site/, content), not by listing them here."""

from __future__ import annotations

import http.server
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO
from tests.site.conftest import PROGRAMS, BuiltSite, Engine, local_server, missing

# Rules not run, each with why. AAA colour contrast (7:1) would hold agencies' brand colours, which
# test_brand_colours_are_readable below holds to AA (4.5:1), to more than the handbook promises.
SKIPPED_RULES = {"color-contrast-enhanced": "WCAG AAA (7:1); brand colours are held to AA"}

# Violations in what a site engine's theme itself renders that cannot be fixed from this project, each
# as (axe rule id, CSS selector axe reports, reason). None are needed at present, for either engine; add
# one only with the exact selector and why it cannot be fixed in theme/site.css, theme/site.js or the
# engine's overrides folder.
THEME_EXCEPTIONS: list[tuple[str, str, str]] = []

# Pages seen again at a phone's width, where both engines show another layout (drawer, no sidebars).
NARROW_PAGES = ["index.html", "downloads.html", "agreement/agreement.html", "role-chart/summary.html"]


def axe_source() -> Path:  # noqa: RET503 - missing() never returns
    """axe-core's axe.min.js: $AXE_CORE_JS, or node_modules/axe-core in the project (npm install axe-core@4)."""
    candidates = [os.environ.get("AXE_CORE_JS"), REPO / "node_modules" / "axe-core" / "axe.min.js"]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    missing("axe-core is not installed (set AXE_CORE_JS to axe.min.js, or `npm install --no-save axe-core@4`)")


class _AxeHandler(http.server.BaseHTTPRequestHandler):
    script = b""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/javascript")
        self.send_header("Content-Length", str(len(self.script)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        self.wfile.write(self.script)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def axe() -> Iterator[str]:
    """The URL of axe.min.js, served (cacheable) from a server of its own on 127.0.0.1: each page loads it
    like any script, so Chromium compiles it once for every page (an inline copy is compiled on each)."""
    handler = type("AxeHandler", (_AxeHandler,), {"script": axe_source().read_bytes()})
    with local_server(handler) as url:
        yield f"{url}axe.min.js"


def scan(page, url: str | None, axe: str) -> list[str]:
    """axe's violations of every rule on one page (url, or the page shown), one line per element, less
    the listed exceptions."""
    if url is not None:
        page.goto(url, wait_until="load")
    page.add_script_tag(url=axe)
    # Let the engine's scripts and ours (run after Material's, on document$) settle first.
    results = page.evaluate("""async (skipped) => {
        await new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)));
        const rules = axe.getRules().map(rule => rule.ruleId).filter(id => !skipped.includes(id));
        const results = await axe.run(document, {runOnly: {type: 'rule', values: rules}, resultTypes: ['violations']});
        results.ruleCount = rules.length;
        return results;
    }""", sorted(SKIPPED_RULES))
    assert results["ruleCount"] >= 90, f"axe ran only {results['ruleCount']} rules"
    found = []
    for violation in results["violations"]:
        for node in violation["nodes"]:
            selector = " ".join(str(t) for t in node["target"])
            if any(violation["id"] == rule and selector == target for rule, target, _ in THEME_EXCEPTIONS):
                continue
            summary = re.sub(r"\s+", " ", node.get("failureSummary", ""))
            found.append(f"{violation['id']} ({violation['impact']}) at {selector}: {summary}\n      {node['html'][:200]}")
    return found


def check_pages(page, site_url: str, pages: list[str], axe: str) -> None:
    problems = {}
    for path in pages:
        found = scan(page, site_url + path, axe)
        if found:
            problems[path] = found
    count = sum(len(v) for v in problems.values())
    report = "\n".join(f"{path}:\n    " + "\n    ".join(found) for path, found in problems.items())
    assert not problems, f"{count} axe violations on {len(problems)} of {len(pages)} pages:\n{report}"


@pytest.mark.parametrize("program", PROGRAMS)
def test_every_page_has_no_axe_violations(program, axe, built_site: BuiltSite, site_url, page):
    pages = built_site.program_pages(program)
    assert len(pages) > 30
    check_pages(page, site_url, pages, axe)


def test_programs_index_has_no_axe_violations(axe, built_site: BuiltSite, site_url, page):
    check_pages(page, site_url, [p for p in built_site.pages if "/" not in p], axe)


def test_phone_width_pages_have_no_axe_violations(axe, site_url, page):
    page.set_viewport_size({"width": 390, "height": 844})
    check_pages(page, site_url, [f"{program}/{path}" for program in PROGRAMS for path in NARROW_PAGES], axe)


@pytest.mark.parametrize("width", [1280, 390])
def test_search_showing_results_has_no_axe_violations(width, engine: Engine, axe, site_url, page):
    """The search box, open, with results: Material's is in every page (hidden until opened), Zensical's
    dialog is built by its script when opened; neither is seen by the page scans above."""
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(f"{site_url}charlotte-sll/index.html", wait_until="load")
    engine.search(page, "conversation starters")
    engine.result(page, "conversation-starters.html").wait_for(state="visible")
    found = scan(page, None, axe)
    assert not found, f"{len(found)} axe violations with the search open:\n    " + "\n    ".join(found)


def contrast(foreground: str, background: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    high, low = sorted([luminance(foreground), luminance(background)], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("program", PROGRAMS)
def test_brand_colours_are_readable(program):
    """Material sets links and the header in the primary colour and hover/focus states (which axe does
    not see) in the accent colour, against white: both need 4.5:1."""
    branding = yaml.safe_load((REPO / "program-config" / f"{program}.yml").read_text(encoding="utf-8"))["branding"]
    for key in ("primary_color", "accent_color"):
        assert re.fullmatch(r"#[0-9a-fA-F]{6}", branding[key]), key
        assert contrast(branding[key], "#ffffff") >= 4.5, f"{program} {key} {branding[key]} on white"
