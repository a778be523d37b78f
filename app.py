"""Streamlit entry point: ``make run`` serves it on 127.0.0.1:8501."""

from __future__ import annotations

import streamlit as st

from planner.ui import overview

st.set_page_config(page_title="Planner 2020–2021", layout="wide")
lang = st.sidebar.radio(
    "Ngôn ngữ / Language",
    ["vi", "en"],
    format_func=lambda v: "Tiếng Việt" if v == "vi" else "English",
    key="lang",
)
st.title(
    "Lập lịch đại hội Đảng và bầu cử 2020–2021"
    if lang == "vi"
    else "Party congresses and elections planner 2020–2021"
)
overview.render()
