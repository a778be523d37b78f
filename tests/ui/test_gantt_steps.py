"""The preparation steps on the Plan page's charts (issue 20, point 3): each congress's steps
on its Gantt row and in the chart's table, the timeline's review panel — each checked against
a count made again from the plan frame — and a plan without steps drawn as before."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pytest

from planner.analysis.validate import validate
from planner.problem.units import build_problem
from planner.rules.preparation import STANDING_COMMITTEE, STEP_KINDS
from planner.scenario.builder import load_scenario, tree_for
from planner.solver import solve
from planner.store import plans
from planner.store.db import Store
from planner.tree.names import level_label
from planner.ui import charts
from planner.ui.province import members, subset

from ..conftest import DATA, QUICK_ARGS
from .apptest import app, solved

KIND_VI = {
    "review": "Cấp trên duyệt văn kiện, nhân sự",
    "lower_review": "Cấp trên duyệt nội dung đại hội",
    "announce": "Thông báo ngày khai mạc",
    "report": "Báo cáo kết quả",
    "approval": "Chuẩn y kết quả",
}
BASE_COLUMNS = ["Đơn vị", "Mã đơn vị", "Cấp", "Từ ngày", "Đến ngày"]
TODAY = dt.date(2030, 1, 1)  # after every campaign: no today line


@pytest.fixture(scope="module")
def plan(default_problem: Any, default_report: Any) -> pd.DataFrame:
    """The built-in scenario's plan, checked by the independent validator."""
    frame: pd.DataFrame = default_report.plan
    assert validate(default_problem, frame, complete=True).ok
    return frame


def _kind(row: Any) -> str:
    return "lower_review" if row.kind == "review" and row.body == STANDING_COMMITTEE else row.kind


def _when(start: dt.date, end: dt.date) -> str:
    return f"{start:%d/%m/%Y}" if start == end else f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"


def _step_traces(figure: go.Figure) -> dict[str, Any]:
    return {trace.name: trace for trace in figure.data if trace.name in KIND_VI.values()}


def _ninh_binh(problem: Any, frame: pd.DataFrame, page: int) -> tuple[charts.Chart, list[str]]:
    """Ninh Bình's Gantt page (as the Plan page draws it) and its congresses' ids."""
    tree = problem.tree
    part = subset(frame, tree, "p37")
    rows = charts.gantt_rows(part, members(tree, "p37"))
    chart = charts.gantt(rows, page, part, problem.scenario.preparation)
    ids = [str(o) for o in rows["org_id"].iloc[page * 30 : (page + 1) * 30]]
    return chart, ids


def test_gantt_draws_each_congress_steps_on_its_row(default_problem: Any, plan: Any) -> None:
    """Ninh Bình's first page: one step trace per kind present, holding exactly the plan's step
    rows of the page's congresses, each on its congress's row from its first to its last day;
    the date axis covers them; the table gives each congress's step dates, ``—`` where none."""
    chart, ids = _ninh_binh(default_problem, plan, 0)
    assert len(ids) == 30 and len(chart.table) == 30  # congresses stay the unit of paging
    steps = plan[plan["kind"].isin(STEP_KINDS) & plan["org_id"].isin(ids)]
    expected: dict[str, dict[str, Any]] = {}
    for row in steps.itertuples():
        expected.setdefault(KIND_VI[_kind(row)], {})[row.event_id] = row
    assert expected and sum(len(e) for e in expected.values()) == len(steps) == 4
    traces = _step_traces(chart.figure)
    assert set(traces) == set(expected)
    label = {o: y for o, y in zip(chart.table["Mã đơn vị"], chart.table["Đơn vị"], strict=True)}
    for name, trace in traces.items():
        assert [c[2] for c in trace.customdata] == list(expected[name])
        for event, y, base, width in zip(expected[name], trace.y, trace.base, trace.x, strict=True):
            row = expected[name][event]
            assert y == f"{label[row.org_id]} · {row.org_id}"
            assert pd.Timestamp(base).date() == row.start
            assert width == ((row.end - row.start).days + 1) * 86_400_000
    low = min(steps["start"])
    assert dt.date.fromisoformat(str(chart.figure.layout.xaxis.range[0])[:10]) < low
    for name, by_event in expected.items():
        dates = {row.org_id: _when(row.start, row.end) for row in by_event.values()}
        assert list(chart.table[name]) == [dates.get(o, "—") for o in ids]
    assert list(chart.table.columns) == BASE_COLUMNS + [
        n for n in KIND_VI.values() if n in expected
    ]


def test_a_gantt_page_without_steps_has_no_step_trace(default_problem: Any, plan: Any) -> None:
    """The second page of Ninh Bình (its district-level congresses, whose steps the default
    scenario does not plan) has neither step traces nor step columns."""
    chart, ids = _ninh_binh(default_problem, plan, 1)
    assert ids and not plan[plan["kind"].isin(STEP_KINDS) & plan["org_id"].isin(ids)].shape[0]
    assert not _step_traces(chart.figure)
    assert list(chart.table.columns) == BASE_COLUMNS


def test_timeline_review_panel_counts_the_reviews_in_session(
    default_problem: Any, plan: Any
) -> None:
    """The timeline's top panel «Duyệt của cấp trên» holds the reviews in session on each day,
    equal to a count made again from the plan's review rows; its sentence and table row too."""
    levels = ["central", "district", "grassroots"]
    chart = charts.timeline(plan, levels, TODAY)
    reviews = plan[plan["kind"] == "review"]
    count: Counter[dt.date] = Counter()
    for start, end in zip(reviews["start"], reviews["end"], strict=True):
        for k in range((end - start).days + 1):
            count[start + dt.timedelta(days=k)] += 1
    panel = [trace for trace in chart.figure.data if trace.name == "Duyệt của cấp trên"]
    assert len(panel) == 1 and panel[0].yaxis == "y"  # the top panel
    drawn = {pd.Timestamp(x).date(): y for x, y in zip(panel[0].x, panel[0].y, strict=True)}
    assert {d: n for d, n in drawn.items() if n} == dict(count)
    assert chart.figure.layout.annotations[0].text == "Duyệt của cấp trên"
    peak = max(count.values())
    peak_day = min(d for d, n in count.items() if n == peak)
    assert (
        f"Duyệt của cấp trên: {len(reviews)} cuộc duyệt, nhiều nhất {peak} cùng ngày "
        f"{peak_day:%d/%m/%Y}." in chart.summary
    )
    row = chart.table[chart.table["Cấp"] == "Duyệt của cấp trên"]
    assert list(row["Số đại hội"]) == [str(len(reviews))]


def test_a_plan_without_steps_draws_as_before() -> None:
    """With ``preparation.enabled=false`` the plan has no step rows: the Gantt chart has no
    step trace or column and the timeline no review panel (one panel per level, as before)."""
    sets = [*QUICK_ARGS[1::2], "preparation.enabled=false"]
    scenario = load_scenario(DATA / "scenarios" / "xiii-2020.toml", sets)
    problem = build_problem(scenario, tree_for(scenario))
    report = solve(problem, time_limit=3.0, workers=2, seed=0, deterministic=True)
    assert report.plan is not None and validate(problem, report.plan).ok
    frame = report.plan
    assert not frame["kind"].isin(STEP_KINDS).any()
    chart, _ids = _ninh_binh(problem, frame, 0)
    assert not _step_traces(chart.figure) and list(chart.table.columns) == BASE_COLUMNS
    timeline = charts.timeline(frame, ["central", "district"], TODAY)
    titles = [a.text for a in timeline.figure.layout.annotations]
    assert titles == [level_label(lv).vi for lv in ("central", "district")]
    assert "Duyệt" not in timeline.summary
    assert "Duyệt của cấp trên" not in set(timeline.table["Cấp"])


def test_the_plan_page_draws_the_steps_of_its_plan(_home: Path) -> None:
    """The Plan page (Ninh Bình chosen) passes its plan's steps to the charts: the Gantt table
    gives Ninh Bình's review date from the stored plan, and the timeline's table its review."""
    at = solved(app(province="p37").run())
    store = Store(_home / "planner.sqlite3")
    record = plans.latest(store, at.session_state["working"].content_key)
    assert record is not None and record.has_plan
    frame = plans.plan_frame(store, record.id)
    review = frame[(frame["kind"] == "review") & (frame["org_id"] == "p37")].iloc[0]
    gantt = at.table[-1].value
    row = gantt[gantt["Mã đơn vị"] == "p37"]
    assert list(row[KIND_VI["review"]]) == [_when(review.start, review.end)]
    timeline = at.table[0].value
    assert list(timeline.loc[timeline["Cấp"] == "Duyệt của cấp trên", "Số đại hội"]) == ["1"]
