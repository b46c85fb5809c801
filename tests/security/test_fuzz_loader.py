"""Fuzz the loader: any file ends in a located error or a valid program, never a traceback or a hang.

Valid programs found by mutation are also rendered through the whole content library, so an
odd-but-valid value (0.5 meetings a month, a huge edition string, unicode everywhere) can not
crash a template either.
"""

from __future__ import annotations

import copy
import os
import time

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.config import ConfigError, load_programs
from generator.content import ContentError, load_library
from generator.render import Renderer
from tests.conftest import REPO, write_project

# FUZZ_EXAMPLES=3000 for a longer campaign; CI runs the default. No deadline: a busy machine made
# ordinary examples "too slow" (timings are for benchmarks/); runaway input is bounded by the schema.
FUZZ_SETTINGS = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")), deadline=None,
                         suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**30, max_value=10**30), st.floats(allow_nan=True),
    st.text(max_size=40), st.sampled_from(["blank", "9 months", "6 weeks", "0 months", "-1 years", "2027-02-30",
                                           "2027-01-15", "month 3", "week 99", "<script>", "{{ 7*7 }}", "🙂" * 5]),
)
trees = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(st.text(max_size=12), inner, max_size=5)),
                     max_leaves=30)


def seed_data(program_id: str) -> dict:
    text = (REPO / "program-config" / f"{program_id}.yml").read_text()
    return yaml.safe_load(text)


def assert_located(error: ConfigError) -> None:
    assert error.problems
    for problem in error.problems:
        assert problem.location.file.startswith("program-config/"), problem
        assert "Traceback" not in str(problem)


def load_text(tmp_path, text: str | bytes) -> None:
    project = write_project(tmp_path, {})
    path = project / "program-config" / "fuzz.yml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    started = time.perf_counter()
    try:
        load_programs(project)
    except ConfigError as error:
        assert_located(error)
    assert time.perf_counter() - started < 5


@FUZZ_SETTINGS
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300)))
def test_random_text_and_bytes(tmp_path_factory, text):
    load_text(tmp_path_factory.mktemp("fuzz"), text.replace("\ud800", "") if isinstance(text, str) else text)


@FUZZ_SETTINGS
@given(trees)
def test_random_yaml_structures(tmp_path_factory, tree):
    text = yaml.safe_dump(tree, allow_unicode=True)
    load_text(tmp_path_factory.mktemp("fuzz"), text)


def _paths(node, prefix=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield prefix + (key,)
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield prefix + (index,)
            yield from _paths(value, prefix + (index,))


SEEDS = {name: seed_data(name) for name in ("charlotte-sll", "nc-mentoring", "san-jose-emp")}
LIBRARY = load_library(REPO)


@FUZZ_SETTINGS
@given(st.sampled_from(sorted(SEEDS)), st.data())
def test_mutated_seed_programs_fail_located_or_render_everything(tmp_path_factory, seed, data):
    program = copy.deepcopy(SEEDS[seed])
    program.pop("extends", None)
    base = yaml.safe_load((REPO / "program-config" / "_base.yml").read_text())
    program = {**base, **program}
    paths = list(_paths(program))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        parent = program
        try:
            for key in path[:-1]:
                parent = parent[key]
            parent[path[-1]] = data.draw(trees)
        except (KeyError, IndexError, TypeError):
            continue
    project = write_project(tmp_path_factory.mktemp("mut"), {"mutant": yaml.safe_dump(program, allow_unicode=True)})
    try:
        (loaded,) = load_programs(project)
    except ConfigError as error:
        assert_located(error)
        return
    renderer = Renderer(LIBRARY, loaded, "site")
    for spec in renderer.published:
        try:
            renderer.document(spec)
        except ContentError as error:  # a valid program must render; say which value broke it
            raise AssertionError(f"valid program broke {spec.id}: {error}") from None


def test_alias_bomb_is_refused_quickly(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    load_text(tmp_path, bomb)


def test_recursive_alias_is_refused(tmp_path):
    load_text(tmp_path, "name: &a [*a]\n")


def test_python_tags_are_refused(tmp_path):
    # refused for the tag itself (not merely for the missing fields that follow), on a collection and a scalar
    for text in ("name: !!python/object/apply:os.system ['echo pwned']\n", "name: !!python/name:os.system\n"):
        project = write_project(tmp_path / str(len(text)), {})
        (project / "program-config" / "fuzz.yml").write_text(text)
        with pytest.raises(ConfigError) as raised:
            load_programs(project)
        assert any(problem.field == "name" and "could not determine a constructor for the tag" in problem.message
                   and "python/" in problem.message for problem in raised.value.problems), raised.value
