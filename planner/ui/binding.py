"""Which rules bind one congress in a plan, with their legal sources (read from the plan; no
solver here).

A rule *binds* a congress when the congress sits exactly on its limit: it ends on the
deadline, starts on the window's first day, lasts the maximum, leaves exactly the minimum gap
before its parent's congress (or after its last child's), fills the last seat of a capacity on
one of its days, touches a day without congresses, or is pinned. Moving it further that way is
what the rule forbids, so these are the rules a planner asks about first.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from planner.calendar import date_vi_padded
from planner.families import catalogue
from planner.names import plural_en
from planner.problem import Problem


@dataclass(frozen=True)
class Bound:
    """One rule as it applies to a congress: does it bind, why, and where it comes from."""

    family: str
    rule: str
    binds: bool
    detail_vi: str
    detail_en: str
    source: str


def rule_source(problem: Problem, rule_id: str | None) -> str:
    """The legal source of a rule of the scenario's rule sets (empty when unknown)."""
    if not rule_id:
        return ""
    for ruleset in problem.scenario.rulesets.values():
        for rule in ruleset:
            if rule.id == rule_id:
                return str(rule.source.cite())
    return ""


def family_source(problem: Problem, family: str) -> str:
    """A family's legal source for the scenario's cycle: the catalogue names the 2020
    directive (Chỉ thị 35-CT/TW); another cycle's directive stands in its place."""
    found = catalogue().get(family)
    if found is None:
        return ""
    directive = problem.scenario.directive
    if directive is not None and "35-CT/TW" not in directive.document:
        named = directive.document.split(" ngày ")[0].split(" về ")[0]
        return found.source.split(" (")[0].replace("Chỉ thị 35-CT/TW", named)
    return found.source


def calendar_basis(files: tuple[str, ...] | list[str]) -> str:
    """Where a window without a rule comes from: the Central Committee's decision on the
    National Congress's dates, as written in the cycle's calendar files."""
    named = ", ".join(f"data/calendar/{f}" for f in files) or "—"
    return f"Nghị quyết của Ban Chấp hành Trung ương về ngày Đại hội (lịch: {named})"


def _dates(plan: pd.DataFrame) -> dict[str, tuple[dt.date, dt.date]]:
    congress = plan[plan["kind"] == "congress"]
    return {
        str(o): (s, e)
        for o, s, e in zip(congress["org_id"], congress["start"], congress["end"], strict=True)
    }


def _fmt(day: dt.date) -> str:
    return date_vi_padded(day)


def _full_day(
    dates: dict[str, tuple[dt.date, dt.date]], others: list[str], start: dt.date, end: dt.date
) -> tuple[dt.date, int] | None:
    """The busiest day of ``[start, end]`` among ``others`` (the unit itself included)."""
    load: Counter[dt.date] = Counter()
    for other in others:
        if other not in dates:
            continue
        lo, hi = dates[other]
        first, last = max(lo, start), min(hi, end)
        for k in range((last - first).days + 1):
            load[first + dt.timedelta(days=k)] += 1
    return load.most_common(1)[0] if load else None


def binding_rules(problem: Problem, plan: pd.DataFrame, org_id: str) -> list[Bound]:
    """Every rule that applies to one congress of the plan, binding or not."""
    scenario = problem.scenario
    unit = problem.unit(org_id)
    dates = _dates(plan)
    start, end = dates[org_id]
    level_plan = scenario.levels[unit.level]
    out: list[Bound] = []
    lo, hi = unit.window
    start_rule, end_rule = level_plan.window_rules
    for rule, binds, vi, en in (
        (end_rule, end == hi, f"hạn chót {_fmt(hi)}; kết thúc {_fmt(end)}",
         f"deadline {_fmt(hi)}; ends {_fmt(end)}"),
        (start_rule, start == lo, f"sớm nhất {_fmt(lo)}; bắt đầu {_fmt(start)}",
         f"earliest {_fmt(lo)}; starts {_fmt(start)}"),
    ):  # fmt: skip
        source = rule_source(problem, rule) or calendar_basis(scenario.calendar_files)
        out.append(Bound("level_window", rule or "", binds, vi, en, source))
    days = (end - start).days + 1
    if level_plan.duration_rule:  # the National Congress's length is the calendar's
        out.append(
            Bound(
                "duration", level_plan.duration_rule, days >= level_plan.max_days,
                f"{days} ngày; tối đa {level_plan.max_days}",
                f"{plural_en(days, 'day')}; at most {level_plan.max_days}",
                rule_source(problem, level_plan.duration_rule),
            )
        )  # fmt: skip
    gap = scenario.child_before_parent_days
    if unit.parent_id and unit.parent_id in dates:
        parent_start = dates[unit.parent_id][0]
        left = (parent_start - end).days
        out.append(
            Bound(
                "precedence", "gaps.child_before_parent_days", left <= gap,
                f"cấp trên họp từ {_fmt(parent_start)}: cách {left} ngày, tối thiểu {gap}",
                f"the parent sits from {_fmt(parent_start)}: {plural_en(left, 'day')} later, "
                f"at least {gap}",
                family_source(problem, "precedence"),
            )
        )  # fmt: skip
    children = [c for c in problem.by_parent.get(org_id, ()) if c in dates]
    if children:
        last_child = max(children, key=lambda c: dates[c][1])
        child_end = dates[last_child][1]
        left = (start - child_end).days
        out.append(
            Bound(
                "precedence", "gaps.child_before_parent_days", left <= gap,
                f"cấp dưới cuối cùng ({last_child}) xong {_fmt(child_end)}: cách {left} ngày",
                f"the last child ({last_child}) ends {_fmt(child_end)}: "
                f"{plural_en(left, 'day')} before",
                family_source(problem, "precedence"),
            )
        )  # fmt: skip
    siblings = list(problem.by_parent.get(unit.parent_id, ())) if unit.parent_id else []
    same_level = [u.org_id for u in problem.units if u.level == unit.level]
    for family, key, cap, others, vi, en in (
        ("parent_capacity", "parent_daily_capacity", level_plan.parent_daily_capacity, siblings,
         "đại hội cùng cấp trên", "under the same parent"),
        ("level_capacity", "daily_capacity", level_plan.daily_capacity, same_level,
         "đại hội cùng cấp", "of the level"),
    ):  # fmt: skip
        busiest = _full_day(dates, others, start, end) if cap is not None else None
        if cap is None or busiest is None:
            continue
        day, count = busiest[0], busiest[1]
        out.append(
            Bound(
                family, f"levels.{unit.level.value}.{key}", count >= cap,
                f"{count}/{cap} {vi} họp ngày {_fmt(day)}",
                f"{count}/{cap} {en} in session on {_fmt(day)}",
                family_source(problem, family),
            )
        )  # fmt: skip
    blocked = dict(problem.blackout_days.get(unit.level, {}))
    if unit.province is not None:
        blocked.update(problem.local_blackout_days.get((unit.level, unit.province), {}))
    for neighbour, side_vi, side_en in (
        (start - dt.timedelta(days=1), "ngay trước", "the day before"),
        (end + dt.timedelta(days=1), "ngay sau", "the day after"),
    ):
        blackout = blocked.get(neighbour)
        if blackout is not None:
            out.append(
                Bound(
                    "blackout", blackout.id, True,
                    f"{side_vi} ({_fmt(neighbour)}) là ngày không họp: {blackout.name_vi}",
                    f"{side_en} ({_fmt(neighbour)}) has no congresses: {blackout.name_en}",
                    blackout.source,
                )
            )  # fmt: skip
    if unit.pin is not None:
        out.append(
            Bound(
                "pin", "pins", True,
                f"ngày đã chốt {_fmt(unit.pin[0])}", f"fixed dates {_fmt(unit.pin[0])}",
                family_source(problem, "pin"),
            )
        )  # fmt: skip
    return out
