"""Preparation steps around each congress (issue 20): data, typed steps and their plan rows.

Around each congress the level above **reviews** the draft documents and the personnel plan, the
convening committee **announces** the opening date, and afterwards the new committee **reports**
its results and the level above **approves** them. The rules are data, one rule set per cycle
(``data/rules/preparation-2020.toml``, ``…-2025.toml``; ``data/preparation.toml`` says which
cycle has which, and which has none), with the **reviewing bodies** (the Politburo's review groups
and the whole Politburo: capacity a day, days off, which committees the whole body reviews).

The scenario's values (``preparation.*`` keys, defaults from the data) are a
:class:`PreparationSettings`; :func:`plan_steps` lists the typed :class:`Step` of every congress
(its bounds are functions of the congress dates), and :func:`derive_rows` turns them into plan
rows (:class:`StepRow`) for given congress dates:

* ``announce`` — on its latest allowed day: ``N`` working days before the congress starts;
* ``report`` — a window from the first working day after the congress to its deadline
  (``N`` working days after the congress ends);
* ``approval`` — a window from the report's first day to its deadline (``N`` working days after
  the report's last day);
* ``review`` — a placeholder until the solver schedules reviews: the latest day that keeps the
  lead time, lies in the review window, and finds a body available with capacity left
  (congresses taken in start order; the whole Politburo for the committees it reviews, else
  the first review group with room). When no day can hold it, the review has no row and the
  plan lists it (``frame.attrs["unplaced_reviews"]``): the congress dates leave it no room.

This module never imports the solver; :mod:`planner.analysis.validate` checks the rows
independently.

For the solver (reviews as resources): ``scenario.preparation`` is the :class:`PreparationSettings`
(``active``; ``data.bodies`` / ``data.groups()`` / ``data.reviewer_of(org_id)``; ``capacity(body)``
reviews a day; ``unavailable(body, day)``; ``review_window``; ``review_latest(start)``, the last
day a review may sit for a congress starting on ``start``). :func:`plan_steps` gives the review
:class:`Step` of each congress, ``body`` = the whole Politburo's id or None (any review group:
one optional interval per group); :meth:`Step.bounds` its allowed days. Scheduled reviews go
back through ``make_plan(…, reviews={org_id: (day, body_id)})``, which then places no
placeholder for them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from planner.errors import DataFileError
from planner.files.paths import data_dir, display_path
from planner.files.tomlio import line_of, read_toml
from planner.rules.calendar import load_calendar, public_holidays
from planner.rules.catalogue import Rule, RuleSet, ruleset_from_doc
from planner.rules.workdays import WorkCalendar, add_working_days, work_calendar
from planner.sources import LegalSource

STEP_KINDS = ("review", "announce", "report", "approval")
BODY_KINDS = ("whole", "group")
LEAD_UNITS = ("calendar", "working")
WEEKDAY_IDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# the body of a lower-level review (the superior's standing committee): not a capacity resource
STANDING_COMMITTEE = "standing-committee"
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Unavailable:
    """A range of days a reviewing body does not sit (a plenum, a holiday, a listed range)."""

    start: dt.date
    end: dt.date
    name_vi: str
    name_en: str


@dataclass(frozen=True, slots=True)
class ReviewBody:
    """A reviewing body: a Politburo review group or the whole Politburo (a solver resource)."""

    id: str
    kind: str  # "whole" | "group"
    name_vi: str
    name_en: str
    capacity: int  # reviews a day
    weekdays_off: frozenset[int]
    unavailable: tuple[Unavailable, ...]
    reviews: tuple[str, ...]  # org ids this body reviews (the whole Politburo's list)
    status: str
    source: LegalSource
    note: str | None = None


@dataclass(frozen=True)
class PreparationData:
    """One cycle's preparation data: its rule set and reviewing bodies, or none (``status``)."""

    cycle: str
    status: str  # "data" | "none"
    note_vi: str = ""
    note_en: str = ""
    ruleset: RuleSet | None = None
    bodies: tuple[ReviewBody, ...] = ()
    file: str = ""

    def rule(self, family: str) -> Rule | None:
        """The cycle's (first) rule of a family, or None."""
        if self.ruleset is None:
            return None
        found = self.ruleset.by_family(family)
        return found[0] if found else None

    def body(self, body_id: str) -> ReviewBody:
        """A reviewing body by id."""
        for body in self.bodies:
            if body.id == body_id:
                return body
        raise DataFileError(
            f"không có cơ quan duyệt '{body_id}' ({self.cycle}).",
            f"no reviewing body '{body_id}' ({self.cycle}).",
            file=self.file,
            field="bodies",
        )

    def groups(self) -> tuple[ReviewBody, ...]:
        """The review groups (the bodies that share the committees no whole body reviews)."""
        return tuple(b for b in self.bodies if b.kind == "group")

    def reviewer_of(self, org_id: str) -> ReviewBody | None:
        """The body whose list names ``org_id`` (the whole Politburo), else None: a group."""
        for body in self.bodies:
            if org_id in body.reviews:
                return body
        return None


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


def _fail(
    path: Path, text: str, anchor: str | None, field_: str, vi: str, en: str
) -> DataFileError:
    line = line_of(text, f'"{anchor}"') if anchor else None
    return DataFileError(vi, en, file=display_path(path), line=line, field=field_)


def _text(
    raw: Mapping[str, Any], key: str, path: Path, text: str, anchor: str | None, where: str
) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(
            path,
            text,
            anchor,
            f"{where}.{key}",
            f"thiếu khóa '{key}' hoặc không phải chuỗi văn bản.",
            f"key '{key}' is missing or not a non-empty string.",
        )
    return value


def _unavailable(raw: Any, path: Path, text: str, anchor: str, where: str) -> Unavailable:
    ok = isinstance(raw, dict) and all(
        isinstance(raw.get(k), dt.date) and not isinstance(raw.get(k), dt.datetime)
        for k in ("start", "end")
    )
    if not ok or raw["end"] < raw["start"]:
        raise _fail(
            path,
            text,
            anchor,
            where,
            "khoảng ngày nghỉ cần start ≤ end (YYYY-MM-DD), name_vi và name_en.",
            "an unavailable range needs start ≤ end (YYYY-MM-DD), name_vi and name_en.",
        )
    return Unavailable(
        start=raw["start"],
        end=raw["end"],
        name_vi=_text(raw, "name_vi", path, text, anchor, where),
        name_en=_text(raw, "name_en", path, text, anchor, where),
    )


def _body(raw: Any, index: int, path: Path, text: str) -> ReviewBody:
    where = f"bodies[{index}]"
    if not isinstance(raw, dict):
        raise _fail(path, text, None, where, "mục không phải bảng.", "entry is not a table.")
    body_id = _text(raw, "id", path, text, None, where)
    where = f"bodies.{body_id}"
    kind = _text(raw, "kind", path, text, body_id, where)
    capacity = raw.get("capacity")
    weekdays = raw.get("weekdays_off", [])
    reviews = raw.get("reviews", [])
    problems = [
        ("kind", kind not in BODY_KINDS, f"một trong {', '.join(BODY_KINDS)}", ""),
        (
            "capacity",
            not (isinstance(capacity, int) and not isinstance(capacity, bool))
            or not 1 <= capacity <= 1000,
            "một số nguyên 1–1000",
            "a whole number 1–1000",
        ),
        (
            "weekdays_off",
            not isinstance(weekdays, list) or any(w not in WEEKDAY_IDS for w in weekdays),
            "danh sách thứ (tiếng Anh)",
            "a list of weekdays (in English)",
        ),
        (
            "reviews",
            not isinstance(reviews, list) or any(not isinstance(o, str) for o in reviews),
            "danh sách mã đơn vị",
            "a list of org ids",
        ),
    ]
    for key, bad, must_vi, must_en in problems:
        if bad:
            raise _fail(
                path,
                text,
                body_id,
                f"{where}.{key}",
                f"'{key}' phải là {must_vi}.",
                f"'{key}' must be {must_en or must_vi}.",
            )
    src = raw.get("source")
    if not isinstance(src, dict):
        raise _fail(
            path,
            text,
            body_id,
            f"{where}.source",
            "thiếu bảng 'source'.",
            "missing 'source' table.",
        )
    ranges = raw.get("unavailable", [])
    return ReviewBody(
        id=body_id,
        kind=kind,
        name_vi=_text(raw, "name_vi", path, text, body_id, where),
        name_en=_text(raw, "name_en", path, text, body_id, where),
        capacity=int(capacity),  # type: ignore[arg-type]
        weekdays_off=frozenset(WEEKDAY_IDS.index(w) for w in weekdays),
        unavailable=tuple(
            _unavailable(r, path, text, body_id, f"{where}.unavailable[{i}]")
            for i, r in enumerate(ranges if isinstance(ranges, list) else [ranges])
        ),
        reviews=tuple(reviews),
        status=str(raw.get("status", "verified")),
        source=LegalSource(
            document=_text(src, "document", path, text, body_id, f"{where}.source"),
            url=src.get("url"),
        ),
        note=raw.get("note"),
    )


def _from_file(cycle: str, path: Path) -> PreparationData:
    doc, text = read_toml(path)
    rules = ruleset_from_doc(doc, text, path)
    head = doc.get("ruleset", {})
    if head.get("cycle") != cycle:
        raise _fail(
            path,
            text,
            None,
            "ruleset.cycle",
            f'tệp chuẩn bị phải ghi cycle = "{cycle}".',
            f'the preparation file must say cycle = "{cycle}".',
        )
    raw_bodies = doc.get("bodies", [])
    if not isinstance(raw_bodies, list):
        raise _fail(
            path,
            text,
            None,
            "bodies",
            "'bodies' phải là [[bodies]].",
            "'bodies' must be [[bodies]].",
        )
    bodies = tuple(_body(raw, i, path, text) for i, raw in enumerate(raw_bodies))
    if len({b.id for b in bodies}) != len(bodies):
        raise _fail(
            path, text, None, "bodies.id", "id cơ quan duyệt bị trùng.", "duplicate body id."
        )
    if rules.by_family("review") and not any(b.kind == "group" for b in bodies):
        raise _fail(
            path,
            text,
            None,
            "bodies",
            "có quy tắc 'review' nhưng không có tổ duyệt (kind = \"group\") nào.",
            "a 'review' rule but no review group (kind = \"group\").",
        )
    return PreparationData(
        cycle=cycle, status="data", ruleset=rules, bodies=bodies, file=display_path(path)
    )


@lru_cache(maxsize=8)
def _load(cycle: str, folder: str) -> PreparationData:
    root = Path(folder)
    index = root / "preparation.toml"
    doc, text = read_toml(index)
    cycles = doc.get("cycles", {})
    entry = cycles.get(cycle) if isinstance(cycles, dict) else None
    if entry is None:
        return PreparationData(
            cycle=cycle,
            status="none",
            note_vi=f"chu kỳ '{cycle}' không có trong data/preparation.toml.",
            note_en=f"cycle '{cycle}' is not listed in data/preparation.toml.",
        )
    where = f"cycles.{cycle}"
    status = entry.get("status") if isinstance(entry, dict) else None
    if status not in ("data", "none"):
        raise DataFileError(
            'status phải là "data" hoặc "none".',
            'status must be "data" or "none".',
            file=display_path(index),
            line=line_of(text, f"[{where}]"),
            field=f"{where}.status",
        )
    if status == "none":
        return PreparationData(
            cycle=cycle,
            status="none",
            note_vi=str(entry.get("note_vi", "")),
            note_en=str(entry.get("note_en", "")),
        )
    name = entry.get("file")
    path = root / "rules" / f"{name}.toml"
    if not isinstance(name, str) or not path.is_file():
        raise DataFileError(
            f"không có tệp quy tắc chuẩn bị '{name}' trong data/rules.",
            f"no preparation rule file '{name}' in data/rules.",
            file=display_path(index),
            line=line_of(text, f"[{where}]"),
            field=f"{where}.file",
        )
    return _from_file(cycle, path)


def load_preparation(cycle: str | None, folder: Path | None = None) -> PreparationData:
    """The preparation data of a cycle (``xiii-2020``); ``status == "none"`` when it has none."""
    if cycle is None:
        return PreparationData(
            cycle="—",
            status="none",
            note_vi="kịch bản không có chu kỳ.",
            note_en="the scenario has no cycle.",
        )
    return _load(cycle, str(folder or data_dir()))


def with_groups(data: PreparationData, count: int) -> PreparationData:
    """The data with ``count`` review groups (``preparation.review_groups``): the first
    ``count`` of the data's, or all of them and copies of the last (``group-4``, …), which is
    how the diagnosis says "add a group" (PREPARATION §2.2: 3 groups in 2020)."""
    groups = data.groups()
    if not groups or count == len(groups):
        return data
    kept = list(groups[:count])
    last = groups[-1]
    for n in range(len(groups) + 1, count + 1):
        kept.append(
            dataclasses.replace(
                last,
                id=f"group-{n}",
                name_vi=f"Tổ công tác {n} của Bộ Chính trị (thêm, giả định)",
                name_en=f"Politburo review group {n} (added, assumed)",
                status="belief",
                note=f"Added by preparation.review_groups = {count}: a copy of {last.id}.",
            )
        )
    others = tuple(b for b in data.bodies if b.kind != "group")
    return dataclasses.replace(data, bodies=others + tuple(kept))


# ---------------------------------------------------------------------------------------------
# The scenario's values
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreparationSettings:
    """The preparation values of a scenario (``preparation.*`` keys; defaults from the data)."""

    enabled: bool
    data: PreparationData
    review_lead_days: int = 0
    review_lead_unit: str = "calendar"
    review_window: tuple[dt.date, dt.date] | None = None
    review_levels: tuple[str, ...] = ()
    group_capacity: int = 2
    announce_working_days: int = 30
    report_working_days: int = 7
    approval_working_days: int = 15
    lower_approval: bool = False
    lower_approval_working_days: int = 45
    step_levels: tuple[str, ...] = ()
    calendar_files: tuple[str, ...] = ()
    # public holidays, plenums and the National Congress: no review that day (name vi, en)
    body_days_off: Mapping[dt.date, tuple[str, str]] = field(default_factory=dict)
    # central-level congresses in session a day that directing leaders can attend: a soft
    # limit, penalised and reported (None: off; UNVERIFIED, PREPARATION §3)
    attendance_limit: int | None = None

    @property
    def active(self) -> bool:
        """True when the scenario plans steps (switched on, and the cycle has data)."""
        return self.enabled and self.data.status == "data"

    @property
    def workdays(self) -> WorkCalendar:
        """The working-day calendar of the scenario's calendar files."""
        return work_calendar(self.calendar_files)

    def rule(self, family: str) -> Rule | None:
        """The cycle's rule of a family."""
        return self.data.rule(family)

    def capacity(self, body: ReviewBody) -> int:
        """Reviews a day: ``preparation.group_capacity`` for a group, the data for the whole."""
        return self.group_capacity if body.kind == "group" else body.capacity

    def unavailable(self, body: ReviewBody, day: dt.date) -> tuple[str, str] | None:
        """Why ``body`` does not sit on ``day`` (Vietnamese, English), or None."""
        if day.weekday() in body.weekdays_off:
            return ("ngày nghỉ trong tuần", "weekly day off")
        if day in self.body_days_off:
            return self.body_days_off[day]
        for item in body.unavailable:
            if item.start <= day <= item.end:
                return (item.name_vi, item.name_en)
        return None

    def review_latest(self, start: dt.date) -> dt.date:
        """The last day a review may sit for a congress starting on ``start`` (the lead only)."""
        if self.review_lead_unit == "working":
            return add_working_days(start, -self.review_lead_days, self.workdays)
        return start - ONE_DAY * self.review_lead_days

    def announce_latest(self, start: dt.date) -> dt.date:
        """The last day to announce the opening of a congress starting on ``start``."""
        return add_working_days(start, -self.announce_working_days, self.workdays)

    def report_latest(self, end: dt.date) -> dt.date:
        """The report's deadline for a congress ending on ``end``."""
        return add_working_days(end, self.report_working_days, self.workdays)

    def approval_latest(self, report_end: dt.date) -> dt.date:
        """The approval's deadline for a report whose last day is ``report_end``."""
        return add_working_days(report_end, self.approval_working_days, self.workdays)

    def lower_latest(self, start: dt.date) -> dt.date:
        """The last day the superior's standing committee may approve a lower congress's
        contents (``preparation.lower_approval``)."""
        return add_working_days(start, -self.lower_approval_working_days, self.workdays)


def body_days_off(
    calendar_files: tuple[str, ...], start: dt.date, end: dt.date
) -> dict[dt.date, tuple[str, str]]:
    """Days no reviewing body sits: public holidays, Central Committee plenums and the National
    Congress of the scenario's calendar files, between ``start`` and ``end``."""
    out: dict[dt.date, tuple[str, str]] = {}
    for holiday in public_holidays(start, end):
        out[holiday.start] = (holiday.name_vi, holiday.name_en)
    if calendar_files:
        for event in load_calendar(files=calendar_files).events:
            if event.kind in ("plenum", "national_congress"):
                for day in event.days():
                    if start <= day <= end:
                        out.setdefault(day, (event.name_vi, event.name_en))
    return out


# ---------------------------------------------------------------------------------------------
# Steps and rows
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    """One preparation step of one congress, with its rule: the problem data the solver gets.

    ``body`` is the reviewing body's id for a review: the whole Politburo's, or ``None`` when
    any review group may take it (the solver chooses); :data:`STANDING_COMMITTEE` for a lower
    level's contents approval. :meth:`bounds` gives the step's allowed days from its congress's
    dates (and, for an approval, the report's last day).
    """

    org_id: str
    kind: str
    rule_id: str
    level: str
    body: str | None = None

    def bounds(
        self,
        settings: PreparationSettings,
        start: dt.date,
        end: dt.date,
        report_end: dt.date | None = None,
    ) -> tuple[dt.date | None, dt.date]:
        """(earliest, latest) allowed day of the step (earliest None: unbounded)."""
        if self.kind == "review" and self.body == STANDING_COMMITTEE:
            return None, settings.lower_latest(start)
        if self.kind == "review":
            window = settings.review_window
            latest = settings.review_latest(start)
            if window is not None:
                return window[0], min(latest, window[1])
            return None, latest
        if self.kind == "announce":
            return None, settings.announce_latest(start)
        if self.kind == "report":
            return end + ONE_DAY, settings.report_latest(end)
        return end + ONE_DAY, settings.approval_latest(report_end or settings.report_latest(end))


@dataclass(frozen=True, slots=True)
class StepRow:
    """A step placed on days: a plan row (``kind``, ``org_id``, ``start``–``end``, ``body``)."""

    org_id: str
    kind: str
    start: dt.date
    end: dt.date
    rule_id: str
    body: str | None = None


def plan_steps(settings: PreparationSettings, units: Iterable[tuple[str, str]]) -> list[Step]:
    """The steps of the given congresses (``(org_id, level)`` pairs), as the data and the
    scenario's switches say: reviews for the review rule's level, lower-level approvals when
    ``preparation.lower_approval`` is on, announce/report/approval for ``step_levels``."""
    if not settings.active:
        return []
    review = settings.rule("review")
    lower = settings.rule("lower_approval")
    steps: list[Step] = []
    families = [(k, settings.rule(k)) for k in ("announce", "report", "approval")]
    for org_id, level in units:
        if review is not None and level in settings.review_levels:
            whole = settings.data.reviewer_of(org_id)
            steps.append(Step(org_id, "review", review.id, level, whole.id if whole else None))
        if (
            lower is not None
            and settings.lower_approval
            and level in lower.param("plan_levels", [])
        ):
            steps.append(Step(org_id, "review", lower.id, level, STANDING_COMMITTEE))
        if level in settings.step_levels:
            for kind, rule in families:
                if rule is not None and level in rule.param("levels", []):
                    steps.append(Step(org_id, kind, rule.id, level))
    return steps


class _Reviews:
    """The placeholder review schedule: each body's load a day, filled greedily."""

    def __init__(self, settings: PreparationSettings) -> None:
        self.settings = settings
        self.load: dict[tuple[str, dt.date], int] = defaultdict(int)

    def place(self, step: Step, start: dt.date, end: dt.date) -> StepRow | None:
        earliest, latest = step.bounds(self.settings, start, end)
        data = self.settings.data
        bodies = [data.body(step.body)] if step.body else list(data.groups())
        day = latest
        floor = earliest if earliest is not None else latest - ONE_DAY * 366
        while day >= floor:
            for body in bodies:
                free = self.load[(body.id, day)] < self.settings.capacity(body)
                if free and self.settings.unavailable(body, day) is None:
                    self.load[(body.id, day)] += 1
                    return StepRow(step.org_id, "review", day, day, step.rule_id, body.id)
            day -= ONE_DAY
        return None

    def book(self, row: StepRow) -> None:
        """Count a kept review on its first day: against its body, else (a body the row does
        not name) the whole Politburo for the committees it reviews, else the first review
        group with room that day."""
        data = self.settings.data
        whole = data.reviewer_of(row.org_id)
        known = {b.id for b in data.bodies}
        if row.body is not None and row.body in known:
            self.load[(row.body, row.start)] += 1
        elif whole is not None:
            self.load[(whole.id, row.start)] += 1
        else:
            for group in data.groups():
                if self.load[(group.id, row.start)] < self.settings.capacity(group):
                    self.load[(group.id, row.start)] += 1
                    return


def step_key(org_id: str, kind: str, body: str | None) -> tuple[str, str]:
    """A step's identity in a plan: its congress and kind (``lower_review`` for the approval of
    a lower congress's contents by the superior's standing committee, also of kind review)."""
    return org_id, "lower_review" if kind == "review" and body == STANDING_COMMITTEE else kind


def derive_rows(
    settings: PreparationSettings,
    steps: Iterable[Step],
    dates: Mapping[str, tuple[dt.date, dt.date]],
    unplaced: list[str] | None = None,
    reviews: Mapping[str, tuple[dt.date, str]] | None = None,
    kept: Mapping[tuple[str, str], StepRow] | None = None,
) -> list[StepRow]:
    """The plan rows of ``steps`` for the congress dates ``dates`` (org id → start, end):
    announce on its latest day, report and approval as windows ending on their deadlines, and
    the placeholder reviews (see the module's docstring). Steps of undated congresses are left
    out. A review no day can hold (the congress starts too early for the lead time and the
    window, or every body is full or off) gets no row: its org id is appended to ``unplaced``
    — until the solver schedules reviews, only a plan that says so is honest about it.
    ``reviews`` (org id → (day, body id)) are reviews already scheduled (by the solver): they
    are used as they are, and count against their body's capacity before any placeholder.
    ``kept`` (:func:`step_key` → row) are rows kept as they are (a re-plan: held steps, and the
    steps of congresses that did not move); a kept review fills its body's day first.
    Deterministic: congresses are taken in (start, org id) order."""
    ordered = sorted(
        (s for s in steps if s.org_id in dates), key=lambda s: (dates[s.org_id][0], s.org_id)
    )
    placer = _Reviews(settings)
    fixed = dict(reviews or {})
    for day, body in fixed.values():
        placer.load[(body, day)] += 1
    kept = kept or {}
    for key, row in kept.items():
        if key[1] == "review":
            placer.book(row)
    rows: list[StepRow] = []
    reports: dict[str, StepRow] = {}
    for step in ordered:
        start, end = dates[step.org_id]
        own = kept.get(step_key(step.org_id, step.kind, step.body))
        if own is not None:
            own = replace(own, rule_id=step.rule_id)  # a hand-typed row may name no rule
            rows.append(own)
            if own.kind == "report":
                reports[step.org_id] = own
            continue
        if step.kind == "review" and step.body != STANDING_COMMITTEE:
            if step.org_id in fixed:
                day, body = fixed[step.org_id]
                rows.append(StepRow(step.org_id, "review", day, day, step.rule_id, body))
                continue
            placed = placer.place(step, start, end)
            if placed is not None:
                rows.append(placed)
            elif unplaced is not None:
                unplaced.append(step.org_id)
            continue
        _, latest = step.bounds(settings, start, end)
        if step.kind == "review":
            rows.append(StepRow(step.org_id, "review", latest, latest, step.rule_id, step.body))
        elif step.kind == "announce":
            rows.append(StepRow(step.org_id, "announce", latest, latest, step.rule_id))
        elif step.kind == "report":
            first = _next_working(settings, end)
            row = StepRow(step.org_id, "report", min(first, latest), latest, step.rule_id)
            reports[step.org_id] = row
            rows.append(row)
        else:
            report = reports.get(step.org_id)
            first = report.start if report else _next_working(settings, end)
            _, latest = step.bounds(settings, start, end, report.end if report else None)
            rows.append(StepRow(step.org_id, "approval", first, latest, step.rule_id))
    return rows


# What a step row is called in a plan, before the organisation's name.
STEP_NAMES: dict[str, tuple[str, str]] = {
    "review": ("Cấp trên duyệt văn kiện và phương án nhân sự", "Review of documents and personnel"),
    "lower_review": ("Cấp trên duyệt nội dung đại hội", "Congress contents approved above"),
    "announce": ("Thông báo ngày khai mạc đại hội", "Congress opening announced"),
    "report": ("Báo cáo kết quả đại hội lên cấp trên", "Congress results reported above"),
    "approval": ("Cấp trên chuẩn y kết quả bầu cử", "Election results approved above"),
}


def step_name(
    settings: PreparationSettings, row: StepRow, org_vi: str, org_en: str
) -> tuple[str, str]:
    """The plan's name of a step row: what, whose, and by which body (Vietnamese, English)."""
    kind = "lower_review" if row.body == STANDING_COMMITTEE else row.kind
    what_vi, what_en = STEP_NAMES[kind]
    name_vi, name_en = f"{what_vi}: {org_vi}", f"{what_en}: {org_en}"
    if row.body and row.body != STANDING_COMMITTEE:
        body = settings.data.body(row.body)
        name_vi, name_en = f"{name_vi} ({body.name_vi})", f"{name_en} ({body.name_en})"
    return name_vi, name_en


def _next_working(settings: PreparationSettings, day: dt.date) -> dt.date:
    return add_working_days(day, 1, settings.workdays)
