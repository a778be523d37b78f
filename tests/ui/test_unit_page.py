"""The Unit page and the real dates, through AppTest: a unit's children with their dates, its
real dates and congress kind, units of the same name told apart by their province, and the
cycle's real dates as a side of Compare (issue 19: D13, D22, D25)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from planner.rules.history import load_history
from planner.store import plans
from planner.store.db import Store
from planner.tree.build import build_tree
from planner.ui.search import Index

from .apptest import APP, page, solved


def _plan(at: AppTest, home: Path) -> pd.DataFrame:
    store = Store(home / "planner.sqlite3")
    record = plans.latest(store, at.session_state["working"].content_key)
    assert record is not None and record.has_plan
    return plans.plan_frame(store, record.id)


def _span(start: object, end: object) -> str:
    return f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"


def test_children_are_listed_with_their_dates_in_pages(_home: Path) -> None:
    """D25: the National Congress's 67 central-level committees are listed as links with
    their dates in the plan, 20 a page, earliest first; the last page holds the last 7."""
    at = solved(AppTest.from_file(APP, default_timeout=120).run())
    plan = _plan(at, _home)
    congresses = plan[(plan["kind"] == "congress") & (plan["level"] == "central")]
    columns = (congresses["org_id"], congresses["start"], congresses["end"])
    dates = {o: _span(s, e) for o, s, e in zip(*columns, strict=True)}
    at.session_state["unit"] = "vn"
    page(at, "unit")
    pager = at.selectbox(key="unit_children_page_vn")
    assert len(pager.options) == 4
    links = [p.proto.label for p in at.get("page_link") if p.proto.label.split(" · ")[-1] in dates]
    assert len(links) == 20
    shown = [m.value for m in at.markdown]
    first = sorted(dates, key=lambda o: (congresses.set_index("org_id").at[o, "start"], o))[:20]
    assert [label.split(" · ")[-1] for label in links] == first
    assert all(dates[o] in shown for o in first)
    pager.set_value(3).run()
    links = [p.proto.label for p in at.get("page_link") if p.proto.label.split(" · ")[-1] in dates]
    assert len(links) == 7
    assert all(dates[label.split(" · ")[-1]] in [m.value for m in at.markdown] for label in links)


def test_unit_page_shows_real_dates_and_the_congress_kind() -> None:
    """D13: Ninh Bình's page shows its real dates (data/history) in 2020; in the 2025 cycle
    Đà Nẵng (merged on 1/7/2025) holds a 2-content congress, Hà Nội (not merged) a 4-content
    one, each with its source, and Đà Nẵng's real dates."""
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.session_state["unit"] = "p37"
    page(at, "unit")
    text = "\n".join(m.value for m in at.markdown)
    assert "**Ngày thực tế:** 20/10/2020 – 22/10/2020 (đã họp" in text
    assert "Loại đại hội" not in text  # the 2020 cycle has no congress kinds
    at.sidebar.selectbox(key="cycle_choice_vi").set_value("xiv-2025").run()
    for unit, kind in (("p48", "Đại hội 2 nội dung"), ("p01", "Đại hội 4 nội dung")):
        at.session_state["unit"] = at.query_params["unit"] = unit  # as a link leaves them
        page(at, "unit")
        text = "\n".join(m.value for m in at.markdown)
        assert f"**Loại đại hội:** {kind}" in text and "Chỉ thị 45-CT/TW" in text, text
    assert "**Ngày thực tế:** 16/09/2025 – 18/09/2025" not in text  # Hà Nội: 15–17/10
    at.session_state["unit"] = at.query_params["unit"] = "p48"
    page(at, "unit")
    assert any("**Ngày thực tế:** 16/09/2025 – 18/09/2025" in m.value for m in at.markdown)


def test_units_of_the_same_name_carry_their_province() -> None:
    """D22: the sidebar search lists "xã Ninh Bình" and "xã Bình Ninh" with their provinces;
    a provincial committee is listed without one."""
    tree = build_tree("2020")
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.sidebar.text_input(key="search_q").input("xa ninh binh").run()
    labels = [p.proto.label for p in at.sidebar.get("page_link") if " · " in p.proto.label]
    found = Index(tree).find("xa ninh binh", limit=8)
    assert len(labels) == len(found) >= 2
    for label, org_id in zip(labels, found, strict=True):
        central = tree.central_of(org_id)
        assert central is not None
        province = central.name_vi.removeprefix("Đảng bộ ")
        assert label == f"{tree.get(org_id).name_vi} · {province} · {org_id}", label
    assert len({label.split(" · ")[1] for label in labels}) >= 2
    at.sidebar.text_input(key="search_q").input("p37").run()
    results = [p.proto.label for p in at.sidebar.get("page_link") if " · " in p.proto.label]
    assert results[0] == "Đảng bộ tỉnh Ninh Bình · p37"


def test_compare_offers_the_cycles_real_dates_as_a_side(_home: Path) -> None:
    """D13: on Compare, A can be the cycle's real dates (data/history): the plan is compared
    on the congresses whose real dates are known, each listed with its real and planned
    dates."""
    at = solved(AppTest.from_file(APP, default_timeout=120).run())
    plan = _plan(at, _home).set_index("event_id")
    page(at, "compare")
    box = at.selectbox(key="cmp_doc_A")
    assert "Ngày thực tế · xiii-2020" in box.options
    box.set_value(":real-dates").run()
    assert not at.exception
    real = {r.org_id: r for r in load_history("xiii-2020")}
    table = at.dataframe[0].value.set_index("Mã đơn vị")
    for org_id in table.index:
        row = plan.loc[f"congress:{org_id}"]
        assert table.at[org_id, "A"] == _span(real[org_id].start, real[org_id].end)
        assert table.at[org_id, "B"] == _span(row["start"], row["end"])
    planned = {o: plan.loc[f"congress:{o}"] for o in real if f"congress:{o}" in plan.index}
    moved = {
        o
        for o, row in planned.items()
        if (row["start"], row["end"]) != (real[o].start, real[o].end)
    }
    assert set(table.index) == moved and "p01" in moved
    tree = build_tree("2020")
    for org_id in table.index:  # D22: a unit below the central level carries its province
        central = tree.central_of(org_id)
        below = central is not None and central.org_id != org_id
        expected = central.name_vi.removeprefix("Đảng bộ ") if below and central else "—"
        assert table.at[org_id, "Tỉnh, thành phố"] == expected
    counts = at.table[0].value
    assert int(counts["A"].astype(int).sum()) == len(
        [o for o in real if f"congress:{o}" in plan.index]
    )
