"""Xuất / Export: the scenario as TOML, the plan on screen as CSV and XLSX, iCal feeds by scope.

Feeds are exported in the worker pool into the document's own feed folder under
``$PLANNER_HOME`` (its manifest kept there, so SEQUENCE rises between exports exactly as with
the CLI) and zipped; a visit, or a scope already exported from this plan, is served at once.
"""

from __future__ import annotations

import io

import streamlit as st

from planner.store import feeds, plans
from planner.store.db import StoreError
from planner.ui import progress
from planner.ui.common import error_text, job_payload, page, shown_plan, tree
from planner.ui.jobs import pool
from planner.ui.notices import when
from planner.ui.session import author, store, t, working

scenario, _problem = page("Xuất dữ liệu", "Export")
state = working()
toml_text = state.to_toml()
st.download_button(
    t("Kịch bản (TOML)", "Scenario (TOML)"),
    toml_text.encode("utf-8"),
    file_name=f"{scenario.id}.toml",
    mime="application/toml",
    key="download_toml",
)
record = shown_plan(state.content_key)
if record is None or not record.has_plan:
    st.info(
        t(
            "Chưa có kế hoạch cho kịch bản này: hãy lập kế hoạch ở trang Kế hoạch.",
            "No plan for this scenario yet: solve it on the Plan page.",
        )
    )
    st.stop()
plan_id = record.id
db = store()


def _xlsx() -> bytes:  # built only when asked for (seconds for a nationwide plan)
    buffer = io.BytesIO()
    frame = plans.plan_frame(db, plan_id)
    frame.drop(columns=["line"], errors="ignore").to_excel(buffer, index=False, sheet_name="plan")
    return buffer.getvalue()


left, right = st.columns(2)
left.download_button(
    t("Kế hoạch (CSV)", "Plan (CSV)"), plans.plan_csv(db, plan_id).encode("utf-8"),
    file_name="plan.csv", mime="text/csv",
    key="download_csv",
)  # fmt: skip
right.download_button(
    t("Kế hoạch (XLSX)", "Plan (XLSX)"),
    _xlsx,
    file_name="plan.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="download_xlsx",
)

st.subheader(t("Lịch iCal", "iCal feeds"))
centrals = sorted(o.org_id for o in tree() if o.level.value == "central")
scopes = ["all", "election", "level:central", "level:district"] + [f"org:{c}" for c in centrals]
scope = st.selectbox(
    t("Phạm vi", "Scope"),
    scopes,
    index=0,
    format_func=lambda s: s if not s.startswith("org:") else f"{s} · {tree().get(s[4:]).name_vi}",
    key="ical_scope",
)
key = f"export:{state.document}:{plan_id}:{scope}"
job = progress.watch(key, "Đang tạo lịch iCal…", "Building the iCal feeds…")
if job is not None and job.active:
    st.stop()
try:
    build = feeds.last_export(db, state.document, scope)
except StoreError as exc:
    st.error(error_text(exc))
    st.stop()
if build is None or build.plan_id != plan_id:
    progress.ended(job)
    if build is None:
        st.caption(
            t(
                "Phạm vi này chưa được xuất lần nào cho kịch bản này.",
                "This scope has not been exported for this scenario yet.",
            )
        )
    else:
        st.caption(
            t(
                f"Lần xuất trước của phạm vi này ({when(build.exported_at)}) là từ một kế hoạch "
                "khác; xuất kế hoạch này sẽ tăng SEQUENCE của mọi sự kiện đã đổi.",
                f"The last export of this scope ({when(build.exported_at)}) was from another "
                "plan; exporting this one raises SEQUENCE for every event that changed.",
            )
        )
    if st.button(t("Tạo lịch iCal", "Build the iCal feeds"), type="primary", key="build_ical"):
        payload = job_payload(plan_id=plan_id, scope=scope)
        pool().submit("export", payload, key=key, owner=author(), soft_cancel=False)
        st.rerun()
    st.stop()
summary = build.summary
try:
    archive = (db.folder / build.archive).read_bytes()
except OSError as exc:
    st.error(t("Không đọc được tệp lịch đã tạo: ", "Cannot read the built feeds: ") + str(exc))
    st.stop()
safe = "".join(c if c.isalnum() else "-" for c in scope)
st.download_button(
    t(
        f"Lịch iCal ({summary.get('files')} tệp, zip)",
        f"iCal feeds ({summary.get('files')} files, zip)",
    ),
    archive,
    file_name=f"feeds-{safe}.zip",
    mime="application/zip",
    key="download_ical",
)
st.caption(
    t(
        f"{summary.get('events')} sự kiện so với lần xuất trước của «{state.document}»: thêm "
        f"{summary.get('added')}, bỏ {summary.get('removed')}, dời {summary.get('moved')}, sửa "
        f"nội dung {summary.get('changed')} (SEQUENCE tăng cho mỗi sự kiện dời hoặc sửa).",
        f"{summary.get('events')} events against the previous export of “{state.document}”: "
        f"added {summary.get('added')}, removed {summary.get('removed')}, moved "
        f"{summary.get('moved')}, text changed {summary.get('changed')} (SEQUENCE rises for each "
        "moved or changed event).",
    )
)
with st.expander(t("Nhật ký thay đổi", "Change log")):
    st.code(str(summary.get("changelog", "")))
