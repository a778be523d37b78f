"""Progress against the plan on a given day (issue 21, point 2): a pure function of the plan, the
actuals, the day and the organisation tree.

For every congress of the plan, with the congress report in force for its unit (if any):

- **planned_by_today**: planned to end before ``today`` (planned end < today);
- **held**: of those, reported held, with actual dates that end on or before ``today`` (replaying
  a past day counts only what had happened by then; a held report dated later is ignored);
- **postponed**: the report in force is a postponement (whatever the planned date);
- **late**: not reported held, not cancelled or merged, and its expected end is before ``today``:
  the planned end, or for a postponed congress the new expected end. So a postponed congress is
  *not* late while its new dates lie ahead, and is late again (while still counted as postponed)
  once they have passed without a held report;
- **due_14d**: not reported held, not cancelled or merged, expected to start within the next
  14 days: ``today ≤ start < today + 14`` (the new expected start for a postponed one).

Cancelled and merged congresses stay in ``planned_by_today`` (they were planned) but are never
late or due. Figures are given per level and per province (the central-level committee a unit
belongs to: its own congress and everything under it; the national congress has none).
Provinces are ordered by how far behind they are: most late first, then most postponed, then id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from planner.plan.actuals import Actual, latest
from planner.tree.hierarchy import Org, OrgTree

DUE_DAYS = 14
FIGURES = ("planned_by_today", "held", "late", "postponed", "due_14d")


@dataclass
class Counts:
    """The five figures of one level or one province."""

    planned_by_today: int = 0
    held: int = 0
    late: int = 0
    postponed: int = 0
    due_14d: int = 0

    def as_dict(self) -> dict[str, int]:
        """The figures under their JSON names."""
        return {name: int(getattr(self, name)) for name in FIGURES}


@dataclass(frozen=True)
class LateUnit:
    """A congress planned to end before today and not reported held."""

    org_id: str
    level: str
    planned_start: dt.date
    planned_end: dt.date
    province: str | None = None  # the central-level committee (not in the JSON)
    status: str | None = None  # "postponed" when late on its new dates (not in the JSON)
    expected_start: dt.date | None = None  # the new dates of a postponed one (not in the JSON)
    expected_end: dt.date | None = None

    def as_dict(self) -> dict[str, str]:
        """The documented JSON object."""
        return {
            "org_id": self.org_id,
            "level": self.level,
            "planned_start": self.planned_start.isoformat(),
            "planned_end": self.planned_end.isoformat(),
        }


@dataclass(frozen=True)
class Progress:
    """Progress on ``today``: per level (top-down), per province (most behind first), late units
    (earliest planned end first). ``unmatched``: congress reports on units the plan lacks."""

    today: dt.date
    levels: list[tuple[str, Counts]]
    provinces: list[tuple[str, Counts]]
    late_units: list[LateUnit]
    unmatched: int = 0
    names: dict[str, str] = field(default_factory=dict)  # province id → Vietnamese name
    due_units: list[LateUnit] = field(default_factory=list)  # due in 14 days (not in the JSON)

    def as_dict(self) -> dict[str, Any]:
        """The documented JSON: ``today``, ``levels``, ``provinces``, ``late_units``."""
        return {
            "today": self.today.isoformat(),
            "levels": [{"level": lv, **c.as_dict()} for lv, c in self.levels],
            "provinces": [{"province": p, **c.as_dict()} for p, c in self.provinces],
            "late_units": [u.as_dict() for u in self.late_units],
        }


def _congress_reports(
    actuals: Mapping[tuple[str, str], Actual] | Iterable[Actual],
) -> dict[str, Actual]:
    """The congress report in force per org id."""
    in_force = actuals if isinstance(actuals, Mapping) else latest(actuals)
    return {org: a for (org, kind), a in in_force.items() if kind == "congress"}


def _count(
    counts: list[Counts], start: dt.date, end: dt.date, report: Actual | None, today: dt.date
) -> tuple[bool, bool, dt.date, dt.date]:
    """Add one congress to every ``Counts`` given; whether it is late, whether it is due, and
    its expected dates."""
    status = None if report is None else report.status
    held = False
    expected_start, expected_end = start, end
    if report is not None and report.end is not None:
        held = status == "held" and report.end <= today
        if status == "postponed" and report.start is not None:
            expected_start, expected_end = report.start, report.end
    open_ = not held and status not in ("cancelled", "merged")
    late = open_ and expected_end < today
    due = open_ and today <= expected_start < today + dt.timedelta(days=DUE_DAYS)
    for c in counts:
        if end < today:
            c.planned_by_today += 1
            c.held += held
        c.postponed += status == "postponed" and not held
        c.late += late
        c.due_14d += due
    return late, due, expected_start, expected_end


def progress(
    plan_frame: pd.DataFrame,
    actuals: Mapping[tuple[str, str], Actual] | Iterable[Actual],
    today: dt.date,
    tree: OrgTree,
) -> Progress:
    """Progress of the plan's congresses on ``today`` (see the module docstring).

    ``actuals``: the entries in force per ``(org_id, kind)`` (:func:`planner.store.actuals.current`)
    or entries in the order recorded (a file read by :func:`planner.plan.actuals.read_actuals`).
    """
    reports = _congress_reports(actuals)
    by_level: dict[str, Counts] = {}
    by_province: dict[str, Counts] = {}
    late_units: list[LateUnit] = []
    due_units: list[LateUnit] = []
    central_of: dict[str | None, str | None] = {}
    seen: set[str] = set()
    rows = zip(
        plan_frame["kind"],
        plan_frame["org_id"],
        plan_frame["start"],
        plan_frame["end"],
        strict=True,
    )
    for kind, org_id, start, end in rows:
        if kind != "congress" or org_id not in tree:
            continue  # outside the scenario's tree: `planner check` reports it
        seen.add(org_id)
        org = tree.get(org_id)
        province = _province(tree, org, central_of)
        level = org.level.value
        counts = [by_level[level] if level in by_level else by_level.setdefault(level, Counts())]
        if province is not None:
            counts.append(
                by_province[province]
                if province in by_province
                else by_province.setdefault(province, Counts())
            )
        report = reports.get(org_id)
        late, due, first, last = _count(counts, start, end, report, today)
        if late or due:
            status = None if report is None else report.status
            unit = LateUnit(org_id, level, start, end, province, status, first, last)
            (late_units if late else due_units).append(unit)
    depth = {lv.value: lv.depth for lv in tree.levels()}
    levels = sorted(by_level.items(), key=lambda item: depth.get(item[0], 99))
    provinces = sorted(by_province.items(), key=lambda i: (-i[1].late, -i[1].postponed, i[0]))
    late_units.sort(key=lambda u: (u.planned_end, u.planned_start, u.org_id))
    due_units.sort(key=lambda u: (u.expected_start, u.org_id))
    names = {p: tree.get(p).name_vi for p in by_province}
    unmatched = sum(1 for org in reports if org not in seen)
    return Progress(today, levels, provinces, late_units, unmatched, names, due_units)


def _province(tree: OrgTree, org: Org, memo: dict[str | None, str | None]) -> str | None:
    """The central-level committee of a unit, memoised on its parent (53,000 units, fast)."""
    if org.parent_id in memo:  # a parent kept here is at depth ≥ 1: the unit is below central
        return memo[org.parent_id]
    depth = org.level.depth
    if depth <= 1:
        return org.org_id if depth == 1 else None
    central = tree.central_of(org.org_id)
    memo[org.parent_id] = None if central is None else central.org_id
    return memo[org.parent_id]


def curves(
    plan_frame: pd.DataFrame,
    actuals: Mapping[tuple[str, str], Actual] | Iterable[Actual],
    tree: OrgTree,
) -> dict[str, list[tuple[dt.date, int, int]]]:
    """Planned against actual, per level (top-down): for every day on which a congress was
    planned to end or was reported held, ``(day, planned, held)`` — how many congresses of the
    level were planned to end, and how many were reported held (by their actual end), on or
    before that day. The Progress page draws these and marks today."""
    reports = _congress_reports(actuals)
    planned: dict[str, dict[dt.date, int]] = {}
    held: dict[str, dict[dt.date, int]] = {}
    congresses = plan_frame[plan_frame["kind"] == "congress"]
    for org_id, end in zip(congresses["org_id"], congresses["end"], strict=True):
        if org_id not in tree:
            continue
        level = tree.get(org_id).level.value
        ends = planned.setdefault(level, {})
        ends[end] = ends.get(end, 0) + 1
        report = reports.get(org_id)
        if report is not None and report.status == "held" and report.end is not None:
            days = held.setdefault(level, {})
            days[report.end] = days.get(report.end, 0) + 1
    depth = {lv.value: lv.depth for lv in tree.levels()}
    out: dict[str, list[tuple[dt.date, int, int]]] = {}
    for level in sorted(planned, key=lambda lv: depth.get(lv, 99)):
        ends, days = planned[level], held.get(level, {})
        total_planned = total_held = 0
        points = []
        for day in sorted(set(ends) | set(days)):
            total_planned += ends.get(day, 0)
            total_held += days.get(day, 0)
            points.append((day, total_planned, total_held))
        out[level] = points
    return out
