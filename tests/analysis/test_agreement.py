"""``solve`` and ``check`` agree on feasibility for the same scenario (issue 11): every
infeasible fixture is infeasible for both, and feasible variants are feasible for both."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planner.analysis.diagnose import diagnose
from planner.problem.units import build_problem
from planner.solver import solve
from tests.analysis.test_diagnose import _fixture
from tests.tiny import tiny_scenario, tiny_tree

FIXTURES = sorted((Path(__file__).parents[1] / "fixtures" / "infeasible").glob("*.toml"))
FEASIBLE = [
    [],
    ["levels.central.daily_capacity=1"],
    ["gaps.child_before_parent_days=5"],
    ["objective.preferred_weight=10000"],
]


def _verdicts(scenario: Any) -> tuple[str, str]:
    report = solve(build_problem(scenario, tiny_tree()), time_limit=20.0, workers=1, seed=0)
    diagnosis = diagnose(scenario, tiny_tree(), time_limit=5.0, verify=False)
    solved = "feasible" if report.plan is not None else report.status.lower()
    return solved, diagnosis.status


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_infeasible_for_both(path: Path) -> None:
    scenario = _fixture(path)
    assert _verdicts(scenario) == ("infeasible", "infeasible")


@pytest.mark.parametrize("sets", FEASIBLE, ids=lambda s: ",".join(s) or "tiny")
def test_feasible_for_both(sets: list[str]) -> None:
    assert _verdicts(tiny_scenario(*sets)) == ("feasible", "feasible")
