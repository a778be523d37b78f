"""Parts of the Unit page: the headline values (never cut off), the unit's real dates
(``data/history``) and congress kind (``data/kinds.toml``), and its children with their dates
as a paged table of links."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import streamlit as st

from planner.errors import PlannerError
from planner.rules.congress_kinds import CongressKind, kind_of
from planner.rules.history import HistoricalCongress, history_by_unit, history_cycle
from planner.scenario.model import Scenario
from planner.tree.hierarchy import Level, Org, OrgTree
from planner.ui.opened import error_text
from planner.ui.search import unit_link
from planner.ui.session import t
from planner.ui.words import number, span, word

PAGE_SIZE = 20  # children per page: a province has up to 133 units under it (2025)
COLUMNS = (6, 4, 4)


def headline(cells: list[tuple[str, str]]) -> None:
    """Labelled values side by side, each wrapping rather than cut off (``st.metric`` cuts a
    long value with an ellipsis at 1280 px: ``20/10/2020 – 22/1…``)."""
    for column, (label, value) in zip(st.columns(len(cells)), cells, strict=True):
        column.caption(label)
        column.markdown(f"**{value}**")


def real_dates_of(scenario: Scenario) -> dict[str, HistoricalCongress]:
    """The cycle's real congress dates by org id (empty when ``data/history`` has none; a
    broken file is said in both languages)."""
    cycle = history_cycle(scenario.cycle, scenario.id, scenario.raw.get("history"))
    if cycle is None:
        return {}
    try:
        return history_by_unit(cycle)
    except PlannerError as exc:
        st.warning(error_text(exc))
        return {}


def congress_kind(scenario: Scenario, org: Org) -> CongressKind | None:
    """The kind of congress the unit holds (2025: a merged province's 2-content congress), or
    None when the cycle has no kinds or the unit is the National Congress."""
    if org.level == Level.NATIONAL:
        return None
    central = org.level == Level.CENTRAL
    return kind_of(scenario.kind_sets, scenario.kind_units, org.org_id, central, org.province_code)


def _planned(plan: pd.DataFrame | None) -> dict[str, tuple[dt.date, dt.date]]:
    if plan is None:
        return {}
    rows = plan[plan["kind"] == "congress"]
    return {
        str(o): (s, e) for o, s, e in zip(rows["org_id"], rows["start"], rows["end"], strict=True)
    }


def children_table(
    orgs: OrgTree,
    org_id: str,
    plan: pd.DataFrame | None,
    real: dict[str, HistoricalCongress],
) -> None:
    """The units under one, each a link with its dates in the plan (and its real dates, when
    known), earliest first, in pages of :data:`PAGE_SIZE`."""
    children = orgs.children(org_id)
    st.caption(
        t(f"{number(len(children))} đơn vị trực thuộc.", f"{number(len(children))} units under it.")
    )
    if not children:
        return
    dates = _planned(plan)
    far = (dt.date.max, dt.date.max)
    ordered = sorted(children, key=lambda c: (dates.get(c.org_id, far), c.org_id))
    first = 0
    if len(ordered) > PAGE_SIZE:
        pages = math.ceil(len(ordered) / PAGE_SIZE)
        chosen = st.selectbox(
            word("children_page"),
            range(pages),
            format_func=lambda k: (
                f"{number(k * PAGE_SIZE + 1)}–{number(min(len(ordered), (k + 1) * PAGE_SIZE))}"
                f" / {number(len(ordered))}"
            ),
            key=f"unit_children_page_{org_id}",
        )
        first = int(chosen or 0) * PAGE_SIZE
    heads = st.columns(COLUMNS)
    for column, label in zip(
        heads, (word("unit"), word("planned_dates"), word("real_dates")), strict=True
    ):
        column.markdown(f"**{label}**")
    for child in ordered[first : first + PAGE_SIZE]:
        name, when, held = st.columns(COLUMNS, vertical_alignment="center")
        unit_link(name, orgs, child.org_id, with_place=False)
        when.markdown(span(*dates[child.org_id]) if child.org_id in dates else word("empty"))
        found = real.get(child.org_id)
        held.markdown(span(found.start, found.end) if found is not None else word("empty"))
