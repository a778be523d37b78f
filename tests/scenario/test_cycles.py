"""Every cycle as data (issue 15): each cycle's scenario loads on its era's tree and solves to a
plan the validator accepts; the law in force drives the timetable; real congress dates are
checked against each cycle's rules (back-tests); planned and actual dates are kept apart; and
the declared schema is the published JSON Schema (its docs table: tests/test_docs.py)."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from planner.analysis.validate import validate
from planner.problem.units import build_problem
from planner.rules.families import FAMILY_IDS
from planner.rules.rulebook import load_rulebook
from planner.rules.timetable import election_timetable
from planner.scenario.builder import load_scenario, tree_for
from planner.scenario.schema import BY_KEY, json_schema, pattern_of
from planner.solver import solve
from planner.tree.eras import load_eras
from planner.tree.levels import Level
from tests.cli.test_solve import run
from tests.conftest import DATA

CYCLES = {
    "xii-2015": ("2015", 67, "district"),
    "xiv-2025": ("2025", 40, "commune"),
    "xv-2030-projection": ("2025", 40, "commune"),
}


@pytest.mark.parametrize("name", sorted(CYCLES))
def test_each_cycle_solves_on_its_era_and_validates(name: str) -> None:
    """The scenario's era gives its tree (no district level in 2025, 40 central committees),
    and the plan keeps every rule of that cycle."""
    era, centrals, upper = CYCLES[name]
    scenario = load_scenario(DATA / "scenarios" / f"{name}.toml")
    assert scenario.era == era
    levels = [lv.value for lv in scenario.era_levels]
    assert levels == ["national", "central", upper, "grassroots"]
    problem = build_problem(scenario, tree_for(scenario))
    assert sum(u.level == Level.CENTRAL for u in problem.units) == centrals
    report = solve(problem, time_limit=10.0, workers=1, seed=0, deterministic=True)
    assert report.plan is not None, report.as_dict()
    verdict = validate(problem, report.plan, complete=True)
    assert verdict.ok, [v.message_en for v in verdict.violations[:3]]
    assert {str(lv) for lv in report.plan[report.plan["kind"] == "congress"]["level"]} == set(
        levels
    )


def test_the_2026_timetable_follows_law_83(capsys: pytest.CaptureFixture[str]) -> None:
    """E = 15/3/2026: candidate files E−42 (1/2/2026), polling teams E−43, ballots E−13 under
    Law 85 as amended by Law 83; steps Law 83 left unverified are marked; --law forces Law 85
    alone (E−70 = 4/1/2026). Expected dates are E + the offsets of CYCLES.md §2.4."""
    code, out, err = run(capsys, "timetable", "--election-day", "2026-03-15", "--format", "json")
    assert code == 0, err
    rows = {r["step_id"]: r for r in json.loads(out)}
    assert rows["el.candidate_files"]["date"] == "2026-02-01"
    assert rows["el.polling_teams"]["date"] == "2026-01-31"
    assert rows["el.materials_to_polling_teams"]["date"] == "2026-03-02"
    assert {r["law"] for r in rows.values()} == {"election-law-85-2015+election-law-83-2025"}
    assert rows["el.official_list.na"]["date"] == "2026-02-26"
    assert rows["el.electoral_units"]["status"] == "verified"
    assert rows["el.structure_adjustment_1"]["status"].startswith("belief")
    code, out, _err = run(
        capsys, "timetable", "--election-day", "2026-03-15", "--law", "election-law-85-2015",
        "--format", "json",
    )  # fmt: skip
    assert code == 0
    rows = {r["step_id"]: r for r in json.loads(out)}
    assert rows["el.candidate_files"]["date"] == "2026-01-04"


# CYCLES.md §2.4, "Statutory offsets ... Updated 2026-12-05 from the text of Law 83/2025/QH15"
# (thuvienphapluat document 663780 and a consolidated text): each offset this change corrected,
# as (step, the CYCLES row, offset, date for E = 15/3/2026), typed from CYCLES, not the data.
CORRECTED_2026 = [
    ("el.official_list.na", "official candidate lists (NEC for the NA)", "E−17", "2026-02-26"),
    ("el.official_list.pc", "official candidate lists (committees, PCs)", "E−17", "2026-02-26"),
    ("el.materials_to_election_boards", "ballots to election boards", "E−17", "2026-02-26"),
    ("el.official_list_posted", "official lists posted at polling areas", "E−16", "2026-02-27"),
    ("el.consultation_3_records_sent", "Fatherland Front sends the lists", "E−21", "2026-02-22"),
    ("el.structure_adjustment_2", "second adjustment of the structure", "E−38", "2026-02-05"),
    ("el.voter_matters_checked", "matters raised by voters checked", "E−35", "2026-02-08"),
    ("el.electoral_units", "constituencies published (unchanged)", "E−80", "2025-12-25"),
    ("el.consultation_2", "2nd consultative conference", "E−40", "2026-02-03"),
    ("el.consultation_3", "3rd consultative conference", "E−23", "2026-02-20"),
    ("el.voter_lists_posted", "voter list posted (not amended)", "E−40", "2026-02-03"),
    ("el.results.na", "results: NA ≤ E+10", "E+10", "2026-03-25"),
    ("el.additional_election", "re-votes and additional voting ≤ E+7", "E+7", "2026-03-22"),
    ("el.re_election", "re-votes and additional voting ≤ E+7", "E+7", "2026-03-22"),
    ("el.results_complaints.na", "complaints lodged within 3 d", "E+13", "2026-03-28"),
    ("el.results_complaints_decided.na", "complaints decided within 7 d", "E+20", "2026-04-04"),
]


@pytest.mark.parametrize(
    ("step", "row", "rule", "date"), CORRECTED_2026, ids=[c[0] for c in CORRECTED_2026]
)
def test_2026_offsets_of_law_83(step: str, row: str, rule: str, date: str) -> None:
    """Issue 20.5. Source: CYCLES.md §2.4, the Law 83/2025 column (VERIFIED from the law's
    text), for E = 15/3/2026 (NA Resolution 199/2025/QH15). E.g. the official NA list is due
    E−17 = 26/2/2026, not Law 85's E−25; each such step is verified in the 2026 timetable."""
    day = dt.date(2026, 3, 15)
    table = election_timetable(day, load_rulebook().law_for_election(day))
    got = table.step(step)
    assert (got.rule, got.date) == (rule, dt.date.fromisoformat(date)), row
    assert got.status == "verified", row


def test_polling_teams_of_law_85_are_e_minus_50() -> None:
    """Issue 20.5. Source: CYCLES.md §2.4 row "election teams": Law 85 E−50 (not E−35; 3/4/2021 for
    2021), Law 83 E−43; REFERENCE §4.1 row 14. So 2/4/2016, 3/4/2021, 31/1/2026, and no rule note
    gives the election teams E−35."""
    book = load_rulebook()
    for day, due in (
        (dt.date(2016, 5, 22), dt.date(2016, 4, 2)),
        (dt.date(2021, 5, 23), dt.date(2021, 4, 3)),
        (dt.date(2026, 3, 15), dt.date(2026, 1, 31)),
    ):
        law = book.law_for_election(day)
        row = election_timetable(day, law).step("el.polling_teams")
        assert row.date == due, day
        assert "E−35" not in (row.note or "") and "E−50" in (row.note or ""), day


def test_law_85_values_quoted_by_law_83_are_verified() -> None:
    """Issue 20.5. Source: CYCLES.md §2.4, Law 85 column, quoted by the text of Law 83/2025 as the
    values it replaces: second adjustment E−55 and re-votes ≤ E+15 are statutory (no longer
    beliefs), and complaints about results are decided within 30 d (NEC) / 20 d (committees)."""
    day = dt.date(2021, 5, 23)
    table = election_timetable(day, load_rulebook().law_for_election(day))
    for step, rule in (("el.structure_adjustment_2", "E−55"), ("el.re_election", "E+15")):
        assert (table.step(step).rule, table.step(step).status) == (rule, "verified"), step
    assert table.step("el.results_complaints_decided.na").rule == "E+55"
    assert table.step("el.results_complaints_decided.pc").rule == "E+35"


def test_the_2021_and_2016_timetables_follow_law_85(capsys: pytest.CaptureFixture[str]) -> None:
    """E = 23/5/2021: candidate files E−70 = 14/3/2021 (REFERENCE §4); E = 22/5/2016: 13/3."""
    for day, files in (("2021-05-23", "2021-03-14"), ("2016-05-22", "2016-03-13")):
        code, out, err = run(capsys, "timetable", "--election-day", day, "--format", "json")
        assert code == 0, err
        rows = {r["step_id"]: r for r in json.loads(out)}
        assert rows["el.candidate_files"]["date"] == files
        assert {r["law"] for r in rows.values()} == {"election-law-85-2015"}


@pytest.mark.parametrize(
    ("history", "scenario"),
    [("xiii-2020", "xiii-2020"), ("xiv-2025", "xiv-2025")],
)
def test_real_congress_dates_keep_their_cycles_rules(
    capsys: pytest.CaptureFixture[str], history: str, scenario: str
) -> None:
    """Congress dates typed from public reports (data/history, a source per row) pass check."""
    code, out, err = run(
        capsys, "check", str(DATA / "scenarios" / f"{scenario}.toml"),
        "--plan", str(DATA / "history" / f"{history}.csv"),
    )  # fmt: skip
    assert code == 0, out + err
    assert " 0 vi phạm / violations" in out


def test_the_2015_back_test_names_the_real_deviations(capsys: pytest.CaptureFixture[str]) -> None:
    """In 2015 Hà Nội's congress ended on 3/11/2015, after Directive 36's end of October, and
    Hồ Chí Minh City's lasted 5 days, over the 4 allowed (data/history/xii-2015.csv sources):
    the back-test names both, with the directive's rules."""
    code, out, _err = run(
        capsys, "check", str(DATA / "scenarios" / "xii-2015.toml"),
        "--plan", str(DATA / "history" / "xii-2015.csv"),
    )  # fmt: skip
    assert code == 1
    assert "[level_window · d36.end.central]" in out and "(p01)" in out
    assert "[duration · d36.duration.central]" in out and "(p79)" in out


def test_a_plan_is_checked_against_planned_or_actual_dates(
    capsys: pytest.CaptureFixture[str], solved_csv: Path
) -> None:
    """The default plan holds the 13th Congress on its planned 25/1–2/2/2021; against the actual
    dates (closed 1/2/2021) the same plan is wrong by a day, and says so."""
    code, out, err = run(capsys, "check", "--plan", str(solved_csv))
    assert code == 0, out + err
    code, out, _err = run(capsys, "check", "--plan", str(solved_csv), "--set", "milestones=actual")
    assert code == 1
    assert "(vn)" in out and "2021-02-01" in out


def test_orgs_lists_the_tree_of_a_scenarios_era(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "orgs", "--scenario", str(DATA / "scenarios" / "xiv-2025.toml"), "--count",
        "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    counts = {r["level"]: r["count"] for r in json.loads(out)}
    assert counts["central"] == 40 and counts["national"] == 1
    assert "district" not in counts and counts["commune"] > 3321


def test_a_projection_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "solve", str(DATA / "scenarios" / "xv-2030-projection.toml"), "--deterministic",
        "--time-limit", "10",
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith("DỰ PHÓNG") and "PROJECTION" in out.splitlines()[0]


def _levels() -> list[str]:
    ids = {lv.id for era in load_eras().values() for lv in era.levels}
    return sorted(ids, key=lambda i: (Level(i).depth, i))


def test_the_published_json_schema_is_the_schema() -> None:
    published = json.loads((DATA / "scenario.schema.json").read_text(encoding="utf-8"))
    assert published == json_schema(_levels(), FAMILY_IDS)


def _keys(doc: dict[str, Any], prefix: str = "") -> list[str]:
    out = []
    for key, value in doc.items():
        dotted = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict) and pattern_of(dotted) not in BY_KEY:
            out += _keys(value, dotted)
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            out += [dotted] + [k for item in value for k in _keys(item, f"{dotted}[0]")]
        else:
            out.append(dotted)
    return out


@pytest.mark.parametrize("path", sorted((DATA / "scenarios").glob("*.toml")), ids=lambda p: p.stem)
def test_every_key_of_every_scenario_file_is_declared(path: Path) -> None:
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    for key in _keys(doc):
        assert pattern_of(key) in BY_KEY, key


def test_the_cli_lists_every_cycle(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "scenarios", "--format", "json")
    assert code == 0, err
    rows = {r["cycle"]: r for r in json.loads(out)}
    assert set(rows) == {"xii-2015", "xiii-2020", "xiv-2025", "xv-2030"}
    assert rows["xiv-2025"]["era"] == "2025" and rows["xii-2015"]["era"] == "2015"
    assert rows["xv-2030"]["projection"] == "yes"
