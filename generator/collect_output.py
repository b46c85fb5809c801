"""Collected forms out: one table per form, as CSV files, an xlsx workbook or JSON.

Where `handbook collect --out` puts them:
- no --out: CSV on standard output. That is one table, so the files must all be one form (or
  --form picks one); several forms are an error that says what to do;
- results.csv: that file, for one form; for several, one file per form beside it
  (results-agreement.csv, results-journal.csv);
- an existing folder: <form>.csv in it, one per form;
- results.xlsx: one sheet per form, header row bold and frozen, every cell a text cell;
- results.json: every row, field ids as keys, values exactly as read.

A table's columns are file, program, form, version, then each field in order of first appearance.
The header names a field by its label (--headers ids: by its id; JSON always uses ids). The label
is the one most of the table's files give (a single odd file cannot rename a column for all). A
label several columns share ("Date" beside each signature), or that could pass for an identity
column, gets the field's id: "Date (mentor_date)". CSV files start with a UTF-8 byte-order mark,
so Excel reads accented names right, and end lines with CRLF; standard output gets no mark.
Every file is written whole to a temporary file, then put in place.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.collect import FIXED_COLUMNS, FormRow, printable
from generator.errors import HandbookError, Location, Problem

Row = Mapping[str, Any]
HEADER_STYLES = ("labels", "ids")
MAX_SHEET_COLUMNS = 16_384  # Excel's last column is XFD
MAX_CELL = 32_767  # characters Excel holds in one cell
MAX_WIDTH, MIN_WIDTH = 50, 8  # xlsx column widths, in characters

# A cell starting with one of these (after leading spaces) is read as a formula by some spreadsheet;
# tab, CR and LF as the very first character are in the list of OWASP's CSV-injection advice.
_FORMULA_START = frozenset("=+-@|%\uff1d\uff0b\uff0d\uff20")  # and their full-width forms
_LINE_START = frozenset("\t\r\n")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]+)*")  # "-3" or "-1.5" is a number, not a formula
_NOT_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9_-]+")
_NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]+")
_NOT_IN_XLSX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters XML 1.0 cannot hold


def neutralise(cell: str) -> str:
    """A CSV cell a spreadsheet shows as text: a would-be formula gets a leading apostrophe (OWASP)."""
    if not cell:
        return cell
    if cell[0] in _LINE_START or (cell.lstrip(" ")[:1] in _FORMULA_START and not _PLAIN_NUMBER.fullmatch(cell)):
        return "'" + cell
    return cell


@dataclass(frozen=True)
class Table:
    """One form's rows as a spreadsheet shows them: a header row, then one row of text per file."""

    form: str
    header: list[str]
    rows: list[list[str]]


def only_form(rows: Sequence[FormRow], form: str | None) -> list[FormRow]:
    """The rows of one form (all rows when form is None); none is an error naming the forms found."""
    if form is None:
        return list(rows)
    chosen = [row for row in rows if row["form"] == form]
    if not chosen:
        found = ", ".join(sorted({printable(row["form"]) for row in rows})) or "no forms"
        raise HandbookError(Problem(Location("handbook collect"), "--form",
                                    f"no file collected is the form '{printable(form)}' (found: {found})"))
    return chosen


def tables(rows: Sequence[Row], headers: str = "labels") -> list[Table]:
    """One table per form, ordered by form id."""
    by_form: dict[str, list[Row]] = {}
    for row in rows:
        by_form.setdefault(str(row["form"]), []).append(row)
    return [table(by_form[form], headers) for form in sorted(by_form)]


def table(rows: Sequence[Row], headers: str = "labels") -> Table:
    """The rows as one table: identity columns, then every field column in order of first appearance."""
    columns = dict.fromkeys(FIXED_COLUMNS)  # an ordered set: linear however many fields there are
    for row in rows:
        columns.update(dict.fromkeys(row))
    names = list(columns)
    form = str(rows[0]["form"]) if rows else ""
    if headers == "ids":  # unique already, and none can pass for an identity column (collect.field_column)
        header = names
    else:
        labels = _agreed_labels(rows)
        header = _distinct([labels.get(name) or name for name in names], names, form)
    return Table(form, header, [[str(row.get(name, "")) for name in names] for row in rows])


def _agreed_labels(rows: Sequence[Row]) -> dict[str, str]:
    """Each column's label as most of the files give it; on a tie, the first file's."""
    votes: dict[str, Counter[str]] = {}
    for row in rows:
        for column, label in (row.labels if isinstance(row, FormRow) else {}).items():
            votes.setdefault(column, Counter())[label] += 1
    return {column: count.most_common(1)[0][0] for column, count in votes.items()}


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _distinct(names: list[str], columns: list[str], form: str) -> list[str]:
    """Headers a person tells apart: a name several columns share, or that an identity column has,
    gets the field's id; whatever is still the same (a file's labels can be anything) gets a number."""
    shared = Counter(_key(name) for name in names)
    fixed = len(FIXED_COLUMNS)
    named = names[:fixed] + [name if shared[_key(name)] == 1 else f"{name} ({_short_id(column, form)})"
                             for name, column in zip(names[fixed:], columns[fixed:], strict=True)]
    seen: set[str] = set()
    header = []
    for name in named:
        candidate, number = name, 1
        while _key(candidate) in seen:
            number += 1
            candidate = f"{name} ({number})"
        seen.add(_key(candidate))
        header.append(candidate)
    return header


def _short_id(column: str, form: str) -> str:
    """A field id without its form's prefix: 'mentor_date' for agreement.mentor_date."""
    prefix = form + "."
    return column[len(prefix):] if form and column.startswith(prefix) else column


def csv_text(rows: Sequence[Row], headers: str = "labels") -> str:
    """The rows as one CSV table (no byte-order mark)."""
    return _csv(table(rows, headers))


def _csv(sheet: Table) -> str:
    buffer = io.StringIO()
    # "\r\n" (RFC 4180) also makes the csv module quote a bare CR, which would otherwise start a new row
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in sheet.header])
    writer.writerows([neutralise(cell) for cell in row] for row in sheet.rows)
    return buffer.getvalue()


def _csv_file(sheet: Table) -> bytes:
    return _csv(sheet).encode("utf-8-sig")  # the byte-order mark tells Excel the file is UTF-8


def stdout_csv(rows: Sequence[Row], headers: str = "labels") -> str:
    """CSV for standard output: one table, so one form."""
    per_form = tables(rows, headers)
    if len(per_form) > 1:
        forms = ", ".join(printable(sheet.form) for sheet in per_form)
        raise HandbookError(Problem(Location("handbook collect"), "--out", (
            f"the files are {len(per_form)} different forms ({forms}), and CSV on the screen holds one table: "
            "pick one with --form ID, or give --out results.xlsx (a sheet per form), --out results.csv "
            "(a CSV file per form) or --out results.json")))
    return _csv(per_form[0] if per_form else table([], headers))


def xlsx_bytes(sheets: Sequence[Table]) -> bytes:
    """A workbook with one sheet per table; every cell is text, never a formula."""
    from openpyxl import Workbook  # only `collect --out *.xlsx` needs it

    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet, title in zip(sheets, _unique_names([_sheet_base(s.form) for s in sheets], 31), strict=True):
        _fill_sheet(workbook.create_sheet(title), sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill_sheet(worksheet: Any, sheet: Table) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    if len(sheet.header) > MAX_SHEET_COLUMNS:
        raise HandbookError(Problem(Location("handbook collect"), "--out", (
            f"the form '{printable(sheet.form)}' has {len(sheet.header)} columns, more than a spreadsheet sheet "
            f"holds ({MAX_SHEET_COLUMNS}): collect it into CSV or JSON")))
    bold, top = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for number, values in enumerate([sheet.header, *sheet.rows], start=1):
        for column, value in enumerate(values, start=1):
            if not value:
                continue  # an empty cell, not an empty string
            cell = worksheet.cell(row=number, column=column)
            cell.value = _sheet_text(value)  # openpyxl makes a string starting with "=" a formula...
            cell.data_type = "s"  # ...so it is made text again
            cell.quotePrefix = neutralise(value) != value  # and stays text when someone edits the cell
            cell.alignment = top
            if number == 1:
                cell.font = bold
    worksheet.freeze_panes = "A2"
    for column, width in enumerate(_widths(sheet), start=1):
        worksheet.column_dimensions[get_column_letter(column)].width = width


def _sheet_text(value: str) -> str:
    """A value a sheet can hold: control characters XML cannot carry shown as U+FFFD, cut at Excel's limit."""
    value = _NOT_IN_XLSX.sub("\ufffd", value)
    return value if len(value) <= MAX_CELL else value[:MAX_CELL - 1] + "\u2026"


def _widths(sheet: Table) -> list[int]:
    """Each column as wide as its longest line (header included), within MIN_WIDTH..MAX_WIDTH."""
    longest = [0] * len(sheet.header)
    for values in [sheet.header, *sheet.rows]:
        for column, value in enumerate(values):
            if len(value) > longest[column]:  # a value's length bounds its longest line: split only if it may win
                longest[column] = max(longest[column], *(len(line) for line in value.splitlines()))
    return [min(MAX_WIDTH, max(MIN_WIDTH, length + 2)) for length in longest]


def _sheet_base(form: str) -> str:
    base = _NOT_IN_SHEET_NAME.sub("_", form).strip("' ")
    return base + "_" if base.casefold() == "history" else base  # a name Excel keeps for itself


def _unique_names(bases: list[str], limit: int) -> list[str]:
    """Names cut to `limit` characters, none empty, none the same as another when case is ignored."""
    seen: set[str] = set()
    names = []
    for base in bases:
        base = base[:limit] or "form"
        name, number = base, 1
        while name.casefold() in seen:
            number += 1
            name = base[:limit - len(f"-{number}")] + f"-{number}"
        seen.add(name.casefold())
        names.append(name)
    return names


def planned_files(rows: Sequence[Row], out: Path, headers: str = "labels") -> list[tuple[Path, bytes]]:
    """The files `--out` stands for, with their bytes (see the module docstring)."""
    kind = out.suffix.lower()
    if kind == ".json":
        return [(out, (json.dumps([dict(row) for row in rows], indent=2, ensure_ascii=False) + "\n").encode())]
    per_form = tables(rows, headers) or [table([], headers)]  # no forms: the header alone
    if kind == ".xlsx":
        return [(out, xlsx_bytes(per_form))]
    if kind == ".csv" and len(per_form) == 1:
        return [(out, _csv_file(per_form[0]))]
    names = _unique_names([_NOT_IN_FILE_NAME.sub("_", sheet.form).strip("_-") for sheet in per_form], 60)
    if kind == ".csv":
        paths = [out.with_name(f"{out.stem}-{name}.csv") for name in names]
    elif out.is_dir():
        paths = [out / f"{name}.csv" for name in names]
    else:
        raise HandbookError(Problem(Location(str(out)), "--out",
                                    "give a file ending in .csv, .xlsx or .json, or a folder that exists"))
    return [(path, _csv_file(sheet)) for path, sheet in zip(paths, per_form, strict=True) if sheet.rows]


def write_results(rows: Sequence[Row], out: Path, headers: str = "labels") -> list[Path]:
    """Write the files `--out` stands for, each whole or not at all; returns their paths."""
    files = planned_files(rows, out, headers)
    _replace_all(files)
    return [path for path, _ in files]


def _replace_all(files: list[tuple[Path, bytes]]) -> None:
    """Every file written to a temporary file first; only when all are written do they replace the old ones."""
    temps: list[Path] = []
    try:
        for path, data in files:
            with _cannot_write(path):
                if path.is_dir():  # found now, before any file is replaced, not halfway through
                    raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
            with _cannot_write(path), tempfile.NamedTemporaryFile(
                    "wb", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False) as file:
                temps.append(Path(file.name))
                file.write(data)
        for temp, (path, _) in zip(temps, files, strict=True):
            with _cannot_write(path):
                os.replace(temp, path)
    finally:
        for temp in temps:
            temp.unlink(missing_ok=True)


@contextmanager
def _cannot_write(path: Path) -> Iterator[None]:
    try:
        yield
    except OSError as error:
        raise HandbookError(Problem(Location(str(path)), "--out",
                                    f"cannot write: {error.strerror or error}")) from None

