"""Two plans side by side: the congresses whose dates differ (old → new, by how many days), the
counts per level, and which window rule holds each moved congress in the second plan.

Pure functions on plan frames (no Streamlit): the Compare page shows them and offers the
differences as CSV. A cycle's real dates (``data/history``) become a plan frame of their own
(:func:`real_frame`), so they can be either side.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from planner.problem.units import Problem
from planner.rules.history import HistoricalCongress
from planner.tree.hierarchy import Level, OrgTree


@dataclass(frozen=True)
class Difference:
    """One congress planned differently (or only) in one of the two plans."""

    org_id: str
    name_vi: str
    name_en: str
    level: str
    a: tuple[dt.date, dt.date] | None
    b: tuple[dt.date, dt.date] | None

    @property
    def shift(self) -> int | None:
        """Days the first day moved from A to B (None when one side has no congress)."""
        if self.a is None or self.b is None:
            return None
        return (self.b[0] - self.a[0]).days


def _congresses(plan: pd.DataFrame) -> pd.DataFrame:
    rows = plan[plan["kind"] == "congress"]
    return rows.set_index("org_id")[["org_name", "org_name_en", "level", "start", "end"]]


def _dates(frame: pd.DataFrame, org_id: str) -> tuple[dt.date, dt.date]:
    start, end = frame.at[org_id, "start"], frame.at[org_id, "end"]
    assert isinstance(start, dt.date) and isinstance(end, dt.date)
    return start, end


def differences(a: pd.DataFrame, b: pd.DataFrame) -> list[Difference]:
    """The congresses whose dates differ, top level first, then by the size of the move."""
    left, right = _congresses(a), _congresses(b)
    out = []
    for org_id in left.index.union(right.index):
        in_a, in_b = org_id in left.index, org_id in right.index
        da = _dates(left, org_id) if in_a else None
        db = _dates(right, org_id) if in_b else None
        if da == db:
            continue
        row = right.loc[org_id] if in_b else left.loc[org_id]
        out.append(
            Difference(
                str(org_id),
                str(row["org_name"]),
                str(row["org_name_en"]),
                str(row["level"]),
                da,
                db,
            )
        )
    out.sort(key=lambda d: (Level(d.level).depth, -abs(d.shift or 10_000), d.org_id))
    return out


def counts_by_level(
    a: pd.DataFrame, b: pd.DataFrame, found: list[Difference]
) -> list[tuple[str, int, int, int]]:
    """Per level: congresses in A, in B, and how many differ."""
    levels = sorted(
        set(a.loc[a["kind"] == "congress", "level"]) | set(b.loc[b["kind"] == "congress", "level"]),
        key=lambda lv: Level(str(lv)).depth,
    )
    out = []
    for level in levels:
        in_a = int(((a["kind"] == "congress") & (a["level"] == level)).sum())
        in_b = int(((b["kind"] == "congress") & (b["level"] == level)).sum())
        out.append((str(level), in_a, in_b, sum(1 for d in found if d.level == level)))
    return out


def holding_rule(problem: Problem, found: Difference) -> str | None:
    """The window rule that holds a congress where B put it: ``deadline`` when it ends on its
    window's last day, ``earliest`` when it starts on the first, ``pin`` when pinned."""
    if found.b is None or not problem.has(found.org_id):
        return None
    unit = problem.unit(found.org_id)
    if unit.pin is not None:
        return "pin"
    if found.b[1] == unit.window[1]:
        return "deadline"
    if found.b[0] == unit.window[0]:
        return "earliest"
    return None


def real_frame(rows: Iterable[HistoricalCongress], tree: OrgTree) -> pd.DataFrame:
    """A cycle's real congress dates (``data/history``) as a plan frame, to compare with a plan:
    one congress row per unit of ``tree`` (the last row of a unit wins; units the tree does not
    have are left out)."""
    found = {row.org_id: row for row in rows if row.org_id in tree}
    return pd.DataFrame(
        [
            {
                "event_id": f"congress:{org_id}",
                "kind": "congress",
                "org_id": org_id,
                "org_name": tree.get(org_id).name_vi,
                "org_name_en": tree.get(org_id).name_en,
                "level": tree.get(org_id).level.value,
                "start": row.start,
                "end": row.end,
            }
            for org_id, row in found.items()
        ],
        columns=["event_id", "kind", "org_id", "org_name", "org_name_en", "level", "start", "end"],
    )


def only_units(plan: pd.DataFrame, org_ids: Iterable[str]) -> pd.DataFrame:
    """A plan's congresses of some units only (its other events kept): a plan put next to the
    real dates is compared on the congresses whose real dates are known."""
    keep = set(org_ids)
    out = plan[(plan["kind"] != "congress") | plan["org_id"].isin(keep)]
    out.attrs.update(plan.attrs)
    return out
