"""A participant's walk through one program's site in a real browser: search, download a PDF, fill
in a web form that is kept in this browser, clear it. Once per site engine (tests/site/conftest.py)."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.conftest import REPO

PROGRAM = "charlotte-sll"


def rgb(colour: str) -> str:
    return "rgb({}, {}, {})".format(*(int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)))


def test_header_and_links_are_in_the_programs_brand_colour(site_url, page):
    branding = yaml.safe_load((REPO / "program-config" / f"{PROGRAM}.yml").read_text(encoding="utf-8"))["branding"]
    page.goto(f"{site_url}{PROGRAM}/index.html")
    header = page.locator("header.md-header")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == rgb(branding["primary_color"])
    assert header.evaluate("e => getComputedStyle(e).color") == "rgb(255, 255, 255)"
    link = page.locator("article a[href$='downloads.html']").first
    assert link.evaluate("e => getComputedStyle(e).color") == rgb(branding["primary_color"])


def test_search_finds_a_page_and_leads_to_it(engine, site_url, page):
    page.goto(f"{site_url}{PROGRAM}/index.html")
    engine.search(page, "conversation starters")
    result = engine.result(page, "conversation-starters.html")
    result.wait_for(state="visible")
    result.click()
    page.wait_for_url(re.compile(r"/mentee-workbook/conversation-starters\.html"))
    assert page.title().startswith("Conversation starters")
    assert page.locator("article h1").first.inner_text().rstrip("¶").strip() == "Conversation starters"
    assert "share as well as ask" in page.locator("article").inner_text()


def test_downloads_page_offers_real_pdfs(site_url, page):
    page.goto(f"{site_url}{PROGRAM}/downloads.html")
    links = page.locator(".downloads a[href$='.pdf']")
    assert links.count() >= 5
    link = page.locator(".downloads").get_by_role("link", name="Mentoring agreement", exact=True)
    href = link.evaluate("a => a.href")
    assert href.endswith("/pdf/agreement.pdf")
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF-") and b"%%EOF" in body[-1024:]
    # And following the link itself gets the browser that file.
    with page.expect_response(href) as followed:
        link.click()
    assert followed.value.ok and followed.value.headers["content-type"] == "application/pdf"


def test_web_form_keeps_answers_in_this_browser_until_cleared(site_url, page):
    page.goto(f"{site_url}{PROGRAM}/agreement/agreement.html")
    name = page.get_by_label("Mentee name", exact=True)
    name.fill("Ada Lovelace")
    page.get_by_label(re.compile("keep what we discuss confidential")).check()
    page.reload()
    name = page.get_by_label("Mentee name", exact=True)
    assert name.input_value() == "Ada Lovelace"
    assert page.get_by_label(re.compile("keep what we discuss confidential")).is_checked()
    # Fields the program fills in stay as the program set them.
    assert page.get_by_label("Program", exact=True).input_value() == "Shared Leadership Learning"

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Clear my answers").click()
    assert name.input_value() == ""
    assert page.get_by_label("Program", exact=True).input_value() == "Shared Leadership Learning"
    assert page.locator("[data-form-status]").inner_text() == "Cleared."
    page.reload()
    assert page.get_by_label("Mentee name", exact=True).input_value() == ""
    assert not page.get_by_label(re.compile("keep what we discuss confidential")).is_checked()


def test_clear_asks_first_and_keeps_answers_when_declined(site_url, page):
    page.goto(f"{site_url}{PROGRAM}/agreement/agreement.html")
    name = page.get_by_label("Mentor name", exact=True)
    name.fill("Grace Hopper")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Clear my answers").click()
    assert name.input_value() == "Grace Hopper"
    page.reload()
    assert page.get_by_label("Mentor name", exact=True).input_value() == "Grace Hopper"


@pytest.fixture(autouse=True)
def _no_page_errors(page):
    """A script error on any page of the walk fails the test."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield
    assert not errors, errors
