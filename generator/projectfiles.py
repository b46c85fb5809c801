"""Reading the project's own files safely: regular files inside the project, size checked first.

Everything the build reads from the project (program files, the content library, templates,
the theme, files the PDF engine fetches, files the cache hashes) goes through here, so that a
FIFO never hangs a build, a link to /dev/zero or to a file elsewhere on the machine is never
followed, and a huge file is refused by its size before a byte of it is read. The checks
resolve links first and decide on the real path; the file is then opened by that path without
following a link and without blocking, and checked again on the open descriptor, so a file
swapped in after the check can not hang or flood the read either.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import unquote, urlsplit

MAX_TEXT_BYTES = 2_000_000       # configuration, content and template text
MAX_RESOURCE_BYTES = 20_000_000  # theme files, fonts and images the PDF engine reads
MAX_TREE_ENTRIES = 10_000        # files and folders under one checked folder (the theme)
_CHUNK = 1 << 20


class RefusedFile(Exception):
    """A path the build will not read. The message completes a sentence about the path:
    "'x.yml' is a link leading outside the project"."""


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def _real(path: Path) -> Path:
    try:
        return Path(os.path.realpath(path, strict=False))
    except (OSError, RuntimeError, ValueError) as error:  # a link loop; a NUL in the name
        raise RefusedFile(f"cannot be read ({getattr(error, 'strerror', None) or error})") from None


def checked(path: Path, root: Path, limit: int | None = MAX_TEXT_BYTES, inside: str = "the project") -> Path:
    """The real path of `path`, if it is a regular file inside `root` of at most `limit` bytes.

    Reads nothing: links are resolved and the result judged by the real path, then stat()ed.
    Raises RefusedFile saying why not (`inside` names the root in the message).
    """
    real = _real(path)
    if not real.is_relative_to(_real(root)):
        _refuse_outside(path, inside)
    try:
        info = os.stat(real)
    except FileNotFoundError:
        raise RefusedFile("does not exist") from None
    except OSError as error:
        raise RefusedFile(f"cannot be read ({error.strerror})") from None
    _check_stat(info, limit)
    return real


def _refuse_outside(path: Path, inside: str) -> NoReturn:
    if os.path.islink(path) or any(os.path.islink(p) for p in path.parents):
        raise RefusedFile(f"is a link leading outside {inside}")
    raise RefusedFile(f"is outside {inside}")


def _check_stat(info: os.stat_result, limit: int | None) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise RefusedFile(f"is {_kind(info.st_mode)}, not a regular file")
    if limit is not None and info.st_size > limit:
        raise RefusedFile(f"is larger than {_size(limit)} ({_size(info.st_size)})")


def _size(count: int) -> str:
    value, unit = (count / 1_000_000, "MB") if count >= 1_000_000 else (count / 1000, "kB")
    return f"{value:.1f}".removesuffix(".0") + f" {unit}"


def _open(real: Path, limit: int | None) -> Any:
    """Open a checked real path without following a link or blocking, and check it again."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        handle = os.open(real, flags)
    except OSError as error:
        raise RefusedFile(f"cannot be read ({error.strerror})") from None
    stream = os.fdopen(handle, "rb")
    try:
        _check_stat(os.fstat(handle), limit)
    except BaseException:
        stream.close()
        raise
    return stream


def open_file(path: Path, root: Path, limit: int | None = MAX_RESOURCE_BYTES, inside: str = "the project") -> Any:
    """A binary stream on a checked file (see `checked`); the caller closes it."""
    return _open(checked(path, root, limit, inside), limit)


def read_bytes(path: Path, root: Path, limit: int = MAX_TEXT_BYTES, inside: str = "the project") -> bytes:
    """The bytes of a regular file inside `root`, refusing anything else before reading it."""
    with _open(checked(path, root, limit, inside), limit) as stream:
        data: bytes = stream.read(limit + 1)
    if len(data) > limit:  # grew since it was checked
        raise RefusedFile(f"is larger than {_size(limit)}")
    return data


class NotText(RefusedFile):
    """The file was read, but its bytes are not UTF-8 text."""


def read_text(path: Path, root: Path, limit: int = MAX_TEXT_BYTES, inside: str = "the project") -> str:
    """`read_bytes` decoded as UTF-8; text that is not UTF-8 is refused with the offending byte."""
    data = read_bytes(path, root, limit, inside)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise NotText(f"is not UTF-8 text (byte {error.start})") from None


def hash_into(digest: Any, path: Path, root: Path, limit: int | None = None) -> bool:
    """Feed a checked file to `digest` in chunks (memory stays flat); False if it is refused."""
    try:
        stream = _open(checked(path, root, limit), limit)
    except RefusedFile:
        return False
    with stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return True


def file_url_path(url: str) -> Path | None:
    """The local path a file:// URL names (percent-decoding as a fetcher would), or None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    text = unquote(parts.path, errors="strict") if "%" in parts.path else parts.path
    if not text.startswith("/") or "\0" in text:
        return None
    return Path(text)


def check_tree(folder: Path, root: Path, limit: int = MAX_RESOURCE_BYTES) -> list[tuple[Path, str]]:
    """Every entry under `folder` that is not a folder or a regular file inside `root` of at most
    `limit` bytes, with why. Links inside the project are followed (each folder once)."""
    problems: list[tuple[Path, str]] = []
    if not os.path.lexists(folder):
        return problems
    seen: set[Path] = set()
    pending = [folder]
    entries = 0
    while pending:
        current = pending.pop()
        try:
            real = _real(current)
            if not real.is_relative_to(_real(root)):
                _refuse_outside(current, "the project")
            if real in seen:
                continue
            seen.add(real)
            children = sorted(os.scandir(current), key=lambda entry: entry.name)
        except RefusedFile as error:
            problems.append((current, str(error)))
            continue
        except OSError as error:
            problems.append((current, f"cannot be read ({error.strerror})"))
            continue
        for entry in children:
            entries += 1
            if entries > MAX_TREE_ENTRIES:
                return problems + [(folder, f"holds more than {MAX_TREE_ENTRIES} files")]
            path = Path(entry.path)
            try:
                if entry.is_dir(follow_symlinks=True):
                    pending.append(path)
                else:
                    checked(path, root, limit)
            except RefusedFile as error:
                problems.append((path, str(error)))
            except OSError as error:
                problems.append((path, f"cannot be read ({error.strerror})"))
    return sorted(problems)


SHARED_INPUTS = {"theme": MAX_RESOURCE_BYTES, "mkdocs.yml": MAX_TEXT_BYTES}
"""Project inputs the build reads or copies whole (print CSS, fonts, site assets, template
overrides the site engine loads, the site configuration), checked before a build starts."""


def check_project_files(project: Path) -> None:
    """Refuse, before anything is read, a shared input that is a FIFO, a device, a link leading
    outside the project or too large: a ContentError naming every such file."""
    from generator.errors import ContentError, Location, Problem

    problems = []
    for name, limit in SHARED_INPUTS.items():
        path = project / name
        if not os.path.lexists(path):
            continue  # a missing input is reported where it is needed
        if os.path.isdir(path):
            found = check_tree(path, project, limit)
        else:
            try:
                checked(path, project, limit)
                found = []
            except RefusedFile as error:
                found = [(path, str(error))]
        for bad, why in found:
            label = os.path.relpath(bad, project)
            problems.append(Problem(Location(label), "", f"{why}; the build does not read it"))
    if problems:
        raise ContentError(problems)
