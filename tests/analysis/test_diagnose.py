"""Diagnosis: the fixture library of infeasible scenarios, and properties on random ones."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from planner.analysis.diagnose import apply_suggestion, diagnose, toml_value, with_families
from planner.problem.units import build_problem
from planner.scenario.builder import build_scenario
from planner.scenario.model import Scenario
from planner.solver import solve
from tests.solver.test_properties import random_case
from tests.tiny import TINY_SCENARIO, tiny_scenario, tiny_tree

FIXTURES = sorted((Path(__file__).parents[1] / "fixtures" / "infeasible").glob("*.toml"))


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _expect(text: str, name: str) -> list[str]:
    for line in text.splitlines():
        if line.startswith(f"# {name}:"):
            return [x.strip() for x in line.split(":", 1)[1].split(",") if x.strip()]
    return []


def _fixture(path: Path) -> Scenario:
    text = path.read_text(encoding="utf-8")
    raw = _merge(tomllib.loads(TINY_SCENARIO), tomllib.loads(text))
    return build_scenario(raw, text, path.name)


def _feasible(scenario: Scenario) -> bool:
    report = solve(
        build_problem(scenario, tiny_tree()), time_limit=5.0, workers=1, seed=0, deterministic=True
    )
    assert report.status in ("OPTIMAL", "FEASIBLE", "INFEASIBLE"), report.status
    return report.plan is not None


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_fixture(path: Path) -> None:
    """Each fixture reports its families exactly, its units, and a verified way out."""
    text = path.read_text(encoding="utf-8")
    scenario = _fixture(path)
    result = diagnose(scenario, tiny_tree(), time_limit=5.0)
    assert result.status == "infeasible"
    assert sorted(result.families) == sorted(_expect(text, "families"))
    assert result.minimal
    reported = {u for c in result.conflicts for u in c.units}
    assert set(_expect(text, "units")) <= reported
    for conflict in result.conflicts:
        assert conflict.message_vi and conflict.message_en
        assert conflict.message_vi != conflict.message_en
        assert conflict.sources and all(conflict.sources)
    keys = {s.key for s in result.suggestions if s.verified}
    assert set(_expect(text, "suggests")) <= keys, [s.as_dict() for s in result.suggestions]
    for suggestion in result.suggestions:
        assert _feasible(apply_suggestion(scenario, suggestion)) == suggestion.verified


def test_fixture_library_covers_every_family() -> None:
    """The library has at least one fixture for every family the filter can report."""
    named = {f for p in FIXTURES for f in _expect(p.read_text(encoding="utf-8"), "families")}
    assert {
        "level_capacity",
        "parent_capacity",
        "pilot",
        "blackout",
        "pin",
        "election_alignment",
        "precedence",
        "level_window",
    } <= named


def test_feasible_scenario() -> None:
    """A feasible scenario says so, with a plan and no conflicts."""
    result = diagnose(tiny_scenario(), tiny_tree())
    assert result.status == "feasible" and result.plan is not None and not result.conflicts
    assert result.as_dict()["status"] == "feasible"


def test_json_shape() -> None:
    """The JSON has status, conflicts and suggestions with the documented keys."""
    result = diagnose(_fixture(FIXTURES[0]), tiny_tree())
    payload = result.as_dict()
    assert payload["status"] == "infeasible"
    conflict = payload["conflicts"][0]
    assert {"families", "units", "dates", "message_vi", "message_en"} <= set(conflict)
    suggestion = payload["suggestions"][0]
    assert {"change", "key", "value", "message_vi", "message_en", "verified"} <= set(suggestion)


def test_toml_value_round_trip() -> None:
    """Suggestion values print as TOML that --set reads back."""
    assert toml_value(["2020-09-01", "2020-11-06"]) == "[2020-09-01, 2020-11-06]"
    assert toml_value({"org": "p37", "start": "2020-10-20"}) == '{org = "p37", start = 2020-10-20}'
    assert toml_value(False) == "false" and toml_value(4) == "4"


@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(random_case())
def test_random_infeasible_scenarios(case) -> None:  # type: ignore[no-untyped-def]
    """The reported set is infeasible and minimal; every verified suggestion makes a plan."""
    tree, sets = case
    scenario = tiny_scenario(*sets)
    result = diagnose(scenario, tree, time_limit=5.0)
    if result.status != "infeasible":
        return
    problem_of = lambda s: build_problem(s, tree)  # noqa: E731

    def feasible(s: Scenario) -> bool:
        return (
            solve(problem_of(s), time_limit=5.0, workers=1, seed=0, deterministic=True).plan
            is not None
        )

    assert not feasible(with_families(scenario, set(result.families)))
    for family_id in result.families:
        assert feasible(with_families(scenario, set(result.families) - {family_id}))
    for suggestion in result.suggestions:
        if suggestion.verified:
            assert feasible(apply_suggestion(scenario, suggestion))


def test_two_independent_conflicts_get_a_verified_pair() -> None:
    """No single change fixes both a pin past the deadline and too small a capacity: the
    diagnosis says what it tried, and a pair of changes, verified, restores a plan."""
    path = Path(__file__).parents[1] / "fixtures" / "infeasible" / "two_conflicts.toml"
    scenario = _fixture(path)
    result = diagnose(scenario, tiny_tree(), time_limit=5.0)
    assert result.status == "infeasible"
    assert not [s for s in result.suggestions if s.verified and s.parts == 1]
    pairs = [s for s in result.suggestions if s.verified and len(s.set_args) == 2]
    assert all(s.parts == 2 for s in result.suggestions if s.verified)
    assert pairs, [s.as_dict() for s in result.suggestions]
    pair = pairs[0]
    assert set(pair.keys) == {"levels.central.daily_capacity", "levels.central.window"}
    assert _feasible(apply_suggestion(scenario, pair))
    for k in range(2):  # each half alone is not enough
        alone = pair if k == 0 else pair.also[0]
        single = dataclasses.replace(alone, also=[])
        assert not _feasible(apply_suggestion(scenario, single))
    assert pair.set_arg == "' --set '".join(pair.set_args)  # pasted after --set ' by the CLI
    payload = result.as_dict()
    assert "No single change is enough" in payload["explanation_en"]
    assert "Không thay đổi đơn lẻ nào đủ" in payload["explanation_vi"]
    assert {t["outcome"] for t in payload["tried"]} == {"insufficient"}
    assert payload["suggestions"][0]["sets"] == pair.set_args


def test_diagnosis_always_answers_when_the_pair_search_has_no_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With no time left for pairs, the diagnosis still says what it tried and why."""
    import planner.analysis.diagnose as module

    monkeypatch.setattr(module, "PAIR_BUDGET", -1.0)
    path = Path(__file__).parents[1] / "fixtures" / "infeasible" / "two_conflicts.toml"
    result = diagnose(_fixture(path), tiny_tree(), time_limit=5.0)
    assert not [s for s in result.suggestions if s.verified]
    assert "401" in result.explanation_en and "ran out of time" in result.explanation_en
    assert "Hết thời gian" in result.explanation_vi


def test_drill_down_states_the_verified_capacity() -> None:
    """Nationwide capacity 1: the drill-down's number is the verified suggestion's (they agree,
    whatever the elastic model, which is not minimised, happened to use)."""
    from planner.scenario.builder import load_scenario
    from planner.tree.build import build_tree

    result = diagnose(load_scenario(sets=["levels.central.daily_capacity=1"]), build_tree())
    (suggestion,) = [s for s in result.suggestions if s.key == "levels.central.daily_capacity"]
    assert suggestion.verified
    drill = [c for c in result.conflicts if c.message_en.startswith("Conflict")]
    assert drill and f"needs {suggestion.value} central-level" in drill[0].message_en
    assert f"cần {suggestion.value} đại hội" in drill[0].message_vi


def test_the_drill_down_names_each_family_once_and_counts_its_units() -> None:
    """D19: nationwide capacity 1: the drill-down's sentence names each family once, and its
    units are "(total): the first few … and N others" with listed + others = the total."""
    import re

    from planner.rules.families import family
    from planner.scenario.builder import load_scenario
    from planner.tree.build import build_tree

    result = diagnose(load_scenario(sets=["levels.central.daily_capacity=1"]), build_tree())
    (drill,) = [c for c in result.conflicts if c.stage == "families"]
    assert len(drill.families) == 2
    for family_id in drill.families:
        assert drill.message_vi.count(family(family_id).name_vi) == 1, drill.message_vi
        assert drill.message_en.count(family(family_id).name_en) == 1, drill.message_en
    for text, pattern in (
        (drill.message_vi, r"Đơn vị \((\d+)\): (.*?)(?: và (\d+) đơn vị khác)?\. \["),
        (drill.message_en, r"Units \((\d+)\): (.*?)(?: and (\d+) others)?\. \["),
    ):
        found = re.search(pattern, text)
        assert found, text
        listed = sum(f"({u})" in found.group(2) for u in drill.units)
        others = int(found.group(3) or 0)
        assert int(found.group(1)) == len(drill.units) == listed + others == 67, text
