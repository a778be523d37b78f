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

from planner.problem.units import Problem, Unit
from planner.tree.hierarchy import Level

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
        self.was: dict[str, int] = {}  # where each lifted congress sat
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
        self.was[org_id] = start
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


def _free_start(board: _Board, problem: Problem, org_id: str, near: int | None) -> int | None:
    """The allowed start nearest ``near`` where a congress displaces nobody (None: no such)."""
    allowed, _flags = problem.start_options(problem.unit(org_id))
    order = sorted(allowed, key=lambda s: (abs(s - near), s)) if near is not None else allowed
    unit = problem.unit(org_id)
    return next((s for s in order if board.blockers(unit, s) == {}), None)


def _eject(
    board: _Board, problem: Problem, org_id: str, start: int, blocking: dict[str, str]
) -> dict[str, int] | None:
    """An ejection chain of one step: put ``org_id`` on ``start`` and each congress in its way
    on a start where it displaces nobody. Returns those starts, or None (the board unchanged)."""
    for other in blocking:
        board.lift(other)
    board.place(org_id, start)
    moved: dict[str, int] = {}
    for other in sorted(blocking):
        found = _free_start(board, problem, other, board.was.get(other))
        if found is None:
            break
        board.place(other, found)
        moved[other] = found
    if len(moved) == len(blocking):
        return moved
    for other in moved:  # undo
        board.lift(other)
    board.lift(org_id)
    for other in blocking:
        board.place(other, board.was[other])
    return None


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
    those the base plan lacks); ``reasons`` says why each seed moved. Each goes on the allowed
    start nearest its old one that displaces nobody; failing that, on the nearest start whose
    congresses in the way can all move to a start that displaces nobody (an ejection chain of
    one step, which keeps tight capacities from cycling); failing that, on the start that
    displaces the fewest, and those are put back in turn.
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
        options: list[tuple[int, int, dict[str, str]]] = []
        chosen: tuple[int, dict[str, str]] | None = None
        for rank, s in enumerate(order):
            blocking = board.blockers(unit, s)
            if blocking is None:
                continue
            if not blocking:
                chosen = (s, {})
                break
            options.append((len(blocking), rank, blocking))
        if chosen is not None:
            board.place(org_id, chosen[0])
            continue
        if not options:
            return None
        options.sort(key=lambda o: (o[0], o[1]))
        ejected = None
        for _count, rank, blocking in options:
            if any(problem.unit(o).level != unit.level for o in blocking):
                continue  # chains only among congresses of one level (capacity)
            ejected = _eject(board, problem, org_id, order[rank], blocking)
            if ejected is not None:
                for other, family in sorted(blocking.items()):
                    why.setdefault(other, Forced(family, org_id))
                break
        if ejected is not None:
            continue
        _count, rank, blocking = options[0]
        for other, family in sorted(blocking.items()):
            displaced[other] = displaced.get(other, 0) + 1
            if displaced[other] > MAX_DISPLACEMENTS:
                return None
            board.lift(other)
            why.setdefault(other, Forced(family, org_id))
            queue.append(other)
        board.place(org_id, order[rank])
    moved = {o for o, s in board.starts.items() if base.get(o) != s}
    return Repaired(
        dict(board.starts),
        {o: why[o] for o in moved if o in why},
        time.monotonic() - started,
    )


def peers(problem: Problem, seeds: set[str]) -> set[str]:
    """The seeds and the congresses that share a daily capacity with them: siblings of the same
    level under one parent (parent capacity), every congress of the level (level capacity)."""
    scenario = problem.scenario
    out = set(seeds)
    for org_id in seeds:
        unit = problem.unit(org_id)
        plan = scenario.levels[unit.level]
        if scenario.on("parent_capacity") and plan.parent_daily_capacity is not None:
            out.update(
                c for c in problem.children(unit.parent_id or "")
                if problem.unit(c).level == unit.level
            )  # fmt: skip
        if scenario.on("level_capacity") and plan.daily_capacity is not None:
            out.update(u.org_id for u in problem.units if u.level == unit.level)
    return {o for o in out if not problem.unit(o).held}


def repack(
    problem: Problem,
    base: Mapping[str, int],
    seeds: Iterable[str],
    election: int | None,
    reasons: Mapping[str, Forced] | None = None,
) -> Repaired | None:
    """The second floor, for a capacity too tight to repair one congress at a time: the seeds
    and their peers (:func:`peers`) are taken out and put back one by one, each on the free
    start nearest its old one — first the peers in the order they sat, then the seeds; or all in
    the order they sat. The one that moves fewer congresses is kept (None when neither fits)."""
    started = time.monotonic()
    seed_set = {o for o in seeds if problem.has(o)}
    group = peers(problem, seed_set)
    far = len(problem.horizon)
    orders = [
        sorted(group, key=lambda o: (o in seed_set, base.get(o, far), o)),
        sorted(group, key=lambda o: (base.get(o, far), o)),
    ]
    best: dict[str, int] | None = None
    for order in orders:
        board = _Board(problem, election)
        for org_id, start in base.items():
            if problem.has(org_id) and org_id not in group:
                board.place(org_id, start)
        for org_id in order:
            found = _free_start(board, problem, org_id, base.get(org_id))
            if found is None:
                break
            board.place(org_id, found)
        else:
            moved = sum(1 for o, st in board.starts.items() if base.get(o) != st)
            if best is None or moved < sum(1 for o, st in best.items() if base.get(o) != st):
                best = dict(board.starts)
    if best is None:
        return None
    why = dict(reasons or {})
    out: dict[str, Forced] = {}
    for org_id, start in best.items():
        if base.get(org_id) != start:
            level = problem.unit(org_id).level
            capacity = (
                "level_capacity"
                if problem.scenario.levels[level].daily_capacity is not None
                else "parent_capacity"
            )
            out[org_id] = why.get(org_id, Forced(capacity))
    return Repaired(best, out, time.monotonic() - started)


def dates_of(problem: Problem, starts: Mapping[str, int]) -> dict[str, dt.date]:
    """Start dates of start indices."""
    origin = problem.horizon.start
    return {o: origin + dt.timedelta(days=s) for o, s in starts.items()}
