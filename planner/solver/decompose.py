"""Tree decomposition: solve each central-level subtree apart, then the central level.

1. For each central-level committee with planned units below it: solve its subtree for the
   scenario objective without any bound from above (a relaxation: its objective and bound are
   valid bounds for that part of the whole plan), and for its earliest possible finish (the
   makespan) when that could bind. Every real plan has the committee start at least ``gap``
   days after that finish, so it is a valid release date.
2. Solve the central and national congresses with those release dates.
3. A subtree whose first solution ends too late for its parent's dates is solved again with that
   deadline; the makespan solution proves such a plan exists, so this never fails.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.hierarchy import Level
from planner.problem import Problem
from planner.solver.solve import (
    CANCEL,
    ProgressFn,
    SolveReport,
    _Run,
    _run,
    cancelled,
    finish,
)


def _subtrees(problem: Problem) -> dict[str, list[str]]:
    """Central org id → every planned unit below it (top-down)."""
    out: dict[str, list[str]] = {}
    for unit in problem.units:
        if unit.level == Level.CENTRAL:
            members = problem.descendants(unit.org_id)
            if members:
                out[unit.org_id] = members
    return out


@dataclass
class _Stat:
    optimal: bool
    build: float
    count: int
    wall_stopped: bool
    name: str


@dataclass
class _SubtreeResult:
    central: str
    starts: dict[str, dt.date] = field(default_factory=dict)
    objective: float = 0.0
    bound: float = 0.0
    release: dt.date | None = None
    failed: str | None = None
    stats: list[_Stat] = field(default_factory=list)
    empty_domains: list[tuple[str, str]] = field(default_factory=list)


def _stat(run: _Run, name: str) -> _Stat:
    optimal = run.status == cp_model.OPTIMAL
    return _Stat(optimal, run.build, run.count, run.stopped_by_wall_clock, name)


def _solve_subtree(
    problem: Problem,
    central: str,
    members: list[str],
    objective: str,
    per_model: float,
    seed: int,
    gap: int,
) -> _SubtreeResult:
    """Stage 1 for one committee: its subtree's best plan, and its release date when needed."""
    result = _SubtreeResult(central)
    sub = problem.subproblem(members)
    best = _run(sub, objective, per_model, 1, seed, None, central)
    result.stats.append(_stat(best, central))
    result.empty_domains = list(best.cm.empty_domains)
    if not best.ok:
        result.failed = best.name
        return result
    result.starts = best.starts()
    result.objective, result.bound = best.objective, best.bound
    finish_day = max(
        start + dt.timedelta(days=sub.unit(o).days - 1) for o, start in result.starts.items()
    )
    scenario = problem.scenario
    earliest = (
        problem.unit(central).window[0] if scenario.hard("level_window") else problem.horizon.start
    )
    if finish_day + dt.timedelta(days=gap) > earliest:
        # The subtree may hold its parent back: find its earliest possible finish.
        fast = _run(sub, "makespan", per_model, 1, seed, None, central)
        result.stats.append(_stat(fast, f"{central}:makespan"))
        if not fast.ok:
            result.failed = fast.name
            return result
        last = problem.horizon.start + dt.timedelta(days=int(fast.solver.best_objective_bound))
        result.release = last + dt.timedelta(days=gap)
    return result


_FORKED: tuple[Problem, str, float, int, int] | None = None
PARALLEL_FROM = 5_000  # units: below this, process start-up costs more than it saves


def _forked_subtree(job: tuple[str, list[str]]) -> _SubtreeResult:
    assert _FORKED is not None
    problem, objective, per_model, seed, gap = _FORKED
    return _solve_subtree(problem, job[0], job[1], objective, per_model, seed, gap)


def _map_subtrees(
    problem: Problem,
    jobs: list[tuple[str, list[str]]],
    objective: str,
    per_model: float,
    seed: int,
    gap: int,
    workers: int,
) -> Iterator[_SubtreeResult]:
    """Solve the subtrees, in parallel processes for big problems (results in input order).

    Each sub-model runs on one worker with a fixed seed and a deterministic limit, so the
    result does not depend on which process solved it. Processes are forked (the problem is
    inherited, not pickled); where fork is unavailable, or inside a cancellable job, or for
    small problems, the subtrees are solved one after the other.
    """
    global _FORKED
    parallel = (
        workers > 1
        and len(jobs) > 1
        and len(problem.units) >= PARALLEL_FROM
        and CANCEL.get() is None
        and "fork" in multiprocessing.get_all_start_methods()
    )
    if not parallel:
        for central, members in jobs:
            yield _solve_subtree(problem, central, members, objective, per_model, seed, gap)
        return
    _FORKED = (problem, objective, per_model, seed, gap)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            yield from pool.map(_forked_subtree, jobs)
    finally:
        _FORKED = None


def _top_budget(time_limit: float, per_model: float, top: int, units: int) -> float:
    """The central level's share of the budget: at least a sub-model's, at most a quarter.

    Its first good plans come within a fraction of a second; its bound (load levelling against
    deadline buffers) is weak and does not move with more time (DESIGN §3), so a quarter of the
    budget mostly buys waiting. It grows with its share of the units, for scenarios where the
    central level is most of the problem.
    """
    share = time_limit * top / max(1, units)
    return max(per_model, min(time_limit / 4, max(share, time_limit / 10)))


def solve_decomposed(
    problem: Problem,
    *,
    time_limit: float = 20.0,
    workers: int = 2,
    seed: int = 0,
    on_progress: ProgressFn | None = None,
    objective: str = "plan",
) -> SolveReport:
    """Solve by subtrees; see the module docstring. Sub-models run on one worker each.

    ``objective="none"`` only looks for a feasible plan (the feasibility checks of the diagnosis).
    """
    started = time.perf_counter()
    scenario = problem.scenario
    gap = scenario.child_before_parent_days if scenario.on("precedence") else 0
    subtrees = _subtrees(problem)
    report = SolveReport.empty(problem, "decomposed", workers, seed, time_limit)
    report.submodels = 0
    per_model = max(0.5, time_limit / max(1, len(subtrees) + 1))
    starts: dict[str, dt.date] = {}
    total = 0.0
    bound = 0.0
    release: dict[str, dt.date] = {}
    relaxed: dict[str, tuple[dict[str, dt.date], float]] = {}

    def account(stat: _Stat) -> None:
        report.submodels += 1
        report.build_time += stat.build
        report.solutions += stat.count
        if stat.optimal:
            report.submodels_optimal += 1
        else:
            report.unproven.append(stat.name)
        if stat.wall_stopped:
            report.reproducible = False

    def fail(run_name: str, part: str) -> SolveReport:
        report.status = run_name
        report.infeasible_part = part
        report.wall_time = time.perf_counter() - started
        return report

    jobs = [(central, members) for central, members in subtrees.items()]
    results = _map_subtrees(problem, jobs, objective, per_model, seed, gap, workers)
    for index, result in enumerate(results):
        central = result.central
        if cancelled():
            return fail("CANCELLED", central)
        for stat in result.stats:
            account(stat)
        report.empty_domains.extend(result.empty_domains)
        if result.failed is not None:
            return fail(result.failed, central)
        if result.release is not None:
            release[central] = result.release
        relaxed[central] = (result.starts, result.objective)
        bound += result.bound
        if on_progress is not None:
            on_progress(
                {
                    "stage": f"subtree {index + 1}/{len(subtrees)}",
                    "elapsed": time.perf_counter() - started,
                }
            )

    top_ids = [u.org_id for u in problem.units if u.level in (Level.NATIONAL, Level.CENTRAL)]
    top = problem.subproblem(top_ids, earliest=release)
    head = _run(
        top,
        objective,
        _top_budget(time_limit, per_model, len(top_ids), len(problem.units)),
        workers,
        seed,
        on_progress,
        "central",
    )
    account(_stat(head, "central"))
    report.empty_domains.extend(head.cm.empty_domains)
    if not head.ok:
        return fail(head.name, "central")
    starts.update(head.starts())
    total += head.objective
    bound += head.bound

    for central, (sub_starts, sub_objective) in relaxed.items():
        deadline = starts[central] - dt.timedelta(days=gap)
        ends_ok = all(
            sub_starts[o] + dt.timedelta(days=problem.unit(o).days - 1) <= deadline
            for o in problem.children(central)
        )
        if ends_ok:
            starts.update(sub_starts)
            total += sub_objective
            continue
        # only now is the subtree's problem needed again (the subtree ran elsewhere)
        bounded = problem.subproblem(
            subtrees[central],
            latest_end={o: deadline for o in problem.children(central)},
        )
        again = _run(bounded, objective, per_model, 1, seed, None, central)
        account(_stat(again, f"{central}:again"))
        if not again.ok:
            return fail(again.name, central)
        starts.update(again.starts())
        total += again.objective

    report.objective = total
    report.bound = bound
    proven = report.submodels_optimal == report.submodels and total <= bound
    report.status = "OPTIMAL" if proven else "FEASIBLE"
    report.first_solution_time = time.perf_counter() - started
    finish(report, problem, starts, head.election_index())
    report.wall_time = time.perf_counter() - started
    return report
