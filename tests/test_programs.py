"""The three seed programs, built from their YAML and the shared library: each says its own facts,
in the site and in the PDFs, and nothing of one program leaks into another."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

PROGRAMS = ["charlotte-sll", "nc-mentoring", "san-jose-emp"]
DOCUMENTS = ["program-guide", "mentee-workbook", "mentor-workbook", "coordinator-guide", "role-chart", "agreement",
             "journal", "statement-of-interest", "development-plan", "meeting-objectives", "evaluation",
             "workshop-packet"]


@pytest.fixture(scope="module")
def site(real_site) -> Path:
    return real_site


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def html_text(folder: Path) -> str:
    text = "\n".join(p.read_text() for p in sorted(folder.rglob("*.html")) if "assets" not in p.parts)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))


@pytest.fixture(scope="module")
def texts(site) -> dict[str, dict[str, str]]:
    return {p: {"pdf": re.sub(r"\s+", " ", "\n".join(pdf_text(site / p / "pdf" / f"{d}.pdf") for d in DOCUMENTS)),
                "html": html_text(site / p)} for p in PROGRAMS}


def test_every_program_publishes_every_document(site):
    for program in PROGRAMS:
        for document in DOCUMENTS:
            assert (site / program / "pdf" / f"{document}.pdf").is_file(), (program, document)
            assert (site / program / document / "index.html").is_file(), (program, document)


@pytest.mark.parametrize("program, facts", [
    ("charlotte-sll", ["nine months", "Week 6", "Steering Team", "Sponsor", "Support Coordinator",
                       "Direct Supervisor", "Communicates a Vision", "critical success factors"]),
    ("nc-mentoring", ["one year", "Needs Assessment Form", "Agency Leadership", "ground rules", "up to three"]),
    ("san-jose-emp", ["five months", "twice a month", "Mentoring Committee", "no-fault", "abuse", "celebration"]),
])
def test_each_program_says_its_own_facts_in_site_and_pdf(texts, program, facts):
    for fact in facts:
        for kind in ("pdf", "html"):
            assert fact.lower() in texts[program][kind].lower(), (program, kind, fact)


def test_charlotte_has_all_eighteen_competencies_in_five_areas(texts):
    names = ["Communicates a Vision", "Thinks Strategically", "Manages Change", "Develops Employees",
             "Motivates Others", "Provides Feedback", "Hires and Uses the Talents of a Diverse Workforce",
             "Builds Partnerships", "Builds Collaboration", "Understands the Political Environment",
             "Sets Priorities", "Thinks and Acts Competitively", "Focuses on the Customer", "Is Resourceful",
             "Solves Problems Creatively", "Makes Good Decisions", "Models Ethics and Values", "Has Self-Knowledge"]
    areas = ["Looks to the Future", "Develops", "Builds Community", "Manages the Business", "Manages Self"]
    text = texts["charlotte-sll"]["pdf"].lower()
    assert len(names) == 18
    assert [name for name in names if name.lower() not in text] == []
    assert [area for area in areas if area.lower() not in text] == []


def test_template_program_prints_write_in_blanks_not_none(texts):
    nc = texts["nc-mentoring"]
    assert re.search(r"at least _{10} hours a month", nc["pdf"])
    assert re.search(r"at least _{10} times a month", nc["pdf"])
    assert re.search(r"_{10} of service", nc["pdf"])
    assert "(blank, to be filled in)" in nc["html"]


@pytest.mark.parametrize("program", PROGRAMS)
def test_no_leftovers_of_templates_or_markdown(texts, program):
    for kind in ("pdf", "html"):
        text = texts[program][kind]
        assert not re.search(r"\bNone\b", text), kind
        assert "{{" not in text and "{%" not in text, kind
    assert "**" not in texts[program]["pdf"] and " ## " not in texts[program]["pdf"]


@pytest.mark.parametrize("program, foreign", [
    ("san-jose-emp", ["Steering Team", "Communicates a Vision", "Needs Assessment Form", "Sponsor"]),
    ("nc-mentoring", ["Steering Team", "Mentoring Committee", "Communicates a Vision", "no-fault"]),
    ("charlotte-sll", ["Mentoring Committee", "Needs Assessment Form", "Agency Leadership"]),
])
def test_nothing_leaks_between_programs(texts, program, foreign):
    for phrase in foreign:
        for kind in ("pdf", "html"):
            assert phrase.lower() not in texts[program][kind].lower(), (program, kind, phrase)


def test_page_counts_are_recorded(site):
    import json
    for program in PROGRAMS:
        manifest = json.loads((site / program / "manifest.json").read_text())
        assert [d["id"] for d in manifest["documents"]] == DOCUMENTS
        assert all(d["pages"] >= 1 for d in manifest["documents"])
        assert sum(d["pages"] for d in manifest["documents"]) > 40
