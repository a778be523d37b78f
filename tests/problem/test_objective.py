"""The objective recomputed from dates agrees with what CP-SAT reports, for both strategies."""

from __future__ import annotations

import datetime as dt

from planner.problem.objective import plan_objective
from planner.problem.units import Problem
from planner.solver import SolveReport, solve
from tests.tiny import tiny_problem


def test_default_objective_matches_the_solver(
    default_problem: Problem, default_report: SolveReport
) -> None:
    assert default_report.objective == plan_objective(default_problem, default_report.starts)


def test_tiny_terms_by_hand() -> None:
    """Buffer 3 days before 20/2 (limit 17/2), weight 1; peak weight 5 on central."""
    problem = tiny_problem(
        "levels.central.buffer_days=3",
        "objective.buffer_weight=1",
        "objective.peak_weight=5",
        'objective.peak_levels=["central"]',
    )
    d = dt.date
    starts = {
        "vn": d(2020, 3, 1),
        "a": d(2020, 2, 17),  # ends 18/2: 1 day past the buffer
        "b": d(2020, 2, 18),  # ends 19/2: 2 days past; overlaps a on 18/2 → peak 2
        "a1": d(2020, 1, 10),
        "a2": d(2020, 1, 11),
        "b1": d(2020, 1, 10),
    }
    assert plan_objective(problem, starts) == 1 + 2 + 5 * 2


def test_monolithic_objective_matches_on_tiny() -> None:
    problem = tiny_problem(
        "levels.central.buffer_days=10", "objective.peak_weight=3", "levels.central.days=4"
    )
    report = solve(
        problem, time_limit=5.0, workers=1, seed=0, deterministic=True, strategy="monolithic"
    )
    assert report.objective == plan_objective(problem, report.starts)
