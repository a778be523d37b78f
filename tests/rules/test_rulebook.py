"""Rule sets by document and date, amendments composed over a base law, and the law in force.

Back-tests: for the elections of 22/5/2016, 23/5/2021 and 15/3/2026 every statutory step must fall
on E + the offset of the law in force, with its article. The offsets and articles below are typed
from REFERENCE.md §4.1 (Law 85/2015) and CYCLES.md §2.4 (Law 83/2025), not read from the data.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from planner.errors import DataFileError, PlannerError
from planner.rules.catalogue import RuleSet
from planner.rules.rulebook import ComposedRuleSet, load_rulebook
from planner.rules.timetable import Timetable, election_timetable
from tests.conftest import DATA, replace_once

D = dt.date
E2016, E2021, E2026 = D(2016, 5, 22), D(2021, 5, 23), D(2026, 3, 15)

# REFERENCE §4.1: step → (offset from E, number of an article it must cite). Windows: (start, end).
LAW85: dict[str, tuple[int | tuple[int, int], int]] = {
    "el.election_day.announced": (-115, 5),
    "el.seat_structure": (-105, 7),
    "el.election_committees": (-105, 22),
    "el.consultation_1.na": (-95, 39),
    "el.consultation_1.pc": (-95, 50),
    "el.structure_adjustment_1": (-90, 41),
    "el.electoral_units": (-80, 10),
    "el.election_boards": (-70, 24),
    "el.candidate_files": (-70, 35),
    "el.consultation_2": (-65, 43),
    "el.voter_meetings": ((-65, -35), 45),
    "el.structure_adjustment_2": (-55, 46),
    "el.polling_teams": (-50, 25),
    "el.voter_lists_posted": (-40, 32),
    "el.consultation_3": (-35, 49),
    "el.consultation_3_records_sent": (-30, 57),
    "el.official_list.na": (-25, 57),
    "el.official_list.pc": (-25, 58),
    "el.materials_to_election_boards": (-25, 23),
    "el.campaigning": ((-25, -1), 64),
    "el.official_list.na_province": (-20, 57),
    "el.official_list_posted": (-20, 59),
    "el.materials_to_polling_teams": (-15, 24),
    "el.candidate_complaints_stop": ((-10, -1), 61),
    "el.voters_informed": ((-10, -1), 25),
    "el.voting": (0, 71),
    "el.results.pc": (10, 86),
    "el.additional_election": (15, 79),
    "el.re_election": (15, 80),
    "el.results.pc_complaints": (15, 87),
    "el.results.na": (20, 86),
    "el.results.na_complaints": (25, 87),
    "el.results_complaints_decided.pc": (35, 87),  # + 20 days to decide (REFERENCE row 31)
    "el.results_complaints_decided.na": (55, 87),  # + 30 days to decide (REFERENCE row 31)
    "el.first_session.pc": (45, 80),
    "el.first_session.na": (60, 83),
}
# The complaint steps are anchored on the results (E+10 / E+20, then +5 days, Điều 87).
LAW85["el.results_complaints.pc"] = LAW85.pop("el.results.pc_complaints")
LAW85["el.results_complaints.na"] = LAW85.pop("el.results.na_complaints")

# CYCLES §2.4 (updated from the text of Law 83/2025): every dated step of the 2026 timetable →
# (offset from E, status). Windows: (start, end). Marked "derived" where CYCLES gives no value.
LAW83: dict[str, tuple[int | tuple[int, int], str]] = {
    "el.election_day.announced": (-115, "verified"),
    "el.seat_structure": (-105, "verified"),
    "el.election_committees": (-105, "verified"),
    "el.consultation_1.na": (-95, "verified"),
    "el.consultation_1.pc": (-95, "verified"),
    "el.structure_adjustment_1": (-90, "belief"),  # not in CYCLES: Law 85's belief kept
    "el.electoral_units": (-80, "verified"),
    "el.election_boards": (-70, "verified"),
    "el.polling_teams": (-43, "verified"),
    "el.candidate_files": (-42, "verified"),
    "el.consultation_2": (-40, "verified"),
    "el.voter_lists_posted": (-40, "verified"),
    "el.voter_meetings": ((-40, -23), "verified"),  # derived: between HT2 and HT3
    "el.structure_adjustment_2": (-38, "verified"),
    "el.voter_matters_checked": (-35, "verified"),  # new in Law 83
    "el.consultation_3": (-23, "verified"),
    "el.consultation_3_records_sent": (-21, "verified"),
    "el.official_list.na": (-17, "verified"),
    "el.official_list.pc": (-17, "verified"),
    "el.materials_to_election_boards": (-17, "verified"),
    "el.campaigning": ((-17, -1), "belief"),  # derived: from the official lists
    "el.official_list.na_province": (-16, "belief"),  # derived: by the posting deadline
    "el.official_list_posted": (-16, "verified"),
    "el.materials_to_polling_teams": (-13, "verified"),
    "el.candidate_complaints_stop": ((-10, -1), "belief"),  # not in CYCLES
    "el.voters_informed": ((-10, -1), "belief"),  # not in CYCLES
    "el.voting": (0, "verified"),
    "el.additional_election": (7, "verified"),
    "el.re_election": (7, "verified"),
    "el.results.pc": (10, "verified"),
    "el.results.na": (10, "verified"),
    "el.results_complaints.pc": (13, "verified"),  # 3 days after the results
    "el.results_complaints.na": (13, "verified"),
    "el.results_complaints_decided.pc": (20, "verified"),  # 7 days to decide
    "el.results_complaints_decided.na": (20, "verified"),
    "el.first_session.pc": (45, "verified"),
    "el.first_session.na": (60, "verified"),
}
# Law 83 steps whose value Law 85 does not give, and the article each cites.
LAW83_ADDED = {"el.voter_matters_checked": 46}
# CYCLES §2.4: values a source confirms unchanged.
LAW83_CONFIRMED = (
    "el.election_day.announced",
    "el.seat_structure",
    "el.consultation_1.na",
    "el.consultation_1.pc",
    "el.electoral_units",
    "el.election_boards",
    "el.voter_lists_posted",
    "el.results.pc",
)
# Dated steps CYCLES §2.4 does not give: the Law 85 value is kept as a parameter and marked.
LAW83_UNVERIFIED = (
    "el.structure_adjustment_1",
    "el.candidate_complaints_stop",
    "el.voters_informed",
)


def _cites(row_article: str | None, number: int) -> bool:
    """True when the article text (e.g. ``Điều 38, 39``) lists article ``number``."""
    return number in {int(n) for n in re.findall(r"\d+", row_article or "")}


def _expected(day: dt.date, offset: int | tuple[int, int]) -> tuple[dt.date, dt.date]:
    lo, hi = offset if isinstance(offset, tuple) else (offset, offset)
    return day + dt.timedelta(days=lo), day + dt.timedelta(days=hi)


def _timetable(day: dt.date) -> Timetable:
    return election_timetable(day, load_rulebook().law_for_election(day))


@pytest.mark.parametrize("day", [E2016, E2021], ids=["2016", "2021"])
def test_law85_back_test(day: dt.date) -> None:
    """2016 and 2021: every dated step is E + its Law 85 offset, citing Law 85 and its article."""
    table = _timetable(day)
    for step_id, (offset, article) in LAW85.items():
        row = table.step(step_id)
        assert (row.first_day, row.last_day) == _expected(day, offset), step_id
        assert _cites(row.source.article, article), step_id
    for row in table.dated():
        assert row.step_id in LAW85, f"{row.step_id} has a date but no typed offset"
    assert all("83/2025" not in row.source.cite() for row in table)


def test_literal_dates_of_past_elections() -> None:
    """Dates printed in official 2016 and 2021 documents (REFERENCE, 'How deadlines count')."""
    t2021 = _timetable(E2021)
    assert t2021.step("el.electoral_units").date == D(2021, 3, 4)  # CV 64: 80 days → 04/3/2021
    assert t2021.step("el.election_boards").date == D(2021, 3, 14)  # CV 64: 70 days → 14/3/2021
    assert t2021.step("el.seat_structure").date == D(2021, 2, 7)  # 105 days → 07/02/2021
    assert t2021.step("el.results.pc").date == D(2021, 6, 2)  # +10 → 02/6/2021
    assert t2021.step("el.results.na").date == D(2021, 6, 12)  # +20 → 12/6/2021
    t2016 = _timetable(E2016)
    assert t2016.step("el.structure_adjustment_1").date == D(2016, 2, 22)  # ninhthuan.gov.vn
    assert t2016.step("el.structure_adjustment_2").date == D(2016, 3, 28)


def test_law83_back_test_2026() -> None:
    """Issue 20.5. 2026: every dated step is E + its Law 83 offset (CYCLES §2.4) with its status,
    cites both laws and its article; confirmed steps keep Law 85's value; the steps CYCLES does not
    give keep their Law 85 offset, marked belief; the new step is added."""
    law = load_rulebook().law_for_election(E2026)
    assert isinstance(law, ComposedRuleSet) and isinstance(law, RuleSet)
    assert law.amendment_ids == ("election-law-83-2025",)
    table = election_timetable(E2026, law)
    for step_id, (offset, status) in LAW83.items():
        row = table.step(step_id)
        assert (row.first_day, row.last_day) == _expected(E2026, offset), step_id
        assert row.status == status, step_id
    for row in table.dated():
        assert row.step_id in LAW83, f"{row.step_id} has a date but no typed offset"
    for step_id in LAW83_CONFIRMED:
        assert LAW83[step_id][0] == LAW85[step_id][0], step_id
        assert law.origin_of(step_id) == "confirmed", step_id
    for step_id in LAW83_UNVERIFIED:
        assert LAW83[step_id][0] == LAW85[step_id][0], step_id
        assert "UNVERIFIED" in (table.step(step_id).note or ""), step_id
        assert law.origin_of(step_id) == "kept_unverified", step_id
    for step_id, article in LAW83_ADDED.items():
        assert law.origin_of(step_id) == "added"
        assert _cites(table.step(step_id).source.article, article), step_id
    committees = table.step("el.election_committees")
    assert "huyện" not in committees.name_vi and "district" not in committees.name_en
    for step_id, (_offset, article) in LAW85.items():
        assert _cites(table.step(step_id).source.article, article), step_id
    for row in table:
        if row.source.document.startswith("Luật 85/2015/QH13"):
            assert "Luật 83/2025/QH15" in row.source.document, row.step_id
        if law.origin_of(row.step_id) == "kept_unverified":
            assert row.status == "belief", row.step_id
    assert not [r.id for r in law.by_family("election_step") if law.origin_of(r.id) == "base"]


def test_2026_dates_match_the_fatherland_front_schedule() -> None:
    """HT1 by 10/12/2025, HT2 by 3/2/2026, HT3 by 20/2/2026 (vietnamplus post1077340)."""
    table = _timetable(E2026)
    assert table.step("el.consultation_1.na").date == D(2025, 12, 10)
    assert table.step("el.consultation_2").date == D(2026, 2, 3)
    assert table.step("el.consultation_3").date == D(2026, 2, 20)


def test_first_deadline_decides_the_law() -> None:
    """Law 83 (in force 1/7/2025) governs an election only if its first deadline, E−115, falls on
    or after 1/7/2025: E = 26/10/2025 (E−115 = 3/7) yes, E = 19/10/2025 (E−115 = 26/6) no."""
    book = load_rulebook()
    assert book.law_for_election(D(2025, 10, 26)).id.endswith("+election-law-83-2025")
    assert book.law_for_election(D(2025, 10, 19)).id == "election-law-85-2015"
    assert book.law_in_force(D(2025, 7, 1)).id.endswith("+election-law-83-2025")
    assert book.law_in_force(D(2025, 6, 30)).id == "election-law-85-2015"


def test_no_law_before_2015() -> None:
    """An election before Law 85/2015 came into force (1/9/2015) has no law in the data."""
    with pytest.raises(PlannerError) as err:
        load_rulebook().law_for_election(D(2011, 5, 22))
    assert "2011" in err.value.message_en and err.value.hint_en


def test_forcing_a_law() -> None:
    """``law`` takes a base id, an amendment id or a composed id, and refuses unknown ones."""
    book = load_rulebook()
    base = book.law("election-law-85-2015")
    amended = book.law("election-law-83-2025")
    assert base.get("el.candidate_files").param("offset_days") == -70
    assert amended.get("el.candidate_files").param("offset_days") == -42
    assert book.law("election-law-85-2015+election-law-83-2025").id == amended.id
    with pytest.raises(PlannerError):
        book.law("election-law-85-2015+nope")


def test_composition_leaves_the_base_alone() -> None:
    """Composing returns new rules; the base rule set keeps Law 85's values."""
    book = load_rulebook()
    book.law_for_election(E2026)
    assert book.ruleset("election-law-85-2015").get("el.polling_teams").param("offset_days") == -50


def test_rule_sets_keyed_by_document_and_date() -> None:
    """Every rule set carries kind, number, issued and in_force; (number, issued) is unique."""
    book = load_rulebook()
    assert set(book.validity) == set(book.rulesets)
    keys = [(v.number, v.issued) for v in book.validity.values()]
    assert len(keys) == len(set(keys))
    d35 = book.validity["directive-35-2019"]
    assert (d35.number, d35.issued, d35.cycle) == ("35-CT/TW", D(2019, 5, 30), "xiii-2020")
    assert book.validity["directive-36-2014"].superseded_by == "directive-35-2019"
    amendment = book.amendments["election-law-83-2025"]
    assert (amendment.validity.issued, amendment.validity.in_force) == (
        D(2025, 6, 24),
        D(2025, 7, 1),
    )


def test_directive_45_uses_era_levels() -> None:
    """Directive 45 (era 2025) has commune-level rules and no district-level rule."""
    d45 = load_rulebook().ruleset("directive-45-2025")
    levels = {r.param("level") for r in d45 if r.param("level")}
    assert levels == {"grassroots", "commune", "central"}
    assert d45.get("d45.end.commune").param("date") == D(2025, 8, 31)
    assert d45.get("d45.duration.central").param("max_days") == 4


# --- broken files -------------------------------------------------------------------------


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(DATA / "rules", folder)
    return folder


AMENDMENT = Path("amendments") / "election-law-83-2025.toml"
BROKEN_AMENDMENTS = [
    ('rule = "el.electoral_units"', 'rule = "el.nope"', "changes.el.nope.rule", "el.nope"),
    ('action = "unverified"', 'action = "delete"', ".action", "delete"),
    ("offset_days = -42", 'offset_days = "x"', "offset_days", "offset_days"),
    ('amends = "election-law-85-2015"', 'amends = "law-99"', "amendment.amends", "law-99"),
    ("in_force = 2025-07-01", "in_force = 2015-01-01", "amendment.in_force", "in force"),
    ("in_force = 2025-07-01", "in_force = 2025-06-01", "amendment.in_force", "issued"),
]


@pytest.mark.parametrize(("old", "new", "field", "words"), BROKEN_AMENDMENTS)
def test_broken_amendment(rules_copy: Path, old: str, new: str, field: str, words: str) -> None:
    """A bad amendment fails with a bilingual error naming the file, the field and the line."""
    replace_once(rules_copy / AMENDMENT, old, new)
    with pytest.raises(DataFileError) as err:
        load_rulebook(rules_copy)
    assert err.value.file and err.value.file.endswith("election-law-83-2025.toml")
    assert field in (err.value.field or ""), err.value.field
    assert words in err.value.message_en + err.value.message_vi
    assert err.value.message_vi != err.value.message_en


def test_unverified_change_needs_a_note(rules_copy: Path) -> None:
    """An 'unverified' change without a note is refused."""
    replace_once(
        rules_copy / AMENDMENT,
        'note = "UNVERIFIED under Luật 83/2025/QH15: the first adjustment',
        'tag = "UNVERIFIED under Luật 83/2025/QH15: the first adjustment',
    )
    with pytest.raises(DataFileError) as err:
        load_rulebook(rules_copy)
    assert "note" in (err.value.field or "")


def test_broken_validity(rules_copy: Path) -> None:
    """superseded_by must name a known rule set."""
    replace_once(
        rules_copy / "directive-36-2014.toml",
        'superseded_by = "directive-35-2019"',
        'superseded_by = "directive-35-2091"',
    )
    with pytest.raises(DataFileError) as err:
        load_rulebook(rules_copy)
    assert (
        err.value.field == "ruleset.superseded_by" and "directive-35-2091" in err.value.message_en
    )


def test_a_level_outside_the_era(rules_copy: Path) -> None:
    """A 2025 rule on a level the 2025 era lacks (district) is refused with its line."""
    replace_once(
        rules_copy / "directive-45-2025.toml",
        'level = "commune"\nbound = "end"',
        'level = "district"\nbound = "end"',
    )
    with pytest.raises(DataFileError) as err:
        load_rulebook(rules_copy)
    assert "district" in err.value.message_en and "2025" in err.value.message_en
    assert err.value.line is not None
