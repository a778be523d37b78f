"""Every page through AppTest: render, an edit via session_state, solve, diagnose, download."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.ui import jobs
from planner.ui.common import shared_results

from ..conftest import REPO

APP = str(REPO / "app.py")
PAGES = "planner/ui/pages/"


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PLANNER_HOME", str(tmp_path / "home"))
    shared_results().clear()  # results are shared across sessions: start every test clean
    yield
    jobs.shutdown()  # no solver thread may outlive its test


def _wait(at: AppTest, job_key: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = at.session_state[job_key] if job_key in at.session_state else None  # noqa: SIM401
        if job is not None and not job.running:
            break
        time.sleep(0.5)
    at.run()
    at.run()


def _app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=90)


def test_plan_page_solves_in_the_background() -> None:
    """The first render is immediate with progress; the finished plan shows metrics and charts."""
    at = _app().run()
    assert not at.exception
    assert at.header[0].value == "Kế hoạch đại hội"
    _wait(at, "solve_job")
    assert not at.exception
    assert [m.label for m in at.metric][:2] == ["Trạng thái", "Mục tiêu"]
    assert at.metric[0].value in ("OPTIMAL", "FEASIBLE")
    assert len(at.get("plotly_chart")) == 3


def test_constraints_edit_through_the_editor() -> None:
    """Editing the central deadline in the table and pressing Apply changes the scenario."""
    at = _app().run()
    at.switch_page(PAGES + "constraints.py").run()
    assert not at.exception and at.header[0].value == "Ràng buộc"
    at.session_state["levels_editor"] = {
        "edited_rows": {1: {"end": "2020-10-25"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="apply_levels").click().run()
    assert not at.exception
    state = at.session_state["working"]
    assert "levels.central.window=[2020-09-01, 2020-10-25]" in state.sets
    assert (Path(str(state.save().parent)) / "working-scenario.json").exists()


def test_constraints_bad_edit_shows_error_and_keeps_state() -> None:
    """A duration over the Directive's maximum is refused with a message; nothing changes."""
    at = _app().run()
    at.switch_page(PAGES + "constraints.py").run()
    at.session_state["levels_editor"] = {
        "edited_rows": {1: {"days": 9}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="apply_levels").click().run()
    assert at.error and "tối đa" in at.error[0].value
    assert at.session_state["working"].sets == []


def test_feasibility_diagnoses_and_applies_a_suggestion() -> None:
    """A capacity conflict is explained; applying the verified suggestion changes the scenario."""
    at = _app().run()
    at.switch_page(PAGES + "constraints.py").run()
    at.session_state["working"].apply(["levels.central.daily_capacity=1"])
    at.switch_page(PAGES + "feasibility.py").run()
    at.button(key="run_check").click().run()
    _wait(at, "diagnose_job", 180)
    assert not at.exception
    assert at.error and "level_capacity" in at.error[0].value
    at.button(key="apply_suggestion_0").click().run()
    assert "levels.central.daily_capacity=4" in at.session_state["working"].sets


def test_election_page_in_english() -> None:
    """The election page shows the timetable; the language switch turns headings English."""
    at = _app().run()
    at.switch_page(PAGES + "election.py").run()
    at.sidebar.radio[0].set_value("en").run()
    assert not at.exception
    assert at.header[0].value == "Statutory election timetable"


def test_export_page_offers_downloads_after_a_solve() -> None:
    """After a solve: TOML, CSV, XLSX and the iCal zip are offered."""
    at = _app().run()
    _wait(at, "solve_job")
    at.switch_page(PAGES + "export.py").run()
    assert not at.exception
    labels = [e.proto.label for e in at.get("download_button")]
    assert len(labels) == 4, labels
    assert any("XLSX" in label for label in labels) and any("iCal" in label for label in labels)


def test_refresh_loses_nothing() -> None:
    """A new session (a refresh) finds the saved edits and the finished plan at once."""
    first = _app().run()
    _wait(first, "solve_job")
    first.session_state["working"].apply(["levels.central.buffer_days=5"])
    first.session_state["working"].save()
    first.session_state["working"].undo()  # the saved file keeps the change
    second = _app().run()
    assert "levels.central.buffer_days=5" in second.session_state["working"].sets
    second.session_state["working"].undo()
    second.run()
    assert [m.label for m in second.metric][:1] == ["Trạng thái"]


def test_plan_page_replans_after_a_change() -> None:
    """After a local lockdown, "Re-plan" moves only that province's congresses, validated."""
    import datetime as dt

    from planner.hierarchy import build_tree
    from planner.problem import build_problem
    from planner.replan import plan_dates
    from planner.validate import validate

    at = _app().run()
    _wait(at, "solve_job")
    (base,) = shared_results()["plans"].values()
    tree = build_tree()
    old = plan_dates(base.plan)
    first = min(d[0] for o, d in old.items() if tree.get(o).province_code == 37 and o != "p37")
    lockdown = (
        f'blackouts.ranges=[{{id="lockdown", start={first}, '
        f"end={first + dt.timedelta(days=13)}, provinces=[37]}}]"
    )
    at.session_state["working"].apply([lockdown])
    at.run()
    assert not at.exception
    at.button(key="replan").click().run()
    _wait(at, "solve_job")
    assert not at.exception
    moved = next(m for m in at.metric if m.label == "Đại hội phải dời")
    assert int(moved.value) >= 1
    plans = shared_results()["plans"]
    (new,) = [r for r in plans.values() if r is not base]
    problem = build_problem(at.session_state["working"].scenario(), tree)
    assert validate(problem, new.plan, complete=True).ok
    changed = {o for o, d in plan_dates(new.plan).items() if d != old[o]}
    assert len(changed) == int(moved.value)
    assert all(tree.get(o).province_code == 37 for o in changed)
