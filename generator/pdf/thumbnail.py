"""A PDF's first page as a small PNG, for the site's Downloads page.

Rendered by PDFium (pypdfium2: wheels for Linux, macOS and Windows, no system library) right after
the PDF, in the same worker, and cached with it. The bytes depend only on the PDF (and the PDFium,
Pillow and zlib versions, which are part of every cache key): the PNG carries pixels only, no
metadata chunk (no time, resolution, text or colour profile), so the same PDF gives the same file.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from pathlib import Path

from generator.pdf.result import PdfResult

THUMBNAIL_WIDTH = 160  # pixels: shown 80 CSS px wide, so sharp on high-density screens too
THUMBNAIL_SUFFIX = ".png"


@dataclass(frozen=True)
class Thumbnail:
    data: bytes
    width: int
    height: int


def first_page_thumbnail(pdf: bytes, width: int = THUMBNAIL_WIDTH) -> Thumbnail:
    """The PDF's first page, `width` pixels wide (height as the page's proportions give)."""
    import pypdfium2  # loaded only where PDFs are rendered

    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        try:
            page_width, _ = page.get_size()
            image = page.render(scale=width / page_width).to_pil().convert("RGB")
        finally:
            page.close()
    finally:
        document.close()
    stream = io.BytesIO()
    image.save(stream, "PNG", optimize=True)  # Pillow writes IHDR, IDAT and IEND only unless told more
    return Thumbnail(stream.getvalue(), image.width, image.height)


def with_thumbnail(result: PdfResult, thumbnail: Thumbnail) -> PdfResult:
    """The result with its thumbnail, written beside the PDF (pdf/<document>.png)."""
    path = Path(result.path).with_suffix(THUMBNAIL_SUFFIX)
    path.write_bytes(thumbnail.data)
    return replace(result, thumbnail=str(path), thumbnail_size=(thumbnail.width, thumbnail.height))


def thumbnail_of(result: PdfResult) -> Thumbnail | None:
    """The thumbnail a result carries (rendered, or from the cache), read back; None: it has none."""
    if not result.thumbnail:
        return None
    return Thumbnail(Path(result.thumbnail).read_bytes(), *result.thumbnail_size)
