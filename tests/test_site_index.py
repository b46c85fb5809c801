"""generator/site/index.py: DIR/index.html from the programs' manifests."""

from __future__ import annotations

import json
import re

from generator.site.index import write_programs_index
from tests.conftest import REPO


def write_manifest(out, folder: str, **values) -> None:
    (out / folder).mkdir(parents=True)
    (out / folder / "manifest.json").write_text(json.dumps(values))


def test_each_program_with_its_agency_edition_pdfs_and_downloads(tmp_path):
    write_manifest(tmp_path, "zeta", name="Zeta Mentoring", agency="Zeta County", edition="2027-28",
                   primary_color="#1e5631", documents=[{"form_fields": 0}, {"form_fields": 4}, {"form_fields": 0}])
    write_manifest(tmp_path, "alpha", name="Alpha Mentoring", agency="City of Alpha", edition="2026", documents=[])
    write_programs_index(tmp_path, REPO / "theme")
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    cards = re.findall(r'<li class="program".*?</li>', page, re.S)
    assert [re.search(r"<h2><a [^>]*>(.*?)</a>", card)[1] for card in cards] == ["Alpha Mentoring", "Zeta Mentoring"]
    alpha, zeta = cards
    assert 'href="alpha/index.html"' in alpha and 'href="alpha/downloads.html"' in alpha
    assert "City of Alpha" in alpha and "Edition 2026" in alpha and "PDF" not in alpha
    assert "Zeta County" in zeta and "Edition 2027-28 · 3 PDFs, 1 fillable" in zeta
    assert 'style="--brand: #1e5631"' in zeta and "--brand" not in alpha
    assert "2 programs." in page


def test_fonts_come_from_the_first_program_listed_and_the_css_is_in_the_page(tmp_path):
    write_manifest(tmp_path, "b-program", name="B", agency="B agency")
    write_manifest(tmp_path, "a-program", name="A", agency="A agency")
    write_programs_index(tmp_path, REPO / "theme")
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    fonts = re.findall(r'url\("([^"]+)"\)', page)
    assert fonts and all(f.startswith("a-program/assets/fonts/OpenSans-") for f in fonts)
    assert '<link rel="stylesheet"' not in page and "<script" not in page  # nothing else to fetch or run
    assert ".programs {" in page


def test_no_programs_yet(tmp_path):
    write_programs_index(tmp_path, REPO / "theme")
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "No programs built yet" in page and "@font-face" not in page
