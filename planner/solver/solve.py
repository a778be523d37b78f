"""Running CP-SAT on top of a constructive floor, within the user's budget.

Every solve first builds the greedy plan (:mod:`planner.solver.greedy`): it keeps every rule, is
given to CP-SAT as a hint for the whole model and every sub-model, and stands for any sub-model
that finds nothing in its share of the budget, so "no plan" is only said when even the floor
could not be built (DESIGN §3: under load the budget lies). Two strategies then improve on it.
``monolithic`` solves one model of every congress. ``decomposed`` (the default when the scenario
allows it, :mod:`planner.solver.decompose`) splits the tree into one sub-model per central-level
committee plus the central level. Asked for where it is not exact (a nationwide capacity below the
central level, load levelling, a soft family: :func:`decomposable`), the one model is solved
instead, so a forced strategy never yields a plan that breaks a coupling between subtrees.
"""

from __future__ import annotations

import time
from typing import Any

from ortools.sat.python import cp_model

from planner.problem.units import Problem
from planner.solver.blocked import Blocked
from planner.solver.budget import Budget
from planner.solver.decompose import solve_decomposed
from planner.solver.greedy import greedy_floor, solve_greedy
from planner.solver.report import SolveReport, finish
from planner.solver.run import (
    MIN_SOLVE,
    ProgressFn,
    cancelled,
    floor_objective,
    run_model,
    window,
)
from planner.tree.hierarchy import Level

__all__ = ["STRATEGIES", "SolveReport", "finish", "solve"]

STRATEGIES = ("auto", "decomposed", "monolithic", "greedy")


def decomposable(problem: Problem) -> bool:
    """Whether the tree decomposition is exact for this scenario.

    It is when every coupling between two central-level subtrees runs through the central level:
    no nationwide capacity or load levelling below it, and every family hard (soft families trade
    across subtrees, which the monolithic model handles).
    """
    scenario = problem.scenario
    for level in scenario.planned_levels():
        if level.depth <= Level.CENTRAL.depth:
            continue
        if scenario.on("level_capacity") and scenario.levels[level].daily_capacity is not None:
            return False
        if level in scenario.peak_levels and scenario.objective["peak_weight"] > 0:
            return False
    for family_id, setting in scenario.families.items():
        if family_id != "preferred" and setting.enabled and not setting.hard:
            return False
    return any(u.level == Level.CENTRAL for u in problem.units)


def solve(
    problem: Problem,
    *,
    time_limit: float = 30.0,
    workers: int = 2,
    seed: int = 0,
    strategy: str = "auto",
    on_progress: ProgressFn | None = None,
    objective: str = "plan",
    deterministic: bool = False,
    budget: Budget | None = None,
    use_floor: bool = True,
) -> SolveReport:
    """Solve a problem; the report says what is proven (OPTIMAL) and what is not (FEASIBLE).

    ``time_limit`` is wall-clock seconds from now (CP-SAT deterministic seconds with
    ``deterministic``: same seed and workers, same plan); ``budget`` instead counts from an
    earlier start (the command's), so reading and building are inside it. ``objective`` is
    ``plan`` (the scenario's objective) or ``none`` (any feasible plan). ``greedy`` is the
    constructive floor alone (no search, no proof). ``use_floor=False`` searches without the
    floor (for a caller that tried it already and found it blocked).
    """
    budget = budget or Budget(time_limit, deterministic)
    if strategy == "greedy":
        return solve_greedy(problem, budget)
    floor = None
    blocked = None
    if use_floor:
        # the floor must leave time to validate and write the plan it makes
        deadline = None
        if not budget.deterministic:
            deadline = budget.deadline - budget.reserve(len(problem.units))
        built = greedy_floor(problem, deadline)
        if isinstance(built, Blocked):
            blocked = built
        else:
            floor = built
            budget.floor_seconds = built.seconds
    if budget.expired() or (floor is not None and window(budget, len(problem.units)).expired()):
        report = _floor_only(problem, budget, workers, seed, objective, floor)
    else:
        split = strategy in ("auto", "decomposed") and decomposable(problem)
        method = solve_decomposed if split else solve_monolithic
        report = method(
            problem,
            budget=budget,
            workers=workers,
            seed=seed,
            on_progress=on_progress,
            objective=objective,
            floor=floor,
        )
    report.floor_seconds = floor.seconds if floor is not None else None
    report.blocked = blocked
    report.deterministic = budget.deterministic
    report.time_limit = budget.limit
    return report


def _floor_only(
    problem: Problem, budget: Budget, workers: int, seed: int, objective: str, floor: Any
) -> SolveReport:
    """No time is left for any search: the floor as it is, or nothing (UNKNOWN)."""
    started = time.perf_counter()
    report = SolveReport.empty(problem, "floor", workers, seed, budget.limit)
    if floor is not None:
        _keep_floor(report, problem, objective, floor, "all")
    report.wall_time = time.perf_counter() - started
    return report


def _keep_floor(
    report: SolveReport, problem: Problem, objective: str, floor: Any, part: str
) -> None:
    """The floor stands for ``part`` (CP-SAT found nothing there): FEASIBLE, not reproducible."""
    report.status = "FEASIBLE"
    report.fallbacks = [part]
    report.unproven = [part]
    report.objective = floor_objective(problem, objective, floor.starts)
    report.reproducible = False
    finish(report, problem, floor.starts, floor.election, floor.reviews)


def solve_monolithic(
    problem: Problem,
    *,
    budget: Budget,
    workers: int = 2,
    seed: int = 0,
    on_progress: ProgressFn | None = None,
    objective: str = "plan",
    floor: Any = None,
) -> SolveReport:
    """One CP-SAT model of every congress, hinted with the floor, which stands if CP-SAT finds
    nothing."""
    started = time.perf_counter()
    report = SolveReport.empty(problem, "monolithic", workers, seed, budget.limit)
    share = window(budget, len(problem.units))
    hint = floor.starts if floor is not None else None
    election = floor.election if floor is not None else None
    run = None
    if share.deterministic or share.remaining() >= MIN_SOLVE:
        run = run_model(
            problem,
            objective,
            budget.limit,
            workers,
            seed,
            on_progress,
            "monolithic",
            budget=share,
            hint=hint,
            election_hint=election,
            review_hint=floor.reviews if floor is not None else None,
        )
        report.build_time = run.build
        report.solutions = run.count
        report.deterministic_time = run.solver.deterministic_time
        report.empty_domains = list(run.cm.empty_domains)
        report.reproducible = not run.stopped_by_wall_clock
        if run.first is not None:
            report.first_solution_time = run.first + run.build
    if run is not None and run.ok:
        report.status = run.name
        report.submodels_optimal = 1 if run.status == cp_model.OPTIMAL else 0
        report.objective, report.bound = run.objective, run.bound
        if report.status != "OPTIMAL":
            report.unproven = ["monolithic"]
        finish(report, problem, run.starts(), run.election_index(), run.reviews())
    elif run is not None and run.status == cp_model.INFEASIBLE:
        report.status = "INFEASIBLE"
    elif cancelled():
        report.status = "CANCELLED"
    elif floor is not None:
        report.bound = run.bound if run is not None else 0.0
        _keep_floor(report, problem, objective, floor, "monolithic")
    else:
        report.status = run.name if run is not None else "UNKNOWN"
    report.wall_time = time.perf_counter() - started
    return report
