"""Site engines: the one place that knows MkDocs and Zensical.

Both read the same generated configuration (mkdocs.yml's format) over the same staged pages.
MkDocs runs in-process and reports through logging; Zensical has no Python API, so it runs as
a subprocess and its diagnostics are read from stderr. Either way a problem becomes a located
BuildError (`page.md:line:col: message`), and a site is never half-written: the caller builds
into a staging folder.

Which engine: `site_engine:` in mkdocs.yml, or `handbook build --site-engine`. Material for
MkDocs announces the end of its maintenance for 2027-05-05; Zensical is its successor.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.cache import TextCache
from generator.config.schema import Program
from generator.environment import environment_variable
from generator.errors import BuildError, Location, Problem, captured_warnings
from generator.project import Project
from generator.site.staging import SitePage, write_pages

SITE_ENGINES = ("mkdocs", "zensical")
DEFAULT_ENGINE = "mkdocs"
ENGINE_KEY = "site_engine"  # our own key in mkdocs.yml; removed before an engine reads the file
ZENSICAL_TIMEOUT = 600
OVERRIDES = {"mkdocs": "overrides", "zensical": "overrides-zensical"}  # folders in theme/


def configured_engine(project: Project | Path, override: str | None = None) -> str:
    """The engine to build with: the command line's choice, else mkdocs.yml's `site_engine`."""
    engine = override
    if engine is None:
        shared = (project if isinstance(project, Project) else Project.load(project)).site_settings()
        engine = shared.get(ENGINE_KEY, DEFAULT_ENGINE)
    if engine not in SITE_ENGINES:
        raise BuildError(Problem(Location("mkdocs.yml"), ENGINE_KEY,
                                 f"'{engine}' is not a site engine; choose one of {', '.join(SITE_ENGINES)}"))
    return engine


def site_config(program: Program, nav: list[Any], docs_dir: Path, site_dir: Path, project: Project,
                config_dir: Path, engine: str) -> dict[str, Any]:
    """The shared mkdocs.yml plus this program's values, for a config file written in config_dir.

    docs_dir and site_dir are relative to config_dir: Zensical requires both inside the config
    file's folder, and relative paths keep the configuration the same from build to build.
    """
    config = project.site_settings()
    config.update(  # escaped: themes print these without escaping
        site_name=html.escape(program.name),
        site_description=html.escape(program.description),
        site_author=html.escape(program.agency),
        copyright=html.escape(f"{program.agency} · {program.name} · Edition {program.edition}"),
        docs_dir=os.path.relpath(docs_dir, config_dir),
        site_dir=os.path.relpath(site_dir, config_dir),
        nav=nav,
    )
    # the header names the agency (theme overrides: partials/header.html)
    config["extra"] = {**(config.get("extra") or {}), "agency": html.escape(program.agency)}
    config[ENGINE_KEY] = engine
    theme = dict(config.get("theme") or {})
    theme["language"] = program.language.split("-")[0]
    overrides = project.theme / OVERRIDES[engine]  # template overrides are per engine: each
    if overrides.is_dir():                                 # copies and edits its own templates
        theme["custom_dir"] = str(overrides)
    if program.branding.logo:
        theme["logo"] = f"assets/logo{Path(program.branding.logo).suffix.lower()}"
    if engine == "zensical":
        theme["variant"] = "classic"  # Material's look: coloured header in the brand colour
    config["theme"] = theme
    return config


@dataclass(frozen=True)
class LatePages:
    """Pages whose text is known only once the program's PDFs are done (staging.pdf_pages). MkDocs builds
    every other page first, while the PDFs render, then asks for these (`pages` may wait) and builds them
    last; Zensical, a separate process, gets them before it starts."""
    paths: frozenset[str]                    # relative to the docs folder, as staged for now
    pages: Callable[[], list[SitePage]]      # their final text; called once


def build_site(config: dict[str, Any], config_file: Path, build_epoch: int | None = None,
               late: LatePages | None = None, pages: TextCache | None = None) -> None:
    """Build the site the configuration describes with its engine; problems fail the build, located.
    build_epoch: the build date the engine stamps (sitemap), as SOURCE_DATE_EPOCH; None: the current time.
    pages: rendered pages to reuse (MkDocs only)."""
    engine = config.get(ENGINE_KEY, DEFAULT_ENGINE)
    config_file.write_text(yaml.safe_dump({k: v for k, v in config.items() if k != ENGINE_KEY}, sort_keys=False),
                           encoding="utf-8")
    docs_dir = config_file.parent / config["docs_dir"]
    # Both engines read the build date from the environment only (in this process or a child).
    with environment_variable("SOURCE_DATE_EPOCH", None if build_epoch is None else str(build_epoch)):
        if engine == "zensical":
            if late:
                write_pages(late.pages(), docs_dir)
            _build_zensical(config, config_file)
        else:
            _build_mkdocs(config_file, docs_dir, late, pages)
    # Both write 404.html with links from the server root; program sites live one folder down, so
    # it would be an unstyled page of dead links: leave 404s to the web server.
    (config_file.parent / config["site_dir"] / "404.html").unlink(missing_ok=True)


def _build_mkdocs(config_file: Path, docs_dir: Path, late: LatePages | None, pages: TextCache | None) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from generator.site.mkdocs_events import HandbookEvents

    with captured_warnings("mkdocs") as messages:
        try:
            config = load_config(str(config_file))
            # registers its events, after those of mkdocs.yml's plugins
            config.plugins[HandbookEvents.NAME] = HandbookEvents(docs_dir, late, pages)
            build(config)
        except (MkDocsException, SystemExit) as error:
            raise BuildError([Problem(Location("site"), "", m) for m in messages or [str(error)]]) from None


def _build_zensical(config: dict[str, Any], config_file: Path) -> None:
    command = [sys.executable, "-m", "zensical", "build", "--config-file", str(config_file)]
    if config.get("strict"):
        command.append("--strict")
    env = {**os.environ, "NO_COLOR": "1", "CLICOLOR": "0", "TERM": "dumb"}
    try:
        result = subprocess.run(command, cwd=config_file.parent, env=env, capture_output=True, text=True,
                                timeout=ZENSICAL_TIMEOUT, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise BuildError(f"zensical did not finish within {ZENSICAL_TIMEOUT} s") from None
    if result.returncode == 0:
        return
    output = result.stdout + result.stderr
    if "No module named zensical" in output:
        raise BuildError("the Zensical site engine is not installed: pip install 'handbook[zensical]' "
                         "(or build with --site-engine mkdocs)")
    raise BuildError(zensical_problems(output) or [Problem(Location("site"), "", _last_line(output))])


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_WARNING = re.compile(r"^\s*(?:Warning|Error):\s*(?P<message>.+)$")
_WHERE = re.compile(r"\[\s*(?P<file>[^\]\s]+?):(?P<line>\d+):(?P<column>\d+)\s*\]")


def zensical_problems(output: str) -> list[Problem]:
    """Zensical's diagnostics ('Warning: page does not exist' then '╭─[ page.md:27:10 ]') as located problems."""
    problems: list[Problem] = []
    message: str | None = None
    for line in _ANSI.sub("", output).splitlines():
        found = _WARNING.match(line)
        if found:
            if message is not None:
                problems.append(Problem(Location("site"), "", message))
            message = found["message"].strip()
            continue
        where = _WHERE.search(line)
        if where and message is not None:
            problems.append(Problem(Location(where["file"], int(where["line"]), int(where["column"])), "", message))
            message = None
    if message is not None:
        problems.append(Problem(Location("site"), "", message))
    return problems


def _last_line(output: str) -> str:
    lines = [line.strip() for line in _ANSI.sub("", output).splitlines() if line.strip()]
    return f"zensical failed: {lines[-1] if lines else 'no output'}"
