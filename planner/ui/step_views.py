"""The preparation steps drawn on the Plan and Unit pages (issue 20, point 3): the tables of
:mod:`planner.ui.steps` with their counts, a switch to hide them, and the review load."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from planner.rules.preparation import PreparationSettings
from planner.tree.hierarchy import Level
from planner.tree.names import level_label
from planner.ui.session import lang, t
from planner.ui.steps import (
    count_text,
    kinds_text,
    review_load,
    step_rows,
    steps_table,
    unit_steps,
)
from planner.ui.words import count_en, number, word

LEVEL_ORDER = [lv.value for lv in sorted(Level, key=lambda lv: lv.depth)]
TABLE_LIMIT = 2000  # step lines drawn at once (a plan with lower-level steps has more)


def preparation_steps(plan: pd.DataFrame, settings: PreparationSettings | None) -> None:
    """The Plan page's section: how many steps of each kind, the steps (shown by default, can
    be hidden), and each reviewing body's reviews per week against its capacity."""
    st.header(t("Các bước chuẩn bị", "Preparation steps"))
    if settings is None or not settings.active:
        st.caption(
            t(
                "Kịch bản này không lập các bước chuẩn bị (duyệt, thông báo, báo cáo, chuẩn y).",
                "This scenario plans no preparation steps (review, announcement, report, "
                "approval).",
            )
        )
        return
    rows = step_rows(plan)
    st.caption(count_text(len(rows)) + (f" — {kinds_text(rows)}" if len(rows) else ""))
    shown = st.toggle(
        t("Hiện các bước chuẩn bị", "Show the preparation steps"),
        value=True,
        key=f"show_steps_{lang()}",
    )
    if not shown:
        return
    table = steps_table(plan, settings)
    st.dataframe(table.head(TABLE_LIMIT), hide_index=True, key="steps_table")
    if len(table) > TABLE_LIMIT:
        st.caption(
            t(
                f"Hiện {number(TABLE_LIMIT)} trong {number(len(table))}; chọn một tỉnh để xem đủ.",
                f"Showing {number(TABLE_LIMIT)} of {number(len(table))}; choose a province to "
                "see them all.",
            )
        )
    load = review_load(plan, settings)
    if load.empty:
        return
    st.subheader(t("Số cuộc duyệt mỗi tuần so với sức duyệt", "Reviews a week against capacity"))
    st.dataframe(load, hide_index=True, key="review_load")
    over = int((load[word("over_capacity")] == word("yes")).sum())
    st.caption(
        t(
            "Sức duyệt của một tuần: số cuộc duyệt tối đa một ngày của cơ quan nhân với số ngày "
            "cơ quan làm việc trong tuần (trừ ngày nghỉ, ngày lễ, hội nghị Trung ương). "
            + (f"{number(over)} tuần vượt sức duyệt." if over else "Không tuần nào vượt."),
            "A week's capacity: the body's reviews a day times the days it sits that week "
            "(days off, public holidays and plenums left out). "
            + (f"{count_en(over, 'week')} over capacity." if over else "No week is over."),
        )
    )


def unit_steps_view(plan: pd.DataFrame, settings: PreparationSettings | None, org_id: str) -> None:
    """The Unit page's part: the unit's own steps in date order, before or after its
    congress, with the rule, its source and how sure the data is of it."""
    if settings is None or not settings.active:
        return
    st.markdown("**" + t("Các bước chuẩn bị", "Preparation steps") + "**")
    table = unit_steps(plan, settings, org_id)
    if table.empty:
        levels = [
            lv for lv in LEVEL_ORDER if lv in {*settings.review_levels, *settings.step_levels}
        ]
        names = [level_label(lv) for lv in levels]
        which = ", ".join(n.en if lang() == "en" else n.vi for n in names) or word("empty")
        st.caption(
            t(
                f"Kế hoạch không có bước chuẩn bị nào cho đại hội này (kịch bản lập các bước "
                f"cho: {which}).",
                f"The plan has no preparation step for this congress (the scenario plans the "
                f"steps of: {which}).",
            )
        )
        return
    st.table(table)
