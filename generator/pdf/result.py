"""The one PDF result: what the engine (or the cache) made of a document, carried unchanged to the manifest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PdfResult:
    """One document's PDF: where its bytes are and what they hold. Plain data, so a worker can send it back."""

    document_id: str
    path: str  # where the bytes are: the staging target when rendered, the cache entry when cached
    pages: int
    size: int
    sha256: str
    fields: int = 0  # AcroForm fields
    cached: bool = False  # taken from the cache (the bytes still have to be copied to the staging target)
    refused: tuple[str, ...] = ()  # URLs WeasyPrint was refused; when any, there is no PDF
    warnings: tuple[str, ...] = ()  # what WeasyPrint logged as warnings while rendering
    thumbnail: str = ""  # the first page as a PNG (pdf/thumbnail.py), beside `path`; "": none
    thumbnail_size: tuple[int, int] = (0, 0)  # its width and height in pixels

    def manifest_entry(self, title: str, kind: str, href: str) -> dict[str, Any]:
        """The document's entry in manifest.json."""
        return {"id": self.document_id, "title": title, "kind": kind, "pdf": href, "pages": self.pages,
                "form_fields": self.fields, "bytes": self.size, "sha256": self.sha256}
