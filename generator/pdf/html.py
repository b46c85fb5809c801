"""PDF stage, first step: a rendered document -> one print HTML file with its page setup (a PdfJob).

generator/pdf/weasy.py turns jobs into PDFs; it is imported only when a PDF is actually rendered,
so a build served from the cache never loads WeasyPrint. The PDF workers import this module for PdfJob
alone, so what only PrintHtml uses (Markdown, the branding and configuration modules: a third of a
worker's start) is imported where it is used.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.cache import TextCache  # generator.cache imports this package
    from generator.config.schema import Program
    from generator.content import DocumentSpec
    from generator.project import Project
    from generator.render import RenderedDocument

PRINT_CSS = "print.css"
PAGE_SIZES = {"letter": "letter", "a4": "A4"}
PDF_VARIANT = "pdf/ua-1"  # tagged, with the PDF/UA identification WeasyPrint writes
# Custom document-info keys (WeasyPrint keeps only letters and digits) that tell `collect`
# which program, form and form version a filled PDF is.
META_PROGRAM, META_DOCUMENT, META_VERSION = "handbookprogram", "handbookdocument", "handbookversion"
SECTION_ANCHOR = "s-"  # a section's id in its document's PDF: s-<section>, its headings s-<section>-<heading>
# A packet's own part links to the documents it bundles (`#part-<document>` or `#part-<document>--<section>`)
# with this URI instead: they are not in its HTML but joined on after (generator/pdf/bundle.py).
PART_LINK = "handbook-part:"


def markdown_extensions(project: Project) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """The Markdown extensions the site uses (from mkdocs.yml), so PDFs render the same syntax."""
    config = project.site_settings()
    names: list[str] = []
    options: dict[str, dict[str, Any]] = {}
    for item in config.get("markdown_extensions", []):
        if isinstance(item, dict):
            (name, opts), = item.items()
            names.append(name)
            options[name] = dict(opts or {})
        else:
            names.append(item)
    return names, options


@dataclass(frozen=True)
class PdfJob:
    """Everything the engine needs for one PDF; plain data, so it can cross to a worker process."""

    document_id: str
    html: str
    program_css: str
    project: str
    identifier: str

    @property
    def has_fields(self) -> bool:
        return "<input" in self.html or "<textarea" in self.html


class PrintHtml:
    """Writes the print HTML of one program's rendered documents: a PDF job (HTML + page setup) each."""

    def __init__(self, project: Project, program: Program, converted: TextCache | None = None):
        """converted: where sections' HTML is kept, so an unchanged section is not converted again."""
        self.project = project.root
        self.program = program
        self.extensions, self.extension_options = markdown_extensions(project)
        self.converted = converted
        self._settings = json.dumps([self.extensions, self.extension_options], sort_keys=True, default=str)

    def program_css(self) -> str:
        from generator.branding import PRINT_VARIABLES, brand_css

        return (
            brand_css(self.program.branding, ":root", PRINT_VARIABLES) +
            f"@page {{ size: {PAGE_SIZES[self.program.paper]}; }}\n"
            f"@page landscape {{ size: {PAGE_SIZES[self.program.paper]} landscape; }}\n"
            f"@page cover-landscape {{ size: {PAGE_SIZES[self.program.paper]} landscape; }}\n"
            ".landscape { page: landscape; }\n"
            ".landscape .cover { page: cover-landscape; height: 150mm; }\n"
        )

    def job(self, document: RenderedDocument) -> PdfJob:
        return PdfJob(document.spec.id, self.document_html(document), self.program_css(), str(self.project),
                      f"{self.program.id}/{document.spec.id}")

    def markdown_to_html(self, text: str, anchor_prefix: str) -> str:
        if self.converted is None:
            return self._converted(text, anchor_prefix)
        key = self.converted.key([self._settings, anchor_prefix, text])
        converted = self.converted.get(key, "print")
        if converted is None:
            converted = self._converted(text, anchor_prefix)
            self.converted.put(key, converted, "print")
        return converted

    def _converted(self, text: str, anchor_prefix: str) -> str:
        import markdown

        options = {name: dict(opts) for name, opts in self.extension_options.items()}
        toc = options.setdefault("toc", {})
        toc["permalink"] = False
        toc["slugify"] = _prefixed_slugify(anchor_prefix)
        extensions = self.extensions if "toc" in self.extensions else [*self.extensions, "toc"]
        html_text: str = markdown.markdown(text, extensions=extensions, extension_configs=options)
        return html_text

    def document_html(self, document: RenderedDocument) -> str:
        program, spec = self.program, document.spec
        esc = html.escape
        logo = ""
        if program.branding.logo:
            src = (self.project / program.branding.logo).as_uri()
            logo = f'<img class="logo" src="{esc(src)}" alt="{esc(program.agency)} logo">'
        chapters, toc = self._chapters(document)
        body = self._form_wrapped(spec, "\n".join(chapters))
        if document.bundle:
            body = body.replace('href="#part-', f'href="{PART_LINK}')
            toc += [f'<li class="toc-part"><a href="{PART_LINK}{esc(part.id)}">{esc(part.title)}</a></li>'
                    for part in document.bundle]
        landscape = " landscape" if spec.orientation == "landscape" else ""
        if spec.kind == "form":
            front = self._form_heading(spec)
        else:
            front = self._cover(spec, logo)
            if len(toc) > 2:
                front += f'<nav class="toc" aria-label="Contents"><h2>Contents</h2><ol>{"".join(toc)}</ol></nav>'
        return f"""<!DOCTYPE html>
<html lang="{esc(program.language)}">
<head>
<meta charset="utf-8">
<title>{esc(spec.title)}: {esc(program.name)}</title>
<meta name="author" content="{esc(program.agency)}">
<meta name="description" content="{esc(spec.description)}">
<meta name="keywords" content="mentoring, {esc(program.name)}, {esc(spec.kind)}">
<meta name="generator" content="handbook">
<meta name="{META_PROGRAM}" content="{esc(program.id)}">
<meta name="{META_DOCUMENT}" content="{esc(spec.id)}">
<meta name="{META_VERSION}" content="{spec.version}">
</head>
<body class="{esc(spec.kind)}{landscape}">
{front}
{body}
</body>
</html>
"""

    def _chapters(self, document: RenderedDocument) -> tuple[list[str], list[str]]:
        """One <section class="chapter"> per rendered section, and its contents entry."""
        esc, spec = html.escape, document.spec
        chapters, toc, seen = [], [], set()
        for index, section in enumerate(document.sections):
            anchor = f"{SECTION_ANCHOR}{section.section.slug}"
            anchor = anchor if anchor not in seen else f"{anchor}-{index}"
            seen.add(anchor)
            body = self.markdown_to_html(section.markdown, anchor)
            brk = " break" if section.section.meta.page_break and not (index == 0 and spec.kind == "form") else ""
            chapters.append(
                f'<section class="chapter{brk}" id="{anchor}">\n<h1>{esc(section.title)}</h1>\n{body}\n</section>'
            )
            toc.append(f'<li><a href="#{anchor}">{esc(section.title)}</a></li>')
        return chapters, toc

    @staticmethod
    def _form_wrapped(spec: DocumentSpec, body: str) -> str:
        if spec.kind != "form":
            return body
        return f'<form class="handbook-form" id="form-{html.escape(spec.id)}">\n{body}\n</form>'

    def _cover(self, spec: DocumentSpec, logo: str) -> str:
        program, esc = self.program, html.escape
        department = f"{esc(program.department)}<br>" if program.department else ""
        return f"""<section class="cover">
  {logo}
  <div class="band">
    <p class="agency">{esc(program.agency)}</p>
    <h1>{esc(spec.title)}</h1>
    <p class="program">{esc(program.name)}</p>
    <p class="meta">{department}Edition {esc(program.edition)}<br>For: {esc(spec.audience)}</p>
  </div>
</section>"""

    def _form_heading(self, spec: DocumentSpec) -> str:
        program, esc = self.program, html.escape
        return (f'<header class="form-heading"><p class="agency">{esc(program.agency)}</p>'
                f'<p class="program">{esc(program.name)} · '
                f'<span class="doc-title">{esc(spec.title)}</span></p></header>')


def _prefixed_slugify(prefix: str) -> Callable[[str, str], str]:
    from markdown.extensions.toc import slugify

    def slug(value: str, separator: str) -> str:
        return f"{prefix}-{slugify(value, separator)}"

    return slug


__all__ = ["PdfJob", "PrintHtml", "markdown_extensions"]
