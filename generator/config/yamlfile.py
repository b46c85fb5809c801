"""YAML files read with the location of every key, and validation errors mapped back onto them."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from generator.config.types import BLANK_WORD, NOT_BLANK
from generator.errors import ConfigError, Location, Problem
from generator.projectfiles import MAX_TEXT_BYTES, NotText, RefusedFile, read_text

MAX_NODES = 50_000  # bounds alias expansion ("billion laughs") and absurdly large files
MAX_DEPTH = 50
MAX_FILE_BYTES = MAX_TEXT_BYTES

Key = tuple[Any, ...]


class Document:
    """One parsed YAML file: plain data plus the location of every key and list item."""

    def __init__(self, data: Any, marks: dict[Key, Location]):
        self.data = data
        self.marks = marks

    def where(self, path: Key, source: str) -> Location:
        """Location of `path`, or of its nearest ancestor that the file spells out."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.marks:
                return self.marks[path[:end]]
        return Location(source, 1, 1)


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
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as error:  # a control character, checked before parsing starts
        raise _unreadable(text, error, source) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise ConfigError(Problem(Location(source, 1, 1), "", "the file is empty"))
        return _Builder(loader, source).document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = Location(source, mark.line + 1, mark.column + 1) if mark else Location(source)
        raise ConfigError(Problem(where, "", f"YAML syntax: {error.problem or error.context}")) from None
    except yaml.reader.ReaderError as error:  # ... or met later, in a part read while parsing
        raise _unreadable(text, error, source) from None
    except yaml.YAMLError as error:
        raise ConfigError(Problem(Location(source), "", f"YAML: {error}")) from None
    except RecursionError:
        raise ConfigError(Problem(Location(source), "", "the file is nested too deeply")) from None
    finally:
        loader.dispose()


def _unreadable(text: str, error: yaml.reader.ReaderError, source: str) -> ConfigError:
    """A character YAML does not allow, located by line and column."""
    before = text[:error.position]
    where = Location(source, before.count("\n") + 1, error.position - (before.rfind("\n") + 1) + 1)
    return ConfigError(Problem(where, "", f"character #x{error.character:04x} is not allowed in YAML"))


class _Builder:
    """Turns a composed YAML node tree into data, recording marks, refusing duplicate keys."""

    def __init__(self, loader: yaml.SafeLoader, source: str):
        self.loader = loader
        self.source = source
        self.marks: dict[Key, Location] = {}
        self.nodes = 0

    def document(self, node: yaml.Node) -> Document:
        data = self.build(node, ())
        return Document(data, self.marks)

    def _location(self, node: yaml.Node) -> Location:
        return Location(self.source, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: Key) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES or len(path) > MAX_DEPTH:
            raise ConfigError(Problem(self._location(node), dotted(path),
                                      "the file is too large or too deeply nested (check aliases)"))
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in self.loader.yaml_constructors:
            # a tag on a collection (!!python/object/apply:…) would otherwise be dropped silently
            raise ConfigError(Problem(self._location(node), dotted(path),
                                      f"invalid value: could not determine a constructor for the tag '{node.tag}'"))
        if isinstance(node, yaml.MappingNode):
            self.loader.flatten_mapping(node)  # YAML merge keys (<<)
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.loader.construct_object(key_node, deep=True)
                if not isinstance(key, (str, int, float, bool)) or key is None:
                    raise ConfigError(Problem(self._location(key_node), dotted(path), "keys must be plain words"))
                key = str(key) if not isinstance(key, str) else key
                if key in result:
                    first = self.marks[path + (key,)]
                    raise ConfigError(Problem(self._location(key_node), dotted(path + (key,)),
                                              f"duplicate key (first given on line {first.line})"))
                self.marks[path + (key,)] = self._location(key_node)
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
            raise ConfigError(Problem(self._location(node), dotted(path), f"invalid value: {error.problem}")) from None
        except (ValueError, OverflowError) as error:  # e.g. a timestamp like 2027-02-30
            raise ConfigError(Problem(self._location(node), dotted(path), f"invalid value: {error}")) from None


def located_problems(error: ValidationError, document: Document, source: str, model: type[BaseModel]) -> list[Problem]:
    grouped: dict[Key, list[str]] = {}
    for item in error.errors(include_url=False):
        path, message = _data_path(dict(item), document.data, model)
        messages = grouped.setdefault(path, [])
        if message not in messages:
            messages.append(message)
    problems = []
    for path, messages in grouped.items():
        if NOT_BLANK in messages and len(messages) > 1:  # an Open[...] field: say 'blank' is allowed once
            messages = [m for m in messages if m != NOT_BLANK]
            messages[-1] += f" (or '{BLANK_WORD}' to leave it open)"
        problems.append(Problem(document.where(path, source), dotted(path), "; or ".join(messages)))
    return problems


def _data_path(item: dict[str, Any], data: Any, model: type[BaseModel]) -> tuple[Key, str]:
    """Map a pydantic error location onto the data (dropping union tags) and phrase the message."""
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
        # anything else is a union-member tag such as 'float' or 'function-plain[...]'
    message = item["msg"]
    if item["type"] == "extra_forbidden":
        message = "unknown field" + did_you_mean(str(path[-1]), _field_names(model, path[:-1]))
    elif item["type"] == "missing":
        message = "required field is missing"
    elif message.startswith("Value error, "):
        message = message[len("Value error, "):]
    elif item["type"] in ("literal_error", "enum"):
        message = message.replace("Input should be", "must be one of")
    message = message.replace("Input should be", "must be")
    return tuple(path), message


def _field_names(model: type[BaseModel], path: list[Any]) -> list[str]:
    """The field names allowed at `path`, walking the schema (lists and optionals unwrapped)."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if isinstance(current, type) and issubclass(current, BaseModel) else None
        if field is None:
            return []
        current = _model_in(field.annotation)
    return list(current.model_fields) if isinstance(current, type) and issubclass(current, BaseModel) else []


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


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


def relative(path: Path, project: Path) -> str:
    """The path as the user names it, relative to the project (a link is named, not its target)."""
    for inner, outer in ((path, project), (path.absolute(), project.absolute()),
                         (path.parent.resolve() / path.name, project.resolve())):
        try:
            return str(inner.relative_to(outer))
        except ValueError:
            continue
    return str(path)
