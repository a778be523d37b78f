"""Held congresses and today: in a re-plan from a day (``problem.today``), a congress not held
yet starts no earlier than that day. The source is the actuals themselves (what was held is a
fact; the rest can only happen from today on), cited as :data:`TODAY_SOURCE`."""

from __future__ import annotations

from planner.analysis.validate.context import PlanCheck
from planner.analysis.validate.verdict import Violation
from planner.rules.calendar import date_vi as _vi

TODAY_RULE = "today"  # the rule id of "nothing not yet held before today"
TODAY_SOURCE = (
    "kết quả thực tế: chưa họp thì chỉ họp được từ hôm nay",
    "actuals: a congress not yet held can only sit from today on",
)


def check_today(check: PlanCheck) -> None:
    """No congress that is not held yet starts before ``problem.today`` (family
    ``level_window``, rule :data:`TODAY_RULE`)."""
    today = check.problem.today
    if today is None:
        return
    for unit, start, _end in check.every:
        if unit.held or start >= today:
            continue
        vi, en = check.name(unit.org_id)
        check.out.append(
            Violation(
                family="level_window",
                units=(unit.org_id,),
                dates=(start, today),
                message_vi=f"Đại hội {vi} chưa họp nhưng kế hoạch ghi bắt đầu {_vi(start)}, "
                f"trước hôm nay {_vi(today)}. [{TODAY_SOURCE[0]}]",
                message_en=f"The congress of the {en} is not held yet but the plan starts it "
                f"on {start}, before today {today}. [{TODAY_SOURCE[1]}]",
                rule=TODAY_RULE,
                source=TODAY_SOURCE[0],
            )
        )
