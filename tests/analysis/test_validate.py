"""Validator: one planted violation per family in the solved default plan, plus partial plans."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pytest

from planner.analysis.validate import validate
from planner.analysis.validate.verdict import Validation, Violation
from planner.problem.units import Problem
from planner.rules.preparation import STEP_KINDS
from planner.tree.hierarchy import Level

D = dt.date
ONE = dt.timedelta(days=1)
DISTRICT_END = D(2020, 8, 31)
CENTRAL_START, CENTRAL_END = D(2020, 9, 1), D(2020, 10, 31)
PLENUM_13 = (D(2020, 10, 5), D(2020, 10, 6), D(2020, 10, 7))
E_MINUS_95 = D(2021, 2, 17)
REPO = Path(__file__).resolve().parents[2]
P37_PIN = (D(2020, 10, 20), D(2020, 10, 22))


@pytest.fixture
def frame(default_problem: Problem, default_report) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """A private copy of the solved default plan, checked valid before anything is planted.

    The planted congress violations below move congresses without their preparation steps, so
    the copy keeps the congresses and calendar rows only (tests/test_preparation.py plants the
    step violations)."""
    assert validate(default_problem, default_report.plan).ok
    plan: pd.DataFrame = default_report.plan
    copy = plan[~plan["kind"].isin(STEP_KINDS)].copy()
    assert validate(default_problem, copy).ok
    return copy


# helpers ---------------------------------------------------------------------------------------


def congress_dates(frame: pd.DataFrame) -> dict[str, tuple[dt.date, dt.date]]:
    """Start and end of every congress in the frame."""
    rows = frame[frame["kind"] == "congress"]
    out: dict[str, tuple[dt.date, dt.date]] = {}
    for row in rows.itertuples(index=False):
        start, end = row.start, row.end
        assert isinstance(start, dt.date) and isinstance(end, dt.date)
        out[str(row.org_id)] = (start, end)
    return out


def move(frame: pd.DataFrame, org_id: str, start: dt.date, end: dt.date) -> None:
    """Give one congress new dates, in place."""
    index = frame.index[(frame["kind"] == "congress") & (frame["org_id"] == org_id)]
    assert len(index) == 1
    frame.at[index[0], "start"] = start
    frame.at[index[0], "end"] = end


def days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every day from start to end inclusive."""
    return [start + k * ONE for k in range((end - start).days + 1)]


def central_load(
    problem: Problem, frame: pd.DataFrame, without: Iterable[str] = ()
) -> Counter[dt.date]:
    """Central congresses in session per day, leaving some units out."""
    skip = set(without)
    load: Counter[dt.date] = Counter()
    for org_id, (start, end) in congress_dates(frame).items():
        if org_id not in skip and problem.unit(org_id).level == Level.CENTRAL:
            load.update(days(start, end))
    return load


def movable_centrals(problem: Problem) -> list[str]:
    """Central units without a pin, in a fixed order."""
    return sorted(u.org_id for u in problem.units if u.level == Level.CENTRAL and u.pin is None)


def free_central_slot(
    problem: Problem, frame: pd.DataFrame, length: int, adding: int, without: Iterable[str] = ()
) -> list[dt.date]:
    """The first central slot clear of blackouts and with room for ``adding`` more congresses.

    It starts at least a week after the district window closes, so no district child of a valid
    plan can conflict with it, and ends inside the central window.
    """
    blocked = problem.blackout_days[Level.CENTRAL]
    cap = problem.scenario.levels[Level.CENTRAL].daily_capacity
    assert cap is not None
    load = central_load(problem, frame, without)
    start = DISTRICT_END + 8 * ONE
    while start + (length - 1) * ONE <= CENTRAL_END:
        slot = days(start, start + (length - 1) * ONE)
        if all(d not in blocked and load[d] + adding <= cap for d in slot):
            return slot
        start += ONE
    raise AssertionError("no free central slot in the default plan")


def only(verdict: Validation, family_id: str) -> Violation:
    """The single violation of one family."""
    found = [v for v in verdict.violations if v.family == family_id]
    assert len(found) == 1, found
    return found[0]


def assert_explained(violation: Violation, *org_ids: str) -> None:
    """Both messages are non-empty, name every org id and cite the violation's legal source."""
    assert violation.message_vi.strip() and violation.message_en.strip()
    for org_id in org_ids:
        assert org_id in violation.message_vi and org_id in violation.message_en
    assert violation.source.strip()
    assert violation.source in violation.message_vi
    legal = violation.source.split(" — ")[0]  # the cited text, before the rule's name
    assert legal in violation.message_en


# one test per family ---------------------------------------------------------------------------


def test_level_window(default_problem: Problem, frame: pd.DataFrame) -> None:
    """A district congress moved past 31/8/2020 breaks its level window and nothing else."""
    dates = congress_dates(frame)
    first, last = D(2020, 9, 3), D(2020, 9, 4)  # 2/9 is a holiday
    district = next(
        u.org_id
        for u in sorted(default_problem.units, key=lambda u: u.org_id)
        if u.level == Level.DISTRICT
        and u.parent_id is not None
        and (dates[u.parent_id][0] - last).days >= default_problem.scenario.child_before_parent_days
    )
    move(frame, district, first, last)
    verdict = validate(default_problem, frame)
    assert verdict.families() == {"level_window"}
    violation = only(verdict, "level_window")
    assert violation.units == (district,)
    assert violation.rule == "d35.end.district"
    assert violation.dates == (DISTRICT_END, last)
    assert_explained(violation, district)


def test_duration(default_problem: Problem, frame: pd.DataFrame) -> None:
    """A central congress stretched to 5 days is over the maximum of 4."""
    dates = congress_dates(frame)
    blocked = default_problem.blackout_days[Level.CENTRAL]
    cap = default_problem.scenario.levels[Level.CENTRAL].daily_capacity
    assert cap is not None
    assert default_problem.scenario.levels[Level.CENTRAL].max_days == 4
    load = central_load(default_problem, frame)
    org_id, start, end = next(
        (o, dates[o][0], dates[o][0] + 4 * ONE)
        for o in movable_centrals(default_problem)
        if all(
            d not in blocked and d <= CENTRAL_END and load[d] < cap
            for d in days(dates[o][1] + ONE, dates[o][0] + 4 * ONE)
        )
    )
    move(frame, org_id, start, end)
    verdict = validate(default_problem, frame)
    assert verdict.families() == {"duration"}
    violation = only(verdict, "duration")
    assert violation.units == (org_id,)
    assert violation.rule == "d35.duration.central"
    assert violation.dates == (start, end)
    assert "5" in violation.message_en and "4" in violation.message_en
    assert_explained(violation, org_id)


def test_precedence_district_on_parent_first_day(
    default_problem: Problem, frame: pd.DataFrame
) -> None:
    """A Ninh Bình district moved onto p37's first day names both units and the lower-first rule."""
    parent_start = congress_dates(frame)["p37"][0]
    district = sorted(
        o for o in default_problem.children("p37") if not default_problem.unit(o).pilot
    )[0]
    end = parent_start + ONE
    move(frame, district, parent_start, end)
    verdict = validate(default_problem, frame)
    # Leaving August also breaks the district window; nothing else may appear.
    assert verdict.families() == {"precedence", "level_window"}
    violation = only(verdict, "precedence")
    assert violation.units == (district, "p37")
    assert violation.rule == "d35.lower_before_higher"
    assert violation.dates == (parent_start, end)
    assert_explained(violation, district, "p37")
    assert only(verdict, "level_window").units == (district,)


def test_pilot(default_problem: Problem, frame: pd.DataFrame) -> None:
    """A non-pilot sibling of d369 starting the day d369 ends breaks the pilot lead."""
    dates = congress_dates(frame)
    pilot_end = dates["d369"][1]
    gap = default_problem.scenario.child_before_parent_days
    sibling = next(
        s.org_id
        for s in sorted(
            default_problem.pilot_siblings(default_problem.unit("d369")), key=lambda u: u.org_id
        )
        if all((pilot_end - dates[k][1]).days >= gap for k in default_problem.children(s.org_id))
    )
    move(frame, sibling, pilot_end, pilot_end + ONE)
    verdict = validate(default_problem, frame)
    assert verdict.families() == {"pilot"}
    violation = only(verdict, "pilot")
    assert violation.units == ("d369", sibling)
    assert violation.rule == "d35.pilot.district"
    assert violation.dates == (pilot_end,)
    assert_explained(violation, "d369", sibling)


def test_blackout(default_problem: Problem, frame: pd.DataFrame) -> None:
    """A central congress moved onto the 13th plenum (5/10/2020) hits that blackout."""
    org_id = movable_centrals(default_problem)[0]
    move(frame, org_id, PLENUM_13[0], PLENUM_13[-1])
    verdict = validate(default_problem, frame)
    assert verdict.families() == {"blackout"}
    violation = only(verdict, "blackout")
    assert violation.units == (org_id,)
    assert violation.rule == "plenum.xii-13"
    assert violation.dates == PLENUM_13
    assert_explained(violation, org_id)


def test_parent_capacity(default_problem: Problem, frame: pd.DataFrame) -> None:
    """Five Hà Nội district congresses on the same two days exceed the province's cap of 4."""
    assert default_problem.scenario.levels[Level.DISTRICT].parent_daily_capacity == 4
    piled = sorted(default_problem.children("p01"))[:5]
    first, last = D(2020, 7, 1), D(2020, 7, 2)
    for org_id in piled:
        move(frame, org_id, first, last)
    verdict = validate(default_problem, frame)
    assert verdict.families() == {"parent_capacity"}
    violation = only(verdict, "parent_capacity")
    assert violation.units[0] == "p01"
    assert set(piled) <= set(violation.units[1:])
    assert {first, last} <= set(violation.dates)
    assert "4" in violation.message_en
    assert_explained(violation, "p01")


def test_level_capacity(default_problem: Problem, frame: pd.DataFrame) -> None:
    """Nine central congresses on the same three days exceed the nationwide cap of 8."""
    assert default_problem.scenario.levels[Level.CENTRAL].daily_capacity == 8
    piled = movable_centrals(default_problem)[:9]
    slot = free_central_slot(default_problem, frame, 3, adding=0, without=piled)
    for org_id in piled:
        move(frame, org_id, slot[0], slot[-1])
    verdict = validate(default_problem, frame)
    assert verdict.families() == {"level_capacity"}
    violation = only(verdict, "level_capacity")
    assert set(piled) <= set(violation.units)
    assert set(slot) <= set(violation.dates)
    assert "central" in violation.message_en and "8" in violation.message_en
    # The message names the level and the day, not the (many) units: see the units field.
    assert_explained(violation)


def test_election_alignment_national_after_first_consultation(
    default_problem: Problem, frame: pd.DataFrame
) -> None:
    """The national congress ending after E−95 (17/2/2021) breaks the election alignment."""
    first, last = E_MINUS_95, E_MINUS_95 + 8 * ONE  # 9 days, after Tết
    move(frame, "vn", first, last)
    verdict = validate(default_problem, frame)
    # Its own window (25/1–2/2/2021) is broken too.
    assert verdict.families() == {"election_alignment", "level_window"}
    violation = only(verdict, "election_alignment")
    assert violation.units == ("vn",)
    assert violation.rule == "el.consultation_1.na"
    assert violation.dates == (E_MINUS_95, last)
    assert "E−95" in violation.message_vi and "E−95" in violation.message_en
    assert "2021-02-17" in violation.message_en and "17/2/2021" in violation.message_vi
    assert_explained(violation)
    assert only(verdict, "level_window").units == ("vn",)


def test_election_alignment_central_too_close_to_national(
    default_problem: Problem, frame: pd.DataFrame
) -> None:
    """A central congress ending under 60 days before the national one breaks the alignment."""
    assert default_problem.scenario.central_before_national_days == 60
    org_id = movable_centrals(default_problem)[0]
    first, last = D(2020, 12, 1), D(2020, 12, 3)  # 53 days before 25/1/2021
    move(frame, org_id, first, last)
    verdict = validate(default_problem, frame)
    # Leaving October also breaks the central window.
    assert verdict.families() == {"election_alignment", "level_window"}
    violation = only(verdict, "election_alignment")
    assert violation.units == (org_id, "vn")
    assert violation.dates == (last, congress_dates(frame)["vn"][0])
    assert "60" in violation.message_en
    assert_explained(violation, org_id)


def test_pin(default_problem: Problem, frame: pd.DataFrame) -> None:
    """Ninh Bình (p37) moved off its pinned 20–22/10/2020 breaks the pin."""
    slot = free_central_slot(default_problem, frame, 3, adding=1, without=["p37"])
    assert (slot[0], slot[-1]) != P37_PIN
    move(frame, "p37", slot[0], slot[-1])
    verdict = validate(default_problem, frame)
    assert verdict.families() == {"pin"}
    violation = only(verdict, "pin")
    assert violation.units == ("p37",)
    assert set(P37_PIN) <= set(violation.dates)
    assert "2020-10-20" in violation.message_en and "20/10/2020" in violation.message_vi
    assert_explained(violation, "p37")


def test_completeness(default_problem: Problem, default_report) -> None:  # type: ignore[no-untyped-def]
    """A dropped congress is a violation with complete=True and only listed as missing without
    (the whole plan, with its step rows: a complete plan also needs those)."""
    frame = default_report.plan
    dropped = "d001"
    partial = frame[~((frame["kind"] == "congress") & (frame["org_id"] == dropped))]
    assert len(partial) == len(frame) - 1

    lenient = validate(default_problem, partial)
    assert lenient.ok and lenient.violations == []
    assert lenient.missing == [dropped]

    strict = validate(default_problem, partial, complete=True)
    assert not strict.ok
    assert strict.families() == {"completeness"}
    violation = only(strict, "completeness")
    assert violation.units == (dropped,)
    assert strict.missing == [dropped]
    assert violation.message_vi.strip() and violation.message_en.strip()
    assert dropped in violation.message_vi and dropped in violation.message_en


# partial plans and isolation -------------------------------------------------------------------


def test_partial_plan_only_central(default_problem: Problem, frame: pd.DataFrame) -> None:
    """A plan of only the 67 central congresses is valid and lists every other unit as missing."""
    central = frame[(frame["kind"] == "congress") & (frame["level"] == "central")]
    assert len(central) == 67
    verdict = validate(default_problem, central)
    assert verdict.ok and verdict.violations == []
    assert verdict.checked == 67
    others = {u.org_id for u in default_problem.units if u.level != Level.CENTRAL}
    assert set(verdict.missing) == others
    assert len(verdict.missing) == len(others)
    assert "vn" in verdict.missing


def test_validate_does_not_import_ortools() -> None:
    """Importing planner.analysis.validate loads no OR-Tools module."""
    code = (
        "import planner.analysis.validate, sys; "
        "assert not any(m.startswith('ortools') for m in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=REPO
    )
    assert result.returncode == 0, result.stderr


def test_province_blackout_binds_only_that_province(default_report) -> None:  # type: ignore[no-untyped-def]
    """A local blackout over the first district congresses flags that province's congresses on
    those days and no congress of another province sitting on the same days."""
    from planner.problem.units import build_problem
    from planner.scenario.builder import load_scenario
    from planner.tree.build import build_tree

    plan = default_report.plan
    dates = congress_dates(plan)
    tree = build_tree()
    district = {
        o: d
        for o, d in dates.items()
        if tree.get(o).level == Level.DISTRICT and tree.get(o).province_code is not None
    }
    earliest = min(district, key=lambda o: (district[o][0], o))
    first, code = district[earliest][0], tree.get(earliest).province_code
    change = (
        f'blackouts.ranges=[{{id="local", start={first}, end={first + 13 * ONE}, '
        f'provinces=[{code}], levels=["district"]}}]'
    )
    problem = build_problem(load_scenario(None, [change]), tree)
    verdict = validate(problem, plan)
    flagged = {u for v in verdict.violations for u in v.units}
    window = set(days(first, first + 13 * ONE))
    local = {o: d for o, d in district.items() if tree.get(o).province_code == code}
    expected = {o for o, (s, e) in local.items() if window & set(days(s, e))}
    assert earliest in expected and flagged == expected
    assert verdict.families() == {"blackout"}
    elsewhere = {o for o, (s, e) in district.items() if o not in local and window & set(days(s, e))}
    assert elsewhere  # other provinces do sit on those days, unflagged
