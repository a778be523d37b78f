"""Review sessions as resources (issue 20, point 2): in the CP-SAT model and in the floor.

Each central-level congress whose cycle has a ``review`` rule gets one review: a 1-day session
of the whole Politburo (for the committees the data lists) or of one review group. Each body
holds at most its capacity of reviews a day (a cumulative of unit intervals), never on its
unavailable days (domain exclusions, not intervals: DESIGN §3), inside the scenario's review
window, and the review ends at least L days before its congress starts (a precedence with the
lead, :meth:`PreparationSettings.review_latest`).

The review groups are **pooled** when they are identical (same capacity, days off and
unavailable ranges): one cumulative of capacity ``groups × capacity``. That is exact for 1-day
sessions: a day's count ``n ≤ g·c`` always splits over ``g`` groups of ``c`` (fill them in
order), so the pooled model has the same feasible review days and no symmetric choices of a
group; :func:`extract` then names the group of each review. Otherwise each review has one
optional interval per group, exactly one present.

:class:`ReviewBook` is the same rule for the constructive floor (no search): the latest free day
of an available body before each congress.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from ortools.sat.python import cp_model

from planner.problem.objective import ATTENDANCE_WEIGHT
from planner.problem.units import Problem
from planner.rules.preparation import (
    STANDING_COMMITTEE,
    PreparationSettings,
    ReviewBody,
    Step,
    plan_steps,
)
from planner.tree.hierarchy import Level

ONE_DAY = dt.timedelta(days=1)
LOOKBACK = 366  # days before the latest one a review may sit when the window has no start
Reviews = dict[str, tuple[dt.date, str]]


class CongressModel(Protocol):
    """What the review sessions use of the congress model (:class:`planner.solver.model.
    CongressModel`, which builds them): named here so this module never imports that one."""

    problem: Problem
    model: cp_model.CpModel
    start: dict[str, cp_model.IntVar]
    interval: dict[str, cp_model.IntervalVar]
    penalties: list[tuple[str, int, cp_model.LinearExpr]]

    def idx(self, day: dt.date) -> int:
        """The day index of a date in the problem's horizon."""
        ...

    def slack(self, family: str, label: str, upper: int) -> cp_model.IntVar:
        """A non-negative slack variable, penalised by the family's weight."""
        ...


def review_steps(problem: Problem) -> dict[str, Step]:
    """The reviews by a reviewing body (not a standing committee) of the problem's congresses."""
    settings = problem.scenario.preparation
    if settings is None or not settings.active or not problem.scenario.on("review"):
        return {}  # the family switched off (the diagnosis's deletion filter) plans no review
    units = ((u.org_id, u.level.value) for u in problem.units)
    return {
        s.org_id: s
        for s in plan_steps(settings, units)
        if s.kind == "review" and s.body != STANDING_COMMITTEE
    }


def pooled(settings: PreparationSettings) -> bool:
    """Whether the review groups are interchangeable (see the module docstring)."""
    groups = settings.data.groups()
    keys = {(settings.capacity(g), g.weekdays_off, g.unavailable) for g in groups}
    return len(keys) <= 1


def _bodies(settings: PreparationSettings, step: Step) -> list[ReviewBody]:
    data = settings.data
    return [data.body(step.body)] if step.body else list(data.groups())


def _span(
    settings: PreparationSettings, latest: dt.date, earliest: dt.date | None
) -> list[dt.date]:
    first = earliest if earliest is not None else latest - ONE_DAY * LOOKBACK
    return [first + ONE_DAY * i for i in range((latest - first).days + 1)]


@dataclass
class ReviewVars:
    """The review variables of a model: a day per congress, and its body's choice."""

    day: dict[str, cp_model.IntVar] = field(default_factory=dict)
    fixed: dict[str, str] = field(default_factory=dict)  # org id → the whole body's id
    choice: dict[str, dict[str, cp_model.IntVar]] = field(default_factory=dict)  # not pooled
    pool: tuple[str, ...] = ()  # the pooled groups' ids


def add_reviews(cm: CongressModel) -> ReviewVars | None:
    """The reviews of ``cm``'s congresses as 1-day intervals on the bodies' capacities."""
    problem = cm.problem
    steps = review_steps(problem)
    settings = problem.scenario.preparation
    if not steps or settings is None:
        return None
    model = cm.model
    rv = ReviewVars()
    pool = pooled(settings)
    groups = settings.data.groups()
    per_body: dict[str, list[tuple[cp_model.IntervalVar, int]]] = defaultdict(list)
    for org_id, step in sorted(steps.items()):
        latest_of = _latest_index(cm, settings, org_id)
        window = settings.review_window
        hi = cm.idx(window[1]) if window is not None else None
        lo = cm.idx(window[0]) if window is not None else None
        bodies = _bodies(settings, step)
        if step.body is None and pool:
            bodies = bodies[:1]
        days = _days(cm, settings, bodies, lo, hi, latest_of.upper)
        day = model.new_int_var_from_domain(
            cp_model.Domain.from_values(days or [0]), f"review[{org_id}]"
        )
        if not days:
            model.add_bool_or([])  # no day of the window is free: the model is infeasible
        latest_of.bind(day)
        rv.day[org_id] = day
        if step.body is not None:
            rv.fixed[org_id] = step.body
            iv = model.new_fixed_size_interval_var(day, 1, f"riv[{org_id}]")
            per_body[step.body].append((iv, 1))
        elif pool:
            iv = model.new_fixed_size_interval_var(day, 1, f"riv[{org_id}]")
            per_body["groups"].append((iv, 1))
        else:
            rv.choice[org_id] = _choose(cm, settings, org_id, day, groups, lo, hi, per_body)
    if pool:
        rv.pool = tuple(g.id for g in groups)
    caps = {b.id: settings.capacity(b) for b in settings.data.bodies}
    caps["groups"] = sum(settings.capacity(g) for g in groups)
    soft = not problem.scenario.hard("review")
    for body_id, items in per_body.items():
        if len(items) > caps[body_id]:
            cap: cp_model.LinearExprT = caps[body_id]
            if soft:  # reviews over a body's capacity a day, penalised (the elastic model)
                cap = cm.slack("review", body_id, len(items)) + caps[body_id]
            model.add_cumulative([i for i, _ in items], [d for _, d in items], cap)
    return rv


@dataclass
class _Latest:
    """The last review day of a congress, as a function of its start variable."""

    upper: int
    bind: Callable[[cp_model.IntVar], None]


def _latest_index(cm: CongressModel, settings: PreparationSettings, org_id: str) -> _Latest:
    start = cm.start[org_id]
    domain = list(cm.model.proto.variables[start.index].domain)
    top = domain[-1]
    soft = not cm.problem.scenario.hard("review")
    span = len(cm.problem.horizon)

    def late(day: cp_model.IntVar) -> cp_model.LinearExprT:
        """The review's day, less the days it may sit too late when the family is soft."""
        return day - cm.slack("review", org_id, span) if soft else day

    if settings.review_lead_unit != "working":
        lead = settings.review_lead_days

        def bind(day: cp_model.IntVar) -> None:
            cm.model.add(late(day) + lead <= start)

        return _Latest(top - lead + (span if soft else 0), bind)
    origin = cm.problem.horizon.start
    table = [cm.idx(settings.review_latest(origin + ONE_DAY * s)) for s in range(top + 1)]

    def bind_table(day: cp_model.IntVar) -> None:
        last = cm.model.new_int_var(min(table), max(table), f"review_latest[{org_id}]")
        cm.model.add_element(start, table, last)
        cm.model.add(late(day) <= last)

    return _Latest(max(table) + (span if soft else 0), bind_table)


def _days(
    cm: CongressModel,
    settings: PreparationSettings,
    bodies: list[ReviewBody],
    lo: int | None,
    hi: int | None,
    upper: int,
) -> list[int]:
    """Day indices on which one of ``bodies`` may sit, inside the window and before ``upper``."""
    last = min(upper, hi) if hi is not None else upper
    first = lo if lo is not None else last - LOOKBACK
    origin = cm.problem.horizon.start
    return [
        i
        for i in range(first, last + 1)
        if any(settings.unavailable(b, origin + ONE_DAY * i) is None for b in bodies)
    ]


def _choose(
    cm: CongressModel,
    settings: PreparationSettings,
    org_id: str,
    day: cp_model.IntVar,
    groups: tuple[ReviewBody, ...],
    lo: int | None,
    hi: int | None,
    per_body: dict[str, list[tuple[cp_model.IntervalVar, int]]],
) -> dict[str, cp_model.IntVar]:
    """One optional interval per review group (groups that differ), exactly one present."""
    upper = list(cm.model.proto.variables[day.index].domain)[-1]
    present: dict[str, cp_model.IntVar] = {}
    for group in groups:
        days = _days(cm, settings, [group], lo, hi, upper)
        if not days:
            continue
        lit = cm.model.new_bool_var(f"by[{org_id},{group.id}]")
        own = cm.model.new_int_var_from_domain(
            cp_model.Domain.from_values(days), f"review[{org_id},{group.id}]"
        )
        cm.model.add(own == day).only_enforce_if(lit)
        iv = cm.model.new_optional_fixed_size_interval_var(own, 1, lit, f"riv[{org_id},{group.id}]")
        per_body[group.id].append((iv, 1))
        present[group.id] = lit
    cm.model.add_exactly_one(present.values())
    return present


def add_attendance(cm: CongressModel) -> None:
    """``preparation.attendance_limit``: central-level congresses in session a day above the
    limit cost :data:`ATTENDANCE_WEIGHT` each on the worst day (soft: a penalty, never a
    refusal; UNVERIFIED, PREPARATION §3)."""
    settings = cm.problem.scenario.preparation
    limit = settings.attendance_limit if settings is not None else None
    ids = [u.org_id for u in cm.problem.units if u.level == Level.CENTRAL]
    if limit is None or len(ids) <= limit:
        return
    over = cm.model.new_int_var(0, len(ids) - limit, "attendance_over")
    cm.model.add_cumulative([cm.interval[o] for o in ids], [1] * len(ids), over + limit)
    cm.penalties.append(("attendance", ATTENDANCE_WEIGHT, over))


def extract(
    problem: Problem, rv: ReviewVars | None, value: Callable[[cp_model.IntVar], int]
) -> Reviews:
    """The scheduled reviews (org id → (day, body id)) of a solved model."""
    if rv is None:
        return {}
    origin = problem.horizon.start
    out: Reviews = {}
    pooled_days: dict[int, list[str]] = defaultdict(list)
    for org_id, var in rv.day.items():
        index = value(var)
        if org_id in rv.fixed:
            out[org_id] = (origin + ONE_DAY * index, rv.fixed[org_id])
        elif org_id in rv.choice:
            body = next(g for g, lit in rv.choice[org_id].items() if value(lit))
            out[org_id] = (origin + ONE_DAY * index, body)
        else:
            pooled_days[index].append(org_id)
    settings = problem.scenario.preparation
    assert settings is not None or not pooled_days
    for index, orgs in pooled_days.items():
        slots = [g for g in rv.pool for _ in range(settings.capacity(settings.data.body(g)))]  # type: ignore[union-attr]
        for org_id, body in zip(sorted(orgs), slots, strict=False):
            out[org_id] = (origin + ONE_DAY * index, body)
    return out


def hint_reviews(
    cm: CongressModel, rv: ReviewVars | None, reviews: Mapping[str, tuple[dt.date, str]]
) -> None:
    """Hint the review variables with a schedule (the floor's)."""
    if rv is None:
        return
    for org_id, var in rv.day.items():
        if org_id not in reviews:
            continue
        day, body = reviews[org_id]
        cm.model.add_hint(var, cm.idx(day))
        for group, lit in rv.choice.get(org_id, {}).items():
            cm.model.add_hint(lit, int(group == body))


class ReviewBook:
    """The floor's reviews: each body's load a day; the latest free day before a congress."""

    def __init__(self, problem: Problem) -> None:
        self.steps = review_steps(problem)
        self.settings = problem.scenario.preparation
        self.load: dict[tuple[str, dt.date], int] = defaultdict(int)
        self.reviews: Reviews = {}

    def bodies(self, org_id: str) -> str:
        """The names of the bodies that may review ``org_id`` (for the blocked message)."""
        assert self.settings is not None
        return ", ".join(b.id for b in _bodies(self.settings, self.steps[org_id]))

    def find(self, org_id: str, start: dt.date, end: dt.date) -> tuple[dt.date, str] | None:
        """The latest day and body with room for the review of a congress on ``start``–``end``
        (None when ``org_id`` has no review: see :meth:`needs`, or no day is left)."""
        settings = self.settings
        step = self.steps.get(org_id)
        if step is None or settings is None:
            return None
        earliest, latest = step.bounds(settings, start, end)
        bodies = _bodies(settings, step)
        for day in reversed(_span(settings, latest, earliest)):
            for body in bodies:
                room = self.load[(body.id, day)] < settings.capacity(body)
                if room and settings.unavailable(body, day) is None:
                    return day, body.id
        return None

    def take(self, org_id: str, day: dt.date, body: str) -> None:
        """Book the review of ``org_id``."""
        self.load[(body, day)] += 1
        self.reviews[org_id] = (day, body)


def reviews_fit(problem: Problem, starts: Mapping[str, dt.date]) -> bool:
    """Whether every review of the congresses on ``starts`` has a day (the plan's placement,
    :func:`planner.rules.preparation.derive_rows`: in start order, each on the latest free day).

    With one body per review (the whole Politburo, or the pooled identical groups), a common
    earliest day (the window's start) and a latest day that grows with the start, that order
    is exact: a review finds no day only when more reviews must sit by its latest day than the
    days up to it can hold.
    """
    steps = review_steps(problem)
    if not steps:
        return True
    book = ReviewBook(problem)
    one_day = dt.timedelta(days=1)
    for org_id in sorted((o for o in steps if o in starts), key=lambda o: (starts[o], o)):
        start = starts[org_id]
        found = book.find(org_id, start, start + one_day * (problem.unit(org_id).days - 1))
        if found is None:
            return False
        book.take(org_id, *found)
    return True
