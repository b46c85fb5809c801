"""Shards: the same partition from the same inputs, balanced by pages (or documents), and its record."""

from __future__ import annotations

import json

import pytest

from generator.build import load
from generator.errors import BuildError
from generator.shard import RECORD_FILE, Shard, clear_record, expected_pages, partition, plan_shard, write_record
from tests.conftest import MINIMAL_PROGRAM, write_project


def programs_with(extra: dict[str, bool]) -> dict[str, dict]:
    """Programs named by id; True: it also publishes the optional 'extra' document."""
    return {pid: {**MINIMAL_PROGRAM, "name": f"Program {pid}", "documents": {"include": ["extra"] if more else []}}
            for pid, more in extra.items()}


def manifest(folder, program_id, pages: dict[str, int]) -> None:
    (folder / program_id).mkdir(parents=True)
    documents = [{"id": doc, "pages": count} for doc, count in pages.items()]
    (folder / program_id / "manifest.json").write_text(json.dumps({"program": program_id, "documents": documents}))


@pytest.mark.parametrize("text", ["0/3", "4/3", "3", "a/b", "1/0", "-1/2", ""])
def test_shard_parse_refuses_what_is_not_k_of_n(text):
    with pytest.raises(BuildError, match="--shard: expected K/N"):
        Shard.parse(text)


def test_shard_parse_reads_k_of_n():
    assert Shard.parse("2/4") == Shard(2, 4) and str(Shard.parse(" 1 / 3 ")) == "1/3"


def test_partition_balances_weight_not_program_count():
    weights = {"big": 10, "a": 3, "b": 3, "c": 2, "d": 2}
    assert partition(weights, 2) == [["big"], ["a", "b", "c", "d"]]


def test_partition_puts_every_program_in_exactly_one_shard():
    weights = {f"p{n:02d}": 1 + n * 7 % 5 for n in range(23)}
    shards = partition(weights, 4)
    assert sorted(pid for shard in shards for pid in shard) == sorted(weights)
    loads = [sum(weights[pid] for pid in shard) for shard in shards]
    assert max(loads) - min(loads) <= max(weights.values())


def test_partition_ties_are_broken_by_id_whatever_the_order_given():
    weights = dict.fromkeys(["d", "b", "a", "c", "e"], 1)
    assert partition(weights, 2) == partition(dict(reversed(list(weights.items()))), 2) == [["a", "c", "e"], ["b", "d"]]


def test_more_shards_than_programs_leaves_shards_empty():
    assert partition({"a": 1}, 3) == [["a"], [], []]


def test_expected_pages_estimates_what_the_manifests_do_not_say():
    documents = {"old": ["guide", "extra"], "new": ["guide", "extra"], "other": ["guide", "brand-new"]}
    pages = {"old": {"guide": 10, "extra": 4}, "other": {"guide": 6}}
    # new: guide and extra as their means (8, 4); other: brand-new as the mean of any document (round(20/3))
    assert expected_pages(documents, pages) == {"old": 14, "new": 12, "other": 13}


def test_plan_without_manifests_weighs_documents(tmp_path):
    project = write_project(tmp_path / "p", programs_with({"a": True, "b": False, "c": False}))
    library, programs = load(project)
    plan = plan_shard(Shard(1, 2), library, programs)
    assert plan.basis == "documents" and plan.weights == {"a": 2, "b": 1, "c": 1}
    assert plan.assigned == ["a"] and plan_shard(Shard(2, 2), library, programs).assigned == ["b", "c"]


def test_plan_balances_on_pages_from_the_folder_given(tmp_path):
    project = write_project(tmp_path / "p", programs_with({"a": True, "b": False, "c": False}))
    library, programs = load(project)
    previous = tmp_path / "previous"
    manifest(previous, "a", {"guide": 2, "extra": 1})
    manifest(previous, "b", {"guide": 9})  # c has no manifest: the mean guide, 6 pages
    plan = plan_shard(Shard(1, 2), library, programs, previous)
    assert plan.basis == "pages" and plan.weights == {"a": 3, "b": 9, "c": 6}
    assert plan.assigned == ["b"] and plan.inputs_hash != plan_shard(Shard(1, 2), library, programs).inputs_hash


def test_plan_refuses_a_balance_folder_that_is_not_there(tmp_path):
    project = write_project(tmp_path / "p")
    library, programs = load(project)
    with pytest.raises(BuildError, match="--balance-from: no such folder; every shard must balance from the same"):
        plan_shard(Shard(1, 2), library, programs, tmp_path / "missing")


def test_plan_skips_a_damaged_manifest(tmp_path):
    project = write_project(tmp_path / "p", programs_with({"a": False, "b": False}))
    library, programs = load(project)
    previous = tmp_path / "previous"
    manifest(previous, "a", {"guide": 5})
    (previous / "b").mkdir()
    (previous / "b" / "manifest.json").write_text("{not json")
    assert plan_shard(Shard(1, 2), library, programs, previous).weights == {"a": 5, "b": 5}


def test_record_is_written_last_and_cleared_before_a_build(tmp_path):
    project = write_project(tmp_path / "p", programs_with({"a": False, "b": False}))
    library, programs = load(project)
    plan = plan_shard(Shard(2, 2), library, programs)
    write_record(tmp_path, plan, "source-hash")
    record = json.loads((tmp_path / RECORD_FILE).read_text())
    assert record["shard"] == 2 and record["shards"] == 2 and record["programs"] == ["b"]
    assert record["inputs"] == plan.inputs_hash and record["source"] == "source-hash"
    clear_record(tmp_path)
    assert not (tmp_path / RECORD_FILE).exists()


def test_clear_record_removes_a_folder_or_link_in_its_place_without_following_it(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / RECORD_FILE).symlink_to(tmp_path / "elsewhere")
    clear_record(tmp_path / "out")
    assert not (tmp_path / "out" / RECORD_FILE).is_symlink() and (tmp_path / "elsewhere").is_dir()
    (tmp_path / "out" / RECORD_FILE).mkdir()
    clear_record(tmp_path / "out")
    assert not (tmp_path / "out" / RECORD_FILE).exists()
