"""The constructive floor: earliest-deadline-first list scheduling, bottom-up, no search.

What a planner with a spreadsheet would do. Every solve builds this plan first and gives it to
CP-SAT as a hint; a sub-model that finds nothing in its share of the budget keeps the floor's
dates for its part (issue 11: under load, CP-SAT alone returned UNKNOWN where this plan existed).
``planner solve --strategy greedy`` returns it alone, and ``planner bench`` compares it.

Congresses are taken deepest level first (a congress only after every congress below it), pilot
units before their siblings, then by deadline; each goes on the first allowed day (window,
blackouts, pins: :meth:`Problem.start_options`) after everything it must follow, where the
parent's and the level's daily capacity still have room. The election day is the first allowed
Sunday the national congress and the announcement leave possible. Every family that is on is
kept as if it were hard, so the plan keeps every hard rule and has no slack on the soft ones. It
never backtracks, so it can fail where a plan exists; it then names the congress and the rule
that stopped it. It proves nothing.
"""

from __future__ import annotations

import bisect
import datetime as dt
import time
from dataclasses import dataclass, field

from planner.problem.objective import plan_objective
from planner.problem.units import ANNOUNCE_STEP, Problem, Unit
from planner.solver.blocked import REVIEW, Blocked
from planner.solver.budget import Budget
from planner.solver.report import SolveReport, finish
from planner.solver.reviews import ReviewBook, Reviews
from planner.tree.hierarchy import Level


@dataclass(frozen=True)
class Floor:
    """A complete plan that keeps every rule: congress starts and the election day index."""

    starts: dict[str, dt.date]
    election: int
    seconds: float
    reviews: Reviews = field(default_factory=dict)  # org id → (day, body id)


def _release(
    problem: Problem,
    unit: Unit,
    end: dict[str, int],
    pilots: dict[str | None, list[Unit]],
    centrals: list[str],
) -> tuple[int, str | None, str | None]:
    """The first day ``unit`` may start, and the (family, congress) that sets it.

    ``pilots`` lists the pilot units under each parent (empty when the family is off);
    ``centrals`` the central-level congresses the national one must follow.
    """
    scenario = problem.scenario
    release, family, other = 0, None, None

    def later(day: int, why: str, org: str) -> None:
        nonlocal release, family, other
        if day > release:
            release, family, other = day, why, org

    if scenario.on("precedence"):
        gap = scenario.child_before_parent_days
        for child in problem.children(unit.org_id):
            later(end[child] + gap, "precedence", child)
    if not unit.pilot and unit.parent_id in pilots:
        lead = scenario.pilot_lead_days
        for sibling in pilots[unit.parent_id]:
            if sibling.level == unit.level and sibling.org_id in end:
                later(end[sibling.org_id] + lead, "pilot", sibling.org_id)
    if unit.level == Level.NATIONAL and scenario.on("election_alignment"):
        gap = scenario.central_before_national_days
        for org_id in centrals:
            later(end[org_id] + gap, "election_alignment", org_id)
        after = problem.after_step_offset()
        if after is not None:  # after that step of the earliest election day allowed
            first = min(problem.index(d) for d in problem.election_days)
            later(first + after + scenario.national_after_step_days, "election_alignment", "E")
    return release, family, other


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
    highest = max(candidates)
    after = problem.after_step_offset()
    if national is not None and after is not None:
        start = end[national.org_id] - national.days + 1
        highest = min(highest, start - after - scenario.national_after_step_days)
    fitting = [c for c in candidates if lowest <= c <= highest]
    return fitting[0] if fitting else None


class _Load:
    """Congresses in session per day under one capacity, and the first day with room."""

    __slots__ = ("cap", "days", "family", "free")

    def __init__(self, size: int, cap: int, family: str) -> None:
        self.days = [0] * (size + 1)
        self.cap = cap
        self.family = family
        self.free = 0 if cap > 0 else size + 1

    def room(self, start: int, length: int) -> bool:
        """Whether a congress of ``length`` days starting on ``start`` fits."""
        days, cap = self.days, self.cap
        return all(days[d] < cap for d in range(start, start + length))

    def take(self, start: int, length: int) -> None:
        for d in range(start, start + length):
            self.days[d] += 1
        while self.free < len(self.days) and self.days[self.free] >= self.cap:
            self.free += 1


def greedy_floor(problem: Problem, deadline: float | None = None) -> Floor | Blocked:
    """Place every congress greedily; a complete plan, or what blocked it.

    ``deadline`` (``time.monotonic()``) stops the work when the budget runs out.
    """
    started = time.monotonic()
    scenario = problem.scenario
    size = len(problem.horizon)
    pilots = scenario.on("pilot")

    def deadline_of(unit: Unit) -> int:
        last = problem.index(unit.window[1])
        if unit.latest_end is not None:
            last = min(last, problem.index(unit.latest_end))
        return last

    order = sorted(
        problem.units,
        key=lambda u: (-u.level.depth, not (pilots and u.pilot), deadline_of(u), u.org_id),
    )
    pilot_units: dict[str | None, list[Unit]] = {}
    if pilots:
        for unit in problem.units:
            if unit.pilot and unit.parent_id is not None:
                pilot_units.setdefault(unit.parent_id, []).append(unit)
    centrals = [u.org_id for u in problem.units if u.level == Level.CENTRAL]
    parent_load: dict[tuple[str | None, Level], _Load] = {}
    level_load: dict[Level, _Load] = {}
    end: dict[str, int] = {}
    starts: dict[str, int] = {}
    book = ReviewBook(problem)
    origin = problem.horizon.start
    for count, unit in enumerate(order):
        if deadline is not None and count % 256 == 0 and time.monotonic() > deadline:
            return Blocked(unit.org_id, "", timed_out=True)
        allowed, _flags = problem.start_options(unit, strict=True)
        release, family, other = _release(problem, unit, end, pilot_units, centrals)
        loads: list[_Load] = []
        plan = scenario.levels[unit.level]
        if scenario.on("parent_capacity") and plan.parent_daily_capacity is not None:
            key = (unit.parent_id, unit.level)
            if key not in parent_load:
                parent_load[key] = _Load(size, plan.parent_daily_capacity, "parent_capacity")
            loads.append(parent_load[key])
        if scenario.on("level_capacity") and plan.daily_capacity is not None:
            if unit.level not in level_load:
                level_load[unit.level] = _Load(size, plan.daily_capacity, "level_capacity")
            loads.append(level_load[unit.level])
        chosen = None
        full = None
        # no start before a load's first day with room: that day and all before it are full
        skip = max([release, *(load.free for load in loads)])
        candidates = allowed[bisect.bisect_left(allowed, release) :]
        review = None
        for s in allowed[bisect.bisect_left(allowed, skip) :]:
            busy = next((ld.family for ld in loads if not ld.room(s, unit.days)), None)
            if busy is None and unit.org_id in book.steps:
                # the review must fit before it: else try a later start (DESIGN: the floor)
                first = origin + dt.timedelta(days=s)
                review = book.find(unit.org_id, first, first + dt.timedelta(days=unit.days - 1))
                busy = None if review is not None else REVIEW
            if busy is None:
                chosen = s
                break
            full = full or busy
        if chosen is None:
            if full == REVIEW:
                return Blocked(unit.org_id, REVIEW, book.bodies(unit.org_id))
            if not allowed:
                why = "pin" if unit.pin is not None and scenario.on("pin") else "level_window"
                if unit.latest_end is not None or unit.earliest is not None:
                    why = "precedence"
                return Blocked(unit.org_id, why)
            if not candidates:
                return Blocked(unit.org_id, family or "level_window", other)
            full = full or next(ld.family for ld in loads)
            return Blocked(unit.org_id, full)
        for load in loads:
            load.take(chosen, unit.days)
        if review is not None:
            book.take(unit.org_id, *review)
        starts[unit.org_id] = chosen
        end[unit.org_id] = chosen + unit.days - 1
    election = _election_index(problem, end)
    if election is None:
        return Blocked("election", "election_alignment")
    dates = {o: origin + dt.timedelta(days=s) for o, s in starts.items()}
    return Floor(dates, election, time.monotonic() - started, book.reviews)


def solve_greedy(problem: Problem, budget: Budget | None = None) -> SolveReport:
    """The floor alone, as a report (``--strategy greedy``)."""
    started = time.monotonic()
    report = SolveReport.empty(problem, "greedy", 1, 0, budget.limit if budget else 0.0)
    deadline = budget.deadline if budget is not None and not budget.deterministic else None
    floor = greedy_floor(problem, deadline)
    if isinstance(floor, Blocked):
        report.blocked = floor
        report.infeasible_part = floor.org_id
        report.wall_time = time.monotonic() - started
        return report
    report.status = "FEASIBLE"
    report.solutions = 1
    report.objective = float(plan_objective(problem, floor.starts))
    report.first_solution_time = time.monotonic() - started
    finish(report, problem, floor.starts, floor.election, floor.reviews)
    report.wall_time = time.monotonic() - started
    return report
