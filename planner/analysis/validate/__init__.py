"""Check any plan against a scenario without the solver: a list of violations with sources.

Every hard, enabled constraint family has one checker here, in its own module, written from the
scenario's data and the rules, never from the solver's model (this package must not import
OR-Tools or :mod:`planner.solver`):

========================  ==================================================================
module                    family and legal source (as the data gives it)
========================  ==================================================================
``windows``               level windows and pilot windows (the directive: Chỉ thị 35-CT/TW…)
``today``                 congresses not yet held start from today (the actuals)
``durations``             at most the level's days (the directive)
``order``                 lower before upper, pilots before siblings (directive; Điều lệ Đảng)
``blackouts``             holidays, distancing days, plenums (Bộ luật Lao động 2019 Điều 112…)
``capacity``              per parent and per level a day (planning parameters; KL 79-KL/TW)
``alignment``             National Congress and election (Luật 85/2015/QH13 Điều 5, 38–39)
``pins``                  decided and held dates (the committee's decision)
``preparation``           reviews, announcements, reports, approvals (``steps``; KL 79-KL/TW…)
``completeness``          every unit and every step row planned (``complete=True``)
========================  ==================================================================

``context`` holds what they share (names, rules cited, the violation list), ``rows`` what is
read from the plan, ``verdict`` the result. A plan may be partial — a real historical schedule
or one typed in by a planner: pairs are checked where both congresses are present, and units
with no congress are listed as information (or as violations with ``complete=True``, as are a
dated congress's missing preparation-step rows when its cycle has steps).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd

from planner.analysis.validate.alignment import check_alignment, check_sunday
from planner.analysis.validate.blackouts import check_blackouts
from planner.analysis.validate.capacity import check_level_capacity, check_parent_capacity
from planner.analysis.validate.completeness import check_missing_steps, missing_units
from planner.analysis.validate.context import PlanCheck
from planner.analysis.validate.durations import check_durations
from planner.analysis.validate.order import check_pilots, check_precedence
from planner.analysis.validate.pins import check_held, check_pins
from planner.analysis.validate.preparation import check_preparation
from planner.analysis.validate.rows import check_known, congress_dates, plan_election_day
from planner.analysis.validate.today import check_today
from planner.analysis.validate.verdict import Validation
from planner.analysis.validate.windows import check_windows
from planner.problem.units import Problem

Checker = Callable[[PlanCheck], None]
# the families a scenario can switch off, checked only when hard, in the verdict's order
SWITCHED: tuple[tuple[str, Checker], ...] = (
    ("precedence", check_precedence),
    ("pilot", check_pilots),
    ("blackout", check_blackouts),
    ("parent_capacity", check_parent_capacity),
    ("level_capacity", check_level_capacity),
    ("pin", check_pins),
)


def _check_congresses(check: PlanCheck, election_day: dt.date | None) -> None:
    """Every congress family, in the verdict's order (the windows' checker asks each unit's
    family; durations, held dates and election day are always checked)."""
    scenario = check.scenario
    check_sunday(check, election_day)
    check_windows(check)
    check_today(check)
    check_durations(check)
    for family_id, checker in SWITCHED:
        if scenario.hard(family_id):
            checker(check)
    check_held(check)
    if scenario.hard("election_alignment"):
        check_alignment(check, election_day)


def validate(problem: Problem, frame: pd.DataFrame, *, complete: bool = False) -> Validation:
    """Check a plan (full or partial) against the problem's scenario; no solver involved."""
    check_known(frame, problem.tree)
    dates, ignored = congress_dates(problem, frame)
    result = Validation(complete=complete, ignored=ignored, checked=len(dates))
    check = PlanCheck(problem, dates)
    _check_congresses(check, plan_election_day(frame, problem))
    check_preparation(check, frame, dates)
    if complete:
        check_missing_steps(check, frame, dates)
    result.violations = check.out
    result.missing = [u.org_id for u in problem.units if u.org_id not in dates]
    if complete and result.missing:
        result.violations.append(missing_units(result.missing))
    return result
