"""A tiny hand-made tree and scenario for per-family tests (fast to solve, easy to reason about).

Tree: national ``vn``; central ``a`` (districts ``a1``, ``a2``) and ``b`` (district ``b1``).
Windows: district 10–31/1/2020 (1 day), central 1–20/2/2020 (2 days), national 1–5/3/2020
(2 days); gaps of 1 day; election Sunday 5/7/2020 (E−95 = 1/4/2020); no holidays.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.analysis.validate import validate
from planner.analysis.validate.verdict import Validation
from planner.problem.units import Problem, build_problem
from planner.scenario.builder import scenario_from_text
from planner.scenario.model import Scenario
from planner.solver import SolveReport, solve
from planner.tree.hierarchy import Level, Org, OrgTree

TINY_SCENARIO = """\
schema_version = 1
id = "tiny"
name_vi = "Thử nhỏ"
name_en = "Tiny"

[horizon]
start = 2020-01-01
end = 2020-03-31

[election]
day = 2020-07-05

[levels.national]
window = [2020-03-01, 2020-03-05]
days = 2

[levels.central]
window = [2020-02-01, 2020-02-20]
days = 2

[levels.district]
window = [2020-01-10, 2020-01-31]
days = 1

[gaps]
child_before_parent_days = 1

[alignment]
central_before_national_days = 1

[blackouts]
holidays = false
named = []
plenum_levels = []

# the tiny world's central congresses sit in 2/2020: their reviews (issue 20) in its January
[preparation]
review_window = [2020-01-01, 2020-02-19]
"""


def org(org_id: str, level: Level, parent: str | None, province: int | None = None) -> Org:
    """A test organisation with readable names."""
    return Org(
        org_id,
        f"Đảng bộ {org_id}",
        f"{org_id} Party Committee",
        level,
        parent,
        "test",
        province_code=province,
    )


def tiny_tree(extra: Sequence[Org] = ()) -> OrgTree:
    """The tiny tree, plus any extra organisations."""
    return OrgTree(
        [
            org("vn", Level.NATIONAL, None),
            org("a", Level.CENTRAL, "vn", 1),
            org("b", Level.CENTRAL, "vn", 2),
            org("a1", Level.DISTRICT, "a", 1),
            org("a2", Level.DISTRICT, "a", 1),
            org("b1", Level.DISTRICT, "b", 2),
            *extra,
        ]
    )


def tiny_scenario(*sets: str, text: str = TINY_SCENARIO) -> Scenario:
    """The tiny scenario with ``--set`` overrides."""
    return scenario_from_text(text, "tiny.toml", sets)


def tiny_problem(*sets: str, tree: OrgTree | None = None) -> Problem:
    """The tiny problem with ``--set`` overrides."""
    return build_problem(tiny_scenario(*sets), tree or tiny_tree())


def solve_tiny(*sets: str, strategy: str = "auto", tree: OrgTree | None = None) -> SolveReport:
    """Solve the tiny problem deterministically (1 worker, seed 0, short limit)."""
    return solve(
        tiny_problem(*sets, tree=tree),
        time_limit=5.0,
        workers=1,
        seed=0,
        strategy=strategy,
        deterministic=True,
    )


def check(report: SolveReport, *sets: str, tree: OrgTree | None = None) -> Validation:
    """Validate a report's plan against the tiny scenario with the given overrides."""
    assert report.plan is not None
    return validate(tiny_problem(*sets, tree=tree), report.plan)
