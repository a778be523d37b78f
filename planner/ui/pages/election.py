"""Bầu cử / Election: the statutory timetable for the election day of the scenario in force."""

from __future__ import annotations

import datetime as dt

from planner.ui import overview
from planner.ui.common import page, shown_plan
from planner.ui.session import working

scenario, _problem = page("Bầu cử", "Election")
record = shown_plan(working().content_key)
planned = None
if record is not None and record.report.get("election_day"):
    planned = dt.date.fromisoformat(str(record.report["election_day"]))
overview.election_section(scenario, planned)
overview.tree_section()
