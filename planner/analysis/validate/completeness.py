"""Completeness (family ``completeness``, asked with ``complete=True``): every unit of the
problem has a congress in the plan (Chỉ thị 35-CT/TW — every party organisation holds its
congress for the term), and every dated congress has the preparation-step rows its cycle's rules
give it (``data/rules/preparation-*.toml``)."""

from __future__ import annotations

import pandas as pd

from planner.analysis.validate.context import Dates, PlanCheck
from planner.analysis.validate.steps import missing_steps
from planner.analysis.validate.verdict import Violation

SHOWN = 10  # missing units named in full in the message
SOURCE = "Chỉ thị 35-CT/TW — mọi tổ chức đảng tiến hành đại hội nhiệm kỳ 2020–2025"


def check_missing_steps(check: PlanCheck, frame: pd.DataFrame, dates: Dates) -> None:
    """A complete plan's missing preparation-step rows (:func:`missing_steps`), one per rule."""
    problem = check.problem
    levels = {u.org_id: u.level.value for u in problem.units}
    for found in missing_steps(problem.scenario.preparation, frame, dates, levels):
        check.out.append(found.violation("completeness"))


def missing_units(missing: list[str]) -> Violation:
    """The units of the problem with no congress in the plan, as one violation."""
    shown = ", ".join(missing[:SHOWN]) + (" …" if len(missing) > SHOWN else "")
    return Violation(
        family="completeness",
        units=tuple(missing),
        dates=(),
        message_vi=f"{len(missing)} đơn vị chưa có đại hội trong kế hoạch: {shown}.",
        message_en=f"{len(missing)} units have no congress in the plan: {shown}.",
        source=SOURCE,
    )
