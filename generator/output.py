"""The output folder: one build at a time (a lock), programs staged beside it and swapped in whole.

Every program is built in a staging folder inside the output folder and swapped into place only when
complete, so a failed or killed build leaves the previous output untouched; the next build clears
what a killed one left behind.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.errors import BuildError

LOCK_FILE = ".handbook.lock"
STAGING_PREFIX = ".staging-"


def new_staging(out: Path, program_id: str) -> Path:
    """A fresh staging folder for one program, inside the output folder (so the swap is a rename)."""
    return Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{program_id}-", dir=out))


def publish(new: Path, target: Path) -> None:
    """Swap a complete program folder into place; the old one is removed only afterwards.

    Whatever stands in the way (a link, a file, a folder) is renamed and removed itself: a link
    is never followed out of the output folder, so nothing outside it is touched."""
    old = target.with_name(f"{STAGING_PREFIX}old-{target.name}")
    remove_entry(old)
    if os.path.lexists(target):
        target.rename(old)
    new.rename(target)
    remove_entry(old, ignore_errors=True)


def remove_entry(path: Path, ignore_errors: bool = False) -> None:
    """Delete what is at `path` without following it: a link or file is unlinked, a folder removed."""
    try:
        if path.is_symlink() or (os.path.lexists(path) and not path.is_dir()):
            path.unlink()
        elif path.is_dir():
            shutil.rmtree(path)  # does not follow links inside the folder either
    except OSError:
        if not ignore_errors:
            raise


def remove_leftovers(out: Path) -> None:
    """Staging folders of a build that was killed; restore a program swapped out but not back in.
    Only a real folder is restored; a link or anything else with a staging name is removed."""
    for leftover in out.glob(f"{STAGING_PREFIX}*"):
        if leftover.name.startswith(f"{STAGING_PREFIX}old-") and not leftover.is_symlink() and leftover.is_dir():
            target = out / leftover.name[len(f"{STAGING_PREFIX}old-"):]
            if not os.path.lexists(target):
                leftover.rename(target)
                continue
        remove_entry(leftover, ignore_errors=True)


@contextmanager
def build_lock(out: Path) -> Iterator[None]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC  # never a link or a FIFO
    try:
        descriptor = os.open(out / LOCK_FILE, flags, 0o644)
    except OSError as error:
        raise BuildError(f"cannot lock {out / LOCK_FILE}: {error.strerror}") from None
    with os.fdopen(descriptor, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"another build is writing to {out}; wait for it to finish") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
