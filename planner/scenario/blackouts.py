"""The days a scenario keeps free of congresses: public holidays, named calendar events,
Central Committee plenums and the scenario's own ranges.

Holidays and plenums come from the calendar data of the scenario's cycle (``data/calendar``,
each with its legal source); a plenum sits on its planned or actual dates as ``milestones``
says. A range may be limited to some provinces (e.g. a local lockdown).
"""

from __future__ import annotations

import datetime as dt
import difflib

from planner.errors import PlannerError
from planner.rules.calendar import (
    CalendarData,
    Horizon,
    calendar_cycles,
    load_calendar,
    public_holidays,
)
from planner.rules.calendar import date_vi as _vi
from planner.rules.milestones import load_milestones
from planner.scenario.model import Blackout
from planner.scenario.values import Reader
from planner.tree.hierarchy import Level


def cycle_calendars(cycle: str | None) -> list[str]:
    """The calendar files of a cycle (none for a cycle the data has no calendar of, such as a
    projection: its plenums are not known)."""
    return [name for name, c in calendar_cycles().items() if c == cycle]


def scenario_blackouts(
    r: Reader,
    horizon: Horizon,
    levels: tuple[Level, ...],
    calendar_files: tuple[str, ...],
    milestones: str,
) -> tuple[Blackout, ...]:
    """Every blackout of the scenario, in the order holidays, named, plenums, ranges; an error
    in the calendar files points at the scenario's ``calendar`` key."""
    try:
        return _blackouts(r, horizon, levels, calendar_files, milestones)
    except PlannerError as exc:
        if exc.field == "calendar" and exc.file is None:
            raise r.error("calendar", exc.message_vi, exc.message_en) from None
        raise


def _blackouts(
    r: Reader,
    horizon: Horizon,
    levels: tuple[Level, ...],
    calendar_files: tuple[str, ...],
    milestones: str,
) -> tuple[Blackout, ...]:
    below = frozenset(lv for lv in levels if lv.depth > 0)
    out = _holidays(r, horizon, below)
    calendar = load_calendar(files=calendar_files)
    out += _named(r, calendar, below)
    out += _plenums(r, calendar, milestones)
    out += _ranges(r, below)
    return tuple(out)


def _holidays(r: Reader, horizon: Horizon, below: frozenset[Level]) -> list[Blackout]:
    """Public holidays (Labour Code 2019, art. 112), by default for every level below the top."""
    out: list[Blackout] = []
    if r.value("blackouts.holidays"):
        holiday_levels = r.value("blackouts.holiday_levels", below)
        for h in public_holidays(horizon.start, horizon.end):
            source = h.source.cite() if h.source else ""
            out.append(
                Blackout(
                    h.id, "holiday", h.name_vi, h.name_en, h.start, h.end, holiday_levels, source
                )
            )
    return out


def _named(r: Reader, calendar: CalendarData, below: frozenset[Level]) -> list[Blackout]:
    """The calendar's blackouts and events the scenario names (``blackouts.named``)."""
    out: list[Blackout] = []
    known = {e.id: e for e in (*calendar.blackouts, *calendar.events)}
    for name in r.value("blackouts.named"):
        if name not in known:
            close = difflib.get_close_matches(name, list(known), n=1)
            raise r.error(
                "blackouts.named",
                f"không có khoảng chặn '{name}' trong lịch của kịch bản.",
                f"no blackout '{name}' in the scenario's calendar.",
                f"Có phải '{close[0]}'?" if close else f"Có: {', '.join(known)}.",
                f"Did you mean '{close[0]}'?" if close else f"Known: {', '.join(known)}.",
            )
        event = known[name]
        source = event.source.cite() if event.source else ""
        out.append(
            Blackout(
                event.id,
                "blackout",
                event.name_vi,
                event.name_en,
                event.start,
                event.end,
                below,
                source,
            )
        )
    return out


def _plenums(r: Reader, calendar: CalendarData, milestones: str) -> list[Blackout]:
    """The Central Committee's plenums, for the levels ``blackouts.plenum_levels`` names."""
    out: list[Blackout] = []
    plenum_levels = r.value("blackouts.plenum_levels")
    if plenum_levels:
        for plenum in calendar.plenums():
            start, end = _dates_of(plenum.id, plenum.start, plenum.end, milestones)
            source = plenum.source.cite() if plenum.source else ""
            out.append(
                Blackout(
                    plenum.id,
                    "plenum",
                    plenum.name_vi,
                    plenum.name_en,
                    start,
                    end,
                    plenum_levels,
                    source,
                )
            )
    return out


def _ranges(r: Reader, below: frozenset[Level]) -> list[Blackout]:
    """The scenario's own ranges (``[[blackouts.ranges]]``)."""
    out: list[Blackout] = []
    for index, item in enumerate(r.value("blackouts.ranges")):
        key = f"blackouts.ranges[{index}]"
        sub = r.sub(item, key)
        start, end = sub.value("start"), sub.value("end")
        if start is None or end is None:
            raise r.error(
                "blackouts.ranges", f"{key} cần start và end.", f"{key} needs start and end."
            )
        if end < start:
            raise sub.error(
                "start",
                f"{key}: khoảng bị đảo ({_vi(start)} sau {_vi(end)}).",
                f"{key}: inverted range ({start} is after {end}).",
            )
        blackout_id = sub.value("id", f"range-{index + 1}")
        out.append(
            Blackout(
                id=blackout_id,
                kind="blackout",
                name_vi=sub.value("name_vi", item.get("id", f"Khoảng chặn {index + 1}")),
                name_en=sub.value("name_en", item.get("id", f"Blackout {index + 1}")),
                start=start,
                end=end,
                levels=sub.value("levels", below),
                source=sub.value("source"),
                provinces=_frozen(sub.value("provinces")),
            )
        )
    return out


def _frozen(codes: tuple[int, ...] | None) -> frozenset[int] | None:
    return frozenset(codes) if codes is not None else None


def _dates_of(event_id: str, start: dt.date, end: dt.date, which: str) -> tuple[dt.date, dt.date]:
    """An event's planned or actual dates, where the calendar data knows them."""
    milestone = load_milestones().get(event_id)
    if milestone is None:
        return start, end
    found = milestone.planned if which == "planned" else milestone.actual
    return (found.start, found.end) if found is not None else (start, end)
