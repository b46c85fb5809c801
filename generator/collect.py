"""Read filled form PDFs back: one row per file with program, form, version and every value.

The PDFs carry their program id, form id and form version as custom document-info entries
(written by pdf.py), so a folder of mixed forms can be collected into one spreadsheet.
A file that is not a PDF, is damaged, is encrypted with a password, is too large, is not a regular
file, or is not one of our forms is reported and skipped.

The files come from participants, so nothing in them is trusted:
- the identity columns (file, program, form, version) come from the file's name and the PDF's
  document information only; a field whose name could pass for one of them (or for an escaped
  name) is written under ``field:<name>``, so a participant cannot forge which program or form a
  row belongs to;
- in CSV, a cell (value, header, file name or metadata) that a spreadsheet would read as a formula
  gets a leading ``'`` (OWASP's advice against CSV injection), and every cell holding a line break
  (CR included) is quoted;
- a file is opened without blocking, checked to be a regular file of sensible size, and only then read.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, WrongPasswordError
from pypdf.generic import NameObject

from generator.errors import HandbookError, Location, Problem
from generator.pdf import META_DOCUMENT, META_PROGRAM, META_VERSION

FIXED_COLUMNS = ["file", "program", "form", "version"]
FIELD_PREFIX = "field:"  # a field column that could be mistaken for an identity column is written under it
MAX_PDF_BYTES = 64 * 1024 * 1024  # a filled form is well under 1 MB; this only stops runaway files

# A cell starting with one of these (after leading spaces) is read as a formula by some spreadsheet;
# tab, CR and LF as the very first character are in the list of OWASP's CSV-injection advice.
_FORMULA_START = frozenset("=+-@|%\uff1d\uff0b\uff0d\uff20")  # and their full-width forms
_LINE_START = frozenset("\t\r\n")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]+)*")  # "-3" or "-1.5" is a number, not a formula
_SURROGATE = re.compile("[\ud800-\udfff]")  # undecodable bytes in a file name, broken UTF-16 in a PDF
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Skipped:
    path: Path
    reason: str

    def __str__(self) -> str:
        return printable(f"{self.path}: {self.reason}")


def printable(text: str) -> str:
    """Text safe to print on a terminal: control and bidi characters shown as escapes, not obeyed."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"),
                            _SURROGATE.sub("\ufffd", text))


def clean(text: str) -> str:
    """Text that can be encoded as UTF-8: lone surrogates become U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def neutralise(cell: str) -> str:
    """A CSV cell a spreadsheet shows as text: a would-be formula gets a leading apostrophe (OWASP)."""
    if not cell:
        return cell
    if cell[0] in _LINE_START or (cell.lstrip(" ")[:1] in _FORMULA_START and not _PLAIN_NUMBER.fullmatch(cell)):
        return "'" + cell
    return cell


def field_column(name: str) -> str:
    """The column of a form field: its own name, unless that could pass for an identity column."""
    normal = name.strip().casefold()
    if normal in FIXED_COLUMNS or normal.startswith(FIELD_PREFIX):
        return FIELD_PREFIX + name  # injective: names left alone never start with the prefix
    return name


def expand(paths: list[Path]) -> Iterator[Path | Skipped]:
    """Files as given; folders become the files in them named *.pdf (any case), sorted by name."""
    for path in paths:
        if not path.is_dir():
            yield path
            continue
        try:
            names = sorted(entry.name for entry in os.scandir(path) if entry.name.lower().endswith(".pdf"))
        except OSError as error:
            yield Skipped(path, f"cannot read the folder: {error.strerror}")
            continue
        yield from (path / name for name in names)


def collect(paths: list[Path]) -> tuple[list[dict[str, Any]], list[Skipped]]:
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged files are reported by us, once
    rows, skipped = [], []
    for path in expand(paths):
        if isinstance(path, Skipped):
            skipped.append(path)
            continue
        try:
            rows.append(read_form(path))
        except FormReadError as error:
            skipped.append(Skipped(path, str(error)))
    return rows, skipped


class FormReadError(Exception):
    pass


_KINDS = [(stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device")]


def _check_regular(mode: int, size: int) -> None:
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "something else")
        raise FormReadError(f"not a regular file ({kind})")
    if size > MAX_PDF_BYTES:
        raise FormReadError(f"too large ({size / 1e6:.0f} MB; a form is at most {MAX_PDF_BYTES // 2**20} MB)")


def read_bytes(path: Path) -> bytes:
    """The file's bytes, if it is a regular file of a sensible size; never blocks on a FIFO or device."""
    try:
        status = os.stat(path)  # follows a symlink: what counts is what it leads to
        _check_regular(status.st_mode, status.st_size)  # before opening anything
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        raise FormReadError(f"cannot read: {error.strerror or error}") from None
    except ValueError:  # a NUL in the name
        raise FormReadError("cannot read: not a valid file name") from None
    with os.fdopen(fd, "rb") as file:
        try:
            status = os.fstat(fd)  # the file opened may not be the one looked at (it can be swapped)
            _check_regular(status.st_mode, status.st_size)
            data = file.read(MAX_PDF_BYTES + 1)
        except OSError as error:
            raise FormReadError(f"cannot read: {error.strerror}") from None
    if len(data) > MAX_PDF_BYTES:  # it grew while being read
        raise FormReadError(f"too large (a form is at most {MAX_PDF_BYTES // 2**20} MB)")
    return data


def read_form(path: Path) -> dict[str, Any]:
    data = read_bytes(path)
    if not data.lstrip()[:5] == b"%PDF-":
        raise FormReadError("not a PDF")
    reader = None
    try:
        reader = PdfReader(io.BytesIO(data))
        info: Any = reader.metadata or {}
        identity = [_info_text(info, key) for key in (META_PROGRAM, META_DOCUMENT, META_VERSION)]
        fields = reader.get_fields() or {}
        values = [(clean(str(name)), field_value(field)) for name, field in fields.items()]
    except (FileNotDecryptedError, WrongPasswordError):
        raise FormReadError("encrypted (it needs a password to open; ask for a copy without one)") from None
    except DependencyError:
        raise FormReadError("encrypted with AES, which needs the Python package 'cryptography' "
                            "(pip install cryptography)") from None
    except Exception as error:  # noqa: BLE001 - a damaged PDF can fail anywhere inside the parser (even recursing too deep)
        if reader is not None and _is_encrypted(reader):
            raise FormReadError(f"encrypted, and cannot be read ({type(error).__name__})") from None
        raise FormReadError(f"damaged PDF ({type(error).__name__})") from None
    program, form, version = identity
    if not program or not form:
        raise FormReadError("not a handbook form (no program/form information)")
    row: dict[str, Any] = {"file": clean(path.name), "program": program, "form": form, "version": version}
    for name, value in values:
        row[field_column(name)] = value
    return row


def _is_encrypted(reader: PdfReader) -> bool:
    try:
        return bool(reader.is_encrypted)
    except Exception:  # noqa: BLE001 - a damaged PDF may fail even here: then it is not "encrypted"
        return False


def _info_text(info: Any, key: str) -> str:
    """A document-information entry as text; anything but a string counts as missing."""
    value = info.get(f"/{key}")
    if hasattr(value, "get_object"):
        value = value.get_object()
    return clean(str(value)) if isinstance(value, str) else ""


def field_value(field: Any) -> str:
    """A field's value as text: checkboxes 'Yes' or '', radio groups the chosen option's text."""
    value = field.get("/V")
    if value is None:
        return ""
    if field.get("/FT") == "/Btn" and isinstance(value, str) and value.startswith("/"):
        value = NameObject(value)  # some writers store a button state as a string
    if isinstance(value, NameObject):
        if value == "/Off":
            return ""
        options = field.get("/Opt")
        key = str(value)[1:]
        if options is not None and key.isascii() and key.isdigit() and len(key) < 9 and int(key) < len(options):
            return clean(str(options[int(key)]))
        return "Yes" if field.get("/FT") == "/Btn" and key.lower() in ("on", "yes") else clean(key)
    if isinstance(value, list):
        return clean("; ".join(str(v) for v in value))
    return clean(str(value))


def csv_text(rows: list[dict[str, Any]]) -> str:
    """The rows as CSV: identity columns first, then every field column in order of first appearance."""
    columns = dict.fromkeys(FIXED_COLUMNS)  # an ordered set: linear however many fields there are
    for row in rows:
        columns.update(dict.fromkeys(row))
    buffer = io.StringIO()
    # "\r\n" (RFC 4180) also makes the csv module quote a bare CR, which would otherwise start a new row
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(str(column)) for column in columns])
    for row in rows:
        writer.writerow([neutralise(str(row.get(column, ""))) for column in columns])
    return buffer.getvalue()


def write_rows(rows: list[dict[str, Any]], out: Path | None) -> str:
    """CSV (default, or a .csv path) or JSON (a .json path); returns the text written.

    JSON keeps values exactly as read; CSV is made safe to open in a spreadsheet (see neutralise).
    The output file is replaced in one step, never left half-written.
    """
    if out is not None and out.suffix.lower() == ".json":
        text = json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    else:
        text = csv_text(rows)
    if out is not None:
        _replace(out, text)
    return text


def _replace(out: Path, text: str) -> None:
    temp = None
    try:
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", newline="", dir=out.parent,
                                         prefix=f".{out.name}.", suffix=".tmp", delete=False) as file:
            temp = Path(file.name)
            file.write(text)
        os.replace(temp, out)
    except OSError as error:
        if temp is not None:
            temp.unlink(missing_ok=True)
        raise HandbookError(Problem(Location(str(out)), "--out", f"cannot write: {error.strerror or error}")) from None
