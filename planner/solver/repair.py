"""Repair: the constructive floor of re-planning — move only what the new rules force.

Start from the base plan with the congresses that break the new rules taken out (the *seeds*).
Put each back on the allowed day nearest its old date where it keeps every hard rule with the
congresses still in place. When no such day exists, take the day that displaces the fewest
congresses — a parent that would start too early, a child that ends too late, the sibling
occupying the last seat of a daily capacity — move the unit there and put the displaced ones back
the same way, each remembering which congress and which rule forced it. Held congresses never
move. The result is a complete plan that moves the seeds plus exactly the congresses forced by
them; CP-SAT may then only improve on its count (issue 11).

The checks mirror the hard families of :mod:`planner.solver.model`; the independent validator
still checks the final plan.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from planner.hierarchy import Level
from planner.problem import Problem, Unit

MAX_DISPLACEMENTS = 6  # a congress displaced more often than this: the repair gives up


@dataclass(frozen=True)
class Forced:
    """Why a congress moved: the rule family and the congress that forced it (or None)."""

    family: str
    by: str | None = None
    rule: str | None = None


@dataclass
class Repaired:
    """A repaired plan (start indices) and why each moved congress moved."""

    starts: dict[str, int]
    reasons: dict[str, Forced] = field(default_factory=dict)
    seconds: float = 0.0


class _Board:
    """The congresses in place, with the daily loads the capacity rules count."""

    def __init__(self, problem: Problem, election: int | None) -> None:
        self.problem = problem
        self.scenario = problem.scenario
        self.election = election
        self.size = len(problem.horizon)
        self.starts: dict[str, int] = {}
        self.occupants: dict[tuple[str | None, Level], dict[int, set[str]]] = {}
        self.level_occupants: dict[Level, dict[int, set[str]]] = {}
        self.national = problem.national()
        self.centrals = [u.org_id for u in problem.units if u.level == Level.CENTRAL]

    def on(self, family: str) -> bool:
        return self.scenario.hard(family)

    def end(self, org_id: str) -> int:
        return self.starts[org_id] + self.problem.unit(org_id).days - 1

    def _maps(self, unit: Unit) -> list[tuple[dict[int, set[str]], int, str]]:
        plan = self.scenario.levels[unit.level]
        out = []
        if (
            self.on("parent_capacity")
            and plan.parent_daily_capacity is not None
            and unit.parent_id is not None
        ):
            days = self.occupants.setdefault((unit.parent_id, unit.level), {})
            out.append((days, plan.parent_daily_capacity, "parent_capacity"))
        if self.on("level_capacity") and plan.daily_capacity is not None:
            days = self.level_occupants.setdefault(unit.level, {})
            out.append((days, plan.daily_capacity, "level_capacity"))
        return out

    def place(self, org_id: str, start: int) -> None:
        unit = self.problem.unit(org_id)
        self.starts[org_id] = start
        for days, _cap, _family in self._maps(unit):
            for d in range(start, start + unit.days):
                days.setdefault(d, set()).add(org_id)

    def lift(self, org_id: str) -> None:
        unit = self.problem.unit(org_id)
        start = self.starts.pop(org_id)
        for days, _cap, _family in self._maps(unit):
            for d in range(start, start + unit.days):
                days[d].discard(org_id)

    def blockers(self, unit: Unit, s: int) -> dict[str, str] | None:
        """Congresses in place that a start ``s`` conflicts with (→ family), or None when the
        start is impossible whatever moves (the election day, a held congress)."""
        problem, scenario = self.problem, self.scenario
        end = s + unit.days - 1
        out: dict[str, str] = {}
        if self.on("precedence"):
            gap = scenario.child_before_parent_days
            for child in problem.children(unit.org_id):
                if child in self.starts and self.end(child) + gap > s:
                    out[child] = "precedence"
            parent = unit.parent_id
            if parent is not None and parent in self.starts and end + gap > self.starts[parent]:
                out[parent] = "precedence"
        if self.on("pilot") and unit.parent_id is not None:
            lead = scenario.pilot_lead_days
            for sibling in problem.children(unit.parent_id):
                other = problem.unit(sibling)
                if sibling not in self.starts or other.level != unit.level:
                    continue
                if unit.pilot and not other.pilot and end + lead > self.starts[sibling]:
                    out[sibling] = "pilot"
                if other.pilot and not unit.pilot and self.end(sibling) + lead > s:
                    out[sibling] = "pilot"
        if self.on("election_alignment") and self.national is not None:
            gap = scenario.central_before_national_days
            nat = self.national.org_id
            if unit.level == Level.CENTRAL and nat in self.starts and end + gap > self.starts[nat]:
                out[nat] = "election_alignment"
            if unit.org_id == nat:
                for central in self.centrals:
                    if central in self.starts and self.end(central) + gap > s:
                        out[central] = "election_alignment"
                offset = problem.step_offsets.get(scenario.national_before_step)
                need = scenario.national_before_step_days
                if (
                    offset is not None
                    and self.election is not None
                    and self.election + offset - end < need
                ):
                    return None
                after = problem.after_step_offset()
                if (
                    after is not None
                    and self.election is not None
                    and s - self.election - after < scenario.national_after_step_days
                ):
                    return None
        for days, cap, family in self._maps(unit):
            for d in range(s, end + 1):
                here = [o for o in days.get(d, ()) if o not in out]  # those in out move away
                over = len(here) - cap + 1
                if over <= 0:
                    continue
                if over > len(here):
                    return None  # a capacity below one
                # displace the occupants covering most of this congress's overloaded days
                here.sort(key=lambda o: (-self._overlap(o, s, end), o))
                for occupant in here[:over]:
                    out[occupant] = family
        if any(problem.unit(o).held for o in out):
            return None
        return out

    def _overlap(self, org_id: str, s: int, end: int) -> int:
        a = self.starts[org_id]
        b = a + self.problem.unit(org_id).days - 1
        return max(0, min(b, end) - max(a, s) + 1)


def repair(
    problem: Problem,
    base: Mapping[str, int],
    seeds: Iterable[str],
    election: int | None,
    reasons: Mapping[str, Forced] | None = None,
    deadline: float | None = None,
) -> Repaired | None:
    """Repair ``base`` (start indices) for ``problem``; None when it cannot (then CP-SAT alone).

    ``seeds`` are the congresses that must be placed again (those the validator flagged and
    those the base plan lacks); ``reasons`` says why each seed moved.
    """
    started = time.monotonic()
    board = _Board(problem, election)
    seeds = [o for o in seeds if problem.has(o)]
    seed_set = set(seeds)
    for org_id, start in base.items():
        if problem.has(org_id) and org_id not in seed_set:
            board.place(org_id, start)
    why: dict[str, Forced] = dict(reasons or {})
    for org_id in seeds:
        why.setdefault(org_id, Forced("completeness"))
    queue = deque(sorted(seeds, key=lambda o: (-problem.unit(o).level.depth, o)))
    displaced: dict[str, int] = {}
    steps = 0
    while queue:
        steps += 1
        if deadline is not None and steps % 64 == 0 and time.monotonic() > deadline:
            return None
        org_id = queue.popleft()
        unit = problem.unit(org_id)
        if unit.held:
            return None  # a held congress that breaks a rule cannot be repaired by moving it
        allowed, _flags = problem.start_options(unit)
        if not allowed:
            return None
        old = base.get(org_id)
        order = sorted(allowed, key=lambda s: (abs(s - old), s)) if old is not None else allowed
        best: tuple[int, int, dict[str, str]] | None = None
        for rank, s in enumerate(order):
            blocking = board.blockers(unit, s)
            if blocking is None:
                continue
            if not blocking:
                best = (0, rank, blocking)
                break
            if best is None or len(blocking) < best[0]:
                best = (len(blocking), rank, blocking)
        if best is None:
            return None
        start = order[best[1]]
        for other, family in sorted(best[2].items()):
            displaced[other] = displaced.get(other, 0) + 1
            if displaced[other] > MAX_DISPLACEMENTS:
                return None
            board.lift(other)
            why.setdefault(other, Forced(family, org_id))
            queue.append(other)
        board.place(org_id, start)
    moved = {o for o, s in board.starts.items() if base.get(o) != s}
    return Repaired(
        dict(board.starts),
        {o: why[o] for o in moved if o in why},
        time.monotonic() - started,
    )


def dates_of(problem: Problem, starts: Mapping[str, int]) -> dict[str, dt.date]:
    """Start dates of start indices."""
    origin = problem.horizon.start
    return {o: origin + dt.timedelta(days=s) for o, s in starts.items()}
