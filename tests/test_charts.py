"""Role charts: every role appears, wide charts split instead of overflowing the page."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from generator.build import build
from tests.conftest import MINIMAL_PROGRAM, REPO, write_project

TITLES = ["Program Sponsor", "Program Coordinator", "Steering Team Member", "Mentor", "Mentee",
          "Direct Supervisor", "Department Liaison", "Human Resources Partner", "Executive Champion",
          "Selection Panelist", "Training Facilitator", "Evaluation Analyst"]


def chart_project(root: Path, role_count: int, with_activities: bool) -> Path:
    documents = yaml.safe_load((REPO / "content" / "documents.yml").read_text())
    documents["documents"] = [d for d in documents["documents"] if d["id"] == "role-chart"]
    project = write_project(root, {}, sections={}, documents=documents)
    shutil.copytree(REPO / "content" / "sections", project / "content" / "sections", dirs_exist_ok=True)
    data = copy.deepcopy(MINIMAL_PROGRAM)
    ids = ["mentor", "mentee"] + [f"role-{n}" for n in range(role_count - 2)]
    titles = ["Mentor", "Mentee"] + [t for t in TITLES if t not in ("Mentor", "Mentee")]
    data["roles"] = [{"id": i, "title": t, "summary": f"The {t.lower()}.",
                      "responsibilities": ["Recruit and select participants", "Evaluate the program",
                                           "Attend the orientation and track progress"]}
                     for i, t in zip(ids, titles, strict=False)]
    if with_activities:
        data["activities"] = [{"name": "Match mentors and mentees", "lead": [ids[-1]], "part": ids[:2],
                               "informed": ids[2:4]},
                              {"name": "Meet one to one", "lead": ["mentee"], "part": ["mentor"]}]
    (project / "program-config" / "chart.yml").write_text(yaml.safe_dump(data, sort_keys=False))
    return project


def words_outside_page(pdf: Path) -> list[str]:
    """Words whose box leaves the page (pdftotext -bbox gives every word's position)."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    outside = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', xml, re.S):
        width, height = float(page[1]), float(page[2])
        for word in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                                page[3]):
            if float(word[3]) > width - 28 or float(word[4]) > height - 10:  # inside the page margin
                outside.append(word[5])
    return outside


@pytest.mark.parametrize("role_count, with_activities", [(3, False), (6, True), (12, True), (12, False)])
def test_chart_has_every_role_and_stays_on_the_page(tmp_path, role_count, with_activities):
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils is installed by .ci/run")
    project = chart_project(tmp_path / "p", role_count, with_activities)
    build(project, out=tmp_path / "out", jobs=1, cache_dir=False)
    pdf = tmp_path / "out" / "chart" / "pdf" / "role-chart.pdf"
    assert words_outside_page(pdf) == []
    text = re.sub(r"\s+", " ", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout)
    html = (tmp_path / "out" / "chart" / "role-chart" / "summary.html").read_text()
    titles = ["Mentor", "Mentee"] + [t for t in TITLES if t not in ("Mentor", "Mentee")]
    for title in titles[:role_count]:
        assert title in html
        assert title.split()[0] in text
    tables = html.count('<div class="role-chart">')
    assert tables == (role_count + 6) // 7  # split into tables of at most seven roles
    if with_activities:
        assert "Match mentors and mentees" in html and "Leads" in html and "Informed" in html


def test_cards_show_time_commitment_from_the_cadence(tmp_path):
    project = chart_project(tmp_path / "p", 3, False)
    build(project, out=tmp_path / "out", jobs=1, cache_dir=False)
    html = (tmp_path / "out" / "chart" / "role-chart" / "role-cards.html").read_text()
    assert "one-to-one meetings twice a month, at least 2 hours a month" in html
