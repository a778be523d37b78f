"""CLI: timetable and orgs in every format; bad input exits 2 with one bilingual line."""

from __future__ import annotations

import csv
import gc
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from planner.cli import main as cli_main
from planner.cli.main import COMMANDS, build_parser, main
from planner.cli.options import collector_paused
from tests.analysis.test_progress import PLAN
from tests.cli.test_actuals import GOOD


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse --help and usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_timetable_json(capsys: pytest.CaptureFixture[str]) -> None:
    """The JSON timetable lists every step with the documented keys and ISO dates."""
    code, out, _ = run(capsys, "timetable", "--election-day", "2021-05-23", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    keys = {"step_id", "name_vi", "name_en", "article", "rule", "date", "start", "end", "time"}
    assert all(keys <= set(r) for r in rows)
    by_id = {r["step_id"]: r for r in rows}
    assert by_id["el.consultation_1.na"]["date"] == "2021-02-17"
    assert by_id["el.voter_meetings"]["start"] == "2021-03-19"
    assert by_id["el.voter_meetings"]["end"] == "2021-04-18"
    assert "Hội nghị hiệp thương" in by_id["el.consultation_1.na"]["name_vi"]


def test_timetable_csv_and_table(capsys: pytest.CaptureFixture[str]) -> None:
    """CSV has a header and one line per step; the table shows Vietnamese names intact."""
    _, out, _ = run(capsys, "timetable", "--election-day", "2021-05-23", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    _, js, _ = run(capsys, "timetable", "--election-day", "2021-05-23", "--format", "json")
    assert len(rows) == len(json.loads(js))
    code, table, _ = run(capsys, "timetable", "--election-day", "2021-05-23")
    assert code == 0 and "Nộp hồ sơ ứng cử" in table and "E−70" in table


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["timetable", "--election-day", "2021-05-22"], "2021-05-16"),
        (["timetable", "--election-day", "23/05/2021"], "YYYY-MM-DD"),
        (["timetable"], "--election-day"),
        (["orgs", "--level", "province"], "grassroots"),
        (["orgs", "--under", "p999"], "p999"),
        (["orgs", "--format", "xml"], "xml"),
        (["frobnicate"], "frobnicate"),
    ],
)
def test_bad_input_exits_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], needle: str
) -> None:
    """Bad input: exit 2, one line with Lỗi and Error, no traceback."""
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert "Lỗi" in lines[0] and "Error" in lines[0] and needle in lines[0]
    assert "Traceback" not in err


def test_orgs_json_under_province(capsys: pytest.CaptureFixture[str]) -> None:
    """Orgs JSON rows carry org_id, names, level, parent_id and synthetic."""
    code, out, _ = run(capsys, "orgs", "--under", "p37", "--level", "district", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert {"org_id", "name_vi", "name_en", "level", "parent_id", "synthetic"} <= set(rows[0])
    assert all(r["parent_id"] == "p37" and r["level"] == "district" for r in rows)
    assert "Đảng bộ thành phố Ninh Bình" in {r["name_vi"] for r in rows}


def test_orgs_count(capsys: pytest.CaptureFixture[str]) -> None:
    """--count gives the per-level totals of the whole tree."""
    code, out, _ = run(capsys, "orgs", "--count", "--format", "json")
    counts = {r["level"]: r["count"] for r in json.loads(out)}
    assert code == 0 and counts["central"] == 67 and counts["grassroots"] == 52_105


@pytest.mark.parametrize("argv", [[], ["timetable"], ["orgs"]])
def test_help(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    """--help on every command explains itself in both languages and exits 0."""
    code, out, _ = run(capsys, *argv, "--help")
    assert code == 0 and "usage:" in out
    assert any(ch in out for ch in "ảđịệ")


def test_a_command_line_parses_alike_with_its_module_alone(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``COMMANDS`` names every command in ``planner --help`` order, and each command's help
    from the parser of its module alone (what ``main`` builds) is the full parser's."""
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "{" + ",".join(COMMANDS) + "}" in out
    for name in [*COMMANDS, "actuals import"]:
        with pytest.raises(SystemExit):
            build_parser().parse_args([*name.split(), "--help"])
        full = capsys.readouterr().out
        code, out, _ = run(capsys, *name.split(), "--help")
        assert code == 0 and out == full, name


def test_progress_starts_without_the_solver(tmp_path: Path) -> None:
    """``planner progress`` imports neither the solver nor ortools (issue 21: start-up counts in
    the nationwide figure)."""
    plan, actuals = tmp_path / "plan.csv", tmp_path / "a.csv"
    plan.write_text(PLAN, encoding="utf-8")
    actuals.write_text(GOOD, encoding="utf-8")
    argv = ["progress", str(plan), "--actuals", str(actuals), "--today", "2020-08-20"]
    script = (
        "import sys\nfrom planner.cli.main import main\n"
        f"code = main({[*argv, '--format', 'json']!r})\n"
        "print(code, sorted(m for m in ('ortools', 'planner.solver') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.stdout.splitlines()[-1] == "0 []", done.stderr


def test_the_command_modules_load_with_the_collector_paused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parser, and so the command's modules, are built with the collector paused (its
    passes over the modules' objects at start-up free nothing), and it is on again after."""
    seen: list[bool] = []

    def spy(command: str | None = None) -> Any:
        seen.append(gc.isenabled())
        return build_parser(command)

    monkeypatch.setattr(cli_main, "build_parser", spy)
    code, _, _ = run(capsys, "orgs", "--count")
    assert code == 0 and seen == [False] and gc.isenabled()


def test_the_paused_collector_ages_new_objects_without_a_pass() -> None:
    """Objects made while the collector was paused go to the oldest generation when it is
    restored (a pass over a nationwide command's objects would cost as much as the pause
    saved), and nothing stays frozen."""
    with collector_paused():
        kept = [[n] for n in range(10_000)]
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert any(o is kept for o in gc.get_objects(generation=2))
