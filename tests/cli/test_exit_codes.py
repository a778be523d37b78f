"""Exit codes never lie (issue 11): 0 a validated plan, 1 proven infeasible, 2 bad input,
3 no plan within the budget; the greedy summary; solver-overflowing values refused at load."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.test_solve import run
from tests.conftest import QUICK_ARGS, REPO

QUICK = QUICK_ARGS


def test_greedy_prints_its_summary_without_a_bound(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The greedy strategy writes its plan and says it has no bound (it used to crash)."""
    out_file = tmp_path / "greedy.csv"
    code, out, err = run(capsys, "solve", *QUICK, "--strategy", "greedy", "--out", str(out_file))
    assert code == 0, err
    assert "FEASIBLE (greedy)" in out and "bound —" in out and "no bound" in out
    assert out_file.stat().st_size > 0
    assert "Traceback" not in err


def test_exit_0_for_a_validated_plan(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "solve", *QUICK, "--time-limit", "20")
    assert code == 0, err
    assert "OPTIMAL" in out or "FEASIBLE" in out


def test_exit_1_only_when_proven_infeasible(capsys: pytest.CaptureFixture[str]) -> None:
    """One central congress a day in a window too short: proven, with a pointer to check."""
    code, _out, err = run(
        capsys,
        "solve",
        *QUICK,
        "--set",
        "levels.central.daily_capacity=1",
        "--set",
        "levels.central.window=[2020-09-01, 2020-10-31]",
    )
    assert code == 1
    assert "INFEASIBLE" in err and "planner check" in err


def test_exit_3_when_the_budget_is_far_too_small() -> None:
    """A tenth of a second, counted from the start of the command, cannot even read the
    scenario: exit 3, never 1, with the advice to raise --time-limit."""
    done = subprocess.run(
        [sys.executable, "-m", "planner", "solve", "--time-limit", "0.1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 3, done.stderr
    assert "--time-limit" in done.stderr and "may still exist" in done.stderr
    assert "INFEASIBLE" not in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""


def test_the_budget_bounds_the_whole_command() -> None:
    """Nationwide with two seconds: the command ends with a plan (0) or undecided (3), within
    the budget plus a stated overhead (generous here: the machine may be loaded)."""
    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "planner",
            "solve",
            str(REPO / "data" / "scenarios" / "xiii-2020-full.toml"),
            "--time-limit",
            "2",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    elapsed = time.monotonic() - started
    assert done.returncode in (0, 3), done.stderr
    assert "Traceback" not in done.stderr
    assert elapsed < 2 + 10, elapsed


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--set", "objective.preferred_weight=9223372036854775807"], "preferred_weight"),
        (["--set", "objective.peak_weight=100000"], "peak_weight"),
        (["--set", "families.precedence.weight=99999999999"], "families.precedence.weight"),
        (["--set", "gaps.child_before_parent_days=9223372036854775807"], "child_before_parent"),
        (["--set", "alignment.central_before_national_days=99999999"], "central_before_national"),
        (["--set", "pilots.lead_days=9223372036854775807"], "lead_days"),
        (["--set", "levels.central.daily_capacity=9223372036854775807"], "daily_capacity"),
        (["--set", "horizon.start=0001-01-01"], "1900"),
        (["--set", "election.day=9999-12-26"], "2200"),
        (["--set", "horizon.end=2099-12-31"], "20"),
        (["--seed", "99999999999999999999"], "--seed"),
        (["--seed", "-1"], "--seed"),
        (["--workers", "0"], "--workers"),
        (["--time-limit", "inf"], "--time-limit"),
        (["--time-limit", "nan"], "--time-limit"),
        (["--time-limit", "1e9"], "--time-limit"),
        (["--time-limit", "0"], "--time-limit"),
        (["--time-limit", "soon"], "--time-limit"),
    ],
    ids=lambda v: v if isinstance(v, str) else " ".join(v)[:40],
)
def test_values_that_would_overflow_the_solver_are_refused(
    capsys: pytest.CaptureFixture[str], argv: list[str], needle: str
) -> None:
    """Exit 2 with one bilingual line naming the value, before any solving (never
    MODEL_INVALID, never a traceback)."""
    code, out, err = run(capsys, "solve", *argv)
    assert code == 2, err
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Lỗi" in lines[0] and "Error" in lines[0]
    assert needle in lines[0]
    assert "MODEL_INVALID" not in err and "Traceback" not in err


def test_an_impossible_scenario_is_never_told_to_raise_the_time(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """D7 (CLI): one central congress a day cannot hold 67 three-day congresses in the window;
    when the search stops undecided, the pre-checks prove it impossible: exit 1, no advice to
    raise --time-limit."""
    code, _out, err = run(
        capsys, "solve", "--set", "levels.central.daily_capacity=1", "--time-limit", "5",
        "--workers", "2",
    )  # fmt: skip
    assert code == 1, err
    assert "more time cannot help" in err and "planner check" in err
    assert "Raise --time-limit" not in err and "Traceback" not in err


def test_exit_70_and_no_plan_when_the_validator_refuses_the_solvers_plan(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plan the independent validator refuses is a bug: it is never written, the violations
    are printed with a bilingual line, exit 70 and no traceback."""
    from types import SimpleNamespace

    import planner.cli.solve as command

    refused = SimpleNamespace(ok=False, violations=[SimpleNamespace(message_en="planted")])
    monkeypatch.setattr(command, "validate", lambda *_a, **_k: refused)
    out_file = tmp_path / "plan.csv"
    code, _out, err = run(capsys, "solve", *QUICK, "--strategy", "greedy", "--out", str(out_file))
    assert code == 70
    assert "BUG: planted" in err and "Lỗi nội bộ" in err and "Internal error" in err
    assert "Traceback" not in err and not out_file.exists()
