"""The workshop packet is joined from its own part and its parts' finished PDFs (generator/pdf/bundle.py),
and keeps what trainers need: outline, tags, form fields, page labels, working links, same bytes."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from pikepdf.form import Form
from pypdf import PdfReader, PdfWriter

from generator.build import build, load
from generator.errors import BuildError, HandbookWarning
from generator.pdf import PrintHtml
from generator.pdf.bundle import BundleError, Part, assemble_packet
from generator.pdf.html import PART_LINK
from generator.project import Project
from generator.render import Renderer
from tests.conftest import MINIMAL_DOCUMENTS, MINIMAL_PROGRAM, REPO, write_project

PARTS = ["mentee-workbook", "agreement", "journal", "role-chart"]
TITLES = ["Mentee workbook", "Mentoring agreement", "Meeting journal", "Roles and responsibilities"]


@pytest.fixture(scope="module")
def pdf_dir(real_site: Path) -> Path:
    return real_site / "san-jose-emp" / "pdf"


def own_pages(reader: PdfReader) -> int:
    """Pages of the packet's own part: those before the first part's label."""
    return next(i for i, label in enumerate(reader.page_labels) if label.startswith(TITLES[0]))


def outline_titles(items: list) -> list[str]:
    return [item.title for item in items if not isinstance(item, list)]


def test_the_packets_html_holds_no_bundled_section_only_links_to_them():
    library, (program,) = load(REPO, ["san-jose-emp"])
    renderer = Renderer(library, program, "pdf")
    packet = next(spec for spec in renderer.published if spec.bundle)
    html = PrintHtml(Project.load(REPO), program).job(renderer.document(packet)).html
    assert 'id="s-agenda"' in html
    assert 'class="part' not in html and 'id="s-objectives"' not in html and "<form" not in html
    assert f'href="{PART_LINK}mentee-workbook--objectives"' in html and 'href="#part-' not in html
    assert f'href="{PART_LINK}role-chart"' in html  # contents: one entry per part


def test_outline_has_the_agenda_then_a_branch_per_part_holding_its_own_outline(pdf_dir):
    outline = PdfReader(pdf_dir / "workshop-packet.pdf").outline
    assert outline_titles(outline) == ["Facilitator agenda", *TITLES]
    branches = [item for item in outline if isinstance(item, list)]
    assert len(branches) == len(PARTS)
    for part, branch in zip(PARTS, branches, strict=True):
        assert outline_titles(branch) == outline_titles(PdfReader(pdf_dir / f"{part}.pdf").outline), part


def test_every_page_and_annotation_resolves_in_the_merged_structure_tree(pdf_dir):
    with pikepdf.open(pdf_dir / "workshop-packet.pdf") as pdf:
        tree = pdf.Root.StructTreeRoot
        keys = dict(pikepdf.NumberTree(tree.ParentTree).items())
        assert int(tree.ParentTreeNextKey) == max(keys) + 1
        for number, page in enumerate(pdf.pages):
            assert int(page.obj.StructParents) in keys, number
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    element = keys[int(annotation.StructParent)]
                    assert any(kid.get("/Obj") == annotation for kid in element.K if isinstance(kid, pikepdf.Dictionary))
        (document,) = tree.K
        assert [document.S, *(kid.S for kid in document.K)] == [pikepdf.Name.Document] + [pikepdf.Name.Part] * 5
        assert all(kid.P.objgen == document.objgen for kid in document.K)
        assert pdf.Root.MarkInfo.Marked and str(pdf.Root.Lang) == "en-US"
        assert pdf.get_warnings() == []
    if shutil.which("qpdf"):
        assert subprocess.run(["qpdf", "--check", str(pdf_dir / "workshop-packet.pdf")],
                              capture_output=True, check=False).returncode == 0


def test_both_forms_fields_are_there_once_and_fillable(pdf_dir, tmp_path):
    packet = pdf_dir / "workshop-packet.pdf"
    with pikepdf.open(packet) as pdf:
        names = [name for name, _ in Form(pdf).items()]
        assert len(names) == len(set(names)) and pdf.get_warnings() == []
        assert pdf.Root.AcroForm.NeedAppearances
    reader = PdfReader(packet)
    fields = reader.get_fields()
    standalone = {**PdfReader(pdf_dir / "agreement.pdf").get_fields(), **PdfReader(pdf_dir / "journal.pdf").get_fields()}
    assert set(fields) == set(standalone)
    writer = PdfWriter(clone_from=reader)
    values = {"agreement.mentee_name": "Ada Lovelace", "journal.row01.date": "2027-01-15"}
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    writer.write(tmp_path / "filled.pdf")
    filled = PdfReader(tmp_path / "filled.pdf").get_fields()
    assert {name: filled[name]["/V"] for name in values} == values
    resources = reader.trailer["/Root"]["/AcroForm"]["/DR"]
    for name, field in fields.items():  # each field draws its value with resources the form has, as when alone
        assert ("/DA" in field) == ("/DA" in standalone[name]), name
        words = str(field.get("/DA", "")).split()
        for operator, category in (("Tf", "/Font"), ("gs", "/ExtGState")):
            if operator in words:
                resource = words[words.index(operator) - (2 if operator == "Tf" else 1)]
                assert resource in resources[category], (name, resource)


def test_page_labels_keep_each_parts_own_numbers(pdf_dir):
    labels = PdfReader(pdf_dir / "workshop-packet.pdf").page_labels
    assert labels[0] == "Mentee workshop packet 1"
    start = 0
    for part, title in zip(PARTS, TITLES, strict=True):
        pages = len(PdfReader(pdf_dir / f"{part}.pdf").pages)
        start = labels.index(f"{title} 1")
        assert labels[start:start + pages] == [f"{title} {n}" for n in range(1, pages + 1)]
    assert start + pages == len(labels)


def test_agenda_links_go_to_the_parts_section_page(pdf_dir):
    reader = PdfReader(pdf_dir / "workshop-packet.pdf")
    labels = reader.page_labels
    agenda = reader.pages[own_pages(reader) - 1]
    links = [annotation.get_object() for annotation in agenda.get("/Annots", [])]
    targets = {str(link["/Dest"]): labels[reader.get_destination_page_number(reader.named_destinations[link["/Dest"]])]
               for link in links if "/Dest" in link}
    assert len(targets) >= 8 and not [link for link in links if "/A" in link]
    for name, label in targets.items():
        document, anchor = name.removeprefix("part-").split("--")
        part = PdfReader(pdf_dir / f"{document}.pdf")
        page = part.get_destination_page_number(part.named_destinations[f"s-{anchor}"])
        assert label == f"{TITLES[PARTS.index(document)]} {page + 1}", name


def text(pdf: Path) -> list[str]:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout.split("\f")[:-1]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is installed by .ci/run")
def test_packet_text_is_its_own_part_then_each_parts_text(pdf_dir):
    packet = text(pdf_dir / "workshop-packet.pdf")
    own = own_pages(PdfReader(pdf_dir / "workshop-packet.pdf"))
    assert "Facilitator agenda" in packet[own - 1]
    assert packet[own:] == [page for part in PARTS for page in text(pdf_dir / f"{part}.pdf")]


def test_joining_a_form_twice_is_refused(pdf_dir, tmp_path):
    agreement = Part("agreement", "Mentoring agreement", str(pdf_dir / "agreement.pdf"))
    own = Part("workshop-packet", "Mentee workshop packet", str(pdf_dir / "role-chart.pdf"))
    with pytest.raises(BundleError, match=re.escape("form field 'agreement.program' of agreement is already")):
        assemble_packet(own, [agreement, agreement], tmp_path / "twice.pdf")


def test_a_parts_role_map_comes_along(pdf_dir, tmp_path):
    with pikepdf.open(pdf_dir / "agreement.pdf") as pdf:
        pdf.Root.StructTreeRoot.RoleMap = pikepdf.Dictionary(Signature=pikepdf.Name.Form)
        pdf.save(tmp_path / "mapped.pdf")
    own = Part("workshop-packet", "Mentee workshop packet", str(pdf_dir / "role-chart.pdf"))
    assemble_packet(own, [Part("agreement", "Mentoring agreement", str(tmp_path / "mapped.pdf"))], tmp_path / "p.pdf")
    with pikepdf.open(tmp_path / "p.pdf") as packet:
        assert packet.Root.StructTreeRoot.RoleMap.Signature == pikepdf.Name.Form


AGENDA = """\
---
title: Agenda
---
Read <a class="page-ref" href="#part-guide--about">the guide</a> first.
"""


def packet_project(root: Path, agenda: str = AGENDA) -> Path:
    packet = {"id": "packet", "title": "Packet", "kind": "packet", "audience": "Trainers",
              "description": "For the session.", "sections": ["packet/agenda"], "bundle": ["guide"]}
    documents = {"documents": [*MINIMAL_DOCUMENTS["documents"], packet]}
    from tests.conftest import MINIMAL_SECTIONS

    return write_project(root, {"example": MINIMAL_PROGRAM}, {**MINIMAL_SECTIONS, "packet/agenda.md": agenda},
                         documents)


def test_a_packet_builds_strict_and_gives_the_same_bytes_twice(tmp_path):
    project = packet_project(tmp_path / "p")
    build(project, out=tmp_path / "a", jobs=1, cache_dir=False, strict=True)  # no warning: no missing anchor
    build(project, out=tmp_path / "b", jobs=2, cache_dir=False, strict=True)
    first, second = (tmp_path / out / "example" / "pdf" / "packet.pdf" for out in "ab")
    assert first.read_bytes() == second.read_bytes()
    reader = PdfReader(first)
    guide_pages = len(PdfReader(tmp_path / "a" / "example" / "pdf" / "guide.pdf").pages)
    assert reader.page_labels[-1] == f"Program guide {guide_pages}" and reader.metadata["/handbookdocument"] == "packet"


def test_a_link_to_a_section_the_part_lacks_is_a_warning(tmp_path):
    project = packet_project(tmp_path / "p", AGENDA.replace("guide--about", "guide--nowhere"))
    with pytest.warns(HandbookWarning, match="example: document packet: the link to guide--nowhere has no target"):
        build(project, out=tmp_path / "out", jobs=1, cache_dir=False)
    with pytest.raises(BuildError, match="guide--nowhere"):
        build(project, out=tmp_path / "strict", jobs=1, cache_dir=False, strict=True)


def test_editing_a_part_rejoins_the_packet_without_laying_out_its_own_part_again(tmp_path, monkeypatch):
    from generator.pdf import weasy

    project = packet_project(tmp_path / "p")
    build(project, out=tmp_path / "out", jobs=1, cache_dir=tmp_path / "cache")
    laid_out: list[str] = []
    render_pdf = weasy.render_pdf
    monkeypatch.setattr(weasy, "render_pdf", lambda job, *args: laid_out.append(job.document_id) or render_pdf(job, *args))
    (report,) = build(project, out=tmp_path / "out", jobs=1, cache_dir=tmp_path / "cache")
    assert laid_out == [] and report.rendered == []  # nothing changed: the joined packet comes from the cache
    with (project / "content" / "sections" / "guide" / "meetings.md").open("a") as section:
        section.write("\nBring your calendar.\n")
    (report,) = build(project, out=tmp_path / "out", jobs=1, cache_dir=tmp_path / "cache")
    assert laid_out == ["guide"] and report.rendered == ["guide", "packet"]
    assert "Bring your calendar." in PdfReader(tmp_path / "out" / "example" / "pdf" / "packet.pdf").pages[-1].extract_text()


@pytest.mark.parametrize("bundle, message", [
    (["guide", "guide"], "documents[2].bundle[1]: 'guide' is bundled twice"),
    (["packet"], "documents[2].bundle[0]: 'packet' is a packet itself"),
    (["guid"], "documents[2].bundle[0]: 'guid' is not a document"),
])
def test_a_bundle_names_each_document_once_and_no_packet(tmp_path, bundle, message):
    from generator.content import load_library
    from generator.errors import ContentError

    project = packet_project(tmp_path / "p")
    documents = project / "content" / "documents.yml"
    documents.write_text(documents.read_text().replace("  - guide\n", "".join(f"  - {d}\n" for d in bundle)))
    with pytest.raises(ContentError) as raised:
        load_library(project)
    assert message in str(raised.value) and "content/documents.yml:" in str(raised.value)


def test_the_agenda_names_the_section_each_activity_uses():
    """Each part keeps its own page numbers, so the printed agenda names the section (the running
    header of its pages) beside the document."""
    library, (program,) = load(REPO, ["san-jose-emp"])
    renderer = Renderer(library, program, "pdf")
    assert renderer.section_title("mentee-workbook", "receiving-feedback") == "Critical skill: receiving feedback"
    assert renderer.section_title("mentee-workbook", "nowhere") == renderer.section_title("nowhere", "x") == ""
    packet = next(spec for spec in renderer.published if spec.bundle)
    agenda = renderer.document(packet).sections[0].markdown
    assert ">Mentee workbook – Critical skill: receiving feedback</a>" in agenda
    assert ">Mentoring agreement</a>" in agenda  # a form's one section has the form's title: named once


@pytest.mark.parametrize("program", ["charlotte-sll", "nc-mentoring", "san-jose-emp"])
def test_the_agenda_fits_on_one_page_after_cover_and_contents(real_site, program):
    assert own_pages(PdfReader(real_site / program / "pdf" / "workshop-packet.pdf")) == 3
