"""Congresses that share a daily load limit, and the lower bounds their counting gives.

A *group* is a set of congresses at most ``K`` of which may sit on one day: the children of one
parent at one level (``parent_daily_capacity``), or a whole level (``daily_capacity``), both
hard. A *tier* of a group is its congresses with a lateness term whose buffer limit is at most a
day ``T``. The model turns these into cuts (:mod:`planner.solver.model`); the decomposition uses
the same numbers to recognise a constructive plan that is optimal already, without a search.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.problem.objective import unit_costs
from planner.problem.units import Problem, Unit
from planner.solver.bounds import _runs, earliest_finish, least_lateness
from planner.tree.hierarchy import Level


@dataclass
class Tier:
    """The congresses of one group whose buffer limit is at most ``threshold``."""

    threshold: int
    members: list[str]  # their org ids
    energy: int  # their congress-days
    usable: int  # congress-days one seat holds up to the threshold (:func:`track_days`)
    free: int  # how many are not fixed on one date
    shortest: int  # the shortest of those
    free_days: set[int]  # the days those may sit on
    fixed: list[tuple[int, int]]  # (first, last) day of the fixed ones

    def least_late(self, seats: int) -> int:
        """A lower bound on the tier's summed lateness with at most ``seats`` a day: the seat
        count (:func:`least_lateness`) or the energy argument, whichever is larger."""
        bound = self.energy - seats * self.usable
        counted = least_lateness(
            self.free_days, self.threshold, self.shortest, self.free, [seats], self.fixed
        )[seats]
        return max(0, bound, counted if counted is not None else 0)


def late_limits(problem: Problem) -> dict[str, int]:
    """Each congress with a lateness term: the day index of its buffer limit."""
    if not problem.scenario.objective["buffer_weight"]:
        return {}
    return {
        u.org_id: problem.index(u.window[1]) - u.buffer_days
        for u in problem.units
        if u.buffer_days > 0
    }


def tiers(problem: Problem, units: list[Unit], limits: dict[str, int]) -> list[Tier]:
    """For a group of congresses that share one daily load limit, one tier per buffer limit.

    Only congresses with a lateness term (in ``limits``) count.
    """
    units = [u for u in units if u.org_id in limits]
    coverage: dict[tuple[int, int], set[int]] = {}
    days_of: dict[str, set[int]] = {}
    fixed: dict[str, tuple[int, int]] = {}
    for unit in units:
        allowed, _flags = problem.start_options(unit)
        if len(allowed) == 1:
            fixed[unit.org_id] = (allowed[0], allowed[0] + unit.days - 1)
        key = (unit.days, id(allowed))  # start_options caches its lists: same id, same days
        if key not in coverage:
            coverage[key] = {s + k for s in allowed for k in range(unit.days)}
        days_of[unit.org_id] = coverage[key]
    out = []
    for threshold in sorted({limits[u.org_id] for u in units}):
        members = [u for u in units if limits[u.org_id] <= threshold]
        free = [u for u in members if u.org_id not in fixed]
        durations = {u.days for u in members}
        uniform = next(iter(durations)) if len(durations) == 1 else 1
        out.append(
            Tier(
                threshold,
                [u.org_id for u in members],
                sum(u.days for u in members),
                track_days(_union(days_of, members), threshold, uniform),
                len(free),
                min((u.days for u in free), default=1),
                _union(days_of, free),
                sorted(fixed[u.org_id] for u in members if u.org_id in fixed),
            )
        )
    return out


def _union(days_of: dict[str, set[int]], units: list[Unit]) -> set[int]:
    """The days any of ``units`` may sit on (each distinct set joined once)."""
    out: set[int] = set()
    for days in {id(days_of[u.org_id]): days_of[u.org_id] for u in units}.values():
        out |= days
    return out


def track_days(days: set[int], threshold: int, duration: int) -> int:
    """Congress-days one seat can hold up to ``threshold``, on the days congresses may sit.

    A congress never spans a day none of them may sit on, so a run of ``L`` such days that ends
    before the threshold holds at most ``duration · ⌊L / duration⌋`` congress-days per seat (the
    rest of the run is too short for a whole congress); a run reaching past the threshold may be
    used up to it (a congress may straddle the threshold, its later days count as lateness).
    """
    total = 0
    for first, last in _runs(days):
        if last <= threshold:
            total += duration * ((last - first + 1) // duration)
        elif first <= threshold:
            total += threshold - first + 1
    return total


def capacity_groups(problem: Problem) -> list[tuple[list[str], int, str]]:
    """The groups under a hard constant daily limit larger than it: (ids, limit, kind), kind
    ``parent`` or ``level`` (a level's limit applies to a load-levelled level too: its peak may
    not pass it). Groups of one kind are disjoint."""
    scenario = problem.scenario
    groups: list[tuple[list[str], int, str]] = []
    if scenario.on("parent_capacity") and scenario.hard("parent_capacity"):
        for kids in problem.by_parent.values():
            by_level: dict[Level, list[str]] = {}
            for kid in kids:
                by_level.setdefault(problem.unit(kid).level, []).append(kid)
            for level, ids in by_level.items():
                cap = scenario.levels[level].parent_daily_capacity
                if cap is not None and len(ids) > cap:
                    groups.append((ids, cap, "parent"))
    if scenario.on("level_capacity") and scenario.hard("level_capacity"):
        for level in scenario.planned_levels():
            cap = scenario.levels[level].daily_capacity
            ids = [u.org_id for u in problem.units if u.level == level]
            if cap is not None and len(ids) > cap:
                groups.append((ids, cap, "level"))
    return groups


def _movable(problem: Problem, ids: list[str]) -> tuple[set[int], list[int], list[tuple[int, int]]]:
    """The days a group's movable congresses may sit on, their lengths, and the fixed ones."""
    days: set[int] = set()
    fixed: list[tuple[int, int]] = []
    lengths: list[int] = []
    seen: set[int] = set()
    for unit in (problem.unit(i) for i in ids):
        allowed, _flags = problem.start_options(unit)
        if len(allowed) == 1:
            fixed.append((allowed[0], allowed[0] + unit.days - 1))
            continue
        lengths.append(unit.days)
        if id(allowed) not in seen:  # start_options caches its lists: same id, same days
            seen.add(id(allowed))
            days |= {s + k for s in allowed for k in range(unit.days)}
    return days, lengths, sorted(fixed)


def group_finish(problem: Problem, ids: list[str], seats: int) -> int | None:
    """A lower bound on the last day of a group's congresses (:func:`earliest_finish`); None
    when none of them may move (no bound) or when the seats cannot hold them at all (see
    :func:`group_fits`)."""
    days, lengths, fixed = _movable(problem, ids)
    if not lengths:
        return None
    return earliest_finish(days, min(lengths), len(lengths), seats, fixed)


def group_fits(problem: Problem, ids: list[str], seats: int) -> bool:
    """False when the seat count proves that the group's congresses cannot all sit on their
    allowed days with at most ``seats`` a day (e.g. 172 two-day congresses, 5 a day, 62 days):
    past the last allowed day nothing is late, so the least lateness there is 0 or None."""
    days, lengths, fixed = _movable(problem, ids)
    if not lengths:
        return True
    if not days:
        return False
    last = max(days)
    return least_lateness(days, last, min(lengths), len(lengths), [seats], fixed)[seats] == 0


def lower_bound(problem: Problem) -> int:
    """A lower bound on the scenario objective of any plan of ``problem`` (the peak terms left
    out, at least zero): :func:`planner.problem.objective.separable_bound`, raised group by group.

    Within one kind of group (disjoint), a group's preferred-date and buffer terms are at least
    each member's cheapest alone, and at least the buffer weight times its tiers' least
    lateness; the larger counts. The better of the two kinds is kept.
    """
    costs = unit_costs(problem)
    limits = late_limits(problem)
    w_buffer = problem.scenario.objective["buffer_weight"]
    best = total = sum(costs.values())
    for kind in ("parent", "level"):
        value = total
        for ids, cap, group_kind in capacity_groups(problem):
            if group_kind != kind:
                continue
            members = [problem.unit(i) for i in ids]
            late = max((t.least_late(cap) for t in tiers(problem, members, limits)), default=0)
            own = sum(costs[i] for i in ids)
            value += max(0, w_buffer * late - own)
        best = max(best, value)
    return best


def finish_bound(problem: Problem) -> int:
    """A lower bound on the last day (index) of any plan: each congress's earliest end, and
    each group's seat count (:func:`group_finish`)."""
    last = -1
    for unit in problem.units:
        allowed, _flags = problem.start_options(unit)
        if allowed:
            last = max(last, allowed[0] + unit.days - 1)
    for ids, cap, _kind in capacity_groups(problem):
        finish = group_finish(problem, ids, cap)
        if finish is not None:
            last = max(last, finish)
    return last
