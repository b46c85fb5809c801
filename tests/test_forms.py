"""Fillable forms: real AcroForm fields with stable names and tooltips, prefilled from config,
filled and read back; journal rows follow the program's length and cadence."""

from __future__ import annotations

import copy
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader, PdfWriter

from generator.build import build
from generator.collect import collect
from generator.config import ContentError
from generator.config.schema import Program
from generator.facts import derive_facts
from generator.forms import FormFields, journal_rows
from generator.pdf.acroform import radio_group_labels
from tests.conftest import MINIMAL_PROGRAM, REPO, write_project

FORMS = ["agreement", "journal", "statement-of-interest", "development-plan", "meeting-objectives", "evaluation"]


def forms_project(root: Path, programs: dict) -> Path:
    """A project with the real form sections and the form documents of the real documents.yml."""
    documents = yaml.safe_load((REPO / "content" / "documents.yml").read_text())
    documents["documents"] = [d for d in documents["documents"] if d["kind"] == "form"]
    sections = {f"forms/{p.name}": p.read_text() for p in (REPO / "content" / "sections" / "forms").glob("*.md")}
    return write_project(root, programs, sections=sections, documents=documents)


def program_data(**changes) -> dict:
    data = copy.deepcopy(MINIMAL_PROGRAM)
    for dotted, value in changes.items():
        node = data
        *parents, last = dotted.split("__")
        for key in parents:
            node = node.setdefault(key, {})
        node[last] = value
    return data


@pytest.fixture(scope="module")
def forms_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("forms")
    template = program_data(meetings__one_to_one={"per_month": "blank", "hours_per_month": "blank"},
                            schedule={"length": "1 year", "length_is_minimum": True}, name="Template Mentoring")
    project = forms_project(root / "project", {"example": MINIMAL_PROGRAM, "template": template})
    build(project, out=root / "out")
    return root / "out"


def fields_of(path: Path) -> dict:
    return PdfReader(path).get_fields() or {}


def test_every_form_is_published_with_fields(forms_site):
    for form in FORMS:
        fields = fields_of(forms_site / "example" / "pdf" / f"{form}.pdf")
        assert len(fields) >= 10, form
        assert all(name.startswith(f"{form}.") for name in fields), form


def test_field_count_matches_what_the_source_declares(forms_site, tmp_path):
    html = (forms_site / "example" / "agreement" / "agreement.html").read_text()
    import re
    declared = set(re.findall(r'name="(agreement\.[a-z0-9_.]+)"', html))
    assert set(fields_of(forms_site / "example" / "pdf" / "agreement.pdf")) == declared


def test_fields_have_tooltips_stating_their_label(forms_site):
    fields = fields_of(forms_site / "example" / "pdf" / "agreement.pdf")
    assert fields["agreement.mentee_name"]["/TU"] == "Mentee name"
    assert fields["agreement.mentor_signature"]["/TU"] == "Mentor signature"
    assert all("/TU" in field for field in fields.values())


def test_radio_groups_are_named_by_their_question_not_their_first_option(forms_site):
    fields = fields_of(forms_site / "example" / "pdf" / "evaluation.pdf")
    assert fields["evaluation.role"]["/TU"] == "I am a"  # WeasyPrint alone writes "Mentee", the first option
    assert fields["evaluation.trust"]["/TU"] == "I can speak openly in our meetings."
    assert fields["evaluation.trust"]["/Opt"][0] == "Strongly disagree"


def test_radio_group_labels_are_read_from_each_fieldsets_legend():
    html = ('<fieldset><legend>Outer <em>question</em></legend><input type="radio" name="a" value="1">'
            '<fieldset><legend>Inner</legend><label><input type="radio" name="b"> B</label></fieldset>'
            '<input type="radio" name="c"><input type="checkbox" name="d"></fieldset>'
            '<input type="radio" name="e"><fieldset><input type="radio" name="f"></fieldset>')
    assert radio_group_labels(html) == {"a": "Outer question", "b": "Inner", "c": "Outer question"}


def test_prefilled_from_config_where_known_and_open_where_blank(forms_site):
    known = fields_of(forms_site / "example" / "pdf" / "agreement.pdf")
    assert known["agreement.program"]["/V"] == "Example Mentoring"
    assert known["agreement.meeting_frequency"]["/V"] == "twice a month"
    assert known["agreement.hours_per_month"]["/V"] == "2"
    assert known["agreement.coordinator_contact"]["/V"] == "Program Coordinator, coordinator@example.org"
    open_ = fields_of(forms_site / "template" / "pdf" / "agreement.pdf")
    assert open_["agreement.meeting_frequency"].get("/V", "") == ""
    assert open_["agreement.hours_per_month"].get("/V", "") == ""
    assert open_["agreement.length"]["/V"] == "at least one year"


def test_journal_rows_follow_length_times_cadence(forms_site):
    rows = {name.split(".")[1] for name in fields_of(forms_site / "example" / "pdf" / "journal.pdf") if ".row" in name}
    assert rows == {f"row{n:02d}" for n in range(1, 13)}  # 6 months x 2 a month
    assert "journal.row03.date" in fields_of(forms_site / "example" / "pdf" / "journal.pdf")


@pytest.mark.parametrize("schedule, cadence, rows", [
    ({"length": "9 months"}, {"per_month": 2}, 18),
    ({"length": "5 months"}, {"per_month": 2}, 10),
    ({"length": "9 months"}, {"per_month": 1}, 9),
    ({"length": "6 months"}, {"every_weeks": 2}, 14),
    ({"length": "1 year"}, {"per_month": "blank"}, 12),
    ({"tied_to": "the Leadership Academy"}, {"per_month": 2}, 12),
])
def test_journal_has_a_row_per_meeting(schedule, cadence, rows):
    program = Program.model_validate({**program_data(schedule=schedule, meetings__one_to_one=cadence), "id": "x"})
    assert journal_rows(derive_facts(program)) == rows


def test_forms_pass_qpdf_and_open_in_poppler(forms_site):
    if not shutil.which("qpdf") or not shutil.which("pdftotext"):
        pytest.skip("qpdf and poppler-utils are installed by .ci/run")
    for form in FORMS:
        path = forms_site / "template" / "pdf" / f"{form}.pdf"
        assert subprocess.run(["qpdf", "--check", str(path)], capture_output=True).returncode == 0, form
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert "Template Mentoring" in text


def test_no_buttons_in_pdfs_but_web_forms_have_controls(forms_site):
    for form in FORMS:
        reader = PdfReader(forms_site / "example" / "pdf" / f"{form}.pdf")
        for field in (reader.get_fields() or {}).values():
            assert not (field.get("/FT") == "/Btn" and int(field.get("/Ff", 0)) & (1 << 16)), "push button in PDF"
    html = (forms_site / "example" / "agreement" / "agreement.html").read_text()
    assert 'data-form-action="clear"' in html and 'data-form-action="print"' in html
    assert 'href="../pdf/agreement.pdf"' in html
    assert '<label for="f-agreement-mentee-name">Mentee name</label>' in html
    assert "assets/forms.js" in html


def fill(source: Path, target: Path, values: dict) -> None:
    writer = PdfWriter(clone_from=PdfReader(source))
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    writer.write(target)


def test_fill_save_and_collect_gives_the_same_values_back(forms_site, tmp_path):
    fill(forms_site / "example" / "pdf" / "agreement.pdf", tmp_path / "a.pdf",
         {"agreement.mentee_name": "Sam Example", "agreement.goals": "Public speaking\nBudgeting",
          "agreement.confidentiality": "/on"})
    fill(forms_site / "example" / "pdf" / "evaluation.pdf", tmp_path / "e.pdf",
         {"evaluation.trust": "/3", "evaluation.worked": "Regular meetings"})
    rows, skipped = collect([tmp_path])
    assert skipped == []
    by_form = {row["form"]: row for row in rows}
    agreement = by_form["agreement"]
    assert (agreement["program"], agreement["version"]) == ("example", "1")
    assert agreement["agreement.mentee_name"] == "Sam Example"
    assert agreement["agreement.goals"] == "Public speaking\nBudgeting"
    assert agreement["agreement.confidentiality"] == "Yes"
    assert agreement["agreement.review"] == "No"
    assert by_form["evaluation"]["evaluation.trust"] == "Agree"
    assert by_form["evaluation"]["evaluation.worked"] == "Regular meetings"
    assert agreement.labels["agreement.mentee_name"] == "Mentee name"
    assert by_form["evaluation"].labels["evaluation.trust"] == "I can speak openly in our meetings."


def test_collect_skips_foreign_damaged_and_non_pdfs_and_keeps_the_rest(forms_site, tmp_path):
    good = tmp_path / "good.pdf"
    shutil.copyfile(forms_site / "example" / "pdf" / "journal.pdf", good)
    (tmp_path / "notes.pdf").write_text("not a pdf at all")
    (tmp_path / "damaged.pdf").write_bytes(good.read_bytes()[:4000])
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.write(tmp_path / "foreign.pdf")
    rows, skipped = collect([tmp_path])
    assert [row["file"] for row in rows] == ["good.pdf"]
    reasons = {item.path.name: item.reason for item in skipped}
    assert reasons == {"notes.pdf": "not a PDF", "damaged.pdf": reasons["damaged.pdf"],
                       "foreign.pdf": "not a handbook form (no program/form information)"}
    assert reasons["damaged.pdf"].startswith("damaged PDF")


def test_field_names_are_checked():
    fields = FormFields("agreement")
    fields.field("mentee_name", "Mentee")
    with pytest.raises(ValueError, match="declared twice"):
        fields.field("mentee_name", "Mentee again")
    with pytest.raises(ValueError, match="lowercase"):
        fields.field("Mentee Name", "Mentee")


def test_a_bad_field_in_a_template_is_a_located_content_error(tmp_path):
    sections = {"forms/agreement.md": "---\ntitle: A\n---\nIntro\n\n{{ field('x', 'X', kind='slider') }}\n"}
    documents = {"documents": [{"id": "agreement", "title": "A", "kind": "form", "audience": "a", "description": "d",
                                "sections": ["forms/agreement"]}]}
    project = write_project(tmp_path / "p", sections=sections, documents=documents)
    with pytest.raises(ContentError) as caught:
        build(project, out=tmp_path / "out")
    problem = caught.value.problems[0]
    assert str(problem.location) == "content/sections/forms/agreement.md:6" and "slider" in problem.message


def test_manifest_counts_the_fields_of_each_pdf(forms_site):
    import json
    manifest = json.loads((forms_site / "example" / "manifest.json").read_text())
    for doc in manifest["documents"]:
        assert doc["form_fields"] == len(fields_of(forms_site / "example" / doc["pdf"])), doc["id"]
