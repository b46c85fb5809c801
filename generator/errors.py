"""The error taxonomy: one base class the CLI catches and prints; anything else is a bug.

And warnings: what a tool (MkDocs, WeasyPrint) logs as a warning is captured, never left to its
logger. A strict build turns each into a problem; otherwise each is a HandbookWarning (the tests
make any HandbookWarning an error, as WeasyPrint's own tests use assert_no_logs).
"""

from __future__ import annotations

import dataclasses
import logging
import re
import sys
import unicodedata
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TextIO


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file, and a 1-based line and column when known."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


@dataclass(frozen=True)
class Problem:
    """One user mistake: where it is, which field, and what is wrong; `excerpt` shows the line
    of the file it is on with a caret under the column (see `excerpt`), when the file is known."""

    location: Location
    field: str
    message: str
    excerpt: str = dataclasses.field(default="", compare=False)

    def __str__(self) -> str:
        named = f" {self.field}:" if self.field else ""
        return f"{self.location}:{named} {self.message}"

    def report(self) -> str:
        """The one-line problem, then its excerpt (if any) under it: what the command line prints."""
        return f"{self}\n{self.excerpt}" if self.excerpt else str(self)


EXCERPT_WIDTH = 100  # characters of a long line shown around the caret


def excerpt(text: str, line: int, column: int, above: int | None = None) -> str:
    """Line `line` of `text` (1-based) with a caret under `column`, and line `above` before it
    when it helps to compare (e.g. the line to indent like). Empty when the line does not exist.
    A character that cannot be shown safely (a control, a bidirectional override) is printed as
    '?', and a tab as '→', so the caret stays under the column it names."""
    lines = split_lines(text)
    if not 1 <= line <= len(lines):
        return ""
    shown = []
    if above is not None and 1 <= above < line:
        shown.append(f"{above:>5} | {_visible(lines[above - 1], 1)[0]}")
    body, pad = _visible(lines[line - 1], column)
    shown += [f"{line:>5} | {body}", f"{'':>5} | {pad}^"]
    return "\n".join(shown)


_LINE_BREAKS = re.compile("\r\n|[\n\r\x85\u2028\u2029]")  # the line breaks YAML (and its marks) count


def split_lines(text: str) -> list[str]:
    return _LINE_BREAKS.split(text)


def _visible(line: str, column: int) -> tuple[str, str]:
    """The line as it can be printed (cut around `column` when long), and the spaces that put a
    caret under `column` (a wide character takes two)."""
    start = 0
    if len(line) > EXCERPT_WIDTH:
        start = max(0, min(column - 1 - EXCERPT_WIDTH // 2, len(line) - EXCERPT_WIDTH))
    cut = line[start:start + EXCERPT_WIDTH]
    body = "".join("→" if c == "\t" else c if c.isprintable() else "?" for c in cut)
    pad = "".join("  " if unicodedata.east_asian_width(c) in "WF" else " " for c in body[:max(0, column - 1 - start)])
    if start:
        body, pad = "…" + body, " " + pad
    if start + EXCERPT_WIDTH < len(line):
        body += "…"
    return body, pad


class HandbookError(Exception):
    """A mistake in the user's input. The CLI prints it without a traceback and exits 1."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(Location("handbook"), "", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ConfigError(HandbookError):
    """A program configuration (or a base it extends) is invalid."""


class ContentError(HandbookError):
    """A content template or the documents list is invalid."""


class BuildError(HandbookError):
    """The build could not complete for a reason the user can act on (lock held, output clash)."""


class HandbookWarning(UserWarning):
    """A tool warned while building (e.g. WeasyPrint: an unsupported CSS property, an image it could not
    load). The output was still written; a strict build fails instead."""


def report_warnings(where: str, messages: tuple[str, ...] | list[str], strict: bool) -> None:
    """Strict: the warnings are problems and the build stops (BuildError). Otherwise one HandbookWarning each."""
    if strict and messages:
        raise BuildError([Problem(Location(where), "", f"warning: {message}") for message in messages])
    for message in messages:
        warnings.warn(HandbookWarning(f"{where}: {message}"), stacklevel=2)


def report_problems(problems: list[Problem], strict: bool) -> None:
    """Warnings about the user's input, each at its place: with strict, together an error (ConfigError);
    otherwise one HandbookWarning each, shown as `warning: file:line:col: field: message`."""
    if strict and problems:
        raise ConfigError([dataclasses.replace(p, message=f"{p.message} (a warning; --strict makes it an error)")
                           for p in problems])
    for problem in problems:
        warnings.warn(HandbookWarning(str(problem)), stacklevel=2)


@contextmanager
def warnings_as_lines() -> Iterator[list[str]]:
    """Show every HandbookWarning, each as one line on stderr (`warning: <message>`), not in
    Python's 'file.py:12: HandbookWarning: …' form with a line of our source. Yields the messages shown."""
    python_show = warnings.showwarning
    shown: list[str] = []

    def show(message: Warning | str, category: type[Warning], filename: str, lineno: int,
             file: TextIO | None = None, line: str | None = None) -> None:
        if issubclass(category, HandbookWarning):
            print(f"warning: {message}", file=sys.stderr)
            shown.append(str(message))
        else:
            python_show(message, category, filename, lineno, file, line)

    with warnings.catch_warnings():
        warnings.simplefilter("always", HandbookWarning)
        warnings.showwarning = show
        yield shown


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def captured_warnings(logger_name: str) -> Iterator[list[str]]:
    """Collect what the named logger (and its children) reports at WARNING or above, instead of printing it."""
    logger = logging.getLogger(logger_name)
    handler = _Collect()
    logger.addHandler(handler)
    previous = logger.propagate
    logger.propagate = False
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = previous
