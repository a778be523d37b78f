"""The first page: the statutory election timetable and the organisation tree."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from planner.calendar import format_date_en, format_date_vi, today_in_vietnam
from planner.errors import PlannerError
from planner.hierarchy import Level, OrgTree, build_tree
from planner.names import level_label
from planner.timetable import election_timetable

DEFAULT_ELECTION_DAY = dt.date(2021, 5, 23)


def _t(vi: str, en: str) -> str:
    return en if st.session_state.get("lang") == "en" else vi


@st.cache_resource(show_spinner=False)
def _tree() -> OrgTree:
    return build_tree()


def election_section() -> None:
    """Election day input, today's phase and the statutory timetable."""
    st.header(_t("Lịch bầu cử theo luật", "Statutory election timetable"))
    day = st.date_input(
        _t("Ngày bầu cử (Chủ nhật)", "Election day (a Sunday)"),
        value=DEFAULT_ELECTION_DAY,
        key="election_day",
        format="DD/MM/YYYY",
    )
    if not isinstance(day, dt.date):
        return
    try:
        timetable = election_timetable(day)
    except PlannerError as exc:
        st.error(_t(exc.text_vi(), exc.text_en()))
        return
    st.caption(_t(format_date_vi(day), format_date_en(day)))
    today = today_in_vietnam()
    phase = timetable.phase(today)
    st.info(
        _t("Hôm nay", "Today")
        + f" ({today.isoformat()}): "
        + _t(phase.describe_vi(), phase.describe_en())
    )
    name = "name_en" if st.session_state.get("lang") == "en" else "name_vi"
    frame = pd.DataFrame(
        [
            {
                _t("Quy tắc", "Rule"): r.rule,
                _t("Ngày", "Date"): r.date,
                _t("Từ", "From"): r.start,
                _t("Đến", "To"): r.end,
                _t("Giờ", "Time"): r.time,
                _t("Bước", "Step"): getattr(r, name),
                _t("Điều", "Article"): r.article,
                _t("Trạng thái", "Status"): r.status,
            }
            for r in timetable
        ]
    )
    st.dataframe(frame, hide_index=True, width="stretch")


def tree_section() -> None:
    """Counts per level and a drill-down from a central-level committee."""
    st.header(_t("Cây tổ chức đảng", "Party organisation tree"))
    tree = _tree()
    counts = tree.counts_by_level()
    cols = st.columns(len(counts))
    for col, (level, count) in zip(cols, counts.items(), strict=True):
        label = level_label(level)
        col.metric(_t(label.vi, label.en), f"{count:,}".replace(",", "."))
    centrals = tree.by_level(Level.CENTRAL)
    name = "name_en" if st.session_state.get("lang") == "en" else "name_vi"
    choice = st.selectbox(
        _t("Đảng bộ trực thuộc Trung ương", "Committee directly under the Central Committee"),
        centrals,
        format_func=lambda o: getattr(o, name),
        key="central_choice",
    )
    if choice is None:
        return
    rows = []
    for child in tree.children(choice.org_id):
        rows.append(
            {
                "org_id": child.org_id,
                _t("Tên", "Name"): getattr(child, name),
                _t("Cơ sở trực thuộc", "Grassroots under it"): len(tree.children(child.org_id)),
                _t("Tổng hợp", "Synthetic"): child.synthetic,
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def render() -> None:
    """Draw the overview page."""
    election_section()
    tree_section()
