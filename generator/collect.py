"""Read filled form PDFs back: one row per file with program, form, version and every value.

The PDFs carry their program id, form id and form version as custom document-info entries
(written by pdf.py), so a folder of mixed forms can be collected into one spreadsheet.
A file that is not a PDF, is damaged, or is not one of our forms is reported and skipped.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import NameObject

from generator.pdf import META_DOCUMENT, META_PROGRAM, META_VERSION

FIXED_COLUMNS = ["file", "program", "form", "version"]


@dataclass(frozen=True)
class Skipped:
    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def expand(paths: list[Path]) -> list[Path]:
    """Files as given; folders become the PDFs in them, sorted by name."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.pdf")) if path.is_dir() else [path])
    return files


def collect(paths: list[Path]) -> tuple[list[dict[str, Any]], list[Skipped]]:
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged files are reported by us, once
    rows, skipped = [], []
    for path in expand(paths):
        try:
            rows.append(read_form(path))
        except FormReadError as error:
            skipped.append(Skipped(path, str(error)))
    return rows, skipped


class FormReadError(Exception):
    pass


def read_form(path: Path) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise FormReadError(f"cannot read: {error.strerror}") from None
    if not data.lstrip()[:5] == b"%PDF-":
        raise FormReadError("not a PDF")
    try:
        reader = PdfReader(io.BytesIO(data))
        info = reader.metadata or {}
        fields = reader.get_fields() or {}
    except Exception as error:  # a damaged PDF can fail anywhere inside the parser
        raise FormReadError(f"damaged PDF ({type(error).__name__})") from None
    program, form, version = (info.get(f"/{key}") for key in (META_PROGRAM, META_DOCUMENT, META_VERSION))
    if not program or not form:
        raise FormReadError("not a handbook form (no program/form information)")
    row: dict[str, Any] = {"file": path.name, "program": str(program), "form": str(form), "version": str(version or "")}
    for name, field in fields.items():
        row[name] = field_value(field)
    return row


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
        if options is not None and key.isdigit() and int(key) < len(options):
            return str(options[int(key)])
        return "Yes" if field.get("/FT") == "/Btn" and key.lower() in ("on", "yes") else key
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def write_rows(rows: list[dict[str, Any]], out: Path | None) -> str:
    """CSV (default, or a .csv path) or JSON (a .json path); returns the text written."""
    if out is not None and out.suffix.lower() == ".json":
        text = json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    else:
        columns = list(FIXED_COLUMNS)
        for row in rows:
            columns.extend(key for key in row if key not in columns)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, restval="", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        text = buffer.getvalue()
    if out is not None:
        out.write_text(text, encoding="utf-8")
    return text
