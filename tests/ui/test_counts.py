"""What the charts, the downloads and the printout count, checked against an independent count
from the plan (or from the files offered): the weekly chart, the plan spreadsheet, the iCal
export's figures, the National Congress named where it is counted, and the printed plan."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pandas as pd
import pytest

from planner.validate import validate


@pytest.fixture(scope="module")
def plan(default_problem: Any, default_report: Any) -> pd.DataFrame:
    """The built-in scenario's plan, checked by the independent validator."""
    frame: pd.DataFrame = default_report.plan
    assert validate(default_problem, frame, complete=True).ok
    return frame


def _int(text: object) -> int:
    return int(str(text).replace(".", "").replace(",", ""))


def test_weekly_chart_counts_congresses_once_in_their_opening_week(
    default_problem: Any, plan: pd.DataFrame
) -> None:
    """D9: the weekly chart counts congresses, not congress-days: for Ninh Bình each district
    row holds its one congress, nationwide the province's row holds its district-level
    congresses (13), each in the week it opens; the chart, its sentence and its table agree."""
    from planner.ui import charts
    from planner.ui.province import subset

    tree = default_problem.tree
    congress = plan[plan["kind"] == "congress"]
    district = congress[congress["level"] == "district"]
    ninh_binh = {o.org_id for o in tree.subtree("p37")}
    own = district[district["org_id"].isin(ninh_binh)]
    chart = charts.heatmap(subset(plan, tree, "p37"), tree, "district", "p37")
    table = chart.table
    assert "Số đại hội" in table.columns
    assert [_int(v) for v in table["Số đại hội"]] == [1] * len(own)
    assert sum(sum(row) for row in chart.figure.data[0].z) == len(own)
    assert chart.summary.startswith(f"{len(own)} đại hội") and "tính một lần" in chart.summary

    nation = charts.heatmap(plan, tree, "district", None)
    row = nation.table[nation.table["Đơn vị"] == tree.get("p37").name_vi].iloc[0]
    assert _int(row["Số đại hội"]) == len(own) == 13
    opening = Counter(s - dt.timedelta(days=s.weekday()) for s in own["start"])
    week, most = max(opening.items(), key=lambda kv: (kv[1], -kv[0].toordinal()))
    assert _int(row["Số đại hội khai mạc tuần đó"]) == most
    assert row["Tuần khai mạc nhiều nhất"] == f"{week:%d/%m/%Y}"
    z = dict(zip(nation.figure.data[0].y, nation.figure.data[0].z, strict=True))
    weeks = list(nation.figure.data[0].x)
    p37 = z[tree.get("p37").name_vi]
    assert {w: n for w, n in zip(weeks, p37, strict=True) if n} == dict(opening)
    assert nation.summary.startswith(f"{len(district):,} đại hội".replace(",", "."))
    assert sum(sum(r) for r in nation.figure.data[0].z) == len(district)
