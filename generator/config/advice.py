"""Schema mistakes in plain words: each pydantic error is phrased by its *type* for a coordinator,
with advice drawn from the field it is about (its type, its docstring, whether 'blank' or leaving
it out is allowed), instead of the library's own wording ("unable to parse string as a number")."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from generator.config.describe import allowed_values, nested_model
from generator.config.types import BLANK_WORD, ID_PATTERN, NOT_BLANK, NUMBER_WORDS, TextKind
from generator.errors import Problem

if TYPE_CHECKING:
    from generator.config.yamlfile import Document

Key = tuple[Any, ...]

# What one item of a list is called, where the field's name does not say it ("one duty per line").
ITEM_NOUNS = {
    "responsibilities": "duty", "is_not": "item", "characteristics": "quality", "criteria": "criterion",
    "matching_criteria": "criterion", "topics": "topic", "how_to_apply": "item", "members": "member",
    "exceptions": "exception", "purposes": "aim", "values": "value", "behaviors": "behavior",
}
PLACEHOLDERS = {"tbd", "tba", "n/a", "na", "none", "unknown", "?", "-", "open", "later", "empty", "null"}
ECHOED = 60  # the longest value quoted back in advice
COUNT_WORDS = {**NUMBER_WORDS, "once": 1, "twice": 2, "thrice": 3}  # "per_month: twice"
REFERENCE_NOUNS = {"role": "role id", "party": "role or committee id", "document": "document id"}


def located_problems(error: ValidationError, document: Document, source: str, model: type[BaseModel]) -> list[Problem]:
    """Every error of `error` as a Problem at the place in the file it is about, one per field."""
    grouped: dict[Key, list[str]] = {}
    on_value: dict[Key, bool] = {}
    for item in error.errors(include_url=False):
        path = _data_path(dict(item), document.data)
        message = phrase(dict(item), model, path)
        messages = grouped.setdefault(path, [])
        if message not in messages:
            messages.append(message)
        on_value[path] = item["type"] not in ("missing", "extra_forbidden")
    problems = []
    for path, messages in grouped.items():
        if NOT_BLANK in messages and len(messages) > 1:  # an Open[...] field: the other message says 'blank'
            messages = [m for m in messages if m != NOT_BLANK]
        problems.append(document.problem(path, source, "; or ".join(messages), at_value=on_value[path]))
    return problems


def _data_path(item: dict[str, Any], data: Any) -> Key:
    """Map a pydantic error location onto the data, dropping union tags ('float', 'function-plain[...]')."""
    path: list[Any] = []
    node = data
    loc = list(item["loc"])
    for part in loc:
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if (isinstance(node, dict) and part in node) or in_list:
            node = node[part]
            path.append(part)
        elif item["type"] == "missing" and part == loc[-1]:
            path.append(part)
    return tuple(path)


@dataclass(frozen=True)
class _Said:
    """One error with what is known of its field."""

    item: dict[str, Any]
    path: Key
    field: FieldInfo | None
    model: type[BaseModel]

    @property
    def value(self) -> Any:
        return self.item.get("input")

    @property
    def name(self) -> str:
        return next((str(p) for p in reversed(self.path) if isinstance(p, str)), "")

    @property
    def in_list(self) -> bool:
        return bool(self.path) and isinstance(self.path[-1], int)

    @property
    def blank_ok(self) -> bool:
        return self.field is not None and not self.in_list and BLANK_WORD in allowed_values(self.field.annotation)

    @property
    def may_leave_out(self) -> bool:
        return self.field is not None and not self.in_list and not self.field.is_required()


def phrase(item: dict[str, Any], model: type[BaseModel], path: Key) -> str:
    """The error in plain words, with what to write instead."""
    said = _Said(item, path, field_at(model, path), model)
    if said.blank_ok and isinstance(said.value, str) and said.value.strip().lower() in PLACEHOLDERS:
        return f"to leave it open on purpose, write '{BLANK_WORD}'"
    for types, rewrite in _REWRITES:
        if item["type"] in types:
            return rewrite(said)
    message = str(item["msg"]).removeprefix("Value error, ")
    return message.replace("Input should be", "must be")


def _or_blank(said: _Said) -> str:
    return f", or '{BLANK_WORD}'" if said.blank_ok else ""


def _number(said: _Said) -> str:
    word = str(said.value).strip().lower() if isinstance(said.value, str) else ""
    whole = said.item["type"].startswith("int")
    example = COUNT_WORDS.get(word, 2)
    if word in COUNT_WORDS:
        return f"write the number in digits: {example}{_or_blank(said)}"
    if said.item["type"] == "int_from_float":
        return f"write a whole number such as {round(said.value) or 1}{_or_blank(said)}"
    if isinstance(said.value, bool):
        return f"write a number such as 2{_or_blank(said)}, not yes or no"
    return f"write a {'whole ' if whole else ''}number such as {example}{_or_blank(said)}"


def _true_false(said: _Said) -> str:
    leave_out = " (or leave the line out when the program does not say)" if said.may_leave_out else ""
    return f"write true or false{leave_out}"


def _text(said: _Said) -> str:
    value = said.value
    if value is None:
        if said.in_list:
            return "this list item is empty: write it after the '- ', or remove the line"
        return "the value is empty: write it after the colon" + (", or remove the line" if said.may_leave_out else "")
    if isinstance(value, bool):
        return ("text goes here, but YAML reads a bare yes, no, true, false, on or off as a yes-or-no answer: "
                "put the word in quotes, e.g. \"yes\"")
    if isinstance(value, (dt.date, dt.datetime)):
        return f"text goes here, but YAML reads {value.isoformat()} as a date: put it in quotes, e.g. \"{value}\""
    if isinstance(value, list):
        return "write one line of text here, not a list (text that starts with '[' goes in quotes)"
    if isinstance(value, dict):
        return "write one line of text here, not fields (text that starts with '{' goes in quotes)"
    if isinstance(value, str):  # a lone surrogate, from a "\uD800" escape: not text at all
        return "is not valid text: remove the \\u escape of a lone surrogate (\\uD800 to \\uDFFF)"
    return "write text here"


def _list(said: _Said) -> str:
    noun = _item_noun(said)
    if said.value is None:
        return f"the list is empty: write one {noun} per line below it, each starting with '- ', or remove the line"
    written = _echo(said.value)
    if written and "," in written and _is_reference_list(said):
        parts = ", ".join(part.strip() for part in written.split(","))
        return f"write a list: [{parts}], or one {noun} per line, each starting with '- '"
    if _inner_model(said) is not None:
        return f"write each {noun} as a list item: a line starting with '- ', its fields indented under it"
    return f"write one {noun} per line, each starting with '- '"


def _fields(said: _Said) -> str:
    inner = _inner_model(said)
    first = next(iter(inner.model_fields), "") if inner else ""
    example = f", e.g. '  {first}: …'" if first else ""
    if said.value is None:
        fix = ", or remove the line" if said.may_leave_out else ""
        return f"this is empty: write its fields on the lines below it, indented{example}{fix}"
    if said.item["type"] == "dict_type":
        return "write its entries on the lines below it, indented, each as 'name: value'"
    return f"'{said.name}' holds fields, not a value: write them on the lines below it, indented{example}"


def _missing(said: _Said) -> str:
    about = _first_sentence(said.field.description) if said.field else ""
    return f"required field is missing: add '{said.name}: …'" + (f" ({about})" if about else "")


def _unknown(said: _Said) -> str:
    word = str(said.path[-1])
    here = _field_names(said.model, list(said.path[:-1]))
    spelled = word.strip().lower().replace(" ", "_").replace("-", "_")
    if spelled in here and spelled != word:
        return f"unknown field; did you mean '{spelled}'?"
    home = _home_of(word, said.model, list(said.path[:-1]))
    if home:
        return f"unknown field here: '{word}' belongs under '{home}'; indent it below '{home}:'"
    return "unknown field" + did_you_mean(word, here)


def _one_of(said: _Said) -> str:
    message = str(said.item["msg"]).replace("Input should be", "must be one of")
    written = _echo(said.value)
    allowed = allowed_values(said.field.annotation) if said.field else []
    hint = did_you_mean(written.strip().lower(), allowed) if written and allowed else ""
    return message + (hint if "did you mean" in hint else "")  # the allowed values are already listed


def _pattern(said: _Said) -> str:
    written = _echo(said.value)
    value = f"'{written}'" if written else "this"
    if said.item.get("ctx", {}).get("pattern") == ID_PATTERN:
        suggestion = re.sub(r"[^a-z0-9]+", "-", written.lower()).strip("-") if written else ""
        like = f" such as '{suggestion}'" if suggestion else ""
        return f"{value} is not an id: write lowercase letters, digits and dashes{like}"
    if said.name == "language":
        return f"{value} is not a language code: write one such as 'en' or 'en-US'"
    return "is not written in the expected form"


def _too_short(said: _Said) -> str:
    if said.item["type"] == "string_too_short":
        return "must not be empty"
    return f"needs at least {said.item.get('ctx', {}).get('min_length', 1)} {_item_noun(said)}"


def _too_long(said: _Said) -> str:
    return f"is too long: at most {said.item.get('ctx', {}).get('max_length')} characters"


def _date(said: _Said) -> str:
    leave_out = " (or leave the line out)" if said.may_leave_out else ""
    return f"write the date as year-month-day, e.g. 2027-01-15{leave_out}"


def _value_error(said: _Said) -> str:
    message = str(said.item["msg"]).removeprefix("Value error, ")
    if message == NOT_BLANK:
        return message
    written = _echo(said.value)
    if said.path[-2:] == ("schedule", "length") and written:
        advice = _length_advice(written)
        if advice:
            return advice
    return message + (f" (or '{BLANK_WORD}' to leave it open)" if said.blank_ok else "")


def _length_advice(text: str) -> str:
    """schedule.length in words: a minimum has its own field, and so has a program tied to another."""
    words = text.strip()
    if words.lower().startswith("at least "):
        rest = words[len("at least "):]
        length = rest if _looks_like_duration(rest) else "1 year"
        return f"write the length alone ('length: {length}') and add 'length_is_minimum: true' for 'at least'"
    if _looks_like_duration(words):
        return ""
    return (f"'{words}' is not a duration; if the program lasts as long as something else does, replace this "
            "line with 'tied_to:' and name it, e.g. 'tied_to: the Leadership Academy'; otherwise write it like "
            f"'9 months', or '{BLANK_WORD}'")


def _looks_like_duration(text: str) -> bool:
    """'9 monts' or 'nine months' is a misspelt duration; 'as long as the course' is not one."""
    words = text.lower().split()
    return len(words) == 2 and (words[0][:1].isdigit() or words[0] in NUMBER_WORDS)


def _echo(value: Any) -> str | None:
    """The value as written, to quote back in advice: only short text that can be shown safely
    (a control character or a bidirectional override is never echoed)."""
    return value if isinstance(value, str) and value.isprintable() and 0 < len(value) <= ECHOED else None


def _inner_model(said: _Said) -> type[BaseModel] | None:
    return nested_model(said.field.annotation)[0] if said.field else None


def _item_noun(said: _Said) -> str:
    metadata = [*said.field.metadata, *_inner_metadata(said.field.annotation)] if said.field else []
    kinds = [m for m in metadata if isinstance(m, TextKind)]
    if kinds and kinds[0].is_reference:
        return REFERENCE_NOUNS[kinds[0].kind]
    inner = _inner_model(said)
    if inner is not None:
        return re.sub(r"(?<!^)(?=[A-Z])", " ", inner.__name__).lower()
    return ITEM_NOUNS.get(said.name, "item")


def _is_reference_list(said: _Said) -> bool:
    return _item_noun(said) in REFERENCE_NOUNS.values()


def _inner_metadata(annotation: Any) -> list[Any]:
    found = list(getattr(annotation, "__metadata__", ()))
    for arg in getattr(annotation, "__args__", ()):
        found += _inner_metadata(arg)
    return found


def _first_sentence(text: str | None) -> str:
    sentence = " ".join((text or "").split()).split(". ")[0].rstrip(".")
    return sentence[:1].lower() + sentence[1:] if sentence[1:2].islower() else sentence


_REWRITES: list[tuple[tuple[str, ...], Callable[[_Said], str]]] = [
    (("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float", "finite_number"), _number),
    (("bool_parsing", "bool_type"), _true_false),
    (("string_type", "string_unicode"), _text),
    (("list_type", "tuple_type", "set_type"), _list),
    (("model_type", "model_attributes_type", "dict_type"), _fields),
    (("missing",), _missing),
    (("extra_forbidden",), _unknown),
    (("literal_error", "enum"), _one_of),
    (("string_pattern_mismatch",), _pattern),
    (("string_too_short", "too_short"), _too_short),
    (("string_too_long",), _too_long),
    (("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"), _date),
    (("value_error",), _value_error),
]


def field_at(model: type[BaseModel], path: Key) -> FieldInfo | None:
    """The schema field `path` names, or None when the schema has no such field."""
    current: Any = model
    found: FieldInfo | None = None
    for part in path:
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            continue  # a list index, or a key of a mapping such as `attendance`
        found = current.model_fields.get(part)
        if found is None:
            return None
        current = nested_model(found.annotation)[0]
    return found


def _field_names(model: type[BaseModel], path: list[Any]) -> list[str]:
    """The field names allowed at `path` (the fields of the model it holds)."""
    field = field_at(model, tuple(path)) if path else None
    inner = model if not path else nested_model(field.annotation)[0] if field else None
    return list(inner.model_fields) if inner is not None else []


def _home_of(word: str, model: type[BaseModel], path: list[Any]) -> str:
    """The field next to `path` whose own fields include `word` (a key indented one level too little)."""
    for name in _field_names(model, path):
        if word in _field_names(model, [*path, name]):
            return name
    return ""


def did_you_mean(word: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    if close:
        return f"; did you mean '{close[0]}'?"
    return f"; allowed: {', '.join(candidates)}" if 0 < len(candidates) <= 12 else ""


def dotted(path: Key) -> str:
    text = ""
    for part in path:
        if isinstance(part, str) and not part.isprintable():  # a key with a control character: escaped
            part = ascii(part)[1:-1]
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text

