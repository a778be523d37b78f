"""Measure the browser's heaviest views on the nationwide plan (README, "In the browser").

Builds the greedy plan of ``data/scenarios/xiii-2020-full.toml`` (53,405 rows, every
grassroots organisation), then times, in this process, what the Plan, Month and Unit pages
compute before they draw (the figures and their tables, the month's counts, one unit's binding
rules, a search); then stores the plan in a fresh ``PLANNER_HOME``, starts ``streamlit run``
and times in Debian's Chromium, from navigation to the last chart drawn, the Plan page
nationwide and for Hà Nội (the largest province), and the Month page. Each figure is the
median of ``--repeat`` runs. Usage::

    .venv/bin/python scripts/measure_views.py [--repeat 3] [--no-browser]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _median(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()

    from planner.calendar import today_in_vietnam
    from planner.plan import plan_to_csv
    from planner.problem import build_problem
    from planner.scenario import load_scenario, tree_for
    from planner.solver import solve
    from planner.ui import charts
    from planner.ui.binding import binding_rules
    from planner.ui.province import members, subset
    from planner.ui.search import Index

    path = REPO / "data" / "scenarios" / "xiii-2020-full.toml"
    scenario = load_scenario(path)
    tree = tree_for(scenario)
    problem = build_problem(scenario, tree)
    report = solve(problem, strategy="greedy", time_limit=60, workers=2, seed=0)
    plan = report.plan
    assert plan is not None
    print(f"plan: {len(plan)} rows, {int((plan['kind'] == 'congress').sum())} congresses")
    levels = [lv.value for lv in scenario.era_levels if lv.depth > 0]
    hanoi = subset(plan, tree, "p01")
    rows = charts.gantt_rows(plan, members(tree, "p01"))
    index = Index(tree)
    grassroots = next(u.org_id for u in problem.units if u.level.value == "grassroots")
    figures = {
        "timeline nationwide": lambda: charts.timeline(plan, levels, today_in_vietnam()),
        "heatmap nationwide (grassroots × 67)": lambda: charts.heatmap(
            plan, tree, "grassroots", None
        ),
        "heatmap Hà Nội (grassroots)": lambda: charts.heatmap(hanoi, tree, "grassroots", "p01"),
        "Gantt Hà Nội, one page": lambda: charts.gantt(rows, 0),
        "binding rules of a grassroots unit": lambda: binding_rules(problem, plan, grassroots),
        "search index of 53,334 units (built once per tree)": lambda: Index(tree),
        "one search, 'ninh binh'": lambda: index.find("ninh binh"),
    }
    for name, fn in figures.items():
        print(f"{name}: {_median(fn, args.repeat) * 1000:.0f} ms (median of {args.repeat})")
    sizes = {
        "timeline": charts.timeline(plan, levels, today_in_vietnam()).figure,
        "heatmap": charts.heatmap(plan, tree, "grassroots", None).figure,
        "gantt": charts.gantt(rows, 0).figure,
    }
    for name, figure in sizes.items():
        marks = sum(len(t.x) if t.x is not None else 0 for t in figure.data)
        print(f"{name}: height {figure.layout.height} px, {marks} x-values, "
              f"{len(figure.to_json()) // 1024} KiB JSON")  # fmt: skip
    if not args.no_browser:
        _browser(plan_to_csv(plan), path, args.repeat)


def _browser(csv: str, path: Path, repeat: int) -> None:
    from playwright.sync_api import sync_playwright

    from planner.store import plans, scenarios
    from planner.store.recovery import open_store

    home = Path(tempfile.mkdtemp(prefix="planner-measure-"))
    store = open_store(home).store
    version = scenarios.create(
        store, "full", path.read_text(encoding="utf-8"), path.name, [], "measure", "measure"
    )
    plans.save_plan(
        store, content_key=version.content_key, scenario="full", version=1, kind="solve",
        author="measure", report={"status": "FEASIBLE"}, plan_csv=csv,
    )  # fmt: skip
    port = 8790
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.port",
         str(port)],
        cwd=REPO, env={**os.environ, "PLANNER_HOME": str(home)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(180):
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
            )
            tab = chromium.new_page(viewport={"width": 1400, "height": 1000})
            views = {
                "Plan page nationwide (3 charts)": ("plan", "", 3),
                "Plan page, Hà Nội (3 charts)": ("plan", "&province=p01", 3),
                "Month page nationwide": ("month", "", 0),
            }
            for name, (page, extra, charts_expected) in views.items():
                times = []
                for _ in range(repeat + 1):  # the first visit warms the server's caches
                    started = time.perf_counter()
                    tab.goto(f"{url}/?scenario=full&page={page}{extra}")
                    if charts_expected:
                        tab.wait_for_function(
                            f"document.querySelectorAll('.js-plotly-plot .main-svg').length"
                            f" >= {charts_expected}",
                            timeout=120_000,
                        )
                    else:
                        tab.wait_for_selector("table.cal", timeout=120_000)
                    times.append(time.perf_counter() - started)
                    height = tab.evaluate(
                        "Math.max(0, ...Array.from(document.querySelectorAll('.js-plotly-plot'))"
                        ".map(e => e.getBoundingClientRect().height))"
                    )
                print(f"browser, {name}: {statistics.median(times[1:]):.2f} s from navigation "
                      f"to the last chart drawn (median of {repeat}; tallest chart {height:.0f}"
                      " px)")  # fmt: skip
            chromium.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
