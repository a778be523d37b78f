"""Progress against the plan (issue 21, point 2): figures checked against counts made here.

A hand-made plan pins each rule of the definition (see planner/analysis/progress.py); the default
scenario's plan, solved and validated by ``planner solve`` (the ``solved_csv`` fixture), is
checked against an independent count written with plain loops over the CSV rows.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path

import pytest

from planner.analysis.progress import FIGURES, progress
from planner.plan.actuals import Actual
from planner.plan.frame import read_plan, read_plan_text
from planner.tree.build import build_tree
from planner.tree.hierarchy import OrgTree

D = dt.date
TODAY = D(2020, 8, 20)
PLAN = """org_id,start,end
vn,2021-01-25,2021-02-02
p37,2020-09-03,2020-09-05
p36,2020-09-02,2020-09-04
p01,2020-09-10,2020-09-12
d369,2020-08-10,2020-08-12
d370,2020-08-10,2020-08-11
d372,2020-08-01,2020-08-02
d373,2020-08-01,2020-08-02
d374,2020-08-05,2020-08-06
d375,2020-08-18,2020-08-20
d376,2020-08-05,2020-08-06
d001,2020-08-01,2020-08-01
"""


def _a(
    org: str, status: str, start: D | None = None, end: D | None = None, kind: str = "congress"
) -> Actual:
    return Actual(org, kind, status, start, end, "lý do" if status == "postponed" else "")


ACTUALS = [
    _a("d369", "held", D(2020, 8, 10), D(2020, 8, 12)),
    _a("d370", "held", D(2020, 8, 10), D(2020, 8, 10), kind="review"),  # a step, not the congress
    _a("d372", "postponed", D(2020, 8, 25), D(2020, 8, 26)),  # new dates ahead: not late, due
    _a("d373", "postponed", D(2020, 8, 15), D(2020, 8, 16)),  # new dates passed: late again
    _a("d374", "held", D(2020, 8, 5), D(2020, 8, 6)),
    _a("d374", "cancelled"),  # a correction: the newest entry is in force
    _a("d376", "held", D(2020, 8, 21), D(2020, 8, 22)),  # dated after today: not yet held
    _a("d001", "held", D(2020, 8, 1), D(2020, 8, 1)),
    _a("d377", "held", D(2020, 8, 1), D(2020, 8, 1)),  # not in the plan
]


@pytest.fixture(scope="module")
def tree() -> OrgTree:
    return build_tree()


def test_hand_made_plan(tree: OrgTree) -> None:
    """Every rule once: held, late, postponed ahead and passed, cancelled, a held report dated
    after today, planned end on today, due boundary at today + 13 (p36) and + 14 (p37)."""
    result = progress(read_plan_text(PLAN, "plan.csv"), ACTUALS, TODAY, tree)
    got = result.as_dict()
    assert got["today"] == "2020-08-20"
    zero = dict.fromkeys(FIGURES, 0)
    assert got["levels"] == [
        {"level": "national", **zero},
        {"level": "central", **zero, "due_14d": 1},
        {
            "level": "district",
            "planned_by_today": 7,
            "held": 2,
            "late": 3,
            "postponed": 2,
            "due_14d": 1,
        },
    ]
    assert got["provinces"] == [
        {
            "province": "p37",
            "planned_by_today": 6,
            "held": 1,
            "late": 3,
            "postponed": 2,
            "due_14d": 1,
        },
        {"province": "p01", **zero, "planned_by_today": 1, "held": 1},
        {"province": "p36", **zero, "due_14d": 1},
    ]
    assert got["late_units"] == [
        {
            "org_id": "d373",
            "level": "district",
            "planned_start": "2020-08-01",
            "planned_end": "2020-08-02",
        },
        {
            "org_id": "d376",
            "level": "district",
            "planned_start": "2020-08-05",
            "planned_end": "2020-08-06",
        },
        {
            "org_id": "d370",
            "level": "district",
            "planned_start": "2020-08-10",
            "planned_end": "2020-08-11",
        },
    ]
    assert result.unmatched == 1
    assert result.names["p37"] == "Đảng bộ tỉnh Ninh Bình"


def _synthetic_actuals(rows: list[dict[str, str]]) -> list[Actual]:
    """A report pattern over the plan's congresses, with corrections (order matters)."""
    out: list[Actual] = []
    for i, row in enumerate(sorted(rows, key=lambda r: r["org_id"])):
        start, end = D.fromisoformat(row["start"]), D.fromisoformat(row["end"])
        org = row["org_id"]
        if i % 11 == 0:
            out.append(Actual(org, "congress", "postponed", start, end, "x"))  # corrected below
        pattern = i % 7
        days = dt.timedelta(days=(0, 30, 10, 40, 0, 0, 0)[pattern])
        if pattern in (0, 1):
            out.append(Actual(org, "congress", "held", start + days, end + days))
        elif pattern in (2, 3):
            out.append(Actual(org, "congress", "postponed", start + days, end + days, "dịch"))
        elif pattern in (4, 5):
            out.append(Actual(org, "congress", ("cancelled", "merged")[pattern - 4], None, None))
    return out


def _independent(rows: list[dict[str, str]], actuals: list[Actual], today: D) -> dict[str, object]:
    """The figures counted again from the CSV rows, with the definition written out here."""
    report: dict[str, Actual] = {}
    for a in actuals:
        if a.kind == "congress":
            report[a.org_id] = a  # the newest entry wins
    parent = {r["org_id"]: r["parent_id"] for r in rows}
    level_of = {r["org_id"]: r["level"] for r in rows}
    levels: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIGURES, 0))
    provinces: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIGURES, 0))
    late_units = []
    for r in rows:
        org, start, end = r["org_id"], D.fromisoformat(r["start"]), D.fromisoformat(r["end"])
        central = org
        while central and level_of[central] not in ("central", "national"):
            central = parent[central]
        buckets = [levels[r["level"]]]
        if level_of[central] == "central":
            buckets.append(provinces[central])
        a = report.get(org)
        held = a is not None and a.status == "held" and a.end is not None and a.end <= today
        gone = a is not None and a.status in ("cancelled", "merged")
        postponed = a is not None and a.status == "postponed" and not held
        exp_start, exp_end = (a.start, a.end) if postponed and a is not None else (start, end)
        assert exp_start is not None and exp_end is not None
        late = not held and not gone and exp_end < today
        due = not held and not gone and today <= exp_start <= today + dt.timedelta(days=13)
        for b in buckets:
            if end < today:
                b["planned_by_today"] += 1
                if held:
                    b["held"] += 1
            b["postponed"] += 1 if postponed else 0
            b["late"] += 1 if late else 0
            b["due_14d"] += 1 if due else 0
        if late:
            late_units.append((end, start, org, r["level"]))
    return {
        "levels": dict(levels),
        "provinces": dict(provinces),
        "late_units": [
            {"org_id": o, "level": lv, "planned_start": s.isoformat(), "planned_end": e.isoformat()}
            for e, s, o, lv in sorted(late_units)
        ],
    }


def test_default_plan_against_an_independent_count(solved_csv: Path, tree: OrgTree) -> None:
    """The default scenario's plan (solved and validated by ``planner solve``) with thousands of
    reports: every figure equals the count made with plain loops over the CSV."""
    with solved_csv.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["kind"] == "congress"]
    district_ends = sorted(r["end"] for r in rows if r["level"] == "district")
    today = D.fromisoformat(district_ends[len(district_ends) // 2])
    actuals = _synthetic_actuals(rows)
    got = progress(read_plan(solved_csv), actuals, today, tree).as_dict()
    want = _independent(rows, actuals, today)
    assert {g["level"]: {k: g[k] for k in FIGURES} for g in got["levels"]} == want["levels"]
    assert {g["province"]: {k: g[k] for k in FIGURES} for g in got["provinces"]} == want[
        "provinces"
    ]
    assert got["late_units"] == want["late_units"]
    district = next(g for g in got["levels"] if g["level"] == "district")
    assert min(district[k] for k in FIGURES) > 0, district  # every figure is exercised
    lates = [g["late"] for g in got["provinces"]]
    assert lates == sorted(lates, reverse=True)  # most behind first


def test_due_units_and_curves_for_the_page(tree: OrgTree) -> None:
    """What the Progress page and the printed report use beside the JSON: the units due in
    the next 14 days (with their expected dates) and the planned-vs-held curves per level."""
    from planner.analysis.progress import curves

    frame = read_plan_text(PLAN, "plan.csv")
    result = progress(frame, ACTUALS, TODAY, tree)
    assert [(u.org_id, u.expected_start, u.status) for u in result.due_units] == [
        ("d372", D(2020, 8, 25), "postponed"),
        ("p36", D(2020, 9, 2), None),
    ]
    lines = curves(frame, ACTUALS, tree)
    assert list(lines) == ["national", "central", "district"]
    assert lines["district"] == [
        (D(2020, 8, 1), 1, 1),
        (D(2020, 8, 2), 3, 1),
        (D(2020, 8, 6), 5, 1),
        (D(2020, 8, 11), 6, 1),
        (D(2020, 8, 12), 7, 2),
        (D(2020, 8, 20), 8, 2),
        (D(2020, 8, 22), 8, 3),
    ]
