"""The scenario's settings that are not levels or blackouts: pinned congresses, preferred start
dates, constraint families (on/off, hard/soft, weight), a projection's note and the preparation
steps (issue 20).

Families come from ``data/constraints.toml``: a required family stays on and hard; preferred
dates are soft only. Preparation defaults come from the cycle's data (``data/preparation``).
"""

from __future__ import annotations

import datetime as dt

from planner.rules.calendar import Horizon
from planner.rules.calendar import date_vi as _vi
from planner.rules.families import catalogue
from planner.rules.preparation import (
    PreparationSettings,
    body_days_off,
    load_preparation,
    with_groups,
)
from planner.scenario.model import FamilySetting, Pin, Preference, Projection
from planner.scenario.values import Reader
from planner.tree.hierarchy import Level


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


def read_pins(r: Reader) -> tuple[Pin, ...]:
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


def read_preferences(r: Reader) -> tuple[Preference, ...]:
    return tuple(
        Preference(org, start, sub.value("weight")) for sub, org, start in _entries(r, "preferred")
    )


def read_families(r: Reader) -> dict[str, FamilySetting]:
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


def read_projection(r: Reader) -> Projection | None:
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


def read_preparation(
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
