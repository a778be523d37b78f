"""Captions derived from the scenario in force, with one source of truth for election day.

A scenario's names often carry its election day ("… và bầu cử 23/5/2021"). When an edit moves
election day, :func:`election_followers` adds the changes that make the names and descriptions
say the new day, so the Plan caption, the exported TOML and every page agree with the scenario.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from planner.errors import PlannerError
from planner.rules.calendar import format_date_en, format_date_vi
from planner.scenario.model import Scenario
from planner.scenario.reader import parse_set
from planner.ui.session import t

TEXT_FIELDS = ("name_vi", "name_en", "description_vi", "description_en")


def _forms(day: dt.date) -> list[str]:
    return [f"{day.day:02d}/{day.month:02d}/{day.year}", f"{day.day}/{day.month}/{day.year}",
            day.isoformat()]  # fmt: skip


def follow_day(text: str, old: dt.date, new: dt.date) -> str:
    """``text`` with every spelling of ``old`` (23/5/2021, 23/05/2021, 2021-05-23) as ``new``."""
    for before, after in zip(_forms(old), _forms(new), strict=True):
        text = text.replace(before, after)
    return text


def election_followers(scenario: Scenario, changes: Sequence[str]) -> list[str]:
    """The changes that keep the scenario's names on a new election day (none if unchanged)."""
    new_day = None
    for change in changes:
        try:
            path, value = parse_set(change)
        except PlannerError:
            return []
        if path == ["election", "day"] and isinstance(value, dt.date):
            new_day = value
    old = scenario.election_day
    if new_day is None or old is None or new_day == old:
        return []
    out = []
    for field in TEXT_FIELDS:
        text = scenario.raw.get(field)
        if isinstance(text, str) and follow_day(text, old, new_day) != text:
            out.append(f"{field}={json.dumps(follow_day(text, old, new_day), ensure_ascii=False)}")
    return out


def scenario_caption(scenario: Scenario) -> str:
    """The scenario's name in the chosen language."""
    return t(scenario.name_vi, scenario.name_en)


def election_day_text(day: dt.date) -> str:
    """``Chủ nhật, 30/5/2021`` / ``Sunday 30 May 2021``."""
    return t(format_date_vi(day), format_date_en(day))
