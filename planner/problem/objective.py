"""The scenario's objective of a plan, computed from the dates alone (no solver).

Mirrors the terms of :func:`planner.solver.model._objective` for plans that keep every hard rule:
days away from a preferred start, days past a level's buffer before its deadline, and the peak
number of congresses of a load-levelled level in session on one day, and the central-level
congresses over the attendance limit on the worst day (``preparation.attendance_limit``).
Used to score the greedy baseline on the same scale as CP-SAT and to check what the solver
reports.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping

from planner.problem.units import Problem
from planner.tree.hierarchy import Level

ATTENDANCE_WEIGHT = 1  # per congress over ``preparation.attendance_limit`` on the worst day


def attendance_over(problem: Problem, starts: Mapping[str, dt.date]) -> list[tuple[dt.date, int]]:
    """The days on which more central-level congresses sit than ``preparation.attendance_limit``
    (directing leaders to attend each: a soft limit, UNVERIFIED), with their count; [] when off."""
    settings = problem.scenario.preparation
    limit = settings.attendance_limit if settings is not None else None
    if limit is None:
        return []
    load: Counter[dt.date] = Counter()
    for unit in problem.units:
        if unit.level == Level.CENTRAL and unit.org_id in starts:
            for k in range(unit.days):
                load[starts[unit.org_id] + dt.timedelta(days=k)] += 1
    return sorted((day, count) for day, count in load.items() if count > limit)


def plan_objective(problem: Problem, starts: Mapping[str, dt.date]) -> int:
    """The weighted objective of the congress starts ``starts`` (every unit must have one)."""
    scenario = problem.scenario
    w_pref = scenario.objective["preferred_weight"]
    w_buffer = scenario.objective["buffer_weight"]
    w_peak = scenario.objective["peak_weight"]
    total = 0
    for unit in problem.units:
        start = starts[unit.org_id]
        end = start + dt.timedelta(days=unit.days - 1)
        if unit.preferred is not None and w_pref:
            day, weight = unit.preferred
            total += w_pref * weight * abs((start - day).days)
        if w_buffer and unit.buffer_days > 0:
            limit = unit.window[1] - dt.timedelta(days=unit.buffer_days)
            total += w_buffer * max(0, (end - limit).days)
    if w_peak > 0:
        for level in scenario.peak_levels:
            units = [u for u in problem.units if u.level == level]
            if len(units) < 2:
                continue
            load: Counter[dt.date] = Counter()
            for unit in units:
                for k in range(unit.days):
                    load[starts[unit.org_id] + dt.timedelta(days=k)] += 1
            total += w_peak * max(load.values())
    over = attendance_over(problem, starts)
    if over and scenario.preparation is not None:
        most = max(count for _day, count in over)
        total += ATTENDANCE_WEIGHT * (most - (scenario.preparation.attendance_limit or 0))
    return total


def separable_bound(problem: Problem) -> int:
    """A lower bound on the objective: each congress at its own cheapest allowed start.

    The preferred-date and buffer terms are per congress, so their sum over congresses, each
    minimised over its allowed starts alone, is at most their sum in any plan; the peak terms
    are left out (at least zero). A plan that reaches this bound is optimal without search.
    """
    return sum(unit_costs(problem).values())


def unit_costs(problem: Problem) -> dict[str, int]:
    """Each congress's preferred-date and buffer terms at its own cheapest allowed start
    (0 when no start is allowed: the plan fails elsewhere)."""
    scenario = problem.scenario
    w_pref = scenario.objective["preferred_weight"]
    w_buffer = scenario.objective["buffer_weight"]
    costs: dict[str, int] = {}
    for unit in problem.units:
        allowed, _flags = problem.start_options(unit)
        if not allowed:
            costs[unit.org_id] = 0
            continue
        limit = problem.index(unit.window[1]) - unit.buffer_days
        late = w_buffer if w_buffer and unit.buffer_days > 0 else 0
        if unit.preferred is None or not w_pref:
            costs[unit.org_id] = late * max(0, allowed[0] + unit.days - 1 - limit)
            continue
        day, weight = unit.preferred
        target = problem.index(day)
        costs[unit.org_id] = min(
            w_pref * weight * abs(s - target) + late * max(0, s + unit.days - 1 - limit)
            for s in allowed
        )
    return costs
