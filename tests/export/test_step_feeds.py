"""Issue 20, point 3: the feeds carry the preparation steps, one feed per reviewing body.

The default 2020 plan (``planner solve``, validated) exported with ``planner ical``: every step
row is an all-day event in its congress's committee feed, with a UID from its kind and org id
and a DESCRIPTION from the rule data; the Politburo's review calendar holds exactly one review
per committee directly under the Central Committee that the plan reviews (counted here from the
plan rows); ical.js, icalendar and the HTTP server agree; actuals on steps move them with
SEQUENCE up and the UID unchanged (issue 21, point 5).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import icalendar
import pytest

from planner.cli.main import main
from planner.export.ics import uid_for
from planner.export.serve import FeedServer
from planner.rules.preparation import load_preparation
from planner.scenario.builder import load_scenario
from tests.cli.test_solve import read_rows
from tests.export.test_serve import _get, _start

from .conftest import uids
from .test_icaljs import icaljs  # noqa: F401 - the fixture

STEPS = ("review", "announce", "report", "approval")
HELD = ("2020-08-10", "2020-08-10")
POSTPONED = ("2020-12-01", "2020-12-04")


def _read(path: Path) -> dict[str, dict[str, Any]]:
    """A feed's VEVENTs read by icalendar, by UID."""
    out: dict[str, dict[str, Any]] = {}
    for event in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"):
        out[str(event["UID"])] = {
            "sequence": int(event.get("SEQUENCE", 0)),
            "summary": str(event["SUMMARY"]),
            "status": str(event.get("STATUS", "")),
            "start": event.decoded("DTSTART"),
            "end": event.decoded("DTEND"),
            "description": str(event.get("DESCRIPTION", "")),
            "related": str(event.get("RELATED-TO", "")),
        }
    return out


@pytest.fixture(scope="module")
def exported(solved_csv: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default plan's feeds, written by ``planner ical``."""
    folder = tmp_path_factory.mktemp("stepfeeds") / "feeds"
    assert main(["ical", str(solved_csv), "--out", str(folder)]) == 0
    return folder


def _plan_steps(solved_csv: Path) -> list[dict[str, str]]:
    return [r for r in read_rows(solved_csv) if r["kind"] in STEPS]


def test_politburo_feed_has_one_review_per_committee_reviewed(
    solved_csv: Path, exported: Path
) -> None:
    """The Politburo's review calendar: exactly one event per committee directly under the
    CC that the plan has a review for (its whole sessions and its groups'), on the plan's day;
    each group's feed holds the reviews the plan gives that group; the index names it in both
    languages."""
    sid = load_scenario().id
    rows = read_rows(solved_csv)
    central = {r["org_id"] for r in rows if r["kind"] == "congress" and r["parent_id"] == "vn"}
    reviews = {r["org_id"]: r for r in rows if r["kind"] == "review" and r["org_id"] in central}
    assert len(reviews) == 67
    found = uids((exported / "body-politburo.ics").read_bytes())
    assert Counter(found) == Counter(uid_for(sid, f"review:{org}") for org in reviews)
    events = _read(exported / "body-politburo.ics")
    for org, row in reviews.items():
        event = events[uid_for(sid, f"review:{org}")]
        assert event["start"] == dt.date.fromisoformat(row["start"])
        assert event["end"] == dt.date.fromisoformat(row["end"]) + dt.timedelta(days=1)
        assert event["related"] == uid_for(sid, f"congress:{org}")
    for body in {r["body"] for r in reviews.values()} - {"politburo"}:
        own = {uid_for(sid, f"review:{o}") for o, r in reviews.items() if r["body"] == body}
        assert set(uids((exported / f"body-{body}.ics").read_bytes())) == own
    index = json.loads((exported / "index.json").read_text(encoding="utf-8"))
    feed = next(f for f in index["feeds"] if f["file"] == "body-politburo.ics")
    assert feed["name_vi"] == "Bộ Chính trị — lịch duyệt văn kiện, nhân sự"
    assert feed["name_en"] == "Politburo — review calendar"
    assert feed["events"] == 67
    assert {"body:politburo", "body:group-1"} <= {s["id"] for s in index["sets"]}


def test_every_step_in_its_committee_feed_with_the_rule_text(
    solved_csv: Path, exported: Path
) -> None:
    """Each step row is one all-day event of its committee's feed, with a UID from kind and
    org id; its DESCRIPTION names the rule, its legal source and VERIFIED/UNVERIFIED as the
    rule data says."""
    sid = load_scenario().id
    rules = {r.id: r for r in load_preparation("xiii-2020").ruleset or ()}
    steps = _plan_steps(solved_csv)
    assert {r["kind"] for r in steps} == set(STEPS)
    for row in steps:  # the default plan's steps are of the committees directly under the CC
        feed = _read(exported / f"central-{row['org_id']}.ics")
        event = feed[uid_for(sid, f"{row['kind']}:{row['org_id']}")]
        assert event["start"] == dt.date.fromisoformat(row["start"])
        rule = rules[row["rule"]]
        text = event["description"]
        assert rule.name_vi in text and rule.name_en in text
        assert rule.source.cite() in text
        assert ("VERIFIED" if rule.verified else "UNVERIFIED") in text.split()[-1]
        assert event["summary"].startswith(row["name_vi"])


def test_step_uids_stable_across_two_exports(solved_csv: Path, tmp_path: Path) -> None:
    """Two exports of the same plan: the same step UIDs, the body feeds byte for byte."""
    for name in ("one", "two"):
        assert main(["ical", str(solved_csv), "--out", str(tmp_path / name)]) == 0
    one, two = tmp_path / "one", tmp_path / "two"
    for path in sorted(one.glob("body-*.ics")):
        assert path.read_bytes() == (two / path.name).read_bytes(), path.name
    first = {u for p in one.glob("central-*.ics") for u in uids(p.read_bytes())}
    second = {u for p in two.glob("central-*.ics") for u in uids(p.read_bytes())}
    assert first == second
    assert sum(".review." in u for u in first) == 67


def test_politburo_feed_read_by_icaljs(
    icaljs: Path,  # noqa: F811 - the fixture
    solved_csv: Path,
    exported: Path,
) -> None:
    """Thunderbird's parser reads the Politburo's feed without an error: 67 all-day events on
    the plan's review days."""
    done = subprocess.run(
        ["node", str(icaljs), "--details", str(exported / "body-politburo.ics")],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    (result,) = json.loads(done.stdout)
    assert result["errors"] == []
    assert result["events"] == 67
    sid = load_scenario().id
    days = {
        uid_for(sid, f"review:{r['org_id']}"): r["start"]
        for r in _plan_steps(solved_csv)
        if r["kind"] == "review"
    }
    assert {d["uid"]: d["start"] for d in result["details"]} == {u: days[u] for u in result["uids"]}


@pytest.fixture
def server(exported: Path) -> Iterator[FeedServer]:
    yield from _start(exported)


def test_served_politburo_feed_is_the_exported_one(server: FeedServer, exported: Path) -> None:
    """``planner serve`` returns the Politburo's feed as exported, and lists it in index.json."""
    status, headers, body = _get(server, "/body-politburo.ics")
    assert status == 200 and headers["content-type"].startswith("text/calendar")
    assert body == (exported / "body-politburo.ics").read_bytes()
    assert len(_read(exported / "body-politburo.ics")) == 67
    status, _headers, index = _get(server, "/index.json")
    assert status == 200
    files = {f["file"] for f in json.loads(index)["feeds"]}
    assert "body-politburo.ics" in files


def test_scope_body_exports_only_that_feed(solved_csv: Path, tmp_path: Path) -> None:
    """``--scope body:politburo`` writes the Politburo's feed alone."""
    out = tmp_path / "feeds"
    assert main(["ical", str(solved_csv), "--out", str(out), "--scope", "body:politburo"]) == 0
    assert sorted(p.name for p in out.glob("*.ics")) == ["body-politburo.ics"]


def test_actuals_move_step_events_with_sequence_up_and_same_uid(
    solved_csv: Path, tmp_path: Path
) -> None:
    """A review held on another day and a report postponed: both move in every feed that
    holds them (the committee's, the Politburo's), SEQUENCE +1, UID unchanged; the postponed
    one marked; no other event changes."""
    sid = load_scenario().id
    steps = _plan_steps(solved_csv)
    review = next(r for r in steps if r["kind"] == "review" and r["start"] != HELD[0])
    report = next(r for r in steps if r["kind"] == "report")
    actuals = tmp_path / "actuals.csv"
    with actuals.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["org_id", "kind", "status", "start", "end", "reason"])
        writer.writerow([review["org_id"], "review", "held", *HELD, ""])
        writer.writerow([report["org_id"], "report", "postponed", *POSTPONED, "bão lũ"])
    folder = tmp_path / "feeds"
    assert main(["ical", str(solved_csv), "--out", str(folder)]) == 0
    names = ("body-politburo.ics", f"central-{review['org_id']}.ics")
    before = {n: _read(folder / n) for n in (*names, f"central-{report['org_id']}.ics")}
    assert main(["ical", str(solved_csv), "--out", str(folder), "--actuals", str(actuals)]) == 0
    after = {n: _read(folder / n) for n in before}
    moved = {uid_for(sid, f"review:{review['org_id']}"), uid_for(sid, f"report:{report['org_id']}")}
    for name in before:
        assert set(after[name]) == set(before[name])
        raised = {
            u for u in after[name] if after[name][u]["sequence"] != before[name][u]["sequence"]
        }
        assert raised == moved & set(after[name]), name
        assert all(after[name][u]["sequence"] == before[name][u]["sequence"] + 1 for u in raised)
    for name in names:
        held = after[name][uid_for(sid, f"review:{review['org_id']}")]
        assert held["start"] == dt.date.fromisoformat(HELD[0])
    late = after[f"central-{report['org_id']}.ics"][uid_for(sid, f"report:{report['org_id']}")]
    assert (late["start"], late["end"]) == (
        dt.date.fromisoformat(POSTPONED[0]),
        dt.date.fromisoformat(POSTPONED[1]) + dt.timedelta(days=1),
    )
    assert late["summary"].startswith("HOÃN / POSTPONED: ") and late["status"] == "TENTATIVE"
    assert "Đã hoãn: bão lũ." in late["description"]
