"""Read filled form PDFs back: one row per file with program, form, version and every value.

The PDFs carry their program id, form id and form version as custom document-info entries
(written by pdf/html.py), so a folder of mixed forms can be sorted into one table per form
(generator/collect_output.py writes them as CSV, xlsx or JSON). Each field also carries its
label as its tooltip (/TU, the accessible name WeasyPrint writes from the HTML label), which a
row keeps beside the values (FormRow.labels): the PDF alone is enough, no project is needed.
A ticked checkbox reads "Yes", an unticked one "No"; a radio group reads its chosen option.
A file that is not a PDF, is damaged, is encrypted with a password, is too large, is not a regular
file, or is not one of our forms is reported and skipped.

The files come from participants, so nothing in them is trusted:
- the identity columns (file, program, form, version) come from the file's name and the PDF's
  document information only; a field whose name could pass for one of them (or for an escaped
  name) is written under ``field:<name>``, so a participant cannot forge which program or form a
  row belongs to;
- labels are shown, never trusted: a column's header is the label most of its files agree on, and
  one that could pass for an identity column or another field's header is told apart by the id;
- in CSV, a cell (value, header, file name or metadata) that a spreadsheet would read as a formula
  gets a leading ``'`` (OWASP's advice against CSV injection), and every cell holding a line break
  (CR included) is quoted; in xlsx every cell is a text cell, never a formula;
- a file is opened without blocking, checked to be a regular file of sensible size, and only then read.
"""

from __future__ import annotations

import io
import logging
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, WrongPasswordError
from pypdf.generic import NameObject

from generator.pdf import META_DOCUMENT, META_PROGRAM, META_VERSION

FIXED_COLUMNS = ["file", "program", "form", "version"]
FIELD_PREFIX = "field:"  # a field column that could be mistaken for an identity column is written under it
MAX_PDF_BYTES = 64 * 1024 * 1024  # a filled form is well under 1 MB; this only stops runaway files
MAX_LABEL = 200  # characters of a field's label kept for a header; our longest is under 100
_RADIO, _PUSH_BUTTON = 1 << 15, 1 << 16  # field flags (/Ff) of a button field that is not a checkbox

_SURROGATE = re.compile("[\ud800-\udfff]")  # undecodable bytes in a file name, broken UTF-16 in a PDF
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


class FormRow(dict[str, str]):
    """One filled form: identity columns and field values (column -> text), as JSON writes it, and
    `labels`: each field column's label as the PDF gives it (fields without one are left out)."""

    def __init__(self, values: dict[str, str], labels: dict[str, str]):
        super().__init__(values)
        self.labels = labels


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


def collect(paths: list[Path]) -> tuple[list[FormRow], list[Skipped]]:
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged files are reported by us, once
    rows: list[FormRow] = []
    skipped: list[Skipped] = []
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


def read_form(path: Path) -> FormRow:
    data = read_bytes(path)
    if not data.lstrip()[:5] == b"%PDF-":
        raise FormReadError("not a PDF")
    reader = None
    try:
        reader = PdfReader(io.BytesIO(data))
        info: Any = reader.metadata or {}
        identity = [_info_text(info, key) for key in (META_PROGRAM, META_DOCUMENT, META_VERSION)]
        fields = reader.get_fields() or {}
        values = [(clean(str(name)), field_value(field), field_label(field)) for name, field in fields.items()]
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
    row = {"file": clean(path.name), "program": program, "form": form, "version": version}
    labels = {}
    for name, value, label in values:
        row[field_column(name)] = value
        if label:
            labels[field_column(name)] = label
    return FormRow(row, labels)


def _is_encrypted(reader: PdfReader) -> bool:
    try:
        return bool(reader.is_encrypted)
    except Exception:  # noqa: BLE001 - a damaged PDF may fail even here: then it is not "encrypted"
        return False


def _info_text(info: Any, key: str) -> str:
    """A document-information entry as text; anything but a string counts as missing."""
    value = _direct(info.get(f"/{key}"))
    return clean(str(value)) if isinstance(value, str) else ""


def _direct(value: Any) -> Any:
    """The object itself when a PDF stores a reference to it."""
    return value.get_object() if hasattr(value, "get_object") else value


def field_label(field: Any) -> str:
    """A field's label (its /TU tooltip) on one line, shortened to MAX_LABEL; "" when it has none."""
    label = _direct(field.get("/TU"))
    if not isinstance(label, str):
        return ""
    label = " ".join(clean(label).split())
    return label if len(label) <= MAX_LABEL else label[:MAX_LABEL - 1].rstrip() + "\u2026"


def is_checkbox(field: Any) -> bool:
    """A button field that is neither a radio group nor a push button; /Opt means it has its own values."""
    flags = _direct(field.get("/Ff", 0))
    flags = flags if isinstance(flags, int) else 0
    return field.get("/FT") == "/Btn" and not flags & (_RADIO | _PUSH_BUTTON) and field.get("/Opt") is None


def field_value(field: Any) -> str:
    """A field's value as text: checkboxes 'Yes' or 'No', radio groups the chosen option's text."""
    value = field.get("/V")
    if field.get("/FT") == "/Btn" and isinstance(value, str) and value.startswith("/"):
        value = NameObject(value)  # some writers store a button state as a string
    if is_checkbox(field):  # any state but Off is ticked, whatever its name ("/on", "/Yes", "/1")
        return "No" if value is None or value == "/Off" else "Yes"
    if value is None:
        return ""
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
