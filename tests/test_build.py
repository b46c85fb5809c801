"""The whole pipeline on a small real program: outputs, determinism, atomicity, offline."""

from __future__ import annotations

import copy
import json
import re
import socket
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.build import StageTimes, build
from generator.config import BuildError, ConfigError, ContentError
from generator.output import STAGING_PREFIX
from generator.render import Renderer
from tests.conftest import MINIMAL_DOCUMENTS, MINIMAL_PROGRAM, write_project


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("built")
    project = write_project(root / "project")
    out = root / "out"
    with pytest.MonkeyPatch.context() as patch:  # module-scoped: the environment is restored afterwards
        patch.setenv("SOURCE_DATE_EPOCH", "0")
        build(project, out=out)
    return project, out


def test_outputs_per_program(built):
    _, out = built
    program = out / "example"
    for path in ["index.html", "downloads.html", "guide/index.html", "guide/about.html", "guide/meetings.html",
                 "pdf/guide.pdf", "manifest.json", "search/search_index.json"]:
        assert (program / path).is_file(), path
    assert not (program / "pdf" / "extra.pdf").exists(), "optional document published without being included"
    index = (out / "index.html").read_text()
    assert 'href="example/index.html"' in index and "Example Mentoring" in index


def test_downloads_page_shows_each_pdfs_first_page(built):
    _, out = built
    page = (out / "example" / "downloads.html").read_text()
    thumbnail = out / "example" / "pdf" / "guide.png"
    assert thumbnail.read_bytes().startswith(b"\x89PNG")
    img = re.search(r'<img class="download-thumbnail" src="pdf/guide.png" alt="" width="80" height="(\d+)" '
                    r'loading="lazy">', page)
    assert img and 100 <= int(img[1]) <= 115  # a portrait page
    assert "Fillable form" not in page  # the guide has no form fields


def test_manifest_describes_each_pdf(built):
    _, out = built
    manifest = json.loads((out / "example" / "manifest.json").read_text())
    (doc,) = manifest["documents"]
    pdf = (out / "example" / doc["pdf"]).read_bytes()
    assert doc["id"] == "guide" and doc["kind"] == "guide" and doc["title"] == "Program guide"
    assert doc["pages"] == len(PdfReader(out / "example" / doc["pdf"]).pages) >= 2
    assert doc["form_fields"] == 0
    import hashlib
    assert doc["sha256"] == hashlib.sha256(pdf).hexdigest()


def test_pdf_and_site_say_the_same_facts(built):
    _, out = built
    text = "\n".join(page.extract_text() for page in PdfReader(out / "example" / "pdf" / "guide.pdf").pages)
    html = (out / "example" / "guide" / "meetings.html").read_text()
    for fact in ["twice a month", "2 hours"]:
        assert fact in text and fact in html
    assert "six months" in text


def test_pdf_has_title_author_language_and_outline(built):
    _, out = built
    reader = PdfReader(out / "example" / "pdf" / "guide.pdf")
    assert reader.metadata.title == "Program guide: Example Mentoring"
    assert reader.metadata.author == "City of Example"
    assert [item.title for item in reader.outline if not isinstance(item, list)][:2] == [
        "About Example Mentoring", "Meetings"]


def test_site_is_offline(built):
    _, out = built
    for page in (out / "example").rglob("*.html"):
        text = page.read_text()
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, page
        assert "cdn.jsdelivr" not in text and "unpkg.com" not in text, page


def test_two_builds_are_byte_identical(tmp_path):
    project = write_project(tmp_path / "project")
    build(project, out=tmp_path / "a")
    build(project, out=tmp_path / "b")
    a, b = tree_bytes(tmp_path / "a"), tree_bytes(tmp_path / "b")
    assert a.keys() == b.keys()
    assert [name for name in a if a[name] != b[name]] == []


def test_included_optional_document_is_built(tmp_path):
    data = {**copy.deepcopy(MINIMAL_PROGRAM), "documents": {"include": ["extra"], "exclude": []}}
    project = write_project(tmp_path / "project", {"example": data})
    build(project, out=tmp_path / "out")
    assert (tmp_path / "out" / "example" / "pdf" / "extra.pdf").is_file()


def test_unknown_document_id_in_program_is_located(tmp_path):
    data = {**copy.deepcopy(MINIMAL_PROGRAM), "documents": {"exclude": ["guid"]}}
    project = write_project(tmp_path / "project", {"example": data})
    with pytest.raises(ConfigError) as caught:
        build(project, out=tmp_path / "out")
    assert "documents.exclude[0]: 'guid' is not a document; did you mean 'guide'?" in str(caught.value)


def test_failed_build_leaves_previous_output_untouched(tmp_path):
    project = write_project(tmp_path / "project")
    out = tmp_path / "out"
    build(project, out=out)
    before = tree_bytes(out)
    (project / "content" / "sections" / "guide" / "meetings.md").write_text("---\ntitle: M\n---\n{{ nope }}\n")
    with pytest.raises(ContentError) as caught:
        build(project, out=out)
    assert str(caught.value.problems[0].location) == "content/sections/guide/meetings.md:4"
    assert tree_bytes(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".staging")]


def test_a_second_program_error_does_not_half_build_the_first(tmp_path):
    project = write_project(tmp_path / "project", {"good": MINIMAL_PROGRAM, "bad": {**MINIMAL_PROGRAM, "paper": "A5"}})
    with pytest.raises(ConfigError):
        build(project, out=tmp_path / "out")
    assert not (tmp_path / "out" / "good").exists()


def test_leftovers_of_a_killed_build_are_cleaned_and_swapped_out_program_restored(tmp_path):
    project = write_project(tmp_path / "project")
    out = tmp_path / "out"
    build(project, out=out)
    (out / "example").rename(out / ".staging-old-example")     # killed between the two renames
    (out / ".staging-example-x1").mkdir()                         # killed while staging
    (out / ".staging-example-x1" / "half.pdf").write_bytes(b"%PDF-")
    build(project, ["example"], out=out)
    assert (out / "example" / "index.html").is_file()
    assert sorted(p.name for p in out.iterdir()) == [".handbook.lock", "example", "index.html"]


def test_concurrent_build_into_the_same_folder_fails_clearly(tmp_path):
    import fcntl
    project = write_project(tmp_path / "project")
    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".handbook.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(BuildError, match="another build is writing to"):
            build(project, out=out)


def test_build_attempts_no_network_connection(tmp_path, monkeypatch):
    attempts = []

    real_connect = socket.socket.connect

    def refuse(self, address, *args):
        if self.family not in (socket.AF_INET, socket.AF_INET6):
            return real_connect(self, address, *args)
        attempts.append(address)
        raise OSError("network disabled in tests")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    project = write_project(tmp_path / "project")
    build(project, out=tmp_path / "out", jobs=1)  # in this process, where connect is watched
    assert attempts == []


def test_pdf_refuses_resources_outside_the_project(tmp_path):
    sections = {"guide/about.md": "---\ntitle: About\n---\n![x](https://example.org/x.png)\n\n![y](file:///etc/hostname)\n",
                "guide/meetings.md": "---\ntitle: M\n---\nok\n"}
    project = write_project(tmp_path / "project", sections=sections)
    with pytest.raises(BuildError) as caught:
        build(project, out=tmp_path / "out")
    text = str(caught.value)
    assert "refused to fetch https://example.org/x.png" in text and "file:///etc/hostname" in text


@pytest.mark.parametrize("jobs", [1, 2])
def test_build_leaves_no_temporary_files(tmp_path, monkeypatch, jobs):
    """WeasyPrint's font folders live in the engine's scratch folder, removed when it closes (worker
    processes end without the finalizers that would remove them)."""
    import tempfile

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    build(write_project(tmp_path / "project"), out=tmp_path / "out", jobs=jobs, cache_dir=False)
    # pymp-*: multiprocessing's own folder (forkserver socket), removed when the process exits
    assert [p.name for p in scratch.iterdir() if not p.name.startswith("pymp-")] == []


class RecordingEngine:
    """Takes PDF tasks without running them, noting the order they were sent in."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def submit(self, task):
        self.sent.append(task.job.document_id)
        return task


@pytest.mark.parametrize("last_pages, order", [
    (None, ["guide", "extra"]),  # no earlier build: by section count (2, 1)
    ({"guide": 3, "extra": 30}, ["extra", "guide"]),  # page counts of the last build's manifest.json
])
def test_the_longest_documents_are_sent_to_the_workers_first(tmp_path, last_pages, order):
    from generator.build import load, plan_pdfs
    from generator.cache import Cache
    from generator.project import Project

    program = {**MINIMAL_PROGRAM, "documents": {"include": ["extra"]}}
    project = write_project(tmp_path / "project", {"example": program})
    out = tmp_path / "out"
    (out / "example").mkdir(parents=True)
    if last_pages:
        documents = [{"id": doc, "pages": pages} for doc, pages in last_pages.items()]
        (out / "example" / "manifest.json").write_text(json.dumps({"documents": documents}))
    library, (loaded,) = load(project)
    engine = RecordingEngine()
    plan = plan_pdfs(loaded, library, Project.load(project), out, Cache(None, project), engine)
    assert engine.sent == order
    assert [spec.id for spec, _ in plan.pdfs] == ["guide", "extra"]  # collected (and listed) in document order


def test_a_stage_inside_another_counts_for_itself_only(monkeypatch):
    clock = iter([0.0, 1.0, 4.0, 10.0])  # site starts, pdf starts, pdf ends, site ends
    monkeypatch.setattr("generator.build.time.perf_counter", lambda: next(clock))
    times = StageTimes()
    with times.stage("site"), times.stage("pdf"):
        pass
    assert times == {"pdf": 3.0, "site": 7.0}


def test_a_document_that_fails_to_render_leaves_no_staging_folder_behind(tmp_path, monkeypatch):
    """PDFs go to the workers as each document is rendered: when a later one fails, those already sent are
    waited for (or cancelled), so none writes into the staging folder after it is removed."""
    documents = copy.deepcopy(MINIMAL_DOCUMENTS)
    for document in documents["documents"]:
        document.pop("default", None)
    project = write_project(tmp_path / "p", documents=documents)
    real_document = Renderer.document

    def failing_second(self, spec):
        if spec.id == "extra":
            raise BuildError("the extra notes do not render")
        return real_document(self, spec)

    monkeypatch.setattr(Renderer, "document", failing_second)
    monkeypatch.setattr("generator.pdfplan.expected_pages", lambda output, specs: [2 if s.id == "guide" else 1
                                                                                 for s in specs])
    out = tmp_path / "out"
    with pytest.raises(BuildError, match="do not render"):
        build(project, out=out, jobs=2, cache_dir=False)
    time.sleep(1.5)  # long enough for a PDF still rendering to have been written
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(STAGING_PREFIX)) == []
