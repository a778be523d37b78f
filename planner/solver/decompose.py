"""Tree decomposition: solve each central-level subtree apart, then the central level.

1. For each central-level committee with planned units below it: solve its subtree for the
   scenario objective without any bound from above (a relaxation: its objective and bound are
   valid bounds for that part of the whole plan), and for its earliest possible finish (the
   makespan) when that could bind. The committee's congress must start at least ``gap`` days
   after the finish of whichever subtree plan is kept, so that finish is its release date; when
   the makespan is proven optimal the release is also a valid lower bound.
2. Solve the central and national congresses with those release dates.
3. A subtree whose first plan ends too late for its parent's dates is solved again with that
   deadline; the plan that set the release fits it, so this always ends with a plan.

Every sub-model is hinted with the constructive floor's dates and keeps them when CP-SAT finds
nothing within its share (the report names it among ``fallbacks``). In wall-clock mode each
sub-model's share is what is left of the subtree phase, divided by the work not yet started, so a
sub-model that finishes early hands its time on; with ``deterministic`` the shares are fixed.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from planner.problem.objective import separable_bound
from planner.problem.units import Problem
from planner.solver.budget import Budget
from planner.solver.greedy import Floor
from planner.solver.groups import finish_bound, lower_bound
from planner.solver.report import SolveReport, finish
from planner.solver.run import (
    CANCEL,
    MIN_SOLVE,
    ProgressFn,
    Run,
    cancelled,
    floor_objective,
    run_model,
    window,
)
from planner.tree.hierarchy import Level

SUBTREE_PHASE = 0.8  # wall mode: share of the search window the subtrees may use
CENTRAL_PHASE = 0.8  # of what is left after them, for the central level (the rest: re-solves)
WEIGHT_BASE = 200  # a sub-model's weight is its size plus this (small ones still get time)


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
    deterministic_time: float = 0.0


@dataclass
class _SubtreeResult:
    central: str
    starts: dict[str, dt.date] = field(default_factory=dict)
    objective: float = 0.0
    bound: float = 0.0
    release: dt.date | None = None
    release_exact: bool = True  # the release is a proven lower bound (its makespan is optimal)
    release_bound: dt.date | None = None  # a proven lower bound on the release, when not exact
    fast: dict[str, dt.date] | None = None  # the plan whose finish set the release
    failed: str | None = None  # INFEASIBLE (proven), UNKNOWN (nothing, no floor), CANCELLED
    stats: list[_Stat] = field(default_factory=list)
    fallbacks: list[str] = field(default_factory=list)
    empty_domains: list[tuple[str, str]] = field(default_factory=list)


def _stat(run: Run, name: str) -> _Stat:
    optimal = run.status == cp_model.OPTIMAL
    return _Stat(
        optimal,
        run.build,
        run.count,
        run.stopped_by_wall_clock,
        name,
        run.solver.deterministic_time,
    )


class _Shares:
    """Hands each sub-model its share of the subtree phase when it starts (see module doc)."""

    def __init__(
        self, budget: Budget, end: float, per_model: float, total: float, workers: int
    ) -> None:
        self.deterministic = budget.deterministic
        self.end = end
        self.per_model = per_model
        self.workers = max(1, workers)
        self.left: Any = _Counter(total)

    def shared(self) -> None:
        """Share the count of work not yet started with forked processes."""
        value = multiprocessing.get_context("fork").Value("d", self.left.value)
        self.left = value

    def take(self, weight: float) -> Budget:
        """The budget of a sub-model of ``weight`` starting now."""
        if self.deterministic:
            return Budget(self.per_model, True)
        with self.left.get_lock():
            waiting = max(self.left.value, weight)
            self.left.value -= weight
        left = max(0.0, self.end - time.monotonic())
        return Budget(min(left, left * self.workers * weight / waiting), False)


class _Counter:
    """A ``multiprocessing.Value`` look-alike for one process."""

    def __init__(self, value: float) -> None:
        self.value = value
        self._lock = threading.Lock()

    def get_lock(self) -> threading.Lock:
        return self._lock


def _finish_day(problem: Problem, starts: dict[str, dt.date]) -> dt.date:
    return max(start + dt.timedelta(days=problem.unit(o).days - 1) for o, start in starts.items())


def _solve_subtree(
    problem: Problem,
    central: str,
    members: list[str],
    objective: str,
    share: Budget,
    seed: int,
    gap: int,
    floor: dict[str, dt.date] | None,
    improve: bool = False,
) -> _SubtreeResult:
    """Stage 1 for one committee: its subtree's best plan, and its release date when needed.

    ``improve``: a second pass for a sub-model not proven optimal in the first; only the plan
    objective, from the best plan so far (``floor``); ``failed = "KEEP"`` when it found nothing.
    """
    sub = problem.subproblem(members)
    hint = {o: floor[o] for o in members} if floor is not None else None
    if improve:
        return _improve_subtree(sub, central, objective, share, seed, hint)
    result = _SubtreeResult(central)
    scenario = problem.scenario
    earliest = (
        problem.unit(central).window[0] if scenario.hard("level_window") else problem.horizon.start
    )

    def binds(plan: dict[str, dt.date]) -> bool:
        """Whether a subtree plan could hold its committee's congress back."""
        return _finish_day(sub, plan) + dt.timedelta(days=gap) > earliest

    floor_fits = hint is not None and not binds(hint)
    if hint is not None and _floor_optimal(sub, objective, hint, result):
        # the floor reaches a lower bound already: no search for the plan
        if floor_fits:
            result.fast = hint
            return result
        return _release(sub, result, share, seed, gap, hint, central)
    # the makespan pass is only needed when the floor itself could hold the committee back
    plan_share = share if share.deterministic or floor_fits else share.sub(share.remaining() * 0.6)
    if not _best_plan(sub, objective, plan_share, seed, hint, result):
        return result
    if not binds(result.starts):
        return result
    if floor_fits:  # the floor fits under any date of the committee: the re-solve's fallback
        result.fast = hint
        return result
    return _release(sub, result, share, seed, gap, hint, central)


def _improve_subtree(
    sub: Problem,
    central: str,
    objective: str,
    share: Budget,
    seed: int,
    hint: dict[str, dt.date] | None,
) -> _SubtreeResult:
    """The second pass of :func:`_solve_subtree`: the plan objective only, from the best plan
    so far (``hint``); ``failed = "KEEP"`` when it found nothing."""
    result = _SubtreeResult(central)
    again = run_model(sub, objective, 0, 1, seed, None, central, budget=share, hint=hint)
    result.stats.append(_stat(again, central))
    if not again.ok:
        result.failed = "KEEP"
        return result
    result.starts = again.starts()
    result.objective, result.bound = again.objective, again.bound
    return result


def _best_plan(
    sub: Problem,
    objective: str,
    share: Budget,
    seed: int,
    hint: dict[str, dt.date] | None,
    result: _SubtreeResult,
) -> bool:
    """The subtree's best plan within ``share`` into ``result``, or the floor's when CP-SAT
    finds none (named among the fallbacks); False when there is none (``result.failed`` says
    why: INFEASIBLE, CANCELLED or UNKNOWN)."""
    central = result.central
    best = None
    if share.deterministic or share.remaining() >= MIN_SOLVE:
        best = run_model(sub, objective, 0, 1, seed, None, central, budget=share, hint=hint)
        result.stats.append(_stat(best, central))
        result.empty_domains = list(best.cm.empty_domains)
    if best is not None and best.ok:
        result.starts = best.starts()
        result.objective, result.bound = best.objective, best.bound
    elif best is not None and best.status == cp_model.INFEASIBLE:
        result.failed = "INFEASIBLE"
    elif cancelled():
        result.failed = "CANCELLED"
    elif hint is not None:
        result.starts = dict(hint)
        result.objective = floor_objective(sub, objective, hint)
        result.bound = best.bound if best is not None else 0.0
        result.fallbacks.append(central)
        if best is None:
            result.stats.append(_Stat(False, 0.0, 0, True, central))
    else:
        result.failed = "UNKNOWN"
    return result.failed is None


def _floor_optimal(
    sub: Problem, objective: str, hint: dict[str, dt.date], result: _SubtreeResult
) -> bool:
    """Whether the floor's plan of the subtree reaches a proven lower bound (then it is the
    result, proven optimal without a search): each congress at its cheapest start, raised by
    the seat count of the groups under a daily limit (:func:`lower_bound`)."""
    value = floor_objective(sub, objective, hint)
    if objective != "plan":
        proven = value <= 0
    else:  # the seat count only where the cheaper bound falls short
        proven = value <= separable_bound(sub) or value <= lower_bound(sub)
    if not proven:
        return False
    result.starts, result.objective, result.bound = dict(hint), value, value
    result.stats.append(_Stat(True, 0.0, 0, False, result.central))
    return True


def _release(
    sub: Problem,
    result: _SubtreeResult,
    share: Budget,
    seed: int,
    gap: int,
    hint: dict[str, dt.date] | None,
    central: str,
) -> _SubtreeResult:
    """The subtree may hold its parent back: find its earliest possible finish (the makespan),
    without a search when a plan at hand reaches :func:`finish_bound`."""
    plans = [(_finish_day(sub, result.starts), result.starts)]
    if hint is not None:
        plans.append((_finish_day(sub, hint), hint))
    fast_hint = min(plans, key=lambda p: p[0])[1]
    lowest = sub.horizon.start + dt.timedelta(days=finish_bound(sub))
    fast = None
    if min(p[0] for p in plans) <= lowest:
        result.stats.append(_Stat(True, 0.0, 0, False, f"{central}:makespan"))
    elif share.deterministic or share.remaining() >= MIN_SOLVE:
        fast = run_model(sub, "makespan", 0, 1, seed, None, central, budget=share, hint=fast_hint)
        result.stats.append(_stat(fast, f"{central}:makespan"))
        if fast.ok:
            starts = fast.starts()
            plans.append((_finish_day(sub, starts), starts))
        elif fast.status == cp_model.INFEASIBLE:  # cannot happen after a plan was found
            result.failed = "INFEASIBLE"
            return result
    last, result.fast = min(plans, key=lambda p: p[0])
    result.release = last + dt.timedelta(days=gap)
    result.release_exact = last <= lowest or (fast is not None and fast.status == cp_model.OPTIMAL)
    if not result.release_exact:  # the makespan's bound still bounds every plan's finish
        bound = sub.horizon.start + dt.timedelta(days=int(fast.bound)) if fast else lowest
        result.release_bound = max(bound, lowest) + dt.timedelta(days=gap)
    return result


_FORKED: tuple[Problem, str, _Shares, int, int, dict[str, dt.date] | None, bool] | None = None
PARALLEL_FROM = 5_000  # units: below this, process start-up costs more than it saves


def _job_weight(members: list[str]) -> float:
    return float(len(members) + WEIGHT_BASE)


def _forked_subtree(job: tuple[str, list[str]]) -> _SubtreeResult:
    assert _FORKED is not None
    problem, objective, shares, seed, gap, floor, improve = _FORKED
    share = shares.take(_job_weight(job[1]))
    return _solve_subtree(problem, job[0], job[1], objective, share, seed, gap, floor, improve)


def _map_subtrees(
    problem: Problem,
    jobs: list[tuple[str, list[str]]],
    objective: str,
    shares: _Shares,
    seed: int,
    gap: int,
    floor: dict[str, dt.date] | None,
    workers: int,
    improve: bool = False,
) -> Iterator[_SubtreeResult]:
    """Solve the subtrees, smallest first, in parallel processes for big problems.

    Small sub-models are mostly proven optimal well within their share; going first, they hand
    the rest on to the big ones (under load, the big ones need it to improve on the floor).

    Each sub-model runs on one worker with a fixed seed, so with ``deterministic`` the result
    does not depend on which process solved it. Processes are forked (the problem is inherited,
    not pickled); where fork is unavailable, inside a cancellable job or a daemon process, or for
    small problems, the subtrees are solved one after the other.
    """
    global _FORKED
    jobs = sorted(jobs, key=lambda job: (len(job[1]), job[0]))
    parallel = (
        workers > 1
        and len(jobs) > 1
        and len(problem.units) >= PARALLEL_FROM
        and CANCEL.get() is None
        and not multiprocessing.current_process().daemon
        and "fork" in multiprocessing.get_all_start_methods()
    )
    if not parallel:
        shares.workers = 1
        for central, members in jobs:
            if cancelled():
                return
            share = shares.take(_job_weight(members))
            yield _solve_subtree(
                problem, central, members, objective, share, seed, gap, floor, improve
            )
        return
    shares.shared()
    _FORKED = (problem, objective, shares, seed, gap, floor, improve)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            yield from pool.map(_forked_subtree, jobs)
    finally:
        _FORKED = None


def _improve(
    problem: Problem,
    subtrees: dict[str, list[str]],
    found: dict[str, _SubtreeResult],
    objective: str,
    phase_end: float,
    seed: int,
    gap: int,
    workers: int,
) -> None:
    """Wall mode: the subtree phase's unused time goes to the sub-models not yet proven.

    Under load a sub-model's first share may end before CP-SAT improves on the floor; the
    sub-models proven early leave time, which this second pass hands to the others, from their
    best plan so far. A result replaces the first only when it is at least as good.
    """
    retry = [
        c
        for c in subtrees
        if found[c].failed is None and found[c].stats and not found[c].stats[0].optimal
    ]
    if not retry or phase_end - time.monotonic() < MIN_SOLVE * 4:
        return
    best: dict[str, dt.date] = {}
    for central in retry:
        best.update(found[central].starts)
    total = sum(_job_weight(subtrees[c]) for c in retry)
    shares = _Shares(Budget(0.0), phase_end, 0.0, total, workers)
    jobs = [(c, subtrees[c]) for c in retry]
    for again in _map_subtrees(problem, jobs, objective, shares, seed, gap, best, workers, True):
        old = found[again.central]
        old.stats[0] = again.stats[0] if again.stats else old.stats[0]
        if again.failed is None and again.objective <= old.objective:
            old.starts, old.objective = again.starts, again.objective
            old.fallbacks = [f for f in old.fallbacks if f != again.central]
        if again.stats:
            old.bound = max(old.bound, again.bound)


def _relaxed_bound(
    problem: Problem,
    top_ids: list[str],
    releases: dict[str, dt.date],
    objective: str,
    budget: Budget,
    units: int,
    seed: int,
) -> float:
    """A valid bound on the central level when some subtree's release is only an upper
    estimate: the same model with every release at its proven lower bound (a relaxation)."""
    relaxed = problem.subproblem(top_ids, earliest=releases)
    share = (
        Budget(1.0, True)
        if budget.deterministic
        else budget.sub(0.25 * window(budget, units).remaining())
    )
    if not share.deterministic and share.remaining() < MIN_SOLVE:
        return 0.0
    run = run_model(relaxed, objective, 0, 1, seed, None, "central:bound", budget=share)
    return run.bound if run.status != cp_model.INFEASIBLE else 0.0


def _top_budget(time_limit: float, per_model: float, top: int, units: int) -> float:
    """Deterministic mode: the central level's share, at least a sub-model's, at most a quarter.

    Its plans come within a fraction of a second and, with the peak cuts of
    :func:`planner.solver.model._peak_cuts`, its proof too; it grows with its share of the
    units, for scenarios where the central level is most of the problem.
    """
    share = time_limit * top / max(1, units)
    return max(per_model, min(time_limit / 4, max(share, time_limit / 10)))


@dataclass
class _Decomposition:
    """One decomposed solve: what it was asked, its report so far and the clock it reports."""

    problem: Problem
    budget: Budget
    workers: int
    seed: int
    objective: str
    floor: Floor | None
    started: float
    report: SolveReport
    gap: int
    subtrees: dict[str, list[str]]
    per_model: float  # deterministic mode: each sub-model's budget

    @property
    def units(self) -> int:
        return len(self.problem.units)

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def account(self, stat: _Stat) -> None:
        """Count one sub-model's run in the report."""
        report = self.report
        report.submodels += 1
        report.build_time += stat.build
        report.solutions += stat.count
        report.deterministic_time += stat.deterministic_time
        if stat.optimal:
            report.submodels_optimal += 1
        else:
            report.unproven.append(stat.name)
        if stat.wall_stopped:
            report.reproducible = False

    def fail(self, status: str, part: str) -> SolveReport:
        """The report of a solve that ends without a plan: its status word and the part."""
        self.report.status = status
        self.report.infeasible_part = part
        self.report.wall_time = self.elapsed()
        return self.report


@dataclass
class _Releases:
    """What the subtrees hand on to the central level."""

    dates: dict[str, dt.date] = field(default_factory=dict)
    bounds: dict[str, dt.date] = field(default_factory=dict)  # not proven: a lower bound
    exact: bool = True  # every release is a proven lower bound
    bound: float = 0.0  # the subtrees' objective bounds, summed


@dataclass
class _Central:
    """The central and national congresses' plan, and the bound it adds to the subtrees'."""

    starts: dict[str, dt.date]
    election: int
    reviews: dict[str, tuple[dt.date, str]]
    bound: float


def _start(
    problem: Problem,
    budget: Budget,
    workers: int,
    seed: int,
    objective: str,
    floor: Floor | None,
) -> _Decomposition:
    """Start the clock, find the subtrees, and open an empty report."""
    started = time.perf_counter()
    scenario = problem.scenario
    gap = scenario.child_before_parent_days if scenario.on("precedence") else 0
    subtrees = _subtrees(problem)
    report = SolveReport.empty(problem, "decomposed", workers, seed, budget.limit)
    report.submodels = 0
    per_model = max(0.5, budget.limit / max(1, len(subtrees) + 1))
    return _Decomposition(
        problem, budget, workers, seed, objective, floor, started, report, gap, subtrees, per_model
    )


def _subtree_phase(
    d: _Decomposition, on_progress: ProgressFn | None
) -> dict[str, _SubtreeResult] | None:
    """Stage 1: every subtree within its share of the phase (then, in wall mode, a second pass
    with the time left); None when stopped before every subtree answered."""
    search = window(d.budget, d.units)
    phase_end = time.monotonic() + SUBTREE_PHASE * search.remaining()
    total = sum(_job_weight(m) for m in d.subtrees.values())
    shares = _Shares(d.budget, phase_end, d.per_model, total, d.workers)
    floor_starts = d.floor.starts if d.floor is not None else None
    jobs = list(d.subtrees.items())
    found: dict[str, _SubtreeResult] = {}
    results = _map_subtrees(
        d.problem, jobs, d.objective, shares, d.seed, d.gap, floor_starts, d.workers
    )
    for index, result in enumerate(results):
        found[result.central] = result
        if on_progress is not None:
            on_progress({"stage": f"subtree {index + 1}/{len(d.subtrees)}", "elapsed": d.elapsed()})
    if cancelled() or len(found) < len(d.subtrees):
        return None
    if not d.budget.deterministic:
        _improve(d.problem, d.subtrees, found, d.objective, phase_end, d.seed, d.gap, d.workers)
    return found


def _gather(d: _Decomposition, found: dict[str, _SubtreeResult]) -> _Releases | SolveReport:
    """Count the subtrees' runs and collect their releases, in tree order (the report does not
    depend on which finished first); the report of the failed subtree when one failed."""
    # a subtree proven infeasible proves the whole plan infeasible (it is a relaxation): it is
    # named before one that only found nothing in its share (UNKNOWN)
    failed = sorted(
        (found[c].failed != "INFEASIBLE", i, c)
        for i, c in enumerate(d.subtrees)
        if found[c].failed is not None
    )
    out = _Releases()
    for central in d.subtrees:
        result = found[central]
        for stat in result.stats:
            d.account(stat)
        d.report.empty_domains.extend(result.empty_domains)
        d.report.fallbacks.extend(result.fallbacks)
        if failed and central == failed[0][2]:
            return d.fail(str(result.failed), central)
        if result.release is not None:
            out.dates[central] = result.release
            out.exact = out.exact and result.release_exact
            if result.release_bound is not None:
                out.bounds[central] = result.release_bound
        out.bound += result.bound
    return out


def _run_central(
    d: _Decomposition,
    top_ids: list[str],
    release: dict[str, dt.date],
    hint: dict[str, dt.date] | None,
    on_progress: ProgressFn | None,
) -> Run | None:
    """Stage 2's model: the central and national congresses after the subtrees' releases;
    None when too little time is left to start it."""
    top = d.problem.subproblem(top_ids, earliest=release)
    if d.budget.deterministic:
        share = Budget(_top_budget(d.budget.limit, d.per_model, len(top_ids), d.units), True)
    else:
        share = d.budget.sub(CENTRAL_PHASE * window(d.budget, d.units).remaining())
    if not (share.deterministic or share.remaining() >= MIN_SOLVE):
        return None
    floor = d.floor
    head = run_model(
        top,
        d.objective,
        0,
        d.workers,
        d.seed,
        on_progress,
        "central",
        budget=share,
        hint=hint,
        election_hint=floor.election if floor is not None else None,
        review_hint=floor.reviews if floor is not None else None,
    )
    d.account(_stat(head, "central"))
    d.report.empty_domains.extend(head.cm.empty_domains)
    return head


def _central(
    d: _Decomposition, releases: _Releases, on_progress: ProgressFn | None
) -> _Central | SolveReport:
    """Stage 2: the central level's plan, or the floor's when CP-SAT finds none in its share."""
    top_ids = [u.org_id for u in d.problem.units if u.level in (Level.NATIONAL, Level.CENTRAL)]
    floor = d.floor
    hint = {o: floor.starts[o] for o in top_ids} if floor is not None else None
    head = _run_central(d, top_ids, releases.dates, hint, on_progress)
    if head is not None and head.ok:
        starts, election, reviews = head.starts(), head.election_index(), head.reviews()
        if releases.exact:
            return _Central(starts, election, reviews, head.bound)
        # the releases used are conservative: bound the central level with proven ones
        proven = {**releases.dates, **releases.bounds}
        bound = _relaxed_bound(d.problem, top_ids, proven, d.objective, d.budget, d.units, d.seed)
        return _Central(starts, election, reviews, bound)
    if head is not None and head.status == cp_model.INFEASIBLE and releases.exact:
        return d.fail("INFEASIBLE", "central")
    if cancelled():
        return d.fail("CANCELLED", "central")
    if floor is not None and hint is not None:
        d.report.fallbacks.append("central")
        if head is None:
            d.account(_Stat(False, 0.0, 0, True, "central"))
        return _Central(dict(hint), floor.election, dict(floor.reviews), 0.0)
    return d.fail("UNKNOWN", "central")


def _fits(problem: Problem, central: str, deadline: dt.date, plan: dict[str, dt.date]) -> bool:
    """Whether every child of the committee ends by ``deadline`` in ``plan``."""
    return all(
        plan[o] + dt.timedelta(days=problem.unit(o).days - 1) <= deadline
        for o in problem.children(central)
    )


def _solve_again(
    d: _Decomposition,
    central: str,
    result: _SubtreeResult,
    deadline: dt.date,
    starts: dict[str, dt.date],
) -> str | None:
    """Stage 3 for one subtree that ends too late: solved again with its parent's deadline, or
    the plan that set its release; the status word when neither gives a plan."""
    problem = d.problem
    # only now is the subtree's problem needed again (the subtree ran elsewhere)
    bounded = problem.subproblem(
        d.subtrees[central],
        latest_end={o: deadline for o in problem.children(central)},
    )
    share = (
        Budget(d.per_model, True)
        if d.budget.deterministic
        else d.budget.sub(window(d.budget, d.units).remaining() / 2)
    )
    again = None
    if share.deterministic or share.remaining() >= MIN_SOLVE:
        again = run_model(
            bounded, d.objective, 0, 1, d.seed, None, central, budget=share, hint=result.fast
        )
        d.account(_stat(again, f"{central}:again"))
    if again is not None and again.ok:
        starts.update(again.starts())
    elif result.fast is not None and _fits(problem, central, deadline, result.fast):
        starts.update(result.fast)
        d.report.fallbacks.append(f"{central}:again")
    elif cancelled():
        return "CANCELLED"
    else:
        return "UNKNOWN"
    return None


def _fit_subtrees(
    d: _Decomposition, found: dict[str, _SubtreeResult], starts: dict[str, dt.date]
) -> SolveReport | None:
    """Stage 3: add each subtree's plan to ``starts``, solved again where it ends too late for
    its committee's congress; the failed report when one finds no plan."""
    for central, result in found.items():
        deadline = starts[central] - dt.timedelta(days=d.gap)
        if _fits(d.problem, central, deadline, result.starts):
            starts.update(result.starts)
            continue
        failed = _solve_again(d, central, result, deadline, starts)
        if failed is not None:
            return d.fail(failed, central)
    return None


def _conclude(
    d: _Decomposition, starts: dict[str, dt.date], bound: float, central: _Central
) -> SolveReport:
    """The report of the whole plan: objective, bound, status, and the plan attached."""
    report = d.report
    report.objective = floor_objective(d.problem, d.objective, starts)
    report.bound = min(bound, report.objective)
    proven = report.submodels_optimal == report.submodels and report.objective <= bound
    report.status = "OPTIMAL" if proven else "FEASIBLE"
    report.first_solution_time = d.elapsed()
    finish(report, d.problem, starts, central.election, central.reviews)
    report.wall_time = d.elapsed()
    return report


def solve_decomposed(
    problem: Problem,
    *,
    budget: Budget,
    workers: int = 2,
    seed: int = 0,
    on_progress: ProgressFn | None = None,
    objective: str = "plan",
    floor: Floor | None = None,
) -> SolveReport:
    """Solve by subtrees; see the module docstring. Sub-models run on one worker each.

    ``objective="none"`` only looks for a feasible plan (the feasibility checks of the diagnosis).
    """
    d = _start(problem, budget, workers, seed, objective, floor)
    found = _subtree_phase(d, on_progress)
    if found is None:
        return d.fail("CANCELLED", "subtrees")
    releases = _gather(d, found)
    if isinstance(releases, SolveReport):
        return releases
    central = _central(d, releases, on_progress)
    if isinstance(central, SolveReport):
        return central
    starts = central.starts
    failed = _fit_subtrees(d, found, starts)
    if failed is not None:
        return failed
    return _conclude(d, starts, releases.bound + central.bound, central)
