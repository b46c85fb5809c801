"""The build's own MkDocs events (site/engines.py adds them to every MkDocs build): compiled templates
kept between builds, no 404 page, and the late pages (engines.LatePages) built last.

Imported only when MkDocs builds, since importing MkDocs takes a fifth of a second."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
import jinja2.bccache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from generator.site.staging import write_pages

if TYPE_CHECKING:
    from generator.site.engines import LatePages


class TemplateCache(jinja2.BytecodeCache):
    """The theme's compiled templates, kept in memory for the next MkDocs build in this process (the
    next program, or the preview's next rebuild): MkDocs makes a new Jinja environment for every build,
    and compiling Material's templates was a fifth of a site build. Keyed by Jinja on the template's
    name and source checksum, so an edited template is compiled again."""

    def __init__(self) -> None:
        self._code: dict[tuple[str, str], bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get((bucket.key, bucket.checksum))
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[(bucket.key, bucket.checksum)] = bucket.bytecode_to_string()


TEMPLATES = TemplateCache()


class HandbookEvents(BasePlugin):  # type: ignore[type-arg,no-untyped-call]  # MkDocs' config generics
    """The build's own MkDocs events: compiled templates reused, no 404 page, and the late pages built last."""

    NAME = "handbook"

    def __init__(self, docs_dir: Path, late: LatePages | None) -> None:
        super().__init__()
        self.docs_dir = docs_dir
        self.late = late
        self.files: Files | None = None
        self.late_written = False

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        config.theme.static_templates.discard("404.html")  # removed after the build anyway (build_site)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """The late pages go last: each page is built in this order, and other pages need only their titles."""
        for path in sorted(self.late.paths if self.late else ()):
            file = files.get_file_from_path(path)
            if file is not None:
                files.remove(file)
                files.append(file)
        self.files = files
        return files

    def on_env(self, env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        env.bytecode_cache = TEMPLATES
        return env

    @event_priority(100)  # before the search plugin indexes the page
    def on_page_context(self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext:
        if self.late is None or page.file.src_uri not in self.late.paths:
            return context
        if not self.late_written:
            write_pages(self.late.pages(), self.docs_dir)
            self.late_written = True
        # Read the page again, as MkDocs read every page before building any (mkdocs/commands/build.py)
        assert self.files is not None
        page.read_source(config)
        page.markdown = config.plugins.on_page_markdown(page.markdown or "", page=page, config=config,
                                                        files=self.files)
        page.render(config, self.files)
        page.content = config.plugins.on_page_content(page.content or "", page=page, config=config, files=self.files)
        return context
