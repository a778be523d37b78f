"""`planner solve --out p.csv && planner ical p.csv --out feeds/` on a cut-down default scenario."""

from __future__ import annotations

import csv
from pathlib import Path

import icalendar
import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream

from planner.cli.main import main
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


def _typed(tmp_path: Path) -> Path:
    plan = tmp_path / "p.csv"
    plan.write_text("org_id,start,end\np37,2020-10-20,2020-10-22\n", encoding="utf-8")
    return plan


def _refused(capsys: pytest.CaptureFixture[str], code: int, *words: str) -> str:
    """Exit 2, one bilingual line, no traceback, naming ``words``."""
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Lỗi" in err and "Error" in err and "Traceback" not in err, err
    assert len(err.strip().splitlines()) == 1, err
    for word in words:
        assert word in err, (word, err)
    return err


def test_ical_bad_scope(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown scope exits 2 with a bilingual message naming the available feeds."""
    plan, out = _typed(tmp_path), str(tmp_path / "f")
    code = main(
        ["ical", str(plan), "--scenario", "xiii-2020", *SMALL, "--out", out, "--scope", "org:zz"]
    )
    _refused(capsys, code, "central-p37.ics")


def test_ical_refuses_a_plan_without_its_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A hand-typed plan records no scenario: the UIDs would be guessed, so --scenario is
    required (issue 14: the nationwide plan silently got the built-in scenario's UIDs)."""
    code = main(["ical", str(_typed(tmp_path)), *SMALL, "--out", str(tmp_path / "f")])
    _refused(capsys, code, "--scenario")
    assert not (tmp_path / "f").exists()


@pytest.mark.parametrize("out", ["", "  "])
def test_ical_refuses_an_empty_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], out: str
) -> None:
    """``--out ''`` is refused before any work."""
    code = main(["ical", str(_typed(tmp_path)), "--scenario", "xiii-2020", "--out", out])
    _refused(capsys, code, "--out")


def test_ical_refuses_a_file_as_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--out`` naming an existing file is refused and the file is left as it was."""
    target = tmp_path / "notes.txt"
    target.write_text("keep me", encoding="utf-8")
    code = main(["ical", str(_typed(tmp_path)), "--scenario", "xiii-2020", "--out", str(target)])
    _refused(capsys, code, "notes.txt")
    assert target.read_text(encoding="utf-8") == "keep me"


def test_ical_refuses_a_folder_of_other_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The output folder is replaced as a whole: a non-empty folder without feeds is refused."""
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "report.odt").write_bytes(b"x")
    code = main(["ical", str(_typed(tmp_path)), "--scenario", "xiii-2020", "--out", str(folder)])
    _refused(capsys, code, "documents")
    assert [p.name for p in folder.iterdir()] == ["report.odt"]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'{"events": []}', ("manifest.json", "format = 2")),
        (b"\xff\xfe not utf-8", ("manifest.json", "UTF-8")),
        (b"[1, 2]", ("manifest.json", "JSON object")),
        (
            b'{"format": 2, "scenario": "xiii-2020", "scope": "all", "feeds": {}, "events": 3}',
            ("manifest.json", "'events'"),
        ),
        (
            b'{"format": 2, "scenario": "xiii-2020", "scope": "all", "feeds": {},'
            b' "events": {"congress": {"p37": "bad"}}}',
            ("manifest.json", "congress:p37"),
        ),
    ],
)
def test_ical_bad_manifest_is_a_clean_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, words: tuple[str, ...]
) -> None:
    """A manifest of the wrong shape or not UTF-8: exit 2, one bilingual line, folder kept."""
    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "manifest.json").write_bytes(content)
    code = main(["ical", str(_typed(tmp_path)), "--scenario", "xiii-2020", "--out", str(folder)])
    _refused(capsys, code, *words)
    assert [p.name for p in folder.iterdir()] == ["manifest.json"]
    assert (folder / "manifest.json").read_bytes() == content


def test_ical_of_a_plan_without_events(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A plan file with only its header exports an empty catalogue, not a traceback."""
    plan = tmp_path / "empty.csv"
    plan.write_text("org_id,start,end\n", encoding="utf-8")
    code = main(["ical", str(plan), "--scenario", "xiii-2020", "--out", str(tmp_path / "f")])
    out = capsys.readouterr().out
    assert code == 0 and "0 lịch / feeds, 0 sự kiện / events" in out
    assert (tmp_path / "f" / "index.html").is_file()
