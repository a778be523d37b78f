"""The preparation steps of a plan on the pages (issue 20, point 3): the review, announcement,
report and approval rows of :mod:`planner.plan.frame` as tables in words — the kind, the unit, the
days, the reviewing body, the rule with its legal source and whether the data marks it VERIFIED
— and the reviews per week of each reviewing body against its capacity.

Tables only (no Streamlit calls), in the page's language; every name comes from the data
(:mod:`planner.rules.preparation`) or the catalogue (:mod:`planner.ui.words`), never a code.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pandas as pd

from planner.rules.preparation import STANDING_COMMITTEE, STEP_KINDS, PreparationSettings
from planner.ui.session import lang, t
from planner.ui.words import count_en, day, number, span, word

ONE_DAY = dt.timedelta(days=1)
KIND_ORDER = {kind: i for i, kind in enumerate(STEP_KINDS)}


def step_rows(plan: pd.DataFrame) -> pd.DataFrame:
    """The plan's preparation-step rows, by first day, kind (review first) and unit."""
    rows = plan[plan["kind"].isin(STEP_KINDS) & plan["start"].notna()]
    order = [KIND_ORDER[str(k)] for k in rows["kind"]]
    return (
        rows.assign(_order=order).sort_values(["start", "_order", "org_id"]).drop(columns="_order")
    )


def count_text(count: int) -> str:
    """``268 bước chuẩn bị`` / ``268 preparation steps``."""
    return t(f"{number(count)} bước chuẩn bị", count_en(count, "preparation step"))


def kinds_text(rows: pd.DataFrame) -> str:
    """The steps counted by kind, in words: ``Cấp trên duyệt…: 67 · Thông báo…: 67``."""
    counts = Counter(str(k) for k in rows["kind"])
    return " · ".join(f"{word(k)}: {number(counts[k])}" for k in STEP_KINDS if counts[k])


def kind_text(kind: object, body: object) -> str:
    """A step's kind in words (a lower level's contents approval named apart)."""
    return word("lower_review") if body == STANDING_COMMITTEE else word(str(kind))


def body_text(settings: PreparationSettings | None, body: object) -> str:
    """The reviewing body's name from the data (``—`` when the step has none)."""
    if body == STANDING_COMMITTEE:
        return word("standing_committee")
    if not isinstance(body, str) or not body or settings is None:
        return word("empty")
    for found in settings.data.bodies:
        if found.id == body:
            return found.name_en if lang() == "en" else found.name_vi
    return word("empty")


def _rule(settings: PreparationSettings | None, rule_id: object) -> tuple[str, str]:
    """A step rule's name and status in words (``—`` when the data has no such rule)."""
    if settings is None or settings.data.ruleset is None:
        return word("empty"), word("empty")
    for rule in settings.data.ruleset.rules:
        if rule.id == rule_id:
            name = rule.name_en if lang() == "en" else rule.name_vi
            return name, word("verified" if rule.verified else "belief")
    return word("empty"), word("empty")


def _text(value: object) -> str:
    return value if isinstance(value, str) and value else word("empty")


def steps_table(plan: pd.DataFrame, settings: PreparationSettings | None) -> pd.DataFrame:
    """One line a step: kind, unit, unit id, days, reviewing body, rule, source, status."""
    rows = step_rows(plan)
    names = rows["org_name_en" if lang() == "en" else "org_name"]
    rules = [_rule(settings, r) for r in rows["rule"]]
    return pd.DataFrame(
        {
            word("step_kind"): [
                kind_text(k, b) for k, b in zip(rows["kind"], rows["body"], strict=True)
            ],
            word("unit"): [_text(n) for n in names],
            word("unit_id"): [_text(o) for o in rows["org_id"]],
            word("start"): [day(s) for s in rows["start"]],
            word("end"): [day(e) for e in rows["end"]],
            word("body"): [body_text(settings, b) for b in rows["body"]],
            word("rule"): [name for name, _status in rules],
            word("source"): [_text(s) for s in rows["source"]],
            word("rule_status"): [status for _name, status in rules],
        }
    )


def _relative(start: dt.date, end: dt.date, congress: tuple[dt.date, dt.date]) -> str:
    """Where a step falls against its congress: ``41 ngày trước khai mạc`` / ``…after``."""
    if end < congress[0]:
        gap = (congress[0] - end).days
        return t(f"{number(gap)} ngày trước khai mạc", f"{count_en(gap, 'day')} before it opens")
    if start > congress[1]:
        gap = (start - congress[1]).days
        return t(f"{number(gap)} ngày sau bế mạc", f"{count_en(gap, 'day')} after it closes")
    return t("trong thời gian đại hội", "during the congress")


def unit_steps(
    plan: pd.DataFrame, settings: PreparationSettings | None, org_id: str
) -> pd.DataFrame:
    """The steps of one unit's congress in date order: kind, days, before/after the congress,
    reviewing body, rule, source and status."""
    rows = step_rows(plan[plan["org_id"] == org_id])
    congress = plan[(plan["kind"] == "congress") & (plan["org_id"] == org_id)]
    dates = (congress["start"].iloc[0], congress["end"].iloc[0]) if len(congress) else None
    rules = [_rule(settings, r) for r in rows["rule"]]
    return pd.DataFrame(
        {
            word("step_kind"): [
                kind_text(k, b) for k, b in zip(rows["kind"], rows["body"], strict=True)
            ],
            word("date"): [
                day(s) if s == e else span(s, e)
                for s, e in zip(rows["start"], rows["end"], strict=True)
            ],
            word("against_congress"): [
                _relative(s, e, dates) if dates else word("empty")
                for s, e in zip(rows["start"], rows["end"], strict=True)
            ],
            word("body"): [body_text(settings, b) for b in rows["body"]],
            word("rule"): [name for name, _status in rules],
            word("source"): [_text(s) for s in rows["source"]],
            word("rule_status"): [status for _name, status in rules],
        }
    )


def _week_capacity(settings: PreparationSettings, body_id: str, monday: dt.date) -> int:
    """Reviews a body can hold in the week from ``monday``: its capacity a day times the days
    it sits (weekly days off, holidays, plenums and its own unavailable days left out)."""
    body = settings.data.body(body_id)
    days = (monday + ONE_DAY * k for k in range(7))
    return settings.capacity(body) * sum(settings.unavailable(body, d) is None for d in days)


def review_load(plan: pd.DataFrame, settings: PreparationSettings | None) -> pd.DataFrame:
    """Reviews per week and reviewing body against the reviews it can hold that week (only
    the bodies of the data: a lower level's standing committee is not a capacity resource)."""
    if settings is None:
        return pd.DataFrame([], columns=_load_columns())
    known = {b.id for b in settings.data.bodies}
    rows = plan[(plan["kind"] == "review") & plan["body"].isin(known) & plan["start"].notna()]
    load: Counter[tuple[dt.date, str]] = Counter(
        (s - ONE_DAY * s.weekday(), str(b))
        for s, b in zip(rows["start"], rows["body"], strict=True)
    )
    out: list[dict[str, str]] = []
    for (monday, body), reviews in sorted(load.items()):
        capacity = _week_capacity(settings, body, monday)
        out.append(
            {
                word("week"): day(monday),
                word("body"): body_text(settings, body),
                word("reviews"): number(reviews),
                word("capacity"): number(capacity),
                word("over_capacity"): word("yes") if reviews > capacity else word("no"),
            }
        )
    return pd.DataFrame(out, columns=_load_columns())


def _load_columns() -> list[str]:
    return [word(k) for k in ("week", "body", "reviews", "capacity", "over_capacity")]


def steps_by_day(rows: pd.DataFrame, first: dt.date, last: dt.date) -> dict[dt.date, Counter[str]]:
    """Steps under way on each day from ``first`` to ``last``, counted by kind (a report or
    approval window counts on every day it spans)."""
    out: dict[dt.date, Counter[str]] = {}
    for kind, start, end in zip(rows["kind"], rows["start"], rows["end"], strict=True):
        lo, hi = max(start, first), min(end, last)
        for k in range((hi - lo).days + 1):
            out.setdefault(lo + ONE_DAY * k, Counter())[str(kind)] += 1
    return out


def on_day(rows: pd.DataFrame, when: dt.date) -> pd.DataFrame:
    """The step rows under way on one day."""
    return rows[(rows["start"] <= when) & (rows["end"] >= when)]
