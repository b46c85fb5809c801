"""YAML files read with the location of every key, and validation errors mapped back onto them."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from generator.config.advice import Key, dotted, located_problems
from generator.config.syntax import syntax_problem
from generator.config.types import character_name
from generator.errors import ConfigError, Location, Problem, excerpt
from generator.projectfiles import MAX_TEXT_BYTES, NotText, RefusedFile, read_text

MAX_NODES = 50_000  # bounds alias expansion ("billion laughs") and absurdly large files
MAX_DEPTH = 50
MAX_FILE_BYTES = MAX_TEXT_BYTES



class _ValueMark:
    """The last part of a marks key that locates a value rather than its key: `path + (VALUE,)`
    (never part of a data path; carried along with its key when documents are layered)."""

    def __repr__(self) -> str:
        return "VALUE"


VALUE = _ValueMark()


class Document:
    """One parsed YAML file: plain data, the location of every key and list item (and of every
    value, under `path + (VALUE,)`), and the text of each file it came from, to show a line."""

    def __init__(self, data: Any, marks: dict[Key, Location], texts: dict[str, str] | None = None):
        self.data = data
        self.marks = marks
        self.texts = texts or {}

    def where(self, path: Key, source: str) -> Location:
        """Location of `path`, or of its nearest ancestor that the file spells out."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.marks:
                return self.marks[path[:end]]
        return Location(source, 1, 1)

    def shown(self, problem: Problem) -> Problem:
        """`problem` with the line it is on shown, if it is on a line of this document's files."""
        if problem.excerpt:
            return problem
        return dataclasses.replace(problem, excerpt=self._line(problem.location, problem.location.column))

    def problem(self, path: Key, source: str, message: str, at_value: bool = False) -> Problem:
        """A Problem about `path`, located at its key, the line shown with a caret under the key, or
        under the value when `at_value` and the value is on the same line."""
        where = self.where(path, source)
        value = self.marks.get(path + (VALUE,)) if at_value else None
        column = value.column if value and (value.file, value.line) == (where.file, where.line) else where.column
        return Problem(where, dotted(path), message, self._line(where, column))

    def _line(self, where: Location, column: int | None) -> str:
        text = self.texts.get(where.file)
        return excerpt(text, where.line, column or 1) if text is not None and where.line else ""


def validate(model: type[BaseModel], document: Document, source: str, data: Any = None) -> Any:
    """Validate with pydantic; every error becomes a located Problem, raised together."""
    try:
        return model.model_validate(document.data if data is None else data)
    except ValidationError as error:
        raise ConfigError(located_problems(error, document, source, model)) from None


def parse(path: Path, source: str, root: Path | None = None) -> Document:
    """Parse one YAML file. Only a regular file is read, and only after its size is checked; with
    `root`, a file whose real path (links resolved) is outside `root` is refused unread."""
    try:
        text = read_text(path, root if root is not None else Path(path.absolute().anchor), MAX_FILE_BYTES)
    except NotText as error:
        raise ConfigError(Problem(Location(source), "", str(error).removeprefix("is "))) from None
    except RefusedFile as error:
        raise ConfigError(Problem(Location(source), "", f"the file {error}; it was not read")) from None
    fast = _parsed_by_libyaml(text, source)
    if fast is not None:
        return fast
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as error:  # a control character, checked before parsing starts
        raise _unreadable(text, error, source) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise ConfigError(Problem(Location(source, 1, 1), "", "the file is empty"))
        return _Builder(loader, source, text).document(node)
    except yaml.MarkedYAMLError as error:
        raise ConfigError(syntax_problem(text, error, source)) from None
    except yaml.reader.ReaderError as error:  # ... or met later, in a part read while parsing
        raise _unreadable(text, error, source) from None
    except yaml.YAMLError as error:
        raise ConfigError(Problem(Location(source), "", f"YAML: {error}")) from None
    except RecursionError:
        raise ConfigError(Problem(Location(source), "", "the file is nested too deeply")) from None
    finally:
        loader.dispose()


def _parsed_by_libyaml(text: str, source: str) -> Document | None:
    """The document parsed by libyaml (PyYAML's C parser, ten times faster: program files are most of a
    no-change rebuild's time), with the same nodes and marks; None when libyaml is not installed or the
    text is not valid YAML to it, for the pure-Python parser to read again and describe the mistake in
    the words the messages are written for (libyaml's differ)."""
    loader_class = getattr(yaml, "CSafeLoader", None)
    if loader_class is None or "\t" in text or "\ufeff" in text or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return None  # libyaml takes some tabs PyYAML refuses, and counts columns past a BOM otherwise
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return None if node is None else _Builder(loader, source, text).document(node)
    except (yaml.YAMLError, RecursionError):
        return None
    finally:
        loader.dispose()


def _unreadable(text: str, error: yaml.reader.ReaderError, source: str) -> ConfigError:
    """A character YAML does not allow, located by line and column."""
    before = text[:error.position]
    where = Location(source, before.count("\n") + 1, error.position - (before.rfind("\n") + 1) + 1)
    shown = excerpt(text, where.line or 1, where.column or 1)
    name = character_name(chr(error.character)) if isinstance(error.character, int) else repr(error.character)
    return ConfigError(Problem(where, "", f"the character {name} is not allowed in a YAML file; remove it", shown))


class _Builder:
    """Turns a composed YAML node tree into data, recording marks, refusing duplicate keys."""

    def __init__(self, loader: yaml.SafeLoader | yaml.CSafeLoader, source: str, text: str):
        self.loader = loader
        self.source = source
        self.text = text
        self.marks: dict[Key, Location] = {}
        self.nodes = 0

    def document(self, node: yaml.Node) -> Document:
        data = self.build(node, ())
        return Document(data, self.marks, {self.source: self.text})

    def _location(self, node: yaml.Node) -> Location:
        return Location(self.source, node.start_mark.line + 1, node.start_mark.column + 1)

    def _refuse(self, node: yaml.Node, path: Key, message: str, above: int | None = None) -> ConfigError:
        mark = node.start_mark
        return ConfigError(Problem(self._location(node), dotted(path), message,
                                   excerpt(self.text, mark.line + 1, mark.column + 1, above)))

    def build(self, node: yaml.Node, path: Key) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES or len(path) > MAX_DEPTH:
            raise self._refuse(node, path, "the file is too large or too deeply nested (check aliases)")
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in self.loader.yaml_constructors:
            # a tag on a collection (!!python/object/apply:…) would otherwise be dropped silently
            raise self._refuse(node, path, f"invalid value: could not determine a constructor for the tag "
                                           f"'{node.tag}' (text that starts with '!' goes in quotes)")
        if isinstance(node, yaml.MappingNode):
            self.loader.flatten_mapping(node)  # YAML merge keys (<<)
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                try:
                    key = self.loader.construct_object(key_node, deep=True)
                except (yaml.constructor.ConstructorError, ValueError, OverflowError):  # `!!int roles:`
                    key = None
                if not isinstance(key, (str, int, float, bool)) or key is None:
                    raise self._refuse(key_node, path, "keys must be plain words")
                key = str(key) if not isinstance(key, str) else key
                if key in result:
                    first = self.marks[path + (key,)]
                    new_item = "; if it starts the next item of the list, begin it with '- '" if path and \
                        isinstance(path[-1], int) else ""
                    raise self._refuse(key_node, path + (key,), f"duplicate key (first given on line {first.line}); "
                                                                f"keep one of the two lines{new_item}", first.line)
                self.marks[path + (key,)] = self._location(key_node)
                self.marks[path + (key, VALUE)] = self._location(value_node)
                result[key] = self.build(value_node, path + (key,))
            return result
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.marks[path + (index,)] = self._location(item)
                items.append(self.build(item, path + (index,)))
            return items
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as error:
            tag = " (text that starts with '!' goes in quotes)" if node.tag.startswith("!") else ""
            raise self._refuse(node, path, f"invalid value: {error.problem}{tag}") from None
        except (ValueError, OverflowError) as error:  # e.g. a timestamp like 2027-02-30
            if node.tag.endswith(":timestamp"):
                raise self._refuse(node, path, f"not a real date ({error}): write it as year-month-day, "
                                               "e.g. 2027-01-15") from None
            raise self._refuse(node, path, f"invalid value: {error}") from None


def relative(path: Path, project: Path) -> str:
    """The path as the user names it, relative to the project (a link is named, not its target)."""
    for inner, outer in ((path, project), (path.absolute(), project.absolute()),
                         (path.parent.resolve() / path.name, project.resolve())):
        try:
            return str(inner.relative_to(outer))
        except ValueError:
            continue
    return str(path)
