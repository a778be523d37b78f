"""Scenario files: what to plan, under which rules, with which parameters, pins and preferences.

A scenario is a TOML file (``schema_version = 1``) that names the rule sets it uses and overrides
their parameters. Defaults come from the rules: level windows from Directive 35-CT/TW
(``d35.start.*`` / ``d35.end.*``), maximum durations from ``d35.duration.*``, pilot windows from
``d35.pilot.*``. ``--set KEY=VALUE`` (dotted key, TOML value) changes one key before validation.
Every problem is reported with the file, the line or ``--set`` and the fix, in both languages.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import itertools
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.calendar import (
    MAX_YEAR,
    MIN_YEAR,
    WEEKDAYS_EN,
    Horizon,
    load_calendar,
    public_holidays,
)
from planner.errors import PlannerError
from planner.families import FAMILY_IDS, catalogue
from planner.hierarchy import Level, OrgTree
from planner.paths import data_dir, display_path
from planner.rules import RuleSet, load_rulesets
from planner.timetable import ELECTION_LAW, check_election_day
from planner.tomlio import check_schema, line_of, parse_toml, read_text_file

DIRECTIVE = "directive-35-2019"
PLANNED_LEVELS = (Level.NATIONAL, Level.CENTRAL, Level.DISTRICT, Level.GRASSROOTS)
LEVEL_KEYS = (
    "plan",
    "window",
    "days",
    "daily_capacity",
    "parent_daily_capacity",
    "buffer_days",
    "provinces",
)
SCHEMA: dict[str, Any] = {
    "schema_version": None,
    "id": None,
    "name_vi": None,
    "name_en": None,
    "description_vi": None,
    "description_en": None,
    "rulesets": None,
    "horizon": {"start": None, "end": None},
    "election": {"day": None, "choose": None, "announced": None},
    "levels": {lv.value: dict.fromkeys(LEVEL_KEYS) for lv in PLANNED_LEVELS},
    "gaps": {"child_before_parent_days": None},
    "alignment": {
        "central_before_national_days": None,
        "national_before_step": None,
        "national_before_step_days": None,
    },
    "pilots": {
        "units": None,
        "lead_days": None,
        "windows": {"grassroots": None, "district": None},
    },
    "blackouts": {
        "holidays": None,
        "holiday_levels": None,
        "named": None,
        "plenum_levels": None,
        "weekdays": None,
        "ranges": None,
    },
    "families": {f: {"enabled": None, "hard": None, "weight": None} for f in FAMILY_IDS},
    "objective": {
        "preferred_weight": None,
        "buffer_weight": None,
        "peak_weight": None,
        "peak_levels": None,
    },
    "pins": None,
    "preferred": None,
}


# Bounds on numbers and dates, checked where they are read, so that nothing a scenario says can
# overflow the solver (CP-SAT refuses a model whose objective may exceed 64 bits: MODEL_INVALID)
# or make the horizon absurd (issue 11, issue 12). Weights multiply days and one another
# (preferred_weight × a preference's weight × days away): 10,000² × 7,306 days × 53,334
# congresses stays below 2⁶³.
MAX_WEIGHT = 10_000
MAX_DAYS = 3_660  # durations, gaps, lead and buffer days: ten years
MAX_CAPACITY = 1_000_000
MAX_HORIZON_DAYS = 7_306  # twenty years
MAX_SCENARIO_BYTES = 1 << 20  # 1 MiB: a scenario is a page of settings, not data
MAX_DEPTH = 12  # tables and arrays nested deeper than this are refused
# Ids go into iCal UIDs, file names and URLs: a safe, lowercase pattern (issue 12, injection).
SAFE_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


def _safe_text(value: str) -> bool:
    """One line of text: no line breaks or other control characters (they could inject
    properties into iCal feeds or rows into CSV)."""
    return not any(ord(ch) < 32 or ord(ch) == 127 for ch in value)


def depth_of(value: Any, limit: int = MAX_DEPTH + 1) -> int:
    """How deeply tables and arrays nest (counted without recursion, stopping past ``limit``)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if level > limit:
            break
        if isinstance(node, dict):
            stack.extend((v, level + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, level + 1) for v in node)
    return deepest


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
    provinces: tuple[int, ...] | None  # district / grassroots: None = nationwide
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

    @property
    def election_law(self) -> RuleSet:
        """The election-law rule set this scenario uses."""
        return self.rulesets[ELECTION_LAW]

    def on(self, family_id: str) -> bool:
        """Whether a constraint family is switched on."""
        return self.families[family_id].enabled

    def hard(self, family_id: str) -> bool:
        """Whether a family is on and hard."""
        setting = self.families[family_id]
        return setting.enabled and setting.hard

    def planned_levels(self) -> list[Level]:
        """The levels this scenario plans, top-down."""
        return [lv for lv in PLANNED_LEVELS if self.levels[lv].plan]

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
                levels=frozenset(PLANNED_LEVELS),
                source="scenario",
            )
            for day in self.horizon.days():
                if day.weekday() in self.blackout_weekdays:
                    out.setdefault(day, weekday_blackout)
        return out

    def planned_orgs(self, tree: OrgTree) -> list[str]:
        """Ids of every organisation whose congress this scenario plans, top-down."""
        out: list[str] = []
        filters = [
            (lv, self.levels[lv].provinces)
            for lv in (Level.DISTRICT, Level.GRASSROOTS)
            if self.levels[lv].provinces is not None
        ]
        planned = {lv for lv in PLANNED_LEVELS if self.levels[lv].plan}
        # a province filter on a level also applies to every level below it
        allowed: dict[Level, set[int] | None] = {}
        for level in planned:
            codes: set[int] | None = None
            for lv, filter_codes in filters:
                if level.depth >= lv.depth:
                    here = set(filter_codes or ())
                    codes = here if codes is None else codes & here
            allowed[level] = codes
        for org in tree:
            if org.level not in planned:
                continue
            codes = allowed[org.level]
            if codes is not None and org.province_code not in codes:
                continue
            out.append(org.org_id)
        return out


# ---------------------------------------------------------------------------------------------
# --set
# ---------------------------------------------------------------------------------------------


def parse_set(text: str) -> tuple[list[str], Any]:
    """Split ``a.b.c=VALUE`` into the key path and the TOML value (bare words are strings)."""
    if "=" not in text:
        raise PlannerError(
            f"'--set {text}' thiếu dấu '='.",
            f"'--set {text}' has no '='.",
            field="--set",
            hint_vi="Viết --set KHÓA=GIÁ_TRỊ, ví dụ --set levels.central.daily_capacity=2.",
            hint_en="Write --set KEY=VALUE, e.g. --set levels.central.daily_capacity=2.",
        )
    key, value = text.split("=", 1)
    path = [part.strip() for part in key.strip().split(".")]
    if not all(path):
        raise PlannerError(f"khóa '{key}' không hợp lệ.", f"invalid key '{key}'.", field="--set")
    try:
        parsed = tomllib.loads(f"v = {value.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        stripped = value.strip()
        if stripped and all(ch.isalnum() or ch in "-_.:" for ch in stripped):
            parsed = stripped
        else:
            raise PlannerError(
                f"giá trị '{value}' của {key} không phải giá trị TOML.",
                f"value '{value}' for {key} is not a TOML value.",
                field=f"--set {key}",
                hint_vi='Ví dụ: 2, true, 2020-10-31, [2020-09-01, 2020-10-31], "p01".',
                hint_en='Examples: 2, true, 2020-10-31, [2020-09-01, 2020-10-31], "p01".',
            ) from None
    return path, parsed


def apply_set(raw: dict[str, Any], text: str) -> None:
    """Apply one ``--set`` to the raw document (unknown keys are refused with suggestions)."""
    path, value = parse_set(text)
    _check_known(path, f"--set {'.'.join(path)}")
    if path == ["schema_version"]:
        raise PlannerError(
            "không đổi được schema_version bằng --set: đó là phiên bản định dạng của tệp.",
            "schema_version cannot be changed with --set: it is the file format's version.",
            field="--set schema_version",
            hint_vi="Bỏ --set này.",
            hint_en="Drop this --set.",
        )
    node = raw
    for part in path[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[path[-1]] = value


def _check_known(path: Sequence[str], where: str) -> None:
    node: Any = SCHEMA
    for depth, part in enumerate(path):
        if not isinstance(node, dict):
            return
        if part not in node:
            close = difflib.get_close_matches(part, list(node), n=1)
            known = ".".join(path[:depth]) or "(gốc / top level)"
            hint_vi = f"Có phải '{close[0]}'?" if close else f"Khóa hợp lệ: {', '.join(node)}."
            hint_en = f"Did you mean '{close[0]}'?" if close else f"Valid keys: {', '.join(node)}."
            raise PlannerError(
                f"khóa '{part}' không tồn tại trong {known}.",
                f"unknown key '{part}' in {known}.",
                field=where,
                hint_vi=hint_vi,
                hint_en=hint_en,
            )
        node = node[part]


def _walk_unknown(
    raw: Mapping[str, Any], schema: Mapping[str, Any], prefix: list[str], report: Any
) -> None:
    for key, value in raw.items():
        path = [*prefix, key]
        _check_known_or_report(path, report)
        sub = schema.get(key)
        if isinstance(sub, dict) and isinstance(value, dict):
            _walk_unknown(value, sub, path, report)


def _check_tables(
    raw: Mapping[str, Any], schema: Mapping[str, Any], prefix: list[str], r: _Reader
) -> None:
    """A key that holds a table must be a table: ``--set levels.central=3`` or
    ``blackouts = "none"`` would otherwise drop every setting under it without a word."""
    for key, sub in schema.items():
        if not isinstance(sub, dict) or key not in raw:
            continue
        value = raw[key]
        dotted = ".".join([*prefix, key])
        if not isinstance(value, dict):
            keys = ", ".join(list(sub)[:6])
            raise r.error(
                dotted,
                f"'{dotted}' là một bảng (các khóa {keys}…), không phải {value!r}.",
                f"'{dotted}' is a table (keys {keys}…), not {value!r}.",
                f"Đặt từng khóa bên trong, ví dụ --set {dotted}.{next(iter(sub))}=….",
                f"Set the keys inside it, e.g. --set {dotted}.{next(iter(sub))}=….",
            )
        _check_tables(value, sub, [*prefix, key], r)


def _check_known_or_report(path: list[str], report: Any) -> None:
    try:
        _check_known(path, ".".join(path))
    except PlannerError as exc:
        report(exc, path)


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


def _as_date(value: Any) -> Any:
    """ISO strings count as dates too, so JSON values (e.g. diagnosis suggestions) feed back."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


class _Reader:
    """Typed access to the raw document, with errors that point at the line or the --set."""

    def __init__(
        self,
        raw: Mapping[str, Any],
        text: str,
        file: str,
        sets: Sequence[str],
        prefix: str = "",
    ) -> None:
        self.raw = raw
        self.text = text
        self.file = file
        self.sets = tuple(sets)
        self.set_keys = {s.split("=", 1)[0].strip() for s in sets}
        self.prefix = prefix  # where a sub-table sits, e.g. "blackouts.ranges[0]"

    def sub(self, raw: Mapping[str, Any], prefix: str) -> _Reader:
        """A reader of one table inside this document (errors still point into the file)."""
        return _Reader(raw, self.text, self.file, self.sets, prefix)

    def locate(self, dotted: str) -> tuple[int | None, str]:
        shown = f"{self.prefix}.{dotted}" if self.prefix else dotted
        bare = re.sub(r"\[\d+\]", "", shown)  # "blackouts.ranges[0].start" → by its key
        if any(bare == k or bare.startswith(k + ".") for k in self.set_keys):
            return None, f"--set {shown}"
        if self.prefix:
            return _line_of_path(self.text, bare.split(".")), shown
        parts = dotted.split(".")
        line = None
        for cut in range(len(parts) - 1, 0, -1):
            header = line_of(self.text, "[" + ".".join(parts[:cut]) + "]")
            if header:
                line = line_of(self.text, parts[cut], header) or header
                break
        if line is None:
            line = line_of(self.text, parts[-1] + " =") or line_of(self.text, parts[-1])
        return line, dotted

    def error(
        self, dotted: str, vi: str, en: str, hint_vi: str = "", hint_en: str = ""
    ) -> PlannerError:
        line, where = self.locate(dotted)
        return PlannerError(
            vi,
            en,
            file=self.file,
            line=line,
            field=where,
            hint_vi=hint_vi or None,
            hint_en=hint_en or None,
        )

    def get(self, dotted: str, default: Any = None) -> Any:
        node: Any = self.raw
        for part in dotted.split("."):
            if not isinstance(node, Mapping) or part not in node:
                return default
            node = node[part]
        return node

    def date(self, dotted: str, default: dt.date | None = None) -> dt.date | None:
        value = _as_date(self.get(dotted))
        if value is None:
            return default
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return self.in_years(dotted, value)
        raise self.error(
            dotted,
            f"'{dotted}' phải là ngày (YYYY-MM-DD), nhận {value!r}.",
            f"'{dotted}' must be a date (YYYY-MM-DD), got {value!r}.",
        )

    def in_years(self, dotted: str, day: dt.date) -> dt.date:
        """A date within the years a plan may cover."""
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            raise self.error(
                dotted,
                f"'{dotted}' = {day}: năm phải trong khoảng {MIN_YEAR}–{MAX_YEAR}.",
                f"'{dotted}' = {day}: the year must be within {MIN_YEAR}–{MAX_YEAR}.",
            )
        return day

    def integer(
        self, dotted: str, default: int | None, minimum: int = 0, maximum: int = MAX_DAYS
    ) -> int | None:
        value = self.get(dotted)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
            raise self.error(
                dotted,
                f"'{dotted}' phải là số nguyên từ {minimum} đến {maximum}, nhận {value!r}.",
                f"'{dotted}' must be a whole number from {minimum} to {maximum}, got {value!r}.",
            )
        return value

    def boolean(self, dotted: str, default: bool) -> bool:
        value = self.get(dotted)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.error(
                dotted,
                f"'{dotted}' phải là true hoặc false, nhận {value!r}.",
                f"'{dotted}' must be true or false, got {value!r}.",
            )
        return value

    def text_value(self, dotted: str, default: str) -> str:
        value = self.get(dotted)
        if value is None:
            return default
        if not isinstance(value, str) or not value.strip():
            raise self.error(
                dotted,
                f"'{dotted}' phải là chuỗi văn bản.",
                f"'{dotted}' must be a non-empty string.",
            )
        return value

    def strings(self, dotted: str, default: Sequence[str]) -> list[str]:
        value = self.get(dotted)
        if value is None:
            return list(default)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(
                dotted,
                f'\'{dotted}\' phải là danh sách chuỗi, ví dụ ["a", "b"].',
                f'\'{dotted}\' must be a list of strings, e.g. ["a", "b"].',
            )
        return list(value)

    def window(self, dotted: str) -> tuple[dt.date, dt.date] | None:
        value = self.get(dotted)
        if value is None:
            return None
        if isinstance(value, list):
            value = [_as_date(v) for v in value]
        ok = (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(v, dt.date) and not isinstance(v, dt.datetime) for v in value)
        )
        if not ok:
            raise self.error(
                dotted,
                f"'{dotted}' phải là [ngày đầu, ngày cuối], nhận {value!r}.",
                f"'{dotted}' must be [first day, last day], got {value!r}.",
                "Ví dụ: [2020-09-01, 2020-10-31].",
                "Example: [2020-09-01, 2020-10-31].",
            )
        start, end = (self.in_years(dotted, v) for v in value)
        if end < start:
            raise self.error(
                dotted,
                f"khung '{dotted}' bị đảo: {start} sau {end}.",
                f"window '{dotted}' is inverted: {start} is after {end}.",
                "Đổi chỗ hai ngày.",
                "Swap the two dates.",
            )
        return start, end


def _line_of_path(text: str, parts: Sequence[str]) -> int | None:
    """The line of a nested key: its table header (``[a]``, ``[[a]]``) then each key after it."""
    line = 1
    for depth in range(len(parts), 0, -1):
        head = ".".join(parts[:depth])
        found = line_of(text, f"[[{head}]]") or line_of(text, f"[{head}]")
        if found:
            line = found
            rest = parts[depth:]
            break
    else:
        rest = list(parts)
    for part in rest:
        line = line_of(text, part, line) or line
    return line


def _rule_date(rules: RuleSet, rule_id: str) -> dt.date | None:
    try:
        value = rules.get(rule_id).param("date")
    except PlannerError:
        return None
    return value if isinstance(value, dt.date) else None


def _level_plan(r: _Reader, level: Level, directive: RuleSet | None) -> LevelPlan:
    key = f"levels.{level.value}"
    plan = r.boolean(f"{key}.plan", level != Level.GRASSROOTS or r.get(key) is not None)
    start_rule, end_rule = f"d35.start.{level.value}", f"d35.end.{level.value}"
    window = r.window(f"{key}.window")
    if window is None:
        lo = _rule_date(directive, start_rule) if directive else None
        hi = _rule_date(directive, end_rule) if directive else None
        if lo is None or hi is None:
            if plan:
                raise r.error(
                    f"{key}.window",
                    f"cấp {level.value} chưa có khung thời gian (không có trong quy tắc).",
                    f"level {level.value} has no window (the rules give none).",
                    f"Thêm window = [ngày đầu, ngày cuối] vào [{key}].",
                    f"Add window = [first day, last day] to [{key}].",
                )
            lo = lo or r.date("horizon.start") or dt.date(2020, 1, 1)
            hi = hi or lo
        window = (lo, hi)
    duration_rule = f"d35.duration.{level.value}"
    rule_max = None
    if directive is not None:
        try:
            rule_max = int(directive.get(duration_rule).param("max_days"))
        except PlannerError:
            rule_max = None
    days = r.integer(f"{key}.days", rule_max, minimum=1)
    if days is None:
        if plan:
            raise r.error(
                f"{key}.days",
                f"cấp {level.value} chưa có số ngày đại hội.",
                f"level {level.value} has no congress duration.",
                f"Thêm days = N vào [{key}].",
                f"Add days = N to [{key}].",
            )
        days = 1
    max_days = rule_max if rule_max is not None else days
    if days > max_days:
        raise r.error(
            f"{key}.days",
            f"đại hội cấp {level.value} dài {days} ngày, quá mức tối đa {max_days} ngày "
            f"của Chỉ thị 35-CT/TW ({duration_rule}).",
            f"{level.value} congresses last {days} days, over the maximum of {max_days} in "
            f"Directive 35-CT/TW ({duration_rule}).",
            f"Đặt days ≤ {max_days}.",
            f"Set days ≤ {max_days}.",
        )
    provinces_raw = r.get(f"{key}.provinces")
    provinces: tuple[int, ...] | None = None
    below = (Level.DISTRICT, Level.GRASSROOTS)
    if level in below and provinces_raw not in (None, "all"):
        if not isinstance(provinces_raw, list) or not all(
            isinstance(p, int) and not isinstance(p, bool) for p in provinces_raw
        ):
            raise r.error(
                f"{key}.provinces",
                "'provinces' phải là \"all\" hoặc danh sách mã tỉnh, ví dụ [37].",
                "'provinces' must be \"all\" or a list of province codes, e.g. [37].",
            )
        provinces = tuple(provinces_raw)
    elif level not in below and provinces_raw is not None:
        raise r.error(
            f"{key}.provinces",
            "'provinces' chỉ dùng cho cấp district và grassroots.",
            "'provinces' applies to the district and grassroots levels only.",
        )
    return LevelPlan(
        level=level,
        plan=plan,
        window=window,
        days=days,
        max_days=max_days,
        daily_capacity=r.integer(f"{key}.daily_capacity", None, 0, MAX_CAPACITY),
        parent_daily_capacity=r.integer(f"{key}.parent_daily_capacity", None, 0, MAX_CAPACITY),
        buffer_days=r.integer(f"{key}.buffer_days", 0) or 0,
        provinces=provinces,
        window_rules=(start_rule, end_rule),
        duration_rule=duration_rule if rule_max is not None else None,
    )


def _levels(raw_levels: Any, r: _Reader, key: str) -> frozenset[Level]:
    if raw_levels is None:
        return frozenset()
    if not isinstance(raw_levels, list) or not all(isinstance(n, str) for n in raw_levels):
        raise r.error(
            key,
            f'\'{key}\' phải là danh sách cấp, ví dụ ["district", "grassroots"]; '
            f"nhận {raw_levels!r}.",
            f'\'{key}\' must be a list of levels, e.g. ["district", "grassroots"]; '
            f"got {raw_levels!r}.",
        )
    out = set()
    for name in raw_levels:
        try:
            out.add(Level(name))
        except ValueError:
            raise r.error(
                key,
                f"cấp '{name}' không tồn tại.",
                f"unknown level '{name}'.",
                "Dùng national, central, district, grassroots.",
                "Use national, central, district, grassroots.",
            ) from None
    return frozenset(out)


def _blackouts(r: _Reader, horizon: Horizon) -> tuple[Blackout, ...]:
    out: list[Blackout] = []
    all_levels = [lv.value for lv in PLANNED_LEVELS if lv != Level.NATIONAL]
    if r.boolean("blackouts.holidays", True):
        levels = _levels(
            r.strings("blackouts.holiday_levels", all_levels), r, "blackouts.holiday_levels"
        )
        for h in public_holidays(horizon.start, horizon.end):
            out.append(
                Blackout(
                    h.id,
                    "holiday",
                    h.name_vi,
                    h.name_en,
                    h.start,
                    h.end,
                    levels,
                    h.source.cite() if h.source else "",
                )
            )
    calendar = load_calendar()
    known = {e.id: e for e in (*calendar.blackouts, *calendar.events)}
    for name in r.strings("blackouts.named", []):
        if name not in known:
            close = difflib.get_close_matches(name, list(known), n=1)
            raise r.error(
                "blackouts.named",
                f"không có khoảng chặn '{name}' trong data/calendar.",
                f"no blackout '{name}' in data/calendar.",
                f"Có phải '{close[0]}'?" if close else f"Có: {', '.join(known)}.",
                f"Did you mean '{close[0]}'?" if close else f"Known: {', '.join(known)}.",
            )
        event = known[name]
        out.append(
            Blackout(
                event.id,
                "blackout",
                event.name_vi,
                event.name_en,
                event.start,
                event.end,
                frozenset(lv for lv in PLANNED_LEVELS if lv != Level.NATIONAL),
                event.source.cite() if event.source else "",
            )
        )
    plenum_levels = _levels(
        r.strings("blackouts.plenum_levels", ["central"]), r, "blackouts.plenum_levels"
    )
    if plenum_levels:
        for plenum in calendar.plenums():
            out.append(
                Blackout(
                    plenum.id,
                    "plenum",
                    plenum.name_vi,
                    plenum.name_en,
                    plenum.start,
                    plenum.end,
                    plenum_levels,
                    plenum.source.cite() if plenum.source else "",
                )
            )
    ranges = r.get("blackouts.ranges", [])
    if not isinstance(ranges, list):
        raise r.error(
            "blackouts.ranges",
            "'ranges' phải là danh sách bảng.",
            "'ranges' must be a list of tables.",
        )
    for index, item in enumerate(ranges):
        key = f"blackouts.ranges[{index}]"
        if not isinstance(item, dict):
            raise r.error("blackouts.ranges", f"{key} không phải bảng.", f"{key} is not a table.")
        sub = r.sub(item, key)
        start, end = sub.date("start"), sub.date("end")
        if start is None or end is None:
            raise r.error(
                "blackouts.ranges", f"{key} cần start và end.", f"{key} needs start and end."
            )
        if end < start:
            raise r.error(
                "blackouts.ranges",
                f"{key}: khoảng bị đảo ({start} sau {end}).",
                f"{key}: inverted range ({start} is after {end}).",
            )
        for name in ("id", "name_vi", "name_en", "source"):
            value = item.get(name)
            if value is not None and (not isinstance(value, str) or not _safe_text(value)):
                raise sub.error(
                    name,
                    f"{key}.{name} phải là một dòng văn bản (không xuống dòng, không ký tự điều "
                    "khiển).",
                    f"{key}.{name} must be one line of text (no line breaks or control "
                    "characters).",
                )
        if item.get("id") is not None and not SAFE_ID.fullmatch(str(item["id"])):
            raise sub.error(
                "id",
                f"{key}.id '{item['id']}' chỉ được gồm chữ thường, số, '.', '_', '-'.",
                f"{key}.id '{item['id']}' may only hold lowercase letters, digits, '.', '_', '-'.",
            )
        out.append(
            Blackout(
                id=str(item.get("id", f"range-{index + 1}")),
                kind="blackout",
                name_vi=str(item.get("name_vi", item.get("id", f"Khoảng chặn {index + 1}"))),
                name_en=str(item.get("name_en", item.get("id", f"Blackout {index + 1}"))),
                start=start,
                end=end,
                levels=_levels(item.get("levels", all_levels), r, f"{key}.levels"),
                source=str(item.get("source", "scenario")),
                provinces=_range_provinces(item.get("provinces"), r, key),
            )
        )
    return tuple(out)


def _range_provinces(raw: object, r: _Reader, key: str) -> frozenset[int] | None:
    """A blackout range's optional ``provinces`` (province codes; absent or "all": nationwide)."""
    if raw is None or raw == "all":
        return None
    if (
        not isinstance(raw, list)
        or not raw
        or not all(isinstance(p, int) and not isinstance(p, bool) for p in raw)
    ):
        raise r.error(
            "blackouts.ranges",
            f'{key}.provinces phải là "all" hoặc danh sách mã tỉnh, ví dụ [48].',
            f'{key}.provinces must be "all" or a list of province codes, e.g. [48].',
        )
    return frozenset(raw)


def _weekdays(r: _Reader) -> frozenset[int]:
    out = set()
    for name in r.strings("blackouts.weekdays", []):
        title = name.strip().capitalize()
        if title not in WEEKDAYS_EN:
            raise r.error(
                "blackouts.weekdays",
                f"'{name}' không phải thứ trong tuần.",
                f"'{name}' is not a weekday.",
                "Dùng tên tiếng Anh: monday … sunday.",
                "Use English names: monday … sunday.",
            )
        out.add(WEEKDAYS_EN.index(title))
    return frozenset(out)


def _table_list(r: _Reader, key: str) -> list[dict[str, Any]]:
    items = r.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise r.error(
            key,
            f"'{key}' phải là danh sách bảng ([[{key}]]).",
            f"'{key}' must be a list of tables ([[{key}]]).",
        )
    return items


def _pins(r: _Reader) -> tuple[Pin, ...]:
    out = []
    seen: dict[str, int] = {}
    for index, item in enumerate(_table_list(r, "pins")):
        sub = r.sub(item, f"pins[{index}]")
        org = item.get("org")
        start = sub.date("start")
        if not isinstance(org, str) or start is None:
            raise r.error(
                "pins",
                f"pins[{index}] cần org và start.",
                f"pins[{index}] needs org and start.",
                'Ví dụ: { org = "p37", start = 2020-10-20, end = 2020-10-22 }.',
                'Example: { org = "p37", start = 2020-10-20, end = 2020-10-22 }.',
            )
        end = sub.date("end")
        if end is not None and end < start:
            raise r.error(
                "pins",
                f"pins[{index}] ({org}): ngày kết thúc {end} trước ngày bắt đầu {start}.",
                f"pins[{index}] ({org}): end {end} is before start {start}.",
            )
        if org in seen:
            raise r.error(
                "pins",
                f"'{org}' được chốt hai lần (pins[{seen[org]}] và pins[{index}]).",
                f"'{org}' is pinned twice (pins[{seen[org]}] and pins[{index}]).",
                "Giữ một dòng [[pins]] cho mỗi đơn vị.",
                "Keep one [[pins]] entry per organisation.",
            )
        seen[org] = index
        out.append(Pin(org, start, end))
    return tuple(out)


def _preferences(r: _Reader) -> tuple[Preference, ...]:
    out = []
    seen: dict[str, int] = {}
    for index, item in enumerate(_table_list(r, "preferred")):
        sub = r.sub(item, f"preferred[{index}]")
        org = item.get("org")
        start = sub.date("start")
        if not isinstance(org, str) or start is None:
            raise r.error(
                "preferred",
                f"preferred[{index}] cần org và start.",
                f"preferred[{index}] needs org and start.",
            )
        weight = sub.integer("weight", 1, 0, MAX_WEIGHT)
        if org in seen:
            raise r.error(
                "preferred",
                f"'{org}' có hai ngày mong muốn (preferred[{seen[org]}] và preferred[{index}]).",
                f"'{org}' has two preferred dates (preferred[{seen[org]}] and preferred[{index}]).",
                "Giữ một dòng [[preferred]] cho mỗi đơn vị.",
                "Keep one [[preferred]] entry per organisation.",
            )
        seen[org] = index
        out.append(Preference(org, start, weight or 0))
    return tuple(out)


def _families(r: _Reader) -> dict[str, FamilySetting]:
    out = {}
    for fam in catalogue().values():
        key = f"families.{fam.id}"
        enabled = r.boolean(f"{key}.enabled", True)
        hard = r.boolean(f"{key}.hard", fam.default == "hard")
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
        weight = r.integer(f"{key}.weight", 100 if fam.default == "hard" else 1, 0, MAX_WEIGHT)
        out[fam.id] = FamilySetting(enabled, hard, weight or 0)
    return out


def build_scenario(
    raw: Mapping[str, Any], text: str, file: str, sets: Sequence[str] = ()
) -> Scenario:
    """Validate a raw scenario document into a :class:`Scenario`."""
    r = _Reader(raw, text, file, sets)
    problems: list[PlannerError] = []

    def report(exc: PlannerError, path: list[str]) -> None:
        line, where = r.locate(".".join(path))
        exc.file, exc.line, exc.field = file, line, where
        problems.append(exc)

    if depth_of(raw) > MAX_DEPTH:
        raise PlannerError(
            f"kịch bản lồng bảng/mảng quá sâu (tối đa {MAX_DEPTH} tầng).",
            f"the scenario nests tables or arrays too deeply (at most {MAX_DEPTH} levels).",
            file=file,
        )
    _walk_unknown(raw, SCHEMA, [], report)
    if problems:
        raise problems[0]
    _check_tables(raw, SCHEMA, [], r)
    if raw.get("schema_version") != 1:
        raise r.error(
            "schema_version",
            f"schema_version = {raw.get('schema_version')!r} không được hỗ trợ.",
            f"schema_version = {raw.get('schema_version')!r} is not supported.",
            "Ghi schema_version = 1 ở đầu tệp.",
            "Put schema_version = 1 at the top of the file.",
        )
    scenario_id = r.text_value("id", Path(file).stem)
    if not SAFE_ID.fullmatch(scenario_id):
        raise r.error(
            "id",
            f"id '{scenario_id}' chỉ được gồm chữ thường, số, '.', '_', '-' (tối đa 64 ký tự, "
            "bắt đầu bằng chữ hoặc số).",
            f"id '{scenario_id}' may only hold lowercase letters, digits, '.', '_', '-' (at most "
            "64 characters, starting with a letter or digit).",
            'Ví dụ: id = "xiii-2020-ninh-binh".',
            'Example: id = "xiii-2020-ninh-binh".',
        )
    for key in ("name_vi", "name_en", "description_vi", "description_en"):
        value = raw.get(key)
        if isinstance(value, str) and not _safe_text(value):
            raise r.error(
                key,
                f"'{key}' phải là một dòng văn bản (không xuống dòng, không ký tự điều khiển).",
                f"'{key}' must be one line of text (no line breaks or control characters).",
            )

    wanted = r.strings("rulesets", [DIRECTIVE, ELECTION_LAW])
    available = load_rulesets()
    for name in wanted:
        if name not in available:
            raise r.error(
                "rulesets",
                f"không có bộ quy tắc '{name}'.",
                f"unknown rule set '{name}'.",
                f"Có: {', '.join(available)}.",
                f"Available: {', '.join(available)}.",
            )
    if ELECTION_LAW not in wanted:
        raise r.error(
            "rulesets",
            f"kịch bản phải dùng bộ '{ELECTION_LAW}'.",
            f"a scenario must use the '{ELECTION_LAW}' rule set.",
        )
    rulesets = {name: available[name] for name in wanted}
    directive = rulesets.get(DIRECTIVE)

    start = r.date("horizon.start")
    end = r.date("horizon.end")
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
            f"khung kế hoạch bị đảo: {start} sau {end}.",
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

    election_day = r.date("election.day")
    choose = r.window("election.choose")
    if (election_day is None) == (choose is None):
        raise r.error(
            "election.day",
            "cần đúng một trong election.day hoặc election.choose.",
            "give exactly one of election.day or election.choose.",
        )
    if election_day is not None:
        try:
            check_election_day(election_day, rulesets[ELECTION_LAW])
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

    levels = {lv: _level_plan(r, lv, directive) for lv in PLANNED_LEVELS}
    planned = [lv for lv in PLANNED_LEVELS if levels[lv].plan]
    for upper, lower in itertools.pairwise(PLANNED_LEVELS):
        if levels[lower].plan and not levels[upper].plan:
            raise r.error(
                f"levels.{upper.value}.plan",
                f"không thể lập lịch cấp {lower.value} mà bỏ cấp {upper.value}.",
                f"cannot plan {lower.value} without planning {upper.value}.",
            )
    if not planned:
        raise r.error("levels", "không có cấp nào được lập lịch.", "no level is planned.")
    for lv in planned:
        lo, hi = levels[lv].window
        if lo < horizon.start or hi > horizon.end:
            raise r.error(
                f"levels.{lv.value}.window",
                f"khung cấp {lv.value} ({lo} – {hi}) vượt ra ngoài khung kế hoạch "
                f"({horizon.start} – {horizon.end}).",
                f"the {lv.value} window ({lo} – {hi}) leaves the horizon "
                f"({horizon.start} – {horizon.end}).",
                "Mở rộng [horizon].",
                "Widen [horizon].",
            )

    pilot_windows: dict[Level, tuple[dt.date, dt.date]] = {}
    for lv in (Level.GRASSROOTS, Level.DISTRICT):
        window = r.window(f"pilots.windows.{lv.value}")
        if window is None and directive is not None:
            try:
                rule = directive.get(f"d35.pilot.{lv.value}")
                window = (rule.param("start"), rule.param("end"))
            except PlannerError:
                window = None
        if window is not None:
            pilot_windows[lv] = window

    objective = {
        "preferred_weight": r.integer("objective.preferred_weight", 10, 0, MAX_WEIGHT) or 0,
        "buffer_weight": r.integer("objective.buffer_weight", 1, 0, MAX_WEIGHT) or 0,
        "peak_weight": r.integer("objective.peak_weight", 5, 0, MAX_WEIGHT) or 0,
    }
    peak_levels = _levels(
        r.strings("objective.peak_levels", ["central"]), r, "objective.peak_levels"
    )

    scenario = Scenario(
        id=scenario_id,
        name_vi=r.text_value("name_vi", Path(file).stem),
        name_en=r.text_value("name_en", Path(file).stem),
        file=file,
        raw=copy.deepcopy(dict(raw)),
        rulesets=rulesets,
        horizon=horizon,
        election_day=election_day,
        election_choose=choose,
        election_announced=r.date("election.announced"),
        levels=levels,
        child_before_parent_days=r.integer("gaps.child_before_parent_days", 1) or 0,
        central_before_national_days=r.integer("alignment.central_before_national_days", 1) or 0,
        national_before_step=r.text_value("alignment.national_before_step", "el.consultation_1.na"),
        national_before_step_days=r.integer("alignment.national_before_step_days", 1) or 0,
        pilot_units=tuple(r.strings("pilots.units", [])),
        pilot_lead_days=r.integer("pilots.lead_days", 0) or 0,
        pilot_windows=pilot_windows,
        blackouts=_blackouts(r, horizon),
        blackout_weekdays=_weekdays(r),
        pins=_pins(r),
        preferences=_preferences(r),
        families=_families(r),
        objective=objective,
        peak_levels=tuple(lv for lv in PLANNED_LEVELS if lv in peak_levels),
        sets=tuple(sets),
        text=text,
    )
    try:
        rulesets[ELECTION_LAW].get(scenario.national_before_step)
    except PlannerError:
        raise r.error(
            "alignment.national_before_step",
            f"không có bước bầu cử '{scenario.national_before_step}'.",
            f"no election step '{scenario.national_before_step}'.",
            "Xem `planner timetable`.",
            "See `planner timetable`.",
        ) from None
    return scenario


def check_orgs(scenario: Scenario, tree: OrgTree, planned_ids: Iterable[str] | None = None) -> None:
    """Every org named by pins, preferences and pilots exists and is planned by the scenario."""
    planned = set(scenario.planned_orgs(tree) if planned_ids is None else planned_ids)
    r = _Reader(scenario.raw, scenario.text, scenario.file, scenario.sets)
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
    ]
    for key, org in named:
        if org not in tree:
            try:
                tree.get(org)
            except PlannerError as exc:
                raise r.error(
                    key, exc.message_vi, exc.message_en, exc.hint_vi or "", exc.hint_en or ""
                ) from None
        if org not in planned:
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
                f"không có khung đại hội điểm cho cấp {level.value} ('{org}').",
                f"no pilot window for level {level.value} ('{org}').",
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
