"""YAML text read line by line, without parsing: indentation, where keys and values start, where
a quoted value or a block of text ends. What the syntax heuristics (config/syntax.py) look at when
the parser has given up."""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise


def indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def is_content(line: str) -> bool:
    return bool(line.strip()) and not line.lstrip().startswith("#")


def key_column(line: str) -> int:
    """Where the key of a line starts, after any list dashes."""
    column = indent(line)
    while line[column:column + 2] == "- ":
        column += 2 + indent(line[column + 2:])
    return column


def key_of(line: str) -> str:
    body = line[key_column(line):]
    return body.split(":")[0].strip() if ":" in body else ""


def previous(lines: list[str], row: int) -> int | None:
    return next((r for r in range(row - 1, -1, -1) if is_content(lines[r])), None)


def ancestors(lines: list[str], row: int) -> list[int]:
    """Rows above `row` that are less indented than everything between: the blocks it sits in."""
    found, level = [], indent(lines[row]) if row < len(lines) else 0
    for r in range(row - 1, -1, -1):
        if is_content(lines[r]) and indent(lines[r]) < level:
            found.append(r)
            level = indent(lines[r])
    return found


def step(lines: list[str]) -> int:
    """The indentation the file usually adds for a nested block (2 when it cannot tell)."""
    steps: Counter[int] = Counter()
    rows = [r for r, line in enumerate(lines) if is_content(line)]
    for here, following in pairwise(rows):
        if lines[here].rstrip().endswith(":") and indent(lines[following]) > key_column(lines[here]):
            steps[indent(lines[following]) - key_column(lines[here])] += 1
    return steps.most_common(1)[0][0] if steps else 2


def value_starts(line: str) -> list[int]:
    """Columns where a value (or a quoted key) may start: after indentation and dashes, after 'key: '."""
    first = key_column(line)
    if first >= len(line) or line[first] == "#":
        return []
    starts = [first]
    if line[first] not in "'\"":
        colon = re.search(r":( +)(?=\S)", line[first:])
        if colon and line[first + colon.end()] != "#":
            starts.append(first + colon.end())
    return starts


def key_and_value(line: str, start: int) -> tuple[str, str]:
    return line[key_column(line):start], line[start:].rstrip()


def closing(lines: list[str], row: int, column: int, quote: str) -> tuple[int, int] | None:
    """Row and column of the quote closing the one at (row, column): '' and \\" do not close."""
    r, c = row, column + 1
    while r < len(lines):
        line = lines[r]
        while c < len(line):
            if quote == '"' and line[c] == "\\":
                c += 2
                continue
            if line[c] == quote:
                if quote == "'" and line[c + 1:c + 2] == "'":
                    c += 2
                    continue
                return r, c
            c += 1
        r, c = r + 1, 0
    return None


def is_block_scalar(line: str) -> bool:
    starts = value_starts(line)
    return bool(starts) and re.match(r"[|>][-+0-9]*\s*(#.*)?$", line[starts[-1]:]) is not None


def after_block(lines: list[str], row: int) -> int:
    """The row after a block scalar's text (`key: >` and the lines indented under it)."""
    depth = indent(lines[row])
    row += 1
    while row < len(lines) and (not lines[row].strip() or indent(lines[row]) > depth):
        row += 1
    return row


def after_plain(lines: list[str], row: int) -> int:
    """The row after a line and the continuation lines of its plain value (more indented, no 'key:')."""
    column = key_column(lines[row])
    row += 1
    while row < len(lines) and is_content(lines[row]) and indent(lines[row]) > column \
            and not re.match(r"\s*(- |[^\s:#][^:#]*:( |$))", lines[row]):
        row += 1
    return row


def stray_line(lines: list[str], last: int) -> int:
    """The first line up to `last` indented to no level open above it (where the parser gave up, if none)."""
    levels, opens, row = [0], False, 0
    while row < last:
        line = lines[row]
        if not is_content(line):
            row += 1
            continue
        depth = indent(line)
        if not (opens and depth > levels[-1]):
            while len(levels) > 1 and levels[-1] > depth:
                levels.pop()
            if levels[-1] != depth:
                return row
        if levels[-1] != depth:
            levels.append(depth)
        if key_column(line) > depth:
            levels.append(key_column(line))
        opens = line.rstrip().endswith(":") or line.strip() == "-"
        row = after_block(lines, row) if is_block_scalar(line) else after_plain(lines, row)
    return last
