"""CLI: ``planner replan`` on the built-in scenario with a two-week lockdown in one province."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from planner.tree.build import build_tree
from tests.cli.test_solve import read_rows, run

LOCKDOWN = (
    'blackouts.ranges=[{{id="lockdown-37", start={start}, end={end}, provinces=[37], '
    'name_vi="Giãn cách Ninh Bình", name_en="Ninh Bình distancing"}}]'
)


@pytest.fixture(scope="module")
def lockdown(solved_csv: Path) -> str:
    """Two weeks from the first day a Ninh Bình district congress sits in the base plan."""
    tree = build_tree()
    starts = [
        dt.date.fromisoformat(r["start"])
        for r in read_rows(solved_csv)
        if r["kind"] == "congress"
        and r["level"] == "district"
        and tree.get(r["org_id"]).province_code == 37
    ]
    first = min(starts)
    return LOCKDOWN.format(start=first, end=first + dt.timedelta(days=13))


def test_replan_moves_only_inside_the_province(
    capsys: pytest.CaptureFixture[str], solved_csv: Path, lockdown: str, tmp_path: Path
) -> None:
    out_path = tmp_path / "new.csv"
    code, out, err = run(
        capsys, "replan", str(solved_csv), "--set", lockdown, "--seed", "0", "--out", str(out_path)
    )
    assert code == 0, err
    moved_line = next(line for line in out.splitlines() if line.startswith("Dời / moved:"))
    count = int(moved_line.split(":")[1].split()[0])
    assert count >= 1
    tree = build_tree()
    listed = [line.split()[0] for line in out.splitlines() if line[:1] in ("d", "p", "w")]
    listed = [o for o in listed if o in tree]
    assert len(listed) == count
    assert all(tree.get(o).province_code == 37 for o in listed)
    # the new plan keeps every rule of the changed scenario
    code, out, err = run(capsys, "check", "--plan", str(out_path), "--complete", "--set", lockdown)
    assert code == 0, out + err
    # and differs from the base exactly in the listed congresses
    old = {r["org_id"]: r["start"] for r in read_rows(solved_csv) if r["kind"] == "congress"}
    new = {r["org_id"]: r["start"] for r in read_rows(out_path) if r["kind"] == "congress"}
    assert {o for o in new if new[o] != old[o]} == set(listed)


def test_replan_json_and_held(
    capsys: pytest.CaptureFixture[str], solved_csv: Path, lockdown: str, tmp_path: Path
) -> None:
    rows = {r["org_id"]: r for r in read_rows(solved_csv) if r["kind"] == "congress"}
    pilot = rows["d369"]
    held_path = tmp_path / "held.csv"
    with held_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["org_id", "start", "end"])
        writer.writerow(["d369", pilot["start"], pilot["end"]])
    code, out, err = run(
        capsys, "replan", str(solved_csv), "--set", lockdown, "--held", str(held_path),
        "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    payload = json.loads(out)
    assert payload["moved_count"] == len(payload["moved"]) >= 1
    assert "d369" not in {m["org_id"] for m in payload["moved"]}  # held: never moved
    assert payload["stage"] in ("peers", "subtrees")  # local: never the central level


def test_replan_bad_held_file(
    capsys: pytest.CaptureFixture[str], solved_csv: Path, tmp_path: Path
) -> None:
    held_path = tmp_path / "held.csv"
    held_path.write_text("org_id,start,end\nw00001,2020-01-05,2020-01-05\n", encoding="utf-8")
    code, _out, err = run(capsys, "replan", str(solved_csv), "--held", str(held_path))
    assert code == 2
    assert "held.csv" in err and "Lỗi" in err and "Error" in err and "w00001" in err
    code, _out, err = run(capsys, "replan", str(tmp_path / "nope.csv"))
    assert code == 2 and "nope.csv" in err


@pytest.mark.parametrize("end", ["2020-10-31", "2020-10-22"])
def test_a_later_central_window_moves_only_central_congresses(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, end: str
) -> None:
    """The central window's start moves from 15/9 to 20/9/2020 (with the deadline 31/10, and
    22/10, where every seat is taken and the repair must re-pack the level): the central
    congresses that started before 20/9 move (for the window rule), no district or grassroots
    one, the count never exceeds the repair's, the minimality is said in words, and the new
    plan passes check."""
    base_path, new_path = tmp_path / "base.csv", tmp_path / "new.csv"
    before = f"levels.central.window=[2020-09-15, {end}]"
    after = f"levels.central.window=[2020-09-20, {end}]"
    code, _out, err = run(capsys, "solve", "--set", before, "--out", str(base_path))
    assert code == 0, err
    old = {r["org_id"]: r for r in read_rows(base_path) if r["kind"] == "congress"}
    early = {o for o, r in old.items() if r["level"] == "central" and r["start"] < "2020-09-20"}
    assert early  # the base plan used the days the change takes away
    code, out, err = run(
        capsys, "replan", str(base_path), "--set", after, "--format", "json", "--time-limit", "5"
    )
    assert code == 0, err
    payload = json.loads(out)
    moved = payload["moved"]
    assert {m["level"] for m in moved} == {"central"}
    assert early <= {m["org_id"] for m in moved}
    assert all(m["family"] for m in moved)
    for m in moved:
        if m["org_id"] in early:
            assert m["family"] == "level_window" and m["rule"] == "d35.start.central"
        else:  # displaced by a seed taking its seat, or re-packed
            assert m["family"] in ("level_capacity", "level_window"), m
    assert payload["repair_moved_count"] is not None
    assert payload["moved_count"] <= payload["repair_moved_count"]
    code, out, err = run(
        capsys,
        "replan",
        str(base_path),
        "--set",
        after,
        "--out",
        str(new_path),
        "--time-limit",
        "5",
    )
    assert code == 0, err
    # D8: the moves and the plan's objective, each with what was proven, in words
    assert "Dời ít nhất: đã chứng minh" in out or "Dời ít nhất: chưa chứng minh" in out
    assert "chưa chứng minh là tốt nhất" in out and "not proven best" in out
    assert "OPTIMAL" not in out
    assert "fewest moves, proven" in out or "Not proven to be the fewest" in out
    code, out, err = run(capsys, "check", "--plan", str(new_path), "--complete", "--set", after)
    assert code == 0, out + err


def test_replan_refuses_a_base_of_another_era(
    capsys: pytest.CaptureFixture[str], solved_csv: Path
) -> None:
    """D1: the CLI refuses a base plan of another era (the plan records the unchanged built-in
    scenario, so its era is known), in both languages, with exit 2."""
    code, _out, err = run(capsys, "replan", str(solved_csv), "--set", 'era="2015"')
    assert code == 2
    assert "thời kỳ 2020" in err and "2015" in err and "same era" in err


def test_replan_says_its_elapsed_time_and_an_overrun(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """D20: with a tiny budget (0.1 s, counted from the command's start) the output states the
    command's real elapsed time against the budget, and an overrun as an overrun; the JSON
    carries the same figures."""
    base_path = tmp_path / "base.csv"
    before = "levels.central.window=[2020-09-15, 2020-10-31]"
    after = "levels.central.window=[2020-09-20, 2020-10-31]"
    code, _out, err = run(
        capsys, "solve", "--set", before, "--deterministic", "--time-limit", "4",
        "--out", str(base_path),
    )  # fmt: skip
    assert code == 0, err
    code, out, err = run(capsys, "replan", str(base_path), "--set", after, "--time-limit", "0.1")
    assert code == 0, err
    line = next(x for x in out.splitlines() if "giới hạn" in x and "budget" in x)
    found = re.search(r": ([0-9.]+) s", line.split(" / ")[1])
    assert found is not None, line
    elapsed = float(found[1])
    if elapsed > 0.1:
        assert line.startswith("Vượt giới hạn thời gian:") and "against 0.1 s" in line
    else:
        assert "within the 0.1 s budget" in line
    code, out, err = run(
        capsys, "replan", str(base_path), "--set", after, "--time-limit", "0.1",
        "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    payload = json.loads(out)
    assert payload["objective"] is not None and payload["objective_proven"] is False
    assert payload["time_limit_s"] == 0.1
    assert payload["over_budget"] == (payload["elapsed_s"] > 0.1)
    assert payload["elapsed_s"] >= payload["wall_time_s"]


def test_a_replanned_plan_file_is_never_labelled_optimal(
    capsys: pytest.CaptureFixture[str], solved_csv: Path, lockdown: str, tmp_path: Path
) -> None:
    """D1/D8: the plan file a re-plan writes records the plan as valid (FEASIBLE), the proof of
    the fewest moves apart (``moves_status``), and its objective, not proven best."""
    out_path = tmp_path / "new.json"
    code, _out, err = run(
        capsys, "replan", str(solved_csv), "--set", lockdown, "--out", str(out_path)
    )
    assert code == 0, err
    meta = json.loads(out_path.read_text(encoding="utf-8"))["meta"]
    assert meta["status"] == "FEASIBLE"
    assert meta["moves_status"] in ("OPTIMAL", "FEASIBLE", "unchanged")
    assert meta["objective"] is not None and meta["objective_proven"] is False
