"""The browser's working scenario: validated edits, undo, reset, uploads, auto-save."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from planner.errors import PlannerError
from planner.hierarchy import Level
from planner.ui.state import MAX_UPLOAD_BYTES, WorkingScenario, user_data_dir


def test_apply_undo_reset(tmp_path: Path) -> None:
    """A valid change applies, a later change of the same key replaces it, undo walks back."""
    state = WorkingScenario.builtin()
    state.apply(["levels.central.daily_capacity=2"])
    state.apply(["levels.central.daily_capacity=3", "gaps.child_before_parent_days=5"])
    assert state.sets == ["levels.central.daily_capacity=3", "gaps.child_before_parent_days=5"]
    assert state.scenario().levels[Level.CENTRAL].daily_capacity == 3
    assert state.undo() and state.sets == ["levels.central.daily_capacity=2"]
    state.reset()
    assert state.sets == [] and state.undo() and state.sets == ["levels.central.daily_capacity=2"]


def test_bad_change_leaves_state_untouched() -> None:
    """An invalid edit raises a bilingual error and changes nothing."""
    state = WorkingScenario.builtin()
    state.apply(["levels.central.daily_capacity=2"])
    with pytest.raises(PlannerError):
        state.apply(["election.day=2021-05-22"])
    assert state.sets == ["levels.central.daily_capacity=2"]


def test_save_and_load_survive_a_restart(tmp_path: Path) -> None:
    """The state saved under the user folder comes back; a corrupt file falls back safely."""
    state = WorkingScenario.builtin()
    state.apply(["levels.central.window=[2020-09-15, 2020-10-25]"])
    path = state.save(tmp_path)
    assert path.parent == tmp_path
    again = WorkingScenario.load(tmp_path)
    assert again.sets == state.sets and again.history == state.history
    path.write_text("{broken", encoding="utf-8")
    assert WorkingScenario.load(tmp_path).sets == []


def test_upload_validates_and_limits(tmp_path: Path) -> None:
    """A good upload replaces the base; bad TOML, bad values and huge files are refused."""
    state = WorkingScenario.builtin()
    state.apply(["levels.central.daily_capacity=2"])
    text = (Path("data") / "scenarios" / "xiii-2020.toml").read_text(encoding="utf-8")
    for bad in (b"[horizon\n", text.replace("day = 2021-05-23", "day = 2021-05-22").encode()):
        with pytest.raises(PlannerError):
            state.upload(bad, "bad.toml")
        assert state.sets == ["levels.central.daily_capacity=2"]
    with pytest.raises(PlannerError) as err:
        state.upload(b"#" * (MAX_UPLOAD_BYTES + 1), "huge.toml")
    assert "KiB" in err.value.message_en
    state.upload(text.replace("daily_capacity = 8", "daily_capacity = 7").encode(), "mine.toml")
    assert state.base_name == "mine.toml" and state.sets == []
    assert state.scenario().levels[Level.CENTRAL].daily_capacity == 7


def test_to_toml_round_trip() -> None:
    """The downloaded TOML carries every change and loads as the same scenario."""
    state = WorkingScenario.builtin()
    state.apply(["levels.central.window=[2020-09-15, 2020-10-25]", "levels.central.days=2"])
    raw = tomllib.loads(state.to_toml())
    assert raw["levels"]["central"]["window"] == [dt.date(2020, 9, 15), dt.date(2020, 10, 25)]
    assert raw["levels"]["central"]["days"] == 2


def test_user_data_dir_is_outside_the_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """The state lives in $PLANNER_HOME or the XDG data folder, never in the checkout."""
    monkeypatch.setenv("PLANNER_HOME", "/tmp/planner-home-test")
    assert user_data_dir() == Path("/tmp/planner-home-test")
    monkeypatch.delenv("PLANNER_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", "/tmp/xdg")
    assert user_data_dir() == Path("/tmp/xdg/planner")
