"""The congress cycles the browser offers: each built-in scenario of ``data/scenarios/`` that
is a cycle's own (``xii-2015``, ``xiii-2020``, ``xiv-2025``, ``xv-2030-projection``; the
``-full`` variants are the same cycles down to every grassroots organisation).

Choosing a cycle opens that cycle's built-in scenario as a document of the store, named by the
scenario's id (created from the file on first use), so its versions, plans and feeds are kept
like any other document's. The 2020–2021 cycle (the mission's) stays the default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from planner.errors import PlannerError
from planner.files.paths import data_dir
from planner.scenario.builder import load_scenario
from planner.scenario.model import Scenario
from planner.store import scenarios
from planner.store.db import Store
from planner.store.scenarios import Version
from planner.ui.words import CATALOGUE

DEFAULT_CYCLE = "xiii-2020"


@dataclass(frozen=True)
class Cycle:
    """A cycle's built-in scenario: its file, id and titles."""

    cycle: str
    scenario_id: str
    file: str
    name_vi: str
    name_en: str
    projection: bool

    @property
    def short_vi(self) -> str:
        """The cycle in a few words, whole in the sidebar's box at 1280 px: ``2020–2021 · Đại
        hội XIII`` (a projection: ``2030–2031 · dự phóng``)."""
        return _short(self.name_vi, CATALOGUE["projection"][0].lower() if self.projection else None)

    @property
    def short_en(self) -> str:
        """``2020–2021 · 13th Congress`` (a projection: ``2030–2031 · projection``)."""
        return _short(self.name_en, CATALOGUE["projection"][1].lower() if self.projection else None)


def _short(name: str, projection: str | None) -> str:
    """The years and the congress of a scenario's title (the title itself when it has none)."""
    years = re.search(r"\d{4}–\d{4}", name)
    congress = re.search(r"\(([^)]*Congress|Đại hội [IVXLC]+)\)", name)
    if years is None:
        return name
    if projection is not None:
        return f"{years.group(0)} · {projection}"
    return f"{years.group(0)} · {congress.group(1)}" if congress else years.group(0)


@lru_cache(maxsize=1)
def builtin_cycles() -> tuple[Cycle, ...]:
    """One built-in scenario per cycle, oldest first."""
    out = []
    for path in sorted((data_dir() / "scenarios").glob("*.toml")):
        if path.stem.endswith("-full"):
            continue
        scenario: Scenario = load_scenario(path)
        out.append(
            Cycle(
                cycle=scenario.cycle or scenario.id,
                scenario_id=scenario.id,
                file=path.name,
                name_vi=scenario.name_vi,
                name_en=scenario.name_en,
                projection=scenario.projection is not None,
            )
        )
    return tuple(sorted(out, key=lambda c: c.cycle))


def cycle_of(cycle_id: str) -> Cycle:
    """A built-in cycle by id."""
    for cycle in builtin_cycles():
        if cycle.cycle == cycle_id:
            return cycle
    raise PlannerError(
        f"không có chu kỳ '{cycle_id}'.",
        f"no cycle '{cycle_id}'.",
        field="cycle",
        hint_vi="Chọn một chu kỳ trong thanh bên.",
        hint_en="Choose a cycle in the sidebar.",
    )


def open_cycle(store: Store, cycle_id: str, author: str) -> Version:
    """The newest version of the cycle's document, created from its built-in file if needed
    (for any user, even a viewer: it is shipped data, not an edit, so no rights check)."""
    cycle = cycle_of(cycle_id)
    try:
        return scenarios.load(store, cycle.scenario_id)
    except PlannerError:
        pass
    text = (data_dir() / "scenarios" / cycle.file).read_text(encoding="utf-8")
    try:
        return scenarios.create(
            store, cycle.scenario_id, text, cycle.file, [], author,
            "Kịch bản gốc của chu kỳ / The cycle's built-in scenario",
        )  # fmt: skip
    except PlannerError:  # created meanwhile by another tab
        return scenarios.load(store, cycle.scenario_id)
