"""The agency's name and logo in every page's header, and the programs index (DIR/index.html): values
from a program file show as text, escaped once, with either site engine; a manifest changed by hand
cannot put markup or style into the index."""

from __future__ import annotations

import copy
import html
import json
import re

import pytest
import yaml

from generator.build import build
from generator.site.index import write_programs_index
from tests.conftest import MINIMAL_PROGRAM, REPO, write_project
from tests.security.test_site_logo import SAFE_SVG

AGENCY = "</title><h1>Agency & \"Co\"</h1>"
NAME = "<script>alert('x')</script> Mentoring"
EDITION = "2027 <b>draft</b>"


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def hostile_site(request, tmp_path_factory):
    if request.param == "zensical":
        pytest.importorskip("zensical")
    root = tmp_path_factory.mktemp(f"header-{request.param}")
    data = {**copy.deepcopy(MINIMAL_PROGRAM), "agency": AGENCY, "name": NAME, "edition": EDITION,
            "branding": {"logo": "branding/logo.svg"}}
    project = write_project(root / "project", {"p": yaml.safe_dump(data, sort_keys=False)})
    (project / "branding").mkdir()
    (project / "branding" / "logo.svg").write_text(SAFE_SVG)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "0")
        build(project, out=root / "out", jobs=1, site_engine=request.param)
    return root / "out"


def header_of(page: str) -> str:
    found = re.search(r'<header class="md-header[^"]*".*?</header>', page, re.S)
    assert found, "no header"
    return found.group(0)


def test_header_names_the_agency_as_text_once_escaped(hostile_site):
    header = header_of((hostile_site / "p" / "guide" / "about.html").read_text(encoding="utf-8"))
    agency = re.search(r'<span class="handbook-title__agency">(.*?)</span>', header, re.S)
    assert agency and agency.group(1) == html.escape(AGENCY)
    assert "<h1>" not in header and "<script>alert" not in header


def test_header_shows_the_logo_linking_home(hostile_site):
    header = header_of((hostile_site / "p" / "guide" / "about.html").read_text(encoding="utf-8"))
    link = re.search(r'<a href="([^"]+)"[^>]*class="md-header__button md-logo".*?</a>', header, re.S)
    assert link and link.group(1) in ("../index.html", "..", "../")
    assert re.search(r'<img src="\.\./assets/logo\.svg"', link.group(0))
    assert (hostile_site / "p" / "assets" / "logo.svg").read_text() == SAFE_SVG


def test_index_shows_values_as_text(hostile_site):
    index = (hostile_site / "index.html").read_text(encoding="utf-8")
    for value in (AGENCY, NAME, EDITION):
        assert html.escape(value) in index
    assert "<script>alert" not in index and "<h1>Agency" not in index and "<b>draft" not in index


def test_a_manifest_changed_by_hand_cannot_style_or_script_the_index(tmp_path):
    folder = tmp_path / "out" / "p"
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps({
        "name": "Name", "agency": "Agency", "edition": ["not", "text"],
        "primary_color": "red}</style><script>alert(1)</script>",
        "documents": [{"form_fields": "<i>3</i>"}, "not a document", {"form_fields": 2}]}))
    write_programs_index(tmp_path / "out", REPO / "theme")
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in index and "--brand" not in index.split("</style>", 1)[1]
    assert "Edition" not in index  # not text: left out
    assert "2 PDFs, 1 fillable" in index
