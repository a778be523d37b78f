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
import time

from ortools.sat.python import cp_model

from planner.hierarchy import Level
from planner.problem import Problem
from planner.solver.solve import ProgressFn, SolveReport, _Run, _run, cancelled, finish


def _subtrees(problem: Problem) -> dict[str, list[str]]:
    """Central org id → every planned unit below it (top-down)."""
    out: dict[str, list[str]] = {}
    for unit in problem.units:
        if unit.level == Level.CENTRAL:
            members: list[str] = []
            frontier = list(problem.children(unit.org_id))
            while frontier:
                members.extend(frontier)
                frontier = [c for o in frontier for c in problem.children(o)]
            if members:
                out[unit.org_id] = members
    return out


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
    report = SolveReport(
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
        strategy="decomposed",
        submodels=0,
    )
    per_model = max(0.5, time_limit / max(1, len(subtrees) + 1))
    starts: dict[str, dt.date] = {}
    total = 0.0
    bound = 0.0
    release: dict[str, dt.date] = {}
    relaxed: dict[str, tuple[Problem, dict[str, dt.date], float]] = {}

    def account(run: _Run) -> None:
        report.submodels += 1
        report.build_time += run.build
        report.solutions += run.count
        if run.status == cp_model.OPTIMAL:
            report.submodels_optimal += 1
        if run.stopped_by_wall_clock:
            report.reproducible = False

    def fail(run_name: str, part: str) -> SolveReport:
        report.status = run_name
        report.infeasible_part = part
        report.wall_time = time.perf_counter() - started
        return report

    for index, (central, members) in enumerate(subtrees.items()):
        if cancelled():
            return fail("CANCELLED", central)
        sub = problem.subproblem(members)
        best = _run(sub, objective, per_model, 1, seed, None, central)
        account(best)
        report.empty_domains.extend(best.cm.empty_domains)
        if not best.ok:
            return fail(best.name, central)
        finish_day = max(
            start + dt.timedelta(days=sub.unit(o).days - 1) for o, start in best.starts().items()
        )
        earliest = (
            problem.unit(central).window[0]
            if scenario.hard("level_window")
            else problem.horizon.start
        )
        if finish_day + dt.timedelta(days=gap) > earliest:
            # The subtree may hold its parent back: find its earliest possible finish.
            fast = _run(sub, "makespan", per_model, 1, seed, None, central)
            account(fast)
            if not fast.ok:
                return fail(fast.name, central)
            last = problem.horizon.start + dt.timedelta(days=int(fast.solver.best_objective_bound))
            release[central] = last + dt.timedelta(days=gap)
        relaxed[central] = (sub, best.starts(), best.objective)
        bound += best.bound
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
        top, objective, max(per_model, time_limit / 4), workers, seed, on_progress, "central"
    )
    account(head)
    report.empty_domains.extend(head.cm.empty_domains)
    if not head.ok:
        return fail(head.name, "central")
    starts.update(head.starts())
    total += head.objective
    bound += head.bound

    for central, (sub, sub_starts, sub_objective) in relaxed.items():
        deadline = starts[central] - dt.timedelta(days=gap)
        ends_ok = all(
            sub_starts[o] + dt.timedelta(days=sub.unit(o).days - 1) <= deadline
            for o in problem.children(central)
        )
        if ends_ok:
            starts.update(sub_starts)
            total += sub_objective
            continue
        bounded = sub.subproblem(
            [u.org_id for u in sub.units],
            latest_end={o: deadline for o in problem.children(central)},
        )
        again = _run(bounded, objective, per_model, 1, seed, None, central)
        account(again)
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
