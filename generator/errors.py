"""The error taxonomy: one base class the CLI catches and prints; anything else is a bug."""

from __future__ import annotations

from dataclasses import dataclass


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
