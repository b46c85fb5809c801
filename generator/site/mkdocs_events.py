"""The build's own MkDocs events (site/engines.py adds them to every MkDocs build): compiled templates
and the installed theme's file listing kept between builds, pages whose Markdown or whose whole inputs are
unchanged taken from the cache (TextCache) instead of converted or rendered again, no 404 page, and the late
pages (engines.LatePages) built last.

Imported only when MkDocs builds, since importing MkDocs takes a fifth of a second."""

from __future__ import annotations

import functools
import json
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import jinja2.bccache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc
from mkdocs.utils.templates import TemplateContext

from generator.site.staging import write_pages
from generator.templating import CompiledTemplates

if TYPE_CHECKING:
    from generator.cache import TextCache
    from generator.site.engines import LatePages


# The theme's compiled templates, kept for the next MkDocs build in this process (the next program, or the
# preview's next rebuild; MkDocs makes a new Jinja environment for every build), and in the build cache.
THEME_TEMPLATES: dict[str, bytes] = {}


# Plugins known to change a page's HTML only through what the page cache's key covers (the page's content,
# metadata and table of contents, and the settings): with any other plugin configured, every page is rendered.
PAGE_CACHE_SAFE_PLUGINS = {"search", "offline", "material/search", "material/offline"}

# Markdown extensions whose HTML depends on nothing but the page's Markdown and their settings (the
# Python-Markdown ones; MkDocs adds toc, tables and fenced_code itself). With any other extension configured
# (one could include another file, say), every page's Markdown is converted on every build.
PURE_MARKDOWN_EXTENSIONS = {"abbr", "admonition", "attr_list", "def_list", "extra", "fenced_code", "footnotes",
                            "legacy_attrs", "legacy_em", "md_in_html", "meta", "nl2br", "sane_lists", "smarty",
                            "tables", "toc", "wikilinks"}


class HandbookEvents(BasePlugin):  # type: ignore[type-arg,no-untyped-call]  # MkDocs' config generics
    """The build's own MkDocs events: compiled templates and theme listings reused, unchanged pages'
    conversions and renderings from the cache, no 404 page, and the late pages built last."""

    NAME = "handbook"

    def __init__(self, docs_dir: Path, late: LatePages | None, pages: TextCache | None = None) -> None:
        super().__init__()
        self.docs_dir = docs_dir
        self.late = late
        self.pages = pages
        self.compiled = pages  # where compiled theme templates are kept: whatever other plugins there are
        self.files: Files | None = None
        self.late_written = False
        self.site_key = ""  # what every page of this build shows: configuration, navigation, build date
        self.links_key = ""  # what a page's links are resolved against: configuration and every file's address

    @event_priority(100)  # before the search plugin's, which makes theme environments to translate its settings
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        config.theme.static_templates.discard("404.html")  # removed after the build anyway (build_site)
        config.theme.get_env = _cached_theme_env(config.theme.get_env, config.theme.custom_dir,  # type: ignore[method-assign]
                                                 CompiledTemplates(self.compiled, THEME_TEMPLATES))
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
        """A late page is read again once the PDFs are done: its provisional text need not be converted. Every
        other page's Markdown is converted through the page cache (MkDocs converts it next, in page.render,
        with no event in between: hence the page's own render is replaced)."""
        if self.late is not None and not self.late_written and page.file.src_uri in self.late.paths:
            return ""
        if self.links_key:
            page.render = functools.partial(self.convert_page, page)  # type: ignore[method-assign]
        return markdown

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        if self.pages is not None:
            settings = Path(config.config_file_path).read_text(encoding="utf-8")
            self.site_key = self.pages.key([settings, os.environ.get("SOURCE_DATE_EPOCH", ""), _nav_outline(nav.items)])
            if set(config.markdown_extensions) <= PURE_MARKDOWN_EXTENSIONS:
                addresses = sorted((file.src_uri, file.dest_uri, file.url) for file in files)
                self.links_key = self.pages.key([settings, json.dumps(addresses)])
            for name in ("material/search", "search"):
                if name in config.plugins:
                    _index_through_cache(config.plugins[name], self.pages, settings)
        return nav

    def convert_page(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        """page.render (its Markdown to HTML, links resolved), or what it gave for the same Markdown, page
        address, settings and files before. A conversion that logged anything (a broken link, say) is not
        kept, so that its messages come again on the next build."""
        assert self.pages is not None
        key = self.pages.key([self.links_key, page.file.src_uri, page.markdown or ""])
        cached = self.pages.get(key, "json")
        if cached is not None and _restore_conversion(page, json.loads(cached), files):
            return
        with _logged("mkdocs") as records:
            Page.render(page, config, files)
        if not records:
            self.pages.put(key, json.dumps(_conversion(page)), "json")

    def on_env(self, env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
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


def _cached_theme_env(get_env: Callable[[], jinja2.Environment], custom_dir: str | None,
                      compiled: CompiledTemplates) -> Callable[[], jinja2.Environment]:
    """Theme.get_env, with the compiled templates kept (`compiled`) and a loader that lists each installed
    theme folder once per process. MkDocs lists every theme file on each build to find the static ones,
    and Material's folder holds 10,000 icons (a tenth of a site build); the project's own theme folder
    (custom_dir) is listed afresh each time."""
    def theme_env() -> jinja2.Environment:
        env = get_env()
        assert isinstance(env.loader, jinja2.FileSystemLoader)
        env.loader = _ListingLoader(env.loader.searchpath, custom_dir)
        env.bytecode_cache = compiled
        return env
    return theme_env


class _ListingLoader(jinja2.FileSystemLoader):
    """The theme's loader, listing installed folders from _folder_listing."""

    def __init__(self, searchpath: list[str], custom_dir: str | None) -> None:
        super().__init__(searchpath)
        self.custom_dir = custom_dir

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for folder in self.searchpath:
            found.update(_folder_listing(folder) if folder != self.custom_dir else _list_folder(folder))
        return sorted(found)


def _list_folder(folder: str) -> tuple[str, ...]:
    """The folder's files, but hidden ones and those in hidden folders (MkDocs leaves those out)."""
    names = jinja2.FileSystemLoader(folder).list_templates()
    return tuple(name for name in names if not any(part.startswith(".") for part in name.split("/")))


_folder_listing = functools.cache(_list_folder)  # installed themes: listed once per process


def _conversion(page: Page) -> dict[str, Any]:
    """What Page.render sets, as plain data: the page's HTML, table of contents, title, and the anchors it
    has and links to (MkDocs checks those after every page is converted)."""
    links = {file.src_uri: anchors for file, anchors in (page.links_to_anchors or {}).items()}
    return {"content": page.content, "toc": _toc_tokens(page.toc), "title": page._title_from_render,
            "anchors": sorted(page.present_anchor_ids or ()),
            "links": links if page.links_to_anchors is not None else None}


def _restore_conversion(page: Page, data: dict[str, Any], files: Files) -> bool:
    """Set on the page what _conversion kept; False (and the page untouched) when a linked file is gone."""
    links: dict[File, dict[str, str]] | None = None
    if data["links"] is not None:
        links = {}
        for path, anchors in data["links"].items():
            target = files.get_file_from_path(path)
            if target is None:
                return False
            links[target] = anchors
    page.content, page.toc, page._title_from_render = data["content"], get_toc(data["toc"]), data["title"]
    page.present_anchor_ids = set(data["anchors"])
    if links is not None:
        page.links_to_anchors = links
    return True


@contextmanager
def _logged(logger_name: str) -> Iterator[list[logging.LogRecord]]:
    """The records the named logger (and those below it) pass on while the block runs."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = records.append  # type: ignore[method-assign,assignment]
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)


def _index_through_cache(search: Any, texts: TextCache, settings: str) -> None:
    """The search plugin's entries for a page (its sections' titles, text and addresses) from the cache
    when the page's address, title, metadata, table of contents and HTML are those it indexed before.
    Material's index keeps its entries in a list; if it stops doing so, every page is indexed as usual."""
    index: Any = getattr(search, "search_index", None)
    if not isinstance(getattr(index, "entries", None), list):
        return
    add_entry = index.add_entry_from_context

    def add_entry_from_cache(page: Page) -> None:
        key = texts.key([settings, page.url, page.title or "", json.dumps(page.meta, sort_keys=True, default=str),
                         _toc_outline(page.toc), page.content or ""])
        cached = texts.get(key, "search")
        if cached is not None:
            index.entries.extend(json.loads(cached))
            return
        start = len(index.entries)
        add_entry(page)
        texts.put(key, json.dumps(index.entries[start:]), "search")

    index.add_entry_from_context = add_entry_from_cache


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


def _toc_tokens(toc: list[AnchorLink] | Any) -> list[dict[str, Any]]:
    """The table of contents as the tokens MkDocs made it from (get_toc makes it again from them)."""
    def token(link: AnchorLink) -> dict[str, Any]:
        return {"level": link.level, "id": link.id, "name": link.title, "children": [token(c) for c in link.children]}
    return [token(link) for link in toc]


def _toc_outline(toc: list[AnchorLink] | Any) -> str:
    return json.dumps(_toc_tokens(toc))
