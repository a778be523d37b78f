"""Re-planning moves the preparation steps with their congresses (issue 20, point 3), and a
complete plan needs every step row (point 3, the validator).

The base is the built-in 2020 scenario solved once (tests/conftest.py); the change moves the
central window's start past the first central congresses, so those must move (window rule
d35.start.central). Every re-plan passes the independent validator with ``complete=True``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest

from planner.analysis.replan import Replan, plan_dates, replan
from planner.analysis.replan_today import apply_actuals
from planner.analysis.validate import validate
from planner.cli.main import main
from planner.plan.actuals import Actual
from planner.problem.units import Problem, build_problem
from planner.rules.preparation import STEP_KINDS, StepRow
from planner.scenario.builder import load_scenario
from planner.tree.build import build_tree
from planner.tree.hierarchy import Level

ONE = dt.timedelta(days=1)
Steps = dict[tuple[str, str], tuple[dt.date, dt.date, str | None]]


def steps_of(plan: pd.DataFrame) -> Steps:
    """The plan's step rows: (org id, kind) → (start, end, body)."""
    rows = plan[plan["kind"].isin(STEP_KINDS)]
    return {
        (str(r.org_id), str(r.kind)): (r.start, r.end, r.body if isinstance(r.body, str) else None)
        for r in rows.itertuples(index=False)
    }


def later_window(default_problem: Problem, base: pd.DataFrame) -> tuple[Problem, set[str]]:
    """The scenario with the central window opening 3 days after the first central congress of
    ``base``; the central congresses that started before it."""
    dates = plan_dates(base)
    central = {u.org_id for u in default_problem.units if u.level == Level.CENTRAL}
    first = min(dates[o][0] for o in central)
    opening = first + 3 * ONE
    end = default_problem.scenario.levels[Level.CENTRAL].window[1]
    scenario = load_scenario(sets=[f"levels.central.window=[{opening}, {end}]"])
    early = {o for o in central if dates[o][0] < opening}
    return build_problem(scenario, build_tree()), early


def run(problem: Problem, base: pd.DataFrame, **options: object) -> Replan:
    result = replan(problem, base, time_limit=6.0, workers=2, seed=0, deterministic=True, **options)  # type: ignore[arg-type]
    assert result.plan is not None, result.status
    return result


@pytest.fixture(scope="module")
def moved(default_problem, default_report) -> tuple[Problem, pd.DataFrame, Replan, str]:  # type: ignore[no-untyped-def]
    """The later central window, with the review of one early congress marked held."""
    base = default_report.plan.copy()
    base.attrs.update(default_report.plan.attrs)
    problem, early = later_window(default_problem, base)
    held_org = sorted(early)[0]
    base["held"] = False
    mask = (base["kind"] == "review") & (base["org_id"] == held_org)
    assert mask.sum() == 1
    base.loc[mask, "held"] = True
    return problem, base, run(problem, base), held_org


def test_a_moved_congress_moves_its_steps_and_the_others_stay(moved, default_report) -> None:  # type: ignore[no-untyped-def]
    """The early central congresses move; each moved congress's review, announcement, report
    and approval follow its new dates (the report after its new close), the held review stays
    on its day, and every step of an unmoved congress is where the base had it."""
    problem, base, result, held_org = moved
    assert result.plan is not None
    old, new = steps_of(base), steps_of(result.plan)
    old_dates, new_dates = plan_dates(base), plan_dates(result.plan)
    movers = {m.org_id for m in result.moved}
    assert movers and all(problem.unit(o).level == Level.CENTRAL for o in movers)
    for org_id in movers - {held_org}:
        start, end = new_dates[org_id]
        report_start, _report_end, _ = new[(org_id, "report")]
        assert end < report_start and old[(org_id, "report")] != new[(org_id, "report")]
        review_day = new[(org_id, "review")][1]
        assert review_day + 20 * ONE <= start  # p20.review.central: 20 days before
        assert new[(org_id, "announce")][1] < start
    assert new[(held_org, "review")] == old[(held_org, "review")]  # held: never moves
    held_rows = result.plan[(result.plan["kind"] == "review") & (result.plan["org_id"] == held_org)]
    assert list(held_rows["held"]) == [True]
    unmoved = {o for o in old_dates if o not in movers}
    same = {k: v for k, v in old.items() if k[0] in unmoved}
    assert same and {k: new[k] for k in same} == same
    verdict = validate(problem, result.plan, complete=True)
    assert verdict.ok, [v.message_en for v in verdict.violations]


def test_without_the_change_the_steps_would_not_move(moved) -> None:  # type: ignore[no-untyped-def]
    """The base's steps of the moved congresses break the step rules on their new dates: the
    move of the steps is forced, not incidental."""
    problem, base, result, held_org = moved
    assert result.plan is not None
    stale = result.plan[~result.plan["kind"].isin(STEP_KINDS)]
    steps = base[base["kind"].isin(STEP_KINDS)]
    verdict = validate(problem, pd.concat([stale, steps], ignore_index=True))
    movers = {m.org_id for m in result.moved} - {held_org}
    flagged = {o for v in verdict.violations if v.family == "preparation" for o in v.units}
    assert movers & flagged


def test_a_held_review_bounds_its_congress(default_problem, default_report) -> None:  # type: ignore[no-untyped-def]
    """An actual review held later than the base's, too late for the congress's base start
    (20 days, p20.review.central), stays on its day and moves the congress after it."""
    base = default_report.plan
    dates = plan_dates(base)
    central = sorted(
        (u.org_id for u in default_problem.units if u.level == Level.CENTRAL),
        key=lambda o: (dates[o][0], o),
    )
    org_id = central[len(central) // 2]
    start = dates[org_id][0]
    day = start - 10 * ONE  # only 10 days before the base start
    window = default_problem.scenario.preparation.review_window  # type: ignore[union-attr]
    assert window is not None and window[0] <= day <= window[1]
    held = {(org_id, "review"): StepRow(org_id, "review", day, day, "", None)}
    result = run(default_problem, base, held_steps=held)
    assert result.plan is not None
    new = steps_of(result.plan)
    assert new[(org_id, "review")][:2] == (day, day)
    assert plan_dates(result.plan)[org_id][0] >= day + 20 * ONE
    [why] = [m for m in result.moved if m.org_id == org_id]
    assert why.family == "preparation" and why.rule == "p20.review.central"
    assert "bước chuẩn bị" in why.why()[0] and "preparation step" in why.why()[1]
    verdict = validate(default_problem, result.plan, complete=True)
    assert verdict.ok, [v.message_en for v in verdict.violations]


def test_actuals_of_held_steps_are_kept(default_problem, default_report) -> None:  # type: ignore[no-untyped-def]
    """An actual review reported held becomes a held step of the re-plan from today; a
    postponed one does not."""
    org_id = "p48"
    day = dt.date(2020, 9, 24)
    actuals = [
        Actual(org_id, "review", "held", day, day),
        Actual("p01", "review", "postponed", day, day),
    ]
    reality = apply_actuals(default_problem, default_report.plan, actuals, dt.date(2020, 9, 25))
    assert set(reality.held_steps) == {(org_id, "review")}
    assert reality.held_steps[(org_id, "review")].start == day


# the validator: completeness of the step rows ----------------------------------------------------


def test_a_complete_plan_needs_its_review_rows(default_problem, default_report) -> None:  # type: ignore[no-untyped-def]
    """A solved plan without Đà Nẵng's review row is refused with complete=True, naming the
    congress, the rule and its source; as a partial plan it is accepted."""
    plan = default_report.plan
    without = plan[~((plan["kind"] == "review") & (plan["org_id"] == "p48"))]
    assert len(without) == len(plan) - 1
    assert validate(default_problem, plan, complete=True).ok
    assert validate(default_problem, without).ok
    strict = validate(default_problem, without, complete=True)
    [violation] = strict.violations
    assert violation.family == "completeness" and violation.units == ("p48",)
    assert violation.rule == "p20.review.central"
    assert "Kết luận 79-KL/TW" in violation.source
    for text in (violation.message_vi, violation.message_en):
        assert "p48" in text and "p20.review.central" in text and violation.source in text


def _check(path: Path, *extra: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(["check", "--plan", str(path), *extra])
    return code, out.getvalue()


def test_check_accepts_hand_typed_partial_step_rows(tmp_path: Path) -> None:
    """``org_id,kind,start,end`` rows typed by hand: Đà Nẵng's real congress (20/10/2020) and a
    review on 24/9/2020 pass as a partial plan; with --complete the missing report and the
    other congresses are named."""
    path = tmp_path / "hand.csv"
    path.write_text(
        "org_id,kind,start,end\n"
        "p48,congress,2020-10-20,2020-10-22\n"
        "p48,review,2020-09-24,2020-09-24\n",
        encoding="utf-8",
    )
    code, text = _check(path)
    assert code == 0, text
    code, text = _check(path, "--complete")
    assert code != 0
    assert "p20.report" in text and "p48" in text and "p20.approval" in text


def test_cli_replan_keeps_the_steps_of_a_held_file(solved_csv: Path, tmp_path: Path) -> None:
    """``planner replan BASE --held HELD.csv``: a review row in HELD.csv (hand-typed,
    ``org_id,kind,start,end``) stays on its day in the new plan, marked held, and the new plan
    passes ``check --plan --complete``."""
    import csv

    rows = list(csv.DictReader(solved_csv.open(encoding="utf-8")))
    congress = next(r for r in rows if r["kind"] == "congress" and r["org_id"] == "p48")
    review = next(r for r in rows if r["kind"] == "review" and r["org_id"] == "p48")
    window = load_scenario().preparation.review_window  # type: ignore[union-attr]
    assert window is not None
    latest = min(dt.date.fromisoformat(congress["start"]) - 20 * ONE, window[1])
    day = next(
        latest - k * ONE
        for k in range(1, 60)
        if (latest - k * ONE).weekday() < 5 and (latest - k * ONE).isoformat() != review["start"]
    )
    held = tmp_path / "held.csv"
    held.write_text(f"org_id,kind,start,end\np48,review,{day},{day}\n", encoding="utf-8")
    new = tmp_path / "new.csv"
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(
            ["replan", str(solved_csv), "--held", str(held), "--out", str(new), "--time-limit", "5"]
        )
    assert code == 0, out.getvalue()
    [kept] = [
        r
        for r in csv.DictReader(new.open(encoding="utf-8"))
        if r["kind"] == "review" and r["org_id"] == "p48"
    ]
    assert (kept["start"], kept["end"]) == (day.isoformat(), day.isoformat())
    assert kept["held"].lower() in ("true", "1", "yes", "x")
    code, text = _check(new, "--complete")
    assert code == 0, text


def test_a_held_step_is_a_fact_for_the_validator(tmp_path: Path) -> None:
    """A review 5 days before its congress is refused; the same row marked held (it happened)
    is not judged, as a held congress is not."""
    path = tmp_path / "held.csv"
    body = "p48,congress,2020-10-20,2020-10-22,\np48,review,2020-10-15,2020-10-15,{held}\n"
    path.write_text("org_id,kind,start,end,held\n" + body.format(held=""), encoding="utf-8")
    code, text = _check(path)
    assert code != 0 and "p20.review.central" in text
    path.write_text("org_id,kind,start,end,held\n" + body.format(held="true"), encoding="utf-8")
    code, text = _check(path)
    assert code == 0, text
