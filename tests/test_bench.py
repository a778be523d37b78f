"""`planner bench --quick` runs every case, and its plans validate (no timing asserted)."""

from __future__ import annotations

from planner.bench import CASES, run_case


def test_quick_solve_cases_validate() -> None:
    """Both solver strategies produce a complete, valid plan on the quick scenario."""
    for name in ("solve-decomposed", "solve-monolithic"):
        row = run_case(name, quick=True)
        assert row["status"] in ("OPTIMAL", "FEASIBLE")
        assert row["valid"] is True
        assert row["peak_mib"] > 0


def test_quick_diagnose_case_finds_a_verified_way_out() -> None:
    """The election conflict is diagnosed with a verified suggestion in the quick scenario."""
    row = run_case("diagnose-election", quick=True)
    assert row["status"] == "infeasible"
    assert "election.day=2021-05-09" in row["detail"]


def test_cases_are_named() -> None:
    """The benchmark covers solving and diagnosis."""
    assert {"solve-decomposed", "solve-monolithic", "diagnose-capacity"} <= set(CASES)
