"""Small hand-made form PDFs for the collect tests: any field names, values and metadata."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from generator.pdf import META_DOCUMENT, META_PROGRAM, META_VERSION


def form_pdf(path: Path, fields: dict[str, str], *, program: str = "example", form: str = "agreement",
             version: str = "1", user_password: str | None = None, algorithm: str = "AES-256",
             labels: dict[str, str] | None = None) -> Path:
    """A one-page PDF whose AcroForm has one text field per item, with our identity metadata; a field
    named in `labels` has that label as its tooltip (/TU), as WeasyPrint writes it."""
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    refs = ArrayObject()
    for name, value in fields.items():
        field = DictionaryObject({
            NameObject("/FT"): NameObject("/Tx"),
            NameObject("/T"): TextStringObject(name),
            NameObject("/V"): TextStringObject(value),
        })
        if labels and name in labels:
            field[NameObject("/TU")] = TextStringObject(labels[name])
        refs.append(writer._add_object(field))
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({NameObject("/Fields"): refs})
    writer.add_metadata({f"/{META_PROGRAM}": program, f"/{META_DOCUMENT}": form, f"/{META_VERSION}": version})
    if user_password is not None:
        writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm=algorithm)
    with open(path, "wb") as file:
        writer.write(file)
    return path
