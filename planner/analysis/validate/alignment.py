"""Alignment with the National Congress and the election (family ``election_alignment``).

Luật 85/2015/QH13 Điều 5: election day is a Sunday, announced at least 115 days before (E−115);
Điều 38–39: the first consultative conference by E−95. The central congresses end a set number of
days before the National Congress, which ends before (and in 2026 also starts after) the
election steps the scenario names; each step is cited by its rule id of the election timetable
(``data/rules/election-law-85-2015.toml``).
"""

from __future__ import annotations

import datetime as dt

from planner.analysis.validate.context import PlanCheck
from planner.problem.units import ANNOUNCE_STEP
from planner.rules.calendar import date_vi as _vi
from planner.rules.timetable import election_timetable
from planner.tree.hierarchy import Level


def check_sunday(check: PlanCheck, election_day: dt.date | None) -> None:
    """Election day is a Sunday (Luật 85/2015/QH13 Điều 5; checked whatever the families)."""
    if election_day is not None and election_day.weekday() != 6:
        check.add(
            "election_alignment",
            [],
            [election_day],
            f"Ngày bầu cử {_vi(election_day)} không phải Chủ nhật.",
            f"Election day {election_day} is not a Sunday.",
            "el.election_day.sunday",
        )


def check_alignment(check: PlanCheck, election_day: dt.date | None) -> None:
    """The central congresses before the National Congress, the National Congress between the
    election steps, and the election announced in time."""
    national = check.problem.national()
    if national is not None and national.org_id in check.dates:
        _central_before_national(check, national.org_id)
        if election_day is not None:
            _national_after_step(check, national.org_id, election_day)
            _national_before_step(check, national.org_id, election_day)
    _announced(check, election_day)


def _central_before_national(check: PlanCheck, national: str) -> None:
    """Each central congress ends at least ``central_before_national_days`` before the
    National Congress starts."""
    n_start = check.dates[national][0]
    gap = check.scenario.central_before_national_days
    central = (u for u in check.problem.units if u.level == Level.CENTRAL)
    for unit, _start, end in check.present(central):
        if (n_start - end).days < gap:
            vi, en = check.name(unit.org_id)
            check.add(
                "election_alignment",
                [unit.org_id, national],
                [end, n_start],
                f"Đại hội {vi} kết thúc {_vi(end)}, chưa đủ {gap} ngày trước Đại hội toàn "
                f"quốc ({_vi(n_start)}).",
                f"The congress of the {en} ends on {end}, less than {gap} days before the "
                f"national congress ({n_start}).",
            )


def _national_after_step(check: PlanCheck, national: str, election_day: dt.date) -> None:
    """Alignment ``national_between_steps`` (2026): the National Congress starts at least N
    days after an election step (the first consultative conference)."""
    scenario = check.scenario
    if scenario.alignment_rule != "national_between_steps" or not scenario.national_after_step:
        return
    n_start = check.dates[national][0]
    step_id = scenario.national_after_step
    step = election_timetable(election_day, scenario.election_law).step(step_id)
    need = scenario.national_after_step_days
    if step.first_day is not None and (n_start - step.first_day).days < need:
        check.add(
            "election_alignment",
            [national],
            [step.first_day, n_start],
            f"Đại hội đại biểu toàn quốc ({national}) bắt đầu {_vi(n_start)}, không sau "
            f"{step.name_vi} ({step.rule} = {_vi(step.first_day)}) ít nhất {need} ngày.",
            f"The national congress ({national}) starts on {n_start}, not at least {need} "
            f"days after {step.name_en} ({step.rule} = {step.first_day}).",
            step_id,
        )


def _national_before_step(check: PlanCheck, national: str, election_day: dt.date) -> None:
    """The National Congress ends at least N days before the scenario's election step."""
    scenario = check.scenario
    n_end = check.dates[national][1]
    step_id = scenario.national_before_step
    step = election_timetable(election_day, scenario.election_law).step(step_id)
    need = scenario.national_before_step_days
    if step.first_day is not None and (step.first_day - n_end).days < need:
        check.add(
            "election_alignment",
            [national],
            [n_end, step.first_day],
            f"Đại hội đại biểu toàn quốc ({national}) kết thúc {_vi(n_end)}, "
            f"không trước {step.name_vi} ({step.rule} = {_vi(step.first_day)}).",
            f"The national congress ({national}) ends on {n_end}, not before "
            f"{step.name_en} ({step.rule} = {step.first_day}).",
            step_id,
        )


def _announced(check: PlanCheck, election_day: dt.date | None) -> None:
    """The election day was announced no later than E−115 (Luật 85/2015/QH13 Điều 5)."""
    announced = check.scenario.election_announced
    if election_day is None or announced is None:
        return
    latest = election_day + dt.timedelta(days=check.problem.step_offsets[ANNOUNCE_STEP])
    if announced > latest:
        check.add(
            "election_alignment",
            [],
            [announced, latest],
            f"Ngày bầu cử công bố {_vi(announced)}, muộn hơn hạn {_vi(latest)} (E−115).",
            f"Election day announced on {announced}, after the deadline {latest} (E−115).",
            ANNOUNCE_STEP,
        )
