"""The CP-SAT model keeps every plan the rules allow: its symmetry breaking must not cut one off."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.analysis.validate import validate
from planner.problem.units import build_problem
from planner.scenario.builder import load_scenario
from planner.solver import solve
from planner.tree.build import build_tree

# Only the 67 central-level congresses (siblings under the national level, all alike), and a
# lockdown of Hà Nội (province 1) alone that leaves it the last days of the central window.
LOCKDOWN = [
    "levels.grassroots.plan=false",
    "levels.district.plan=false",
    "pilots.units=[]",
    "preferred=[]",
    'blackouts.ranges=[{start=2020-09-01, end=2020-10-26, levels=["central"], provinces=[1]}]',
]


@pytest.mark.parametrize("strategy", ["monolithic", "decomposed"])
def test_a_local_lockdown_does_not_chain_its_siblings(strategy: str) -> None:
    """Siblings that look identical but for one province's lockdown are not interchangeable.

    Ordering them by id forced every province after Hà Nội (p01) to start on the window's last
    days too, more than the central capacity holds: CP-SAT said INFEASIBLE (proven) while the
    greedy floor had a plan. The model alone (no floor to fall back on) must find one."""
    problem = build_problem(load_scenario(None, LOCKDOWN), build_tree())
    report = solve(problem, strategy=strategy, time_limit=20, workers=1, seed=0, use_floor=False)
    assert report.status in ("OPTIMAL", "FEASIBLE"), report.status
    assert report.plan is not None
    verdict = validate(problem, report.plan, complete=True)
    assert verdict.ok, [v.message_en for v in verdict.violations]
    hanoi = report.plan[report.plan["org_id"] == "p01"].iloc[0]
    assert dt.date.fromisoformat(str(hanoi["start"])) > dt.date(2020, 10, 26)


NO_GRASSROOTS = ["levels.grassroots.plan=false", "pilots.units=[]", "preparation.enabled=false"]


def test_a_forced_decomposition_keeps_a_nationwide_capacity_below_the_centre() -> None:
    """``--strategy decomposed`` with a nationwide daily capacity of the district level: the
    subtrees cannot see each other's districts, so splitting returned a plan with 264 district
    congresses on one day against a capacity of 20, which the validator refused. The one model
    is solved instead: the plan found keeps the capacity."""
    problem = build_problem(
        load_scenario(None, ["levels.district.daily_capacity=20", *NO_GRASSROOTS]), build_tree()
    )
    report = solve(
        problem, strategy="decomposed", time_limit=3, workers=2, seed=0, deterministic=True
    )
    assert report.plan is not None, report.status
    verdict = validate(problem, report.plan, complete=True)
    assert verdict.ok, [v.message_en for v in verdict.violations][:3]
    districts = report.plan[report.plan["level"] == "district"]
    in_session: dict[dt.date, int] = {}
    for start, end in zip(districts["start"], districts["end"], strict=True):
        day, last = dt.date.fromisoformat(str(start)), dt.date.fromisoformat(str(end))
        while day <= last:
            in_session[day] = in_session.get(day, 0) + 1
            day += dt.timedelta(days=1)
    assert max(in_session.values()) <= 20
