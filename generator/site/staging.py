"""Site stage, first half: rendered documents -> a staging docs folder of Markdown pages, the
navigation, and the assets (fonts, CSS, JS, logo). Engine-neutral: engines.py builds the site."""

from __future__ import annotations

import html
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from generator.branding import SITE_VARIABLES, brand_css
from generator.config.schema import Program
from generator.content import DocumentSpec
from generator.errors import BuildError, Location, Problem
from generator.logo import LogoRefused, read_logo
from generator.pdf.result import PdfResult
from generator.project import Project
from generator.render import RenderedDocument, RenderedSection
from generator.templating import markdown_text


@dataclass(frozen=True)
class Download:
    """A document's PDF on the site: where it is published, and the PDF itself as the engine (or the cache)
    made it; its thumbnail, when it has one, is published beside it under the same name."""
    spec: DocumentSpec
    href: str       # relative to the site root
    pdf: PdfResult

    @property
    def thumbnail_href(self) -> str | None:
        if not self.pdf.thumbnail:
            return None
        return PurePosixPath(self.href).with_suffix(PurePosixPath(self.pdf.thumbnail).suffix).as_posix()


@dataclass(frozen=True)
class SitePage:
    path: str       # relative to docs dir, e.g. 'mentee-workbook/trust.md'
    title: str
    markdown: str


DOWNLOADS_PAGE = "downloads.md"


def stage_docs(program: Program, documents: list[RenderedDocument], home: str, downloads: list[Download],
               docs_dir: Path, project: Project) -> list[Any]:
    """Write every page into docs_dir and return the MkDocs nav for them."""
    pages = [SitePage("index.md", "Home", home)]
    nav: list[Any] = [{"Home": "index.md"}]
    # MkDocs themes print nav and page titles without escaping them: give them escaped.
    for document in documents:
        spec = document.spec
        doc_pages = [SitePage(f"{spec.id}/{section.section.slug}.md", section.title,
                              f"# {markdown_text(section.title)}\n\n{_section_body(program, spec, section)}")
                     for section in document.sections]
        pages.extend(doc_pages)
        nav.append({html.escape(spec.title): [{html.escape(spec.title): _index_path(spec)},
                                              *({html.escape(p.title): p.path} for p in doc_pages)]})
    pages.extend(pdf_pages(program, documents, downloads))
    nav.append({"Downloads": DOWNLOADS_PAGE})
    write_pages(pages, docs_dir)
    _copy_assets(program, docs_dir, project)
    return nav


def pdf_pages(program: Program, documents: list[RenderedDocument], downloads: list[Download]) -> list[SitePage]:
    """The pages that show what the PDFs turned out to be (pages, size, first page, form fields): each
    document's index page and the Downloads page. A build writes them again once its PDFs are done
    (site/engines.py LatePages), so that the rest of the site is built while the PDFs render."""
    pdf_of = {d.spec.id: d for d in downloads}
    pages = [SitePage(_index_path(document.spec), document.spec.title,
                      _document_index(document, pdf_of.get(document.spec.id))) for document in documents]
    return [*pages, SitePage(DOWNLOADS_PAGE, "Downloads", _downloads_page(program, downloads))]


def write_pages(pages: list[SitePage], docs_dir: Path) -> None:
    for page in pages:
        target = docs_dir / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        meta = yaml.safe_dump({"title": html.escape(page.title)}, allow_unicode=True, width=1000)
        target.write_text(f"---\n{meta}---\n\n{page.markdown}", encoding="utf-8")


def _index_path(spec: DocumentSpec) -> str:
    return f"{spec.id}/index.md"


def _section_body(program: Program, spec: DocumentSpec, section: RenderedSection) -> str:
    if spec.kind == "form":
        return _web_form(program, spec, section.section.slug, section.markdown)
    return section.markdown


def _web_form(program: Program, spec: DocumentSpec, slug: str, body: str) -> str:
    """Wrap a form section as a web form that keeps answers in this browser only."""
    form_id = html.escape(f"form-{spec.id}-{slug}")
    key = html.escape(f"handbook:{program.id}:{spec.id}:{slug}:v{spec.version}")
    return (
        f'<div class="form-toolbar">\n'
        f'<a class="md-button md-button--primary" href="../pdf/{html.escape(spec.id)}.pdf">Download fillable PDF</a>\n'
        f'<button type="button" data-form="{form_id}" data-form-action="print">Print</button>\n'
        f'<button type="button" data-form="{form_id}" data-form-action="clear">Clear my answers</button>\n'
        f"</div>\n\n"
        f'<p class="form-status" role="status" data-form-status="{form_id}">'
        f"What you type is kept in this browser on this device only; nothing is sent anywhere.</p>\n\n"
        f'<form class="handbook-form" id="{form_id}" data-storage-key="{key}" autocomplete="off" markdown="1">\n\n'
        f"{body}\n</form>\n"
    )


# Every value in the Markdown written below goes through markdown_text (generator/templating.py), the
# one place that escapes a value for HTML and Markdown and keeps it from starting a block.

def _document_index(document: RenderedDocument, download: Download | None) -> str:
    spec = document.spec
    lines = [f"# {markdown_text(spec.title)}", "", markdown_text(spec.description), "",
             f"**For:** {markdown_text(spec.audience)}", ""]
    if download:
        lines += [f"[Download the PDF ({download.pdf.pages} pages)](../{download.href}){{ .md-button }}", ""]
    lines += ["## In this document", ""]
    lines += [f"1. [{markdown_text(s.title)}]({s.section.slug}.md)" for s in document.sections]
    return "\n".join(lines) + "\n"


def _downloads_page(program: Program, downloads: list[Download]) -> str:
    """Every PDF as a card: its first page, its title (the link), who it is for, pages and size, and a
    mark on the forms that can be filled in on screen (PDFs with form fields)."""
    name = markdown_text(program.name)
    lines = ["# Downloads", "",
             f"Every document of {name} as a PDF for printing or for filling in on screen.", "",
             '<div class="downloads" markdown="1">', ""]
    for d in downloads:
        pages = f"{d.pdf.pages} page{'' if d.pdf.pages == 1 else 's'}"
        lines.append(f"- [{_thumbnail(d)}{markdown_text(d.spec.title)}]({d.href})"
                     f'<span class="download-for">**For:** {markdown_text(d.spec.audience)}</span>'
                     f'<span class="download-facts">{pages} · PDF, {_size(d.pdf.size)}</span>{_fillable_mark(d)}')
    lines += ["", "</div>", ""]
    if any(d.pdf.fields for d in downloads):
        lines += ["A form marked “Fillable form” can be filled in on screen in a PDF reader and saved.", ""]
    if program.schedule.start is not None:
        lines += ["## Calendar", "",
                  f"[Program calendar (calendar.ics)](calendar.ics): every milestone of {name}, "
                  "to import into Outlook, Google Calendar or Apple Calendar.", ""]
    return "\n".join(lines)


THUMBNAIL_SHOWN_WIDTH = 80  # CSS pixels; drawn twice as wide (pdf/thumbnail.py), for high-density screens


def _thumbnail(download: Download) -> str:
    """The PDF's first page, inside its link: decorative (empty alt), since the link's text names the document."""
    href = download.thumbnail_href
    width, height = download.pdf.thumbnail_size
    if href is None or not width:
        return ""
    shown = round(height * THUMBNAIL_SHOWN_WIDTH / width)
    return (f'<img class="download-thumbnail" src="{html.escape(href)}" alt="" '
            f'width="{THUMBNAIL_SHOWN_WIDTH}" height="{shown}" loading="lazy">')


def _fillable_mark(download: Download) -> str:
    return '<span class="fillable-mark">Fillable form</span>' if download.pdf.fields > 0 else ""


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def _copy_assets(program: Program, docs_dir: Path, project: Project) -> None:
    assets = docs_dir / "assets"
    (assets / "fonts").mkdir(parents=True, exist_ok=True)
    for font in sorted((project.theme / "fonts").glob("*.ttf")):
        shutil.copyfile(font, assets / "fonts" / font.name)
    shutil.copyfile(project.theme / "site.css", assets / "handbook.css")
    shutil.copyfile(project.theme / "forms.js", assets / "forms.js")
    shutil.copyfile(project.theme / "site.js", assets / "site.js")
    brand = program.branding
    (assets / "brand.css").write_text(brand_css(brand, ":root, [data-md-color-scheme=default]", SITE_VARIABLES),
                                      encoding="utf-8")
    if brand.logo:  # the bytes that were checked are the bytes published
        try:
            _, data = read_logo(brand.logo, project.root)
        except LogoRefused as error:
            where = Location(f"program-config/{program.id}.yml")
            raise BuildError([Problem(where, "branding.logo", str(error))]) from None
        (assets / f"logo{Path(brand.logo).suffix.lower()}").write_bytes(data)
