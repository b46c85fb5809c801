"""The content library: which documents exist and which sections make each one.

content/documents.yml declares documents as ordered lists of sections; content/sections/**.md are
Markdown with Jinja over the program model and a small YAML front matter (title, requires).
generator/render.py renders them for one program; the same rendered sections feed the site pages
and the PDF, so the two never drift.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml
from pydantic import Field, ValidationError

from generator.config.schema import Program
from generator.config.syntax import syntax_problem
from generator.config.types import Model
from generator.config.yamlfile import parse, validate
from generator.errors import ConfigError, ContentError, Location, Problem
from generator.project import CONTENT_DIR, DOCUMENTS_FILE
from generator.projectfiles import MAX_TEXT_BYTES, RefusedFile, read_text
from generator.templating import make_environment, split_front_matter

if TYPE_CHECKING:
    from generator.cache import TextCache

SECTIONS_DIR = "sections"


class DocumentSpec(Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    """Document id; the PDF is pdf/<id>.pdf and the site pages live under <id>/."""
    title: str
    """Title on the cover and in the site navigation."""
    kind: Literal["guide", "workbook", "chart", "form", "packet"]
    """What sort of document it is."""
    audience: str
    """Who it is for, in words."""
    description: str
    """One sentence on what it is for (site index and downloads page)."""
    default: bool = True
    """Published by every program unless the program excludes it."""
    orientation: Literal["portrait", "landscape"] = "portrait"
    """Page orientation of the PDF."""
    version: int = Field(default=1, ge=1)
    """Version of a form's fields; raise it when fields change, so collected PDFs say which they were."""
    sections: list[str] = Field(min_length=1)
    """Section ids in order: paths under content/sections/ without '.md'."""
    bundle: list[str] = []
    """For a packet: ids of the documents printed after its own sections, in order, as one PDF."""


class Library(Model):
    documents: list[DocumentSpec]
    """Every document the content library can produce."""


class SectionMeta(Model):
    title: str
    """Section title (may use Jinja, e.g. 'Expectations of {{ program.mentee_term }}s')."""
    requires: list[str] = []
    """Dotted program paths that must be non-empty for the section to appear, e.g. content.competencies."""
    page_break: bool = False
    """Start the section on a new page in PDFs (otherwise it follows on, avoiding half-empty pages)."""


@dataclass(frozen=True)
class Section:
    id: str
    meta: SectionMeta
    path: Path

    @property
    def slug(self) -> str:
        return self.id.rsplit("/", 1)[-1]


@dataclass
class ContentLibrary:
    root: Path
    documents: list[DocumentSpec]
    sections: dict[str, Section]
    compiled: TextCache | None = None  # where compiled templates are kept between builds (the build cache)
    _env: Any = field(default=None, repr=False)

    def environment(self) -> Any:
        """One Jinja environment for every program and target: each template compiles once."""
        if self._env is None:
            self._env = make_environment(self.root, self.compiled)
        return self._env

    def published(self, program: Program) -> list[DocumentSpec]:
        """The documents this program publishes: defaults, less exclusions, plus inclusions."""
        chosen = program.documents
        return [
            d for d in self.documents
            if (d.default and d.id not in chosen.exclude) or d.id in chosen.include
        ]


def load_library(project: Path, compiled: TextCache | None = None) -> ContentLibrary:
    """content/: the documents and their sections. compiled: where to keep compiled templates."""
    root = project / CONTENT_DIR
    source = f"{CONTENT_DIR}/{DOCUMENTS_FILE}"
    path = root / DOCUMENTS_FILE
    if not os.path.lexists(path):
        raise ContentError(Problem(Location(source), "", "the documents list is missing"))
    try:
        document = parse(path, source, project)  # a regular file inside the project, size checked first
        library = validate(Library, document, source)
    except ConfigError as error:  # same problems, reported as content mistakes
        raise ContentError(error.problems) from None
    problems: list[Problem] = []
    sections: dict[str, Section] = {}
    seen_docs: set[str] = set()
    for d, spec in enumerate(library.documents):
        if spec.id in seen_docs:
            problems.append(Problem(document.where(("documents", d, "id"), source), f"documents[{d}].id",
                                    f"document id '{spec.id}' is used twice"))
        seen_docs.add(spec.id)
        for b, bundled in enumerate(spec.bundle):
            target = next((x for x in library.documents if x.id == bundled), None)
            if target is None or target.kind == "packet" or bundled in spec.bundle[:b]:
                why = ("is not a document" if target is None else "is a packet itself" if target.kind == "packet"
                       else "is bundled twice")
                problems.append(Problem(document.where(("documents", d, "bundle", b), source),
                                        f"documents[{d}].bundle[{b}]", f"'{bundled}' {why}"))
        for s, section_id in enumerate(spec.sections):
            if section_id in sections:
                continue
            try:
                sections[section_id] = _load_section(root, section_id)
            except ContentError as error:
                where = document.where(("documents", d, "sections", s), source)
                problems.extend(replace(p, location=where if p.location.line is None else p.location,
                                        field=f"documents[{d}].sections[{s}]") for p in error.problems)
    if problems:
        raise ContentError(problems)
    return ContentLibrary(root, library.documents, sections, compiled)


def _load_section(root: Path, section_id: str) -> Section:
    label = f"{CONTENT_DIR}/{SECTIONS_DIR}/{section_id}.md"
    path = (root / SECTIONS_DIR / f"{section_id}.md")
    if ".." in Path(section_id).parts or "\0" in section_id or not os.path.lexists(path):
        raise ContentError(Problem(Location(label), "", f"section '{section_id}' does not exist"))
    try:  # the real path (links resolved) must be a regular file inside content/, size checked first
        text = read_text(path, root, MAX_TEXT_BYTES, inside=f"{CONTENT_DIR}/")
    except RefusedFile as error:
        raise ContentError(Problem(Location(label), "", f"section '{section_id}' {error}")) from None
    front, _ = split_front_matter(text)
    marked = "\n" + front  # after the opening '---': the parser's line numbers are the file's
    try:
        raw = yaml.safe_load(marked) if front else None
    except yaml.MarkedYAMLError as error:
        problem = syntax_problem(marked, error, label)
        raise ContentError(replace(problem, message=f"front matter: {problem.message}")) from None
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError) as error:  # e.g. a date like 2027-02-30
        raise ContentError(Problem(Location(label, 2), "", f"front matter: {error}")) from None
    if not isinstance(raw, dict):
        raise ContentError(Problem(Location(label, 1), "", "a section starts with front matter giving its title"))
    try:
        meta = SectionMeta.model_validate(raw)
    except ValidationError as error:
        raise ContentError([
            Problem(Location(label, 1), ".".join(map(str, e["loc"])), e["msg"]) for e in error.errors()
        ]) from None
    return Section(section_id, meta, path)
