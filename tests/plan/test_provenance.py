"""A plan knows its scenario: the id and a fingerprint travel with the plan (CSV and JSON), and
``ical``, ``check --plan`` and ``replan`` use them, or refuse another scenario with exit 2."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from planner.cli.main import main
from planner.errors import PlannerError
from planner.plan.frame import read_plan, read_plan_text, write_plan
from planner.plan.provenance import plan_origin, scenario_fingerprint
from planner.scenario.builder import load_scenario, scenario_from_text
from tests.cli.test_solve import run

FULL = "data/scenarios/xiii-2020-full.toml"
CHANGE = "objective.peak_weight=6"  # any change of content; the plan stays feasible


def test_fingerprint_follows_content_not_form() -> None:
    """Comments and key order do not change the fingerprint; a value or a --set does."""
    base = load_scenario()
    text = base.text
    assert scenario_fingerprint(scenario_from_text("# a comment\n" + text)) == (
        scenario_fingerprint(base)
    )
    assert scenario_fingerprint(load_scenario(None, [CHANGE])) != scenario_fingerprint(base)
    assert scenario_fingerprint(base).startswith("sha256:")


def test_solved_plan_records_its_scenario(solved_csv: Path) -> None:
    """Every CSV row carries the scenario id and fingerprint of the built-in scenario."""
    with solved_csv.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["scenario"] for r in rows} == {"xiii-2020"}
    assert {r["scenario_fingerprint"] for r in rows} == {scenario_fingerprint(load_scenario())}
    frame = read_plan(solved_csv)
    origin = plan_origin(frame)
    assert origin is not None and origin.scenario == "xiii-2020"


def test_json_plan_records_and_reads_back(solved_csv: Path, tmp_path: Path) -> None:
    """A JSON plan carries them in its meta and reads back to the same dates and origin."""
    frame = read_plan(solved_csv)
    path = tmp_path / "plan.json"
    write_plan(frame, path, {"status": "FEASIBLE"})
    meta = json.loads(path.read_text(encoding="utf-8"))["meta"]
    assert meta["scenario"] == "xiii-2020" and meta["scenario_fingerprint"].startswith("sha256:")
    again = read_plan(path)
    assert plan_origin(again) == plan_origin(frame)
    assert list(again["start"]) == list(frame["start"])


def test_a_plan_of_two_scenarios_is_refused() -> None:
    """Rows from different scenarios pasted together: a bilingual error naming the line."""
    text = (
        "org_id,start,end,scenario\n"
        "p37,2020-10-20,2020-10-22,xiii-2020\n"
        "p01,2020-10-20,2020-10-22,xiii-2020-full\n"
    )
    with pytest.raises(PlannerError) as err:
        read_plan_text(text, "mixed.csv")
    assert err.value.line == 3 and err.value.field == "scenario"


def test_ical_finds_the_plans_scenario(
    solved_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --scenario the built-in scenario the plan names is used: UIDs of xiii-2020."""
    code, _out, err = run(capsys, "ical", str(solved_csv), "--out", str(tmp_path / "f"))
    assert code == 0, err
    assert "xiii-2020.congress.p37@planner" in (tmp_path / "f" / "central-p37.ics").read_text(
        encoding="utf-8"
    )
    assert "scenario recorded in the plan: xiii-2020" in err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--scenario", FULL], ("xiii-2020-full", "xiii-2020")),  # another id: other UIDs
        (["--set", CHANGE], ("fingerprint", "--set")),  # same id, other content
    ],
)
def test_ical_refuses_another_scenario(
    solved_csv: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    words: tuple[str, ...],
) -> None:
    """The nationwide scenario, or the built-in one changed by --set: exit 2, nothing written."""
    code, _out, err = run(capsys, "ical", str(solved_csv), *args, "--out", str(tmp_path / "f"))
    assert code == 2 and "Lỗi" in err and "Error" in err and "Traceback" not in err
    for word in words:
        assert word in err
    assert not (tmp_path / "f").exists()


def test_check_uses_and_guards_the_plans_scenario(
    solved_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """check --plan: the recorded scenario by default; another id is exit 2; the same scenario
    changed by --set is checked, with a note (that is what re-planning starts from)."""
    code, out, err = run(capsys, "check", "--plan", str(solved_csv), "--complete")
    assert code == 0, out + err
    code, _out, err = run(capsys, "check", FULL, "--plan", str(solved_csv))
    assert code == 2 and "xiii-2020-full" in err
    code, _out, err = run(capsys, "check", "--plan", str(solved_csv), "--set", CHANGE)
    assert code in (0, 1) and "Note: the scenario differs" in err


def test_replan_refuses_a_base_plan_of_another_scenario(
    solved_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """replan with the nationwide scenario over the built-in plan: exit 2 before solving."""
    code, _out, err = run(capsys, "replan", str(solved_csv), FULL)
    assert code == 2 and "xiii-2020-full" in err and "Traceback" not in err


def test_replanned_plan_records_the_changed_scenario(
    solved_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The new plan of a replan records the changed scenario; exporting it needs the same
    --set, which it then accepts."""
    new = tmp_path / "new.csv"
    code, _out, err = run(capsys, "replan", str(solved_csv), "--set", CHANGE, "--out", str(new))
    assert code == 0, err
    origin = plan_origin(read_plan(new))
    assert origin is not None
    assert origin.fingerprint == scenario_fingerprint(load_scenario(None, [CHANGE]))
    assert main(["ical", str(new), "--out", str(tmp_path / "a")]) == 2
    assert main(["ical", str(new), "--set", CHANGE, "--out", str(tmp_path / "b")]) == 0
