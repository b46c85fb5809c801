"""Value types a program configuration uses: a value left blank on purpose, and durations."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar, Union

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import core_schema

BLANK_WORD = "blank"
NOT_BLANK = f"expected a value or '{BLANK_WORD}'"


class Blank:
    """A value an agency leaves open on purpose; renders as a write-in line, never as 'None'."""

    _instance: Blank | None = None

    def __new__(cls) -> Blank:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return BLANK_WORD

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        def validate(value: Any) -> Blank:
            if value is BLANK or value == BLANK_WORD:
                return BLANK
            raise ValueError(NOT_BLANK)

        return core_schema.no_info_plain_validator_function(
            validate, serialization=core_schema.plain_serializer_function_ser_schema(lambda v: BLANK_WORD)
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        return {"const": BLANK_WORD, "description": "Left blank on purpose: printed as a write-in line."}


BLANK = Blank()

T = TypeVar("T")
Open = Union[T, Blank]  # noqa: UP007 - a generic alias: pydantic subscribes it (Open[int])
"""A value that may be given or left blank on purpose (written `blank` in YAML)."""


NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty-four": 24,
}
_UNITS = {"day": "day", "week": "week", "month": "month", "year": "year"}
_DURATION_RE = re.compile(r"^\s*(?P<n>\d+(?:\.\d+)?|[a-z-]+)\s+(?P<unit>day|week|month|year)s?\s*$", re.I)
_DAYS_PER = {"day": 1.0, "week": 7.0, "month": 365.25 / 12, "year": 365.25}


def _refuse_controls(text: str) -> None:
    """A control character in a written value is named, not echoed into the error message."""
    bad = _NOT_LINE.search(text)
    if bad is not None:
        raise ValueError(f"contains the character {character_name(bad.group())}; remove it")


class WrittenValue:
    """A value written as text in YAML: validated by `parse`, written back with `str`."""

    @classmethod
    def parse(cls, value: Any) -> Any:
        raise NotImplementedError

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(str)
        )


@dataclass(frozen=True)
class Duration(WrittenValue):
    """A span of time such as '9 months', '6 weeks' or '1 year', kept in the unit it was given in."""

    amount: float
    unit: str  # day | week | month | year

    @classmethod
    def parse(cls, text: Any) -> Duration:
        if isinstance(text, Duration):
            return text
        if isinstance(text, bool) or not isinstance(text, str):
            raise ValueError(
                f"expected a duration such as '9 months', '6 weeks' or '1 year', got {text!r}"
            )
        _refuse_controls(text)
        match = _DURATION_RE.match(text)
        if not match:
            raise ValueError(f"'{text}' is not a duration; write it like '9 months', '6 weeks' or '1 year'")
        raw = match["n"].lower()
        amount = float(raw) if raw[0].isdigit() else NUMBER_WORDS.get(raw)
        if amount is None:
            raise ValueError(f"'{text}': '{raw}' is not a number; write digits, e.g. '9 months'")
        if amount <= 0:
            raise ValueError(f"'{text}': a duration must be longer than zero")
        if amount > 1000:
            raise ValueError(f"'{text}': a duration must be at most 1000 {match['unit'].lower()}s")
        return cls(amount, _UNITS[match["unit"].lower()])

    @property
    def days(self) -> float:
        return self.amount * _DAYS_PER[self.unit]

    @property
    def months(self) -> float:
        """Length in months (weeks and days converted at the calendar average)."""
        return self.days / _DAYS_PER["month"]

    @property
    def weeks(self) -> float:
        return self.days / 7

    def __str__(self) -> str:
        amount = int(self.amount) if float(self.amount).is_integer() else self.amount
        return f"{amount} {self.unit}{'' if amount == 1 else 's'}"

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        return {
            "type": "string",
            "pattern": _DURATION_RE.pattern,
            "description": "A duration such as '9 months', '6 weeks' or '1 year'.",
            "examples": ["9 months", "6 weeks", "1 year"],
        }


_TIMING_RE = re.compile(r"^(?P<unit>month|week) (?P<n>\d{1,3})$")
TIMING_HELP = ("write 'month 1', 'week 6', 'start', 'midpoint', 'end', a span from the start such as '6 weeks', "
               "or a date YYYY-MM-DD")


@dataclass(frozen=True)
class Timing(WrittenValue):
    """When something happens, the one way every part of the program says it.

    anchor: 'start', 'midpoint' or 'end' of the program; 'month'/'week' N (during the Nth month or
    week, counted from 1); 'after' a span from the start ('6 weeks'); or a calendar 'date'.
    """

    anchor: str
    number: int | None = None
    span: Duration | None = None
    date: dt.date | None = None

    @classmethod
    def parse(cls, value: Any) -> Timing:
        if isinstance(value, Timing):
            return value
        if isinstance(value, dt.date):
            return cls("date", date=value)
        if isinstance(value, bool) or not isinstance(value, str):
            raise ValueError(f"{value!r} is not a timing; {TIMING_HELP}")
        _refuse_controls(value)
        text = value.strip().lower()
        if text in ("start", "midpoint", "end"):
            return cls(text)
        match = _TIMING_RE.match(text)
        if match:
            if int(match["n"]) == 0:
                raise ValueError(f"'{value}': months and weeks count from 1")
            return cls(match["unit"], number=int(match["n"]))
        try:
            return cls("date", date=dt.date.fromisoformat(text))
        except ValueError:
            pass
        try:
            return cls("after", span=Duration.parse(text))
        except ValueError:
            raise ValueError(f"'{value}' is not a timing; {TIMING_HELP}") from None

    def offset_days(self, length: Duration | None, start: dt.date | None = None) -> float | None:
        """Days from the start of the program; None when that depends on something unknown."""
        if self.anchor == "start":
            return 0.0
        if self.anchor in ("midpoint", "end"):
            if length is None:
                return None
            return length.days / 2 if self.anchor == "midpoint" else length.days
        if self.anchor in ("month", "week"):
            assert self.number is not None  # parse() gives every month or week a number
            return (self.number - 1) * (_DAYS_PER["month"] if self.anchor == "month" else 7.0)
        if self.anchor == "after":
            assert self.span is not None
            return self.span.days
        assert self.date is not None
        return float((self.date - start).days) if start else None

    def __str__(self) -> str:
        if self.anchor in ("month", "week"):
            return f"{self.anchor} {self.number}"
        if self.anchor == "after":
            return str(self.span)
        if self.anchor == "date" and self.date is not None:
            return self.date.isoformat()
        return self.anchor

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        return {
            "type": "string",
            "pattern": LINE_PATTERN,
            "maxLength": 100,
            "description": "When it happens: " + TIMING_HELP.removeprefix("write ") + ".",
            "examples": ["month 1", "week 6", "end", "6 weeks", "2027-03-01"],
        }


# Text values ----------------------------------------------------------------------------------
# Every string a program file gives is one of these: one line (names, titles, list items), text
# that may run to several paragraphs (descriptions, summaries, policy text), or an id naming a
# role, committee or document. None may hold a control character: C0 and C1 controls (NUL,
# escape, tab, carriage return...), Unicode line and paragraph separators, bidirectional
# embeddings, overrides and isolates (text that displays in a different order from the one it
# is read in), lone surrogates and the non-characters U+FFFE/U+FFFF (invalid in XML, so in a
# PDF's metadata). They would pass into pages, the calendar and PDF metadata.

MAX_LINE = 500
MAX_TEXT = 5000
MAX_REFERENCE = 64

_CONTROLS = "\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff"
_NOT_TEXT = re.compile(f"[{_CONTROLS}\ud800-\udfff]")
_NOT_LINE = re.compile(f"[\n{_CONTROLS}\ud800-\udfff]")
# The same, as ECMAScript patterns for the JSON Schema (editors flag them as you type).
_JSON_CONTROLS = (r"\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                  r"\ufffe\uffff")
LINE_PATTERN = rf"^[^\n{_JSON_CONTROLS}]*$"
TEXT_PATTERN = rf"^[^{_JSON_CONTROLS}]*$"
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"

_CHARACTER_NAMES = {
    0x00: "NUL", 0x07: "bell", 0x08: "backspace", 0x09: "tab", 0x0a: "line break", 0x0b: "vertical tab",
    0x0c: "form feed", 0x0d: "carriage return", 0x1b: "escape", 0x7f: "delete", 0x85: "next line",
    0x2028: "line separator", 0x2029: "paragraph separator", 0x202a: "left-to-right embedding",
    0x202b: "right-to-left embedding", 0x202c: "pop directional formatting", 0x202d: "left-to-right override",
    0x202e: "right-to-left override", 0x2066: "left-to-right isolate", 0x2067: "right-to-left isolate",
    0x2068: "first strong isolate", 0x2069: "pop directional isolate",
}


def character_name(char: str) -> str:
    """'U+202E (right-to-left override)': how an error names a character that cannot be shown."""
    code = ord(char)
    name = _CHARACTER_NAMES.get(code)
    if name is None:
        name = ("control character" if code < 0xa0 else "lone surrogate" if 0xd800 <= code <= 0xdfff
                else "non-character")
    return f"U+{code:04X} ({name})"


def _shown(text: str) -> str:
    """The end of the text before a refused character, to say where it is."""
    shown = text[-20:].replace("\n", "\\n")
    return f"'…{shown}'" if len(text) > 20 else f"'{shown}'"


@dataclass(frozen=True)
class TextKind:
    """Annotated metadata of a text value: what it may hold, checked after pydantic's own str
    validation (numbers become text first) and stated in the JSON Schema."""

    kind: str  # 'line', 'text', or what an id names: 'role', 'party' (role or committee), 'document'
    max_length: int

    @property
    def multiline(self) -> bool:
        return self.kind == "text"

    @property
    def is_reference(self) -> bool:
        return self.kind in ("role", "party", "document")

    def check(self, value: str) -> str:
        if not self.multiline:
            value = value.rstrip("\n")  # the line break a YAML block scalar (`>`, `|`) ends with
        bad = (_NOT_TEXT if self.multiline else _NOT_LINE).search(value)
        if bad is not None:
            where = f" after {_shown(value[:bad.start()])}" if bad.start() else " at the start"
            if bad.group() == "\n":
                raise ValueError(f"must be a single line: remove the line break{where}")
            raise ValueError(f"contains the character {character_name(bad.group())}{where}; remove it")
        if len(value) > self.max_length:
            raise ValueError(f"is {len(value)} characters long; at most {self.max_length} are allowed")
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        result = handler(schema)
        result["pattern"] = ID_PATTERN if self.is_reference else TEXT_PATTERN if self.multiline else LINE_PATTERN
        result["maxLength"] = min(result.get("maxLength", self.max_length), self.max_length)
        return result


Line = Annotated[str, TextKind("line", MAX_LINE)]
"""One line of text: a name, a title, a list item."""
Text = Annotated[str, TextKind("text", MAX_TEXT)]
"""Text that may run to several paragraphs (a blank line between them); printed as text, never as markup."""
RoleRef = Annotated[str, TextKind("role", MAX_REFERENCE)]
"""The id of a role (checked against the roles once the whole file is read)."""
PartyRef = Annotated[str, TextKind("party", MAX_REFERENCE)]
"""The id of a role or a committee."""
DocumentRef = Annotated[str, TextKind("document", MAX_REFERENCE)]
"""The id of a document of the content library."""


@dataclass(frozen=True)
class AtMost:
    """Annotated metadata bounding a list or mapping, checked before its items are validated (so
    5,000 roles are one quick error, not 5,000 validations and then one)."""

    count: int

    def check(self, value: Any) -> Any:
        if isinstance(value, (list, tuple, dict)) and len(value) > self.count:
            what = "entries" if isinstance(value, dict) else "items"
            raise ValueError(f"has {len(value)} {what}; at most {self.count} are allowed")
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_before_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        result = handler(schema)
        result["maxProperties" if result.get("type") == "object" else "maxItems"] = self.count
        return result


MAX_ITEMS = 50        # a list of lines: duties, criteria, topics...
MAX_GROUPS = 50       # keys of a mapping: headings, or parties (every role and committee)
Lines = Annotated[list[Line], AtMost(MAX_ITEMS)]


class Model(BaseModel):
    """The base of every declared model (program configuration and documents.yml): a misspelt key is an
    error, values are frozen, and each field's docstring is its description."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True, coerce_numbers_to_str=True)
