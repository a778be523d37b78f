"""Eras as data: levels, depths, the congress each level sends delegates to, broken files."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from planner.errors import DataFileError, UnknownIdError
from planner.tree.eras import era, era_on, load_eras
from planner.tree.hierarchy import Level
from tests.conftest import DATA, replace_once


def test_three_eras() -> None:
    """2015, 2020 and 2025; 2015 reuses the 2020 tree (CYCLES §1) and says it is a belief."""
    eras = load_eras()
    assert set(eras) == {"2015", "2020", "2025"}
    assert eras["2015"].same_tree_as == "2020" and eras["2015"].status == "belief"
    assert eras["2015"].levels == eras["2020"].levels


def test_2025_has_no_district_level() -> None:
    """The 2025 era: national → central → commune → grassroots; no level called district."""
    e = era("2025")
    assert e.level_ids() == ("national", "central", "commune", "grassroots")
    assert "district" not in e.level_ids()
    assert e.by_tier("upper_grassroots") is not None
    assert e.by_tier("upper_grassroots").id == "commune"  # type: ignore[union-attr]


@pytest.mark.parametrize("era_id", ["2020", "2025"])
def test_delegates_go_one_level_up(era_id: str) -> None:
    """Each level's congress elects delegates to the congress of the level right above it."""
    e = era(era_id)
    for level in e.levels:
        if level.depth == 0:
            assert level.delegates_to is None
        else:
            assert e.level(level.delegates_to or "").depth == level.depth - 1
        assert level.name_vi != level.name_en


def test_levels_are_the_eras_data() -> None:
    """A level's depth and Charter tier come from the era data: the 2025 commune level holds
    the rung directly above grassroots at the depth where 2020 had its district level, and no
    level of 2025 is called district."""
    commune, district = Level("commune"), Level("district")
    assert (
        (commune.depth, commune.tier)
        == (district.depth, district.tier)
        == (
            2,
            "upper_grassroots",
        )
    )
    assert "district" not in era("2025").level_ids()
    assert [Level(lv.id).depth for lv in era("2020").levels] == [0, 1, 2, 3]


def test_era_on_a_day() -> None:
    """The tree in effect: 2020's until 30/6/2025, 2025's from 1/7/2025."""
    assert era_on(dt.date(2025, 6, 30)).id == "2020"
    assert era_on(dt.date(2025, 7, 1)).id == "2025"
    assert era_on(dt.date(2015, 9, 15)).id == "2015"
    with pytest.raises(UnknownIdError):
        era_on(dt.date(1990, 1, 1))


def test_unknown_level_lists_the_era_levels() -> None:
    """Asking the 2025 era for the district level names the levels it has."""
    with pytest.raises(UnknownIdError) as err:
        era("2025").level("district")
    assert "commune" in err.value.message_en


BROKEN = [
    (
        'tier = "upper_grassroots"\ndepth = 2\ndelegates_to = "central"',
        'tier = "county"\ndepth = 2\ndelegates_to = "central"',
        "tier",
    ),
    ('depth = 3\ndelegates_to = "commune"', 'depth = 4\ndelegates_to = "commune"', "levels"),
    ('depth = 3\ndelegates_to = "commune"', 'depth = 3\ndelegates_to = "central"', "delegates_to"),
    ('same_tree_as = "2020"', 'same_tree_as = "1999"', "same_tree_as"),
    ('tree = "units"', 'tree = "csv"', "tree"),
]


@pytest.mark.parametrize(("old", "new", "field"), BROKEN)
def test_broken_eras(tmp_path: Path, old: str, new: str, field: str) -> None:
    """A bad eras file fails with a bilingual error naming the file, the field and a line."""
    folder = tmp_path / "orgs"
    shutil.copytree(DATA / "orgs", folder)
    replace_once(folder / "eras.toml", old, new)
    with pytest.raises(DataFileError) as err:
        load_eras(folder)
    assert err.value.file and err.value.file.endswith("eras.toml")
    assert field in (err.value.field or "")
    assert err.value.line is not None
    assert err.value.message_vi != err.value.message_en
