"""Issue 21, point 3: ``planner check --plan PLAN.csv --actuals FILE.csv --today DATE`` checks a
plan against what happened: the held congresses on their actual dates, nothing not yet held
before today (the validator's rules ``pin`` and ``today``), exit 1 naming the rule when broken.

The day and the actuals are those of :mod:`tests.analysis.test_replan_today` (1/9/2020, the day
after the
district window closed, four Ninh Bình districts not held, one postponed, one ward merged).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from tests.analysis.test_replan_today import TODAY, actuals  # noqa: F401 (the fixture)
from tests.cli.test_solve import read_rows, run


def test_a_replan_from_today_passes_the_check(
    capsys: pytest.CaptureFixture[str],
    solved_csv: Path,
    actuals: Path,  # noqa: F811 (the fixture imported above)
    tmp_path: Path,
) -> None:
    """The re-plan from today is valid against the same actuals and day (exit 0), and the
    check says the day and the relaxed district deadline in both languages."""
    new = tmp_path / "new.csv"
    day = TODAY.isoformat()
    code, _out, err = run(
        capsys, "replan", str(solved_csv), "--actuals", str(actuals), "--today", day,
        "--out", str(new),
    )  # fmt: skip
    assert code == 0, err
    code, out, err = run(
        capsys, "check", "--plan", str(new), "--actuals", str(actuals), "--today", day
    )
    assert code == 0, out + err
    assert "0 vi phạm / violations" in out
    assert f"checked from today: {day}" in err
    assert "không còn đạt được" in err and "can no longer be met" in err


def test_the_base_plan_breaks_today_and_a_held_date(
    capsys: pytest.CaptureFixture[str],
    solved_csv: Path,
    actuals: Path,  # noqa: F811 (the fixture imported above)
    tmp_path: Path,
) -> None:
    """The plan made before the actuals: the late districts are still planned before today
    (rule ``today``), and a congress reported held on other dates than planned breaks its held
    dates (family ``pin``): exit 1, each said in both languages with the rule named."""
    rows = list(csv.DictReader(actuals.open(encoding="utf-8")))
    held = next(r for r in rows if r["status"] == "held")
    planned = next(r for r in read_rows(solved_csv) if r["org_id"] == held["org_id"])
    assert (planned["start"], planned["end"]) == (held["start"], held["end"])
    week_early = {
        k: (dt.date.fromisoformat(held[k]) - dt.timedelta(days=7)).isoformat()
        for k in ("start", "end")
    }
    moved = tmp_path / "moved.csv"
    with moved.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(r if r is not held else {**held, **week_early} for r in rows)
    day = TODAY.isoformat()
    code, out, err = run(
        capsys, "check", "--plan", str(solved_csv), "--actuals", str(moved), "--today", day
    )
    assert code == 1, out + err
    assert (
        "· today]" in out and "trước hôm nay 1/9/2020" in out and "before today 2020-09-01" in out
    )
    assert "[pin] Đại hội" in out
    assert f"was held {week_early['start']} – {week_early['end']}, but the plan says" in out
    # without the actuals and today the same plan is valid: the failures come from them
    code, out, err = run(capsys, "check", "--plan", str(solved_csv))
    assert code == 0, out + err


def test_today_without_a_plan_is_a_bilingual_error(capsys: pytest.CaptureFixture[str]) -> None:
    """``--today`` applies to a plan only: exit 2 with the fix, never a traceback."""
    code, _out, err = run(capsys, "check", "--today", "2020-09-01")
    assert code == 2 and "--plan" in err and "Traceback" not in err


def test_check_takes_the_actuals_from_the_store(
    capsys: pytest.CaptureFixture[str],
    solved_csv: Path,
    actuals: Path,  # noqa: F811 (the fixture imported above)
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``--store`` checks against the actuals imported into the store, as from the file: the
    plan made before them breaks rule ``today`` (exit 1); both sources at once are refused."""
    monkeypatch.setenv("PLANNER_HOME", str(tmp_path / "home"))
    code, _out, err = run(capsys, "actuals", "import", str(actuals), "--author", "tester")
    assert code == 0, err
    day = TODAY.isoformat()
    code, out, err = run(capsys, "check", "--plan", str(solved_csv), "--store", "--today", day)
    assert code == 1 and "· today]" in out, out + err
    code, _out, err = run(
        capsys, "check", "--plan", str(solved_csv), "--store", "--actuals", str(actuals),
        "--today", day,
    )  # fmt: skip
    assert code == 2 and "Lỗi" in err and "Error" in err and "Traceback" not in err
