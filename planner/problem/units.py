"""Problem data: the units to plan with their windows, durations, pins and the blackout days.

Built from a :class:`~planner.scenario.model.Scenario` and the organisation tree. Pure data,
shared by
the solver and the validator; neither builds it differently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace

from planner.rules.calendar import Horizon
from planner.rules.timetable import election_timetable
from planner.scenario.checks import check_orgs
from planner.scenario.model import Blackout, Scenario
from planner.tree.hierarchy import Level, OrgTree

ANNOUNCE_STEP = "el.election_day.announced"


@dataclass(frozen=True, slots=True)
class Unit:
    """One congress to plan."""

    org_id: str
    level: Level
    parent_id: str | None
    days: int
    window: tuple[dt.date, dt.date]
    pin: tuple[dt.date, dt.date] | None = None
    preferred: tuple[dt.date, int] | None = None
    pilot: bool = False
    leaf: bool = True
    buffer_days: int = 0
    earliest: dt.date | None = None  # extra bounds set by the decomposition
    latest_end: dt.date | None = None
    province: int | None = None
    held: bool = False  # already held on ``pin`` (a fact: no window or blackout applies)


@dataclass(frozen=True)
class Problem:
    """Everything the solver and the validator need, in one place."""

    scenario: Scenario
    tree: OrgTree
    units: tuple[Unit, ...]
    by_parent: Mapping[str, tuple[str, ...]]
    blackout_days: Mapping[Level, Mapping[dt.date, Blackout]]
    # level and province → blacked-out days, for provinces with a local blackout
    local_blackout_days: Mapping[tuple[Level, int], Mapping[dt.date, Blackout]]
    election_days: tuple[dt.date, ...]
    step_offsets: Mapping[str, int]
    # a re-plan from a day: nothing not yet held may start before it (issue 21, point 3)
    today: dt.date | None = None
    _by_id: Mapping[str, Unit] = field(default_factory=dict, repr=False)
    _options: dict[tuple[object, ...], tuple[list[int], list[int]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @property
    def horizon(self) -> Horizon:
        """The planning horizon."""
        return self.scenario.horizon

    def unit(self, org_id: str) -> Unit:
        """The unit of one organisation."""
        return self._by_id[org_id]

    def has(self, org_id: str) -> bool:
        """Whether the organisation's congress is planned."""
        return org_id in self._by_id

    def national(self) -> Unit | None:
        """The national congress, when planned."""
        for unit in self.units:
            if unit.level == Level.NATIONAL:
                return unit
        return None

    def after_step_offset(self) -> int | None:
        """The offset from election day of the step the National Congress must start after
        (alignment rule ``national_between_steps``, as in 2026), or None."""
        scenario = self.scenario
        if scenario.alignment_rule != "national_between_steps" or not scenario.national_after_step:
            return None
        return self.step_offsets.get(scenario.national_after_step)

    def index(self, day: dt.date) -> int:
        """Day index of a date relative to the horizon start (may lie outside it)."""
        return (day - self.scenario.horizon.start).days

    def blocked(self, unit: Unit) -> Mapping[dt.date, Blackout]:
        """The blacked-out days of one congress: its level's, plus its province's own."""
        if unit.province is not None:
            local = self.local_blackout_days.get((unit.level, unit.province))
            if local is not None:
                return local
        return self.blackout_days.get(unit.level, {})

    def local_province(self, unit: Unit) -> int | None:
        """The unit's province when that province has blackout days of its own at the unit's
        level (a local lockdown), else None: units that differ here may start on other days."""
        return unit.province if (unit.level, unit.province) in self.local_blackout_days else None

    def start_options(self, unit: Unit, strict: bool = False) -> tuple[list[int], list[int]]:
        """(allowed start indices under the hard families, blackout flag for every start).

        A start is allowed when the congress fits the horizon and — for each family that is on
        and hard (with ``strict``: on, hard or soft) — its window, avoids every blackout day of
        its level, and sits on its pin; the decomposition's extra bounds always apply.
        ``flags[s]`` is 1 when a congress starting on index ``s`` would include a blackout day
        (used by the soft blackout penalty).
        """
        scenario = self.scenario

        def binding(family: str) -> bool:
            return scenario.on(family) if strict else scenario.hard(family)

        key = (
            strict,
            unit.level,
            self.local_province(unit),
            unit.days,
            unit.window,
            unit.pin if binding("pin") or unit.held else None,
            unit.held,
            unit.earliest,
            unit.latest_end,
            self.today,
        )
        cached = self._options.get(key)
        if cached is not None:
            return cached
        size = len(self.horizon)
        last = size - unit.days
        if unit.held and unit.pin is not None:  # a fact: only its recorded date
            pinned = self.index(unit.pin[0])
            held = ([pinned] if 0 <= pinned <= last else [], [0] * (last + 1))
            self._options[key] = held
            return held
        blocked = [0] * (size + 1)
        for day in self.blocked(unit):
            i = self.index(day)
            if 0 <= i < size:
                blocked[i + 1] = 1
        for i in range(size):
            blocked[i + 1] += blocked[i]
        flags = [1 if blocked[s + unit.days] - blocked[s] else 0 for s in range(last + 1)]
        lo, hi = 0, last
        if binding("level_window"):
            lo = max(lo, self.index(unit.window[0]))
            hi = min(hi, self.index(unit.window[1]) - unit.days + 1)
        if unit.earliest is not None:
            lo = max(lo, self.index(unit.earliest))
        if self.today is not None:  # not held yet: from today on
            lo = max(lo, self.index(self.today))
        if unit.latest_end is not None:
            hi = min(hi, self.index(unit.latest_end) - unit.days + 1)
        if unit.pin is not None and binding("pin"):
            pinned = self.index(unit.pin[0])
            lo, hi = max(lo, pinned), min(hi, pinned)
        hard_blackout = binding("blackout")
        allowed = [s for s in range(lo, hi + 1) if not (hard_blackout and flags[s])]
        self._options[key] = (allowed, flags)
        return allowed, flags

    def with_held(self, held: Mapping[str, tuple[dt.date, dt.date]]) -> Problem:
        """The same problem with some congresses already held on the given dates."""
        if not held:
            return self
        units = tuple(
            replace(
                u,
                held=True,
                pin=held[u.org_id],
                days=(held[u.org_id][1] - held[u.org_id][0]).days + 1,
            )
            if u.org_id in held
            else u
            for u in self.units
        )
        return self._rebuilt(units)

    def with_today(self, today: dt.date | None) -> Problem:
        """The same problem re-planned from ``today``: no congress not yet held starts before it."""
        return replace(self, today=today, _options={})

    def children(self, org_id: str) -> tuple[str, ...]:
        """Planned units directly under ``org_id`` (which may itself lie outside this problem)."""
        return self.by_parent.get(org_id, ())

    def descendants(self, org_id: str) -> list[str]:
        """Planned units anywhere below ``org_id``, level by level (top-down)."""
        out: list[str] = []
        frontier = list(self.children(org_id))
        while frontier:
            out.extend(frontier)
            frontier = [c for o in frontier for c in self.children(o)]
        return out

    def pilot_siblings(self, unit: Unit) -> list[Unit]:
        """The non-pilot siblings a pilot unit must finish before."""
        if unit.parent_id is None:
            return []
        return [
            self._by_id[c]
            for c in self.children(unit.parent_id)
            if not self._by_id[c].pilot and self._by_id[c].level == unit.level
        ]

    def subproblem(
        self,
        org_ids: Iterable[str],
        earliest: Mapping[str, dt.date] | None = None,
        latest_end: Mapping[str, dt.date] | None = None,
        election_days: tuple[dt.date, ...] | None = None,
    ) -> Problem:
        """The same problem restricted to some units, with extra start / end bounds."""
        earliest = earliest or {}
        latest_end = latest_end or {}
        units = tuple(
            replace(
                self._by_id[o],
                earliest=earliest.get(o, self._by_id[o].earliest),
                latest_end=latest_end.get(o, self._by_id[o].latest_end),
            )
            if o in earliest or o in latest_end
            else self._by_id[o]  # frozen: shared as it is (a copy per sub-model cost 1 s)
            for o in org_ids
        )
        return self._rebuilt(units, election_days)

    def _rebuilt(
        self, units: tuple[Unit, ...], election_days: tuple[dt.date, ...] | None = None
    ) -> Problem:
        """The same scenario, calendar and timetable with other units."""
        return _assemble(
            self.scenario,
            self.tree,
            units,
            election_days or self.election_days,
            self.step_offsets,
            self.blackout_days,
            self.local_blackout_days,
            self.today,
        )


def _sundays(lo: dt.date, hi: dt.date) -> tuple[dt.date, ...]:
    return tuple(
        lo + dt.timedelta(days=k)
        for k in range((hi - lo).days + 1)
        if (lo + dt.timedelta(days=k)).weekday() == 6
    )


def build_problem(scenario: Scenario, tree: OrgTree) -> Problem:
    """Turn a validated scenario into the list of congresses to plan."""
    planned = scenario.planned_orgs(tree)
    planned_set = set(planned)
    check_orgs(scenario, tree, planned_set)
    pins = {p.org: p for p in scenario.pins} if scenario.on("pin") else {}
    prefs = {p.org: p for p in scenario.preferences} if scenario.on("preferred") else {}
    pilots = set(scenario.pilot_units) if scenario.on("pilot") else set()
    has_children = {tree.get(o).parent_id for o in planned if tree.get(o).parent_id in planned_set}
    kind_days = _kind_days(scenario, tree, planned, planned_set)
    units = []
    for org_id in planned:
        org = tree.get(org_id)
        plan = scenario.levels[org.level]
        days = kind_days.get(org_id, plan.days)
        pin = None
        if org_id in pins:
            p = pins[org_id]
            end = p.end or p.start + dt.timedelta(days=days - 1)
            days = (end - p.start).days + 1
            pin = (p.start, end)
        pilot = org_id in pilots
        window = scenario.pilot_windows[org.level] if pilot else plan.window
        pref = prefs.get(org_id)
        units.append(
            Unit(
                org_id=org_id,
                level=org.level,
                parent_id=org.parent_id if org.parent_id in planned_set else None,
                days=days,
                window=window,
                pin=pin,
                preferred=(pref.start, pref.weight) if pref else None,
                pilot=pilot,
                leaf=org_id not in has_children,
                buffer_days=plan.buffer_days,
                province=org.province_code,
            )
        )
    if scenario.election_day is not None:
        days_e: tuple[dt.date, ...] = (scenario.election_day,)
    else:
        assert scenario.election_choose is not None
        days_e = _sundays(*scenario.election_choose)
    reference = election_timetable(days_e[0], scenario.election_law)
    offsets = {
        row.step_id: (row.date - days_e[0]).days for row in reference if row.date is not None
    }
    return _assemble(scenario, tree, tuple(units), days_e, offsets)


def _kind_days(
    scenario: Scenario, tree: OrgTree, planned: Iterable[str], planned_set: AbstractSet[str]
) -> dict[str, int]:
    """Congresses of another kind than the normal 4-content one, and their length: a merged
    committee's 2-content congress (appointed committee and delegates) is shorter
    (``data/kinds.toml``; Kết luận 163-KL/TW), never above the directive's maximum."""
    if not scenario.kind_sets and not scenario.kind_units:
        return {}
    from planner.rules.congress_kinds import load_kinds

    kinds = load_kinds()
    chosen: dict[str, str] = {}
    codes = {
        code: kinds.unit_set(name).kind
        for name in scenario.kind_sets
        for code in kinds.unit_set(name).province_codes()
    }
    for org_id in planned:
        org = tree.get(org_id)
        if org.level == Level.CENTRAL and org.province_code in codes:
            chosen[org_id] = codes[org.province_code]
    chosen.update(scenario.kind_units)
    assert scenario.directive is not None
    out = {}
    for org_id, kind_id in chosen.items():
        if kind_id == "normal" or org_id not in planned_set:
            continue
        level = tree.get(org_id).level
        kind = kinds.kind(kind_id)
        out[org_id] = min(
            scenario.levels[level].days, kind.days(level.tier, scenario.directive, level.value)
        )
    return out


def _assemble(
    scenario: Scenario,
    tree: OrgTree,
    units: tuple[Unit, ...],
    election_days: tuple[dt.date, ...],
    step_offsets: Mapping[str, int],
    blackout_days: Mapping[Level, Mapping[dt.date, Blackout]] | None = None,
    local_blackout_days: Mapping[tuple[Level, int], Mapping[dt.date, Blackout]] | None = None,
    today: dt.date | None = None,
) -> Problem:
    by_parent: dict[str, list[str]] = {}
    for unit in units:
        if unit.parent_id is not None:
            by_parent.setdefault(unit.parent_id, []).append(unit.org_id)
    return Problem(
        scenario=scenario,
        tree=tree,
        units=units,
        by_parent={k: tuple(v) for k, v in by_parent.items()},
        blackout_days=blackout_days
        if blackout_days is not None
        else {lv: scenario.blackout_days(lv) for lv in scenario.planned_levels()},
        local_blackout_days=local_blackout_days
        if local_blackout_days is not None
        else _local_blackouts(scenario),
        election_days=election_days,
        step_offsets=step_offsets,
        today=today,
        _by_id={u.org_id: u for u in units},
    )


def _local_blackouts(scenario: Scenario) -> dict[tuple[Level, int], dict[dt.date, Blackout]]:
    """Blacked-out days of each (level, province) that a province-limited blackout touches."""
    provinces = {p for b in scenario.blackouts if b.provinces for p in b.provinces}
    return {
        (level, province): scenario.blackout_days(level, province)
        for level in scenario.planned_levels()
        for province in sorted(provinces)
        if any(b.provinces and b.applies(level, province) for b in scenario.blackouts)
    }
