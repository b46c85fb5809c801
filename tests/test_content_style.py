"""The content library stays editable by trainers: mostly prose, few conditionals, short lines.

The logic lives in the facts stage (generator/facts/), where it is unit-tested; these limits keep
it from creeping back into the templates (before the facts stage: 385 if/elif tags, a 1,223-character line).
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import REPO

CONTENT = REPO / "content"
TEMPLATES = sorted([CONTENT / "home.md", *(CONTENT / "sections").rglob("*.md")])
CONDITIONAL = re.compile(r"\{%-?\s*(?:if|elif)\b")
MAX_CONDITIONALS_PER_SECTION = 10
MAX_CONDITIONALS_IN_ALL = 192  # half of what the library had before the facts stage
MAX_LINE = 200
GUESSES = ["role('", "committee('", "'coordinator'", '"coordinator"', "namespace("]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(CONTENT)))
def test_section_is_mostly_prose(path):
    text = path.read_text(encoding="utf-8")
    assert len(CONDITIONAL.findall(text)) <= MAX_CONDITIONALS_PER_SECTION
    assert [n for n, line in enumerate(text.splitlines(), 1) if len(line) > MAX_LINE] == []
    assert [g for g in GUESSES if g in text] == [], "ask facts, not the raw configuration or assumed role ids"


def test_the_library_has_half_the_conditionals_it_had():
    total = sum(len(CONDITIONAL.findall(p.read_text(encoding="utf-8"))) for p in TEMPLATES)
    assert total <= MAX_CONDITIONALS_IN_ALL
