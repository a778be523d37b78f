"""The validator's checks of the preparation steps (issue 20), independent of the solver.

:func:`check_steps` reads a plan's step rows (``kind`` = ``review`` | ``announce`` | ``report`` |
``approval``; ``org_id`` the congress they belong to; ``start``–``end``; ``body`` optional) and
checks every step rule of the scenario's cycle (:mod:`planner.rules.preparation`) against the plan's
congress dates:

* a review ends at least L days before its congress starts and lies inside the review window;
  the committees the whole Politburo reviews are reviewed by it;
* each body holds at most its capacity of reviews a day, and never on its unavailable days. A
  review row may span several days (a history row known only to a week): a review needs one
  available day of its range, and any set of reviews whose ranges lie inside ``[a, b]`` must fit
  in ``capacity × available days of [a, b]`` — for one-day rows, the count of each day. A review
  row with no body is counted against the review groups together;
* an announcement comes at least N working days before its congress starts;
* a report comes after its congress and within N working days of its end;
* an approval comes within N working days of the report's last day.

A row whose ``held`` column is true (a step already held: a re-plan keeps it) is a fact: its
own dates are not judged, but it counts in its body's load.

Every violation names the rule id, its Vietnamese and English names and its legal source.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from planner.analysis.validate.verdict import Violation
from planner.rules.calendar import date_vi as _vi
from planner.rules.catalogue import Rule
from planner.rules.preparation import (
    STANDING_COMMITTEE,
    STEP_KINDS,
    PreparationSettings,
    ReviewBody,
    plan_steps,
)

FAMILY = "preparation"
GROUPS = "groups"  # the pool of review groups, for review rows that name no body
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class StepViolation:
    """A broken step rule; :meth:`violation` makes it a verdict's violation of a family."""

    units: tuple[str, ...]
    dates: tuple[dt.date, ...]
    message_vi: str
    message_en: str
    rule: str
    source: str

    def violation(self, family: str) -> Violation:
        """The violation of ``family`` (``preparation``, or ``completeness`` for a missing row)."""
        return Violation(
            family=family,
            units=self.units,
            dates=self.dates,
            message_vi=self.message_vi,
            message_en=self.message_en,
            rule=self.rule,
            source=self.source,
        )


@dataclass(frozen=True, slots=True)
class _Row:
    org_id: str
    kind: str
    start: dt.date
    end: dt.date
    body: str | None
    rule: str | None
    held: bool = False  # already held (the plan's ``held`` column): a fact, not checked


def step_rows(frame: pd.DataFrame) -> list[_Row]:
    """The plan's step rows (any order; rows without dates are skipped)."""
    steps = frame[frame["kind"].isin(STEP_KINDS)]
    bodies = steps["body"] if "body" in steps.columns else [None] * len(steps)
    held = steps["held"] if "held" in steps.columns else [False] * len(steps)
    out = []
    for row, body, done in zip(steps.itertuples(index=False), bodies, held, strict=True):
        if row.start is None or row.end is None or row.org_id is None:
            continue
        out.append(
            _Row(
                str(row.org_id),
                str(row.kind),
                row.start,  # type: ignore[arg-type]
                row.end,  # type: ignore[arg-type]
                str(body) if isinstance(body, str) and body else None,
                str(row.rule) if isinstance(row.rule, str) and row.rule else None,
                done in (True,),  # a Python or NumPy true; NaN and None are not
            )
        )
    return out


class _StepChecker:
    def __init__(
        self,
        settings: PreparationSettings,
        dates: Mapping[str, tuple[dt.date, dt.date]],
        names: Mapping[str, tuple[str, str]],
    ) -> None:
        self.s = settings
        self.dates = dates
        self.names = names
        self.out: list[StepViolation] = []

    def add(
        self, rule: Rule, units: Iterable[str], days: Iterable[dt.date], vi: str, en: str
    ) -> None:
        cited = rule.source.cite()
        self.out.append(
            StepViolation(
                units=tuple(units),
                dates=tuple(sorted(set(days))),
                message_vi=f"{vi} [{rule.id} — {rule.name_vi} — {cited}]",
                message_en=f"{en} [{rule.id} — {rule.name_en} — {cited}]",
                rule=rule.id,
                source=cited,
            )
        )

    def name(self, org_id: str) -> tuple[str, str]:
        vi, en = self.names.get(org_id, (org_id, org_id))
        return f"{vi} ({org_id})", f"{en} ({org_id})"

    # reviews ---------------------------------------------------------------------------------
    def review(self, row: _Row, rule: Rule) -> None:
        start, _end = self.dates[row.org_id]
        vi, en = self.name(row.org_id)
        latest = self.s.review_latest(start)
        lead = self.s.review_lead_days
        if row.end > latest:
            self.add(
                rule,
                [row.org_id],
                [row.end, start],
                f"Cấp trên duyệt {vi} đến {_vi(row.end)}, chưa đủ {lead} ngày trước đại hội "
                f"({_vi(start)}; hạn {_vi(latest)}).",
                f"The review of the {en} ends on {row.end}, less than {lead} days before its "
                f"congress ({start}; due by {latest}).",
            )
        window = self.s.review_window
        if window is not None and (row.start < window[0] or row.end > window[1]):
            self.add(
                rule,
                [row.org_id],
                [row.start, row.end, *window],
                f"Cấp trên duyệt {vi} ({_vi(row.start)}–{_vi(row.end)}) ngoài khoảng duyệt "
                f"{_vi(window[0])}–{_vi(window[1])}.",
                f"The review of the {en} ({row.start} – {row.end}) is outside the review window "
                f"{window[0]} – {window[1]}.",
            )
        whole = self.s.data.reviewer_of(row.org_id)
        if whole is not None and row.body is not None and row.body != whole.id:
            self.add(
                rule,
                [row.org_id],
                [row.start],
                f"{vi} phải do {whole.name_vi} duyệt, kế hoạch ghi '{row.body}'.",
                f"The {en} is reviewed by {whole.name_en}; the plan says '{row.body}'.",
            )

    def body_of(self, row: _Row) -> str:
        """The body a review counts against: its own, the whole Politburo for the committees
        it reviews, else the pool of review groups."""
        if row.body is not None:
            return row.body
        whole = self.s.data.reviewer_of(row.org_id)
        return whole.id if whole is not None else GROUPS

    def capacity(self, body_id: str) -> tuple[int, ReviewBody | None, tuple[str, str]]:
        """(reviews a day, the body or None for the groups' pool, its names)."""
        if body_id == GROUPS:
            groups = self.s.data.groups()
            return (
                self.s.group_capacity * len(groups),
                groups[0] if groups else None,
                ("các tổ công tác", "the review groups"),
            )
        body = self.s.data.body(body_id)
        return self.s.capacity(body), body, (body.name_vi, body.name_en)

    def loads(self, rows: list[_Row], rule: Rule) -> None:
        """Each body: no review on an unavailable day, at most its capacity a day."""
        by_body: dict[str, list[_Row]] = defaultdict(list)
        known = {b.id for b in self.s.data.bodies}
        for row in rows:
            body_id = self.body_of(row)
            if body_id != GROUPS and body_id not in known:
                vi, en = self.name(row.org_id)
                self.add(
                    rule,
                    [row.org_id],
                    [row.start],
                    f"Dòng duyệt {vi} ghi cơ quan '{body_id}' không có trong dữ liệu; có: "
                    f"{', '.join(sorted(known))}.",
                    f"The review of the {en} names a body '{body_id}' the data does not have; "
                    f"known: {', '.join(sorted(known))}.",
                )
                continue
            by_body[body_id].append(row)
        for body_id, items in sorted(by_body.items()):
            self.body_load(body_id, items, rule)

    def free_days(self, body: ReviewBody | None, a: dt.date, b: dt.date) -> list[dt.date]:
        days = []
        day = a
        while day <= b:
            if body is None or self.s.unavailable(body, day) is None:
                days.append(day)
            day += ONE_DAY
        return days

    def body_load(self, body_id: str, rows: list[_Row], rule: Rule) -> None:
        cap, body, (bvi, ben) = self.capacity(body_id)
        blocked = [r for r in rows if body is not None and not self.free_days(body, r.start, r.end)]
        rows = [r for r in rows if r not in blocked]  # the capacity check counts the others
        for row in (r for r in blocked if not r.held):
            if body is not None:
                why_vi, why_en = self.s.unavailable(body, row.start) or ("", "")
                vi, en = self.name(row.org_id)
                self.add(
                    rule,
                    [row.org_id],
                    [row.start, row.end],
                    f"{bvi} không làm việc {_vi(row.start)} ({why_vi}) mà kế hoạch xếp duyệt {vi}.",
                    f"{ben} does not sit on {row.start} ({why_en}), yet the plan reviews the "
                    f"{en} then.",
                )
        ranges = sorted(
            ((a, b) for a in {r.start for r in rows} for b in {r.end for r in rows} if a <= b),
            key=lambda ab: ((ab[1] - ab[0]).days, ab),
        )
        reported: list[tuple[dt.date, dt.date]] = []
        for a, b in ranges:  # shortest first; a range holding a reported one is not repeated
            if any(a <= x and y <= b for x, y in reported):
                continue
            inside = [r for r in rows if a <= r.start and r.end <= b]
            room = cap * len(self.free_days(body, a, b))
            if len(inside) > room and not all(r.held for r in inside):
                reported.append((a, b))
                ids = tuple(sorted(r.org_id for r in inside))
                self.over(rule, (bvi, ben), cap, room, (a, b), ids)

    def over(
        self,
        rule: Rule,
        body: tuple[str, str],
        cap: int,
        room: int,
        span: tuple[dt.date, dt.date],
        ids: tuple[str, ...],
    ) -> None:
        """A body over its capacity in ``span``."""
        a, b = span
        span_vi = _vi(a) if a == b else f"{_vi(a)}–{_vi(b)}"
        span_en = str(a) if a == b else f"{a} – {b}"
        self.add(
            rule,
            list(ids),
            [a, b],
            f"{body[0]} có {len(ids)} cuộc duyệt trong {span_vi} ({', '.join(ids)}), "
            f"quá sức chứa {cap} cuộc một ngày ({room} cho khoảng này).",
            f"{body[1]} has {len(ids)} reviews in {span_en} ({', '.join(ids)}), over "
            f"its capacity of {cap} a day ({room} for this range).",
        )

    # announce, report, approval --------------------------------------------------------------
    def announce(self, row: _Row, rule: Rule) -> None:
        start, _end = self.dates[row.org_id]
        latest = self.s.announce_latest(start)
        if row.end > latest:
            n = self.s.announce_working_days
            vi, en = self.name(row.org_id)
            self.add(
                rule,
                [row.org_id],
                [row.end, start],
                f"Thông báo khai mạc đại hội {vi} ngày {_vi(row.end)}, chưa đủ {n} ngày làm việc "
                f"trước {_vi(start)} (hạn {_vi(latest)}).",
                f"The opening of the {en} is announced on {row.end}, less than {n} working days "
                f"before {start} (due by {latest}).",
            )

    def report(self, row: _Row, rule: Rule) -> None:
        _start, end = self.dates[row.org_id]
        latest = self.s.report_latest(end)
        n = self.s.report_working_days
        vi, en = self.name(row.org_id)
        if row.start < end or row.end > latest:
            self.add(
                rule,
                [row.org_id],
                [row.start, row.end, end],
                f"Báo cáo kết quả đại hội {vi} ({_vi(row.start)}–{_vi(row.end)}) phải sau bế mạc "
                f"{_vi(end)} và trong {n} ngày làm việc (hạn {_vi(latest)}).",
                f"The results report of the {en} ({row.start} – {row.end}) must follow the close "
                f"on {end} within {n} working days (due by {latest}).",
            )

    def approval(self, row: _Row, rule: Rule, report: _Row | None) -> None:
        _start, end = self.dates[row.org_id]
        basis = report.end if report is not None else self.s.report_latest(end)
        latest = self.s.approval_latest(basis)
        n = self.s.approval_working_days
        vi, en = self.name(row.org_id)
        if row.start < end or row.end > latest:
            self.add(
                rule,
                [row.org_id],
                [row.start, row.end, basis],
                f"Chuẩn y kết quả đại hội {vi} ({_vi(row.start)}–{_vi(row.end)}) phải trong {n} "
                f"ngày làm việc sau báo cáo ({_vi(basis)}; hạn {_vi(latest)}).",
                f"The approval of the {en} results ({row.start} – {row.end}) must come within {n} "
                f"working days of the report ({basis}; due by {latest}).",
            )

    def lower(self, row: _Row, rule: Rule) -> None:
        start, _end = self.dates[row.org_id]
        latest = self.s.lower_latest(start)
        if row.end > latest:
            n = self.s.lower_approval_working_days
            vi, en = self.name(row.org_id)
            self.add(
                rule,
                [row.org_id],
                [row.end, start],
                f"Cấp trên duyệt nội dung đại hội {vi} ngày {_vi(row.end)}, chưa đủ {n} ngày làm "
                f"việc trước khai mạc {_vi(start)}.",
                f"The contents of the {en} are approved on {row.end}, less than {n} working days "
                f"before the opening on {start}.",
            )


def check_steps(
    settings: PreparationSettings | None,
    frame: pd.DataFrame,
    dates: Mapping[str, tuple[dt.date, dt.date]],
    names: Mapping[str, tuple[str, str]],
) -> list[StepViolation]:
    """Every step rule checked on the plan's step rows: the rules tied to a congress's dates
    where the plan dates it, the bodies' loads on every review row (nothing for a cycle without
    preparation data)."""
    if settings is None or not settings.active or "kind" not in frame.columns:
        return []
    rules = {f: settings.rule(f) for f in ("review", "announce", "report", "approval")}
    lower = settings.rule("lower_approval")
    checker = _StepChecker(settings, dates, names)
    every = [r for r in step_rows(frame) if r.org_id in names]
    rows = [r for r in every if r.org_id in dates]
    reports = {r.org_id: r for r in rows if r.kind == "report"}
    # a body's load counts every review of the plan, dated congress or not
    reviews = [
        r
        for r in every
        if r.kind == "review"
        and r.body != STANDING_COMMITTEE
        and not (lower is not None and r.rule == lower.id)
    ]
    for row in rows:
        if row.held:  # a fact: its own dates are not judged (its load still counts)
            continue
        rule = rules[row.kind]
        if (
            row.kind == "review"
            and lower is not None
            and (row.body == STANDING_COMMITTEE or row.rule == lower.id)
        ):
            checker.lower(row, lower)
        elif rule is None:
            continue
        elif row.kind == "review":
            checker.review(row, rule)
        elif row.kind == "announce":
            checker.announce(row, rule)
        elif row.kind == "report":
            checker.report(row, rule)
        else:
            checker.approval(row, rule, reports.get(row.org_id))
    review_rule = rules["review"]
    if review_rule is not None and reviews:
        checker.loads(reviews, review_rule)
    return checker.out


SHOWN_MISSING = 10  # congresses named in full in a missing-step message


def missing_steps(
    settings: PreparationSettings | None,
    frame: pd.DataFrame,
    dates: Mapping[str, tuple[dt.date, dt.date]],
    levels: Mapping[str, str],
) -> list[StepViolation]:
    """The step rows a complete plan lacks: every dated congress needs one row per step its
    cycle's rules give it (:func:`planner.rules.preparation.plan_steps`); one violation per rule,
    naming the congresses, the rule and its source (a partial plan is not asked this)."""
    if settings is None or not settings.active or "kind" not in frame.columns:
        return []
    lower = settings.rule("lower_approval")
    lower_id = lower.id if lower is not None else None
    have = {
        (
            r.org_id,
            r.kind,
            r.body == STANDING_COMMITTEE or (lower_id is not None and r.rule == lower_id),
        )
        for r in step_rows(frame)
    }
    lacking: dict[str, list[str]] = defaultdict(list)
    for step in plan_steps(settings, ((o, levels[o]) for o in dates if o in levels)):
        if (step.org_id, step.kind, step.body == STANDING_COMMITTEE) not in have:
            lacking[step.rule_id].append(step.org_id)
    rules = {r.id: r for r in settings.data.ruleset or ()}
    out = []
    for rule_id, orgs in sorted(lacking.items()):
        rule = rules[rule_id]
        ids = sorted(orgs)
        shown = ", ".join(ids[:SHOWN_MISSING]) + (" …" if len(ids) > SHOWN_MISSING else "")
        cited = rule.source.cite()
        out.append(
            StepViolation(
                units=tuple(ids),
                dates=(),
                message_vi=f"{len(ids)} đại hội thiếu dòng bước chuẩn bị «{rule.name_vi}»: "
                f"{shown} [{rule.id} — {cited}].",
                message_en=f"{len(ids)} congresses lack their '{rule.name_en}' step row: "
                f"{shown} [{rule.id} — {cited}].",
                rule=rule.id,
                source=cited,
            )
        )
    return out
