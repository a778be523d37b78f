"""Đơn vị / Unit: one organisation of the open cycle's tree, found by the search (sidebar or
here) or a link: its congress in the plan on screen, its parent and children, the rules that
bind it with their sources, and its calendar feed."""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from planner.export.ics import file_id
from planner.store import actuals as stored_actuals
from planner.tree.hierarchy import Level
from planner.ui import charts
from planner.ui.actuals_table import history_frame
from planner.ui.binding import binding_rules
from planner.ui.common import name_col, page, plan_frame, shown_plan
from planner.ui.search import WRAP_LINKS, index_of, place, unit_link
from planner.ui.session import lang, link_view, store, t, working
from planner.ui.step_views import unit_steps_view
from planner.ui.unit_view import (
    children_table,
    congress_kind,
    headline,
    real_dates_of,
)
from planner.ui.words import family_text, number, span, word

scenario, problem = page("Đơn vị", "Unit")
orgs = problem.tree
attr = name_col()


wanted = str(st.session_state.get("unit") or orgs.root.org_id)
if wanted not in orgs:
    st.warning(
        t(f"Không có đơn vị «{wanted}» trong cây của chu kỳ này.", f"No unit “{wanted}” in "
          "this cycle's tree.")
    )  # fmt: skip
    wanted = orgs.root.org_id
st.session_state["unit"] = wanted

st.html(WRAP_LINKS)
query = st.text_input(
    t("Tìm đơn vị khác (tên, có dấu hay không, hoặc mã)", "Find another unit (name or id)"),
    key="unit_search",
)
if query.strip():
    found = index_of(orgs).find(query, limit=10)
    if not found:
        st.caption(t("Không tìm thấy đơn vị nào.", "No unit found."))
    for org_id in found:
        unit_link(st, orgs, org_id)

org = orgs.get(wanted)
st.header(getattr(org, attr))
other = org.name_vi if lang() == "en" else org.name_en
facts = [
    f"{word('unit_id')}: `{org.org_id}`",
    f"{word('level')}: {charts.level_name(org.level.value)}",
    *([f"{word('province')}: {place(orgs, org.org_id)}"] if place(orgs, org.org_id) else []),
    t("Tên tiếng Anh: ", "Vietnamese name: ") + other,
]
if org.synthetic:
    facts.append(word("synthetic"))
st.markdown("  \n".join(facts))

st.subheader(t("Đại hội", "Congress"))
record = shown_plan(working().content_key)
plan = plan_frame(record) if record is not None and record.has_plan else None
planned_start = None
if not problem.has(org.org_id):
    st.info(
        t(
            "Kịch bản này không lập lịch đại hội cho đơn vị này (cấp hoặc tỉnh không được lập).",
            "This scenario does not plan this unit's congress (its level or province is not "
            "planned).",
        )
    )
elif plan is None:
    st.info(
        t(
            "Chưa có kế hoạch cho kịch bản này: lập kế hoạch ở trang Kế hoạch.",
            "No plan for this scenario yet: solve it on the Plan page.",
        )
    )
else:
    unit = problem.unit(org.org_id)
    row = plan[plan["event_id"] == f"congress:{org.org_id}"].iloc[0]
    lo, hi = unit.window
    planned_start = row["start"]
    headline(
        [
            (word("planned_dates"), span(row["start"], row["end"])),
            (word("window"), span(lo, hi)),
            (word("days"), number(unit.days)),
        ]
    )
    if unit.pilot:
        st.caption(t("Đại hội điểm", "Pilot congress"))
history = real_dates_of(scenario)
real = history.get(org.org_id)
if real is not None:
    shift = ""
    if planned_start is not None:
        moved = (planned_start - real.start).days
        shift = t(f"; kế hoạch lệch {moved:+d} ngày", f"; the plan is {moved:+d} days off")
    st.markdown(
        f"**{word('real_dates')}:** {span(real.start, real.end)} "
        f"({word('basis.' + real.basis)}{shift}) — {word('source').lower()}: {real.source}"
    )
kind = congress_kind(scenario, org)
if kind is not None:
    st.markdown(
        f"**{word('congress_kind')}:** {t(kind.name_vi, kind.name_en)} — {kind.source.cite()}"
    )
if plan is not None and problem.has(org.org_id):
    st.markdown("**" + t("Các quy tắc áp dụng", "The rules that apply") + "**")
    bounds = binding_rules(problem, plan, org.org_id)
    st.table(
        pd.DataFrame(
            [
                {
                    word("family"): family_text(b.family),
                    word("binds"): word("yes") if b.binds else word("no"),
                    t("Chi tiết", "Detail"): t(b.detail_vi, b.detail_en),
                    word("rule"): b.rule or "—",
                    word("source"): b.source or "—",
                }
                for b in bounds
            ]
        )
    )
    tight = [family_text(b.family) for b in bounds if b.binds]
    st.caption(
        t("Đang ràng buộc: ", "Binding: ")
        + (", ".join(dict.fromkeys(tight)) or t("không quy tắc nào", "no rule"))
    )
    unit_steps_view(plan, scenario.preparation, org.org_id)

st.subheader(t("Kết quả thực tế đã ghi", "Recorded outcomes"))
entries = stored_actuals.history_of(store(), working().document, org.org_id)
if entries:
    st.dataframe(history_frame(entries), hide_index=True, key="unit_actuals")
    st.caption(t("Mới nhất trước; bản ghi mới nhất là kết quả đang có hiệu lực.",
                 "Newest first; the newest entry is the one in force."))  # fmt: skip
else:
    st.caption(t("Chưa ghi kết quả nào cho đơn vị này (trang Tiến độ).",
                 "No outcome recorded for this unit yet (Progress page)."))  # fmt: skip

st.subheader(t("Cấp trên và cấp dưới", "Parent and children"))
if org.parent_id is not None:
    unit_link(st, orgs, org.parent_id, word("parent") + ": ")
children_table(orgs, org.org_id, plan, history)

st.subheader(t("Lịch iCal", "Calendar feed"))
central = orgs.central_of(org.org_id)
if central is None:
    feeds = ["overview.ics", "election.ics"]
else:
    feeds = [f"central-{file_id(central.org_id)}.ics"]
    if org.level.depth > Level.CENTRAL.depth + 1:
        feeds.append(f"central-{file_id(central.org_id)}.{file_id(org.parent_id or '')}.ics")
base = os.environ.get("PLANNER_FEEDS_URL", "").rstrip("/")
for name in feeds:
    if base:
        st.markdown(f"- [{name}]({base}/{name}) · `webcal://{base.split('://', 1)[-1]}/{name}`")
    else:
        st.markdown(f"- `{name}`")
st.caption(
    t(
        "Lịch của đơn vị nằm trong họ lịch của đảng bộ trực thuộc Trung ương của nó (một lịch "
        "quá lớn được chia theo đơn vị cấp dưới). Tạo lịch ở trang «Xuất và in», phạm vi của "
        "đảng bộ đó; đặt PLANNER_FEEDS_URL (địa chỉ của planner serve) để có liên kết đăng ký.",
        "The unit's congress is in the feeds of its central-level committee (a feed too large "
        "is split by the units under it). Build them on the Export page, scope of that "
        "committee; set PLANNER_FEEDS_URL (where planner serve publishes) for subscription links.",
    )
)
st.page_link(
    "planner/ui/pages/export.py",
    label=t("Đến trang Xuất và in", "Go to Export"),
    query_params=link_view("export"),  # one history entry (D6)
)
