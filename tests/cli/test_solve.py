"""CLI: ``solve --out`` and ``check --plan`` on full, broken, partial plans; bad input exits 2."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from planner.cli.main import main
from planner.plan.frame import PLAN_COLUMNS

PARTIAL = "org_id,start,end\np01,2020-09-03,2020-09-05\np02,2020-09-03,2020-09-05\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the CLI in-process; return the exit code, stdout and stderr."""
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a plan CSV."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    """Write plan rows back as CSV with the same columns."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def broken_csv(solved_csv: Path, tmp_path: Path) -> tuple[Path, str, str, str]:
    """The solved plan with one Ninh Bình district moved onto p37's first day.

    Returns the path, the district, p37's first day and the district's new last day.
    """
    rows = read_rows(solved_csv)
    parent_start = next(r["start"] for r in rows if r["org_id"] == "p37")
    district = sorted(
        r["org_id"]
        for r in rows
        if r["kind"] == "congress" and r["parent_id"] == "p37" and r["org_id"] != "d369"
    )[0]
    end = (dt.date.fromisoformat(parent_start) + dt.timedelta(days=1)).isoformat()
    for row in rows:
        if row["org_id"] == district:
            row["start"], row["end"] = parent_start, end
    path = tmp_path / "broken.csv"
    write_rows(path, rows)
    return path, district, parent_start, end


def test_solve_writes_a_csv_that_check_accepts(
    capsys: pytest.CaptureFixture[str], solved_csv: Path
) -> None:
    """The CSV written by solve has the documented columns (then the scenario it was made
    from) and passes check with exit 0."""
    rows = read_rows(solved_csv)
    assert list(rows[0]) == [*PLAN_COLUMNS, "scenario", "scenario_fingerprint"]
    assert sum(r["kind"] == "congress" for r in rows) > 1000
    code, out, err = run(capsys, "check", "--plan", str(solved_csv))
    assert code == 0, out + err
    assert "0 vi phạm / violations" in out
    assert "✗" not in out


def test_check_names_precedence_violation(
    capsys: pytest.CaptureFixture[str], broken_csv: tuple[Path, str, str, str]
) -> None:
    """A district moved onto its parent's first day fails check with both units named."""
    path, district, _, _ = broken_csv
    code, out, _ = run(capsys, "check", "--plan", str(path))
    assert code == 1
    lines = [line for line in out.splitlines() if "[precedence" in line]
    assert len(lines) == 1
    assert f"({district})" in lines[0] and "(p37)" in lines[0]
    assert "d35.lower_before_higher" in lines[0]
    assert "Chỉ thị 35-CT/TW" in lines[0]


def test_check_json_lists_violations(
    capsys: pytest.CaptureFixture[str], broken_csv: tuple[Path, str, str, str]
) -> None:
    """check --format json gives valid and violations with family, units, dates and messages."""
    path, district, parent_start, end = broken_csv
    code, out, _ = run(capsys, "check", "--plan", str(path), "--format", "json")
    assert code == 1
    payload = json.loads(out)
    assert payload["valid"] is False
    keys = {"family", "units", "dates", "message_vi", "message_en"}
    assert all(keys <= set(v) for v in payload["violations"])
    precedence = [v for v in payload["violations"] if v["family"] == "precedence"]
    assert len(precedence) == 1
    violation = precedence[0]
    assert violation["units"] == [district, "p37"]
    assert violation["dates"] == [parent_start, end]
    assert violation["rule"] == "d35.lower_before_higher"
    assert district in violation["message_vi"] and "p37" in violation["message_en"]
    assert {v["family"] for v in payload["violations"]} == {"precedence", "level_window"}


def test_check_partial_plan_mentions_missing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A hand-typed plan of two central congresses is valid; the missing units are information."""
    path = tmp_path / "partial.csv"
    path.write_text(PARTIAL, encoding="utf-8")
    code, out, err = run(capsys, "check", "--plan", str(path))
    assert code == 0, out + err
    assert out.startswith("2 ")
    info = [line for line in out.splitlines() if line.startswith("ℹ")]
    assert len(info) == 1
    assert "information" in info[0] and "vn" in info[0]
    assert "✗" not in out


def test_check_partial_plan_complete_fails(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """With --complete the same partial plan fails: the missing units are a violation."""
    path = tmp_path / "partial.csv"
    path.write_text(PARTIAL, encoding="utf-8")
    code, out, _ = run(capsys, "check", "--plan", str(path), "--complete")
    assert code == 1
    assert "[completeness]" in out and "vn" in out
    code, out, _ = run(capsys, "check", "--plan", str(path), "--complete", "--format", "json")
    payload = json.loads(out)
    assert code == 1 and payload["valid"] is False
    # the missing units, and p01's missing preparation-step rows (issue 20)
    assert {v["family"] for v in payload["violations"]} == {"completeness"}
    assert any(v["units"] == ["p01", "p02"] and v["rule"] for v in payload["violations"])
    assert "p01" not in payload["missing"] and "vn" in payload["missing"]


def test_check_set_moves_the_window(capsys: pytest.CaptureFixture[str], solved_csv: Path) -> None:
    """--set on check changes the rules checked: a narrower central window rejects the plan."""
    code, out, _ = run(
        capsys,
        "check",
        "--set",
        "levels.central.window=[2020-09-15, 2020-10-20]",
        "--plan",
        str(solved_csv),
        "--format",
        "json",
    )
    assert code == 1
    payload = json.loads(out)
    assert payload["valid"] is False
    windows = [v for v in payload["violations"] if v["family"] == "level_window"]
    # p37 is pinned to 20–22/10/2020, so it always ends after the moved deadline.
    assert any(v["units"] == ["p37"] and "2020-10-20" in v["dates"] for v in windows)


def test_solve_json_has_meta_and_events(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """solve --out .json writes meta (status, objective, bound, gap) and the events."""
    path = tmp_path / "plan.json"
    code, out, err = run(
        capsys,
        "solve",
        "--set",
        "levels.district.plan=false",
        "--set",
        "levels.grassroots.plan=false",
        "--set",
        "preferred=[]",
        "--set",
        "pilots.units=[]",
        "--time-limit",
        "4",
        "--deterministic",
        "--workers",
        "2",
        "--seed",
        "0",
        "--out",
        str(path),
    )
    assert code == 0, out + err
    payload = json.loads(path.read_text(encoding="utf-8"))
    meta = payload["meta"]
    assert meta["status"] in {"OPTIMAL", "FEASIBLE"}
    for key in ("objective", "bound", "gap"):
        assert isinstance(meta[key], int | float)
    assert meta["bound"] <= meta["objective"]
    assert meta["validated"] is True
    events = payload["events"]
    assert all(set(PLAN_COLUMNS) == set(e) for e in events)
    congresses = [e for e in events if e["kind"] == "congress"]
    assert len(congresses) == 68
    assert {e["level"] for e in congresses} == {"national", "central"}
    voting = [e for e in events if e["event_id"] == "election:el.voting"]
    assert voting and voting[0]["start"] == "2021-05-23"


@pytest.mark.parametrize(
    ("files", "argv", "needles"),
    [
        ({}, ["check", "--plan", "{tmp}/nope.csv"], ["nope.csv"]),
        (
            {"plan.csv": PARTIAL.replace("p02,2020-09-03", "p02,2020-13-01")},
            ["check", "--plan", "{tmp}/plan.csv"],
            ["2020-13-01", "plan.csv:3"],
        ),
        (
            {"plan.csv": "org_id,start,end\np01,2020-09-05,2020-09-03\n"},
            ["check", "--plan", "{tmp}/plan.csv"],
            ["2020-09-03", "2020-09-05", "plan.csv:2"],
        ),
        (
            {"plan.csv": "org_id,start,end\np99,2020-09-03,2020-09-05\n"},
            ["check", "--plan", "{tmp}/plan.csv"],
            ["p99", "plan.csv:2"],
        ),
        (
            {"plan.csv": PARTIAL + "p01,2020-09-10,2020-09-12\n"},
            ["check", "--plan", "{tmp}/plan.csv"],
            ["p01", "plan.csv:4"],
        ),
        (
            {"plan.csv": PARTIAL},
            [
                "check",
                "--set",
                "levels.central.windw=[2020-09-01, 2020-10-31]",
                "--plan",
                "{tmp}/plan.csv",
            ],
            ["windw", "'window'"],
        ),
        (
            {"plan.csv": PARTIAL},
            ["check", "--set", "election.day=2021-05-22", "--plan", "{tmp}/plan.csv"],
            ["2021-05-16", "2021-05-23"],
        ),
        (
            {"plan.csv": PARTIAL},
            ["check", "{tmp}/nope.toml", "--plan", "{tmp}/plan.csv"],
            ["nope.toml"],
        ),
        (
            {"plan.csv": PARTIAL, "bad.toml": 'schema_version = 1\nid = "unterminated\n'},
            ["check", "{tmp}/bad.toml", "--plan", "{tmp}/plan.csv"],
            ["bad.toml", "TOML"],
        ),
    ],
    ids=[
        "plan-missing",
        "bad-date",
        "end-before-start",
        "unknown-org",
        "duplicate-congress",
        "set-unknown-key",
        "set-not-sunday",
        "scenario-missing",
        "scenario-bad-toml",
    ],
)
def test_bad_input_exits_2(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    files: dict[str, str],
    argv: list[str],
    needles: list[str],
) -> None:
    """Bad input to check exits 2 with one bilingual line naming the problem, no traceback."""
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    code, out, err = run(capsys, *(a.format(tmp=tmp_path) for a in argv))
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Lỗi" in lines[0] and "Error" in lines[0]
    for needle in needles:
        assert needle in lines[0]
    assert "Traceback" not in err
