"""Kế hoạch / Plan: solve in the background, the whole cycle, heatmap, drill-down."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from planner.calendar import today_in_vietnam
from planner.names import level_label
from planner.objective import plan_objective
from planner.replan import Replan, plan_dates, replan
from planner.solver import SolveReport, solve
from planner.ui import charts, jobs
from planner.ui.common import name_col, page, scenario_key, shared_results, t, tree
from planner.validate import validate

scenario, problem = page("Kế hoạch đại hội", "Congress plan")
key = scenario_key()
st.caption(
    t(scenario.name_vi, scenario.name_en)
    + f" — {len(problem.units):,} "
    + t("đại hội", "congresses")
)

left, mid, right = st.columns([2, 2, 3])
limit = left.number_input(
    t("Giới hạn tính toán (giây)", "Solver budget (s)"), 1.0, 120.0, 5.0, 1.0, key="time_limit"
)
job: jobs.Job | None = st.session_state.get("solve_job")
results = shared_results().setdefault("plans", {})
replans: dict[str, Replan] = shared_results().setdefault("replans", {})
# the plan last shown in this session: after a change, the base for re-planning
shown = st.session_state.get("shown_plan")
previous = results.get(shown) if shown is not None and shown != key else None


def _work(report_progress):  # type: ignore[no-untyped-def]
    report = solve(problem, time_limit=float(limit), workers=2, seed=0, on_progress=report_progress)
    if report.plan is not None:
        verdict = validate(problem, report.plan)
        assert verdict.ok, [v.message_en for v in verdict.violations[:3]]
    return report


def _rework(report_progress):  # type: ignore[no-untyped-def]
    """Re-plan the previous plan for the changed scenario (stable: fewest congresses moved)."""
    assert previous is not None and previous.plan is not None
    result = replan(
        problem, previous.plan, time_limit=float(limit) * 2, workers=2, seed=0,
        on_progress=report_progress,
    )  # fmt: skip
    report = SolveReport.empty(problem, "replan", 2, 0, float(limit))
    report.status = result.status
    report.wall_time = result.wall_time
    if result.plan is not None:  # validated as a whole by replan()
        report.status = "FEASIBLE"
        report.plan = result.plan
        report.election_day = result.election_day
        report.starts = {o: start for o, (start, _end) in plan_dates(result.plan).items()}
        report.objective = float(plan_objective(problem, report.starts))
        replans[key] = result
    return report


if mid.button(t("Lập kế hoạch", "Solve"), type="primary", disabled=bool(job and job.running)):
    st.session_state["solve_job"] = jobs.start("solve", key, _work)
    job = st.session_state["solve_job"]
if (
    previous is not None
    and previous.plan is not None
    and key not in results
    and not (job and job.running)
):
    st.info(
        t(
            "Kịch bản đã đổi so với kế hoạch đang có. Lập lại để dời ít đại hội nhất, "
            "hoặc lập kế hoạch mới từ đầu.",
            "The scenario changed since the current plan. Re-plan to move the fewest "
            "congresses, or solve again from scratch.",
        )
    )
    if st.button(t("Lập lại, dời ít nhất", "Re-plan, moving the fewest"), key="replan"):
        st.session_state["solve_job"] = jobs.start("replan", key, _rework)
        job = st.session_state["solve_job"]
if job and job.running and right.button(t("Dừng (giữ kết quả tốt nhất)", "Cancel (keep best)")):
    job.cancel.set()
if key not in results and not job:
    st.session_state["solve_job"] = job = jobs.start("solve", key, _work)  # first visit


@st.fragment(run_every=1.0)
def progress() -> None:
    current_job: jobs.Job | None = st.session_state.get("solve_job")
    if current_job is None:
        return
    if current_job.running:
        latest = current_job.latest()
        st.info(
            t("Đang lập kế hoạch…", "Solving…")
            + f" {current_job.elapsed:.1f} s"
            + (f" · {latest.get('stage', '')}" if latest else "")
            + (
                f" · {t('mục tiêu', 'objective')} {latest['objective']:g}"
                f" · {t('cận', 'bound')} {latest['bound']:g}"
                if "objective" in latest
                else ""
            )
        )
        return
    if current_job.key not in results or results[current_job.key] is not current_job.result:
        if current_job.error:
            st.error(current_job.error)
        elif current_job.result is not None:
            results[current_job.key] = current_job.result
            st.rerun()


progress()
report = results.get(key)
if report is None:
    st.stop()
if report.plan is None:
    st.warning(
        t("Không tìm được kế hoạch", "No plan found")
        + f" ({report.status}). "
        + t("Xem trang Kiểm tra.", "See the Feasibility page.")
    )
    st.stop()

st.session_state["shown_plan"] = key
cols = st.columns(5)
cols[0].metric(t("Trạng thái", "Status"), report.status)
cols[1].metric(t("Mục tiêu", "Objective"), f"{report.objective:g}")
cols[2].metric(
    t("Cận tốt nhất", "Best bound"), "—" if report.bound is None else f"{report.bound:g}"
)
cols[3].metric("Gap", "—" if report.gap is None else f"{report.gap:.0%}")
cols[4].metric(t("Thời gian", "Time"), f"{report.wall_time:.1f} s")
changes = replans.get(key)
if changes is not None:
    st.subheader(t("Thay đổi so với kế hoạch trước", "Changes from the previous plan"))
    proven = t("ít nhất, đã chứng minh", "fewest, proven") if changes.minimal else ""
    st.metric(t("Đại hội phải dời", "Congresses moved"), len(changes.moved))
    if proven:
        st.caption(proven)
    if changes.moved:
        st.dataframe(
            [
                {
                    "org_id": m.org_id,
                    t("đơn vị", "organisation"): getattr(tree().get(m.org_id), name_col()),
                    t("ngày cũ", "old dates"): f"{m.old_start} – {m.old_end}"
                    if m.old_start
                    else "—",
                    t("ngày mới", "new dates"): f"{m.new_start} – {m.new_end}",
                    t("số ngày", "days"): m.days,
                }
                for m in changes.moved
            ],
            hide_index=True,
            key="moves",
        )

lang = st.session_state.get("lang", "vi")
labels = {
    lv: (level_label(lv).en if lang == "en" else level_label(lv).vi)
    for lv in ("national", "central", "district", "grassroots")
}
labels.update(election=t("Mốc bầu cử", "Election steps"), lang=lang)
st.subheader(t("Toàn bộ chu kỳ", "The whole cycle"))
st.plotly_chart(charts.timeline(report.plan, labels, today_in_vietnam()), key="timeline")

level = st.radio(
    t("Bản đồ nhiệt theo tuần", "Weekly heatmap"),
    ["district", "central", "grassroots"],
    format_func=lambda v: labels[v],
    horizontal=True,
    key="heat_level",
)
st.plotly_chart(charts.heatmap(report.plan, tree(), level, lang), key="heatmap")

st.subheader(t("Chi tiết một đảng bộ", "One committee in detail"))
centrals = [u.org_id for u in problem.units if u.level.value == "central"]
attr = "name_en" if lang == "en" else "name_vi"
chosen = st.selectbox(
    t("Đảng bộ trực thuộc Trung ương", "Committee under the Central Committee"),
    centrals,
    index=centrals.index("p37") if "p37" in centrals else 0,
    format_func=lambda o: getattr(tree().get(o), attr),
    key="drill_central",
)
st.plotly_chart(charts.gantt(report.plan, tree(), chosen, lang), key="gantt")
units = [o.org_id for o in tree().subtree(chosen) if problem.has(o.org_id)]
unit_id = st.selectbox(
    t("Một đơn vị", "One unit"),
    units,
    format_func=lambda o: getattr(tree().get(o), attr),
    key="drill_unit",
)
unit = problem.unit(unit_id)
row = report.plan[report.plan["event_id"] == f"congress:{unit_id}"].iloc[0]
lo, hi = unit.window
facts = [
    t(
        f"Ngày họp: {row['start']:%d/%m/%Y} – {row['end']:%d/%m/%Y}",
        f"Dates: {row['start']} – {row['end']}",
    ),
    t(f"Khung: {lo:%d/%m/%Y} – {hi:%d/%m/%Y}", f"Window: {lo} – {hi}"),
]
if unit.parent_id and problem.has(unit.parent_id):
    parent = report.plan[report.plan["event_id"] == f"congress:{unit.parent_id}"].iloc[0]
    gap = (parent["start"] - row["end"]).days
    facts.append(
        t(
            f"Cấp trên họp từ {parent['start']:%d/%m/%Y} (cách {gap} ngày, tối thiểu "
            f"{scenario.child_before_parent_days})",
            f"Parent sits from {parent['start']} ({gap} days later, at least "
            f"{scenario.child_before_parent_days})",
        )
    )
if unit.pin:
    facts.append(t("Ngày đã chốt", "Pinned dates"))
if unit.pilot:
    facts.append(t("Đại hội điểm", "Pilot congress"))
for fact in facts:
    st.write("• " + fact)
_ = dt
