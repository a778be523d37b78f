"""Stable re-planning: change a plan as little as the new rules allow (``planner replan``).

The base plan is checked against the new scenario with the independent validator; the congresses
it flags (and any the base plan lacks) are the *seeds*. The first answer is the repair
(:mod:`planner.solver.repair`): only the seeds and the congresses they force move; CP-SAT may then
only move fewer. Everything else stays frozen on its base dates unless the change forces more,
found in widening stages:

1. ``peers`` — the seeds and the congresses that share a daily capacity with them (siblings
   of the same level under one parent, or the whole level when it has a nationwide capacity):
   a change to the central window moves central congresses only.
2. ``subtrees`` — the seeds and every congress below their central-level committees (for a
   one-province change: that province's subtree); central and national congresses stay put.
3. ``central`` — also every central-level and the national congress.
4. ``all`` — every congress and the election day.

Each stage solves one CP-SAT model holding the free congresses and the frozen neighbours they
share a rule with (parent, children, siblings, a level's nationwide capacity), and minimises how
many congresses leave their base dates, then — keeping that number — how many days they shift.
Congresses already held (``--held HELD.csv`` or a ``held`` column in the base plan) are facts:
they never move and no window or blackout applies to them. DESIGN §3 measured why: with the old
plan only as a hint, a one-region change moved 11,568 of 12,417 variables; freezing moved 270.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

import pandas as pd
from ortools.sat.python import cp_model

from planner.analysis.replan_steps import held_earliest_dates, plan_step_rows, plan_with_steps
from planner.analysis.validate import validate
from planner.analysis.validate.rows import check_known, plan_election_day
from planner.analysis.validate.steps import FAMILY as STEP_FAMILY
from planner.analysis.validate.verdict import Validation
from planner.errors import InternalError, PlannerError
from planner.plan.provenance import plan_origin
from planner.problem.objective import plan_objective
from planner.problem.units import Problem
from planner.rules.families import family_name
from planner.rules.preparation import StepRow
from planner.solver.budget import Budget
from planner.solver.repair import Forced, _Board, dates_of, peers, repack, repair
from planner.solver.reviews import review_steps, reviews_fit
from planner.solver.run import MIN_SOLVE, ProgressFn, cancelled, run_model, window
from planner.tree.hierarchy import Level

STAGES = ("peers", "subtrees", "central", "all")
Dates = dict[str, tuple[dt.date, dt.date]]


@dataclass(frozen=True)
class Move:
    """One congress whose dates changed."""

    org_id: str
    level: str
    old_start: dt.date | None
    old_end: dt.date | None
    new_start: dt.date
    new_end: dt.date
    family: str | None = None  # the rule family that forced the move
    by: str | None = None  # the congress that forced it (None: the rule alone)
    rule: str | None = None

    @property
    def days(self) -> int | None:
        """Days moved (positive: later); None for a congress the base plan lacked."""
        return None if self.old_start is None else (self.new_start - self.old_start).days

    def as_dict(self) -> dict[str, Any]:
        """JSON / CSV row."""
        return {
            "org_id": self.org_id,
            "level": self.level,
            "old_start": self.old_start.isoformat() if self.old_start else None,
            "old_end": self.old_end.isoformat() if self.old_end else None,
            "new_start": self.new_start.isoformat(),
            "new_end": self.new_end.isoformat(),
            "days": self.days,
            "family": self.family,
            "forced_by": self.by,
            "rule": self.rule,
        }

    def why(self) -> tuple[str, str]:
        """Why it moved, in Vietnamese and English (from the rule family's names)."""
        if self.family is None:
            return "", ""
        if self.family == "completeness":
            return "chưa có trong kế hoạch gốc", "not in the base plan"
        if self.family == STEP_FAMILY:
            rule = f" ({self.rule})" if self.rule else ""
            return f"bước chuẩn bị đã thực hiện{rule}", f"a preparation step already held{rule}"
        vi, en = family_name(self.family)
        rule = f" ({self.rule})" if self.rule else ""
        if self.by is None:
            return f"{vi}{rule}", f"{en}{rule}"
        return f"{vi}{rule} ← {self.by}", f"{en}{rule} ← {self.by}"


@dataclass
class Replan:
    """What re-planning did: the new plan, what moved, and what was proven."""

    status: str  # unchanged | OPTIMAL | FEASIBLE | INFEASIBLE | UNKNOWN | CANCELLED
    plan: pd.DataFrame | None = None
    moved: list[Move] = field(default_factory=list)
    held_changes: list[Move] = field(default_factory=list)
    seeds: list[str] = field(default_factory=list)
    violations_before: int = 0
    stage: str | None = None
    free: int = 0
    model_units: int = 0
    stages_tried: list[str] = field(default_factory=list)
    minimal: bool = False  # the moved count is proven minimal for the stage's free set
    shift_minimal: bool = False  # and the days those congresses shift
    repaired: int | None = None  # congresses the repair (the floor) moved; None: no repair
    floor_kept: bool = False  # CP-SAT found nothing better than the repair
    election_day: dt.date | None = None
    old_election_day: dt.date | None = None
    wall_time: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    validation: Validation | None = None
    objective: float | None = None  # the new plan's objective (never proven best: see proof)
    time_limit: float = 0.0  # the budget: wall seconds (deterministic seconds when deterministic)
    deterministic: bool = False
    elapsed: float = 0.0  # wall seconds from the budget's start (the command's or the job's)
    today: dt.date | None = None  # a re-plan from a day (with the actuals): nothing unheld before
    slipped: list[Any] = field(default_factory=list)  # deadlines relaxed (replan_today.Slipped)

    @property
    def ok(self) -> bool:
        """A valid plan exists."""
        return self.plan is not None

    @property
    def over_budget(self) -> bool:
        """The wall-clock budget was overrun (never said of a deterministic budget)."""
        return not self.deterministic and self.elapsed > self.time_limit

    def as_dict(self) -> dict[str, Any]:
        """JSON summary."""
        return {
            "status": self.status,
            "moved_count": len(self.moved),
            "moved": [m.as_dict() for m in self.moved],
            "held_changes": [m.as_dict() for m in self.held_changes],
            "violations_before": self.violations_before,
            "seeds": len(self.seeds),
            "stage": self.stage,
            "stages_tried": self.stages_tried,
            "free_units": self.free,
            "model_units": self.model_units,
            "moved_count_proven_minimal": self.minimal,
            "repair_moved_count": self.repaired,
            "repair_kept": self.floor_kept,
            "days_shifted": sum(abs(m.days or 0) for m in self.moved),
            "days_shifted_proven_minimal": self.shift_minimal,
            "election_day": self.election_day.isoformat() if self.election_day else None,
            "old_election_day": (
                self.old_election_day.isoformat() if self.old_election_day else None
            ),
            "objective": self.objective,
            "objective_proven": False,
            "wall_time_s": round(self.wall_time, 3),
            "time_limit_s": self.time_limit,
            "deterministic": self.deterministic,
            "elapsed_s": round(self.elapsed, 3),
            "over_budget": self.over_budget,
            "timings_s": {k: round(v, 3) for k, v in self.timings.items()},
            "today": self.today.isoformat() if self.today else None,
            "relaxed_deadlines": [s.as_dict() for s in self.slipped],
        }


def proof_words(
    minimal: bool, objective_vi: str | None, objective_en: str | None
) -> tuple[str, str]:
    """What a re-plan proved, in words: the number of moves (proven fewest or not) and the
    plan's objective, which a re-plan never proves best (it minimises moves, not the objective).
    ``objective_vi`` / ``objective_en`` are the objective as each language writes numbers."""
    vi = "Dời ít nhất: đã chứng minh" if minimal else "Dời ít nhất: chưa chứng minh"
    en = "fewest moves, proven" if minimal else "fewest moves, not proven"
    if objective_vi is None or objective_en is None:
        return vi, en
    return (
        f"{vi}; mục tiêu kế hoạch {objective_vi}, chưa chứng minh là tốt nhất",
        f"{en}; plan objective {objective_en}, not proven best",
    )


def check_base(problem: Problem, base: pd.DataFrame, *, era: str | None = None) -> None:
    """A re-plan base must be a plan of the same scenario id and era; any other is refused.

    The scenario id is the one the plan records (its ``scenario`` column); the era is
    ``era`` when the caller knows it (the browser's store, the CLI's plan of a built-in
    scenario). A plan of another cycle would be "re-planned" by moving every congress.
    """
    scenario = problem.scenario
    origin = plan_origin(base)
    file = base.attrs.get("file")
    hint_vi = "Lập kế hoạch mới từ đầu cho kịch bản này (planner solve, hoặc «Lập kế hoạch»)."
    hint_en = "Solve this scenario from scratch (planner solve, or the Solve button)."
    if origin is not None and origin.scenario != scenario.id:
        raise PlannerError(
            f"kế hoạch gốc thuộc kịch bản '{origin.scenario}', không phải '{scenario.id}': "
            "chỉ lập lại từ kế hoạch của cùng kịch bản.",
            f"the base plan belongs to scenario '{origin.scenario}', not '{scenario.id}': "
            "a re-plan starts only from a plan of the same scenario.",
            file=file,
            field="base_plan",
            hint_vi=hint_vi,
            hint_en=hint_en,
        )
    if era is not None and era != scenario.era:
        raise PlannerError(
            f"kế hoạch gốc thuộc thời kỳ {era}, kịch bản này thuộc thời kỳ {scenario.era}: "
            "chỉ lập lại từ kế hoạch của cùng thời kỳ.",
            f"the base plan is of the {era} era, this scenario of the {scenario.era} era: "
            "a re-plan starts only from a plan of the same era.",
            file=file,
            field="base_plan",
            hint_vi=hint_vi,
            hint_en=hint_en,
        )


def _move(
    problem: Problem,
    org_id: str,
    old: tuple[dt.date, dt.date] | None,
    new: tuple[dt.date, dt.date],
    why: Forced | None = None,
) -> Move:
    old_start, old_end = old if old is not None else (None, None)
    level = problem.unit(org_id).level.value
    if why is None:
        return Move(org_id, level, old_start, old_end, *new)
    return Move(org_id, level, old_start, old_end, *new, why.family, why.by, why.rule)


def plan_dates(frame: pd.DataFrame) -> Dates:
    """Congress dates of a plan frame, by organisation."""
    congresses = frame[frame["kind"] == "congress"]
    return {
        str(org): (start, end)
        for org, start, end in zip(
            congresses["org_id"], congresses["start"], congresses["end"], strict=True
        )
    }


def held_dates(frame: pd.DataFrame, problem: Problem, *, all_rows: bool) -> Dates:
    """Held congresses of a plan frame: every congress row (a HELD.csv) or those marked held.

    An organisation the scenario does not plan is an error naming the file and line.
    """
    out: Dates = {}
    congresses = frame[frame["kind"] == "congress"]
    marked = congresses["held"] if "held" in congresses else pd.Series(False, congresses.index)
    for row, is_held in zip(congresses.itertuples(index=False), marked, strict=True):
        if not (all_rows or bool(is_held)):
            continue
        org_id = str(row.org_id)
        if not problem.has(org_id):
            line = getattr(row, "line", None)
            raise PlannerError(
                f"'{org_id}' đã họp nhưng không được lập lịch trong kịch bản này.",
                f"'{org_id}' is marked held but this scenario does not plan it.",
                file=frame.attrs.get("file"),
                line=int(line) if line is not None else None,
                field="org_id",
                hint_vi="Kiểm tra mã đơn vị hoặc cấp/tỉnh được lập lịch.",
                hint_en="Check the org id or the planned levels / provinces.",
            )
        out[org_id] = (row.start, row.end)  # type: ignore[assignment]
    return out


def _frame(problem: Problem, dates: Dates, election_day: dt.date | None) -> pd.DataFrame:
    """A minimal plan frame (congresses and the voting day) for the validator."""
    rows = [
        {"event_id": f"congress:{o}", "kind": "congress", "org_id": o, "start": s, "end": e}
        for o, (s, e) in dates.items()
        if problem.has(o)
    ]
    if election_day is not None:
        rows.append(
            {
                "event_id": "election:el.voting",
                "kind": "election_step",
                "org_id": None,
                "start": election_day,
                "end": election_day,
            }
        )
    return pd.DataFrame(rows, columns=["event_id", "kind", "org_id", "start", "end"])


def _free_set(problem: Problem, stage: str, seeds: set[str]) -> set[str]:
    """The congresses allowed to move at one stage (held ones never are)."""
    if stage == "all":
        free = {u.org_id for u in problem.units}
    elif stage == "peers":  # a capacity conflict: only the seeds' own level moves
        free = peers(problem, seeds)
    else:
        centrals = {c.org_id for c in map(problem.tree.central_of, seeds) if c is not None}
        free = set(seeds).union(*(problem.descendants(c) for c in centrals))
        if stage == "central":
            free |= {u.org_id for u in problem.units if u.level in (Level.NATIONAL, Level.CENTRAL)}
    return {o for o in free if not problem.unit(o).held}


def _context(problem: Problem, free: set[str]) -> list[str]:
    """The free congresses plus every frozen one that shares a rule with them."""
    keep = set(free)
    scenario = problem.scenario
    for org_id in free:
        unit = problem.unit(org_id)
        keep.update(problem.children(org_id))
        if unit.parent_id is not None:
            keep.add(unit.parent_id)
            keep.update(problem.children(unit.parent_id))  # parent capacity, pilots
    levels = {problem.unit(o).level for o in free}
    for level in levels:  # (load levelling is an objective, which re-planning does not use)
        if scenario.on("level_capacity") and scenario.levels[level].daily_capacity is not None:
            keep.update(u.org_id for u in problem.units if u.level == level)
    national = problem.national()
    if national is not None and levels & {Level.CENTRAL, Level.NATIONAL}:
        keep.add(national.org_id)
    if review_steps(problem) and any(problem.unit(o).level == Level.CENTRAL for o in keep):
        # the reviews share the reviewing bodies: every central congress's review is counted
        keep.update(u.org_id for u in problem.units if u.level == Level.CENTRAL)
    return [u.org_id for u in problem.units if u.org_id in keep]  # top-down order


@dataclass
class _StageRun:
    status: str
    starts: dict[str, dt.date]
    moved: int
    minimal: bool
    election_index: int | None
    units: int
    shift_minimal: bool = False


def _solve_once(
    sub: Problem,
    free: set[str],
    base: dict[str, dt.date],
    objective: str,
    budget: Budget,
    workers: int,
    seed: int,
    hint: dict[str, dt.date] | None = None,
    election: int | None = None,
    max_moved: int | None = None,
) -> _StageRun:
    run = run_model(
        sub,
        objective,
        0,
        workers,
        seed,
        label=f"replan:{objective}",
        base=base,
        budget=budget,
        hint=hint,
        election_hint=election,
        max_moved=max_moved,
    )
    if not run.ok:
        return _StageRun(run.name, {}, 0, False, None, len(sub.units))
    starts = run.starts()
    return _StageRun(
        run.name,
        {o: starts[o] for o in free},
        sum(int(run.solver.value(v)) for v in run.cm.moved.values()),
        run.status == cp_model.OPTIMAL,
        run.election_index(),
        len(sub.units),
    )


def _solve_stage(
    problem: Problem,
    free: set[str],
    current: Dates,
    election_days: tuple[dt.date, ...],
    budget: Budget,
    workers: int,
    seed: int,
    floor: dict[str, dt.date] | None = None,
    election: int | None = None,
    max_moved: int | None = None,
) -> _StageRun:
    """One stage: fewest moves; then, for the congresses that move, the fewest days shifted.

    ``floor`` (the repair's dates) is the hint and the bound: CP-SAT may only move fewer
    congresses than it did, and when it finds nothing better the floor stands. A narrower
    stage than the repair's is tried without a hint, under the repair's count (``max_moved``).
    """
    ids = _context(problem, free)
    bounded = partial(_bounded, problem, ids, current, election_days)
    base = {o: current[o][0] for o in free if o in current}
    hint = {o: floor[o] if o in floor else current[o][0] for o in ids} if floor else None
    floor_moved = (
        sum(1 for o in free if floor.get(o) != base.get(o)) if floor is not None else max_moved
    )
    # the shift pass gets a small share: only the number of moves is promised (proving the
    # fewest days took 8 s for 13 congresses on a tight capacity)
    total = budget.remaining()
    first_budget = budget.sub(total * 0.75) if not budget.deterministic else budget
    first = _StageRun("UNKNOWN", {}, 0, False, None, len(ids))
    if first_budget.deterministic or first_budget.remaining() >= MIN_SOLVE:
        first = _solve_once(
            bounded(o for o in ids if o not in free),
            free,
            base,
            "stability",
            first_budget,
            workers,
            seed,
            hint,
            election,
            floor_moved,
        )
    if floor is not None and (not first.starts or first.moved >= (floor_moved or 0)):
        proven = first.status == "INFEASIBLE" or (first.minimal and first.moved == floor_moved)
        first = _StageRun(
            "OPTIMAL" if proven else "FEASIBLE",
            {o: floor[o] for o in free if o in floor},
            floor_moved or 0,
            proven,
            election,
            len(ids),
        )
    if first.starts and first.moved != 0:
        _fewest_days(first, bounded, ids, free, current, budget, total, seed)
    return first


def _bounded(
    problem: Problem,
    ids: list[str],
    current: Dates,
    election_days: tuple[dt.date, ...],
    fixed: Iterable[str],
) -> Problem:
    """The model of ``ids``, with the ``fixed`` ones (held ones aside) kept on their dates."""
    fixed = [o for o in fixed if not problem.unit(o).held]
    return problem.subproblem(
        ids,
        earliest={o: current[o][0] for o in fixed},
        latest_end={o: current[o][1] for o in fixed},
        election_days=election_days,
    )


def _fewest_days(
    first: _StageRun,
    bounded: Callable[[Iterable[str]], Problem],
    ids: list[str],
    free: set[str],
    current: Dates,
    budget: Budget,
    total: float,
    seed: int,
) -> None:
    """The congresses ``first`` moves, each as few days as possible: a small model of the
    movers only (the rest on their dates), its dates and proof into ``first``."""
    movers = {o for o in free if first.starts[o] != current.get(o, (None,))[0]}
    sub = bounded(o for o in ids if o not in movers)
    moving = {o: current[o][0] for o in movers if o in current}
    shift_budget = (
        budget.sub(total * 0.25) if not budget.deterministic else Budget(budget.limit / 50, True)
    )
    second = _StageRun("UNKNOWN", {}, 0, False, None, len(sub.units))
    if shift_budget.deterministic or shift_budget.remaining() >= MIN_SOLVE:
        second = _solve_once(
            sub,
            movers,
            moving,
            "shift",
            shift_budget,
            1,
            seed,
            {u.org_id: first.starts.get(u.org_id, current[u.org_id][0]) for u in sub.units},
            first.election_index,
        )
    if second.starts:
        first.starts.update(second.starts)
        first.election_index = second.election_index
        first.shift_minimal = second.minimal


def _index(problem: Problem, dates: Dates) -> dict[str, int]:
    return {o: problem.index(s) for o, (s, _e) in dates.items() if problem.has(o)}


def _seed_reasons(before: Validation, problem: Problem) -> dict[str, Forced]:
    """Why each flagged congress must move: the first rule it breaks, and the other party."""
    out: dict[str, Forced] = {}
    for violation in before.violations:
        units = [u for u in violation.units if problem.has(u)]
        for org_id in units:
            others = [u for u in units if u != org_id]
            by = others[0] if len(others) == 1 else None
            out.setdefault(org_id, Forced(violation.family, by, violation.rule))
    return out


def _explain(
    problem: Problem,
    dates: Dates,
    base_dates: Dates,
    facts: Dates,
    election: int | None,
    reasons: dict[str, Forced],
) -> dict[str, Forced]:
    """Put back any congress that moved without need, and say why each of the others moved.

    A congress that could sit on its old dates beside every other new date keeps them; for the
    rest, the congress and the rule it would conflict with on its old dates are the reason.
    """
    board = _Board(problem, election)
    for org_id, (start, _end) in dates.items():
        if problem.has(org_id):
            board.place(org_id, problem.index(start))
    out: dict[str, Forced] = {}
    movers = sorted(
        (o for o in dates if o not in facts and base_dates.get(o, (None,))[0] != dates[o][0]),
        key=lambda o: (-problem.unit(o).level.depth, o),
    )
    for org_id in movers:
        old = base_dates.get(org_id)
        if old is None:
            out[org_id] = reasons.get(org_id, Forced("completeness"))
            continue
        unit = problem.unit(org_id)
        allowed, _flags = problem.start_options(unit)
        index = problem.index(old[0])
        known = reasons.get(org_id)
        board.lift(org_id)
        blocking = board.blockers(unit, index) if index in set(allowed) else None
        if blocking == {} and (known is None or known.family not in SELF_FAMILIES):
            board.place(org_id, index)  # moved for nothing: back on its old dates
            dates[org_id] = old
            continue
        board.place(org_id, problem.index(dates[org_id][0]))
        if known is not None:
            out[org_id] = known
        elif blocking:
            other, family = sorted(blocking.items())[0]
            out[org_id] = Forced(family, other)
        else:
            out[org_id] = Forced("level_window" if index not in set(allowed) else "precedence")
    return out


# families a congress breaks on its own dates (its window, a blackout, its pin, its duration)
SELF_FAMILIES = ("level_window", "blackout", "pin", "duration", "completeness")


def replan(
    problem: Problem,
    base: pd.DataFrame,
    *,
    held: Mapping[str, tuple[dt.date, dt.date]] | None = None,
    time_limit: float = 10.0,
    workers: int = 2,
    seed: int = 0,
    on_progress: ProgressFn | None = None,
    deterministic: bool = False,
    budget: Budget | None = None,
    base_era: str | None = None,
    held_steps: Mapping[tuple[str, str], StepRow] | None = None,
) -> Replan:
    """Re-plan ``base`` for ``problem`` (the changed scenario), moving as little as possible.

    ``held`` adds congresses already held (their real dates win over the base plan); rows of
    ``base`` with a true ``held`` column count too. ``time_limit`` is wall-clock seconds
    (deterministic seconds with ``deterministic``); ``budget`` counts from an earlier start,
    and the result's ``elapsed`` is measured from that start (``over_budget`` says when the
    wall clock overran it). The base must be a plan of the same scenario id and era
    (``base_era``, when known; see :func:`check_base`). ``held_steps`` (by
    :func:`planner.rules.preparation.step_key`) adds preparation steps already held; step rows of
    ``base`` with a true ``held`` column count too: they stay, and the other steps move with
    their congresses (:mod:`planner.analysis.replan_steps`). The returned plan passed the validator.
    """
    started = time.perf_counter()
    budget = budget or Budget(time_limit, deterministic)
    result = Replan(status="UNKNOWN", time_limit=budget.limit, deterministic=budget.deterministic)
    clock = _Clock(result, started, on_progress)
    start = _start(problem, base, held, held_steps, base_era)
    problem = start.problem
    result.held_changes = _held_changes(start)
    result.old_election_day, day = _election_day(problem, base)
    clock.lap("read")
    found = _seeds(start, day, result)
    clock.lap("validate")
    clock.progress("validated")
    dates = dict(start.current)
    election = problem.index(day) if day is not None else None
    if not found.seeds and not found.election_free:
        result.status = "unchanged"
    else:
        search = window(budget, len(problem.units))
        floor = _floor(start, found, election, budget, result)
        clock.lap("repair")
        clock.progress(f"repair: {result.repaired}")
        run = _search(start, found, floor, day, election, search, workers, seed, clock)
        clock.lap("solve")
        if run is None or run.status not in ("OPTIMAL", "FEASIBLE"):
            result.status = run.status if run is not None else result.status
            return _timed(result, started, budget)
        day, election = _adopt(problem, run, floor, dates, day, election, result)
    _finish(start, dates, day, election, found.reasons, clock)
    return _timed(result, started, budget)


@dataclass
class _Clock:
    """A re-plan's stopwatch: the time of each phase into ``result.timings``, and progress."""

    result: Replan
    started: float
    on_progress: ProgressFn | None

    def lap(self, name: str) -> None:
        """The time since the last lap, as phase ``name``."""
        timings = self.result.timings
        timings[name] = time.perf_counter() - self.started - sum(timings.values())

    def progress(self, stage: str) -> None:
        """Tell the caller a stage was reached."""
        if self.on_progress is not None:
            self.on_progress({"stage": stage, "elapsed": time.perf_counter() - self.started})


@dataclass(frozen=True)
class _Start:
    """Where a re-plan starts: the problem with the held congresses as facts (and the earliest
    starts held steps leave), the base plan's congress dates and steps, and the dates now."""

    problem: Problem
    base_dates: Dates
    facts: Dates  # the held congresses: never moved
    current: Dates  # the base plan's dates with the held ones' real dates
    base_steps: dict[tuple[str, str], StepRow]
    steps_held: dict[tuple[str, str], StepRow]
    bounded: dict[str, tuple[dt.date, str]]  # earliest starts a held step leaves, and its rule


def _start(
    problem: Problem,
    base: pd.DataFrame,
    held: Mapping[str, tuple[dt.date, dt.date]] | None,
    held_steps: Mapping[tuple[str, str], StepRow] | None,
    base_era: str | None,
) -> _Start:
    """The base plan checked (same scenario and era, known organisations) and its held set."""
    check_base(problem, base, era=base_era)
    check_known(base, problem.tree)
    base_dates = {o: d for o, d in plan_dates(base).items() if problem.has(o)}
    facts = held_dates(base, problem, all_rows=False)
    facts.update(held or {})
    problem = problem.with_held(facts)
    base_steps = plan_step_rows(base)
    steps_held = _held_steps(base, base_steps, held_steps)
    problem, bounded = _later(problem, steps_held)
    current: Dates = {**base_dates, **facts}
    return _Start(problem, base_dates, facts, current, base_steps, steps_held, bounded)


def _held_changes(start: _Start) -> list[Move]:
    """The held congresses whose real dates differ from the base plan's."""
    base_dates = start.base_dates
    return [
        _move(start.problem, o, base_dates.get(o), d)
        for o, d in sorted(start.facts.items())
        if base_dates.get(o) != d
    ]


def _election_day(problem: Problem, base: pd.DataFrame) -> tuple[dt.date | None, dt.date | None]:
    """The base plan's voting day, and the one the re-plan starts from: the scenario's, else the
    base plan's when the scenario still allows it, else none (the solver chooses)."""
    old_day = plan_election_day(base, problem) if "event_id" in base else None
    if problem.scenario.election_day is not None:
        return old_day, problem.scenario.election_day
    if old_day is not None and old_day in problem.election_days:
        return old_day, old_day
    return old_day, None


@dataclass(frozen=True)
class _Seeds:
    """The congresses that must move, why, and whether the voting day is free to move."""

    seeds: set[str]
    reasons: dict[str, Forced]
    election_free: bool


def _seeds(start: _Start, day: dt.date | None, result: Replan) -> _Seeds:
    """The base plan (with the held dates) checked against the new scenario: the congresses the
    validator flags or misses, and those a held step forces later, are the seeds."""
    problem = start.problem
    before = validate(problem, _frame(problem, start.current, day))
    result.violations_before = len(before.violations)
    seeds = {o for v in before.violations for o in v.units if problem.has(o)}
    seeds |= set(before.missing)
    early = _too_early(start.bounded, start.current)
    seeds |= set(early)
    election_free = day is None or any(not v.units for v in before.violations)
    result.seeds = sorted(seeds)
    return _Seeds(seeds, {**early, **_seed_reasons(before, problem)}, election_free)


@dataclass(frozen=True)
class _Floor:
    """The repair's dates (None: no repair) and the congresses it moved off the current plan."""

    starts: dict[str, dt.date] | None = None
    movers: set[str] = field(default_factory=set)


def _floor(
    start: _Start, found: _Seeds, election: int | None, budget: Budget, result: Replan
) -> _Floor:
    """The repair (:mod:`planner.solver.repair`), the floor CP-SAT must beat; none when the
    voting day is free, or when the repaired dates leave a review no room."""
    if found.election_free:
        return _Floor()
    problem, current = start.problem, start.current
    deadline = None if budget.deterministic else budget.deadline
    indices = _index(problem, current)
    repaired = repair(problem, indices, found.seeds, election, found.reasons, deadline)
    if repaired is None:  # too tight to repair one by one: re-pack the capacity
        repaired = repack(problem, indices, found.seeds, election, found.reasons)
    if repaired is not None and not reviews_fit(problem, dates_of(problem, repaired.starts)):
        repaired = None  # its dates leave a review no room: not a floor (CP-SAT alone)
    if repaired is None:
        return _Floor()
    floor = dates_of(problem, repaired.starts)
    found.reasons.update(repaired.reasons)
    movers = {o for o in floor if current.get(o, (None,))[0] != floor[o]}
    result.repaired = len(movers)
    return _Floor(floor, movers)


def _search(
    start: _Start,
    found: _Seeds,
    floor: _Floor,
    day: dt.date | None,
    election: int | None,
    search: Budget,
    workers: int,
    seed: int,
    clock: _Clock,
) -> _StageRun | None:
    """The widening stages (:data:`STAGES`; only ``all`` when the voting day is free), until
    one finds a plan or the time runs out; the last stage's run (None: none was tried)."""
    problem, result = start.problem, clock.result
    run: _StageRun | None = None
    for stage in ("all",) if found.election_free else STAGES:
        if cancelled():
            result.status = "CANCELLED"
            break
        free = _free_set(problem, stage, found.seeds)
        if not free and stage != "all":
            continue
        days = problem.election_days if stage == "all" or day is None else (day,)
        narrower = not floor.movers <= free
        result.stages_tried.append(stage)
        share, hint, max_moved = search, floor.starts, None
        if narrower:  # the repair moved congresses this stage keeps: try without it
            share = search.sub(search.remaining() * 0.4) if not search.deterministic else search
            hint, max_moved = None, result.repaired
        run = _solve_stage(
            problem, free, start.current, days, share, workers, seed, hint, election, max_moved
        )
        clock.progress(f"stage {stage}: {run.status}")
        if run.status in ("OPTIMAL", "FEASIBLE"):
            result.stage, result.free, result.model_units = stage, len(free), run.units
            break
        if run.status != "INFEASIBLE" and not narrower:
            break  # undecided in the time limit: a wider stage would not do better
    return run


def _adopt(
    problem: Problem,
    run: _StageRun,
    floor: _Floor,
    dates: Dates,
    day: dt.date | None,
    election: int | None,
    result: Replan,
) -> tuple[dt.date | None, int | None]:
    """A stage's plan taken: its dates into ``dates``, what it proved into ``result``; the
    voting day and its index (the stage's when it chose one)."""
    result.status, result.minimal = run.status, run.minimal
    result.shift_minimal = run.shift_minimal
    result.floor_kept = floor.starts is not None and all(
        run.starts.get(o, start) == start for o, start in floor.starts.items()
    )
    for org_id, start in run.starts.items():
        dates[org_id] = (start, start + dt.timedelta(days=problem.unit(org_id).days - 1))
    if run.election_index is None:
        return day, election
    day = problem.horizon.start + dt.timedelta(days=run.election_index)
    return day, run.election_index


def _finish(
    start: _Start,
    dates: Dates,
    day: dt.date | None,
    election: int | None,
    reasons: dict[str, Forced],
    clock: _Clock,
) -> None:
    """The new plan into the result: its voting day (the first allowed when none was chosen),
    the moves and why, the plan checked by the validator, and its objective."""
    problem, result = start.problem, clock.result
    if day is None:
        day = problem.election_days[0]
        election = problem.index(day)
    result.election_day = day
    result.moved = _moves(start, dates, election, reasons)
    result.plan, result.validation = _checked_plan(start, dates, day, clock)
    result.objective = float(plan_objective(problem, {o: s for o, (s, _e) in dates.items()}))


def _moves(
    start: _Start, dates: Dates, election: int | None, reasons: dict[str, Forced]
) -> list[Move]:
    """The congresses not held that left their base dates, each with why, by new date."""
    problem, base_dates = start.problem, start.base_dates
    why = _explain(problem, dates, base_dates, start.facts, election, reasons)
    moved = [
        _move(problem, o, base_dates.get(o), d, why.get(o))
        for o, d in dates.items()
        if o not in start.facts and base_dates.get(o) != d
    ]
    moved.sort(key=lambda m: (m.new_start, m.org_id))
    return moved


def _checked_plan(
    start: _Start, dates: Dates, day: dt.date, clock: _Clock
) -> tuple[pd.DataFrame, Validation]:
    """The new plan (congresses, steps, the voting day), which must pass the validator."""
    problem, base_dates = start.problem, start.base_dates
    plan = plan_with_steps(
        problem,
        {o: s for o, (s, _e) in dates.items()},
        day,
        base=start.base_steps,
        held=start.steps_held,
        unmoved={o for o, d in dates.items() if base_dates.get(o) == d},
    )
    clock.lap("plan")
    verdict = validate(problem, plan, complete=True)
    clock.lap("check")
    if not verdict.ok:
        raise InternalError([v.message_en for v in verdict.violations])
    return plan, verdict


def _held_steps(
    base: pd.DataFrame,
    base_steps: Mapping[tuple[str, str], StepRow],
    extra: Mapping[tuple[str, str], StepRow] | None,
) -> dict[tuple[str, str], StepRow]:
    """The held steps: the base plan's step rows marked held, and ``extra`` (the actuals); a
    step whose actual names no body keeps the base plan's body for it."""
    out = plan_step_rows(base, held_only=True)
    for key, row in (extra or {}).items():
        known = base_steps.get(key)
        body = row.body or (known.body if known is not None else None)
        out[key] = replace(row, body=body)
    return out


def _later(
    problem: Problem, steps_held: Mapping[tuple[str, str], StepRow]
) -> tuple[Problem, dict[str, tuple[dt.date, str]]]:
    """The problem with the earliest starts a held review or announcement leaves its congress
    (:func:`planner.analysis.replan_steps.held_earliest_dates`), and those bounds."""
    bounded = held_earliest_dates(problem, steps_held)
    if not bounded:
        return problem, bounded
    earliest = {}
    for org_id, (day, _rule) in bounded.items():
        own = problem.unit(org_id).earliest
        earliest[org_id] = max(day, own) if own is not None else day
    return problem.subproblem((u.org_id for u in problem.units), earliest=earliest), bounded


def _too_early(bounded: Mapping[str, tuple[dt.date, str]], current: Dates) -> dict[str, Forced]:
    """The congresses a held step forces later than their current start: seeds, and why."""
    return {
        o: Forced(STEP_FAMILY, None, rule)
        for o, (day, rule) in bounded.items()
        if o in current and current[o][0] < day
    }


def _timed(result: Replan, started: float, budget: Budget) -> Replan:
    """Record the re-plan's own time and the elapsed time since the budget's start."""
    result.wall_time = time.perf_counter() - started
    result.elapsed = time.monotonic() - budget.started
    return result
