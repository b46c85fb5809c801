"""DIR/index.html: the page that lists every program built into the output folder.

It is written from each program's manifest.json (so it lists what is really there, also programs built
by earlier runs) and stands alone: no site engine, its CSS inside the page (theme/index.css), the
handbooks' fonts taken from the first program listed (each program ships them in assets/fonts/), links
relative, so it works from disk and offline. Every value from a manifest is escaped, and a manifest
that cannot be read, or whose values are not text, leaves its program out.
"""

from __future__ import annotations

import html
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from generator.output import STAGING_PREFIX
from generator.projectfiles import MAX_TEXT_BYTES, RefusedFile, read_bytes

INDEX_CSS = "index.css"  # in theme/
SITE_CSS = "site.css"    # in theme/: its @font-face rules name the fonts a program ships in assets/fonts/
TITLE = "Mentoring program handbooks"
_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")


@dataclass(frozen=True, order=True)
class ProgramEntry:
    name: str
    agency: str
    folder: str            # the program's folder in DIR (its id)
    edition: str = ""
    colour: str = ""       # its brand colour, "#rrggbb" or "#rgb"
    documents: int = 0     # PDFs
    forms: int = 0         # ... of which fillable


def write_programs_index(out: Path, theme: Path) -> None:
    """DIR/index.html: every program built into this folder, with its agency, edition and downloads."""
    entries = sorted(filter(None, (_entry(path, out) for path in sorted(out.glob("*/manifest.json")))))
    handle, temp = tempfile.mkstemp(prefix=f"{STAGING_PREFIX}index-", suffix=".html", dir=out)  # a new file
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(programs_page(entries, theme))
    os.chmod(temp, 0o644)
    os.replace(temp, out / "index.html")


def _entry(manifest_path: Path, out: Path) -> ProgramEntry | None:
    """The program a manifest describes, or None: only program folders this build writes count (a real
    folder in DIR with a regular manifest; a link, a FIFO or a damaged file there is not read, or skipped)."""
    if manifest_path.parent.is_symlink():
        return None
    try:
        manifest = json.loads(read_bytes(manifest_path, out, MAX_TEXT_BYTES))
        name, agency = manifest["name"], manifest["agency"]
    except (RefusedFile, ValueError, KeyError, TypeError):
        return None
    if not isinstance(name, str) or not isinstance(agency, str):
        return None
    edition, colour = manifest.get("edition"), manifest.get("primary_color")
    documents = [d for d in manifest.get("documents") or [] if isinstance(d, dict)]
    return ProgramEntry(
        name, agency, manifest_path.parent.name,
        edition=str(edition) if isinstance(edition, str | int) and not isinstance(edition, bool) else "",
        colour=colour if isinstance(colour, str) and _COLOUR.fullmatch(colour) else "",
        documents=len(documents),
        forms=sum(1 for d in documents if _positive(d.get("form_fields"))),
    )


def _positive(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def programs_page(entries: list[ProgramEntry], theme: Path) -> str:
    count = f"{len(entries)} program{'' if len(entries) == 1 else 's'}" if entries else "No programs built yet"
    cards = "\n".join(_card(entry) for entry in entries)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{TITLE}</title>
<style>
{_fonts(entries[0].folder, theme) if entries else ""}
{(theme / INDEX_CSS).read_text(encoding="utf-8")}</style>
</head>
<body>
<header class="bar"><p>{TITLE}</p></header>
<main>
<h1>{TITLE}</h1>
<p class="lead">{count}. Each handbook is a website to read on screen, with every document also as a PDF to
print or to fill in.</p>
<ul class="programs">
{cards}
</ul>
</main>
</body>
</html>
"""


def _card(entry: ProgramEntry) -> str:
    folder, name = quote(entry.folder), html.escape(entry.name)
    style = f' style="--brand: {entry.colour}"' if entry.colour else ""
    details = [f"Edition {html.escape(entry.edition)}"] if entry.edition else []
    if entry.documents:
        forms = f", {entry.forms} fillable" if entry.forms else ""
        details.append(f"{entry.documents} PDF{'' if entry.documents == 1 else 's'}{forms}")
    return (f'<li class="program"{style}>\n'
            f'<h2><a href="{folder}/index.html">{name}</a></h2>\n'
            f'<p class="agency">{html.escape(entry.agency)}</p>\n'
            + (f'<p class="edition">{" · ".join(details)}</p>\n' if details else "")
            + f'<p class="downloads"><a href="{folder}/downloads.html">Downloads'
            f'<span class="sr-only"> for {name}</span></a></p>\n'
            f"</li>")


def _fonts(folder: str, theme: Path) -> str:
    """The site's @font-face rules (theme/site.css), pointed at the fonts in one program's assets."""
    rules = _FONT_FACE.findall((theme / SITE_CSS).read_text(encoding="utf-8"))
    return "\n".join(rule.replace('url("fonts/', f'url("{quote(folder)}/assets/fonts/') for rule in rules)
