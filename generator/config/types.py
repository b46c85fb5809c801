"""Value types a program configuration uses: a value left blank on purpose, and durations."""

from __future__ import annotations

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


@dataclass(frozen=True)
class Duration:
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
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler):
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(str)
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: GetJsonSchemaHandler):
        return {
            "type": "string",
            "pattern": _DURATION_RE.pattern,
            "description": "A duration such as '9 months', '6 weeks' or '1 year'.",
            "examples": ["9 months", "6 weeks", "1 year"],
        }
