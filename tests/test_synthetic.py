"""Programs of shapes the examples don't have (tests/synthetic/*.yml): each builds, and its handbook
states nothing its configuration doesn't (no invented rules, roles, dates, lengths or applications)."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from generator.build import build
from tests.conftest import REPO, write_project
from tests.staged import SYNTHETIC, staged_markdown
from tests.test_programs import DOCUMENTS, html_text, pdf_text

PROGRAMS = sorted(p.stem for p in SYNTHETIC.glob("*.yml"))
LENGTH_WORDS = r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+) (?:months?|years?)\b"


def text_of(program: str, target: str = "site") -> dict[str, str]:
    return staged_markdown(str(SYNTHETIC / f"{program}.yml"), target)


def everything(program: str) -> str:
    """Every page's text as a reader sees it (tags and their attributes removed), site and PDF."""
    markdown = "\n".join([*text_of(program, "site").values(), *text_of(program, "pdf").values()])
    return visible(markdown)


def visible(markdown: str) -> str:
    """What a reader sees: no tags, no link targets, entities decoded."""
    return html.unescape(re.sub(r"\]\([^)]*\)", "]", re.sub(r"<[^>]+>", " ", markdown)))


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory) -> Path:
    """Every synthetic program built for real: site and PDFs."""
    root = tmp_path_factory.mktemp("synthetic")
    project = write_project(root / "project", {p: (SYNTHETIC / f"{p}.yml").read_text() for p in PROGRAMS}, sections={})
    shutil.rmtree(project / "content")
    shutil.copytree(REPO / "content", project / "content")
    build(project, out=root / "out", cache_dir=False)
    return root / "out"


def test_there_are_at_least_six_shapes():
    assert len(PROGRAMS) >= 6, PROGRAMS


@pytest.mark.parametrize("program", PROGRAMS)
def test_each_builds_site_and_pdfs(synthetic_site, program):
    for document in (synthetic_site / program / "manifest.json").parent.glob("pdf/*.pdf"):
        assert document.stat().st_size > 1000
    text = pdf_text(synthetic_site / program / "pdf" / "program-guide.pdf") + html_text(synthetic_site / program)
    assert not re.search(r"\bNone\b", text) and "{{" not in text and "{%" not in text


@pytest.mark.parametrize("program", PROGRAMS)
def test_no_empty_table_rows_or_cells(program):
    for page, markdown in text_of(program).items():
        for line in markdown.splitlines():
            if not line.startswith("|") or set(line) <= set("|- "):
                continue
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            assert all(cells[1:]), f"{page}: a table row with an empty cell: {line}"


def test_no_application_when_the_program_has_none():
    text = everything("tied-academy").lower()
    for phrase in ("apply", "applicant", "application", "statement of interest"):
        assert phrase not in text, phrase


@pytest.mark.parametrize("program", ["tied-academy", "pairs-only", "everything-blank"])
def test_nothing_is_required_unless_the_program_says(program):
    assert "required" not in everything(program).lower()


@pytest.mark.parametrize("program", ["tied-academy", "pairs-only", "everything-blank", "no-coordinator"])
def test_no_coordinator_the_program_does_not_have(program):
    assert "coordinator" not in everything(program).lower()


@pytest.mark.parametrize("program", ["tied-academy", "pairs-only", "everything-blank"])
def test_no_length_the_program_does_not_give(program):
    text = everything(program)
    if program == "pairs-only":
        text = text.replace("six months", "")
    assert not re.findall(LENGTH_WORDS, text)


def test_undated_events_are_to_be_announced_everywhere():
    text = everything("tied-academy")
    assert "Date to be announced" in text
    timeline = text_of("tied-academy")["program-guide/timeline.md"]
    assert "Mentor training" in timeline and not re.search(r"\|\s*Start\s*\|", timeline)


def test_mentees_are_not_sent_to_a_training_only_mentors_attend():
    pages = {**text_of("tied-academy"), **{f"pdf:{k}": v for k, v in text_of("tied-academy", "pdf").items()}}
    for page, markdown in pages.items():
        for line in markdown.splitlines():
            if line.startswith("|") and "Mentor training" in line and page.endswith("expectations-table.md"):
                mentee_cell = line.strip().strip("|").split("|")[1]
                assert "Mentor training" not in mentee_cell, (page, line)
    agenda = text_of("tied-academy", "pdf")["workshop-packet/agenda.md"]
    assert "Mentor training" not in agenda


def test_roles_read_naturally_and_the_vendor_leads_its_training():
    text = everything("tied-academy")
    assert "the Human Resources" not in text and "the Organization" not in text
    chart = visible(text_of("tied-academy")["role-chart/summary.md"])
    row = next(line for line in chart.splitlines() if "Mentor training" in line)
    header = next(line for line in chart.splitlines() if line.startswith("| Activity"))
    cells = dict(zip([c.strip() for c in header.strip("|").split("|")], [c.strip() for c in row.strip("|").split("|")],
                     strict=False))
    assert cells["Training Vendor"] == "Leads" and cells["Mentor"] == "Takes part" and cells["Human Resources"] == "–"
    assert "no part to the organization and the participant's supervisor" in " ".join(chart.split())


def test_only_defined_roles_appear_for_a_pair_program():
    text = everything("pairs-only")
    for title in ("Sponsor", "Steering Team", "Committee", "Human Resources"):
        assert title not in text, title


def test_blanks_print_as_write_in_lines():
    site = "\n".join(text_of("everything-blank").values())
    assert site.count('class="write-in"') >= 5
    assert not re.search(r"\bNone\b", site)


def test_twelve_roles_split_the_chart_and_dates_come_from_the_start(synthetic_site):
    chart = (synthetic_site / "twelve-roles" / "role-chart" / "summary.html").read_text()
    assert chart.count('<div class="role-chart">') == 2
    timeline = html_text(synthetic_site / "twelve-roles" / "program-guide")
    assert "January 4, 2027" in timeline or "2027-01-04" in timeline
    assert (synthetic_site / "twelve-roles" / "calendar.ics").is_file()


def test_every_document_is_published_unless_excluded(synthetic_site):
    for program in PROGRAMS:
        published = {p.stem for p in (synthetic_site / program / "pdf").glob("*.pdf")}
        expected = set(DOCUMENTS) - ({"statement-of-interest"} if program == "tied-academy" else set())
        assert published == expected, program
