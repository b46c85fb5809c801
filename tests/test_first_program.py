"""End to end, the way a coordinator who has never used Python gets a program published: the installed
`handbook` command on a copy of the repository, `handbook new`, three YAML mistakes fixed from the
messages alone, placeholders replaced where `check` points, a build, the site opened from disk with
search working, and a folder of filled agreements and journals collected into a spreadsheet.

Each step acts only on what the previous command printed (file, line, column, advice), as a person
would; nothing here knows where the generator keeps its templates or what a field is called inside.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import REPO
from tests.site.conftest import ENGINES, REQUIRED
from tests.test_forms import fill

PROGRAM = "talent-council"
FILE = f"program-config/{PROGRAM}.yml"
ZOE = "Zoë Núñez"
# What the coordinator writes in place of each placeholder `check` points at, by field.
REAL_TEXT = {
    "name": "Talent Council Mentoring",
    "agency": "City of Example",
    "description": "A year of one-to-one mentoring for staff who want to grow into leadership roles.",
    "edition": "2027",
    "contacts[0].role": "Program Coordinator",
    "contacts[0].email": "coordinator@example.org",
    "roles[0].summary": "Shares experience and asks good questions.",
    "roles[1].summary": "Sets the goals and leads the conversations.",
}
LOCATED = re.compile(rf"^(?P<kind>error|warning): {re.escape(FILE)}:(?P<line>\d+):(?P<col>\d+): (?P<rest>.*)$", re.M)


def handbook_command() -> list[str]:
    """The `handbook` command the README's install puts on PATH; `python -m generator` when run from a
    checkout that was not installed (CI installs it, and then requires it)."""
    installed = shutil.which("handbook")
    if installed:
        return [installed]
    if REQUIRED:
        pytest.fail("the README's install puts `handbook` on PATH, but it is not there")
    return [sys.executable, "-m", "generator"]


class Coordinator:
    """Runs the CLI in the project folder and edits the program file, as a person at a terminal does."""

    def __init__(self, project: Path):
        self.project = project
        self.command = handbook_command()

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
        result = subprocess.run([*self.command, *args], cwd=self.project, capture_output=True, text=True, env=env)
        assert "Traceback" not in result.stderr, result.stderr
        return result

    @property
    def lines(self) -> list[str]:
        return (self.project / FILE).read_text(encoding="utf-8").splitlines()

    def write(self, lines: list[str]) -> None:
        (self.project / FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")

    def edit_line(self, number: int, text: str) -> None:
        lines = self.lines
        lines[number - 1] = text
        self.write(lines)

    def set_value(self, key: str, value: str) -> None:
        """Write `key: value` on the first uncommented line that gives the key (keeping its indent)."""
        lines = self.lines
        number = next(i for i, line in enumerate(lines) if re.match(rf"^\s*{key}:", line))
        indent = lines[number][: len(lines[number]) - len(lines[number].lstrip())]
        lines[number] = f"{indent}{key}: {value}"
        self.write(lines)


@pytest.fixture(scope="module")
def coordinator(tmp_path_factory) -> Coordinator:
    """A copy of the repository, as a coordinator clones it (the example programs included)."""
    project = tmp_path_factory.mktemp("first") / "handbook"
    project.mkdir()
    for name in ["content", "theme", "program-config"]:
        shutil.copytree(REPO / name, project / name)
    for name in ["mkdocs.yml", "handbook.schema.json"]:
        shutil.copyfile(REPO / name, project / name)
    return Coordinator(project)


def only(kind: str, output: str) -> re.Match[str]:
    (match,) = [m for m in LOCATED.finditer(output) if m.group("kind") == kind]
    return match


def test_a_new_program_from_the_starter_to_a_spreadsheet_of_returned_forms(coordinator, browser, tmp_path):
    me = coordinator

    # 1. a starter: every field, commented, nothing made up; check passes with the placeholders to replace
    created = me.run("new", PROGRAM)
    assert created.returncode == 0, created.stderr
    first = me.run("check", PROGRAM)
    assert first.returncode == 0, first.stderr
    placeholders = [m for m in LOCATED.finditer(first.stderr) if m.group("kind") == "warning"]
    assert len(placeholders) == len(REAL_TEXT), first.stderr
    for warning in placeholders:  # "field: '<…>' is a placeholder": replace it on the line the warning gives
        field, text = re.match(r"(\S+): '(<[^']+>)' is a placeholder", warning.group("rest")).groups()
        line = me.lines[int(warning.group("line")) - 1]
        assert text in line, (warning.group(0), line)
        me.edit_line(int(warning.group("line")), line.replace(text, f'"{REAL_TEXT[field]}"'))
    me.set_value("length", "1 year")
    me.set_value("per_month", "2")
    me.set_value("hours_per_month", "4")
    clean = me.run("check", PROGRAM)
    assert clean.returncode == 0 and "warning" not in clean.stderr, clean.stderr

    # 2. three everyday YAML mistakes, each fixed from the message alone
    good = me.lines
    hours = next(i for i, line in enumerate(good) if line.strip() == "hours_per_month: 4") + 1

    me.edit_line(hours, good[hours - 1].replace(": ", ":"))  # no space after the colon
    error = only("error", me.run("check", PROGRAM).stderr)
    assert int(error.group("line")) == hours and "put a space after the colon" in error.group("rest")
    line, col = me.lines[hours - 1], int(error.group("col"))
    me.edit_line(hours, line[: col - 1] + " " + line[col - 1:])
    assert me.lines == good

    me.edit_line(hours, "\t" + good[hours - 1].lstrip())  # a tab from another editor
    error = only("error", me.run("check", PROGRAM).stderr)
    assert int(error.group("line")) == hours and "spaces, not tabs" in error.group("rest")
    neighbour = me.lines[hours - 2]  # "indent this line with spaces like the ones around it"
    me.edit_line(hours, neighbour[: len(neighbour) - len(neighbour.lstrip())] + me.lines[hours - 1].lstrip())
    assert me.lines == good

    me.edit_line(hours, " " + good[hours - 1])  # one space too many
    result = me.run("check", PROGRAM)
    error = only("error", result.stderr)
    assert int(error.group("line")) == hours, result.stderr
    assert f"{hours} | " in result.stderr and "^" in result.stderr  # the line itself, with a caret
    spaces = int(re.search(r"indent this (?:line|one) by (\d+) spaces", error.group("rest")).group(1))
    me.edit_line(hours, " " * spaces + me.lines[hours - 1].lstrip())
    assert me.lines == good
    assert me.run("check", PROGRAM).returncode == 0

    # 3. build, then read the site from disk: search finds a workbook page, nothing asks the network
    out = tmp_path / "site"
    built = me.run("build", PROGRAM, "--out", str(out), "--quiet")
    assert built.returncode == 0, built.stderr
    home = out / PROGRAM / "index.html"
    assert home.is_file() and (out / "index.html").is_file()
    page = browser.new_page()
    asked: list[str] = []
    page.route(re.compile(r"^(?!file:).*"), lambda route: (asked.append(route.request.url), route.abort()))
    try:
        page.goto(home.as_uri())
        assert "Talent Council Mentoring" in page.title()
        engine = ENGINES["mkdocs"]
        engine.search(page, "conversation starters")
        result = engine.result(page, "mentee-workbook/conversation-starters.html")
        result.wait_for(state="visible")
        result.click()
        page.wait_for_url(re.compile("conversation-starters"))
    finally:
        page.close()
    assert not asked, asked

    # 4. participants send back filled agreements and journals; the coordinator collects the folder
    returned = tmp_path / "returned"
    returned.mkdir()
    blank = out / PROGRAM / "pdf"
    fill(blank / "agreement.pdf", returned / "agreement-zoe.pdf",
         {"agreement.mentee_name": ZOE, "agreement.confidentiality": "/on"})
    fill(blank / "agreement.pdf", returned / "agreement-sam.pdf", {"agreement.mentee_name": "Sam Example"})
    fill(blank / "journal.pdf", returned / "journal-zoe.pdf",
         {"journal.mentee_name": ZOE, "journal.row01.date": "2027-02-09"})
    fill(blank / "journal.pdf", returned / "journal-sam.pdf", {"journal.mentee_name": "Sam Example"})

    collected = me.run("collect", str(returned), "--out", str(tmp_path / "results.xlsx"))
    assert collected.returncode == 0, collected.stderr
    workbook = load_workbook(tmp_path / "results.xlsx")
    assert sorted(workbook.sheetnames) == ["agreement", "journal"]
    agreements = [[cell.value for cell in row] for row in workbook["agreement"].iter_rows()]
    header, rows = agreements[0], {row[0]: dict(zip(agreements[0], row, strict=True)) for row in agreements[1:]}
    assert "Mentee name" in header and not any(str(h).startswith("agreement.") for h in header)
    assert rows["agreement-zoe.pdf"]["Mentee name"] == ZOE
    ticks = [h for h in header if rows["agreement-zoe.pdf"][h] == "Yes"]
    assert ticks and all(rows["agreement-sam.pdf"][h] == "No" for h in ticks)
    journals = [[cell.value for cell in row] for row in workbook["journal"].iter_rows()]
    assert len(journals) == 3 and ZOE in journals[1] + journals[2]

    # the same as CSV for Excel: one file per form, UTF-8 with a byte-order mark so accents survive
    me.run("collect", str(returned), "--out", str(tmp_path / "results.csv"))
    agreement_csv = (tmp_path / "results-agreement.csv").read_bytes()
    assert agreement_csv.startswith(b"\xef\xbb\xbf")
    table = list(csv.DictReader(io.StringIO(agreement_csv.decode("utf-8-sig"), newline="")))
    assert {row["Mentee name"] for row in table} == {ZOE, "Sam Example"}
    assert (tmp_path / "results-journal.csv").is_file()

    # and LibreOffice opens the workbook (.ci/run installs it; elsewhere the step runs where it is installed)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None and REQUIRED:
        pytest.fail("HANDBOOK_REQUIRE_SITE_CHECKS=1 but LibreOffice is not installed (.ci/run installs it)")
    if soffice:
        # the first sheet, as UTF-8 CSV (filter options: comma, double quote, character set 76 = UTF-8)
        subprocess.run([soffice, "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76",
                        "--outdir", str(tmp_path / "lo"),
                        str(tmp_path / "results.xlsx")], capture_output=True, check=True, timeout=120)
        assert ZOE in (tmp_path / "lo" / "results.csv").read_text(encoding="utf-8")
