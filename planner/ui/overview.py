"""The election page: the statutory timetable, today's phase, and the organisation tree."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from planner.calendar import format_date_en, format_date_vi, today_in_vietnam
from planner.errors import PlannerError
from planner.hierarchy import Level
from planner.names import level_label
from planner.timetable import election_timetable
from planner.ui.common import t, tree

DEFAULT_ELECTION_DAY = dt.date(2021, 5, 23)


def election_section() -> None:
    """Election day input, today's phase and the statutory timetable."""
    st.header(t("Lịch bầu cử theo luật", "Statutory election timetable"))
    day = st.date_input(
        t("Ngày bầu cử (Chủ nhật)", "Election day (a Sunday)"),
        value=DEFAULT_ELECTION_DAY,
        key="election_day",
        format="DD/MM/YYYY",
    )
    if not isinstance(day, dt.date):
        return
    try:
        timetable = election_timetable(day)
    except PlannerError as exc:
        st.error(t(exc.text_vi(), exc.text_en()))
        return
    st.caption(t(format_date_vi(day), format_date_en(day)))
    today = today_in_vietnam()
    phase = timetable.phase(today)
    st.info(
        t("Hôm nay", "Today")
        + f" ({today.isoformat()}): "
        + t(phase.describe_vi(), phase.describe_en())
    )
    name = "name_en" if st.session_state.get("lang") == "en" else "name_vi"
    frame = pd.DataFrame(
        [
            {
                t("Quy tắc", "Rule"): r.rule,
                t("Ngày", "Date"): r.date,
                t("Từ", "From"): r.start,
                t("Đến", "To"): r.end,
                t("Giờ", "Time"): r.time,
                t("Bước", "Step"): getattr(r, name),
                t("Điều", "Article"): r.article,
                t("Trạng thái", "Status"): r.status,
            }
            for r in timetable
        ]
    )
    st.dataframe(frame, hide_index=True, width="stretch")


def tree_section() -> None:
    """Counts per level and a drill-down from a central-level committee."""
    st.header(t("Cây tổ chức đảng", "Party organisation tree"))
    orgs = tree()
    counts = orgs.counts_by_level()
    cols = st.columns(len(counts))
    for col, (level, count) in zip(cols, counts.items(), strict=True):
        label = level_label(level)
        col.metric(t(label.vi, label.en), f"{count:,}".replace(",", "."))
    centrals = orgs.by_level(Level.CENTRAL)
    name = "name_en" if st.session_state.get("lang") == "en" else "name_vi"
    choice = st.selectbox(
        t("Đảng bộ trực thuộc Trung ương", "Committee directly under the Central Committee"),
        centrals,
        format_func=lambda o: getattr(o, name),
        key="central_choice",
    )
    if choice is None:
        return
    rows = []
    for child in orgs.children(choice.org_id):
        rows.append(
            {
                "org_id": child.org_id,
                t("Tên", "Name"): getattr(child, name),
                t("Cơ sở trực thuộc", "Grassroots under it"): len(orgs.children(child.org_id)),
                t("Tổng hợp", "Synthetic"): child.synthetic,
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def render() -> None:
    """Draw the overview page."""
    election_section()
    tree_section()
