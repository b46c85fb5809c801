"""Sandboxed, strict Jinja over the program model, with the helpers content needs.

Config values never become markup: every value printed is HTML-escaped and its Markdown
punctuation backslash-escaped, so a program named `<script>` or `*bold*` prints literally.
Values left blank on purpose print as a write-in line, never as 'None' or nothing.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from generator.config.types import Blank
from generator.errors import ContentError, HandbookError, Location, Problem
from generator.facts import phrases
from generator.facts.phrases import Phrase, number
from generator.projectfiles import MAX_TEXT_BYTES, RefusedFile, read_text

if TYPE_CHECKING:
    from generator.cache import TextCache

# Underscores as character references: two literal runs in one paragraph would read as
# Markdown emphasis (__bold__) and the lines would vanish.
WRITE_IN = Markup(
    '<span class="write-in"><span aria-hidden="true">' + "&#95;" * 10 + "</span>"
    '<span class="sr-only">(blank, to be filled in)</span></span>'
)
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]|{}#])")
# What makes a line a block when it starts it: a list item ('-', '+', '1.'), an admonition ('!!!'),
# a setext underline or definition ('=', ':'), a fence ('~~~'). '#', '*', '|', '[', '{', '`' are
# escaped wherever they are; '<' and '>' are HTML-escaped.
_BLOCK_START = re.compile(
    r"\A(?P<space> ?)(?:(?P<number>\d+)(?=[.)](?:[ \t]|\Z))|(?P<escapable>[-+!])|(?P<other>[=:~]))")
_INDENT = re.compile(r"\A[ \t]+")  # four spaces start a code block: a value keeps at most one
_PARAGRAPH_SPLIT = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
_LINE_BREAK = re.compile(r"[ \t]*\n[ \t]*")
PARAGRAPH_BREAK = "<br><br>"
_FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n", re.S)


def split_front_matter(text: str) -> tuple[str, str]:
    """Return (front matter YAML, body with the front matter replaced by blank lines)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return "", text
    return match.group(1), "\n" * match.group(0).count("\n") + text[match.end():]


class TemplateRefused(jinja2.TemplateError):
    """A template (or an include, import or extends) that is not a regular file inside content/."""


class _ContentLoader(jinja2.FileSystemLoader):
    """Loads content templates with front matter blanked out, so error line numbers stay true.

    A template name resolves inside content/ only: a link leading out of it, a FIFO or device,
    or a file over the size limit is refused before it is read (TemplateRefused, not
    TemplateNotFound, so `ignore missing` cannot silence it)."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        root = Path(self.searchpath[0])
        path = root.joinpath(*split_template_path(template))
        if "\0" in template or not os.path.lexists(path):
            raise jinja2.TemplateNotFound(template)
        try:
            source = read_text(path, root, MAX_TEXT_BYTES, inside="content/")
        except RefusedFile as error:
            raise TemplateRefused(f"'{template}' {error}") from None
        mtime = os.path.getmtime(path)

        def uptodate() -> bool:
            try:
                return os.path.getmtime(path) == mtime
            except OSError:
                return False

        return split_front_matter(source)[1], os.path.normpath(path), uptodate


def markdown_text(text: str) -> Markup:
    """Plain text made safe to place anywhere in Markdown: the one place every value passes through
    (templates through `_finalize`, pages the site stage writes in Python).

    Markdown punctuation is backslash-escaped and the rest HTML-escaped, so no value becomes markup,
    a link or a script. The result is always one Markdown line, so no value starts a block (a
    heading, list, code block, rule or table) wherever a template puts it: the lines of a paragraph
    are joined, paragraphs (text with blank lines, from the fields that allow several) are kept
    apart by line breaks, and a character that would make the start of a line a block is escaped.
    """
    paragraphs = _PARAGRAPH_SPLIT.split(str(text).replace("\r\n", "\n").replace("\r", "\n"))
    if len(paragraphs) > 1:
        paragraphs = [p.strip(" \t\n") for p in paragraphs if p.strip(" \t\n")] or [""]
    return Markup(PARAGRAPH_BREAK).join(_inline_markdown(_LINE_BREAK.sub(" ", p)) for p in paragraphs)


def _inline_markdown(text: str) -> Markup:
    escaped = str(escape(_MARKDOWN_PUNCTUATION.sub(r"\\\1", _INDENT.sub(" ", text))))
    return Markup(_BLOCK_START.sub(_unblock, escaped, count=1))


def _unblock(match: re.Match[str]) -> str:
    if match["number"]:
        return match["space"] + match["number"] + "\\"  # '1. x' -> '1\. x'
    if match["escapable"]:
        return match["space"] + "\\" + match["escapable"]
    return f"{match['space']}&#{ord(match['other'])};"  # not escapable with a backslash in Markdown


def plain_text(rendered: str) -> str:
    """Back from rendered Markdown-safe text (a title) to the plain text it shows."""
    return html.unescape(re.sub(r"\\(.)", r"\1", rendered.replace(PARAGRAPH_BREAK, " ")))


def _finalize(value: Any) -> Any:
    if value is None or isinstance(value, Blank):
        return WRITE_IN
    if isinstance(value, Markup):
        return value
    if isinstance(value, Phrase):
        return Markup("").join(_finalize(part) for part in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return number(value)
    return markdown_text(str(value))


# Filters: the words come from the facts stage (generator/facts/phrases.py); blanks become write-in lines.

def in_words(value: Any) -> Any:
    """3 -> 'three'; a Duration -> 'nine months'; blank stays a write-in."""
    return _finalize(phrases.in_words(value))


def times(value: Any) -> Any:
    """1 -> 'once', 2 -> 'twice', 3 -> 'three times'; blank -> '____ times'."""
    return _finalize(phrases.times(value))


def frequency(cadence: Any) -> Any:
    """A one-to-one or group cadence in words: 'twice a month', 'every two weeks', '____ times a month'."""
    return _finalize(phrases.frequency(getattr(cadence, "per_month", None), getattr(cadence, "every_weeks", None)))


def hours(value: Any) -> Any:
    """1 -> '1 hour', 1.5 -> '1.5 hours', 0.5 -> '30 minutes', blank -> '____ hours'."""
    return _finalize(phrases.hours(value))


def plural(count: Any, word: str, many: str | None = None) -> str:
    """plural(1, 'meeting') -> 'meeting'; plural(2, 'meeting') -> 'meetings'."""
    return word if count == 1 else (many or word + "s")


def join_and(items: Iterable[Any], conjunction: str = "and") -> Any:
    """['a', 'b', 'c'] -> 'a, b and c', each item escaped."""
    parts = [_finalize(item) for item in items]
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    return Markup(", ").join(parts[:-1]) + Markup(f" {conjunction} ") + parts[-1]


def capfirst(value: Any) -> Any:
    if isinstance(value, Phrase):
        return value.capfirst()
    text = str(value)
    result = text[:1].upper() + text[1:]
    return Markup(result) if isinstance(value, Markup) else result


def lower(value: Any) -> Any:
    """Lower case, keeping blanks and markup (Jinja's own `lower` would turn a Phrase into text)."""
    if isinstance(value, Phrase):
        return Phrase(part.lower() if isinstance(part, str) else part for part in value)
    text = str(value).lower()
    return Markup(text) if isinstance(value, Markup) else text


def answer_lines(count: int = 4) -> Markup:
    """Ruled lines for a written answer in print; hidden on the site."""
    count = max(1, min(int(count), 30))
    return Markup('<div class="answer-lines" aria-hidden="true">' + '<div class="line"></div>' * count + "</div>")


FILTERS = {
    "in_words": in_words, "times": times, "frequency": frequency, "hours": hours, "join_and": join_and,
    "capfirst": capfirst, "number": number, "lower": lower,
}


class ContentEnvironment(ImmutableSandboxedEnvironment):
    """The sandboxed environment content renders in, and the short templates given as strings (section
    titles) it has compiled, each once."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.inline_templates: dict[str, jinja2.Template] = {}

    def inline(self, source: str) -> jinja2.Template:
        if source not in self.inline_templates:
            self.inline_templates[source] = self.from_string(source)
        return self.inline_templates[source]


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates, kept in memory for the rest of the process and, given the build cache's
    database, for the next process too: compiling the content's and Material's templates was a third
    of the main process's time in a one-program build. Keyed on the template's name and source checksum
    (and Jinja checks the checksum and its own and Python's versions stored with the code), so an edited
    template is compiled again."""

    def __init__(self, store: TextCache | None = None, memory: dict[str, bytes] | None = None):
        """memory: a dictionary to share between environments of one process (MkDocs makes a new one for
        every build)."""
        self.store = store
        self.memory = {} if memory is None else memory

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        key = f"{bucket.key}:{bucket.checksum}"
        code = self.memory.get(key)
        if code is None and self.store is not None:
            code = self.store.get_compiled(key)
            if code is not None:
                self.memory[key] = code
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        key, code = f"{bucket.key}:{bucket.checksum}", bucket.bytecode_to_string()
        self.memory[key] = code
        if self.store is not None:
            self.store.put_compiled(key, code)


def make_environment(content_dir: Path, compiled: TextCache | None = None) -> ContentEnvironment:
    """The content's Jinja environment; compiled: where compiled templates are kept between builds."""
    env = ContentEnvironment(
        loader=_ContentLoader(str(content_dir)),
        bytecode_cache=CompiledTemplates(compiled),
        cache_size=2000,
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    env.globals.update(plural=plural, blank=WRITE_IN, lines=answer_lines)
    return env


def render_template(env: jinja2.Environment, name: str, context: dict[str, Any], source_label: str,
                    inline: bool = False) -> str:
    """Render one content template (or, with inline=True, the string `name` itself).

    Any template mistake becomes a ContentError at file:line, never a traceback or a silent blank.
    """
    try:
        if not inline:
            template = env.get_template(name)
        else:
            template = env.inline(name) if isinstance(env, ContentEnvironment) else env.from_string(name)
        return template.render(context)
    except jinja2.TemplateSyntaxError as error:
        raise ContentError(Problem(Location(source_label, error.lineno), "",
                                   f"template syntax: {error.message}")) from None
    except jinja2.TemplateNotFound as error:
        raise ContentError(Problem(Location(source_label, _template_line(error, name)), "",
                                   f"template not found: {error.name}")) from None
    except (jinja2.UndefinedError, jinja2.exceptions.SecurityError, TemplateRefused) as error:
        raise ContentError(Problem(Location(source_label, _template_line(error, name)), "",
                                   str(error.message))) from None
    except jinja2.TemplateError as error:  # e.g. an unknown test or filter used at run time
        raise ContentError(Problem(Location(source_label, _template_line(error, name)), "",
                                   f"template error: {error.message or error}")) from None
    except RecursionError as error:  # a macro calling itself, includes including each other
        raise ContentError(Problem(Location(source_label, _template_line(error, name)), "",
                                   "template error: too deeply nested (a macro or include calls itself "
                                   "without end?)")) from None
    except HandbookError:
        raise
    except Exception as error:  # noqa: BLE001 - anything else a template can set off: 'x'.encode('rot13') -> LookupError, ...
        raise ContentError(Problem(Location(source_label, _template_line(error, name)), "",
                                   f"template error: {_describe(error)}")) from None


def _describe(error: BaseException) -> str:
    text = str(error)
    if isinstance(error, (TypeError, ValueError, ArithmeticError, AttributeError)) and text:
        return text
    return f"{type(error).__name__}: {text}" if text else type(error).__name__



def _template_line(error: BaseException, name: str) -> int | None:
    """The line in the template where the error arose (Jinja maps its frames to template lines)."""
    line = None
    traceback = error.__traceback__
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename.replace("\\", "/").endswith(name):
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line
