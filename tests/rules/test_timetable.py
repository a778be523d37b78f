"""Election timetable: the REFERENCE worked examples, every step's date, the Sunday rule, phases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.errors import PlannerError
from planner.rules.timetable import check_election_day, election_timetable, offset_text

E = dt.date(2021, 5, 23)

# REFERENCE "How deadlines count" and §4.1, read by hand: (step id, days from E, expected date).
WORKED = [
    ("el.election_committees", -105, dt.date(2021, 2, 7)),
    ("el.electoral_units", -80, dt.date(2021, 3, 4)),
    ("el.candidate_files", -70, dt.date(2021, 3, 14)),
    ("el.results.pc", 10, dt.date(2021, 6, 2)),
    ("el.results.na", 20, dt.date(2021, 6, 12)),
]

# REFERENCE §4.1 offsets (E = election day), transcribed independently of the data file.
OFFSETS = {
    "el.election_day.announced": -115,
    "el.seat_structure": -105,
    "el.election_committees": -105,
    "el.consultation_1.na": -95,
    "el.consultation_1.pc": -95,
    "el.electoral_units": -80,
    "el.election_boards": -70,
    "el.candidate_files": -70,
    "el.consultation_2": -65,
    "el.polling_teams": -50,
    "el.voter_lists_posted": -40,
    "el.consultation_3": -35,
    "el.consultation_3_records_sent": -30,
    "el.official_list.na": -25,
    "el.official_list.pc": -25,
    "el.official_list.na_province": -20,
    "el.official_list_posted": -20,
    "el.materials_to_polling_teams": -15,
    "el.voting": 0,
    "el.results.pc": 10,
    "el.additional_election": 15,
    "el.results.na": 20,
    "el.results_complaints_decided.pc": 35,  # E+10, +5 to lodge, +20 to decide (row 31)
    "el.results_complaints_decided.na": 55,  # E+20, +5 to lodge, +30 to decide (row 31)
    "el.first_session.pc": 45,
    "el.first_session.na": 60,
}


@pytest.mark.parametrize(("step", "offset", "expected"), WORKED, ids=[w[0] for w in WORKED])
def test_worked_examples(step: str, offset: int, expected: dt.date) -> None:
    """The official 2021 examples: E−105 → 7/2, E−80 → 4/3, E−70 → 14/3, E+10 → 2/6, E+20 → 12/6."""
    row = election_timetable(E).step(step)
    assert row.date == expected
    assert row.rule == offset_text(offset)


@pytest.mark.parametrize(("step", "offset"), sorted(OFFSETS.items()))
def test_reference_offsets(step: str, offset: int) -> None:
    """Each dated step of REFERENCE §4.1 falls on E + its offset."""
    assert election_timetable(E).step(step).date == E + dt.timedelta(days=offset)


def _raw_steps(raw: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in raw["rules"] if r["family"] == "election_step"]


def test_every_step_has_a_row(raw_rules: dict[str, dict[str, Any]]) -> None:
    """Every election_step rule of the data file appears once in the timetable."""
    steps = _raw_steps(raw_rules["election-law-85-2015"])
    table = election_timetable(E)
    assert sorted(r.step_id for r in table) == sorted(s["id"] for s in steps)


def test_rows_follow_their_kind(raw_rules: dict[str, dict[str, Any]]) -> None:
    """Deadlines have a date, windows a start ≤ end, undated steps nothing; times carried over."""
    by_id = {s["id"]: s for s in _raw_steps(raw_rules["election-law-85-2015"])}
    for row in election_timetable(E):
        params = by_id[row.step_id]["params"]
        if params["kind"] == "window":
            assert row.start is not None and row.end is not None and row.start <= row.end
            assert row.date is None
        elif params["kind"] == "undated":
            assert row.date is None and row.start is None and row.rule == "—"
        else:
            assert row.date is not None and row.start is None
        assert row.time == params.get("time")


def test_anchored_steps_count_from_their_anchor() -> None:
    """Complaints about NA results: 5 days after the E+20 announcement, so E+25."""
    table = election_timetable(E)
    assert table.step("el.results_complaints.na").date == dt.date(2021, 6, 17)
    assert table.step("el.results_complaints.pc").date == dt.date(2021, 6, 7)


def test_complaints_about_results_are_decided_in_time() -> None:
    """Issue 20.5. REFERENCE §4.1 row 31 (Law 85, Điều 87; hanoitv.vn d207): complaints lodged ≤ 5
    days after the results, decided within 30 days (NEC) / 20 days (election committees) of receipt,
    so by E+55 = 17/7/2021 for the NA and E+35 = 27/6/2021 for the People's Councils."""
    table = election_timetable(E)
    assert table.step("el.results_complaints_decided.na").date == dt.date(2021, 7, 17)
    assert table.step("el.results_complaints_decided.pc").date == dt.date(2021, 6, 27)
    assert table.step("el.results_complaints_decided.na").article == "Điều 87"


def test_candidate_files_cutoff_and_voting_hours() -> None:
    """Candidate files close at 17:00 (KH 42); voting runs 07:00–19:00 on E."""
    table = election_timetable(E)
    assert table.step("el.candidate_files").time == "17:00"
    voting = table.step("el.voting")
    assert (voting.date, voting.time, voting.end_time) == (E, "07:00", "19:00")


def test_rows_are_in_date_order() -> None:
    """Dated rows come in date order, undated ones last."""
    rows = list(election_timetable(E))
    firsts = [r.first_day for r in rows]
    dated = [d for d in firsts if d is not None]
    assert dated == sorted(dated)
    assert all(d is None for d in firsts[len(dated) :])


def test_json_row_shape() -> None:
    """JSON rows carry step_id, names, article, rule and ISO dates."""
    row = election_timetable(E).step("el.candidate_files").as_dict()
    assert row["date"] == "2021-03-14" and row["start"] is None and row["time"] == "17:00"
    assert row["article"].startswith("Điều 35")
    assert row["rule"] == "E−70"


@pytest.mark.parametrize(
    ("day", "before", "after"),
    [
        (dt.date(2021, 5, 22), dt.date(2021, 5, 16), dt.date(2021, 5, 23)),
        (dt.date(2021, 5, 24), dt.date(2021, 5, 23), dt.date(2021, 5, 30)),
        (dt.date(2021, 2, 28) + dt.timedelta(days=3), dt.date(2021, 2, 28), dt.date(2021, 3, 7)),
    ],
)
def test_non_sunday_is_refused_naming_the_sundays(
    day: dt.date, before: dt.date, after: dt.date
) -> None:
    """A non-Sunday election day is refused; the message names the Sundays around it."""
    with pytest.raises(PlannerError) as err:
        election_timetable(day)
    for text in (err.value.text_vi(), err.value.text_en()):
        assert before.isoformat() in text and after.isoformat() in text
    assert "Điều 5" in err.value.message_vi


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_sunday_rule_property(day: dt.date) -> None:
    """Exactly the Sundays pass the election-day check."""
    if day.weekday() == 6:
        check_election_day(day)
    else:
        with pytest.raises(PlannerError):
            check_election_day(day)


def test_phase_between_steps() -> None:
    """On 1/4/2021 the voters' meetings are open; polling teams (E−50, 3/4) come next."""
    phase = election_timetable(E).phase(dt.date(2021, 4, 1))
    assert phase.next is not None and phase.next.step_id == "el.polling_teams"
    assert "el.voter_meetings" in [w.step_id for w in phase.open_windows]
    assert phase.describe_vi() and phase.describe_en()


def test_phase_on_election_day_and_after_everything() -> None:
    """On E the last step reached is voting; a year later nothing is next."""
    table = election_timetable(E)
    assert table.phase(E).previous is not None
    assert table.phase(E).previous.step_id == "el.voting"  # type: ignore[union-attr]
    assert table.phase(dt.date(2022, 5, 23)).next is None


def test_is_before_and_is_after() -> None:
    """uk-election-timetables style questions: is this day before / after a step?"""
    table = election_timetable(E)
    files = "el.candidate_files"
    assert table.is_before(files, dt.date(2021, 3, 13))
    assert not table.is_before(files, dt.date(2021, 3, 14))
    assert table.is_after(files, dt.date(2021, 3, 15))
    assert not table.is_after(files, dt.date(2021, 3, 14))
    assert table.is_after("el.voter_meetings", dt.date(2021, 4, 19))
    assert not table.is_after("el.voter_meetings", dt.date(2021, 4, 18))
    with pytest.raises(PlannerError):
        table.is_before("el.polling_areas", E)


def test_offset_text() -> None:
    """Offsets print with a true minus sign."""
    assert (offset_text(-70), offset_text(0), offset_text(10)) == ("E−70", "E", "E+10")
