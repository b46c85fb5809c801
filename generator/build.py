"""The recipe: load -> render -> PDFs -> site -> manifest -> publish. Reads top to bottom.

Every program is built in a staging folder beside the output and swapped into place only when
complete (generator/output.py), so a failed or killed build leaves the previous output untouched.
PDFs (the slow stage) run in a process pool and come from a content-hash cache when nothing they
depend on changed. A program's site is built while its PDFs render (only the pages that show the PDFs
wait for them), and the next program's PDFs are queued before it, so the workers never run dry.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.cache import Cache, TextCache, source_hash
from generator.config import Program, load_programs
from generator.content import ContentLibrary, DocumentSpec, load_library
from generator.facts import ProgramFacts
from generator.facts.schedule import ics_calendar
from generator.output import build_lock, publish, remove_leftovers
from generator.pdf import PdfResult
from generator.pdf.pool import PdfPool, default_jobs
from generator.pdfplan import ProgramPlan, collect_pdfs, plan_pdfs
from generator.progress import Progress, StageCounter, no_progress
from generator.project import Project
from generator.projectfiles import check_project_files
from generator.render import RenderedDocument, Renderer
from generator.shard import Shard, clear_record, plan_shard, write_record
from generator.site import (
    Download,
    LatePages,
    SitePage,
    build_site,
    configured_engine,
    pdf_pages,
    site_config,
    stage_docs,
    write_programs_index,
)
from generator.templating import render_template

DEFAULT_OUT = "site"
DEFAULT_CACHE = ".handbook-cache"
HOME_TEMPLATE = "home.md"
CALENDAR_FILE = "calendar.ics"
LOOKAHEAD = 1  # programs whose PDFs render ahead of the one being finished (bounds memory)


class StageTimes(dict[str, float]):
    """Seconds spent per stage (load, render, pdf, site, publish), summed over programs. A stage inside
    another (waiting for the PDFs while the site builds) counts for itself only."""

    def __init__(self) -> None:
        super().__init__()
        self._nested: list[float] = []  # per open stage: seconds of the stages inside it

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        self._nested.append(0.0)
        try:
            yield
        finally:
            elapsed = time.perf_counter() - start
            self[name] = self.get(name, 0.0) + elapsed - self._nested.pop()
            if self._nested:
                self._nested[-1] += elapsed


@dataclass
class ProgramReport:
    program: Program
    path: Path
    documents: list[PdfResult] = field(default_factory=list)
    pages: int = 0
    rendered: list[str] = field(default_factory=list)  # documents whose PDF was rendered, not cached
    site_built: bool = True


def check(project: Path, ids: list[str] | None = None, strict: bool = False) -> list[Program]:
    """Validate content and programs without building; raises HandbookError with every problem.
    Warnings (a placeholder left in, two programs of one name) are HandbookWarnings; strict: problems."""
    return load(project, ids, strict=strict)[1]


def load(project: Path, ids: list[str] | None = None, compiled: TextCache | None = None,
         strict: bool = False) -> tuple[ContentLibrary, list[Program]]:
    """The content library and the named programs (default: all), validated against each other.
    compiled: where the content's compiled templates are kept (the build cache)."""
    library = load_library(project, compiled)
    programs = load_programs(project, ids, documents={d.id for d in library.documents}, strict=strict)
    check_project_files(project)  # theme/, mkdocs.yml: no FIFO, device, outside link or huge file
    return library, programs


def build(project: Path, ids: list[str] | None = None, out: Path | None = None,
          progress: Progress | None = None, times: StageTimes | None = None,
          jobs: int | None = None, cache_dir: Path | bool | None = None,
          site_engine: str | None = None, strict: bool = False, shard: Shard | None = None,
          balance_from: Path | None = None) -> list[ProgramReport]:
    """Build the named programs (default: all). cache_dir=False disables the cache; site_engine
    ('mkdocs' or 'zensical') overrides mkdocs.yml's `site_engine`; strict: a warning fails the build;
    shard: only that shard's part of the programs (generator/shard.py), balanced on balance_from's manifests."""
    project = project.resolve()
    out = (out or project / DEFAULT_OUT).resolve()
    times = StageTimes() if times is None else times
    build_epoch = source_date_epoch()
    with times.stage("load"):
        cache = Cache(cache_folder(project, cache_dir), project)
        library, programs = load(project, ids, compiled=cache.texts(), strict=strict)
        shared = Project.load(project)  # paths and mkdocs.yml, read once for every stage
        site_engine = configured_engine(shared, site_engine)
        part = plan_shard(shard, library, programs, balance_from) if shard else None
        programs = [p for p in programs if p.id in part.assigned] if part else programs
    progress = progress or no_progress
    pdf_count = StageCounter(progress, "pdf", sum(len(library.published(p)) for p in programs))
    site_count = StageCounter(progress, "site", len(programs))
    out.mkdir(parents=True, exist_ok=True)
    reports = []
    with build_lock(out), PdfPool(jobs or default_jobs()) as engine:
        remove_leftovers(out)
        clear_record(out)
        source = source_hash(project, site_engine, build_epoch, cache.salt or None)

        def finish(item: ProgramPlan | ProgramReport) -> ProgramReport:
            if isinstance(item, ProgramReport):  # the program's output was current: nothing to finish
                return item
            return finish_program(item, library, shared, out, cache, site_count, times, site_engine, build_epoch,
                                  strict)

        pending: deque[ProgramPlan | ProgramReport] = deque()
        try:
            for program in programs:
                with times.stage("render"):
                    key = cache.program_key(source, program.id, logo_path(shared.root, program))
                    unchanged = unchanged_program(program, library, out, cache, key, pdf_count, site_count)
                    if unchanged is None:
                        engine.warm_up()  # the workers start while this program's HTML is rendered
                    pending.append(unchanged or plan_pdfs(program, library, shared, out, cache, engine, pdf_count, key))
                if len(pending) > LOOKAHEAD:
                    reports.append(finish(pending.popleft()))
            while pending:
                reports.append(finish(pending.popleft()))
        finally:
            for plan in pending:
                if isinstance(plan, ProgramPlan):
                    shutil.rmtree(plan.staging, ignore_errors=True)
        write_programs_index(out, shared.theme)
        if part:
            write_record(out, part, source)
    return reports


def cache_folder(project: Path, cache_dir: Path | bool | None) -> Path | None:
    """The build cache's folder: the one given, else .handbook-cache/ in the project; None: no cache."""
    if cache_dir is False:
        return None
    return (project / DEFAULT_CACHE if cache_dir is None or isinstance(cache_dir, bool) else Path(cache_dir)).resolve()


def unchanged_program(program: Program, library: ContentLibrary, out: Path, cache: Cache, inputs_key: str,
                      pdfs: StageCounter, sites: StageCounter) -> ProgramReport | None:
    """The report of a program whose output was built from these very inputs (`inputs_key`, Cache.program_key)
    and is still whole: nothing of it is rendered again (a no-change rebuild costs the check of the inputs).
    None: build it."""
    output = out / program.id
    results = cache.current_program(inputs_key, output)
    if results is None or [r.document_id for r in results] != [d.id for d in library.published(program)]:
        return None
    for result in results:
        pdfs.finished(f"{program.id}: {result.document_id}.pdf", cached=True)
    sites.finished(program.id, cached=True)
    return ProgramReport(program, output, results, sum(r.pages for r in results), [], site_built=False)


def logo_path(project: Path, program: Program) -> Path | None:
    return project / program.branding.logo if program.branding.logo else None


def finish_program(plan: ProgramPlan, library: ContentLibrary, project: Project, out: Path, cache: Cache,
                   sites: StageCounter, times: StageTimes, site_engine: str, build_epoch: int = 0,
                   strict: bool = False) -> ProgramReport:
    """Stage and build the program's site while its PDFs render: only the pages that show the PDFs (each
    document's index and Downloads) wait for them, and are built last. Then publish site and PDFs."""
    program = plan.program
    pdfs = functools.cache(lambda: collect_pdfs(plan, cache, strict))  # waits for the PDFs (once)
    try:
        write_calendar(plan.facts, plan.docs_dir, build_epoch)
        site_dir = plan.staging / "site"
        with times.stage("render"):
            staged = stage_site(plan.facts, library, project, plan.docs_dir, site_dir, provisional_downloads(plan),
                                plan.staging, site_engine)
        key = cache.site_key(plan.docs_dir, staged.config, plan.pdf_keys)  # the PDFs by what they are made of
        if cache.site_is_current(key, out / program.id):
            with times.stage("pdf"):
                _, results, rendered = pdfs()
            sites.finished(program.id, cached=True)
            cache.remember_program(plan.inputs_key, out / program.id)
            return ProgramReport(program, out / program.id, results, sum(r.pages for r in results), rendered,
                                 site_built=False)

        def pages_showing_pdfs() -> list[SitePage]:
            with times.stage("pdf"):
                downloads = pdfs()[0]
            return staged.pdf_pages(downloads)

        with times.stage("site"):
            build_site(staged.config, plan.staging / "mkdocs.yml", build_epoch,
                       LatePages(staged.pdf_page_paths, pages_showing_pdfs), cache.texts())
        _, results, rendered = pdfs()
        with times.stage("publish"):
            move_files(plan.pdf_dir, site_dir / "pdf")  # over the engine's copies of the placeholders
            write_manifest(program, [spec for spec, _ in plan.pdfs], results, site_dir)
            publish(site_dir, out / program.id)
            cache.remember_site(key, out / program.id)
            cache.remember_program(plan.inputs_key, out / program.id)
        sites.finished(program.id)
        return ProgramReport(program, out / program.id, results, sum(r.pages for r in results), rendered)
    finally:
        shutil.rmtree(plan.staging, ignore_errors=True)


def provisional_downloads(plan: ProgramPlan) -> list[Download]:
    """The program's PDFs before they are done: pages that show them are staged with these, and written
    again once the PDFs are ready. An empty placeholder stands in the docs folder for each PDF, so the site
    engine's link check finds the file the pages link to."""
    pdf_folder = plan.docs_dir / "pdf"
    pdf_folder.mkdir(parents=True, exist_ok=True)
    for spec, _ in plan.pdfs:
        (pdf_folder / f"{spec.id}.pdf").touch()
    return [Download(spec, f"pdf/{spec.id}.pdf", PdfResult(spec.id, "", 0, 0, "")) for spec, _ in plan.pdfs]


def move_files(source: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.iterdir()) if source.is_dir() else []:
        os.replace(path, target / path.name)


@dataclass(frozen=True)
class StagedSite:
    """A program's site pages, staged: the engine's configuration, and the documents as rendered for the site
    (for the pages that show the PDFs, written again once the PDFs are done)."""

    program: Program
    config: dict[str, Any]
    documents: list[RenderedDocument]

    def pdf_pages(self, downloads: list[Download]) -> list[SitePage]:
        return pdf_pages(self.program, self.documents, downloads)

    @property
    def pdf_page_paths(self) -> frozenset[str]:
        return frozenset(page.path for page in self.pdf_pages([]))


def stage_site(facts: ProgramFacts, library: ContentLibrary, project: Project, docs_dir: Path, site_dir: Path,
               downloads: list[Download], config_dir: Path, site_engine: str) -> StagedSite:
    """Render every site page into docs_dir; return the site configuration (for a file in config_dir)."""
    program = facts.program
    renderer = Renderer(library, program, "site", facts)
    documents = [renderer.document(spec) for spec in renderer.published]
    nav = stage_docs(program, documents, render_home(library, renderer), downloads, docs_dir, project)
    return StagedSite(program, site_config(program, nav, docs_dir, site_dir, project, config_dir, site_engine),
                      documents)


def render_home(library: ContentLibrary, renderer: Renderer) -> str:
    env = library.environment()
    context = renderer.context(renderer.published[0]) if renderer.published else {"program": renderer.program}
    return render_template(env, HOME_TEMPLATE, context, f"content/{HOME_TEMPLATE}")


def source_date_epoch() -> int:
    """The build date, in seconds since 1970: the caller's SOURCE_DATE_EPOCH, else 0, so that identical input
    gives identical bytes. Read once here and passed to every stage that stamps a date."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    return int(value) if value.strip().isdigit() else 0


def write_calendar(facts: ProgramFacts, docs_dir: Path, build_epoch: int = 0) -> Path | None:
    """calendar.ics beside the site pages, when the program has a start date."""
    data = ics_calendar(facts.program, list(facts.milestones), build_epoch)
    if data is None:
        return None
    docs_dir.mkdir(parents=True, exist_ok=True)
    (docs_dir / CALENDAR_FILE).write_bytes(data)
    return docs_dir / CALENDAR_FILE


def write_manifest(program: Program, specs: list[DocumentSpec], results: list[PdfResult], site_dir: Path) -> None:
    documents = [result.manifest_entry(spec.title, spec.kind, f"pdf/{spec.id}.pdf")
                 for spec, result in zip(specs, results, strict=True)]
    manifest = {"program": program.id, "name": program.name, "agency": program.agency,
                "edition": program.edition, "primary_color": program.branding.primary_color,  # for DIR/index.html
                "documents": documents}
    (site_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
