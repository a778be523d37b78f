"""The browser's working copy: validated edits, merging two edits, uploads, TOML, captions."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from planner.errors import PlannerError
from planner.scenario.reader import default_scenario_path
from planner.store.scenarios import Version
from planner.tree.hierarchy import Level
from planner.ui.captions import election_followers, follow_day
from planner.ui.state import (
    MAX_UPLOAD_BYTES,
    WorkingScenario,
    changed_keys,
    merge_edits,
    merge_sets,
    read_upload,
)

TEXT = default_scenario_path().read_text(encoding="utf-8")


def _copy(*sets: str) -> WorkingScenario:
    return WorkingScenario("doc", 1, TEXT, "xiii-2020.toml", list(sets))


def _version(number: int, *sets: str, text: str = TEXT) -> Version:
    return Version("doc", number, None, "xiii-2020.toml", text, tuple(sets), "An", "", "")


def test_changes_validate_and_replace_by_key() -> None:
    """A later change of the same key replaces the earlier; a bad one changes nothing."""
    copy = _copy("levels.central.daily_capacity=2")
    merged = copy.changed(["levels.central.daily_capacity=3", "gaps.child_before_parent_days=5"])
    assert merged == ["levels.central.daily_capacity=3", "gaps.child_before_parent_days=5"]
    assert copy.sets == ["levels.central.daily_capacity=2"]  # nothing modified in place
    with pytest.raises(PlannerError):
        copy.changed(["election.day=2021-05-22"])
    assert merge_sets(["a=1", "b=2"], ["a=3"]) == ["b=2", "a=3"]
    assert changed_keys(["a=1", "b=2"], ["a=1", "b=3", "c=1"]) == {"b", "c"}


def test_merge_when_keys_differ_and_refuse_when_they_overlap() -> None:
    """Two edits of v1 merge when they touch different keys; the same key, or a new base file,
    cannot merge (the user must choose)."""
    base = _version(1, "levels.central.buffer_days=3")
    theirs = _version(2, "levels.central.buffer_days=3", "levels.central.daily_capacity=4")
    mine = _copy("levels.central.buffer_days=3", "gaps.child_before_parent_days=2")
    merged, both = merge_edits(base, mine, theirs)
    assert both == set() and merged is not None
    assert sorted(merged) == sorted(
        [
            "levels.central.buffer_days=3",
            "levels.central.daily_capacity=4",
            "gaps.child_before_parent_days=2",
        ]
    )
    clash = _copy("levels.central.buffer_days=3", "levels.central.daily_capacity=5")
    assert merge_edits(base, clash, theirs) == (None, {"levels.central.daily_capacity"})
    undo = _copy()  # mine removed buffer_days: the merge removes it too
    merged, _ = merge_edits(base, undo, _version(2, "levels.central.buffer_days=3", "x.y=1"))
    assert merged == ["x.y=1"]
    uploaded = _version(2, text=TEXT.replace("daily_capacity = 8", "daily_capacity = 7"))
    assert merge_edits(base, mine, uploaded)[0] is None


def test_upload_is_validated_and_limited() -> None:
    """Good files load; bad TOML, bad values, non-UTF-8, huge and deeply nested files are
    refused with the file name and a bilingual message."""
    text, scenario = read_upload(TEXT.encode(), "mine.toml")
    assert text == TEXT and scenario.levels[Level.CENTRAL].daily_capacity == 8
    bad_inputs = [
        b"[horizon\n",
        TEXT.replace("day = 2021-05-23", "day = 2021-05-22").encode(),
        b"\xff\xfe",
        b"#" * (MAX_UPLOAD_BYTES + 1),
        b"a = " + b"[" * 50_000 + b"]" * 50_000,
    ]
    for data in bad_inputs:
        with pytest.raises(PlannerError) as error:
            read_upload(data, "bad.toml")
        assert error.value.file == "bad.toml"
        assert error.value.message_vi and error.value.message_en
    with pytest.raises(PlannerError) as error:
        read_upload(b"#" * (MAX_UPLOAD_BYTES + 1), "huge.toml")
    assert "512 KiB" in error.value.message_en


def test_to_toml_round_trip() -> None:
    """The downloaded TOML carries every change and loads as the same scenario."""
    copy = _copy("levels.central.window=[2020-09-15, 2020-10-25]", "levels.central.days=2")
    raw = tomllib.loads(copy.to_toml())
    assert raw["levels"]["central"]["window"] == [dt.date(2020, 9, 15), dt.date(2020, 10, 25)]
    assert raw["levels"]["central"]["days"] == 2


def test_names_follow_election_day() -> None:
    """Moving election day rewrites the names that carry it, in every spelling."""
    scenario = _copy().scenario()
    extra = election_followers(scenario, ["election.day=2021-05-30"])
    assert [e.split("=", 1)[0] for e in extra] == ["name_vi", "name_en"]
    moved = _copy("election.day=2021-05-30", *extra).scenario()
    assert "30/5/2021" in moved.name_vi and "23/5/2021" not in moved.name_vi
    assert "30/5/2021" in moved.name_en
    assert election_followers(scenario, ["levels.central.days=2"]) == []
    assert election_followers(scenario, ["election.day=2021-05-23"]) == []
    old, new = dt.date(2021, 5, 23), dt.date(2021, 5, 30)
    assert follow_day("23/05/2021 · 2021-05-23 · 23/5/2021", old, new) == (
        "30/05/2021 · 2021-05-30 · 30/5/2021"
    )


def test_user_data_dir_is_outside_the_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """The data live in $PLANNER_HOME or the XDG data folder, never in the checkout."""
    from planner.store.db import planner_home

    monkeypatch.setenv("PLANNER_HOME", "/tmp/planner-home-test")
    assert planner_home() == Path("/tmp/planner-home-test")
    monkeypatch.delenv("PLANNER_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", "/tmp/xdg")
    assert planner_home() == Path("/tmp/xdg/planner")
