"""What a validated scenario is: the values the problem, the solver and the exports read.

Built by :func:`planner.scenario.builder.build_scenario`; pure data with a few queries (which
levels and organisations are planned, which days are blacked out for a level).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from planner.rules.calendar import Horizon
from planner.rules.catalogue import RuleSet
from planner.rules.preparation import PreparationSettings
from planner.tree.hierarchy import Level, OrgTree


@dataclass(frozen=True, slots=True)
class LevelPlan:
    """How one level is planned: window, duration, capacities."""

    level: Level
    plan: bool
    window: tuple[dt.date, dt.date]
    days: int
    max_days: int
    daily_capacity: int | None
    parent_daily_capacity: int | None
    buffer_days: int
    provinces: tuple[int, ...] | None  # below the central level: None = nationwide
    window_rules: tuple[str | None, str | None] = (None, None)
    duration_rule: str | None = None


@dataclass(frozen=True, slots=True)
class FamilySetting:
    """A constraint family switched on or off, hard or soft with a weight."""

    enabled: bool
    hard: bool
    weight: int


@dataclass(frozen=True, slots=True)
class Pin:
    """A congress whose dates are fixed."""

    org: str
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True, slots=True)
class Preference:
    """A preferred start date (soft)."""

    org: str
    start: dt.date
    weight: int


@dataclass(frozen=True, slots=True)
class Projection:
    """A scenario that projects a past cycle forward: it must say so wherever it is shown."""

    source_cycle: str
    shift_years: int
    note: str


@dataclass(frozen=True, slots=True)
class Blackout:
    """A range of days on which no congress of the given levels may sit."""

    id: str
    kind: str
    name_vi: str
    name_en: str
    start: dt.date
    end: dt.date
    levels: frozenset[Level]
    source: str
    provinces: frozenset[int] | None = None  # None: nationwide; else these province codes only

    def applies(self, level: Level, province: int | None) -> bool:
        """Whether this blackout binds congresses of ``level`` in ``province``."""
        if level not in self.levels:
            return False
        return self.provinces is None or province in self.provinces

    def days(self) -> Iterable[dt.date]:
        """Every blacked-out date."""
        for offset in range((self.end - self.start).days + 1):
            yield self.start + dt.timedelta(days=offset)


@dataclass(frozen=True)
class Scenario:
    """A validated scenario. ``raw`` keeps the document (with ``--set`` applied) for export."""

    id: str
    name_vi: str
    name_en: str
    file: str
    raw: Mapping[str, Any]
    rulesets: Mapping[str, RuleSet]
    horizon: Horizon
    election_day: dt.date | None
    election_choose: tuple[dt.date, dt.date] | None
    election_announced: dt.date | None
    levels: Mapping[Level, LevelPlan]
    child_before_parent_days: int
    central_before_national_days: int
    national_before_step: str
    national_before_step_days: int
    pilot_units: tuple[str, ...]
    pilot_lead_days: int
    pilot_windows: Mapping[Level, tuple[dt.date, dt.date]]
    blackouts: tuple[Blackout, ...]
    blackout_weekdays: frozenset[int]
    pins: tuple[Pin, ...]
    preferences: tuple[Preference, ...]
    families: Mapping[str, FamilySetting]
    objective: Mapping[str, int]
    peak_levels: tuple[Level, ...]
    sets: tuple[str, ...] = field(default=())
    text: str = field(default="", repr=False)
    # Diagnosis only: which (level, "early"/"late") window sides may stretch when level_window is
    # soft; None = every side.
    elastic_windows: frozenset[tuple[Level, str]] | None = None
    era: str = "2020"
    cycle: str | None = None
    calendar_files: tuple[str, ...] = ()
    law: RuleSet | None = None  # the election law in force (composed with its amendments)
    alignment_rule: str = "national_before_step"
    national_after_step: str | None = None
    national_after_step_days: int = 1
    kind_sets: tuple[str, ...] = ()
    kind_units: Mapping[str, str] = field(default_factory=dict)
    projection: Projection | None = None
    milestones: str = "planned"
    directive: RuleSet | None = None  # the directive whose windows and durations apply
    preparation: PreparationSettings | None = None  # the preparation steps (issue 20)

    @property
    def election_law(self) -> RuleSet:
        """The election law this scenario's timetable follows (amendments included)."""
        assert self.law is not None
        return self.law

    @property
    def era_levels(self) -> tuple[Level, ...]:
        """The levels of the scenario's era, top-down."""
        return tuple(self.levels)

    def on(self, family_id: str) -> bool:
        """Whether a constraint family is switched on."""
        return self.families[family_id].enabled

    def hard(self, family_id: str) -> bool:
        """Whether a family is on and hard."""
        setting = self.families[family_id]
        return setting.enabled and setting.hard

    def planned_levels(self) -> list[Level]:
        """The levels this scenario plans, top-down."""
        return [lv for lv, plan in self.levels.items() if plan.plan]

    def blackout_days(self, level: Level, province: int | None = None) -> dict[dt.date, Blackout]:
        """Every blacked-out date for ``level`` inside the horizon, with the blackout behind it.

        ``province`` adds the blackouts limited to that province (e.g. a local lockdown); without
        it only the nationwide ones count.
        """
        out: dict[dt.date, Blackout] = {}
        for blackout in self.blackouts:
            if blackout.applies(level, province):
                for day in blackout.days():
                    if day in self.horizon:
                        out.setdefault(day, blackout)
        if self.blackout_weekdays:
            weekday_blackout = Blackout(
                id="weekdays",
                kind="weekday",
                name_vi="Ngày trong tuần không họp",
                name_en="Weekday without congresses",
                start=self.horizon.start,
                end=self.horizon.end,
                levels=frozenset(self.levels),
                source="scenario",
            )
            for day in self.horizon.days():
                if day.weekday() in self.blackout_weekdays:
                    out.setdefault(day, weekday_blackout)
        return out

    def planned_orgs(self, tree: OrgTree) -> list[str]:
        """Ids of every organisation whose congress this scenario plans, top-down.

        A province filter on a level below the central one also applies to every level below it.
        """
        planned = set(self.planned_levels())
        allowed: dict[Level, set[int] | None] = {}
        for level in planned:
            codes: set[int] | None = None
            for other, plan in self.levels.items():
                if plan.provinces is not None and level.depth >= other.depth:
                    here = set(plan.provinces)
                    codes = here if codes is None else codes & here
            allowed[level] = codes
        out: list[str] = []
        for org in tree:
            if org.level not in planned:
                continue
            codes = allowed[org.level]
            if codes is not None and org.province_code not in codes:
                continue
            out.append(org.org_id)
        return out
