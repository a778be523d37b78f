"""The work the pool runs in worker processes: solve, re-plan, check, export (no Streamlit here).

Each task gets a plain payload (the scenario as text and changes, the store's path, the budget)
and a progress callback; it rebuilds the scenario with the same validation as the CLI, calls the
public functions (:func:`planner.solver.solve`, :func:`planner.analysis.replan.replan`,
:func:`planner.analysis.diagnose.diagnose`, the export through :mod:`planner.ui.feeds`), checks
every
plan with the independent validator, and stores the result itself, so it is kept even when no
page is watching. When the store cannot be written, the result travels back to the server
instead (and the page says it is not saved).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from planner.analysis.diagnose import diagnose
from planner.analysis.precheck import precheck
from planner.analysis.replan import replan
from planner.analysis.validate import validate
from planner.errors import PlannerError
from planner.export.actuals import with_actuals
from planner.files.fsio import atomic_write_bytes
from planner.plan.frame import plan_to_csv
from planner.problem.units import Problem, build_problem
from planner.scenario.builder import tree_for
from planner.scenario.model import Scenario
from planner.solver import solve
from planner.solver.budget import Budget
from planner.solver.run import cancelled
from planner.store import actuals as stored_actuals
from planner.store import feeds, plans
from planner.store.db import Store, StoreError
from planner.store.recovery import read_scenario_text
from planner.ui.capacity import SOLVER_THREADS
from planner.ui.feeds import build_archive

Progress = Callable[[dict[str, Any]], None]


def _scenario(payload: dict[str, Any]) -> Scenario:
    scenario: Scenario = read_scenario_text(
        payload["base_text"], payload["base_name"], list(payload["sets"])
    )
    return scenario


def _store(payload: dict[str, Any]) -> Store:
    return Store(Path(payload["db"]))


def _checked(problem: Problem, plan: pd.DataFrame) -> None:
    """The independent validator's verdict on a solver's plan (a failure is a bug)."""
    verdict = validate(problem, plan)
    if not verdict.ok:
        first = verdict.violations[0]
        raise PlannerError(
            f"kế hoạch của bộ giải không qua kiểm tra ({first.message_vi}).",
            f"the solver's plan failed validation ({first.message_en}).",
            field=first.family,
        )


def _save(
    payload: dict[str, Any],
    kind: str,
    report: dict[str, Any],
    plan: pd.DataFrame | None,
    *,
    base_plan: int | None = None,
    moves: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    csv = None if plan is None else plan_to_csv(plan)
    try:
        plan_id = plans.save_plan(
            _store(payload),
            content_key=payload["content_key"],
            scenario=payload["scenario"],
            version=payload["version"],
            kind=kind,
            author=payload["author"],
            report=report,
            plan_csv=csv,
            base_plan=base_plan,
            moves=moves,
        )
    except StoreError as exc:  # keep the result in the server's memory instead
        return {
            "plan_id": None,
            "unsaved": exc.one_line(),
            "report": report,
            "plan_csv": csv,
            "moves": moves,
        }
    return {"plan_id": plan_id, "status": report.get("status")}


def _identity(scenario: Scenario) -> dict[str, str]:
    """What a stored plan must record so that it is never the base of another scenario's or
    era's re-plan."""
    return {"scenario_id": scenario.id, "era": scenario.era}


def solve_task(payload: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Solve the scenario within the budget; a cancelled solve keeps its best plan. When no
    plan is found and the search did not prove why, the analytic pre-checks run (a second or
    less): a scenario they prove impossible is stored as such, never as "wait longer"."""
    scenario = _scenario(payload)
    problem = build_problem(scenario, tree_for(scenario))  # the tree of the scenario's era
    report = solve(
        problem,
        time_limit=float(payload["time_limit"]),
        workers=SOLVER_THREADS,
        seed=0,
        on_progress=progress,
    )
    if report.plan is not None:
        _checked(problem, report.plan)
    meta = {**report.as_dict(), **_identity(scenario)}
    meta["cancelled"] = cancelled()
    if report.plan is None and report.status != "INFEASIBLE" and not meta["cancelled"]:
        conflicts = precheck(problem)
        if conflicts:
            meta["precheck"] = [c.as_dict() for c in conflicts[:5]]
    return _save(payload, "solve", meta, report.plan)


def replan_task(payload: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Re-plan a stored plan for the changed scenario, moving the fewest congresses.

    The budget is the job's wall clock from its start (reading the scenario and the base plan,
    the stages, the check), and the report says the real elapsed time against it. The stored
    status is the plan's, never the proof of fewest moves: a re-plan minimises moves, so its
    plan is valid (FEASIBLE), its objective is stated and not proven best.
    """
    budget = Budget(float(payload["time_limit"]), started=time.monotonic())
    scenario = _scenario(payload)
    problem = build_problem(scenario, tree_for(scenario))
    base = plans.plan_frame(_store(payload), int(payload["base_plan"]))
    result = replan(
        problem,
        base,
        budget=budget,
        workers=SOLVER_THREADS,
        seed=0,
        on_progress=progress,
        base_era=payload.get("base_era"),
    )
    meta = {**result.as_dict(), **_identity(scenario)}
    meta["cancelled"] = cancelled()
    meta["minimal"] = result.minimal or (result.plan is not None and not result.moved)
    meta["moves_status"] = result.status
    if result.plan is not None:  # validated by replan itself (the independent validator)
        meta["status"] = "FEASIBLE"
        meta["bound"] = None
    return _save(
        payload,
        "replan",
        meta,
        result.plan,
        base_plan=int(payload["base_plan"]),
        moves=[m.as_dict() for m in result.moved],
    )


def replan_today_task(payload: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Re-plan a stored plan from ``today`` with the document's actuals in force (issue 21,
    point 3; :func:`planner.analysis.replan_today.replan_from_today`). The result travels back to
    the
    server, not into the store: a central editor saves it as the scenario's new plan from the
    page. Its plan passed the validator against the relaxed deadlines, from today (rule
    ``today``), with the held congresses on their actual dates."""
    import datetime as dt

    from planner.analysis.replan_today import replan_from_today

    budget = Budget(float(payload["time_limit"]), started=time.monotonic())
    today = dt.date.fromisoformat(str(payload["today"]))
    scenario = _scenario(payload)
    problem = build_problem(scenario, tree_for(scenario))
    store = _store(payload)
    base = plans.plan_frame(store, int(payload["base_plan"]))
    reports = stored_actuals.current(store, payload["scenario"])
    result, reality = replan_from_today(
        problem, base, reports, today, budget=budget, workers=SOLVER_THREADS, seed=0,
        on_progress=progress, base_era=payload.get("base_era"),
    )  # fmt: skip
    meta = {**result.as_dict(), **_identity(scenario)}
    meta["cancelled"] = cancelled()
    meta["minimal"] = result.minimal or (result.plan is not None and not result.moved)
    meta["moves_status"] = result.status
    meta["ignored"] = len(reality.ignored)
    meta["held_count"], meta["postponed_count"] = len(reality.held), len(reality.postponed)
    meta["removed_count"] = len(reality.removed)
    if result.plan is not None:
        _checked(reality.problem, result.plan)  # again, here: from today, held on their dates
        meta["status"] = "FEASIBLE"
        meta["bound"] = None
    return {
        "report": meta,
        "plan_csv": None if result.plan is None else plan_to_csv(result.plan),
        "moves": [m.as_dict() for m in result.moved],
        "base_plan": int(payload["base_plan"]),
    }


def diagnose_task(payload: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Run the staged diagnosis and store its documented JSON."""
    scenario = _scenario(payload)
    progress({"stage": "diagnose"})
    orgs = tree_for(scenario)
    result = diagnose(scenario, orgs, time_limit=float(payload.get("time_limit", 5.0)), seed=0)
    if result.plan is not None:
        _checked(build_problem(scenario, orgs), result.plan)
    data = result.as_dict()
    try:
        plans.save_diagnosis(_store(payload), payload["content_key"], payload["author"], data)
    except StoreError as exc:
        return {"diagnosis": data, "unsaved": exc.one_line()}
    return {"status": data["status"]}


def archive_name(scenario: str, plan_id: int, scope: str, data: bytes) -> str:
    """Where an archive goes under ``$PLANNER_HOME`` (relative; no user text in the path)."""
    document, safe_scope = feeds.path_names(scenario, scope)
    digest = hashlib.sha256(data).hexdigest()[:12]
    return f"exports/{document}/{safe_scope}-plan{plan_id}-{digest}.zip"


@contextlib.contextmanager
def _one_export_at_a_time(folder: Path) -> Iterator[None]:
    """Exports into one feed folder wait for each other (across processes)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with (folder.parent / f"{folder.name}.export-lock").open("a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def export_task(payload: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Export a stored plan's feeds for one scope into the document's feed folder (or reuse
    the archive when that plan was the last one exported there), and keep the archive."""
    store = _store(payload)
    name, plan_id, scope = payload["scenario"], int(payload["plan_id"]), payload["scope"]
    target = feeds.folder(store, name, scope)
    with _one_export_at_a_time(target):
        reports = stored_actuals.current(store, name)  # feeds follow reality (issue 21, point 5)
        marker = max((e.entry_id or 0 for e in reports.values()), default=0)
        last = feeds.last_export(store, name, scope)
        if (
            last is not None
            and last.plan_id == plan_id
            and last.summary.get("actuals", 0) == marker
            and (store.folder / last.archive).exists()
        ):
            return {"file": last.archive, "summary": last.summary, "reused": True}
        progress({"stage": "export"})
        plan = with_actuals(plans.plan_frame(store, plan_id), reports)
        scenario = _scenario(payload)
        archive = build_archive(plan, scenario, tree_for(scenario), scope, target)
        archive.summary["actuals"] = marker  # the newest entry applied: a new one re-exports
        file = archive_name(name, plan_id, scope, archive.data)
        path = store.folder / file
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, archive.data)
        replaced = feeds.record_export(store, name, scope, plan_id, file, archive.summary)
        if replaced is not None:
            (store.folder / replaced).unlink(missing_ok=True)
    return {"file": file, "summary": archive.summary, "reused": False}


TASKS: dict[str, Callable[[dict[str, Any], Progress], dict[str, Any]]] = {
    "solve": solve_task,
    "replan": replan_task,
    "replan_today": replan_today_task,
    "diagnose": diagnose_task,
    "export": export_task,
}
