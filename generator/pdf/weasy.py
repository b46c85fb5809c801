"""PDF stage, the engine: PdfJob -> WeasyPrint -> PDF file (in the main process or a pool worker).

WeasyPrint never fetches anything outside the project: its URL fetcher refuses every other URL
and the build fails naming it, rather than printing a PDF with a hole in it.
"""

from __future__ import annotations

import hashlib
import io
import mimetypes
import shutil
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from generator.errors import captured_warnings
from generator.pdf.acroform import finish_pdf, radio_group_labels
from generator.pdf.html import PDF_VARIANT, PRINT_CSS, PdfJob
from generator.pdf.result import PdfResult
from generator.project import THEME_DIR
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


class Stylesheets:
    """The project's print CSS with its fonts, parsed once per project, and the program's page CSS, parsed
    once per program (the last program's is kept). One font configuration serves every program: it is
    what makes @font-face load the shipped fonts instead of system ones, and a new one for each program
    cost a worker about 0.8 MiB that was never given back (+29 % memory from 10 to 100 programs). It keeps
    the fonts in a temporary folder, which close() removes (WeasyPrint removes it only when
    garbage-collected)."""

    def __init__(self) -> None:
        self._project: str | None = None
        self._print: tuple[CSS, FontConfiguration] | None = None
        self._program: tuple[str, CSS] | None = None

    def get(self, project: Path, program_css: str, fetcher: URLFetcher) -> tuple[list[CSS], FontConfiguration]:
        if self._print is None or self._project != str(project):
            self.close()
            fonts = FontConfiguration()
            self._print = (CSS(filename=str(project / THEME_DIR / PRINT_CSS), font_config=fonts, url_fetcher=fetcher),
                           fonts)
            self._project = str(project)
        print_css, fonts = self._print
        if self._program is None or self._program[0] != program_css:
            self._program = (program_css, CSS(string=program_css, font_config=fonts))
        return [print_css, self._program[1]], fonts

    def close(self) -> None:
        if self._print is not None:
            folder = getattr(self._print[1], "_folder", None)
            self._project = self._print = self._program = None
            if folder:
                shutil.rmtree(folder, ignore_errors=True)


def render_pdf(job: PdfJob, target: Path, stylesheets: Stylesheets) -> tuple[PdfResult, bytes]:
    """HTML -> PDF with WeasyPrint, written to `target`; the result and the bytes (for the cache). WeasyPrint's
    log warnings are captured into the result; when a URL was refused, nothing is written."""
    project = Path(job.project)
    fetcher = ProjectOnlyFetcher(project)
    with captured_warnings("weasyprint") as warnings:
        css, fonts = stylesheets.get(project, job.program_css, fetcher)
        page = HTML(string=job.html, base_url=str(project / THEME_DIR) + "/", url_fetcher=fetcher)
        rendered = page.render(stylesheets=css, font_config=fonts, pdf_forms=True)
        if fetcher.refused:
            return PdfResult(job.document_id, str(target), 0, 0, "", refused=tuple(fetcher.refused)), b""
        buffer = io.BytesIO()
        rendered.write_pdf(buffer, pdf_forms=True, pdf_tags=True, custom_metadata=True, pdf_variant=PDF_VARIANT,
                           uncompressed_pdf=True)  # finish_pdf compresses it
    group_labels = radio_group_labels(job.html) if job.has_fields else None
    data, fields = finish_pdf(buffer.getvalue(), job.identifier, group_labels)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    result = PdfResult(job.document_id, str(target), len(rendered.pages), len(data), hashlib.sha256(data).hexdigest(),
                       fields=fields, warnings=tuple(warnings))
    return result, data
