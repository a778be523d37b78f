"""Calendar: holidays of 2020–2021 (REFERENCE §7), horizon indices, weekdays, blackouts, dates."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.errors import PlannerError
from planner.rules.calendar import (
    Horizon,
    format_date_vi,
    load_calendar,
    next_sunday,
    parse_date,
    previous_sunday,
    public_holidays,
    weekday_vi,
)

D = dt.date

# REFERENCE §7, transcribed by hand (observed days included).
HOLIDAYS_2020_2021 = [
    D(2020, 1, 1),
    *[D(2020, 1, d) for d in range(23, 30)],
    D(2020, 4, 2),
    D(2020, 4, 30),
    D(2020, 5, 1),
    D(2020, 9, 2),
    D(2021, 1, 1),
    *[D(2021, 2, d) for d in range(10, 17)],
    D(2021, 4, 21),
    D(2021, 4, 30),
    D(2021, 5, 1),
    D(2021, 5, 3),
    D(2021, 9, 2),
    D(2021, 9, 3),
]


def test_public_holidays_match_reference() -> None:
    """Tết 23–29/1/2020 and 10–16/2/2021, Hùng Kings, 30/4, 1/5 (+3/5/2021), 2/9 (+3/9/2021)."""
    days = [h.start for h in public_holidays(D(2020, 1, 1), D(2021, 12, 31))]
    assert days == HOLIDAYS_2020_2021


def test_holiday_names_are_bilingual_whatever_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """Names are asked for explicitly in Vietnamese and English, not from the process locale."""
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    tet = {h.start: h for h in public_holidays(D(2021, 2, 12), D(2021, 2, 12))}[D(2021, 2, 12)]
    assert tet.name_vi == "Tết Nguyên Đán"
    assert "Lunar New Year" in tet.name_en


def test_horizon_filters_holidays() -> None:
    """Only holidays inside the asked range are returned."""
    days = [h.start for h in public_holidays(D(2020, 4, 1), D(2020, 4, 30))]
    assert days == [D(2020, 4, 2), D(2020, 4, 30)]


@given(st.dates(min_value=D(2019, 1, 1), max_value=D(2022, 12, 31)))
def test_horizon_index_round_trip(day: dt.date) -> None:
    """day → index → day is the identity inside the horizon."""
    horizon = Horizon(D(2019, 1, 1), D(2022, 12, 31))
    assert horizon.day(horizon.index(day)) == day
    assert 0 <= horizon.index(day) < len(horizon)


def test_horizon_bounds() -> None:
    """Days outside the horizon and inverted horizons are clear errors."""
    horizon = Horizon(D(2020, 1, 1), D(2020, 1, 31))
    assert len(horizon) == 31 and list(horizon.days())[-1] == D(2020, 1, 31)
    with pytest.raises(PlannerError):
        horizon.index(D(2020, 2, 1))
    with pytest.raises(PlannerError):
        horizon.day(31)
    with pytest.raises(PlannerError):
        Horizon(D(2020, 2, 1), D(2020, 1, 1))


def test_vietnamese_weekdays() -> None:
    """23/5/2021 is Chủ nhật; 25/1/2021 is Thứ Hai."""
    assert weekday_vi(D(2021, 5, 23)) == "Chủ nhật"
    assert weekday_vi(D(2021, 1, 25)) == "Thứ Hai"
    assert format_date_vi(D(2021, 5, 23)) == "Chủ nhật, 23/5/2021"


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 1, 1)))
def test_sunday_neighbours(day: dt.date) -> None:
    """previous/next Sunday are Sundays strictly around the day, less than a week away."""
    before, after = previous_sunday(day), next_sunday(day)
    assert before.weekday() == 6 and after.weekday() == 6
    assert 1 <= (day - before).days <= 7 and 1 <= (after - day).days <= 7


def test_parse_date_is_strict() -> None:
    """ISO dates parse; day/month strings are refused instead of guessed."""
    assert parse_date("2021-05-23", "x") == D(2021, 5, 23)
    for bad in ("12/02/2021", "2021-02-30", "2021-5-3", ""):
        with pytest.raises(PlannerError) as err:
            parse_date(bad, "--election-day")
        assert err.value.field == "--election-day"


def test_blackouts_and_plenums_from_data() -> None:
    """Social distancing 1–15/4/2020 is a named blackout; plenums 12–15 of term XII are listed."""
    data = load_calendar()
    distancing = data.event("covid.distancing-2020-04")
    assert (distancing.start, distancing.end) == (D(2020, 4, 1), D(2020, 4, 15))
    assert distancing.name_vi != distancing.name_en
    plenums = {p.id: p for p in data.plenums()}
    assert plenums["plenum.xii-14"].start == D(2020, 12, 14)
    assert plenums["plenum.xii-15"].end == D(2021, 1, 18)
    congress = data.event("congress.xiii")
    assert (congress.start, congress.end) == (D(2021, 1, 25), D(2021, 2, 2))
