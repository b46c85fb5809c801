"""PDF stage, last step: repair the AcroForm WeasyPrint writes (pypdf), so each radio group is one field
named by its question."""

from __future__ import annotations

import io
from html.parser import HTMLParser

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, TextStringObject

_RADIO_FLAG = 1 << 15


def normalize_acroform(pdf: bytes, group_labels: dict[str, str] | None = None) -> tuple[bytes, int]:
    """Make WeasyPrint's radio groups proper fields.

    WeasyPrint writes each radio group as a field with its buttons as widget /Kids, but its
    buttons also repeat the group's name (/T), as if each were a field of its own, and it lists
    every button in /AcroForm /Fields beside the group: readers see 'x.x' beside 'x', and readers
    that walk the field tree (qpdf, pikepdf) meet each button twice ("loop detected while
    traversing /AcroForm") and may show it twice. Drop the repeated names, and list in /Fields
    only the roots of the field tree, each once, in their order. WeasyPrint also names a group
    (/TU, what screen readers and `handbook collect` show) after its first option's label; a group
    in `group_labels` (name -> question, see radio_group_labels) is named by its question instead.
    Returns the PDF and its number of fields."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for page in writer.pages:
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            if "/Parent" in widget and "/T" in widget:
                del widget[NameObject("/T")]
                widget.pop(NameObject("/TU"), None)
    acroform = writer._root_object.get("/AcroForm")  # root_object from pypdf 5 on
    if acroform is not None and "/Fields" in acroform:
        roots = _field_roots(acroform["/Fields"])
        acroform[NameObject("/Fields")] = roots
        _name_radio_groups(roots, group_labels or {})
    writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.get_fields() or {})


def _field_roots(fields: ArrayObject) -> ArrayObject:
    """The roots of the field tree, each once, in their order."""
    roots, seen = ArrayObject(), set()
    for entry in fields:
        node, ref = entry.get_object(), entry
        for _ in range(64):  # up to the root of the tree (a cycle cannot hold us)
            parent = node.raw_get("/Parent") if "/Parent" in node else None
            if parent is None:
                break
            node, ref = parent.get_object(), parent
        key = (ref.idnum, ref.generation) if isinstance(ref, IndirectObject) else id(node)
        if key not in seen:
            seen.add(key)
            roots.append(ref)
    return roots


def _name_radio_groups(roots: ArrayObject, group_labels: dict[str, str]) -> None:
    for ref in roots:
        field = ref.get_object()
        if not isinstance(field, DictionaryObject) or not int(field.get("/Ff", 0)) & _RADIO_FLAG:
            continue
        label = group_labels.get(str(field.get("/T", "")))
        if label:
            field[NameObject("/TU")] = TextStringObject(label)


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
