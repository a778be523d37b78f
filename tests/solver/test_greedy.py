"""The greedy baseline: valid plans when it succeeds, never a claim of infeasibility."""

from __future__ import annotations

from planner.analysis.validate import validate
from planner.problem.objective import plan_objective
from planner.problem.units import Problem
from planner.solver import SolveReport, solve

from ..tiny import tiny_problem


def test_greedy_plans_the_default_scenario_validly(default_problem: Problem) -> None:
    report = solve(default_problem, strategy="greedy")
    assert report.status == "FEASIBLE" and report.plan is not None
    verdict = validate(default_problem, report.plan, complete=True)
    assert verdict.ok, [v.message_en for v in verdict.violations[:5]]
    assert report.objective == plan_objective(default_problem, report.starts)
    assert report.bound is None  # it proves nothing


def test_cp_sat_is_never_worse_than_greedy(
    default_problem: Problem, default_report: SolveReport
) -> None:
    greedy = solve(default_problem, strategy="greedy")
    assert greedy.objective is not None and default_report.objective is not None
    assert default_report.objective <= greedy.objective


def test_greedy_takes_each_congress_at_its_first_free_day() -> None:
    """Tiny tree, capacity 1 per parent: a1 and a2 on the first two district days."""
    problem = tiny_problem("levels.district.parent_daily_capacity=1")
    report = solve(problem, strategy="greedy")
    assert report.plan is not None and validate(problem, report.plan, complete=True).ok
    first = problem.scenario.levels[problem.unit("a1").level].window[0]
    assert sorted([report.starts["a1"], report.starts["a2"]]) == [
        first,
        first.replace(day=first.day + 1),
    ]


def test_greedy_failure_is_not_called_infeasible() -> None:
    """One central slot a day and two central congresses in a one-day window: no plan exists,
    and the greedy run only says it found none (UNKNOWN), naming where it stopped."""
    problem = tiny_problem(
        "levels.central.daily_capacity=1", "levels.central.window=[2020-02-01, 2020-02-02]"
    )
    report = solve(problem, strategy="greedy")
    assert report.plan is None
    assert report.status == "UNKNOWN"
    assert report.infeasible_part in ("a", "b")
