"""Kế hoạch / Plan: solve or re-plan in the worker pool, then the whole cycle, heatmap, drill-down.

The plan on screen is the newest one stored for the scenario's content, so it is there again
after a refresh, in a second tab, and after a restart. A running solve is found again by its
key. After a change, the plan of the version this one derives from is the base of a re-plan.
"""

from __future__ import annotations

import streamlit as st

from planner.calendar import today_in_vietnam
from planner.families import family_name
from planner.names import level_label
from planner.store.plans import PlanRecord
from planner.ui import charts, progress
from planner.ui.captions import scenario_caption
from planner.ui.common import job_payload, name_col, page, plan_frame, replan_base, shown_plan, tree
from planner.ui.jobs import pool
from planner.ui.session import author, t, working
from planner.ui.session import lang as current_lang

scenario, problem = page("Kế hoạch đại hội", "Congress plan")
state = working()
key = f"plan:{state.content_key}"
budget = float(st.session_state.get("budget_s", 5.0))
st.caption(scenario_caption(scenario) + f" — {len(problem.units):,} " + t("đại hội", "congresses"))

record = shown_plan(state.content_key)
base = replan_base() if record is None or not record.has_plan else None
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
        payload = job_payload(time_limit=budget * 2, base_plan=base.id)
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
    if report.get("status") == "INFEASIBLE":  # proven: send the user to why and what to relax
        st.error(
            t(
                "Không tồn tại kế hoạch nào cho kịch bản này (đã chứng minh). Xem trang Kiểm "
                "tra để biết vì sao và cách gỡ.",
                "No plan can exist for this scenario (proven). See the Feasibility page for why "
                "and what to relax.",
            )
        )
    else:  # undecided: never read as impossible (issue 11)
        limit = report.get("time_limit_s") or budget
        st.warning(
            t(
                f"Chưa tìm được kế hoạch trong {limit:g} giây; có thể vẫn tồn tại. Tăng giới "
                "hạn tính toán rồi lập lại.",
                f"No plan found within {limit:g} s; one may still exist. Raise the solver "
                "budget and solve again.",
            )
        )
        if report.get("floor_blocked_vi"):
            st.caption(
                t("Kế hoạch nền: ", "Constructive floor: ")
                + str(
                    report.get("floor_blocked_vi" if current_lang() == "vi" else "floor_blocked_en")
                )
            )
    st.stop()

st.session_state["shown_plan"] = record
plan = plan_frame(record)
cols = st.columns(5)
cols[0].metric(t("Trạng thái", "Status"), str(report.get("status")))
objective = report.get("objective")
cols[1].metric(t("Mục tiêu", "Objective"), "—" if objective is None else f"{objective:g}")
bound = report.get("bound")
cols[2].metric(t("Cận tốt nhất", "Best bound"), "—" if bound is None else f"{bound:g}")
gap = report.get("gap")
cols[3].metric("Gap", "—" if gap is None else f"{gap:.0%}")
cols[4].metric(t("Thời gian", "Time"), f"{report.get('wall_time_s', 0.0):.1f} s")
st.caption(
    t("Lập bởi ", "Made by ")
    + record.author
    + (t(" · đã dừng giữa chừng", " · stopped early") if report.get("cancelled") else "")
)
if report.get("fallback_submodels"):
    kept = ", ".join(report["fallback_submodels"][:8])
    st.caption(
        t(
            f"Giữ kế hoạch nền (bộ giải chưa tìm được gì tốt hơn trong phần thời gian): {kept}",
            f"Kept the constructive floor (the solver found nothing better in its share): {kept}",
        )
    )
if report.get("unproven_submodels") and report.get("status") != "OPTIMAL":
    shown = ", ".join(report["unproven_submodels"][:8])
    st.caption(t(f"Chưa chứng minh tối ưu: {shown}", f"Not proven optimal: {shown}"))


def _why(move: dict[str, object]) -> str:
    """The rule (and congress) that forced a move, in the page's language."""
    family = move.get("family")
    if not family:
        return ""
    vi, en = family_name(str(family))
    text = vi if current_lang() == "vi" else en
    return text + (f" ← {move['forced_by']}" if move.get("forced_by") else "")


def _moves(record: PlanRecord) -> None:
    moves = record.moves or []
    st.subheader(t("Thay đổi so với kế hoạch trước", "Changes from the previous plan"))
    st.metric(t("Đại hội phải dời", "Congresses moved"), len(moves))
    if record.report.get("minimal"):
        st.caption(t("Ít nhất có thể, đã chứng minh.", "The fewest possible, proven."))
    elif moves:
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
    if moves:
        st.dataframe(
            [
                {
                    "org_id": m["org_id"],
                    t("đơn vị", "organisation"): getattr(tree().get(m["org_id"]), name_col()),
                    t("ngày cũ", "old dates"): f"{m['old_start']} – {m['old_end']}"
                    if m["old_start"]
                    else "—",
                    t("ngày mới", "new dates"): f"{m['new_start']} – {m['new_end']}",
                    t("số ngày", "days"): m["days"],
                    t("vì sao", "why"): _why(m),
                }
                for m in moves
            ],
            hide_index=True,
            key="moves",
        )


if record.kind == "replan":
    _moves(record)

lang = current_lang()
labels = {
    lv: (level_label(lv).en if lang == "en" else level_label(lv).vi)
    for lv in ("national", "central", "district", "grassroots")
}
labels.update(election=t("Mốc bầu cử", "Election steps"), lang=lang)
st.subheader(t("Toàn bộ chu kỳ", "The whole cycle"))
st.plotly_chart(charts.timeline(plan, labels, today_in_vietnam()), key="timeline")

level = st.radio(
    t("Bản đồ nhiệt theo tuần", "Weekly heatmap"),
    ["district", "central", "grassroots"],
    format_func=lambda v: labels[v],
    horizontal=True,
    key=f"heat_level_{lang}",  # labels follow the language
)
st.plotly_chart(charts.heatmap(plan, tree(), level, lang), key="heatmap")

st.subheader(t("Chi tiết một đảng bộ", "One committee in detail"))
centrals = [u.org_id for u in problem.units if u.level.value == "central"]
attr = name_col()
chosen = st.selectbox(
    t("Đảng bộ trực thuộc Trung ương", "Committee under the Central Committee"),
    centrals,
    index=centrals.index("p37") if "p37" in centrals else 0,
    format_func=lambda o: getattr(tree().get(o), attr),
    key=f"drill_central_{lang}",
)
st.plotly_chart(charts.gantt(plan, tree(), chosen, lang), key="gantt")
units = [o.org_id for o in tree().subtree(chosen) if problem.has(o.org_id)]
unit_id = st.selectbox(
    t("Một đơn vị", "One unit"),
    units,
    format_func=lambda o: getattr(tree().get(o), attr),
    key=f"drill_unit_{lang}",
)
unit = problem.unit(unit_id)
row = plan[plan["event_id"] == f"congress:{unit_id}"].iloc[0]
lo, hi = unit.window
facts = [
    t(
        f"Ngày họp: {row['start']:%d/%m/%Y} – {row['end']:%d/%m/%Y}",
        f"Dates: {row['start']} – {row['end']}",
    ),
    t(f"Khung: {lo:%d/%m/%Y} – {hi:%d/%m/%Y}", f"Window: {lo} – {hi}"),
]
if unit.parent_id and problem.has(unit.parent_id):
    parent = plan[plan["event_id"] == f"congress:{unit.parent_id}"].iloc[0]
    gap_days = (parent["start"] - row["end"]).days
    facts.append(
        t(
            f"Cấp trên họp từ {parent['start']:%d/%m/%Y} (cách {gap_days} ngày, tối thiểu "
            f"{scenario.child_before_parent_days})",
            f"Parent sits from {parent['start']} ({gap_days} days later, at least "
            f"{scenario.child_before_parent_days})",
        )
    )
if unit.pin:
    facts.append(t("Ngày đã chốt", "Pinned dates"))
if unit.pilot:
    facts.append(t("Đại hội điểm", "Pilot congress"))
for fact in facts:
    st.write("• " + fact)
