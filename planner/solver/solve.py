"""Running CP-SAT on top of a constructive floor, within the user's budget.

Every solve first builds the greedy plan (:mod:`planner.solver.greedy`): it keeps every rule, is
given to CP-SAT as a hint for the whole model and every sub-model, and stands for any sub-model
that finds nothing in its share of the budget, so "no plan" is only said when even the floor
could not be built (DESIGN §3: under load the budget lies). Two strategies then improve on it.
``monolithic`` solves one model of every congress. ``decomposed`` (the default when the scenario
allows it, :mod:`planner.solver.decompose`) splits the tree into one sub-model per central-level
committee plus the central level.
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
from planner.hierarchy import Level
from planner.objective import plan_objective
from planner.problem import Problem
from planner.solver.budget import WALL_FACTOR, Budget
from planner.solver.model import CongressModel, build_model
from planner.solver.report import SolveReport, finish
from planner.solver.reviews import Reviews, extract

__all__ = ["CANCEL", "STRATEGIES", "SolveReport", "cancelled", "finish", "solve"]

ProgressFn = Callable[[dict[str, Any]], None]
# Set by a caller (e.g. the browser's background job) to stop every solve in this context.
CANCEL: contextvars.ContextVar[threading.Event | None] = contextvars.ContextVar(
    "planner_cancel", default=None
)
STRATEGIES = ("auto", "decomposed", "monolithic", "greedy")
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
class _Run:
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
    *,
    budget: Budget | None = None,
    hint: Mapping[str, dt.date] | None = None,
    election_hint: int | None = None,
    max_moved: int | None = None,
    review_hint: Reviews | None = None,
) -> _Run:
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
    return _Run(status, name, solver, cm, progress.first, progress.count, build, deterministic)


def decomposable(problem: Problem) -> bool:
    """Whether the tree decomposition is exact for this scenario.

    It is when every coupling between two central-level subtrees runs through the central level:
    no nationwide capacity or load levelling below it, and every family hard (soft families trade
    across subtrees, which the monolithic model handles).
    """
    scenario = problem.scenario
    for level in scenario.planned_levels():
        if level.depth <= Level.CENTRAL.depth:
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
    time_limit: float = 30.0,
    workers: int = 2,
    seed: int = 0,
    strategy: str = "auto",
    on_progress: ProgressFn | None = None,
    objective: str = "plan",
    deterministic: bool = False,
    budget: Budget | None = None,
    use_floor: bool = True,
) -> SolveReport:
    """Solve a problem; the report says what is proven (OPTIMAL) and what is not (FEASIBLE).

    ``time_limit`` is wall-clock seconds from now (CP-SAT deterministic seconds with
    ``deterministic``: same seed and workers, same plan); ``budget`` instead counts from an
    earlier start (the command's), so reading and building are inside it. ``objective`` is
    ``plan`` (the scenario's objective) or ``none`` (any feasible plan). ``greedy`` is the
    constructive floor alone (no search, no proof). ``use_floor=False`` searches without the
    floor (for a caller that tried it already and found it blocked).
    """
    from planner.solver.greedy import Blocked, greedy_floor, solve_greedy

    budget = budget or Budget(time_limit, deterministic)
    if strategy == "greedy":
        return solve_greedy(problem, budget)
    floor = None
    blocked = None
    if use_floor:
        # the floor must leave time to validate and write the plan it makes
        deadline = None
        if not budget.deterministic:
            deadline = budget.deadline - budget.reserve(len(problem.units))
        built = greedy_floor(problem, deadline)
        if isinstance(built, Blocked):
            blocked = built
        else:
            floor = built
            budget.floor_seconds = built.seconds
    if budget.expired() or (floor is not None and window(budget, len(problem.units)).expired()):
        report = _floor_only(problem, budget, workers, seed, objective, floor)
    else:
        from planner.solver.decompose import solve_decomposed

        split = strategy == "decomposed" or (strategy == "auto" and decomposable(problem))
        method = solve_decomposed if split else solve_monolithic
        report = method(
            problem,
            budget=budget,
            workers=workers,
            seed=seed,
            on_progress=on_progress,
            objective=objective,
            floor=floor,
        )
    report.floor_seconds = floor.seconds if floor is not None else None
    report.blocked = blocked
    report.deterministic = budget.deterministic
    report.time_limit = budget.limit
    return report


def _floor_only(
    problem: Problem, budget: Budget, workers: int, seed: int, objective: str, floor: Any
) -> SolveReport:
    """No time is left for any search: the floor as it is, or nothing (UNKNOWN)."""
    started = time.perf_counter()
    report = SolveReport.empty(problem, "floor", workers, seed, budget.limit)
    if floor is not None:
        _keep_floor(report, problem, objective, floor, "all")
    report.wall_time = time.perf_counter() - started
    return report


def _keep_floor(
    report: SolveReport, problem: Problem, objective: str, floor: Any, part: str
) -> None:
    """The floor stands for ``part`` (CP-SAT found nothing there): FEASIBLE, not reproducible."""
    report.status = "FEASIBLE"
    report.fallbacks = [part]
    report.unproven = [part]
    report.objective = floor_objective(problem, objective, floor.starts)
    report.reproducible = False
    finish(report, problem, floor.starts, floor.election, floor.reviews)


def window(budget: Budget, units: int) -> Budget:
    """The part of ``budget`` the search may use: what is left minus the reserve for writing."""
    if budget.deterministic:
        return Budget(budget.limit, True)
    return budget.sub(budget.remaining() - budget.reserve(units))


def floor_objective(problem: Problem, objective: str, starts: Mapping[str, dt.date]) -> float:
    """The objective of a plan taken from the floor (0 for a feasibility run)."""
    return float(plan_objective(problem, starts)) if objective == "plan" else 0.0


def solve_monolithic(
    problem: Problem,
    *,
    budget: Budget,
    workers: int = 2,
    seed: int = 0,
    on_progress: ProgressFn | None = None,
    objective: str = "plan",
    floor: Any = None,
) -> SolveReport:
    """One CP-SAT model of every congress, hinted with the floor, which stands if CP-SAT finds
    nothing."""
    started = time.perf_counter()
    report = SolveReport.empty(problem, "monolithic", workers, seed, budget.limit)
    share = window(budget, len(problem.units))
    hint = floor.starts if floor is not None else None
    election = floor.election if floor is not None else None
    run = None
    if share.deterministic or share.remaining() >= MIN_SOLVE:
        run = _run(
            problem,
            objective,
            budget.limit,
            workers,
            seed,
            on_progress,
            "monolithic",
            budget=share,
            hint=hint,
            election_hint=election,
            review_hint=floor.reviews if floor is not None else None,
        )
        report.build_time = run.build
        report.solutions = run.count
        report.deterministic_time = run.solver.deterministic_time
        report.empty_domains = list(run.cm.empty_domains)
        report.reproducible = not run.stopped_by_wall_clock
        if run.first is not None:
            report.first_solution_time = run.first + run.build
    if run is not None and run.ok:
        report.status = run.name
        report.submodels_optimal = 1 if run.status == cp_model.OPTIMAL else 0
        report.objective, report.bound = run.objective, run.bound
        if report.status != "OPTIMAL":
            report.unproven = ["monolithic"]
        finish(report, problem, run.starts(), run.election_index(), run.reviews())
    elif run is not None and run.status == cp_model.INFEASIBLE:
        report.status = "INFEASIBLE"
    elif cancelled():
        report.status = "CANCELLED"
    elif floor is not None:
        report.bound = run.bound if run is not None else 0.0
        _keep_floor(report, problem, objective, floor, "monolithic")
    else:
        report.status = run.name if run is not None else "UNKNOWN"
    report.wall_time = time.perf_counter() - started
    return report
