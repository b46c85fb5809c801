"""Plain-words descriptions of schema fields, shared by `handbook new` comments and the
configuration reference, so both always say what the schema says."""

from __future__ import annotations

import builtins
import datetime as dt
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from generator.config.types import ID_PATTERN, Blank, Duration, TextKind, Timing

EXAMPLES = {Duration: "9 months", Timing: "month 3", dt.date: "2027-01-15", Blank: "blank"}
TEXT_KIND_NAMES = {"line": "one line of text", "text": "text, paragraphs allowed", "role": "role id",
                   "party": "role or committee id", "document": "document id"}
SIMPLE_NAMES: dict[Any, str] = {str: "text", int: "whole number", float: "number", bool: "true or false",
                                dt.date: "date, YYYY-MM-DD", Blank: "blank", Duration: "duration", Timing: "timing"}
PLURALS = {"one line of text": "lines of text", "role id": "role ids", "role or committee id": "role or committee ids",
           "document id": "document ids", "group of fields": "entries"}
MAPPING_KEYS = {"one line of text": "heading"}


@dataclass(frozen=True)
class FieldDoc:
    path: str
    name: str
    type: str
    description: str
    required: bool
    default: Any
    allowed: list[str]
    range: str
    example: str
    model: builtins.type[BaseModel] | None  # nested model (or list item model), if any
    is_list: bool


def _args(annotation: Any) -> tuple[Any, ...]:
    return typing.get_args(annotation)


def _is_union(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


def _strip(annotation: Any) -> tuple[Any, list[Any]]:
    """Unwrap Annotated[...] -> (type, metadata)."""
    if typing.get_origin(annotation) is typing.Annotated:
        base, *meta = _args(annotation)
        return base, meta
    return annotation, []


def type_name(annotation: Any, field: FieldInfo | None = None) -> str:
    """The type in a coordinator's words: 'number or blank', 'list of role ids', never a Python name."""
    annotation, meta = _strip(annotation)
    kind = next((m for m in [*meta, *(field.metadata if field else ())] if isinstance(m, TextKind)), None)
    if kind is not None:
        return TEXT_KIND_NAMES[kind.kind]
    if any(getattr(m, "pattern", None) == ID_PATTERN for m in _constraints(annotation, field)):
        return "id (lowercase letters, digits and dashes)"
    origin = typing.get_origin(annotation)
    if _is_union(annotation):
        parts = [type_name(a) for a in _args(annotation) if a is not type(None)]
        return " or ".join(dict.fromkeys(parts))
    if origin is typing.Literal:
        return "one of " + ", ".join(str(a) for a in _args(annotation))
    if origin is list:
        item = type_name(_args(annotation)[0])
        return f"list of {PLURALS.get(item, item)}"
    if origin is dict:
        key, value = (type_name(a) for a in _args(annotation))
        return f"{value}, for each {MAPPING_KEYS.get(key, key)}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "group of fields"
    return SIMPLE_NAMES.get(annotation, "text")


def number(value: object) -> str:
    """2.0 -> '2', 0.5 -> '0.5': a whole number is written as one."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _constraints(annotation: Any, field: FieldInfo | None = None) -> list[Any]:
    found = list(field.metadata) if field else []
    annotation, meta = _strip(annotation)
    found += meta
    for arg in _args(annotation):
        found += _constraints(arg)
    for item in list(found):
        if isinstance(item, FieldInfo):
            found += item.metadata
    return found


def value_range(annotation: Any, field: FieldInfo | None = None) -> str:
    low = high = None
    for item in _constraints(annotation, field):
        if isinstance(item, annotated_types.Gt):
            low = f"more than {number(item.gt)}"
        elif isinstance(item, annotated_types.Ge):
            low = f"at least {number(item.ge)}"
        elif isinstance(item, annotated_types.Lt):
            high = f"less than {number(item.lt)}"
        elif isinstance(item, annotated_types.Le):
            high = f"at most {number(item.le)}"
    return ", ".join(part for part in (low, high) if part)


def allowed_values(annotation: Any) -> list[str]:
    annotation, _ = _strip(annotation)
    if typing.get_origin(annotation) is typing.Literal:
        return [str(a) for a in _args(annotation)]
    values: list[str] = []
    for arg in _args(annotation) if _is_union(annotation) else ():
        values += allowed_values(arg)
        if _strip(arg)[0] is Blank:
            values.append("blank")
    return values


def nested_model(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    annotation, _ = _strip(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    if typing.get_origin(annotation) is list:
        inner, _ = nested_model(_args(annotation)[0])
        return inner, True
    for arg in _args(annotation) if _is_union(annotation) else ():
        found = nested_model(arg)
        if found[0] is not None:
            return found
    return None, False


def example_for(annotation: Any) -> str:
    annotation, _ = _strip(annotation)
    if _is_union(annotation):
        for arg in _args(annotation):
            if arg is not type(None) and _strip(arg)[0] is not Blank:
                return example_for(arg)
    return EXAMPLES.get(annotation, "")


def fields(model: type[BaseModel], prefix: str = "") -> Iterator[FieldDoc]:
    """Every field of `model`, depth first (list items as `path[]`)."""
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        sub, is_list = nested_model(info.annotation)
        default = None if info.default is PydanticUndefined else info.default
        if info.default_factory is not None:
            default = info.default_factory()  # type: ignore[call-arg]  # the schema's factories take no data
        yield FieldDoc(
            path=path, name=name, type=type_name(info.annotation, info),
            description=" ".join((info.description or "").split()),
            required=info.is_required(), default=default, allowed=allowed_values(info.annotation),
            range=value_range(info.annotation, info), example=example_for(info.annotation),
            model=sub, is_list=is_list,
        )
        if sub is not None:
            yield from fields(sub, f"{path}[]." if is_list else f"{path}.")
