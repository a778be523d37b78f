"""Which rules bind one congress in a plan, with their legal sources (read from the plan; no
solver here).

A rule *binds* a congress when the congress sits exactly on its limit: it ends on the
deadline, starts on the window's first day, lasts the maximum, leaves exactly the minimum gap
before its parent's congress (or after its last child's), fills the last seat of a capacity on
one of its days, touches a day without congresses, or is pinned. Moving it further that way is
what the rule forbids, so these are the rules a planner asks about first.

Only the rules the solver and the validator apply to that unit are listed, with the values they
use: a family switched off is left out; a pilot's window is the pilot window; a central-level
committee's gap to the National Congress is the larger of the child-before-parent gap and the
central-before-national gap (60 days in the built-in scenarios, not 7); the National Congress
also shows its gap to the election steps around it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from planner.errors import PlannerError
from planner.problem.units import Problem
from planner.rules.calendar import date_vi_padded
from planner.rules.families import catalogue
from planner.rules.milestones import national_congress
from planner.scenario.model import Scenario
from planner.tree.levels import Level
from planner.tree.names import plural_en


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


def national_basis(scenario: Scenario, en: bool = False) -> str:
    """The legal basis of the National Congress's dates, from the cycle's calendar data: the
    Central Committee's decision and the congress it dates (a projection: its source cycle's,
    said so); a plain description when the data has none."""
    cycle, shifted = scenario.cycle or "", None
    if scenario.projection is not None:
        cycle, shifted = scenario.projection.source_cycle, scenario.projection.shift_years
    try:
        milestone = national_congress(cycle)
    except PlannerError:
        return (
            "Resolution of the Central Committee on the National Congress's dates"
            if en
            else "Nghị quyết của Ban Chấp hành Trung ương về ngày Đại hội toàn quốc"
        )
    dates = milestone.planned
    source = (dates.source if dates is not None else None) or milestone.event.source
    event = milestone.event.name_en if en else milestone.event.name_vi
    # the document without the maintainers' pointer to where it was read ("(plo.vn …)")
    parts = [source.document.split(" (")[0], source.article, source.clause] if source else []
    cited = ", ".join(p for p in parts if p)
    text = event if not cited or cited in milestone.event.name_vi else f"{cited} — {event}"
    if shifted is not None:
        text += f" (+{shifted} years)" if en else f" (dời {shifted} năm)"
    return text


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


@dataclass(frozen=True)
class Gap:
    """The least number of days between a congress's end and a later congress's start, and the
    rule (family and scenario key) that asks for it."""

    days: int
    family: str
    rule: str


def gap_above(problem: Problem, child: str, above: str) -> Gap | None:
    """The gap that binds ``child``'s congress before ``above``'s (its parent's or the National
    Congress's): the largest of the gaps the solver applies between the two, None when none."""
    scenario = problem.scenario
    unit = problem.unit(child)
    found: list[Gap] = []
    if scenario.on("precedence") and unit.parent_id == above:
        found.append(
            Gap(scenario.child_before_parent_days, "precedence", "gaps.child_before_parent_days")
        )
    national = problem.national()
    if (
        scenario.on("election_alignment")
        and unit.level == Level.CENTRAL
        and national is not None
        and national.org_id == above
    ):
        found.append(
            Gap(
                scenario.central_before_national_days,
                "election_alignment",
                "alignment.central_before_national_days",
            )
        )
    return max(found, key=lambda g: g.days, default=None)


def binding_rules(problem: Problem, plan: pd.DataFrame, org_id: str) -> list[Bound]:
    """Every rule that applies to one congress of the plan, binding or not."""
    dates = _dates(plan)
    return [
        *_window(problem, org_id, dates[org_id]),
        *_above(problem, org_id, dates),
        *_below(problem, org_id, dates),
        *_pilot(problem, org_id, dates),
        *_capacity(problem, org_id, dates),
        *_blackout(problem, org_id, dates[org_id]),
        *_election(problem, org_id, plan, dates[org_id]),
        *_pin(problem, org_id),
    ]


def _window(problem: Problem, org_id: str, when: tuple[dt.date, dt.date]) -> list[Bound]:
    """The window's deadline and first day (a pilot's own window), and the maximum length."""
    scenario = problem.scenario
    unit = problem.unit(org_id)
    level_plan = scenario.levels[unit.level]
    start, end = when
    out: list[Bound] = []
    if scenario.on("level_window") and not unit.held:
        lo, hi = unit.window
        start_rule, end_rule = level_plan.window_rules
        if unit.pilot:  # the pilot window: the directive's pilot rule, or the scenario's own
            directive = scenario.directive
            pilot = directive.first("pilot", level=unit.level.value) if directive else None
            named = pilot.id if pilot is not None else f"pilots.windows.{unit.level.value}"
            start_rule = end_rule = named
        for rule, binds, vi, en in (
            (end_rule, end == hi, f"hạn chót {_fmt(hi)}; kết thúc {_fmt(end)}",
             f"deadline {_fmt(hi)}; ends {_fmt(end)}"),
            (start_rule, start == lo, f"sớm nhất {_fmt(lo)}; bắt đầu {_fmt(start)}",
             f"earliest {_fmt(lo)}; starts {_fmt(start)}"),
        ):  # fmt: skip
            source = rule_source(problem, rule) or (
                family_source(problem, "pilot") if unit.pilot else national_basis(scenario)
            )
            out.append(Bound("level_window", rule or "", binds, vi, en, source))
    days = (end - start).days + 1
    if level_plan.duration_rule and scenario.on("duration") and not unit.held:
        out.append(
            Bound(
                "duration", level_plan.duration_rule, days >= level_plan.max_days,
                f"{days} ngày; tối đa {level_plan.max_days}",
                f"{plural_en(days, 'day')}; at most {level_plan.max_days}",
                rule_source(problem, level_plan.duration_rule),
            )
        )  # fmt: skip
    return out


def _gap_bound(problem: Problem, gap: Gap, vi: str, en: str, left: int) -> Bound:
    return Bound(
        gap.family, gap.rule, left <= gap.days,
        f"{vi}: cách {left} ngày, tối thiểu {gap.days}",
        f"{en}: {plural_en(left, 'day')}, at least {gap.days}",
        family_source(problem, gap.family),
    )  # fmt: skip


def _above(problem: Problem, org_id: str, dates: dict[str, tuple[dt.date, dt.date]]) -> list[Bound]:
    """The gap before the parent's congress (and the National Congress's, for a central-level
    committee), with the rule that binds it."""
    unit = problem.unit(org_id)
    end = dates[org_id][1]
    national = problem.national()
    targets = [unit.parent_id] if unit.parent_id else []
    if national is not None and unit.level == Level.CENTRAL and national.org_id not in targets:
        targets.append(national.org_id)
    out: list[Bound] = []
    for above in targets:
        gap = gap_above(problem, org_id, above)
        if gap is None or above not in dates:
            continue
        above_start = dates[above][0]
        if national is not None and above == national.org_id:
            vi, en = "Đại hội toàn quốc họp từ", "the National Congress sits from"
        else:
            vi, en = "cấp trên họp từ", "the parent sits from"
        left = (above_start - end).days
        out.append(
            _gap_bound(problem, gap, f"{vi} {_fmt(above_start)}", f"{en} {_fmt(above_start)}", left)
        )
    return out


def _below(problem: Problem, org_id: str, dates: dict[str, tuple[dt.date, dt.date]]) -> list[Bound]:
    """The gap after the children's congresses: the child closest to its own minimum."""
    start = dates[org_id][0]
    tightest: tuple[int, str, Gap] | None = None
    for child in problem.by_parent.get(org_id, ()):
        gap = gap_above(problem, child, org_id)
        if gap is None or child not in dates:
            continue
        slack = (start - dates[child][1]).days - gap.days
        if tightest is None or slack < tightest[0]:
            tightest = (slack, child, gap)
    if tightest is None:
        return []
    _slack, child, gap = tightest
    child_end = dates[child][1]
    return [
        _gap_bound(
            problem, gap,
            f"cấp dưới gần nhất ({child}) xong {_fmt(child_end)}",
            f"the closest child ({child}) ends {_fmt(child_end)}",
            (start - child_end).days,
        )
    ]  # fmt: skip


def _pilot(problem: Problem, org_id: str, dates: dict[str, tuple[dt.date, dt.date]]) -> list[Bound]:
    """Đại hội điểm: a pilot ends ≥ lead days before its siblings start; a sibling of pilots
    starts ≥ lead days after the last of them ends."""
    scenario = problem.scenario
    if not scenario.on("pilot"):
        return []
    unit = problem.unit(org_id)
    lead = scenario.pilot_lead_days
    start, end = dates[org_id]
    gap = Gap(lead, "pilot", "pilots.lead_days")
    if unit.pilot:
        after = [s.org_id for s in problem.pilot_siblings(unit) if s.org_id in dates]
        if not after:
            return []
        first = min(after, key=lambda s: dates[s][0])
        day = dates[first][0]
        return [
            _gap_bound(
                problem, gap,
                f"đơn vị cùng cấp họp sớm nhất ({first}) từ {_fmt(day)}",
                f"the earliest sibling ({first}) sits from {_fmt(day)}",
                (day - end).days,
            )
        ]  # fmt: skip
    siblings = problem.by_parent.get(unit.parent_id, ()) if unit.parent_id else ()
    pilots = [
        s for s in siblings
        if s in dates and problem.unit(s).pilot and problem.unit(s).level == unit.level
    ]  # fmt: skip
    if not pilots:
        return []
    last = max(pilots, key=lambda s: dates[s][1])
    day = dates[last][1]
    return [
        _gap_bound(
            problem, gap, f"đại hội điểm ({last}) xong {_fmt(day)}",
            f"the pilot congress ({last}) ends {_fmt(day)}", (start - day).days,
        )
    ]  # fmt: skip


def _capacity(
    problem: Problem, org_id: str, dates: dict[str, tuple[dt.date, dt.date]]
) -> list[Bound]:
    """The busiest day of the congress under its parent (same level) and nationwide."""
    scenario = problem.scenario
    unit = problem.unit(org_id)
    level_plan = scenario.levels[unit.level]
    start, end = dates[org_id]
    siblings = [
        s for s in (problem.by_parent.get(unit.parent_id, ()) if unit.parent_id else ())
        if problem.unit(s).level == unit.level
    ]  # fmt: skip
    same_level = [u.org_id for u in problem.units if u.level == unit.level]
    out: list[Bound] = []
    for family, key, cap, others, vi, en in (
        ("parent_capacity", "parent_daily_capacity", level_plan.parent_daily_capacity, siblings,
         "đại hội cùng cấp trên", "under the same parent"),
        ("level_capacity", "daily_capacity", level_plan.daily_capacity, same_level,
         "đại hội cùng cấp", "of the level"),
    ):  # fmt: skip
        if cap is None or not scenario.on(family):
            continue
        busiest = _full_day(dates, others, start, end)
        if busiest is None:
            continue
        day, count = busiest
        out.append(
            Bound(
                family, f"levels.{unit.level.value}.{key}", count >= cap,
                f"{count}/{cap} {vi} họp ngày {_fmt(day)}",
                f"{count}/{cap} {en} in session on {_fmt(day)}",
                family_source(problem, family),
            )
        )  # fmt: skip
    return out


def _blackout(problem: Problem, org_id: str, when: tuple[dt.date, dt.date]) -> list[Bound]:
    """A day without congresses right before or after the congress."""
    unit = problem.unit(org_id)
    if not problem.scenario.on("blackout") or unit.held:
        return []
    start, end = when
    blocked = problem.blocked(unit)
    out: list[Bound] = []
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
    return out


def _step(plan: pd.DataFrame, step_id: str) -> tuple[dt.date, str, str, str] | None:
    """An election step of the plan: first day, Vietnamese and English names, source."""
    rows = plan[plan["event_id"] == f"election:{step_id}"]
    if rows.empty or not isinstance(rows.iloc[0]["start"], dt.date):
        return None
    row = rows.iloc[0]
    return row["start"], str(row["name_vi"]), str(row["name_en"]), str(row["source"])


def _election(
    problem: Problem, org_id: str, plan: pd.DataFrame, when: tuple[dt.date, dt.date]
) -> list[Bound]:
    """The National Congress's gaps to the election steps: it ends before one (and, in 2026,
    starts after another)."""
    scenario = problem.scenario
    national = problem.national()
    if national is None or national.org_id != org_id or not scenario.on("election_alignment"):
        return []
    start, end = when
    out: list[Bound] = []
    steps = [(scenario.national_before_step, scenario.national_before_step_days, True)]
    if problem.after_step_offset() is not None and scenario.national_after_step:
        steps.append((scenario.national_after_step, scenario.national_after_step_days, False))
    for step_id, need, before in steps:
        found = _step(plan, step_id)
        if found is None:
            continue
        day, name_vi, name_en, source = found
        left = (day - end).days if before else (start - day).days
        vi = (
            f"kết thúc trước {name_vi} ({_fmt(day)})"
            if before
            else (f"bắt đầu sau {name_vi} ({_fmt(day)})")
        )
        en = (
            f"ends before {name_en} ({_fmt(day)})"
            if before
            else (f"starts after {name_en} ({_fmt(day)})")
        )
        out.append(
            Bound(
                "election_alignment", step_id, left <= need,
                f"{vi}: cách {left} ngày, tối thiểu {need}",
                f"{en}: {left} days, at least {need}", source,
            )
        )  # fmt: skip
    return out


def _pin(problem: Problem, org_id: str) -> list[Bound]:
    """Fixed dates (a pin, or a congress already held)."""
    unit = problem.unit(org_id)
    if unit.pin is None:
        return []
    return [
        Bound(
            "pin", "pins", True,
            f"ngày đã chốt {_fmt(unit.pin[0])}", f"fixed dates {_fmt(unit.pin[0])}",
            family_source(problem, "pin"),
        )
    ]  # fmt: skip
