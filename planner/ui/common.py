"""Helpers shared by the pages: language, the working scenario, cached tree and problem."""

from __future__ import annotations

from typing import Any

import streamlit as st

from planner.errors import PlannerError
from planner.hierarchy import OrgTree, build_tree
from planner.problem import Problem, build_problem
from planner.scenario import Scenario
from planner.ui.state import WorkingScenario


def t(vi: str, en: str) -> str:
    """The text in the chosen language (Vietnamese by default)."""
    return en if st.session_state.get("lang") == "en" else vi


def name_col() -> str:
    """The organisation-name column for the chosen language."""
    return "name_en" if st.session_state.get("lang") == "en" else "name_vi"


@st.cache_resource(show_spinner=False)
def tree() -> OrgTree:
    """The organisation tree, built once per process."""
    return build_tree()


@st.cache_resource(show_spinner=False)
def shared_results() -> dict[str, Any]:
    """Finished solves and diagnoses keyed by scenario content, shared by every session of this
    server process: a refresh or a second browser tab shows them at once."""
    return {}


def working() -> WorkingScenario:
    """The working scenario of this session (loaded from the user data folder once)."""
    if "working" not in st.session_state:
        st.session_state["working"] = WorkingScenario.load()
    state: WorkingScenario = st.session_state["working"]
    return state


def scenario_key() -> str:
    """Identifies the working scenario's content (results are cached per key)."""
    state = working()
    return f"{state.base_name}|{len(state.base_text)}|{'|'.join(state.sets)}"


def page(title_vi: str, title_en: str) -> tuple[Scenario, Problem]:
    """Open a page: the language switch, its heading, and the working scenario and problem
    (the page stops after showing the error when the scenario cannot be read)."""
    language_switch()
    st.header(t(title_vi, title_en))
    loaded = current()
    if loaded is None:
        st.stop()
    return loaded


def current() -> tuple[Scenario, Problem] | None:
    """The working scenario and its problem, or None after showing the error."""
    key = scenario_key()
    cache: dict[str, Any] = st.session_state.setdefault("_problem_cache", {})
    if key not in cache:
        try:
            scenario = working().scenario()
            cache.clear()
            cache[key] = (scenario, build_problem(scenario, tree()))
        except PlannerError as exc:
            st.error(t(exc.text_vi(), exc.text_en()) + f" ({exc.location()})")
            return None
    value: tuple[Scenario, Problem] = cache[key]
    return value


def apply_changes(changes: list[str]) -> bool:
    """Validate and apply ``--set`` changes; show the error and keep everything on failure."""
    try:
        working().apply(changes)
    except PlannerError as exc:
        st.error(t(exc.text_vi(), exc.text_en()) + f" ({exc.location()})")
        return False
    working().save()
    return True


def flash(message: str) -> None:
    """A confirmation shown once on the next render (a message shown just before
    ``st.rerun()`` would vanish before anyone could read it)."""
    st.session_state["flash"] = message


def language_switch() -> None:
    """The sidebar language switch (on every page), the scenario summary and any flash."""
    message = st.session_state.pop("flash", None)
    if message:
        st.success(message)
    st.sidebar.radio(
        "Ngôn ngữ / Language",
        ["vi", "en"],
        format_func=lambda v: "Tiếng Việt" if v == "vi" else "English",
        key="lang",
    )
    state = working()
    st.sidebar.caption(
        t("Kịch bản", "Scenario")
        + f": {state.base_name} · "
        + t(f"{len(state.sets)} thay đổi", f"{len(state.sets)} changes")
    )
