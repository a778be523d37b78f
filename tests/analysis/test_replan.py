"""Stable re-planning on the tiny tree: only what the change forces moves, held congresses never.

Base dates come from solving the tiny scenario; each test states why its expected moves are
forced (a lower bound argued from the rules, not read from the code), and every new plan passes
the independent validator.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.analysis.replan import Replan, held_dates, plan_dates, replan
from planner.analysis.validate import validate
from planner.plan.frame import plan_to_csv, read_plan_text
from planner.problem.units import Problem, build_problem
from planner.solver import solve
from planner.tree.hierarchy import Level, OrgTree
from tests.tiny import org, solve_tiny, tiny_problem, tiny_tree

D = dt.date


def base_plan(tree: OrgTree | None = None) -> pd.DataFrame:
    report = solve_tiny(tree=tree)
    assert report.plan is not None
    return report.plan


def run(
    problem: Problem, base: pd.DataFrame, held: dict[str, tuple[dt.date, dt.date]] | None = None
) -> Replan:
    result = replan(problem, base, held=held, time_limit=5.0, workers=1, seed=0, deterministic=True)
    if result.plan is not None:
        verdict = validate(
            problem.with_held({**held_dates(base, problem, all_rows=False), **(held or {})}),
            result.plan,
            complete=True,
        )
        assert verdict.ok, [v.message_en for v in verdict.violations]
    return result


def moved_ids(result: Replan) -> set[str]:
    return {m.org_id for m in result.moved}


def blackout(start: str, end: str, provinces: str, levels: str = '"district"') -> str:
    return (
        f'blackouts.ranges=[{{id="lockdown", start={start}, end={end}, '
        f"provinces={provinces}, levels=[{levels}]}}]"
    )


def test_no_change_moves_nothing() -> None:
    base = base_plan()
    result = run(tiny_problem(), base)
    assert result.status == "unchanged"
    assert result.moved == []
    assert result.plan is not None
    assert plan_dates(result.plan) == plan_dates(base)


def test_local_blackout_moves_only_the_congresses_on_it() -> None:
    base = base_plan()
    old = plan_dates(base)
    day = old["a1"][0]
    # province 1 (central a with a1, a2) loses the day a1 sits on; province 2 keeps it
    change = blackout(day.isoformat(), day.isoformat(), "[1]")
    problem = tiny_problem(change)
    on_day = {o for o in ("a1", "a2") if old[o][0] == day}
    result = run(problem, base)
    assert result.stage == "peers"  # only the districts sharing a's daily capacity may move
    # each district on the blacked-out day must leave it, and nothing else has to move
    assert moved_ids(result) == on_day
    assert result.minimal
    for m in result.moved:
        assert m.old_start == day and m.new_start != day
    assert plan_dates(result.plan)["b1"] == old["b1"]


def test_change_that_forces_the_parent_escalates_to_the_central_stage() -> None:
    base = base_plan()
    old = plan_dates(base)
    # districts of province 1 may now sit until 10/2 but not in January: a1 and a2 end on 1/2
    # at the earliest, so their parent a (base start old["a"]) must start after that too
    sets = ["levels.district.window=[2020-01-10, 2020-02-10]"]
    change = blackout("2020-01-10", "2020-01-31", "[1]")
    problem = tiny_problem(*sets, change)
    result = run(problem, base)
    assert old["a"][0] <= D(2020, 2, 2)
    assert result.stage == "central"
    assert result.stages_tried == ["peers", "subtrees", "central"]
    assert moved_ids(result) == {"a1", "a2", "a"}
    assert result.minimal
    # each move says why: the districts for the new rules, their parent forced by them
    why = {m.org_id: m for m in result.moved}
    assert why["a"].family == "precedence" and why["a"].by in ("a1", "a2")
    assert why["a1"].family in ("level_window", "blackout")
    assert result.repaired is not None and len(result.moved) <= result.repaired


def test_held_congress_is_a_fact_and_never_moves() -> None:
    base = base_plan()
    old = plan_dates(base)
    day = old["a1"][0]
    change = blackout(day.isoformat(), day.isoformat(), "[1]")
    problem = tiny_problem(change)
    # a2 was actually held on that very day: it stays (a fact), only a1 moves
    held = {"a2": old["a2"]}
    assert old["a2"][0] == day
    result = run(problem, base, held)
    assert moved_ids(result) == {"a1"}
    assert plan_dates(result.plan)["a2"] == old["a2"]


def test_held_on_other_dates_outside_the_window_is_recorded_not_flagged() -> None:
    base = base_plan()
    problem = tiny_problem()
    held = {"a1": (D(2020, 1, 8), D(2020, 1, 8))}  # before the district window opens
    result = run(problem, base, held)
    assert result.moved == []
    assert [m.org_id for m in result.held_changes] == ["a1"]
    assert plan_dates(result.plan)["a1"] == held["a1"]


def test_held_column_in_the_base_plan() -> None:
    base = base_plan()
    old = plan_dates(base)
    text = plan_to_csv(base)
    lines = text.splitlines()
    lines[0] += ",held"
    lines[1:] = [line + (",1" if line.startswith("congress:a2,") else ",") for line in lines[1:]]
    marked = read_plan_text("\n".join(lines) + "\n", "base.csv")
    day = old["a1"][0]
    problem = tiny_problem(blackout(day.isoformat(), day.isoformat(), "[1]"))
    result = run(problem, marked)
    assert moved_ids(result) == {"a1"}
    assert result.plan is not None
    assert "held" in plan_to_csv(result.plan).splitlines()[0].split(",")


def test_congress_missing_from_the_base_plan_is_placed() -> None:
    base = base_plan()
    partial = base[base["org_id"] != "b1"]
    result = run(tiny_problem(), partial)
    assert [m.org_id for m in result.moved] == ["b1"]
    assert result.moved[0].old_start is None


def test_impossible_change_reports_no_plan() -> None:
    base = base_plan()
    change = blackout("2020-01-10", "2020-01-31", "[1]")  # the whole district window
    result = replan(
        tiny_problem(change), base, time_limit=5.0, workers=1, seed=0, deterministic=True
    )
    assert result.plan is None
    assert result.status == "INFEASIBLE"
    assert result.stages_tried == ["peers", "subtrees", "central", "all"]


def wide_tree() -> OrgTree:
    extra = [org(f"a{i}", Level.DISTRICT, "a", 1) for i in range(3, 6)]
    extra += [org(f"b{i}", Level.DISTRICT, "b", 2) for i in range(2, 4)]
    return tiny_tree(extra)


@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    first=st.integers(10, 31),
    length=st.integers(0, 12),
    province=st.sampled_from(["[1]", "[2]", "[1, 2]"]),
    levels=st.sampled_from(['"district"', '"central"', '"district", "central"']),
    capacity=st.sampled_from([[], ["levels.district.parent_daily_capacity=2"]]),
)
def test_replan_agrees_with_solving_from_scratch(
    first: int, length: int, province: str, levels: str, capacity: list[str]
) -> None:
    """Re-planning finds a plan exactly when solving from scratch does, and it validates."""
    tree = wide_tree()
    base = base_plan(tree)
    start = D(2020, 1, 1) + dt.timedelta(days=first)
    end = start + dt.timedelta(days=length)
    sets = [*capacity, blackout(start.isoformat(), end.isoformat(), province, levels)]
    problem = tiny_problem(*sets, tree=tree)
    result = run(problem, base)
    scratch = solve(problem, time_limit=5.0, workers=1, seed=0, deterministic=True)
    assert scratch.status in ("OPTIMAL", "FEASIBLE", "INFEASIBLE")
    assert (result.plan is not None) == scratch.feasible
    if result.plan is not None:
        old, new = plan_dates(base), plan_dates(result.plan)
        assert moved_ids(result) == {o for o in new if new[o] != old.get(o)}


def test_a_base_of_another_scenario_or_era_is_refused() -> None:
    """D1: a re-plan base must be a plan of the same scenario id and era. A 2020 plan offered
    as the base of the 2015 cycle "re-planned" it by moving every congress 1,776 days and was
    stored as proven optimal; now it is refused with a bilingual message."""
    import pytest

    from planner.errors import PlannerError
    from tests.tiny import TINY_SCENARIO, tiny_scenario

    base = base_plan()  # made for scenario "tiny", era 2020
    other = tiny_scenario(text=TINY_SCENARIO.replace('id = "tiny"', 'id = "other"'))
    problem = build_problem(other, tiny_tree())
    with pytest.raises(PlannerError) as refused:
        replan(problem, base, time_limit=5.0, workers=1, seed=0, deterministic=True)
    assert "'tiny'" in refused.value.text_vi() and "'other'" in refused.value.text_en()
    assert "cùng kịch bản" in refused.value.text_vi()
    assert tiny_problem().scenario.era == "2020"
    with pytest.raises(PlannerError) as refused:
        replan(tiny_problem(), base, time_limit=5.0, workers=1, deterministic=True, base_era="2015")
    assert "2015" in refused.value.text_vi() and "same era" in refused.value.text_en()
    same = replan(
        tiny_problem(), base, time_limit=5.0, workers=1, deterministic=True, base_era="2020"
    )
    assert same.status == "unchanged"


def test_a_replan_states_its_objective_never_proven_best() -> None:
    """D8: the proof of the fewest moves is not a proof of the plan's objective: the result
    carries the new plan's objective (computed from its dates, as the solver's objective is)
    and says both in words."""
    from planner.analysis.replan import proof_words
    from planner.problem.objective import plan_objective

    base = base_plan()
    problem = tiny_problem(blackout("2020-01-10", "2020-01-12", "[1]"))
    result = run(problem, base)
    assert result.plan is not None and result.objective is not None
    starts = {o: s for o, (s, _e) in plan_dates(result.plan).items()}
    assert result.objective == plan_objective(problem, starts)
    summary = result.as_dict()
    assert summary["objective"] == result.objective and summary["objective_proven"] is False
    vi, en = proof_words(True, "40", "40")
    assert vi == "Dời ít nhất: đã chứng minh; mục tiêu kế hoạch 40, chưa chứng minh là tốt nhất"
    assert en == "fewest moves, proven; plan objective 40, not proven best"
    assert proof_words(False, None, None) == (
        "Dời ít nhất: chưa chứng minh",
        "fewest moves, not proven",
    )


def test_a_replan_reports_its_real_elapsed_time_against_the_budget() -> None:
    """D20: a re-plan with a 5 s budget took 8.5 s without saying so. With a tiny wall-clock
    budget on the default scenario, counted from before the base plan is read, the result
    states the elapsed time from the budget's start (at least its own time, at most what the
    caller measured) and calls an overrun an overrun."""
    import time

    from planner.problem.units import build_problem as build
    from planner.scenario.builder import load_scenario
    from planner.solver.budget import Budget
    from planner.tree.build import build_tree

    tree = build_tree()
    before = load_scenario(None, ["levels.central.window=[2020-09-15, 2020-10-31]"])
    solved = solve(build(before, tree), time_limit=4.0, workers=1, seed=0, deterministic=True)
    assert solved.plan is not None
    base = read_plan_text(plan_to_csv(solved.plan), "base.csv")
    problem = build(load_scenario(None, ["levels.central.window=[2020-09-20, 2020-10-31]"]), tree)
    started = time.monotonic()
    result = replan(problem, base, budget=Budget(0.1, started=started), workers=1, seed=0)
    measured = time.monotonic() - started
    assert result.plan is not None and result.moved
    assert validate(problem, result.plan, complete=True).ok
    assert result.wall_time <= result.elapsed <= measured
    assert result.time_limit == 0.1
    assert result.over_budget == (result.elapsed > 0.1)
    summary = result.as_dict()
    assert summary["elapsed_s"] == round(result.elapsed, 3) and summary["time_limit_s"] == 0.1
    assert summary["over_budget"] is result.over_budget


def test_a_stored_replan_never_reads_as_proven_optimal(tmp_path: Path) -> None:
    """D1: a re-plan stored as OPTIMAL (before issue 19) was shown to every user as "Tối ưu
    (đã chứng minh)" though the proof was of the fewest moves only. Read back, its plan is
    valid (FEASIBLE), the proof of the moves is kept apart, and it has no bound; a solve's
    OPTIMAL stays."""
    from planner.store import plans
    from planner.store.recovery import open_store

    store = open_store(tmp_path / "home").store
    csv = plan_to_csv(base_plan())
    common = {"content_key": "k", "scenario": "s", "version": 1, "author": "t", "plan_csv": csv}
    report = {"status": "OPTIMAL", "bound": 5.0, "objective": 6282.0, "minimal": True}
    solved = plans.save_plan(store, kind="solve", report=report, **common)
    replanned = plans.save_plan(store, kind="replan", report=report, **common)
    shown = plans.get(store, replanned)
    assert shown is not None
    assert shown.report["status"] == "FEASIBLE" and shown.report["moves_status"] == "OPTIMAL"
    assert shown.report["bound"] is None and shown.report["objective"] == 6282.0
    kept = plans.get(store, solved)
    assert kept is not None and kept.report["status"] == "OPTIMAL"
