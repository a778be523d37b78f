"""Check any plan against a scenario without the solver: a list of violations with sources.

Every hard, enabled constraint family has one check here, written from the scenario's data and
the rules, never from the solver's model (this module must not import OR-Tools); the preparation
steps (reviews, announcements, reports, approvals) are checked by
:mod:`planner.analysis.validate_steps`.
A plan may be partial — a real historical schedule or one typed in by a planner: pairs are
checked where both congresses are present, and units with no congress are listed as
information (or as violations with ``complete=True``, as are a dated congress's missing
preparation-step rows when its cycle has steps).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from planner.analysis.validate_steps import FAMILY as STEP_FAMILY
from planner.analysis.validate_steps import check_steps, missing_steps
from planner.errors import PlannerError
from planner.problem.units import ANNOUNCE_STEP, Problem, Unit
from planner.rules.calendar import date_vi as _vi
from planner.rules.catalogue import Rule
from planner.rules.families import family
from planner.rules.preparation import STEP_KINDS
from planner.rules.timetable import election_timetable
from planner.tree.hierarchy import Level, OrgTree
from planner.tree.names import lv_en, lv_vi, plural_en

TODAY_RULE = "today"  # the rule id of "nothing not yet held before today"
TODAY_SOURCE = (
    "kết quả thực tế: chưa họp thì chỉ họp được từ hôm nay",
    "actuals: a congress not yet held can only sit from today on",
)


@dataclass(frozen=True)
class Violation:
    """One broken rule: the family, the units and dates involved, and bilingual messages."""

    family: str
    units: tuple[str, ...]
    dates: tuple[dt.date, ...]
    message_vi: str
    message_en: str
    rule: str | None = None
    source: str = ""

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "family": self.family,
            "units": list(self.units),
            "dates": [d.isoformat() for d in self.dates],
            "message_vi": self.message_vi,
            "message_en": self.message_en,
            "rule": self.rule,
            "source": self.source,
        }


@dataclass
class Validation:
    """The validator's verdict."""

    violations: list[Violation] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    checked: int = 0
    complete: bool = False

    @property
    def ok(self) -> bool:
        """True when no hard rule is broken (and, with ``complete``, nothing is missing)."""
        return not self.violations

    def families(self) -> set[str]:
        """The families with at least one violation."""
        return {v.family for v in self.violations}

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "valid": self.ok,
            "checked": self.checked,
            "violations": [v.as_dict() for v in self.violations],
            "missing": self.missing,
            "ignored": self.ignored,
        }


class _Checker:
    def __init__(self, problem: Problem, dates: dict[str, tuple[dt.date, dt.date]]) -> None:
        self.problem = problem
        self.scenario = problem.scenario
        self.dates = dates
        self.out: list[Violation] = []
        self.every = self.present(problem.units)

    # helpers -------------------------------------------------------------------------------
    def name(self, org_id: str) -> tuple[str, str]:
        org = self.problem.tree.get(org_id)
        return f"{org.name_vi} ({org_id})", f"{org.name_en} ({org_id})"

    def rule(self, rule_id: str) -> Rule | None:
        for rules in self.scenario.rulesets.values():
            try:
                return rules.get(rule_id)
            except PlannerError:
                continue
        return None

    def directive_rule(self, family: str, **params: str) -> str | None:
        """The id of the scenario directive's rule of a family (and params), e.g. the pilot
        window of a level: ``d35.pilot.district`` in 2020, ``d45.…`` in 2025."""
        directive = self.scenario.directive
        rule = directive.first(family, **params) if directive is not None else None
        return rule.id if rule is not None else None

    def cite(self, rule_id: str | None, family_id: str) -> tuple[str, str]:
        """The legal source with the rule's Vietnamese and English names."""
        rule = self.rule(rule_id) if rule_id else None
        if rule is not None:
            cited = rule.source.cite()
            return f"{cited} — {rule.name_vi}", f"{cited} — {rule.name_en}"
        fam = family(family_id)
        return f"{fam.source} — {fam.name_vi}", f"{fam.source} — {fam.name_en}"

    def add(
        self,
        family_id: str,
        units: Iterable[str],
        dates: Iterable[dt.date],
        vi: str,
        en: str,
        rule_id: str | None = None,
    ) -> None:
        source_vi, source_en = self.cite(rule_id, family_id)
        self.out.append(
            Violation(
                family=family_id,
                units=tuple(units),
                dates=tuple(sorted(set(dates))),
                message_vi=f"{vi} [{source_vi}]",
                message_en=f"{en} [{source_en}]",
                rule=rule_id,
                source=source_vi,
            )
        )

    def present(self, units: Iterable[Unit]) -> list[tuple[Unit, dt.date, dt.date]]:
        """The given units that the plan dates (``self.every``: all of them)."""
        dates = self.dates
        return [(u, *dates[u.org_id]) for u in units if u.org_id in dates]

    # families ------------------------------------------------------------------------------
    def level_window(self) -> None:
        """The directive (Chỉ thị 35-CT/TW in 2020): each level's congresses start and finish
        inside its window."""
        for unit, start, end in self.every:
            fam = "pilot" if unit.pilot else "level_window"
            if unit.held or not self.scenario.hard(fam):
                continue
            lo, hi = unit.window
            plan = self.scenario.levels[unit.level]
            rule_lo: str | None
            rule_hi: str | None
            if unit.pilot:
                rule_lo = rule_hi = self.directive_rule("pilot", level=unit.level.value)
            else:
                rule_lo, rule_hi = plan.window_rules
            if lo <= start and end <= hi:
                continue
            vi, en = self.name(unit.org_id)
            if start < lo:
                self.add(
                    fam,
                    [unit.org_id],
                    [start, lo],
                    f"Đại hội {vi} bắt đầu {_vi(start)}, trước ngày mở khung {_vi(lo)}.",
                    f"The congress of the {en} starts on {start}, before its window opens on {lo}.",
                    rule_lo if self.rule(rule_lo or "") else None,
                )
            if end > hi:
                self.add(
                    fam,
                    [unit.org_id],
                    [end, hi],
                    f"Đại hội {vi} kết thúc {_vi(end)}, sau hạn {_vi(hi)}.",
                    f"The congress of the {en} ends on {end}, after its deadline {hi}.",
                    rule_hi if self.rule(rule_hi or "") else None,
                )

    def today(self) -> None:
        """A re-plan from a day (``problem.today``): no congress that is not held yet starts
        before that day (actuals record what was held; the rest can only happen from today)."""
        today = self.problem.today
        if today is None:
            return
        for unit, start, _end in self.every:
            if unit.held or start >= today:
                continue
            vi, en = self.name(unit.org_id)
            self.out.append(
                Violation(
                    family="level_window",
                    units=(unit.org_id,),
                    dates=(start, today),
                    message_vi=f"Đại hội {vi} chưa họp nhưng kế hoạch ghi bắt đầu {_vi(start)}, "
                    f"trước hôm nay {_vi(today)}. [{TODAY_SOURCE[0]}]",
                    message_en=f"The congress of the {en} is not held yet but the plan starts it "
                    f"on {start}, before today {today}. [{TODAY_SOURCE[1]}]",
                    rule=TODAY_RULE,
                    source=TODAY_SOURCE[0],
                )
            )

    def duration(self) -> None:
        """The directive: a congress lasts no longer than its level's maximum."""
        for unit, start, end in self.every:
            length = (end - start).days + 1
            plan = self.scenario.levels[unit.level]
            if length > plan.max_days and not unit.held:
                vi, en = self.name(unit.org_id)
                self.add(
                    "duration",
                    [unit.org_id],
                    [start, end],
                    f"Đại hội {vi} kéo dài {length} ngày, quá mức tối đa {plan.max_days} ngày.",
                    f"The congress of the {en} lasts {length} days, over the maximum of "
                    f"{plan.max_days}.",
                    plan.duration_rule,
                )

    def precedence(self) -> None:
        """The directive; Điều lệ Đảng: a congress ends ≥ N days before its parent's starts."""
        gap = self.scenario.child_before_parent_days
        for unit, _start, end in self.every:
            if unit.parent_id is None or unit.parent_id not in self.dates:
                continue
            parent_start = self.dates[unit.parent_id][0]
            if (parent_start - end).days < gap:
                vi, en = self.name(unit.org_id)
                pvi, pen = self.name(unit.parent_id)
                self.add(
                    "precedence",
                    [unit.org_id, unit.parent_id],
                    [end, parent_start],
                    f"Đại hội {vi} kết thúc {_vi(end)}, chưa đủ {gap} ngày trước khi đại hội "
                    f"cấp trên {pvi} bắt đầu {_vi(parent_start)}.",
                    f"The congress of the {en} ends on {end}, less than {gap} days before its "
                    f"parent's congress ({pen}) starts on {parent_start}.",
                    self.directive_rule("precedence"),
                )

    def pilot(self) -> None:
        """Đại hội điểm: a pilot unit finishes ≥ N days before its siblings start."""
        lead = self.scenario.pilot_lead_days
        for unit, _start, end in self.present(u for u in self.problem.units if u.pilot):
            for sibling, s_start, _ in self.present(self.problem.pilot_siblings(unit)):
                if (s_start - end).days < lead:
                    vi, en = self.name(unit.org_id)
                    svi, sen = self.name(sibling.org_id)
                    self.add(
                        "pilot",
                        [unit.org_id, sibling.org_id],
                        [end, s_start],
                        f"Đại hội điểm {vi} kết thúc {_vi(end)}, chưa đủ {lead} ngày trước khi "
                        f"{svi} bắt đầu {_vi(s_start)}.",
                        f"Pilot congress of the {en} ends on {end}, less than {lead} days before "
                        f"the {sen} starts on {s_start}.",
                        self.directive_rule("pilot", level=unit.level.value),
                    )

    def blackout(self) -> None:
        """No congress includes a holiday, distancing day, plenum (central) or named blackout."""
        for unit, start, end in self.every:
            blocked = self.problem.blocked(unit)
            if not blocked or unit.held:
                continue
            length = (end - start).days + 1
            if not any(start + dt.timedelta(days=k) in blocked for k in range(length)):
                continue
            hits: dict[str, list[dt.date]] = defaultdict(list)
            names = {}
            day = start
            while day <= end:
                if day in blocked:
                    hits[blocked[day].id].append(day)
                    names[blocked[day].id] = blocked[day]
                day += dt.timedelta(days=1)
            for blackout_id, days in hits.items():
                b = names[blackout_id]
                vi, en = self.name(unit.org_id)
                self.out.append(
                    Violation(
                        family="blackout",
                        units=(unit.org_id,),
                        dates=tuple(days),
                        message_vi=f"Đại hội {vi} ({_vi(start)}–{_vi(end)}) trùng {b.name_vi} "
                        f"({', '.join(_vi(d) for d in days)}). [{b.source}]",
                        message_en=f"The congress of the {en} ({start} – {end}) includes "
                        f"{b.name_en} ({', '.join(d.isoformat() for d in days)}). [{b.source}]",
                        rule=b.id,
                        source=b.source,
                    )
                )

    def _load(self, units: Iterable[Unit]) -> dict[dt.date, list[str]]:
        load: dict[dt.date, list[str]] = defaultdict(list)
        for unit, start, end in self.present(units):
            day = start
            while day <= end:
                load[day].append(unit.org_id)
                day += dt.timedelta(days=1)
        return load

    def parent_capacity(self) -> None:
        """At most K congresses under the same parent in session on any day."""
        for parent, kids in self.problem.by_parent.items():
            by_level: dict[Level, list[Unit]] = defaultdict(list)
            for kid in kids:
                by_level[self.problem.unit(kid).level].append(self.problem.unit(kid))
            for level, units in by_level.items():
                cap = self.scenario.levels[level].parent_daily_capacity
                if cap is None:
                    continue
                over = {d: ids for d, ids in self._load(units).items() if len(ids) > cap}
                if over:
                    worst = max(over, key=lambda d: (len(over[d]), d))
                    pvi, pen = self.name(parent)
                    self.add(
                        "parent_capacity",
                        [parent, *sorted({i for ids in over.values() for i in ids})],
                        over.keys(),
                        f"Dưới {pvi} có {len(over[worst])} đại hội cùng diễn ra ngày {_vi(worst)} "
                        f"(tối đa {cap}); {len(over)} ngày vượt sức chứa.",
                        f"Under the {pen}, {len(over[worst])} congresses sit on {worst} "
                        f"(at most {cap}); {plural_en(len(over), 'day')} over capacity.",
                    )

    def level_capacity(self) -> None:
        """At most C congresses of a level in session nationwide on any day."""
        for level in self.scenario.planned_levels():
            cap = self.scenario.levels[level].daily_capacity
            if cap is None:
                continue
            units = [u for u in self.problem.units if u.level == level]
            over = {d: ids for d, ids in self._load(units).items() if len(ids) > cap}
            if over:
                worst = max(over, key=lambda d: (len(over[d]), d))
                names = ", ".join(sorted(over[worst]))
                self.add(
                    "level_capacity",
                    sorted({i for ids in over.values() for i in ids}),
                    over.keys(),
                    f"Ngày {_vi(worst)} có {len(over[worst])} đại hội cấp {lv_vi(level)} cùng diễn "
                    f"ra ({names}; tối đa {cap}); {len(over)} ngày vượt sức chứa.",
                    f"On {worst}, {len(over[worst])} {lv_en(level)} congresses sit at once "
                    f"({names}; at most {cap}); {plural_en(len(over), 'day')} over capacity.",
                )

    def election_alignment(self, election_day: dt.date | None) -> None:
        """Luật 85/2015/QH13 Điều 5, 38–39; central congresses end N days before the national."""
        national = self.problem.national()
        gap = self.scenario.central_before_national_days
        if national is not None and national.org_id in self.dates:
            n_start, n_end = self.dates[national.org_id]
            for unit, _start, end in self.present(
                u for u in self.problem.units if u.level == Level.CENTRAL
            ):
                if (n_start - end).days < gap:
                    vi, en = self.name(unit.org_id)
                    self.add(
                        "election_alignment",
                        [unit.org_id, national.org_id],
                        [end, n_start],
                        f"Đại hội {vi} kết thúc {_vi(end)}, chưa đủ {gap} ngày trước Đại hội toàn "
                        f"quốc ({_vi(n_start)}).",
                        f"The congress of the {en} ends on {end}, less than {gap} days before the "
                        f"national congress ({n_start}).",
                    )
            if election_day is not None:
                self._after_step(national.org_id, n_start, election_day)
                step_id = self.scenario.national_before_step
                step = election_timetable(election_day, self.scenario.election_law).step(step_id)
                need = self.scenario.national_before_step_days
                if step.first_day is not None and (step.first_day - n_end).days < need:
                    self.add(
                        "election_alignment",
                        [national.org_id],
                        [n_end, step.first_day],
                        f"Đại hội đại biểu toàn quốc ({national.org_id}) kết thúc {_vi(n_end)}, "
                        f"không trước {step.name_vi} ({step.rule} = {_vi(step.first_day)}).",
                        f"The national congress ({national.org_id}) ends on {n_end}, not before "
                        f"{step.name_en} ({step.rule} = {step.first_day}).",
                        step_id,
                    )
        announced = self.scenario.election_announced
        if election_day is not None and announced is not None:
            latest = election_day + dt.timedelta(days=self.problem.step_offsets[ANNOUNCE_STEP])
            if announced > latest:
                self.add(
                    "election_alignment",
                    [],
                    [announced, latest],
                    f"Ngày bầu cử công bố {_vi(announced)}, muộn hơn hạn {_vi(latest)} (E−115).",
                    f"Election day announced on {announced}, after the deadline {latest} (E−115).",
                    ANNOUNCE_STEP,
                )

    def _after_step(self, national: str, n_start: dt.date, election_day: dt.date) -> None:
        """Alignment ``national_between_steps`` (2026): the National Congress starts at least N
        days after an election step (the first consultative conference)."""
        scenario = self.scenario
        if scenario.alignment_rule != "national_between_steps" or not scenario.national_after_step:
            return
        step_id = scenario.national_after_step
        step = election_timetable(election_day, scenario.election_law).step(step_id)
        need = scenario.national_after_step_days
        if step.first_day is not None and (n_start - step.first_day).days < need:
            self.add(
                "election_alignment",
                [national],
                [step.first_day, n_start],
                f"Đại hội đại biểu toàn quốc ({national}) bắt đầu {_vi(n_start)}, không sau "
                f"{step.name_vi} ({step.rule} = {_vi(step.first_day)}) ít nhất {need} ngày.",
                f"The national congress ({national}) starts on {n_start}, not at least {need} "
                f"days after {step.name_en} ({step.rule} = {step.first_day}).",
                step_id,
            )

    def pin(self, held: bool = False) -> None:
        """A pinned congress sits exactly on its pinned dates; one already held (``held``,
        always checked) on its recorded dates."""
        units = (u for u in self.problem.units if u.pin and u.held == held)
        for unit, start, end in self.present(units):
            assert unit.pin is not None
            if (start, end) == unit.pin:
                continue
            vi, en = self.name(unit.org_id)
            (a, b), (p, q) = (_vi(start), _vi(end)), (_vi(unit.pin[0]), _vi(unit.pin[1]))
            self.add(
                "pin",
                [unit.org_id],
                [start, end, *unit.pin],
                f"Đại hội {vi} đã họp {p}–{q}, kế hoạch lại ghi {a}–{b}."
                if held
                else f"Đại hội {vi} họp {a}–{b}, khác ngày đã chốt {p}–{q}.",
                f"The congress of the {en} was held {unit.pin[0]} – {unit.pin[1]}, but the plan "
                f"says {start} – {end}."
                if held
                else f"The congress of the {en} sits {start} – {end}, not on its pinned dates "
                f"{unit.pin[0]} – {unit.pin[1]}.",
            )


def plan_election_day(frame: pd.DataFrame, problem: Problem) -> dt.date | None:
    """Election day from the plan's voting row, else the scenario's fixed day."""
    rows = frame[frame["event_id"] == "election:el.voting"]
    if len(rows) and rows.iloc[0]["start"] is not None:
        day: dt.date = rows.iloc[0]["start"]
        return day
    return problem.scenario.election_day


def check_known(frame: pd.DataFrame, tree: OrgTree) -> None:
    """Every congress (and preparation step) of a plan names an organisation of the tree (as
    ``check --plan`` requires); the first unknown one is a bilingual error with its file and
    line."""
    congresses = frame[frame["kind"].isin(("congress", *STEP_KINDS))]
    lines = congresses["line"] if "line" in congresses else [None] * len(congresses)
    for org_id, line in zip(congresses["org_id"], lines, strict=True):
        if str(org_id) not in tree:
            try:
                tree.get(str(org_id))
            except PlannerError as exc:
                exc.file = frame.attrs.get("file")
                exc.line = int(line) if line is not None else None
                exc.field = "org_id"
                raise


def _step_names(problem: Problem, frame: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """The names of the organisations whose steps the plan holds."""
    steps = frame[frame["kind"].isin(STEP_KINDS)]
    out = {}
    for org_id in set(steps["org_id"].dropna()):
        if org_id in problem.tree:
            org = problem.tree.get(org_id)
            out[org_id] = (org.name_vi, org.name_en)
    return out


def _missing_steps(
    problem: Problem, frame: pd.DataFrame, dates: dict[str, tuple[dt.date, dt.date]]
) -> list[Violation]:
    """A complete plan's missing preparation-step rows (:func:`missing_steps`), one per rule."""
    levels = {u.org_id: u.level.value for u in problem.units}
    return [
        Violation(
            family="completeness",
            units=found.units,
            dates=found.dates,
            message_vi=found.message_vi,
            message_en=found.message_en,
            rule=found.rule,
            source=found.source,
        )
        for found in missing_steps(problem.scenario.preparation, frame, dates, levels)
    ]


def validate(problem: Problem, frame: pd.DataFrame, *, complete: bool = False) -> Validation:
    """Check a plan (full or partial) against the problem's scenario; no solver involved."""
    check_known(frame, problem.tree)
    congresses = frame[frame["kind"] == "congress"]
    dates: dict[str, tuple[dt.date, dt.date]] = {}
    result = Validation(complete=complete)
    for row in congresses.itertuples(index=False):
        org_id = str(row.org_id)
        if not problem.has(org_id):
            result.ignored.append(org_id)
            continue
        start: dt.date = row.start  # type: ignore[assignment]
        end: dt.date = row.end  # type: ignore[assignment]
        dates[org_id] = (start, end)
    result.checked = len(dates)
    checker = _Checker(problem, dates)
    election_day = plan_election_day(frame, problem)
    scenario = problem.scenario
    if election_day is not None and election_day.weekday() != 6:
        checker.add(
            "election_alignment",
            [],
            [election_day],
            f"Ngày bầu cử {_vi(election_day)} không phải Chủ nhật.",
            f"Election day {election_day} is not a Sunday.",
            "el.election_day.sunday",
        )
    checker.level_window()
    checker.today()
    checker.duration()
    checks = {
        "precedence": checker.precedence,
        "pilot": checker.pilot,
        "blackout": checker.blackout,
        "parent_capacity": checker.parent_capacity,
        "level_capacity": checker.level_capacity,
        "pin": checker.pin,
    }
    for family_id, check in checks.items():
        if scenario.hard(family_id):
            check()
    checker.pin(held=True)
    if scenario.hard("election_alignment"):
        checker.election_alignment(election_day)
    for found in check_steps(scenario.preparation, frame, dates, _step_names(problem, frame)):
        checker.out.append(
            Violation(
                family=STEP_FAMILY,
                units=found.units,
                dates=found.dates,
                message_vi=found.message_vi,
                message_en=found.message_en,
                rule=found.rule,
                source=found.source,
            )
        )
    if complete:
        checker.out.extend(_missing_steps(problem, frame, dates))
    result.violations = checker.out
    result.missing = [u.org_id for u in problem.units if u.org_id not in dates]
    if complete and result.missing:
        shown = ", ".join(result.missing[:10]) + (" …" if len(result.missing) > 10 else "")
        result.violations.append(
            Violation(
                family="completeness",
                units=tuple(result.missing),
                dates=(),
                message_vi=f"{len(result.missing)} đơn vị chưa có đại hội trong kế hoạch: {shown}.",
                message_en=f"{len(result.missing)} units have no congress in the plan: {shown}.",
                source="Chỉ thị 35-CT/TW — mọi tổ chức đảng tiến hành đại hội nhiệm kỳ 2020–2025",
            )
        )
    return result
