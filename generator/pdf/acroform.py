"""PDF stage, last step (pikepdf): give each PDF its file identifier, and repair the AcroForm WeasyPrint
writes, so each radio group is one field named by its question."""

from __future__ import annotations

import io
from html.parser import HTMLParser

import pikepdf

_RADIO_FLAG = 1 << 15


def finish_pdf(pdf: bytes, identifier: str, group_labels: dict[str, str] | None = None) -> tuple[bytes, int]:
    """WeasyPrint's PDF with its file identifier, and its form fields (if any) repaired (normalize_acroform).
    Returns the PDF and its number of fields.

    Both the identifier and the compression are left to qpdf, which does them in C++: asked for an
    identifier, WeasyPrint (pydyf) serialises and compresses every object a second time to hash the file,
    a quarter of its PDF writing time, and it compresses at zlib's slowest level. So WeasyPrint writes
    the PDF uncompressed (`uncompressed_pdf`), and qpdf compresses its streams, packs its objects into
    object streams, keeps the first half of the /ID (the stable name given) and derives the second from
    the content: identical input still gives identical bytes, and the files are 1 % smaller."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        fields = normalize_acroform(document, group_labels or {})
        name = pikepdf.String(identifier.encode())
        document.trailer.ID = pikepdf.Array([name, name])
        out = io.BytesIO()
        document.save(out, deterministic_id=True, compress_streams=True,
                      object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue(), fields


def normalize_acroform(document: pikepdf.Pdf, group_labels: dict[str, str]) -> int:
    """Make WeasyPrint's radio groups proper fields; return the number of fields.

    WeasyPrint writes each radio group as a field with its buttons as widget /Kids, but its
    buttons also repeat the group's name (/T), as if each were a field of its own, and it lists
    every button in /AcroForm /Fields beside the group: readers see 'x.x' beside 'x', and readers
    that walk the field tree (qpdf, pikepdf) meet each button twice ("loop detected while
    traversing /AcroForm") and may show it twice. Drop the repeated names, and list in /Fields
    only the roots of the field tree, each once, in their order. WeasyPrint also names a group
    (/TU, what screen readers and `handbook collect` show) after its first option's label; a group
    in `group_labels` (name -> question, see radio_group_labels) is named by its question instead.
    The number of fields counts the named nodes of the field tree.

    Done on the document finish_pdf opens with qpdf (through pikepdf), which rewrites a file ten times
    faster than pypdf did."""
    acroform = document.Root.get("/AcroForm")
    if acroform is None or "/Fields" not in acroform:
        return 0
    for page in document.pages:
        for widget in page.obj.get("/Annots", pikepdf.Array()):
            if "/Parent" in widget and "/T" in widget:
                del widget["/T"]
                if "/TU" in widget:
                    del widget["/TU"]
    roots = _field_roots(acroform["/Fields"])
    acroform["/Fields"] = roots
    _name_radio_groups(roots, group_labels)
    return _named_fields(roots)


def _field_roots(fields: pikepdf.Object) -> pikepdf.Array:
    """The roots of the field tree, each once, in their order."""
    roots, seen = pikepdf.Array(), set()
    for entry in fields:
        node = entry
        for _ in range(64):  # up to the root of the tree (a cycle cannot hold us)
            parent = node.get("/Parent")
            if parent is None:
                break
            node = parent
        key = node.objgen if node.is_indirect else id(node)
        if key not in seen:
            seen.add(key)
            roots.append(node)
    return roots


def _named_fields(nodes: pikepdf.Object | None, depth: int = 0) -> int:
    """The fields under these nodes: every node with a name (/T), down their /Kids."""
    if depth > 64 or not isinstance(nodes, pikepdf.Array):
        return 0
    count = 0
    for node in nodes:
        count += ("/T" in node) + _named_fields(node.get("/Kids"), depth + 1)
    return count


def _name_radio_groups(roots: pikepdf.Array, group_labels: dict[str, str]) -> None:
    for field in roots:
        if not isinstance(field, pikepdf.Dictionary) or not int(field.get("/Ff", 0)) & _RADIO_FLAG:
            continue
        label = group_labels.get(str(field.get("/T", "")))
        if label:
            field["/TU"] = pikepdf.String(label)


def radio_group_labels(html: str) -> dict[str, str]:
    """Radio group name -> its question: the legend of the fieldset the group's buttons are in."""
    parser = _LegendParser()
    parser.feed(html)
    parser.close()
    return parser.labels


class _LegendParser(HTMLParser):
    """Walks fieldsets (nested ones too), reading each legend's text and the radio buttons inside."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.labels: dict[str, str] = {}
        self._fieldsets: list[list[str]] = []  # the legend text of each open fieldset, in parts
        self._in_legend = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "fieldset":
            self._fieldsets.append([])
        elif tag == "legend" and self._fieldsets:
            self._in_legend = True
        elif tag == "input" and self._fieldsets:
            attributes = dict(attrs)
            name, legend = attributes.get("name"), " ".join("".join(self._fieldsets[-1]).split())
            if attributes.get("type") == "radio" and name and legend:
                self.labels.setdefault(name, legend)

    def handle_endtag(self, tag: str) -> None:
        if tag == "legend":
            self._in_legend = False
        elif tag == "fieldset" and self._fieldsets:
            self._fieldsets.pop()

    def handle_data(self, data: str) -> None:
        if self._in_legend and self._fieldsets:
            self._fieldsets[-1].append(data)
