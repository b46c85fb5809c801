"""Every form PDF of a real build has a well-formed field tree: readers that walk /AcroForm (qpdf's
and pikepdf's form helpers) meet each field once, with no warning, and each radio group is one
field whose buttons are its widget kids. WeasyPrint lists every radio button both as a field of
its own and as a kid of its group; generator/pdf/acroform.py normalize_acroform repairs that."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pikepdf  # the [test] extra
import pytest
from pikepdf.form import Form, RadioButtonGroup
from pypdf import PdfReader, PdfWriter

from generator.collect import collect
from generator.pdf.acroform import finish_pdf

RADIO_FORMS = {"evaluation", "statement-of-interest"}


def form_pdfs(site: Path) -> list[Path]:
    """Every PDF of the build that has fillable fields."""
    found = []
    for path in sorted(site.glob("*/pdf/*.pdf")):
        with pikepdf.open(path) as pdf:
            if "/AcroForm" in pdf.Root:
                found.append(path)
    return found


@pytest.fixture(scope="module")
def forms(real_site: Path) -> list[Path]:
    found = form_pdfs(real_site)
    assert {p.stem for p in found} >= RADIO_FORMS | {"agreement", "journal"}
    return found


def declared_radio_groups(site: Path, pdf: Path) -> dict[str, set[str]]:
    """The radio groups (name -> option values) the site's web form of this document declares: the
    same HTML WeasyPrint made the PDF from."""
    groups: dict[str, set[str]] = defaultdict(set)
    for page in (pdf.parent.parent / pdf.stem).glob("*.html"):
        for tag in re.findall(r'<input type="radio"[^>]*>', page.read_text(encoding="utf-8")):
            name = re.search(r'name="([^"]+)"', tag).group(1)
            groups[name].add(re.search(r'value="([^"]*)"', tag).group(1))
    return groups


def test_pikepdf_walks_every_form_without_warnings(forms, real_site):
    radio_forms = set()
    for path in forms:
        with pikepdf.open(path) as pdf:
            form = Form(pdf)
            names = [name for name, _ in form.items()]
            assert len(names) == len(set(names)), f"{path}: a field listed twice"
            radios = {name: field for name, field in form.items() if isinstance(field, RadioButtonGroup)}
            # The field tree's roots: none of them is a kid of another field.
            for root in pdf.Root.AcroForm.Fields:
                assert "/Parent" not in root, f"{path}: {root.get('/T')} is both a root field and a kid"
            assert pdf.get_warnings() == [], f"{path}: {pdf.get_warnings()[:3]}"
        declared = declared_radio_groups(real_site, path)
        assert set(radios) == set(declared), path
        for name, group in radios.items():
            assert len(group.options) == len(declared[name]) >= 2, f"{path}: {name}"
        if radios:
            radio_forms.add(path.stem)
    assert radio_forms == RADIO_FORMS


def test_qpdf_form_helper_sees_one_field_per_radio_group(forms):
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf is installed by .ci/run")
    for path in forms:
        result = subprocess.run(["qpdf", "--json", "--json-key=acroform", str(path)],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0 and result.stderr == "", f"{path}: {result.stderr[:500]}"
        widgets = json.loads(result.stdout)["acroform"]["fields"]
        parents: dict[str, set[str]] = defaultdict(set)
        for widget in widgets:
            if widget["isradiobutton"]:
                # A button is a widget of its group: no name of its own, the group as parent.
                assert widget["partialname"] == "" and widget["parent"], f"{path}: {widget}"
                parents[widget["fullname"]].add(widget["parent"])
        assert all(len(groups) == 1 for groups in parents.values()), f"{path}: {parents}"
        assert qpdf_check(path) == 0, path


def qpdf_check(path: Path) -> int:
    return subprocess.run(["qpdf", "--check", str(path)], capture_output=True, check=False).returncode


def test_normalizing_weasyprints_radio_groups_directly():
    """The repair itself, on a form straight from WeasyPrint."""
    from weasyprint import HTML

    html = ('<form><p><label><input type="radio" name="f.pick" value="A"> A</label>'
            '<label><input type="radio" name="f.pick" value="B" checked> B</label>'
            '<label><input type="text" name="f.note" title="Note"> Note</label></p></form>')
    raw = HTML(string=html).write_pdf(pdf_forms=True)
    with pikepdf.open(io.BytesIO(raw)) as pdf:  # what WeasyPrint writes: buttons twice in the tree
        Form(pdf)
        assert any("loop detected" in w for w in pdf.get_warnings())
    fixed, count = finish_pdf(raw, "test/form")
    assert count == 2
    with pikepdf.open(io.BytesIO(fixed)) as pdf:
        form = Form(pdf)
        assert sorted(name for name, _ in form.items()) == ["f.note", "f.pick"]
        assert len(pdf.Root.AcroForm.Fields) == 2
        assert pdf.get_warnings() == []
    fields = PdfReader(io.BytesIO(fixed)).get_fields()
    assert fields["f.pick"]["/V"] == "/1" and list(fields["f.pick"]["/Opt"]) == ["A", "B"]


def test_collect_reads_every_radio_group_after_the_repair(forms, tmp_path):
    """Fill every radio group of the radio forms (last option) and read them back with collect."""
    expected: dict[str, dict[str, str]] = {}
    for path in forms:
        if path.stem not in RADIO_FORMS or path.parent.parent.name != "charlotte-sll":
            continue
        reader = PdfReader(path)
        values, wanted = {}, {}
        for name, field in (reader.get_fields() or {}).items():
            if field.get("/FT") == "/Btn" and "/Opt" in field:
                options = [str(o) for o in field["/Opt"]]
                values[name] = f"/{len(options) - 1}"
                wanted[name] = options[-1]
        assert wanted, path
        writer = PdfWriter(clone_from=reader)
        for page in writer.pages:
            writer.update_page_form_field_values(page, values, auto_regenerate=False)
        writer.write(tmp_path / path.name)
        expected[path.stem] = wanted
    assert set(expected) == RADIO_FORMS
    rows, skipped = collect([tmp_path])
    assert skipped == []
    for row in rows:
        for name, value in expected[row["form"]].items():
            assert row[name] == value, (row["form"], name)
