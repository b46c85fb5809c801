"""Setting an environment variable for the span of a `with` block, then putting it back."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def environment_variable(name: str, value: str | None) -> Iterator[None]:
    """`name` set to `value` inside the block (None: left as it is), then restored or removed."""
    if value is None:
        yield
        return
    previous = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = previous
