"""generator/pdf/thumbnail.py: a PDF's first page as a small PNG with the same bytes every time."""

from __future__ import annotations

import io
import struct

from pypdf import PdfWriter

from generator.pdf.thumbnail import THUMBNAIL_WIDTH, first_page_thumbnail


def pdf_with_pages(*sizes: tuple[int, int]) -> bytes:
    writer = PdfWriter()
    for width, height in sizes:
        writer.add_blank_page(width=width, height=height)
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


def png_chunks(data: bytes) -> list[bytes]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        chunks.append(data[at + 4:at + 8])
        at += 12 + length
    return chunks


def test_thumbnail_is_the_first_page_at_the_thumbnail_width():
    thumbnail = first_page_thumbnail(pdf_with_pages((612, 792), (792, 612)))
    assert thumbnail.width == THUMBNAIL_WIDTH
    assert abs(thumbnail.height - THUMBNAIL_WIDTH * 792 / 612) <= 1  # PDFium rounds a part pixel up
    assert png_chunks(thumbnail.data)[0] == b"IHDR"
    assert struct.unpack(">II", thumbnail.data[16:24]) == (thumbnail.width, thumbnail.height)


def test_a_landscape_first_page_gives_a_landscape_thumbnail():
    thumbnail = first_page_thumbnail(pdf_with_pages((842, 595)), width=100)
    assert thumbnail.width == 100 and abs(thumbnail.height - 100 * 595 / 842) <= 1


def test_same_pdf_gives_the_same_bytes_and_no_metadata():
    pdf = pdf_with_pages((595, 842))
    first, second = first_page_thumbnail(pdf), first_page_thumbnail(pdf)
    assert first.data == second.data
    # pixels only: no tIME (a date), tEXt/iTXt/zTXt, pHYs, eXIf, iCCP or gAMA chunk that could vary
    assert set(png_chunks(first.data)) == {b"IHDR", b"IDAT", b"IEND"}
