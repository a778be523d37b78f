"""The seat-counting lower bound: never above the true least lateness (brute force), and the
cuts it gives the model never change an optimum (models with and without them agree)."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from planner.analysis.validate import validate
from planner.problem.units import build_problem
from planner.solver import bounds, solve
from planner.solver.groups import finish_bound, group_fits, lower_bound
from planner.solver.model import build_model
from planner.tree.hierarchy import Level, Org, OrgTree

from ..tiny import tiny_scenario


def _brute(
    days: set[int],
    threshold: int,
    length: int,
    count: int,
    peak: int,
    fixed: list[tuple[int, int]],
) -> int | None:
    """The least total lateness by trying every placement (None: no placement fits)."""
    starts = [s for s in sorted(days) if all(s + k in days for k in range(length))]
    best = None
    for chosen in itertools.combinations_with_replacement(starts, count):
        load: dict[int, int] = {}
        for a, b in [*[(s, s + length - 1) for s in chosen], *fixed]:
            for d in range(a, b + 1):
                load[d] = load.get(d, 0) + 1
        if max(load.values(), default=0) > peak:
            continue
        cost = sum(max(0, s + length - 1 - threshold) for s in chosen)
        best = cost if best is None else min(best, cost)
    return best


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    days=st.sets(st.integers(0, 13), min_size=1, max_size=14),
    threshold=st.integers(0, 13),
    length=st.integers(1, 3),
    count=st.integers(1, 4),
    peak=st.integers(1, 3),
    pins=st.lists(st.tuples(st.integers(0, 12), st.integers(0, 2)), max_size=2),
)
def test_least_lateness_is_a_lower_bound(
    days: set[int],
    threshold: int,
    length: int,
    count: int,
    peak: int,
    pins: list[tuple[int, int]],
) -> None:
    """For every peak, the bound is at most the least lateness found by brute force, and it
    says "impossible" only when no placement exists."""
    fixed = sorted((a, a + extra) for a, extra in pins)
    truth = _brute(days, threshold, length, count, peak, fixed)
    bound = bounds.least_lateness(days, threshold, length, count, [peak], fixed)[peak]
    if bound is None:
        assert truth is None
    elif truth is not None:
        assert bound <= truth


def test_a_seat_holds_whole_congresses_only() -> None:
    """Days 0–4 and 6–9, threshold 9: a seat holds one three-day congress in each run (the
    spare days are too few for another), so three congresses need two seats; with days 10–12
    open too, the third on one seat sits 9–11, two days late."""
    days = {0, 1, 2, 3, 4, 6, 7, 8, 9}
    out = bounds.least_lateness(days, 9, 3, 3, [1, 2])
    assert out[1] is None
    assert out[2] == 0
    with_more = bounds.least_lateness(days | {10, 11, 12}, 9, 3, 3, [1])
    assert with_more[1] == 2


def _central_tree(n: int) -> OrgTree:
    orgs = [Org("vn", "Toàn quốc", "National", Level.NATIONAL, None, "test")]
    orgs += [
        Org(f"c{i}", f"Đảng bộ c{i}", f"c{i}", Level.CENTRAL, "vn", "test", province_code=i)
        for i in range(1, n + 1)
    ]
    return OrgTree(orgs)


def _optimum(problem: object, cuts: bool) -> tuple[str, float]:
    cm = build_model(problem, "plan", cuts=cuts)  # type: ignore[arg-type]
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_time_in_seconds = 30
    status = solver.solve(cm.model)
    value = solver.objective_value if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else -1.0
    return solver.status_name(status), value


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    count=st.integers(3, 7),
    days=st.integers(1, 3),
    capacity=st.integers(1, 4),
    window_days=st.integers(4, 12),
    buffer=st.integers(0, 4),
    pinned=st.booleans(),
    blackout=st.integers(0, 3),
)
def test_cuts_never_change_the_optimum(
    count: int,
    days: int,
    capacity: int,
    window_days: int,
    buffer: int,
    pinned: bool,
    blackout: int,
) -> None:
    """Small central levels with load levelling: the optimum is the same with the peak cuts as
    without them (a wrong cut would cut off the best plan or declare a feasible one
    infeasible)."""
    sets = [
        "levels.district.plan=false",
        f"levels.central.days={days}",
        f"levels.central.window=[2020-02-01, 2020-02-{window_days:02d}]",
        f"levels.central.daily_capacity={capacity}",
        f"levels.central.buffer_days={buffer}",
        'objective.peak_levels=["central"]',
        "objective.peak_weight=3",
        "objective.buffer_weight=2",
    ]
    if blackout:
        sets.append(
            f'blackouts.ranges=[{{id="x", start=2020-02-0{blackout + 1}, '
            f'end=2020-02-0{blackout + 1}, levels=["central"]}}]'
        )
    if pinned:
        sets.append(f'pins=[{{org="c1", start=2020-02-02, end=2020-02-0{days + 1}}}]')
    scenario = tiny_scenario(*sets)
    problem = build_problem(scenario, _central_tree(count))
    with_cuts = _optimum(problem, True)
    without = _optimum(problem, False)
    assert with_cuts == without


def _brute_finish(
    days: set[int], length: int, count: int, seats: int, fixed: list[tuple[int, int]]
) -> int | None:
    """The earliest last day of every movable congress, by trying every placement."""
    starts = [s for s in sorted(days) if all(s + k in days for k in range(length))]
    best = None
    for chosen in itertools.combinations_with_replacement(starts, count):
        load: dict[int, int] = {}
        for a, b in [*[(s, s + length - 1) for s in chosen], *fixed]:
            for d in range(a, b + 1):
                load[d] = load.get(d, 0) + 1
        if max(load.values(), default=0) > seats:
            continue
        last = max(s + length - 1 for s in chosen)
        best = last if best is None else min(best, last)
    return best


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    days=st.sets(st.integers(0, 13), min_size=1, max_size=14),
    length=st.integers(1, 3),
    count=st.integers(1, 4),
    seats=st.integers(1, 3),
    pins=st.lists(st.tuples(st.integers(0, 12), st.integers(0, 2)), max_size=2),
)
def test_earliest_finish_is_a_lower_bound(
    days: set[int], length: int, count: int, seats: int, pins: list[tuple[int, int]]
) -> None:
    """Issue 20.6: the seat count's earliest finish (the makespan cut) is never after the
    earliest finish found by brute force, and says "impossible" only when nothing fits."""
    fixed = sorted((a, a + extra) for a, extra in pins)
    truth = _brute_finish(days, length, count, seats, fixed)
    bound = bounds.earliest_finish(days, length, count, seats, fixed)
    if bound is None:
        assert truth is None
    elif truth is not None:
        assert bound <= truth


def _parent_tree(n: int) -> OrgTree:
    """One central committee with ``n`` districts under it (one parent's capacity group)."""
    orgs = [
        Org("vn", "Toàn quốc", "National", Level.NATIONAL, None, "test"),
        Org("a", "Đảng bộ a", "a", Level.CENTRAL, "vn", "test", province_code=1),
    ]
    orgs += [
        Org(f"a{i}", f"Đảng bộ a{i}", f"a{i}", Level.DISTRICT, "a", "test", province_code=1)
        for i in range(1, n + 1)
    ]
    return OrgTree(orgs)


def _optimum_of(problem: object, objective: str, cuts: bool) -> tuple[str, float]:
    cm = build_model(problem, objective, cuts=cuts)  # type: ignore[arg-type]
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_time_in_seconds = 30
    status = solver.solve(cm.model)
    value = solver.objective_value if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else -1.0
    return solver.status_name(status), value


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    count=st.integers(3, 7),
    days=st.integers(1, 3),
    capacity=st.integers(1, 3),
    window_days=st.integers(4, 14),
    buffer=st.integers(0, 5),
    pinned=st.booleans(),
    blackout=st.integers(0, 3),
    objective=st.sampled_from(["plan", "makespan"]),
)
def test_capacity_cuts_never_change_the_optimum(
    count: int,
    days: int,
    capacity: int,
    window_days: int,
    buffer: int,
    pinned: bool,
    blackout: int,
    objective: str,
) -> None:
    """Issue 20.6: districts under one parent at most ``capacity`` a day (and the central
    level's own limit): the optimum, of the plan and of the makespan, is the same with the
    capacity and makespan cuts as without them."""
    sets = [
        f"levels.district.days={days}",
        f"levels.district.window=[2020-01-10, 2020-01-{9 + window_days:02d}]",
        f"levels.district.parent_daily_capacity={capacity}",
        f"levels.district.buffer_days={buffer}",
        "objective.buffer_weight=2",
    ]
    if blackout:
        sets.append(
            f'blackouts.ranges=[{{id="x", start=2020-01-1{blackout}, '
            f'end=2020-01-1{blackout}, levels=["district"]}}]'
        )
    if pinned:
        sets.append(f'pins=[{{org="a1", start=2020-01-11, end=2020-01-{10 + days:02d}}}]')
    problem = build_problem(tiny_scenario(*sets), _parent_tree(count))
    assert _optimum_of(problem, objective, True) == _optimum_of(problem, objective, False)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    count=st.integers(3, 7),
    days=st.integers(1, 3),
    capacity=st.integers(1, 3),
    window_days=st.integers(4, 14),
    buffer=st.integers(0, 5),
    pinned=st.booleans(),
    preferred=st.booleans(),
)
def test_group_bounds_never_pass_the_optimum(
    count: int,
    days: int,
    capacity: int,
    window_days: int,
    buffer: int,
    pinned: bool,
    preferred: bool,
) -> None:
    """Issue 20.6: the bounds with which the decomposition takes the floor's plan as optimal
    without a search (:func:`lower_bound`, :func:`finish_bound`) are never above the optimum
    CP-SAT proves without any cut, for the plan objective and the makespan."""
    sets = [
        f"levels.district.days={days}",
        f"levels.district.window=[2020-01-10, 2020-01-{9 + window_days:02d}]",
        f"levels.district.parent_daily_capacity={capacity}",
        f"levels.district.buffer_days={buffer}",
        "objective.buffer_weight=2",
    ]
    if pinned:
        sets.append(f'pins=[{{org="a1", start=2020-01-11, end=2020-01-{10 + days:02d}}}]')
    if preferred:
        sets.append('preferred=[{org="a2", start=2020-01-12, weight=1}]')
    whole = build_problem(tiny_scenario(*sets), _parent_tree(count))
    problem = whole.subproblem(whole.descendants("a"))  # the decomposition's sub-model
    status, best = _optimum_of(problem, "plan", False)
    if status == "OPTIMAL":
        assert lower_bound(problem) <= best
    status, last = _optimum_of(problem, "makespan", False)
    if status == "OPTIMAL":
        assert finish_bound(problem) <= last


def test_hcmc_in_miniature() -> None:
    """Issue 20.6, by hand: 18 two-day districts under one parent, at most 2 a day, sit from
    10/1; the buffer limit is 24/1 (window end 31/1 less 7 days). Each seat holds 7 on 10–23/1,
    so 4 end late: on each seat one on 24–25/1 (1 day late) and one on 26–27/1 (3 days), 8 days
    in all at weight 2. The bound says 16, the last of them ends on 27/1 at the earliest, and
    the solver proves its plan optimal (validated)."""
    sets = [
        "levels.district.days=2",
        "levels.district.window=[2020-01-10, 2020-01-31]",
        "levels.district.parent_daily_capacity=2",
        "levels.district.buffer_days=7",
        "objective.buffer_weight=2",
    ]
    whole = build_problem(tiny_scenario(*sets), _parent_tree(18))
    districts = whole.subproblem(whole.descendants("a"))
    assert lower_bound(districts) == 16
    assert finish_bound(districts) == whole.index(dt.date(2020, 1, 27))
    report = solve(whole, time_limit=5.0, workers=1, seed=0, deterministic=True)
    assert report.plan is not None
    assert validate(whole, report.plan, complete=True).ok
    assert report.status == "OPTIMAL"
    assert report.bound == report.objective


def test_a_group_that_cannot_fit_is_infeasible_at_once() -> None:
    """Issue 20.6: 5 three-day districts on 10–31/1 less 15, 21 and 27/1 (runs of 5, 5, 5 and
    4 days): a seat holds one in each run, 4 in all, so one a day cannot hold them although
    their 15 congress-days fit in the 19 days; the seat count proves it and the model is
    INFEASIBLE without a search (the 2025 scenario with 5 communes a day under one parent is
    such a case). Two a day can."""
    sets = [
        "levels.district.days=3",
        "levels.district.window=[2020-01-10, 2020-01-31]",
        "levels.district.buffer_days=7",
        'blackouts.ranges=[{id="x", start=2020-01-15, end=2020-01-15, levels=["district"]}, '
        '{id="y", start=2020-01-21, end=2020-01-21, levels=["district"]}, '
        '{id="z", start=2020-01-27, end=2020-01-27, levels=["district"]}]',
    ]
    for cap, fits in ((1, False), (2, True)):
        problem = build_problem(
            tiny_scenario(*sets, f"levels.district.parent_daily_capacity={cap}"), _parent_tree(5)
        )
        ids = list(problem.children("a"))
        assert group_fits(problem, ids, cap) is fits
        cm = build_model(problem.subproblem(ids), "plan")
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_number_of_conflicts = 0  # presolve alone decides
        status = solver.solve(cm.model)
        assert (status == cp_model.INFEASIBLE) is not fits
