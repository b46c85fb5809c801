"""Values in words: numbers, durations, cadences and hours, with blanks kept as blanks.

A Phrase is text whose parts may be BLANK (a value the agency leaves open on purpose). It stays
free of markup: the renderer turns each blank into a write-in line, `explain` into underscores.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from generator.config.types import BLANK, Blank, Duration

NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve"]
BLANK_TEXT = "__________"


class Phrase(tuple[str | Blank, ...]):
    """Words with blanks in them: Phrase(("at least ", BLANK, " hours a month"))."""

    def __new__(cls, parts: Iterable[object] = ()) -> Phrase:
        flat: list[str | Blank] = []
        for part in parts:
            if isinstance(part, Phrase):
                flat.extend(part)
            elif part is not None and part != "":
                flat.append(part if isinstance(part, Blank) else str(part))
        return super().__new__(cls, flat)

    @property
    def has_blank(self) -> bool:
        return any(isinstance(part, Blank) for part in self)

    def capfirst(self) -> Phrase:
        if self and isinstance(self[0], str):
            return Phrase((self[0][:1].upper() + self[0][1:], *self[1:]))
        return self

    def __add__(self, other: Any) -> Phrase:
        return Phrase((*self, *(other if isinstance(other, tuple) else (other,))))

    def __radd__(self, other: Any) -> Phrase:
        return Phrase((other, *self))

    def __str__(self) -> str:
        return "".join(BLANK_TEXT if isinstance(part, Blank) else part for part in self)

    def __repr__(self) -> str:
        return f"Phrase({str(self)!r})"


def number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def in_words(value: Any) -> str | Phrase:
    """3 -> 'three'; Duration(9, 'month') -> 'nine months'; blank stays a blank."""
    if isinstance(value, Blank) or value is None:
        return Phrase((BLANK,))
    if isinstance(value, Duration):
        word = in_words(int(value.amount)) if float(value.amount).is_integer() else number(value.amount)
        return f"{word} {value.unit}{'' if value.amount == 1 else 's'}"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and 0 <= value < len(NUMBER_WORDS):
        return NUMBER_WORDS[value]
    return number(value)


def times(value: Any) -> str | Phrase:
    """1 -> 'once', 2 -> 'twice', 3 -> 'three times'; blank -> '____ times'."""
    if isinstance(value, Blank) or value is None:
        return Phrase((BLANK, " times"))
    if value == 1:
        return "once"
    if value == 2:
        return "twice"
    return f"{in_words(value)} times"


def frequency(per_month: Any = None, every_weeks: int | None = None) -> str | Phrase:
    """A cadence in words: 'once a month', 'twice a month', 'every two weeks', '____ times a month'."""
    if every_weeks:
        return "every week" if every_weeks == 1 else f"every {in_words(every_weeks)} weeks"
    if per_month == 1:
        return "once a month"
    return Phrase((times(per_month), " a month"))


def hours(value: Any) -> str | Phrase:
    """1 -> '1 hour', 1.5 -> '1.5 hours', 0.5 -> '30 minutes', blank -> '____ hours'."""
    if isinstance(value, Blank) or value is None:
        return Phrase((BLANK, " hours"))
    if value < 1:
        return f"{number(round(value * 60))} minutes"
    return f"{number(value)} hour{'' if value == 1 else 's'}"


def plural(noun: str) -> str:
    """'group session' -> 'group sessions', 'cohort lunch' -> 'cohort lunches', 'social hour' -> 'social hours'."""
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        return noun[:-1] + "ies"
    return noun + "s"


def join_and(items: Iterable[Any], conjunction: str = "and") -> Phrase:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    parts = list(items)
    if len(parts) <= 1:
        return Phrase(parts)
    out: list[Any] = []
    for index, part in enumerate(parts):
        if index:
            out.append(f" {conjunction} " if index == len(parts) - 1 else ", ")
        out.append(part)
    return Phrase(out)


__all__ = ["BLANK", "Phrase", "frequency", "hours", "in_words", "join_and", "number", "plural", "times"]
