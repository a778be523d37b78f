"""Why a scenario cannot be planned, and how little must give (staged diagnosis).

a. analytic pre-checks (:mod:`planner.analysis.precheck`), no solver;
b. a minimal set of conflicting constraint families, by a deletion filter: switch one family off,
   keep it off if the scenario is still infeasible (DESIGN §3: assumption cores stall on
   capacities, the filter does not). Checks run first on the part that failed (a subtree or the
   central level), then on the whole scenario;
c. drill-down with an elastic model: those families become penalised slack, and the slack the
   solver needs names the units and days;
d. suggestions: for each family of the set alone, the smallest relaxation, turned into a scenario
   key and value, and verified by solving the changed scenario (``verified`` only then);
e. when no single change restores a plan (two independent conflicts, e.g. a pin past the deadline
   and too small a capacity), pairs of relaxations are searched the same way: both at their
   loosest first, then each made as small as it can be with the other in place. The diagnosis
   always ends with an answer: a way out, or what was tried and why nothing sufficed
   (``explanation_vi`` / ``explanation_en``, ``tried``). The drill-down's numbers come from the
   elastic model, which relaxes every family at once without minimising; where a verified
   suggestion changes the same key, the conflict states the verified number and says how the
   two differ.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from ortools.sat.python import cp_model

from planner.analysis.precheck import Conflict, chain_bounds, precheck, source_of
from planner.analysis.review_check import review_capacity, review_changes
from planner.errors import PlannerError
from planner.problem.units import Problem, build_problem
from planner.rules.calendar import date_vi as _vi
from planner.rules.families import family
from planner.scenario.builder import build_scenario
from planner.scenario.model import FamilySetting, Scenario
from planner.scenario.reader import apply_set
from planner.solver.decompose import _subtrees
from planner.solver.greedy import Floor, greedy_floor
from planner.solver.run import cancelled, run_model
from planner.solver.solve import SolveReport, solve
from planner.tree.hierarchy import Level, OrgTree
from planner.tree.names import lv_en, lv_vi, plural_en

PROBE_TIME = 1.0  # deterministic seconds per feasibility probe of a suggestion search
SUGGESTION_BUDGET = 30.0  # wall seconds: no new relaxation search starts after this
PAIR_BUDGET = 45.0  # wall seconds for the search over pairs, when no single change suffices
ELASTIC_TIME = 2.0  # wall seconds for the drill-down's elastic model (a good slack, no proof)
CANDIDATES = (
    "pin",
    "blackout",
    "pilot",
    "parent_capacity",
    "level_capacity",
    "precedence",
    "election_alignment",
    "level_window",
    "review",
)


def toml_value(value: Any) -> str:
    """A value written as TOML for ``--set`` (dates bare, strings quoted, inline tables)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).isoformat() if len(value) == 10 else f'"{value}"'
        except ValueError:
            return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + "}"
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return value


@dataclass
class Suggestion:
    """One way out: a scenario key and value, with bilingual text; verified by a solve.

    ``also`` holds the other changes of a combination (all of them together restore a plan);
    ``parts`` counts the relaxations combined (two sides of one window are one key, two parts).
    """

    family: str
    key: str
    value: Any
    message_vi: str
    message_en: str
    verified: bool = False
    also: list[Suggestion] = field(default_factory=list)
    parts: int = 1

    @property
    def set_args(self) -> list[str]:
        """The ``--set`` arguments that apply this suggestion (two for a combination)."""
        return [f"{self.key}={toml_value(self.value)}"] + [a.set_args[0] for a in self.also]

    @property
    def set_arg(self) -> str:
        """Ready to paste after ``--set '``: a combination gives ``k1=v1' --set 'k2=v2``."""
        return "' --set '".join(self.set_args)

    @property
    def keys(self) -> list[str]:
        """Every key this suggestion changes."""
        return [self.key] + [a.key for a in self.also]

    def as_dict(self) -> dict[str, Any]:
        """JSON form (``key``/``value`` feed back with ``--set``; ``set`` is ready to paste;
        ``sets`` lists every ``--set`` argument, more than one for a combination)."""
        return {
            "change": self.message_en,
            "family": self.family,
            "key": self.key,
            "value": _json_value(self.value),
            "set": self.set_arg,
            "sets": self.set_args,
            "keys": self.keys,
            "parts": self.parts,
            "message_vi": self.message_vi,
            "message_en": self.message_en,
            "verified": self.verified,
        }


@dataclass
class Diagnosis:
    """The verdict: feasible (with a plan) or infeasible (with conflicts and suggestions)."""

    status: str
    conflicts: list[Conflict] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    families: list[str] = field(default_factory=list)
    minimal: bool = True
    plan: pd.DataFrame | None = None
    timings: dict[str, float] = field(default_factory=dict)
    explanation_vi: str = ""
    explanation_en: str = ""
    tried: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The documented JSON: status, conflicts, suggestions (plus timings)."""
        out: dict[str, Any] = {
            "status": self.status,
            "conflicts": [c.as_dict() for c in self.conflicts],
            "suggestions": [s.as_dict() for s in self.suggestions],
        }
        if self.status == "infeasible":
            out["minimal_families"] = self.families
            out["minimal_proven"] = self.minimal
            out["explanation_vi"] = self.explanation_vi
            out["explanation_en"] = self.explanation_en
            out["tried"] = self.tried
        out["timings_s"] = {k: round(v, 3) for k, v in self.timings.items()}
        return out


def with_families(
    scenario: Scenario,
    enabled: set[str] | None = None,
    soft: frozenset[str] | set[str] = frozenset(),
    sides: frozenset[tuple[Level, str]] | None = None,
) -> Scenario:
    """The scenario with only ``enabled`` candidate families on and ``soft`` ones elastic.

    ``sides`` limits which window sides may stretch when ``level_window`` is soft.
    """
    families = {}
    for family_id, setting in scenario.families.items():
        on = setting.enabled
        if enabled is not None and family_id in CANDIDATES:
            on = on and family_id in enabled
        hard = setting.hard and family_id not in soft
        weight = 1 if family_id in soft else setting.weight
        families[family_id] = FamilySetting(enabled=on, hard=hard, weight=weight)
    return dataclasses.replace(scenario, families=families, elastic_windows=sides)


class _Checker:
    """Feasibility checks with the failing part tried first (fast way to say 'still infeasible')."""

    def __init__(self, scenario: Scenario, tree: OrgTree, time_limit: float, seed: int) -> None:
        self.scenario = scenario
        self.tree = tree
        self.time_limit = time_limit
        self.seed = seed
        self.core: list[str] = []
        self.runs = 0
        self.undecided = 0

    def feasible(self, scenario: Scenario) -> bool | None:
        """True / False, or None when the solver ran out of time."""
        problem = build_problem(scenario, self.tree)
        self.runs += 1
        if self.core:
            sub = problem.subproblem([o for o in self.core if problem.has(o)])
            run = run_model(sub, "none", self.time_limit, 1, self.seed)
            if run.status == cp_model.INFEASIBLE:
                return False
        # The constructive floor is a complete plan that keeps every rule that is on, so when it
        # can be built the answer is yes (the solve below would only keep it or find another);
        # when it cannot, the solve must not build it a second time. A stopped search keeps no
        # floor (CANCELLED), so once a stop is asked the solve runs as it always did.
        fresh = not cancelled()
        if fresh and isinstance(greedy_floor(problem), Floor):
            return True
        report = solve(
            problem,
            objective="none",
            time_limit=self.time_limit,
            workers=2,
            seed=0,
            deterministic=True,
            use_floor=not fresh,
        )
        if report.plan is not None:
            return True
        if report.status == "INFEASIBLE":
            self.core = _part(problem, report)
            return False
        self.undecided += 1
        return None


def _part(problem: Problem, report: SolveReport) -> list[str]:
    part = report.infeasible_part
    if part is None:
        return [u.org_id for u in problem.units]
    if part == "central":
        return [u.org_id for u in problem.units if u.level in (Level.NATIONAL, Level.CENTRAL)]
    return _subtrees(problem).get(part, [u.org_id for u in problem.units])


def minimal_families(scenario: Scenario, checker: _Checker) -> tuple[list[str], bool]:
    """Deletion filter over the hard candidate families; returns (set, proven minimal)."""
    current = [f for f in CANDIDATES if scenario.hard(f)]
    proven = True
    for family_id in list(current):
        trial = [f for f in current if f != family_id]
        verdict = checker.feasible(with_families(scenario, set(trial)))
        if verdict is False:
            current = trial
        elif verdict is None:
            proven = False
    return current, proven


@dataclass
class _Elastic:
    problem: Problem
    slack: dict[str, list[tuple[str, int]]]
    starts: dict[str, dt.date]
    election: dt.date | None


def _elastic(
    scenario: Scenario,
    tree: OrgTree,
    soft: set[str],
    core: list[str],
    time_limit: float,
    sides: frozenset[tuple[Level, str]] | None = None,
) -> _Elastic | None:
    relaxed = with_families(scenario, soft=soft, sides=sides)
    problem = build_problem(relaxed, tree)
    if core:
        problem = problem.subproblem([o for o in core if problem.has(o)])
    run = run_model(problem, "slack", time_limit, 2, 0, wall=time_limit)
    if not run.ok:
        return None
    slack: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for family_id, items in run.cm.slacks.items():
        for label, var in items:
            value = int(run.solver.value(var))
            if value > 0:
                slack[family_id].append((label, value))
    election = problem.horizon.start + dt.timedelta(days=run.election_index())
    return _Elastic(problem, dict(slack), run.starts(), election)


def _label_units(family_id: str, label: str, national: str = "vn") -> list[str]:
    if family_id == "level_window":
        return [] if label.count(":") == 2 else [label.rsplit(":", 1)[0]]
    if family_id in ("pilot", "election_alignment"):
        parts = [national if p == "national" else p for p in label.split(">")]
        return [p for p in parts if not p.startswith("el.") and p != "announcement"]
    if family_id == "level_capacity":
        return []
    return [label]


def _overloaded(el: _Elastic, level: Level, cap: int) -> tuple[list[str], list[dt.date]]:
    load: dict[dt.date, list[str]] = defaultdict(list)
    for unit in el.problem.units:
        if unit.level != level:
            continue
        for k in range(unit.days):
            load[el.starts[unit.org_id] + dt.timedelta(days=k)].append(unit.org_id)
    days = sorted(d for d, ids in load.items() if len(ids) > cap)
    units = sorted({i for d in days for i in load[d]})
    return units, days


def _capacity_text(
    level: Level, cap: int, needed: int, proven: Mapping[str, Any]
) -> tuple[str, str]:
    """The capacity a conflict needs: the verified number when a suggestion proved one."""
    verified = proven.get(f"levels.{level.value}.daily_capacity")
    if verified is None:
        return (
            f"cần khoảng {needed} đại hội cấp {lv_vi(level)}/ngày thay vì {cap} (ước lượng của mô "
            "hình nới lỏng, chưa chứng minh là nhỏ nhất)",
            f"needs about {needed} {lv_en(level)} congresses a day instead of {cap} (an estimate "
            "of the elastic model, not proven smallest)",
        )
    if verified == needed:
        return (
            f"cần {needed} đại hội cấp {lv_vi(level)}/ngày thay vì {cap} (đã kiểm chứng)",
            f"needs {needed} {lv_en(level)} congresses a day instead of {cap} (verified)",
        )
    return (
        f"cần {verified} đại hội cấp {lv_vi(level)}/ngày thay vì {cap} (nhỏ nhất đã kiểm chứng, "
        f"xem cách gỡ; mô hình nới lỏng, nới mọi họ cùng lúc và không tối thiểu hóa, đã dùng "
        f"tới {needed})",
        f"needs {verified} {lv_en(level)} congresses a day instead of {cap} (the smallest "
        f"verified, see the ways out; the elastic model, which relaxes every family at once "
        f"without minimising, used up to {needed})",
    )


def _describe(
    scenario: Scenario,
    el: _Elastic,
    families: list[str],
    proven: Mapping[str, Any] | None = None,
) -> Conflict:
    """Stage c: the units and days the elastic model had to relax, in both languages.

    ``proven`` maps keys to the values verified suggestions set them to (their numbers win).
    """
    units: list[str] = []
    dates: list[dt.date] = []
    parts: dict[str, tuple[str, str]] = {}  # family id -> (vi, en) detail, without its name
    sources: list[str] = []
    problem = el.problem
    for family_id in families:
        items = el.slack.get(family_id, [])
        national = problem.national()
        top = national.org_id if national else "vn"
        for label, _value in items:
            units.extend(u for u in _label_units(family_id, label, top) if problem.has(u))
            if family_id == "parent_capacity":
                units.extend([label, *problem.children(label)])
        level = None
        if family_id == "pilot":  # the pilots and the siblings they must precede
            for unit in problem.units:
                if unit.pilot:
                    units.append(unit.org_id)
                    units.extend(s.org_id for s in problem.pilot_siblings(unit))
        if family_id == "level_window":
            for unit in problem.units:
                start = el.starts[unit.org_id]
                end = start + dt.timedelta(days=unit.days - 1)
                if start < unit.window[0] or end > unit.window[1]:
                    units.append(unit.org_id)
                    dates.extend(unit.window)
        if family_id == "level_capacity":
            texts_vi, texts_en = [], []
            for level_name, extra in items:
                level = Level(level_name)
                cap = scenario.levels[level].daily_capacity or 0
                _over_units, over_days = _overloaded(el, level, cap)
                # every congress of the level shares its capacity (as the pre-check counts
                # them): the elastic model's overloaded ones vary from run to run (D19)
                units.extend(sorted(u.org_id for u in problem.units if u.level == level))
                dates.extend(over_days)
                week = over_days[0] if over_days else None
                text_vi, text_en = _capacity_text(level, cap, cap + extra, proven or {})
                texts_vi.append(
                    text_vi + (f"; quá tải từ {_vi(week)}, {len(over_days)} ngày" if week else "")
                )
                over_en = f"; overloaded from {week}, {plural_en(len(over_days), 'day')}"
                texts_en.append(text_en + (over_en if week else ""))
            if texts_vi:
                parts[family_id] = ("; ".join(texts_vi), "; ".join(texts_en))
        elif family_id == "review" and items:
            parts[family_id] = _review_slack(problem, items)
        elif items:
            worst = max(v for _l, v in items)
            affected = sorted(
                {
                    u
                    for lab, _v in items
                    for u in _label_units(family_id, lab, top)
                    if problem.has(u)
                }
            )
            if affected and problem.has(affected[0]):
                level = problem.unit(affected[0]).level
                dates.extend(problem.unit(affected[0]).window)
            unit_word, unit_en = {
                "blackout": ("đại hội", "congresses"),
                "parent_capacity": ("đại hội/ngày", "congresses a day"),
            }.get(family_id, ("ngày", "days"))
            parts[family_id] = (
                f"phải nới ở {len(items)} chỗ, nhiều nhất {worst} {unit_word}",
                f"must give in {plural_en(len(items), 'place')}, by up to {worst} {unit_en}",
            )
        sources.append(source_of(problem, family_id, level))
    units = list(dict.fromkeys(units))
    vi, en = _conflict_sentence(problem, families, parts, units)
    return Conflict(
        families=families,
        units=units,
        dates=dates,
        message_vi=f"{vi} [{'; '.join(sources)}]",
        message_en=f"{en} [{'; '.join(sources)}]",
        stage="families",
        sources=sources,
    )


def _review_slack(problem: Problem, items: list[tuple[str, int]]) -> tuple[str, str]:
    """What the elastic model's reviews had to give: days of lead (labels are org ids) and
    reviews over a body's capacity a day (labels are body ids, ``groups`` for the pool)."""
    late = [v for label, v in items if problem.has(label)]
    over = [v for label, v in items if not problem.has(label)]
    vi: list[str] = []
    en: list[str] = []
    if late:
        vi.append(f"{len(late)} cuộc duyệt quá sát đại hội, nhiều nhất {max(late)} ngày")
        en.append(
            f"{plural_en(len(late), 'review')} too close to the congress, by up to "
            f"{plural_en(max(late), 'day')}"
        )
    if over:
        vi.append(f"vượt sức chứa tới {max(over)} lượt/ngày")
        en.append(f"over capacity by up to {plural_en(max(over), 'review')} a day")
    return "; ".join(vi), "; ".join(en)


SHOWN_UNITS = 5  # units named in a conflict's sentence; the rest are counted


def _conflict_sentence(
    problem: Problem,
    families: list[str],
    parts: Mapping[str, tuple[str, str]],
    units: list[str],
) -> tuple[str, str]:
    """D19: one sentence that names each family once (with what it had to give, if anything)
    and the units as "(total): the first few and N others", where shown + others = total."""
    named_vi = [family(f).name_vi + (f" ({parts[f][0]})" if f in parts else "") for f in families]
    named_en = [family(f).name_en + (f" ({parts[f][1]})" if f in parts else "") for f in families]
    if len(families) > 1:
        vi = "Xung đột giữa " + _joined(named_vi, "và")
        en = "Conflict between " + _joined(named_en, "and")
    else:
        vi, en = "Xung đột: " + "".join(named_vi), "Conflict: " + "".join(named_en)
    if units:
        shown = units[:SHOWN_UNITS]
        more = len(units) - len(shown)
        names_vi = ", ".join(f"{problem.tree.get(u).name_vi} ({u})" for u in shown)
        names_en = ", ".join(f"{problem.tree.get(u).name_en} ({u})" for u in shown)
        vi += f". Đơn vị ({len(units)}): {names_vi}" + (f" và {more} đơn vị khác" if more else "")
        others = f" and {plural_en(more, 'other')}" if more else ""
        en += f". Units ({len(units)}): {names_en}" + others
    return vi + ".", en + "."


def _joined(items: list[str], conjunction: str) -> str:
    """``a, b và c`` / ``a, b and c``."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def _blackout_suggestions(scenario: Scenario, el: _Elastic) -> list[Suggestion]:
    kinds: dict[str, set[str]] = defaultdict(set)
    levels: set[Level] = set()
    for org_id, _v in el.slack.get("blackout", []):
        unit = el.problem.unit(org_id)
        levels.add(unit.level)
        blocked = el.problem.blocked(unit)
        for k in range(unit.days):
            day = el.starts[org_id] + dt.timedelta(days=k)
            if day in blocked:
                kinds[blocked[day].kind].add(blocked[day].id)
    out = []
    if "holiday" in kinds:
        out.append(
            Suggestion(
                "blackout",
                "blackouts.holidays",
                False,
                "Cho phép họp vào ngày lễ",
                "Allow congresses on public holidays",
            )
        )
    if "plenum" in kinds:
        keep = [
            lv.value
            for lv in scenario.planned_levels()
            if lv not in levels
            and any(lv in b.levels for b in scenario.blackouts if b.kind == "plenum")
        ]
        out.append(
            Suggestion(
                "blackout",
                "blackouts.plenum_levels",
                keep,
                "Cho phép họp trong ngày Hội nghị Trung ương",
                "Allow congresses during Central Committee plenums",
            )
        )
    if "blackout" in kinds:
        table = scenario.raw.get("blackouts", {})
        ranges = list(table.get("ranges", []))
        kept = [r for r in ranges if str(r.get("id")) not in kinds["blackout"]]
        if len(kept) != len(ranges):
            out.append(
                Suggestion(
                    "blackout",
                    "blackouts.ranges",
                    kept,
                    f"Bỏ khoảng chặn {', '.join(sorted(kinds['blackout']))}",
                    f"Drop the blackout {', '.join(sorted(kinds['blackout']))}",
                )
            )
        named = [str(n) for n in table.get("named", [])]
        rest = [n for n in named if n not in kinds["blackout"]]
        if rest != named:
            out.append(
                Suggestion(
                    "blackout",
                    "blackouts.named",
                    rest,
                    f"Bỏ khoảng chặn {', '.join(sorted(kinds['blackout']))}",
                    f"Drop the blackout {', '.join(sorted(kinds['blackout']))}",
                )
            )
    if "weekday" in kinds:
        out.append(
            Suggestion(
                "blackout",
                "blackouts.weekdays",
                [],
                "Bỏ ngày cấm trong tuần",
                "Drop weekday blackouts",
            )
        )
    return out


def _pin_suggestions(scenario: Scenario, el: _Elastic) -> list[Suggestion]:
    moved = {org_id for org_id, _v in el.slack.get("pin", [])}
    if not moved:
        return []
    pins = []
    for pin in scenario.pins:
        if pin.org in moved:
            start = el.starts[pin.org]
            end = start + dt.timedelta(days=el.problem.unit(pin.org).days - 1)
            pins.append({"org": pin.org, "start": start, "end": end})
        else:
            entry: dict[str, Any] = {"org": pin.org, "start": pin.start}
            if pin.end is not None:
                entry["end"] = pin.end
            pins.append(entry)
    names = ", ".join(sorted(moved))
    return [
        Suggestion(
            "pin",
            "pins",
            pins,
            f"Dời ngày đã chốt của {names} sang ngày khả thi gần nhất",
            f"Move the pinned dates of {names} to the nearest feasible days",
        )
    ]


def suggestions_for(scenario: Scenario, family_id: str, el: _Elastic) -> list[Suggestion]:
    """Candidate changes for the non-numeric families, read off an elastic solution."""
    if family_id == "blackout":
        return _blackout_suggestions(scenario, el)
    if family_id == "pin":
        return _pin_suggestions(scenario, el)
    return []


@dataclass
class Knob:
    """A scenario value that can be relaxed step by step; ``make(k)`` is the change of size k."""

    family: str
    make: Any  # Callable[[int], Suggestion]
    lo: int
    hi: int


def knobs(scenario: Scenario, family_id: str, levels: list[Level]) -> list[Knob]:
    """The monotone relaxations of one family: bigger k, looser rule."""
    out: list[Knob] = []
    horizon = scenario.horizon
    if family_id == "level_capacity":
        for level in scenario.planned_levels():
            cap = scenario.levels[level].daily_capacity
            if cap is not None:
                out.append(Knob(family_id, _capacity_change(level, cap, "daily_capacity"), 1, 400))
    elif family_id == "parent_capacity":
        for level in scenario.planned_levels():
            cap = scenario.levels[level].parent_daily_capacity
            if cap is not None:
                out.append(
                    Knob(family_id, _capacity_change(level, cap, "parent_daily_capacity"), 1, 400)
                )
    elif family_id == "precedence" and scenario.child_before_parent_days > 0:
        gap = scenario.child_before_parent_days
        out.append(Knob(family_id, _gap_change("gaps.child_before_parent_days", gap), 1, gap))
    elif family_id == "pilot" and scenario.pilot_lead_days > 0:
        lead = scenario.pilot_lead_days
        out.append(Knob(family_id, _gap_change("pilots.lead_days", lead), 1, lead))
    elif family_id == "election_alignment":
        if scenario.election_day is not None:
            out.append(Knob(family_id, _election_change(scenario.election_day), 1, 60))
        gap = scenario.central_before_national_days
        if gap > 0:
            out.append(
                Knob(family_id, _gap_change("alignment.central_before_national_days", gap), 1, gap)
            )
    elif family_id == "review" and scenario.preparation is not None:
        for change, first, last in review_changes(scenario.preparation, horizon.start):
            out.append(Knob(family_id, _review_change(change), first, last))
    elif family_id == "level_window":
        for level in levels:
            lo, hi = scenario.levels[level].window
            later = (horizon.end - hi).days
            earlier = (lo - horizon.start).days
            if later > 0:
                out.append(Knob(family_id, _deadline_change(level, lo, hi), 1, later))
            if earlier > 0:
                out.append(Knob(family_id, _opening_change(level, lo, hi), 1, earlier))
    return out


def _review_change(change: Callable[[int], tuple[str, Any, str, str]]) -> Any:
    def make(k: int) -> Suggestion:
        key, value, vi, en = change(k)
        return Suggestion("review", key, value, vi, en)

    return make


def _capacity_change(level: Level, cap: int, key: str) -> Any:
    def make(k: int) -> Suggestion:
        new = cap + k
        if key == "daily_capacity":
            vi = f"Cho phép {new} đại hội cấp {lv_vi(level)} mỗi ngày thay vì {cap}"
            en = f"Allow {plural_en(new, lv_en(level) + ' congress')} a day instead of {cap}"
        else:
            vi = f"Cho phép {new} đại hội cấp {lv_vi(level)}/ngày dưới một cấp ủy (thay vì {cap})"
            congresses = plural_en(new, lv_en(level) + " congress")
            en = f"Allow {congresses} a day under one parent (not {cap})"
        fam = "level_capacity" if key == "daily_capacity" else "parent_capacity"
        return Suggestion(fam, f"levels.{level.value}.{key}", new, vi, en)

    return make


_GAP_TEXT = {
    "gaps.child_before_parent_days": (
        "Rút khoảng cách giữa đại hội cấp dưới và cấp trên từ {old} xuống {new} ngày",
        "Shorten the gap between a congress and its parent's from {old} to {new_days}",
        "precedence",
    ),
    "pilots.lead_days": (
        "Rút thời gian đại hội điểm đi trước từ {old} xuống {new} ngày",
        "Shorten the pilot lead from {old} to {new_days}",
        "pilot",
    ),
    "alignment.central_before_national_days": (
        "Rút khoảng cách trước Đại hội toàn quốc từ {old} xuống {new} ngày",
        "Shorten the gap before the national congress from {old} to {new_days}",
        "election_alignment",
    ),
}


def _gap_change(key: str, old: int) -> Any:
    vi, en, fam = _GAP_TEXT[key]

    def make(k: int) -> Suggestion:
        new = old - k
        text_en = en.format(old=old, new_days=plural_en(new, "day"))
        return Suggestion(fam, key, new, vi.format(old=old, new=new), text_en)

    return make


def _election_change(day: dt.date) -> Any:
    def make(k: int) -> Suggestion:
        new = day + dt.timedelta(days=7 * k)
        return Suggestion(
            "election_alignment",
            "election.day",
            new,
            f"Dời ngày bầu cử từ {_vi(day)} sang Chủ nhật {_vi(new)}",
            f"Move election day from {day} to Sunday {new}",
        )

    return make


def _deadline_change(level: Level, lo: dt.date, hi: dt.date) -> Any:
    def make(k: int) -> Suggestion:
        new = hi + dt.timedelta(days=k)
        return Suggestion(
            "level_window",
            f"levels.{level.value}.window",
            [lo, new],
            f"Lùi hạn cấp {lv_vi(level)} từ {_vi(hi)} đến {_vi(new)} (+{k} ngày)",
            f"Move the {lv_en(level)} deadline from {hi} to {new} (+{plural_en(k, 'day')})",
        )

    return make


def _opening_change(level: Level, lo: dt.date, hi: dt.date) -> Any:
    def make(k: int) -> Suggestion:
        new = lo - dt.timedelta(days=k)
        return Suggestion(
            "level_window",
            f"levels.{level.value}.window",
            [new, hi],
            f"Mở khung cấp {lv_vi(level)} sớm hơn: từ {_vi(lo)} về {_vi(new)} (−{k} ngày)",
            f"Open the {lv_en(level)} window earlier: from {lo} to {new} (−{plural_en(k, 'day')})",
        )

    return make


def _minimise(ok: Callable[[int], bool], lo: int, hi: int, budget: int = 14) -> int | None:
    """The smallest k in [lo, hi] with ``ok(k)`` (doubling, then bisection), assuming looser is
    never worse; None when even ``hi`` fails. The value returned always passed ``ok``."""
    if not ok(hi):
        return None
    bad, step, probes = lo - 1, 1, 1
    good = hi
    k = lo
    while probes < budget:
        probes += 1
        if k >= hi:
            break
        if ok(k):
            good = k
            break
        bad = k
        k = min(hi, lo - 1 + 2 * step)
        step *= 2
    while good - bad > 1 and probes < budget + 8:
        probes += 1
        mid = (good + bad) // 2
        if ok(mid):
            good = mid
        else:
            bad = mid
    return good


def _feasible_with(scenario: Scenario, suggestion: Suggestion, checker: _Checker) -> bool:
    try:
        changed = apply_suggestion(scenario, suggestion)
    except PlannerError:
        return False
    return bool(checker.feasible(changed))


def smallest(
    scenario: Scenario, knob: Knob, checker: _Checker, budget: int = 14
) -> Suggestion | None:
    """The smallest change of one knob that makes the scenario feasible (verified)."""
    good = _minimise(
        lambda k: _feasible_with(scenario, knob.make(k), checker), knob.lo, knob.hi, budget
    )
    if good is None:
        return None
    suggestion: Suggestion = knob.make(good)
    suggestion.verified = True
    return suggestion


def _combine(first: Suggestion, second: Suggestion) -> Suggestion:
    """Two changes applied together; two sides of one window become one window."""
    if first.key == second.key:  # a window opened earlier and closed later
        lo = min(first.value[0], second.value[0])
        hi = max(first.value[1], second.value[1])
        return Suggestion(
            first.family,
            first.key,
            [lo, hi],
            f"{first.message_vi}; đồng thời {second.message_vi[0].lower()}{second.message_vi[1:]}",
            f"{first.message_en}; and also {second.message_en[0].lower()}{second.message_en[1:]}",
            parts=2,
        )
    return Suggestion(
        first.family,
        first.key,
        first.value,
        f"Cả hai cùng lúc: {first.message_vi}; và {second.message_vi[0].lower()}"
        f"{second.message_vi[1:]}",
        f"Both together: {first.message_en}; and {second.message_en[0].lower()}"
        f"{second.message_en[1:]}",
        also=[second],
        parts=2,
    )


def smallest_pair(
    scenario: Scenario, first: Knob, second: Knob, checker: _Checker
) -> Suggestion | None:
    """Two knobs together: both at their loosest must restore a plan; then the second is made
    as small as it can be with the first at its loosest, and the first as small as it can be
    with the second at that value. The answer is the last combination proven feasible."""

    def ok(k1: int, k2: int) -> bool:
        return _feasible_with(scenario, _combine(first.make(k1), second.make(k2)), checker)

    k2 = _minimise(lambda k: ok(first.hi, k), second.lo, second.hi)
    if k2 is None:
        return None
    k1 = _minimise(lambda k: ok(k, k2), first.lo, first.hi)
    assert k1 is not None  # first.hi with k2 was proven feasible
    suggestion = _combine(first.make(k1), second.make(k2))
    suggestion.verified = True
    return suggestion


def apply_suggestion(scenario: Scenario, suggestion: Suggestion) -> Scenario:
    """The scenario with one suggestion applied (as ``--set`` would)."""
    raw = copy.deepcopy(dict(scenario.raw))
    for item in suggestion.set_args:
        apply_set(raw, item)
    return build_scenario(raw, scenario.text, scenario.file, [*scenario.sets, *suggestion.set_args])


def _loosest(knob: Knob) -> Suggestion:
    loose: Suggestion = knob.make(knob.hi)
    return loose


def _tried(singles: list[tuple[Knob, str]], skipped: list[Knob]) -> list[dict[str, Any]]:
    """Each key the single-change search relaxed alone, at its loosest, with its outcome
    (``found``, ``insufficient``, or ``not_tried`` when the search ran out of time)."""
    tried: list[dict[str, Any]] = []
    for knob, outcome in singles:
        loose = _loosest(knob)
        tried.append(
            {"keys": [loose.key], "loosest": loose.set_arg, "outcome": outcome, "alone": True}
        )
    for knob in skipped:
        loose = _loosest(knob)
        tried.append(
            {"keys": [loose.key], "loosest": loose.set_arg, "outcome": "not_tried", "alone": True}
        )
    return tried


def _explain(
    singles: list[tuple[Knob, str]],
    skipped: list[Knob],
    pairs: tuple[int, int, bool],
    found_single: bool,
    found_pair: bool,
    undecided: int,
) -> tuple[str, str, list[dict[str, Any]]]:
    """What the suggestion search tried, and why nothing single sufficed, in both languages."""
    tried = _tried(singles, skipped)
    if found_single:
        return "", "", tried
    failed = [(k, o) for k, o in singles if o != "found"]
    lines_vi = [f"«{_loosest(k).message_vi}»" for k, _o in failed]
    lines_en = [f"“{_loosest(k).message_en}”" for k, _o in failed]
    if not singles and not skipped:
        vi = (
            "Không có khóa nào của các họ xung đột có thể nới từng bước (số ngày, sức chứa, khung "
            "thời gian), nên không có cách gỡ tự động. Hãy xem các xung đột ở trên, hoặc chuyển "
            "một họ sang mềm (families.<họ>.hard=false) để thấy mức vi phạm."
        )
        en = (
            "None of the conflicting families has a key that can be relaxed step by step (days, "
            "capacities, windows), so there is no automatic way out. See the conflicts above, or "
            "make a family soft (families.<family>.hard=false) to see how much it is violated."
        )
        return vi, en, tried
    vi = (
        "Không thay đổi đơn lẻ nào đủ. Đã thử nới từng khóa một tới mức lỏng nhất: "
        + "; ".join(lines_vi)
        + " — mỗi lần vẫn không lập được kế hoạch, vì có hơn một xung đột độc lập (xem ở trên): "
        "mỗi thay đổi chỉ gỡ được một phần."
    )
    en = (
        "No single change is enough. Each key was relaxed alone to its loosest: "
        + "; ".join(lines_en)
        + " — and each time no plan existed, because more than one independent conflict is "
        "involved (see above): each change removes only part of it."
    )
    tried_pairs, total_pairs, out_of_time = pairs
    if found_pair:
        vi += " Các cặp hai thay đổi dưới đây, đã kiểm chứng, gỡ được cả hai."
        en += " The pairs of changes below, verified, remove both."
    elif total_pairs:
        vi += (
            f" Đã thử {tried_pairs}/{total_pairs} cặp hai khóa cùng lúc (mỗi khóa ở mức lỏng nhất),"
            " cũng không đủ: cần nới hơn hai ràng buộc, hoặc chuyển một họ sang mềm "
            "(families.<họ>.hard=false) để xem mức vi phạm."
        )
        en += (
            f" {tried_pairs} of {total_pairs} pairs of keys were tried together (each at its "
            "loosest), and none was enough either: more than two rules must give, or make a "
            "family soft (families.<family>.hard=false) to see how much it is violated."
        )
    if out_of_time or skipped:
        vi += " Hết thời gian tìm trước khi thử hết (xem danh sách đã thử)."
        en += " The search ran out of time before trying everything (see what was tried)."
    if undecided:
        vi += f" {undecided} lần thử chưa kết luận trong thời gian cho phép."
        en += f" {undecided} probe(s) undecided within their time limit."
    return vi, en, tried


class _Diagnosing:
    """What the diagnosis was asked, and the wall seconds of its stages (``timings``)."""

    def __init__(
        self, scenario: Scenario, tree: OrgTree, time_limit: float, seed: int, verify: bool
    ) -> None:
        self.scenario = scenario
        self.tree = tree
        self.time_limit = time_limit
        self.seed = seed
        self.verify = verify
        self.clock = time.perf_counter()
        self.timings: dict[str, float] = {}

    def lap(self, name: str) -> None:
        """Close the stage ``name``: the time since the last lap."""
        now = time.perf_counter()
        self.timings[name] = now - self.clock
        self.clock = now


@dataclass
class _WaysOut:
    """The suggestion search: what it found, and what it tried (for the explanation)."""

    suggestions: list[Suggestion] = field(default_factory=list)
    singles: list[tuple[Knob, str]] = field(default_factory=list)
    skipped: list[Knob] = field(default_factory=list)
    found_single: bool = False  # a verified change alone (before the pairs)
    pair_stats: tuple[int, int, bool] = (0, 0, False)  # tried, in all, out of time
    found_pair: bool = False
    undecided: int = 0  # probes without a verdict within their time limit


def _feasibility(ask: _Diagnosing, problem: Problem) -> tuple[list[Conflict], SolveReport]:
    """Stage a: the analytic pre-checks, then one feasibility solve of the whole scenario."""
    pre = precheck(problem) + review_capacity(problem, chain_bounds(problem))
    ask.lap("precheck")
    report = solve(
        problem,
        objective="none",
        time_limit=ask.time_limit,
        workers=2,
        seed=ask.seed,
        deterministic=True,
    )
    ask.lap("feasibility")
    return pre, report


def _drill_down(ask: _Diagnosing, families: list[str], core: list[str]) -> _Elastic | None:
    """Stage c: the conflicting families made elastic, every window side free to stretch."""
    scenario = ask.scenario
    all_sides = frozenset(
        (lv, side) for lv in scenario.planned_levels() for side in ("early", "late")
    )
    limit = min(ask.time_limit, ELASTIC_TIME)
    return _elastic(scenario, ask.tree, set(families), core, limit, all_sides)


def _read_off(ask: _Diagnosing, family_id: str, checker: _Checker) -> list[Suggestion]:
    """Pin and blackout changes read off an elastic model of the family alone (verified when
    asked; a change the scenario cannot take is dropped)."""
    alone = _elastic(ask.scenario, ask.tree, {family_id}, checker.core, ELASTIC_TIME)
    out: list[Suggestion] = []
    for suggestion in suggestions_for(ask.scenario, family_id, alone) if alone else []:
        if ask.verify:
            try:
                suggestion.verified = bool(
                    checker.feasible(apply_suggestion(ask.scenario, suggestion))
                )
            except PlannerError:
                continue
        out.append(suggestion)
    return out


def _single_changes(
    ask: _Diagnosing,
    families: list[str],
    levels: list[Level],
    checker: _Checker,
    probe: _Checker,
    ways: _WaysOut,
) -> None:
    """Stage d: for each family alone, the smallest verified change of each of its knobs, until
    the suggestion budget is spent (the rest are ``skipped``)."""
    deadline = time.perf_counter() + SUGGESTION_BUDGET
    for family_id in families:
        if ask.verify:
            for knob in knobs(ask.scenario, family_id, levels):
                if time.perf_counter() > deadline:
                    ways.skipped.append(knob)
                    continue
                found = smallest(ask.scenario, knob, probe)
                ways.singles.append((knob, "found" if found else "insufficient"))
                if found is not None:
                    ways.suggestions.append(found)
        if family_id in ("blackout", "pin"):
            ways.suggestions.extend(_read_off(ask, family_id, checker))


def _pair_changes(ask: _Diagnosing, probe: _Checker, ways: _WaysOut) -> None:
    """Stage e: pairs of the knobs tried alone, within the pair budget."""
    tried_knobs = [k for k, _o in ways.singles]
    pairs = [(a, b) for i, a in enumerate(tried_knobs) for b in tried_knobs[i + 1 :]]
    pair_deadline = time.perf_counter() + PAIR_BUDGET
    done = 0
    for first, second in pairs:
        if time.perf_counter() > pair_deadline:
            break
        done += 1
        found = smallest_pair(ask.scenario, first, second, probe)
        if found is not None:
            ways.found_pair = True
            ways.suggestions.append(found)
    ways.pair_stats = (done, len(pairs), done < len(pairs))


def _ways_out(
    ask: _Diagnosing,
    problem: Problem,
    conflicts: list[Conflict],
    families: list[str],
    checker: _Checker,
) -> _WaysOut:
    """Stages d and e: single changes at the levels the conflicts name, then pairs when no
    single change is verified."""
    levels = sorted(
        {problem.unit(u).level for c in conflicts for u in c.units if problem.has(u)}
        or {Level.CENTRAL},
        key=lambda lv: lv.depth,
    )
    probe = _Checker(ask.scenario, ask.tree, min(ask.time_limit, PROBE_TIME), ask.seed)
    probe.core = checker.core
    ways = _WaysOut()
    _single_changes(ask, families, levels, checker, probe, ways)
    ways.found_single = any(s.verified for s in ways.suggestions)
    if ask.verify and not ways.found_single:
        _pair_changes(ask, probe, ways)
    ways.undecided = probe.undecided
    return ways


def _proven_values(suggestions: list[Suggestion]) -> dict[str, Any]:
    """The smallest verified number per key, for the drill-down's sentence."""
    proven: dict[str, Any] = {}
    for suggestion in suggestions:
        if suggestion.verified:
            for part in [suggestion, *suggestion.also]:
                if isinstance(part.value, int) and not isinstance(part.value, bool):
                    proven[part.key] = min(part.value, proven.get(part.key, part.value))
    return proven


def diagnose(
    scenario: Scenario,
    tree: OrgTree,
    *,
    time_limit: float = 5.0,
    seed: int = 0,
    verify: bool = True,
) -> Diagnosis:
    """Run the staged diagnosis; see the module docstring."""
    ask = _Diagnosing(scenario, tree, time_limit, seed, verify)
    problem = build_problem(scenario, tree)
    pre, report = _feasibility(ask, problem)
    if report.plan is not None:
        return Diagnosis(status="feasible", plan=report.plan, timings=ask.timings)
    if report.status != "INFEASIBLE":
        return Diagnosis(status="unknown", conflicts=pre, timings=ask.timings)
    checker = _Checker(scenario, tree, time_limit, seed)
    checker.core = _part(problem, report)
    families, minimal = minimal_families(scenario, checker)
    ask.lap("families")
    conflicts = list(pre)
    el = _drill_down(ask, families, checker.core)
    if el is not None:
        conflicts.append(_describe(scenario, el, families))
    ask.lap("drill_down")
    ways = _ways_out(ask, problem, conflicts, families, checker)
    ask.lap("suggestions")
    ways.suggestions.sort(key=lambda s: not s.verified)
    explanation_vi, explanation_en, tried = _explain(
        ways.singles,
        ways.skipped,
        ways.pair_stats,
        ways.found_single,
        ways.found_pair,
        ways.undecided,
    )
    if el is not None:  # state the verified numbers in the drill-down
        conflicts[-1] = _describe(scenario, el, families, _proven_values(ways.suggestions))
    return Diagnosis(
        status="infeasible",
        conflicts=conflicts,
        suggestions=ways.suggestions,
        families=families,
        minimal=minimal,
        timings=ask.timings,
        explanation_vi=explanation_vi,
        explanation_en=explanation_en,
        tried=tried,
    )
