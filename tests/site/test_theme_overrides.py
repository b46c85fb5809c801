"""The templates each site engine's overrides folder copies from the engine's theme are the engine's
own, as installed, with only the edits listed here (which make the site valid HTML and accessible:
tests/site/test_html_valid.py, tests/site/test_accessibility.py): theme/overrides from Material for
MkDocs, theme/overrides-zensical from Zensical (whose templates are Material's, carried on).

A copied template does not follow its engine when it is upgraded (base.html even names the engine's
hashed bundle files): when this test fails after an upgrade, run write_overrides() below (it copies
the engine's new file over ours, applies the edits again and keeps the header comment)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.site.conftest import ENGINES, Engine

GENERATED = "{#-\n  This file was automatically generated - do not edit\n-#}\n"
HEADER = re.compile(r"\A\{#-.*?-#\}\n", re.S)

TOC_TITLE = """    <label class="md-nav__title" for="__toc">
      <span class="md-nav__icon md-icon"></span>
      {{ title }}
    </label>
"""

# Edits both engines' templates need (Zensical's templates are Material's, carried on).
COMMON_EDITS: dict[str, list[tuple[str, str]]] = {
    # autocomplete is not allowed on checkboxes; theme/site.js sets it on the two toggles at run time,
    # so Firefox still does not restore an open drawer or search on reload.
    "base.html": [
        ('id="__drawer" autocomplete="off">', 'id="__drawer">'),
        ('id="__search" autocomplete="off">', 'id="__search">'),
    ],
    # The generator hands page titles already HTML-escaped (generator/site/staging.py): "| e" escaped
    # them twice, and screen readers read "mentor&#x27;s" aloud (axe label-content-name-mismatch).
    "partials/footer.html": [
        ("{{ page.previous_page.title | e }}", "{{ page.previous_page.title }}"),
        ("{{ page.next_page.title | e }}", "{{ page.next_page.title }}"),
    ],
    "partials/header.html": [
        # The logo links home only when the program has one: no generic icon stands for the agency.
        # (Its title stays escaped twice: Material's tooltips, content.tooltips, show a title as HTML.)
        ('    <a href="{{ config.extra.homepage | d(nav.homepage.url, true) | url }}" title="{{ config.site_name | e }}" '
         'class="md-header__button md-logo"',
         '    {% if config.theme.logo %}\n'
         '    <a href="{{ config.extra.homepage | d(nav.homepage.url, true) | url }}" title="{{ config.site_name | e }}" '
         'class="md-header__button md-logo"'),
        ('      {% include "partials/logo.html" %}\n    </a>\n',
         '      {% include "partials/logo.html" %}\n    </a>\n    {% endif %}\n'),
        # The agency's name above the program's (generator/site/engines.py: extra.agency, escaped).
        ('          <span class="md-ellipsis">\n            {{ config.site_name }}\n          </span>\n',
         '          <span class="md-ellipsis handbook-title">\n'
         '            {% if config.extra.agency %}<span class="handbook-title__agency">{{ config.extra.agency }}</span>'
         '{% endif %}\n'
         '            <span class="handbook-title__name">{{ config.site_name }}</span>\n          </span>\n'),
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
}


def toc_title_edit(is_section_index: str) -> list[tuple[str, str]]:
    """A section's index page (navigation.indexes) has no __toc toggle (partials/nav-item.html writes it
    only for pages listed on their own), so its title cannot be a label for it."""
    return [(TOC_TITLE, f"""    {{% if "navigation.indexes" in features and {is_section_index} %}}
      <div class="md-nav__title">
        {{{{ title }}}}
      </div>
    {{% else %}}
""" + TOC_TITLE + "    {% endif %}\n")]


# Zensical's page has no is_index or parent: the page is its section's index when it is the section's
# first child and that child is marked is_index.
ZENSICAL_SECTION_INDEX = ("page.ancestors and ((page.ancestors | first).children | first) "
                          "and ((page.ancestors | first).children | first).is_index "
                          "and ((page.ancestors | first).children | first).url == page.url")

# engine -> template -> [(the engine's text, ours)]: every occurrence is replaced.
EDITS: dict[str, dict[str, list[tuple[str, str]]]] = {
    "mkdocs": {
        **COMMON_EDITS,
        "partials/toc.html": toc_title_edit("page.is_index and page.parent"),
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
    },
    # Zensical's partials/search.html holds only the button that opens its search dialog (which its
    # script builds, named): nothing to edit there.
    "zensical": {
        **COMMON_EDITS,
        "partials/toc.html": toc_title_edit(ZENSICAL_SECTION_INDEX),
    },
}
TEMPLATES = [(engine, name) for engine in sorted(EDITS) for name in sorted(EDITS[engine])]


def overrides_dir(engine: Engine) -> Path:
    return REPO / "theme" / engine.overrides


def expected(engine: Engine, name: str) -> str:
    """The engine's installed template with our edits."""
    text = (engine.templates() / name).read_text(encoding="utf-8")
    assert text.startswith(GENERATED), f"{engine.package}'s {name} changed shape"
    text = text[len(GENERATED):]
    for old, new in EDITS[engine.name][name]:
        assert old in text, f"{engine.package}'s {name} no longer has {old!r}: redo the override"
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize("engine_name, name", TEMPLATES)
def test_override_is_the_engines_template_with_our_edits(engine_name, name):
    engine = ENGINES[engine_name]
    ours = (overrides_dir(engine) / name).read_text(encoding="utf-8")
    header = HEADER.match(ours)
    assert header and engine.package.lower() in header.group(0).lower(), (
        f"{engine.overrides}/{name}: starts with a comment saying what changed")
    assert ours[header.end():] == expected(engine, name), (
        f"theme/{engine.overrides}/{name} is not {engine.package}'s {name} (as installed) with the edits in "
        f"{__file__}")


@pytest.mark.parametrize("engine_name", sorted(ENGINES))
def test_every_template_override_is_checked(engine_name):
    """No template in an overrides folder escapes the comparison above."""
    engine = ENGINES[engine_name]
    found = {p.relative_to(overrides_dir(engine)).as_posix() for p in overrides_dir(engine).rglob("*.html")}
    assert found == set(EDITS[engine_name])


def write_overrides(engine_name: str = "mkdocs") -> None:  # pragma: no cover - run by hand after an upgrade
    """python -c 'from tests.site.test_theme_overrides import write_overrides; write_overrides("zensical")'"""
    engine = ENGINES[engine_name]
    for name in EDITS[engine_name]:
        path = overrides_dir(engine) / name
        header = HEADER.match(path.read_text(encoding="utf-8")).group(0) if path.exists() else ""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(header + expected(engine, name), encoding="utf-8")


def test_attributes_left_out_of_the_markup_are_set_at_run_time(built_site, site_url, page):
    """theme/site.js puts back what the overrides leave out of the HTML: Firefox's autocomplete="off" on
    the drawer and search toggles and Safari's autocorrect="off" on Material's search box; and a page
    shown again (back, reload) never comes back with the menu or the search open."""
    html = (built_site.root / "charlotte-sll" / "index.html").read_text(encoding="utf-8")
    assert 'autocorrect="off"' not in html and 'id="__drawer" autocomplete' not in html
    page.goto(f"{site_url}charlotte-sll/index.html")
    assert page.get_attribute("#__drawer", "autocomplete") == "off"
    assert page.get_attribute("#__search", "autocomplete") == "off"
    if built_site.engine.autocorrect_off:
        assert page.get_attribute(built_site.engine.autocorrect_off, "autocorrect") == "off"
    page.evaluate("""() => { const t = document.getElementById('__search'); t.checked = true;
                             t.dispatchEvent(new Event('change')); }""")
    page.goto(f"{site_url}charlotte-sll/downloads.html")
    page.go_back()
    page.wait_for_function("document.readyState === 'complete'")
    assert page.evaluate("document.getElementById('__search').checked") is False
    assert page.evaluate("document.getElementById('__drawer').checked") is False
