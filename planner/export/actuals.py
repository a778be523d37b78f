"""Feeds follow reality (issue 21, point 5): a plan with the actuals in force applied.

A congress or a preparation step (``review``, ``announce``, ``report``, ``approval``: the
kinds of :mod:`planner.plan.actuals`) reported **held** is shown on its actual dates; a
**postponed**
one on its new expected dates, marked postponed (``HOÃN / POSTPONED`` before its SUMMARY,
``STATUS:TENTATIVE``, the reason in its DESCRIPTION); a **cancelled** or **merged** one is kept
with ``STATUS:CANCELLED`` (a subscriber's calendar strikes it through rather than losing it).
The UID never changes (it comes from the event id); an event whose dates or marking change gets
a new digest, so its SEQUENCE rises through the manifest like any other change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from planner.plan.actuals import KINDS, Actual

STATUS_COLUMN = "actual_status"  # held | postponed | cancelled | merged (congress, step rows)
REASON_COLUMN = "actual_reason"


def with_actuals(
    plan: pd.DataFrame, actuals: Mapping[tuple[str, str], Actual] | Iterable[Actual]
) -> pd.DataFrame:
    """A copy of ``plan`` with the reports in force on its congresses and preparation steps
    applied (``plan`` unchanged); reports on rows the plan lacks are left out."""
    entries = actuals.values() if isinstance(actuals, Mapping) else actuals
    reports = {(e.org_id, e.kind): e for e in entries if e.kind in KINDS}
    out = plan.copy()
    out.attrs = dict(plan.attrs)
    keys = list(zip(out["org_id"].astype(str).tolist(), out["kind"].tolist(), strict=True))
    found = [reports.get(key) for key in keys]
    if not any(found):
        return out
    status: list[str | None] = [None] * len(out)
    reason: list[str | None] = [None] * len(out)
    starts, ends = out["start"].tolist(), out["end"].tolist()
    for position, entry in enumerate(found):
        if entry is None:
            continue
        status[position], reason[position] = entry.status, entry.reason or None
        if entry.status in ("held", "postponed") and entry.start and entry.end:
            starts[position], ends[position] = entry.start, entry.end
    out["start"], out["end"] = starts, ends
    out[STATUS_COLUMN], out[REASON_COLUMN] = status, reason
    return out
