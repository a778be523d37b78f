"""Preparation steps (issue 20): the per-cycle data, the scenario keys, the steps and plan rows."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import shutil
from pathlib import Path

import pytest

from planner.analysis.validate import validate
from planner.cli.main import main
from planner.errors import PlannerError
from planner.plan.frame import plan_to_csv, read_plan_text
from planner.rules.preparation import STEP_KINDS, derive_rows, load_preparation, plan_steps
from planner.scenario.builder import load_scenario, tree_for
from tests.conftest import DATA

D = dt.date
SCENARIOS = DATA / "scenarios"


def test_each_cycle_has_data_or_says_none() -> None:
    """2020 and 2025 carry rules and bodies; 2015 and the 2030 projection say 'no data'."""
    p20, p25 = load_preparation("xiii-2020"), load_preparation("xiv-2025")
    assert (p20.status, p25.status) == ("data", "data")
    assert len(p20.groups()) == 3 and len(p25.groups()) == 4
    for data in (p20, p25):
        assert {r.family for r in data.ruleset or ()} >= {
            "review",
            "announce",
            "report",
            "approval",
            "milestone",
        }
    review = p20.rule("review")
    assert review is not None and review.param("lead_days") == 20
    assert (review.param("window_start"), review.param("window_end")) == (
        D(2020, 7, 23),
        D(2020, 9, 27),
    )
    assert p25.rule("review").param("lead_days") == 14  # type: ignore[union-attr]
    lower = p25.rule("lower_approval")
    assert lower is not None and lower.param("enabled") is False and lower.status == "belief"
    assert p20.rule("announce").status == "belief"  # type: ignore[union-attr]
    for cycle in ("xii-2015", "xv-2030"):
        none = load_preparation(cycle)
        assert none.status == "none" and none.note_vi and none.note_en


@pytest.mark.parametrize(
    ("scenario", "whole"),
    [
        ("xiii-2020", {"p01", "p79", "c-army", "c-police"}),
        ("xiv-2025", {"p01", "p79", "c-army", "c-police", "c-party-agencies"}),
    ],
)
def test_whole_politburo_reviews_named_committees(scenario: str, whole: set[str]) -> None:
    """The committees the whole Politburo reviews are org ids of the cycle's tree."""
    loaded = load_scenario(SCENARIOS / f"{scenario}.toml")
    assert loaded.preparation is not None
    tree = tree_for(loaded)
    body = loaded.preparation.data.body("politburo")
    assert set(body.reviews) == whole
    assert all(org in tree for org in body.reviews)


def test_scenario_keys_change_the_values() -> None:
    """Every preparation value is a scenario key with the data's default."""
    default = load_scenario().preparation
    assert default is not None and default.active
    assert (default.review_lead_days, default.group_capacity) == (20, 2)
    assert default.review_window == (D(2020, 7, 23), D(2020, 9, 27))
    assert default.step_levels == ("central",)
    changed = load_scenario(
        sets=[
            "preparation.review_lead_days=30",
            "preparation.group_capacity=3",
            "preparation.announce_working_days=20",
            'preparation.review_window=["2020-07-01", "2020-09-30"]',
            'preparation.step_levels=["central", "district"]',
        ]
    ).preparation
    assert changed is not None
    assert (changed.review_lead_days, changed.group_capacity) == (30, 3)
    assert changed.announce_working_days == 20
    assert changed.review_window == (D(2020, 7, 1), D(2020, 9, 30))
    assert changed.step_levels == ("central", "district")
    assert not load_scenario(sets=["preparation.enabled=false"]).preparation.active  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "setting",
    ["preparation.group_capacity=0", "preparation.review_lead_days=-1", "preparation.bogus=1"],
)
def test_bad_preparation_value_is_bilingual(setting: str) -> None:
    """A value out of range (or an unknown key) is a bilingual error naming the key."""
    with pytest.raises(PlannerError) as err:
        load_scenario(sets=[setting])
    assert "preparation" in err.value.message_vi and "preparation" in err.value.message_en


def test_broken_preparation_file_names_file_line_field(tmp_path: Path) -> None:
    """A body with a bad capacity is refused with the file, the line and the field."""
    root = tmp_path / "data"
    (root / "rules").mkdir(parents=True)
    shutil.copy(DATA / "preparation.toml", root / "preparation.toml")
    text = (DATA / "rules" / "preparation-2020.toml").read_text(encoding="utf-8")
    broken = text.replace(
        'id = "group-2"\nkind = "group"', 'id = "group-2"\nkind = "group"\ncapacity_x = 1'
    ).replace('capacity = 2\nweekdays_off = ["sunday"]\nstatus = "verified"\n[bodies.source]\n'
              'document = "Kết luận 79-KL/TW ngày 16/6/2020 của Bộ Chính trị"\n'
              'url = "https://thanhnien', 'capacity = "two"\nweekdays_off = ["sunday"]\n'
              'status = "verified"\n[bodies.source]\n'
              'document = "Kết luận 79-KL/TW ngày 16/6/2020 của Bộ Chính trị"\n'
              'url = "https://thanhnien', 1)  # fmt: skip
    (root / "rules" / "preparation-2020.toml").write_text(broken, encoding="utf-8")
    with pytest.raises(PlannerError) as err:
        load_preparation("xiii-2020", root)
    exc = err.value
    assert exc.field == "bodies.group-2.capacity"
    assert exc.file and exc.file.endswith("preparation-2020.toml") and exc.line
    assert "capacity" in exc.message_vi and "capacity" in exc.message_en


# steps in the plan ------------------------------------------------------------------------------

HISTORY = DATA / "history"


def _check(path: Path) -> tuple[int, str]:
    """``planner check --plan path`` (default scenario): exit code and printed text."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(["check", "--plan", str(path)])
    return code, out.getvalue()


def _plan_with_reviews(tmp_path: Path, replace: dict[str, str] | None = None) -> Path:
    """The real 2020 congress dates (data/history/xiii-2020.csv) and review dates
    (xiii-2020-reviews.csv) as one partial plan; ``replace`` swaps review lines by org id."""
    congresses = (HISTORY / "xiii-2020.csv").read_text(encoding="utf-8").splitlines()
    reviews = (HISTORY / "xiii-2020-reviews.csv").read_text(encoding="utf-8").splitlines()
    lines = ["org_id,kind,start,end,body"]
    lines += [",".join([*row.split(",")[:3][:1], "congress", *row.split(",")[1:3], ""])
              for row in congresses[1:]]  # fmt: skip
    for row in reviews[1:]:
        cells = row.split(",")
        lines.append((replace or {}).get(cells[0], ",".join(cells[:5])))
    path = tmp_path / "plan.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_real_2020_reviews_pass_check(tmp_path: Path) -> None:
    """Issue 20 back-test: the real 2020 Politburo review dates (PREPARATION §2.2) with the
    real congress dates of data/history pass `planner check --plan` (exit 0)."""
    code, text = _check(_plan_with_reviews(tmp_path))
    assert code == 0, text
    assert "0 vi phạm / violations" in text


def test_review_five_days_before_is_refused(tmp_path: Path) -> None:
    """Issue 20: Đà Nẵng's review moved to 5 days before its congress (20/10/2020) is refused,
    naming the rule, its names and its source."""
    late = "p48,review,2020-10-15,2020-10-15,group-1"
    code, text = _check(_plan_with_reviews(tmp_path, {"p48": late}))
    assert code != 0
    line = next(x for x in text.splitlines() if "p48" in x and "20 ngày" in x)
    assert "p20.review.central" in line and "Kết luận 79-KL/TW" in line
    assert "Bộ Chính trị cho ý kiến" in line
    assert "less than 20 days before" in text and "Politburo review of the draft" in text


def test_review_group_over_capacity_is_refused(tmp_path: Path) -> None:
    """Issue 20: three reviews of group 1 on one day (capacity 2) are refused, naming the body
    and its capacity; at capacity 3 (`preparation.group_capacity`) the same day passes."""
    one_day = {o: f"{o},review,2020-08-25,2020-08-25,group-1" for o in ("p25", "p08", "p35")}
    path = _plan_with_reviews(tmp_path, one_day)
    code, text = _check(path)
    assert code != 0
    assert "Tổ công tác 1" in text and "có 3 cuộc duyệt trong 25/8/2020" in text
    assert "over its capacity of 2 a day" in text and "p20.review.central" in text
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(["check", "--plan", str(path), "--set", "preparation.group_capacity=3"])
    assert code == 0, out.getvalue()


def test_review_on_a_holiday_is_refused(tmp_path: Path) -> None:
    """A review on National Day (2/9/2020) is refused: the body does not sit that day."""
    code, text = _check(
        _plan_with_reviews(tmp_path, {"p34": "p34,review,2020-09-02,2020-09-02,group-3"})
    )
    assert code != 0 and "2/9/2020" in text and "National Day" in text


@pytest.mark.parametrize(
    ("row", "ok"),
    [
        # Hà Nội sits 11–13/10/2020. Announce: 30 working days back from Sun 11/10, by hand:
        # 9…5/10 (5), 2/10–28/9 (10), 25…21/9 (15), 18…14/9 (20), 11…7/9 (25), 4, 3, 1/9
        # (2/9 is National Day), 31/8, 28/8 = 30 → due 28/8.
        ("p01,announce,2020-08-28,2020-08-28", True),
        ("p01,announce,2020-08-31,2020-08-31", False),
        # Report: 7 working days after Tue 13/10: 14, 15, 16, 19, 20, 21, 22 → due 22/10.
        ("p01,report,2020-10-14,2020-10-22", True),
        ("p01,report,2020-10-14,2020-10-23", False),
        ("p01,report,2020-10-12,2020-10-22", False),  # before the congress ended
    ],
)
def test_announce_and_report_deadlines(tmp_path: Path, row: str, ok: bool) -> None:
    """Hand-typed step rows (org_id,kind,start,end) with a congress row, checked by hand counts."""
    path = tmp_path / "plan.csv"
    path.write_text(f"org_id,kind,start,end\np01,congress,2020-10-11,2020-10-13\n{row}\n", "utf-8")
    code, text = _check(path)
    assert (code == 0) == ok, text
    if not ok:
        assert "QĐ/TW" in text and ("p20.announce" in text or "p20.report" in text)


@pytest.mark.parametrize(("end", "ok"), [("2020-11-12", True), ("2020-11-13", False)])
def test_approval_deadline(tmp_path: Path, end: str, ok: bool) -> None:
    """Approval ≤ 15 working days after the report's last day (22/10/2020): 23, 26–30/10,
    2–6/11, 9, 10, 11, 12/11 → due 12/11/2020."""
    path = tmp_path / "plan.csv"
    path.write_text(
        "org_id,kind,start,end\np01,congress,2020-10-11,2020-10-13\n"
        f"p01,report,2020-10-14,2020-10-22\np01,approval,2020-10-23,{end}\n",
        "utf-8",
    )
    code, text = _check(path)
    assert (code == 0) == ok, text
    assert ok or "p20.approval" in text


def test_step_row_without_org_is_a_bilingual_error(tmp_path: Path) -> None:
    """A step row with no org_id names the line; an unknown kind lists the step kinds."""
    path = tmp_path / "plan.csv"
    path.write_text("org_id,kind,start,end\n,review,2020-08-01,2020-08-01\n", "utf-8")
    code, text = _check(path)
    assert code != 0 and "org_id" in text and "2" in text
    path.write_text("org_id,kind,start,end\np01,reveiw,2020-08-01,2020-08-01\n", "utf-8")
    code, text = _check(path)
    assert code != 0 and "review" in text and "approval" in text


def test_solved_plan_carries_valid_steps(default_problem, default_report) -> None:  # type: ignore[no-untyped-def]
    """The default plan has one review, announce, report and approval row per central
    congress, with the body, rule and source; the validator accepts them; announce sits on its
    latest day and report/approval end on their deadlines."""
    plan = default_report.plan
    settings = default_problem.scenario.preparation
    central = plan[(plan["kind"] == "congress") & (plan["level"] == "central")]
    steps = plan[plan["kind"].isin(STEP_KINDS)]
    assert len(steps) == 4 * len(central) == 4 * 67
    assert set(steps["rule"]) == {
        "p20.review.central",
        "p20.announce",
        "p20.report",
        "p20.approval",
    }
    assert steps["source"].notna().all()
    reviews = steps[steps["kind"] == "review"]
    assert reviews["body"].notna().all() and set(reviews["body"]) <= {
        "politburo", "group-1", "group-2", "group-3"
    }  # fmt: skip
    assert set(reviews[reviews["org_id"] == "p79"]["body"]) == {"politburo"}
    for row in central.itertuples():
        mine = steps[steps["org_id"] == row.org_id].set_index("kind")
        assert mine.loc["announce", "end"] == settings.announce_latest(row.start)
        assert mine.loc["report", "end"] == settings.report_latest(row.end)
        assert mine.loc["approval", "end"] == settings.approval_latest(mine.loc["report", "end"])
    assert validate(default_problem, plan).ok
    text = plan_to_csv(plan)
    again = read_plan_text(text, "plan.csv")
    assert list(again[again["kind"] == "review"]["body"]) == list(reviews["body"])


def test_review_with_no_room_has_no_row_and_is_listed() -> None:
    """A congress too early for its review (starting 1/8/2020, before 23/7 + 20 days) gets
    announce, report and approval rows but no review row; the plan lists it as unplaced."""
    loaded = load_scenario()
    assert loaded.preparation is not None
    settings = loaded.preparation
    steps = plan_steps(settings, [("p01", "central"), ("p02", "central")])
    dates = {"p01": (D(2020, 8, 1), D(2020, 8, 3)), "p02": (D(2020, 10, 1), D(2020, 10, 3))}
    unplaced: list[str] = []
    rows = derive_rows(settings, steps, dates, unplaced)
    assert unplaced == ["p01"]
    assert {(r.org_id, r.kind) for r in rows} == {
        ("p01", "announce"), ("p01", "report"), ("p01", "approval"),
        ("p02", "review"), ("p02", "announce"), ("p02", "report"), ("p02", "approval"),
    }  # fmt: skip
    review = next(r for r in rows if r.kind == "review")
    # the latest day: 1/10 − 20 days = 11/9/2020, a Friday, group 1 free
    assert (review.start, review.end, review.body) == (D(2020, 9, 11), D(2020, 9, 11), "group-1")


def test_lower_approval_2025_is_off_by_default_and_checked_when_on(tmp_path: Path) -> None:
    """2025: the 45-working-day approval of a commune congress's contents (one source) is off
    by default; switched on it adds a review row by the superior's standing committee."""
    path = SCENARIOS / "xiv-2025.toml"
    off = load_scenario(path).preparation
    assert off is not None and not off.lower_approval
    assert not [s for s in plan_steps(off, [("x1", "commune")]) if s.kind == "review"]
    on = load_scenario(path, sets=["preparation.lower_approval=true"]).preparation
    assert on is not None and on.lower_approval
    [step] = [s for s in plan_steps(on, [("x1", "commune")]) if s.kind == "review"]
    assert (step.rule_id, step.body) == ("p25.lower_approval", "standing-committee")
    # 45 working days before Mon 4/8/2025 (no holiday in June–July), counted back by hand:
    # Fri 1/8 (1), 31…28/7 (5), 25…21 (10), 18…14 (15), 11…7 (20), 4…1/7 (24), Mon 30/6 (25),
    # 27…23/6 (30), 20…16 (35), 13…9 (40), 6…2/6 (45) → Mon 2/6/2025.
    [row] = derive_rows(on, [step], {"x1": (D(2025, 8, 4), D(2025, 8, 5))})
    assert row.end == D(2025, 6, 2)


def test_scheduled_reviews_are_kept_and_counted() -> None:
    """Reviews given by the solver (org id → day, body) are used as they are and fill their
    body's day: the next placeholder on that day goes to another group."""
    settings = load_scenario().preparation
    assert settings is not None
    steps = plan_steps(settings, [("p02", "central"), ("p04", "central")])
    dates = {"p02": (D(2020, 10, 1), D(2020, 10, 3)), "p04": (D(2020, 10, 1), D(2020, 10, 3))}
    fixed = {"p02": (D(2020, 9, 11), "group-1")}
    full = {"p02": (D(2020, 9, 11), "group-1"), "p99": (D(2020, 9, 11), "group-1")}
    rows = {
        r.org_id: r
        for r in derive_rows(settings, steps, dates, reviews=fixed)
        if r.kind == "review"
    }
    assert (rows["p02"].start, rows["p02"].body) == (D(2020, 9, 11), "group-1")
    assert (rows["p04"].start, rows["p04"].body) == (D(2020, 9, 11), "group-1")  # room for 2
    rows = {
        r.org_id: r for r in derive_rows(settings, steps, dates, reviews=full) if r.kind == "review"
    }
    assert (rows["p04"].start, rows["p04"].body) == (D(2020, 9, 11), "group-2")
