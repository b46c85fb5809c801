"""The Markdown a program's handbook is made of, rendered without building a site or PDFs.

Used by the golden-file and fidelity tests, and by hand while editing content:

    python -m tests.staged charlotte-sll                 # a program in program-config/
    python -m tests.staged tests/synthetic/pairs-only.yml --target pdf
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from generator.build import load, render_home
from generator.config.loader import load_program
from generator.content import load_library
from generator.project import CONTENT_DIR
from generator.render import Renderer

REPO = Path(__file__).resolve().parent.parent
SYNTHETIC = REPO / "tests" / "synthetic"


def load_any(name: str, project: Path = REPO):
    """(library, program) for a program id in program-config/, or a YAML file anywhere (a synthetic program)."""
    if name.endswith((".yml", ".yaml")):
        library = load_library(project)
        path = Path(name).resolve()
        with tempfile.TemporaryDirectory() as folder:  # programs are read from a program-config/ folder
            config = Path(folder) / "program-config"
            config.mkdir()
            shutil.copyfile(path, config / path.name)
            program = load_program(config / path.name, Path(folder), {d.id for d in library.documents})
        return library, program
    library, (program,) = load(project, [name])
    return library, program


def staged_markdown(name: str, target: str = "site", project: Path = REPO) -> dict[str, str]:
    """{'<document>/<section>.md': markdown} for every published document, plus 'index.md' (the home page)."""
    library, program = load_any(name, project)
    renderer = Renderer(library, program, target)  # type: ignore[arg-type]
    pages = {"index.md": render_home(library, renderer)} if target == "site" else {}
    for spec in renderer.published:
        for section in renderer.document(spec).sections:  # a packet's parts are documents of their own
            pages[f"{spec.id}/{section.section.slug}.md"] = f"# {section.title}\n\n{section.markdown}"
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("program", help="program id, or a path to a program YAML file")
    parser.add_argument("--target", choices=["site", "pdf"], default="site")
    args = parser.parse_args(argv)
    for key, text in staged_markdown(args.program, args.target).items():
        sys.stdout.write(f"\n===== {key}\n{text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

__all__ = ["CONTENT_DIR", "SYNTHETIC", "load_any", "staged_markdown"]
