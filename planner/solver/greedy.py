"""A greedy baseline: earliest-deadline-first list scheduling, bottom-up, no search.

What a planner with a spreadsheet would do, and what ``planner bench`` compares CP-SAT with.
Congresses are taken deepest level first (a congress only after every congress below it), pilot
units before their siblings, then by deadline; each goes on the first allowed day (window,
blackouts, pins: :meth:`Problem.start_options`) after everything it must follow, where the
parent's and the level's daily capacity still have room. The election day is the first allowed
Sunday the national congress and the announcement leave possible. Every family that is on is
treated as hard. It never backtracks, so it can fail where a plan exists; it proves nothing.
"""

from __future__ import annotations

import bisect
import datetime as dt
import time

from planner.hierarchy import Level
from planner.objective import plan_objective
from planner.problem import ANNOUNCE_STEP, Problem, Unit
from planner.solver.solve import SolveReport, finish


def _release(problem: Problem, unit: Unit, end: dict[str, int], placed_pilots: bool) -> int:
    """The first day ``unit`` may start, given what is already placed below and beside it."""
    scenario = problem.scenario
    release = 0
    if scenario.on("precedence"):
        gap = scenario.child_before_parent_days
        for child in problem.children(unit.org_id):
            release = max(release, end[child] + gap)
    if placed_pilots and not unit.pilot and unit.parent_id is not None:
        lead = scenario.pilot_lead_days
        for sibling in problem.children(unit.parent_id):
            other = problem.unit(sibling)
            if other.pilot and other.level == unit.level and sibling in end:
                release = max(release, end[sibling] + lead)
    if unit.level == Level.NATIONAL and scenario.on("election_alignment"):
        gap = scenario.central_before_national_days
        for other in problem.units:
            if other.level == Level.CENTRAL:
                release = max(release, end[other.org_id] + gap)
    return release


def _election_index(problem: Problem, end: dict[str, int]) -> int | None:
    """The first allowed election Sunday that the national congress and announcement allow."""
    scenario = problem.scenario
    candidates = sorted(problem.index(d) for d in problem.election_days)
    if not scenario.on("election_alignment"):
        return candidates[0]
    lowest = candidates[0]
    national = problem.national()
    offset = problem.step_offsets.get(scenario.national_before_step)
    if national is not None and offset is not None:
        need = scenario.national_before_step_days
        lowest = max(lowest, end[national.org_id] + need - offset)
    announced = scenario.election_announced
    if announced is not None and ANNOUNCE_STEP in problem.step_offsets:
        lowest = max(lowest, problem.index(announced) - problem.step_offsets[ANNOUNCE_STEP])
    fitting = [c for c in candidates if c >= lowest]
    return fitting[0] if fitting else None


def solve_greedy(problem: Problem) -> SolveReport:
    """Place every congress greedily; the report has a plan, or the first congress that failed."""
    started = time.perf_counter()
    scenario = problem.scenario
    report = SolveReport.empty(problem, "greedy", 1, 0, 0.0)
    size = len(problem.horizon)
    pilots = scenario.on("pilot")

    def deadline(unit: Unit) -> int:
        last = problem.index(unit.window[1])
        if unit.latest_end is not None:
            last = min(last, problem.index(unit.latest_end))
        return last

    order = sorted(
        problem.units,
        key=lambda u: (-u.level.depth, not (pilots and u.pilot), deadline(u), u.org_id),
    )
    parent_load: dict[tuple[str | None, Level], list[int]] = {}
    level_load: dict[Level, list[int]] = {}
    end: dict[str, int] = {}
    starts: dict[str, int] = {}
    for unit in order:
        allowed, _flags = problem.start_options(unit)
        release = _release(problem, unit, end, pilots)
        loads: list[tuple[list[int], int]] = []
        plan = scenario.levels[unit.level]
        if scenario.on("parent_capacity") and plan.parent_daily_capacity is not None:
            key = (unit.parent_id, unit.level)
            loads.append((parent_load.setdefault(key, [0] * size), plan.parent_daily_capacity))
        if scenario.on("level_capacity") and plan.daily_capacity is not None:
            loads.append((level_load.setdefault(unit.level, [0] * size), plan.daily_capacity))
        chosen = None
        for s in allowed[bisect.bisect_left(allowed, release) :]:
            days = range(s, s + unit.days)
            if all(load[d] < cap for load, cap in loads for d in days):
                chosen = s
                break
        if chosen is None:
            report.infeasible_part = unit.org_id
            report.wall_time = time.perf_counter() - started
            return report
        for load, _cap in loads:
            for d in range(chosen, chosen + unit.days):
                load[d] += 1
        starts[unit.org_id] = chosen
        end[unit.org_id] = chosen + unit.days - 1
    election = _election_index(problem, end)
    if election is None:
        report.infeasible_part = "election"
        report.wall_time = time.perf_counter() - started
        return report
    origin = problem.horizon.start
    dates = {o: origin + dt.timedelta(days=s) for o, s in starts.items()}
    report.status = "FEASIBLE"
    report.solutions = 1
    report.objective = float(plan_objective(problem, dates))
    report.first_solution_time = time.perf_counter() - started
    finish(report, problem, dates, election)
    report.wall_time = time.perf_counter() - started
    return report
