"""The constructive floor: kept by every sub-model that finds nothing in its share, valid on its
own, and the reason a solve under load still ends with a plan (issue 11)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.analysis.validate import validate
from planner.problem.objective import plan_objective
from planner.problem.units import Problem, build_problem
from planner.scenario.builder import load_scenario
from planner.solver import solve
from planner.solver.blocked import Blocked
from planner.solver.budget import Budget
from planner.solver.decompose import solve_decomposed
from planner.solver.greedy import Floor, greedy_floor
from planner.solver.solve import solve_monolithic
from planner.tree.build import build_tree

from ..tiny import tiny_problem

QUICK = ["levels.grassroots.plan=false", "levels.district.provinces=[37]", 'pilots.units=["d369"]']


def spent() -> Budget:
    """A wall-clock budget that has already run out."""
    return Budget(1.0, started=0.0)


def test_every_sub_model_keeps_the_floor_when_it_gets_no_time(default_problem: Problem) -> None:
    """With no time left for CP-SAT, each subtree and the central level keep the floor's dates:
    a validated plan, FEASIBLE (never OPTIMAL), every fallback named."""
    floor = greedy_floor(default_problem)
    assert isinstance(floor, Floor)
    report = solve_decomposed(default_problem, budget=spent(), floor=floor)
    assert report.status == "FEASIBLE" and report.plan is not None
    assert validate(default_problem, report.plan, complete=True).ok
    centrals = {u.org_id for u in default_problem.units if u.level.value == "central"}
    with_subtree = {c for c in centrals if default_problem.children(c)}
    # a subtree whose floor is already optimal (every congress at its cheapest start) needs no
    # search; every other one keeps the floor, and so does the central level
    assert "central" in report.fallbacks
    assert "p37" in report.fallbacks  # Ninh Bình city's preferred date is not met by the floor
    assert set(report.fallbacks) - {"central"} <= with_subtree
    assert report.submodels_optimal == report.submodels - len(report.fallbacks)
    assert report.starts == floor.starts
    assert report.objective == plan_objective(default_problem, floor.starts)
    assert not report.reproducible


def test_the_monolithic_model_keeps_the_floor_too() -> None:
    problem = tiny_problem()
    floor = greedy_floor(problem)
    assert isinstance(floor, Floor)
    report = solve_monolithic(problem, budget=spent(), floor=floor)
    assert report.status == "FEASIBLE" and report.fallbacks == ["monolithic"]
    assert report.plan is not None and validate(problem, report.plan, complete=True).ok


def test_without_a_floor_no_time_means_unknown_never_infeasible() -> None:
    report = solve_decomposed(tiny_problem(), budget=spent(), floor=None)
    assert report.plan is None
    assert report.status == "UNKNOWN"


def test_the_floor_names_the_rule_that_blocked_it() -> None:
    """Two central congresses, one slot a day, a one-day window: the floor stops on the daily
    capacity at the second congress; the solve proves that no plan exists."""
    problem = tiny_problem(
        "levels.central.daily_capacity=1", "levels.central.window=[2020-02-01, 2020-02-02]"
    )
    blocked = greedy_floor(problem)
    assert isinstance(blocked, Blocked)
    assert blocked.family == "level_capacity" and blocked.org_id in ("a", "b")
    assert "level_capacity" not in blocked.message_en  # people read the family's name
    assert "Sức chứa" in blocked.message_vi or "sức chứa" in blocked.message_vi
    report = solve(problem, time_limit=5.0, workers=1, seed=0, deterministic=True)
    assert report.status == "INFEASIBLE" and report.blocked == blocked


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    gap=st.integers(0, 6),
    central_cap=st.sampled_from([None, 1, 2]),
    parent_cap=st.sampled_from([None, 1]),
    days=st.integers(1, 3),
    pilot=st.booleans(),
    soft=st.sampled_from([None, "level_window", "blackout", "precedence"]),
)
def test_a_floor_keeps_every_hard_rule(
    gap: int,
    central_cap: int | None,
    parent_cap: int | None,
    days: int,
    pilot: bool,
    soft: str | None,
) -> None:
    """Whenever the floor exists it passes the independent validator (all rules that are on,
    hard or soft, are kept)."""
    sets = [f"gaps.child_before_parent_days={gap}", f"levels.central.days={min(days, 2)}"]
    if central_cap is not None:
        sets.append(f"levels.central.daily_capacity={central_cap}")
    if parent_cap is not None:
        sets.append(f"levels.district.parent_daily_capacity={parent_cap}")
    if pilot:
        sets += [
            'pilots.units=["a1"]',
            "pilots.lead_days=2",
            "pilots.windows.district=[2020-01-05, 2020-01-20]",
        ]
    if soft is not None:
        sets.append(f"families.{soft}.hard=false")
    problem = tiny_problem(*sets)
    floor = greedy_floor(problem)
    if isinstance(floor, Blocked):
        return
    report = solve(problem, strategy="greedy")
    assert report.plan is not None
    verdict = validate(problem, report.plan, complete=True)
    assert verdict.ok, [v.message_en for v in verdict.violations]


@pytest.fixture
def two_busy_processes() -> Iterator[None]:
    """Two processes that keep both cores busy (a shared server), stopped after the test."""
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    try:
        yield
    finally:
        for process in busy:
            process.kill()
            process.wait()


def test_a_tiny_budget_under_load_still_gives_a_validated_plan(two_busy_processes: None) -> None:
    """Both cores busy, one second of wall clock: the plan comes, validated, never UNKNOWN."""
    problem = build_problem(load_scenario(None, QUICK), build_tree())
    assert isinstance(greedy_floor(problem), Floor)
    report = solve(problem, time_limit=1.0, workers=2, seed=0)
    assert report.status in ("OPTIMAL", "FEASIBLE"), report.as_dict()
    assert report.plan is not None
    assert validate(problem, report.plan, complete=True).ok
