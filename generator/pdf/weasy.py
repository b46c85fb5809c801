"""PDF stage, the engine: PdfJob -> WeasyPrint -> PDF file (in the main process or a pool worker).

WeasyPrint never fetches anything outside the project: its URL fetcher refuses every other URL
and the build fails naming it, rather than printing a PDF with a hole in it.
"""

from __future__ import annotations

import hashlib
import io
import mimetypes
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from generator.errors import captured_warnings
from generator.pdf.acroform import normalize_acroform
from generator.pdf.html import PDF_VARIANT, PRINT_CSS, THEME_DIR, PdfJob
from generator.pdf.result import PdfResult
from generator.projectfiles import MAX_RESOURCE_BYTES, RefusedFile, checked, file_url_path, open_file


class ProjectOnlyFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type information
    """Serves file:// URLs inside the project and data: URLs; refuses and records everything else."""

    def __init__(self, project: Path):
        super().__init__()
        self.root = project.resolve()
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = file_url_path(url.split("?")[0].split("#")[0])  # percent-decoded, as urllib would open it
        if path is not None:
            try:  # decided on the real path (links resolved): a regular file inside the project, not too large
                real = checked(path, self.root, MAX_RESOURCE_BYTES)
                stream = open_file(real, self.root, MAX_RESOURCE_BYTES)  # no link followed, never blocks
            except RefusedFile:
                pass
            else:
                mime = mimetypes.guess_type(real.name)[0] or "application/octet-stream"
                return URLFetcherResponse(real.as_uri(), stream, {"Content-Type": mime})
        self.refused.append(url)
        raise ValueError(f"refused to fetch {url}: only files inside the project may be used")


_STYLESHEETS: dict[tuple[str, str], tuple[list[CSS], FontConfiguration]] = {}


def forget_stylesheets() -> None:
    """Drop the parsed stylesheets (and with them the font configuration's temporary folder)."""
    _STYLESHEETS.clear()


def _stylesheets(project: Path, program_css: str, fetcher: URLFetcher) -> tuple[list[CSS], FontConfiguration]:
    """Print CSS and the program's page CSS, parsed once per process and program. The font
    configuration is what makes @font-face load the shipped fonts instead of system ones."""
    key = (str(project), program_css)
    if key not in _STYLESHEETS:
        _STYLESHEETS.clear()
        fonts = FontConfiguration()
        css = [CSS(filename=str(project / THEME_DIR / PRINT_CSS), font_config=fonts, url_fetcher=fetcher),
               CSS(string=program_css, font_config=fonts)]
        _STYLESHEETS[key] = (css, fonts)
    return _STYLESHEETS[key]


def render_pdf(job: PdfJob, target: Path) -> tuple[PdfResult, bytes]:
    """HTML -> PDF with WeasyPrint, written to `target`; the result and the bytes (for the cache). WeasyPrint's
    log warnings are captured into the result; when a URL was refused, nothing is written."""
    project = Path(job.project)
    fetcher = ProjectOnlyFetcher(project)
    with captured_warnings("weasyprint") as warnings:
        stylesheets, fonts = _stylesheets(project, job.program_css, fetcher)
        page = HTML(string=job.html, base_url=str(project / THEME_DIR) + "/", url_fetcher=fetcher)
        rendered = page.render(stylesheets=stylesheets, font_config=fonts, pdf_forms=True)
        if fetcher.refused:
            return PdfResult(job.document_id, str(target), 0, 0, "", refused=tuple(fetcher.refused)), b""
        buffer = io.BytesIO()
        rendered.write_pdf(buffer, pdf_forms=True, pdf_tags=True, custom_metadata=True, pdf_variant=PDF_VARIANT,
                           pdf_identifier=job.identifier.encode())
    data, fields = buffer.getvalue(), 0
    if job.has_fields:
        data, fields = normalize_acroform(data)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    result = PdfResult(job.document_id, str(target), len(rendered.pages), len(data), hashlib.sha256(data).hexdigest(),
                       fields=fields, warnings=tuple(warnings))
    return result, data
