"""`handbook merge DIR ... --out DIR`: the outputs of `build --shard K/N` joined into one site folder.

Every shard's record (generator/shard.py) is read and checked against the others before anything
is written: the same handbook version, source and partition inputs, every shard 1..N exactly once,
no program in two shards, every program's folder present. Then each program is copied into a
staging folder in --out and, once all are copied, swapped into place (generator/output.py), and
the programs index written: a merge that fails leaves --out as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import BuildError, Location, Problem
from generator.output import build_lock, new_staging, publish, remove_leftovers
from generator.projectfiles import MAX_TEXT_BYTES, RefusedFile, read_bytes
from generator.shard import RECORD_FILE, RECORD_FORMAT, clear_record, digest, partition
from generator.site import write_programs_index

AGREED = {"handbook": "handbook version", "shards": "number of shards",
          "source": "source (engines, generator, content, theme, program files, site engine or build date)",
          "inputs": "partition inputs (programs, documents, or the --balance-from manifests)"}


@dataclass(frozen=True)
class ShardOutput:
    folder: Path
    record: dict[str, Any]

    @property
    def where(self) -> Location:
        return Location(str(self.folder / RECORD_FILE))

    @property
    def label(self) -> str:
        return f"{self.record['shard']}/{self.record['shards']} ({self.folder})"


def merge(folders: list[Path], out: Path, theme: Path) -> list[str]:
    """Copy the programs of every shard into `out`, write its programs index (styled from the project's
    `theme`, as a full build's); the merged program ids."""
    out = out.resolve()
    shards = [read_shard(folder) for folder in folders]
    problems = [problem for shard in shards for problem in check_out(shard.folder, out)]
    problems += check_together(shards) or [problem for shard in shards for problem in check_folders(shard)]
    if problems:
        raise BuildError(problems)
    out.mkdir(parents=True, exist_ok=True)
    with build_lock(out):
        remove_leftovers(out)
        staged = []
        try:
            for shard in shards:
                for program_id in shard.record["programs"]:
                    staged.append((new_staging(out, program_id), program_id))
                    copy_program(shard, program_id, staged[-1][0])
            clear_record(out)  # a shard folder merged into: the record no longer describes it
            for staging, program_id in staged:
                publish(staging, out / program_id)
        finally:
            for staging, _ in staged:
                shutil.rmtree(staging, ignore_errors=True)
        write_programs_index(out, theme)
    return sorted(program_id for _, program_id in staged)


def read_shard(folder: Path) -> ShardOutput:
    """The shard record in `folder`, checked for shape and against its own inputs."""
    folder = folder.resolve()
    where = Location(str(folder / RECORD_FILE))
    if not os.path.lexists(folder / RECORD_FILE):
        raise BuildError(Problem(where, "", "no shard record: not the output of `handbook build --shard K/N`, "
                                            "or that build failed"))
    try:
        record = json.loads(read_bytes(folder / RECORD_FILE, folder, MAX_TEXT_BYTES, inside="the shard folder"))
    except (OSError, RefusedFile, ValueError) as error:
        raise BuildError(Problem(where, "", f"cannot read the shard record: {error}")) from None
    problem = record_problem(record)
    if problem:
        raise BuildError(Problem(where, problem[0], problem[1]))
    return ShardOutput(folder, record)


def record_problem(record: Any) -> tuple[str, str] | None:
    """(field, message) for a record that is not one `build --shard` writes, else None."""
    if not isinstance(record, dict) or record.get("format") != RECORD_FORMAT:
        return "format", f"not a shard record of format {RECORD_FORMAT}"
    kinds = {"handbook": str, "shard": int, "shards": int, "programs": list, "basis": str, "weights": dict,
             "inputs": str, "source": str}
    for name, kind in kinds.items():
        if not isinstance(record.get(name), kind) or isinstance(record.get(name), bool):
            return name, f"missing, or not a {kind.__name__}"
    weights = record["weights"]
    if not all(isinstance(w, int) and not isinstance(w, bool) for w in weights.values()):
        return "weights", "not a number per program"
    if not 1 <= record["shard"] <= record["shards"]:
        return "shard", f"{record['shard']} is not between 1 and {record['shards']}"
    if record["inputs"] != digest({"shards": record["shards"], "basis": record["basis"], "weights": weights}):
        return "inputs", "does not match the record's own weights: the record was changed after the build"
    if record["programs"] != partition(weights, record["shards"])[record["shard"] - 1]:
        return "programs", "not the programs its partition gives: the record was changed after the build"
    return None


def check_out(folder: Path, out: Path) -> list[Problem]:
    if out == folder or folder in out.parents or out in folder.parents:
        return [Problem(Location(str(out)), "--out", f"overlaps the shard folder {folder}; merge into a new folder")]
    return []


def check_together(shards: list[ShardOutput]) -> list[Problem]:
    """Problems of shards that do not make one build: built differently, a shard twice or missing."""
    if not shards:
        return [Problem(Location("merge"), "", "no shard folders given")]
    first = shards[0]
    problems = [Problem(shard.where, name, f"different {what} from shard {first.label}")
                for shard in shards[1:] for name, what in AGREED.items() if shard.record[name] != first.record[name]]
    if problems:
        return problems
    seen: dict[int, ShardOutput] = {}
    for shard in shards:
        if shard.record["shard"] in seen:
            problems.append(Problem(shard.where, "shard", f"shard {shard.label} is given twice: "
                                                          f"also {seen[shard.record['shard']].folder}"))
        seen[shard.record["shard"]] = shard
    every = partition(first.record["weights"], first.record["shards"])
    for index, programs in enumerate(every, start=1):
        if index not in seen:
            names = ", ".join(programs) or "no programs"
            problems.append(Problem(Location("merge"), "", f"shard {index}/{first.record['shards']} is missing "
                                                          f"(its programs: {names}); give every shard's folder"))
    return problems


def check_folders(shard: ShardOutput) -> list[Problem]:
    """Each program of the shard has a real folder with its manifest."""
    problems = []
    for program_id in shard.record["programs"]:
        folder = shard.folder / program_id
        if folder.is_symlink() or not folder.is_dir() or not (folder / "manifest.json").is_file():
            problems.append(Problem(Location(str(folder)), "", f"program {program_id} of shard {shard.label} is "
                                                               "missing or incomplete (no manifest.json)"))
    return problems


def copy_program(shard: ShardOutput, program_id: str, target: Path) -> None:
    """Copy a program's folder; only folders and regular files (a build writes nothing else), and no
    link is followed, so nothing outside the shard folder is read."""
    source = shard.folder / program_id
    for root, folders, files in os.walk(source):
        here = Path(root)
        destination = target / here.relative_to(source)
        destination.mkdir(exist_ok=True)
        for name in sorted(folders + files):
            mode = os.lstat(here / name).st_mode
            if stat.S_ISDIR(mode):
                continue
            if not stat.S_ISREG(mode):
                raise BuildError(Problem(Location(str(here / name)), "", f"in shard {shard.label}: not a regular "
                                                                         "file or folder; a build writes no other"))
            shutil.copyfile(here / name, destination / name, follow_symlinks=False)
