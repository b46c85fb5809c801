"""The configuration reference, generated from the schema (kept in sync by a test)."""

from __future__ import annotations

from generator.config.describe import fields
from generator.config.schema import Program


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def reference_markdown() -> str:
    lines = [
        "# Configuration reference",
        "",
        "Every field of a program file (`program-config/<id>.yml`), generated from the schema by",
        "`handbook reference`. Fields inside a list are shown as `list[].field`. A value whose type",
        "includes `'blank'` may be written `blank` to leave it open on purpose: it prints as a",
        "write-in line. Durations are written in words: `9 months`, `6 weeks`, `1 year`.",
        "",
        "| field | type | required / default | allowed values, range | example | description |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for doc in fields(Program):
        if doc.path == "id":
            continue
        default = "required" if doc.required else _default(doc.default)
        allowed = ", ".join(f"`{a}`" for a in doc.allowed)
        limits = "; ".join(part for part in (allowed, doc.range) if part)
        example = f"`{doc.example}`" if doc.example else ""
        lines.append(f"| `{doc.path}` | {_cell(doc.type)} | {default} | {_cell(limits)} | {example} "
                     f"| {_cell(doc.description)} |")
    return "\n".join(lines) + "\n"


def _default(value: object) -> str:
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        return "see its fields"
    if value in ([], {}):
        return "empty"
    if value is None:
        return "not set"
    return f"`{value}`".lower() if isinstance(value, bool) else f"`{value}`"
