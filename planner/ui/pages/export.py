"""Xuất / Export: iCal feeds by scope, the plan as CSV and XLSX, the scenario as TOML."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import streamlit as st

from planner.export.ical import export_feeds
from planner.plan import plan_to_csv
from planner.ui.common import page, scenario_key, shared_results, t, tree, working

scenario, _problem = page("Xuất dữ liệu", "Export")
st.download_button(
    t("Kịch bản (TOML)", "Scenario (TOML)"),
    working().to_toml().encode("utf-8"),
    file_name=f"{scenario.id}.toml",
    mime="application/toml",
    key="download_toml",
)
report = shared_results().get("plans", {}).get(scenario_key())
if report is None or report.plan is None:
    st.info(
        t(
            "Chưa có kế hoạch: hãy lập kế hoạch ở trang Kế hoạch.",
            "No plan yet: solve it on the Plan page.",
        )
    )
    st.stop()
plan = report.plan
st.download_button(
    t("Kế hoạch (CSV)", "Plan (CSV)"),
    plan_to_csv(plan).encode("utf-8"),
    file_name="plan.csv",
    mime="text/csv",
    key="download_csv",
)
buffer = io.BytesIO()
plan.to_excel(buffer, index=False, sheet_name="plan")
st.download_button(
    t("Kế hoạch (XLSX)", "Plan (XLSX)"),
    buffer.getvalue(),
    file_name="plan.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="download_xlsx",
)
scope = st.selectbox(
    t("Phạm vi lịch iCal", "iCal scope"),
    ["all", "election", "level:central", "level:district", "org:p37"],
    key="ical_scope",
)
with tempfile.TemporaryDirectory() as folder:
    result = export_feeds(plan, scenario, tree(), Path(folder), scope)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(Path(folder).iterdir()):
            zf.write(path, path.name)
st.download_button(
    t(f"Lịch iCal ({len(result.files)} tệp, zip)", f"iCal feeds ({len(result.files)} files, zip)"),
    archive.getvalue(),
    file_name="feeds.zip",
    mime="application/zip",
    key="download_ical",
)
