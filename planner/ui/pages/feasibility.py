"""Kiểm tra / Feasibility: the staged diagnosis, and one click to apply a suggestion."""

from __future__ import annotations

import streamlit as st

from planner.diagnose import Diagnosis, diagnose
from planner.ui import jobs
from planner.ui.common import apply_changes, flash, page, scenario_key, shared_results, t, tree

scenario, _problem = page("Kiểm tra khả thi", "Feasibility check")
key = scenario_key()
done: dict[str, Diagnosis] = shared_results().setdefault("diagnoses", {})
job: jobs.Job | None = st.session_state.get("diagnose_job")

if st.button(
    t("Kiểm tra", "Check"), type="primary", key="run_check", disabled=bool(job and job.running)
):
    st.session_state["diagnose_job"] = jobs.start(
        "diagnose", key, lambda _progress: diagnose(scenario, tree())
    )


@st.fragment(run_every=1.0)
def progress() -> None:
    current_job: jobs.Job | None = st.session_state.get("diagnose_job")
    if current_job is None:
        return
    if current_job.running:
        st.info(t("Đang kiểm tra…", "Checking…") + f" {current_job.elapsed:.1f} s")
    elif current_job.error:
        st.error(current_job.error)
    elif current_job.key not in done:
        done[current_job.key] = current_job.result
        st.rerun()


progress()
result = done.get(key)
if result is None:
    st.stop()
if result.status == "feasible":
    st.success(t("Khả thi: lập được kế hoạch.", "Feasible: a plan exists."))
    st.stop()
st.error(
    t("Không khả thi. Họ ràng buộc xung đột: ", "Infeasible. Conflicting families: ")
    + ", ".join(result.families)
)
lang = st.session_state.get("lang", "vi")
for conflict in result.conflicts:
    st.markdown(
        f"**{' + '.join(conflict.families)}** — "
        + (conflict.message_en if lang == "en" else conflict.message_vi)
    )
st.subheader(t("Cách gỡ", "Ways out"))
for index, suggestion in enumerate(result.suggestions):
    mark = "✓" if suggestion.verified else "?"
    text = suggestion.message_en if lang == "en" else suggestion.message_vi
    cols = st.columns([5, 1])
    cols[0].markdown(f"{mark} {text}  \n`--set '{suggestion.set_arg}'`")
    clicked = cols[1].button(t("Áp dụng", "Apply"), key=f"apply_suggestion_{index}")
    if clicked and apply_changes([suggestion.set_arg]):
        flash(t("Đã áp dụng.", "Applied."))
        st.rerun()
