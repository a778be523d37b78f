"""One CP-SAT run: the solver's settings, the progress callback, the cancel switch and the
budget's search window, shared by every strategy (:mod:`planner.solver.solve`, the
decomposition in :mod:`planner.solver.decompose`), re-planning and diagnosis, so none of them
imports another for it.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from planner import interrupt
from planner.problem.objective import plan_objective
from planner.problem.units import Problem
from planner.solver.budget import WALL_FACTOR, Budget
from planner.solver.model import CongressModel, build_model
from planner.solver.reviews import Reviews, extract

ProgressFn = Callable[[dict[str, Any]], None]
# Set by a caller (e.g. the browser's background job) to stop every solve in this context.
CANCEL: contextvars.ContextVar[threading.Event | None] = contextvars.ContextVar(
    "planner_cancel", default=None
)
MIN_SOLVE = 0.05  # seconds: below this a sub-model keeps the floor without calling CP-SAT


def cancelled() -> bool:
    """Whether the current context asked the solver to stop, or a signal came (the CLI)."""
    event = CANCEL.get()
    return (event is not None and event.is_set()) or interrupt.requested()


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
    """Reproducible settings: fixed seed and workers, interleaved search, time limits.

    ``interleave_search`` makes CP-SAT's parallel search deterministic for a given worker count;
    the deterministic-time limit (``time_limit``, in CP-SAT's deterministic seconds) ends it
    reproducibly. The wall-clock limit is only a safety net; a run it stops is marked not
    reproducible.
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
    # CP-SAT's Ctrl-C catching ended the search as if the time limit had come (the plan was
    # written) and left SIGINT at the default action afterwards; planner.interrupt does it.
    params.catch_sigint_signal = False


@dataclass
class Run:
    """One CP-SAT run: its status, the solver and the model it solved, and its timings."""

    status: Any
    name: str
    solver: cp_model.CpSolver
    cm: CongressModel
    first: float | None
    count: int
    build: float
    deterministic: bool = True

    @property
    def stopped_by_wall_clock(self) -> bool:
        """Whether the wall clock (not the search or a reproducible limit) ended the run."""
        if self.status in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
            return False
        if not self.deterministic:
            return True
        limit = self.solver.parameters.max_time_in_seconds
        return bool(self.solver.wall_time >= 0.99 * limit)

    @property
    def ok(self) -> bool:
        return self.status in (cp_model.OPTIMAL, cp_model.FEASIBLE)

    @property
    def objective(self) -> float:
        """The objective value (0 for a feasibility run)."""
        return float(self.solver.objective_value) if self.cm.model.has_objective() else 0.0

    @property
    def bound(self) -> float:
        """The best bound (0 for a feasibility run or when the search found nothing)."""
        if not self.cm.model.has_objective() or self.status == cp_model.MODEL_INVALID:
            return 0.0
        return max(0.0, float(self.solver.best_objective_bound))

    def election_index(self) -> int:
        assert self.cm.election is not None
        return int(self.solver.value(self.cm.election))

    def starts(self) -> dict[str, dt.date]:
        base = self.cm.problem.horizon.start
        return {o: base + dt.timedelta(days=self.solver.value(v)) for o, v in self.cm.start.items()}

    def reviews(self) -> Reviews:
        """The review sessions the model scheduled (org id → (day, body id))."""
        return extract(self.cm.problem, self.cm.reviews, self.solver.value)


def run_model(
    problem: Problem,
    objective: str,
    time_limit: float,
    workers: int,
    seed: int,
    on_progress: ProgressFn | None = None,
    label: str = "solve",
    wall: float | None = None,
    base: Mapping[str, dt.date] | None = None,
    *,
    budget: Budget | None = None,
    hint: Mapping[str, dt.date] | None = None,
    election_hint: int | None = None,
    max_moved: int | None = None,
    review_hint: Reviews | None = None,
) -> Run:
    """Build and solve one model.

    With ``budget`` the model gets what is left of it after building (wall-clock seconds, or
    deterministic seconds); without, ``time_limit`` deterministic seconds (``wall`` switches
    to a wall-clock limit). ``base`` is the plan that the re-planning objectives (``stability``,
    ``shift``) keep; ``hint`` a complete plan to start from.
    """
    started = time.perf_counter()
    cm = build_model(problem, objective, base=base, max_moved=max_moved)
    if hint is not None:
        cm.hint(hint, election_hint, review_hint)
    build = time.perf_counter() - started
    solver = cp_model.CpSolver()
    deterministic = True
    if budget is not None:
        solver_parameters(solver, budget.limit, workers, seed)
        if not budget.deterministic:
            deterministic = False
            solver.parameters.max_deterministic_time = 1e9
            solver.parameters.max_time_in_seconds = max(0.01, budget.remaining())
    else:
        solver_parameters(solver, time_limit, workers, seed)
        if wall is not None:
            solver.parameters.max_deterministic_time = 1e9
            solver.parameters.max_time_in_seconds = wall
    progress = _Progress(time.perf_counter(), on_progress, label)
    cancel = CANCEL.get()
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.1):
            if (cancel is not None and cancel.is_set()) or interrupt.requested():
                solver.stop_search()
                return

    threading.Thread(target=watch, daemon=True).start()
    try:
        status = solver.solve(cm.model, progress)
    finally:
        done.set()
    if budget is not None and budget.deterministic:
        budget.spent_deterministic += solver.deterministic_time
    name = solver.status_name(status)
    return Run(status, name, solver, cm, progress.first, progress.count, build, deterministic)


def window(budget: Budget, units: int) -> Budget:
    """The part of ``budget`` the search may use: what is left minus the reserve for writing."""
    if budget.deterministic:
        return Budget(budget.limit, True)
    return budget.sub(budget.remaining() - budget.reserve(units))


def floor_objective(problem: Problem, objective: str, starts: Mapping[str, dt.date]) -> float:
    """The objective of a plan taken from the floor (0 for a feasibility run)."""
    return float(plan_objective(problem, starts)) if objective == "plan" else 0.0
