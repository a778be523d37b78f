"""The open scenario: the working copy built into a scenario and its problem, its
organisation tree, who may change it, and saving it as the next version.

It sits above :mod:`planner.ui.session` (the browser's context: store, user, working copy),
because the rights need the tree of the open scenario, and below the pages' helpers
(:mod:`planner.ui.common`), which apply edits through :func:`save`.
"""

from __future__ import annotations

import streamlit as st

from planner.errors import PlannerError
from planner.problem.units import Problem, build_problem
from planner.scenario.builder import tree_for
from planner.scenario.model import Scenario
from planner.store import access, scenarios
from planner.store.db import StoreError
from planner.store.recovery import read_scenario_text
from planner.store.scenarios import VersionConflict
from planner.tree.build import build_tree
from planner.tree.hierarchy import OrgTree
from planner.ui.session import (
    Conflict,
    author,
    identity,
    open_version,
    store,
    t,
    working,
)


def error_text(exc: PlannerError) -> str:
    """A bilingual error for the page: the message in the chosen language and where."""
    where = exc.location()
    return t(exc.text_vi(), exc.text_en()) + (f" ({where})" if where else "")


def tree() -> OrgTree:
    """The organisation tree of the open scenario's era (each era's tree is built once per
    process; 2020 when the open scenario does not validate)."""
    loaded = current()
    if loaded is not None:
        return loaded[1].tree
    return _era_tree("2020")


@st.cache_resource(show_spinner=False)
def _era_tree(era: str) -> OrgTree:
    return build_tree(era)


@st.cache_resource(show_spinner=False, max_entries=6)
def built(key: str, _text: str, _name: str, _sets: tuple[str, ...]) -> tuple[Scenario, Problem]:
    scenario: Scenario = read_scenario_text(_text, _name, list(_sets))
    return scenario, build_problem(scenario, tree_for(scenario))


def current() -> tuple[Scenario, Problem] | None:
    """The working scenario and its problem (shared by every session with the same content),
    or None when it does not validate (the notices above the page offer the way back)."""
    state = working()
    try:
        return built(state.content_key, state.base_text, state.base_name, tuple(state.sets))
    except PlannerError as exc:
        st.session_state["invalid"] = error_text(exc)
        return None


def may_change(
    before: tuple[str, list[str]] | None, after: tuple[str, list[str]]
) -> access.Decision:
    """Whether this user may save ``after`` on top of ``before`` (see
    :mod:`planner.store.access`)."""
    return access.may_change(identity(), before, after, tree())


def change_check() -> scenarios.Check:
    """The store-side check of this user's writes (:func:`planner.store.access.change_check`)."""
    return access.change_check(identity(), tree)


def save(
    base_text: str, base_name: str, sets: list[str], summary: str, parent: int | None = None
) -> str:
    """Save the working copy's new content as the next version.

    Returns ``saved``, ``conflict`` (someone saved a newer version: the edit is held and a
    :class:`Conflict` waits in the session), ``refused`` (outside the user's rights: nothing
    changes, the reason waits in ``st.session_state["refused"]``) or ``unsaved`` (the store
    refused: the edit is held in the session with the reason). The store checks the rights
    again inside the write (:func:`planner.store.access.change_check`).
    """
    state = working()
    check = change_check()
    try:
        version = scenarios.commit(
            store(), state.document, state.version, base_text, base_name, sets, author(),
            summary, parent, check,
        )  # fmt: skip
    except access.AccessRefused as exc:
        st.session_state["refused"] = t(exc.decision.message_vi, exc.decision.message_en)
        return "refused"
    except VersionConflict as exc:
        state.hold(base_text, base_name, sets, "conflict")
        st.session_state["conflict"] = Conflict(exc.head, exc.expected, summary)
        return "conflict"
    except StoreError as exc:
        state.hold(base_text, base_name, sets, exc.one_line())
        return "unsaved"
    open_version(version)
    return "saved"
