"""Measure the browser's heaviest views on the nationwide plan (README, "In the browser").

Builds the greedy plan of ``data/scenarios/xiii-2020-full.toml`` (53,405 rows, every
grassroots organisation), then times, in this process, what the Plan, Month and Unit pages
compute before they draw (the figures and their tables, the month's counts, one unit's binding
rules, a search); then stores the plan in a fresh ``PLANNER_HOME``, starts ``streamlit run``
and times in Debian's Chromium, from navigation to the last chart drawn, the Plan page
nationwide and for Hà Nội (the largest province), and the Month page. Each figure is the
median of ``--repeat`` runs.

``--first-paint`` measures instead how soon the Plan page shows itself (issue 19, P1): what a
new server process computes before the page can draw (the imports, the cycles offered, the
organisation tree, the scenario and its problem, the display name), each in a fresh process;
then, in Chromium against a new ``streamlit run`` of each checkout given (the one of this script
by default; give an older one too to compare them in one run on the same load), the time from
navigation to the page's heading, to its status (the solve under way, or the plan's status),
to the first solve's result and to its three charts: for the first visitor of a new server
(nothing stored: the plan is solved) and for later visitors (the plan stored). Usage::

    .venv/bin/python scripts/measure_views.py [--repeat 3] [--no-browser]
    .venv/bin/python scripts/measure_views.py --first-paint [CHECKOUT ...] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
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
    parser.add_argument("--first-paint", nargs="*", type=Path, metavar="CHECKOUT")
    args = parser.parse_args()
    if args.first_paint is not None:
        first_paint([c.resolve() for c in args.first_paint] or [REPO], args.repeat)
        return

    from planner.plan.frame import plan_to_csv
    from planner.problem.units import build_problem
    from planner.rules.calendar import today_in_vietnam
    from planner.scenario.builder import load_scenario, tree_for
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


COLD_COSTS = """
import json, sys, tempfile, time
from pathlib import Path
out, last = {}, time.perf_counter()
def lap(name):
    global last
    now = time.perf_counter()
    out[name] = round((now - last) * 1000)
    last = now
import streamlit
lap("streamlit (imported as the server starts)")
import pandas
lap("pandas (imported by the app's first run)")
from planner.ui import a11y, common, notices, session, sidebar
lap("the app's own modules")
from planner.ui import captions, charts, jobs, progress, province, search, words
lap("the Plan page's modules (plotly)")
from planner.ui import cycles
cycles.builtin_cycles()
lap("the cycles offered (each built-in scenario read and checked)")
from planner.store.recovery import builtin, open_store, read_scenario_text
scenario = read_scenario_text(*builtin(), [])
lap("the open scenario read and checked")
from planner.scenario.builder import tree_for
tree = tree_for(scenario)
lap("the organisation tree (once per era and process)")
from planner.problem.units import build_problem
build_problem(scenario, tree)
lap("the problem")
from planner.store import browsers
store = open_store(Path(tempfile.mkdtemp(prefix="planner-measure-"))).store
lap("the store opened")
browsers.name_of(store, "0" * 32)
lap("the display name looked up")
import planner.ui.tasks
lap("the solver (imported by the worker pool's fork server)")
print(json.dumps(out))
"""

PAINT_MARKS = """
window.__paint = {};
const mark = (k) => { if (!(k in window.__paint)) window.__paint[k] = performance.now(); };
new MutationObserver(() => {
  for (const h of document.querySelectorAll('h1'))
    if (h.textContent.includes('Kế hoạch đại hội')) mark('heading');
  for (const a of document.querySelectorAll('[data-testid=stAlert]'))
    if (a.textContent.includes('Đang lập kế hoạch')) mark('status');
  for (const m of document.querySelectorAll('[data-testid=stMetricLabel]'))
    if (m.textContent.includes('Trạng thái')) { mark('status'); mark('result'); }
  if (document.querySelectorAll('.js-plotly-plot .main-svg').length >= 3) mark('charts');
}).observe(document, {subtree: true, childList: true, characterData: true});
"""
PAINT_STEPS = ("heading", "status", "result", "charts")


def _serve(checkout: Path, home: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``streamlit run app.py`` of a checkout on a free port, ready to answer."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    env = {**os.environ, "PLANNER_HOME": str(home), "PYTHONPATH": str(checkout)}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(checkout / "app.py"), "--server.port",
         str(port)],
        cwd=checkout, env={**env, "PYTHONDONTWRITEBYTECODE": "1"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(360):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                break
        except OSError:
            time.sleep(0.25)
    return server, url


def _paint(chromium: Any, url: str) -> dict[str, float]:
    """One new visitor's Plan page: seconds from navigation to each step drawn."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(PAINT_MARKS)
    tab = context.new_page()
    tab.goto(url + "/")
    tab.wait_for_function("'charts' in window.__paint", timeout=300_000)
    marks: dict[str, float] = tab.evaluate("window.__paint")
    context.close()
    return {step: marks[step] / 1000 for step in PAINT_STEPS if step in marks}


def first_paint(checkouts: list[Path], repeat: int) -> None:
    """Where the first paint of the Plan page goes, per checkout (see the module's doc)."""
    from playwright.sync_api import sync_playwright

    print(f"load average before: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    for checkout in checkouts:
        done = subprocess.run(
            [sys.executable, "-c", COLD_COSTS], cwd=checkout, capture_output=True, text=True,
            env={**os.environ, "PYTHONPATH": str(checkout), "PYTHONDONTWRITEBYTECODE": "1"},
            check=True,
        )  # fmt: skip
        print(f"{checkout}: a new process computes, in order (ms):")
        for step, ms in json.loads(done.stdout.strip().splitlines()[-1]).items():
            print(f"  {ms:6d}  {step}")
    first: dict[Path, list[dict[str, float]]] = {c: [] for c in checkouts}
    later: dict[Path, list[dict[str, float]]] = {c: [] for c in checkouts}
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        for _ in range(repeat):
            for checkout in checkouts:  # taken in turn, so each sees the same load
                home = Path(tempfile.mkdtemp(prefix="planner-measure-"))
                server, url = _serve(checkout, home)
                try:
                    first[checkout].append(_paint(chromium, url))
                    later[checkout].append(_paint(chromium, url))
                finally:
                    server.terminate()
                    server.wait(timeout=30)
        chromium.close()
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    for checkout in checkouts:
        for who, runs in (("first visitor, new server", first), ("later visitor", later)):
            medians = {
                step: statistics.median(r[step] for r in runs[checkout])
                for step in PAINT_STEPS
                if all(step in r for r in runs[checkout])
            }
            shown = ", ".join(f"{step} {value:.2f} s" for step, value in medians.items())
            print(f"browser, Plan page, {who} ({checkout.name}): {shown} (median of {repeat})")


if __name__ == "__main__":
    main()
