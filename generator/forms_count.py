"""Count the AcroForm fields of a PDF (for the manifest)."""

from __future__ import annotations

import io

from pypdf import PdfReader


def count_fields(pdf: bytes) -> int:
    fields = PdfReader(io.BytesIO(pdf)).get_fields()
    return len(fields or {})
