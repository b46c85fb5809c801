"""DIR/index.html: the page that lists every program built into the output folder."""

from __future__ import annotations

import html
import json
import os
import tempfile
from pathlib import Path

from generator.output import STAGING_PREFIX
from generator.projectfiles import MAX_TEXT_BYTES, RefusedFile, read_bytes


def write_programs_index(out: Path) -> None:
    """DIR/index.html: every program built into this folder, by name."""
    entries = []
    for manifest_path in sorted(out.glob("*/manifest.json")):
        # only program folders this build writes: a real folder in DIR with a regular manifest
        # (a link, a FIFO or a damaged file there is not read, or skipped)
        if manifest_path.parent.is_symlink():
            continue
        try:
            manifest = json.loads(read_bytes(manifest_path, out, MAX_TEXT_BYTES))
            name, agency = manifest["name"], manifest["agency"]
        except (RefusedFile, ValueError, KeyError, TypeError):
            continue
        if isinstance(name, str) and isinstance(agency, str):
            entries.append((name, agency, manifest_path.parent.name))
    items = "\n".join(
        f'<li><a href="{html.escape(pid)}/index.html">{html.escape(name)}</a> <span>{html.escape(agency)}</span></li>'
        for name, agency, pid in sorted(entries)
    )
    page = f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mentoring program handbooks</title>
<style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}}
li{{margin:.6rem 0}} span{{color:#555;display:block;font-size:.9rem}} a{{color:#1f5f8b}}</style></head>
<body><main><h1>Mentoring program handbooks</h1>
<ul>
{items}
</ul></main></body>
</html>
"""
    handle, temp = tempfile.mkstemp(prefix=f"{STAGING_PREFIX}index-", suffix=".html", dir=out)  # a new file
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(page)
    os.chmod(temp, 0o644)
    os.replace(temp, out / "index.html")
