"""Order and gaps between congresses: lower before upper (family ``precedence``: Chỉ thị
35-CT/TW; Điều lệ Đảng — a lower congress elects the delegates to the upper one) and pilots
before their siblings (family ``pilot``: đại hội điểm, the directive's pilot rule of the level)."""

from __future__ import annotations

from planner.analysis.validate.context import PlanCheck
from planner.rules.calendar import date_vi as _vi


def check_precedence(check: PlanCheck) -> None:
    """A congress ends at least ``child_before_parent_days`` before its parent's starts."""
    gap = check.scenario.child_before_parent_days
    for unit, _start, end in check.every:
        if unit.parent_id is None or unit.parent_id not in check.dates:
            continue
        parent_start = check.dates[unit.parent_id][0]
        if (parent_start - end).days < gap:
            vi, en = check.name(unit.org_id)
            pvi, pen = check.name(unit.parent_id)
            check.add(
                "precedence",
                [unit.org_id, unit.parent_id],
                [end, parent_start],
                f"Đại hội {vi} kết thúc {_vi(end)}, chưa đủ {gap} ngày trước khi đại hội "
                f"cấp trên {pvi} bắt đầu {_vi(parent_start)}.",
                f"The congress of the {en} ends on {end}, less than {gap} days before its "
                f"parent's congress ({pen}) starts on {parent_start}.",
                check.directive_rule("precedence"),
            )


def check_pilots(check: PlanCheck) -> None:
    """A pilot unit finishes at least ``pilot_lead_days`` before its siblings start."""
    lead = check.scenario.pilot_lead_days
    problem = check.problem
    for unit, _start, end in check.present(u for u in problem.units if u.pilot):
        for sibling, s_start, _ in check.present(problem.pilot_siblings(unit)):
            if (s_start - end).days < lead:
                vi, en = check.name(unit.org_id)
                svi, sen = check.name(sibling.org_id)
                check.add(
                    "pilot",
                    [unit.org_id, sibling.org_id],
                    [end, s_start],
                    f"Đại hội điểm {vi} kết thúc {_vi(end)}, chưa đủ {lead} ngày trước khi "
                    f"{svi} bắt đầu {_vi(s_start)}.",
                    f"Pilot congress of the {en} ends on {end}, less than {lead} days before "
                    f"the {sen} starts on {s_start}.",
                    check.directive_rule("pilot", level=unit.level.value),
                )
