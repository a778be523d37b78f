"""Fuzzing the scenario loader and the problem builder (issue 12): random tables and values of
every type, in the places the schema names and elsewhere, end in the project's own bilingual
error or in a valid problem — never in any other exception."""

from __future__ import annotations

import copy
import datetime as dt
import tomllib
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.errors import PlannerError
from planner.problem.units import build_problem
from planner.rules.families import FAMILY_IDS
from planner.scenario.builder import build_scenario
from planner.scenario.reader import default_scenario_path
from planner.scenario.schema import FIELDS
from planner.solver.greedy import greedy_floor
from planner.tree.build import build_tree

TEXT = default_scenario_path().read_text(encoding="utf-8")
BASE = tomllib.loads(TEXT)
TREE = build_tree()

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, 1, 2, 3, 7, 37, 48, 99, 999, 3660, 10_000, 2**31, 2**63 - 1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["all", "central", "district", "grassroots", "p37", "d369", "x\nATTENDEE:"]),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.dates(min_value=dt.date(2019, 10, 1), max_value=dt.date(2021, 7, 31)),
    st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2021, 1, 1)),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(
                ["org", "start", "end", "id", "levels", "provinces", "weight", "name_vi", "x"]
            ),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=8,
)


def _paths() -> list[tuple[str, ...]]:
    """Every declared key (per level of the 2020 and 2025 eras, per family), and its tables."""
    out: set[tuple[str, ...]] = set()
    for field in FIELDS:
        if "[]" in field.key:
            continue
        keys = [field.key]
        if "<level>" in field.key:
            keys = [field.key.replace("<level>", lv) for lv in LEVELS]
        if "<family>" in field.key:
            keys = [field.key.replace("<family>", fam) for fam in FAMILY_IDS]
        for key in keys:
            parts = tuple(key.split("."))
            out.update(parts[:n] for n in range(1, len(parts) + 1))
    return sorted(out)


LEVELS = ("national", "central", "district", "commune", "grassroots")
PATHS = [*_paths(), ("nonsense",), ("levels", "cell"), ("blackouts", "ranges", "x")]


def _put(doc: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = doc
    for part in path[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[path[-1]] = value


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(st.tuples(st.sampled_from(PATHS), values), min_size=1, max_size=4))
def test_any_scenario_is_loaded_or_refused_cleanly(
    changes: list[tuple[tuple[str, ...], Any]],
) -> None:
    """Only PlannerError may come out; a scenario that loads builds a problem, and the floor
    either plans it or says which rule stopped it."""
    doc = copy.deepcopy(BASE)
    for path, value in changes:
        _put(doc, path, value)
    try:
        scenario = build_scenario(doc, TEXT, "fuzz.toml")
        problem = build_problem(scenario, TREE)
    except PlannerError as exc:
        assert "Lỗi" in exc.one_line() and "Error" in exc.one_line()
        return
    greedy_floor(problem)
