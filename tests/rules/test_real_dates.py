"""A cycle's real dates (``data/history``) next to a plan: which file goes with a scenario, the
real dates as a plan frame, and a unit's congress kind (issue 19, D13)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from planner.rules.congress_kinds import kind_of
from planner.rules.history import history_cycle, load_history
from planner.scenario.builder import load_scenario
from planner.tree.build import build_tree
from planner.ui.compare import differences, only_units, real_frame
from tests.conftest import DATA


def test_each_cycle_finds_its_real_dates() -> None:
    """D13: the history of a scenario is the file its ``history`` key names, else its cycle's,
    else its id's (the ``-full`` variants share their cycle's); a projection has none."""
    found = {}
    for name in ("xii-2015", "xiii-2020", "xiii-2020-full", "xiv-2025", "xv-2030-projection"):
        scenario = load_scenario(DATA / "scenarios" / f"{name}.toml")
        found[name] = history_cycle(scenario.cycle, scenario.id, scenario.raw.get("history"))
    assert found == {
        "xii-2015": "xii-2015",
        "xiii-2020": "xiii-2020",
        "xiii-2020-full": "xiii-2020",
        "xiv-2025": "xiv-2025",
        "xv-2030-projection": None,
    }


def test_real_dates_become_a_side_of_the_comparison() -> None:
    """D13: the 2020 real dates as a plan frame: one congress per unit of the tree, and a plan
    compared with them on those units only."""
    tree = build_tree("2020")
    rows = load_history("xiii-2020")
    real = real_frame(rows, tree)
    assert set(real["org_id"]) == {r.org_id for r in rows}
    p37 = real.set_index("org_id").loc["p37"]
    assert (p37["start"], p37["end"], p37["level"]) == (
        dt.date(2020, 10, 20),
        dt.date(2020, 10, 22),
        "central",
    )
    plan = real.assign(start=real["start"] + dt.timedelta(days=1))
    extra = real.iloc[:1].assign(org_id="p02", event_id="congress:p02")
    planned = only_units(pd.concat([plan, extra], ignore_index=True), real["org_id"])
    assert "p02" not in set(planned["org_id"])
    assert {d.org_id for d in differences(real, planned)} == set(real["org_id"])


def test_merged_provinces_hold_two_content_congresses_in_2025() -> None:
    """D13: in 2025 a merged province (Đà Nẵng) holds a 2-content congress, Hà Nội a normal
    one; a cycle without kinds (2020) has none."""
    scenario = load_scenario(DATA / "scenarios" / "xiv-2025.toml")
    sets, units = scenario.kind_sets, scenario.kind_units
    merged, kept = kind_of(sets, units, "p48", True, 48), kind_of(sets, units, "p01", True, 1)
    assert merged is not None and merged.id == "two_content"
    assert kept is not None and kept.id == "normal"
    old = load_scenario(DATA / "scenarios" / "xiii-2020.toml")
    assert kind_of(old.kind_sets, old.kind_units, "p48", True, 48) is None
