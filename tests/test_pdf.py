"""Print-ready, accessible PDFs: structure and metadata checked with qpdf, poppler and pypdf
on every PDF of the real programs, plus page setup and the workshop packet."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.build import build
from generator.errors import BuildError, HandbookWarning
from tests.conftest import MINIMAL_PROGRAM, write_project

needs_poppler = pytest.mark.skipif(not (shutil.which("qpdf") and shutil.which("pdffonts") and shutil.which("pdfinfo")),
                                   reason="qpdf and poppler-utils are installed by .ci/run")


def all_pdfs(site: Path) -> list[Path]:
    pdfs = sorted(site.glob("*/pdf/*.pdf"))
    assert len(pdfs) >= 36
    return pdfs


def tool(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@needs_poppler
def test_every_pdf_passes_qpdf_check(real_site):
    for pdf in all_pdfs(real_site):
        result = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
        assert result.returncode == 0, (pdf, result.stdout[-500:])


@needs_poppler
def test_every_font_is_embedded_and_is_the_shipped_font(real_site):
    for pdf in all_pdfs(real_site):
        rows = tool("pdffonts", str(pdf)).splitlines()[2:]
        assert rows, pdf
        for row in rows:
            name, emb = row.split()[0], row.split()[-5]
            assert emb == "yes", (pdf, row)
            assert "Handbook-Sans" in name, (pdf, row)   # theme/fonts, not a system font


@needs_poppler
def test_every_pdf_has_title_author_language_and_tags(real_site):
    for pdf in all_pdfs(real_site):
        info = tool("pdfinfo", str(pdf))
        assert re.search(r"^Title:\s+\S", info, re.M), pdf
        assert re.search(r"^Author:\s+\S", info, re.M), pdf
        assert re.search(r"^Tagged:\s+yes", info, re.M), pdf
        reader = PdfReader(pdf)
        assert reader.trailer["/Root"]["/Lang"] == "en-US"
        xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
        assert "pdfuaid:part" in xmp  # identifies itself as PDF/UA-1
        first, second = reader.trailer["/ID"]  # a file identifier: the stable name, then a content hash
        assert first == f"{pdf.parent.parent.name}/{pdf.stem}" and len(second) == 16


def test_outline_follows_headings_and_pages_have_running_headers(real_site):
    pdf = real_site / "charlotte-sll" / "pdf" / "program-guide.pdf"
    reader = PdfReader(pdf)
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top[:3] == ["Purpose", "How the program runs", "Timeline"]
    last = reader.pages[-1].extract_text()
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in last and "Program guide" in last


def test_table_of_contents_has_page_numbers(real_site):
    text = PdfReader(real_site / "charlotte-sll" / "pdf" / "program-guide.pdf").pages[1].extract_text()
    assert re.search(r"Timeline\s*(\.\s*)+\d+", text)  # dotted leader, then the page


def test_workshop_packet_is_one_pdf_with_parts_and_a_one_page_agenda(real_site):
    """More on the packet, joined from its parts' PDFs, in tests/test_bundle.py."""
    reader = PdfReader(real_site / "san-jose-emp" / "pdf" / "workshop-packet.pdf")
    parts = [item.title for item in reader.outline if not isinstance(item, list)]
    assert parts == ["Facilitator agenda", "Mentee workbook", "Mentoring agreement", "Meeting journal",
                     "Roles and responsibilities"]
    agenda = reader.pages[2].extract_text()
    assert "Facilitator agenda" in agenda and "Page 3 of 3" in agenda  # its own part: cover, contents, agenda
    assert reader.page_labels[3] == "Mentee workbook 1" and "Mentee workbook" in reader.pages[3].extract_text()
    fields = reader.get_fields()
    assert "agreement.mentee_name" in fields and "journal.row01.date" in fields


@pytest.mark.parametrize("paper, size", [("letter", (612, 792)), ("a4", (595, 842))])
def test_paper_size_comes_from_config(tmp_path, paper, size):
    project = write_project(tmp_path / "p", {"example": {**MINIMAL_PROGRAM, "paper": paper}})
    build(project, out=tmp_path / "out", jobs=1, cache_dir=False)
    box = PdfReader(tmp_path / "out" / "example" / "pdf" / "guide.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size


def test_a_weasyprint_warning_fails_a_strict_build_and_is_a_warning_otherwise(tmp_path):
    project = write_project(tmp_path / "p")
    with (project / "theme" / "print.css").open("a") as css:
        css.write("\nbody { colour: red; }\n")  # WeasyPrint logs: Ignored `colour: red` ..., unknown property
    with pytest.raises(BuildError) as raised:
        build(project, out=tmp_path / "strict", jobs=1, cache_dir=False, strict=True)
    assert "example: document guide" in str(raised.value) and "colour" in str(raised.value)
    with pytest.warns(HandbookWarning, match="example: document guide: .*colour"):
        build(project, out=tmp_path / "out", jobs=1, cache_dir=False)
    assert (tmp_path / "out" / "example" / "pdf" / "guide.pdf").is_file()


def test_warm_up_starts_every_worker_once():
    """The workers start when warm_up is called (so their start overlaps the main process's rendering),
    in the background, once however often it is called; --jobs 1 has no workers to start."""
    from generator.pdf.pool import PdfPool

    with PdfPool(2) as pool:
        assert pool.pool is not None and len(pool.pool._processes) == 0  # a pool starts its workers lazily
        pool.warm_up()
        starting = pool._starting
        assert starting is not None
        starting.join(timeout=60)
        assert len(pool.pool._processes) == 2
        pool.warm_up()
        assert pool._starting is starting and len(pool.pool._processes) == 2
    with PdfPool(1) as inline:
        inline.warm_up()
        assert inline.pool is None


def test_one_font_configuration_serves_every_program_of_a_project(tmp_path):
    """A worker parses the project's print CSS and loads its fonts once; only the program's CSS is parsed
    again (a font configuration per program was memory never given back)."""
    from generator.pdf.weasy import ProjectOnlyFetcher, Stylesheets

    project = write_project(tmp_path / "p")
    stylesheets = Stylesheets()
    try:
        first_css, first_fonts = stylesheets.get(project, ":root { --primary: #123456; }", ProjectOnlyFetcher(project))
        second_css, second_fonts = stylesheets.get(project, ":root { --primary: #654321; }", ProjectOnlyFetcher(project))
        assert second_fonts is first_fonts and second_css[0] is first_css[0]
        assert second_css[1] is not first_css[1]
        other = write_project(tmp_path / "other")
        assert stylesheets.get(other, ":root {}", ProjectOnlyFetcher(other))[1] is not first_fonts
    finally:
        stylesheets.close()
