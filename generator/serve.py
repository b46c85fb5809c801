"""Live preview of one program's site: re-render and rebuild when content, config or theme change.

Everything generated lives in a temporary folder outside the project, so the watcher never sees
its own output (writing into a watched folder would rebuild forever).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from generator.build import DEFAULT_CACHE, collect_pdfs, load, plan_pdfs, stage_site
from generator.cache import Cache
from generator.engine import PdfEngine, default_jobs
from generator.facts import derive_facts
from generator.config.errors import HandbookError
from generator.site import build_site


def serve(project: Path, program_id: str, port: int = 8000) -> None:
    from mkdocs.livereload import LiveReloadServer

    project = project.resolve()
    library, (program,) = load(project, [program_id])
    work = Path(tempfile.mkdtemp(prefix=f"handbook-serve-{program_id}-"))
    print(f"rendering the PDFs of {program_id} once (restart to refresh them)…", file=sys.stderr)
    with PdfEngine(default_jobs()) as engine:
        plan = plan_pdfs(program, library, project, work, Cache(project / DEFAULT_CACHE, project),
                         engine, lambda _: None)
        downloads, _, _ = collect_pdfs(plan)
    docs_dir, site_dir = plan.docs_dir, work / "site"

    def rebuild() -> None:
        try:
            library, (program,) = load(project, [program_id])
            for page in docs_dir.iterdir():
                if page.name != "pdf":
                    shutil.rmtree(page) if page.is_dir() else page.unlink()
            build_site(stage_site(derive_facts(program), library, project, docs_dir, site_dir, downloads),
                       work / "mkdocs.yml")
        except HandbookError as error:
            for problem in error.problems:
                print(f"error: {problem}", file=sys.stderr)

    rebuild()
    server = LiveReloadServer(builder=rebuild, host="127.0.0.1", port=port, root=str(site_dir))
    for folder in ("content", "program-config", "theme", "mkdocs.yml"):
        server.watch(str(project / folder))
    print(f"serving {program_id} at http://127.0.0.1:{port}/ (Ctrl+C to stop)", file=sys.stderr)
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        shutil.rmtree(work, ignore_errors=True)
