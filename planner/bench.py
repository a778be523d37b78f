"""``planner bench``: measured figures for the README (a benchmark, never a timed test).

Each case runs in its own process so that its peak memory is its own. ``--quick`` runs the same
cases on a cut-down scenario (no grassroots, Ninh Bình's districts only) so tests can check that the
benchmark runs and that its plans validate.
"""

from __future__ import annotations

import json
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from planner.hierarchy import build_tree
from planner.problem import build_problem
from planner.scenario import load_scenario
from planner.validate import validate

QUICK_SETS = [
    "levels.grassroots.plan=false",
    "levels.district.provinces=[37]",
    'pilots.units=["d369"]',
]
CAPACITY = ["levels.central.daily_capacity=1", "levels.central.window=[2020-09-01, 2020-10-31]"]
ELECTION = ["election.day=2021-02-28", "levels.national.window=[2021-01-25, 2021-02-02]"]


def _solve_case(strategy: str, quick: bool, time_limit: float) -> dict[str, Any]:
    from planner.solver import solve

    scenario = load_scenario(None, QUICK_SETS if quick else [])
    problem = build_problem(scenario, build_tree())
    report = solve(problem, time_limit=time_limit, workers=2, seed=0, strategy=strategy)
    verdict = validate(problem, report.plan, complete=True) if report.plan is not None else None
    return {
        "status": report.status,
        "units": report.units,
        "first_plan_s": report.first_solution_time,
        "final_s": report.wall_time,
        "objective": report.objective,
        "bound": report.bound,
        "gap": report.gap,
        "valid": verdict.ok if verdict else None,
        "detail": f"{report.submodels_optimal}/{report.submodels} sub-models optimal",
    }


def _diagnose_case(sets: list[str], quick: bool) -> dict[str, Any]:
    from planner.diagnose import diagnose

    scenario = load_scenario(None, [*(QUICK_SETS if quick else []), *sets])
    started = time.perf_counter()
    result = diagnose(scenario, build_tree())
    verified = [s for s in result.suggestions if s.verified]
    return {
        "status": result.status,
        "final_s": time.perf_counter() - started,
        "families": result.families,
        "detail": "; ".join(s.set_arg for s in verified) or "no verified suggestion",
        "valid": bool(verified),
        "timings": {k: round(v, 2) for k, v in result.timings.items()},
    }


def _ical_case(quick: bool) -> dict[str, Any]:
    """Export every congress of the nationwide tree (dates from a placeholder plan: each congress
    on its window's first day; the nationwide solve itself is measured separately)."""
    import shutil
    import tempfile
    from pathlib import Path

    from planner.export.ical import export_feeds
    from planner.plan import make_plan

    grassroots = "[37]" if quick else '"all"'
    scenario = load_scenario(None, [f"levels.grassroots.provinces={grassroots}"])
    tree = build_tree()
    problem = build_problem(scenario, tree)
    assert scenario.election_day is not None
    plan = make_plan(problem, {u.org_id: u.window[0] for u in problem.units}, scenario.election_day)
    folder = Path(tempfile.mkdtemp(prefix="planner-bench-"))
    try:
        started = time.perf_counter()
        result = export_feeds(plan, scenario, tree, folder)
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = export_feeds(plan, scenario, tree, folder)
        second = time.perf_counter() - started
        size = sum(p.stat().st_size for p in folder.glob("*.ics")) / 2**20
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "status": "OK",
        "units": result.events,
        "first_plan_s": first,
        "final_s": second,
        "valid": not again.added and not again.moved,
        "detail": f"{len(result.files)} feeds, {size:.0f} MiB; re-export unchanged",
    }


CASES: dict[str, Callable[[bool], dict[str, Any]]] = {
    "ical-export": _ical_case,
    "solve-decomposed": lambda quick: _solve_case("decomposed", quick, 5.0),
    "solve-monolithic": lambda quick: _solve_case("monolithic", quick, 5.0),
    "diagnose-capacity": lambda quick: _diagnose_case(CAPACITY, quick),
    "diagnose-election": lambda quick: _diagnose_case(ELECTION, quick),
}


def run_case(name: str, quick: bool) -> dict[str, Any]:
    """Run one case in this process and add its peak memory (MiB)."""
    result = CASES[name](quick)
    result["case"] = name
    result["peak_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result


def run_all(quick: bool, cases: list[str] | None = None) -> list[dict[str, Any]]:
    """Every case in its own process (``python -m planner bench --case NAME --json``)."""
    out = []
    for name in cases or list(CASES):
        cmd = [sys.executable, "-m", "planner", "bench", "--case", name, "--json"]
        if quick:
            cmd.append("--quick")
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            out.append({"case": name, "status": "ERROR", "detail": done.stderr.strip()[-300:]})
            continue
        out.append(json.loads(done.stdout)[0])
    return out


def machine() -> str:
    """One line describing this machine."""
    import os

    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def fmt(value: Any) -> str:
    """A table cell."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)
