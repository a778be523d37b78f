"""Streamlit entry point: ``make run`` serves it on 127.0.0.1:8501.

The widgets every page shares (language, scenario and version, budget, display name) and the
notices above every page are drawn here, around ``st.navigation``, so they keep their values
from page to page (DESIGN, Streamlit lessons). The view is in the URL
(``?scenario=…&v=…&lang=en&page=…``): a refresh or a shared link opens the same view, and the
page links carry it, so a page change is one entry of the browser's history (D6). A bug in a
page shows a bilingual message instead of a traceback; the user's work is already saved.
"""

from __future__ import annotations

import logging
import sys

import streamlit as st

from planner.ui import session  # the frame and the heading need no more (P1: see below)

# The server sends the browser its script chunks from the thread a page's work (the charts)
# holds the GIL in: each of the ~100 requests waits up to the switch interval at each step.
# 1 ms instead of 5 brought a later visitor's Plan status from 4.2 s to 2.6 s (P1; median of 6
# at load 7-9, scripts/measure_views.py).
sys.setswitchinterval(0.001)

st.set_page_config(page_title="Planner", layout="wide")
nav = st.sidebar.container()  # the page links, first in the sidebar (drawn below)
session.language()
t = session.t
PAGES = {
    "plan": st.Page(
        "planner/ui/pages/plan.py", title=t("Kế hoạch", "Plan"), url_path="plan", default=True
    ),
    "month": st.Page("planner/ui/pages/month.py", title=t("Lịch tháng", "Month")),
    "unit": st.Page("planner/ui/pages/unit.py", title=t("Đơn vị", "Unit")),
    "compare": st.Page("planner/ui/pages/compare.py", title=t("So sánh", "Compare")),
    "constraints": st.Page("planner/ui/pages/constraints.py", title=t("Ràng buộc", "Constraints")),
    "feasibility": st.Page("planner/ui/pages/feasibility.py", title=t("Kiểm tra", "Feasibility")),
    "election": st.Page("planner/ui/pages/election.py", title=t("Bầu cử", "Election")),
    "export": st.Page("planner/ui/pages/export.py", title=t("Xuất và in", "Export and print")),
    "progress": st.Page("planner/ui/pages/progress.py", title=t("Tiến độ", "Progress")),
    "history": st.Page("planner/ui/pages/history.py", title=t("Lịch sử", "History")),
}
HEADINGS = {  # each page's heading (as its page() call has it), drawn first (P1)
    "plan": ("Kế hoạch đại hội", "Congress plan"),
    "month": ("Lịch tháng", "Month calendar"),
    "unit": ("Đơn vị", "Unit"),
    "compare": ("So sánh kịch bản", "Compare scenarios"),
    "constraints": ("Ràng buộc", "Constraints"),
    "feasibility": ("Kiểm tra khả thi", "Feasibility check"),
    "election": ("Bầu cử", "Election"),
    "export": ("Xuất và in", "Export and print"),
    "progress": ("Tiến độ", "Progress"),
}
current = st.navigation(list(PAGES.values()), position="hidden")  # links: sidebar.pages
slug = next((k for k, p in PAGES.items() if p.url_path == current.url_path), "plan")
if not st.session_state.get("page_from_url"):  # a shared link or a refresh names the page
    st.session_state["page_from_url"] = True
    wanted = st.query_params.get("page")
    if wanted in PAGES and wanted != slug:  # the URL's view goes with it (no second write)
        st.switch_page(PAGES[wanted], query_params=st.query_params.to_dict())
if slug in HEADINGS:  # before the imports, the tree and the problem the page waits for
    session.heading_first(*HEADINGS[slug])

from planner.ui import a11y, notices, opened, sidebar  # noqa: E402 (after the heading: P1)

linked = False
try:
    session.browser_id()
    sidebar.cycle()
    sidebar.document()  # opens the document and version the URL names
    loaded = opened.current()
    if loaded is not None:  # the browser tab's title follows the cycle
        st.set_page_config(page_title=t(loaded[0].name_vi, loaded[0].name_en))
    sidebar.province_filter()
    sidebar.search(PAGES["unit"])
    st.session_state["budget_s"] = sidebar.budget()
    sidebar.display_name()
    session.send_cookie()
    a11y.page_language()
    notices.show()
    if slug == "unit" and st.query_params.get("unit"):  # a link to a unit's page
        st.session_state["unit"] = st.query_params["unit"]
    if not st.session_state.get("unit"):  # the Unit page opens the root (and says so in its URL)
        st.session_state["unit"] = opened.tree().root.org_id
    session.sync_url(slug)
    sidebar.pages(nav, PAGES)
    linked = True
    current.run()
except Exception:  # a bug: log it for the operator, tell the user in both languages
    logging.getLogger("planner").exception("page %s failed", slug)
    if not linked:
        sidebar.pages(nav, PAGES)  # the way to the other pages stays
    st.error(
        "Đã xảy ra lỗi trong trang này; công việc của bạn đã được lưu (xem trang Lịch sử). "
        "Hãy tải lại trang; nếu lỗi lặp lại, báo cho người quản trị (chi tiết trong nhật ký "
        "máy chủ). / Something went wrong on this page; your work is saved (see the History "
        "page). Reload the page; if it happens again, tell the administrator (details are in "
        "the server log)."
    )
