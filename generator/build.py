"""The recipe: load -> render -> PDFs -> site -> manifest -> publish. Reads top to bottom.

Every program is built in a staging folder beside the output and swapped into place only when
complete (generator/output.py), so a failed or killed build leaves the previous output untouched.
PDFs (the slow stage) run in a process pool and come from a content-hash cache when nothing they
depend on changed; while one program's site is built, the next program's PDFs are already rendering.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.cache import Cache
from generator.config import Program, load_programs
from generator.content import ContentLibrary, DocumentSpec, Renderer, load_library
from generator.errors import BuildError, Location, Problem, report_warnings
from generator.facts import ProgramFacts, derive_facts
from generator.facts.schedule import ics_calendar
from generator.output import build_lock, new_staging, publish, remove_leftovers
from generator.pdf import PdfResult, PrintHtml
from generator.pdf.pool import PdfPool, PdfTask, default_jobs
from generator.project import Project
from generator.projectfiles import check_project_files
from generator.render import render_template
from generator.shard import Shard, clear_record, plan_shard, source_hash, write_record
from generator.site import Download, build_site, configured_engine, site_config, stage_docs, write_programs_index

DEFAULT_OUT = "site"
DEFAULT_CACHE = ".handbook-cache"
HOME_TEMPLATE = "home.md"
CALENDAR_FILE = "calendar.ics"
LOOKAHEAD = 1  # programs whose PDFs render ahead of the one being finished (bounds memory)

Progress = Callable[[str], None]


class StageTimes(dict[str, float]):
    """Seconds spent per stage (load, render, pdf, site, publish), summed over programs."""

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self[name] = self.get(name, 0.0) + time.perf_counter() - start


@dataclass
class ProgramReport:
    program: Program
    path: Path
    documents: list[PdfResult] = field(default_factory=list)
    pages: int = 0
    rendered: list[str] = field(default_factory=list)  # documents whose PDF was rendered, not cached
    site_built: bool = True


@dataclass
class ProgramPlan:
    """One program on its way: staging folder, and a PDF (cached or pending) per document."""

    program: Program
    facts: ProgramFacts
    staging: Path
    pdfs: list[tuple[DocumentSpec, PdfResult | Future[PdfResult] | Any]]  # (document, cached PDF or pending result)

    @property
    def docs_dir(self) -> Path:
        return self.staging / "docs"


def check(project: Path, ids: list[str] | None = None) -> list[Program]:
    """Validate content and programs without building; raises HandbookError with every problem."""
    return load(project, ids)[1]


def load(project: Path, ids: list[str] | None = None,
         template_cache: Path | None = None) -> tuple[ContentLibrary, list[Program]]:
    """The content library and the named programs (default: all), validated against each other."""
    library = load_library(project, template_cache)
    programs = load_programs(project, ids, documents={d.id for d in library.documents})
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
    progress = progress or (lambda _: None)
    build_epoch = source_date_epoch()
    with times.stage("load"):
        folder = cache_folder(project, cache_dir)
        library, programs = load(project, ids, template_cache=folder / "templates" if folder else None)
        shared = Project.load(project)  # paths and mkdocs.yml, read once for every stage
        site_engine = configured_engine(shared, site_engine)
        cache = Cache(folder, project)
        part = plan_shard(shard, library, programs, balance_from) if shard else None
        programs = [p for p in programs if p.id in part.assigned] if part else programs
    out.mkdir(parents=True, exist_ok=True)
    reports = []
    with build_lock(out), PdfPool(jobs or default_jobs()) as engine:
        remove_leftovers(out)
        clear_record(out)
        pending: deque[ProgramPlan] = deque()
        try:
            for program in programs:
                with times.stage("render"):
                    pending.append(plan_pdfs(program, library, shared, out, cache, engine, progress))
                if len(pending) > LOOKAHEAD:
                    reports.append(finish_program(pending.popleft(), library, shared, out, cache, progress, times,
                                                  site_engine, build_epoch, strict))
            while pending:
                reports.append(finish_program(pending.popleft(), library, shared, out, cache, progress, times,
                                              site_engine, build_epoch, strict))
        finally:
            for plan in pending:
                shutil.rmtree(plan.staging, ignore_errors=True)
        write_programs_index(out)
        if part:
            write_record(out, part, source_hash(project, site_engine, build_epoch))
    return reports


def cache_folder(project: Path, cache_dir: Path | bool | None) -> Path | None:
    """The build cache's folder: the one given, else .handbook-cache/ in the project; None: no cache."""
    if cache_dir is False:
        return None
    return (project / DEFAULT_CACHE if cache_dir is None or isinstance(cache_dir, bool) else Path(cache_dir)).resolve()


def plan_pdfs(program: Program, library: ContentLibrary, project: Project, out: Path, cache: Cache,
              engine: PdfPool, progress: Progress) -> ProgramPlan:
    """Render each document's HTML; take unchanged PDFs from the cache, send the rest to the engine."""
    staging = new_staging(out, program.id)
    plan = ProgramPlan(program, derive_facts(program), staging, [])
    renderer = Renderer(library, program, "pdf", plan.facts)
    pdfs = PrintHtml(project, program)
    for spec in renderer.published:
        try:
            job = pdfs.job(renderer.document(spec))
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        key = cache.pdf_key(job.html, job.program_css, job.identifier)
        hit = cache.get_pdf(key, spec.id)
        if hit is None:
            progress(f"{program.id}: {spec.id}.pdf")
            target = plan.docs_dir / "pdf" / f"{spec.id}.pdf"
            folder = str(cache.folder) if cache.enabled else None
            plan.pdfs.append((spec, engine.submit(PdfTask(job, str(target), folder, key))))
        else:
            plan.pdfs.append((spec, hit))
    return plan


def finish_program(plan: ProgramPlan, library: ContentLibrary, project: Project, out: Path, cache: Cache,
                   progress: Progress, times: StageTimes, site_engine: str, build_epoch: int = 0,
                   strict: bool = False) -> ProgramReport:
    program = plan.program
    try:
        with times.stage("pdf"):
            downloads, results, rendered = collect_pdfs(plan, strict)
        write_calendar(plan.facts, plan.docs_dir, build_epoch)
        site_dir = plan.staging / "site"
        with times.stage("render"):
            config = stage_site(plan.facts, library, project, plan.docs_dir, site_dir, downloads, plan.staging,
                                site_engine)
        key = cache.site_key(plan.docs_dir, config)
        report = ProgramReport(program, out / program.id, results, sum(r.pages for r in results), rendered)
        if cache.site_is_current(program.id, key, out / program.id):
            report.site_built = False
            return report
        progress(f"{program.id}: site")
        with times.stage("site"):
            build_site(config, plan.staging / "mkdocs.yml", build_epoch)
        with times.stage("publish"):
            write_manifest(program, [spec for spec, _ in plan.pdfs], results, site_dir)
            publish(site_dir, out / program.id)
            cache.remember_site(program.id, key)
        return report
    finally:
        shutil.rmtree(plan.staging, ignore_errors=True)


def collect_pdfs(plan: ProgramPlan, strict: bool = False) -> tuple[list[Download], list[PdfResult], list[str]]:
    """Wait for the program's PDFs (or copy them from the cache) into the staging folder. WeasyPrint's
    warnings fail a strict build, and are HandbookWarnings otherwise."""
    downloads, results, rendered = [], [], []
    pdf_dir = plan.docs_dir / "pdf"
    pdf_dir.mkdir(parents=True, exist_ok=True)
    for spec, source in plan.pdfs:
        if isinstance(source, PdfResult):
            shutil.copyfile(source.path, pdf_dir / f"{spec.id}.pdf")
            result = source
        else:
            result = source.result()
            if result.refused:
                raise BuildError([Problem(Location(f"{plan.program.id}: document {spec.id}"), "",
                                          f"refused to fetch {url}") for url in result.refused])
            report_warnings(f"{plan.program.id}: document {spec.id}", result.warnings, strict)
            rendered.append(spec.id)
        downloads.append(Download(spec, f"pdf/{spec.id}.pdf", result.pages, result.size))
        results.append(result)
    return downloads, results, rendered


def stage_site(facts: ProgramFacts, library: ContentLibrary, project: Project, docs_dir: Path, site_dir: Path,
               downloads: list[Download], config_dir: Path, site_engine: str) -> dict[str, Any]:
    """Render every site page into docs_dir; return the site configuration (for a file in config_dir)."""
    program = facts.program
    renderer = Renderer(library, program, "site", facts)
    documents = [renderer.document(spec) for spec in renderer.published]
    nav = stage_docs(program, documents, render_home(library, renderer), downloads, docs_dir, project)
    return site_config(program, nav, docs_dir, site_dir, project, config_dir, site_engine)


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
                "edition": program.edition, "documents": documents}
    (site_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
