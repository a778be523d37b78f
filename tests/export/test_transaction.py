"""A feed export is one transaction (issue 12, 'nothing lost'): killed while writing, while
swapping, or by a power loss between the two renames, the previous folder stays intact and
readable, and the next export never lowers a SEQUENCE."""

from __future__ import annotations

import errno
import json
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import icalendar
import pytest

from planner.errors import PlannerError
from planner.export.ical import export_feeds
from planner.export.lint import lint_feed
from planner.files import fsio

from .test_ical import _plan, _tree
from .test_manifest import _sequences

REPO = Path(__file__).resolve().parents[2]
MOVED = "levels.central.window=[2020-02-10, 2020-02-20]"

# The real export in a child process, paused (never altered) at one point so that the test
# can kill it there: after 3 files of the new folder, or between the two renames of the swap.
CHILD = r"""
import os, signal, sys, time
from pathlib import Path
import planner.files.fsio as fsio
from planner.export.ical import export_feeds
from tests.export.test_ical import _plan, _tree

mode, folder, marker = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
scenario, plan = _plan(sys.argv[4])
write, rename = fsio.FolderStage.write, os.rename

def paused_write(self, name, data):
    write(self, name, data)
    if len(self.names) == 3:
        marker.write_text("paused")
        time.sleep(60)

def paused_rename(src, dst):
    rename(src, dst)
    if not marker.exists():
        marker.write_text("paused")
        if mode == "power-loss":
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(3)  # SIGTERM arrives now, and is held until the swap is complete

if mode == "writing":
    fsio.FolderStage.write = paused_write
else:
    fsio.os.rename = paused_rename
export_feeds(plan, scenario, _tree(), folder)
"""


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _run_until_paused(mode: str, folder: Path, tmp_path: Path) -> subprocess.Popen[bytes]:
    marker = tmp_path / f"{mode}.marker"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, mode, str(folder), str(marker), MOVED],
        cwd=REPO,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert child.poll() is None, child.stderr.read().decode() if child.stderr else ""
        assert time.monotonic() < deadline, "the child export never reached the pause"
        time.sleep(0.05)
    return child


def _readable(folder: Path) -> None:
    for path in folder.glob("*.ics"):
        assert lint_feed(path.read_bytes(), path.name) == [], path.name
        icalendar.Calendar.from_ical(path.read_bytes())


def _leftovers(folder: Path) -> list[str]:
    """Folders beside ``folder`` other than the version it publishes."""
    current = folder.resolve()
    return sorted(
        p.name for p in folder.parent.glob(f".{folder.name}.*") if p.is_dir() and p != current
    )


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """A folder with the tiny scenario's feeds, as subscribers see them."""
    scenario, plan = _plan()
    export_feeds(plan, scenario, _tree(), tmp_path / "feeds")
    return tmp_path / "feeds"


def test_sigterm_while_writing_leaves_the_old_folder(published: Path, tmp_path: Path) -> None:
    """SIGTERM in the middle of writing: the folder is byte for byte the previous one; the
    next export clears the half-built folder and raises SEQUENCE from the previous values."""
    before, sequences = _snapshot(published), _sequences(published)
    child = _run_until_paused("writing", published, tmp_path)
    child.send_signal(signal.SIGTERM)
    assert child.wait(timeout=30) == -signal.SIGTERM
    assert _snapshot(published) == before
    _readable(published)
    assert _leftovers(published)  # the half-built folder, for the next export to clear
    scenario, moved = _plan(MOVED)
    export_feeds(moved, scenario, _tree(), published)
    assert _leftovers(published) == []
    after = _sequences(published)
    assert all(after[uid] >= sequence for uid, sequence in sequences.items())
    assert after != sequences


def test_sigterm_during_the_swap_is_held_until_it_is_complete(
    published: Path, tmp_path: Path
) -> None:
    """SIGTERM between the two renames is delivered only after the second: the folder is the
    complete new one, never missing, never half old and half new."""
    child = _run_until_paused("swapping", published, tmp_path)
    child.send_signal(signal.SIGTERM)
    assert child.wait(timeout=30) == -signal.SIGTERM
    _readable(published)
    expected = tmp_path / "expected"  # the same two exports, not interrupted
    for sets in ((), (MOVED,)):
        scenario, plan = _plan(*sets)
        export_feeds(plan, scenario, _tree(), expected)
    assert _snapshot(published) == _snapshot(expected)


def test_power_loss_while_a_folder_becomes_a_symlink(tmp_path: Path) -> None:
    """A folder exported before the feeds were published through a symlink, killed right
    after it was moved aside: the next export puts it back first."""
    scenario, plan = _plan()
    folder = tmp_path / "feeds"
    export_feeds(plan, scenario, _tree(), folder)
    real = folder.resolve()
    folder.unlink()
    real.rename(folder)  # the layout of an earlier version: a plain folder
    before = _snapshot(folder)
    aside = tmp_path / ".feeds.old-x"
    folder.rename(aside)  # what the swap does first, then the power went
    assert fsio.recover_folder(folder) == ["restored feeds from .feeds.old-x"]
    assert _snapshot(folder) == before
    export_feeds(plan, scenario, _tree(), folder)
    assert folder.is_symlink() and _snapshot(folder) == before and _leftovers(folder) == []


def test_power_loss_between_the_renames_is_recovered(published: Path, tmp_path: Path) -> None:
    """Killed outright (SIGKILL, as a power loss) after the new folder was renamed into place
    but before it was published: the old folder is still the published one, whole; the next
    export clears the unpublished version first, then exports as usual."""
    before, sequences = _snapshot(published), _sequences(published)
    child = _run_until_paused("power-loss", published, tmp_path)
    assert child.wait(timeout=30) == -signal.SIGKILL
    assert _snapshot(published) == before and _leftovers(published)
    assert fsio.recover_folder(published)
    assert _leftovers(published) == []
    assert _snapshot(published) == before
    scenario, moved = _plan(MOVED)
    export_feeds(moved, scenario, _tree(), published)
    after = _sequences(published)
    assert all(after[uid] >= sequence for uid, sequence in sequences.items())
    assert _leftovers(published) == []


def test_a_failed_write_changes_nothing(published: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk while writing: a bilingual error, the folder as it was, nothing left over."""
    before = _snapshot(published)
    write = fsio.FolderStage.write

    def full(self: fsio.FolderStage, name: str, data: bytes) -> None:
        if len(self.names) == 2:
            raise fsio.write_error(
                self.path / name, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            )
        write(self, name, data)

    monkeypatch.setattr(fsio.FolderStage, "write", full)
    scenario, moved = _plan(MOVED)
    with pytest.raises(PlannerError) as err:
        export_feeds(moved, scenario, _tree(), published)
    assert "No space" in err.value.message_en
    assert _snapshot(published) == before
    assert _leftovers(published) == []


def test_one_export_at_a_time(published: Path) -> None:
    """A second export into a folder being written is refused, not interleaved."""
    before = _snapshot(published)
    scenario, moved = _plan(MOVED)
    with pytest.raises(RuntimeError), fsio.replace_folder(published):
        with pytest.raises(PlannerError) as err:
            export_feeds(moved, scenario, _tree(), published)
        assert "another export" in err.value.message_en
        raise RuntimeError("abandon the outer transaction")
    assert _snapshot(published) == before


def test_the_published_folder_is_never_missing(
    published: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """F2: at every rename of the swap, the published path holds a complete set of feeds (the
    old one or the new one): readers never meet a missing folder (2 × 503 and 1 × 404 in
    322,450 requests when the folder was renamed away and back)."""
    seen: list[bool] = []

    def complete() -> bool:
        try:
            index = json.loads((published / "index.json").read_text(encoding="utf-8"))
            return all((published / feed["file"]).is_file() for feed in index["feeds"])
        except OSError:
            return False

    def watched(real: Callable[[Any, Any], None]) -> Callable[[Any, Any], None]:
        def rename(src: Any, dst: Any) -> None:
            seen.append(complete())
            real(src, dst)
            seen.append(complete())

        return rename

    monkeypatch.setattr(os, "rename", watched(os.rename))
    monkeypatch.setattr(os, "replace", watched(os.replace))
    scenario, moved = _plan(MOVED)
    export_feeds(moved, scenario, _tree(), published)
    monkeypatch.undo()
    assert seen and all(seen), seen
    assert published.is_symlink()
    assert _snapshot(published)["overview.ics"] != b""


def test_the_folder_honours_the_umask(tmp_path: Path) -> None:
    """F7: the exported folder and its files follow the umask (0755 and 0644 under 022), so
    the account running a web server can read another account's export (it was 0700)."""
    scenario, plan = _plan()
    previous = os.umask(0o022)
    try:
        export_feeds(plan, scenario, _tree(), tmp_path / "feeds")
        export_feeds(plan, scenario, _tree(), tmp_path / "feeds")  # a second swap, too
    finally:
        os.umask(previous)
    folder = (tmp_path / "feeds").resolve()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
    modes = {stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()}
    assert modes == {0o644}
