"""The build's own MkDocs events (site/engines.py adds them to every MkDocs build): compiled templates
kept between builds, pages whose inputs are unchanged taken from the page cache instead of rendered
again, no 404 page, and the late pages (engines.LatePages) built last.

Imported only when MkDocs builds, since importing MkDocs takes a fifth of a second."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import jinja2.bccache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink
from mkdocs.utils.templates import TemplateContext

from generator.site.staging import write_pages

if TYPE_CHECKING:
    from generator.cache import PageCache
    from generator.site.engines import LatePages


class TemplateCache(jinja2.BytecodeCache):
    """The theme's compiled templates, kept in memory for the next MkDocs build in this process (the
    next program, or the preview's next rebuild): MkDocs makes a new Jinja environment for every build,
    and compiling Material's templates was a fifth of a site build. Keyed on the template's name and
    source checksum (and Jinja checks the checksum stored with the code), so an edited template is
    compiled again."""

    def __init__(self) -> None:
        self._code: dict[tuple[str, str], bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get((bucket.key, bucket.checksum))
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[(bucket.key, bucket.checksum)] = bucket.bytecode_to_string()


TEMPLATES = TemplateCache()


# Plugins known to change a page's HTML only through what the page cache's key covers (the page's content,
# metadata and table of contents, and the settings): with any other plugin configured, every page is rendered.
PAGE_CACHE_SAFE_PLUGINS = {"search", "offline", "material/search", "material/offline"}


class HandbookEvents(BasePlugin):  # type: ignore[type-arg,no-untyped-call]  # MkDocs' config generics
    """The build's own MkDocs events: compiled templates reused, unchanged pages from the page cache, no 404
    page, and the late pages built last."""

    NAME = "handbook"

    def __init__(self, docs_dir: Path, late: LatePages | None, pages: PageCache | None = None) -> None:
        super().__init__()
        self.docs_dir = docs_dir
        self.late = late
        self.pages = pages
        self.files: Files | None = None
        self.late_written = False
        self.site_key = ""  # what every page of this build shows: configuration, navigation, build date

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        config.theme.static_templates.discard("404.html")  # removed after the build anyway (build_site)
        if set(config.plugins) - PAGE_CACHE_SAFE_PLUGINS - {self.NAME}:
            self.pages = None  # another plugin could put anything into a page's context
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

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """A late page is read again once the PDFs are done: its provisional text need not be converted."""
        if self.late is not None and not self.late_written and page.file.src_uri in self.late.paths:
            return ""
        return markdown

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        if self.pages is not None:
            settings = Path(config.config_file_path).read_text(encoding="utf-8")
            self.site_key = self.pages.key([settings, os.environ.get("SOURCE_DATE_EPOCH", ""), _nav_outline(nav.items)])
        return nav

    def on_env(self, env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        env.bytecode_cache = TEMPLATES
        if self.pages is not None:
            env.template_class = _page_template_class(self)
        return env

    def render_page(self, template: jinja2.Template, context: dict[str, Any]) -> str:
        """The page as `template` renders it with `context`, from the page cache when it was rendered before."""
        assert self.pages is not None
        page: Page = context["page"]
        meta = json.dumps(page.meta, sort_keys=True, default=str)
        key = self.pages.key([self.site_key, template.name or "", page.file.src_uri, page.url, page.title or "",
                              page.canonical_url or "", page.edit_url or "", meta, _toc_outline(page.toc),
                              page.content or ""])
        html = self.pages.get(key)
        if html is None:
            html = jinja2.Template.render(template, context)
            self.pages.put(key, html)
        return html

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


def _page_template_class(events: HandbookEvents) -> type[jinja2.Template]:
    """Templates of this build's environment: rendering a page (its context has one), they go through the
    page cache; anything else (sitemap.xml) renders as usual. Page templates are only ever rendered whole
    by MkDocs (the theme's partials are included, not rendered), so this is the one place to ask."""

    class PageTemplate(jinja2.Template):
        def render(self, *args: Any, **kwargs: Any) -> str:
            context = dict(*args, **kwargs)
            if isinstance(context.get("page"), Page):
                return events.render_page(self, context)
            return super().render(context)

    return PageTemplate


def _nav_outline(items: list[Any]) -> str:
    """Every navigation entry's kind, title and address, nested: what a page's sidebar and links are made of."""
    def outline(item: Any) -> Any:
        if isinstance(item, Section):
            return ["section", item.title, [outline(child) for child in item.children]]
        if isinstance(item, (Page, Link)):
            return [type(item).__name__, item.title, item.url]
        return [type(item).__name__, str(item)]
    return json.dumps([outline(item) for item in items])


def _toc_outline(toc: list[AnchorLink] | Any) -> str:
    def outline(link: AnchorLink) -> Any:
        return [link.title, link.id, link.level, [outline(child) for child in link.children]]
    return json.dumps([outline(link) for link in toc])
