"""Shared fixtures: small real projects built from dicts in tmp_path (few mocks)."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent

MINIMAL_PROGRAM = {
    "name": "Example Mentoring",
    "agency": "City of Example",
    "description": "A small example program.",
    "edition": "2027",
    "schedule": {"length": "6 months", "switch_after": "6 weeks"},
    "meetings": {"one_to_one": {"per_month": 2, "hours_per_month": 2}},
    "roles": [
        {"id": "mentor", "title": "Mentor", "summary": "Guides the mentee."},
        {"id": "mentee", "title": "Mentee", "summary": "Leads their own learning."},
    ],
    "contacts": [{"role": "Program Coordinator", "email": "coordinator@example.org"}],
}

MINIMAL_DOCUMENTS = {
    "documents": [
        {
            "id": "guide",
            "title": "Program guide",
            "kind": "guide",
            "audience": "Everyone",
            "description": "How it works.",
            "sections": ["guide/about", "guide/meetings"],
        },
        {
            "id": "extra",
            "title": "Extra notes",
            "kind": "guide",
            "audience": "Coordinators",
            "description": "Optional notes.",
            "default": False,
            "sections": ["guide/about"],
        },
    ]
}

MINIMAL_SECTIONS = {
    "guide/about.md": """\
        ---
        title: About {{ program.name }}
        ---
        {{ program.name }} is run by {{ program.agency }} and lasts {{ program.schedule.length | in_words }}.
        """,
    "guide/meetings.md": """\
        ---
        title: Meetings
        page_break: false
        ---
        Pairs meet {{ program.meetings.one_to_one | frequency }} for at least
        {{ program.meetings.one_to_one.hours_per_month | hours }} a month.
        """,
}


def write_project(root: Path, programs: dict[str, dict | str] | None = None,
                  sections: dict[str, str] | None = None, documents: dict | None = None) -> Path:
    """A project tree: real theme and mkdocs.yml, a small content library, the given programs."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "theme", root / "theme", dirs_exist_ok=True)
    shutil.copyfile(REPO / "mkdocs.yml", root / "mkdocs.yml")
    content = root / "content"
    (content / "sections").mkdir(parents=True, exist_ok=True)
    (content / "documents.yml").write_text(yaml.safe_dump(documents or MINIMAL_DOCUMENTS, sort_keys=False))
    (content / "home.md").write_text("# {{ program.name }}\n\n{{ program.description }}\n")
    for name, text in (sections or MINIMAL_SECTIONS).items():
        path = content / "sections" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    config = root / "program-config"
    config.mkdir(exist_ok=True)
    for program_id, data in (programs if programs is not None else {"example": MINIMAL_PROGRAM}).items():
        text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False)
        (config / f"{program_id}.yml").write_text(textwrap.dedent(text) if isinstance(data, str) else text)
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "project")


@pytest.fixture(autouse=True)
def _fixed_build_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")


@pytest.fixture(scope="session")
def real_sites():
    """The real project (every program in program-config/) built once per test session and site engine,
    on first use: real_sites("zensical") is DIR/zensical/. Every engine's build shares one PDF cache,
    so only the first renders PDFs (the PDFs do not depend on the site engine).

    Built outside pytest's tmp folder (mode 0700) and left readable by all: linkchecker, run as
    root, drops to user 'nobody' and must still read the files."""
    import stat
    import tempfile

    from generator.build import build

    folder = Path(tempfile.mkdtemp(prefix="handbook-real-site-"))
    built: dict[str, Path] = {}

    def site(engine: str = "mkdocs") -> Path:
        if engine not in built:
            out = folder / engine
            build(REPO, out=out, cache_dir=folder / "cache", site_engine=engine)
            for path in [out, *out.rglob("*")]:
                path.chmod(path.stat().st_mode | stat.S_IROTH | (stat.S_IXOTH if path.is_dir() else 0))
            built[engine] = out
        return built[engine]

    try:
        folder.chmod(0o755)
        yield site
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def real_site(real_sites) -> Path:
    """The real project built with the default site engine (MkDocs + Material)."""
    return real_sites("mkdocs")


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for every browser test of the session (tests/site, tests/security)."""
    from tests.site.conftest import CHROMIUM_ARGS, chromium_path, missing

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the Python package playwright is not installed")
    executable = chromium_path()
    if executable is None:
        missing("Chromium is not installed (/usr/bin/chromium, Debian package chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
