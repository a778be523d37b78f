"""The election page's parts: the statutory timetable, today's phase, the organisation tree."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from planner.errors import PlannerError
from planner.rules.calendar import today_in_vietnam
from planner.rules.rulebook import law_named, step_cited
from planner.rules.timetable import election_timetable
from planner.scenario.model import Scenario
from planner.tree.hierarchy import Level
from planner.tree.names import level_label
from planner.ui.captions import election_day_text, scenario_caption
from planner.ui.common import name_col
from planner.ui.opened import tree
from planner.ui.session import link_view, t
from planner.ui.unit_view import headline
from planner.ui.words import day as fmt_day
from planner.ui.words import number, word


def election_section(scenario: Scenario, planned_day: dt.date | None) -> None:
    """The statutory timetable for the election day of the scenario in force, today's phase.

    The day comes from the scenario (or, when the scenario lets the solver choose it, from the
    plan on screen); it is changed on the Constraints page, never here, so every page agrees.
    """
    st.header(t("Lịch bầu cử theo luật", "Statutory election timetable"))
    law = scenario.election_law
    law_vi, law_en = law_named(law)
    st.markdown(t(f"**Luật áp dụng:** {law_vi}.", f"**Law in force:** {law_en}."))
    day = scenario.election_day or planned_day
    if day is None:
        assert scenario.election_choose is not None
        lo, hi = scenario.election_choose
        st.info(
            t(
                f"Kịch bản để bộ giải chọn ngày bầu cử (Chủ nhật từ {lo:%d/%m/%Y} đến "
                f"{hi:%d/%m/%Y}); hãy lập kế hoạch để biết ngày.",
                f"The scenario lets the solver choose election day (a Sunday from {lo} to "
                f"{hi}); solve the plan to know it.",
            )
        )
        return
    chosen = scenario.election_day is None
    st.metric(
        t("Ngày bầu cử", "Election day"),
        fmt_day(day),
        help=t("theo kế hoạch (bộ giải chọn)", "from the plan (chosen by the solver)")
        if chosen
        else t("theo kịch bản đang dùng", "from the scenario in force"),
    )
    st.caption(election_day_text(day) + " · " + scenario_caption(scenario))
    st.page_link(
        "planner/ui/pages/constraints.py",
        label=t("Đổi ngày bầu cử ở trang Ràng buộc", "Change election day on the Constraints page"),
        query_params=link_view("constraints"),  # one history entry (D6)
    )
    try:
        timetable = election_timetable(day, scenario.election_law)
    except PlannerError as exc:
        st.error(t(exc.text_vi(), exc.text_en()))
        return
    today = today_in_vietnam()
    phase = timetable.phase(today)
    st.info(
        t("Hôm nay", "Today")
        + f" ({fmt_day(today)}): "
        + t(phase.describe_vi(), phase.describe_en())
    )
    name = name_col()
    frame = pd.DataFrame(
        [
            {
                word("rule"): r.rule,
                word("date"): fmt_day(r.date),
                word("start"): fmt_day(r.start),
                word("end"): fmt_day(r.end),
                t("Giờ", "Time"): r.time or "—",
                t("Bước", "Step"): getattr(r, name),
                t("Căn cứ", "Legal basis"): t(*step_cited(law, r.step_id)),
                t("Kiểm chứng", "Checked"): word(str(r.status)),
            }
            for r in timetable
        ]
    )
    # a static table: its cells wrap, where the grid cut the window dates at 1280 px (03/02/202…)
    st.table(frame, hide_index=True)


def tree_section() -> None:
    """Counts per level and a drill-down from a central-level committee."""
    st.header(t("Cây tổ chức đảng", "Party organisation tree"))
    orgs = tree()
    st.caption(t("Cây của chu kỳ: thời kỳ ", "The cycle's tree: era ") + orgs.era)
    counts = orgs.counts_by_level()
    headline(  # not st.metric: it cuts a long level name at 1280 px
        [(t(level_label(lv).vi, level_label(lv).en), number(n)) for lv, n in counts.items()]
    )
    centrals = orgs.by_level(Level.CENTRAL)
    name = name_col()
    central = level_label(Level.CENTRAL.value)
    chosen = st.session_state.get("province")  # the province of the sidebar, if any
    ids = [o.org_id for o in centrals]
    choice = st.selectbox(
        t(central.vi, central.en),
        centrals,
        index=ids.index(chosen) if chosen in ids else 0,
        format_func=lambda o: getattr(o, name),
        key=f"central_choice_{name}",  # labels follow the language
    )
    if choice is None:
        return
    rows = []
    for child in orgs.children(choice.org_id):
        rows.append(
            {
                word("unit_id"): child.org_id,
                word("name"): getattr(child, name),
                word("level"): t(
                    level_label(child.level.value).vi, level_label(child.level.value).en
                ),
                t("Đơn vị trực thuộc", "Units under it"): number(len(orgs.children(child.org_id))),
                t("Nguồn danh sách", "Listed from"): word("synthetic")
                if child.synthetic
                else t("danh mục chính thức", "the official list"),
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
