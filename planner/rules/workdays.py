"""Working days (ngày làm việc): Monday–Friday less the public holidays, from the calendar data.

Vietnamese party rules count "ngày làm việc" (Quy định 24-QĐ/TW 2021: report within 7, approve
within 15, announce at least 30 working days ahead). A working day here is a Monday–Friday that
is not a public holiday — Tết, 30/4–1/5, 2/9 and the other days of the ``holidays`` package
(country VN, observed and substituted days included;
:func:`planner.rules.calendar.public_holidays`) —
nor an extra day off a calendar file lists (``[[days_off]]``: bridge days the government
announces); a make-up working Saturday a calendar file lists (``[[workdays]]``) counts as one.

One function family, every caller uses it:

* :func:`add_working_days` — ``n`` working days after (``n < 0``: before) a date;
* :func:`working_days_between` — how many working days from ``a`` to ``b`` (``a < d ≤ b``);
* :func:`is_working_day`.

Both take a :class:`WorkCalendar`, built once per scenario by :func:`work_calendar` from the
scenario's calendar files (``calendar``) and cached.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from planner.errors import PlannerError
from planner.rules.calendar import MAX_YEAR, MIN_YEAR, load_calendar, public_holidays

SATURDAY = 5
MAX_WORKING_DAYS = 2_600  # working-day counts: ten years of them (the scenario schema's bound)


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """The days off and make-up working days of some calendar files, for years ``first``–``last``
    (public holidays outside them are not known: dates there count Mon–Fri only)."""

    days_off: frozenset[dt.date]
    workdays: frozenset[dt.date]
    files: tuple[str, ...] = ()

    def is_working_day(self, day: dt.date) -> bool:
        """Monday–Friday and not a day off, or a listed make-up working day."""
        if day in self.workdays:
            return True
        return day.weekday() < SATURDAY and day not in self.days_off


@lru_cache(maxsize=16)
def work_calendar(files: tuple[str, ...] = (), first: int = 2014, last: int = 2032) -> WorkCalendar:
    """The working-day calendar of the named calendar files (``vn-2020-2021``; none: the public
    holidays only), with the public holidays of the years ``first``–``last``."""
    start, end = dt.date(first, 1, 1), dt.date(last, 12, 31)
    off = {event.start for event in public_holidays(start, end)}
    extra: set[dt.date] = set()
    if files:
        data = load_calendar(files=files)
        for event in data.days_off:
            off.update(event.days())
        for event in data.workdays:
            extra.update(event.days())
    return WorkCalendar(days_off=frozenset(off), workdays=frozenset(extra), files=files)


def is_working_day(day: dt.date, calendar: WorkCalendar) -> bool:
    """True when ``day`` is a working day of ``calendar``."""
    return calendar.is_working_day(day)


def _check_count(n: int) -> None:
    if abs(n) > MAX_WORKING_DAYS:
        raise PlannerError(
            f"{n} ngày làm việc: tối đa {MAX_WORKING_DAYS}.",
            f"{n} working days: at most {MAX_WORKING_DAYS}.",
            field="working_days",
        )


def add_working_days(day: dt.date, n: int, calendar: WorkCalendar) -> dt.date:
    """The ``n``-th working day after ``day`` (``n < 0``: before it; ``n = 0``: ``day``).

    ``add_working_days(d, 1, c)`` is the next working day after ``d`` whatever ``d`` is, so a
    deadline "within 7 working days of the congress's end ``e``" is ``add_working_days(e, 7)``
    and "at least 30 working days before the start ``s``" is ``add_working_days(s, -30)``: the
    latest day from which 30 working days remain before ``s``.
    """
    _check_count(n)
    step = dt.timedelta(days=1 if n > 0 else -1)
    left = abs(n)
    while left:
        if not MIN_YEAR < day.year < MAX_YEAR:
            raise PlannerError(
                f"đếm ngày làm việc ra ngoài các năm {MIN_YEAR}–{MAX_YEAR}.",
                f"counting working days leaves the years {MIN_YEAR}–{MAX_YEAR}.",
                field="working_days",
            )
        day += step
        if calendar.is_working_day(day):
            left -= 1
    return day


def working_days_between(a: dt.date, b: dt.date, calendar: WorkCalendar) -> int:
    """How many working days ``d`` with ``a < d ≤ b`` (negative, counted the same way from
    ``b`` to ``a``, when ``b < a``): ``working_days_between(a, add_working_days(a, n)) == n``
    for every ``n ≥ 0``."""
    if b < a:
        return -working_days_between(b, a, calendar)
    if (b - a).days > MAX_WORKING_DAYS * 2:
        raise PlannerError(
            f"khoảng {a} – {b} quá dài để đếm ngày làm việc.",
            f"the range {a} – {b} is too long to count working days in.",
            field="working_days",
        )
    count = 0
    day = a
    while day < b:
        day += dt.timedelta(days=1)
        count += calendar.is_working_day(day)
    return count
