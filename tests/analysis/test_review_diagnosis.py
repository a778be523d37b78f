"""The feasibility diagnosis names the Politburo reviews when they cause it (issue 20, point 3).

The built-in 2020 scenario, central level only (67 committees, 4 of them reviewed by the whole
Politburo), made infeasible by the reviews alone: too few review places, a window opened too
late, a lead too long. The diagnosis names the ``review`` family, its rule and legal source, the
numbers of the pigeonhole, and verified ways out; each, applied, gives a plan the independent
validator accepts.
"""

from __future__ import annotations

import json
from functools import lru_cache

import pytest

from planner.analysis.diagnose import Diagnosis, apply_suggestion, diagnose
from planner.analysis.precheck import chain_bounds
from planner.analysis.review_check import review_capacity
from planner.analysis.validate import validate
from planner.cli.main import main
from planner.problem.units import build_problem
from planner.scenario.builder import load_scenario, tree_for
from planner.scenario.model import Scenario
from planner.solver import solve

CENTRAL = [
    "levels.district.plan=false",
    "levels.grassroots.plan=false",
    "preferred=[]",
    "pilots.units=[]",
]
FEW_PLACES = ["preparation.group_capacity=1", "preparation.review_groups=1"]
LATE_WINDOW = ['preparation.review_window=["2020-09-24", "2020-09-27"]']
LONG_LEAD = ["preparation.review_lead_days=90"]


def _scenario(*sets: str) -> Scenario:
    return load_scenario(sets=[*CENTRAL, *sets])


@lru_cache(maxsize=4)
def _diagnosis(*sets: str) -> Diagnosis:
    scenario = _scenario(*sets)
    return diagnose(scenario, tree_for(scenario), time_limit=5.0)


def _plans(scenario: Scenario) -> bool:
    """A plan exists (solved, then checked by the independent validator)."""
    problem = build_problem(scenario, tree_for(scenario))
    report = solve(
        problem, objective="none", time_limit=10.0, workers=2, seed=0, deterministic=True
    )
    assert report.status in ("OPTIMAL", "FEASIBLE", "INFEASIBLE"), report.status
    if report.plan is None:
        return False
    assert validate(problem, report.plan).ok
    return True


@pytest.mark.parametrize(
    ("sets", "families", "keys"),
    [
        (FEW_PLACES, ["review"], {"preparation.review_groups", "preparation.group_capacity"}),
        (LATE_WINDOW, ["review"], {"preparation.review_window"}),
        # the central deadline (31/10) is the other side: later congresses would have room
        (LONG_LEAD, ["level_window", "review"], {"preparation.review_lead_days"}),
    ],
    ids=["few-places", "late-window", "long-lead"],
)
def test_reviews_named_with_verified_ways_out(
    sets: list[str], families: list[str], keys: set[str]
) -> None:
    """Only the reviews make it infeasible: the diagnosis names them, and its ways out work."""
    scenario = _scenario(*sets)
    result = _diagnosis(*sets)
    assert result.status == "infeasible"
    assert result.families == families
    named = [c for c in result.conflicts if "review" in c.families]
    assert named and all("p20.review.central" in c.message_vi for c in named)
    assert all("Kết luận 79-KL/TW" in c.message_en for c in named)
    verified = {s.key: s for s in result.suggestions if s.verified}
    assert keys <= set(verified), [s.as_dict() for s in result.suggestions]
    for key in keys:
        assert _plans(apply_suggestion(scenario, verified[key])), key


def test_pigeonhole_counts_the_review_places() -> None:
    """One group of capacity 1: 63 group reviews, 56 places from 23/7 to 27/9/2020 (Sundays,
    2/9 and the plenums off); the least changes it names are the verified ones."""
    problem = build_problem(_scenario(*FEW_PLACES), tree_for(_scenario()))
    (conflict,) = review_capacity(problem, chain_bounds(problem))
    assert conflict.families == ["review"] and len(conflict.units) == 63
    assert conflict.message_vi.startswith("63 cuộc duyệt không thể xếp trong 23/7/2020–27/9/2020")
    assert "1 review group × 1 a day: only 56 places" in conflict.message_en
    assert "preparation.review_groups = 2" in conflict.message_en
    assert "preparation.group_capacity = 2" in conflict.message_en
    opened = next(s for s in _diagnosis(*FEW_PLACES).suggestions if s.key.endswith("window"))
    assert f"open the review window on {opened.value[0]}" in conflict.message_en


def test_feasible_reviews_are_not_a_conflict() -> None:
    """The default capacity (3 groups × 2 a day) fits: no review conflict, a plan."""
    scenario = _scenario()
    problem = build_problem(scenario, tree_for(scenario))
    assert review_capacity(problem, chain_bounds(problem)) == []
    assert diagnose(scenario, tree_for(scenario), time_limit=5.0).status == "feasible"


def test_review_family_off_plans_without_reviews() -> None:
    """``families.review.enabled=false`` switches the reviews off (the filter's switch)."""
    assert _plans(_scenario(*FEW_PLACES, "families.review.enabled=false"))


def test_drill_down_says_what_the_reviews_had_to_give() -> None:
    """The elastic model relaxes the reviews (soft family): its sentence says how (late reviews
    or over capacity), in both languages."""
    (drill,) = [c for c in _diagnosis(*FEW_PLACES).conflicts if c.stage == "families"]
    assert "Bộ Chính trị duyệt trước đại hội (" in drill.message_vi
    assert "too close to the congress" in drill.message_en or "over capacity" in drill.message_en


def test_cli_check_json_names_the_reviews(capsys: pytest.CaptureFixture[str]) -> None:
    """`planner check --format json`: infeasible (exit 1), the review rule and a verified
    ``preparation.review_groups`` way out, ready to paste."""
    argv = [a for s in [*CENTRAL, *FEW_PLACES] for a in ("--set", s)]
    code = main(["check", *argv, "--deterministic", "--format", "json"])
    payload = json.loads(capsys.readouterr().out)
    assert (code, payload["status"], payload["minimal_families"]) == (1, "infeasible", ["review"])
    assert any("63 reviews cannot fit" in c["message_en"] for c in payload["conflicts"])
    assert any(c["message_vi"].startswith("63 cuộc duyệt") for c in payload["conflicts"])
    ways = {s["set"] for s in payload["suggestions"] if s["verified"]}
    assert "preparation.review_groups=2" in ways


def test_review_groups_keeps_or_copies_groups() -> None:
    """``preparation.review_groups``: fewer keeps the data's first groups; more adds copies of
    the last one (``group-4``, marked assumed); the whole Politburo stays."""
    one = _scenario("preparation.review_groups=1").preparation
    four = _scenario("preparation.review_groups=4").preparation
    assert one is not None and four is not None
    assert [g.id for g in one.data.groups()] == ["group-1"]
    assert [g.id for g in four.data.groups()] == ["group-1", "group-2", "group-3", "group-4"]
    added = four.data.body("group-4")
    assert added.status == "belief" and "thêm" in added.name_vi and "added" in added.name_en
    assert four.data.body("politburo").kind == "whole"
