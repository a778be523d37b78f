"""Bầu cử / Election: the statutory timetable for the chosen day, today's phase, the articles."""

from __future__ import annotations

from planner.ui import overview
from planner.ui.common import language_switch

language_switch()
overview.election_section()
overview.tree_section()
