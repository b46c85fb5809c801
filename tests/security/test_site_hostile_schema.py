"""Every text field of the schema holds a script or Markdown payload; the whole site is built and
every page is opened in headless Chromium: no script runs, no `javascript:` link exists, and no
value becomes a heading, list, code block, quote, table or admonition.

The program is generated from Program's model fields (through lists, mappings, optionals and
nested models), so a field added later gets a payload without anyone touching this file. Each
field gets a payload for its kind of text (generator.config.types.TextKind): one line (each
trying a different Markdown block start), or text with paragraphs that also tries every block
over several lines. Fields naming a role, committee or document get a valid id (an invalid one is
refused before anything is built); a `str` field without a TextKind still gets the one-line
payload (and tests/security/test_site_text_fields.py fails for it).
"""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
import types
import typing
from typing import Any

import pytest
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from generator.build import build
from generator.config.schema import Program
from generator.config.types import Blank, Duration, TextKind, Timing
from tests.conftest import REPO, write_project

MARKER = "INJECTED"
# How a one-line value starts: each tries to open a Markdown block wherever a template puts it.
BLOCK_STARTS = ["# ", "1. ", "- ", "+ ", "* ", "!!! note ", "=== ", ": ", "   - ", "> ", "---", "~~~ ", "[^1]: ",
                "| a | b |", "<div>", "{: #x } "]
LINE_PAYLOAD = ("{start}" + MARKER + "{n} <script>alert('{n}')</script><img src=x onerror=alert({n})>"
                "[x](javascript:alert({n})) <javascript:alert({n})> <svg onload=alert({n})> {{: onclick=alert({n}) }}")
TEXT_PAYLOAD = (
    "text {n} <script>alert('{n}')</script>\n\n"
    f"# {MARKER} heading\n\n"
    f"    {MARKER} indented code\n\n"
    f"```\n{MARKER} fence\n```\n\n"
    f"{MARKER} setext\n===\n\n"
    "---\n\n"
    f"- {MARKER} item\n\n"
    f"1. {MARKER} number\n\n"
    f"> {MARKER} quote\n\n"
    f'!!! note "{MARKER} admonition"\n    body\n\n'
    f"{MARKER} term\n:   {MARKER} definition\n\n"
    f"| {MARKER} | b |\n| --- | --- |\n| {MARKER} | cell |\n\n"
    "<script>alert({n})</script>\n\n"
    "[x](javascript:alert({n})) <img src=x onerror=alert({n})> <a href=\"javascript:alert({n})\">a</a>"
)
SAFE_LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs><linearGradient id="g">'
             '<stop offset="0" stop-color="#1f5f8b"/></linearGradient></defs>'
             '<rect width="10" height="10" fill="url(#g)"/></svg>')

SKIP = object()
FIXED = {  # not free text: left at their defaults, or set so that the build makes every page
    "language": SKIP,                 # a language code
    "branding.primary_color": SKIP,   # six hex digits
    "branding.accent_color": SKIP,
    "branding.logo": "theme/hostile-logo.svg",
    "schedule.length": "6 months",    # with a start date: dates, the calendar sentence, calendar.ics
    "schedule.start": "2027-01-04",
}
IDS = {"roles": ["mentor", "mentee"], "committees": ["steering-committee"], "events": ["orientation"]}
REFERENCE = {"role": "mentor", "party": "mentor"}


class HostileProgram:
    """`data`: the program as YAML-ready data; `fields`: (dotted path, kind) of every text value."""

    def __init__(self) -> None:
        self.counter = itertools.count(1)
        self.fields: list[tuple[str, str]] = []
        self.data = self.model(Program, "")

    def model(self, model: type[BaseModel], path: str) -> dict[str, Any]:
        data = {}
        for name, info in model.model_fields.items():
            here = f"{path}.{name}" if path else name
            if name == "id":  # set by the list holding the model (roles: mentor, mentee); a program's by its file
                continue
            if here in FIXED:
                if FIXED[here] is not SKIP:
                    data[name] = FIXED[here]
                continue
            value = self.value(info.annotation, here, _kind(info.metadata, None), info)
            if value is not SKIP:
                data[name] = value
        return data

    def value(self, annotation: Any, path: str, kind: TextKind | None, info: FieldInfo | None = None) -> Any:
        annotation, kind = _unwrap(annotation, kind)
        origin = typing.get_origin(annotation)
        if origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None) and _unwrap(a, None)[0] is not Blank]
            return self.value(options[0], path, kind, info)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return self.model(annotation, path)
        if origin is list:
            (item,) = typing.get_args(annotation)
            item_type, item_kind = _unwrap(item, None)
            if item_kind is not None and item_kind.kind == "document":
                return []  # the content library's documents: none named, so every default one is built
            name = path.rsplit(".", 1)[-1]
            ids = IDS.get(name, [f"{name.replace('_', '-')}-1"])
            items = [self.value(item, f"{path}[{i}]", None) for i in range(len(ids))]
            if isinstance(item_type, type) and issubclass(item_type, BaseModel) and "id" in item_type.model_fields:
                for item_data, ident in zip(items, ids, strict=False):
                    item_data["id"] = ident
            return items
        if origin is dict:
            key, value = typing.get_args(annotation)
            return {self.value(key, f"{path}.<key>", None): self.value(value, f"{path}.<value>", None)}
        if origin is typing.Literal:
            return typing.get_args(annotation)[0]
        if annotation is str:
            return self.text(path, kind)
        if info is not None and not info.is_required():
            return SKIP  # an optional number, flag or date: not text
        required = {Timing: "month 2", Duration: "1 month", dt.date: "2027-01-04", bool: True, int: 1, float: 1}
        if annotation in required:
            return required[annotation]
        raise TypeError(f"{path}: no value for {annotation!r}; teach {__name__} how to fill it")

    def text(self, path: str, kind: TextKind | None) -> str:
        kind_name = kind.kind if kind else "line"
        if kind_name in REFERENCE:
            return REFERENCE[kind_name]
        n = next(self.counter)
        self.fields.append((path, kind_name))
        if kind_name == "text":
            return TEXT_PAYLOAD.format(n=n)
        return LINE_PAYLOAD.format(start=BLOCK_STARTS[n % len(BLOCK_STARTS)], n=n)


def _kind(metadata: list[Any], kind: TextKind | None) -> TextKind | None:
    for item in metadata:
        if isinstance(item, TextKind):
            kind = item
        elif isinstance(item, FieldInfo):
            kind = _kind(item.metadata, kind)
    return kind


def _unwrap(annotation: Any, kind: TextKind | None) -> tuple[Any, TextKind | None]:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation, *meta = typing.get_args(annotation)
        kind = _kind(meta, kind)
    return annotation, kind


# What a page must not contain; run in the page, returns a list of findings.
INSPECT = """(marker) => {
  const found = [];
  const text = el => (el.textContent || '').replace(/\\u00b6/g, '').trim();
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const value = attr.value.replace(/[\\u0000-\\u0020]/g, '').toLowerCase();
      if (attr.name.toLowerCase().startsWith('on')) found.push(`event handler ${attr.name} on <${el.localName}>`);
      if (/^(javascript|vbscript|data):/.test(value) && attr.name !== 'content')
        found.push(`${attr.name}="${attr.value.slice(0, 60)}" on <${el.localName}>`);
    }
    if (['object', 'embed', 'frame'].includes(el.localName)) found.push(`<${el.localName}>`);
  }
  for (const a of document.querySelectorAll('a[href], area[href]'))
    if (a.protocol === 'javascript:') found.push(`javascript: link ${a.getAttribute('href').slice(0, 60)}`);
  for (const s of document.querySelectorAll('script'))
    if (s.textContent.includes('alert(')) found.push(`script: ${s.textContent.slice(0, 60)}`);
  for (const el of document.querySelectorAll('pre, code, blockquote'))
    if (text(el).includes(marker)) found.push(`<${el.localName}> made from a value: ${text(el).slice(0, 60)}`);
  for (const el of document.querySelectorAll('h1, h2, h3, h4, h5, h6, li, td, th, dt, dd, .admonition, .admonition-title, caption'))
    if (text(el).startsWith(marker)) found.push(`<${el.localName}> made from a value: ${text(el).slice(0, 60)}`);
  return found;
}"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """The hostile program built with the real content library (every document, every page)."""
    root = tmp_path_factory.mktemp("hostile-schema")
    hostile = HostileProgram()
    project = write_project(root / "project", {"hostile": hostile.data})
    shutil.rmtree(project / "content")
    shutil.copytree(REPO / "content", project / "content")
    (project / "theme" / "hostile-logo.svg").write_text(SAFE_LOGO)
    build(project, out=root / "out", cache_dir=False)
    return hostile, root / "out"


def test_every_text_field_got_a_payload(hostile_site):
    hostile, _ = hostile_site
    paths = [path for path, _ in hostile.fields]
    for expected in ("name", "description", "edition", "roles[0].title", "roles[1].summary", "contacts[0].email",
                     "policies.other[0].text", "content.ground_rules.<key>", "branding.logo"):
        assert expected in paths or expected in FIXED, expected
    assert {kind for _, kind in hostile.fields} == {"line", "text"}


def test_no_page_runs_script_or_turns_a_value_into_markup(hostile_site, browser):
    _, out = hostile_site
    site = out / "hostile"
    pages = sorted(site.rglob("*.html"))
    names = {p.relative_to(site).as_posix() for p in pages}
    assert {"index.html", "downloads.html"} <= names and len(pages) > 20
    context = browser.new_context()
    context.add_init_script("""
        window.__called = [];
        for (const name of ['alert', 'confirm', 'prompt', 'print', 'open'])
          window[name] = (...args) => { window.__called.push(name + '(' + args.join(',') + ')'); };
    """)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                  else route.abort())  # nothing leaves the machine
    problems = []
    try:
        page = context.new_page()
        for path in [out / "index.html", *pages, site / "assets" / "logo.svg"]:
            page.goto(path.as_uri(), wait_until="load")
            found = page.evaluate(INSPECT, MARKER) if path.suffix == ".html" else []
            found += page.evaluate("window.__called || []")
            problems += [f"{path.relative_to(out)}: {item}" for item in found]
    finally:
        context.close()
    assert not problems, "\n".join(problems[:50])


def test_payloads_print_as_text(hostile_site, browser):
    """Not vacuous: the payloads are on the pages, as text a reader sees."""
    hostile, out = hostile_site
    name = hostile.data["name"]
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto((out / "hostile" / "downloads.html").as_uri())
        shown = page.locator("article").inner_text()
        assert name in " ".join(shown.split())  # the name, the calendar sentence: as typed, tags and all
        assert shown.count("<script>alert('1')</script>") >= 2
        page.goto((out / "hostile" / "index.html").as_uri())
        shown = " ".join(page.locator("article").inner_text().split())
        assert f"# {MARKER} heading" in shown and f"- {MARKER} item" in shown
    finally:
        context.close()
