"""Scenario files of every cycle: they reference existing data and fit the history (their
loading, solving and back-tests are in tests/test_cycles.py)."""

from __future__ import annotations

import datetime as dt
import tomllib
from typing import Any

import holidays
import pytest

from planner.rules.congress_kinds import load_kinds
from planner.rules.milestones import national_congress
from planner.rules.rulebook import load_rulebook
from planner.rules.timetable import election_timetable
from planner.tree.eras import load_eras
from tests.conftest import DATA, REPO

NEW = ["xii-2015", "xiv-2025", "xiv-2025-full", "xv-2030-projection"]


def _load(name: str) -> dict[str, Any]:
    return tomllib.loads((DATA / "scenarios" / f"{name}.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", NEW)
def test_references_exist(name: str) -> None:
    """Rule sets, era, level ids, calendars, kinds and history all exist in the data."""
    doc = _load(name)
    assert doc["id"] == name and doc["name_vi"] != doc["name_en"]
    book = load_rulebook()
    assert set(doc["rulesets"]) <= set(book.rulesets)
    era = load_eras()[doc["era"]]
    assert set(doc["levels"]) <= set(era.level_ids())
    for directive in doc["rulesets"]:
        if book.validity[directive].kind == "directive":
            assert book.validity[directive].era in (doc["era"], "2015", "2020")
    for calendar in doc["calendar"]:
        path = DATA / "calendar" / f"{calendar}.toml"
        assert tomllib.loads(path.read_text("utf-8"))["cycle"] == doc["cycle"]
    for set_id in doc.get("kinds", {}).get("sets", []):
        load_kinds().unit_set(set_id)
    if "history" in doc:
        assert (REPO / doc["history"]).is_file()


@pytest.mark.parametrize("name", NEW)
def test_election_and_alignment_steps(name: str) -> None:
    """Election day is a Sunday; the alignment steps are steps of the law for that day."""
    doc = _load(name)
    day = doc["election"]["day"]
    assert day.weekday() == 6
    law = load_rulebook().law_for_election(day)
    table = election_timetable(day, law)
    for key in ("national_before_step", "national_after_step"):
        if key in doc["alignment"]:
            table.step(doc["alignment"][key])
    start, end = doc["levels"]["national"]["window"]
    if "national_after_step" in doc["alignment"]:
        assert table.step(doc["alignment"]["national_after_step"]).date < start  # type: ignore[operator]
    assert end < table.step(doc["alignment"]["national_before_step"]).date  # type: ignore[operator]


@pytest.mark.parametrize(("name", "cycle"), [("xii-2015", "xii-2015"), ("xiv-2025", "xiv-2025")])
def test_national_window_is_the_planned_congress(name: str, cycle: str) -> None:
    """The national window is the congress as planned (CYCLES §1, §2.3)."""
    planned = national_congress(cycle).dates("planned")
    assert _load(name)["levels"]["national"]["window"] == [planned.start, planned.end]


def test_the_2021_alignment_does_not_hold_in_2026() -> None:
    """The 14th Congress sat after the first consultative conference (E−95 = 10/12/2025), so a
    per-cycle rule is needed: 2016 and 2021 ended before E−95, 2026 started after it."""
    book = load_rulebook()
    for cycle, day, before in [
        ("xii-2015", dt.date(2016, 5, 22), True),
        ("xiii-2020", dt.date(2021, 5, 23), True),
        ("xiv-2025", dt.date(2026, 3, 15), False),
    ]:
        congress = national_congress(cycle).dates("actual")
        ht1 = election_timetable(day, book.law_for_election(day)).step("el.consultation_1.na")
        assert (congress.end < ht1.date) is before, cycle  # type: ignore[operator]


@pytest.mark.parametrize(
    ("name", "directive"), [("xii-2015", "directive-36-2014"), ("xiv-2025", "directive-45-2025")]
)
def test_windows_inside_the_directive(name: str, directive: str) -> None:
    """Each level window lies inside the Directive's start/end rules for that level."""
    rules = load_rulebook().ruleset(directive)
    doc = _load(name)
    for level, cfg in doc["levels"].items():
        bounds = {
            r.param("bound"): r.param("date")
            for r in rules.by_family("level_window")
            if r.param("level") == level
        }
        if not bounds:
            continue
        assert bounds["start"] <= cfg["window"][0] and cfg["window"][1] <= bounds["end"], level


def test_projection_is_named_and_shifted() -> None:
    """The 2030 file calls itself a projection and shifts the 2025 windows by five years, except
    the national congress, moved off Tết 2031 (a public holiday in the holidays package)."""
    doc, base = _load("xv-2030-projection"), _load("xiv-2025")
    assert "PROJECTION" in doc["name_en"] and "DỰ PHÓNG" in doc["name_vi"]
    assert doc["projection"] == {**doc["projection"], "from": "xiv-2025", "shift_years": 5}
    for level in ("central", "commune", "grassroots"):
        shifted = [d.replace(year=d.year + 5) for d in base["levels"][level]["window"]]
        assert doc["levels"][level]["window"] == shifted, level
    start, end = doc["levels"]["national"]["window"]
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    tet = holidays.country_holidays("VN", years=[2031])
    assert not [d for d in days if d in tet]
    assert (
        load_rulebook().law_for_election(doc["election"]["day"]).id.endswith("election-law-83-2025")
    )
