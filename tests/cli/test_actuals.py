"""``planner actuals import|list`` and ``planner progress`` (issue 21, points 1–2)."""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Any

import pytest

from planner.cli import actuals as command
from planner.cli.main import main
from tests.analysis.test_progress import PLAN

HEADER = "org_id,kind,status,start,end,reason\n"
GOOD = HEADER + (
    "d369,congress,held,2020-08-10,2020-08-12,\n"
    "d373,congress,postponed,15/08/2020,16/08/2020,dịch COVID-19\n"
    "d370,review,held,2020-07-01,2020-07-01,\n"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PLANNER_HOME", str(tmp_path / "home"))
    return tmp_path


def _file(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_import_a_good_file_then_list(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Three rows recorded, counted in both languages, listed with their author."""
    code, out, err = run(capsys, "actuals", "import", _file(home, "a.csv", GOOD), "--author", "Lan")
    assert code == 0, err
    assert "Đã nhập 3 kết quả thực tế vào 'xiii-2020'" in out and "Imported 3 actuals" in out
    code, out, _ = run(capsys, "actuals", "list", "--format", "json")
    entries = json.loads(out)
    assert [(e["org_id"], e["kind"], e["status"], e["author"]) for e in entries] == [
        ("d369", "congress", "held", "Lan"),
        ("d373", "congress", "postponed", "Lan"),
        ("d370", "review", "held", "Lan"),
    ]
    assert entries[1]["start"] == "2020-08-15"


def test_a_bad_file_imports_nothing(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One bad row among good ones: exit 2, the line and field named, nothing recorded."""
    bad = GOOD + "p99,congress,held,2020-08-10,2020-08-12,\n"
    code, out, err = run(capsys, "actuals", "import", _file(home, "bad.csv", bad))
    assert code == 2 and out == ""
    assert "bad.csv:5 [org_id]: Lỗi:" in err and "no organisation 'p99'" in err
    assert "Không nhập gì" in err and "Nothing imported" in err
    assert "Traceback" not in err
    code, out, _ = run(capsys, "actuals", "list", "--format", "json")
    assert code == 0 and json.loads(out) == []


def test_a_correction_shows_in_the_unit_history(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Postponed, then held: two entries in the unit's history, oldest first."""
    run(capsys, "actuals", "import", _file(home, "a.csv", GOOD), "--author", "An")
    fixed = HEADER + "d373,congress,held,2020-08-24,2020-08-25,\n"
    run(capsys, "actuals", "import", _file(home, "b.csv", fixed), "--author", "Bình")
    code, out, _ = run(capsys, "actuals", "list", "--org", "d373")
    assert code == 0
    lines = out.splitlines()
    assert "cũ trước" in lines[0] and "oldest first" in lines[0]
    assert "An" in lines[3] and "postponed" in lines[3]
    assert "Bình" in lines[4] and "held" in lines[4]


def test_unknown_document_is_a_bilingual_error(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(
        capsys, "actuals", "import", _file(home, "a.csv", GOOD), "--scenario", "nope"
    )
    assert code == 2 and "Lỗi:" in err and "Error:" in err and "Traceback" not in err


def test_progress_json_from_a_file(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The documented JSON keys, exactly; figures as in the hand-made test."""
    plan = _file(home, "plan.csv", PLAN)
    actuals = _file(home, "a.csv", GOOD)
    code, out, err = run(
        capsys, "progress", plan, "--actuals", actuals, "--today", "2020-08-20", "--format", "json"
    )
    assert code == 0, err
    got = json.loads(out)
    assert list(got) == ["today", "levels", "provinces", "late_units"]
    keys = ["planned_by_today", "held", "late", "postponed", "due_14d"]
    assert all(list(r) == ["level", *keys] for r in got["levels"])
    assert all(list(r) == ["province", *keys] for r in got["provinces"])
    assert all(
        list(u) == ["org_id", "level", "planned_start", "planned_end"] for u in got["late_units"]
    )
    district = next(r for r in got["levels"] if r["level"] == "district")
    assert district == {
        "level": "district",
        "planned_by_today": 7,
        "held": 1,
        "late": 6,
        "postponed": 1,
        "due_14d": 0,
    }


def test_progress_counts_with_the_collector_paused(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cyclic garbage collector is off while progress counts (its passes over the
    nationwide plan's objects cost a tenth of the command) and on again afterwards."""
    seen: list[bool] = []
    counted = command.progress

    def spy(*args: Any) -> Any:
        seen.append(gc.isenabled())
        return counted(*args)

    monkeypatch.setattr(command, "progress", spy)
    plan = _file(home, "plan.csv", PLAN)
    actuals = _file(home, "a.csv", GOOD)
    code, _, err = run(capsys, "progress", plan, "--actuals", actuals, "--today", "2020-08-20")
    assert code == 0, err
    assert seen == [False] and gc.isenabled()


def test_progress_from_the_store_table_and_csv(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--store takes the entries in force; the table is Vietnamese first; csv has sections."""
    run(capsys, "actuals", "import", _file(home, "a.csv", GOOD))
    plan = _file(home, "plan.csv", PLAN)
    code, out, err = run(capsys, "progress", plan, "--store", "--today", "2020-08-20")
    assert code == 0, err
    assert out.startswith("Tiến độ đến ngày Thứ Năm, 20/8/2020")
    assert "Theo cấp / By level:" in out and "Đảng bộ tỉnh Ninh Bình" in out
    assert "Đơn vị chậm: 6 / Late units: 6" in out
    code, out, _ = run(
        capsys, "progress", plan, "--store", "--today", "2020-08-20", "--format", "csv"
    )
    sections = [line.split(",")[0] for line in out.splitlines()[1:]]
    assert sections.count("level") == 3 and sections.count("late_unit") == 6


@pytest.mark.parametrize(
    "extra",
    [[], ["--actuals", "a.csv", "--store"], ["--actuals", "a.csv", "--today", "20/08/2020x"]],
)
def test_progress_bad_arguments_exit_2(
    home: Path, capsys: pytest.CaptureFixture[str], extra: list[str]
) -> None:
    plan = _file(home, "plan.csv", PLAN)
    _file(home, "a.csv", GOOD)
    extra = [str(home / e) if e == "a.csv" else e for e in extra]
    code, _out, err = run(capsys, "progress", plan, *extra)
    assert code == 2 and "Lỗi:" in err and "Error:" in err and "Traceback" not in err


def test_an_unwritable_home_refuses_the_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """PLANNER_HOME that cannot be a folder: exit 2 with the fix, rather than recording the
    actuals in a temporary folder where they would be lost."""
    blocker = tmp_path / "home"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("PLANNER_HOME", str(blocker))
    code, out, err = run(capsys, "actuals", "import", _file(tmp_path, "a.csv", GOOD))
    assert code == 2 and out == "" and "PLANNER_HOME" in err and "Traceback" not in err


def test_a_missing_file_is_a_bilingual_error(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, "actuals", "import", str(home / "nope.csv"))
    assert code == 2 and "Lỗi:" in err and "Error:" in err and "Traceback" not in err
