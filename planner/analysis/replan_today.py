"""Re-plan from today with the actuals (issue 21, point 3): ``planner replan --actuals --today``.

What the actuals say becomes the re-plan's input:

- a congress reported **held** is a fact on its actual dates (the ``held`` mechanism of
  :func:`planner.analysis.replan.replan`);
- a **postponed** one is not held: its new expected start is its base date (its length stays the
  scenario's) and its earliest start (the reason for the delay holds until then); it moves
  later only if the rules force it;
- a **cancelled** or **merged** one is removed from the problem;
- a preparation step (review, announce, report, approval) reported **held** stays on its actual
  dates (:mod:`planner.analysis.replan_steps`);
- nothing not yet held may start before ``today`` (:attr:`Problem.today`: the model, the repair
  and the validator all apply it).

A deadline that can no longer be met from today is not a failure: it is relaxed to the earliest
end the rules still allow, said with the rule and its source, and the re-plan is validated
against the relaxed deadlines (:class:`Slipped`). Three kinds of deadline are looked at, bottom-up:
each level's window end, the gap between the central-level congresses and the National Congress,
and the National Congress's alignment with the election timetable. "At least N days late" is a
lower bound (today, windows, blackouts, the order of levels, and the congress-days a daily
capacity must fit); the relaxed deadline packs each level's congresses under its capacities (a
feasible end, so the re-plan exists when nothing else conflicts).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from planner.analysis.replan import Replan, replan
from planner.plan.actuals import Actual
from planner.problem.units import Problem, Unit
from planner.rules.calendar import date_vi
from planner.rules.families import family
from planner.rules.preparation import StepRow, step_key
from planner.rules.timetable import election_timetable
from planner.tree.hierarchy import Level
from planner.tree.names import lv_en, lv_vi

Dates = dict[str, tuple[dt.date, dt.date]]
SEARCH_DAYS = 800  # how far the packing looks for a free start (beyond: the lower bound stands)


@dataclass(frozen=True)
class Slipped:
    """A deadline that can no longer be met from today, and the one the re-plan used instead.

    ``what``: ``level_window`` (a level's window end), ``national_gap`` (central-level congresses
    end ``gap`` days before the National Congress), ``election_alignment`` (the National
    Congress ends before an election step) or ``pin`` (a congress pinned to dates already past
    and not held: ``level`` is then its org id, and it is placed from today). ``deadline`` /
    ``relaxed`` are dates; ``days`` is how late at least (a lower bound).
    """

    what: str
    level: str
    deadline: dt.date
    relaxed: dt.date
    days: int
    rule: str | None
    source: str

    def words(self) -> tuple[str, str]:
        """The sentence in Vietnamese and in English."""
        vi_day, en_day = date_vi(self.deadline), self.deadline.strftime("%d/%m/%Y")
        cite = f" [{self.rule + ' — ' if self.rule else ''}{self.source}]"
        relaxed_vi, relaxed_en = date_vi(self.relaxed), self.relaxed.strftime("%d/%m/%Y")
        if self.what == "level_window":
            head_vi = f"hạn chót {vi_day} của cấp {lv_vi(self.level)}"
            head_en = f"{lv_en(self.level)} deadline {en_day}"
        elif self.what == "pin":  # ``level`` holds the congress's org id
            head_vi = f"ngày đã chốt {vi_day} của đại hội {self.level} (chưa họp)"
            head_en = f"the pinned date {en_day} of the congress of {self.level} (not held)"
        elif self.what == "national_gap":
            head_vi = f"hạn {vi_day} (trước Đại hội toàn quốc) của cấp {lv_vi(self.level)}"
            head_en = f"{lv_en(self.level)} deadline {en_day} before the National Congress"
        else:
            head_vi = f"hạn {vi_day} của Đại hội toàn quốc theo lịch bầu cử"
            head_en = f"National Congress deadline {en_day} set by the election timetable"
        if self.what == "pin":
            return (
                f"{head_vi} đã qua: trễ ít nhất {self.days} ngày; xếp lại từ hôm nay "
                f"{relaxed_vi}{cite}",
                f"{head_en} has passed: at least {self.days} days late; placed again from today "
                f"{relaxed_en}{cite}",
            )
        return (
            f"{head_vi} không còn đạt được: trễ ít nhất {self.days} ngày; lập lại với hạn "
            f"{relaxed_vi}{cite}",
            f"{head_en} can no longer be met: at least {self.days} days late; re-planned with "
            f"the deadline {relaxed_en}{cite}",
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON row."""
        vi, en = self.words()
        return {
            "what": self.what,
            "level": self.level,
            "deadline": self.deadline.isoformat(),
            "relaxed_to": self.relaxed.isoformat(),
            "days_late_at_least": self.days,
            "rule": self.rule,
            "source": self.source,
            "message_vi": vi,
            "message_en": en,
        }


@dataclass
class Reality:
    """The re-plan's input once the actuals are applied."""

    problem: Problem  # from today, without removed congresses, deadlines relaxed, held marked
    base: pd.DataFrame  # postponed congresses on their new expected dates
    held: Dates = field(default_factory=dict)
    postponed: Dates = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # reports on congresses not planned here
    slipped: list[Slipped] = field(default_factory=list)
    # preparation steps reported held (review, announce, report, approval): they stay put
    held_steps: dict[tuple[str, str], StepRow] = field(default_factory=dict)


def apply_actuals(
    problem: Problem,
    base: pd.DataFrame,
    actuals: Mapping[tuple[str, str], Actual] | Iterable[Actual],
    today: dt.date,
) -> Reality:
    """Apply the congress reports in force to ``problem`` and ``base`` for a re-plan from
    ``today`` (see the module's docstring)."""
    entries = actuals.values() if isinstance(actuals, Mapping) else actuals
    held: Dates = {}
    postponed: Dates = {}
    removed: list[str] = []
    ignored: list[str] = []
    held_steps: dict[tuple[str, str], StepRow] = {}
    for entry in entries:
        if entry.kind != "congress":
            if entry.status == "held" and entry.start and entry.end and problem.has(entry.org_id):
                held_steps[step_key(entry.org_id, entry.kind, None)] = StepRow(
                    entry.org_id, entry.kind, entry.start, entry.end, ""
                )
            continue
        if not problem.has(entry.org_id):
            ignored.append(entry.org_id)
        elif entry.status == "held" and entry.start and entry.end:
            held[entry.org_id] = (entry.start, entry.end)
        elif entry.status == "postponed" and entry.start:
            days = problem.unit(entry.org_id).days
            postponed[entry.org_id] = (entry.start, entry.start + dt.timedelta(days=days - 1))
        elif entry.status in ("cancelled", "merged"):
            removed.append(entry.org_id)
    gone = set(removed)
    kept = problem.subproblem(
        (u.org_id for u in problem.units if u.org_id not in gone),
        earliest={o: start for o, (start, _end) in postponed.items()},
    )
    facts, passed = _passed_pins(kept.with_today(today).with_held(held), today)
    relaxed, slipped = relax(facts)
    slipped[:0] = passed
    return Reality(
        relaxed,
        _postponed_base(base, postponed),
        held,
        postponed,
        removed,
        ignored,
        slipped,
        held_steps,
    )


def _passed_pins(problem: Problem, today: dt.date) -> tuple[Problem, list[Slipped]]:
    """A congress pinned to dates before today and not reported held can no longer sit on
    them: its pin is dropped (it is placed from today like the others) and said."""
    if not problem.scenario.hard("pin"):
        return problem, []
    passed = [u for u in problem.units if u.pin and not u.held and u.pin[0] < today]
    if not passed:
        return problem, []
    gone = {u.org_id for u in passed}
    units = tuple(replace(u, pin=None) if u.org_id in gone else u for u in problem.units)
    said = [
        Slipped(
            "pin",
            u.org_id,
            u.pin[0],
            today,
            (today - u.pin[0]).days,
            None,
            _source(problem, None, "pin"),
        )
        for u in passed
        if u.pin is not None
    ]
    return problem._rebuilt(units), said


def _postponed_base(base: pd.DataFrame, postponed: Dates) -> pd.DataFrame:
    """The base plan with postponed congresses on their new expected dates."""
    if not postponed:
        return base
    out = base.copy()
    out.attrs = dict(base.attrs)
    rows = (out["kind"] == "congress") & out["org_id"].isin(list(postponed))
    for index in out.index[rows]:
        start, end = postponed[str(out.at[index, "org_id"])]
        out.at[index, "start"], out.at[index, "end"] = start, end
    return out


class _Bounds:
    """Earliest ends from today: a lower bound (no capacities) and a packed, feasible one."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        scenario = problem.scenario
        self.prec = scenario.child_before_parent_days if scenario.hard("precedence") else None
        self.blackout = scenario.hard("blackout")
        self.window = scenario.hard("level_window")
        self.today = problem.index(problem.today) if problem.today is not None else 0
        self.low: dict[str, int] = {}  # end index, lower bound
        self.packed: dict[str, int] = {}  # end index, packed under the capacities
        for unit in problem.units:
            if unit.held and unit.pin is not None:
                end = problem.index(unit.pin[1])
                self.low[unit.org_id] = self.packed[unit.org_id] = end
        self.extra_gap: dict[str, int] = {}  # org → a larger gap after its children
        self.crowded: dict[Level, int] = {}  # a level's last end, bounded by its capacities

    def last_low(self, units: Iterable[Unit], level: Level | None = None) -> int:
        """The latest of the units' lower-bound ends, and the level's capacity bound."""
        ends = [self.low[u.org_id] for u in units]
        return max([*ends, self.crowded.get(level, -1)] if level is not None else ends)

    def clear(self, unit: Unit, start: int) -> bool:
        """No blackout day of the unit inside ``start`` … ``start + days − 1``."""
        if not self.blackout:
            return True
        blocked = self.problem.blocked(unit)
        first = self.problem.horizon.start
        return not any(first + dt.timedelta(days=start + k) in blocked for k in range(unit.days))

    def earliest_start(self, unit: Unit, ends: Mapping[str, int]) -> int:
        """After today, the window's start and its children's ends plus the gap."""
        lo = self.today
        if unit.earliest is not None:  # a postponed congress: not before its new start
            lo = max(lo, self.problem.index(unit.earliest))
        if self.window:
            lo = max(lo, self.problem.index(unit.window[0]))
        gap = max(self.prec or 0, self.extra_gap.get(unit.org_id, 0))
        if self.prec is not None or unit.org_id in self.extra_gap:
            for child in self.problem.children(unit.org_id):
                if child in ends:
                    lo = max(lo, ends[child] + gap)
        if unit.pin is not None and self.problem.scenario.hard("pin"):
            lo = max(lo, self.problem.index(unit.pin[0]))
        return lo

    def level(self, level: Level) -> None:
        """Both bounds for the level's congresses not yet held."""
        problem, scenario = self.problem, self.problem.scenario
        units = [u for u in problem.units if u.level == level]
        todo = [u for u in units if not u.held]
        for unit in todo:
            start = self.earliest_start(unit, self.low)
            for _ in range(SEARCH_DAYS):
                if self.clear(unit, start):
                    break
                start += 1
            self.low[unit.org_id] = start + unit.days - 1
        plan = scenario.levels[level]
        parent_cap = plan.parent_daily_capacity if scenario.hard("parent_capacity") else None
        level_cap = plan.daily_capacity if scenario.hard("level_capacity") else None
        self.crowded[level] = _crowding(todo, self.low, level_cap, parent_cap)
        by_parent: dict[tuple[str | None, int], int] = defaultdict(int)
        by_day: dict[int, int] = defaultdict(int)

        def take(unit: Unit, start: int) -> None:
            for day in range(start, start + unit.days):
                by_parent[(unit.parent_id, day)] += 1
                by_day[day] += 1

        def fits(unit: Unit, start: int) -> bool:
            days = range(start, start + unit.days)
            parent = unit.parent_id
            if parent_cap is not None and parent is not None:
                full = any(by_parent[(parent, d)] >= parent_cap for d in days)
                if full:
                    return False
            if level_cap is not None and any(by_day[d] >= level_cap for d in days):
                return False
            return self.clear(unit, start)

        for unit in units:
            if unit.held and unit.pin is not None:
                take(unit, problem.index(unit.pin[0]))
        firsts = {u.org_id: self.earliest_start(u, self.packed) for u in todo}
        for unit in sorted(todo, key=lambda u: (firsts[u.org_id], u.org_id)):
            start = firsts[unit.org_id]
            for _ in range(SEARCH_DAYS):
                if fits(unit, start):
                    break
                start += 1
            take(unit, start)
            self.packed[unit.org_id] = start + unit.days - 1

    def day(self, index: int) -> dt.date:
        return self.problem.horizon.start + dt.timedelta(days=index)


def _crowding(
    todo: list[Unit], low: Mapping[str, int], level_cap: int | None, parent_cap: int | None
) -> int:
    """A lower bound on when the last of ``todo`` ends under the daily capacities: from the
    earliest any of them can start, their congress-days need at least ⌈days ÷ capacity⌉ days
    (nationwide with ``level_cap``, under each parent with ``parent_cap``)."""
    bound = -1
    groups: list[list[Unit]] = []
    if level_cap:
        groups.append(todo)
    if parent_cap:
        by_parent: dict[str | None, list[Unit]] = defaultdict(list)
        for unit in todo:
            if unit.parent_id is not None:
                by_parent[unit.parent_id].append(unit)
        groups.extend(by_parent.values())
    for group in groups:
        cap = level_cap if group is todo else parent_cap
        if not group or not cap:
            continue
        first = min(low[u.org_id] - u.days + 1 for u in group)
        need = -(-sum(u.days for u in group) // cap)
        bound = max(bound, first + need - 1)
    return bound


def relax(problem: Problem) -> tuple[Problem, list[Slipped]]:
    """The problem with every deadline that today makes impossible moved to the earliest end the
    rules still allow, and what was relaxed (levels bottom-up, then the National Congress)."""
    bounds = _Bounds(problem)
    scenario = problem.scenario
    slipped: list[Slipped] = []
    windows: dict[str, tuple[dt.date, dt.date]] = {}
    levels = sorted({u.level for u in problem.units}, key=lambda lv: -lv.depth)
    for level in levels:
        if level == Level.NATIONAL:
            scenario = _national_gap(problem, scenario, bounds, slipped)
        bounds.level(level)
        if bounds.window:
            _windows(problem, level, bounds, windows, slipped)
    scenario = _election(problem, scenario, bounds, slipped)
    if not slipped:
        return problem, []
    units = tuple(
        replace(u, window=windows[u.org_id]) if u.org_id in windows else u for u in problem.units
    )
    rebuilt = problem._rebuilt(units)  # the same problem, other windows
    return replace(rebuilt, scenario=scenario, _options={}), slipped


def _windows(
    problem: Problem,
    level: Level,
    bounds: _Bounds,
    windows: dict[str, tuple[dt.date, dt.date]],
    slipped: list[Slipped],
) -> None:
    """Relax each window end of the level (its own, a pilot one) that no longer holds."""
    groups: dict[tuple[dt.date, dt.date, bool], list[Unit]] = defaultdict(list)
    for unit in problem.units:
        if unit.level == level and not unit.held:
            groups[(*unit.window, unit.pilot)].append(unit)
    plan = problem.scenario.levels[level]
    for (lo, hi, pilot), units in sorted(groups.items()):
        low = bounds.last_low(units, None if pilot else level)
        if bounds.day(low) <= hi:
            continue
        end = bounds.day(max(low, *(bounds.packed[u.org_id] for u in units)))
        for unit in units:
            windows[unit.org_id] = (lo, end)
        rule = None if pilot else plan.window_rules[1]
        slipped.append(
            Slipped(
                "level_window",
                level.value,
                hi,
                end,
                (bounds.day(low) - hi).days,
                rule,
                _source(problem, rule, "pilot" if pilot else "level_window"),
            )
        )


def _national_gap(problem: Problem, scenario: Any, bounds: _Bounds, slipped: list[Slipped]) -> Any:
    """Central-level congresses end ``gap`` days before the National Congress starts: when they
    no longer can, the gap shrinks to what is left (the National Congress keeps its window)."""
    national = problem.national()
    gap = scenario.central_before_national_days
    centrals = [u for u in problem.units if u.level == Level.CENTRAL]
    if national is None or not centrals or not scenario.hard("election_alignment"):
        return scenario
    if national.pin is not None and (national.held or scenario.hard("pin")):
        latest = problem.index(national.pin[0])
    elif bounds.window:
        latest = problem.index(national.window[1]) - national.days + 1
    else:
        return scenario
    low = bounds.last_low([u for u in centrals if not u.held] or centrals, Level.CENTRAL)
    packed = max(bounds.packed[u.org_id] for u in centrals)
    if low + gap <= latest:
        bounds.extra_gap[national.org_id] = gap
        return scenario
    relaxed = max(0, latest - packed)
    bounds.extra_gap[national.org_id] = relaxed
    slipped.append(
        Slipped(
            "national_gap",
            Level.CENTRAL.value,
            bounds.day(latest - gap),
            bounds.day(latest - relaxed),
            low + gap - latest,
            None,
            _source(problem, None, "election_alignment"),
        )
    )
    return replace(scenario, central_before_national_days=relaxed)


def _election(problem: Problem, scenario: Any, bounds: _Bounds, slipped: list[Slipped]) -> Any:
    """The National Congress ends ``need`` days before an election step (on the latest election
    day the scenario allows): when it no longer can, ``need`` shrinks to what is left."""
    national = problem.national()
    step_id = scenario.national_before_step
    if national is None or national.held or not step_id or not problem.election_days:
        return scenario
    if not scenario.hard("election_alignment"):
        return scenario
    day = max(problem.election_days)
    step = election_timetable(day, scenario.election_law).step(step_id)
    if step.first_day is None:
        return scenario
    need = scenario.national_before_step_days
    first = problem.index(step.first_day)
    low, packed = bounds.low[national.org_id], bounds.packed[national.org_id]
    if first - low >= need:
        return scenario
    relaxed = first - max(low, packed)
    slipped.append(
        Slipped(
            "election_alignment",
            Level.NATIONAL.value,
            bounds.day(first - need),
            bounds.day(first - relaxed),
            need - (first - low),
            step_id,
            step.rule or _source(problem, None, "election_alignment"),
        )
    )
    return replace(scenario, national_before_step_days=relaxed)


def _source(problem: Problem, rule_id: str | None, family_id: str) -> str:
    """The legal source of a rule (from the scenario's rule sets), else of its family."""
    if rule_id:
        for rules in problem.scenario.rulesets.values():
            for rule in rules:
                if rule.id == rule_id:
                    return str(rule.source.cite())
    return family(family_id).source


def replan_from_today(
    problem: Problem,
    base: pd.DataFrame,
    actuals: Mapping[tuple[str, str], Actual] | Iterable[Actual],
    today: dt.date,
    **options: Any,
) -> tuple[Replan, Reality]:
    """Re-plan ``base`` from ``today`` with the actuals (``options`` go to
    :func:`planner.analysis.replan.replan`); the plan, when there is one, passed the validator
    against
    the relaxed deadlines, with nothing not yet held before today."""
    reality = apply_actuals(problem, base, actuals, today)
    steps = {**options.pop("held_steps", {}), **reality.held_steps}
    result = replan(reality.problem, reality.base, held=reality.held, held_steps=steps, **options)
    result.today = today
    result.slipped = list(reality.slipped)
    return result, reality
