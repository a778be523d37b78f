"""The reviewers' capacity as an analytic pre-check (issue 20, point 3): a pigeonhole per body.

Each centrally-directed committee's review sits in the review window and at least L days before
its congress (``review`` family; PREPARATION §2.2, §8). With the latest start every congress can
have (:func:`planner.analysis.precheck.chain_bounds`), the review of each committee has a deadline
``D``
(the window's end, or L days before that latest start, whichever is first). For each reviewing
body (the whole Politburo; the review groups together), the reviews whose deadline is at most
``D`` must all sit in ``[window opens, D]``: when they outnumber the body's places there
(capacity a day × the days it sits, less Sundays, holidays, plenums, the National Congress),
no plan exists. The check is a relaxation (every congress as late as it can be), so what it
refuses is truly infeasible, and the changes it names — more groups, more capacity, an earlier
window, a shorter lead — are the least each one must be (necessary, not always enough; the
diagnosis verifies them by solving).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from planner.analysis.precheck import Bounds, Conflict, source_of
from planner.problem.units import Problem
from planner.rules.calendar import date_vi as _vi
from planner.rules.preparation import (
    STANDING_COMMITTEE,
    PreparationSettings,
    ReviewBody,
    plan_steps,
    with_groups,
)

ONE_DAY = dt.timedelta(days=1)
GROUPS = "groups"  # the review groups, counted together (interchangeable one-day sessions)
MAX_GROUPS = 30
MAX_CAPACITY = 60


@dataclass(frozen=True)
class Shortfall:
    """Reviews of one body that cannot fit: ``need`` reviews in ``start``–``deadline``, ``room``
    places."""

    body: str  # a body id, or GROUPS
    start: dt.date
    deadline: dt.date
    need: int
    room: int
    units: tuple[str, ...]


@dataclass(frozen=True)
class Fixes:
    """The least change of each key that removes every shortfall (None: that key cannot)."""

    groups: int | None
    capacity: int | None
    opens: dt.date | None
    lead: int | None


def _latest_starts(problem: Problem, bounds: Bounds) -> dict[str, dt.date]:
    out = {}
    for unit in problem.units:
        index = bounds.latest.get(unit.org_id)
        if index is not None:
            out[unit.org_id] = problem.horizon.start + ONE_DAY * index
    return out


def _reviews(problem: Problem, settings: PreparationSettings) -> dict[str, str]:
    """Org id → the body key of its review (a whole body's id, or :data:`GROUPS`)."""
    if not problem.scenario.hard("review"):
        return {}
    units = ((u.org_id, u.level.value) for u in problem.units)
    return {
        s.org_id: s.body or GROUPS
        for s in plan_steps(settings, units)
        if s.kind == "review" and s.body != STANDING_COMMITTEE
    }


def shortfall(
    settings: PreparationSettings, reviews: Mapping[str, str], latest: Mapping[str, dt.date]
) -> Shortfall | None:
    """The worst shortfall of any body (most reviews over its places), or None: they fit."""
    window = settings.review_window
    if window is None or not reviews:
        return None
    worst: Shortfall | None = None
    for key in sorted(set(reviews.values())):
        bodies: list[ReviewBody] = (
            list(settings.data.groups()) if key == GROUPS else [settings.data.body(key)]
        )
        deadlines = sorted(
            (min(window[1], settings.review_latest(latest[o])), o)
            for o, k in reviews.items()
            if k == key and o in latest
        )
        room, day = 0, window[0]
        for count, (deadline, _org) in enumerate(deadlines, start=1):
            while day <= deadline:
                room += sum(
                    settings.capacity(b) for b in bodies if not settings.unavailable(b, day)
                )
                day += ONE_DAY
            if count < len(deadlines) and deadlines[count][0] == deadline:
                continue
            if count > room and (worst is None or count - room > worst.need - worst.room):
                units = tuple(o for _d, o in deadlines[:count])
                worst = Shortfall(key, window[0], deadline, count, room, units)
    return worst


def _least(ok: Callable[[int], bool], first: int, last: int) -> int | None:
    """The smallest value in ``first``–``last`` (stepping by one) that ``ok`` accepts."""
    for value in range(first, last + 1):
        if ok(value):
            return value
    return None


def fixes(
    problem: Problem,
    settings: PreparationSettings,
    reviews: Mapping[str, str],
    latest: Mapping[str, dt.date],
) -> Fixes:
    """The least number of groups, capacity, earliest opening and longest lead that fit."""
    window = settings.review_window
    assert window is not None

    def fits(changed: PreparationSettings) -> bool:
        return shortfall(changed, reviews, latest) is None

    groups = len(settings.data.groups())
    more = _least(
        lambda g: fits(dataclasses.replace(settings, data=with_groups(settings.data, g))),
        groups + 1,
        groups + MAX_GROUPS,
    )
    capacity = _least(
        lambda c: fits(dataclasses.replace(settings, group_capacity=c)),
        settings.group_capacity + 1,
        settings.group_capacity + MAX_CAPACITY,
    )
    span = (window[0] - problem.horizon.start).days
    earlier = _least(
        lambda k: fits(
            dataclasses.replace(settings, review_window=(window[0] - ONE_DAY * k, window[1]))
        ),
        1,
        span,
    )
    lead = settings.review_lead_days
    shorter = _least(
        lambda k: fits(dataclasses.replace(settings, review_lead_days=lead - k)), 1, lead
    )
    return Fixes(
        groups=more,
        capacity=capacity,
        opens=window[0] - ONE_DAY * earlier if earlier is not None else None,
        lead=lead - shorter if shorter is not None else None,
    )


def _ways(settings: PreparationSettings, found: Fixes, whole: bool) -> tuple[list[str], list[str]]:
    """The changes, as sentences with their ``--set`` keys (Vietnamese, English)."""
    vi: list[str] = []
    en: list[str] = []
    groups = len(settings.data.groups())
    if not whole and found.groups is not None:
        add = found.groups - groups
        vi.append(f"thêm {add} tổ công tác (preparation.review_groups = {found.groups})")
        word = "group" if add == 1 else "groups"
        en.append(f"add {add} review {word} (preparation.review_groups = {found.groups})")
    if not whole and found.capacity is not None:
        vi.append(
            f"nâng sức chứa mỗi tổ lên {found.capacity} lượt/ngày "
            f"(preparation.group_capacity = {found.capacity})"
        )
        en.append(
            f"raise each group's capacity to {found.capacity} a day "
            f"(preparation.group_capacity = {found.capacity})"
        )
    window = settings.review_window
    assert window is not None
    if found.opens is not None:
        vi.append(f"mở khoảng duyệt từ {_vi(found.opens)} (preparation.review_window)")
        en.append(f"open the review window on {found.opens} (preparation.review_window)")
    if found.lead is not None:
        vi.append(
            f"rút khoảng cách duyệt–đại hội xuống {found.lead} ngày "
            f"(preparation.review_lead_days = {found.lead})"
        )
        en.append(
            f"shorten the review lead to {found.lead} days "
            f"(preparation.review_lead_days = {found.lead})"
        )
    return vi, en


def review_capacity(problem: Problem, bounds: Bounds) -> list[Conflict]:
    """The reviewers' capacity pigeonhole (see the module docstring): one conflict, or none."""
    settings = problem.scenario.preparation
    if settings is None or not settings.active or settings.review_window is None:
        return []
    reviews = _reviews(problem, settings)
    latest = _latest_starts(problem, bounds)
    short = shortfall(settings, reviews, latest)
    if short is None:
        return []
    whole = short.body != GROUPS
    found = fixes(problem, settings, reviews, latest)
    ways_vi, ways_en = _ways(settings, found, whole)
    if whole:
        body = settings.data.body(short.body)
        who_vi = f"{body.name_vi} ({body.capacity} lượt/ngày)"
        who_en = f"{body.name_en} ({body.capacity} a day)"
    else:
        groups = len(settings.data.groups())
        who_vi = f"{groups} tổ công tác × {settings.group_capacity} lượt/ngày"
        who_en = (
            f"{groups} review group{'s' if groups != 1 else ''} × {settings.group_capacity} a day"
        )
    lead = settings.review_lead_days
    source = source_of(problem, "review")
    unit = "ngày làm việc" if settings.review_lead_unit == "working" else "ngày"
    unit_en = "working days" if settings.review_lead_unit == "working" else "days"
    vi = (
        f"{short.need} cuộc duyệt không thể xếp trong {_vi(short.start)}–{_vi(short.deadline)} "
        f"(khoảng duyệt mở {_vi(short.start)}; duyệt xong ít nhất {lead} {unit} trước đại hội, "
        f"đại hội muộn nhất có thể) với {who_vi}: chỉ có {short.room} chỗ. "
        f"Cách gỡ (mỗi cách là mức tối thiểu, chưa chắc đủ): "
        f"{'; hoặc '.join(ways_vi) or 'không có'}. "
        f"[{source}]"
    )
    en = (
        f"{short.need} reviews cannot fit between {short.start} and {short.deadline} (the review "
        f"window opens {short.start}; each review at least {lead} {unit_en} before its congress, "
        f"congresses as late as they can be) with {who_en}: only {short.room} places. "
        f"Ways out (each the least needed, not always enough): {'; or '.join(ways_en) or 'none'}. "
        f"[{source}]"
    )
    return [
        Conflict(
            families=["review"],
            units=list(short.units),
            dates=[short.start, short.deadline],
            message_vi=vi,
            message_en=en,
            sources=[source],
        )
    ]


Change = Callable[[int], tuple[str, object, str, str]]


def review_changes(
    settings: PreparationSettings, horizon_start: dt.date
) -> list[tuple[Change, int, int]]:
    """The monotone relaxations of the ``review`` family for the diagnosis's search: change(k)
    is (scenario key, value, Vietnamese, English) of size k, for k in lo–hi (bigger, looser)."""
    if not settings.active:
        return []
    out: list[tuple[Change, int, int]] = []
    groups = len(settings.data.groups())
    cap = settings.group_capacity
    lead = settings.review_lead_days
    window = settings.review_window

    def more_groups(k: int) -> tuple[str, object, str, str]:
        word = "group" if k == 1 else "groups"
        return (
            "preparation.review_groups",
            groups + k,
            f"Thêm {k} tổ công tác duyệt ({groups} → {groups + k} tổ)",
            f"Add {k} review {word} ({groups} → {groups + k})",
        )

    def more_capacity(k: int) -> tuple[str, object, str, str]:
        return (
            "preparation.group_capacity",
            cap + k,
            f"Nâng sức chứa mỗi tổ duyệt từ {cap} lên {cap + k} lượt/ngày",
            f"Raise each review group's capacity from {cap} to {cap + k} a day",
        )

    def shorter_lead(k: int) -> tuple[str, object, str, str]:
        return (
            "preparation.review_lead_days",
            lead - k,
            f"Rút khoảng cách duyệt–đại hội từ {lead} xuống {lead - k} ngày",
            f"Shorten the review lead from {lead} to {lead - k} days",
        )

    if groups:
        out.append((more_groups, 1, MAX_GROUPS))
        out.append((more_capacity, 1, MAX_CAPACITY))
    if window is not None and window[0] > horizon_start:
        lo, hi = window

        def earlier(k: int) -> tuple[str, object, str, str]:
            new = lo - ONE_DAY * k
            return (
                "preparation.review_window",
                [new, hi],
                f"Mở khoảng duyệt sớm hơn: từ {_vi(lo)} về {_vi(new)} (−{k} ngày)",
                f"Open the review window earlier: on {new} instead of {lo} (−{k} days)",
            )

        out.append((earlier, 1, (lo - horizon_start).days))
    if lead > 0:
        out.append((shorter_lead, 1, lead))
    return out
