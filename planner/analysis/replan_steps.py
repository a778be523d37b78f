"""Re-planning moves the preparation steps with their congresses (issue 20, point 3).

A re-plan (:func:`planner.analysis.replan.replan`, and from today with the actuals) treats the step
rows
(``review``, ``announce``, ``report``, ``approval``: :mod:`planner.rules.preparation`) as follows:

* a **held** step (a true ``held`` column on the step row of the base plan, or an actual of
  that kind with status ``held``) stays on its dates, whatever moves; a held review or
  announcement also bounds its congress: the congress may not start so early that the step
  breaks its lead time (:func:`held_step_earliest`);
* the steps of a congress that did **not** move stay where the base plan had them, as long as
  the independent step checks (:func:`planner.analysis.validate.steps.check_steps`) still accept
  them;
* the steps of a congress that moved (and any step dropped above) are derived again from its new
  dates, the reviews on the latest free day of a reviewing body within the lead time, the review
  window and the bodies' capacity, counting the kept reviews first (:func:`derive_rows`).

The lead times and the capacities are those of the cycle's rule file (e.g. ``p20.review.central``,
Kết luận 79-KL/TW; the 7/15-working-day report and approval, Quy định 29-QĐ/TW).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from planner.analysis.validate.steps import check_steps
from planner.plan.frame import UNPLACED, make_plan
from planner.problem.units import Problem
from planner.rules.preparation import (
    STANDING_COMMITTEE,
    STEP_KINDS,
    PreparationSettings,
    Step,
    StepRow,
    plan_steps,
    step_key,
)

ONE_DAY = dt.timedelta(days=1)
SEARCH_DAYS = 800  # how far after a held step its congress's earliest start is looked for
ROUNDS = 4  # rounds of dropping kept steps the checks refuse (each round drops at least one)
Steps = dict[tuple[str, str], StepRow]


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def plan_step_rows(frame: pd.DataFrame, *, held_only: bool = False) -> Steps:
    """The dated step rows of a plan frame by :func:`step_key` (``held_only``: those whose
    ``held`` column is true)."""
    if "kind" not in frame.columns:
        return {}
    steps = frame[frame["kind"].isin(STEP_KINDS)]
    held = steps["held"] if "held" in steps.columns else pd.Series(False, steps.index)
    bodies = steps["body"] if "body" in steps.columns else pd.Series(None, steps.index)
    out: Steps = {}
    for row, is_held, body in zip(steps.itertuples(index=False), held, bodies, strict=True):
        if held_only and not bool(is_held):
            continue
        org_id = _text(row.org_id)
        if org_id is None or row.start is None or row.end is None:
            continue
        kind, name = str(row.kind), _text(body)
        start: dt.date = row.start  # type: ignore[assignment]
        end: dt.date = row.end  # type: ignore[assignment]
        out[step_key(org_id, kind, name)] = StepRow(
            org_id, kind, start, end, _text(row.rule) or "", name
        )
    return out


def _steps(problem: Problem, settings: PreparationSettings) -> dict[tuple[str, str], Step]:
    units = ((u.org_id, u.level.value) for u in problem.units)
    return {step_key(s.org_id, s.kind, s.body): s for s in plan_steps(settings, units)}


def _latest(settings: PreparationSettings, step: Step, start: dt.date) -> dt.date:
    """The last day the step may sit for a congress starting on ``start`` (the lead only)."""
    if step.kind == "announce":
        return settings.announce_latest(start)
    if step.body == STANDING_COMMITTEE:
        return settings.lower_latest(start)
    return settings.review_latest(start)


def held_earliest_dates(
    problem: Problem, held: Mapping[tuple[str, str], StepRow]
) -> dict[str, tuple[dt.date, str]]:
    """org id → (the earliest start its held before-congress steps allow, the rule id): the
    first start whose lead time the held step still keeps."""
    settings = problem.scenario.preparation
    if settings is None or not settings.active or not held:
        return {}
    steps = _steps(problem, settings)
    out: dict[str, tuple[dt.date, str]] = {}
    for key, row in sorted(held.items()):
        step = steps.get(key)
        if step is None or step.kind not in ("review", "announce"):
            continue
        if problem.unit(step.org_id).held:
            continue
        start = row.end + ONE_DAY
        for _ in range(SEARCH_DAYS):
            if _latest(settings, step, start) >= row.end:
                break
            start += ONE_DAY
        if step.org_id not in out or out[step.org_id][0] < start:
            out[step.org_id] = (start, step.rule_id)
    return out


def plan_with_steps(
    problem: Problem,
    starts: Mapping[str, dt.date],
    election_day: dt.date,
    *,
    base: Mapping[tuple[str, str], StepRow],
    held: Mapping[tuple[str, str], StepRow],
    unmoved: set[str],
) -> pd.DataFrame:
    """The re-plan's plan: held steps kept, the base steps of ``unmoved`` congresses kept while
    the step checks accept them, every other step derived from the new dates (module doc)."""
    settings = problem.scenario.preparation
    if settings is None or not settings.active:
        return make_plan(problem, starts, election_day)
    kept: Steps = {k: r for k, r in base.items() if k[0] in unmoved and problem.has(k[0])}
    kept.update({k: r for k, r in held.items() if problem.has(k[0])})
    expected = _steps(problem, settings)
    kept = {k: r for k, r in kept.items() if k in expected}
    dates = {
        u.org_id: (starts[u.org_id], starts[u.org_id] + ONE_DAY * (u.days - 1))
        for u in problem.units
        if u.org_id in starts
    }
    plan = make_plan(problem, starts, election_day, kept=kept)
    stepped = set(plan.loc[plan["kind"].isin(STEP_KINDS), "org_id"].dropna())
    names = {o: (problem.tree.get(o).name_vi, problem.tree.get(o).name_en) for o in stepped}
    for _ in range(ROUNDS):
        bad = {o for v in check_steps(settings, plan, dates, names) for o in v.units}
        drop = {k for k in kept if k not in held and k[0] in bad}
        if plan.attrs.get(UNPLACED):  # kept reviews leave a moved congress's review no day
            drop |= {k for k in kept if k not in held and k[1] == "review"}
        if not drop:
            break
        kept = {k: r for k, r in kept.items() if k not in drop}
        plan = make_plan(problem, starts, election_day, kept=kept)
    return _mark_held(plan, held)


def _mark_held(plan: pd.DataFrame, held: Mapping[tuple[str, str], StepRow]) -> pd.DataFrame:
    """Held steps say so in the plan's ``held`` column (the next re-plan keeps them too)."""
    if not held:
        return plan
    attrs = dict(plan.attrs)
    if "held" not in plan.columns:
        plan["held"] = pd.Series(False, plan.index, dtype=object)
    for index, kind, org_id, body in zip(
        plan.index, plan["kind"], plan["org_id"], plan["body"], strict=True
    ):
        if kind in STEP_KINDS and step_key(str(org_id), str(kind), _text(body)) in held:
            plan.at[index, "held"] = True
    plan.attrs.update(attrs)
    return plan
