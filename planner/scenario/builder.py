"""Scenario files: what to plan, under which rules, on which tree, with which parameters.

A scenario is a TOML file (``schema_version = 1``) read through one declared schema
(:mod:`planner.scenario.schema`: every key's type, default, bounds and bilingual help). It names
its rule sets (a directive and the election law) and, through them, its cycle and era: the era
fixes the organisation tree and its levels (``levels.district`` in 2020, ``levels.commune`` in
2025: there is no district level then), the cycle fixes the calendar (plenums, the National
Congress, planned and actual dates). Defaults come from the rules: level windows and maximum
durations from the directive's ``level_window`` and ``duration`` rules, pilot windows from its
``pilot`` rules; the election law is the one in force for election day (Law 85/2015/QH13, as
amended by Law 83/2025/QH15 for 2026), unless ``election.law`` forces one. Every problem is
reported with the file, the line or ``--set`` and the fix, in both languages.

Reading is one pipeline, each stage calling only the next ones down:

1. text → document (:mod:`planner.scenario.reader`: size, encoding, TOML, ``schema_version``,
   ``--set`` overrides, nesting depth);
2. document → validated values (:mod:`planner.scenario.values`: every key checked against the
   schema, the only source of keys);
3. values → :class:`~planner.scenario.model.Scenario` (this module, in stages: rule sets, era
   and cycle, horizon, election, then :mod:`~planner.scenario.levels`,
   :mod:`~planner.scenario.blackouts`, :mod:`~planner.scenario.settings` and the checks across
   them in :mod:`~planner.scenario.checks`).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.errors import PlannerError
from planner.rules.calendar import Horizon
from planner.rules.calendar import date_vi as _vi
from planner.rules.catalogue import RuleSet
from planner.rules.families import FAMILY_IDS
from planner.rules.rulebook import Rulebook, load_rulebook
from planner.rules.timetable import check_election_day
from planner.scenario.blackouts import cycle_calendars, scenario_blackouts
from planner.scenario.checks import check_kinds, check_steps
from planner.scenario.levels import level_plans, pilot_windows
from planner.scenario.model import Blackout, LevelPlan, Scenario
from planner.scenario.reader import (
    check_depth,
    default_scenario_path,
    parse_document,
    read_scenario_file,
)
from planner.scenario.schema import MAX_HORIZON_DAYS, tree
from planner.scenario.settings import (
    read_families,
    read_pins,
    read_preferences,
    read_preparation,
    read_projection,
)
from planner.scenario.values import Reader, check_keys
from planner.tree.build import build_tree
from planner.tree.eras import era_on, load_eras
from planner.tree.hierarchy import Level, OrgTree

DEFAULT_RULESETS = ("directive-35-2019", "election-law-85-2015")


def load_scenario(path: Path | None = None, sets: Sequence[str] = ()) -> Scenario:
    """Read, override (``--set``) and validate a scenario (the built-in one by default)."""
    text, shown = read_scenario_file(path or default_scenario_path())
    return scenario_from_text(text, shown, sets)


def scenario_from_text(
    text: str, name: str = "scenario.toml", sets: Sequence[str] = ()
) -> Scenario:
    """Validate a scenario given as text (a file, an upload, a test fixture)."""
    return build_scenario(parse_document(text, name, sets), text, name, sets)


def tree_for(scenario: Scenario) -> OrgTree:
    """The organisation tree of the scenario's era (cached per era)."""
    return build_tree(scenario.era)


@dataclass(frozen=True, slots=True)
class _Basis:
    """What the first stages settle and the later ones read."""

    rulesets: dict[str, RuleSet]
    directive: RuleSet | None
    era: str
    cycle: str | None
    era_levels: tuple[Level, ...]
    scenario_id: str
    horizon: Horizon
    election_day: dt.date | None
    choose: tuple[dt.date, dt.date] | None
    law: RuleSet


def build_scenario(
    raw: Mapping[str, Any], text: str, file: str, sets: Sequence[str] = ()
) -> Scenario:
    """Validate a raw scenario document into a :class:`Scenario`: its rule sets, era, horizon
    and election, then its levels, blackouts and settings, then the checks across them."""
    check_depth(raw, file)
    r = Reader(raw, text, file, sets)
    basis = _basis(r, raw, file)
    levels, milestones = level_plans(
        r, raw, basis.era_levels, basis.directive, basis.horizon, basis.cycle
    )
    pilots = pilot_windows(r, basis.era_levels, basis.directive)
    calendar_files = tuple(r.value("calendar") or cycle_calendars(basis.cycle))
    blackouts = scenario_blackouts(r, basis.horizon, basis.era_levels, calendar_files, milestones)
    scenario = _assemble(r, basis, levels, milestones, pilots, calendar_files, blackouts)
    check_steps(r, scenario)
    check_kinds(r, scenario, basis.directive)
    return scenario


def _basis(r: Reader, raw: Mapping[str, Any], file: str) -> _Basis:
    """The rule sets (read before the era's levels are known), the era and its levels (every key
    is then checked against the schema), the horizon and the election."""
    _check_version(r, raw)
    rulesets, directive, book = _rulesets(r)
    start, end = r.value("horizon.start"), r.value("horizon.end")
    election_day = r.value("election.day")
    choose = r.value("election.choose")
    on = election_day or (choose[0] if choose else None) or start or dt.date.today()
    era_id, cycle = _era_and_cycle(r, book, directive, on)
    era_levels = tuple(Level(lv) for lv in load_eras()[era_id].level_ids())
    r.levels = tuple(lv.value for lv in era_levels)
    check_keys(raw, tree(r.levels, FAMILY_IDS), [], r)
    scenario_id = r.value("id", Path(file).stem)
    horizon = _horizon(r, start, end)
    law = _election(r, book, election_day, choose)
    return _Basis(
        rulesets=rulesets,
        directive=directive,
        era=era_id,
        cycle=cycle,
        era_levels=era_levels,
        scenario_id=scenario_id,
        horizon=horizon,
        election_day=election_day,
        choose=choose,
        law=law,
    )


def _check_version(r: Reader, raw: Mapping[str, Any]) -> None:
    """The document is of the one format version this code reads."""
    if raw.get("schema_version") != 1:
        raise r.error(
            "schema_version",
            f"schema_version = {raw.get('schema_version')!r} không được hỗ trợ.",
            f"schema_version = {raw.get('schema_version')!r} is not supported.",
            "Ghi schema_version = 1 ở đầu tệp.",
            "Put schema_version = 1 at the top of the file.",
        )


def _rulesets(r: Reader) -> tuple[dict[str, RuleSet], RuleSet | None, Rulebook]:
    """The named rule sets, the directive among them and the rulebook."""
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


def _era_and_cycle(
    r: Reader, book: Rulebook, directive: RuleSet | None, on: dt.date
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


def _law(r: Reader, book: Rulebook, on: dt.date) -> RuleSet:
    """The election law: the one in force for election day, or the one ``election.law`` names."""
    wanted = r.value("election.law")
    try:
        law: RuleSet = book.law_for_election(on) if wanted == "auto" else book.law(wanted)
        return law
    except PlannerError as exc:
        raise r.error(
            "election.law", exc.message_vi, exc.message_en, exc.hint_vi or "", exc.hint_en or ""
        ) from None


def _horizon(r: Reader, start: dt.date | None, end: dt.date | None) -> Horizon:
    """The planning horizon: given, in order, at most 20 years long."""
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
    return Horizon(start, end)


def _election(r: Reader, book: Rulebook, election_day: Any, choose: Any) -> RuleSet:
    """The election law of election day (a fixed day, or a range holding a Sunday to choose
    from), the day checked against it (Law 85/2015/QH13, art. 5: a Sunday)."""
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
            exc.file, exc.line, exc.field = r.file, line, where
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
    return law


def _assemble(
    r: Reader,
    basis: _Basis,
    levels: dict[Level, LevelPlan],
    milestones: str,
    pilots: dict[Level, tuple[dt.date, dt.date]],
    calendar_files: tuple[str, ...],
    blackouts: tuple[Blackout, ...],
) -> Scenario:
    """The scenario: the stages' results and the plain values read on the way."""
    alignment_rule = r.value("alignment.rule")
    era_levels, law = basis.era_levels, basis.law
    return Scenario(
        id=basis.scenario_id,
        name_vi=r.value("name_vi", Path(r.file).stem),
        name_en=r.value("name_en", Path(r.file).stem),
        file=r.file,
        raw=copy.deepcopy(dict(r.raw)),
        rulesets={law.id: law, **basis.rulesets},
        horizon=basis.horizon,
        election_day=basis.election_day,
        election_choose=basis.choose,
        election_announced=r.value("election.announced"),
        levels=levels,
        child_before_parent_days=r.value("gaps.child_before_parent_days"),
        central_before_national_days=r.value("alignment.central_before_national_days"),
        national_before_step=r.value("alignment.national_before_step"),
        national_before_step_days=r.value("alignment.national_before_step_days"),
        pilot_units=tuple(r.value("pilots.units")),
        pilot_lead_days=r.value("pilots.lead_days"),
        pilot_windows=pilots,
        blackouts=blackouts,
        blackout_weekdays=r.value("blackouts.weekdays") or frozenset(),
        pins=read_pins(r),
        preferences=read_preferences(r),
        families=read_families(r),
        objective={
            key: r.value(f"objective.{key}")
            for key in ("preferred_weight", "buffer_weight", "peak_weight")
        },
        peak_levels=tuple(lv for lv in era_levels if lv in r.value("objective.peak_levels")),
        sets=r.sets,
        text=r.text,
        era=basis.era,
        cycle=basis.cycle,
        calendar_files=calendar_files,
        law=law,
        alignment_rule=alignment_rule,
        national_after_step=r.value("alignment.national_after_step"),
        national_after_step_days=r.value("alignment.national_after_step_days"),
        kind_sets=tuple(r.value("kinds.sets")),
        kind_units=r.value("kinds.units"),
        projection=read_projection(r),
        milestones=milestones,
        directive=basis.directive,
        preparation=read_preparation(r, basis.cycle, calendar_files, basis.horizon, era_levels),
    )
