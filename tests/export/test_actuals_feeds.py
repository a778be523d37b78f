"""Issue 21, point 5: feeds follow reality. Export the built-in plan, record actuals (one
district congress held on other dates, one postponed), export again into the same folder with
``planner ical --actuals``: the same UIDs, SEQUENCE up by one on exactly those two events, and
ical.js and icalendar read the actual dates and the postponed marking."""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
from pathlib import Path
from typing import Any

import icalendar
import pytest

from planner.cli.main import main
from planner.export.actuals import with_actuals
from planner.export.events import plan_events
from planner.export.ics import uid_for
from planner.plan.actuals import Actual
from planner.plan.frame import read_plan
from planner.scenario.builder import load_scenario
from planner.tree.build import build_tree
from tests.cli.test_solve import read_rows, run

from .test_icaljs import icaljs  # noqa: F401 - the fixture

HELD = ("2020-08-03", "2020-08-04")
POSTPONED = ("2020-09-14", "2020-09-15")


def _events(folder: Path) -> dict[str, dict[str, Any]]:
    """Every VEVENT of the folder's feeds read by icalendar, by UID (the first one seen)."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.rglob("*.ics")):
        for event in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"):
            uid = str(event["UID"])
            out.setdefault(
                uid,
                {
                    "sequence": int(event.get("SEQUENCE", 0)),
                    "summary": str(event["SUMMARY"]),
                    "status": str(event.get("STATUS", "")),
                    "start": event.decoded("DTSTART"),
                    "end": event.decoded("DTEND"),
                    "description": str(event.get("DESCRIPTION", "")),
                    "file": path,
                },
            )
    return out


@pytest.fixture(scope="module")
def two_exports(
    solved_csv: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, Any], dict[str, Any], Path, tuple[str, str]]:
    """The feeds before and after the actuals, the folder, and the two units reported on."""
    root = tmp_path_factory.mktemp("feeds")
    folder = root / "feeds"
    districts = sorted(
        r["org_id"] for r in read_rows(solved_csv) if r["level"] == "district" and r["org_id"]
    )
    held, postponed = districts[0], districts[1]
    actuals = root / "actuals.csv"
    with actuals.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["org_id", "kind", "status", "start", "end", "reason"])
        writer.writerow([held, "congress", "held", *HELD, ""])
        writer.writerow([postponed, "congress", "postponed", *POSTPONED, "dịch COVID-19"])

    assert main(["ical", str(solved_csv), "--out", str(folder), "--scope", "all"]) == 0
    before = _events(folder)
    assert main(["ical", str(solved_csv), "--out", str(folder), "--actuals", str(actuals)]) == 0
    return before, _events(folder), folder, (held, postponed)


def test_feeds_after_actuals_keep_uids_and_raise_sequence_on_exactly_those(
    two_exports: tuple[dict[str, Any], dict[str, Any], Path, tuple[str, str]],
) -> None:
    """Issue 21.5: same UIDs; SEQUENCE +1 on the held-elsewhere and the postponed congress
    only; the held one on its actual dates, the postponed one on its new dates with
    ``HOÃN / POSTPONED``, ``STATUS:TENTATIVE`` and its reason (read by icalendar)."""
    before, after, _folder, (held, postponed) = two_exports
    assert set(after) == set(before)
    scenario = load_scenario().id
    uid_held, uid_postponed = (uid_for(scenario, f"congress:{o}") for o in (held, postponed))
    raised = {u for u in after if after[u]["sequence"] != before[u]["sequence"]}
    assert raised == {uid_held, uid_postponed}
    assert all(after[u]["sequence"] == before[u]["sequence"] + 1 for u in raised)
    day = dt.date.fromisoformat
    one = dt.timedelta(days=1)
    assert (after[uid_held]["start"], after[uid_held]["end"]) == (day(HELD[0]), day(HELD[1]) + one)
    assert not after[uid_held]["summary"].startswith("HOÃN") and not after[uid_held]["status"]
    moved = after[uid_postponed]
    assert (moved["start"], moved["end"]) == (day(POSTPONED[0]), day(POSTPONED[1]) + one)
    assert moved["summary"].startswith("HOÃN / POSTPONED: Đại hội")
    assert moved["status"] == "TENTATIVE"
    assert "Đã hoãn: dịch COVID-19." in moved["description"]


def test_feeds_after_actuals_read_by_icaljs(
    icaljs: Path,  # noqa: F811 - the fixture
    two_exports: tuple[dict[str, Any], dict[str, Any], Path, tuple[str, str]],
) -> None:
    """Issue 21.5: Thunderbird's parser reads the feeds with the actuals without an error, the
    held congress on its actual dates and the postponed one tentative, on its new dates."""
    _before, after, _folder, (held, postponed) = two_exports
    scenario = load_scenario().id
    uid_held, uid_postponed = (uid_for(scenario, f"congress:{o}") for o in (held, postponed))
    files = sorted({after[uid_held]["file"], after[uid_postponed]["file"]})
    done = subprocess.run(
        ["node", str(icaljs), "--details", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )

    results = json.loads(done.stdout)
    assert all(r["errors"] == [] for r in results), [r["errors"][:3] for r in results]
    read = {d["uid"]: d for r in results for d in r["details"]}
    assert (read[uid_held]["start"], read[uid_held]["end"]) == ("2020-08-03", "2020-08-05")
    assert read[uid_held]["status"] is None
    assert (read[uid_postponed]["start"], read[uid_postponed]["end"]) == (
        "2020-09-14",
        "2020-09-16",
    )
    assert read[uid_postponed]["status"] == "TENTATIVE"
    assert read[uid_postponed]["summary"].startswith("HOÃN / POSTPONED: ")
    assert read[uid_postponed]["sequence"] == after[uid_postponed]["sequence"]


def test_held_on_its_planned_dates_changes_nothing(solved_csv: Path) -> None:
    """Issue 21.5: a congress reported held on the very dates planned keeps its event byte for
    byte (no SEQUENCE rise for the report alone); a cancelled one is kept, STATUS:CANCELLED."""
    plan = read_plan(solved_csv)
    scenario, tree = load_scenario(), build_tree()
    row = plan[plan["kind"] == "congress"].iloc[5]
    other = plan[plan["kind"] == "congress"].iloc[6]
    reports = [
        Actual(str(row["org_id"]), "congress", "held", row["start"], row["end"]),
        Actual(str(other["org_id"]), "congress", "cancelled", None, None),
    ]
    plain = {e.event_id: e for e in plan_events(plan, scenario, tree)}
    marked = {e.event_id: e for e in plan_events(with_actuals(plan, reports), scenario, tree)}
    assert marked[str(row["event_id"])].parts == plain[str(row["event_id"])].parts
    cancelled = b"".join(marked[str(other["event_id"])].parts)
    assert b"STATUS:CANCELLED\r\n" in cancelled and "HỦY / CANCELLED".encode() in cancelled
    changed = {k for k in plain if plain[k].digest != marked[k].digest}
    assert changed == {str(other["event_id"])}


def test_ical_refuses_a_bad_actuals_file(
    capsys: pytest.CaptureFixture[str], solved_csv: Path, tmp_path: Path
) -> None:
    """A bad actuals file is a bilingual error with its line, and nothing is exported."""
    bad = tmp_path / "bad.csv"
    bad.write_text("org_id,kind,status,start,end,reason\nd370,congress,held,,,\n", "utf-8")
    code, _out, err = run(
        capsys, "ical", str(solved_csv), "--out", str(tmp_path / "f"), "--actuals", str(bad)
    )
    assert code == 2 and "bad.csv:2" in err and "Lỗi" in err and "Error" in err
    assert not (tmp_path / "f").exists()
