"""Golden files: the staged Markdown of the three example programs, kept under tests/golden/.

Any change to the wording of a handbook shows up here as a diff to review. After an intended
change, rewrite the files and commit them with the change:

    HANDBOOK_UPDATE_GOLDEN=1 python3 -m pytest tests/test_golden.py
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest

from tests.staged import staged_markdown

GOLDEN = Path(__file__).resolve().parent / "golden"
PROGRAMS = ["charlotte-sll", "nc-mentoring", "san-jose-emp"]
TARGETS = ["site", "pdf"]
UPDATE = os.environ.get("HANDBOOK_UPDATE_GOLDEN") == "1"


def _stored(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.md"))}


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("program", PROGRAMS)
def test_staged_markdown_matches_the_golden_files(program, target):
    pages = staged_markdown(program, target)
    folder = GOLDEN / program / target
    if UPDATE:
        shutil.rmtree(folder, ignore_errors=True)
        for name, text in pages.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
    stored = _stored(folder)
    assert sorted(pages) == sorted(stored), "pages added or removed; see tests/test_golden.py to update"
    for name, text in pages.items():
        if text != stored[name]:
            diff = "".join(difflib.unified_diff(stored[name].splitlines(True), text.splitlines(True),
                                                f"golden/{program}/{target}/{name}", "rendered now"))
            pytest.fail(f"{name} differs from its golden file (update: see tests/test_golden.py):\n{diff}")
