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
        "includes `blank` may be written `blank` to leave it open on purpose: it prints as a",
        "write-in line. Durations are written in words: `9 months`, `6 weeks`, `1 year`.",
        "",
        "`handbook new ID` writes every field, with no fact filled in: numbers are `blank`, and what a",
        "program cannot do without (name, agency, description, edition, the mentor and mentee roles'",
        "summaries, a contact) is a placeholder, text in angle brackets such as `<Program name>`.",
        "`handbook check` warns while a placeholder is left in (`--strict` makes it an error), and when",
        "two programs share a name. `handbook new ID --from PROGRAM` copies a program, marks what must",
        "change (name, agency, contacts, branding) and records the source's names in `copied_from`:",
        "`check` warns while free text still mentions one of them that the copy no longer has.",
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
        return "leave out if the program doesn't say"
    return f"`{value}`".lower() if isinstance(value, bool) else f"`{value}`"
