"""A program's logo: a PNG, JPEG or SVG file inside the project, judged by its bytes, not its name.

The logo is published on the site as it is, so an SVG that could run script when opened on its
own (where it could read what the web forms keep in the browser) or fetch anything is refused:
script and foreignObject elements, HTML or MathML inside, event-handler attributes, references
to anything but a fragment of the same file (`#id`), style sheets that import or load URLs,
entity declarations and processing instructions. Files are read through generator.projectfiles
(a regular file inside the project, its size checked before it is read).
"""

from __future__ import annotations

import os
import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from generator.config.types import TextKind
from generator.projectfiles import RefusedFile, read_bytes

MAX_LOGO_BYTES = 2_000_000
MAX_LOGO_SIDE = 10_000  # pixels: a tiny file can declare a 100,000 × 100,000 image
NAMES = {"png": "PNG", "jpeg": "JPEG", "svg": "SVG"}
SUFFIXES = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".svg": "svg"}

SVG_NS = "http://www.w3.org/2000/svg"
_FOREIGN_NAMESPACES = {"http://www.w3.org/1999/xhtml": "HTML", "http://www.w3.org/1998/Math/MathML": "MathML"}
_REFUSED_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}
_ANIMATIONS = {"set", "animate", "animatemotion", "animatetransform", "animatecolor"}
_URL = re.compile(r"url\(\s*(['\"]?)\s*([^'\")]*)", re.I)
_SCHEMES = re.compile(r"(?:java|vb|live)script:|data:text/html", re.I)  # matched with white space removed
_DECLARATIONS = re.compile(r"<!(?:ENTITY|ATTLIST|ELEMENT|NOTATION)", re.I)
_RASTER_DATA = re.compile(r"data:image/(png|jpeg);base64,[A-Za-z0-9+/=\s]*\Z")


class LogoRefused(ValueError):
    """Why a logo cannot be used; the message completes 'branding.logo: '."""


def logo_kind(name: str) -> str:
    """'png', 'jpeg' or 'svg' by the file name (the bytes must agree, see read_logo)."""
    return SUFFIXES.get(Path(name).suffix.lower(), "")


def read_logo(name: str, project: Path) -> tuple[str, bytes]:
    """The logo's kind and bytes, or LogoRefused saying what is wrong with it."""
    try:
        TextKind("line", 1000).check(name)
    except ValueError as error:
        raise LogoRefused(str(error)) from None
    root = project.resolve()
    if "://" in name or Path(name).is_absolute():
        raise LogoRefused(f"'{name}' must be a file inside the project")
    try:
        inside = (root / name).resolve().is_relative_to(root)
    except (OSError, RuntimeError, ValueError):
        inside = False
    if not inside:
        raise LogoRefused(f"'{name}' must be a file inside the project")
    kind = logo_kind(name)
    try:
        data = read_bytes(root / name, root, MAX_LOGO_BYTES) if kind else None
    except RefusedFile as error:
        raise LogoRefused(f"'{name}' {error}") from None
    if data is None:
        if not os.path.lexists(root / name):
            raise LogoRefused(f"'{name}' does not exist")
        raise LogoRefused(f"'{name}' must be a PNG, JPEG or SVG image")
    found = sniff(data)
    if found != kind:
        content = f"its content is {'an' if found == 'svg' else 'a'} {NAMES[found]} image" if found \
            else "its content is not a PNG, JPEG or SVG image"
        raise LogoRefused(f"'{name}' is not {'an' if kind == 'svg' else 'a'} {NAMES[kind]} image: {content}")
    try:
        {"png": _check_png, "jpeg": _check_jpeg, "svg": check_svg}[kind](data)
    except LogoRefused as error:
        raise LogoRefused(f"'{name}' {error}") from None
    return kind, data


def sniff(data: bytes) -> str:
    """The image type the bytes are ('png', 'jpeg', 'svg'), or '' for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<") and re.search(rb"<svg[\s>/]", data[:65536]):
        return "svg"
    return ""


def _check_size(width: int, height: int, what: str) -> None:
    if not (0 < width <= MAX_LOGO_SIDE and 0 < height <= MAX_LOGO_SIDE):
        raise LogoRefused(f"is a {width} × {height} pixel {what} image; a logo may be at most "
                          f"{MAX_LOGO_SIDE} pixels wide and high")


def _check_png(data: bytes) -> None:
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise LogoRefused("is a damaged PNG image (no image header)")
    width, height = struct.unpack(">II", data[16:24])
    _check_size(width, height, "PNG")


def _check_jpeg(data: bytes) -> None:
    """Walk the JPEG markers to the frame header (SOFn) for the image size."""
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            break
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            at += 2
            continue
        length = struct.unpack(">H", data[at + 2:at + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            if at + 9 > len(data):
                break
            height, width = struct.unpack(">HH", data[at + 5:at + 9])
            _check_size(width, height, "JPEG")
            return
        if length < 2:
            break
        at += 2 + length
    raise LogoRefused("is a damaged JPEG image (no frame header)")


def check_svg(data: bytes) -> None:
    """Refuse an SVG that could run script, fetch anything or expand entities (LogoRefused)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LogoRefused(f"is not UTF-8 text (byte {error.start}); save the SVG as UTF-8") from None
    declaration = _DECLARATIONS.search(text)
    if declaration:  # entities (which can expand without end) or attribute defaults (an onload)
        raise LogoRefused(f"declares {declaration.group()[2:].upper()} in a DOCTYPE; remove the declarations")
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "pi"))
    try:
        parser.feed(data)
        parser.close()
        events: list[tuple[str, Any]] = list(parser.read_events())  # type: ignore[arg-type]  # start, pi only
    except ET.ParseError as error:
        line, column = error.position
        raise LogoRefused(f"is not a valid SVG image (XML error at line {line}, column {column + 1})") from None
    first = next((element for event, element in events if event == "start"), None)
    if first is None or first.tag != f"{{{SVG_NS}}}svg":
        raise LogoRefused(f"is not an SVG image (its root element is not <svg> in the SVG namespace {SVG_NS})")
    for event, element in events:
        if event == "pi":
            raise LogoRefused("contains a processing instruction (<?...?>, e.g. a style sheet link); remove it")
        _check_element(element)


def _local(tag: str) -> tuple[str, str]:
    namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    return namespace, local


def _check_element(element: ET.Element) -> None:
    namespace, local = _local(element.tag)
    name = local.lower()
    if namespace in _FOREIGN_NAMESPACES:
        raise LogoRefused(f"contains {_FOREIGN_NAMESPACES[namespace]} (<{local}>); an SVG logo may hold only SVG")
    if name in _REFUSED_ELEMENTS:
        raise LogoRefused(f"contains a <{local}> element, which can run script or embed pages; remove it")
    for attribute, value in element.attrib.items():
        _, attr = _local(attribute)
        attr_name = attr.lower()
        if attr_name.startswith("on"):
            raise LogoRefused(f"has an event handler ({attr} on <{local}>), which runs script; remove it")
        if name in _ANIMATIONS and attr_name == "attributename" and (
                value.strip().lower().split(":")[-1] in ("href", "src") or value.strip().lower().startswith("on")):
            raise LogoRefused(f"animates '{value}' on <{local}>, which can change a link or run script; remove it")
        if attr_name in ("href", "src") and not _local_reference(value, name):
            raise LogoRefused(f"refers to '{_short(value)}' ({attr} on <{local}>); a logo may refer only to its "
                              f"own parts ('#id'), nothing outside it")
        _check_style(value, f"{attr} on <{local}>", css=attr_name == "style")
    if name == "style":
        _check_style("".join(element.itertext()), "<style>", css=True)


def _local_reference(value: str, element: str) -> bool:
    target = value.strip()
    return target.startswith("#") or (element == "image" and bool(_RASTER_DATA.match(target)))


def _check_style(value: str, where: str, css: bool = False) -> None:
    """An attribute value (CSS for `style` and <style>): no script URL, nothing loaded from elsewhere."""
    squeezed = re.sub(r"[\s\x00-\x1f]+", "", value).lower()
    if _SCHEMES.search(squeezed):
        raise LogoRefused(f"contains a script URL in {where}; remove it")
    if "\\" in value and (css or "(" in value):  # CSS escapes can spell url( or @import in disguise
        raise LogoRefused(f"contains a CSS escape (\\) in {where}; write the style without escapes")
    for loader in ("@import", "@font-face", "image-set(", "src("):
        if loader in squeezed:
            raise LogoRefused(f"loads from elsewhere ({loader.rstrip('(')}) in {where}; a logo may refer "
                              f"only to its own parts")
    for match in _URL.finditer(value):
        if not match.group(2).strip().startswith("#"):
            raise LogoRefused(f"refers to '{_short(match.group(2))}' in {where}; a logo may refer only to its own "
                              f"parts ('url(#id)'), nothing outside it")


def _short(value: str) -> str:
    """A value quoted in a message: shortened, anything unprintable escaped."""
    value = value.strip()
    value = value if len(value) <= 60 else value[:57] + "..."
    return value if value.isprintable() else ascii(value)[1:-1]
