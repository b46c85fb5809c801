"""YAML syntax errors in plain words, at the line that is actually wrong.

The parser reports where it gave up, in its own terms ("expected <block end>, but found
'<block mapping start>'"), often a line after the mistake: `hours_per_month:4` (no space after the
colon) is read as the start of a longer text and only fails on the next line. These heuristics look
at the raw text around that point to find the line a person would fix and say how: indent like the
line above, use spaces not tabs, put a space after the colon, close the quote, quote the value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml

from generator.config.yamltext import (
    after_block,
    ancestors,
    closing,
    indent,
    is_block_scalar,
    is_content,
    key_and_value,
    key_column,
    key_of,
    previous,
    step,
    stray_line,
    value_starts,
)
from generator.errors import Location, Problem, excerpt, split_lines

SHOWN = 40  # characters of a value quoted back in advice
BULLETS = ("* ", "• ", "+ ", "· ", "– ", "— ")  # list markers from word processors, not YAML's '- '


@dataclass(frozen=True)
class Finding:
    """Where the mistake is (0-based row and column) and what to do; `above`: a row to show for comparison."""

    row: int
    column: int
    message: str
    above: int | None = None


def syntax_problem(text: str, error: yaml.MarkedYAMLError, source: str) -> Problem:
    """The parser's error as a located Problem in plain words, with the offending line shown."""
    found = diagnose(text, error)
    if found is None:
        return Problem(Location(source), "", f"YAML syntax: {error.problem or error.context}")
    above = found.above + 1 if found.above is not None else None
    message = "".join(c if c.isprintable() else "?" for c in found.message)  # advice may quote the line back
    return Problem(Location(source, found.row + 1, found.column + 1), "", message,
                   excerpt(text, found.row + 1, found.column + 1, above))


def diagnose(text: str, error: yaml.MarkedYAMLError) -> Finding | None:
    mark = error.problem_mark or error.context_mark
    if mark is None:
        return None
    lines = split_lines(text)
    for check in _CHECKS:
        found = check(lines, error)
        if found is not None:
            return found
    return Finding(mark.line, mark.column, f"YAML syntax: {error.problem or error.context} "
                                           "(check this line and the one above it)")


# The checks, in order: a tab or a quote explains any error after it; then by the parser's complaint.

def _tab(lines: list[str], error: yaml.MarkedYAMLError) -> Finding | None:
    """A tab where YAML wants spaces: indenting a line the parser names, or where it found one."""
    for mark in (error.context_mark, error.problem_mark):
        line = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
        lead = line[:len(line) - len(line.lstrip(" \t"))]
        if mark is not None and "\t" in lead:
            return Finding(mark.line, lead.index("\t"), "a tab character: YAML indents with spaces, not tabs; "
                                                        "indent this line with spaces like the ones around it")
    mark = error.problem_mark
    if mark is not None and "'\\t'" in str(error.problem):
        return Finding(mark.line, mark.column, "a tab character: use a space here, not a tab")
    return None


def _quote(lines: list[str], error: yaml.MarkedYAMLError) -> Finding | None:
    """A quote that is never closed, or closed too early (an apostrophe inside '…'), before the error."""
    last = (error.problem_mark or error.context_mark).line
    row = 0
    while row <= min(last, len(lines) - 1):
        line = lines[row]
        if is_block_scalar(line):
            row = after_block(lines, row)
            continue
        for start in value_starts(line):
            if line[start] not in "'\"":
                continue
            end = closing(lines, row, start, line[start])
            found = _quote_trouble(lines, row, start, end)
            if found is not None:
                return found
            assert end is not None
            if end[0] != row:
                row = end[0]
                break
        row += 1
    return None


def _quote_trouble(lines: list[str], row: int, start: int, end: tuple[int, int] | None) -> Finding | None:
    quote = lines[row][start]
    if end is None:
        return Finding(row, start, f"this quote is never closed: end the value with {quote}")
    end_row, end_col = end
    rest = lines[end_row][end_col + 1:]
    if not rest.strip() or rest.lstrip()[0] in "#,]}:":
        return None
    if end_row != row:
        return Finding(row, start, f"this quote is not closed on its line, so the value runs on to line "
                                   f"{end_row + 1}: end it with {quote}")
    value = lines[row][start:].rstrip()
    if quote == "'" and rest[0].isalpha():
        fix = f", like this: {_short(_quoted(value[1:-1]))}" if value.endswith("'") and '"' not in value else ""
        return Finding(end_row, end_col, "this apostrophe ends the quoted value early: write it twice ('') or put "
                                         f"the value in double quotes{fix}")
    return Finding(end_row, end_col + 1, "text follows the closing quote: put the whole value inside the quotes")


def _flow(lines: list[str], error: yaml.MarkedYAMLError) -> Finding | None:
    """A list [ ] or mapping { } not closed, or a value starting with '[' or '{' that is text."""
    context = str(error.context or "")
    if context.startswith("while parsing a flow") and error.context_mark is not None:
        mark = error.context_mark
        bracket = lines[mark.line][mark.column] if mark.column < len(lines[mark.line]) else "["
        close = "]" if bracket == "[" else "}"
        return Finding(mark.line, mark.column, f"the {'list' if close == ']' else 'mapping'} opened with "
                                               f"'{bracket}' here is not closed: end it with '{close}' on the same "
                                               "line, or put the value in quotes if it is text")
    mark = error.problem_mark
    if mark is None or "'<scalar>'" not in str(error.problem) or mark.line >= len(lines):
        return None
    line = lines[mark.line]
    for start in value_starts(line):
        if line[start] in "[{" and start < mark.column:
            key, value = key_and_value(line, start)
            return Finding(mark.line, start, f"a value starting with '{line[start]}' is read as a "
                                             f"{'list' if line[start] == '[' else 'mapping'}: put the whole value "
                                             f"in quotes, like this: {_short(key + _quoted(value))}")
    return None


def _reserved(lines: list[str], error: yaml.MarkedYAMLError) -> Finding | None:
    """A value starting with a character YAML keeps for itself: @ ` % * & !"""
    problem = str(error.problem)
    mark = error.problem_mark
    if mark is None or mark.line >= len(lines):
        return None
    line = lines[mark.line]
    if line[indent(line):indent(line) + 2] in BULLETS:
        return _bullet(mark.line, line)
    if "cannot start any token" in problem or "undefined alias" in problem or "alphabetic or numeric" in problem:
        start = next((s for s in value_starts(line) if s <= mark.column), mark.column)
        start = start if line[start:start + 1] in "@`%*&!|>" else mark.column
        key, value = key_and_value(line, start)
        return Finding(mark.line, start, f"a value cannot start with '{line[start:start + 1]}' in YAML: put it "
                                         f"in quotes, like this: {_short(key + _quoted(value))}")
    return None


def _no_colon(lines: list[str], error: yaml.MarkedYAMLError) -> Finding | None:
    """'could not find expected ':'': the line the key started on is the one to fix."""
    if "could not find expected ':'" not in str(error.problem) or error.context_mark is None:
        return None
    return _line_fault(lines, error.context_mark.line)


def _mapping_value(lines: list[str], error: yaml.MarkedYAMLError) -> Finding | None:
    """'mapping values are not allowed here': a ': ' inside a value, or a line read as part of the one above."""
    mark = error.problem_mark
    if "mapping values are not allowed" not in str(error.problem) or mark is None:
        return None
    row, line = mark.line, lines[mark.line]
    before = line[:mark.column]
    if ": " in before or not before.strip():  # a second ': ' on the line: the value holds a colon
        key, value = key_and_value(line, value_starts(line)[-1] if value_starts(line) else 0)
        return Finding(row, mark.column, "the value contains ': ', which YAML reads as a new field: put the value "
                                         f"in quotes, like this: {_short(key + _quoted(value))}")
    above = previous(lines, row)
    if above is None:
        return None
    start = next((r for r in range(row - 1, -1, -1) if is_content(lines[r])
                  and key_column(lines[r]) <= indent(line)), None)  # where the text that swallowed this line began
    for candidate in dict.fromkeys(r for r in (start, above) if r is not None):
        found = _line_fault(lines, candidate)
        if found is not None:
            return found
    if indent(line) > key_column(lines[above]):
        return _misaligned_block(lines, row) or _indent_like(lines, row, above)
    return None


def _block_end(lines: list[str], error: yaml.MarkedYAMLError) -> Finding | None:
    """'expected <block end>': a line whose indentation matches no open block, or a list item out of line."""
    mark = error.problem_mark
    ended = "expected <block end>" in str(error.problem) or "expected '<document start>'" in str(error.problem)
    if mark is None or not ended or mark.line >= len(lines):
        return None
    if mark.column != indent(lines[mark.line]):
        return None
    row = stray_line(lines, mark.line)
    line, depth = lines[row], indent(lines[row])
    if line.lstrip().startswith("-"):
        item = next((r for r in range(row - 1, -1, -1) if lines[r].lstrip().startswith("- ")
                     and indent(lines[r]) != depth and indent(lines[r]) <= indent(lines[row - 1])), None)
        if item is not None:
            return Finding(row, depth, f"line this list item up with the one above: indent it by "
                                       f"{_spaces(indent(lines[item]))}", above=item)
    level = next((r for r in range(row - 1, -1, -1) if is_content(lines[r]) and indent(lines[r]) <= depth), None)
    dash = level if level is not None and indent(lines[level]) == depth and lines[level].lstrip()[:1] == "-" \
        else None
    if dash is not None:
        return Finding(row, depth, "this line lines up with the list items above but does not start with "
                                    "'- ': start it with '- ', or indent it to belong to the item above", above=dash)
    return _misaligned_block(lines, row) or _indent_like(lines, row, previous(lines, row))


# Helpers ------------------------------------------------------------------------------------

def _line_fault(lines: list[str], row: int) -> Finding | None:
    """What is wrong with one line that should read `key: value`: no space after '-' or ':', or no colon."""
    line = lines[row]
    body = line[indent(line):]
    if body[:2] in BULLETS:
        return _bullet(row, line)
    if re.match(r"-[^\s-]", body):
        return Finding(row, indent(line) + 1, f"put a space after the '-' that starts a list item: "
                                              f"{_short('- ' + body[1:])}")
    start = key_column(line)
    body = line[start:]
    glued = re.match(r"([^\s:#'\"][^:#]*?):(?=[^\s:/])", body)
    if glued:
        fix = f"{glued[1]}: {body[glued.end():].rstrip()}"
        return Finding(row, start + glued.end(), f"put a space after the colon: {_short(fix)}")
    equals = re.match(r"([^\s=]+)\s*=\s*(.*)", body)
    if ":" not in body and equals:
        return Finding(row, start + len(equals[1]), "YAML separates a name from its value with a colon and a "
                                                    f"space, not '=': {_short(f'{equals[1]}: {equals[2].rstrip()}')}")
    if ":" not in body:
        word = body.split()[0] if body.split() else body
        rest = body[len(word):].strip()
        fix = f"'{word}: {rest}'" if rest else f"'{word}: …'"
        return Finding(row, start + len(word), f"this line has no colon: write the name, a colon and a space, "
                                                f"then the value, e.g. {_short(fix)}")
    return None


def _bullet(row: int, line: str) -> Finding:
    return Finding(row, indent(line), f"start a list item with '- ' (a hyphen and a space), not "
                                      f"'{line[indent(line)]}'")


def _indent_like(lines: list[str], row: int, above: int | None) -> Finding | None:
    if above is None:
        return None
    target, name = key_column(lines[above]), key_of(lines[above])
    like = f", like '{name}'" if name else ""
    if not target:
        return Finding(row, indent(lines[row]), f"start this line at the left edge to match the line above{like}",
                       above=above)
    also = ""
    outer = next((r for r in ancestors(lines, above) if key_column(lines[r]) < indent(lines[row])), None)
    if indent(lines[row]) < target and outer is not None:
        also = (f" (or {key_column(lines[outer])}, like '{key_of(lines[outer])}' on line {outer + 1}, "
                "if it belongs there)")
    return Finding(row, indent(lines[row]),
                   f"indent this line by {_spaces(target)} to match the line above{like}{also}", above=above)


def _misaligned_block(lines: list[str], row: int) -> Finding | None:
    """The block above started one or more spaces off the file's usual step (3 spaces where 2 is the rule)
    while this line keeps to it: the block's first line is the one to fix."""
    above = previous(lines, row)
    if above is None:
        return None
    chain = [above, *ancestors(lines, above)]
    deeper = [r for r in chain if indent(lines[r]) > indent(lines[row])]
    block = deeper[-1] if deeper else above
    parent = next((r for r in chain if indent(lines[r]) < indent(lines[block])), None)
    if parent is None or indent(lines[row]) <= key_column(lines[parent]):
        return None
    usual = step(lines)
    first = next(r for r in range(parent + 1, block + 1) if is_content(lines[r]))
    if indent(lines[first]) - key_column(lines[parent]) == usual or \
            indent(lines[row]) - key_column(lines[parent]) != usual:
        return None
    return Finding(first, indent(lines[first]), f"this line is indented {_spaces(indent(lines[first]))} but line "
                                                 f"{row + 1} below it {indent(lines[row])}, and lines at the same "
                                                 f"level need the same: indent this one by {indent(lines[row])} "
                                                 f"spaces, as the rest of the file does")


def _spaces(count: int) -> str:
    return f"{count} space{'' if count == 1 else 's'}"


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _short(text: str) -> str:
    """A fix to quote back: in single quotes, or as it is when it holds quotes itself."""
    text = text if len(text) <= SHOWN else text[:SHOWN - 1] + "…"
    return text if "'" in text or '"' in text else f"'{text}'"


_CHECKS: list[Callable[[list[str], yaml.MarkedYAMLError], Finding | None]] = [
    _tab, _quote, _flow, _reserved, _no_colon, _mapping_value, _block_end,
]
