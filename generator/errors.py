"""The error taxonomy: one base class the CLI catches and prints; anything else is a bug.

And warnings: what a tool (MkDocs, WeasyPrint) logs as a warning is captured, never left to its
logger. A strict build turns each into a problem; otherwise each is a HandbookWarning (the tests
make any HandbookWarning an error, as WeasyPrint's own tests use assert_no_logs).
"""

from __future__ import annotations

import logging
import sys
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
    """One user mistake: where it is, which field, and what is wrong."""

    location: Location
    field: str
    message: str

    def __str__(self) -> str:
        field = f" {self.field}:" if self.field else ""
        return f"{self.location}:{field} {self.message}"


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
        raise ConfigError([Problem(p.location, p.field, f"{p.message} (a warning; --strict makes it an error)")
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
