"""Preparation steps (family ``preparation``, issue 20): reviews by the upper committee,
announcements of the opening, results reports and approvals, checked by
:func:`planner.analysis.validate.steps.check_steps` against the rules of the cycle's preparation
data (Kết luận 79-KL/TW in 2020; Kết luận 185-KL/TW, 190-KL/TW in 2025; each violation cites its
rule id, names and source from ``data/rules/preparation-*.toml``)."""

from __future__ import annotations

import pandas as pd

from planner.analysis.validate.context import Dates, PlanCheck
from planner.analysis.validate.rows import step_names
from planner.analysis.validate.steps import FAMILY, check_steps


def check_preparation(check: PlanCheck, frame: pd.DataFrame, dates: Dates) -> None:
    """Every step rule of the scenario's cycle on the plan's step rows."""
    problem = check.problem
    names = step_names(problem, frame)
    for found in check_steps(problem.scenario.preparation, frame, dates, names):
        check.out.append(found.violation(FAMILY))
