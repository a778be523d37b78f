"""The built-in scenario: solves, validates completely, is deterministic, carries the timetable."""

from __future__ import annotations

import datetime as dt

from planner.analysis.validate import validate
from planner.plan.frame import plan_to_csv, read_plan_text
from planner.rules.timetable import election_timetable
from planner.solver import SolveReport, solve


def test_default_plan_validates_completely(default_problem, default_report: SolveReport) -> None:  # type: ignore[no-untyped-def]
    """Every planned congress is in the plan and no hard rule is broken."""
    verdict = validate(default_problem, default_report.plan, complete=True)
    assert verdict.ok, [v.message_en for v in verdict.violations[:5]]
    assert verdict.checked == len(default_problem.units) > 1_800


def test_report_is_honest(default_report: SolveReport) -> None:
    """OPTIMAL only with a zero gap; bound never above the objective."""
    assert default_report.status in ("OPTIMAL", "FEASIBLE")
    assert default_report.objective is not None and default_report.bound is not None
    assert default_report.bound <= default_report.objective
    if default_report.status == "OPTIMAL":
        assert default_report.gap == 0
    assert default_report.submodels_optimal <= default_report.submodels
    unproven = default_report.submodels - default_report.submodels_optimal
    assert len(default_report.unproven) == unproven
    assert (default_report.status == "OPTIMAL") == (unproven == 0 and default_report.gap == 0)


def test_same_seed_same_plan(default_problem, default_report: SolveReport) -> None:  # type: ignore[no-untyped-def]
    """Solving again with the same seed and worker count gives the same plan."""
    again = solve(default_problem, time_limit=4.0, workers=2, seed=0, deterministic=True)
    assert again.plan is not None and default_report.plan is not None
    assert plan_to_csv(again.plan) == plan_to_csv(default_report.plan)


def test_plan_carries_the_whole_timetable(default_report: SolveReport) -> None:
    """Every statutory step, the plenums and the blackouts are events of the plan."""
    plan = default_report.plan
    assert plan is not None
    steps = set(plan[plan["kind"] == "election_step"]["event_id"])
    expected = {f"election:{r.step_id}" for r in election_timetable(dt.date(2021, 5, 23))}
    assert steps == expected
    assert {"congress", "election_step", "plenum", "blackout", "holiday"} <= set(plan["kind"])
    assert plan["event_id"].is_unique


def test_real_dates_are_kept(default_report: SolveReport) -> None:
    """The national congress sits 25/1–2/2/2021; Ninh Bình keeps its pinned 20–22/10/2020."""
    plan = default_report.plan
    assert plan is not None
    by_id = plan.set_index("event_id")
    assert (by_id.loc["congress:vn", "start"], by_id.loc["congress:vn", "end"]) == (
        dt.date(2021, 1, 25),
        dt.date(2021, 2, 2),
    )
    assert by_id.loc["congress:p37", "start"] == dt.date(2020, 10, 20)


def test_csv_round_trip(default_problem, default_report: SolveReport) -> None:  # type: ignore[no-untyped-def]
    """A plan written as CSV reads back and validates the same."""
    assert default_report.plan is not None
    frame = read_plan_text(plan_to_csv(default_report.plan), "plan.csv")
    assert len(frame) == len(default_report.plan)
    assert validate(default_problem, frame, complete=True).ok


def test_parallel_subtrees_give_the_same_plan(default_problem, default_report, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Solving the subtrees in forked processes gives exactly the sequential plan."""
    from planner.solver import decompose

    monkeypatch.setattr(decompose, "PARALLEL_FROM", 0)
    parallel = solve(default_problem, time_limit=4.0, workers=2, seed=0, deterministic=True)
    assert parallel.plan is not None and default_report.plan is not None
    assert plan_to_csv(parallel.plan) == plan_to_csv(default_report.plan)
