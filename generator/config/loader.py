"""Read program files: `extends:` layering, validation, cross-field checks, all with locations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.config.advice import Key, did_you_mean
from generator.config.checks import cross_field_problems, logo_problems
from generator.config.lint import program_warnings
from generator.config.schema import Program
from generator.config.types import TextKind
from generator.config.yamlfile import Document, parse, relative, validate
from generator.errors import ConfigError, Location, Problem, report_problems
from generator.project import CONFIG_DIR

MAX_EXTENDS_DEPTH = 10
MAX_BASE_NAME = 255  # the longest file name most file systems allow


def program_files(project: Path) -> list[Path]:
    """Every program file; files starting with '_' are shared bases, not programs."""
    folder = project / CONFIG_DIR
    return sorted(p for p in folder.glob("*.yml") if not p.name.startswith("_")) if folder.is_dir() else []


def load_programs(project: Path, ids: list[str] | None = None, documents: set[str] | None = None,
                  strict: bool = False) -> list[Program]:
    """Load and validate the named programs (default: all), reporting every problem at once.

    `documents` is the set of document ids the content library defines, to check
    each program's `documents.include/exclude` against. Then the warnings (config/lint.py): each a
    HandbookWarning, or with `strict` all together a ConfigError.
    """
    files = program_files(project)
    by_id = {path.stem: path for path in files}
    problems: list[Problem] = []
    if ids:
        for missing in [i for i in dict.fromkeys(ids) if i not in by_id]:
            hint = did_you_mean(missing, list(by_id))
            problems.append(Problem(Location(f"{CONFIG_DIR}/{missing}.yml"), "", f"no such program{hint}"))
        files = [by_id[i] for i in dict.fromkeys(ids) if i in by_id]
    elif not files:
        problems.append(Problem(Location(CONFIG_DIR), "", "no program files (*.yml) found"))
    loaded: list[tuple[Program, Document, str]] = []
    for path in files:
        try:
            loaded.append(read_program(path, project, documents))
        except ConfigError as error:
            problems.extend(error.problems)
    if problems:
        raise ConfigError(problems)
    report_problems(_warnings(project, loaded), strict)
    return [program for program, _, _ in loaded]


def _warnings(project: Path, loaded: list[tuple[Program, Document, str]]) -> list[Problem]:
    names = {program.id: program.name for program, _, _ in loaded}
    for path in program_files(project):
        if path.stem not in names:
            try:
                names[path.stem] = load_program(path, project).name
            except ConfigError:
                continue  # a check of that program reports it; here it only shares no name
    return [document.problem(key, source, message, at_value=True)
            for program, document, source in loaded for key, message in program_warnings(program, names)]


def load_program(path: Path, project: Path, documents: set[str] | None = None) -> Program:
    return read_program(path, project, documents)[0]


def read_program(path: Path, project: Path, documents: set[str] | None = None) -> tuple[Program, Document, str]:
    """The program, and its parsed file (with `extends:` merged) and name, to place warnings."""
    source = relative(path, project)
    document = _load_layered(path, project, chain=())
    if not isinstance(document.data, dict):
        raise ConfigError(Problem(Location(source, 1, 1), "", "a program file must be a mapping of fields"))
    if "id" in document.data and document.data["id"] != path.stem:
        raise ConfigError(document.problem(("id",), source, f"must match the file name '{path.stem}'", at_value=True))
    program = validate(Program, document, source, data={"id": path.stem, **document.data})
    found = [*cross_field_problems(program), *logo_problems(program, project)]
    if documents is not None:
        found += _unknown_documents(program, documents)
    if found:
        raise ConfigError([document.problem(loc, source, message, at_value=True) for loc, message in found])
    assert isinstance(program, Program)
    return program, document, source


def _unknown_documents(program: Program, known: set[str]) -> list[tuple[Key, str]]:
    found = []
    for field in ("include", "exclude"):
        for index, doc_id in enumerate(getattr(program.documents, field)):
            if doc_id not in known:
                hint = did_you_mean(doc_id, sorted(known))
                found.append((("documents", field, index), f"'{doc_id}' is not a document{hint}"))
    return found


def _load_layered(path: Path, project: Path, chain: tuple[Path, ...]) -> Document:
    source = relative(path, project)
    document = parse(path, source, project)
    data = document.data
    if not isinstance(data, dict) or "extends" not in data:
        return document
    base_name = data.pop("extends")
    try:
        base_path = _base_path(path, base_name, project, document.where(("extends",), source), chain)
    except ConfigError as error:  # about the `extends:` line of this file: shown with it
        raise ConfigError([document.shown(problem) for problem in error.problems]) from None
    base = _load_layered(base_path, project, chain + (path.resolve(),))
    if not isinstance(base.data, dict):
        raise ConfigError(Problem(Location(relative(base_path, project), 1, 1), "", "a base must be a mapping"))
    return _merge(base, document)


def _base_path(path: Path, base_name: Any, project: Path, where: Location, chain: tuple[Path, ...]) -> Path:
    if not isinstance(base_name, str):
        raise ConfigError(Problem(where, "extends", "must be a file name such as '_base.yml'"))
    base_path = _resolve_base(path, base_name, project, where)
    if base_path == path.resolve() or base_path in chain:
        raise ConfigError(Problem(where, "extends", f"'{base_name}' leads back to itself (a cycle)"))
    if len(chain) >= MAX_EXTENDS_DEPTH:
        raise ConfigError(Problem(where, "extends", f"more than {MAX_EXTENDS_DEPTH} levels of extends"))
    return base_path


def _resolve_base(path: Path, name: str, project: Path, where: Location) -> Path:
    try:  # a NUL, a line break or an escape is named, never passed to the file system or echoed
        if TextKind("line", MAX_BASE_NAME).check(name) != name:
            raise ValueError("must be a single line: remove the line break at the end")
    except ValueError as error:
        raise ConfigError(Problem(where, "extends", str(error))) from None
    if "://" in name or Path(name).is_absolute():
        raise ConfigError(Problem(where, "extends",
                                  f"'{name}' must be a file in {CONFIG_DIR}/, not a URL or absolute path"))
    folder = (project / CONFIG_DIR).resolve()
    try:
        target = (path.parent / name).resolve()
        if target.parent != folder:
            raise ConfigError(Problem(where, "extends", f"'{name}' is outside {CONFIG_DIR}/"))
        if not target.is_file():
            raise ConfigError(Problem(where, "extends", f"'{name}' does not exist in {CONFIG_DIR}/"))
    except (OSError, ValueError, RuntimeError) as error:  # a name too long, a loop of links
        reason = getattr(error, "strerror", None) or str(error)
        raise ConfigError(Problem(where, "extends", f"'{name}' cannot be read ({reason})")) from None
    return target


def _merge(base: Document, over: Document) -> Document:
    """Deep-merge `over` onto `base`: mappings merge key by key, anything else is replaced whole."""
    marks = dict(base.marks)

    def merge(a: Any, b: Any, path: Key) -> Any:
        if isinstance(a, dict) and isinstance(b, dict):
            out = dict(a)
            for key, value in b.items():
                sub = path + (key,)
                out[key] = merge(out[key], value, sub) if key in out else _take(value, sub)
                if sub in over.marks:
                    marks[sub] = over.marks[sub]
            return out
        return _take(b, path)

    def _take(value: Any, path: Key) -> Any:
        for key in [k for k in marks if k[: len(path)] == path]:
            del marks[key]
        marks.update({k: v for k, v in over.marks.items() if k[: len(path)] == path})
        return value

    return Document(merge(base.data, over.data, ()), marks, {**base.texts, **over.texts})
