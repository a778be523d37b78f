"""National congresses and plenums of every cycle, with planned and actual dates kept apart.

Read from ``data/calendar/*.toml`` (one file per cycle). An event's ``start``/``end`` are the
dates the planner uses and ``basis`` says what they are (``planned``, ``actual``, or
``belief``); the other dates go in ``planned_start``/``planned_end`` or
``actual_start``/``actual_end``. Example (CYCLES §2.3): the 13th Congress was planned
25/1–2/2/2021 and closed on 1/2/2021; the 14th was planned 19–25/1/2026 and closed on
23/1/2026. A plan can be checked against either
(:meth:`Milestone.deviation`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from planner.errors import DataFileError, UnknownIdError
from planner.files.paths import data_dir, display_path
from planner.files.tomlio import line_of, read_toml
from planner.rules.calendar import CalendarEvent, _parse_event
from planner.sources import LegalSource

Which = Literal["planned", "actual"]
BASES = ("planned", "actual", "belief")
KINDS = ("plenum", "national_congress")


@dataclass(frozen=True, slots=True)
class Dates:
    """A first and last day (inclusive) with where they come from."""

    start: dt.date
    end: dt.date
    source: LegalSource | None = None


@dataclass(frozen=True, slots=True)
class Milestone:
    """A national congress or a plenum: the planner's dates, and planned / actual where known."""

    event: CalendarEvent
    cycle: str | None
    basis: str
    planned: Dates | None
    actual: Dates | None

    @property
    def id(self) -> str:
        """The event id, e.g. ``congress.xiv``."""
        return self.event.id

    def dates(self, which: Which) -> Dates:
        """The planned or the actual dates; a bilingual error when they are not known."""
        found = self.planned if which == "planned" else self.actual
        if found is None:
            raise UnknownIdError(
                f"'{self.id}' không có ngày {'dự kiến' if which == 'planned' else 'thực tế'}.",
                f"'{self.id}' has no {which} dates.",
                field=which,
            )
        return found

    def deviation(self, start: dt.date, end: dt.date, which: Which) -> tuple[int, int]:
        """Days by which ``start``/``end`` differ from the planned or actual dates (+ = later)."""
        ref = self.dates(which)
        return (start - ref.start).days, (end - ref.end).days

    def shortened_by(self) -> int | None:
        """Days the event ended earlier than planned (negative: later), None if unknown."""
        if self.planned is None or self.actual is None:
            return None
        return (self.planned.end - self.actual.end).days


def _pair(raw: dict[str, Any], prefix: str, event_id: str, path: Path, text: str) -> Dates | None:
    start, end = raw.get(f"{prefix}_start"), raw.get(f"{prefix}_end")
    if start is None and end is None:
        return None
    where = line_of(text, f'"{event_id}"')
    for key, value in ((f"{prefix}_start", start), (f"{prefix}_end", end)):
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise DataFileError(
                f"'{key}' phải là ngày dạng YYYY-MM-DD (cần cả {prefix}_start và {prefix}_end).",
                f"'{key}' must be a date written YYYY-MM-DD (both {prefix}_start and "
                f"{prefix}_end are needed).",
                file=display_path(path),
                line=where,
                field=f"events.{event_id}.{key}",
            )
    assert isinstance(start, dt.date) and isinstance(end, dt.date)
    if end < start:
        raise DataFileError(
            f"khoảng ngày {prefix} bị đảo ({start} sau {end}).",
            f"inverted {prefix} range ({start} is after {end}).",
            file=display_path(path),
            line=where,
            field=f"events.{event_id}.{prefix}_end",
            hint_vi=f"Đổi chỗ {prefix}_start và {prefix}_end.",
            hint_en=f"Swap {prefix}_start and {prefix}_end.",
        )
    src = raw.get(f"{prefix}_source")
    source = (
        LegalSource(document=str(src.get("document", "")), url=src.get("url"))
        if isinstance(src, dict)
        else None
    )
    return Dates(start, end, source)


def _milestone(raw: Any, cycle: str | None, path: Path, text: str) -> Milestone:
    event = _parse_event(raw, "events", path, text)
    basis = raw.get("basis", "actual")
    if basis not in BASES:
        raise DataFileError(
            f"basis = '{basis}' không hợp lệ; dùng một trong: {', '.join(BASES)}.",
            f"basis = '{basis}' is invalid; use one of: {', '.join(BASES)}.",
            file=display_path(path),
            line=line_of(text, f'"{event.id}"'),
            field=f"events.{event.id}.basis",
        )
    if basis in ("planned", "actual") and f"{basis}_start" in raw:
        raise DataFileError(
            f"basis = '{basis}': start/end đã là ngày {basis}, bỏ {basis}_start/{basis}_end.",
            f"basis = '{basis}': start/end already are the {basis} dates; drop "
            f"{basis}_start/{basis}_end.",
            file=display_path(path),
            line=line_of(text, f"{basis}_start"),
            field=f"events.{event.id}.{basis}_start",
        )
    own = Dates(event.start, event.end, event.source)
    planned = own if basis == "planned" else _pair(raw, "planned", event.id, path, text)
    actual = own if basis == "actual" else _pair(raw, "actual", event.id, path, text)
    return Milestone(event=event, cycle=cycle, basis=basis, planned=planned, actual=actual)


@lru_cache(maxsize=4)
def _load(folder: str) -> dict[str, Milestone]:
    root = Path(folder)
    out: dict[str, Milestone] = {}
    for path in sorted(root.glob("*.toml")):
        doc, text = read_toml(path)
        cycle = doc.get("cycle")
        for raw in doc.get("events", []):
            if isinstance(raw, dict) and raw.get("kind") not in KINDS:
                continue
            milestone = _milestone(raw, cycle, path, text)
            if milestone.id in out:
                raise DataFileError(
                    f"sự kiện '{milestone.id}' có ở hai nơi.",
                    f"event '{milestone.id}' is defined twice.",
                    file=display_path(path),
                    line=line_of(text, f'"{milestone.id}"'),
                    field=f"events.{milestone.id}.id",
                )
            out[milestone.id] = milestone
    return out


def load_milestones(folder: Path | None = None) -> dict[str, Milestone]:
    """Every national congress and plenum of every cycle, by event id."""
    return _load(str(folder or data_dir() / "calendar"))


def milestones_of(cycle: str, folder: Path | None = None) -> list[Milestone]:
    """The milestones of one cycle (``xii-2015``, ``xiii-2020``, ``xiv-2025``), in date order."""
    found = [m for m in load_milestones(folder).values() if m.cycle == cycle]
    return sorted(found, key=lambda m: m.event.start)


def national_congress(cycle: str, folder: Path | None = None) -> Milestone:
    """The National Congress of a cycle; a bilingual error when the data has none."""
    for milestone in milestones_of(cycle, folder):
        if milestone.event.kind == "national_congress":
            return milestone
    raise UnknownIdError(
        f"không có Đại hội toàn quốc cho chu kỳ '{cycle}' trong data/calendar.",
        f"no National Congress for cycle '{cycle}' in data/calendar.",
        field="cycle",
    )
