"""The templates theme/overrides copies from Material for MkDocs are Material's own, as installed,
with only the edits listed here (which make the site valid HTML: tests/site/test_html_valid.py).

A copied template does not follow Material when it is upgraded (base.html even names Material's
hashed bundle files): when this test fails after an upgrade, copy Material's new file over ours,
apply the edits below again, and keep the header comment."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO

OVERRIDES_DIR = REPO / "theme" / "overrides"
GENERATED = "{#-\n  This file was automatically generated - do not edit\n-#}\n"
HEADER = re.compile(r"\A\{#-.*?-#\}\n", re.S)

TOC_TITLE = """    <label class="md-nav__title" for="__toc">
      <span class="md-nav__icon md-icon"></span>
      {{ title }}
    </label>
"""

# template -> [(Material's text, ours)]: every occurrence is replaced.
EDITS: dict[str, list[tuple[str, str]]] = {
    # autocomplete is not allowed on checkboxes; theme/site.js sets it on the two toggles at run time,
    # so Firefox still does not restore an open drawer or search on reload.
    "base.html": [
        ('id="__drawer" autocomplete="off">', 'id="__drawer">'),
        ('id="__search" autocomplete="off">', 'id="__search">'),
    ],
    "partials/nav-item.html": [
        # tabindex="" (section labels with navigation.sections) is not a valid integer: leave it out.
        ('id="{{ path }}_label" tabindex="{{ tabindex }}">',
         'id="{{ path }}_label"{% if tabindex %} tabindex="{{ tabindex }}"{% endif %}>'),
        # A section with an index page (navigation.indexes) is labelled by its expand label, which holds
        # only an icon: every such <nav> had the same empty name (axe landmark-unique). Name it itself.
        ('<nav class="md-nav" data-md-level="{{ level }}" aria-labelledby="{{ path }}_label"',
         '<nav class="md-nav" data-md-level="{{ level }}" '
         '{% if index %}aria-label="{{ nav_item.title }}"{% else %}aria-labelledby="{{ path }}_label"{% endif %}'),
    ],
    "partials/search.html": [
        # The search dialog gets a name (axe aria-dialog-name).
        ('<div class="md-search" data-md-component="search" role="dialog">',
         '<div class="md-search" data-md-component="search" role="dialog" aria-label="{{ lang.t(\'search\') }}">'),
        # Safari's autocorrect is not an attribute HTML allows here; theme/site.js sets it at run time.
        (' autocorrect="off"', ''),
        # The results box is focusable (to scroll it from the keyboard): it is a region, named by the
        # line above the results ("3 matching documents"), not a bare div (axe focus-order-semantics).
        ('<div class="md-search__scrollwrap" tabindex="0" data-md-scrollfix>',
         '<div class="md-search__scrollwrap" tabindex="0" role="region" aria-labelledby="__search_result_meta" '
         'data-md-scrollfix>'),
        ('<div class="md-search-result__meta">', '<div class="md-search-result__meta" id="__search_result_meta">'),
    ],
    # A section's index page (navigation.indexes) has no __toc toggle (partials/nav-item.html writes it
    # only for pages listed on their own), so its title cannot be a label for it.
    "partials/toc.html": [
        (TOC_TITLE, """    {% if "navigation.indexes" in features and page.is_index and page.parent %}
      <div class="md-nav__title">
        {{ title }}
      </div>
    {% else %}
""" + TOC_TITLE + "    {% endif %}\n"),
    ],
}


def material_templates() -> Path:
    import material

    return Path(material.__file__).parent / "templates"


def expected(name: str) -> str:
    text = (material_templates() / name).read_text(encoding="utf-8")
    assert text.startswith(GENERATED), f"Material's {name} changed shape"
    text = text[len(GENERATED):]
    for old, new in EDITS[name]:
        assert old in text, f"Material's {name} no longer has {old!r}: redo the override"
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize("name", sorted(EDITS))
def test_override_is_materials_template_with_our_edits(name):
    ours = (OVERRIDES_DIR / name).read_text(encoding="utf-8")
    header = HEADER.match(ours)
    assert header and "Material" in header.group(0), f"{name}: starts with a comment saying what changed"
    assert ours[header.end():] == expected(name), (
        f"theme/overrides/{name} is not Material's {name} (as installed) with the edits in {__file__}")


def write_overrides() -> None:  # pragma: no cover - run by hand after a Material upgrade
    """python -c 'from tests.site.test_theme_overrides import write_overrides; write_overrides()'"""
    for name in EDITS:
        path = OVERRIDES_DIR / name
        header = HEADER.match(path.read_text(encoding="utf-8")).group(0) if path.exists() else ""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(header + expected(name), encoding="utf-8")


def test_attributes_left_out_of_the_markup_are_set_at_run_time(built_site, site_url, page):
    """theme/site.js puts back what the overrides leave out of the HTML: Firefox's autocomplete="off" on
    the drawer and search toggles and Safari's autocorrect="off" on the search box; and a page shown
    again (back, reload) never comes back with the menu or the search open."""
    html = (built_site.root / "charlotte-sll" / "index.html").read_text(encoding="utf-8")
    assert 'autocorrect="off"' not in html and 'id="__drawer" autocomplete' not in html
    page.goto(f"{site_url}charlotte-sll/index.html")
    assert page.get_attribute("#__drawer", "autocomplete") == "off"
    assert page.get_attribute("#__search", "autocomplete") == "off"
    assert page.get_attribute("input.md-search__input", "autocorrect") == "off"
    page.evaluate("""() => { const t = document.getElementById('__search'); t.checked = true;
                             t.dispatchEvent(new Event('change')); }""")
    page.goto(f"{site_url}charlotte-sll/downloads.html")
    page.go_back()
    page.wait_for_function("document.readyState === 'complete'")
    assert page.evaluate("document.getElementById('__search').checked") is False
    assert page.evaluate("document.getElementById('__drawer').checked") is False
