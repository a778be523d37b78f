"""Every feed read by Mozilla's ical.js (Thunderbird's parser) in Node, as a client would.

ical.js comes from npm (``tests/node/package.json``, pinned by its lock file): ``.ci/run``
installs it, and so does this module's set-up when it is missing (``npm ci``). Without Node
the tests are skipped with the command to run.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from planner.export.ical import export_feeds

from .conftest import Nationwide, uids
from .test_ical import _plan, _tree

NODE_DIR = Path(__file__).resolve().parents[1] / "node"
SCRIPT = NODE_DIR / "parse_feeds.mjs"
INSTALL = f"npm ci --prefix {NODE_DIR.relative_to(NODE_DIR.parents[1])}"


@pytest.fixture(scope="session")
def icaljs() -> Path:
    """The Node script, with ical.js installed (``npm ci`` on first use)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip(f"Node.js and npm are needed for the ical.js tests; then run: {INSTALL}")
    if not (NODE_DIR / "node_modules" / "ical.js" / "package.json").is_file():
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--prefix", str(NODE_DIR)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot install ical.js ({done.stderr.strip()[-200:]}); run: {INSTALL}")
    return SCRIPT


def parse(script: Path, files: list[Path]) -> list[dict[str, Any]]:
    """ical.js's reading of the feeds, in batches (command-line length)."""
    out: list[dict[str, Any]] = []
    for first in range(0, len(files), 200):
        done = subprocess.run(
            ["node", str(script), *(str(f) for f in files[first : first + 200])],
            capture_output=True,
            text=True,
            timeout=600,
            check=True,
        )
        out.extend(json.loads(done.stdout))
    return out


def test_tiny_feeds_read_by_icaljs(icaljs: Path, tmp_path: Path) -> None:
    """REFRESH-INTERVAL is a DURATION of 12 h (no longer 'unknown'), every event is read with
    valid dates, election day is 07:00 in Asia/Ho_Chi_Minh (not floating)."""
    scenario, plan = _plan()
    export_feeds(plan, scenario, _tree(), tmp_path)
    files = sorted(tmp_path.glob("*.ics"))
    for result in parse(icaljs, files):
        path = Path(result["file"])
        assert result["errors"] == [], (path.name, result["errors"][:3])
        assert (result["refresh_type"], result["refresh"]) == ("duration", "PT12H")
        assert result["uids"] == uids(path.read_bytes())
        if path.name == "election.ics":
            voting = dt.datetime(2020, 7, 5, 7, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
            assert result["voting"] == voting.timestamp()


def test_every_nationwide_feed_read_by_icaljs(icaljs: Path, nationwide: Nationwide) -> None:
    """All the nationwide feeds, the largest included: no error, every event read."""
    files = sorted(nationwide.folder.glob("*.ics"))
    results = parse(icaljs, files)
    assert len(results) == len(files)
    for result in results:
        assert result["errors"] == [], (result["file"], result["errors"][:3])
        assert result["refresh_type"] == "duration"
        assert result["events"] == Path(result["file"]).read_bytes().count(b"BEGIN:VEVENT")
    assert sum(r["events"] for r in results) > 100_000
