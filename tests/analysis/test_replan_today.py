"""Issue 21, point 3: ``planner replan --actuals FILE --today DATE`` on the built-in scenario, on
1/9/2020, the day after the district window closed (31/8/2020), with four Ninh Bình district
congresses not held, one postponed and one grassroots congress merged.

Expectations are argued from the rules, not read from the code: a 2-day district congress not
held by 1/9 ends at the earliest on the first 2-day run from 1/9 free of the district's blackout
days; the postponed one ends no earlier than its new expected end; so the district deadline is
late by at least the later of the two. The new plan is checked by the validator against the
scenario with the district deadline moved (``--set``), from today, with the held congresses as
facts.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from planner.analysis.validate import validate
from planner.analysis.validate.today import TODAY_RULE
from planner.plan.frame import read_plan
from planner.problem.units import build_problem
from planner.scenario.builder import load_scenario
from planner.tree.build import build_tree
from tests.cli.test_solve import read_rows, run

TODAY = dt.date(2020, 9, 1)
DEADLINE = dt.date(2020, 8, 31)
POSTPONED = ("2020-09-08", "2020-09-09")


def _late_and_postponed(rows: list[dict[str, str]]) -> tuple[list[str], str]:
    """Four non-pilot Ninh Bình districts left unheld, a fifth postponed."""
    tree = build_tree()
    ids = sorted(
        r["org_id"]
        for r in rows
        if r["kind"] == "congress"
        and r["level"] == "district"
        and tree.get(r["org_id"]).province_code == 37
        and r["org_id"] != "d369"  # the pilot
    )
    return ids[:4], ids[4]


@pytest.fixture(scope="module")
def actuals(solved_csv: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every grassroots and district congress planned to end before 1/9 reported held on its
    planned dates, except the four late ones, the postponed one and one merged ward."""
    rows = read_rows(solved_csv)
    late, postponed = _late_and_postponed(rows)
    merged = next(r["org_id"] for r in rows if r["level"] == "grassroots")
    path = tmp_path_factory.mktemp("today") / "actuals.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["org_id", "kind", "status", "start", "end", "reason"])
        for r in rows:
            if r["kind"] != "congress" or r["level"] not in ("grassroots", "district"):
                continue
            if r["org_id"] in (*late, postponed, merged) or r["end"] >= TODAY.isoformat():
                continue
            writer.writerow([r["org_id"], "congress", "held", r["start"], r["end"], ""])
        writer.writerow([postponed, "congress", "postponed", *POSTPONED, "COVID-19"])
        writer.writerow([merged, "congress", "merged", "", "", ""])
    return path


def _earliest_end(province: int) -> dt.date:
    """The end of the first 2-day district congress from 1/9 with no blackout day of the
    province's districts (holidays: 2/9 National Day and its observed day)."""
    problem = build_problem(load_scenario(), build_tree())
    unit = next(u for u in problem.units if u.level == "district" and u.province == province)
    blocked = problem.blocked(unit)
    start = TODAY
    while start in blocked or start + dt.timedelta(days=1) in blocked:
        start += dt.timedelta(days=1)
    return start + dt.timedelta(days=unit.days - 1)


def test_replan_from_a_day_after_the_district_deadline_slipped(
    capsys: pytest.CaptureFixture[str], solved_csv: Path, actuals: Path, tmp_path: Path
) -> None:
    """Issue 21.3: a plan exists (exit 0), nothing unheld before today, held ones unchanged, the
    merged one gone, the postponed one not before its new dates, the slipped district deadline
    said with its days, rule and source, and the plan valid against the relaxed deadline."""
    out_path = tmp_path / "new.csv"
    args = ["replan", str(solved_csv), "--actuals", str(actuals), "--today", TODAY.isoformat()]
    code, out, err = run(capsys, *args, "--out", str(out_path), "--format", "json")
    assert code == 0, err
    payload = json.loads(out)
    expected = max(_earliest_end(37), dt.date.fromisoformat(POSTPONED[1])) - DEADLINE
    assert payload["today"] == TODAY.isoformat()
    (slipped,) = payload["relaxed_deadlines"]
    assert slipped["what"] == "level_window" and slipped["level"] == "district"
    assert slipped["deadline"] == DEADLINE.isoformat()
    assert slipped["days_late_at_least"] == expected.days
    assert slipped["rule"] == "d35.end.district" and "Chỉ thị 35-CT/TW" in slipped["source"]
    relaxed = dt.date.fromisoformat(slipped["relaxed_to"])
    assert relaxed >= DEADLINE + expected

    reported = list(csv.DictReader(actuals.open(encoding="utf-8")))
    held = {r["org_id"]: (r["start"], r["end"]) for r in reported if r["status"] == "held"}
    merged = {r["org_id"] for r in reported if r["status"] == "merged"}
    postponed = next(r["org_id"] for r in reported if r["status"] == "postponed")
    new = {r["org_id"]: r for r in read_rows(out_path) if r["kind"] == "congress"}
    assert not merged & set(new)
    for org_id, dates in held.items():
        assert (new[org_id]["start"], new[org_id]["end"]) == dates, org_id
    unheld = {o: r for o, r in new.items() if o not in held}
    assert all(r["start"] >= TODAY.isoformat() for r in unheld.values())
    assert new[postponed]["start"] >= POSTPONED[0]

    # the validator, from the scenario with the district deadline moved by hand
    scenario = load_scenario(None, [f"levels.district.window=[2020-05-01, {relaxed}]"])
    problem = build_problem(scenario, build_tree())
    kept = problem.subproblem(u.org_id for u in problem.units if u.org_id not in merged)
    facts = {o: (dt.date.fromisoformat(s), dt.date.fromisoformat(e)) for o, (s, e) in held.items()}
    checked = kept.with_today(TODAY).with_held(facts)
    plan = read_plan(out_path)
    verdict = validate(checked, plan, complete=True)
    assert verdict.ok, [v.message_en for v in verdict.violations[:3]]

    # text: the sentence in both languages
    code, out, err = run(capsys, *args)
    assert code == 0, err
    days = expected.days
    vi = f"hạn chót 31/8/2020 của cấp trên cơ sở không còn đạt được: trễ ít nhất {days} ngày"
    en = f"district-level deadline 31/08/2020 can no longer be met: at least {days} days late"
    assert vi in out and en in out


def test_the_validator_refuses_a_congress_not_held_before_today(
    solved_csv: Path, actuals: Path
) -> None:
    """Issue 21.3: "nothing unheld before today" is the validator's own check: a plan whose
    unheld congress starts the day before today is flagged (rule ``today``); held ones are not."""
    problem = build_problem(load_scenario(), build_tree())
    base = read_plan(solved_csv)
    reported = list(csv.DictReader(actuals.open(encoding="utf-8")))
    held = {
        r["org_id"]: (dt.date.fromisoformat(r["start"]), dt.date.fromisoformat(r["end"]))
        for r in reported
        if r["status"] == "held"
    }
    checked = problem.with_today(TODAY).with_held(held)
    congresses = base[base["kind"] == "congress"]
    future = congresses[congresses["start"] >= TODAY]
    heldrows = congresses[congresses["org_id"].isin(list(held))]
    clean = pd.concat([future, heldrows])
    assert not [v for v in validate(checked, clean).violations if v.rule == TODAY_RULE]
    victim = str(future.iloc[0]["org_id"])
    planted = clean.copy()
    row = planted["org_id"] == victim
    shift = planted.loc[row, "start"].iloc[0] - (TODAY - dt.timedelta(days=1))
    planted.loc[row, "start"] = planted.loc[row, "start"] - shift
    planted.loc[row, "end"] = planted.loc[row, "end"] - shift
    flagged = [v for v in validate(checked, planted).violations if v.rule == TODAY_RULE]
    assert [v.units for v in flagged] == [(victim,)]
    assert "2020-08-31" in flagged[0].message_en and "31/8/2020" in flagged[0].message_vi


def test_replan_takes_the_actuals_from_the_store(
    capsys: pytest.CaptureFixture[str],
    solved_csv: Path,
    actuals: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 21.3: ``--store`` re-plans from the actuals imported into the store, exactly as from
    the file; both sources at once are refused with a bilingual error."""
    monkeypatch.setenv("PLANNER_HOME", str(tmp_path / "home"))
    code, _out, err = run(capsys, "actuals", "import", str(actuals), "--author", "tester")
    assert code == 0, err
    day = TODAY.isoformat()
    code, out, err = run(
        capsys, "replan", str(solved_csv), "--store", "--today", day, "--format", "json"
    )
    assert code == 0, err
    from_store = json.loads(out)
    code, out, err = run(
        capsys, "replan", str(solved_csv), "--actuals", str(actuals), "--today", day,
        "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    from_file = json.loads(out)
    assert from_store["relaxed_deadlines"] == from_file["relaxed_deadlines"]
    assert from_store["moved"] == from_file["moved"]
    code, _out, err = run(
        capsys, "replan", str(solved_csv), "--store", "--actuals", str(actuals), "--today", day
    )
    assert code == 2 and "Lỗi" in err and "Error" in err and "Traceback" not in err


def test_replan_after_the_central_deadline_and_a_pinned_date_passed(solved_csv: Path) -> None:
    """Issue 21.3: on 20/11/2020 with every grassroots and district congress held and no
    central one: Ninh Bình's pinned 20/10 has passed (its pin is dropped and said), the central
    deadline 31/10 is late by at least ⌈67 × 3 ÷ 8⌉ = 26 days of capacity from 20/11 (so ≥ 45
    days), the gap of 60 days before the National Congress (25/1/2021) no longer fits; the plan
    exists and passes the validator from the scenario with those three changes made by hand."""
    from planner.analysis.replan_today import replan_from_today
    from planner.plan.actuals import Actual

    today = dt.date(2020, 11, 20)
    base = read_plan(solved_csv)
    problem = build_problem(load_scenario(), build_tree())
    rows = base[(base["kind"] == "congress") & base["level"].isin(["grassroots", "district"])]
    reports = [
        Actual(str(o), "congress", "held", s, e)
        for o, s, e in zip(rows["org_id"], rows["start"], rows["end"], strict=True)
    ]
    result, _reality = replan_from_today(
        problem, base, reports, today, time_limit=20, workers=2, seed=0
    )
    assert result.plan is not None, result.status
    said = {s.what: s for s in result.slipped}
    assert set(said) == {"pin", "level_window", "national_gap"}
    assert said["pin"].level == "p37" and said["pin"].deadline == dt.date(2020, 10, 20)
    central = said["level_window"]
    assert central.level == "central" and central.deadline == dt.date(2020, 10, 31)
    assert central.days >= (today + dt.timedelta(days=25) - central.deadline).days == 45
    gap = said["national_gap"]
    assert gap.deadline == dt.date(2021, 1, 25) - dt.timedelta(days=60)
    relaxed_gap = (dt.date(2021, 1, 25) - gap.relaxed).days
    sets = [
        f"levels.central.window=[2020-09-01, {central.relaxed}]",
        f"alignment.central_before_national_days={relaxed_gap}",
        "pins=[]",
    ]
    checked = build_problem(load_scenario(None, sets), build_tree())
    facts = {str(a.org_id): (a.start, a.end) for a in reports if a.start and a.end}
    verdict = validate(checked.with_today(today).with_held(facts), result.plan, complete=True)
    assert verdict.ok, [v.message_en for v in verdict.violations[:3]]
    congresses = result.plan[result.plan["kind"] == "congress"]
    unheld = congresses[~congresses["org_id"].isin(list(facts))]
    assert (unheld["start"] >= today).all()


def test_a_review_reported_held_stays_in_the_replan(
    capsys: pytest.CaptureFixture[str], solved_csv: Path, actuals: Path, tmp_path: Path
) -> None:
    """Issue 20, point 3: a Politburo review reported held (an actual of kind review) keeps its
    day in the re-plan from today, marked held, one working day before the base plan had it."""
    rows = read_rows(solved_csv)
    review = min(
        (r for r in rows if r["kind"] == "review" and r["start"] < TODAY.isoformat()),
        key=lambda r: (r["start"], r["org_id"]),
    )
    day = dt.date.fromisoformat(review["start"]) - dt.timedelta(days=1)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    path = tmp_path / "actuals.csv"
    path.write_text(
        actuals.read_text(encoding="utf-8") + f"{review['org_id']},review,held,{day},{day},\n",
        encoding="utf-8",
    )
    out_path = tmp_path / "new.csv"
    args = ["replan", str(solved_csv), "--actuals", str(path), "--today", TODAY.isoformat()]
    code, _out, err = run(capsys, *args, "--out", str(out_path))
    assert code == 0, err
    [kept] = [
        r for r in read_rows(out_path) if r["kind"] == "review" and r["org_id"] == review["org_id"]
    ]
    assert (kept["start"], kept["end"]) == (day.isoformat(), day.isoformat())
    assert kept["held"].lower() in ("true", "1", "yes", "x")
