"""`collect` reads only regular files of sensible size, finds *.PDF, and tells encrypted forms apart."""

from __future__ import annotations

import os
import resource
import subprocess
import sys

import pytest
from pypdf.generic import ArrayObject, NameObject, TextStringObject

import generator.collect as collect_module
from generator.cli import main
from generator.collect import FormReadError, Skipped, collect, field_value
from generator.collect_output import write_results
from generator.errors import HandbookError
from tests.conftest import REPO
from tests.security.collect_pdfs import form_pdf


def run_collect(*args, memory: int = 1 << 30):
    """`handbook collect` in a child with a memory cap, so a hang or a runaway read fails instead of harming."""
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    return subprocess.run([sys.executable, "-m", "generator", "collect", *map(str, args)], preexec_fn=limit,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True, timeout=120)


def test_a_fifo_named_pdf_is_skipped_not_waited_on(tmp_path):
    form_pdf(tmp_path / "a.pdf", {"agreement.goals": "kept"})
    os.mkfifo(tmp_path / "b.pdf")
    result = run_collect(tmp_path)  # before the fix this never returned (no writer ever opens the FIFO)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "b.pdf: not a regular file (a FIFO)" in result.stderr
    assert "kept" in result.stdout
    os.mkfifo(tmp_path / "named.pdf")
    (_, skipped) = collect([tmp_path / "named.pdf"])  # named on the command line: the same
    assert [item.reason for item in skipped] == ["not a regular file (a FIFO)"]


def test_a_symlink_to_dev_zero_is_skipped_before_reading(tmp_path):
    form_pdf(tmp_path / "a.pdf", {"agreement.goals": "kept"})
    (tmp_path / "zero.pdf").symlink_to("/dev/zero")
    result = run_collect(tmp_path)  # before the fix: MemoryError after eating the memory cap, no output
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "zero.pdf: not a regular file (a device)" in result.stderr
    assert "kept" in result.stdout


def test_a_huge_file_is_refused_by_its_size_without_reading_it(tmp_path):
    huge = tmp_path / "huge.pdf"
    with open(huge, "wb") as file:
        file.write(b"%PDF-1.7\n")
        file.truncate(collect_module.MAX_PDF_BYTES + 1)  # sparse: no disk space used
    result = run_collect(tmp_path, memory=collect_module.MAX_PDF_BYTES // 2 + (400 << 20))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "huge.pdf: too large" in result.stderr


def test_a_folder_named_pdf_and_a_dangling_link_are_reported(tmp_path):
    (tmp_path / "sub.pdf").mkdir()
    (tmp_path / "gone.pdf").symlink_to(tmp_path / "missing")
    (tmp_path / "loop.pdf").symlink_to(tmp_path / "loop.pdf")
    _, skipped = collect([tmp_path])
    reasons = {item.path.name: item.reason for item in skipped}
    assert reasons["sub.pdf"] == "not a regular file (a folder)"
    assert reasons["gone.pdf"].startswith("cannot read") and reasons["loop.pdf"].startswith("cannot read")


def test_pdfs_are_found_whatever_the_case_of_their_suffix(tmp_path):
    for name in ("a.pdf", "B.PDF", "c.Pdf"):
        form_pdf(tmp_path / name, {"agreement.goals": name})
    (tmp_path / "notes.txt").write_text("ignored")
    rows, skipped = collect([tmp_path])
    assert [row["file"] for row in rows] == ["B.PDF", "a.pdf", "c.Pdf"] and skipped == []


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256", "RC4-128"])
def test_an_encrypted_form_without_a_user_password_is_read(tmp_path, algorithm):
    form_pdf(tmp_path / "owner-only.pdf", {"agreement.goals": "readable"}, user_password="", algorithm=algorithm)
    rows, skipped = collect([tmp_path])
    assert skipped == [] and rows[0]["agreement.goals"] == "readable" and rows[0]["program"] == "example"


def test_an_encrypted_form_with_a_user_password_is_reported_as_encrypted(tmp_path):
    form_pdf(tmp_path / "locked.pdf", {"agreement.goals": "secret"}, user_password="letmein")
    rows, skipped = collect([tmp_path])
    assert rows == [] and len(skipped) == 1
    assert skipped[0].reason.startswith("encrypted") and "damaged" not in skipped[0].reason


def test_without_the_aes_library_the_reason_names_the_package(tmp_path, monkeypatch):
    import pypdf._encryption as encryption
    from pypdf._crypt_providers import _fallback
    paths = [form_pdf(tmp_path / f"{algorithm}.pdf", {"agreement.goals": "x"}, user_password="", algorithm=algorithm)
             for algorithm in ("AES-128", "AES-256")]
    for name in ("CryptAES", "aes_cbc_decrypt", "aes_cbc_encrypt", "aes_ecb_decrypt", "aes_ecb_encrypt"):
        monkeypatch.setattr(encryption, name, getattr(_fallback, name))  # as if cryptography were not installed
    for path in paths:
        with pytest.raises(FormReadError, match=r"encrypted with AES.*cryptography"):
            collect_module.read_form(path)


def test_cryptography_is_a_declared_dependency():
    import tomllib
    dependencies = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(dep.split(">")[0].split("=")[0].strip() == "cryptography" for dep in dependencies)


def test_hostile_file_names_do_not_reach_the_terminal_or_break_the_output(tmp_path):
    name = os.fsdecode(b"\x1b]0;owned\x07\xff\xfe\xe2\x80\xae.pdf")
    (tmp_path / name).write_text("not a pdf")
    form_pdf(tmp_path / os.fsdecode(b"ok-\xff.pdf"), {"agreement.goals": "kept"})
    rows, skipped = collect([tmp_path])
    assert "\x1b" not in str(skipped[0]) and "\x07" not in str(skipped[0]) and "\u202e" not in str(skipped[0])
    assert "\\x1b" in str(skipped[0])
    assert rows[0]["file"] == "ok-\ufffd.pdf"
    write_results(rows, tmp_path / "out.csv")  # encodable: no lone surrogates reach the file
    write_results(rows, tmp_path / "out.json")
    write_results(rows, tmp_path / "out.xlsx")


def test_a_huge_option_index_is_not_a_crash():
    field = {"/FT": NameObject("/Btn"), "/V": NameObject("/" + "9" * 5000),
             "/Opt": ArrayObject([TextStringObject("a")])}
    assert field_value(field) == "9" * 5000
    assert field_value({**field, "/V": NameObject("/\u00b2")}) == "\u00b2"  # a digit to isdigit(), not to int()


def test_an_unwritable_output_is_a_located_error_and_the_cli_prints_no_traceback(tmp_path, capsys):
    form_pdf(tmp_path / "a.pdf", {"agreement.goals": "kept"})
    (tmp_path / "out.csv").mkdir()
    with pytest.raises(HandbookError) as caught:
        write_results(collect([tmp_path])[0], tmp_path / "out.csv")
    assert caught.value.problems[0].location.file == str(tmp_path / "out.csv")
    assert main(["collect", str(tmp_path), "--out", str(tmp_path / "out.csv")]) == 1
    assert "cannot write" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []  # nothing half-written left


def test_skipped_reasons_print_as_one_line_each():
    assert str(Skipped(collect_module.Path("a\nb.pdf"), "not a PDF")) == "a\\nb.pdf: not a PDF"
