"""`handbook new`: a complete, commented program file, from an existing program or a starter.

Every field is present with a comment saying what it means, its type and allowed values, its
default and an example, so a coordinator can fill it in without reading any Python.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from generator.config.describe import FieldDoc, fields
from generator.config.loader import CONFIG_DIR, load_program
from generator.config.schema import Program
from generator.config.types import ID_PATTERN
from generator.errors import ConfigError, HandbookError, Location, Problem

SCHEMA_FILE = "handbook.schema.json"
WIDTH = 96


def starter(program_id: str) -> dict[str, Any]:
    """A new program with every agency-specific number left blank on purpose."""
    title = program_id.replace("-", " ").title()
    return {
        "name": f"{title} Mentoring Program",
        "agency": "Your agency",
        "description": "A formal mentoring program that pairs experienced employees with colleagues who want to grow.",
        "edition": str(dt.date.today().year),
        "schedule": {"length": "blank"},
        "meetings": {"one_to_one": {"per_month": "blank", "hours_per_month": "blank", "first_meeting_hours": 1}},
        "contacts": [{"role": "Program Coordinator", "email": "coordinator@example.org"}],
        "run_by": "coordinator",
        "roles": [
            {"id": "coordinator", "title": "Program Coordinator", "summary": "Runs the program day to day.",
             "responsibilities": ["Recruit and match participants", "Run the orientation", "Collect evaluations"]},
            {"id": "mentor", "title": "Mentor", "summary": "Shares experience and guides the mentee.",
             "responsibilities": ["Meet the mentee as agreed", "Give honest, constructive feedback"]},
            {"id": "mentee", "title": "Mentee", "summary": "Leads their own learning and development.",
             "responsibilities": ["Set goals and a development plan", "Prepare for each meeting"]},
        ],
    }


def new_program(project: Path, program_id: str, source_id: str | None = None) -> Path:
    import re

    target = project / CONFIG_DIR / f"{program_id}.yml"
    where = Location(f"{CONFIG_DIR}/{program_id}.yml")
    if not re.fullmatch(ID_PATTERN, program_id) or program_id.startswith("_"):
        raise HandbookError(Problem(where, "",
                                    "a program id is lowercase letters, digits and dashes, e.g. 'city-hr-2027'"))
    if target.exists():
        raise HandbookError(Problem(where, "", "already exists; choose another id or edit that file"))
    if source_id:
        source = project / CONFIG_DIR / f"{source_id}.yml"
        if not source.is_file():
            raise ConfigError(Problem(Location(f"{CONFIG_DIR}/{source_id}.yml"), "", "no such program to copy from"))
        data = load_program(source, project).model_dump(mode="json", exclude={"id"}, exclude_defaults=False)
    else:
        data = Program.model_validate({"id": program_id, **starter(program_id)}).model_dump(mode="json", exclude={"id"})
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(commented_yaml(data, program_id, source_id), encoding="utf-8")
    try:
        load_program(target, project)
    except HandbookError:
        target.unlink()
        raise
    return target


def commented_yaml(data: dict[str, Any], program_id: str, source_id: str | None) -> str:
    origin = f"copied from {source_id}" if source_id else "started from the blank template"
    lines = [
        f"# yaml-language-server: $schema=../{SCHEMA_FILE}",
        f"# Program '{program_id}', {origin}. Every field is listed with what it means;",
        "# change the values, then run `handbook check` and `handbook build`.",
        "# A value written as `blank` is left open on purpose and prints as a write-in line.",
    ]
    lines += _model_lines(Program, data, indent=0, skip={"id"})
    return "\n".join(lines) + "\n"


def _direct_fields(model: type[BaseModel]) -> list[FieldDoc]:
    return [f for f in fields(model) if "." not in f.path]


def _comment(doc: FieldDoc, indent: str) -> list[str]:
    facts = [doc.type]
    if doc.allowed:
        facts.append("allowed: " + ", ".join(doc.allowed))
    if doc.range:
        facts.append(doc.range)
    facts.append("required" if doc.required else f"default: {_short(doc.default)}")
    if doc.example:
        facts.append(f"e.g. {doc.example}")
    text = f"{doc.description} ({'; '.join(facts)})"
    return [f"{indent}# {line}" for line in textwrap.wrap(text, WIDTH - len(indent) - 2)]


def _short(value: Any) -> str:
    if isinstance(value, BaseModel):
        return "see below"
    if value in ([], {}):
        return "none"
    return "not set" if value is None else repr(value) if isinstance(value, str) else str(value).lower()


def _model_lines(model: type[BaseModel], data: dict[str, Any] | None, indent: int,
                 skip: frozenset[str] | set[str] = frozenset(), commented: bool = False) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for doc in _direct_fields(model):
        if doc.name in skip:
            continue
        value = (data or {}).get(doc.name)
        lines += [""] if indent == 0 else []
        lines += _comment(doc, pad)
        mark = "# " if commented else ""
        if doc.model is not None and not doc.is_list:
            if value is None:
                lines.append(f"{pad}{mark}{doc.name}: null   # not used; to use it, replace null with these fields:")
                lines += _model_lines(doc.model, None, indent + 2, commented=True)
            else:
                lines.append(f"{pad}{mark}{doc.name}:")
                lines += _model_lines(doc.model, value, indent + 2, commented=commented)
        elif doc.model is not None and doc.is_list:
            item_docs = [f"{f.name} ({'required' if f.required else 'optional'}): {f.description}"
                         for f in _direct_fields(doc.model)]
            lines += [f"{pad}#   each item has: " + item_docs[0]] + [f"{pad}#     {text}" for text in item_docs[1:]]
            lines += _value_lines(doc.name, value or [], pad, mark)
        else:
            lines += _value_lines(doc.name, value, pad, mark)
    return lines


def _value_lines(name: str, value: Any, pad: str, mark: str) -> list[str]:
    text = yaml.safe_dump({name: value}, sort_keys=False, allow_unicode=True, width=WIDTH, default_flow_style=False)
    return [f"{pad}{mark}{line}" for line in text.rstrip("\n").split("\n")]
