"""``planner bench``: measured figures for the README (a benchmark, never a timed test).

Each case runs in its own process so that its peak memory is its own. ``--quick`` runs the same
cases on a cut-down scenario (no grassroots, Ninh Bình's districts only) so tests can check that the
benchmark runs and that its plans validate.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from planner.analysis.validate import validate
from planner.files.paths import data_dir
from planner.problem.units import Problem, build_problem
from planner.scenario.builder import load_scenario, tree_for
from planner.tree.build import build_tree
from planner.tree.hierarchy import Level

QUICK_SETS = [
    "levels.grassroots.plan=false",
    "levels.district.provinces=[37]",
    'pilots.units=["d369"]',
]
# the 2025 cut: no grassroots, HCMC's 172 communes only (the largest capacity group, issue 20.6)
QUICK_SETS_2025 = ["levels.grassroots.plan=false", "levels.commune.provinces=[79]"]
FULL_2025 = "xiv-2025-full.toml"  # the 2025–2026 cycle on the 2025 tree, every grassroots unit
CAPACITY = ["levels.central.daily_capacity=1", "levels.central.window=[2020-09-01, 2020-10-31]"]
ELECTION = ["election.day=2021-02-28", "levels.national.window=[2021-01-25, 2021-02-02]"]
TIME_LIMIT = 30.0  # wall-clock seconds for the whole case, the CLI's default, for every solver
REPLAN_PROVINCE = 48  # Đà Nẵng (a two-week local lockdown, as in July 2020); quick: Ninh Bình
REPLAN_DAYS = 14
ACTUALS_IMPORT, IMPORT_TARGET_S = 50_000, 5.0  # issue 21: import 50,000 rows in ≤ 5 s
PROGRESS_ACTUALS, PROGRESS_TARGET_S = 30_000, 2.0  # progress with 30,000 actuals in ≤ 2 s
NO_STEPS = "preparation.enabled=false"  # the cases without the preparation steps (issue 20)
REPEATS = 3  # runs of the actuals cases, of which the median is reported
BUSY = 2  # busy processes of the under-load case: both cores of the reference machine


def _problem(instance: str, quick: bool, extra: Sequence[str] = ()) -> Problem:
    """``default`` (1,819 congresses), ``full`` (53,334), ``full2025`` (55,774, on the 2025
    tree) or, with ``quick``, a small cut of each."""
    if instance == "full2025":
        sets = [*QUICK_SETS_2025, *extra] if quick else list(extra)
        scenario = load_scenario(data_dir() / "scenarios" / FULL_2025, sets)
        return build_problem(scenario, tree_for(scenario))
    if quick:
        scenario = load_scenario(None, [*QUICK_SETS, *extra])
    elif instance == "full":
        scenario = load_scenario(data_dir() / "scenarios" / "xiii-2020-full.toml", extra)
    else:
        scenario = load_scenario(None, extra)
    return build_problem(scenario, build_tree())


def _solve_case(
    instance: str, strategy: str, quick: bool, busy: int = 0, steps: bool = True
) -> dict[str, Any]:
    """What ``planner solve … --out plan.csv`` does, timed from the start of the case: read and
    build, solve within the budget, validate, write the CSV; ``busy`` processes hold the cores
    meanwhile (started and stopped here). ``steps=False`` switches the preparation steps off
    (``preparation.enabled=false``): the same case without the reviews, for before/after."""
    import tempfile
    from pathlib import Path

    from planner.plan.frame import write_plan
    from planner.solver import solve
    from planner.solver.budget import Budget

    loads = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(busy)]
    try:
        started = time.monotonic()
        problem = _problem(instance, quick, [] if steps else [NO_STEPS])
        loaded = time.monotonic() - started
        budget = Budget(TIME_LIMIT, started=started)
        report = solve(problem, budget=budget, workers=2, seed=0, strategy=strategy)
        verdict = validate(problem, report.plan, complete=True) if report.plan is not None else None
        if report.plan is not None:
            with tempfile.TemporaryDirectory(prefix="planner-bench-") as folder:
                write_plan(report.plan, Path(folder) / "plan.csv")
        total = time.monotonic() - started
    finally:
        for process in loads:
            process.kill()
            process.wait()
    floor = report.floor_seconds if strategy != "greedy" else report.first_solution_time
    if strategy == "greedy":
        detail = "no search, no bound" if report.plan is not None else "stuck"
    elif report.plan is None:
        detail = f"no plan within the budget ({TIME_LIMIT:.0f} s)"
    else:
        detail = f"{report.submodels_optimal}/{report.submodels} sub-models optimal"
        detail += f", CP-SAT {report.deterministic_time:.2f} det. s"  # the same under any load
        if report.fallbacks:
            detail += f", floor kept by {len(report.fallbacks)}"
    if busy:
        detail += f"; {busy} busy processes"
    detail += f"; {len(report.reviews)} reviews scheduled" if steps else "; steps off"
    return {
        "status": report.status,
        "units": report.units,
        "first_plan_s": loaded + floor if floor is not None else None,
        "final_s": total,
        "objective": report.objective,
        "bound": report.bound,
        "gap": report.gap,
        "valid": verdict.ok if verdict else None,
        "detail": detail,
        "timings": {"read": round(loaded, 2), "solve": round(report.wall_time, 2)},
    }


def _replan_case(quick: bool) -> dict[str, Any]:
    """A province blacked out for two weeks from its first congress below the central level."""
    from planner.analysis.replan import plan_dates, replan
    from planner.solver import solve
    from planner.solver.budget import Budget

    problem = _problem("full", quick)
    base = solve(problem, time_limit=TIME_LIMIT, workers=2, seed=0)
    started = time.monotonic()
    assert base.plan is not None
    code = 37 if quick else REPLAN_PROVINCE
    tree = problem.tree
    below = [
        s
        for o, (s, _e) in plan_dates(base.plan).items()
        if tree.get(o).province_code == code and tree.get(o).level.depth > Level.CENTRAL.depth
    ]
    first = min(below)
    last = first + dt.timedelta(days=REPLAN_DAYS - 1)
    lockdown = (
        f'blackouts.ranges=[{{id="lockdown", start={first}, end={last}, provinces=[{code}]}}]'
    )
    changed = _problem("full", quick, [lockdown])
    result = replan(changed, base.plan, budget=Budget(10.0, started=started), workers=2, seed=0)
    outside = [m.org_id for m in result.moved if tree.get(m.org_id).province_code != code]
    return _replan_row(
        result,
        len(changed.units),
        started,
        f"p{code:02d} {first}–{last}: {len(result.moved)} moved "
        f"({'proven fewest' if result.minimal else 'not proven fewest'}), "
        f"{len(outside)} outside the province, stage {result.stage}",
    )


def _replan_row(result: Any, units: int, started: float, detail: str) -> dict[str, Any]:
    """A re-plan case's row: its first complete plan is the repair's."""
    total = time.monotonic() - started
    until_repair = sum(result.timings.get(k, 0.0) for k in ("read", "validate", "repair"))
    return {
        "status": result.status,
        "units": units,
        "first_plan_s": total - result.wall_time + until_repair,
        "final_s": total,
        "valid": result.validation.ok if result.validation is not None else None,
        "detail": detail,
    }


def _central_window_case(quick: bool) -> dict[str, Any]:
    """The central window's start moves from 15/9 to 20/9/2020 under a published plan."""
    from planner.analysis.replan import replan
    from planner.solver import solve
    from planner.solver.budget import Budget

    before = ["levels.central.window=[2020-09-15, 2020-10-31]"]
    after = ["levels.central.window=[2020-09-20, 2020-10-31]"]
    base = solve(_problem("default", quick, before), time_limit=TIME_LIMIT, workers=2, seed=0)
    assert base.plan is not None
    started = time.monotonic()
    changed = _problem("default", quick, after)
    result = replan(changed, base.plan, budget=Budget(10.0, started=started), workers=2, seed=0)
    below = [m for m in result.moved if m.level != "central"]
    return _replan_row(
        result,
        len(changed.units),
        started,
        f"{len(result.moved)} moved ({'proven fewest' if result.minimal else 'not proven'}"
        f", repair {result.repaired}), {len(below)} below the central level",
    )


def _diagnose_case(sets: list[str], quick: bool) -> dict[str, Any]:
    from planner.analysis.diagnose import diagnose

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
    on its window's first day; the nationwide solve itself is measured separately), then again
    into the same folder; every feed must stay within 1,000 events and 1 MB."""
    import shutil
    import tempfile
    from pathlib import Path

    from planner.export.catalogue import MAX_BYTES, MAX_EVENTS
    from planner.export.ical import export_feeds
    from planner.plan.frame import make_plan

    grassroots = "[37]" if quick else '"all"'
    scenario = load_scenario(None, [f"levels.grassroots.provinces={grassroots}"])
    tree = build_tree()
    problem = build_problem(scenario, tree)
    assert scenario.election_day is not None
    plan = make_plan(problem, {u.org_id: u.window[0] for u in problem.units}, scenario.election_day)
    del problem
    folder = Path(tempfile.mkdtemp(prefix="planner-bench-")) / "feeds"
    try:
        started = time.perf_counter()
        result = export_feeds(plan, scenario, tree, folder)
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = export_feeds(plan, scenario, tree, folder)
        second = time.perf_counter() - started
        size = sum(p.stat().st_size for p in folder.glob("*.ics")) / 2**20
        manifest = (folder / "manifest.json").stat().st_size / 2**20
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)
    name, octets, events = result.largest
    within = octets <= MAX_BYTES and result.most_events[2] <= MAX_EVENTS
    return {
        "status": "OK" if within else "OVER",
        "units": result.events,
        "first_plan_s": first,
        "final_s": second,
        "valid": within and not again.added and not again.moved and not again.changed,
        "detail": (
            f"{len(result.files)} feeds, {size:.0f} MiB; largest {name} {octets / 1e6:.2f} MB, "
            f"{events} events; manifest {manifest:.1f} MiB; re-export unchanged"
        ),
    }


def actuals_rows(plan: Any, count: int, seed: int = 0) -> list[list[str]]:
    """``count`` rows ``org_id,kind,status,start,end,reason`` for the plan's first congresses by
    planned end: nine in ten held (on the planned dates or a day later), one in twenty postponed
    by two weeks, the rest cancelled or merged; dates alternate ``yyyy-mm-dd`` and
    ``dd/mm/yyyy`` (``scripts/make_actuals.py`` writes them to a file)."""
    import random

    congresses = plan[plan["kind"] == "congress"].sort_values(["end", "org_id"])
    chosen = list(zip(congresses["org_id"], congresses["start"], congresses["end"], strict=True))
    pick = random.Random(seed)
    out = []
    for number, (org_id, start, end) in enumerate(chosen[:count]):
        roll = pick.random()
        shift = dt.timedelta(days=pick.choice((0, 0, 1)))
        days: tuple[dt.date | None, dt.date | None] = (start + shift, end + shift)
        status, reason = "held", ""
        if roll >= 0.95:
            status, days, reason = pick.choice(("cancelled", "merged")), (None, None), "sáp nhập"
        elif roll >= 0.90:
            weeks = dt.timedelta(days=14)
            status, days, reason = "postponed", (start + weeks, end + weeks), "dịch COVID-19"
        style = "%d/%m/%Y" if number % 2 else "%Y-%m-%d"
        cells = ["" if d is None else d.strftime(style) for d in days]
        out.append([org_id, "congress", status, *cells, reason])
    return out


def _write_actuals(path: Any, rows: list[list[str]]) -> None:
    import csv

    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["org_id", "kind", "status", "start", "end", "reason"])
        writer.writerows(rows)


def _greedy_plan(quick: bool, folder: Any) -> Any:
    """The nationwide greedy plan written to ``folder/plan.csv`` (quick: the small cut)."""
    from planner.plan.frame import write_plan
    from planner.solver import solve

    problem = _problem("full", quick)
    report = solve(problem, time_limit=TIME_LIMIT, workers=2, seed=0, strategy="greedy")
    assert report.plan is not None
    path = folder / "plan.csv"
    write_plan(report.plan, path, {"scenario": problem.scenario.id})
    return path


def _command(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    """Wall time of ``python -m planner ARGV`` (start-up included) and its stdout."""
    import os

    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "planner", *argv],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(env or {})},
    )
    return time.perf_counter() - started, done.stdout


def _median(runs: Callable[[], float], repeats: int = REPEATS) -> float:
    """The median wall time of ``repeats`` runs (the load moves single runs by seconds)."""
    import statistics

    return statistics.median(runs() for _ in range(repeats))


def _load() -> str:
    """The load average over the last minute, as ``uptime`` shows it."""
    import os

    return f"load {os.getloadavg()[0]:.2f}"


def _import_once(csv_path: Any, home: Any) -> int:
    """What ``planner actuals import`` does once start-up is over: open a new store, the
    document's tree, check every row, record them; how many were recorded."""
    import shutil

    from planner.cli.actuals import _document_tree
    from planner.plan.actuals import read_actuals
    from planner.store import actuals as stored
    from planner.store.recovery import DEFAULT_DOCUMENT, open_store

    shutil.rmtree(home, ignore_errors=True)
    store = open_store(home).store
    entries = read_actuals(csv_path, _document_tree(store, DEFAULT_DOCUMENT))
    return stored.record(store, DEFAULT_DOCUMENT, entries, "bench")


def _actuals_import_case(quick: bool) -> dict[str, Any]:
    """``planner actuals import`` of 50,000 rows (quick: every congress of the cut) into a new
    store, median of :data:`REPEATS` runs: the command's work in this process, then the command
    itself (Python's start-up included), which the target is for."""
    import shutil
    import tempfile
    from pathlib import Path

    from planner.plan.frame import read_plan

    folder = Path(tempfile.mkdtemp(prefix="planner-bench-"))
    csv_path = folder / "actuals.csv"
    try:
        rows = actuals_rows(read_plan(_greedy_plan(quick, folder)), ACTUALS_IMPORT)
        _write_actuals(csv_path, rows)
        counts: list[int] = []

        def inside_once() -> float:
            started = time.perf_counter()
            counts.append(_import_once(csv_path, folder / "home"))
            return time.perf_counter() - started

        def command_once() -> float:
            shutil.rmtree(folder / "home2", ignore_errors=True)
            env = {"PLANNER_HOME": str(folder / "home2")}
            return _command(["actuals", "import", str(csv_path)], env)[0]

        inside = _median(inside_once)
        command = _median(command_once)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "status": "OK" if command <= IMPORT_TARGET_S else "OVER",
        "units": counts[0],
        "first_plan_s": inside,
        "final_s": command,
        "valid": set(counts) == {len(rows)},
        "detail": f"{counts[0]} rows into a new store, median of {REPEATS}: {inside:.2f} s in "
        f"process, {command:.2f} s as a command (target ≤ {IMPORT_TARGET_S:.0f} s); {_load()}",
    }


def _progress_inside(plan_path: Any, csv_path: Any, today: dt.date) -> dict[str, Any]:
    """What ``planner progress PLAN --actuals FILE`` computes once start-up is over: read the
    plan, its scenario and tree, the actuals, and count; the JSON it prints."""
    from planner.analysis.progress import progress
    from planner.plan.actuals import latest, read_actuals
    from planner.plan.frame import read_plan
    from planner.plan.provenance import plan_origin, scenario_for_plan

    frame = read_plan(plan_path)
    scenario, _notes = scenario_for_plan(
        plan_origin(frame), None, [], plan_file=str(plan_path), exact=False
    )
    tree = tree_for(scenario)
    return progress(frame, latest(read_actuals(csv_path, tree)), today, tree).as_dict()


def _progress_case(quick: bool) -> dict[str, Any]:
    """``planner progress`` of the nationwide greedy plan with 30,000 actuals (quick: the cut),
    median of :data:`REPEATS` runs: the whole computation in this process (plan, scenario, tree,
    actuals, counts), then the command (start-up included) from the file and from the store;
    the three must give the same JSON."""
    import shutil
    import tempfile
    from pathlib import Path

    from planner.plan.frame import read_plan

    folder = Path(tempfile.mkdtemp(prefix="planner-bench-"))
    csv_path, home = folder / "actuals.csv", folder / "home"
    try:
        plan_path = _greedy_plan(quick, folder)
        frame = read_plan(plan_path)
        rows = actuals_rows(frame, PROGRESS_ACTUALS)
        _write_actuals(csv_path, rows)
        _import_once(csv_path, home)
        ends = sorted(frame.loc[frame["kind"] == "congress", "end"])
        today = ends[min(len(rows) * 11 // 10, len(ends) - 1)]  # a tenth unreported: late
        del frame
        outputs: list[Any] = []

        def inside_once() -> float:
            started = time.perf_counter()
            outputs.append(_progress_inside(plan_path, csv_path, today))
            return time.perf_counter() - started

        def command_once(*source: str) -> float:
            argv = ["progress", str(plan_path), *source, "--today", today.isoformat()]
            took, out = _command([*argv, "--format", "json"], {"PLANNER_HOME": str(home)})
            outputs.append(json.loads(out))
            return took

        inside = _median(inside_once)
        from_file = _median(lambda: command_once("--actuals", str(csv_path)))
        from_store = _median(lambda: command_once("--store"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    late = len(outputs[0]["late_units"])
    return {
        "status": "OK" if max(from_file, from_store) <= PROGRESS_TARGET_S else "OVER",
        "units": len(rows),
        "first_plan_s": inside,
        "final_s": from_file,
        "valid": all(out == outputs[0] for out in outputs),
        "detail": f"{len(rows)} actuals, today {today}, {late} late; median of {REPEATS}: "
        f"{inside:.2f} s in process, as a command {from_file:.2f} s from the file, "
        f"{from_store:.2f} s from the store (target ≤ {PROGRESS_TARGET_S:.0f} s); {_load()}",
    }


CASES: dict[str, Callable[[bool], dict[str, Any]]] = {
    "default-decomposed": lambda quick: _solve_case("default", "decomposed", quick),
    "default-monolithic": lambda quick: _solve_case("default", "monolithic", quick),
    "default-greedy": lambda quick: _solve_case("default", "greedy", quick),
    "full-decomposed": lambda quick: _solve_case("full", "decomposed", quick),
    "full-monolithic": lambda quick: _solve_case("full", "monolithic", quick),
    "full-greedy": lambda quick: _solve_case("full", "greedy", quick),
    "full-under-load": lambda quick: _solve_case("full", "decomposed", quick, busy=BUSY),
    "full2025-decomposed": lambda quick: _solve_case("full2025", "decomposed", quick),
    "full2025-greedy": lambda quick: _solve_case("full2025", "greedy", quick),
    # issue 20: the same cases without the preparation steps (reviews), in the same run
    "default-decomposed-nosteps": lambda quick: _solve_case(
        "default", "decomposed", quick, steps=False
    ),
    "full-decomposed-nosteps": lambda quick: _solve_case("full", "decomposed", quick, steps=False),
    "full2025-decomposed-nosteps": lambda quick: _solve_case(
        "full2025", "decomposed", quick, steps=False
    ),
    "replan-province": _replan_case,
    "replan-central-window": _central_window_case,
    "ical-export": _ical_case,
    "diagnose-capacity": lambda quick: _diagnose_case(CAPACITY, quick),
    "diagnose-election": lambda quick: _diagnose_case(ELECTION, quick),
    "actuals-import-50k": _actuals_import_case,
    "progress-nationwide": _progress_case,
}
QUICK_SKIP = (  # the same cut as full-*
    "default-decomposed",
    "default-monolithic",
    "default-greedy",
    "default-decomposed-nosteps",
)


def run_case(name: str, quick: bool) -> dict[str, Any]:
    """Run one case in this process and add its peak memory (MiB)."""
    result = CASES[name](quick)
    result["case"] = name
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    forked = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # solver worker processes
    result["peak_mib"] = round(max(own, forked) / 1024, 1)
    return result


def run_all(quick: bool, cases: list[str] | None = None) -> list[dict[str, Any]]:
    """Every case in its own process (``python -m planner bench --case NAME --json``)."""
    out = []
    names = cases or [c for c in CASES if not (quick and c in QUICK_SKIP)]
    for name in names:
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
