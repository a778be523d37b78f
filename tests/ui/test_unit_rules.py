"""The rules the Unit page shows for one congress (``planner.ui.binding``): each is the rule the
solver and the validator apply to that unit, with the value they use, in both eras."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from planner.analysis.validate import validate
from planner.problem.units import Problem, build_problem
from planner.scenario.builder import load_scenario, tree_for
from planner.solver import solve
from planner.ui.binding import Bound, binding_rules
from tests.conftest import DATA, QUICK_ARGS

QUICK_2025 = [
    "--set",
    "levels.grassroots.plan=false",
    "--set",
    "levels.commune.provinces=[37]",
]


@lru_cache(maxsize=4)
def _solved(name: str, *sets: str) -> tuple[Problem, pd.DataFrame]:
    """A cut of a built-in scenario, solved (2 workers, seed 0, short limit) and validated."""
    scenario = load_scenario(DATA / "scenarios" / f"{name}.toml", sets[1::2])
    problem = build_problem(scenario, tree_for(scenario))
    report = solve(problem, time_limit=3.0, workers=2, seed=0, deterministic=True)
    assert report.plan is not None
    assert validate(problem, report.plan).ok
    return problem, report.plan


def _rows(bounds: list[Bound], family: str) -> list[Bound]:
    return [b for b in bounds if b.family == family]


def test_central_committee_gap_to_the_national_congress_is_the_alignment_gap() -> None:
    """D10: Ninh Bình's (p37) minimum gap to the National Congress is the central-before-national
    gap of the scenario (60 days), not the child-before-parent gap (7); the National Congress's
    closest child is held to the same 60 days; no row claims 7 days against the National
    Congress."""
    problem, plan = _solved("xiii-2020", *QUICK_ARGS)
    assert problem.scenario.central_before_national_days == 60
    assert problem.scenario.child_before_parent_days == 7
    bounds = binding_rules(problem, plan, "p37")
    national = [b for b in bounds if "Đại hội toàn quốc" in b.detail_vi]
    assert len(national) == 1, [b.detail_vi for b in bounds]
    assert national[0].family == "election_alignment"
    assert national[0].rule == "alignment.central_before_national_days"
    assert national[0].detail_vi.endswith("tối thiểu 60")
    assert not any("tối thiểu 7" in b.detail_vi for b in national)
    below = [b for b in binding_rules(problem, plan, "vn") if "cấp dưới" in b.detail_vi]
    assert len(below) == 1 and below[0].detail_vi.endswith("tối thiểu 60")
    # a district committee under Ninh Bình keeps the 7-day gap to its parent
    district = binding_rules(problem, plan, "d369")
    above = _rows(district, "precedence")
    assert len(above) == 1 and above[0].detail_vi.endswith("tối thiểu 7")


def test_every_rule_row_is_the_unit_s_own_rule() -> None:
    """D10: a pilot's window is the directive's pilot window (its rule id), a pilot shows its
    lead over its siblings and a sibling its lag after the pilot; the National Congress shows
    its gap to the election step it must end before."""
    problem, plan = _solved("xiii-2020", *QUICK_ARGS)
    pilot = binding_rules(problem, plan, "d369")
    windows = _rows(pilot, "level_window")
    assert {b.rule for b in windows} == {"d35.pilot.district"}
    lead = _rows(pilot, "pilot")
    assert len(lead) == 1 and lead[0].rule == "pilots.lead_days"
    sibling = next(c for c in problem.by_parent["p37"] if c != "d369")
    lag = _rows(binding_rules(problem, plan, sibling), "pilot")
    assert len(lag) == 1 and "d369" in lag[0].detail_vi
    national = binding_rules(problem, plan, "vn")
    steps = [b for b in _rows(national, "election_alignment") if b.rule.startswith("el.")]
    assert [b.rule for b in steps] == [problem.scenario.national_before_step]
    assert steps[0].detail_vi.endswith(f"tối thiểu {problem.scenario.national_before_step_days}")


def test_rules_of_the_2025_era_without_districts() -> None:
    """D10, 2025 era (no district level): a provincial committee's gap to the National Congress
    is 60 days, a commune's gap to its province 7; the National Congress sits between two
    consultative conferences and shows both gaps."""
    problem, plan = _solved("xiv-2025", *QUICK_2025)
    province = binding_rules(problem, plan, "p37")
    assert [b.rule for b in province if "Đại hội toàn quốc" in b.detail_vi] == [
        "alignment.central_before_national_days"
    ]
    commune = next(c for c in problem.by_parent["p37"] if problem.unit(c).level.value == "commune")
    above = _rows(binding_rules(problem, plan, commune), "precedence")
    assert len(above) == 1 and above[0].detail_vi.endswith("tối thiểu 7")
    steps = _rows(binding_rules(problem, plan, "vn"), "election_alignment")
    assert {b.rule for b in steps if b.rule.startswith("el.")} == {
        problem.scenario.national_before_step,
        problem.scenario.national_after_step,
    }


def test_a_family_switched_off_is_not_shown() -> None:
    """D10: with the precedence family off, no gap to the parent is shown for a district."""
    problem, plan = _solved("xiii-2020", *QUICK_ARGS, "--set", "families.precedence.enabled=false")
    assert not _rows(binding_rules(problem, plan, "d369"), "precedence")


def test_no_rule_cites_a_file_path() -> None:
    """D21 (Unit page): a window without a rule of its own cites the Central Committee's
    decision on the National Congress from the calendar data, never a data file's path."""
    problem, plan = _solved("xiii-2020", *QUICK_ARGS)
    for org_id in ("vn", "p37", "d369"):
        for bound in binding_rules(problem, plan, org_id):
            assert "data/" not in bound.source and ".toml" not in bound.source, bound
