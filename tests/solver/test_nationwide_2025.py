"""The 2025 nationwide scenario is proven optimal (issue 20.6), its plan checked independently."""

from __future__ import annotations

from planner.analysis.validate import validate
from planner.files.paths import data_dir
from planner.problem.units import build_problem
from planner.scenario.builder import load_scenario, tree_for
from planner.solver import solve


def test_xiv_2025_full_is_proven_optimal() -> None:
    """Issue 20.6: HCMC (172 communes) and Thanh Hóa (170) cannot all hold their two-day
    commune congresses, at most 6 a day, by the buffer limit; without the capacity and
    makespan cuts CP-SAT's bound for them stayed 0 and the scenario ended FEASIBLE (45 against
    a bound of 15). With them every sub-model is proven within a small deterministic budget
    (CP-SAT's deterministic seconds: the same on any load)."""
    scenario = load_scenario(data_dir() / "scenarios" / "xiv-2025-full.toml", [])
    problem = build_problem(scenario, tree_for(scenario))
    report = solve(problem, time_limit=10.0, workers=2, seed=0, deterministic=True)
    assert report.plan is not None
    verdict = validate(problem, report.plan, complete=True)
    assert verdict.ok, [v.message_en for v in verdict.violations[:5]]
    assert report.status == "OPTIMAL", report.unproven
    assert report.unproven == []
    assert report.objective == report.bound
