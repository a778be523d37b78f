"""Streamlit entry point: ``make run`` serves it on 127.0.0.1:8501."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Planner 2020–2021", layout="wide")
vi = st.session_state.get("lang", "vi") != "en"
pages = [
    st.Page("planner/ui/pages/plan.py", title="Kế hoạch" if vi else "Plan", default=True),
    st.Page("planner/ui/pages/constraints.py", title="Ràng buộc" if vi else "Constraints"),
    st.Page("planner/ui/pages/feasibility.py", title="Kiểm tra" if vi else "Feasibility"),
    st.Page("planner/ui/pages/election.py", title="Bầu cử" if vi else "Election"),
    st.Page("planner/ui/pages/export.py", title="Xuất" if vi else "Export"),
]
st.navigation(pages).run()
