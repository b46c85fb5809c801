"""`handbook new`: a complete, commented program file, from an existing program or a starter.

Every field is present with a comment saying, in a coordinator's words, what it means, what it
takes and its default, so a coordinator can fill it in without reading any Python. A field the
program leaves out is written commented out (`# field:`).

The starter (no `--from`) states no fact about a program: numbers are `blank` (write-in lines), and
what a program cannot do without (its name, agency, description, a mentor and a mentee role) is a
placeholder in angle brackets, e.g. `<Program name>`, which `handbook check` warns about until it is
replaced (config/lint.py). The file still passes `check`, so a draft can be built.

A copy (`--from`) marks what must change (name, agency, contacts, branding) and records the source's
names in `copied_from`, so `check` can warn when free text still mentions one the copy renamed.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from generator.config.describe import FieldDoc, fields, number
from generator.config.lint import placeholder, program_names
from generator.config.loader import load_program
from generator.config.schema import Program
from generator.config.types import ID_PATTERN
from generator.errors import ConfigError, HandbookError, Location, Problem
from generator.project import CONFIG_DIR

SCHEMA_FILE = "handbook.schema.json"
WIDTH = 96
HEADER = [
    "# Text in angle brackets, e.g. <Program name>, is a placeholder: replace it with the program's own",
    "# text (`handbook check` warns while one is left). A value written `blank` is left open on purpose",
    "# and prints as a write-in line. A field commented out (`# field:`) is left out: the handbook says",
    "# nothing about it. To give it, remove the '# ' and write the value after the colon.",
]
# What a copy must not keep from its source unless the new program really shares it.
COPIED = {
    "name": "give this program its own name (two programs of one name look alike in the programs index)",
    "agency": "the agency that runs this program",
    "contacts": "this program's own contacts",
    "branding": "this program's own colors and logo",
}


def starter() -> dict[str, Any]:
    """A new program that states nothing: numbers left blank, what it cannot do without as placeholders."""
    return {
        "name": placeholder("Program name"),
        "agency": placeholder("Agency that runs the program"),
        "description": placeholder("One paragraph on what the program is and who it is for"),
        "edition": placeholder("Year or edition printed on covers, e.g. 2027"),
        "contacts": [{"role": placeholder("Title of the person to contact, e.g. Program Coordinator"),
                      "email": placeholder("E-mail address")}],
        "schedule": {"length": "blank"},
        "meetings": {"one_to_one": {"per_month": "blank", "hours_per_month": "blank"}},
        "roles": [
            {"id": "mentor", "title": "Mentor",
             "summary": placeholder("One or two sentences on what a mentor does in this program")},
            {"id": "mentee", "title": "Mentee",
             "summary": placeholder("One or two sentences on what a mentee does in this program")},
        ],
    }


def new_program(project: Path, program_id: str, source_id: str | None = None) -> Path:
    target = project / CONFIG_DIR / f"{program_id}.yml"
    where = Location(f"{CONFIG_DIR}/{program_id}.yml")
    if not re.fullmatch(ID_PATTERN, program_id) or program_id.startswith("_"):
        raise HandbookError(Problem(where, "",
                                    "a program id is lowercase letters, digits and dashes, e.g. 'city-hr-2027'"))
    if target.exists():
        raise HandbookError(Problem(where, "", "already exists; choose another id or edit that file"))
    if source_id:
        data = _copy_of(project, source_id)
    else:
        data = Program.model_validate({"id": program_id, **starter()}).model_dump(mode="json", exclude={"id"})
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(commented_yaml(data, program_id, source_id), encoding="utf-8")
    try:
        load_program(target, project)
    except HandbookError:
        target.unlink()
        raise
    return target


def _copy_of(project: Path, source_id: str) -> dict[str, Any]:
    """The source's values, and its names recorded in `copied_from`."""
    source = project / CONFIG_DIR / f"{source_id}.yml"
    if not source.is_file():
        raise ConfigError(Problem(Location(f"{CONFIG_DIR}/{source_id}.yml"), "", "no such program to copy from"))
    program = load_program(source, project)
    data = program.model_dump(mode="json", exclude={"id"})
    data["copied_from"] = {"program": source_id, "names": program_names(program)}
    return data


def commented_yaml(data: dict[str, Any], program_id: str, source_id: str | None) -> str:
    origin = f"copied from {source_id}" if source_id else "started from the blank template"
    lines = [
        f"# yaml-language-server: $schema=../{SCHEMA_FILE}",
        f"# Program '{program_id}', {origin}. Every field is listed with what it means;",
        "# change the values, then run `handbook check` and `handbook build`.",
        *HEADER,
    ]
    notes = {name: f"CHANGE (copied from {source_id}): {note}." for name, note in COPIED.items()} if source_id else {}
    skip = {"id"} if source_id else {"id", "copied_from"}  # copied_from is what a copy records of its source
    lines += _model_lines(Program, data, indent=0, skip=skip, notes=notes)
    return "\n".join(lines) + "\n"


def _direct_fields(model: type[BaseModel]) -> list[FieldDoc]:
    return [f for f in fields(model) if "." not in f.path]


def _wrapped(text: str, indent: str, first: str = "", rest: str = "") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=f"{indent}# {first}", subsequent_indent=f"{indent}# {rest}",
                         break_on_hyphens=False)


def _comment(doc: FieldDoc, indent: str) -> list[str]:
    facts = [doc.type]
    if doc.range:
        facts.append(doc.range)
    if doc.required:
        facts.append("required")
    elif doc.default is None:
        if "leave" not in doc.description.lower():  # the description may already say when to leave it out
            facts.append("leave out if the program doesn't say")
    elif not isinstance(doc.default, BaseModel):
        facts.append(f"default: {_shown(doc.default)}")
    if doc.example and "e.g." not in doc.description:
        facts.append(f"e.g. {doc.example}")
    lines = _wrapped(f"{doc.description} ({'; '.join(facts)})", indent)
    if doc.model is not None and doc.is_list:
        for item in _direct_fields(doc.model):
            need = "required" if item.required else "optional"
            lines += _wrapped(f"{item.name} ({need}): {item.description}", indent, "  - ", "    ")
    return lines


def _shown(value: Any) -> str:
    """A default as a coordinator writes it: none, true, 2, group session."""
    if value in ([], {}):
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    return number(value) if isinstance(value, float) else str(value)


def _model_lines(model: type[BaseModel], data: dict[str, Any] | None, indent: int,
                 skip: frozenset[str] | set[str] = frozenset(), commented: bool = False,
                 notes: dict[str, str] | None = None) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for doc in _direct_fields(model):
        if doc.name in skip:
            continue
        value = doc.default if commented else (data or {}).get(doc.name)
        lines += [""] if indent == 0 else []
        lines += _comment(doc, pad)
        if notes and doc.name in notes:
            lines += _wrapped(notes[doc.name], pad)
        if doc.model is not None and not doc.is_list:
            lines += _group_lines(doc, value, pad, commented)
        else:
            lines += _value_lines(doc.name, value, pad, "# " if commented else "")
    return lines


def _group_lines(doc: FieldDoc, value: Any, pad: str, commented: bool) -> list[str]:
    """A group of fields: given, or left out (then its key and fields are written commented out)."""
    assert doc.model is not None
    if isinstance(value, dict) and not commented:
        return [f"{pad}{doc.name}:", *_model_lines(doc.model, value, len(pad) + 2)]
    return [f"{pad}# {doc.name}:", *_model_lines(doc.model, None, len(pad) + 2, commented=True)]


def _value_lines(name: str, value: Any, pad: str, mark: str) -> list[str]:
    if value is None:
        return [f"{pad}# {name}:"]
    text = yaml.safe_dump({name: _plain(value)}, sort_keys=False, allow_unicode=True, width=WIDTH,
                          default_flow_style=False)
    return [f"{pad}{mark}{line}" for line in text.rstrip("\n").split("\n")]


def _plain(value: Any) -> Any:
    """Whole numbers as whole numbers (2, not 2.0); fields an entry leaves out are not written."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
