"""Working days (issue 20): Mon–Fri less the public holidays, counted by hand across Tết 2020 and
2021, 30/4–1/5 and a make-up Saturday; every expectation below is a hand count."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.errors import PlannerError
from planner.rules.workdays import (
    add_working_days,
    is_working_day,
    work_calendar,
    working_days_between,
)

D = dt.date
C2020 = work_calendar(("vn-2020-2021",))
C2025 = work_calendar(("vn-2025-2026",))


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Tết Canh Tý: off Thu 23/1 – Wed 29/1/2020 (REFERENCE §7)
        (D(2020, 1, 22), 1, D(2020, 1, 30)),  # Wed → Thu after Tết
        # Tue 21 (1), Wed 22 (2), [23–29 off], Thu 30 (3), Fri 31 (4), Mon 3/2 (5)
        (D(2020, 1, 20), 5, D(2020, 2, 3)),
        (D(2020, 2, 3), -5, D(2020, 1, 20)),
        # Tết Tân Sửu: off Wed 10/2 – Tue 16/2/2021
        (D(2021, 2, 9), 1, D(2021, 2, 17)),
        # Mon 8 (1), Tue 9 (2), [10–16 off], Wed 17 (3)
        (D(2021, 2, 5), 3, D(2021, 2, 17)),
        (D(2021, 2, 17), -1, D(2021, 2, 9)),
        # 30/4 Thu – 1/5 Fri 2020: Wed 29/4 → Mon 4/5
        (D(2020, 4, 29), 1, D(2020, 5, 4)),
        # 2021: 30/4 Fri, 1/5 Sat, observed Mon 3/5: Thu 29/4 → Tue 4/5
        (D(2021, 4, 29), 1, D(2021, 5, 4)),
        # 2/9/2020 is one day (Wed): Tue 1/9 → Thu 3/9
        (D(2020, 9, 1), 1, D(2020, 9, 3)),
        (D(2020, 10, 14), 0, D(2020, 10, 14)),
        # a weekend start: Sat 17/10/2020 + 1 = Mon 19/10
        (D(2020, 10, 17), 1, D(2020, 10, 19)),
    ],
)
def test_add_working_days_by_hand(start: dt.date, n: int, expected: dt.date) -> None:
    """Issue 20: working-day arithmetic across Tết and 30/4–1/5 matches a hand count."""
    assert add_working_days(start, n, C2020) == expected


def test_between_by_hand() -> None:
    """January 2020 has 23 weekdays; (1/1, 31/1] drops 1/1 and the 5 weekdays of Tết: 17.
    February 2021 has 20 weekdays; (1/2, 28/2] drops 1/2 and 10, 11, 12, 15, 16/2: 14."""
    assert working_days_between(D(2020, 1, 1), D(2020, 1, 31), C2020) == 17
    assert working_days_between(D(2021, 2, 1), D(2021, 2, 28), C2020) == 14
    assert working_days_between(D(2020, 1, 31), D(2020, 1, 1), C2020) == -17
    # 30 working days before the HCMC congress (preparatory 14/10/2020), counted back by hand:
    # October 13…1 (9 weekdays), September 30…3 (20 weekdays; 2/9 is National Day) = 29,
    # then Tue 1/9 is the 30th.
    assert add_working_days(D(2020, 10, 14), -30, C2020) == D(2020, 9, 1)


def test_make_up_saturday_2025() -> None:
    """2025: 30/4 Wed, 1/5 Thu and 2/5 Fri off, Saturday 26/4 worked instead (calendar file)."""
    assert is_working_day(D(2025, 4, 26), C2025)
    assert not is_working_day(D(2025, 5, 2), C2025)
    assert add_working_days(D(2025, 4, 25), 1, C2025) == D(2025, 4, 26)
    assert add_working_days(D(2025, 4, 29), 1, C2025) == D(2025, 5, 5)
    # without the calendar file the Saturday is a weekend day
    assert add_working_days(D(2025, 4, 25), 1, work_calendar()) == D(2025, 4, 28)


def test_absurd_count_is_a_bilingual_error() -> None:
    """A count of a million working days is refused in both languages, not a long loop."""
    with pytest.raises(PlannerError) as err:
        add_working_days(D(2020, 1, 1), 1_000_000, C2020)
    assert err.value.message_vi and err.value.message_en


@given(
    st.dates(min_value=D(2015, 1, 1), max_value=D(2030, 12, 31)),
    st.integers(min_value=0, max_value=400),
)
def test_between_inverts_add(day: dt.date, n: int) -> None:
    """Counting the working days up to ``add_working_days(day, n)`` gives back ``n``."""
    later = add_working_days(day, n, C2020)
    assert working_days_between(day, later, C2020) == n
    assert n == 0 or is_working_day(later, C2020)
