"""Kế hoạch / Plan: solve or re-plan in the worker pool, then the whole cycle, heatmap, drill-down.

The plan on screen is the newest one stored for the scenario's content, so it is there again
after a refresh, in a second tab, and after a restart. A running solve is found again by its
key. After a change, the plan of the version this one derives from is the base of a re-plan.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from planner.analysis.replan import proof_words
from planner.rules.calendar import today_in_vietnam
from planner.store.plans import PlanRecord
from planner.tree.hierarchy import Level
from planner.ui import charts, progress
from planner.ui.a11y import table_alternative
from planner.ui.captions import scenario_caption
from planner.ui.common import (
    csv_bytes,
    job_payload,
    name_col,
    page,
    plan_frame,
    plan_identity,
    replan_base,
    shown_plan,
)
from planner.ui.jobs import pool
from planner.ui.opened import tree
from planner.ui.province import ALL, members, subset
from planner.ui.search import unit_link
from planner.ui.session import author, t, working
from planner.ui.session import lang as current_lang
from planner.ui.step_views import preparation_steps
from planner.ui.words import (
    count_en,
    either,
    family_text,
    number,
    span,
    status_short,
    status_text,
    submodel_text,
    word,
)

scenario, problem = page("Kế hoạch đại hội", "Congress plan")
state = working()
key = f"plan:{state.content_key}"
budget = float(st.session_state.get("budget_s", 5.0))
national = sum(u.level == Level.NATIONAL for u in problem.units)
st.caption(
    scenario_caption(scenario)
    + " — "
    + charts.count_text(len(problem.units) - national, national > 0)
)

record = shown_plan(state.content_key)
base = replan_base(scenario) if record is None or not record.has_plan else None
job = pool().find(key)
active = job is not None and job.active


def _solve() -> None:
    pool().submit("solve", job_payload(time_limit=budget), key=key, owner=author())


left, right = st.columns([1, 3])
if left.button(t("Lập kế hoạch", "Solve"), type="primary", disabled=active, key="solve"):
    _solve()
    st.rerun()
if base is not None and not active:
    right.info(
        t(
            "Kịch bản đã đổi so với kế hoạch trước. Lập lại để dời ít đại hội nhất, hoặc lập "
            "kế hoạch mới từ đầu.",
            "The scenario changed since the previous plan. Re-plan to move the fewest "
            "congresses, or solve again from scratch.",
        )
    )
    if right.button(t("Lập lại, dời ít nhất", "Re-plan, moving the fewest"), key="replan"):
        identity = plan_identity(base)  # replan_base only offers a plan of the same era
        era = identity[1] if identity is not None else scenario.era
        payload = job_payload(time_limit=budget, base_plan=base.id, base_era=era)
        pool().submit("replan", payload, key=key, owner=author())
        st.rerun()
if record is None and base is None and job is None:  # first visit to this content: solve
    _solve()
    job = pool().find(key)

job = progress.watch(key, "Đang lập kế hoạch…", "Solving…")
if job is not None and job.active:
    st.stop()  # no old result (or its warning) while a new one is being made
if job is not None and not job.active and job.result and job.result.get("unsaved"):
    st.warning(t("Kết quả chưa được lưu: ", "The result is not saved: ") + job.result["unsaved"])
record = shown_plan(state.content_key)
if record is None or (job is not None and job.finished and job.result is None):
    progress.ended(job)
if record is None:
    st.stop()
report = record.report
if not record.has_plan and report.get("cancelled"):
    st.warning(
        t(
            "Đã dừng theo yêu cầu trước khi có kế hoạch. Bấm «Lập kế hoạch» để lập lại.",
            "Cancelled before a plan was found. Press Solve to start again.",
        )
    )
    st.stop()
if not record.has_plan:
    progress.no_plan(st.container(), report, state.content_key, budget)
    st.stop()

st.session_state["shown_plan"] = record
full_plan = plan_frame(record)
province = str(st.session_state.get("province", ALL))
orgs = tree()
plan = subset(full_plan, orgs, province)
status = report.get("status")  # a re-plan's is never OPTIMAL (planner.store.plans)
cols = st.columns(5)
cols[0].metric(word("status"), status_short(status), help=status_text(status))
objective = report.get("objective")
cols[1].metric(word("objective"), "—" if objective is None else number(objective))
bound = None if record.kind == "replan" else report.get("bound")
cols[2].metric(word("bound"), "—" if bound is None else number(bound))
gap = None if record.kind == "replan" else report.get("gap")
cols[3].metric(word("gap"), "—" if gap is None else number(100 * gap, 1) + " %")
elapsed = float(report.get("elapsed_s", report.get("wall_time_s", 0.0)) or 0.0)
cols[4].metric(word("time"), number(elapsed, 1) + " s")
st.caption(
    status_text(status)
    + " · "
    + t("Lập bởi ", "Made by ")
    + either(record.author)
    + (t(" · đã dừng giữa chừng", " · stopped early") if report.get("cancelled") else "")
)
if record.kind == "replan":  # what was proven, in words: the moves, and the plan's objective
    written = None if objective is None else number(objective)  # in the page's language
    vi, en = proof_words(bool(report.get("minimal")), written, written)
    st.info(t(vi, en) + ".")
limit = report.get("time_limit_s")
over = report.get("over_budget")
if over is None and limit is not None and not report.get("deterministic"):
    over = elapsed > float(limit)
if over and limit is not None:
    st.caption(
        t(
            f"Vượt giới hạn thời gian: {number(elapsed, 1)} s so với {number(float(limit), 1)} s.",
            f"Over the time budget: {number(elapsed, 1)} s against {number(float(limit), 1)} s.",
        )
    )


def _parts(names: list[str]) -> str:
    """Sub-models in words (a committee's name, "the whole plan"…), never their codes."""
    attr = name_col()

    def committee(code: str) -> str | None:
        org_id = code.split(":")[0]
        return str(getattr(orgs.get(org_id), attr)) if org_id in orgs else None

    shown = [submodel_text(n, committee(n)) for n in names[:8]]
    return ", ".join(shown) + (" …" if len(names) > 8 else "")


if report.get("fallback_submodels"):
    kept = _parts(list(report["fallback_submodels"]))
    st.caption(
        t(
            f"Giữ kế hoạch nền (bộ giải chưa tìm được gì tốt hơn trong phần thời gian): {kept}",
            f"Kept the constructive floor (the solver found nothing better in its share): {kept}",
        )
    )
if report.get("unproven_submodels") and status != "OPTIMAL" and record.kind != "replan":
    shown = _parts(list(report["unproven_submodels"]))
    st.caption(
        t(
            f"Chưa chứng minh tối ưu (phần mô hình): {shown}",
            f"Not proven optimal (sub-models): {shown}",
        )
    )


def _why(move: dict[str, object]) -> str:
    """The rule (and congress) that forced a move, in the page's language."""
    family = move.get("family")
    if not family:
        return ""
    return family_text(str(family)) + (f" ← {move['forced_by']}" if move.get("forced_by") else "")


def _moves(record: PlanRecord) -> None:
    moves = record.moves or []
    st.header(t("Thay đổi so với kế hoạch trước", "Changes from the previous plan"))
    st.metric(t("Đại hội phải dời", "Congresses moved"), number(len(moves)))
    if moves and not record.report.get("minimal"):
        repaired = record.report.get("repair_moved_count")
        st.caption(
            t(
                "Chưa chứng minh được đây là số đại hội phải dời ít nhất: có thể còn cách dời ít "
                "hơn; tăng giới hạn tính toán để tìm tiếp."
                + (f" Sửa chữa ban đầu dời {repaired}." if repaired is not None else ""),
                "Not proven to be the fewest moves: fewer may be possible; raise the solver "
                "budget to search longer."
                + (f" The first repair moved {repaired}." if repaired is not None else ""),
            )
        )
    if not moves:
        return
    attr = name_col()
    table = pd.DataFrame(
        [
            {
                word("unit_id"): m["org_id"],
                word("unit"): getattr(orgs.get(m["org_id"]), attr)
                if m["org_id"] in orgs
                else m["org_id"],
                word("old_dates"): charts_span(m["old_start"], m["old_end"]),
                word("new_dates"): charts_span(m["new_start"], m["new_end"]),
                word("shift"): m["days"],
                word("why"): _why(m),
            }
            for m in moves
        ]
    )
    st.dataframe(table, hide_index=True, key="moves")
    st.download_button(
        t("Tải danh sách đại hội phải dời (CSV)", "Download the list of moves (CSV)"),
        csv_bytes(table),
        file_name="moves.csv",
        mime="text/csv",
        key="download_moves",
    )


def charts_span(start: object, end: object) -> str:
    """Two ISO dates as ``dd/mm/yyyy – dd/mm/yyyy`` (``—`` when there are none)."""
    if not start:
        return "—"
    return span(dt.date.fromisoformat(str(start)), dt.date.fromisoformat(str(end)))


if record.kind == "replan":
    _moves(record)

levels = [lv.value for lv in scenario.era_levels if lv != Level.NATIONAL]
where = t("toàn quốc", "nationwide") if province == ALL else getattr(orgs.get(province), name_col())
st.header(t("Toàn bộ chu kỳ", "The whole cycle") + f" — {where}")
chart = charts.timeline(plan, levels, today_in_vietnam())
st.plotly_chart(chart.figure, key="timeline", config={"locale": current_lang()})
table_alternative(chart.table, chart.summary)

preparation_steps(plan, scenario.preparation)

below = levels if province == ALL else levels[1:]
st.header(t("Theo tuần", "Week by week"))
level = st.radio(
    t("Cấp", "Level"),
    below,
    index=below.index(levels[1]) if len(levels) > 1 and levels[1] in below else 0,
    format_func={lv: charts.level_name(lv) for lv in below}.__getitem__,
    horizontal=True,
    key=f"heat_level_{current_lang()}_{scenario.era}",  # labels follow the language
)
chart = charts.heatmap(plan, orgs, level, None if province == ALL else province)
st.plotly_chart(chart.figure, key="heatmap")
table_alternative(chart.table, chart.summary)

st.header(t("Chi tiết một đảng bộ", "One committee in detail"))
attr = name_col()
if province == ALL:
    centrals = sorted(
        (o.org_id for o in orgs.by_level(Level.CENTRAL) if problem.has(o.org_id)),
        key=lambda o: getattr(orgs.get(o), attr),
    )
    chosen = st.selectbox(
        charts.level_name(Level.CENTRAL.value),
        centrals,
        index=centrals.index("p37") if "p37" in centrals else 0,
        format_func=lambda o: getattr(orgs.get(o), attr),
        key=f"drill_central_{current_lang()}_{scenario.era}",
    )
else:
    chosen = province
rows = charts.gantt_rows(plan, members(orgs, chosen))
pages = max(1, -(-len(rows) // charts.GANTT_PAGE))
number_col, note_col = st.columns([1, 3])
page_no = int(
    number_col.number_input(
        t(f"Trang (1–{pages})", f"Page (1–{pages})"),
        min_value=1,
        max_value=pages,
        value=1,
        step=1,
        key=f"gantt_page_{chosen}",
    )
)
note_col.caption(
    t(
        f"{number(len(rows))} đại hội, {charts.GANTT_PAGE} mỗi trang; cấp trên trước, rồi theo "
        "ngày bắt đầu.",
        f"{count_en(len(rows), 'congress')}, {charts.GANTT_PAGE} a page; higher levels first, "
        "then by first day.",
    )
)
chart = charts.gantt(rows, page_no - 1, plan, scenario.preparation)
st.plotly_chart(chart.figure, key="gantt")
table_alternative(chart.table, chart.summary)
on_page = list(chart.table[word("unit_id")])
if on_page:
    unit_id = st.selectbox(
        t("Mở trang của một đơn vị trên trang này", "Open the page of a unit on this page"),
        on_page,
        format_func=lambda o: f"{getattr(orgs.get(o), attr)} · {o}",
        key=f"drill_unit_{current_lang()}",
    )
    unit_link(st, orgs, unit_id, t("Xem trang đơn vị: ", "See the unit's page: "), with_id=False)
