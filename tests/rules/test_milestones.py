"""Planned and actual dates of national congresses and plenums (CYCLES §1, §2.3; REFERENCE §3)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from planner.errors import DataFileError, UnknownIdError
from planner.rules.calendar import load_calendar
from planner.rules.milestones import load_milestones, milestones_of, national_congress
from tests.conftest import DATA, replace_once

D = dt.date


@pytest.mark.parametrize(
    ("cycle", "planned", "actual"),
    [
        ("xii-2015", (D(2016, 1, 20), D(2016, 1, 28)), (D(2016, 1, 20), D(2016, 1, 28))),
        ("xiii-2020", (D(2021, 1, 25), D(2021, 2, 2)), (D(2021, 1, 25), D(2021, 2, 1))),
        ("xiv-2025", (D(2026, 1, 19), D(2026, 1, 25)), (D(2026, 1, 19), D(2026, 1, 23))),
    ],
)
def test_national_congress_planned_and_actual(
    cycle: str, planned: tuple[dt.date, dt.date], actual: tuple[dt.date, dt.date]
) -> None:
    """The 12th held as planned; the 13th closed a day early; the 14th two days early."""
    congress = national_congress(cycle)
    assert (congress.planned.start, congress.planned.end) == planned  # type: ignore[union-attr]
    assert (congress.actual.start, congress.actual.end) == actual  # type: ignore[union-attr]
    assert congress.shortened_by() == (planned[1] - actual[1]).days


def test_check_a_plan_against_either() -> None:
    """A plan ending 2/2/2021 matches the plan and is one day past what happened."""
    congress = national_congress("xiii-2020")
    assert congress.deviation(D(2021, 1, 25), D(2021, 2, 2), "planned") == (0, 0)
    assert congress.deviation(D(2021, 1, 25), D(2021, 2, 2), "actual") == (0, 1)


def test_existing_keys_keep_working() -> None:
    """The 2020–2021 calendar file still reads the 13th Congress as planned, and holds no other
    cycle's plenums."""
    data = load_calendar(files=("vn-2020-2021",))
    congress = data.event("congress.xiii")
    assert (congress.start, congress.end) == (D(2021, 1, 25), D(2021, 2, 2))
    assert {p.id for p in data.plenums()} == {
        "plenum.xii-11",
        "plenum.xii-12",
        "plenum.xii-13",
        "plenum.xii-14",
        "plenum.xii-15",
        "plenum.xiii-1",
    }


def test_plenums_of_2025() -> None:
    """Five plenums of the 13th CC before the 14th Congress (CYCLES §2.3)."""
    plenums = [m for m in milestones_of("xiv-2025") if m.event.kind == "plenum"]
    assert [(m.actual.start, m.actual.end) for m in plenums] == [  # type: ignore[union-attr]
        (D(2025, 4, 10), D(2025, 4, 12)),
        (D(2025, 7, 18), D(2025, 7, 19)),
        (D(2025, 10, 6), D(2025, 10, 8)),
        (D(2025, 11, 5), D(2025, 11, 6)),
        (D(2025, 12, 22), D(2025, 12, 23)),
    ]
    assert all(m.planned is None for m in plenums)
    with pytest.raises(UnknownIdError):
        plenums[0].dates("planned")


def test_plenum_found_since() -> None:
    """The 13th plenum of the 12th CC: start/end kept as a belief, actual close 9/10/2020."""
    plenum = load_milestones()["plenum.xii-13"]
    assert plenum.basis == "belief"
    assert plenum.actual is not None and plenum.actual.end == D(2020, 10, 9)


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('basis = "planned"\nnote = "Preparatory', 'basis = "guess"\nnote = "Preparatory', "basis"),
        ("actual_end = 2021-02-01", "actual_end = 2021-01-01", "actual_end"),
        ("actual_end = 2021-02-01", "", "actual_end"),
        ("actual_start = 2021-01-25", "planned_start = 2021-01-25", "planned_start"),
    ],
)
def test_broken_calendar(tmp_path: Path, old: str, new: str, field: str) -> None:
    """Bad planned/actual keys fail with a bilingual error naming the field."""
    folder = tmp_path / "calendar"
    shutil.copytree(DATA / "calendar", folder)
    replace_once(folder / "vn-2020-2021.toml", old, new)
    with pytest.raises(DataFileError) as err:
        load_milestones(folder)
    assert field in (err.value.field or "") and err.value.line is not None
