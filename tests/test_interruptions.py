"""A write either completes or leaves the old file intact (issue 12): SIGTERM and SIGINT at
any moment of ``solve --out``, a full disk (a file-size limit), and failures inside the write
itself. No half-written file, no temporary file left behind."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planner.errors import PlannerError
from planner.files.fsio import atomic_write_bytes
from planner.plan.frame import read_plan

from .conftest import QUICK_ARGS

QUICK = QUICK_ARGS


def _solve(out: Path, *extra: str, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "planner", "solve", "--out", str(out), "--deterministic", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def old_plan(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A valid plan written by a finished solve (the file the user already has)."""
    path = tmp_path_factory.mktemp("old") / "plan.csv"
    done = _solve(path, *QUICK)
    _out, err = done.communicate(timeout=300)
    assert done.returncode == 0, err
    return path.read_bytes()


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".part")]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
@pytest.mark.parametrize("delay", [0.3, 1.0, 2.0, 3.5])
def test_a_signal_never_leaves_a_broken_plan(
    old_plan: bytes, tmp_path: Path, sig: signal.Signals, delay: float
) -> None:
    """Whenever the signal comes, the file is the old plan or a complete new one."""
    out = tmp_path / "plan.csv"
    out.write_bytes(old_plan)
    process = _solve(out)  # the built-in scenario: a 1,890-row plan
    time.sleep(delay)
    process.send_signal(sig)
    _stdout, stderr = process.communicate(timeout=300)
    assert "Traceback" not in stderr
    data = out.read_bytes()
    if data != old_plan:  # it wrote first (the signal may still come while it exits)
        assert process.returncode in (0, 130, -sig), stderr
        frame = read_plan(out)
        assert (frame["kind"] == "congress").sum() == 1819
    else:
        assert process.returncode in (0, 130), stderr
    assert _leftovers(tmp_path) == []


def test_a_full_disk_keeps_the_old_plan(old_plan: bytes, tmp_path: Path) -> None:
    """With room for 64 KiB only (ulimit -f), the 1,890-row plan cannot be written: exit 2,
    one bilingual line, the old file unchanged, no temporary file left."""
    out = tmp_path / "plan.csv"
    out.write_bytes(old_plan)
    limit = 64 * 1024

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    process = _solve(out, preexec_fn=small_disk)
    _stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 2, stderr
    assert "plan.csv" in stderr and "Lỗi" in stderr and "Error" in stderr
    assert "Traceback" not in stderr
    assert out.read_bytes() == old_plan
    assert _leftovers(tmp_path) == []


class _Boom(Exception):
    pass


def test_a_failure_inside_the_write_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rename is the commit point: a failure before it (here, in fsync) changes nothing."""
    target = tmp_path / "plan.csv"
    target.write_bytes(b"old")

    def fail(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(PlannerError) as err:
        atomic_write_bytes(target, b"new" * 1000)
    assert "No space left" in err.value.message_en
    assert target.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def test_an_interrupt_inside_the_write_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plan.csv"
    target.write_bytes(b"old")

    def interrupt(_src: object, _dst: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_a_long_search_and_writes_nothing(
    old_plan: bytes, tmp_path: Path, sig: signal.Signals
) -> None:
    """A signal in the middle of a long CP-SAT search (nationwide, one model, a 300 s budget)
    stops it: exit 130, the old file kept. Before planner.interrupt, CP-SAT took Ctrl-C for
    "time limit reached" and wrote the plan, or ran on until its limit for SIGTERM."""
    out = tmp_path / "plan.csv"
    out.write_bytes(old_plan)
    process = _solve(
        out,
        str(Path(__file__).parents[1] / "data" / "scenarios" / "xiii-2020-full.toml"),
        "--strategy",
        "monolithic",
        "--time-limit",
        "300",
    )
    time.sleep(4.0)
    assert process.poll() is None  # still searching
    started = time.monotonic()
    process.send_signal(sig)
    _stdout, stderr = process.communicate(timeout=120)
    waited = time.monotonic() - started
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "Exception ignored" not in stderr
    assert "Interrupted" in stderr and "Đã dừng" in stderr
    assert out.read_bytes() == old_plan
    assert _leftovers(tmp_path) == []
    assert waited < 100  # far below the 300 s budget: the search was stopped, not finished
