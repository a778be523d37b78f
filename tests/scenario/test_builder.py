"""Scenario files: defaults from the rules, --set overrides, and bilingual errors for bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from planner.errors import PlannerError
from planner.problem.units import build_problem
from planner.scenario.builder import load_scenario, scenario_from_text
from planner.scenario.reader import parse_set
from planner.tree.build import build_tree
from planner.tree.hierarchy import Level
from tests.conftest import DATA
from tests.tiny import TINY_SCENARIO, tiny_scenario, tiny_tree

D = dt.date


def test_default_scenario_models_the_real_cycle() -> None:
    """Directive 35 deadlines, the national congress, election day and Ninh Bình's grassroots."""
    s = load_scenario()
    assert s.levels[Level.GRASSROOTS].window == (D(2020, 4, 1), D(2020, 6, 30))
    assert s.levels[Level.DISTRICT].window[1] == D(2020, 8, 31)
    assert s.levels[Level.CENTRAL].window[1] == D(2020, 10, 31)
    assert s.levels[Level.NATIONAL].window == (D(2021, 1, 25), D(2021, 2, 2))
    assert s.election_day == D(2021, 5, 23)
    assert s.levels[Level.GRASSROOTS].provinces == (37,)
    ids = {b.id for b in s.blackouts}
    assert "covid.distancing-2020-04" in ids and "plenum.xii-13" in ids
    assert "holiday.2021-02-12" in ids


def test_windows_default_to_the_directive() -> None:
    """Without a window in the file, the level window comes from d35.start/end rules."""
    s = tiny_scenario("levels.grassroots.plan=true", "horizon.end=2020-12-31")
    assert s.levels[Level.GRASSROOTS].window == (D(2020, 4, 1), D(2020, 6, 30))
    assert s.levels[Level.GRASSROOTS].max_days == 2


def test_set_overrides_and_parses_toml() -> None:
    """--set takes dotted keys with TOML values: lists of dates, numbers, strings, tables."""
    s = load_scenario(
        None,
        [
            "levels.central.window=[2020-09-15, 2020-10-20]",
            "levels.central.daily_capacity=2",
            'alignment.national_before_step="el.consultation_1.pc"',
            "families.blackout.hard=false",
        ],
    )
    assert s.levels[Level.CENTRAL].window == (D(2020, 9, 15), D(2020, 10, 20))
    assert s.levels[Level.CENTRAL].daily_capacity == 2
    assert s.national_before_step == "el.consultation_1.pc"
    assert not s.hard("blackout") and s.on("blackout")


def test_parse_set_bare_words_are_strings() -> None:
    """A bare word is taken as a string; a missing '=' is an error."""
    assert parse_set("alignment.national_before_step=el.voting") == (
        ["alignment", "national_before_step"],
        "el.voting",
    )
    with pytest.raises(PlannerError):
        parse_set("levels.central.days")


BAD_SETS = [
    ("levels.central.windw=[2020-09-01, 2020-10-31]", "window"),
    ("levels.central.window=[2020-10-31, 2020-09-01]", "2020-10-31"),
    ("levels.central.window=2020-09-01", "[first day, last day]"),
    ("levels.central.days=5", "4"),
    ("levels.central.days=0", "from 1 to"),
    ("election.day=2021-05-22", "2021-05-16"),
    ("levels.province.window=[2020-09-01, 2020-10-31]", "province"),
    ("families.duration.enabled=false", "duration"),
    ("families.preferred.hard=true", "soft"),
    ('blackouts.named=["covid"]', "covid"),
    ('blackouts.weekdays=["dimanche"]', "dimanche"),
    ('rulesets=["directive-35-2019"]', "election-law-85-2015"),
    ("horizon.end=2019-01-01", "inverted"),
    ("levels.central.window=[2020-09-01, 2022-10-31]", "horizon"),
    ('alignment.national_before_step="el.nope"', "el.nope"),
    ('pins=[{org="p99", start=2020-10-01}]', "p99"),
    ('pins=[{org="w00001", start=2020-05-01}]', "not planned"),
    ('pilots.units=["p01"]', "pilot window"),
    ('levels.grassroots.provinces=["37"]', "province codes"),
    ("blackouts.ranges=[{start=2020-05-01, end=2020-05-14, provinces=37}]", "province codes"),
    ("blackouts.ranges=[{start=2020-05-01, end=2020-05-14, provinces=[99]}]", "99"),
]


@pytest.mark.parametrize(("item", "needle"), BAD_SETS, ids=[b[0][:40] for b in BAD_SETS])
def test_bad_values_are_bilingual_errors(item: str, needle: str) -> None:
    """Each bad value names the key (as --set), says what is wrong in both languages."""
    with pytest.raises(PlannerError) as err:
        scenario = load_scenario(None, [item])
        build_problem(scenario, build_tree())
    exc = err.value
    text = exc.one_line()
    assert "Lỗi:" in text and "Error:" in text
    assert needle in exc.text_en() or needle in exc.text_vi()
    assert exc.field is not None


def test_errors_in_a_file_name_the_line(tmp_path: Path) -> None:
    """A bad value inside a file is reported with the file name and its line."""
    text = TINY_SCENARIO.replace("days = 2\n\n[levels.district]", "days = 9\n\n[levels.district]")
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlannerError) as err:
        load_scenario(path)
    line = text.splitlines().index("days = 9") + 1
    assert err.value.file == "mine.toml" and err.value.line == line


def test_invalid_toml_and_schema(tmp_path: Path) -> None:
    """Broken TOML and a missing schema_version are clear errors, not tracebacks."""
    with pytest.raises(PlannerError) as err:
        scenario_from_text("schema_version = 1\n[horizon\n", "up.toml")
    assert err.value.file == "up.toml" and err.value.line == 2
    with pytest.raises(PlannerError) as err:
        scenario_from_text("id = 'x'\n", "up.toml")
    assert err.value.field == "schema_version"
    path = tmp_path / "latin1.toml"
    path.write_bytes("name_vi = 'Đại hội'".encode("utf-16"))
    with pytest.raises(PlannerError):
        load_scenario(path)


def test_unknown_top_level_key_in_file(tmp_path: Path) -> None:
    """A typo in a file's table name is caught with a suggestion."""
    path = tmp_path / "typo.toml"
    path.write_text(TINY_SCENARIO.replace("[gaps]", "[gapz]"), encoding="utf-8")
    with pytest.raises(PlannerError) as err:
        load_scenario(path)
    assert "gaps" in (err.value.hint_en or "")
    assert err.value.line == TINY_SCENARIO.splitlines().index("[gaps]") + 1


def test_exactly_one_of_day_or_choose() -> None:
    """election.day and election.choose exclude each other; a range without Sunday is refused."""
    with pytest.raises(PlannerError):
        tiny_scenario("election.choose=[2020-05-01, 2020-07-31]")
    text = TINY_SCENARIO.replace("day = 2020-07-05", "choose = [2020-07-06, 2020-07-10]")
    with pytest.raises(PlannerError) as err:
        scenario_from_text(text, "x.toml")
    assert "Sunday" in err.value.message_en


def test_pins_override_duration() -> None:
    """A pin with an end date sets that congress's length (within the maximum)."""
    problem = build_problem(
        tiny_scenario('pins=[{org="a", start=2020-02-03, end=2020-02-06}]'), tiny_tree()
    )
    assert problem.unit("a").days == 4
    with pytest.raises(PlannerError):
        build_problem(
            tiny_scenario('pins=[{org="a", start=2020-02-03, end=2020-02-09}]'), tiny_tree()
        )


def test_scenario_file_is_in_data() -> None:
    """The default scenario lives under data/scenarios."""
    assert (DATA / "scenarios" / "xiii-2020.toml").is_file()


def test_nationwide_scenario_plans_every_grassroots_congress() -> None:
    """xiii-2020-full plans every level, all 52,105 grassroots congresses included."""
    scenario = load_scenario(DATA / "scenarios" / "xiii-2020-full.toml")
    problem = build_problem(scenario, build_tree())
    levels = [u.level for u in problem.units]
    assert levels.count(Level.GRASSROOTS) == 52_105
    assert levels.count(Level.CENTRAL) == 67
