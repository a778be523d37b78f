"""Days of the planning horizon: day index ↔ date, public holidays, blackouts, weekday names.

Public holidays come from the ``holidays`` package (country VN, observed days included; Labour Code
2012 Art. 115 and Labour Code 2019 Art. 112), always with ``language`` passed explicitly so that
names do not follow the process locale. Named blackout ranges and plenums come from
``data/calendar/*.toml``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import holidays
import pendulum

from planner.errors import DataFileError, PlannerError
from planner.files.paths import data_dir, display_path
from planner.files.tomlio import line_of, read_toml
from planner.sources import LegalSource

TIMEZONE = "Asia/Ho_Chi_Minh"
WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SUNDAY = 6


def weekday_vi(day: dt.date) -> str:
    """The Vietnamese weekday name (pendulum has no ``vi`` locale), e.g. ``Chủ nhật``."""
    return WEEKDAYS_VI[day.weekday()]


def weekday_en(day: dt.date) -> str:
    """The English weekday name."""
    return WEEKDAYS_EN[day.weekday()]


def date_vi(day: dt.date) -> str:
    """A date as Vietnamese text writes it: ``31/10/2020`` (day/month/year, no padding)."""
    return f"{day.day}/{day.month}/{day.year}"


def date_vi_padded(day: dt.date | None) -> str:
    """``23/05/2021`` (day/month/year, zero-padded); ``—`` when there is no date."""
    return "—" if day is None else f"{day.day:02d}/{day.month:02d}/{day.year}"


def format_date_vi(day: dt.date) -> str:
    """``Chủ nhật, 23/5/2021`` — Vietnamese order, day/month/year."""
    return f"{weekday_vi(day)}, {date_vi(day)}"


def format_date_en(day: dt.date) -> str:
    """``Sunday 23 May 2021``."""
    return f"{weekday_en(day)} {day.day} {day.strftime('%B')} {day.year}"


def previous_sunday(day: dt.date) -> dt.date:
    """The last Sunday strictly before ``day``."""
    back = (day.weekday() - SUNDAY) % 7 or 7
    return day - dt.timedelta(days=back)


def next_sunday(day: dt.date) -> dt.date:
    """The first Sunday strictly after ``day``."""
    ahead = (SUNDAY - day.weekday()) % 7 or 7
    return day + dt.timedelta(days=ahead)


def today_in_vietnam() -> dt.date:
    """Today's date in Asia/Ho_Chi_Minh, whatever the machine's timezone."""
    today = pendulum.today(TIMEZONE)
    return dt.date(today.year, today.month, today.day)


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# The years a plan may cover: wide enough for any cycle, narrow enough that counting days from
# a date never leaves Python's calendar (year 1–9999).
MIN_YEAR, MAX_YEAR = 1900, 2200


def parse_date(text: str, field: str) -> dt.date:
    """Parse a strict ISO date (YYYY-MM-DD); anything else is a bilingual error naming ``field``.

    Day/month strings such as ``12/02/2021`` are refused rather than guessed (pendulum's lenient
    parser would read that as December 2).
    """
    value = text.strip()
    if _ISO.match(value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            day = None
        if day is not None and not MIN_YEAR <= day.year <= MAX_YEAR:
            raise PlannerError(
                f"'{text}': năm phải trong khoảng {MIN_YEAR}–{MAX_YEAR}.",
                f"'{text}': the year must be within {MIN_YEAR}–{MAX_YEAR}.",
                field=field,
            )
        if day is not None:
            return day
    raise PlannerError(
        f"'{text}' không phải ngày hợp lệ.",
        f"'{text}' is not a valid date.",
        field=field,
        hint_vi="Dùng dạng YYYY-MM-DD, ví dụ 2021-05-23.",
        hint_en="Use YYYY-MM-DD, e.g. 2021-05-23.",
    )


@dataclass(frozen=True, slots=True)
class Horizon:
    """The planning horizon ``[start, end]`` with day indices 0 … len−1."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PlannerError(
                f"khung kế hoạch bị đảo: {self.start} sau {self.end}.",
                f"inverted planning horizon: {self.start} is after {self.end}.",
                field="horizon",
            )

    def __len__(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    def index(self, day: dt.date) -> int:
        """The day index of ``day`` (0 = horizon start)."""
        if day not in self:
            raise PlannerError(
                f"ngày {day} nằm ngoài khung kế hoạch {self.start} – {self.end}.",
                f"{day} is outside the planning horizon {self.start} – {self.end}.",
                field="horizon",
            )
        return (day - self.start).days

    def day(self, index: int) -> dt.date:
        """The date of day index ``index``."""
        if not 0 <= index < len(self):
            raise PlannerError(
                f"chỉ số ngày {index} nằm ngoài khung kế hoạch.",
                f"day index {index} is outside the planning horizon.",
                field="horizon",
            )
        return self.start + dt.timedelta(days=index)

    def days(self) -> Iterator[dt.date]:
        """Every date of the horizon, in order."""
        for offset in range(len(self)):
            yield self.start + dt.timedelta(days=offset)


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """A named range of days: a public holiday, a blackout or a plenum."""

    id: str
    kind: str
    name_vi: str
    name_en: str
    start: dt.date
    end: dt.date
    status: str = "verified"
    source: LegalSource | None = None
    note: str | None = None

    def days(self) -> Iterator[dt.date]:
        """Every date of the range, inclusive."""
        for offset in range((self.end - self.start).days + 1):
            yield self.start + dt.timedelta(days=offset)

    def covers(self, day: dt.date) -> bool:
        """True when ``day`` falls inside the range."""
        return self.start <= day <= self.end


def public_holidays(start: dt.date, end: dt.date) -> list[CalendarEvent]:
    """Vietnamese public holidays (with observed days) between ``start`` and ``end``, one per day.

    Source: Bộ luật Lao động 2012 Điều 115; Bộ luật Lao động 2019 Điều 112, via ``holidays``.
    """
    years = list(range(start.year, end.year + 1))
    names_vi = holidays.country_holidays("VN", years=years, language="vi")
    names_en = holidays.country_holidays("VN", years=years, language="en_US")
    source = LegalSource(
        document="Bộ luật Lao động 2019",
        article="Điều 112",
        url="https://pypi.org/project/holidays/",
    )
    events = []
    for day in sorted(names_vi):
        if start <= day <= end:
            events.append(
                CalendarEvent(
                    id=f"holiday.{day.isoformat()}",
                    kind="holiday",
                    name_vi=str(names_vi[day]),
                    name_en=str(names_en.get(day, names_vi[day])),
                    start=day,
                    end=day,
                    source=source,
                )
            )
    return events


@dataclass(frozen=True, slots=True)
class CalendarData:
    """Blackout ranges and party events (plenums, the national congress) read from data."""

    blackouts: tuple[CalendarEvent, ...]
    events: tuple[CalendarEvent, ...]
    # Working-day corrections (planner.rules.workdays): extra days off the ``holidays`` package does
    # not know (bridge days the government announces), and make-up working Saturdays.
    days_off: tuple[CalendarEvent, ...] = ()
    workdays: tuple[CalendarEvent, ...] = ()

    def event(self, event_id: str) -> CalendarEvent:
        """One event by id."""
        for item in (*self.events, *self.blackouts):
            if item.id == event_id:
                return item
        raise DataFileError(
            f"không có sự kiện lịch '{event_id}'.", f"no calendar event '{event_id}'."
        )

    def plenums(self) -> tuple[CalendarEvent, ...]:
        """The Central Committee plenums, in date order."""
        return tuple(sorted((e for e in self.events if e.kind == "plenum"), key=lambda e: e.start))


def _parse_event(raw: Any, table: str, path: Path, text: str) -> CalendarEvent:
    shown = display_path(path)
    if not isinstance(raw, dict):
        raise DataFileError(
            "mục không phải bảng.", "entry is not a table.", file=shown, field=table
        )
    event_id = raw.get("id")
    where = line_of(text, f'"{event_id}"') if isinstance(event_id, str) else None
    for key in ("id", "name_vi", "name_en"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise DataFileError(
                f"thiếu khóa '{key}'.",
                f"missing key '{key}'.",
                file=shown,
                line=where,
                field=f"{table}.{key}",
            )
    for key in ("start", "end"):
        value = raw.get(key)
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise DataFileError(
                f"'{key}' phải là ngày dạng YYYY-MM-DD.",
                f"'{key}' must be a date written YYYY-MM-DD.",
                file=shown,
                line=where,
                field=f"{table}.{event_id}.{key}",
            )
    if raw["end"] < raw["start"]:
        raise DataFileError(
            f"khoảng ngày bị đảo ({raw['start']} sau {raw['end']}).",
            f"inverted date range ({raw['start']} is after {raw['end']}).",
            file=shown,
            line=where,
            field=f"{table}.{event_id}.end",
            hint_vi="Đổi chỗ start và end.",
            hint_en="Swap start and end.",
        )
    src = raw.get("source")
    source = (
        LegalSource(
            document=str(src.get("document", "")),
            article=src.get("article"),
            clause=src.get("clause"),
            url=src.get("url"),
        )
        if isinstance(src, dict)
        else None
    )
    return CalendarEvent(
        id=raw["id"],
        kind=str(raw.get("kind", "blackout")),
        name_vi=raw["name_vi"],
        name_en=raw["name_en"],
        start=raw["start"],
        end=raw["end"],
        status=str(raw.get("status", "verified")),
        source=source,
        note=raw.get("note"),
    )


@lru_cache(maxsize=16)
def _load_calendar(folder: str, files: tuple[str, ...] | None) -> CalendarData:
    blackouts: list[CalendarEvent] = []
    events: list[CalendarEvent] = []
    days_off: list[CalendarEvent] = []
    workdays: list[CalendarEvent] = []
    paths = sorted(Path(folder).glob("*.toml"))
    if files is not None:
        known = {p.stem: p for p in paths}
        for name in files:
            if name not in known:
                raise DataFileError(
                    f"không có tệp lịch '{name}' trong data/calendar; có: {', '.join(known)}.",
                    f"no calendar file '{name}' in data/calendar; known: {', '.join(known)}.",
                    field="calendar",
                )
        paths = [known[name] for name in files]
    for path in paths:
        doc, text = read_toml(path)
        blackouts += [_parse_event(r, "blackouts", path, text) for r in doc.get("blackouts", [])]
        events += [_parse_event(r, "events", path, text) for r in doc.get("events", [])]
        days_off += [_parse_event(r, "days_off", path, text) for r in doc.get("days_off", [])]
        workdays += [_parse_event(r, "workdays", path, text) for r in doc.get("workdays", [])]
    return CalendarData(
        blackouts=tuple(blackouts),
        events=tuple(events),
        days_off=tuple(days_off),
        workdays=tuple(workdays),
    )


def load_calendar(folder: Path | None = None, files: tuple[str, ...] | None = None) -> CalendarData:
    """Blackouts and party events from ``data/calendar`` (or ``folder``): the named files
    (``vn-2020-2021``), or every file."""
    return _load_calendar(str(folder or data_dir() / "calendar"), files)


@lru_cache(maxsize=4)
def calendar_cycles(folder: Path | None = None) -> dict[str, str]:
    """Calendar file id → the cycle it serves (its top-level ``cycle``)."""
    out = {}
    for path in sorted((folder or data_dir() / "calendar").glob("*.toml")):
        doc, _text = read_toml(path)
        cycle = doc.get("cycle")
        if isinstance(cycle, str):
            out[path.stem] = cycle
    return out
