"""Preparation steps (issue 20): the per-cycle data, the scenario keys, the steps and plan rows."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from planner.errors import PlannerError
from planner.preparation import load_preparation
from planner.scenario import load_scenario, tree_for

from .conftest import DATA

D = dt.date
SCENARIOS = DATA / "scenarios"


def test_each_cycle_has_data_or_says_none() -> None:
    """2020 and 2025 carry rules and bodies; 2015 and the 2030 projection say 'no data'."""
    p20, p25 = load_preparation("xiii-2020"), load_preparation("xiv-2025")
    assert (p20.status, p25.status) == ("data", "data")
    assert len(p20.groups()) == 3 and len(p25.groups()) == 4
    for data in (p20, p25):
        assert {r.family for r in data.ruleset or ()} >= {
            "review",
            "announce",
            "report",
            "approval",
            "milestone",
        }
    review = p20.rule("review")
    assert review is not None and review.param("lead_days") == 20
    assert (review.param("window_start"), review.param("window_end")) == (
        D(2020, 7, 23),
        D(2020, 9, 27),
    )
    assert p25.rule("review").param("lead_days") == 14  # type: ignore[union-attr]
    lower = p25.rule("lower_approval")
    assert lower is not None and lower.param("enabled") is False and lower.status == "belief"
    assert p20.rule("announce").status == "belief"  # type: ignore[union-attr]
    for cycle in ("xii-2015", "xv-2030"):
        none = load_preparation(cycle)
        assert none.status == "none" and none.note_vi and none.note_en


@pytest.mark.parametrize(
    ("scenario", "whole"),
    [
        ("xiii-2020", {"p01", "p79", "c-army", "c-police"}),
        ("xiv-2025", {"p01", "p79", "c-army", "c-police", "c-party-agencies"}),
    ],
)
def test_whole_politburo_reviews_named_committees(scenario: str, whole: set[str]) -> None:
    """The committees the whole Politburo reviews are org ids of the cycle's tree."""
    loaded = load_scenario(SCENARIOS / f"{scenario}.toml")
    assert loaded.preparation is not None
    tree = tree_for(loaded)
    body = loaded.preparation.data.body("politburo")
    assert set(body.reviews) == whole
    assert all(org in tree for org in body.reviews)


def test_scenario_keys_change_the_values() -> None:
    """Every preparation value is a scenario key with the data's default."""
    default = load_scenario().preparation
    assert default is not None and default.active
    assert (default.review_lead_days, default.group_capacity) == (20, 2)
    assert default.review_window == (D(2020, 7, 23), D(2020, 9, 27))
    assert default.step_levels == ("central",)
    changed = load_scenario(
        sets=[
            "preparation.review_lead_days=30",
            "preparation.group_capacity=3",
            "preparation.announce_working_days=20",
            'preparation.review_window=["2020-07-01", "2020-09-30"]',
            'preparation.step_levels=["central", "district"]',
        ]
    ).preparation
    assert changed is not None
    assert (changed.review_lead_days, changed.group_capacity) == (30, 3)
    assert changed.announce_working_days == 20
    assert changed.review_window == (D(2020, 7, 1), D(2020, 9, 30))
    assert changed.step_levels == ("central", "district")
    assert not load_scenario(sets=["preparation.enabled=false"]).preparation.active  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "setting",
    ["preparation.group_capacity=0", "preparation.review_lead_days=-1", "preparation.bogus=1"],
)
def test_bad_preparation_value_is_bilingual(setting: str) -> None:
    """A value out of range (or an unknown key) is a bilingual error naming the key."""
    with pytest.raises(PlannerError) as err:
        load_scenario(sets=[setting])
    assert "preparation" in err.value.message_vi and "preparation" in err.value.message_en


def test_broken_preparation_file_names_file_line_field(tmp_path: Path) -> None:
    """A body with a bad capacity is refused with the file, the line and the field."""
    root = tmp_path / "data"
    (root / "rules").mkdir(parents=True)
    shutil.copy(DATA / "preparation.toml", root / "preparation.toml")
    text = (DATA / "rules" / "preparation-2020.toml").read_text(encoding="utf-8")
    broken = text.replace(
        'id = "group-2"\nkind = "group"', 'id = "group-2"\nkind = "group"\ncapacity_x = 1'
    ).replace('capacity = 2\nweekdays_off = ["sunday"]\nstatus = "verified"\n[bodies.source]\n'
              'document = "Kết luận 79-KL/TW ngày 16/6/2020 của Bộ Chính trị"\n'
              'url = "https://thanhnien', 'capacity = "two"\nweekdays_off = ["sunday"]\n'
              'status = "verified"\n[bodies.source]\n'
              'document = "Kết luận 79-KL/TW ngày 16/6/2020 của Bộ Chính trị"\n'
              'url = "https://thanhnien', 1)  # fmt: skip
    (root / "rules" / "preparation-2020.toml").write_text(broken, encoding="utf-8")
    with pytest.raises(PlannerError) as err:
        load_preparation("xiii-2020", root)
    exc = err.value
    assert exc.field == "bodies.group-2.capacity"
    assert exc.file and exc.file.endswith("preparation-2020.toml") and exc.line
    assert "capacity" in exc.message_vi and "capacity" in exc.message_en
