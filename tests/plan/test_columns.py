"""The column-wise plan reader gives exactly the row-by-row reader's frame (issue 21: a
nationwide plan read fast), and leaves every irregular file to the row-by-row reader."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from planner.plan.frame import _plan_frame, _regular_frame, _Rows, read_plan, read_plan_text


def row_by_row(text: str, file: str = "typed.csv") -> pd.DataFrame:
    """The frame of the row-by-row reader alone (the reference)."""
    reader = _Rows(csv.reader(io.StringIO(text)), file)
    fields = next(reader, [])
    return _plan_frame(fields, ((reader.line_num, cells) for cells in reader), file)


def same(fast: pd.DataFrame, slow: pd.DataFrame) -> None:
    """Equal values, types and attributes."""
    pd.testing.assert_frame_equal(fast, slow)
    assert fast.attrs == slow.attrs
    for column in fast.columns:
        assert [type(v) for v in fast[column]] == [type(v) for v in slow[column]]


REGULAR = [
    "org_id,start,end,note,held\np01,2020-09-03,2020-09-05,first,1\np02,2020-09-04,2020-09-06,,\n",
    "event_id,start,end\ncongress:p01,2020-09-03,2020-09-05\n",
    "org_id,kind,start,end,name_vi,rule\np01,, 2020-09-03 ,2020-09-05,'=SUM(A1),r\n"
    "p02,congress,2020-09-03,2020-09-05,'bình thường,r\n",
    "event_id,kind,org_id,start,end,held\nreview:p01,review,,2020-08-01,2020-08-02,0\n"
    "e1,election_step,,2021-05-23,,\ncongress:p01,congress,p01,2020-09-03,2020-09-05,có\n",
    "org_id,start,end\n",
]


@pytest.mark.parametrize("text", REGULAR)
def test_regular_files_read_column_wise_as_row_by_row(text: str) -> None:
    """Defaults, stripped cells, neutralised formulas, steps and held cells come out alike."""
    fast = _regular_frame(io.StringIO(text), "typed.csv")
    assert fast is not None
    same(fast, row_by_row(text))


def test_a_solved_plan_reads_column_wise_as_row_by_row(solved_csv: Path) -> None:
    """The default scenario's plan with its steps, scenario and fingerprint: the same frame."""
    text = solved_csv.read_text(encoding="utf-8-sig")
    fast = _regular_frame(io.StringIO(text), solved_csv.name)
    assert fast is not None
    slow = row_by_row(text, solved_csv.name)
    same(fast, slow)
    same(read_plan(solved_csv), slow)


IRREGULAR = [
    "org_id,start,end\np01,2020-09-03,2020-09-05\n\np02,2020-09-04,2020-09-06\n",  # blank line
    "org_id,start,end\np02,2020-09-04\n",  # short row
    'org_id,start,end,note\np01,2020-09-03,2020-09-05,"two\nlines"\n',
    "org_id,start,end\np01,2020-09-03,2020-09-05\np01,2020-09-04,2020-09-06\n",  # twice
    "org_id,start,end\np01,2020-13-03,2020-09-05\n",  # not a date
    "org_id,start,end\np01,2020-09-06,2020-09-05\n",  # ends before it starts
    "org_id,start,end,held\np01,2020-09-03,2020-09-05,maybe\n",
    "org_id,kind,start,end\np01,party,2020-09-03,2020-09-05\n",
    "org_id,start,end,scenario\np01,2020-09-03,2020-09-05,a\np02,2020-09-03,2020-09-05,b\n",
    "start,end\n2020-09-03,2020-09-05\n",
]


@pytest.mark.parametrize("text", IRREGULAR)
def test_irregular_files_go_row_by_row(text: str) -> None:
    """Anything the column-wise reader does not handle is left to the row-by-row reader, which
    reads it (blank lines, short rows) or names the bad line."""
    assert _regular_frame(io.StringIO(text), "typed.csv") is None
    try:
        slow = row_by_row(text)
    except Exception as exc:  # the same error either way
        with pytest.raises(type(exc)) as again:
            read_plan_text(text, "typed.csv")
        assert str(again.value) == str(exc)
    else:
        same(read_plan_text(text, "typed.csv"), slow)
