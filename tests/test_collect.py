"""`handbook collect` on real filled forms: a folder of agreements, journals and evaluations becomes
a spreadsheet a coordinator opens in Excel or LibreOffice: one table per form, headed by the
forms' own labels, ticks as Yes/No, accented names intact."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfWriter
from pypdf.generic import NameObject, NumberObject, TextStringObject

from generator.build import build
from generator.cli import main
from generator.collect import MAX_LABEL, collect, field_label, field_value
from tests.conftest import MINIMAL_PROGRAM
from tests.test_forms import fill, forms_project

ZOE = "Zoë Núñez"
FORMULA = '=HYPERLINK("https://evil.example/","click")'


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Path:
    """A folder of filled forms, as participants send them: two agreements, a journal, an evaluation."""
    root = tmp_path_factory.mktemp("collect")
    build(forms_project(root / "project", {"example": MINIMAL_PROGRAM}), out=root / "site")
    blank, folder = root / "site" / "example" / "pdf", root / "filled"
    folder.mkdir()
    fill(blank / "agreement.pdf", folder / "agreement-zoe.pdf",
         {"agreement.mentee_name": ZOE, "agreement.mentor_name": "François Ødegaard",
          "agreement.confidentiality": "/on", "agreement.mentor_date": "2027-01-05", "agreement.concerns": FORMULA})
    fill(blank / "agreement.pdf", folder / "agreement-sam.pdf",
         {"agreement.mentee_name": "Sam Example", "agreement.review": "/on"})
    fill(blank / "journal.pdf", folder / "journal-zoe.pdf",
         {"journal.mentee_name": ZOE, "journal.row03.date": "2027-02-09", "journal.row03.learning": "Ask early"})
    fill(blank / "evaluation.pdf", folder / "evaluation-zoe.pdf",
         {"evaluation.trust": "/3", "evaluation.worked": "Regular meetings"})
    return folder


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["collect", *args])
    out, err = capsys.readouterr()
    return code, out, err


def records(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_columns_are_headed_by_the_forms_own_labels(filled, capsys):
    code, out, err = run(capsys, str(filled), "--form", "agreement")
    assert (code, err) == (0, "")
    header = next(csv.reader(io.StringIO(out)))
    assert header[:4] == ["file", "program", "form", "version"]
    assert "Mentee name" in header and "Mentor name" in header and "agreement.mentee_name" not in header
    # three fields are labelled "Date" on the form: each header says which
    assert "Date (mentor_date)" in header and "Date (mentee_date)" in header and "Date" not in header
    assert "Program (program)" in header  # the program's name, not to be taken for the program id column
    assert len(set(header)) == len(header)


def test_ids_as_headers_on_request_and_always_in_json(filled, capsys, tmp_path):
    _, out, _ = run(capsys, str(filled), "--form", "agreement", "--headers", "ids")
    assert "agreement.mentee_name" in next(csv.reader(io.StringIO(out)))
    run(capsys, str(filled), "--out", str(tmp_path / "all.json"))
    rows = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert {row["form"] for row in rows} == {"agreement", "journal", "evaluation"}
    zoe = next(row for row in rows if row["file"] == "agreement-zoe.pdf")
    assert zoe["agreement.mentee_name"] == ZOE and zoe["agreement.concerns"] == FORMULA  # exact, not neutralised


def test_ticked_boxes_read_yes_and_unticked_ones_no(filled, capsys):
    _, out, _ = run(capsys, str(filled), "--form", "agreement")
    rows = {row["file"]: row for row in records(out)}
    confidential, review = "We will keep what we discuss confidential.", next(
        key for key in rows["agreement-sam.pdf"] if key.startswith("We will review"))
    assert (rows["agreement-zoe.pdf"][confidential], rows["agreement-zoe.pdf"][review]) == ("Yes", "No")
    assert (rows["agreement-sam.pdf"][confidential], rows["agreement-sam.pdf"][review]) == ("No", "Yes")


def test_a_radio_group_is_headed_by_its_question_and_reads_the_chosen_option(filled, capsys):
    _, out, _ = run(capsys, str(filled), "--form", "evaluation")
    (row,) = records(out)
    assert row["I can speak openly in our meetings."] == "Agree"
    assert row["I am a"] == ""  # not answered
    assert row["What has worked well"] == "Regular meetings"


def test_journal_rows_have_headers_a_person_can_place(filled, capsys):
    _, out, _ = run(capsys, str(filled), "--form", "journal")
    (row,) = records(out)
    assert row["Date, row 3"] == "2027-02-09" and row["What I learned, row 3"] == "Ask early"
    assert row["Mentee"] == ZOE


def test_several_forms_into_csv_give_one_file_per_form_with_a_byte_order_mark(filled, capsys, tmp_path):
    code, _, err = run(capsys, str(filled), "--out", str(tmp_path / "results.csv"))
    assert code == 0 and "results-agreement.csv" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "results-agreement.csv", "results-evaluation.csv", "results-journal.csv"]
    data = (tmp_path / "results-agreement.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel then reads it as UTF-8: "Zoë", not "ZoÃ«"
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    rows = records(data.decode("utf-8-sig"))
    assert [row["file"] for row in rows] == ["agreement-sam.pdf", "agreement-zoe.pdf"]
    assert rows[1]["Mentee name"] == ZOE and rows[1]["Mentor name"] == "François Ødegaard"
    assert rows[1]["Anything that could get in the way (time, workload, location) and how we will handle it"] \
        == "'" + FORMULA  # CSV's defence against formulas is kept


def test_a_folder_as_out_gets_a_csv_per_form(filled, capsys, tmp_path):
    run(capsys, str(filled), "--out", str(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["agreement.csv", "evaluation.csv", "journal.csv"]


def test_one_form_into_csv_is_the_file_named(filled, capsys, tmp_path):
    run(capsys, str(filled), "--form", "journal", "--out", str(tmp_path / "journals.csv"))
    assert [p.name for p in tmp_path.iterdir()] == ["journals.csv"]


def test_several_forms_on_the_screen_is_an_error_that_says_what_to_do(filled, capsys):
    code, out, err = run(capsys, str(filled))
    assert code == 1 and out == "" and "Traceback" not in err
    assert "3 different forms (agreement, evaluation, journal)" in err and "--form" in err and ".xlsx" in err
    code, _, err = run(capsys, str(filled), "--form", "agrement")
    assert code == 1 and "no file collected is the form 'agrement' (found: agreement, evaluation, journal)" in err


def test_xlsx_has_a_sheet_per_form_with_its_rows_and_a_bold_frozen_header(filled, capsys, tmp_path):
    code, _, _ = run(capsys, str(filled), "--out", str(tmp_path / "results.xlsx"))
    assert code == 0
    workbook = load_workbook(tmp_path / "results.xlsx")
    assert workbook.sheetnames == ["agreement", "evaluation", "journal"]
    sheet = workbook["agreement"]
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["file", "program", "form", "version"] and "Mentee name" in header
    assert all(cell.font.b for cell in sheet[1]) and sheet.freeze_panes == "A2"
    assert sheet.max_row == 3
    zoe = dict(zip(header, (cell.value for cell in sheet[3]), strict=True))
    assert zoe["Mentee name"] == ZOE and zoe["We will keep what we discuss confidential."] == "Yes"
    concerns = sheet.cell(row=3, column=header.index(
        "Anything that could get in the way (time, workload, location) and how we will handle it") + 1)
    assert (concerns.value, concerns.data_type) == (FORMULA, "s")  # exact, and text: not a formula
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDE"]
    assert all(8 <= width <= 50 for width in widths)
    assert [row[0].value for row in workbook["journal"].iter_rows(min_row=2)] == ["journal-zoe.pdf"]


def test_libreoffice_opens_the_workbook_and_reads_formulas_as_text(filled, capsys, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
    run(capsys, str(filled), "--out", str(tmp_path / "results.xlsx"))
    # every sheet to CSV (UTF-8, comma, quoted text): results-<sheet>.csv
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                    'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1',
                    "--outdir", str(tmp_path / "lo"), str(tmp_path / "results.xlsx")],
                   check=True, capture_output=True, timeout=120)
    rows = records((tmp_path / "lo" / "results-agreement.csv").read_text(encoding="utf-8"))
    zoe = next(row for row in rows if row["file"] == "agreement-zoe.pdf")
    assert zoe["Mentee name"] == ZOE
    assert zoe["Anything that could get in the way (time, workload, location) and how we will handle it"] == FORMULA
    assert sorted(p.name for p in (tmp_path / "lo").iterdir()) == [
        "results-agreement.csv", "results-evaluation.csv", "results-journal.csv"]


def test_rows_keep_each_fields_label_from_the_pdf(filled):
    rows, skipped = collect([filled])
    assert skipped == []
    agreement = next(row for row in rows if row["form"] == "agreement")
    assert agreement.labels["agreement.mentee_name"] == "Mentee name"
    assert agreement.labels["agreement.mentor_date"] == "Date"
    assert set(agreement.labels) == set(agreement) - {"file", "program", "form", "version"}


CHECKBOX = {"/FT": NameObject("/Btn")}


@pytest.mark.parametrize("value, text", [(None, "No"), (NameObject("/Off"), "No"), (TextStringObject("/Off"), "No"),
                                         (NameObject("/on"), "Yes"), (NameObject("/Yes"), "Yes"),
                                         (NameObject("/1"), "Yes"), (TextStringObject("/Ja"), "Yes")])
def test_a_checkbox_reads_yes_when_ticked_whatever_its_state_is_called_and_no_otherwise(value, text):
    assert field_value({**CHECKBOX, **({"/V": value} if value is not None else {})}) == text


def test_an_unanswered_radio_group_or_text_field_stays_empty():
    radio = {"/FT": NameObject("/Btn"), "/Ff": NumberObject(49152), "/Opt": [TextStringObject("A")]}
    assert field_value({**radio, "/V": NameObject("/Off")}) == field_value(radio) == ""
    assert field_value({**radio, "/V": NameObject("/0")}) == "A"
    assert field_value({"/FT": NameObject("/Tx")}) == ""


def test_a_label_is_one_line_of_sensible_length():
    assert field_label({"/TU": TextStringObject("  What we\nagreed \t on ")}) == "What we agreed on"
    long = field_label({"/TU": TextStringObject("word " * 100)})
    assert len(long) == MAX_LABEL and long.endswith("\u2026")
    assert field_label({}) == field_label({"/TU": NumberObject(3)}) == ""


def test_flags_and_labels_stored_by_reference_are_followed():
    writer = PdfWriter()
    radio_flags, label = writer._add_object(NumberObject(49152)), writer._add_object(TextStringObject("Pick one"))
    radio = {"/FT": NameObject("/Btn"), "/Ff": radio_flags, "/V": NameObject("/Off"), "/TU": label}
    assert field_value(radio) == ""  # a radio group left unanswered, not an unticked checkbox ("No")
    assert field_label(radio) == "Pick one"
