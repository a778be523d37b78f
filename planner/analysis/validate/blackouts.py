"""Blackouts and holidays (family ``blackout``): no congress includes a public holiday or Tết
(Bộ luật Lao động 2019 Điều 112), a distancing day (Chỉ thị 16/CT-TTg, 1–15/4/2020), a Central
Committee plenum (for central congresses) or a named blackout; each violation cites the source
the calendar data gives for that day (``data/calendar``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from planner.analysis.validate.context import PlanCheck
from planner.analysis.validate.verdict import Violation
from planner.rules.calendar import date_vi as _vi


def check_blackouts(check: PlanCheck) -> None:
    """Every dated congress not yet held: one violation per blackout its days include."""
    for unit, start, end in check.every:
        blocked = check.problem.blocked(unit)
        if not blocked or unit.held:
            continue
        length = (end - start).days + 1
        if not any(start + dt.timedelta(days=k) in blocked for k in range(length)):
            continue
        hits: dict[str, list[dt.date]] = defaultdict(list)
        names = {}
        day = start
        while day <= end:
            if day in blocked:
                hits[blocked[day].id].append(day)
                names[blocked[day].id] = blocked[day]
            day += dt.timedelta(days=1)
        for blackout_id, days in hits.items():
            b = names[blackout_id]
            vi, en = check.name(unit.org_id)
            check.out.append(
                Violation(
                    family="blackout",
                    units=(unit.org_id,),
                    dates=tuple(days),
                    message_vi=f"Đại hội {vi} ({_vi(start)}–{_vi(end)}) trùng {b.name_vi} "
                    f"({', '.join(_vi(d) for d in days)}). [{b.source}]",
                    message_en=f"The congress of the {en} ({start} – {end}) includes "
                    f"{b.name_en} ({', '.join(d.isoformat() for d in days)}). [{b.source}]",
                    rule=b.id,
                    source=b.source,
                )
            )
