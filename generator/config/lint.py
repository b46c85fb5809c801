"""Warnings about a valid program: what a coordinator has probably not finished yet.

- Placeholders left in. `handbook new` writes what a coordinator must replace as text in angle
  brackets, e.g. `<Program name>`; any such text still in the file is a warning.
- Two programs with the same name: the programs index would list two entries alike.
- After `handbook new --from`: free text that still mentions a name of the source program that this
  program no longer has (a committee renamed, the old name left in a duty). The source's names are
  recorded in the file itself (`copied_from.names`), so the check needs neither the source file
  (which may change or go) nor a guess over other programs' names (generic words such as
  'Supervisor' or 'Human Resources' would be flagged in programs that were never copied).

A warning never stops a build; `--strict` makes it an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generator.config.schema import Program

Key = tuple[str | int, ...]

# '<' then a letter, up to '>', on one line; no '@', '/' or ':' so an address in angle brackets
# (<coordinator@example.org>, <https://…>) is not taken for one.
PLACEHOLDER = re.compile(r"<[^\W\d_][^<>@/:\n]*>")


def placeholder(what: str) -> str:
    """The text `handbook new` writes for a value the coordinator must give: '<what>'."""
    return f"<{what}>"


def program_names(program: Program) -> list[str]:
    """Every name the program gives itself and its parties: what free text may mention by name."""
    names = [program.name, program.short_name, program.agency, program.department]
    for role in program.roles:
        names += [role.title, role.refer_as]
    for committee in program.committees:
        names += [committee.name, committee.refer_as]
    names += [contact.role for contact in program.contacts]
    return list(dict.fromkeys(name for name in names if name and not PLACEHOLDER.fullmatch(name)))


def program_warnings(program: Program, others: dict[str, str]) -> Iterator[tuple[Key, str]]:
    """Every warning about one program; `others` maps every other program's id to its name."""
    yield from _placeholders(program)
    yield from _shared_name(program, others)
    yield from _stale_names(program)


def free_text(data: Any, path: Key = ()) -> Iterator[tuple[Key, str]]:
    """Every text value (and mapping key) in dumped program data, with its path."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from free_text(key, path + (key,))
            yield from free_text(value, path + (key,))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from free_text(item, path + (index,))


def _texts(program: Program) -> Iterator[tuple[Key, str]]:
    return free_text(program.model_dump(mode="json", exclude={"id", "copied_from"}))


def _placeholders(program: Program) -> Iterator[tuple[Key, str]]:
    for path, text in _texts(program):
        found = PLACEHOLDER.search(text)
        if found:
            yield path, f"'{found.group()}' is a placeholder: replace it with the program's own text"


def _normal(name: str) -> str:
    return " ".join(name.casefold().split())


def _shared_name(program: Program, others: dict[str, str]) -> Iterator[tuple[Key, str]]:
    same = [other for other, name in others.items() if other != program.id and _normal(name) == _normal(program.name)]
    if same:
        yield ("name",), (f"'{program.name}' is also the name of {', '.join(same)}; the programs index would "
                          f"list them alike: give this program its own name")


def _stale_names(program: Program) -> Iterator[tuple[Key, str]]:
    if program.copied_from is None:
        return
    current = program_names(program)
    stale = [name for name in program.copied_from.names if name not in current]
    if not stale:
        return
    # This program's own names are masked first, so an old name inside a current one is no mention.
    own = re.compile("|".join(_word(name) for name in sorted(current, key=len, reverse=True))) if current else None
    for path, text in _texts(program):
        masked = own.sub("\0", text) if own else text
        for name in stale:
            if re.search(_word(name), masked):
                yield path, (f"mentions '{name}', a name from {program.copied_from.program} (copied_from.names) "
                             f"that this program no longer has: use this program's name, or delete it from "
                             f"copied_from.names if it is right")


def _word(name: str) -> str:
    """A name as a whole word or phrase: 'Committee' is not found in 'Committees'."""
    return rf"(?<!\w){re.escape(name)}(?!\w)"
