"""Running CP-SAT and reporting honestly: status, objective, bound, gap, time, sub-models.

Two strategies. ``monolithic`` solves one model of every congress. ``decomposed`` (the default
when the scenario allows it) splits the tree: each central-level committee's subtree is solved on
its own — first for its earliest possible finish (a valid release date for the committee's own
congress), then for its objective — the central and national congresses are solved with those
releases, and a subtree is re-solved only when its parent's congress leaves it too little room.
The decomposition is exact for feasibility, and the sum of the sub-models' bounds is a valid
bound for the whole plan, so the reported gap is honest.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from ortools.sat.python import cp_model

from planner.hierarchy import Level
from planner.plan import make_plan
from planner.problem import Problem
from planner.solver.model import CongressModel, build_model

ProgressFn = Callable[[dict[str, Any]], None]
# Set by a caller (e.g. the browser's background job) to stop every solve in this context.
CANCEL: contextvars.ContextVar[threading.Event | None] = contextvars.ContextVar(
    "planner_cancel", default=None
)


def cancelled() -> bool:
    """Whether the current context asked the solver to stop."""
    event = CANCEL.get()
    return event is not None and event.is_set()


WALL_FACTOR = 10
STRATEGIES = ("auto", "decomposed", "monolithic", "greedy")


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
            "first_solution_s": (
                round(self.first_solution_time, 3) if self.first_solution_time is not None else None
            ),
            "solutions": self.solutions,
            "submodels": self.submodels,
            "submodels_optimal": self.submodels_optimal,
            "workers": self.workers,
            "seed": self.seed,
            "time_limit_s": self.time_limit,
            "units": self.units,
            "reproducible": self.reproducible,
            "unproven_submodels": self.unproven,
            "election_day": self.election_day.isoformat() if self.election_day else None,
        }


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, started: float, on_progress: ProgressFn | None, label: str) -> None:
        super().__init__()
        self.started = started
        self.first: float | None = None
        self.count = 0
        self.on_progress = on_progress
        self.label = label

    def on_solution_callback(self) -> None:
        elapsed = time.perf_counter() - self.started
        self.count += 1
        if self.first is None:
            self.first = elapsed
        if self.on_progress is not None:
            self.on_progress(
                {
                    "stage": self.label,
                    "objective": self.objective_value,
                    "bound": self.best_objective_bound,
                    "elapsed": elapsed,
                    "solutions": self.count,
                }
            )


def solver_parameters(
    solver: cp_model.CpSolver, time_limit: float, workers: int, seed: int
) -> None:
    """Deterministic settings: fixed seed and workers, interleaved search, time limits.

    ``interleave_search`` makes CP-SAT's parallel search deterministic for a given worker count;
    the deterministic-time limit (``time_limit``, in CP-SAT's deterministic seconds) ends it
    reproducibly. The wall-clock limit is only a safety net for a loaded machine; a run it stops
    is marked not reproducible.
    """
    params = solver.parameters
    params.num_workers = max(1, workers)
    params.random_seed = seed
    if workers > 1:
        params.interleave_search = True
    params.max_deterministic_time = max(0.05, time_limit)
    params.max_time_in_seconds = WALL_FACTOR * max(0.5, time_limit) + 5
    params.use_overload_checker_in_cumulative = True
    params.use_timetable_edge_finding_in_cumulative = True


@dataclass
class _Run:
    status: Any
    name: str
    solver: cp_model.CpSolver
    cm: CongressModel
    first: float | None
    count: int
    build: float

    @property
    def stopped_by_wall_clock(self) -> bool:
        limit = self.solver.parameters.max_time_in_seconds
        return self.solver.wall_time >= 0.99 * limit and self.status != cp_model.OPTIMAL

    @property
    def ok(self) -> bool:
        return self.status in (cp_model.OPTIMAL, cp_model.FEASIBLE)

    @property
    def objective(self) -> float:
        """The objective value (0 for a feasibility run)."""
        return float(self.solver.objective_value) if self.cm.model.has_objective() else 0.0

    @property
    def bound(self) -> float:
        """The best bound (0 for a feasibility run)."""
        return float(self.solver.best_objective_bound) if self.cm.model.has_objective() else 0.0

    def election_index(self) -> int:
        assert self.cm.election is not None
        return int(self.solver.value(self.cm.election))

    def starts(self) -> dict[str, dt.date]:
        base = self.cm.problem.horizon.start
        return {o: base + dt.timedelta(days=self.solver.value(v)) for o, v in self.cm.start.items()}


def _run(
    problem: Problem,
    objective: str,
    time_limit: float,
    workers: int,
    seed: int,
    on_progress: ProgressFn | None = None,
    label: str = "solve",
    wall: float | None = None,
    base: Mapping[str, dt.date] | None = None,
) -> _Run:
    """Build and solve one model; ``wall`` switches to a wall-clock limit (not reproducible).

    ``base`` is the plan that the re-planning objectives (``stability``, ``shift``) keep.
    """
    started = time.perf_counter()
    cm = build_model(problem, objective, base=base)
    build = time.perf_counter() - started
    solver = cp_model.CpSolver()
    solver_parameters(solver, time_limit, workers, seed)
    if wall is not None:
        solver.parameters.max_deterministic_time = 1e9
        solver.parameters.max_time_in_seconds = wall
    progress = _Progress(time.perf_counter(), on_progress, label)
    cancel = CANCEL.get()
    done = threading.Event()
    if cancel is not None:

        def watch() -> None:
            while not done.wait(0.1):
                if cancel.is_set():
                    solver.stop_search()
                    return

        threading.Thread(target=watch, daemon=True).start()
    try:
        status = solver.solve(cm.model, progress)
    finally:
        done.set()
    return _Run(
        status, solver.status_name(status), solver, cm, progress.first, progress.count, build
    )


def decomposable(problem: Problem) -> bool:
    """Whether the tree decomposition is exact for this scenario.

    It is when every coupling between two central-level subtrees runs through the central level:
    no nationwide capacity or load levelling below it, and every family hard (soft families trade
    across subtrees, which the monolithic model handles).
    """
    scenario = problem.scenario
    for level in (Level.DISTRICT, Level.GRASSROOTS):
        if not scenario.levels[level].plan:
            continue
        if scenario.on("level_capacity") and scenario.levels[level].daily_capacity is not None:
            return False
        if level in scenario.peak_levels and scenario.objective["peak_weight"] > 0:
            return False
    for family_id, setting in scenario.families.items():
        if family_id != "preferred" and setting.enabled and not setting.hard:
            return False
    return any(u.level == Level.CENTRAL for u in problem.units)


def solve(
    problem: Problem,
    *,
    time_limit: float = 20.0,
    workers: int = 2,
    seed: int = 0,
    strategy: str = "auto",
    on_progress: ProgressFn | None = None,
    objective: str = "plan",
) -> SolveReport:
    """Solve a problem; the report says what is proven (OPTIMAL) and what is not (FEASIBLE).

    ``objective`` is ``plan`` (the scenario's objective) or ``none`` (any feasible plan).
    ``greedy`` is the list-scheduling baseline (no search, no proof).
    """
    if strategy == "greedy":
        from planner.solver.greedy import solve_greedy

        return solve_greedy(problem)
    if strategy == "decomposed" or (strategy == "auto" and decomposable(problem)):
        from planner.solver.decompose import solve_decomposed

        return solve_decomposed(
            problem,
            time_limit=time_limit,
            workers=workers,
            seed=seed,
            on_progress=on_progress,
            objective=objective,
        )
    return solve_monolithic(
        problem,
        time_limit=time_limit,
        workers=workers,
        seed=seed,
        on_progress=on_progress,
        objective=objective,
    )


def solve_monolithic(
    problem: Problem,
    *,
    time_limit: float = 20.0,
    workers: int = 2,
    seed: int = 0,
    on_progress: ProgressFn | None = None,
    objective: str = "plan",
    wall: float | None = None,
) -> SolveReport:
    """One CP-SAT model of every congress (``wall``: a wall-clock limit instead, for benches)."""
    started = time.perf_counter()
    run = _run(problem, objective, time_limit, workers, seed, on_progress, "monolithic", wall)
    report = SolveReport(
        status=run.name,
        objective=None,
        bound=None,
        wall_time=time.perf_counter() - started,
        build_time=run.build,
        first_solution_time=(run.first + run.build) if run.first is not None else None,
        solutions=run.count,
        workers=workers,
        seed=seed,
        time_limit=time_limit,
        units=len(problem.units),
        strategy="monolithic",
        submodels_optimal=1 if run.status == cp_model.OPTIMAL else 0,
        empty_domains=list(run.cm.empty_domains),
        reproducible=not run.stopped_by_wall_clock,
    )
    if run.ok:
        report.objective = run.objective
        report.bound = run.bound
        finish(report, problem, run.starts(), run.election_index())
    return report


def finish(
    report: SolveReport, problem: Problem, starts: dict[str, dt.date], election_index: int
) -> None:
    """Attach the plan (congresses, timetable, plenums, blackouts) to a successful report."""
    election_day = problem.horizon.start + dt.timedelta(days=election_index)
    report.election_day = election_day
    report.starts = starts
    report.plan = make_plan(problem, starts, election_day)
