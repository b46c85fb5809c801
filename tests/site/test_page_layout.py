"""What a reader sees on the built sites, measured in a real browser, once per site engine: the header
names the agency (and shows its logo), the Downloads page shows each PDF's first page and marks the
fillable forms, the programs index has the handbooks' look and leads to each program and its
downloads, and the sidebar's first link (Home) is never under the sidebar's title."""

from __future__ import annotations

import copy
import json

import pytest
import yaml

from generator.build import build
from tests.conftest import MINIMAL_PROGRAM, REPO, write_project
from tests.security.test_site_logo import SAFE_SVG
from tests.site.conftest import PROGRAMS


def program_file(program: str) -> dict:
    return yaml.safe_load((REPO / "program-config" / f"{program}.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("program", PROGRAMS)
def test_header_names_the_agency_above_the_program(program, site_url, page):
    data = program_file(program)
    page.goto(f"{site_url}{program}/index.html")
    title = page.locator("header.md-header .handbook-title")
    assert title.locator(".handbook-title__agency").inner_text() == data["agency"]
    assert title.locator(".handbook-title__name").inner_text() == data["name"]
    agency, name = (title.locator(f".handbook-title__{part}").bounding_box() for part in ("agency", "name"))
    header = page.locator("header.md-header").bounding_box()
    assert agency["y"] + agency["height"] <= name["y"] + 1  # above the name, both inside the header
    assert header["y"] <= agency["y"] and name["y"] + name["height"] <= header["y"] + header["height"]
    # no logo in the program file: no generic icon stands in for one
    assert "logo" not in data.get("branding", {}) and page.locator("header.md-header .md-logo").count() == 0


@pytest.fixture(scope="module")
def site_with_logo(built_site, tmp_path_factory):
    """A small program with a logo, built by the engine under test."""
    root = tmp_path_factory.mktemp(f"logo-{built_site.engine.name}")
    data = {**copy.deepcopy(MINIMAL_PROGRAM), "branding": {"logo": "branding/logo.svg"}}
    project = write_project(root / "project", {"example": data})
    (project / "branding").mkdir()
    (project / "branding" / "logo.svg").write_text(SAFE_SVG)
    build(project, out=root / "out", jobs=1, site_engine=built_site.engine.name)
    return root / "out" / "example"


def test_header_shows_the_logo_when_the_program_has_one(site_with_logo, page):
    page.goto((site_with_logo / "guide" / "about.html").as_uri())
    logo = page.locator("header.md-header a.md-logo")
    assert logo.get_attribute("href") in ("../index.html", "..", "../")
    image = logo.locator("img")
    assert image.get_attribute("src") == "../assets/logo.svg"
    image.wait_for(state="visible")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.locator("header.md-header .handbook-title__agency").inner_text() == MINIMAL_PROGRAM["agency"]


@pytest.mark.parametrize("program", PROGRAMS)
def test_downloads_show_each_pdfs_first_page_and_mark_fillable_forms(program, built_site, site_url, page):
    manifest = json.loads((built_site.root / program / "manifest.json").read_text(encoding="utf-8"))
    page.goto(f"{site_url}{program}/downloads.html")
    for document in manifest["documents"]:
        card = page.locator(".downloads li", has=page.locator(f"a[href='{document['pdf']}']"))
        assert card.count() == 1, document["id"]
        thumbnail = card.locator("img.download-thumbnail")
        assert thumbnail.get_attribute("alt") == "" and thumbnail.get_attribute("loading") == "lazy"
        assert thumbnail.get_attribute("src") == document["pdf"].removesuffix(".pdf") + ".png"
        width, height = int(thumbnail.get_attribute("width")), int(thumbnail.get_attribute("height"))
        assert width == 80 and 40 <= height <= 120
        thumbnail.scroll_into_view_if_needed()
        thumbnail.evaluate("img => img.decode()")
        shown = thumbnail.evaluate("img => [img.clientWidth, img.clientHeight]")  # without its border
        assert shown == [width, height]  # shown at the size it says (its space is kept while it loads)
        assert thumbnail.evaluate("img => img.naturalWidth") == 2 * width  # drawn for high-density screens
        fillable = card.locator(".fillable-mark")
        assert fillable.count() == (1 if document["form_fields"] > 0 else 0), document["id"]
        if document["form_fields"]:
            assert fillable.inner_text() == "Fillable form"
    assert any(d["form_fields"] for d in manifest["documents"])
    assert not all(d["form_fields"] for d in manifest["documents"])


@pytest.mark.parametrize("width", [1280, 390])
def test_programs_index_has_the_handbook_look_and_leads_to_each_program(width, built_site, page):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto((built_site.root / "index.html").as_uri())  # from disk: nothing it needs is elsewhere
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("header").count() == 1 and page.locator("main h1").count() == 1
    assert page.evaluate("""async () => { await document.fonts.ready;
                             return document.fonts.check('16px "Handbook Sans"') &&
                                    [...document.fonts].some(f => f.family.includes('Handbook Sans') && f.status === 'loaded'); }""")
    assert "Handbook Sans" in page.locator("body").evaluate("e => getComputedStyle(e).fontFamily")
    for program in PROGRAMS:  # what the program's build recorded (its file may take values from _base.yml)
        data = json.loads((built_site.root / program / "manifest.json").read_text(encoding="utf-8"))
        card = page.locator("li.program", has=page.locator(f"h2 a[href='{program}/index.html']"))
        assert card.locator("h2 a").inner_text() == data["name"]
        assert card.locator(".agency").inner_text() == data["agency"]
        assert f"Edition {data['edition']}" in card.locator(".edition").inner_text()
        downloads = card.get_by_role("link", name=f"Downloads for {data['name']}")
        assert downloads.get_attribute("href") == f"{program}/downloads.html"
        brand = data["primary_color"].lower()
        colour = card.evaluate("e => getComputedStyle(e).borderTopColor")
        assert colour == "rgb({}, {}, {})".format(*(int(brand[i:i + 2], 16) for i in (1, 3, 5)))
        box = card.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width  # nothing runs off a phone's screen
    assert page.evaluate("document.documentElement.scrollWidth") <= width


# The painted bottom of the sidebar's title (its box and any box-shadow below it) and the top of the Home
# link's focus ring (its box, the outline offset and width), in the viewport.
SIDEBAR_EDGES = """() => {
  const nav = document.querySelector('.md-sidebar--primary .md-nav--primary');
  nav.closest('.md-sidebar__scrollwrap').scrollTop = 0;
  const title = nav.querySelector(':scope > .md-nav__title');
  const home = [...nav.querySelectorAll(':scope > .md-nav__list > .md-nav__item:first-child > a.md-nav__link')][0];
  home.focus();
  const shadow = getComputedStyle(title).boxShadow;
  const below = shadow === 'none' ? 0 : Math.max(...shadow.replace(/rgba?\\([^)]*\\)/g, '').split(',').map(s => {
    const [x, y, blur, spread] = (s.match(/-?[\\d.]+px/g) || []).map(parseFloat).concat([0, 0, 0, 0]);
    return s.includes('inset') ? 0 : y + blur + spread; }));
  const ring = getComputedStyle(home);
  const outline = ring.outlineStyle === 'none' ? 0 : parseFloat(ring.outlineOffset) + parseFloat(ring.outlineWidth);
  return {title: title.getBoundingClientRect().bottom + Math.max(0, below),
          home: home.getBoundingClientRect().top - outline, text: home.innerText.trim()};
}"""


def test_sidebar_home_link_is_not_under_the_sidebar_title(built_site, site_url, page):
    program = PROGRAMS[0]
    pages = ["index.html", "downloads.html"] + [p.removeprefix(f"{program}/") for p in built_site.program_pages(program)
                                                if p.endswith("/index.html")]
    for width, height in [(1280, 900), (1920, 1080)]:
        page.set_viewport_size({"width": width, "height": height})
        for path in pages:
            page.goto(f"{site_url}{program}/{path}")
            edges = page.evaluate(SIDEBAR_EDGES)
            assert edges["text"] == "Home"
            assert edges["home"] >= edges["title"], f"{path} at {width}px: Home's focus ring under the title: {edges}"
