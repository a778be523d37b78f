"""The CP-SAT model: variables, one function per constraint family, and the objective.

Day indices count from the horizon start; a congress of ``d`` days starting on index ``s`` occupies
``s … s+d−1`` (the interval's exclusive end is ``s+d``). Hard families shrink domains or add
constraints; a family switched to soft adds penalised slack instead (the elastic model that the
diagnosis also uses). Holidays and blackouts are domain exclusions, not intervals (DESIGN §3).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.problem.units import ANNOUNCE_STEP, Problem, Unit
from planner.solver.bounds import least_lateness
from planner.solver.groups import Tier, capacity_groups, group_finish, group_fits, tiers
from planner.solver.reviews import ReviewVars, add_attendance, add_reviews, hint_reviews
from planner.tree.hierarchy import Level

LinearExpr = cp_model.LinearExpr


@dataclass
class CongressModel:
    """The CP-SAT model of a problem with handles on its variables."""

    problem: Problem
    model: cp_model.CpModel
    start: dict[str, cp_model.IntVar] = field(default_factory=dict)
    interval: dict[str, cp_model.IntervalVar] = field(default_factory=dict)
    election: cp_model.IntVar | None = None
    penalties: list[tuple[str, int, LinearExpr]] = field(default_factory=list)
    slacks: dict[str, list[tuple[str, cp_model.IntVar]]] = field(default_factory=dict)
    empty_domains: list[tuple[str, str]] = field(default_factory=list)
    peaks: dict[Level, cp_model.IntVar] = field(default_factory=dict)
    makespan: cp_model.IntVar | None = None
    shared: dict[str, cp_model.IntVar] = field(default_factory=dict)
    moved: dict[str, cp_model.IntVar] = field(default_factory=dict)
    shift: dict[str, cp_model.IntVar] = field(default_factory=dict)
    late: dict[str, cp_model.IntVar] = field(default_factory=dict)  # days past the buffer
    late_limit: dict[str, int] = field(default_factory=dict)
    away: dict[str, tuple[cp_model.IntVar, int]] = field(default_factory=dict)
    base: dict[str, int] = field(default_factory=dict)  # re-planning: the base start indices
    reviews: ReviewVars | None = None  # the review sessions (planner.solver.reviews)

    def hint(
        self,
        starts: Mapping[str, dt.date],
        election: int | None = None,
        reviews: Mapping[str, tuple[dt.date, str]] | None = None,
    ) -> None:
        """Give CP-SAT a complete plan to start from (replaces earlier hints).

        Every auxiliary variable gets the value the plan implies (slack 0: the constructive
        floor keeps every family that is on), so CP-SAT can take the hint as its first solution
        at once instead of searching for the missing values.
        """
        model = self.model
        model.clear_hints()  # type: ignore[no-untyped-call]
        if reviews:
            hint_reviews(self, self.reviews, reviews)
        index = {o: self.idx(starts[o]) for o in self.start if o in starts}
        if len(index) < len(self.start):
            for org_id, value in index.items():
                model.add_hint(self.start[org_id], value)
            return
        for org_id, var in self.start.items():
            model.add_hint(var, index[org_id])
        if election is not None and self.election is not None:
            model.add_hint(self.election, election)
        ends = {o: index[o] + self.problem.unit(o).days - 1 for o in index}
        for org_id, var in self.late.items():
            model.add_hint(var, max(0, ends[org_id] - self.late_limit[org_id]))
        for org_id, (var, day) in self.away.items():
            model.add_hint(var, abs(index[org_id] - day))
        for level, peak in self.peaks.items():
            load: dict[int, int] = {}
            for unit in self.problem.units:
                if unit.level == level:
                    for d in range(index[unit.org_id], ends[unit.org_id] + 1):
                        load[d] = load.get(d, 0) + 1
            model.add_hint(peak, max(load.values(), default=1))
        if self.makespan is not None:
            model.add_hint(self.makespan, max(ends.values(), default=0))
        for org_id, moved in self.moved.items():
            model.add_hint(moved, int(index[org_id] != self.base[org_id]))
        for org_id, days in self.shift.items():
            model.add_hint(days, abs(index[org_id] - self.base[org_id]))
        for items in self.slacks.values():
            for _label, var in items:
                model.add_hint(var, 0)

    def idx(self, day: dt.date) -> int:
        """Day index of a date (may fall outside the horizon, e.g. election steps)."""
        return (day - self.problem.horizon.start).days

    def end_incl(self, org_id: str) -> LinearExpr:
        """The index of a congress's last day."""
        return self.start[org_id] + (self.problem.unit(org_id).days - 1)

    def slack(self, family: str, label: str, upper: int) -> cp_model.IntVar:
        """A non-negative slack variable, penalised by the family's weight."""
        var = self.model.new_int_var(0, max(upper, 0), f"slack[{family}:{label}]")
        self.slacks.setdefault(family, []).append((label, var))
        weight = self.problem.scenario.families[family].weight
        self.penalties.append((family, weight, var))
        return var


def _variables(cm: CongressModel) -> None:
    """Start variables and fixed-size intervals; domains carry hard windows, blackouts, pins."""
    for unit in cm.problem.units:
        allowed, flags = cm.problem.start_options(unit)
        if allowed:
            domain = cp_model.Domain.from_values(allowed)
        else:
            cm.empty_domains.append((unit.org_id, "domain"))
            domain = cp_model.Domain(0, max(len(flags) - 1, 0))
        var = cm.model.new_int_var_from_domain(domain, f"start[{unit.org_id}]")
        if not allowed:
            cm.model.add_bool_or([])  # no day fits: the model is infeasible
        cm.start[unit.org_id] = var
        cm.interval[unit.org_id] = cm.model.new_fixed_size_interval_var(
            var, unit.days, f"iv[{unit.org_id}]"
        )
        _soft_window(cm, unit)
        _soft_blackout(cm, unit, flags)
        _soft_pin(cm, unit)


def _soft_window(cm: CongressModel, unit: Unit) -> None:
    """Level window as penalised slack (when the family is soft). Chỉ thị 35-CT/TW."""
    scenario = cm.problem.scenario
    if unit.held or not scenario.on("level_window") or scenario.hard("level_window"):
        return
    lo, hi = cm.idx(unit.window[0]), cm.idx(unit.window[1])
    horizon = len(cm.problem.horizon)
    sides = scenario.elastic_windows
    if sides is None:  # planning: a penalty per congress and day outside its window
        early = cm.slack("level_window", f"{unit.org_id}:early", horizon)
        late = cm.slack("level_window", f"{unit.org_id}:late", horizon)
        cm.model.add(cm.start[unit.org_id] + early >= lo)
        cm.model.add(cm.end_incl(unit.org_id) - late <= hi)
        return
    # diagnosis: one shared stretch per level and side — "how far must this window move"
    kind = "pilot" if unit.pilot else "level"
    for side in ("early", "late"):
        if (unit.level, side) not in sides:
            continue
        label = f"{kind}:{unit.level.value}:{side}"
        if label not in cm.shared:
            cm.shared[label] = cm.slack("level_window", label, horizon)
    early_var = cm.shared.get(f"{kind}:{unit.level.value}:early")
    late_var = cm.shared.get(f"{kind}:{unit.level.value}:late")
    if early_var is not None:
        cm.model.add(cm.start[unit.org_id] + early_var >= lo)
    else:
        cm.model.add(cm.start[unit.org_id] >= lo)
    if late_var is not None:
        cm.model.add(cm.end_incl(unit.org_id) - late_var <= hi)
    else:
        cm.model.add(cm.end_incl(unit.org_id) <= hi)


def _soft_blackout(cm: CongressModel, unit: Unit, flags: list[int]) -> None:
    """Blackout days as a penalty per congress that includes one (when soft)."""
    scenario = cm.problem.scenario
    if unit.held or not scenario.on("blackout") or scenario.hard("blackout") or not any(flags):
        return
    hit = cm.slack("blackout", unit.org_id, 1)
    cm.model.add_element(cm.start[unit.org_id], flags, hit)


def _soft_pin(cm: CongressModel, unit: Unit) -> None:
    """A pin as a penalty per day away from the pinned start (when soft)."""
    scenario = cm.problem.scenario
    if unit.pin is None or unit.held or scenario.hard("pin") or not scenario.on("pin"):
        return
    away = cm.slack("pin", unit.org_id, len(cm.problem.horizon))
    cm.model.add_abs_equality(away, cm.start[unit.org_id] - cm.idx(unit.pin[0]))


def _precedence(cm: CongressModel) -> None:
    """A congress ends ≥ gap days before its parent's starts. Chỉ thị 35-CT/TW; Điều lệ Đảng."""
    scenario = cm.problem.scenario
    if not scenario.on("precedence"):
        return
    gap = scenario.child_before_parent_days
    hard = scenario.hard("precedence")
    for parent, kids in cm.problem.by_parent.items():
        if parent not in cm.start:
            continue
        for child in kids:
            lhs = cm.start[parent] - cm.end_incl(child)
            if hard:
                cm.model.add(lhs >= gap)
            else:
                cm.model.add(lhs + cm.slack("precedence", child, len(cm.problem.horizon)) >= gap)


def _pilot(cm: CongressModel) -> None:
    """Pilot units finish ≥ lead days before their siblings start (đại hội điểm)."""
    scenario = cm.problem.scenario
    if not scenario.on("pilot"):
        return
    lead = scenario.pilot_lead_days
    hard = scenario.hard("pilot")
    for unit in cm.problem.units:
        if not unit.pilot:
            continue
        for sibling in cm.problem.pilot_siblings(unit):
            lhs = cm.start[sibling.org_id] - cm.end_incl(unit.org_id)
            if hard:
                cm.model.add(lhs >= lead)
            else:
                label = f"{unit.org_id}>{sibling.org_id}"
                cm.model.add(lhs + cm.slack("pilot", label, len(cm.problem.horizon)) >= lead)


def _capacity(cm: CongressModel, ids: list[str], cap: int, family: str, label: str) -> None:
    if len(ids) <= cap:
        return
    intervals = [cm.interval[i] for i in ids]
    if cm.problem.scenario.hard(family):
        cm.model.add_cumulative(intervals, [1] * len(ids), cap)
    else:
        extra = cm.slack(family, label, len(ids))
        cm.model.add_cumulative(intervals, [1] * len(ids), extra + cap)


def _parent_capacity(cm: CongressModel) -> None:
    """At most K congresses under one parent in session per day (leaders attend each one)."""
    scenario = cm.problem.scenario
    if not scenario.on("parent_capacity"):
        return
    for parent, kids in cm.problem.by_parent.items():
        by_level: dict[Level, list[str]] = {}
        for kid in kids:
            by_level.setdefault(cm.problem.unit(kid).level, []).append(kid)
        for level, ids in by_level.items():
            cap = scenario.levels[level].parent_daily_capacity
            if cap is not None:
                _capacity(cm, ids, cap, "parent_capacity", parent)


def _level_capacity_and_peaks(cm: CongressModel) -> None:
    """At most C congresses of a level in session nationwide per day; load levelling peaks."""
    scenario = cm.problem.scenario
    for level in scenario.planned_levels():
        ids = [u.org_id for u in cm.problem.units if u.level == level]
        cap = scenario.levels[level].daily_capacity if scenario.on("level_capacity") else None
        wants_peak = level in scenario.peak_levels and scenario.objective["peak_weight"] > 0
        if wants_peak and len(ids) > 1:
            peak = cm.model.new_int_var(1, len(ids), f"peak[{level.value}]")
            cm.peaks[level] = peak
            cm.model.add_cumulative([cm.interval[i] for i in ids], [1] * len(ids), peak)
            if cap is not None:
                if scenario.hard("level_capacity"):
                    cm.model.add(peak <= cap)
                else:
                    over = cm.slack("level_capacity", level.value, len(ids))
                    cm.model.add(peak - over <= cap)
        elif cap is not None:
            _capacity(cm, ids, cap, "level_capacity", level.value)


def _election(cm: CongressModel) -> None:
    """Election day variable (a Sunday) and the alignment with the national congress.

    Luật 85/2015/QH13 Điều 5 (Sunday; announced ≥ 115 days before), Điều 38–39 (first
    consultative conference ≤ E−95); central congresses end N days before the national one.
    """
    problem = cm.problem
    scenario = problem.scenario
    values = [cm.idx(d) for d in problem.election_days]
    cm.election = cm.model.new_int_var_from_domain(
        cp_model.Domain.from_values(values), "election_day"
    )
    if not scenario.on("election_alignment"):
        return
    hard = scenario.hard("election_alignment")
    span = len(problem.horizon) + 400

    def require(expr: LinearExpr, bound: int, label: str) -> None:
        if hard:
            cm.model.add(expr >= bound)
        else:
            cm.model.add(expr + cm.slack("election_alignment", label, span) >= bound)

    national = problem.national()
    if national is not None:
        for unit in problem.units:
            if unit.level == Level.CENTRAL:
                require(
                    cm.start[national.org_id] - cm.end_incl(unit.org_id),
                    scenario.central_before_national_days,
                    f"{unit.org_id}>national",
                )
        offset = problem.step_offsets.get(scenario.national_before_step)
        if offset is not None:
            require(
                cm.election + offset - cm.end_incl(national.org_id),
                scenario.national_before_step_days,
                f"national>{scenario.national_before_step}",
            )
        after = problem.after_step_offset()
        if after is not None:  # 2026: the congress sits between two consultative conferences
            require(
                cm.start[national.org_id] - cm.election - after,
                scenario.national_after_step_days,
                f"{scenario.national_after_step}>national",
            )
    announced = scenario.election_announced
    if national is not None and announced is not None and ANNOUNCE_STEP in problem.step_offsets:
        require(
            cm.election + problem.step_offsets[ANNOUNCE_STEP] - cm.idx(announced),
            0,
            "announcement",
        )


def _symmetry(cm: CongressModel) -> None:
    """Identical sibling leaves are interchangeable: keep them in id order by start day.

    Identical means the same start options too: siblings in different provinces differ when
    one of them has a local lockdown (``Problem.local_province``).
    """
    groups: dict[tuple[object, ...], list[str]] = {}
    for unit in cm.problem.units:
        if not unit.leaf or unit.pin or unit.preferred or unit.pilot or unit.parent_id is None:
            continue
        key = (
            unit.parent_id,
            unit.level,
            cm.problem.local_province(unit),
            unit.days,
            unit.window,
            unit.buffer_days,
            unit.earliest,
            unit.latest_end,
        )
        groups.setdefault(key, []).append(unit.org_id)
    for ids in groups.values():
        ids.sort()
        for a, b in itertools.pairwise(ids):
            cm.model.add(cm.start[a] <= cm.start[b])


def _makespan(cm: CongressModel, cuts: bool = True) -> None:
    """Decomposition's first pass: finish the whole subtree as early as possible."""
    horizon = len(cm.problem.horizon)
    last = cm.model.new_int_var(0, horizon, "makespan")
    cm.model.add_max_equality(last, [cm.end_incl(u.org_id) for u in cm.problem.units])
    cm.makespan = last
    if cuts:
        _makespan_cuts(cm, last)
    cm.model.minimize(last)


def _makespan_cuts(cm: CongressModel, last: cp_model.IntVar) -> None:
    """The earliest day by which a group under a fixed daily limit can have finished
    (:func:`planner.solver.groups.group_finish`, the seat count). Without it CP-SAT could not
    prove Thanh Hóa's earliest finish in the 2025 nationwide scenario (issue 20).
    """
    for ids, cap, _kind in capacity_groups(cm.problem):
        finish = group_finish(cm.problem, ids, cap)
        if finish is not None:
            cm.model.add(last >= finish)
        elif not group_fits(cm.problem, ids, cap):
            cm.model.add_bool_or([])  # proven: no plan keeps this limit


def _slack_only(cm: CongressModel) -> None:
    """Elastic model: minimise the weighted slack of the soft families, nothing else."""
    if cm.penalties:
        cm.model.minimize(sum(var * weight for _f, weight, var in cm.penalties))


def _objective(cm: CongressModel, cuts: bool = True) -> None:
    """Preferred dates, a buffer before each deadline, load levelling, and soft-family slack."""
    scenario = cm.problem.scenario
    terms: list[LinearExpr] = []
    w_pref = scenario.objective["preferred_weight"]
    w_buffer = scenario.objective["buffer_weight"]
    horizon = len(cm.problem.horizon)
    for unit in cm.problem.units:
        if unit.preferred is not None and w_pref:
            day, weight = unit.preferred
            away = cm.model.new_int_var(0, horizon, f"away[{unit.org_id}]")
            cm.model.add_abs_equality(away, cm.start[unit.org_id] - cm.idx(day))
            cm.away[unit.org_id] = (away, cm.idx(day))
            terms.append(away * (w_pref * weight))
        if w_buffer and unit.buffer_days > 0:
            limit = cm.idx(unit.window[1]) - unit.buffer_days
            over = cm.model.new_int_var(0, horizon, f"late[{unit.org_id}]")
            cm.model.add(over >= cm.end_incl(unit.org_id) - limit)
            cm.late[unit.org_id] = over
            cm.late_limit[unit.org_id] = limit
            terms.append(over * w_buffer)
    if cuts:
        _peak_cuts(cm)
        _capacity_cuts(cm)
    for peak in cm.peaks.values():
        terms.append(peak * scenario.objective["peak_weight"])
    for _family, weight, var in cm.penalties:
        terms.append(var * weight)
    if terms:
        cm.model.minimize(sum(terms))


def _peak_cuts(cm: CongressModel) -> None:
    """The lower-bound argument that load levelling needs: congress-days per usable day.

    For a load-levelled level with peak ``p`` and a day ``T``, the congresses whose buffer limit
    is at most ``T`` have ``E_T`` congress-days; at most ``p`` fit on each of the ``U_T`` days up
    to ``T`` on which one of them may sit, so at least ``E_T − p·U_T`` of their congress-days
    fall after ``T``, and each such day adds at least one day of lateness to its congress
    (its days after ``T`` are consecutive and its limit is ≤ ``T``). Hence the valid cut
    ``Σ late ≥ E_T − U_T · p``, which lets CP-SAT prove the trade-off between a lower peak and
    finishing within the buffer (without it the default scenario's bound stayed 20 % below the
    optimum, DESIGN §3 and issue 11).
    """
    problem = cm.problem
    for level, peak in cm.peaks.items():
        units = [u for u in problem.units if u.level == level]
        for tier in tiers(problem, units, cm.late_limit):
            late = _late(cm, tier)
            if tier.energy > tier.usable:  # otherwise the cut is implied by late ≥ 0, peak ≥ 1
                cm.model.add(late + tier.usable * peak >= tier.energy)
            # counting congresses, each at least the shortest one long, beside the pinned ones
            if tier.shortest > 1:
                _seat_cuts(cm, peak, tier)


def _late(cm: CongressModel, tier: Tier) -> LinearExpr:
    """The tier's summed lateness."""
    return LinearExpr.sum([cm.late[o] for o in tier.members])


def _capacity_cuts(cm: CongressModel) -> None:
    """The same counting for a fixed daily limit ``K``: a parent's capacity, or a level's
    nationwide capacity (both hard).

    Without them CP-SAT did not see that 172 two-day commune congresses under one parent, at
    most 6 a day, cannot all finish by the buffer limit: the 2025 nationwide scenario's
    HCMC and Thanh Hóa sub-models stayed at bound 0 (issue 20). With ``K`` seats the tier's
    lateness is at least the seat count's least lateness (:func:`least_lateness`) and at least
    ``E_T − K·U_T`` (the energy argument of :func:`_peak_cuts`).
    """
    problem = cm.problem
    for ids, cap, _kind in capacity_groups(problem):
        if not group_fits(problem, ids, cap):
            cm.model.add_bool_or([])  # proven: no plan keeps this limit
            continue
        for tier in tiers(problem, [problem.unit(i) for i in ids], cm.late_limit):
            bound = tier.least_late(cap)
            if bound > 0:
                cm.model.add(_late(cm, tier) >= bound)


def _seat_cuts(cm: CongressModel, peak: cp_model.IntVar, tier: Tier) -> None:
    """``peak ≤ p ⇒ Σ late ≥ LB(p)`` for each ``p``, and the objective's share at once.

    LB is :func:`planner.solver.bounds.least_lateness` (the seat-counting argument).
    """
    domain = list(cm.model.proto.variables[peak.index].domain)
    low, high = max(1, domain[0]), domain[-1]
    scenario = cm.problem.scenario
    w_peak, w_late = scenario.objective["peak_weight"], scenario.objective["buffer_weight"]
    late = _late(cm, tier)
    bounds = least_lateness(
        tier.free_days, tier.threshold, tier.shortest, tier.free, range(low, high + 1), tier.fixed
    )
    cheapest: int | None = None
    for p in range(low, high + 1):
        bound = bounds[p]
        if bound is None:
            cm.model.add(peak >= p + 1)
            continue
        cost = w_peak * p + w_late * bound
        cheapest = cost if cheapest is None else min(cheapest, cost)
        if bound == 0:
            break  # LB only falls as p grows: larger peaks cost more
        at_most = cm.model.new_bool_var(f"peak<={p}")
        cm.model.add(peak >= p + 1).only_enforce_if(~at_most)
        cm.model.add(late >= bound).only_enforce_if(at_most)
    if cheapest is not None:
        cm.model.add(late * w_late + peak * w_peak >= cheapest)


def _stability(
    cm: CongressModel, base: Mapping[str, dt.date], shift: bool, max_moved: int | None = None
) -> None:
    """Re-planning: keep congresses on their base dates (DESIGN §3: hints alone give no
    stability). Minimises how many leave them, or with ``shift`` how many days they move.
    """
    horizon = len(cm.problem.horizon)
    for org_id, day in sorted(base.items()):
        var = cm.start.get(org_id)
        if var is None:
            continue
        index = cm.idx(day)
        cm.base[org_id] = index
        cm.model.add_hint(var, index)
        if shift:
            days = cm.model.new_int_var(0, horizon + abs(index), f"shift[{org_id}]")
            cm.model.add_abs_equality(days, var - index)
            cm.shift[org_id] = days
        else:
            moved = cm.model.new_bool_var(f"moved[{org_id}]")
            cm.model.add(var == index).only_enforce_if(~moved)
            cm.model.add(var != index).only_enforce_if(moved)
            cm.moved[org_id] = moved
    if max_moved is not None and cm.moved:  # the repair's count: only fewer moves are better
        cm.model.add(sum(cm.moved.values()) <= max_moved)
    cm.model.minimize(sum(cm.shift.values()) if shift else sum(cm.moved.values()))


def build_model(
    problem: Problem,
    objective: str = "plan",
    *,
    base: Mapping[str, dt.date] | None = None,
    max_moved: int | None = None,
    cuts: bool = True,
) -> CongressModel:
    """Build the CP-SAT model of ``problem``: one function per constraint family.

    ``objective`` is ``plan`` (the scenario's weighted objective), ``makespan``, ``slack`` (only
    the soft families' slack: the elastic model of the diagnosis), ``stability`` (re-planning:
    fewest congresses moved off ``base``), ``shift`` (fewest days moved off ``base``) or ``none``
    (feasibility).
    """
    cm = CongressModel(problem=problem, model=cp_model.CpModel())
    _variables(cm)  # level_window, blackout, pin (domains or soft penalties), duration (sizes)
    _precedence(cm)
    _pilot(cm)
    _parent_capacity(cm)
    _level_capacity_and_peaks(cm)
    _election(cm)
    cm.reviews = add_reviews(cm)  # the review sessions before the central congresses
    if objective in ("stability", "shift"):  # the base plan need not follow the symmetry order
        _stability(cm, base or {}, objective == "shift", max_moved)
        return cm
    _symmetry(cm)
    if objective == "makespan":
        _makespan(cm, cuts)
    elif objective == "plan":
        add_attendance(cm)  # a soft limit: only in the plan's objective
        _objective(cm, cuts)
    elif objective == "slack":
        _slack_only(cm)
    return cm
