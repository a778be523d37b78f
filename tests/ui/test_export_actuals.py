"""Issue 21, point 5, the browser's side: the Export page's feeds (the ``export`` task) apply
the store's actuals; a new entry makes the next export of the same plan a new one."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import icalendar
import pytest

from planner.export.ics import uid_for
from planner.plan.actuals import Actual
from planner.store import actuals as stored
from planner.store import plans
from planner.store.recovery import DEFAULT_DOCUMENT, open_store
from planner.ui import jobs
from planner.ui.tasks import export_task, solve_task

from .apptest import PAGES, app, store_of
from .test_jobs import _payload
from .test_pages import _build_feeds, _wait


def _quiet(_event: dict[str, Any]) -> None:
    return None


def _all_sequences(archive: bytes) -> dict[str, int]:
    """UID → SEQUENCE over every feed of the archive."""
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        names = [n for n in opened.namelist() if n.endswith(".ics")]
        out: dict[str, int] = {}
        for name in names:
            feed = icalendar.Calendar.from_ical(opened.read(name))
            for event in feed.walk("VEVENT"):
                out[str(event["UID"])] = int(event.get("SEQUENCE", 0))
    return out


def test_export_page_feeds_follow_the_stored_actuals(tmp_path: Path) -> None:
    """Issue 21.5: export a stored plan, record a central congress held on other dates and one
    postponed, export the same plan again: not the old archive; in the central feed the same
    UIDs, SEQUENCE 1 on exactly those two, the held one on its actual dates."""
    store = open_store(tmp_path / "home").store
    solved = solve_task(_payload(store, [], time_limit=4.0), _quiet)
    plan_id = int(solved["plan_id"])
    payload = _payload(store, [], plan_id=plan_id, scope="all")
    first = export_task(payload, _quiet)
    before = _all_sequences((store.folder / first["file"]).read_bytes())
    assert set(before.values()) == {0}
    frame = plans.plan_frame(store, plan_id)
    centrals = sorted(
        str(o) for o, lv in zip(frame["org_id"], frame["level"], strict=True) if lv == "central"
    )
    held, postponed = centrals[0], centrals[1]
    stored.record(
        store,
        DEFAULT_DOCUMENT,
        [
            Actual(held, "congress", "held", dt.date(2020, 10, 5), dt.date(2020, 10, 7)),
            Actual(
                postponed, "congress", "postponed", dt.date(2020, 11, 2), dt.date(2020, 11, 4),
                "COVID-19",
            ),
        ],
        "tester",
    )  # fmt: skip
    second = export_task(payload, _quiet)
    assert not second["reused"] and second["file"] != first["file"]
    data = (store.folder / second["file"]).read_bytes()
    after = _all_sequences(data)
    assert set(after) == set(before)
    scenario = str(frame["scenario"].iloc[0]) if "scenario" in frame else "xiii-2020"
    raised = {u for u, s in after.items() if s == 1}
    assert raised == {uid_for(scenario, f"congress:{o}") for o in (held, postponed)}
    assert set(after.values()) == {0, 1}
    assert export_task(payload, _quiet)["reused"]  # nothing new recorded: the same archive


def test_export_page_offers_a_new_export_after_new_actuals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 21.5 on the page: once the feeds of a plan are built, an actual recorded in the
    store makes the page say so and offer to build them again (not the stale archive); the new
    export raises SEQUENCE of that congress."""
    home = tmp_path / "home"
    monkeypatch.setenv("PLANNER_HOME", str(home))
    try:
        at = app(90).run()
        _wait(at, "plan")
        at.switch_page(PAGES + "export.py").run()
        plan, _job = _build_feeds(at, home)
        assert not any(b.key == "build_ical" for b in at.button)
        frame = plans.plan_frame(store_of(home), plan.id)
        central = sorted(str(o) for o, lv in zip(frame["org_id"], frame["level"], strict=True)
                         if lv == "central")[0]  # fmt: skip
        stored.record(
            store_of(home),
            DEFAULT_DOCUMENT,
            [Actual(central, "congress", "held", dt.date(2020, 10, 5), dt.date(2020, 10, 7))],
            "tester",
        )
        at.run()
        captions = "\n".join(c.value for c in at.main.caption)
        assert "Đã ghi kết quả thực tế mới sau lần xuất trước" in captions
        _plan, job = _build_feeds(at, home)
        assert job.result is not None and not job.result["reused"]
        data = (home / job.result["file"]).read_bytes()
        raised = {u for u, s in _all_sequences(data).items() if s > 0}
        assert raised == {uid_for("xiii-2020", f"congress:{central}")}
    finally:
        jobs.shutdown()
