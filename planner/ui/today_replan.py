"""Lập lại kế hoạch từ hôm nay / Re-plan from today, on the Progress page (issue 21, point 3).

The stored plan shown on the page is re-planned from a chosen day (today by default) with the
document's actuals in force, as ``planner replan --store --today`` does: held congresses stay on
their actual dates, nothing not yet held is placed before the day, the fewest move, and the
deadlines that can no longer be met are said with how late. The work runs in the server's pool
(:func:`planner.ui.tasks.replan_today_task`): progress shown, cancellable, found again after a
rerun or in another tab by its key (content, day, base plan and the newest actual: two tabs
asking the same join one job, different days never mix). The result is kept in the pool, not
stored, until a central editor saves it as the scenario's new plan
(:func:`planner.store.access.may_save_plan`; anyone else is refused with their scope).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from planner.plan.actuals import Actual
from planner.rules.calendar import today_in_vietnam
from planner.store import access, plans
from planner.store.db import StoreError
from planner.store.plans import PlanRecord
from planner.ui import charts
from planner.ui import progress as job_view
from planner.ui.common import flash, job_payload, plan_identity, shown_plan
from planner.ui.jobs import Job, pool
from planner.ui.session import author, identity, store, t, working
from planner.ui.words import count_en, number, word

BUDGET_S = 20.0  # a re-plan is local: seconds (the Plan page's budget when larger)


def job_key(content_key: str, day: dt.date, base_plan: int, marker: int) -> str:
    """The pool's key of a re-plan from ``day``: one job per content, day, base and actuals."""
    return f"today:{content_key}:{day.isoformat()}:{base_plan}:{marker}"


def _marker(in_force: dict[tuple[str, str], Actual]) -> int:
    """The newest entry applied (a new entry makes a new job)."""
    return max((e.entry_id or 0 for e in in_force.values()), default=0)


def section(record: PlanRecord, in_force: dict[tuple[str, str], Actual]) -> None:
    """The button, the day, the job's progress, its result and the save."""
    st.header(t("Lập lại kế hoạch từ hôm nay", "Re-plan from today"))
    st.caption(
        t(
            "Giữ các đại hội đã họp đúng ngày thực tế, không xếp đại hội chưa họp trước ngày "
            "chọn, dời ít đại hội nhất; hạn nào không còn đạt được thì nói rõ trễ bao nhiêu.",
            "Keeps held congresses on their actual dates, places nothing not yet held before "
            "the chosen day, moves the fewest; says which deadlines can no longer be met and "
            "by how much.",
        )
    )
    day = st.date_input(
        t("Lập lại từ ngày", "Re-plan from the day"), value=today_in_vietnam(),
        format="DD/MM/YYYY", key="replan_today_day",
    )  # fmt: skip
    state = working()
    key = job_key(state.content_key, day, record.id, _marker(in_force))
    job = pool().find(key)
    active = job is not None and job.active
    if st.button(t("Lập lại kế hoạch từ hôm nay", "Re-plan from today"), disabled=active,
                 key="replan_today"):  # fmt: skip
        identity_found = plan_identity(record)
        era = identity_found[1] if identity_found is not None else None
        budget = max(BUDGET_S, float(st.session_state.get("budget_s", 5.0)))
        payload = job_payload(time_limit=budget, base_plan=record.id, base_era=era,
                              today=day.isoformat())  # fmt: skip
        pool().submit("replan_today", payload, key=key, owner=author())
        st.rerun()
    job = job_view.watch(key, "Đang lập lại từ hôm nay…", "Re-planning from today…")
    if job is None or job.active:
        return
    if not job.result:
        job_view.ended(job)
        return
    _result(job, day)


def _result(job: Job, day: dt.date) -> None:
    """What the re-plan found: moved, held, the deadlines missed, and the save."""
    result: dict[str, Any] = job.result
    report: dict[str, Any] = result["report"]
    if result.get("plan_csv") is None:
        st.error(
            t(
                f"Chưa lập lại được kế hoạch từ {day:%d/%m/%Y} ({report.get('status')}). "
                "Xem trang Khả thi để biết vì sao.",
                f"No new plan from {day:%d/%m/%Y} ({report.get('status')}). "
                "See the Feasibility page for why.",
            )
        )
        return
    if report.get("cancelled"):
        st.warning(t("Đã dừng giữa chừng: kế hoạch tốt nhất tìm được.",
                     "Stopped early: the best plan found so far."))  # fmt: skip
    moves: list[dict[str, Any]] = result.get("moves") or []
    slipped: list[dict[str, Any]] = report.get("relaxed_deadlines") or []
    cols = st.columns(3)
    cols[0].metric(t("Đại hội phải dời", "Congresses moved"), number(len(moves)))
    cols[1].metric(t("Đã họp, giữ nguyên ngày", "Held, kept on their dates"),
                   number(int(report.get("held_count", 0))))  # fmt: skip
    cols[2].metric(t("Hạn không còn đạt", "Deadlines missed"), number(len(slipped)))
    if not slipped:
        st.success(t(f"Từ {day:%d/%m/%Y} mọi hạn vẫn đạt được.",
                     f"From {day:%d/%m/%Y} every deadline can still be met."))  # fmt: skip
    for missed in slipped:
        st.warning(t(str(missed["message_vi"]), str(missed["message_en"])))
    if moves:
        st.dataframe(_moves_frame(moves), hide_index=True, key="replan_today_moves")
    _save(job)


def _moves_frame(moves: list[dict[str, Any]]) -> pd.DataFrame:
    def dates(start: Any, end: Any) -> str:
        if not start:
            return "—"
        a, b = dt.date.fromisoformat(str(start)), dt.date.fromisoformat(str(end))
        return f"{a:%d/%m/%Y} – {b:%d/%m/%Y}"

    return pd.DataFrame(
        [
            {
                word("unit_id"): m["org_id"],
                word("level"): charts.level_name(str(m["level"])),
                word("old_dates"): dates(m.get("old_start"), m.get("old_end")),
                word("new_dates"): dates(m["new_start"], m["new_end"]),
                word("days"): "" if m.get("days") is None else f"{int(m['days']):+d}",
            }
            for m in moves
        ]
    )


def _save(job: Job) -> None:
    """Save the result as the scenario's new plan: central editors and admins only."""
    state = working()
    latest = shown_plan(state.content_key)
    if latest is not None and latest.report.get("today_job") == job.id:
        st.info(
            t(
                f"Đã lưu làm kế hoạch mới của kịch bản (số {latest.id}).",
                f"Saved as the scenario's new plan (no. {latest.id}).",
            )
        )
        return
    allowed = access.may_save_plan(identity())
    if not allowed:
        st.caption(t(allowed.message_vi, allowed.message_en))
    if not st.button(t("Lưu làm kế hoạch mới", "Save as the new plan"), type="primary",
                     key="replan_today_save"):  # fmt: skip
        return
    allowed = access.may_save_plan(identity())  # asked again at the press
    if not allowed:
        st.error(t(allowed.message_vi, allowed.message_en))
        return
    result: dict[str, Any] = job.result
    report = {**result["report"], "today_job": job.id}
    try:
        plan_id = plans.save_plan(
            store(), content_key=state.content_key, scenario=state.document,
            version=state.version, kind="replan", author=author(), report=report,
            plan_csv=result["plan_csv"], base_plan=int(result["base_plan"]),
            moves=result.get("moves"),
        )  # fmt: skip
    except StoreError as exc:
        st.error(exc.one_line())
        return
    moved = len(result.get("moves") or [])
    flash(
        t(
            f"Đã lưu kế hoạch mới (số {plan_id}, dời {number(moved)} đại hội).",
            f"Saved the new plan (no. {plan_id}, {count_en(moved, 'congress')} moved).",
        )
    )
    st.rerun()
