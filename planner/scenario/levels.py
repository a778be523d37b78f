"""The levels a scenario plans: each level's window, duration and capacities, and pilot windows.

Defaults come from the directive: level windows from its ``level_window`` rules, maximum
durations from its ``duration`` rules, pilot windows from its ``pilot`` rules (e.g. Directive
35-CT/TW, 2019). A level below a planned one cannot be planned alone; every planned window lies
inside the horizon.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from planner.errors import PlannerError
from planner.rules.calendar import Horizon
from planner.rules.calendar import date_vi as _vi
from planner.rules.catalogue import RuleSet
from planner.rules.milestones import national_congress
from planner.scenario.model import LevelPlan
from planner.scenario.values import Reader
from planner.tree.hierarchy import Level
from planner.tree.names import lv_en, lv_vi


def level_plans(
    r: Reader,
    raw: Mapping[str, Any],
    era_levels: tuple[Level, ...],
    directive: RuleSet | None,
    horizon: Horizon,
    cycle: str | None,
) -> tuple[dict[Level, LevelPlan], str]:
    """Every level of the era with how it is planned, and the milestones the plan follows
    (``planned`` or ``actual`` dates of the National Congress)."""
    present = isinstance(raw.get("levels"), dict)
    levels = {
        lv: level_plan(r, lv, directive, horizon, present and lv.value in raw["levels"])
        for lv in era_levels
    }
    planned = [lv for lv in era_levels if levels[lv].plan]
    for upper, lower in itertools.pairwise(era_levels):
        if levels[lower].plan and not levels[upper].plan:
            raise r.error(
                f"levels.{upper.value}.plan",
                f"không thể lập lịch cấp {lv_vi(lower)} mà bỏ cấp {lv_vi(upper)}.",
                f"cannot plan the {lv_en(lower)} level without the {lv_en(upper)} level.",
            )
    if not planned:
        raise r.error("levels", "không có cấp nào được lập lịch.", "no level is planned.")
    milestones: str = r.value("milestones")
    if milestones == "actual" and Level.NATIONAL in levels:
        levels[Level.NATIONAL] = actual_national(r, levels[Level.NATIONAL], cycle)
    for lv in planned:
        _check_inside(r, lv, levels[lv].window, horizon)
    return levels, milestones


def _check_inside(r: Reader, lv: Level, window: tuple[dt.date, dt.date], horizon: Horizon) -> None:
    """A planned level's window lies inside the horizon."""
    lo, hi = window
    if lo < horizon.start or hi > horizon.end:
        raise r.error(
            f"levels.{lv.value}.window",
            f"khung cấp {lv_vi(lv)} ({_vi(lo)} – {_vi(hi)}) vượt ra ngoài khung kế hoạch "
            f"({_vi(horizon.start)} – {_vi(horizon.end)}).",
            f"the {lv_en(lv)} window ({lo} – {hi}) leaves the horizon "
            f"({horizon.start} – {horizon.end}).",
            "Mở rộng [horizon].",
            "Widen [horizon].",
        )


def pilot_windows(
    r: Reader, era_levels: tuple[Level, ...], directive: RuleSet | None
) -> dict[Level, tuple[dt.date, dt.date]]:
    """The pilot congresses' window of each level (``pilots.windows``, else the directive's
    ``pilot`` rule)."""
    out: dict[Level, tuple[dt.date, dt.date]] = {}
    for lv in era_levels:
        window = r.value(f"pilots.windows.{lv.value}")
        rule = directive.first("pilot", level=lv.value) if directive is not None else None
        if window is None and rule is not None:
            window = (rule.param("start"), rule.param("end"))
        if window is not None:
            out[lv] = window
    return out


def level_plan(
    r: Reader, level: Level, directive: RuleSet | None, horizon: Horizon, present: bool
) -> LevelPlan:
    """How one level is planned: its window, duration (at most the directive's), capacities
    and provinces."""
    key = f"levels.{level.value}"
    plan = r.value(f"{key}.plan", present or level.tier != "grassroots")
    start_rule, end_rule = (
        directive.first("level_window", level=level.value, bound=bound)
        if directive is not None
        else None
        for bound in ("start", "end")
    )
    window = r.value(f"{key}.window")
    if window is None:
        lo = start_rule.param("date") if start_rule is not None else None
        hi = end_rule.param("date") if end_rule is not None else None
        if (lo is None or hi is None) and plan:
            raise r.error(
                f"{key}.window",
                f"cấp {lv_vi(level)} chưa có khung thời gian (không có trong quy tắc).",
                f"the {lv_en(level)} level has no window (the rules give none).",
                f"Thêm window = [ngày đầu, ngày cuối] vào [{key}].",
                f"Add window = [first day, last day] to [{key}].",
            )
        window = (lo or horizon.start, hi or lo or horizon.start)
    duration = directive.first("duration", level=level.value) if directive is not None else None
    rule_max = int(duration.param("max_days")) if duration is not None else None
    days = r.value(f"{key}.days", rule_max)
    if days is None:
        if plan:
            raise r.error(
                f"{key}.days",
                f"cấp {lv_vi(level)} chưa có số ngày đại hội.",
                f"the {lv_en(level)} level has no congress duration.",
                f"Thêm days = N vào [{key}].",
                f"Add days = N to [{key}].",
            )
        days = 1
    max_days = rule_max if rule_max is not None else days
    if duration is not None and days > max_days:
        document = directive.document if directive is not None else ""
        raise r.error(
            f"{key}.days",
            f"đại hội cấp {lv_vi(level)} dài {days} ngày, quá mức tối đa {max_days} ngày "
            f"({document}, {duration.id}).",
            f"{lv_en(level)} congresses last {days} days, over the maximum of {max_days} "
            f"({document}, {duration.id}).",
            f"Đặt {key}.days ≤ {max_days}.",
            f"Set {key}.days ≤ {max_days}.",
        )
    provinces = r.value(f"{key}.provinces")
    if provinces is not None and level.depth <= Level.CENTRAL.depth:
        raise r.error(
            f"{key}.provinces",
            "'provinces' chỉ dùng cho các cấp dưới cấp trực thuộc Trung ương.",
            "'provinces' applies to the levels below the central one only.",
        )
    return LevelPlan(
        level=level,
        plan=plan,
        window=window,
        days=days,
        max_days=max_days,
        daily_capacity=r.value(f"{key}.daily_capacity"),
        parent_daily_capacity=r.value(f"{key}.parent_daily_capacity"),
        buffer_days=r.value(f"{key}.buffer_days"),
        provinces=provinces,
        window_rules=(
            start_rule.id if start_rule is not None else None,
            end_rule.id if end_rule is not None else None,
        ),
        duration_rule=duration.id if duration is not None else None,
    )


def actual_national(r: Reader, plan: LevelPlan, cycle: str | None) -> LevelPlan:
    """The National Congress on its actual dates (``milestones = "actual"``)."""
    try:
        actual = national_congress(cycle or "").actual
    except PlannerError:
        actual = None
    if actual is None:
        raise r.error(
            "milestones",
            f"chu kỳ '{cycle}' không có ngày thực tế của Đại hội toàn quốc trong data/calendar.",
            f"cycle '{cycle}' has no actual National Congress dates in data/calendar.",
        )
    days = (actual.end - actual.start).days + 1
    return replace(
        plan, window=(actual.start, actual.end), days=days, max_days=max(days, plan.max_days)
    )
