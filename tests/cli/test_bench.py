"""`planner bench --quick` runs every case, and its plans validate (no timing asserted)."""

from __future__ import annotations

import pytest

from planner.cli.bench import CASES, QUICK_SKIP, run_case


@pytest.mark.parametrize(
    "name", ["full-decomposed", "full-monolithic", "full-greedy", "full-under-load"]
)
def test_quick_solve_cases_validate(name: str) -> None:
    """Every strategy produces a complete plan that the validator accepts on the quick cut."""
    row = run_case(name, quick=True)
    assert row["status"] in ("OPTIMAL", "FEASIBLE")
    assert row["valid"] is True
    assert row["peak_mib"] > 0
    assert row["units"] > 70  # national, 67 central, Ninh Bình's districts


def test_quick_replan_case_moves_only_inside_the_province() -> None:
    row = run_case("replan-province", quick=True)
    assert row["status"] in ("OPTIMAL", "FEASIBLE")
    assert row["valid"] is True
    assert " 0 outside the province" in row["detail"]


def test_quick_central_window_case_moves_nothing_below_the_central_level() -> None:
    row = run_case("replan-central-window", quick=True)
    assert row["status"] in ("OPTIMAL", "FEASIBLE")
    assert row["valid"] is True
    assert " 0 below the central level" in row["detail"]


def test_quick_diagnose_case_finds_a_verified_way_out() -> None:
    """The election conflict is diagnosed with a verified suggestion in the quick scenario."""
    row = run_case("diagnose-election", quick=True)
    assert row["status"] == "infeasible"
    assert "election.day=2021-05-09" in row["detail"]


def test_cases_cover_the_issue() -> None:
    """Decomposed, monolithic and greedy on both instances, re-planning and diagnosis."""
    for instance in ("default", "full"):
        for strategy in ("decomposed", "monolithic", "greedy"):
            assert f"{instance}-{strategy}" in CASES
    assert {"replan-province", "diagnose-capacity", "ical-export"} <= set(CASES)
    assert {"full-under-load", "replan-central-window"} <= set(CASES)
    assert set(QUICK_SKIP) < set(CASES)


def test_quick_2025_case_is_proven_and_validates() -> None:
    """Issue 20.6: the 2025 nationwide case (quick: HCMC's 172 communes, the largest group
    under one parent's daily limit) is benchmarked, proven optimal, and its plan validates."""
    assert {"full2025-decomposed", "full2025-greedy"} <= set(CASES)
    row = run_case("full2025-decomposed", quick=True)
    assert row["valid"] is True
    assert row["status"] == "OPTIMAL"
    assert row["units"] > 172
    assert "det. s" in row["detail"]


@pytest.mark.parametrize("name", ["actuals-import-50k", "progress-nationwide"])
def test_quick_actuals_cases_run(name: str) -> None:
    """Issue 21: the import records every row; the command's JSON equals the function's."""
    row = run_case(name, quick=True)
    assert row["valid"] is True and row["units"] > 70


def test_quick_cases_with_and_without_the_steps() -> None:
    """Issue 20 point 2: default, nationwide 2020 and 2025 are benchmarked with and without
    the preparation steps in one run; with them the quick cut schedules the 67 reviews."""
    for name in ("default-decomposed", "full-decomposed", "full2025-decomposed"):
        assert f"{name}-nosteps" in CASES
    with_steps = run_case("full-decomposed", quick=True)
    without = run_case("full-decomposed-nosteps", quick=True)
    assert with_steps["valid"] is True and without["valid"] is True
    assert "67 reviews scheduled" in with_steps["detail"]
    assert "steps off" in without["detail"]
