"""PDF stage, last step: repair the AcroForm WeasyPrint writes (pypdf), so each radio group is one field."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, IndirectObject, NameObject


def normalize_acroform(pdf: bytes) -> tuple[bytes, int]:
    """Make WeasyPrint's radio groups proper fields.

    WeasyPrint writes each radio group as a field with its buttons as widget /Kids, but its
    buttons also repeat the group's name (/T), as if each were a field of its own, and it lists
    every button in /AcroForm /Fields beside the group: readers see 'x.x' beside 'x', and readers
    that walk the field tree (qpdf, pikepdf) meet each button twice ("loop detected while
    traversing /AcroForm") and may show it twice. Drop the repeated names, and list in /Fields
    only the roots of the field tree, each once, in their order. Returns the PDF and its number
    of fields."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for page in writer.pages:
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            if "/Parent" in widget and "/T" in widget:
                del widget[NameObject("/T")]
                widget.pop(NameObject("/TU"), None)
    acroform = writer._root_object.get("/AcroForm")  # root_object from pypdf 5 on
    if acroform is not None and "/Fields" in acroform:
        roots, seen = ArrayObject(), set()
        for entry in acroform["/Fields"]:
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
        acroform[NameObject("/Fields")] = roots
    writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.get_fields() or {})
