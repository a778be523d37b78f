"""Durations (family ``duration``): a congress lasts no longer than its level's maximum —
Chỉ thị 35-CT/TW (grassroots ≤ 2 days, above grassroots ≤ 3, directly under the Centre ≤ 4); the
rule cited is the level's duration rule in the scenario's directive."""

from __future__ import annotations

from planner.analysis.validate.context import PlanCheck


def check_durations(check: PlanCheck) -> None:
    """Every dated congress not yet held within its level's ``max_days``."""
    for unit, start, end in check.every:
        length = (end - start).days + 1
        plan = check.scenario.levels[unit.level]
        if length > plan.max_days and not unit.held:
            vi, en = check.name(unit.org_id)
            check.add(
                "duration",
                [unit.org_id],
                [start, end],
                f"Đại hội {vi} kéo dài {length} ngày, quá mức tối đa {plan.max_days} ngày.",
                f"The congress of the {en} lasts {length} days, over the maximum of "
                f"{plan.max_days}.",
                plan.duration_rule,
            )
