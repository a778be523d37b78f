"""Kiểm tra / Feasibility: the staged diagnosis in the worker pool; conflicts, verified ways out
(one click applies one, a pair applies both changes), or what was tried and why nothing did."""

from __future__ import annotations

from typing import Any

import streamlit as st

from planner.store import plans
from planner.store.db import StoreError
from planner.ui import progress
from planner.ui.common import apply_changes, feedback, job_payload, page
from planner.ui.jobs import pool
from planner.ui.notices import when
from planner.ui.session import author, store, t, working
from planner.ui.words import either, family_text

scenario, _problem = page("Kiểm tra khả thi", "Feasibility check")
state = working()
key = f"check:{state.content_key}"
job = pool().find(key)
if st.button(
    t("Kiểm tra", "Check"), type="primary", key="run_check", disabled=bool(job and job.active)
):
    budget = float(st.session_state.get("budget_s", 5.0))
    payload = job_payload(time_limit=budget)
    pool().submit("diagnose", payload, key=key, owner=author(), soft_cancel=False)
    st.rerun()

job = progress.watch(key, "Đang kiểm tra…", "Checking…")
if job is not None and job.active:
    st.stop()
progress.ended(job)
result: dict[str, Any] | None = None
try:
    result = plans.latest_diagnosis(store(), state.content_key)
except StoreError:
    result = None
if job is not None and job.result and job.result.get("unsaved"):
    st.warning(t("Kết quả chưa được lưu: ", "The result is not saved: ") + job.result["unsaved"])
    result = job.result["diagnosis"]
if result is None:
    st.caption(
        t(
            "Bấm «Kiểm tra» để biết có lập được kế hoạch không, và nếu không, vì sao và cách gỡ.",
            "Press Check to learn whether a plan exists, and if not, why and the ways out.",
        )
    )
    st.stop()
if result.get("checked_at"):
    st.caption(
        t("Kiểm tra lúc ", "Checked at ") + when(result["checked_at"]) + " · "
        + either(result.get("checked_by", ""))
    )  # fmt: skip
lang = t("vi", "en")
if result["status"] == "feasible":
    st.success(t("Khả thi: lập được kế hoạch.", "Feasible: a plan exists."))
    st.stop()
if result["status"] == "unknown":
    st.warning(
        t(
            "Chưa kết luận được trong giới hạn thời gian: tăng giới hạn tính toán rồi kiểm tra "
            "lại.",
            "Undecided within the time limit: raise the solver budget and check again.",
        )
    )
else:
    st.error(
        t("Không khả thi. Họ ràng buộc xung đột: ", "Infeasible. Conflicting families: ")
        + ", ".join(family_text(f) for f in result.get("minimal_families", []))
    )
for conflict in result.get("conflicts", []):
    if conflict.get("stage") == "families":  # its sentence names the families (D19)
        st.markdown(conflict[f"message_{lang}"])
        continue
    names = " + ".join(family_text(f) for f in conflict["families"])
    st.markdown(f"**{names}** — " + conflict[f"message_{lang}"])
st.header(t("Cách gỡ", "Ways out"))
suggestions = result.get("suggestions", [])
explanation = result.get(f"explanation_{lang}", "")
if explanation:
    st.info(explanation)
for index, suggestion in enumerate(suggestions):
    mark = "✓" if suggestion["verified"] else "?"
    sets = suggestion.get("sets") or [suggestion["set"]]
    cols = st.columns([5, 1])
    cols[0].markdown(
        f"{mark} {suggestion[f'message_{lang}']}  \n" + " ".join(f"`--set '{s}'`" for s in sets)
    )
    if cols[1].button(t("Áp dụng", "Apply"), key=f"apply_suggestion_{index}") and apply_changes(
        sets, f"suggestion_{index}", index
    ):
        st.rerun()
    feedback(f"suggestion_{index}", index)
if not suggestions and not explanation:
    st.info(
        t(
            "Không có cách gỡ tự động cho xung đột này; xem các xung đột ở trên.",
            "No automatic way out for this conflict; see the conflicts above.",
        )
    )
tried = result.get("tried", [])
if tried and not any(s["verified"] for s in suggestions):
    with st.expander(t("Đã thử", "What was tried")):
        outcome = {
            "insufficient": t("không đủ", "not enough"),
            "not_tried": t("chưa thử (hết thời gian)", "not tried (out of time)"),
            "found": t("đủ", "enough"),
        }
        for item in tried:
            st.markdown(f"- `{item['loosest']}` — {outcome.get(item['outcome'], item['outcome'])}")
