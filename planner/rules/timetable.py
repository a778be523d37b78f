"""The statutory election timetable counted from election day E (pure functions).

Every step comes from the ``election-law-85-2015`` rule set (Luật 85/2015/QH13 and the
Constitution); deadlines count calendar days: "chậm nhất là X ngày trước ngày bầu cử" is E − X
(REFERENCE, "How deadlines count"). Election day must be a Sunday (Điều 5).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from planner.errors import PlannerError, UnknownIdError
from planner.rules.calendar import (
    WEEKDAYS_EN,
    format_date_en,
    format_date_vi,
    next_sunday,
    previous_sunday,
)
from planner.rules.catalogue import Rule, RuleSet, ruleset
from planner.rules.rulebook import law_named, step_cited
from planner.sources import LegalSource

ELECTION_LAW = "election-law-85-2015"
MINUS = "\u2212"


def offset_text(offset: int) -> str:
    """``E−70``, ``E``, ``E+10`` (a true minus sign, as the law's tables print it)."""
    if offset == 0:
        return "E"
    return f"E{MINUS}{-offset}" if offset < 0 else f"E+{offset}"


def required_weekday(rules: RuleSet) -> int:
    """The weekday election day must fall on (0 = Monday … 6 = Sunday), from the rule set."""
    for rule in rules.by_family("election_day"):
        name = str(rule.param("weekday")).capitalize()
        if name in WEEKDAYS_EN:
            return WEEKDAYS_EN.index(name)
    return 6


def _weekday_source(rules: RuleSet) -> tuple[str, str]:
    """The article and law of the election-day weekday rule (D5: from the data, amendments
    included), e.g. ``Điều 5 Luật 85/2015/QH13`` / ``Art. 5 Law 85/2015/QH13``."""
    for rule in rules.by_family("election_day"):
        if rule.param("weekday") is not None:
            return step_cited(rules, rule.id)
    return law_named(rules)


def check_election_day(day: dt.date, rules: RuleSet | None = None) -> None:
    """Refuse an election day that is not a Sunday, naming the Sundays before and after it.

    Source: the rule set's ``election_day`` rule (Luật 85/2015/QH13, Điều 5 — ngày bầu cử phải
    là ngày Chủ nhật), cited from the data.
    """
    rules = rules or ruleset(ELECTION_LAW)
    weekday = required_weekday(rules)
    if day.weekday() == weekday:
        return
    before, after = previous_sunday(day), next_sunday(day)
    source_vi, source_en = _weekday_source(rules)
    raise PlannerError(
        f"ngày bầu cử {format_date_vi(day)} không phải Chủ nhật ({source_vi}).",
        f"election day {format_date_en(day)} is not a Sunday ({source_en}).",
        field="election_day",
        hint_vi=f"Chọn Chủ nhật trước ({before.isoformat()}) hoặc sau ({after.isoformat()}).",
        hint_en=f"Choose the Sunday before ({before.isoformat()}) or after ({after.isoformat()}).",
    )


@dataclass(frozen=True, slots=True)
class TimetableRow:
    """One statutory step resolved to dates for a given election day."""

    step_id: str
    name_vi: str
    name_en: str
    kind: str
    rule: str
    offset_days: int | None
    date: dt.date | None
    start: dt.date | None
    end: dt.date | None
    time: str | None
    end_time: str | None
    scope: str | None
    status: str
    source: LegalSource
    note: str | None

    @property
    def article(self) -> str:
        """The article(s) of the legal source, e.g. ``Điều 35``."""
        return self.source.article or ""

    @property
    def first_day(self) -> dt.date | None:
        """The date, or the first day of a window."""
        return self.date or self.start

    @property
    def last_day(self) -> dt.date | None:
        """The date, or the last day of a window."""
        return self.date or self.end

    def as_dict(self) -> dict[str, Any]:
        """The JSON row: ISO dates, ``date`` for single days, ``start``/``end`` for windows."""
        return {
            "step_id": self.step_id,
            "name_vi": self.name_vi,
            "name_en": self.name_en,
            "article": self.article,
            "rule": self.rule,
            "kind": self.kind,
            "date": self.date.isoformat() if self.date else None,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "time": self.time,
            "end_time": self.end_time,
            "scope": self.scope,
            "status": self.status,
            "source": self.source.cite(),
        }


@dataclass(frozen=True, slots=True)
class Phase:
    """Where a day falls in the timetable: the last step reached, the next one, open windows."""

    day: dt.date
    previous: TimetableRow | None
    next: TimetableRow | None
    open_windows: tuple[TimetableRow, ...]

    def describe_vi(self) -> str:
        """E.g. ``Sau: Hiệp thương lần hai (E−65); tiếp theo: … (E−50)``."""
        parts = []
        if self.previous:
            parts.append(f"Đã qua: {self.previous.name_vi} ({self.previous.rule})")
        if self.next:
            parts.append(f"tiếp theo: {self.next.name_vi} ({self.next.rule})")
        else:
            parts.append("đã qua mọi mốc")
        if self.open_windows:
            parts.append("đang diễn ra: " + "; ".join(w.name_vi for w in self.open_windows))
        return "; ".join(parts)

    def describe_en(self) -> str:
        """The English twin of :meth:`describe_vi`."""
        parts = []
        if self.previous:
            parts.append(f"Passed: {self.previous.name_en} ({self.previous.rule})")
        if self.next:
            parts.append(f"next: {self.next.name_en} ({self.next.rule})")
        else:
            parts.append("every step has passed")
        if self.open_windows:
            parts.append("in progress: " + "; ".join(w.name_en for w in self.open_windows))
        return "; ".join(parts)


class Timetable:
    """Every statutory step for one election day, in date order (undated steps last)."""

    def __init__(self, election_day: dt.date, rows: list[TimetableRow]) -> None:
        self.election_day = election_day
        self.rows = sorted(
            rows,
            key=lambda r: (r.first_day is None, r.first_day or election_day, r.step_id),
        )
        self._by_id = {r.step_id: r for r in self.rows}

    def __iter__(self) -> Any:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def step(self, step_id: str) -> TimetableRow:
        """One row by step id; a bilingual error otherwise."""
        try:
            return self._by_id[step_id]
        except KeyError:
            raise UnknownIdError(
                f"không có bước '{step_id}' trong lịch bầu cử.",
                f"no step '{step_id}' in the election timetable.",
                field="step",
            ) from None

    def dated(self) -> list[TimetableRow]:
        """The rows that have a date or a window."""
        return [r for r in self.rows if r.first_day is not None]

    def is_before(self, step_id: str, day: dt.date) -> bool:
        """True when ``day`` comes before the step (before a window opens)."""
        first = self._dated_step(step_id).first_day
        return first is not None and day < first

    def is_after(self, step_id: str, day: dt.date) -> bool:
        """True when ``day`` comes after the step (after a window closes)."""
        last = self._dated_step(step_id).last_day
        return last is not None and day > last

    def _dated_step(self, step_id: str) -> TimetableRow:
        row = self.step(step_id)
        if row.first_day is None:
            raise PlannerError(
                f"bước '{step_id}' không có ngày theo luật.",
                f"step '{step_id}' has no statutory date.",
                field="step",
            )
        return row

    def phase(self, day: dt.date) -> Phase:
        """Where ``day`` falls: the last step reached, the next one and the windows open."""
        passed = [r for r in self.dated() if r.last_day is not None and r.last_day < day]
        coming = [r for r in self.dated() if r.first_day is not None and r.first_day > day]
        open_windows = tuple(
            r for r in self.dated() if r.start and r.end and r.start <= day <= r.end
        )
        today = [r for r in self.dated() if r.date == day]
        previous = max(passed, key=lambda r: (r.last_day, r.step_id), default=None)
        if today:
            previous = today[-1]
        nxt = min(coming, key=lambda r: (r.first_day, r.step_id), default=None)
        return Phase(day=day, previous=previous, next=nxt, open_windows=open_windows)


def _total_offset(rule: Rule, rules: RuleSet, key: str) -> int:
    """Offset from E of ``key`` on ``rule``, following anchors to other steps."""
    offset = int(rule.param(key, 0))
    anchor = rule.param("anchor")
    while anchor and anchor != "election_day":
        parent = rules.get(anchor)
        parent_key = "end_offset_days" if parent.param("kind") == "window" else "offset_days"
        offset += int(parent.param(parent_key, 0))
        anchor = parent.param("anchor")
    return offset


def election_timetable(election_day: dt.date, rules: RuleSet | None = None) -> Timetable:
    """The whole statutory timetable for ``election_day`` (which must be a Sunday)."""
    rules = rules or ruleset(ELECTION_LAW)
    check_election_day(election_day, rules)
    rows = []
    for rule in rules.by_family("election_step"):
        kind = str(rule.param("kind"))
        date = start = end = None
        offset: int | None = None
        if kind == "window":
            lo = _total_offset(rule, rules, "start_offset_days")
            hi = _total_offset(rule, rules, "end_offset_days")
            start = election_day + dt.timedelta(days=lo)
            end = election_day + dt.timedelta(days=hi)
            text = f"{offset_text(lo)} … {offset_text(hi)}"
        elif kind == "undated":
            text = "—"
        else:
            offset = _total_offset(rule, rules, "offset_days")
            date = election_day + dt.timedelta(days=offset)
            text = offset_text(offset)
        rows.append(
            TimetableRow(
                step_id=rule.id,
                name_vi=rule.name_vi,
                name_en=rule.name_en,
                kind=kind,
                rule=text,
                offset_days=offset,
                date=date,
                start=start,
                end=end,
                time=rule.param("time"),
                end_time=rule.param("end_time"),
                scope=rule.param("scope"),
                status=rule.status,
                source=rule.source,
                note=rule.note,
            )
        )
    return Timetable(election_day, rows)
