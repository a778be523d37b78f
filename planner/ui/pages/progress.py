"""Tiến độ / Progress: a province's planner records what happened to its units' congresses in a
table (held, postponed, cancelled, merged), and everyone sees the progress against the stored
plan of the scenario on screen for a chosen day (default today; a past day replays a campaign):
planned against held per level, the provinces most behind, the late units, what is due in the
next 14 days, and the report a review conference uses (PDF, XLSX).

The actuals are the store's entries of the open document (:mod:`planner.store.actuals`); a save
is checked like a file (:func:`planner.plan.actuals.check_rows`) and against the user's rights
(:func:`planner.store.access.may_record_actual`) before anything is written.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from planner.analysis.progress import curves, progress
from planner.plan.actuals import ActualsError
from planner.rules.calendar import today_in_vietnam
from planner.store import access
from planner.store import actuals as stored
from planner.store.db import StoreError
from planner.tree.hierarchy import Level
from planner.ui import actuals_table, charts, today_replan
from planner.ui.a11y import table_alternative
from planner.ui.common import flash, name_col, page, plan_frame, shown_plan
from planner.ui.progress_report import done_frame, provinces_frame, report_pdf, report_xlsx
from planner.ui.province import ALL, members, subset
from planner.ui.search import WRAP_LINKS, unit_link
from planner.ui.session import author, identity, lang, store, t, working
from planner.ui.words import count_en, number, span, word

LINKS = 50  # late units shown as links; the rest are in the report

scenario, problem = page("Tiến độ", "Progress")
state = working()
orgs = problem.tree
attr = name_col()
province = str(st.session_state.get("province", ALL))
record = shown_plan(state.content_key)
full_plan = plan_frame(record) if record is not None and record.has_plan else None
today = st.date_input(
    t("Ngày xem tiến độ", "Progress on the day"), value=today_in_vietnam(),
    format="DD/MM/YYYY", key="progress_day",
)  # fmt: skip
try:
    in_force = stored.current(store(), state.document)
except StoreError as exc:
    st.error(exc.one_line())
    st.stop()

# ---------------------------------------------------------------------------------------------
st.header(t("Ghi kết quả thực tế", "Record what happened"))


def _problems(exc: ActualsError) -> None:
    """Each bad row: its row number, its column and what to do."""
    columns = {"status": word("outcome"), "start": word("start"), "end": word("end"),
               "reason": word("reason"), "org_id": word("unit_id")}  # fmt: skip
    lines = [
        t(f"Dòng {p.line}", f"Row {p.line}")
        + (f" ({columns.get(p.field or '', p.field)})" if p.field else "")
        + ": "
        + actuals_table.table_words(t(p.text_vi(), p.text_en()))
        for p in exc.problems
    ]
    st.error(
        "  \n".join(lines)
        + "  \n"
        + t(
            "Chưa lưu gì: sửa các dòng trên rồi bấm lưu lại.",
            "Nothing saved: correct the rows above and save again.",
        )
    )


def _record_table() -> None:
    """The province's units in an editable table, saved with the button."""
    if province == ALL or province not in orgs:
        st.info(
            t(
                "Chọn tỉnh, thành phố ở thanh bên để ghi kết quả các đơn vị của tỉnh đó.",
                "Choose a province in the sidebar to record the outcomes of its units.",
            )
        )
        return
    who = identity()
    allowed = access.may_record_actual(who, province, orgs)
    if not allowed:
        st.warning(t(allowed.message_vi, allowed.message_en))
    ids = [o for o in members(orgs, province) if problem.has(o)]
    ids.sort(key=lambda o: (orgs.get(o).level.depth, str(getattr(orgs.get(o), attr)), o))
    before = actuals_table.units_frame(orgs, ids, full_plan, in_force, attr, charts.level_name)
    serial = st.session_state.get("actuals_saved", 0)
    labels = [word("actual.none"), *actuals_table.status_labels().values()]
    date_help = t("Ngày dạng dd/mm/yyyy, ví dụ 14/10/2020", "A date as dd/mm/yyyy, e.g. 14/10/2020")
    edited = st.data_editor(
        before,
        hide_index=True,
        disabled=["org_id", "unit", "level", "planned", "recorded"],
        column_config={
            "org_id": st.column_config.TextColumn(word("unit_id")),
            "unit": st.column_config.TextColumn(word("unit")),
            "level": st.column_config.TextColumn(word("level")),
            "planned": st.column_config.TextColumn(word("planned_dates")),
            "recorded": st.column_config.TextColumn(word("in_force")),
            "status": st.column_config.SelectboxColumn(
                word("outcome"), options=labels, required=True
            ),
            "start": st.column_config.TextColumn(word("start"), help=date_help, max_chars=10),
            "end": st.column_config.TextColumn(word("end"), help=date_help, max_chars=10),
            "reason": st.column_config.TextColumn(word("reason"), max_chars=500),
        },
        key=f"actuals_{state.document}_{province}_{lang()}_{serial}",
    )
    st.caption(
        t(
            f"{number(len(ids))} đơn vị. Đã họp: ngày họp thực tế; hoãn: ngày dự kiến mới và lý "
            "do; mỗi lần lưu là một bản ghi mới, bản ghi cũ vẫn được giữ (xem trang Đơn vị).",
            f"{count_en(len(ids), 'unit')}. Held: the actual dates; postponed: the new expected "
            "dates and the reason; each save is a new entry, the old ones are kept (see the "
            "Unit page).",
        )
    )
    if not st.button(t("Lưu kết quả", "Save the outcomes"), type="primary", key="save_actuals"):
        return
    rows = actuals_table.changed_rows(before, edited)
    if not rows:
        st.info(t("Bảng chưa có thay đổi nào để lưu.", "Nothing in the table has changed."))
        return
    try:
        saved = actuals_table.save(store(), state.document, orgs, who, author(), rows,
                                   t("bảng", "table"))  # fmt: skip
    except ActualsError as exc:
        _problems(exc)
        return
    except access.AccessRefused as exc:
        st.error(t(exc.decision.message_vi, exc.decision.message_en))
        return
    except StoreError as exc:
        st.error(exc.one_line())
        return
    st.session_state["actuals_saved"] = serial + 1
    flash(t(f"Đã lưu {number(saved)} kết quả.", f"Saved {count_en(saved, 'outcome')}."))
    st.rerun()


_record_table()

# ---------------------------------------------------------------------------------------------
st.header(t("Tiến độ so với kế hoạch", "Progress against the plan"))
if full_plan is None:
    st.info(
        t(
            "Chưa có kế hoạch cho kịch bản này: lập kế hoạch ở trang Kế hoạch.",
            "No plan for this scenario yet: solve it on the Plan page.",
        )
    )
    st.stop()
plan = subset(full_plan, orgs, province)
result = progress(plan, in_force, today, orgs)
where = word("nationwide") if province == ALL else str(getattr(orgs.get(province), attr))
st.caption(where + " · " + t("ngày ", "on ") + f"{today:%d/%m/%Y}")
totals = [sum(getattr(c, f) for _lv, c in result.levels) for f in
          ("planned_by_today", "held", "late", "postponed", "due_14d")]  # fmt: skip
cols = st.columns(5)
for col, key, value in zip(cols, ("planned_by_today", "held", "late", "postponed", "due_14d"),
                           totals, strict=True):  # fmt: skip
    col.metric(word(key), number(value))
below = plan[plan["level"] != Level.NATIONAL.value]  # one congress: no curve to draw
chart = charts.progress_curves(curves(below, in_force, orgs), today)
st.plotly_chart(chart.figure, key="progress_curves", config={"locale": lang()})
table_alternative(chart.table, chart.summary)
st.dataframe(done_frame(result, lang() == "en"), hide_index=True, key="progress_levels")

st.subheader(t("Các tỉnh, chậm nhiều nhất trước", "Provinces, most behind first"))
st.dataframe(provinces_frame(result, orgs, lang() == "en"), hide_index=True, key="progress_prov")

st.subheader(t("Đơn vị chậm", "Late units"))
st.html(WRAP_LINKS)
if not result.late_units:
    st.caption(t("Không có đơn vị nào chậm.", "No unit is late."))
for unit in result.late_units[:LINKS]:
    unit_link(st, orgs, unit.org_id, span(unit.planned_start, unit.planned_end) + " · ")
if len(result.late_units) > LINKS:
    st.caption(
        t(
            f"{LINKS} trong {number(len(result.late_units))} đơn vị chậm; đủ cả trong báo cáo.",
            f"{LINKS} of {count_en(len(result.late_units), 'late unit')}; all in the report.",
        )
    )

st.subheader(t("Đến hạn trong 14 ngày tới", "Due in the next 14 days"))
due = [
    {
        word("unit"): str(getattr(orgs.get(u.org_id), attr)),
        word("unit_id"): u.org_id,
        word("level"): charts.level_name(u.level),
        word("expected_dates"): span(u.expected_start, u.expected_end),
    }
    for u in result.due_units
]
if due:
    st.dataframe(pd.DataFrame(due), hide_index=True, key="progress_due")
else:
    st.caption(t("Không có đại hội nào đến hạn.", "No congress is due."))

st.subheader(t("Báo cáo tiến độ", "Progress report"))
name = f"progress-{today:%Y-%m-%d}"
language = lang()
left, right = st.columns(2)
left.download_button(  # made when pressed (a nationwide report runs to many pages)
    t("Tải báo cáo (PDF)", "Download the report (PDF)"),
    lambda: report_pdf(result, orgs, where, language),
    file_name=f"{name}.pdf", mime="application/pdf", key="progress_pdf",
)  # fmt: skip
right.download_button(
    t("Tải báo cáo (XLSX)", "Download the report (XLSX)"),
    lambda: report_xlsx(result, orgs, language),
    file_name=f"{name}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="progress_xlsx",
)

assert record is not None  # a plan is shown (full_plan)
today_replan.section(record, in_force)
