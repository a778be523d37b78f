"""The worker pool: more jobs than workers all finish with validated plans; cancel works queued
and running; a solve's plan, a re-plan and an export are stored by the worker itself."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from planner.analysis.validate import validate
from planner.problem.units import build_problem
from planner.store import plans, scenarios
from planner.store.db import Store
from planner.store.recovery import DEFAULT_DOCUMENT, open_store, read_scenario_text
from planner.tree.build import build_tree
from planner.ui.jobs import Pool, pool_size

from .ics import sequences


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return open_store(tmp_path / "home").store


@pytest.fixture
def pool() -> Iterator[Pool]:
    workers = Pool(size=2, grace=20.0)
    yield workers
    workers.shutdown()


def _payload(store: Store, sets: list[str], **extra: Any) -> dict[str, Any]:
    version = scenarios.load(store, DEFAULT_DOCUMENT)
    return {
        "base_text": version.base_text,
        "base_name": version.base_name,
        "sets": sets,
        "db": str(store.path),
        "content_key": scenarios.content_key(version.base_text, sets),
        "scenario": DEFAULT_DOCUMENT,
        "version": version.number,
        "author": "test",
        "time_limit": 1.0,
        **extra,
    }


def test_pool_size_comes_from_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cores ÷ 2 solver threads, at least one; PLANNER_POOL_SIZE overrides it."""
    monkeypatch.delenv("PLANNER_POOL_SIZE", raising=False)
    monkeypatch.setattr("os.cpu_count", lambda: 8)
    assert pool_size() == 4
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert pool_size() == 1
    monkeypatch.setenv("PLANNER_POOL_SIZE", "3")
    assert pool_size() == 3


def test_more_jobs_than_workers_all_finish_with_valid_plans(store: Store, pool: Pool) -> None:
    """Five solves on two workers: two run, three wait with their positions, all finish and
    every stored plan passes the independent validator."""
    variants = [[f"levels.central.buffer_days={k}"] for k in range(5)]
    jobs = [
        pool.submit("solve", _payload(store, sets), key=f"solve-{k}", owner="test")
        for k, sets in enumerate(variants)
    ]
    deadline = time.monotonic() + 30
    while pool.counts()[0] < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert pool.counts() == (2, 3)  # two run, three wait in order
    assert [pool.position(job) for job in jobs] == [0, 0, 1, 2, 3]
    tree = build_tree()
    for job, sets in zip(jobs, variants, strict=True):
        assert pool.wait(job, 240), job.state
        assert job.state == "done", job.error
        record = plans.get(store, job.result["plan_id"])
        assert record is not None and record.has_plan
        problem = build_problem(
            read_scenario_text(_payload(store, [])["base_text"], "x", sets), tree
        )
        assert validate(problem, plans.plan_frame(store, record.id), complete=True).ok
    assert pool.counts() == (0, 0)


def test_identical_requests_share_one_job(store: Store, pool: Pool) -> None:
    """A refresh or a second tab asking for the same work joins the running job."""
    first = pool.submit("solve", _payload(store, []), key="same", owner="a")
    second = pool.submit("solve", _payload(store, []), key="same", owner="b")
    assert second is first and pool.find("same") is first
    assert pool.wait(first, 240) and first.state == "done"


def test_cancel_queued_and_running(store: Store, pool: Pool) -> None:
    """A queued job leaves the queue at once; a running solve stops and keeps its best plan."""
    long = _payload(store, [], time_limit=200.0)
    running = [
        pool.submit("solve", {**long, "sets": [f"levels.central.buffer_days={k}"]},
                    key=f"long-{k}", owner="a")
        for k in range(2)
    ]  # fmt: skip
    queued = pool.submit("solve", _payload(store, []), key="queued", owner="b")
    assert pool.position(queued) >= 1
    pool.cancel(queued, "b")
    assert queued.state == "cancelled" and queued.cancelled_by == "b"
    deadline = time.monotonic() + 60
    while not all(job.progress for job in running) and time.monotonic() < deadline:
        time.sleep(0.2)  # both solves have reported progress: they are really running
    for job in running:
        pool.cancel(job, "a")
    for job in running:
        assert pool.wait(job, 60)
        assert job.state == "cancelled" and job.elapsed < 200  # stopped well before its budget
        if job.result is not None:  # stopped in time to hand back its best plan
            record = plans.get(store, job.result["plan_id"])
            assert record is not None and record.report["cancelled"] is True


def test_check_and_export_jobs(store: Store, pool: Pool) -> None:
    """A diagnosis is stored; exports of two plans into the same document's folder raise
    SEQUENCE of what moved; exporting the last plan again reuses its archive."""
    check = pool.submit("diagnose", _payload(store, ["levels.central.daily_capacity=1"]),
                        key="check", owner="a", soft_cancel=False)  # fmt: skip
    solved = [
        pool.submit("solve", _payload(store, sets), key=f"s{k}", owner="a")
        for k, sets in enumerate([[], ["levels.central.window=[2020-09-10, 2020-10-31]"]])
    ]
    for job in [check, *solved]:
        assert pool.wait(job, 240) and job.state == "done", job.error
    diagnosis = plans.latest_diagnosis(store, check.payload["content_key"])
    assert diagnosis is not None and diagnosis["status"] == "infeasible"

    def export(plan_id: int, scope: str) -> dict[str, Any]:
        payload = _payload(store, [], plan_id=plan_id, scope=scope)
        job = pool.submit("export", payload, key=f"e{plan_id}{scope}", owner="a",
                          soft_cancel=False)  # fmt: skip
        assert pool.wait(job, 240) and job.state == "done", job.error
        result: dict[str, Any] = job.result
        return result

    def sequences_of(result: dict[str, Any]) -> dict[str, int]:
        return sequences((store.folder / result["file"]).read_bytes())

    first = export(solved[0].result["plan_id"], "all")
    assert set(sequences_of(first).values()) == {0}
    again = export(solved[0].result["plan_id"], "all")
    assert again["reused"] and again["file"] == first["file"]
    second = export(solved[1].result["plan_id"], "all")
    raised = {u for u, s in sequences_of(second).items() if s == 1}
    assert second["summary"]["moved"] > 0 and raised
    assert not (store.folder / first["file"]).exists()  # replaced by the newer export
    assert export(solved[1].result["plan_id"], "all")["reused"]


def test_workers_never_run_the_page_script(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under Streamlit the main module is the page script; a worker must not run it again
    (multiprocessing would, in every child it starts)."""
    import sys
    import types

    marker = tmp_path / "ran.txt"
    script = tmp_path / "page.py"
    script.write_text(f"open({str(marker)!r}, 'w').write('ran')\n", encoding="utf-8")
    fake = types.ModuleType("__main__")
    fake.__file__ = str(script)
    fake.__spec__ = None
    monkeypatch.setitem(sys.modules, "__main__", fake)
    workers = Pool(size=1)
    try:
        job = workers.submit("solve", _payload(store, [], time_limit=0.5), key="k", owner="t")
        assert workers.wait(job, 240) and job.state == "done", job.error
    finally:
        workers.shutdown()
    assert not marker.exists()
