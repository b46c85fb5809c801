"""Collected rows out: headers a person tells apart and a participant cannot rename, sheets and file
names that any form id makes valid, xlsx cells that are text, and files written whole or not at all."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from openpyxl import load_workbook

from generator.collect import FIXED_COLUMNS, FormRow, collect
from generator.collect_output import (
    MAX_CELL,
    MAX_SHEET_COLUMNS,
    planned_files,
    stdout_csv,
    table,
    tables,
    write_results,
    xlsx_bytes,
)
from generator.errors import HandbookError
from tests.security.collect_pdfs import form_pdf


def row(form: str = "agreement", file: str = "a.pdf", labels: dict[str, str] | None = None, **values: str) -> FormRow:
    fields = {f"{form}.{name}": value for name, value in values.items()}
    return FormRow({"file": file, "program": "p", "form": form, "version": "1", **fields},
                   {f"{form}.{name}": label for name, label in (labels or {}).items()})


def test_a_label_several_fields_share_gets_each_fields_id():
    header = table([row(labels={"mentor_date": "Date", "mentee_date": "Date", "goals": "Goals"},
                        mentor_date="", mentee_date="", goals="")]).header
    assert header[4:] == ["Date (mentor_date)", "Date (mentee_date)", "Goals"]


def test_a_label_that_could_pass_for_an_identity_column_gets_its_id():
    header = table([row(labels={"program": "Program", "x": "FORM", "y": "file"}, program="", x="", y="")]).header
    assert header == [*FIXED_COLUMNS, "Program (program)", "FORM (x)", "file (y)"]


def test_labels_made_to_collide_still_give_distinct_headers():
    labels = {"a": "Date", "b": "Date", "c": "Date (a)", "d": "date (A)", "e": "Date (b)"}
    header = table([row(labels=labels, **dict.fromkeys(labels, ""))]).header
    keys = [" ".join(h.split()).casefold() for h in header]
    assert len(set(keys)) == len(keys)
    assert header[4:6] == ["Date (a)", "Date (b)"]


def test_a_column_is_headed_by_the_label_most_files_agree_on():
    honest = [row(file=f"{n}.pdf", labels={"mentee_name": "Mentee name"}, mentee_name="x") for n in range(2)]
    forged = row(file="0-first.pdf", labels={"mentee_name": "Mentor name"}, mentee_name="y")
    assert table([forged, *honest]).header[4] == "Mentee name"
    assert table([forged, honest[0]]).header[4] == "Mentor name"  # a tie: the first file's


def test_a_field_without_a_label_is_headed_by_its_id():
    assert table([row(labels={}, goals="x")]).header[4] == "agreement.goals"


def test_ids_as_headers_are_exactly_the_ids():
    assert table([row(labels={"goals": "Goals"}, goals="x")], headers="ids").header[4] == "agreement.goals"


def test_rows_are_split_into_one_table_per_form_ordered_by_id():
    rows = [row("journal", "j.pdf", date="1"), row("agreement", "a.pdf", goals="g"), row("journal", "k.pdf")]
    split = tables(rows)
    assert [t.form for t in split] == ["agreement", "journal"]
    assert [r[0] for r in split[1].rows] == ["j.pdf", "k.pdf"] and split[1].rows[1][-1] == ""
    assert "agreement.goals" not in split[1].header


def test_no_forms_on_the_screen_is_the_header_alone():
    assert stdout_csv([]) == "file,program,form,version\r\n"


def xlsx_cells(data: bytes) -> list[list[Any]]:
    """The cells of the workbook's first sheet, row by row."""
    return [list(line) for line in load_workbook(io.BytesIO(data)).worksheets[0].iter_rows()]


PAYLOADS = ['=HYPERLINK("https://evil.example/","x")', "+1+1", "-2+3", "@SUM(1)", "=cmd|' /C calc'!A0", "\t=1"]


def test_formula_looking_values_and_labels_stay_text_in_xlsx():
    rows = [row(labels={"goals": PAYLOADS[0]}, file=f"{n}.pdf", goals=payload) for n, payload in enumerate(PAYLOADS)]
    data = xlsx_bytes(tables(rows))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml  # no formula anywhere
    cells = xlsx_cells(data)
    assert cells[0][4].value == PAYLOADS[0] and cells[0][4].data_type == "s"
    for line, payload in zip(cells[1:], PAYLOADS, strict=True):
        cell = line[4]
        assert (cell.value, cell.data_type) == (payload, "s")
        assert cell.quotePrefix  # stays text when someone edits it
    plain = xlsx_cells(xlsx_bytes(tables([row(goals="-3")])))[1][4]
    assert (plain.value, plain.data_type, plain.quotePrefix) == ("-3", "s", False)


def test_characters_a_sheet_cannot_hold_do_not_stop_the_workbook():
    cells = xlsx_cells(xlsx_bytes(tables([row(goals="bell\x07 and \x1b", notes="x" * (MAX_CELL + 10))])))
    assert cells[1][4].value == "bell\ufffd and \ufffd"
    assert len(cells[1][5].value) == MAX_CELL and cells[1][5].value.endswith("\u2026")


def test_a_form_wider_than_a_sheet_is_a_clear_error():
    wide = row(**{f"f{n:05d}": "" for n in range(MAX_SHEET_COLUMNS)})
    with pytest.raises(HandbookError, match="more than a spreadsheet sheet holds"):
        xlsx_bytes(tables([wide]))


HOSTILE_FORMS = ["../../etc/passwd", "a/b:c*d?[e]", "History", "x" * 40, "x" * 40 + "y", "AGREEMENT", "agreement",
                 "'quoted'", "", "-rf"]


def test_any_form_id_gives_valid_distinct_sheet_names():
    workbook = load_workbook(io.BytesIO(xlsx_bytes(tables([row(form) for form in HOSTILE_FORMS]))))
    names = workbook.sheetnames
    assert len(names) == len(HOSTILE_FORMS) == len({name.casefold() for name in names})
    assert all(0 < len(name) <= 31 and not set(name) & set("[]:*?/\\") for name in names)
    assert "History" not in names


def test_any_form_id_gives_a_csv_file_inside_the_folder_asked_for(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    paths = write_results([row(form, file=f"{n}.pdf") for n, form in enumerate(HOSTILE_FORMS)], out)
    assert len(paths) == len({p.name.casefold() for p in paths}) == len(HOSTILE_FORMS)
    assert all(p.parent == out and not p.name.startswith((".", "-")) for p in paths)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)
    assert (tmp_path / "etc").exists() is False


def test_an_out_that_is_neither_a_known_file_nor_a_folder_is_an_error_and_nothing_is_written(tmp_path):
    with pytest.raises(HandbookError, match=r"\.csv, \.xlsx or \.json"):
        write_results([row()], tmp_path / "results.txt")
    assert list(tmp_path.iterdir()) == []


def test_a_blocked_file_stops_every_file_before_any_is_replaced(tmp_path):
    (tmp_path / "r-agreement.csv").write_text("old")
    (tmp_path / "r-journal.csv").mkdir()
    with pytest.raises(HandbookError) as caught:
        write_results([row("agreement"), row("journal")], tmp_path / "r.csv")
    assert caught.value.problems[0].location.file == str(tmp_path / "r-journal.csv")
    assert (tmp_path / "r-agreement.csv").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r-agreement.csv", "r-journal.csv"]  # no temporary left


def test_json_keeps_field_ids_and_no_labels(tmp_path):
    ((_path, data),) = planned_files([row(labels={"goals": "Goals"}, goals="x")], tmp_path / "r.json")
    assert b'"agreement.goals": "x"' in data and b"Goals" not in data


def test_labels_from_hand_made_pdfs_become_headers(tmp_path):
    form_pdf(tmp_path / "a.pdf", {"agreement.goals": "x", "agreement.other": "y"},
             labels={"agreement.goals": "What we want"})
    rows, _ = collect([tmp_path])
    assert stdout_csv(rows).splitlines()[0] == "file,program,form,version,What we want,agreement.other"


def test_identity_columns_come_from_the_metadata_whatever_the_labels_say(tmp_path):
    form_pdf(tmp_path / "a.pdf", {"agreement.x": "forged"}, labels={"agreement.x": "program"})
    (only,), _ = collect([tmp_path])
    header, values = (line.split(",") for line in stdout_csv([only]).splitlines())
    assert header[:5] == [*FIXED_COLUMNS, "program (x)"] and values[:5] == ["a.pdf", "example", "agreement", "1",
                                                                              "forged"]


def test_out_paths_are_reported_as_written(tmp_path):
    assert write_results([row()], tmp_path / "one.csv") == [tmp_path / "one.csv"]
    assert (tmp_path / "one.csv").read_bytes().startswith(b"\xef\xbb\xbf")
