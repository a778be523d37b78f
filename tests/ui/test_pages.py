"""Every page through AppTest: solve in the pool, edits with visible feedback, versions and
conflicts between two sessions, refresh, election day, feasibility, export, recovery."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from planner.store import feeds, plans, scenarios
from planner.store.db import Store
from planner.store.recovery import DEFAULT_DOCUMENT, LEGACY_FILE
from planner.ui import jobs

from .apptest import PAGES, app, store_of, working
from .ics import sequences


def _wait(at: AppTest, prefix: str, seconds: float = 180) -> jobs.Job:
    """Wait for the job of this kind for the session's content, then render the page again."""
    key = f"{prefix}:{working(at).content_key}"
    job = jobs.pool().find(key)
    assert job is not None, key
    assert jobs.pool().wait(job, seconds), job.state
    at.run()
    return job


def _texts(at: AppTest) -> str:
    parts = [e.value for kind in ("success", "info", "warning", "error") for e in at.get(kind)]
    return "\n".join(str(p) for p in parts)


def _suffix(at: AppTest) -> str:
    return str(working(at).content_key[:10])


def _constraints(at: AppTest) -> AppTest:
    return at.switch_page(PAGES + "constraints.py").run()


def test_plan_page_solves_in_the_pool_and_stores_the_plan(_home: Path) -> None:
    """The first render is immediate; the finished plan shows metrics and charts, and it is in
    the store (so a refresh, another tab or a restart finds it)."""
    at = app(90).run()
    assert not at.exception
    assert at.title[0].value == "Kế hoạch đại hội"
    _wait(at, "plan")
    assert not at.exception
    assert [m.label for m in at.metric][:2] == ["Trạng thái", "Mục tiêu"]
    assert at.metric[0].value in ("Tối ưu", "Hợp lệ")
    assert len(at.get("plotly_chart")) == 3
    assert plans.latest(store_of(_home), working(at).content_key, with_plan=True) is not None


def test_edit_through_the_editor_is_saved_as_a_version(_home: Path) -> None:
    """Editing the central deadline and pressing Apply saves version 2, says so, and the list
    of changes in force shows it at once."""
    at = _constraints(app(90).run())
    assert not at.exception and at.title[0].value == "Ràng buộc"
    at.session_state[editor_key_of(at, "levels")] = {
        "edited_rows": {1: {"end": "2020-10-25"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="apply_levels").click().run()
    assert not at.exception
    assert "levels.central.window=[2020-09-01, 2020-10-25]" in working(at).sets
    assert "Đã lưu phiên bản 2" in _texts(at)
    in_force = "\n".join(str(m.value) for m in at.markdown)  # D3: by label, old → new
    assert "01/09/2020 – 31/10/2020 → 01/09/2020 – 25/10/2020" in in_force
    version = scenarios.load(store_of(_home), DEFAULT_DOCUMENT)
    assert version.number == 2 and version.sets == tuple(working(at).sets)
    assert dict(at.query_params)["v"] == "2"


def editor_key_of(at: AppTest, name: str) -> str:
    """The data editor's key for the session's current content (see common.editor_key)."""
    return f"{name}_editor_{_suffix(at)}"


def test_bad_edits_are_refused_by_name_and_keep_the_typed_values(_home: Path) -> None:
    """A duration over the Directive's maximum, a negative capacity and a fraction are each
    refused with where and why; nothing is saved, and the table keeps what was typed."""
    at = _constraints(app(90).run())
    key = editor_key_of(at, "levels")
    for edit, expected in (
        ({"days": 9}, "tối đa"),
        ({"daily_capacity": -2}, "-2 nhỏ hơn 0"),
        ({"buffer_days": 2.5}, "2.5 không phải số nguyên"),
    ):
        at.session_state[key] = {"edited_rows": {1: edit}, "added_rows": [], "deleted_rows": []}
        at.run()
        at.button(key="apply_levels").click().run()
        assert not at.exception
        assert at.error and expected in at.error[0].value, [e.value for e in at.error]
        assert "Không áp dụng" in at.error[0].value
        assert working(at).sets == [] and working(at).version == 1
    assert scenarios.head(store_of(_home), DEFAULT_DOCUMENT) == 1


def test_election_inputs_give_live_and_fresh_feedback(_home: Path) -> None:
    """A Saturday is flagged at once; Apply refuses it; once fixed, the old error is gone and
    Apply confirms; a bad number is refused by name in the chosen language."""
    at = _constraints(app(90).run())
    suffix = _suffix(at)
    at.date_input(key=f"form_election_day_{suffix}").set_value(dt.date(2021, 5, 29)).run()
    assert any("không phải Chủ nhật" in w.value for w in at.warning)
    at.button(key="apply_central").click().run()
    assert at.error and "Chủ nhật" in at.error[0].value
    at.date_input(key=f"form_election_day_{suffix}").set_value(dt.date(2021, 5, 30)).run()
    assert not at.error  # the refusal was about a value no longer there
    assert not any("không phải Chủ nhật" in w.value for w in at.warning)
    at.button(key="apply_central").click().run()
    assert "Đã lưu phiên bản 2: Ngày bầu cử: 23/05/2021 → 30/05/2021" in _texts(at)
    at.sidebar.radio(key="lang").set_value("en").run()
    suffix = _suffix(at)
    at.number_input(key=f"form_central_cap_{suffix}").set_value(-3).run()
    at.button(key="apply_central").click().run()
    assert (
        at.error
        and "Not applied" in at.error[0].value
        and "most congresses a day" in (at.error[0].value)
    )
    assert working(at).version == 2


def test_election_day_is_one_source_of_truth(_home: Path) -> None:
    """After moving election day to 30/5/2021, the Election page, the Plan caption and the
    exported TOML all say 30/5/2021."""
    at = _constraints(app(90).run())
    suffix = _suffix(at)
    at.date_input(key=f"form_election_day_{suffix}").set_value(dt.date(2021, 5, 30)).run()
    at.button(key="apply_central").click().run()
    at.switch_page(PAGES + "election.py").run()
    assert not at.exception
    day = next(m for m in at.metric if m.label == "Ngày bầu cử")
    assert day.value == "30/05/2021"
    assert "30/5/2021" in at.main.caption[0].value and "23/5/2021" not in at.main.caption[0].value
    at.switch_page(PAGES + "plan.py").run()
    assert "30/5/2021" in at.main.caption[0].value
    assert 'name_vi = "Chu kỳ đại hội 2020–2021 (Đại hội XIII) và bầu cử 30/5/2021"' in (
        working(at).to_toml()
    )


def test_language_is_kept_across_pages_and_in_the_url() -> None:
    """English chosen on Plan stays on Constraints and Election; a link with lang=en opens in
    English."""
    at = app(90).run()
    at.sidebar.radio(key="lang").set_value("en").run()
    assert at.title[0].value == "Congress plan"
    for page, heading in (("constraints.py", "Constraints"), ("election.py", "Election")):
        at.switch_page(PAGES + page).run()
        assert at.title[0].value == heading
    link = app(90, lang="en").run()
    assert link.title[0].value == "Congress plan"


def test_two_sessions_never_silently_overwrite(_home: Path) -> None:
    """Tab B, opened before tab A saved, applies another change: B is told, and merging keeps
    both changes in version 3."""
    a = _constraints(app(90).run())
    b = _constraints(app(90).run())
    a.number_input(key=f"form_central_cap_{_suffix(a)}").set_value(4).run()
    a.button(key="apply_central").click().run()
    assert working(a).version == 2
    b.number_input(key=f"form_gap_{_suffix(b)}").set_value(2).run()
    b.button(key="apply_central").click().run()
    assert not b.exception
    assert "Thay đổi của bạn chưa được lưu" in _texts(b)
    assert "Cấp dưới xong trước cấp trên (ngày): 7 → 2" in "\n".join(m.value for m in b.markdown)
    assert scenarios.head(store_of(_home), DEFAULT_DOCUMENT) == 2  # nothing overwritten
    b.button(key="c_merge").click().run()
    version = scenarios.load(store_of(_home), DEFAULT_DOCUMENT)
    assert version.number == 3
    assert set(version.sets) == {
        "levels.central.daily_capacity=4",
        "gaps.child_before_parent_days=2",
    }
    assert working(b).version == 3 and "Đã lưu phiên bản 3" in _texts(b)


def test_conflict_on_the_same_key_offers_theirs_or_mine(_home: Path) -> None:
    """Both change the capacity: merge is disabled; keeping mine saves it as version 3 with
    theirs still in the history; reloading theirs drops mine visibly."""
    a = _constraints(app(90).run())
    b = _constraints(app(90).run())
    c = _constraints(app(90).run())
    a.number_input(key=f"form_central_cap_{_suffix(a)}").set_value(4).run()
    a.button(key="apply_central").click().run()
    for tab, value in ((b, 5), (c, 6)):
        tab.number_input(key=f"form_central_cap_{_suffix(tab)}").set_value(value).run()
        tab.button(key="apply_central").click().run()
        assert tab.button(key="c_merge").disabled
    b.button(key="c_mine").click().run()
    assert scenarios.load(store_of(_home), DEFAULT_DOCUMENT).sets == (
        "levels.central.daily_capacity=5",
    )
    c.button(key="c_theirs").click().run()
    assert "8 → 6" in _texts(c)  # what was dropped is said
    assert working(c).version == 2  # the version it reloaded when it chose
    history = scenarios.history(store_of(_home), DEFAULT_DOCUMENT)
    assert [h.number for h in history] == [3, 2, 1]


def test_refresh_keeps_version_plan_budget_and_language(_home: Path) -> None:
    """A new session with the same URL (a refresh) opens the same version, budget and
    language, and shows the stored plan at once without solving again."""
    at = app(90, budget="7").run()
    _wait(at, "plan")
    params = dict(at.query_params)
    assert params["scenario"] == DEFAULT_DOCUMENT and params["v"] == "1"
    assert params["budget"] == "7"  # the budget is in the URL too
    again = app(90, **{**params, "lang": "en"}).run()
    assert [m.label for m in again.metric][:1] == ["Status"]
    assert again.sidebar.number_input(key="budget").value == 7.0
    assert jobs.pool().counts() == (0, 0)  # nothing solved again


def test_refresh_during_a_solve_shows_it_again(_home: Path) -> None:
    """A solve still running when the page is reloaded is shown with its progress and a cancel
    button; cancelling stops it and the page says what is kept."""
    at = app(90, budget="120").run()
    key = f"plan:{working(at).content_key}"
    job = jobs.pool().find(key)
    assert job is not None and job.active
    again = app(90, **dict(at.query_params)).run()
    assert again.button(key=f"cancel_{key}")  # the running job, found again
    assert any("Đang" in i.value for i in again.info)
    again.button(key=f"cancel_{key}").click().run()
    assert jobs.pool().wait(job, 60) and job.state == "cancelled"
    again.run()
    assert not again.exception


def test_queued_jobs_show_their_position(monkeypatch: pytest.MonkeyPatch) -> None:
    """With one worker, a second scenario's solve waits and says where it is in the queue."""
    monkeypatch.setenv("PLANNER_POOL_SIZE", "1")
    first = app(90, budget="60").run()
    second = _constraints(app(90).run())
    second.number_input(key=f"form_gap_{_suffix(second)}").set_value(2).run()
    second.button(key="apply_central").click().run()
    second.switch_page(PAGES + "plan.py").run()
    assert any("vị trí 1 trong hàng đợi" in i.value for i in second.info), _texts(second)
    first_job = jobs.pool().find(f"plan:{working(first).content_key}")
    assert first_job is not None
    jobs.pool().cancel(first_job, "test")


def test_feasibility_explains_and_applies_a_verified_suggestion(_home: Path) -> None:
    """A capacity conflict is explained; applying the verified suggestion saves it."""
    at = _constraints(app(90).run())
    at.number_input(key=f"form_central_cap_{_suffix(at)}").set_value(1).run()
    at.button(key="apply_central").click().run()
    at.switch_page(PAGES + "feasibility.py").run()
    at.button(key="run_check").click().run()
    _wait(at, "check")
    assert not at.exception
    assert at.error and "Sức chứa toàn quốc theo cấp" in at.error[0].value
    assert at.header[0].value == "Cách gỡ"
    at.button(key="apply_suggestion_0").click().run()
    assert "levels.central.daily_capacity=4" in working(at).sets


def test_feasibility_with_two_conflicts_offers_a_pair(_home: Path) -> None:
    """Central window 15/9–20/10/2020 with capacity 1: no single change is enough; the page
    says what was tried and offers a verified pair; one click applies both changes."""
    at = _constraints(app(90).run())
    suffix = _suffix(at)
    at.date_input(key=f"form_central_start_{suffix}").set_value(dt.date(2020, 9, 15)).run()
    at.date_input(key=f"form_central_end_{suffix}").set_value(dt.date(2020, 10, 20)).run()
    at.number_input(key=f"form_central_cap_{suffix}").set_value(1).run()
    at.button(key="apply_central").click().run()
    at.switch_page(PAGES + "feasibility.py").run()
    at.button(key="run_check").click().run()
    _wait(at, "check", 300)
    assert at.header[0].value == "Cách gỡ"
    assert any("Không thay đổi đơn lẻ nào đủ" in i.value for i in at.info)
    pair = next(m for m in at.markdown if "Cả hai cùng lúc" in m.value)
    assert pair.value.count("--set") == 2
    at.button(key="apply_suggestion_0").click().run()
    keys = {s.split("=")[0] for s in working(at).sets}
    assert {"levels.central.daily_capacity", "levels.central.window"} <= keys


def _build_feeds(at: AppTest, home: Path) -> tuple[Any, jobs.Job]:
    """Press "Build the iCal feeds" on the Export page and wait for the export job."""
    at.button(key="build_ical").click().run()
    plan = plans.latest(store_of(home), working(at).content_key, with_plan=True)
    assert plan is not None
    job = jobs.pool().find(f"export:{DEFAULT_DOCUMENT}:{plan.id}:all")
    assert job is not None and jobs.pool().wait(job, 180) and job.state == "done", job.error
    at.run()
    return plan, job


def test_export_builds_once_and_sequence_rises(_home: Path) -> None:
    """The feeds are built in the pool once and then offered at once; after a change and a new
    plan, a second export raises SEQUENCE of the moved congresses."""
    at = app(90).run()
    _wait(at, "plan")
    at.switch_page(PAGES + "export.py").run()
    labels = [e.proto.label for e in at.get("download_button")]
    assert len(labels) == 2  # the scenario and the plan as CSV; XLSX and PDF on request
    at.button(key="build_xlsx").click().run()
    at.button(key="build_pdf").click().run()
    labels = [e.proto.label for e in at.get("download_button")]
    assert any("XLSX" in label for label in labels) and any("PDF" in label for label in labels)
    first_plan, job = _build_feeds(at, _home)
    assert any("iCal" in e.proto.label for e in at.get("download_button"))
    at.run()  # a second visit: no new job
    assert jobs.pool().find(f"export:{DEFAULT_DOCUMENT}:{first_plan.id}:all") is job
    first = feeds.last_export(store_of(_home), DEFAULT_DOCUMENT, "all")
    assert first is not None and first.plan_id == first_plan.id
    assert set(sequences((_home / first.archive).read_bytes()).values()) == {0}

    at = _constraints(at)
    at.date_input(key=f"form_central_start_{_suffix(at)}").set_value(dt.date(2020, 9, 10)).run()
    at.button(key="apply_central").click().run()
    at.switch_page(PAGES + "plan.py").run()
    at.button(key="solve").click().run()
    _wait(at, "plan")
    at.switch_page(PAGES + "export.py").run()
    _second_plan, job = _build_feeds(at, _home)
    second = feeds.last_export(store_of(_home), DEFAULT_DOCUMENT, "all")
    assert second is not None and second.plan_id == _second_plan.id
    raised = [s for s in sequences((_home / second.archive).read_bytes()).values() if s > 0]
    captions = "\n".join(c.value for c in at.main.caption)
    assert raised and "SEQUENCE" in captions
    assert f"dời {job.result['summary']['moved']}" in captions


def test_replan_after_a_change_moves_only_that_province(_home: Path) -> None:
    """After a local lockdown, "Re-plan" moves only that province's congresses, validated; the
    offer survives a refresh because the base is the previous version's plan."""
    from planner.analysis.replan import plan_dates
    from planner.analysis.validate import validate
    from planner.problem.units import build_problem
    from planner.tree.build import build_tree

    at = app(90).run()
    _wait(at, "plan")
    base = plans.latest(store_of(_home), working(at).content_key, with_plan=True)
    assert base is not None
    tree = build_tree()
    old = plan_dates(plans.plan_frame(store_of(_home), base.id))
    first = min(d[0] for o, d in old.items() if tree.get(o).province_code == 37 and o != "p37")
    lockdown = (
        f'blackouts.ranges=[{{id="lockdown", start={first}, '
        f"end={first + dt.timedelta(days=13)}, provinces=[37]}}]"
    )
    version = scenarios.commit(
        store_of(_home), DEFAULT_DOCUMENT, 1, working(at).base_text, working(at).base_name,
        [lockdown], "test", "lockdown",
    )  # fmt: skip
    refreshed = app(90, scenario=DEFAULT_DOCUMENT, v=str(version.number)).run()
    assert not refreshed.exception
    refreshed.button(key="replan").click().run()
    _wait(refreshed, "plan")
    assert not refreshed.exception
    moved = next(m for m in refreshed.metric if m.label == "Đại hội phải dời")
    assert int(moved.value) >= 1
    new = plans.latest(store_of(_home), working(refreshed).content_key, with_plan=True)
    assert new is not None and new.kind == "replan" and new.base_plan == base.id
    frame = plans.plan_frame(store_of(_home), new.id)
    problem = build_problem(working(refreshed).scenario(), tree)
    assert validate(problem, frame, complete=True).ok
    changed = {o for o, d in plan_dates(frame).items() if d != old[o]}
    assert len(changed) == int(moved.value)
    assert all(tree.get(o).province_code == 37 for o in changed)


def test_history_restores_an_old_version(_home: Path) -> None:
    """The history lists who saved what; restoring version 1 saves it as version 3."""
    at = _constraints(app(90).run())
    at.number_input(key=f"form_central_cap_{_suffix(at)}").set_value(4).run()
    at.button(key="apply_central").click().run()
    at.switch_page(PAGES + "history.py").run()
    assert not at.exception
    assert "v2" in at.markdown[0].value and "8 → 4" in at.markdown[0].value
    at.button(key="restore_1").click().run()
    version = scenarios.load(store_of(_home), DEFAULT_DOCUMENT)
    assert version.number == 3 and version.sets == () and version.parent == 1


def test_unwritable_store_keeps_the_edit_in_the_session(
    _home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only database: the edit stays in the session, marked not saved, with the reason
    in both languages; once the store is writable, Retry saves it."""
    import sqlite3

    at = _constraints(app(90).run())
    real = Store._connect

    def read_only(self: Store) -> sqlite3.Connection:
        conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, isolation_level=None)
        conn.row_factory = sqlite3.Row
        return conn

    monkeypatch.setattr(Store, "_connect", read_only)
    at.number_input(key=f"form_central_cap_{_suffix(at)}").set_value(4).run()
    at.button(key="apply_central").click().run()
    assert not at.exception
    assert "Chưa lưu được" in _texts(at) and "chỉ đọc" in _texts(at)
    assert working(at).sets == ["levels.central.daily_capacity=4"] and not working(at).saved
    monkeypatch.setattr(Store, "_connect", real)
    at.button(key="retry_save").click().run()
    assert working(at).saved and working(at).version == 2


def test_broken_saved_state_is_kept_aside_and_offered_back(_home: Path) -> None:
    """A saved state from an earlier version that nests too deeply, and one that no longer
    validates: no traceback, both kept aside with the reason, restore and discard offered."""
    _home.mkdir(parents=True)
    (_home / LEGACY_FILE).write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    at = app(90).run()
    assert not at.exception and at.title[0].value == "Kế hoạch đại hội"
    assert "nested too deeply" not in _texts(at)  # Vietnamese first
    assert "Không đọc được trạng thái đã lưu" in _texts(at)
    (kept,) = [b for b in at.button if b.key and b.key.startswith("kept_discard_")]
    kept.click().run()
    next(b for b in at.button if b.key and b.key.startswith("kept_discard_")).click().run()
    assert "Đã xóa tệp" in _texts(at) and not list(_home.glob(f"{LEGACY_FILE}.unreadable-*"))


def test_a_version_that_no_longer_validates_can_be_restored(_home: Path) -> None:
    """A stored version with a change that no longer validates: the page says so and restores
    what still validates as a new version."""
    at = app(90).run()
    scenarios.commit(
        store_of(_home), DEFAULT_DOCUMENT, 1, working(at).base_text, working(at).base_name,
        ["levels.central.days=2", "levels.central.nonsense=1"], "test", "broken",
    )  # fmt: skip
    again = app(90, scenario=DEFAULT_DOCUMENT, v="2").run()
    assert not again.exception
    assert "không còn hợp lệ" in "\n".join(e.value for e in again.error)
    again.button(key="invalid_restore").click().run()
    version = scenarios.load(store_of(_home), DEFAULT_DOCUMENT)
    assert version.number == 3 and version.sets == ("levels.central.days=2",)
    assert "levels.central.nonsense" in _texts(again)


UNDECIDED = "có thể vẫn tồn tại"  # "one may still exist": the page's word for UNKNOWN


def test_an_old_result_is_not_shown_while_a_new_solve_runs(_home: Path) -> None:
    """A stored UNKNOWN result stays off the page while a new solve runs (its progress shows
    instead), and is replaced by the new result. UNKNOWN reads "no plan within the budget, one
    may still exist", never "impossible" (issue 11)."""
    at = app(90).run()
    job = _wait(at, "plan")
    assert job.state == "done"
    plans.save_plan(
        store_of(_home), content_key=working(at).content_key, scenario=DEFAULT_DOCUMENT,
        version=1, kind="solve", author="test", report={"status": "UNKNOWN"}, plan_csv=None,
    )  # fmt: skip
    at.run()
    assert any(UNDECIDED in w.value for w in at.warning)
    at.button(key="solve").click().run()
    assert not any(UNDECIDED in w.value for w in at.warning)
    assert any("Đang" in i.value for i in at.info)
    _wait(at, "plan")
    assert not any(UNDECIDED in w.value for w in at.warning)
    assert at.metric[0].value in ("Tối ưu", "Hợp lệ")


def test_a_bug_in_a_page_shows_a_message_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An unexpected error in a page is caught: a bilingual message, the sidebar still works."""
    from planner.ui import overview

    def broken() -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(overview, "tree_section", broken)
    at = app(90).run()
    at.switch_page(PAGES + "election.py").run()
    assert not at.exception
    assert any("Đã xảy ra lỗi" in e.value and "Something went wrong" in e.value for e in at.error)
    assert "boom" not in "\n".join(e.value for e in at.error)
    at.switch_page(PAGES + "constraints.py").run()
    assert at.title[0].value == "Ràng buộc"


def test_an_out_of_range_budget_is_clamped_visibly() -> None:
    """A budget outside 1–600 s is not used silently: the sidebar says what is used instead."""
    at = app(90, budget="1000", page="constraints").run()
    assert any("dùng 600 s" in w.value for w in at.sidebar.warning)
    assert at.session_state["budget_s"] == 600.0


def test_feasibility_names_the_families_once(_home: Path) -> None:
    """D19: the capacity conflict's line on the page names each family once, and its unit
    count is what it lists plus the others, and the pre-check's count of congresses."""
    import re

    at = _constraints(app(90).run())
    at.number_input(key=f"form_central_cap_{_suffix(at)}").set_value(1).run()
    at.button(key="apply_central").click().run()
    at.switch_page(PAGES + "feasibility.py").run()
    at.button(key="run_check").click().run()
    _wait(at, "check")
    assert not at.exception
    line = next(m.value for m in at.markdown if "Đơn vị (" in m.value)
    for name in ("Sức chứa toàn quốc theo cấp", "Khung thời gian theo cấp"):
        assert line.count(name) == 1, line
    found = re.search(r"Đơn vị \((\d+)\): (.*?) và (\d+) đơn vị khác\.", line)
    assert found, line
    listed = len(re.findall(r"\([a-z0-9-]+\)", found.group(2)))
    assert int(found.group(1)) == listed + int(found.group(3))
    stated = next(m.value for m in at.markdown if "ngày-đại hội" in m.value)  # the pre-check
    count = re.search(r"— (\d+) đại hội", stated)
    assert count and count.group(1) == found.group(1), (stated, line)


def test_english_counts_are_singular_for_one(_home: Path) -> None:
    """D28: after one change, the English sidebar says "1 change", never "1 changes"."""
    at = _constraints(app(90, lang="en").run())
    at.number_input(key=f"form_central_cap_{_suffix(at)}").set_value(4).run()
    at.button(key="apply_central").click().run()
    assert not at.exception
    captions = " ".join(c.value for c in at.sidebar.caption)
    assert "1 change" in captions and "1 changes" not in captions, captions


def test_the_levels_table_shows_no_none(_home: Path) -> None:
    """D14: the levels table has empty capacities (no limit); the editor is given "—" for
    them, and no displayed cell holds the text None or nan."""
    at = _constraints(app(90).run())
    editor = at.dataframe[0]
    frame = editor.value
    assert "daily_capacity" in frame.columns
    assert frame.isna().to_numpy().any()  # the case: some levels have no capacity
    assert editor.proto.placeholder == "—"
    texts = {str(v) for v in frame.to_numpy().ravel() if isinstance(v, str)}
    assert not texts & {"None", "nan", "NaN", "NaT"}
