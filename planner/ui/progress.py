"""A background job on the page: its place in the queue or its progress, and a cancel button.

The job is found by its key in the server's pool, not in the session, so it shows again after a
refresh or in a second tab. While it is active a fragment polls once a second; when it ends
the fragment reruns the whole page, and keeps asking on every tick until the page has
rerun, so a finished result never waits for the user to come back.
"""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

from planner.store import plans
from planner.store.db import StoreError
from planner.ui.jobs import Job, pool
from planner.ui.session import author, store, t
from planner.ui.words import either, number, status_text


def stage_text(stage: str) -> str:
    """What a job is doing, in words (the solver's progress names its stage with a code:
    ``subtree 24/67``, ``repair: 12``, ``stage central: OPTIMAL``…)."""
    found = re.fullmatch(r"subtree (\d+)/(\d+)", stage)
    if found:
        return t(
            f"đảng bộ {found[1]}/{found[2]} (giải riêng từng đảng bộ trực thuộc Trung ương)",
            f"committee {found[1]}/{found[2]} (each central-level committee solved alone)",
        )
    found = re.fullmatch(r"repair: (\d+)", stage)
    if found:
        return t(f"sửa chữa nhanh: dời {found[1]} đại hội", f"quick repair: {found[1]} moved")
    found = re.fullmatch(r"stage (\w+): (\w+)", stage)
    if found:
        if found[2] == "OPTIMAL":  # the proof is of the number of moves, not of the plan
            return t("số đại hội phải dời: ít nhất, đã chứng minh", "moves: fewest, proven")
        return t("tìm cách dời ít hơn: ", "looking for fewer moves: ") + status_text(found[2])
    words = {
        "solve": t("đang giải", "solving"),
        "diagnose": t("đang chẩn đoán", "diagnosing"),
        "export": t("đang xuất lịch", "exporting"),
        "validated": t("đã kiểm tra kế hoạch", "plan validated"),
    }
    if stage.startswith("replan:"):
        return t("tìm cách dời ít nhất", "looking for the fewest moves")
    return words.get(stage, t("đang tính", "working"))


def _describe(job: Job, running_vi: str, running_en: str) -> str:
    workers = pool()
    if job.state == "queued":
        position = workers.position(job)
        running, _queued = workers.counts()
        return t(
            f"Đang chờ: vị trí {position} trong hàng đợi ({running} việc đang chạy, tối đa "
            f"{workers.size} cùng lúc; đã chờ {job.waited:.0f} s).",
            f"Queued: position {position} ({running} running, at most {workers.size} at once; "
            f"waiting {job.waited:.0f} s).",
        )
    latest = job.progress
    text = t(running_vi, running_en) + f" {number(job.elapsed, 1)} s"
    if latest.get("stage"):
        text += f" · {stage_text(str(latest['stage']))}"
    if latest.get("objective") is not None:  # the best so far, kept across stages (D26)
        bound = latest.get("bound")
        measure = {  # a re-plan minimises moves, then days: never call that the objective
            "replan:stability": t("số đại hội phải dời", "congresses moved"),
            "replan:shift": t("tổng số ngày dời", "days shifted"),
        }.get(str(latest.get("objective_stage")), t("mục tiêu", "objective"))
        text += (
            f" · {measure} {number(latest['objective'])}"
            f" · {t('cận', 'bound')} {'—' if bound is None else number(bound)}"
        )
    elif job.task == "solve":
        text += " · " + t("mục tiêu, cận: chưa có", "objective, bound: none yet")
    return text


@st.fragment(run_every=1.0)
def _poll(key: str, running_vi: str, running_en: str) -> None:
    job = pool().find(key)
    if job is None or not job.active:
        st.rerun()  # the whole page: show the result
        return
    st.info(_describe(job, running_vi, running_en))
    if job.cancel_requested is not None:
        st.caption(t("Đang dừng…", "Stopping…"))
    elif st.button(t("Dừng", "Cancel"), key=f"cancel_{key}"):
        pool().cancel(job, author())
        st.rerun()


def watch(key: str, running_vi: str, running_en: str) -> Job | None:
    """Show the job with this key while it is active; returns the newest job with the key."""
    job = pool().find(key)
    if job is not None and job.active:
        _poll(key, running_vi, running_en)
    return job


def ended(job: Job | None) -> None:
    """Say how a job that produced no stored result ended (failed, cancelled)."""
    if job is None or job.active:
        return
    if job.state == "failed":
        st.error(t("Lỗi khi tính: ", "The computation failed: ") + str(job.error))
    elif job.state == "cancelled" and job.result is None:
        st.warning(t("Đã dừng theo yêu cầu của ", "Cancelled by ") + either(job.cancelled_by))


FEASIBILITY = "planner/ui/pages/feasibility.py"


def _checked_infeasible(content_key: str) -> bool:
    """Whether the Feasibility check of this content proved it impossible."""
    try:
        found = plans.latest_diagnosis(store(), content_key)
    except StoreError:
        return False
    return found is not None and found.get("status") == "infeasible"


def _impossible(where: Any, report: dict[str, Any], content_key: str) -> bool:
    """Say so when the scenario is proven impossible: by the solver, the pre-checks the solve
    ran when it found nothing, or a Feasibility check of the same content."""
    found = report.get("precheck")
    solver = report.get("status") == "INFEASIBLE"
    if not (solver or found or _checked_infeasible(content_key)):
        return False
    by = (
        t("bộ giải đã chứng minh", "proven by the solver")
        if solver
        else t("kiểm tra sơ bộ đã chứng minh", "proven by the pre-checks")
        if found
        else t("trang Kiểm tra đã chứng minh", "proven by the Feasibility check")
    )
    where.error(
        t(
            f"Không tồn tại kế hoạch nào cho kịch bản này ({by}). Xem trang Kiểm tra để biết "
            "vì sao và cách gỡ; tăng thời gian tính không giúp được.",
            f"No plan can exist for this scenario ({by}). See the Feasibility page for why and "
            "what to relax; more solver time cannot help.",
        )
    )
    if isinstance(found, list) and found and isinstance(found[0], dict):
        where.caption(str(found[0].get(t("message_vi", "message_en"), "")))
    return True


def no_plan(where: Any, report: dict[str, Any], content_key: str, budget: float) -> None:
    """Why a stored result has no plan, in ``where`` (the page or a column): proven impossible
    (never "wait longer", issue 19 D7), the constructive floor stuck (check first), or undecided
    within the budget (one may exist: raise it). Always with the way to the Feasibility page."""
    if not _impossible(where, report, content_key):
        limit = float(report.get("time_limit_s") or budget)
        blocked = report.get(t("floor_blocked_vi", "floor_blocked_en"))
        seconds = number(limit, 1)
        if blocked and not report.get("floor_timed_out"):
            where.warning(
                t(
                    f"Chưa tìm được kế hoạch trong {seconds} giây, và kế hoạch nền dừng giữa "
                    "chừng: kịch bản có thể không khả thi. Chạy Kiểm tra khả thi trước khi "
                    "tăng thời gian.",
                    f"No plan found within {seconds} s, and the constructive floor got stuck: "
                    "the scenario may be impossible. Run the Feasibility check before raising "
                    "the time.",
                )
            )
        else:  # undecided: never read as impossible (issue 11)
            where.warning(
                t(
                    f"Chưa tìm được kế hoạch trong {seconds} giây; có thể vẫn tồn tại. Tăng giới "
                    "hạn tính toán rồi lập lại, hoặc chạy Kiểm tra khả thi.",
                    f"No plan found within {seconds} s; one may still exist. Raise the solver "
                    "budget and solve again, or run the Feasibility check.",
                )
            )
        if blocked:
            where.caption(t("Kế hoạch nền: ", "Constructive floor: ") + str(blocked))
    where.page_link(FEASIBILITY, label=t("Mở trang Kiểm tra khả thi", "Open the Feasibility check"))
