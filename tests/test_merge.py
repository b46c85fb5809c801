"""merge: shards built apart join into the same bytes as one build, and shards that do not fit are refused."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from generator.build import build
from generator.errors import BuildError
from generator.merge import merge
from generator.shard import RECORD_FILE, Shard, ShardPlan, partition, write_record
from tests.conftest import MINIMAL_PROGRAM, REPO, write_project
from tests.test_build import tree_bytes

THEME = REPO / "theme"  # what styles the programs index
WEIGHTS = {"a": 3, "b": 2, "c": 2, "d": 1}


def fake_shards(root: Path, weights: dict[str, int] = WEIGHTS, count: int = 3, source: str = "same") -> list[Path]:
    """Shard folders as `build --shard` leaves them (a manifest and a page per program), without building."""
    folders = []
    for index, assigned in enumerate(partition(weights, count), start=1):
        folder = root / f"shard-{index}"
        for program_id in assigned:
            (folder / program_id / "pdf").mkdir(parents=True)
            manifest = {"program": program_id, "name": f"Program {program_id}", "agency": "Agency", "documents": []}
            (folder / program_id / "manifest.json").write_text(json.dumps(manifest))
            (folder / program_id / "index.html").write_text(f"<p>{program_id}</p>")
        folder.mkdir(parents=True, exist_ok=True)
        write_record(folder, ShardPlan(Shard(index, count), weights, "documents", assigned), source)
        folders.append(folder)
    return folders


def edit_record(folder: Path, **changes) -> None:
    record = json.loads((folder / RECORD_FILE).read_text())
    (folder / RECORD_FILE).write_text(json.dumps({**record, **changes}))


def test_three_shards_merged_equal_one_full_build_byte_for_byte(tmp_path, monkeypatch):
    """Each shard builds on its own 'machine' (own output and PDF cache, so every PDF is rendered again:
    a shared cache would hand the shards the full build's bytes), then merge joins them."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    programs = {f"p{n}": {**MINIMAL_PROGRAM, "name": f"Program {n}", "edition": str(2027 + n),
                          "documents": {"include": ["extra"] if n % 2 else []}} for n in range(4)}
    project = write_project(tmp_path / "project", programs)
    full = tmp_path / "full"
    build(project, out=full, jobs=1, cache_dir=tmp_path / "cache-full")
    shards = []
    for index in (1, 2, 3):
        shards.append(tmp_path / f"shard-{index}")
        reports = build(project, out=shards[-1], jobs=1, cache_dir=tmp_path / f"cache-{index}", shard=Shard(index, 3))
        assert reports, "a shard with no program: the test would not show the shards' work is joined"
    merged = tmp_path / "merged"
    assert merge(shards, merged, project / "theme") == sorted(programs)
    assert tree_bytes(merged).keys() == tree_bytes(full).keys()
    assert tree_bytes(merged) == tree_bytes(full)


def test_merge_writes_the_programs_index_and_no_shard_record(tmp_path):
    out = tmp_path / "site"
    assert merge(fake_shards(tmp_path), out, THEME) == ["a", "b", "c", "d"]
    index = (out / "index.html").read_text()
    assert all(f'href="{pid}/index.html"' in index for pid in "abcd")
    assert not (out / RECORD_FILE).exists() and not list(out.glob(".staging-*"))


def test_merge_refuses_a_missing_shard(tmp_path):
    folders = fake_shards(tmp_path)
    with pytest.raises(BuildError, match=r"shard 2/3 is missing \(its programs: b, d\)"):
        merge([folders[0], folders[2]], tmp_path / "site", THEME)
    assert not (tmp_path / "site").exists()


def test_merge_refuses_a_shard_given_twice(tmp_path):
    folders = fake_shards(tmp_path)
    with pytest.raises(BuildError, match=r"shard 1/3 .* is given twice"):
        merge([*folders, folders[0]], tmp_path / "site", THEME)


def test_merge_refuses_shards_of_another_partition(tmp_path):
    """A shard that balanced on other data (another --balance-from, or a program more) does not fit."""
    folders = fake_shards(tmp_path / "one")
    other = fake_shards(tmp_path / "two", {**WEIGHTS, "a": 1, "d": 3})
    with pytest.raises(BuildError, match="inputs: different partition inputs"):
        merge([folders[0], other[1], folders[2]], tmp_path / "site", THEME)


def test_merge_refuses_another_handbook_version_or_source(tmp_path):
    folders = fake_shards(tmp_path)
    edit_record(folders[1], handbook="0.0.1")
    (stale,) = fake_shards(tmp_path / "stale", count=1, source="older")
    with pytest.raises(BuildError, match="handbook: different handbook version") as raised:
        merge(folders, tmp_path / "site", THEME)
    assert str(folders[1] / RECORD_FILE) in str(raised.value)
    with pytest.raises(BuildError, match="source: different source"):
        merge([*fake_shards(tmp_path / "new", count=1), stale], tmp_path / "site", THEME)


def test_merge_refuses_a_folder_without_a_record(tmp_path):
    folders = fake_shards(tmp_path)
    (folders[2] / RECORD_FILE).unlink()
    with pytest.raises(BuildError, match=f"{RECORD_FILE}: no shard record"):
        merge(folders, tmp_path / "site", THEME)


def test_merge_refuses_a_record_changed_after_the_build(tmp_path):
    folders = fake_shards(tmp_path)
    edit_record(folders[0], programs=["a", "b"])  # to take b from shard 2: an overlap
    with pytest.raises(BuildError, match="programs: not the programs its partition gives"):
        merge(folders, tmp_path / "site", THEME)


def test_merge_refuses_a_program_folder_missing_from_its_shard(tmp_path):
    folders = fake_shards(tmp_path)
    (folders[1] / "b" / "manifest.json").unlink()
    with pytest.raises(BuildError, match=r"program b of shard 2/3 .* is missing or incomplete"):
        merge(folders, tmp_path / "site", THEME)


def test_merge_refuses_out_inside_a_shard(tmp_path):
    folders = fake_shards(tmp_path)
    with pytest.raises(BuildError, match="--out: overlaps the shard folder"):
        merge(folders, folders[0] / "site", THEME)


def test_merge_copies_no_link_and_writes_nothing_when_refused(tmp_path):
    folders = fake_shards(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the site")
    os.symlink(secret, folders[2] / "c" / "leak.txt")
    out = tmp_path / "site"
    (out / "old").mkdir(parents=True)
    with pytest.raises(BuildError, match=r"leak\.txt: in shard 3/3 .* not a regular file"):
        merge(folders, out, THEME)
    assert sorted(p.name for p in out.iterdir()) == [".handbook.lock", "old"]


def test_merge_over_an_earlier_merge_replaces_its_programs(tmp_path):
    out = tmp_path / "site"
    merge(fake_shards(tmp_path / "first"), out, THEME)
    (out / "a" / "stale.html").write_text("from the earlier merge")
    merge(fake_shards(tmp_path / "second"), out, THEME)
    assert not (out / "a" / "stale.html").exists() and (out / "a" / "manifest.json").is_file()
