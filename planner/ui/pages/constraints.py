"""Ràng buộc / Constraints: levels, election day, gaps, families, the rule catalogue."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import streamlit as st

from planner.errors import PlannerError
from planner.families import catalogue
from planner.rules import load_rulesets
from planner.scenario import PLANNED_LEVELS
from planner.ui.common import apply_changes, flash, page, t, working

scenario, _problem = page("Ràng buộc", "Constraints")
st.caption(
    t(
        "Sửa trong bảng rồi bấm «Áp dụng»; mọi thay đổi được kiểm tra và tự lưu.",
        "Edit the tables, then press Apply; every change is validated and saved.",
    )
)

rows = []
for level in PLANNED_LEVELS:
    plan = scenario.levels[level]
    rows.append(
        {
            "level": level.value,
            "plan": plan.plan,
            "start": plan.window[0],
            "end": plan.window[1],
            "days": plan.days,
            "max_days": plan.max_days,
            "daily_capacity": plan.daily_capacity,
            "parent_daily_capacity": plan.parent_daily_capacity,
            "buffer_days": plan.buffer_days,
        }
    )
original = pd.DataFrame(rows)
edited = st.data_editor(
    original,
    key="levels_editor",
    hide_index=True,
    disabled=["level", "max_days"],
    column_config={
        "start": st.column_config.DateColumn(t("Từ", "From"), format="DD/MM/YYYY"),
        "end": st.column_config.DateColumn(t("Đến (hạn)", "To (deadline)"), format="DD/MM/YYYY"),
        "days": st.column_config.NumberColumn(t("Số ngày", "Days"), min_value=1, step=1),
        "max_days": st.column_config.NumberColumn(t("Tối đa (Chỉ thị 35)", "Max (Directive 35)")),
        "daily_capacity": st.column_config.NumberColumn(
            t("Tối đa/ngày toàn quốc", "Max/day nationwide"), min_value=0
        ),
        "parent_daily_capacity": st.column_config.NumberColumn(
            t("Tối đa/ngày dưới một cấp trên", "Max/day per parent"), min_value=0
        ),
        "buffer_days": st.column_config.NumberColumn(
            t("Dự phòng (ngày)", "Buffer (days)"), min_value=0
        ),
    },
)


def _changes(before: pd.DataFrame, after: pd.DataFrame) -> list[str]:
    out = []
    for old, new in zip(before.to_dict("records"), after.to_dict("records"), strict=True):
        level = old["level"]
        start, end = pd.Timestamp(new["start"]).date(), pd.Timestamp(new["end"]).date()
        if (start, end) != (old["start"], old["end"]):
            out.append(f"levels.{level}.window=[{start.isoformat()}, {end.isoformat()}]")
        for column in ("days", "daily_capacity", "parent_daily_capacity", "buffer_days"):
            value = new[column]
            if pd.isna(value) and pd.isna(old[column]):
                continue
            differs = pd.isna(old[column]) or int(value) != int(old[column])
            if not pd.isna(value) and differs:
                out.append(f"levels.{level}.{column}={int(value)}")
        if bool(new["plan"]) != bool(old["plan"]):
            out.append(f"levels.{level}.plan={'true' if new['plan'] else 'false'}")
    return out


if st.button(t("Áp dụng bảng cấp", "Apply level table"), key="apply_levels", type="primary"):
    changes = _changes(original, edited)
    if not changes:
        st.info(t("Không có thay đổi.", "Nothing changed."))
    elif apply_changes(changes):
        flash(t("Đã áp dụng: ", "Applied: ") + "; ".join(changes))
        st.rerun()

st.subheader(t("Cấp tỉnh, bầu cử và khoảng cách", "Central level, election and gaps"))
central = scenario.levels[PLANNED_LEVELS[1]]
with st.form("election_form"):
    c_start, c_end, c_cap = st.columns(3)
    central_start = c_start.date_input(
        t("Cấp tỉnh: từ ngày", "Central level: from"),
        value=central.window[0],
        format="DD/MM/YYYY",
        key="form_central_start",
    )
    central_end = c_end.date_input(
        t("Cấp tỉnh: hạn chót", "Central level: deadline"),
        value=central.window[1],
        format="DD/MM/YYYY",
        key="form_central_end",
    )
    central_cap = c_cap.number_input(
        t("Cấp tỉnh: tối đa đại hội mỗi ngày", "Central level: most congresses a day"),
        0,
        67,
        central.daily_capacity or 0,
        key="form_central_cap",
    )
    day = st.date_input(
        t("Ngày bầu cử (Chủ nhật)", "Election day (a Sunday)"),
        value=scenario.election_day or dt.date(2021, 5, 23),
        format="DD/MM/YYYY",
        key="form_election_day",
    )
    gap = st.number_input(
        t("Cấp dưới xong trước cấp trên (ngày)", "Child ends before parent (days)"),
        0,
        120,
        scenario.child_before_parent_days,
        key="form_gap",
    )
    national_gap = st.number_input(
        t("Cấp tỉnh xong trước Đại hội toàn quốc (ngày)", "Central ends before national (days)"),
        0,
        365,
        scenario.central_before_national_days,
        key="form_national_gap",
    )
    if st.form_submit_button(t("Áp dụng", "Apply")):
        changes = []
        if (
            isinstance(central_start, dt.date)
            and isinstance(central_end, dt.date)
            and (central_start, central_end) != central.window
        ):
            changes.append(
                f"levels.central.window=[{central_start.isoformat()}, {central_end.isoformat()}]"
            )
        if central_cap != (central.daily_capacity or 0):
            changes.append(f"levels.central.daily_capacity={int(central_cap)}")
        if isinstance(day, dt.date) and day != scenario.election_day:
            changes.append(f"election.day={day.isoformat()}")
        if gap != scenario.child_before_parent_days:
            changes.append(f"gaps.child_before_parent_days={int(gap)}")
        if national_gap != scenario.central_before_national_days:
            changes.append(f"alignment.central_before_national_days={int(national_gap)}")
        if changes and apply_changes(changes):
            st.rerun()

st.subheader(t("Họ ràng buộc", "Constraint families"))
lang = st.session_state.get("lang", "vi")
fam_rows = [
    {
        "id": fam.id,
        "name": fam.name_en if lang == "en" else fam.name_vi,
        "enabled": scenario.families[fam.id].enabled,
        "hard": scenario.families[fam.id].hard,
        "weight": scenario.families[fam.id].weight,
        "source": fam.source,
    }
    for fam in catalogue().values()
]
fam_original = pd.DataFrame(fam_rows)
fam_edited = st.data_editor(
    fam_original, key="families_editor", hide_index=True, disabled=["id", "name", "source"]
)
if st.button(t("Áp dụng họ ràng buộc", "Apply families"), key="apply_families"):
    changes = []
    for old, new in zip(
        fam_original.to_dict("records"), fam_edited.to_dict("records"), strict=True
    ):
        for column in ("enabled", "hard"):
            if bool(new[column]) != bool(old[column]):
                changes.append(
                    f"families.{old['id']}.{column}={'true' if new[column] else 'false'}"
                )
        if int(new["weight"]) != int(old["weight"]):
            changes.append(f"families.{old['id']}.weight={int(new['weight'])}")
    if changes and apply_changes(changes):
        st.rerun()

st.subheader(t("Thay đổi đang áp dụng", "Changes in force"))
state = working()
st.code("\n".join(state.sets) or t("(không có)", "(none)"))
c1, c2 = st.columns(2)
if c1.button(t("Hoàn tác", "Undo"), key="undo", disabled=not state.history):
    state.undo()
    state.save()
    st.rerun()
if c2.button(t("Về kịch bản gốc", "Reset to built-in"), key="reset"):
    state.reset()
    state.save()
    st.rerun()
upload = st.file_uploader(
    t("Tải lên kịch bản TOML", "Upload a scenario TOML"), type=["toml"], key="upload"
)
if upload is not None and st.session_state.get("uploaded_name") != upload.name + str(upload.size):
    st.session_state["uploaded_name"] = upload.name + str(upload.size)
    try:
        state.upload(upload.getvalue(), upload.name)
        state.save()
        st.success(t("Đã nạp ", "Loaded ") + upload.name)
    except PlannerError as exc:
        st.error(t(exc.text_vi(), exc.text_en()) + f" ({exc.location()})")

with st.expander(t("Danh mục quy tắc", "Rule catalogue")):
    rules = [
        {
            "id": r.id,
            "family": r.family,
            "name": r.name_en if lang == "en" else r.name_vi,
            "params": json.dumps(dict(r.params), ensure_ascii=False, default=str),
            "source": r.source.cite(),
            "status": r.status,
        }
        for rs in load_rulesets().values()
        for r in rs
    ]
    st.dataframe(pd.DataFrame(rules), hide_index=True)
