"""Building past one machine: `build --shard K/N` builds one part of the programs; `merge` joins the parts.

Every shard must choose the same partition on a different machine, so it balances only on what every
machine shares: the programs (sorted ids), the documents each publishes, and, when given explicitly
(`--balance-from DIR`, e.g. the last merged build), the page counts in DIR's manifests. Programs are
weighed in expected PDF pages (PDFs are most of a build), or in documents when no manifest says, and
dealt largest first to the lightest shard, ties broken by id and shard number.

A shard writes a record beside its programs (RECORD_FILE): K, N, the partition's inputs and a hash of
everything that decides the output bytes (handbook version, engines, generator, content, theme,
configuration, site engine, build date). `merge` refuses shards whose records disagree, so a shard
that balanced from another folder, or was built from another commit, cannot slip into a site.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import __version__
from generator.cache import atomic_write
from generator.config import Program
from generator.content import ContentLibrary
from generator.errors import BuildError, Location, Problem
from generator.output import remove_entry
from generator.projectfiles import MAX_TEXT_BYTES, RefusedFile, read_bytes

RECORD_FILE = "handbook-shard.json"  # not hidden: CI artifact uploads leave out dot files
RECORD_FORMAT = 1
_SHARD = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


@dataclass(frozen=True)
class Shard:
    """Shard `index` (1-based, as CI matrices and GitLab's CI_NODE_INDEX count) of `count`."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        match = _SHARD.fullmatch(text)
        if match is None or not 1 <= int(match[1]) <= int(match[2]):
            raise BuildError(Problem(Location("--shard"), "", f"expected K/N with 1 ≤ K ≤ N (e.g. 2/4), got {text!r}"))
        return cls(int(match[1]), int(match[2]))

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


@dataclass(frozen=True)
class ShardPlan:
    """The programs of one shard, and the inputs every shard must share to agree on them."""

    shard: Shard
    weights: dict[str, int]  # program id -> expected pages (or documents), for every program of the build
    basis: str  # "pages" (from manifests) or "documents"
    assigned: list[str]

    @property
    def inputs_hash(self) -> str:
        return digest({"shards": self.shard.count, "basis": self.basis, "weights": self.weights})


def digest(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def partition(weights: dict[str, int], count: int) -> list[list[str]]:
    """Programs dealt to `count` shards, heaviest first, each to the lightest shard (ties: lower id, then
    lower shard number); each shard's ids sorted. The same weights give the same partition anywhere."""
    shards: list[list[str]] = [[] for _ in range(count)]
    loads = [0] * count
    for program_id in sorted(weights, key=lambda pid: (-weights[pid], pid)):
        lightest = min(range(count), key=lambda n: (loads[n], n))
        shards[lightest].append(program_id)
        loads[lightest] += weights[program_id]
    return [sorted(ids) for ids in shards]


def plan_shard(shard: Shard, library: ContentLibrary, programs: list[Program],
               balance_from: Path | None = None) -> ShardPlan:
    """The programs shard K of N builds, out of `programs` (the whole build's selection)."""
    documents = {p.id: [d.id for d in library.published(p)] for p in programs}
    pages = manifest_pages(balance_from, sorted(documents)) if balance_from is not None else {}
    weights = expected_pages(documents, pages) if pages else {pid: len(ids) for pid, ids in documents.items()}
    weights = {pid: max(1, weight) for pid, weight in sorted(weights.items())}
    assigned = partition(weights, shard.count)[shard.index - 1]
    return ShardPlan(shard, weights, "pages" if pages else "documents", assigned)


def manifest_pages(folder: Path, program_ids: list[str]) -> dict[str, dict[str, int]]:
    """{program: {document: pages}} from FOLDER/<program>/manifest.json, for the programs that have one.
    A missing folder is an error, not a quiet fall-back: a shard that cannot see it would choose
    another partition than one that can. A missing or damaged manifest only leaves that program out."""
    folder = Path(folder)
    if not folder.is_dir():
        raise BuildError(Problem(Location(str(folder)), "--balance-from",
                                 "no such folder; every shard must balance from the same folder (or all from none)"))
    found = {}
    for program_id in program_ids:
        try:
            manifest = json.loads(read_bytes(folder / program_id / "manifest.json", folder, MAX_TEXT_BYTES,
                                             inside="the --balance-from folder"))
            found[program_id] = {str(d["id"]): int(d["pages"]) for d in manifest["documents"]}
        except (OSError, RefusedFile, ValueError, KeyError, TypeError):
            continue
    return found


def expected_pages(documents: dict[str, list[str]], pages: dict[str, dict[str, int]]) -> dict[str, int]:
    """Each program's expected pages: its documents' pages in its last manifest; a document it did not
    publish then, the mean of that document over the other programs; one nobody published, the mean
    pages of a document."""
    by_document: dict[str, list[int]] = {}
    for counts in pages.values():
        for document_id, count in counts.items():
            by_document.setdefault(document_id, []).append(count)
    overall = _mean(count for counts in by_document.values() for count in counts)
    weights = {}
    for program_id, document_ids in documents.items():
        known = pages.get(program_id, {})
        weights[program_id] = sum(
            known[d] if d in known else _mean(by_document[d]) if d in by_document else overall for d in document_ids)
    return weights


def _mean(values: Iterable[int]) -> int:
    values = list(values)
    return round(sum(values) / len(values)) if values else 1


def clear_record(out: Path) -> None:
    """Before any build into `out`: an old record would describe programs this build may replace.
    Whatever has the record's name goes, not followed if a link."""
    remove_entry(out / RECORD_FILE)


def write_record(out: Path, plan: ShardPlan, source: str) -> None:
    """The shard's record, written last: a shard that failed leaves none, and merge refuses its folder."""
    record = {"format": RECORD_FORMAT, "handbook": __version__, "shard": plan.shard.index,
              "shards": plan.shard.count, "programs": plan.assigned, "basis": plan.basis,
              "weights": plan.weights, "inputs": plan.inputs_hash, "source": source}
    atomic_write(out / RECORD_FILE, (json.dumps(record, indent=2, sort_keys=True) + "\n").encode())
    os.chmod(out / RECORD_FILE, 0o644)
