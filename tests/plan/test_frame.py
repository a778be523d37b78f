"""Plan CSV reading: hand-typed files with blank lines, short rows, extra and held columns."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.errors import PlannerError
from planner.plan.frame import read_plan_text


def test_hand_typed_plan_with_blank_lines_short_rows_and_extra_columns() -> None:
    text = (
        "org_id,start,end,note,held\n"
        "p01,2020-09-03,2020-09-05,first,1\n"
        "\n"
        "p02,2020-09-04,2020-09-06\n"  # short row: no note, not held
    )
    frame = read_plan_text(text, "typed.csv")
    assert list(frame["org_id"]) == ["p01", "p02"]
    assert list(frame["line"]) == [2, 4]
    assert list(frame["held"]) == [True, False]
    assert list(frame["event_id"]) == ["congress:p01", "congress:p02"]
    assert frame.iloc[1]["start"] == dt.date(2020, 9, 4)
    assert frame.iloc[1]["rule"] is None


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        ("org_id,start,end,held\np01,2020-09-03,2020-09-05,maybe\n", 2, "held"),
        ("org_id,start,end\np01,2020-09-03,2020-09-05\np01,2020-09-04,2020-09-06\n", 3, "twice"),
        ("org_id,start\np01,2020-09-03\n", 1, "end"),
    ],
)
def test_bad_rows_name_the_line(text: str, line: int, needle: str) -> None:
    with pytest.raises(PlannerError) as err:
        read_plan_text(text, "typed.csv")
    assert err.value.line == line
    assert needle in err.value.text_en()
