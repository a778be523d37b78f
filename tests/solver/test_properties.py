"""Property tests on random small trees: every plan validates; both strategies agree."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.analysis.validate import validate
from planner.problem.units import build_problem
from planner.solver import solve
from planner.tree.hierarchy import Level, Org, OrgTree

from ..tiny import org, tiny_scenario


@st.composite
def random_case(draw: st.DrawFn) -> tuple[OrgTree, list[str]]:
    n_central = draw(st.integers(1, 3))
    orgs: list[Org] = [org("vn", Level.NATIONAL, None)]
    for c in range(n_central):
        cid = f"c{c}"
        orgs.append(org(cid, Level.CENTRAL, "vn", c + 1))
        for d in range(draw(st.integers(0, 3))):
            orgs.append(org(f"{cid}d{d}", Level.DISTRICT, cid, c + 1))
    d_start = draw(st.integers(5, 15))
    d_len = draw(st.integers(1, 20))
    c_start = draw(st.integers(20, 40))
    c_len = draw(st.integers(1, 15))
    base = dt.date(2020, 1, 1)

    def day(offset: int) -> str:
        return (base + dt.timedelta(days=offset)).isoformat()

    sets = [
        f"levels.district.window=[{day(d_start)}, {day(d_start + d_len)}]",
        f"levels.district.days={draw(st.integers(1, 3))}",
        f"levels.central.window=[{day(c_start)}, {day(c_start + c_len)}]",
        f"levels.central.days={draw(st.integers(1, 4))}",
        f"gaps.child_before_parent_days={draw(st.integers(0, 6))}",
        f"levels.central.buffer_days={draw(st.integers(0, 5))}",
    ]
    if draw(st.booleans()):
        sets.append(f"levels.central.daily_capacity={draw(st.integers(1, 2))}")
    if draw(st.booleans()):
        sets.append(f"levels.district.parent_daily_capacity={draw(st.integers(1, 2))}")
    if draw(st.booleans()):
        sets.append(
            f'blackouts.ranges=[{{id="r", start={day(draw(st.integers(5, 50)))}, '
            f'end={day(draw(st.integers(50, 55)))}, levels=["central", "district"]}}]'
        )
    return OrgTree(orgs), sets


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(random_case())
def test_plans_validate_and_strategies_agree(case: tuple[OrgTree, list[str]]) -> None:
    """Every plan validates; the decomposition agrees on feasibility and its bound is valid."""
    tree, sets = case
    problem = build_problem(tiny_scenario(*sets), tree)
    mono = solve(
        problem, time_limit=5.0, workers=1, seed=0, deterministic=True, strategy="monolithic"
    )
    dec = solve(
        problem, time_limit=5.0, workers=1, seed=0, deterministic=True, strategy="decomposed"
    )
    for report in (mono, dec):
        if report.plan is not None:
            verdict = validate(problem, report.plan, complete=True)
            assert verdict.ok, [v.message_en for v in verdict.violations]
    conclusive = {"OPTIMAL", "FEASIBLE", "INFEASIBLE"}
    if mono.status in conclusive and dec.status in conclusive:
        assert (mono.plan is None) == (dec.plan is None)
    if mono.status == "OPTIMAL" and dec.plan is not None:
        assert dec.bound is not None and dec.objective is not None
        assert mono.objective is not None
        assert dec.bound <= mono.objective + 1e-6 <= dec.objective + 2e-6
