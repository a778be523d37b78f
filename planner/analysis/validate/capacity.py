"""Capacity: congresses in session on one day. Under one parent (family ``parent_capacity``:
the upper committee sends leaders to attend and direct each congress — a planning parameter of
the Politburo's directive) and nationwide per level (family ``level_capacity``: Kết luận
79-KL/TW, the Politburo and Secretariat attend each congress directly under the Centre). No
rule of a rule set carries the numbers, so the family's source is cited."""

from __future__ import annotations

from collections import defaultdict

from planner.analysis.validate.context import PlanCheck
from planner.problem.units import Unit
from planner.rules.calendar import date_vi as _vi
from planner.tree.hierarchy import Level
from planner.tree.names import lv_en, lv_vi, plural_en


def check_parent_capacity(check: PlanCheck) -> None:
    """At most the level's ``parent_daily_capacity`` congresses under the same parent a day."""
    problem = check.problem
    for parent, kids in problem.by_parent.items():
        by_level: dict[Level, list[Unit]] = defaultdict(list)
        for kid in kids:
            by_level[problem.unit(kid).level].append(problem.unit(kid))
        for level, units in by_level.items():
            cap = check.scenario.levels[level].parent_daily_capacity
            if cap is None:
                continue
            over = {d: ids for d, ids in check.load(units).items() if len(ids) > cap}
            if over:
                worst = max(over, key=lambda d: (len(over[d]), d))
                pvi, pen = check.name(parent)
                check.add(
                    "parent_capacity",
                    [parent, *sorted({i for ids in over.values() for i in ids})],
                    over.keys(),
                    f"Dưới {pvi} có {len(over[worst])} đại hội cùng diễn ra ngày {_vi(worst)} "
                    f"(tối đa {cap}); {len(over)} ngày vượt sức chứa.",
                    f"Under the {pen}, {len(over[worst])} congresses sit on {worst} "
                    f"(at most {cap}); {plural_en(len(over), 'day')} over capacity.",
                )


def check_level_capacity(check: PlanCheck) -> None:
    """At most the level's ``daily_capacity`` congresses of a level nationwide a day."""
    for level in check.scenario.planned_levels():
        cap = check.scenario.levels[level].daily_capacity
        if cap is None:
            continue
        units = [u for u in check.problem.units if u.level == level]
        over = {d: ids for d, ids in check.load(units).items() if len(ids) > cap}
        if over:
            worst = max(over, key=lambda d: (len(over[d]), d))
            names = ", ".join(sorted(over[worst]))
            check.add(
                "level_capacity",
                sorted({i for ids in over.values() for i in ids}),
                over.keys(),
                f"Ngày {_vi(worst)} có {len(over[worst])} đại hội cấp {lv_vi(level)} cùng diễn "
                f"ra ({names}; tối đa {cap}); {len(over)} ngày vượt sức chứa.",
                f"On {worst}, {len(over[worst])} {lv_en(level)} congresses sit at once "
                f"({names}; at most {cap}); {plural_en(len(over), 'day')} over capacity.",
            )
