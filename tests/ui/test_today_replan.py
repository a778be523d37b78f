"""Issue 21, point 3 in the browser: «Lập lại kế hoạch từ hôm nay» on the Progress page, through
AppTest and the store. The default 2020 scenario, solved once; the actuals of
:mod:`tests.analysis.test_replan_today` (every grassroots and district congress planned before
1/9/2020
held on its dates, except four Ninh Bình districts not held, one postponed, one ward merged)
recorded in the store; the re-plan from 1/9/2020, the day after the district window closed.

Expectations are argued as in :mod:`tests.analysis.test_replan_today`: the district deadline
31/8/2020 is
late by at least the later of the first blackout-free 2-day run from 1/9 and the postponed
congress's new end; the plan is checked by the validator against the scenario with the district
deadline moved by hand, from today, with the held congresses as facts.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from planner.analysis.validate import validate
from planner.analysis.validate.today import TODAY_RULE
from planner.plan.actuals import Actual
from planner.plan.frame import read_plan_text
from planner.problem.units import build_problem
from planner.scenario.builder import load_scenario, tree_for
from planner.store import actuals as stored
from planner.store import plans
from planner.ui import jobs
from planner.ui import session as ui_session
from planner.ui.today_replan import job_key
from tests.analysis.test_replan_today import DEADLINE, POSTPONED, TODAY, _earliest_end

from .test_progress_page import _document, _page, home, solved  # noqa: F401 (fixtures)

MOVED = "Đại hội phải dời"


def _reality(plan: pd.DataFrame) -> tuple[list[Actual], list[str], str, str]:
    """The actuals (see the module's docstring), the late districts, the postponed and merged."""
    tree = tree_for(load_scenario())
    congress = plan[plan["kind"] == "congress"].sort_values("org_id")
    districts = congress[
        (congress["level"] == "district")
        & (congress["org_id"] != "d369")  # the pilot
        & congress["org_id"].map(lambda o: tree.get(o).province_code == 37)
    ]
    late = list(districts["org_id"][:4])
    postponed = str(districts["org_id"].iloc[4])
    merged = str(congress[congress["level"] == "grassroots"]["org_id"].iloc[0])
    entries = [
        Actual(str(r.org_id), "congress", "held", r.start, r.end)  # type: ignore[arg-type]
        for r in congress.itertuples(index=False)
        if r.level in ("grassroots", "district")
        and r.org_id not in (*late, postponed, merged)
        and r.end < TODAY  # type: ignore[operator]
    ]
    start, end = (dt.date.fromisoformat(d) for d in POSTPONED)
    entries.append(Actual(postponed, "congress", "postponed", start, end, "COVID-19"))
    entries.append(Actual(merged, "congress", "merged", None, None))
    return entries, late, postponed, merged


def _replanned(at: Any, store: Any, doc: str) -> jobs.Job:
    """Press the button for 1/9/2020 and wait for the pool's job (validated by the task)."""
    at.date_input(key="replan_today_day").set_value(TODAY).run()
    at.button(key="replan_today").click().run()
    assert not at.exception, [e.value for e in at.exception]
    content = at.session_state["working"].content_key
    record = plans.latest(store, content)
    marker = max(e.entry_id or 0 for e in stored.current(store, doc).values())
    job = jobs.pool().find(job_key(content, TODAY, record.id, marker))
    assert job is not None and job.task == "replan_today"
    assert jobs.pool().wait(job, 300) and job.state == "done", (job.state, job.error)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return job


def test_replan_from_a_day_after_the_district_deadline_slipped(
    home: Path,  # noqa: F811
    solved: Any,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """The button re-plans from the chosen day in the pool: the page shows the moved count and
    the missed district deadline with how late, in Vietnamese and (switched) English; a second
    tab finds the same job's result without pressing; the plan passes the validator (rule
    ``today``, held dates); a provincial editor's save is refused with their scope and stores
    nothing; the local administrator's save stores it as the scenario's new plan."""
    plan = solved[1]
    store = _document(home, "today")
    entries, late, postponed, merged = _reality(plan)
    stored.record(store, "today", entries, "test")
    at = _page(home, "today")
    job = _replanned(at, store, "today")
    result = job.result
    moves = result["moves"]
    late_by = (max(_earliest_end(37), dt.date.fromisoformat(POSTPONED[1])) - DEADLINE).days
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[MOVED] == str(len(moves)) and moves
    assert metrics["Hạn không còn đạt"] == "1"
    held_count = sum(e.status == "held" for e in entries)
    assert metrics["Đã họp, giữ nguyên ngày"] == f"{held_count:,}".replace(",", ".")
    vi = f"hạn chót 31/8/2020 của cấp trên cơ sở không còn đạt được: trễ ít nhất {late_by} ngày"
    assert any(vi in w.value for w in at.warning), [w.value for w in at.warning]
    assert {m["org_id"] for m in moves} >= set(late)  # planned before today, not held

    # the plan: held on their dates, nothing unheld before today, merged gone, valid
    new = read_plan_text(result["plan_csv"], "replan")
    congress = new[new["kind"] == "congress"].set_index("org_id")
    held = {e.org_id: (e.start, e.end) for e in entries if e.status == "held"}
    assert merged not in congress.index
    for org_id, dates in held.items():
        assert (congress.at[org_id, "start"], congress.at[org_id, "end"]) == dates, org_id
    unheld = congress[~congress.index.isin(list(held))]
    assert (unheld["start"] >= TODAY).all()
    assert congress.at[postponed, "start"] >= dt.date.fromisoformat(POSTPONED[0])
    (slipped,) = result["report"]["relaxed_deadlines"]
    relaxed = slipped["relaxed_to"]
    scenario = load_scenario(None, [f"levels.district.window=[2020-05-01, {relaxed}]"])
    problem = build_problem(scenario, tree_for(scenario))
    kept = problem.subproblem(u.org_id for u in problem.units if u.org_id != merged)
    checked = kept.with_today(TODAY).with_held(held)  # type: ignore[arg-type]
    verdict = validate(checked, new, complete=True)
    assert verdict.ok, [v.message_en for v in verdict.violations[:3]]
    planted = new.copy()  # the same check flags an unheld congress before today
    row = (planted["kind"] == "congress") & (planted["org_id"] == late[0])
    planted.loc[row, "start"] = planted.loc[row, "start"] - dt.timedelta(days=30)
    planted.loc[row, "end"] = planted.loc[row, "end"] - dt.timedelta(days=30)
    assert [v.rule for v in validate(checked, planted).violations if v.units == (late[0],)] == [
        TODAY_RULE
    ]

    # a second tab (or a rerun) finds the same job and its result: no second job
    other = _page(home, "today")
    other.date_input(key="replan_today_day").set_value(TODAY).run()
    assert {m.label: m.value for m in other.metric}[MOVED] == str(len(moves))
    other.radio(key="lang").set_value("en").run()
    en = f"district-level deadline 31/08/2020 can no longer be met: at least {late_by} days late"
    assert any(en in w.value for w in other.warning), [w.value for w in other.warning]

    # a provincial editor may not save it: refused with the scope, nothing stored
    content = at.session_state["working"].content_key
    before = plans.latest(store, content)
    roles = tmp_path / "roles.toml"
    roles.write_text(
        'schema_version = 1\n[[users]]\nuser = "nb"\nrole = "province_editor"\nprovinces = [37]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("PLANNER_AUTH", "header")
    monkeypatch.setenv("PLANNER_ROLES", str(roles))
    monkeypatch.setattr(ui_session, "_header_user", lambda: "nb")
    at.run()
    at.button(key="replan_today_save").click().run()
    refusals = [e.value for e in at.error]
    assert any("Ninh Bình (p37)" in e and "không được lưu kế hoạch mới" in e for e in refusals), (
        refusals,
        [c.value for c in at.caption][-5:],
        [b.key for b in at.button],
    )
    assert plans.latest(store, content) == before

    # the local administrator saves it as the scenario's new plan
    monkeypatch.delenv("PLANNER_AUTH")
    at.run()
    at.button(key="replan_today_save").click().run()
    saved = plans.latest(store, content)
    assert saved is not None and saved != before and saved.kind == "replan"
    assert saved.report["today_job"] == job.id and saved.report["today"] == TODAY.isoformat()
    assert saved.base_plan == before.id and len(saved.moves or []) == len(moves)
    assert plans.plan_csv(store, saved.id) == result["plan_csv"]
    assert any("Đã lưu kế hoạch mới" in s.value for s in at.success), [s.value for s in at.success]
