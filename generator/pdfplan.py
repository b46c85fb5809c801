"""PDF stage, the planning side: which of a program's PDFs the cache has and which the workers must render,
and, once they are done, each packet joined to its parts. build.py calls plan_pdfs as it starts a
program and collect_pdfs when the program's pages that show the PDFs are built; serve's background
refresh (refresh.py) calls both."""

from __future__ import annotations

import json
import shutil
from concurrent.futures import Future, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.cache import Cache
from generator.config import Program
from generator.content import ContentLibrary, DocumentSpec
from generator.errors import BuildError, Location, Problem, report_warnings
from generator.facts import ProgramFacts, derive_facts
from generator.output import new_staging
from generator.pdf import PdfResult, PrintHtml
from generator.pdf.bundle import join_packet
from generator.pdf.pool import PdfPool, PdfTask
from generator.progress import StageCounter
from generator.project import Project
from generator.projectfiles import RefusedFile, read_bytes
from generator.render import Renderer
from generator.site import Download

OWN_PARTS = "packets"  # staging subfolder for packets' own parts (not published)


@dataclass
class ProgramPlan:
    """One program on its way: staging folder, and a PDF (cached or pending) per document."""

    program: Program
    facts: ProgramFacts
    staging: Path
    pdfs: list[tuple[DocumentSpec, PdfResult | Future[PdfResult] | Any]]  # (document, cached PDF or pending result)
    inputs_key: str = ""  # Cache.program_key: remembered once the program's output is current
    pdf_keys: list[str] = field(default_factory=list)  # each document's Cache.pdf_key: what its PDF is made of

    @property
    def docs_dir(self) -> Path:
        return self.staging / "docs"

    @property
    def pdf_dir(self) -> Path:
        """The finished PDFs (and thumbnails), moved into the site once it is built."""
        return self.staging / "pdf"


def plan_pdfs(program: Program, library: ContentLibrary, project: Project, out: Path, cache: Cache,
              engine: PdfPool, counter: StageCounter | None = None, inputs_key: str = "") -> ProgramPlan:
    """Render each document's HTML; take unchanged PDFs from the cache, send the rest to the engine as soon as
    each is rendered, the longest first (so no worker idles at the end while another lays out the longest
    document alone). The counter hears of each PDF when it is ready; `inputs_key` is remembered once the
    output is current."""
    staging = new_staging(out, program.id)
    plan = ProgramPlan(program, derive_facts(program), staging, [], inputs_key)
    renderer = Renderer(library, program, "pdf", plan.facts)
    pdfs = PrintHtml(project, program, cache.texts())
    specs = renderer.published
    expected = expected_pages(out / program.id, specs)
    sources: list[PdfResult | Future[PdfResult] | Any] = [None] * len(specs)
    plan.pdf_keys = [""] * len(specs)
    try:
        for index in sorted(range(len(specs)), key=lambda i: -expected[i]):  # stable: ties keep their order
            spec = specs[index]
            job = pdfs.job(renderer.document(spec))
            plan.pdf_keys[index] = key = cache.pdf_key(job.html, job.program_css, job.identifier)
            sources[index] = cache.get_pdf(key, spec.id)
            if sources[index] is None:
                # A packet's own part is not published: the packet joins it to its parts (collect_pdfs).
                target = (staging / OWN_PARTS if spec.bundle else plan.pdf_dir) / f"{spec.id}.pdf"
                folder = str(cache.folder) if cache.enabled else None
                sources[index] = pending = engine.submit(PdfTask(job, str(target), folder, key))
                if counter:
                    pending.add_done_callback(counter.on_done(f"{program.id}: {spec.id}.pdf"))
            elif counter:
                counter.finished(f"{program.id}: {spec.id}.pdf", cached=True)
    except BaseException:
        abandon([source for source in sources if isinstance(source, Future)])
        shutil.rmtree(staging, ignore_errors=True)
        raise
    plan.pdfs = list(zip(specs, sources, strict=True))
    return plan


def abandon(pending: list[Future[PdfResult]]) -> None:
    """PDFs no longer wanted: those not started are cancelled, and those rendering are waited for, so that
    none writes into the staging folder after it is removed."""
    for future in pending:
        future.cancel()
    wait(pending)


def expected_pages(output: Path, specs: list[DocumentSpec]) -> list[int]:
    """Each document's page count in the program's last build (its manifest.json), else its section count.
    A packet lays out only its own sections (its parts are joined on), so it counts those."""
    try:
        manifest = json.loads(read_bytes(output / "manifest.json", output))
        last = {entry["id"]: int(entry["pages"]) for entry in manifest["documents"]}
    except (OSError, ValueError, KeyError, TypeError, RefusedFile):
        last = {}
    return [len(spec.sections) if spec.bundle else last.get(spec.id, len(spec.sections)) for spec in specs]


def collect_pdfs(plan: ProgramPlan, cache: Cache,
                 strict: bool = False) -> tuple[list[Download], list[PdfResult], list[str]]:
    """Wait for the program's PDFs (or copy them from the cache) into the staging folder, and join each
    packet to the PDFs of its parts. WeasyPrint's warnings fail a strict build, and are HandbookWarnings
    otherwise."""
    downloads, results, rendered = [], [], []
    pdf_dir = plan.pdf_dir
    pdf_dir.mkdir(parents=True, exist_ok=True)
    ready = {spec.id: (spec, finished_pdf(plan.program, spec, source, strict)) for spec, source in plan.pdfs}
    for spec, _ in plan.pdfs:
        result = ready[spec.id][1]
        if spec.bundle:
            parts = [ready[doc_id] for doc_id in spec.bundle if doc_id in ready]
            result = join_packet(f"{plan.program.id}: document {spec.id}", (spec, result), parts,
                                 pdf_dir / f"{spec.id}.pdf", cache)
            report_warnings(f"{plan.program.id}: document {spec.id}", result.warnings, strict)
        if result.cached:
            shutil.copyfile(result.path, pdf_dir / f"{spec.id}.pdf")
            if result.thumbnail:
                shutil.copyfile(result.thumbnail, pdf_dir / f"{spec.id}{Path(result.thumbnail).suffix}")
        else:
            rendered.append(spec.id)
        downloads.append(Download(spec, f"pdf/{spec.id}.pdf", result))
        results.append(result)
    return downloads, results, rendered


def finished_pdf(program: Program, spec: DocumentSpec, source: PdfResult | Future[PdfResult] | Any,
                 strict: bool) -> PdfResult:
    """A document's PDF from the cache, or from the engine once it is done (its warnings reported)."""
    if isinstance(source, PdfResult):
        return source
    result: PdfResult = source.result()
    if result.refused:
        raise BuildError([Problem(Location(f"{program.id}: document {spec.id}"), "",
                                  f"refused to fetch {url}") for url in result.refused])
    report_warnings(f"{program.id}: document {spec.id}", result.warnings, strict)
    return result
