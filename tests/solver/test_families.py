"""Each constraint family binds when on and stops binding when off (tiny hand-made tree)."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.plan.frame import congress_event_id
from planner.problem.units import build_problem
from planner.solver import solve

from ..tiny import TINY_SCENARIO, check, solve_tiny, tiny_scenario, tiny_tree

D = dt.date

# family -> the --set overrides that make the family impossible to satisfy.
BINDING = {
    "level_window": ["levels.district.window=[2020-01-10, 2020-01-10]", "levels.district.days=2"],
    "precedence": ["gaps.child_before_parent_days=41"],
    "pilot": [
        'pilots.units=["a1"]',
        "pilots.windows.district=[2020-01-10, 2020-01-31]",
        "pilots.lead_days=30",
    ],
    "blackout": [
        'blackouts.ranges=[{id="x", start=2020-02-01, end=2020-02-20, levels=["central"]}]'
    ],
    "parent_capacity": [
        "levels.district.window=[2020-01-10, 2020-01-11]",
        "levels.district.days=2",
        "levels.district.parent_daily_capacity=1",
    ],
    "level_capacity": [
        "levels.central.window=[2020-02-01, 2020-02-02]",
        "levels.central.daily_capacity=1",
    ],
    "election_alignment": ["alignment.central_before_national_days=40"],
    "pin": ['pins=[{org="a", start=2020-03-01, end=2020-03-02}]'],
}


def test_baseline_is_feasible_and_valid() -> None:
    """The tiny scenario itself solves, and its plan validates."""
    report = solve_tiny()
    assert report.status == "OPTIMAL"
    assert check(report).ok


@pytest.mark.parametrize("family", sorted(BINDING))
@pytest.mark.parametrize("strategy", ["monolithic", "decomposed"])
def test_family_binds_when_on(family: str, strategy: str) -> None:
    """With the family on, the over-tight settings leave no plan."""
    report = solve_tiny(*BINDING[family], strategy=strategy)
    assert report.plan is None
    assert report.status == "INFEASIBLE"


@pytest.mark.parametrize("family", sorted(BINDING))
def test_family_stops_binding_when_off(family: str) -> None:
    """With the family off, the same settings give a plan that the family would reject."""
    sets = [*BINDING[family], f"families.{family}.enabled=false"]
    report = solve_tiny(*sets)
    assert report.plan is not None
    assert check(report, *sets).ok
    verdict = check(report, *BINDING[family])
    assert family in verdict.families()


@pytest.mark.parametrize("family", sorted(set(BINDING) - {"pin"}))
def test_soft_family_pays_instead_of_failing(family: str) -> None:
    """Switched to soft, the family is broken as little as needed and the objective pays."""
    sets = [*BINDING[family], f"families.{family}.hard=false"]
    report = solve_tiny(*sets)
    assert report.plan is not None and report.objective is not None
    assert report.objective >= 100  # default soft weight 100 per unit of slack
    assert family in check(report, *BINDING[family]).families()


def _dates(report, org_id: str) -> tuple[dt.date, dt.date]:  # type: ignore[no-untyped-def]
    row = report.plan[report.plan["event_id"] == congress_event_id(org_id)].iloc[0]
    return row["start"], row["end"]


def test_level_capacity_spreads_congresses() -> None:
    """Capacity 1 on a feasible window: the two central congresses never overlap."""
    report = solve_tiny("levels.central.daily_capacity=1")
    (a0, a1), (b0, b1) = _dates(report, "a"), _dates(report, "b")
    assert a1 < b0 or b1 < a0


def test_pin_fixes_dates() -> None:
    """A pinned congress sits on its pinned dates."""
    report = solve_tiny('pins=[{org="b", start=2020-02-10, end=2020-02-11}]')
    assert _dates(report, "b") == (D(2020, 2, 10), D(2020, 2, 11))


def test_precedence_gap_is_respected() -> None:
    """Every district ends at least the gap before its central congress starts."""
    report = solve_tiny("gaps.child_before_parent_days=10")
    for child, parent in (("a1", "a"), ("a2", "a"), ("b1", "b")):
        assert (_dates(report, parent)[0] - _dates(report, child)[1]).days >= 10


def test_pilot_goes_first() -> None:
    """A pilot district finishes lead days before its sibling starts."""
    report = solve_tiny(
        'pilots.units=["a1"]',
        "pilots.windows.district=[2020-01-10, 2020-01-31]",
        "pilots.lead_days=5",
    )
    assert (_dates(report, "a2")[0] - _dates(report, "a1")[1]).days >= 5


def test_blackout_days_are_avoided() -> None:
    """No congress includes a blacked-out day."""
    report = solve_tiny(
        'blackouts.ranges=[{id="x", start=2020-02-01, end=2020-02-10, levels=["central"]}]'
    )
    for org_id in ("a", "b"):
        assert _dates(report, org_id)[0] > D(2020, 2, 10)


def test_weekday_blackout() -> None:
    """A weekday blackout (Sundays) keeps every congress off Sundays."""
    report = solve_tiny('blackouts.weekdays=["sunday"]')
    congress = report.plan[report.plan["kind"] == "congress"]
    for row in congress.itertuples():
        day = row.start
        while day <= row.end:
            assert day.weekday() != 6
            day += dt.timedelta(days=1)


def test_preferred_date_is_honoured() -> None:
    """A preferred start inside the window is met when nothing else stands in the way."""
    report = solve_tiny('preferred=[{org="b", start=2020-02-15, weight=1}]')
    assert _dates(report, "b")[0] == D(2020, 2, 15)


def test_buffer_prefers_early_finish() -> None:
    """With a buffer, congresses finish before deadline − buffer when they can."""
    report = solve_tiny("levels.central.buffer_days=5")
    for org_id in ("a", "b"):
        assert _dates(report, org_id)[1] <= D(2020, 2, 15)


def test_election_day_is_chosen_among_sundays() -> None:
    """With election.choose the solver picks a Sunday that the alignment allows."""
    scenario = tiny_scenario(
        text=TINY_SCENARIO.replace("day = 2020-07-05", "choose = [2020-05-01, 2020-07-31]")
    )
    report = solve(
        build_problem(scenario, tiny_tree()), time_limit=5.0, workers=1, seed=0, deterministic=True
    )
    assert report.plan is not None and report.election_day is not None
    assert report.election_day.weekday() == 6
    # E−95 must fall after the national congress ends (by 5/3/2020 at the latest).
    assert report.election_day - dt.timedelta(days=95) > _dates(report, "vn")[1]
