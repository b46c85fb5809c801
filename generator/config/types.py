"""Value types a program configuration uses: a value left blank on purpose, and durations."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, TypeVar, Union

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import core_schema

BLANK_WORD = "blank"
NOT_BLANK = f"expected a value or '{BLANK_WORD}'"


class Blank:
    """A value an agency leaves open on purpose; renders as a write-in line, never as 'None'."""

    _instance: "Blank | None" = None

    def __new__(cls) -> "Blank":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return BLANK_WORD

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler):
        def validate(value: Any) -> "Blank":
            if value is BLANK or value == BLANK_WORD:
                return BLANK
            raise ValueError(NOT_BLANK)

        return core_schema.no_info_plain_validator_function(
            validate, serialization=core_schema.plain_serializer_function_ser_schema(lambda v: BLANK_WORD)
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: GetJsonSchemaHandler):
        return {"const": BLANK_WORD, "description": "Left blank on purpose: printed as a write-in line."}


BLANK = Blank()

T = TypeVar("T")
Open = Union[T, Blank]
"""A value that may be given or left blank on purpose (written `blank` in YAML)."""


def is_blank(value: Any) -> bool:
    return value is BLANK


_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty-four": 24,
}
_UNITS = {"day": "day", "week": "week", "month": "month", "year": "year"}
_DURATION_RE = re.compile(r"^\s*(?P<n>\d+(?:\.\d+)?|[a-z-]+)\s+(?P<unit>day|week|month|year)s?\s*$", re.I)
_DAYS_PER = {"day": 1.0, "week": 7.0, "month": 365.25 / 12, "year": 365.25}


class WrittenValue:
    """A value written as text in YAML: validated by `parse`, written back with `str`."""

    @classmethod
    def parse(cls, value: Any) -> Any:
        raise NotImplementedError

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler):
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(str)
        )


@dataclass(frozen=True)
class Duration(WrittenValue):
    """A span of time such as '9 months', '6 weeks' or '1 year', kept in the unit it was given in."""

    amount: float
    unit: str  # day | week | month | year

    @classmethod
    def parse(cls, text: Any) -> "Duration":
        if isinstance(text, Duration):
            return text
        if isinstance(text, bool) or not isinstance(text, str):
            raise ValueError(
                f"expected a duration such as '9 months', '6 weeks' or '1 year', got {text!r}"
            )
        match = _DURATION_RE.match(text)
        if not match:
            raise ValueError(f"'{text}' is not a duration; write it like '9 months', '6 weeks' or '1 year'")
        raw = match["n"].lower()
        amount = float(raw) if raw[0].isdigit() else _NUMBER_WORDS.get(raw)
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
    def __get_pydantic_json_schema__(cls, schema: Any, handler: GetJsonSchemaHandler):
        return {
            "type": "string",
            "pattern": _DURATION_RE.pattern,
            "description": "A duration such as '9 months', '6 weeks' or '1 year'.",
            "examples": ["9 months", "6 weeks", "1 year"],
        }


_TIMING_RE = re.compile(r"^(?P<unit>month|week) (?P<n>\d{1,3})$")
TIMING_HELP = "write 'month 1', 'week 6', 'start', 'midpoint', 'end', a span from the start such as '6 weeks', or a date YYYY-MM-DD"


@dataclass(frozen=True)
class Timing(WrittenValue):
    """When something happens, the one way every part of the program says it.

    anchor: 'start', 'midpoint' or 'end' of the program; 'month'/'week' N (during the Nth month or
    week, counted from 1); 'after' a span from the start ('6 weeks'); or a calendar 'date'.
    """

    anchor: str
    number: int | None = None
    span: Duration | None = None
    date: "dt.date | None" = None

    @classmethod
    def parse(cls, value: Any) -> "Timing":
        if isinstance(value, Timing):
            return value
        if isinstance(value, dt.date):
            return cls("date", date=value)
        if isinstance(value, bool) or not isinstance(value, str):
            raise ValueError(f"{value!r} is not a timing; {TIMING_HELP}")
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

    def offset_days(self, length: Duration | None, start: "dt.date | None" = None) -> float | None:
        """Days from the start of the program; None when that depends on something unknown."""
        if self.anchor == "start":
            return 0.0
        if self.anchor in ("midpoint", "end"):
            if length is None:
                return None
            return length.days / 2 if self.anchor == "midpoint" else length.days
        if self.anchor == "month":
            return (self.number - 1) * _DAYS_PER["month"]
        if self.anchor == "week":
            return (self.number - 1) * 7.0
        if self.anchor == "after":
            return self.span.days
        return float((self.date - start).days) if start else None

    def __str__(self) -> str:
        if self.anchor in ("month", "week"):
            return f"{self.anchor} {self.number}"
        if self.anchor == "after":
            return str(self.span)
        if self.anchor == "date":
            return self.date.isoformat()
        return self.anchor

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: GetJsonSchemaHandler):
        return {
            "type": "string",
            "description": "When it happens: " + TIMING_HELP.removeprefix("write ") + ".",
            "examples": ["month 1", "week 6", "end", "6 weeks", "2027-03-01"],
        }
