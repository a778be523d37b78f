"""What a solve achieved, said honestly: status, objective, bound, gap, time, sub-models.

``OPTIMAL`` only when every sub-model is proven optimal; ``FEASIBLE`` for any validated plan,
naming the sub-models not proven optimal and those that kept the constructive floor's dates;
``INFEASIBLE`` only when CP-SAT proved that no plan exists; ``UNKNOWN`` when no plan was found
within the budget (one may exist: never read it as infeasible).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from planner.plan.frame import make_plan
from planner.problem.objective import attendance_over
from planner.problem.units import Problem
from planner.solver.blocked import Blocked


@dataclass
class SolveReport:
    """What the solver achieved; ``plan`` is None when no plan was found."""

    status: str
    objective: float | None
    bound: float | None
    wall_time: float
    build_time: float
    first_solution_time: float | None
    solutions: int
    workers: int
    seed: int
    time_limit: float
    units: int
    strategy: str = "monolithic"
    submodels: int = 1
    submodels_optimal: int = 0
    election_day: dt.date | None = None
    plan: pd.DataFrame | None = None
    starts: dict[str, dt.date] = field(default_factory=dict)
    empty_domains: list[tuple[str, str]] = field(default_factory=list)
    infeasible_part: str | None = None
    reproducible: bool = True
    unproven: list[str] = field(default_factory=list)  # sub-models not proven optimal
    fallbacks: list[str] = field(default_factory=list)  # sub-models that kept the floor's dates
    floor_seconds: float | None = None  # time to build the constructive floor (None: not built)
    blocked: Blocked | None = None  # why the floor could not be built
    deterministic: bool = False
    deterministic_time: float = 0.0  # CP-SAT's deterministic seconds, every sub-model summed
    reviews: dict[str, tuple[dt.date, str]] = field(default_factory=dict)  # org → (day, body)
    # days over preparation.attendance_limit (central congresses in session), reported
    attendance_over: list[tuple[dt.date, int]] = field(default_factory=list)

    @classmethod
    def empty(
        cls, problem: Problem, strategy: str, workers: int, seed: int, time_limit: float
    ) -> SolveReport:
        """A report with nothing found yet."""
        return cls(
            status="UNKNOWN",
            objective=None,
            bound=None,
            wall_time=0.0,
            build_time=0.0,
            first_solution_time=None,
            solutions=0,
            workers=workers,
            seed=seed,
            time_limit=time_limit,
            units=len(problem.units),
            strategy=strategy,
        )

    @property
    def feasible(self) -> bool:
        """True when a plan was found (OPTIMAL or FEASIBLE)."""
        return self.plan is not None

    @property
    def gap(self) -> float | None:
        """Relative gap between objective and best bound (0 when proven optimal)."""
        if self.objective is None or self.bound is None:
            return None
        return abs(self.objective - self.bound) / max(1.0, abs(self.objective))

    def as_dict(self) -> dict[str, Any]:
        """Summary for JSON output and plan metadata."""
        return {
            "status": self.status,
            "strategy": self.strategy,
            "objective": self.objective,
            "bound": self.bound,
            "gap": self.gap,
            "wall_time_s": round(self.wall_time, 3),
            "build_time_s": round(self.build_time, 3),
            "deterministic_time_s": round(self.deterministic_time, 3),
            "first_solution_s": (
                round(self.first_solution_time, 3) if self.first_solution_time is not None else None
            ),
            "solutions": self.solutions,
            "submodels": self.submodels,
            "submodels_optimal": self.submodels_optimal,
            "workers": self.workers,
            "seed": self.seed,
            "time_limit_s": self.time_limit,
            "deterministic": self.deterministic,
            "units": self.units,
            "reproducible": self.reproducible,
            "unproven_submodels": self.unproven,
            "fallback_submodels": self.fallbacks,
            "floor_s": round(self.floor_seconds, 3) if self.floor_seconds is not None else None,
            "floor_blocked_vi": self.blocked.message_vi if self.blocked is not None else None,
            "floor_blocked_en": self.blocked.message_en if self.blocked is not None else None,
            "floor_timed_out": self.blocked.timed_out if self.blocked is not None else None,
            "election_day": self.election_day.isoformat() if self.election_day else None,
            "attendance_over": [[d.isoformat(), n] for d, n in self.attendance_over],
        }


def finish(
    report: SolveReport,
    problem: Problem,
    starts: dict[str, dt.date],
    election_index: int,
    reviews: dict[str, tuple[dt.date, str]] | None = None,
) -> None:
    """Attach the plan (congresses, scheduled reviews, timetable, plenums, blackouts) to a
    successful report."""
    election_day = problem.horizon.start + dt.timedelta(days=election_index)
    report.election_day = election_day
    report.starts = starts
    report.reviews = dict(reviews or {})
    report.attendance_over = attendance_over(problem, starts)
    report.plan = make_plan(problem, starts, election_day, reviews=reviews)
