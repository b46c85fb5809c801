"""Rendering stage: one program's documents from the content library, as Markdown per section.

Each section's title and body are Jinja templates (generator/templating.py: sandboxed, every value
escaped) over the program, its facts and the form-field vocabulary. The site renders them as pages;
the PDF stage (generator/pdf/) turns the same sections into print HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from markupsafe import Markup, escape

from generator.config.schema import Program
from generator.content import SECTIONS_DIR, ContentLibrary, DocumentSpec, Section
from generator.errors import ContentError, Location, Problem
from generator.facts import ProgramFacts, derive_facts
from generator.forms import form_globals, journal_rows
from generator.project import CONTENT_DIR
from generator.templating import plain_text, render_template


@dataclass(frozen=True)
class RenderedSection:
    section: Section
    title: str      # plain text: each output escapes it for its own syntax
    markdown: str


@dataclass(frozen=True)
class RenderedDocument:
    spec: DocumentSpec
    sections: list[RenderedSection]
    bundle: list[DocumentSpec] = field(default_factory=list)  # a packet's bundled documents (joined as PDFs)


Target = Literal["site", "pdf"]


class Renderer:
    """Renders documents for one program and one target (site or pdf)."""

    def __init__(self, library: ContentLibrary, program: Program, target: Target, facts: ProgramFacts | None = None):
        self.library = library
        self.program = program
        self.target = target
        self.env = library.environment()
        self.published = library.published(program)
        self.facts = facts or derive_facts(program)

    def context(self, spec: DocumentSpec) -> dict[str, Any]:
        program = self.program
        return {
            "program": program,
            "facts": self.facts,
            "document": spec,
            "documents": self.published,
            "published": {d.id for d in self.published},
            "target": self.target,
            "mentor": program.mentor_term,
            "mentee": program.mentee_term,
            "link": self.link,
            "section_title": self.section_title,
            "journal_rows": journal_rows(self.facts),
            "bundle": self.bundle(spec),
            **form_globals(spec.id),
        }

    def link(self, document_id: str, text: str | None = None) -> Markup:
        """A reference to another document: a link on the site, its title in italics in a PDF."""
        spec = next((d for d in self.published if d.id == document_id), None)
        label = escape(text or (spec.title if spec else document_id))
        if spec is None or self.target == "pdf":
            return Markup(f"<em>{label}</em>")
        return Markup(f'<a href="../{spec.id}/index.html">{label}</a>')

    def section_title(self, document_id: str, slug: str) -> str:
        """The title a section of a published document prints under (its running header in the PDF), so a
        packet's agenda can name it; empty when the document is not published or has no such section."""
        spec = next((d for d in self.published if d.id == document_id), None)
        section_id = next((s for s in spec.sections if s.rsplit("/", 1)[-1] == slug), None) if spec else None
        if spec is None or section_id is None:
            return ""
        return self._title(self.library.sections[section_id], self.context(spec))

    def _title(self, section: Section, context: dict[str, Any]) -> str:
        label = f"{CONTENT_DIR}/{SECTIONS_DIR}/{section.id}.md"
        return plain_text(render_template(self.env, section.meta.title, context, label, inline=True).strip())

    def bundle(self, spec: DocumentSpec) -> list[DocumentSpec]:
        """The documents a packet bundles that this program publishes, in the packet's order."""
        by_id = {d.id: d for d in self.published}
        return [by_id[doc_id] for doc_id in spec.bundle if doc_id in by_id]

    def document(self, spec: DocumentSpec) -> RenderedDocument:
        context = self.context(spec)
        rendered = []
        for section_id in spec.sections:
            section = self.library.sections[section_id]
            if not self._required_present(section):
                continue
            label = f"{CONTENT_DIR}/{SECTIONS_DIR}/{section_id}.md"
            body = render_template(self.env, f"{SECTIONS_DIR}/{section_id}.md", context, label)
            rendered.append(RenderedSection(section, self._title(section, context), body.strip() + "\n"))
        return RenderedDocument(spec, rendered, self.bundle(spec))

    def _required_present(self, section: Section) -> bool:
        for dotted in section.meta.requires:
            value: Any = self.program
            for part in dotted.split("."):
                if not hasattr(value, part) or part.startswith("_"):
                    label = f"{CONTENT_DIR}/{SECTIONS_DIR}/{section.id}.md"
                    raise ContentError(Problem(Location(label, 1), "requires", f"'{dotted}' is not a program field"))
                value = getattr(value, part)
            if value is None or value == [] or value == {} or value is False:
                return False
        return True

