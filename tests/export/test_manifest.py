"""manifest.json: SEQUENCE never goes down — across changes, after the old format, after a lost
manifest — and a feed folder keeps one scenario, its unchanged files and its old feed URLs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import icalendar
import pytest

from planner.errors import PlannerError
from planner.export.ical import export_feeds, uid_for
from planner.export.lint import lint_feed

from ..tiny import tiny_scenario
from .test_ical import _plan, _tree


def _sequences(folder: Path) -> dict[str, int]:
    """UID → SEQUENCE over every feed of a folder, read with icalendar."""
    out: dict[str, int] = {}
    for path in folder.glob("*.ics"):
        for event in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"):
            uid, sequence = str(event["UID"]), int(event["SEQUENCE"])
            assert out.setdefault(uid, sequence) == sequence, uid  # same in every feed
    return out


def test_sequence_never_goes_down(tmp_path: Path) -> None:
    """Plan A, then B (moved), then A again: every SEQUENCE only grows, and grows exactly
    where the event changed."""
    scenario, first = _plan()
    changed, second = _plan("levels.central.window=[2020-02-10, 2020-02-20]")
    export_feeds(first, scenario, _tree(), tmp_path / "f")
    one = _sequences(tmp_path / "f")
    export_feeds(second, changed, _tree(), tmp_path / "f")
    two = _sequences(tmp_path / "f")
    export_feeds(first, scenario, _tree(), tmp_path / "f")
    three = _sequences(tmp_path / "f")
    central = {uid_for("tiny", "congress:a"), uid_for("tiny", "congress:b")}
    for uid in one:
        assert one[uid] <= two[uid] <= three[uid], uid
    assert all(two[u] == one[u] + 1 and three[u] == two[u] + 1 for u in central)
    assert two[uid_for("tiny", "election:el.voting")] == 0


def test_old_format_manifest_is_read_and_every_event_raised(tmp_path: Path) -> None:
    """A manifest of the first format ({uid: {hash, sequence, dates}}) is honoured: every event
    still in the plan gets its old SEQUENCE + 1 (its text changed with this version), an event
    gone from the plan keeps its SEQUENCE."""
    scenario, plan = _plan()
    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "overview.ics").write_bytes(b"old feed")
    old = {
        uid_for("tiny", "congress:a"): {
            "hash": "x",
            "sequence": 4,
            "dates": "2020-02-01/2020-02-02",
        },
        uid_for("tiny", "congress:gone"): {
            "hash": "y",
            "sequence": 7,
            "dates": "2020-01-01/2020-01-01",
        },
    }
    (folder / "manifest.json").write_text(json.dumps({"scenario": "tiny", "events": old}), "utf-8")
    result = export_feeds(plan, scenario, _tree(), folder)
    assert _sequences(folder)[uid_for("tiny", "congress:a")] == 5
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == 2
    assert re.fullmatch(r"\S+ 7 \d+ 1 -", manifest["events"]["congress"]["gone"])
    assert result.note and "old-format" in result.note


def test_lost_manifest_is_rebuilt_from_the_feeds(tmp_path: Path) -> None:
    """Without manifest.json, the SEQUENCE values in the folder's own feeds are the floor, and
    every event goes one above (what changed is unknown); the change log says so."""
    scenario, plan = _plan()
    changed, moved = _plan("levels.central.window=[2020-02-10, 2020-02-20]")
    folder = tmp_path / "feeds"
    export_feeds(plan, scenario, _tree(), folder)
    export_feeds(moved, changed, _tree(), folder)
    before = _sequences(folder)
    (folder / "manifest.json").unlink()
    result = export_feeds(moved, changed, _tree(), folder)
    after = _sequences(folder)
    assert after == {uid: sequence + 1 for uid, sequence in before.items()}
    assert result.note and "rebuilt" in result.note


def test_unchanged_feeds_keep_their_file(tmp_path: Path) -> None:
    """A feed whose bytes did not change is carried over (same inode, same mtime: the server's
    Last-Modified stays), a changed one is rewritten; the folder itself is a new one."""
    scenario, plan = _plan()
    changed, moved = _plan("levels.central.window=[2020-02-10, 2020-02-20]")
    folder = tmp_path / "feeds"
    export_feeds(plan, scenario, _tree(), folder)
    election = (folder / "election.ics").stat()
    overview = (folder / "overview.ics").stat()
    export_feeds(moved, changed, _tree(), folder)
    assert (folder / "election.ics").stat().st_mtime_ns == election.st_mtime_ns
    assert (folder / "election.ics").stat().st_ino == election.st_ino
    assert (folder / "overview.ics").stat().st_ino != overview.st_ino


def test_feeds_that_disappear_are_emptied_not_deleted(tmp_path: Path) -> None:
    """A feed no longer in the catalogue stays at its URL as a valid calendar (its subscribers
    see its events go, not an error), listed as retired in the index; other files placed in the
    folder are kept. F5: it holds one cancelled placeholder event with the reason and a stable
    UID (an empty feed makes vdirsyncer stop with "completely emptied")."""
    scenario, plan = _plan()
    folder = tmp_path / "feeds"
    export_feeds(plan, scenario, _tree(), folder)
    (folder / "robots.txt").write_text("User-agent: *\n", encoding="utf-8")
    (folder / ".htaccess").write_text("AddType text/calendar .ics\n", encoding="utf-8")
    without_b = plan[~plan["org_id"].isin(["b", "b1"])]
    export_feeds(without_b, scenario, _tree(), folder)
    data = (folder / "central-b.ics").read_bytes()
    assert lint_feed(data, "central-b.ics") == []
    (placeholder,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert str(placeholder["STATUS"]) == "CANCELLED"
    assert str(placeholder["UID"]) == "tiny.retired.central-b@planner"
    assert "index.html" in str(placeholder["DESCRIPTION"])
    export_feeds(without_b, scenario, _tree(), folder)  # stays byte for byte the same
    assert (folder / "central-b.ics").read_bytes() == data
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    assert index["retired"] == ["central-b.ics", "role-central.b.ics"]  # and its role feed
    assert (folder / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\n"
    assert (folder / ".htaccess").read_text(encoding="utf-8") == "AddType text/calendar .ics\n"


def test_one_scenario_per_folder(tmp_path: Path) -> None:
    """Exporting another scenario into a folder would replace every UID: refused."""
    scenario, plan = _plan()
    export_feeds(plan, scenario, _tree(), tmp_path / "feeds")
    other = tiny_scenario(text=tiny_scenario().text.replace('id = "tiny"', 'id = "other"'))
    with pytest.raises(PlannerError) as err:
        export_feeds(plan, other, _tree(), tmp_path / "feeds")
    assert "tiny" in err.value.message_en and err.value.field == "--out"
