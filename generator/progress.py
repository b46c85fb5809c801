"""Progress display for builds: a live line on a terminal, nothing when quiet or piped."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress_display(quiet: bool = False) -> Iterator[Callable[[str], None]]:
    if quiet or not sys.stderr.isatty():
        yield lambda _step: None
        return
    from rich.console import Console

    console = Console(stderr=True)
    with console.status("building…") as status:
        yield lambda step: status.update(f"building {step}")
