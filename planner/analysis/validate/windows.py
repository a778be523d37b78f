"""Level windows (family ``level_window``, and ``pilot`` for a pilot unit): each level's
congresses start and finish inside its window — Chỉ thị 35-CT/TW in 2020, 45-CT/TW in 2025; the
rule cited is the window rule the scenario's directive gives (``data/rules/directive-*.toml``)."""

from __future__ import annotations

from planner.analysis.validate.context import PlanCheck
from planner.rules.calendar import date_vi as _vi


def check_windows(check: PlanCheck) -> None:
    """Every dated congress not yet held, whose window family is hard, inside its window."""
    for unit, start, end in check.every:
        fam = "pilot" if unit.pilot else "level_window"
        if unit.held or not check.scenario.hard(fam):
            continue
        lo, hi = unit.window
        plan = check.scenario.levels[unit.level]
        rule_lo: str | None
        rule_hi: str | None
        if unit.pilot:
            rule_lo = rule_hi = check.directive_rule("pilot", level=unit.level.value)
        else:
            rule_lo, rule_hi = plan.window_rules
        if lo <= start and end <= hi:
            continue
        vi, en = check.name(unit.org_id)
        if start < lo:
            check.add(
                fam,
                [unit.org_id],
                [start, lo],
                f"Đại hội {vi} bắt đầu {_vi(start)}, trước ngày mở khung {_vi(lo)}.",
                f"The congress of the {en} starts on {start}, before its window opens on {lo}.",
                rule_lo if check.rule(rule_lo or "") else None,
            )
        if end > hi:
            check.add(
                fam,
                [unit.org_id],
                [end, hi],
                f"Đại hội {vi} kết thúc {_vi(end)}, sau hạn {_vi(hi)}.",
                f"The congress of the {en} ends on {end}, after its deadline {hi}.",
                rule_hi if check.rule(rule_hi or "") else None,
            )
