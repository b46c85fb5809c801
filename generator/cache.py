"""Content-hash cache for the slow stage (WeasyPrint) and for whole program sites.

A PDF's key hashes everything that can change its bytes: the document HTML, the program's page
CSS, the theme folder (print CSS, fonts), every project file the HTML points at (the logo), the
generator's own source and the engine versions. Entries are written atomically (temp file, then
rename; the metadata last) and verified on read (size and sha256), so a killed build or a
damaged file is never trusted, only ignored and rebuilt. Texts (converted and rendered pages) are
kept in one SQLite database instead (TextCache).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sqlite3
import stat
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import replace
from html import unescape as html_unescape
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.pdf.result import PdfResult
from generator.pdf.thumbnail import THUMBNAIL_SUFFIX, Thumbnail
from generator.project import SITE_SETTINGS_FILE, THEME_DIR
from generator.projectfiles import (
    MAX_RESOURCE_BYTES,
    MAX_TEXT_BYTES,
    RefusedFile,
    checked,
    file_url_path,
    hash_into,
    read_bytes,
)

ENGINE_PACKAGES = ("weasyprint", "pydyf", "pypdf", "pikepdf", "tinycss2", "cssselect2", "fonttools", "markdown",
                   "mkdocs", "mkdocs-material", "pymdown-extensions", "jinja2",
                   "pypdfium2", "pillow")  # the last two draw the thumbnails
_FILE_URL = re.compile(r"file://([^\"'()\s<>]+)")


def _hash_files(paths: Iterable[Path], digest: Any, root: Path) -> None:
    """Hash each regular file whose real path is inside `root`, in chunks; anything else (a
    folder, a FIFO, a device, a link leading out of `root`) is never opened."""
    for path in sorted(paths):
        file_digest = hashlib.sha256()
        if hash_into(file_digest, path, root):
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(file_digest.digest())


def _referenced_files(html: str, project: Path) -> list[Path]:
    """Project files that file:// URLs in the HTML name, decided on real paths (links resolved)
    before anything is read: a URL leading outside the project, also through '..' or a link,
    is not read here (and the PDF engine refuses it). Its text is part of the HTML, so of the key."""
    root = project.resolve()
    found = set()
    for url in set(_FILE_URL.findall(html)):
        path = file_url_path("file://" + html_unescape(url))  # as the engine reads the attribute
        if path is None:
            continue
        try:
            real = checked(path, root, MAX_RESOURCE_BYTES)
        except RefusedFile:
            continue
        found.add(real)
    return sorted(found)


def fingerprint(project: Path) -> str:
    """What every cache key shares: engine versions, generator source, theme files, site config."""
    digest = hashlib.sha256()
    for name in ENGINE_PACKAGES:
        try:
            digest.update(f"{name}={metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none\n".encode())
    package = Path(__file__).resolve().parent
    _hash_files(package.rglob("*.py"), digest, package)
    _hash_files((project / THEME_DIR).rglob("*"), digest, project)
    _hash_files([project / SITE_SETTINGS_FILE], digest, project)
    return digest.hexdigest()


SOURCE_FOLDERS = ("content", "program-config")  # the rest of the source is in the fingerprint


def source_hash(project: Path, site_engine: str, build_epoch: int, base: str | None = None) -> str:
    """Everything besides the program list that decides a build's bytes: engines, generator, theme,
    mkdocs.yml (the fingerprint, `base` when already known), content, program files, site engine and
    build date."""
    base = fingerprint(project) if base is None else base
    hasher = hashlib.sha256(f"{base}\n{site_engine}\n{build_epoch}\n".encode())
    for name in SOURCE_FOLDERS:
        for path in sorted((project / name).rglob("*")):
            file_digest = hashlib.sha256()
            if hash_into(file_digest, path, project):
                hasher.update(f"{path.relative_to(project)}\0{file_digest.hexdigest()}\n".encode())
    return hasher.hexdigest()


class Cache:
    """PDFs by content hash, site pages and converted Markdown by what they are made of (TextCache), the
    last-built key of each program's site, and of each whole program."""

    def __init__(self, folder: Path | None, project: Path):
        self.folder = folder
        self.project = project
        self.salt = fingerprint(project) if folder is not None else ""
        self._texts: TextCache | None = None

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def _digest(self, inputs: Iterable[str]) -> hashlib._Hash:
        return salted_digest(self.salt, inputs)

    def pdf_key(self, html: str, program_css: str, identifier: str) -> str:
        digest = self._digest((html, program_css, identifier))
        root = self.project.resolve()
        _hash_files(_referenced_files(html, root), digest, root)
        return digest.hexdigest()

    def joined_key(self, inputs: list[str]) -> str:
        """The key of a PDF joined from others (a packet): what each input is, with its bytes' sha256."""
        return self._digest(inputs).hexdigest()

    def get_pdf(self, key: str, document_id: str) -> PdfResult | None:
        """A verified entry, or None (missing, partial or damaged entries are ignored)."""
        if self.folder is None:
            return None
        pdf, meta = pdf_entry_paths(self.folder, key)
        try:  # regular files only (a FIFO planted in the cache must not hang the build)
            info = json.loads(read_bytes(meta, self.folder, MAX_TEXT_BYTES))
            data = read_bytes(pdf, self.folder, int(info["size"]))
            if len(data) != info["size"] or hashlib.sha256(data).hexdigest() != info["sha256"]:
                return None
            result = PdfResult(document_id, str(pdf), int(info["pages"]), info["size"], info["sha256"],
                               int(info["fields"]), cached=True)
            return _with_cached_thumbnail(result, info.get("thumbnail"), self.folder, key)
        except (OSError, ValueError, KeyError, TypeError, RefusedFile):
            return None


    def texts(self) -> TextCache | None:
        """The text cache, one per Cache (one database connection for the build)."""
        if self.folder is not None and self._texts is None:
            self._texts = TextCache(self.folder, self.salt)
        return self._texts

    def site_key(self, docs_dir: Path, config: dict[str, Any], pdf_keys: list[str]) -> str:
        """The staged pages and configuration, and the keys of the PDFs published with them (the pages that
        show the PDFs are staged with placeholders, and the PDFs may still be rendering)."""
        digest = hashlib.sha256(self.salt.encode())
        stable = {k: v for k, v in config.items() if k not in ("docs_dir", "site_dir")}
        digest.update(json.dumps([stable, pdf_keys], sort_keys=True, default=str).encode())
        _hash_files(docs_dir.rglob("*"), digest, docs_dir)
        return digest.hexdigest()

    def site_is_current(self, key: str, output: Path) -> bool:
        """The program's published site was built from these pages and is still whole."""
        return self._remembered("sites", output) == key and whole_output(output) is not None

    def remember_site(self, key: str, output: Path) -> None:
        self._remember("sites", output, key)

    def program_key(self, source: str, program_id: str, logo: Path | None) -> str:
        """A whole program's inputs: the build's source hash (generator/cache.py source_hash), its id,
        and its logo's bytes (which may lie outside the folders the source hash reads)."""
        digest = self._digest((source, program_id))
        if logo is not None:
            _hash_files([logo], digest, self.project.resolve())
        return digest.hexdigest()

    def current_program(self, key: str, output: Path) -> list[PdfResult] | None:
        """The PDFs of a program output built from these very inputs and still whole, or None: the
        program is built again."""
        if self._remembered("programs", output) != key:
            return None
        return whole_output(output)

    def remember_program(self, key: str, output: Path) -> None:
        self._remember("programs", output, key)

    # Keys are kept per output folder: a program built into two folders in turn must not pass for
    # current in one because the other is.
    def _key_file(self, kind: str, output: Path) -> Path:
        assert self.folder is not None
        name = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:16]
        return self.folder / kind / f"{output.name}-{name}.key"

    def _remembered(self, kind: str, output: Path) -> str | None:
        if self.folder is None:
            return None
        try:
            return self._key_file(kind, output).read_text(encoding="utf-8")
        except OSError:
            return None

    def _remember(self, kind: str, output: Path, key: str) -> None:
        if self.folder is not None:
            atomic_write(self._key_file(kind, output), key.encode())


def whole_output(output: Path) -> list[PdfResult] | None:
    """A published program's PDFs as its manifest lists them, when the manifest reads and every PDF is
    there at its size (a file deleted or cut short since makes the program build again); else None."""
    try:
        manifest = json.loads(read_bytes(output / "manifest.json", output, MAX_TEXT_BYTES))
        results = [PdfResult(entry["id"], str(output / entry["pdf"]), int(entry["pages"]), int(entry["bytes"]),
                             entry["sha256"], int(entry["form_fields"]), cached=True)
                   for entry in manifest["documents"]]
        if all(Path(r.path).is_file() and Path(r.path).stat().st_size == r.size for r in results):
            return results
    except (OSError, ValueError, KeyError, TypeError, RefusedFile):
        pass
    return None


def pdf_entry_paths(folder: Path, key: str) -> tuple[Path, Path]:
    sub = folder / "pdf" / key[:2]
    return sub / f"{key}.pdf", sub / f"{key}.json"


def thumbnail_entry_path(folder: Path, key: str) -> Path:
    return pdf_entry_paths(folder, key)[0].with_suffix(THUMBNAIL_SUFFIX)


def _with_cached_thumbnail(result: PdfResult, info: Any, folder: Path, key: str) -> PdfResult:
    """The cached PDF with its thumbnail (when it was stored with one), verified like the PDF: a thumbnail
    missing or damaged is a cache miss (ValueError), so the PDF and its thumbnail are rendered again."""
    if info is None:
        return result
    path = thumbnail_entry_path(folder, key)
    data = read_bytes(path, folder, int(info["size"]))
    if len(data) != info["size"] or hashlib.sha256(data).hexdigest() != info["sha256"]:
        raise ValueError("damaged thumbnail")
    return replace(result, thumbnail=str(path), thumbnail_size=(int(info["width"]), int(info["height"])))


def salted_digest(salt: str, inputs: Iterable[str]) -> hashlib._Hash:
    """A key of the inputs, each hashed on its own (so no two lists of inputs run together), after the salt."""
    digest = hashlib.sha256(salt.encode())
    for part in inputs:
        digest.update(hashlib.sha256(part.encode()).digest())
    return digest


class TextCache:
    """Texts by a key of everything they are made of, so that an unchanged one is not made again: the
    theme's HTML of a site page whose content, title, table of contents, navigation and configuration are
    unchanged (kind "html", site/mkdocs_events.py), the HTML a site page's Markdown converts to, with what
    MkDocs learns converting it ("json", ibid.), a site page's search entries ("search", ibid.), and a
    section's print HTML ("print", pdf/html.py). Keys start with the cache's salt (engine versions,
    generator and theme files). Beside them, the content's and the theme's compiled templates
    (generator.templating.CompiledTemplates).

    The entries live in one SQLite database (texts.sqlite), not a file each: a cold build writes a few
    hundred, and creating a file cost 1-1.5 ms of kernel time apiece, a tenth of the main process's time.
    Write-ahead logging keeps a killed build from damaging it and lets two builds share it; a database
    that is damaged anyway is started afresh, and one that is not a regular file (a link, a FIFO planted
    in the cache) is never opened: the build then runs without the text cache."""

    FILE = "texts.sqlite"

    def __init__(self, folder: Path, salt: str):
        self.folder = folder
        self.salt = salt
        self._lock = threading.Lock()  # serve renders from more than one thread
        self._db: sqlite3.Connection | None = None
        self._usable = True

    def key(self, inputs: Iterable[str]) -> str:
        return salted_digest(self.salt, inputs).hexdigest()

    def get(self, key: str, kind: str = "html") -> str | None:
        found = self._read("SELECT text FROM texts WHERE key = ? AND kind = ?", (key, kind))
        return found if isinstance(found, str) else None

    def put(self, key: str, text: str, kind: str = "html") -> None:
        self._write("INSERT OR REPLACE INTO texts (key, kind, text) VALUES (?, ?, ?)", (key, kind, text))

    def get_compiled(self, key: str) -> bytes | None:
        """A compiled template (generator.templating.CompiledTemplates) by its name and source checksum."""
        found = self._read("SELECT code FROM compiled WHERE key = ?", (key,))
        return found if isinstance(found, bytes) else None

    def put_compiled(self, key: str, code: bytes) -> None:
        self._write("INSERT OR REPLACE INTO compiled (key, code) VALUES (?, ?)", (key, code))

    def _read(self, query: str, args: tuple[str, ...]) -> object:
        with self._lock:
            db = self._connection()
            if db is None:
                return None
            try:
                row = db.execute(query, args).fetchone()
            except sqlite3.Error:
                return None
        return row[0] if row else None

    def _write(self, query: str, args: tuple[str | bytes, ...]) -> None:
        with self._lock:
            db = self._connection()
            if db is not None:
                with contextlib.suppress(sqlite3.Error):  # busy past the timeout, or a full disk: made again next time
                    db.execute(query, args)

    def entries(self) -> set[tuple[str, str]]:
        """Every (key, kind) stored."""
        with self._lock:
            db = self._connection()
            return set(db.execute("SELECT key, kind FROM texts").fetchall()) if db is not None else set()

    def _connection(self) -> sqlite3.Connection | None:
        if self._db is None and self._usable:
            path = self.folder / self.FILE
            if not all(_regular_or_absent(Path(f"{path}{suffix}")) for suffix in ("", "-wal", "-shm")):
                self._usable = False
                return None
            try:
                self._db = _open_texts(path)
            except sqlite3.DatabaseError:  # damaged: start afresh, once
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
                try:
                    self._db = _open_texts(path)
                except sqlite3.Error:
                    self._usable = False
        return self._db


def _open_texts(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")  # with WAL: no fsync per write, and still never damaged
        db.execute("CREATE TABLE IF NOT EXISTS texts (key TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL,"
                   " PRIMARY KEY (key, kind)) WITHOUT ROWID")
        db.execute("CREATE TABLE IF NOT EXISTS compiled (key TEXT PRIMARY KEY, code BLOB NOT NULL) WITHOUT ROWID")
    except sqlite3.Error:
        db.close()
        raise
    return db


def _regular_or_absent(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except FileNotFoundError:
        return True


def store_pdf(folder: Path, key: str, data: bytes, pages: int, fields: int, thumbnail: Thumbnail | None = None) -> None:
    """Add a verified entry (safe to call from worker processes: nothing but files is shared)."""
    pdf, meta = pdf_entry_paths(folder, key)
    info: dict[str, Any] = {"pages": pages, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
                            "fields": fields}
    atomic_write(pdf, data)
    if thumbnail is not None:
        info["thumbnail"] = {"sha256": hashlib.sha256(thumbnail.data).hexdigest(), "size": len(thumbnail.data),
                             "width": thumbnail.width, "height": thumbnail.height}
        atomic_write(thumbnail_entry_path(folder, key), thumbnail.data)
    atomic_write(meta, json.dumps(info).encode())  # last: an entry counts only once this exists


def atomic_write(path: Path, data: bytes) -> None:
    try:
        handle, temp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    except FileNotFoundError:  # the first entry in its folder: make the folder only then (a syscall saved per write)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
