"""Cheap analytic pre-checks of a problem, before any solver runs (stage a of the diagnosis).

* a congress with no possible start: its window shorter than its duration, every start in its
  window hitting a blackout day, or a pin outside its window or on a blackout;
* chains unit → parent → … → national congress → election step whose durations and gaps cannot
  fit between their windows (earliest start after latest start);
* pigeonhole capacity: congresses forced into a period need more congress-days than the daily
  capacity times the usable days of that period.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from planner.errors import PlannerError
from planner.problem.units import Problem, Unit
from planner.rules.calendar import date_vi as _vi
from planner.rules.families import family
from planner.tree.hierarchy import Level
from planner.tree.names import lv_en, lv_vi, plural_en


@dataclass
class Conflict:
    """A reason the scenario cannot be planned: families, units, dates and bilingual messages."""

    families: list[str]
    units: list[str]
    dates: list[dt.date]
    message_vi: str
    message_en: str
    stage: str = "precheck"
    sources: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "families": self.families,
            "units": self.units,
            "dates": [d.isoformat() for d in sorted(set(self.dates))],
            "message_vi": self.message_vi,
            "message_en": self.message_en,
            "stage": self.stage,
            "sources": self.sources,
        }


def source_of(problem: Problem, family_id: str, level: Level | None = None) -> str:
    """The legal source behind a family, with the level's own rule when there is one."""
    scenario = problem.scenario
    rule_id = None
    if family_id == "level_window" and level is not None:
        rule_id = scenario.levels[level].window_rules[1]
    elif family_id == "duration" and level is not None:
        rule_id = scenario.levels[level].duration_rule
    elif family_id == "precedence" and scenario.directive is not None:
        found = scenario.directive.first("precedence")
        rule_id = found.id if found is not None else None
    elif family_id == "election_alignment":
        rule_id = scenario.national_before_step
    elif family_id == "review" and scenario.preparation is not None:
        review = scenario.preparation.rule("review")
        if review is not None:
            return f"{review.id}, {review.source.cite()}: {review.name_vi}"
    if rule_id:
        for rules in scenario.rulesets.values():
            try:
                rule = rules.get(rule_id)
            except PlannerError:
                continue
            date = rule.param("date")
            when = f" ({_vi(date)})" if isinstance(date, dt.date) else ""
            return f"{rule.source.cite()}: {rule.name_vi}{when}"
    return family(family_id).source


def _names(problem: Problem, ids: list[str], limit: int = 4) -> tuple[str, str]:
    vi = [f"{problem.tree.get(i).name_vi} ({i})" for i in ids[:limit]]
    en = [f"{problem.tree.get(i).name_en} ({i})" for i in ids[:limit]]
    more = len(ids) - limit
    tail_vi = f" và {more} đơn vị khác" if more > 0 else ""
    tail_en = f" and {more} more" if more > 0 else ""
    return ", ".join(vi) + tail_vi, ", ".join(en) + tail_en


def _empty(problem: Problem) -> list[Conflict]:
    groups: dict[tuple[Level, tuple[str, str]], list[Unit]] = defaultdict(list)
    for unit in problem.units:
        allowed, _flags = problem.start_options(unit)
        if allowed:
            continue
        first_i, last_i = problem.index(unit.window[0]), problem.index(unit.window[1])
        if unit.pin is not None and problem.scenario.hard("pin"):
            pin = problem.index(unit.pin[0])
            inside = first_i <= pin and pin + unit.days - 1 <= last_i
            fams: tuple[str, str] = ("pin", "level_window") if not inside else ("pin", "blackout")
        elif last_i - first_i + 1 < unit.days:
            fams = ("level_window", "duration")
        else:
            fams = ("level_window", "blackout")
        groups[(unit.level, fams)].append(unit)
    out = []
    for (level, fams), units in groups.items():
        ids = [u.org_id for u in units]
        first = units[0]
        vi, en = _names(problem, ids)
        lo, hi = first.window
        if fams == ("level_window", "duration"):
            what_vi = f"khung {_vi(lo)}–{_vi(hi)} ngắn hơn {first.days} ngày đại hội"
            what_en = f"the window {lo} – {hi} is shorter than the {first.days}-day congress"
        elif fams == ("level_window", "blackout"):
            what_vi = f"mọi ngày bắt đầu trong khung {_vi(lo)}–{_vi(hi)} đều trùng ngày không họp"
            what_en = f"every start in the window {lo} – {hi} hits a blackout day"
        else:
            assert first.pin is not None
            what_vi = f"ngày chốt {_vi(first.pin[0])} nằm ngoài khung hoặc trùng ngày không họp"
            what_en = f"the pinned date {first.pin[0]} is outside the window or on a blackout"
        sources = [source_of(problem, f, level) for f in fams]
        out.append(
            Conflict(
                families=list(fams),
                units=ids,
                dates=[lo, hi, *([first.pin[0]] if first.pin else [])],
                message_vi=f"Không có ngày nào xếp được đại hội {vi}: {what_vi}. "
                f"[{'; '.join(sources)}]",
                message_en=f"No day fits the congress of {en}: {what_en}. [{'; '.join(sources)}]",
                sources=sources,
            )
        )
    return out


@dataclass
class Bounds:
    """Earliest start and latest finish of every unit implied by windows, gaps and alignment."""

    earliest: dict[str, int | None]
    latest: dict[str, int | None]
    upper_reason: dict[str, str]


def chain_bounds(problem: Problem) -> Bounds:
    """Forward (children first) and backward (parents first) passes over the tree."""
    scenario = problem.scenario
    gap = scenario.child_before_parent_days if scenario.hard("precedence") else None
    align = scenario.hard("election_alignment")
    options = {u.org_id: problem.start_options(u)[0] for u in problem.units}
    units = sorted(problem.units, key=lambda u: -u.level.depth)
    national = problem.national()
    earliest: dict[str, int | None] = {}
    for unit in units:
        bound = 0
        for child in problem.children(unit.org_id):
            c_start = earliest.get(child)
            if c_start is None:
                continue
            c_end = c_start + problem.unit(child).days - 1
            if gap is not None:
                bound = max(bound, c_end + gap)
            if align and national is not None and unit.org_id == national.org_id:
                bound = max(bound, c_end + scenario.central_before_national_days)
        starts = options[unit.org_id]
        pos = bisect.bisect_left(starts, bound)
        earliest[unit.org_id] = starts[pos] if pos < len(starts) else None
    latest: dict[str, int | None] = {}
    reason: dict[str, str] = {}
    for unit in reversed(units):
        limit = 10**9
        why = "window"
        if unit.parent_id is not None and problem.has(unit.parent_id):
            p_start = latest.get(unit.parent_id)
            if p_start is None:
                latest[unit.org_id] = None
                reason[unit.org_id] = f"parent:{unit.parent_id}"
                continue
            if gap is not None and p_start - gap < limit:
                limit, why = p_start - gap, f"parent:{unit.parent_id}"
            if align and national is not None and unit.parent_id == national.org_id:
                cap = p_start - scenario.central_before_national_days
                if cap < limit:
                    limit, why = cap, "alignment:national"
        if align and national is not None and unit.org_id == national.org_id:
            offset = problem.step_offsets.get(scenario.national_before_step)
            if offset is not None:
                last_e = max(problem.index(d) for d in problem.election_days)
                cap = last_e + offset - scenario.national_before_step_days
                if cap < limit:
                    limit, why = cap, f"alignment:{scenario.national_before_step}"
        starts = options[unit.org_id]
        pos = bisect.bisect_right(starts, limit - unit.days + 1)
        latest[unit.org_id] = starts[pos - 1] if pos > 0 else None
        reason[unit.org_id] = why
    return Bounds(earliest, latest, reason)


def _chains(problem: Problem, bounds: Bounds, empty: set[str]) -> list[Conflict]:
    groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
    failing = set()
    for unit in problem.units:
        lo, hi = bounds.earliest[unit.org_id], bounds.latest[unit.org_id]
        if lo is None or hi is None or lo > hi:
            failing.add(unit.org_id)
    collateral = 0
    for unit in problem.units:
        if unit.org_id in empty or unit.org_id not in failing:
            continue
        why = bounds.upper_reason.get(unit.org_id, "window")
        if why.startswith("parent:") and why.split(":", 1)[1] in failing:
            collateral += 1  # fails only because its parent does: reported with the parent
            continue
        chain = [unit.org_id]
        why = bounds.upper_reason.get(unit.org_id, "window")
        while why.startswith("parent:"):
            parent = why.split(":", 1)[1]
            chain.append(parent)
            why = bounds.upper_reason.get(parent, "window")
        groups[(why, chain[-1])].append(unit.org_id)
    out = []
    below_vi = f" ({collateral} đơn vị cấp dưới cũng bị ảnh hưởng.)" if collateral else ""
    verb = "is" if collateral == 1 else "are"
    below = plural_en(collateral, "unit")
    below_en = f" ({below} below {verb} affected too.)" if collateral else ""
    for (why, top), ids in groups.items():
        fams = ["level_window"]
        if any(problem.unit(i).parent_id for i in ids) and len(ids) > 0 and top not in ids:
            fams.append("precedence")
        if why.startswith("alignment"):
            fams.append("election_alignment")
        unit = problem.unit(ids[0])
        top_unit = problem.unit(top)
        vi, en = _names(problem, ids)
        sources = [source_of(problem, f, unit.level) for f in fams]
        dates = [unit.window[0], unit.window[1], top_unit.window[0], top_unit.window[1]]
        if why.startswith("alignment:el."):
            step = why.split(":", 1)[1]
            e = max(problem.election_days)
            step_day = e + dt.timedelta(days=problem.step_offsets[step])
            dates.append(step_day)
            tail_vi = (
                f"Đại hội toàn quốc ({top}) phải kết thúc trước bước {step} ngày {_vi(step_day)} "
                f"nhưng khung của nó là {_vi(top_unit.window[0])}–{_vi(top_unit.window[1])}."
            )
            tail_en = (
                f"The national congress ({top}) must end before step {step} on {step_day}, but "
                f"its window is {top_unit.window[0]} – {top_unit.window[1]}."
            )
        else:
            tail_vi = (
                f"Chuỗi đến {top} không đủ chỗ cho thời gian đại hội và khoảng cách giữa các cấp."
            )
            tail_en = f"The chain up to {top} has no room for the congress durations and gaps."
        out.append(
            Conflict(
                families=fams,
                units=[*ids, *([top] if top not in ids else [])],
                dates=dates,
                message_vi=f"Không xếp được {vi}. {tail_vi}{below_vi} [{'; '.join(sources)}]",
                message_en=f"Cannot place {en}. {tail_en}{below_en} [{'; '.join(sources)}]",
                sources=sources,
            )
        )
    return out


def _usable_days(problem: Problem, level: Level, lo: int, hi: int) -> int:
    blocked = {problem.index(d) for d in problem.blackout_days.get(level, {})}
    if not problem.scenario.hard("blackout"):
        blocked = set()
    return sum(1 for i in range(lo, hi + 1) if i not in blocked)


def _pigeonhole(problem: Problem, bounds: Bounds) -> list[Conflict]:
    scenario = problem.scenario
    out: list[Conflict] = []
    if not scenario.hard("level_capacity"):
        return out
    for level in scenario.planned_levels():
        cap = scenario.levels[level].daily_capacity
        if cap is None:
            continue
        units = [
            u
            for u in problem.units
            if u.level == level
            and bounds.earliest[u.org_id] is not None
            and bounds.latest[u.org_id] is not None
        ]
        if not units:
            continue
        spans = {
            u.org_id: (
                bounds.earliest[u.org_id] or 0,
                (bounds.latest[u.org_id] or 0) + u.days - 1,
                u.days,
            )
            for u in units
        }
        candidates_lo = sorted({s[0] for s in spans.values()})
        candidates_hi = sorted({s[1] for s in spans.values()})
        if len(units) > 120:
            candidates_lo, candidates_hi = candidates_lo[:1], candidates_hi[-1:]
        worst: tuple[int, int, int, int, list[str]] | None = None
        for lo in candidates_lo:
            for hi in candidates_hi:
                if hi < lo:
                    continue
                inside = [o for o, (a, b, _d) in spans.items() if a >= lo and b <= hi]
                need = sum(spans[o][2] for o in inside)
                room = cap * _usable_days(problem, level, lo, hi)
                if need > room and (worst is None or need - room > worst[2] - worst[3]):
                    worst = (lo, hi, need, room, inside)
        if worst is None:
            continue
        lo, hi, need, room, inside = worst
        start = problem.horizon.start + dt.timedelta(days=lo)
        end = problem.horizon.start + dt.timedelta(days=hi)
        sources = [source_of(problem, "level_capacity"), source_of(problem, "level_window", level)]
        out.append(
            Conflict(
                families=["level_capacity", "level_window"],
                units=sorted(inside),
                dates=[start, end],
                message_vi=f"{len(inside)} đại hội cấp {lv_vi(level)} cần {need} ngày-đại hội "
                f"trong {_vi(start)}–{_vi(end)}, nhưng chỉ có {room} "
                f"(tối đa {cap} đại hội/ngày trên những ngày được họp). [{'; '.join(sources)}]",
                message_en=f"{len(inside)} {lv_en(level)} congresses need {need} "
                f"congress-days within {start} – {end}, but only {room} exist (at most {cap} a "
                f"day on the days congresses may sit). [{'; '.join(sources)}]",
                sources=sources,
            )
        )
    return out


def precheck(problem: Problem) -> list[Conflict]:
    """Every conflict the analytic checks can prove, without a solver."""
    empty = _empty(problem)
    empty_ids = {i for c in empty for i in c.units}
    bounds = chain_bounds(problem)
    return [*empty, *_chains(problem, bounds, empty_ids), *_pigeonhole(problem, bounds)]
