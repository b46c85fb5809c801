"""The PDF stage, one module per step:

html.py      a rendered document -> one print HTML file with its page setup (a PdfJob)
weasy.py     PdfJob -> WeasyPrint -> PDF bytes, fetching nothing outside the project
acroform.py  each PDF finished with pikepdf: its file identifier, and its AcroForm repaired (one field per radio group)
pool.py      runs the jobs inline or in worker processes; writes each PDF and its cache entry
bundle.py    a packet: its own part's PDF and its bundled documents' finished PDFs joined (pikepdf)
result.py    PdfResult, the one result type from the engine (or the cache) to the manifest
thumbnail.py the first page as a small PNG for the site's Downloads page, rendered and cached with the PDF

WeasyPrint is imported only when a PDF is really rendered (weasy.py), so a build served from the
cache never loads it.
"""

from generator.pdf.html import META_DOCUMENT, META_PROGRAM, META_VERSION, PdfJob, PrintHtml
from generator.pdf.result import PdfResult

__all__ = ["META_DOCUMENT", "META_PROGRAM", "META_VERSION", "PdfJob", "PdfResult", "PrintHtml"]
