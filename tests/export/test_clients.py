"""Feeds as a real subscription client sees them (issue 19, F1 and F5): ``planner serve`` on
127.0.0.1 and vdirsyncer's ``http`` storage synced into a ``filesystem`` storage."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import icalendar
import pytest

from planner.export.ical import export_feeds
from planner.export.serve import FeedServer, make_server

from .test_ical import _plan, _tree

VDIRSYNCER = shutil.which("vdirsyncer", path=str(Path(sys.executable).parent)) or shutil.which(
    "vdirsyncer"
)
pytestmark = pytest.mark.skipif(VDIRSYNCER is None, reason="vdirsyncer is not installed")

CONFIG = """[general]
status_path = "{root}/status/"

[pair feed]
a = "remote"
b = "local"
collections = null
partial_sync = "ignore"
conflict_resolution = "a wins"

[storage remote]
type = "http"
url = "{url}"

[storage local]
type = "filesystem"
path = "{root}/local/"
fileext = ".ics"
"""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, FeedServer]]:
    """The tiny scenario's feeds, served on a free port of 127.0.0.1."""
    scenario, plan = _plan()
    folder = tmp_path / "feeds"
    export_feeds(plan, scenario, _tree(), folder)
    server = make_server(folder, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield folder, server
    finally:
        server.shutdown()
        server.server_close()


def _sync(server: FeedServer, feed: str, root: Path) -> subprocess.CompletedProcess[str]:
    """``vdirsyncer discover`` (first time) and ``sync`` of one feed into ``root/local``."""
    host, port = server.server_address[:2]
    config = root / "config"
    if not config.exists():
        (root / "local").mkdir(parents=True)
        config.write_text(CONFIG.format(root=root, url=f"http://{host}:{port}/{feed}"))
        discover = subprocess.run(
            [str(VDIRSYNCER), "-c", str(config), "discover"],
            input="",
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert discover.returncode == 0, discover.stderr
    return subprocess.run(
        [str(VDIRSYNCER), "-c", str(config), "sync"],
        input="",
        capture_output=True,
        text=True,
        timeout=120,
    )


def _local(root: Path) -> list[icalendar.cal.Component]:
    """Every event vdirsyncer stored, one file per item."""
    items = sorted((root / "local").glob("*.ics"))
    return [e for p in items for e in icalendar.Calendar.from_ical(p.read_bytes()).walk("VEVENT")]


def _content(event: icalendar.cal.Component) -> tuple[str, str, str]:
    return str(event["SUMMARY"]), event["DTSTART"].to_ical().decode(), str(event["DESCRIPTION"])


@pytest.mark.parametrize("feed", ["election.ics", "central-a.ics", "level-district.ics"])
def test_vdirsyncer_keeps_every_event(
    served: tuple[Path, FeedServer], tmp_path: Path, feed: str
) -> None:
    """F1: a feed synced by vdirsyncer arrives whole: one item per event, each event once (a
    calendar-level UID made vdirsyncer keep 1 event of 34). vdirsyncer's ``http`` storage
    replaces UIDs by content hashes, so events are compared by what they say."""
    folder, server = served
    sync = _sync(server, feed, tmp_path / "client")
    assert sync.returncode == 0, sync.stderr
    sent = icalendar.Calendar.from_ical((folder / feed).read_bytes())
    assert "UID" not in sent
    expected = sorted(map(_content, sent.walk("VEVENT")))
    assert len(expected) > 1
    assert sorted(map(_content, _local(tmp_path / "client"))) == expected


def test_vdirsyncer_accepts_a_retired_feed(served: tuple[Path, FeedServer], tmp_path: Path) -> None:
    """F5: a feed retired by a later export replaces the subscriber's events with its cancelled
    placeholder; vdirsyncer does not stop with "completely emptied" and keep the old ones."""
    folder, server = served
    root = tmp_path / "client"
    first = _sync(server, "central-b.ics", root)
    assert first.returncode == 0, first.stderr
    assert len(_local(root)) > 1
    scenario, plan = _plan()
    export_feeds(plan[~plan["org_id"].isin(["b", "b1"])], scenario, _tree(), folder)
    second = _sync(server, "central-b.ics", root)
    assert second.returncode == 0, second.stderr + second.stdout
    assert "emptied" not in second.stderr
    (placeholder,) = _local(root)
    assert str(placeholder["STATUS"]) == "CANCELLED"
