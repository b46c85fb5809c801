"""PDF stage, packets: the packet's own part and the finished PDFs of the documents it bundles -> one PDF.

A packet (documents.yml `bundle`) prints other documents after its own sections. Those documents are
rendered as PDFs of their own anyway, so WeasyPrint lays out only the packet's own part (cover,
contents, agenda) and this module joins the PDFs with pikepdf; no page is laid out twice. What the
packet keeps, for trainers and for readers of tagged PDF:

- one outline: the own part's, then one closed branch per part holding that part's outline;
- one structure tree (PDF/UA): a Document whose kids are one Part per PDF, each PDF's parent tree
  renumbered by an offset and its pages' /StructParents (annotations' /StructParent) shifted with it,
  role and class maps merged; /Lang, /MarkInfo, metadata and document info are the own part's;
- the form fields of every part in one /AcroForm (names must be unique; each widget keeps its /DA,
  the form keeps /NeedAppearances and every part's default resources);
- page labels: each part keeps the page numbers WeasyPrint printed on it (a print shop prints the
  parts as participants' own copies, and trainers refer to the numbers of the standalone workbook),
  so viewers show "Mentee workbook 3" rather than a running number the paper does not carry;
- links: the own part points at a bundled document with PART_LINK URIs (WeasyPrint would warn
  about anchors that are not in the HTML it lays out); they become links to named destinations
  `part-<document>` and `part-<document>--<anchor>`, the parts' own anchors renamed so (`s-x` -> `x`).

It runs in the main process once the parts are done (build.py collect_pdfs; ~0.1 s a packet), and the
joined packet is cached on the sha256 of its inputs. The bytes depend only on the input PDFs: the /ID
is derived from the content.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, NameTree, NumberTree, String

from generator.cache import Cache, store_pdf
from generator.content import DocumentSpec
from generator.errors import BuildError, Location, Problem
from generator.pdf.html import PART_LINK, SECTION_ANCHOR
from generator.pdf.result import PdfResult
from generator.pdf.thumbnail import thumbnail_of, with_thumbnail


@dataclass(frozen=True)
class Part:
    """One PDF of the packet: its document, the running title its pages carry, and the file."""

    document_id: str
    title: str
    path: str
    fields: int = 0  # its form fields, as counted when it was rendered
    sha256: str = ""


class BundleError(ValueError):
    """The parts cannot be joined (a form field name used by two parts)."""


def join_packet(where: str, packet: tuple[DocumentSpec, PdfResult], parts: list[tuple[DocumentSpec, PdfResult]],
                target: Path, cache: Cache) -> PdfResult:
    """The packet from its own part's PDF and its parts' PDFs: from the cache when none of them changed,
    else joined into `target` (and cached). `where` names the packet in errors."""
    own_part, joined = _part(*packet), [_part(*part) for part in parts]
    key = cache.joined_key([f"{p.document_id}\0{p.title}\0{p.fields}\0{p.sha256}" for p in [own_part, *joined]])
    hit = cache.get_pdf(key, own_part.document_id)
    if hit is not None:
        return hit
    try:
        result = assemble_packet(own_part, joined, target)
    except BundleError as error:
        raise BuildError(Problem(Location(where), "bundle", str(error))) from None
    # The packet opens with its own part's first page: that page's thumbnail is the packet's.
    thumbnail = thumbnail_of(packet[1])
    if thumbnail is not None:
        result = with_thumbnail(result, thumbnail)
    if cache.folder is not None:
        store_pdf(cache.folder, key, target.read_bytes(), result.pages, result.fields, thumbnail)
    return result


def _part(spec: DocumentSpec, result: PdfResult) -> Part:
    return Part(spec.id, spec.title, result.path, result.fields, result.sha256)


def assemble_packet(own: Part, parts: list[Part], target: Path) -> PdfResult:
    """Join the packet's own PDF and its parts' PDFs into `target`; the result carries the links that
    found no target as warnings."""
    with ExitStack() as stack:  # every source stays open until the packet is written (qpdf copies lazily)
        packet = stack.enter_context(pikepdf.open(own.path))
        joiner = _Joiner(packet, own)
        for part in parts:
            joiner.append(part, stack.enter_context(pikepdf.open(part.path)))
        missing = joiner.finish()
        target.parent.mkdir(parents=True, exist_ok=True)
        # Object streams: the structure trees are thousands of small objects (835 KB -> 462 KB for one packet).
        packet.save(target, deterministic_id=True, fix_metadata_version=False,
                    object_stream_mode=pikepdf.ObjectStreamMode.generate)
        pages = len(packet.pages)
    data = target.read_bytes()
    fields = own.fields + sum(part.fields for part in parts)
    return PdfResult(own.document_id, str(target), pages, len(data), hashlib.sha256(data).hexdigest(),
                     fields=fields, warnings=tuple(missing))


class _Joiner:
    """The packet being put together: one part after another, then the shared trees written once."""

    def __init__(self, packet: pikepdf.Pdf, own: Part):
        self.packet = packet
        root = packet.Root
        self.labels: list[tuple[int, str]] = [(0, own.title)]
        self.dests: dict[str, pikepdf.Object] = dict(_dests(packet))
        self.next_key = _next_struct_key(root)
        self.parent_tree: list[tuple[int, pikepdf.Object]] = list(_parent_tree(root))
        tree = root.StructTreeRoot
        self.document = packet.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=tree, K=Array()))
        self._adopt(_struct_kids(tree), packet)
        tree.K = Array([self.document])
        self.fields = packet.make_indirect(Array(root.AcroForm.Fields if "/AcroForm" in root else []))
        if "/AcroForm" in root:
            root.AcroForm.Fields = self.fields
        self.field_names = {str(field.get("/T", "")) for field in self.fields}
        if "/Outlines" not in root:
            root.Outlines = packet.make_indirect(Dictionary(Type=Name.Outlines, Count=0))

    def append(self, part: Part, source: pikepdf.Pdf) -> None:
        first, offset, rename = len(self.packet.pages), self.next_key, _renamer(part.document_id)
        self._prepare(source, offset, rename)
        with warnings.catch_warnings():  # "does not preserve form fields": _append_fields joins them
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            self.packet.pages.extend(source.pages)  # the objects copied below that point at pages get the copies
        self.labels.append((first, part.title))
        page = self.packet.pages[first].obj
        self.dests[f"part-{part.document_id}"] = Array([page, Name.Fit])
        for name, dest in _dests(source):
            self.dests[rename(name)] = self._copy(source, dest)
        self.parent_tree.extend((key + offset, self._copy(source, value)) for key, value in _parent_tree(source.Root))
        self.next_key = offset + _next_struct_key(source.Root)
        self._adopt(_struct_kids(source.Root.StructTreeRoot), source)
        self._merge_maps(source)
        self._append_outline(part.title, page, source)
        self._append_fields(part, source)

    @staticmethod
    def _prepare(source: pikepdf.Pdf, offset: int, rename: Callable[[str], str]) -> None:
        """In the source, before its pages are copied: shift its structure keys, rename its anchors."""
        for page in source.pages:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annotation in page.obj.get("/Annots", Array()):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
                _rename_link(annotation, rename)
        for item in _outline_items(source.Root.get("/Outlines")):
            _rename_link(item, rename)

    def _copy(self, source: pikepdf.Pdf, value: pikepdf.Object) -> pikepdf.Object:
        return self.packet.copy_foreign(value if value.is_indirect else source.make_indirect(value))

    def _adopt(self, elements: list[pikepdf.Object], source: pikepdf.Pdf) -> None:
        """Each PDF's top structure elements become one Part under the packet's Document."""
        for element in elements:
            if "/P" in element:
                del element["/P"]  # the source's tree root: not copied along
            copied = element if source is self.packet else self._copy(source, element)
            if copied.get("/S") == Name.Document:
                copied.S = Name.Part
            copied.P = self.document
            self.document.K.append(copied)

    def _merge_maps(self, source: pikepdf.Pdf) -> None:
        """The part's structure type and class maps (WeasyPrint writes none today); the first meaning wins."""
        tree = self.packet.Root.StructTreeRoot
        for key in ("/RoleMap", "/ClassMap"):
            if key in source.Root.StructTreeRoot:
                merged = tree.get(key) or Dictionary()
                for name, value in self._copy(source, source.Root.StructTreeRoot[key]).items():
                    if name not in merged:
                        merged[name] = value
                tree[key] = merged

    def _append_outline(self, title: str, page: pikepdf.Object, source: pikepdf.Pdf) -> None:
        """A closed branch titled after the part, opening on its first page, holding the part's outline."""
        outlines = self.packet.Root.Outlines
        item = self.packet.make_indirect(Dictionary(Title=String(title), Parent=outlines, Dest=Array([page, Name.Fit])))
        own = source.Root.get("/Outlines")
        if own is not None and "/First" in own:
            copied = self._copy(source, own)
            item.First, item.Last = copied.First, copied.Last
            item.Count = -abs(int(copied.get("/Count", 0)))
            for child in _siblings(copied.First):
                child.Parent = item
        if "/Last" in outlines:
            outlines.Last.Next, item.Prev = item, outlines.Last
        else:
            outlines.First = item
        outlines.Last = item
        outlines.Count = int(outlines.get("/Count", 0)) + 1

    def _append_fields(self, part: Part, source: pikepdf.Pdf) -> None:
        form = source.Root.get("/AcroForm")
        if form is None:
            return
        copied, packet_form = self._copy(source, form), self._form()
        for key in ("/NeedAppearances", "/DA"):  # as the standalone form has them
            if key in copied and key not in packet_form:
                packet_form[key] = copied[key]
        _merge_resources(packet_form.DR, copied, part.document_id)
        for field in copied.get("/Fields", Array()):
            name = str(field.get("/T", ""))
            if name in self.field_names:
                raise BundleError(f"the form field '{name}' of {part.document_id} is already in the packet")
            self.field_names.add(name)
            self.fields.append(field)

    def _form(self) -> pikepdf.Object:
        """The packet's /AcroForm, made on the first part with fields."""
        root = self.packet.Root
        if "/AcroForm" not in root:
            root.AcroForm = self.packet.make_indirect(Dictionary(Fields=self.fields))
        form = root.AcroForm
        if "/DR" not in form:
            form.DR = Dictionary()
        return form

    def finish(self) -> list[str]:
        """Write the shared trees; link the own part to the parts. Returns the links without a target."""
        root = self.packet.Root
        tree = root.StructTreeRoot
        tree.ParentTree = self.packet.make_indirect(
            Dictionary(Nums=Array([x for key, value in sorted(self.parent_tree, key=_first) for x in (key, value)])))
        tree.ParentTreeNextKey = self.next_key
        root.PageLabels = Dictionary(Nums=Array(
            [x for first, title in self.labels for x in (first, Dictionary(S=Name.D, P=String(f"{title} ")))]))
        names = root.get("/Names") or Dictionary()
        names.Dests = self.packet.make_indirect(Dictionary(Names=Array(
            [x for name in sorted(self.dests, key=str.encode) for x in (String(name), self.dests[name])])))
        root.Names = names
        return self._resolve_part_links(self.labels[1][0] if len(self.labels) > 1 else len(self.packet.pages))

    def _resolve_part_links(self, own_pages: int) -> list[str]:
        missing = []
        for page in self.packet.pages[:own_pages]:
            for annotation in page.obj.get("/Annots", Array()):
                action = annotation.get("/A")
                uri = str(action.get("/URI", "")) if action is not None else ""
                if not uri.startswith(PART_LINK):
                    continue
                name = "part-" + uri.removeprefix(PART_LINK)
                del annotation["/A"]
                if name in self.dests:
                    annotation.Dest = annotation.Contents = String(name)
                else:
                    missing.append(f"the link to {uri.removeprefix(PART_LINK)} has no target: no such bundled "
                                   "document or section in this program")
        return missing


def _first(pair: tuple[int, pikepdf.Object]) -> int:
    return pair[0]


def _renamer(document_id: str) -> Callable[[str], str]:
    def rename(name: str) -> str:
        return f"part-{document_id}--{name.removeprefix(SECTION_ANCHOR)}"
    return rename


def _rename_link(item: pikepdf.Object, rename: Callable[[str], str]) -> None:
    """A link or outline item pointing at a named destination points at its renamed one."""
    if isinstance(item.get("/Dest"), String):
        item.Dest = String(rename(str(item.Dest)))
    action = item.get("/A")
    if action is not None and action.get("/S") == Name.GoTo and isinstance(action.get("/D"), String):
        action.D = String(rename(str(action.D)))


def _dests(pdf: pikepdf.Pdf) -> Iterator[tuple[str, pikepdf.Object]]:
    names = pdf.Root.get("/Names")
    if names is not None and "/Dests" in names:
        yield from ((str(name), dest) for name, dest in NameTree(names.Dests).items())


def _parent_tree(root: pikepdf.Object) -> Iterator[tuple[int, pikepdf.Object]]:
    tree = root.get("/StructTreeRoot")
    if tree is not None and "/ParentTree" in tree:
        yield from ((int(key), value) for key, value in NumberTree(tree.ParentTree).items())


def _next_struct_key(root: pikepdf.Object) -> int:
    """The first structure key a PDF does not use (its ParentTreeNextKey, or one past its highest key)."""
    keys = [key for key, _ in _parent_tree(root)]
    declared = root.StructTreeRoot.get("/ParentTreeNextKey") if "/StructTreeRoot" in root else None
    return max(int(declared) if declared is not None else 0, max(keys, default=-1) + 1)


def _struct_kids(tree: pikepdf.Object) -> list[pikepdf.Object]:
    kids = tree.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _siblings(item: pikepdf.Object | None) -> Iterator[pikepdf.Object]:
    seen = set()
    while item is not None and item.objgen not in seen:  # a cycle cannot hold us
        seen.add(item.objgen)
        yield item
        item = item.get("/Next")


def _outline_items(outlines: pikepdf.Object | None) -> Iterator[pikepdf.Object]:
    """Every item of an outline, depth first."""
    if outlines is None or "/First" not in outlines:
        return
    for item in _siblings(outlines.First):
        yield item
        yield from _outline_items(item)


def _merge_resources(resources: pikepdf.Object, form: pikepdf.Object, document_id: str) -> None:
    """Add the form's default resources (/DR: fonts, graphics states...) to the packet's. WeasyPrint names
    a font subset after the font, so two parts may each have their own subset under one name: the later
    one is renamed, and its fields' /DA (which name the font and graphics state) with it."""
    renamed: dict[str, str] = {}
    for category, entries in form.get("/DR", Dictionary()).items():
        merged = resources.get(category) or Dictionary()
        for name, value in entries.items():
            if name in merged and not _same(merged[name], value):
                renamed[name] = f"{name}-{document_id}"
            merged[renamed.get(name, name)] = value
        resources[category] = merged
    if renamed:
        for field in _field_tree(form.get("/Fields", Array())):
            if "/DA" in field:
                field.DA = String(_renamed_resources(str(field.DA), renamed))


def _same(first: pikepdf.Object, second: pikepdf.Object) -> bool:
    if first.is_indirect or second.is_indirect:
        return bool(first.is_indirect and second.is_indirect and first.objgen == second.objgen)
    return bool(first == second)


def _renamed_resources(appearance: str, renamed: dict[str, str]) -> str:
    words = appearance.split(" ")
    return " ".join(renamed.get(word, word) for word in words)


def _field_tree(fields: pikepdf.Object) -> Iterator[pikepdf.Object]:
    for field in fields:
        yield field
        yield from _field_tree(field.get("/Kids", Array()))
