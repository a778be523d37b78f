"""Scenario files: what to plan, under which rules, on which tree, with which parameters.

A scenario is a TOML file (``schema_version = 1``) read through one declared schema
(:mod:`planner.scenario.schema`: every key's type, default, bounds and bilingual help). It names
its rule sets (a directive and the election law) and, through them, its cycle and era: the era
fixes the organisation tree and its levels (``levels.district`` in 2020, ``levels.commune`` in
2025: there is no district level then), the cycle fixes the calendar (plenums, the National
Congress, planned and actual dates). Defaults come from the rules: level windows and maximum
durations from the directive's ``level_window`` and ``duration`` rules, pilot windows from its
``pilot`` rules; the election law is the one in force for election day (Law 85/2015/QH13, as
amended by Law 83/2025/QH15 for 2026), unless ``election.law`` forces one. ``--set KEY=VALUE``
(dotted key, TOML value) changes one key before validation. Every problem is reported with the
file, the line or ``--set`` and the fix, in both languages.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.errors import PlannerError
from planner.files.paths import data_dir, display_path
from planner.files.tomlio import check_schema, parse_toml, read_text_file
from planner.rules.calendar import (
    Horizon,
    calendar_cycles,
    load_calendar,
    public_holidays,
)
from planner.rules.calendar import date_vi as _vi
from planner.rules.catalogue import RuleSet
from planner.rules.families import FAMILY_IDS, catalogue
from planner.rules.preparation import (
    PreparationSettings,
    body_days_off,
    load_preparation,
    with_groups,
)
from planner.rules.timetable import check_election_day
from planner.scenario.reader import (
    Reader,
    apply_set,
    check_keys,
    depth_of,
    parse_set,
)
from planner.scenario.schema import (
    ALIGNMENT_RULES,
    MAX_CAPACITY,
    MAX_DAYS,
    MAX_DEPTH,
    MAX_HORIZON_DAYS,
    MAX_SCENARIO_BYTES,
    MAX_WEIGHT,
    SAFE_ID,
    tree,
)
from planner.tree.build import build_tree
from planner.tree.eras import era_on, load_eras
from planner.tree.hierarchy import Level, OrgTree
from planner.tree.names import lv_en, lv_vi

__all__ = [
    "MAX_CAPACITY",
    "MAX_DAYS",
    "MAX_WEIGHT",
    "SAFE_ID",
    "Blackout",
    "LevelPlan",
    "Scenario",
    "apply_set",
    "build_scenario",
    "check_orgs",
    "default_scenario_path",
    "load_scenario",
    "parse_set",
    "scenario_from_text",
]

DEFAULT_RULESETS = ("directive-35-2019", "election-law-85-2015")


def default_scenario_path() -> Path:
    """The built-in 2020–2021 scenario."""
    return data_dir() / "scenarios" / "xiii-2020.toml"


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


# ---------------------------------------------------------------------------------------------
# Rule sets, era, levels
# ---------------------------------------------------------------------------------------------


def _rulesets(r: Reader) -> tuple[dict[str, RuleSet], RuleSet | None, Any]:
    """The named rule sets, the directive among them and the rulebook."""
    from planner.rules.rulebook import load_rulebook

    book = load_rulebook()
    wanted = r.value("rulesets", list(DEFAULT_RULESETS))
    out: dict[str, RuleSet] = {}
    for name in wanted:
        if name not in book.rulesets:
            raise r.error(
                "rulesets",
                f"không có bộ quy tắc '{name}'.",
                f"unknown rule set '{name}'.",
                f"Có: {', '.join(book.rulesets)}.",
                f"Available: {', '.join(book.rulesets)}.",
            )
        out[name] = book.rulesets[name]
    laws = [n for n in out if book.validity.get(n) and book.validity[n].kind == "law"]
    if not laws:
        raise r.error(
            "rulesets",
            "kịch bản phải dùng một luật bầu cử, ví dụ 'election-law-85-2015'.",
            "a scenario must use an election law, e.g. the 'election-law-85-2015' rule set.",
        )
    directives = [
        n
        for n in out
        if n not in laws and getattr(book.validity.get(n), "kind", "") != "preparation"
    ]
    return out, (out[directives[0]] if directives else None), book


def _level_plan(
    r: Reader, level: Level, directive: RuleSet | None, horizon: Horizon, present: bool
) -> LevelPlan:
    key = f"levels.{level.value}"
    plan = r.value(f"{key}.plan", present or level.tier != "grassroots")
    start_rule, end_rule = (
        directive.first("level_window", level=level.value, bound=bound)
        if directive is not None
        else None
        for bound in ("start", "end")
    )
    window = r.value(f"{key}.window")
    if window is None:
        lo = start_rule.param("date") if start_rule is not None else None
        hi = end_rule.param("date") if end_rule is not None else None
        if (lo is None or hi is None) and plan:
            raise r.error(
                f"{key}.window",
                f"cấp {lv_vi(level)} chưa có khung thời gian (không có trong quy tắc).",
                f"the {lv_en(level)} level has no window (the rules give none).",
                f"Thêm window = [ngày đầu, ngày cuối] vào [{key}].",
                f"Add window = [first day, last day] to [{key}].",
            )
        window = (lo or horizon.start, hi or lo or horizon.start)
    duration = directive.first("duration", level=level.value) if directive is not None else None
    rule_max = int(duration.param("max_days")) if duration is not None else None
    days = r.value(f"{key}.days", rule_max)
    if days is None:
        if plan:
            raise r.error(
                f"{key}.days",
                f"cấp {lv_vi(level)} chưa có số ngày đại hội.",
                f"the {lv_en(level)} level has no congress duration.",
                f"Thêm days = N vào [{key}].",
                f"Add days = N to [{key}].",
            )
        days = 1
    max_days = rule_max if rule_max is not None else days
    if duration is not None and days > max_days:
        document = directive.document if directive is not None else ""
        raise r.error(
            f"{key}.days",
            f"đại hội cấp {lv_vi(level)} dài {days} ngày, quá mức tối đa {max_days} ngày "
            f"({document}, {duration.id}).",
            f"{lv_en(level)} congresses last {days} days, over the maximum of {max_days} "
            f"({document}, {duration.id}).",
            f"Đặt {key}.days ≤ {max_days}.",
            f"Set {key}.days ≤ {max_days}.",
        )
    provinces = r.value(f"{key}.provinces")
    if provinces is not None and level.depth <= Level.CENTRAL.depth:
        raise r.error(
            f"{key}.provinces",
            "'provinces' chỉ dùng cho các cấp dưới cấp trực thuộc Trung ương.",
            "'provinces' applies to the levels below the central one only.",
        )
    return LevelPlan(
        level=level,
        plan=plan,
        window=window,
        days=days,
        max_days=max_days,
        daily_capacity=r.value(f"{key}.daily_capacity"),
        parent_daily_capacity=r.value(f"{key}.parent_daily_capacity"),
        buffer_days=r.value(f"{key}.buffer_days"),
        provinces=provinces,
        window_rules=(
            start_rule.id if start_rule is not None else None,
            end_rule.id if end_rule is not None else None,
        ),
        duration_rule=duration.id if duration is not None else None,
    )


# ---------------------------------------------------------------------------------------------
# Blackouts, pins, preferences, families
# ---------------------------------------------------------------------------------------------


def _blackouts(
    r: Reader,
    horizon: Horizon,
    levels: tuple[Level, ...],
    calendar_files: tuple[str, ...],
    milestones: str,
) -> tuple[Blackout, ...]:
    out: list[Blackout] = []
    below = frozenset(lv for lv in levels if lv.depth > 0)
    if r.value("blackouts.holidays"):
        holiday_levels = r.value("blackouts.holiday_levels", below)
        for h in public_holidays(horizon.start, horizon.end):
            source = h.source.cite() if h.source else ""
            out.append(
                Blackout(
                    h.id, "holiday", h.name_vi, h.name_en, h.start, h.end, holiday_levels, source
                )
            )
    calendar = load_calendar(files=calendar_files)
    known = {e.id: e for e in (*calendar.blackouts, *calendar.events)}
    for name in r.value("blackouts.named"):
        if name not in known:
            close = difflib.get_close_matches(name, list(known), n=1)
            raise r.error(
                "blackouts.named",
                f"không có khoảng chặn '{name}' trong lịch của kịch bản.",
                f"no blackout '{name}' in the scenario's calendar.",
                f"Có phải '{close[0]}'?" if close else f"Có: {', '.join(known)}.",
                f"Did you mean '{close[0]}'?" if close else f"Known: {', '.join(known)}.",
            )
        event = known[name]
        source = event.source.cite() if event.source else ""
        out.append(
            Blackout(
                event.id,
                "blackout",
                event.name_vi,
                event.name_en,
                event.start,
                event.end,
                below,
                source,
            )
        )
    plenum_levels = r.value("blackouts.plenum_levels")
    if plenum_levels:
        for plenum in calendar.plenums():
            start, end = _dates_of(plenum.id, plenum.start, plenum.end, milestones)
            source = plenum.source.cite() if plenum.source else ""
            out.append(
                Blackout(
                    plenum.id,
                    "plenum",
                    plenum.name_vi,
                    plenum.name_en,
                    start,
                    end,
                    plenum_levels,
                    source,
                )
            )
    for index, item in enumerate(r.value("blackouts.ranges")):
        key = f"blackouts.ranges[{index}]"
        sub = r.sub(item, key)
        start, end = sub.value("start"), sub.value("end")
        if start is None or end is None:
            raise r.error(
                "blackouts.ranges", f"{key} cần start và end.", f"{key} needs start and end."
            )
        if end < start:
            raise sub.error(
                "start",
                f"{key}: khoảng bị đảo ({_vi(start)} sau {_vi(end)}).",
                f"{key}: inverted range ({start} is after {end}).",
            )
        blackout_id = sub.value("id", f"range-{index + 1}")
        out.append(
            Blackout(
                id=blackout_id,
                kind="blackout",
                name_vi=sub.value("name_vi", item.get("id", f"Khoảng chặn {index + 1}")),
                name_en=sub.value("name_en", item.get("id", f"Blackout {index + 1}")),
                start=start,
                end=end,
                levels=sub.value("levels", below),
                source=sub.value("source"),
                provinces=_frozen(sub.value("provinces")),
            )
        )
    return tuple(out)


def _frozen(codes: tuple[int, ...] | None) -> frozenset[int] | None:
    return frozenset(codes) if codes is not None else None


def _dates_of(event_id: str, start: dt.date, end: dt.date, which: str) -> tuple[dt.date, dt.date]:
    """An event's planned or actual dates, where the calendar data knows them."""
    from planner.rules.milestones import load_milestones

    milestone = load_milestones().get(event_id)
    if milestone is None:
        return start, end
    found = milestone.planned if which == "planned" else milestone.actual
    return (found.start, found.end) if found is not None else (start, end)


def _entries(r: Reader, key: str) -> list[tuple[Reader, str, dt.date]]:
    """The tables of ``[[pins]]`` or ``[[preferred]]``: each names an org and a start, and no
    org twice (two entries for one congress are refused, not guessed between)."""
    out: list[tuple[Reader, str, dt.date]] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(r.value(key)):
        sub = r.sub(item, f"{key}[{index}]")
        org, start = sub.value("org"), sub.value("start")
        if org is None or start is None:
            raise r.error(
                key,
                f"{key}[{index}] cần org và start.",
                f"{key}[{index}] needs org and start.",
                'Ví dụ: { org = "p37", start = 2020-10-20 }.',
                'Example: { org = "p37", start = 2020-10-20 }.',
            )
        if org in seen:
            raise r.error(
                key,
                f"'{org}' có hai mục ({key}[{seen[org]}] và {key}[{index}]).",
                f"'{org}' is given twice ({key}[{seen[org]}] and {key}[{index}]).",
                f"Giữ một mục [[{key}]] cho mỗi đơn vị.",
                f"Keep one [[{key}]] entry per organisation.",
            )
        seen[org] = index
        out.append((sub, org, start))
    return out


def _pins(r: Reader) -> tuple[Pin, ...]:
    out = []
    for sub, org, start in _entries(r, "pins"):
        end = sub.value("end")
        if end is not None and end < start:
            raise sub.error(
                "end",
                f"{sub.prefix} ({org}): ngày kết thúc {_vi(end)} trước ngày bắt đầu {_vi(start)}.",
                f"{sub.prefix} ({org}): end {end} is before start {start}.",
            )
        out.append(Pin(org, start, end))
    return tuple(out)


def _preferences(r: Reader) -> tuple[Preference, ...]:
    return tuple(
        Preference(org, start, sub.value("weight")) for sub, org, start in _entries(r, "preferred")
    )


def _families(r: Reader) -> dict[str, FamilySetting]:
    out = {}
    for fam in catalogue().values():
        key = f"families.{fam.id}"
        enabled = r.value(f"{key}.enabled")
        hard = r.value(f"{key}.hard", fam.default == "hard")
        if fam.required and not (enabled and hard):
            raise r.error(
                key,
                f"họ '{fam.id}' ({fam.name_vi}) luôn bật và bắt buộc.",
                f"family '{fam.id}' ({fam.name_en}) is always on and hard.",
            )
        if fam.id == "preferred" and hard:
            raise r.error(
                f"{key}.hard",
                "ngày mong muốn chỉ là ràng buộc mềm.",
                "preferred dates can only be soft.",
            )
        weight = r.value(f"{key}.weight", 100 if fam.default == "hard" else 1)
        out[fam.id] = FamilySetting(enabled, hard, weight)
    return out


# ---------------------------------------------------------------------------------------------
# The whole scenario
# ---------------------------------------------------------------------------------------------


def _era_and_cycle(
    r: Reader, book: Any, directive: RuleSet | None, on: dt.date
) -> tuple[str, str | None]:
    """The era (explicit, the directive's, or the one in effect on election day) and the
    cycle (explicit or the directive's)."""
    eras = load_eras()
    validity = book.validity.get(directive.id) if directive is not None else None
    era_id = r.value("era") or (validity.era if validity is not None else None)
    if era_id is None:
        era_id = era_on(on).id
    if era_id not in eras:
        raise r.error(
            "era",
            f"không có thời kỳ '{era_id}'; có: {', '.join(eras)}.",
            f"no era '{era_id}'; known: {', '.join(eras)}.",
        )
    cycle = r.value("cycle") or (validity.cycle if validity is not None else None)
    return era_id, cycle


def _law(r: Reader, book: Any, on: dt.date) -> RuleSet:
    """The election law: the one in force for election day, or the one ``election.law`` names."""
    wanted = r.value("election.law")
    try:
        law: RuleSet = book.law_for_election(on) if wanted == "auto" else book.law(wanted)
        return law
    except PlannerError as exc:
        raise r.error(
            "election.law", exc.message_vi, exc.message_en, exc.hint_vi or "", exc.hint_en or ""
        ) from None


def build_scenario(
    raw: Mapping[str, Any], text: str, file: str, sets: Sequence[str] = ()
) -> Scenario:
    """Validate a raw scenario document into a :class:`Scenario`."""
    if depth_of(raw) > MAX_DEPTH:
        raise PlannerError(
            f"kịch bản lồng bảng/mảng quá sâu (tối đa {MAX_DEPTH} tầng).",
            f"the scenario nests tables or arrays too deeply (at most {MAX_DEPTH} levels).",
            file=file,
        )
    r = Reader(raw, text, file, sets)
    if raw.get("schema_version") != 1:
        raise r.error(
            "schema_version",
            f"schema_version = {raw.get('schema_version')!r} không được hỗ trợ.",
            f"schema_version = {raw.get('schema_version')!r} is not supported.",
            "Ghi schema_version = 1 ở đầu tệp.",
            "Put schema_version = 1 at the top of the file.",
        )
    rulesets, directive, book = _rulesets(r)  # read before the era's levels are known
    start, end = r.value("horizon.start"), r.value("horizon.end")
    election_day = r.value("election.day")
    choose = r.value("election.choose")
    on = election_day or (choose[0] if choose else None) or start or dt.date.today()
    era_id, cycle = _era_and_cycle(r, book, directive, on)
    era_levels = tuple(Level(lv) for lv in load_eras()[era_id].level_ids())
    r.levels = tuple(lv.value for lv in era_levels)
    check_keys(raw, tree(r.levels, FAMILY_IDS), [], r)

    scenario_id = r.value("id", Path(file).stem)
    if start is None or end is None:
        raise r.error(
            "horizon",
            "thiếu [horizon] start/end.",
            "missing [horizon] start/end.",
            "Ví dụ: [horizon] start = 2020-01-01, end = 2021-07-31.",
            "Example: [horizon] start = 2020-01-01, end = 2021-07-31.",
        )
    if end < start:
        raise r.error(
            "horizon.end",
            f"khung kế hoạch bị đảo: {_vi(start)} sau {_vi(end)}.",
            f"the horizon is inverted: {start} is after {end}.",
        )
    if (end - start).days + 1 > MAX_HORIZON_DAYS:
        raise r.error(
            "horizon.end",
            f"khung kế hoạch dài {(end - start).days + 1} ngày, quá {MAX_HORIZON_DAYS} ngày "
            "(20 năm).",
            f"the horizon spans {(end - start).days + 1} days, over {MAX_HORIZON_DAYS} (20 years).",
            "Thu hẹp [horizon] về chu kỳ cần lập lịch.",
            "Narrow [horizon] to the cycle being planned.",
        )
    horizon = Horizon(start, end)

    if (election_day is None) == (choose is None):
        raise r.error(
            "election.day",
            "cần đúng một trong election.day hoặc election.choose.",
            "give exactly one of election.day or election.choose.",
        )
    law = _law(r, book, election_day or choose[0])
    if election_day is not None:
        try:
            check_election_day(election_day, law)
        except PlannerError as exc:
            line, where = r.locate("election.day")
            exc.file, exc.line, exc.field = file, line, where
            raise
    if choose is not None and not any(
        (choose[0] + dt.timedelta(days=k)).weekday() == 6
        for k in range((choose[1] - choose[0]).days + 1)
    ):
        raise r.error(
            "election.choose",
            f"khoảng {choose[0]} – {choose[1]} không có ngày Chủ nhật nào.",
            f"the range {choose[0]} – {choose[1]} holds no Sunday.",
        )

    present = isinstance(raw.get("levels"), dict)
    levels = {
        lv: _level_plan(r, lv, directive, horizon, present and lv.value in raw["levels"])
        for lv in era_levels
    }
    planned = [lv for lv in era_levels if levels[lv].plan]
    for upper, lower in itertools.pairwise(era_levels):
        if levels[lower].plan and not levels[upper].plan:
            raise r.error(
                f"levels.{upper.value}.plan",
                f"không thể lập lịch cấp {lv_vi(lower)} mà bỏ cấp {lv_vi(upper)}.",
                f"cannot plan the {lv_en(lower)} level without the {lv_en(upper)} level.",
            )
    if not planned:
        raise r.error("levels", "không có cấp nào được lập lịch.", "no level is planned.")
    milestones = r.value("milestones")
    if milestones == "actual" and Level.NATIONAL in levels:
        levels[Level.NATIONAL] = _actual_national(r, levels[Level.NATIONAL], cycle)
    for lv in planned:
        lo, hi = levels[lv].window
        if lo < horizon.start or hi > horizon.end:
            raise r.error(
                f"levels.{lv.value}.window",
                f"khung cấp {lv_vi(lv)} ({_vi(lo)} – {_vi(hi)}) vượt ra ngoài khung kế hoạch "
                f"({_vi(horizon.start)} – {_vi(horizon.end)}).",
                f"the {lv_en(lv)} window ({lo} – {hi}) leaves the horizon "
                f"({horizon.start} – {horizon.end}).",
                "Mở rộng [horizon].",
                "Widen [horizon].",
            )

    pilot_windows: dict[Level, tuple[dt.date, dt.date]] = {}
    for lv in era_levels:
        window = r.value(f"pilots.windows.{lv.value}")
        rule = directive.first("pilot", level=lv.value) if directive is not None else None
        if window is None and rule is not None:
            window = (rule.param("start"), rule.param("end"))
        if window is not None:
            pilot_windows[lv] = window

    calendar_files = tuple(r.value("calendar") or _cycle_calendars(cycle))
    try:
        blackouts = _blackouts(r, horizon, era_levels, calendar_files, milestones)
    except PlannerError as exc:
        if exc.field == "calendar" and exc.file is None:
            raise r.error("calendar", exc.message_vi, exc.message_en) from None
        raise
    alignment_rule = r.value("alignment.rule")
    scenario = Scenario(
        id=scenario_id,
        name_vi=r.value("name_vi", Path(file).stem),
        name_en=r.value("name_en", Path(file).stem),
        file=file,
        raw=copy.deepcopy(dict(raw)),
        rulesets={law.id: law, **rulesets},
        horizon=horizon,
        election_day=election_day,
        election_choose=choose,
        election_announced=r.value("election.announced"),
        levels=levels,
        child_before_parent_days=r.value("gaps.child_before_parent_days"),
        central_before_national_days=r.value("alignment.central_before_national_days"),
        national_before_step=r.value("alignment.national_before_step"),
        national_before_step_days=r.value("alignment.national_before_step_days"),
        pilot_units=tuple(r.value("pilots.units")),
        pilot_lead_days=r.value("pilots.lead_days"),
        pilot_windows=pilot_windows,
        blackouts=blackouts,
        blackout_weekdays=r.value("blackouts.weekdays") or frozenset(),
        pins=_pins(r),
        preferences=_preferences(r),
        families=_families(r),
        objective={
            key: r.value(f"objective.{key}")
            for key in ("preferred_weight", "buffer_weight", "peak_weight")
        },
        peak_levels=tuple(lv for lv in era_levels if lv in r.value("objective.peak_levels")),
        sets=tuple(sets),
        text=text,
        era=era_id,
        cycle=cycle,
        calendar_files=calendar_files,
        law=law,
        alignment_rule=alignment_rule,
        national_after_step=r.value("alignment.national_after_step"),
        national_after_step_days=r.value("alignment.national_after_step_days"),
        kind_sets=tuple(r.value("kinds.sets")),
        kind_units=r.value("kinds.units"),
        projection=_projection(r),
        milestones=milestones,
        directive=directive,
        preparation=_preparation(r, cycle, calendar_files, horizon, era_levels),
    )
    _check_steps(r, scenario)
    _check_kinds(r, scenario, directive)
    return scenario


def _preparation(
    r: Reader,
    cycle: str | None,
    calendar_files: tuple[str, ...],
    horizon: Horizon,
    era_levels: tuple[Level, ...],
) -> PreparationSettings:
    """The scenario's preparation values (``preparation.*``), defaults from the cycle's data."""
    data = load_preparation(cycle)
    enabled = bool(r.value("preparation.enabled"))
    if data.status != "data":
        return PreparationSettings(
            enabled=enabled,
            data=data,
            calendar_files=calendar_files,
            attendance_limit=r.value("preparation.attendance_limit", None),
        )
    review, lower = data.rule("review"), data.rule("lower_approval")

    def wd(key: str, family: str, fallback: int) -> int:
        rule = data.rule(family)
        value: int = r.value(key, rule.param("working_days") if rule else fallback)
        return value

    window = None
    if review is not None:
        end = review.param("window_end") or max(horizon.end, review.param("window_start"))
        window = r.value("preparation.review_window", (review.param("window_start"), end))
    announce = data.rule("announce")
    levels = r.value("preparation.step_levels", announce.param("plan_levels") if announce else [])
    data = with_groups(data, r.value("preparation.review_groups", len(data.groups())))
    groups = data.groups()
    return PreparationSettings(
        enabled=enabled,
        data=data,
        review_lead_days=r.value(
            "preparation.review_lead_days", review.param("lead_days") if review else 0
        ),
        review_lead_unit=str(review.param("lead_unit")) if review else "calendar",
        review_window=window,
        review_levels=(str(review.param("level")),) if review else (),
        group_capacity=r.value("preparation.group_capacity", groups[0].capacity if groups else 2),
        announce_working_days=wd("preparation.announce_working_days", "announce", 30),
        report_working_days=wd("preparation.report_working_days", "report", 7),
        approval_working_days=wd("preparation.approval_working_days", "approval", 15),
        lower_approval=bool(
            r.value("preparation.lower_approval") or (lower and lower.param("enabled"))
        ),
        lower_approval_working_days=wd(
            "preparation.lower_approval_working_days", "lower_approval", 45
        ),
        step_levels=tuple(lv.value for lv in era_levels if lv.value in set(levels)),
        calendar_files=calendar_files,
        body_days_off=body_days_off(calendar_files, horizon.start, horizon.end),
        attendance_limit=r.value("preparation.attendance_limit", None),
    )


def _cycle_calendars(cycle: str | None) -> list[str]:
    """The calendar files of a cycle (none for a cycle the data has no calendar of, such as a
    projection: its plenums are not known)."""
    return [name for name, c in calendar_cycles().items() if c == cycle]


def _actual_national(r: Reader, plan: LevelPlan, cycle: str | None) -> LevelPlan:
    """The National Congress on its actual dates (``milestones = "actual"``)."""
    from dataclasses import replace

    from planner.rules.milestones import national_congress

    try:
        actual = national_congress(cycle or "").actual
    except PlannerError:
        actual = None
    if actual is None:
        raise r.error(
            "milestones",
            f"chu kỳ '{cycle}' không có ngày thực tế của Đại hội toàn quốc trong data/calendar.",
            f"cycle '{cycle}' has no actual National Congress dates in data/calendar.",
        )
    days = (actual.end - actual.start).days + 1
    return replace(
        plan, window=(actual.start, actual.end), days=days, max_days=max(days, plan.max_days)
    )


def _projection(r: Reader) -> Projection | None:
    if r.get("projection") is None:
        return None
    source, shift, note = (
        r.value("projection.from"),
        r.value("projection.shift_years"),
        r.value("projection.note"),
    )
    if source is None or shift is None or note is None:
        raise r.error(
            "projection",
            "[projection] cần from, shift_years và note.",
            "[projection] needs from, shift_years and note.",
        )
    return Projection(source, shift, note)


def _check_steps(r: Reader, scenario: Scenario) -> None:
    """The election steps the alignment names exist in the scenario's law."""
    law = scenario.election_law
    keys = ["alignment.national_before_step"]
    if scenario.alignment_rule == "national_between_steps":
        if scenario.national_after_step is None:
            raise r.error(
                "alignment.national_after_step",
                "national_between_steps cần alignment.national_after_step.",
                "national_between_steps needs alignment.national_after_step.",
            )
        keys.append("alignment.national_after_step")
    for key in keys:
        step = r.value(key)
        try:
            law.get(step)
        except PlannerError:
            raise r.error(
                key,
                f"không có bước bầu cử '{step}' trong {law.id}.",
                f"no election step '{step}' in {law.id}.",
                "Xem `planner timetable`.",
                "See `planner timetable`.",
            ) from None
    assert scenario.alignment_rule in ALIGNMENT_RULES


def _check_kinds(r: Reader, scenario: Scenario, directive: RuleSet | None) -> None:
    """Congress kinds and unit sets named by the scenario exist (data/kinds.toml)."""
    if not scenario.kind_sets and not scenario.kind_units:
        return
    from planner.rules.congress_kinds import load_kinds

    kinds = load_kinds()
    for name in scenario.kind_sets:
        if name not in kinds.unit_sets:
            raise r.error(
                "kinds.sets",
                f"không có nhóm đơn vị '{name}'; có: {', '.join(kinds.unit_sets)}.",
                f"no unit set '{name}'; available: {', '.join(kinds.unit_sets)}.",
            )
    for org, kind in scenario.kind_units.items():
        if kind not in kinds.kinds:
            raise r.error(
                "kinds.units",
                f"'{org}': không có loại đại hội '{kind}'; có: {', '.join(kinds.kinds)}.",
                f"'{org}': no congress kind '{kind}'; available: {', '.join(kinds.kinds)}.",
            )
    if directive is None:
        raise r.error(
            "kinds",
            "loại đại hội cần một chỉ thị (quy tắc thời gian đại hội).",
            "congress kinds need a directive (its duration rules).",
        )


def check_orgs(scenario: Scenario, tree: OrgTree, planned_ids: Iterable[str] | None = None) -> None:
    """Every org and province named by the scenario exists in its tree and is planned."""
    planned = set(scenario.planned_orgs(tree) if planned_ids is None else planned_ids)
    r = Reader(scenario.raw, scenario.text, scenario.file, scenario.sets)
    codes = {o.province_code for o in tree if o.province_code is not None}
    for level, plan in scenario.levels.items():
        unknown_codes = sorted(set(plan.provinces or ()) - codes)
        if unknown_codes:
            raise r.error(
                f"levels.{level.value}.provinces",
                f"không có tỉnh mã {unknown_codes[0]} (levels.{level.value}.provinces).",
                f"no province with code {unknown_codes[0]} (levels.{level.value}.provinces).",
                "Xem mã tỉnh bằng `planner orgs --level central`.",
                "List province codes with `planner orgs --level central`.",
            )
    named = [
        *(("pins", p.org) for p in scenario.pins),
        *(("preferred", p.org) for p in scenario.preferences),
        *(("pilots.units", org) for org in scenario.pilot_units),
        *(("kinds.units", org) for org in scenario.kind_units),
    ]
    for key, org in named:
        if org not in tree:
            try:
                tree.get(org)
            except PlannerError as exc:
                raise r.error(
                    key, exc.message_vi, exc.message_en, exc.hint_vi or "", exc.hint_en or ""
                ) from None
        if org not in planned and key != "kinds.units":
            raise r.error(
                key,
                f"'{org}' không được lập lịch trong kịch bản này (cấp hoặc tỉnh không được chọn).",
                f"'{org}' is not planned by this scenario (its level or province is not selected).",
            )
    for org in scenario.pilot_units:
        level = tree.get(org).level
        if level not in scenario.pilot_windows:
            raise r.error(
                "pilots.units",
                f"không có khung đại hội điểm cho cấp {lv_vi(level)} ('{org}').",
                f"no pilot window for the {lv_en(level)} level ('{org}').",
                f"Thêm pilots.windows.{level.value}.",
                f"Add pilots.windows.{level.value}.",
            )
    for pin in scenario.pins:
        plan = scenario.levels[tree.get(pin.org).level]
        if pin.end is not None and (pin.end - pin.start).days + 1 > plan.max_days:
            raise r.error(
                "pins",
                f"'{pin.org}' được chốt {(pin.end - pin.start).days + 1} ngày, quá mức tối đa "
                f"{plan.max_days} ngày.",
                f"'{pin.org}' is pinned for {(pin.end - pin.start).days + 1} days, over the "
                f"maximum of {plan.max_days}.",
            )
    for blackout in scenario.blackouts:
        unknown = sorted((blackout.provinces or frozenset()) - codes)
        if unknown:
            raise r.error(
                "blackouts.ranges",
                f"khoảng chặn '{blackout.id}': không có tỉnh mã {unknown[0]}.",
                f"blackout '{blackout.id}': no province with code {unknown[0]}.",
                "Xem mã tỉnh bằng `planner orgs --level central`.",
                "List province codes with `planner orgs --level central`.",
            )


def load_scenario(path: Path | None = None, sets: Sequence[str] = ()) -> Scenario:
    """Read, override (``--set``) and validate a scenario (the built-in one by default)."""
    path = path or default_scenario_path()
    shown = display_path(path)
    text = read_text_file(path, shown, MAX_SCENARIO_BYTES, "tệp kịch bản", "scenario file")
    return scenario_from_text(text, shown, sets)


def scenario_from_text(
    text: str, name: str = "scenario.toml", sets: Sequence[str] = ()
) -> Scenario:
    """Validate a scenario given as text (a file, an upload, a test fixture)."""
    if len(text.encode("utf-8")) > MAX_SCENARIO_BYTES:
        raise PlannerError(
            f"tệp kịch bản quá lớn (tối đa {MAX_SCENARIO_BYTES // 1024} KiB).",
            f"the scenario file is too large (at most {MAX_SCENARIO_BYTES // 1024} KiB).",
            file=name,
        )
    raw = parse_toml(text, name)
    check_schema(raw, name)
    for item in sets:
        apply_set(raw, item)
    return build_scenario(raw, text, name, sets)


def tree_for(scenario: Scenario) -> OrgTree:
    """The organisation tree of the scenario's era (cached per era)."""
    return build_tree(scenario.era)
