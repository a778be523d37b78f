"""Shared fixtures: the repository's data folder and helpers to write broken copies of it."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
# the quick cut of the built-in scenario (national, central, Ninh Bình's districts) as CLI options
QUICK_ARGS = [
    "--set",
    "levels.grassroots.plan=false",
    "--set",
    "levels.district.provinces=[37]",
    "--set",
    'pilots.units=["d369"]',
]


@pytest.fixture
def raw_rules() -> dict[str, dict[str, Any]]:
    """The rule files parsed with tomllib only (independent of planner.rules.catalogue)."""
    return {
        path.stem: tomllib.loads(path.read_text(encoding="utf-8"))
        for path in sorted((DATA / "rules").glob("*.toml"))
    }


@pytest.fixture(scope="session")
def default_problem():  # type: ignore[no-untyped-def]
    """The built-in scenario's problem (national, 67 central, ~1,161 district, Ninh Bình)."""
    from planner.problem.units import build_problem
    from planner.scenario.builder import load_scenario
    from planner.tree.build import build_tree

    return build_problem(load_scenario(), build_tree())


@pytest.fixture(scope="session")
def default_report(default_problem):  # type: ignore[no-untyped-def]
    """The built-in scenario solved once per test session (fixed seed, 2 workers, time limit)."""
    from planner.solver import solve

    report = solve(default_problem, time_limit=4.0, workers=2, seed=0, deterministic=True)
    assert report.plan is not None
    return report


@pytest.fixture(scope="session")
def solved_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default scenario solved once by ``planner solve --out plan.csv`` (read-only)."""
    import contextlib
    import io

    from planner.cli.main import main

    path = tmp_path_factory.mktemp("solve") / "plan.csv"
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(
            ["solve", "--time-limit", "4", "--deterministic", "--seed", "0", "--out", str(path)]
        )
    assert code == 0, out.getvalue()
    assert "validated" in out.getvalue()
    return path


def replace_once(path: Path, old: str, new: str) -> None:
    """Break a copied data file on purpose: replace the first ``old`` (which must be there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
