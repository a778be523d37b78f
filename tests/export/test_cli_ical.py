"""`planner solve --out p.csv && planner ical p.csv --out feeds/` on a cut-down default scenario."""

from __future__ import annotations

import csv
from pathlib import Path

import icalendar
import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream

from planner.cli import main
from planner.export.ical import uid_for
from planner.export.lint import lint_feed

SMALL = [
    "--set",
    "levels.grassroots.plan=false",
    "--set",
    "levels.district.provinces=[37]",
    "--set",
    'pilots.units=["d369"]',
]
MOVE = ["--set", 'pins=[{org="p37", start=2020-10-13, end=2020-10-15}]']


def _dates(path: Path) -> dict[str, tuple[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return {r["event_id"]: (r["start"], r["end"]) for r in csv.DictReader(handle) if r["start"]}


def test_solve_then_ical(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Feeds pass lint and parsers, are byte-identical twice, and a re-solve bumps moved only."""
    plan, feeds = tmp_path / "p.csv", tmp_path / "feeds"
    assert main(["solve", *SMALL, "--time-limit", "2", "--deterministic", "--out", str(plan)]) == 0
    assert main(["ical", str(plan), *SMALL, "--out", str(feeds)]) == 0
    first = {p.name: p.read_bytes() for p in feeds.glob("*.ics")}
    assert "overview.ics" in first and "central-p37.ics" in first
    for name, data in first.items():
        assert lint_feed(data, name) == []
        text = data.decode("utf-8")
        vobject.readOne(text, validate=True)
        IcsCalendarStream.calendar_from_ics(text)
    assert "Đảng bộ tỉnh Ninh Bình" in first["central-p37.ics"].decode("utf-8")
    assert main(["ical", str(plan), *SMALL, "--out", str(feeds)]) == 0
    assert {p.name: p.read_bytes() for p in feeds.glob("*.ics")} == first
    capsys.readouterr()

    moved_plan = tmp_path / "p2.csv"
    assert (
        main(
            [
                "solve",
                *SMALL,
                *MOVE,
                "--time-limit",
                "2",
                "--deterministic",
                "--out",
                str(moved_plan),
            ]
        )
        == 0
    )
    assert main(["ical", str(moved_plan), *SMALL, *MOVE, "--out", str(feeds)]) == 0
    out = capsys.readouterr().out
    before, after = _dates(plan), _dates(moved_plan)
    moved = {e for e in after if e in before and after[e] != before[e]}
    assert "congress:p37" in moved
    assert f"~ {uid_for('xiii-2020', 'congress:p37')}" in out
    cal = icalendar.Calendar.from_ical((feeds / "overview.ics").read_bytes())
    for event in cal.walk("VEVENT"):
        event_id = next(e for e in after if uid_for("xiii-2020", e) == str(event["UID"]))
        assert int(event["SEQUENCE"]) == (1 if event_id in moved else 0), event_id


def test_ical_bad_scope(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown scope exits 2 with a bilingual message naming the available feeds."""
    plan = tmp_path / "p.csv"
    plan.write_text("org_id,start,end\np37,2020-10-20,2020-10-22\n", encoding="utf-8")
    code = main(["ical", str(plan), *SMALL, "--out", str(tmp_path / "f"), "--scope", "org:zz"])
    err = capsys.readouterr().err
    assert code == 2 and "Lỗi" in err and "Error" in err and "central-p37.ics" in err
