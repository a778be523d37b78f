"""`planner check` without --plan: the issue's two conflicts on the default scenario, and exit 0."""

from __future__ import annotations

import json

import pytest

from planner.cli.main import main

CAPACITY = [
    "--set",
    "levels.central.daily_capacity=1",
    "--set",
    "levels.central.window=[2020-09-01, 2020-10-31]",
]
ELECTION = [
    "--set",
    "election.day=2021-02-28",
    "--set",
    "levels.national.window=[2021-01-25, 2021-02-02]",
]


def _check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main(["check", *argv, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    ("argv", "family", "unit", "key"),
    [
        (CAPACITY, "level_capacity", "p37", "levels.central.daily_capacity"),
        (ELECTION, "election_alignment", "vn", "election.day"),
    ],
    ids=["capacity", "election"],
)
def test_conflict_is_explained(
    capsys: pytest.CaptureFixture[str], argv: list[str], family: str, unit: str, key: str
) -> None:
    """Exit 1 with families, units, bilingual messages and a verified suggestion to --set."""
    code, payload = _check(capsys, *argv)
    assert code == 1 and payload["status"] == "infeasible"
    families = {f for c in payload["conflicts"] for f in c["families"]}
    assert family in families and family in payload["minimal_families"]
    assert unit in {u for c in payload["conflicts"] for u in c["units"]}
    for conflict in payload["conflicts"]:
        assert "Chỉ thị 35-CT/TW" in conflict["message_vi"] or "Luật 85" in conflict["message_vi"]
        assert conflict["message_en"] and conflict["dates"]
    verified = [s for s in payload["suggestions"] if s["verified"]]
    assert key in {s["key"] for s in verified}
    chosen = next(s for s in verified if s["key"] == key)
    code, after = _check(capsys, *argv, "--set", chosen["set"])
    assert code == 0 and after["status"] == "feasible"


def test_default_scenario_is_feasible(capsys: pytest.CaptureFixture[str]) -> None:
    """The built-in scenario reports feasible with exit 0 and its key dates."""
    code, payload = _check(capsys)
    assert code == 0 and payload["status"] == "feasible"
    assert {row["what"].split(" ")[0] for row in payload["key_dates"]} >= {"central", "national"}


def test_text_output_names_the_way_out(capsys: pytest.CaptureFixture[str]) -> None:
    """The text report is bilingual and prints the --set that fixes the election conflict."""
    code = main(["check", *ELECTION])
    out = capsys.readouterr().out
    assert code == 1
    assert "Không khả thi" in out and "Infeasible" in out
    assert "--set 'election.day=2021-05-09'" in out
