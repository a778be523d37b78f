"""``planner replan``: re-plan a plan, moving as little as possible."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from planner.analysis.replan import Replan
from planner.cli.inputs import budget, load_for_plan, out_path, progress
from planner.cli.options import (
    EXIT_INFEASIBLE,
    EXIT_OK,
    EXIT_UNDECIDED,
    scenario_args,
    today_args,
)
from planner.cli.replan_report import elapsed, print_replan
from planner.plan.frame import read_plan, write_plan
from planner.problem.units import Problem
from planner.scenario.builder import load_scenario
from planner.tree.names import plural_en


def run(args: argparse.Namespace) -> int:
    """Re-plan BASE for the scenario now, moving the fewest congresses; exit 0, 1, 2 or 3."""
    from planner.analysis.replan import held_dates, replan
    from planner.analysis.replan_steps import plan_step_rows

    out = out_path(args.out)
    base = read_plan(Path(args.base))
    scenario, problem = load_for_plan(base, args, exact=False)
    era = _base_era(base)
    held = None
    steps_held = {}
    if args.held:
        held_frame = read_plan(Path(args.held))
        held = held_dates(held_frame, problem, all_rows=True)
        steps_held = plan_step_rows(held_frame)  # step rows of HELD.csv are held too
    options: dict[str, Any] = {
        "budget": budget(args),
        "workers": args.workers,
        "seed": args.seed,
        "on_progress": progress if args.progress else None,
        "base_era": era,
    }
    if steps_held:
        options["held_steps"] = steps_held
    if args.actuals or args.store or args.today:
        found = _replan_from_today(args, problem, base, held, options)
        if isinstance(found, int):
            return found
        result = found
    else:
        result = replan(problem, base, held=held, **options)
    if args.format == "json":
        print(json.dumps({"scenario": scenario.id, **result.as_dict()}, ensure_ascii=False))
    if result.plan is None:
        return _no_new_plan(result, args.time_limit)
    if out is not None:
        meta = {"scenario": scenario.id, "replanned_from": Path(args.base).name}
        # the plan is valid; the proof (when there is one) is of the fewest moves, not the plan
        proof = {"status": "FEASIBLE", "moves_status": result.status}
        write_plan(result.plan, out, {**meta, **result.as_dict(), **proof})
    if args.format == "json":
        return EXIT_OK
    print_replan(scenario, result)
    if args.out:
        print(f"→ {args.out} ({len(result.plan)} events, validated)")
    return EXIT_OK


def _no_new_plan(result: Replan, limit: float) -> int:
    """Say why no new plan was written: proven infeasible (1) or undecided within the
    budget (3)."""
    tried = ", ".join(result.stages_tried) or "—"
    if result.status == "INFEASIBLE":
        print(
            f"Không tồn tại kế hoạch mới (đã chứng minh; đã thử {tried})."
            " Chạy `planner check` với cùng kịch bản để biết vì sao. / "
            f"No new plan can exist (proven; tried {tried}). "
            "Run `planner check` on the same scenario to see why.",
            file=sys.stderr,
        )
        return EXIT_INFEASIBLE
    more = max(2 * limit, 30.0)
    print(
        f"Chưa lập lại được kế hoạch trong {limit:g} giây ({result.status}; "
        f"đã thử {tried}); có thể vẫn tồn tại. Tăng --time-limit, ví dụ {more:g}. / "
        f"No new plan found within {limit:g} s ({result.status}; tried {tried}); "
        f"one may still exist. Raise --time-limit, e.g. {more:g}.",
        file=sys.stderr,
    )
    print(elapsed(result), file=sys.stderr)
    return EXIT_UNDECIDED


def _replan_from_today(
    args: argparse.Namespace,
    problem: Problem,
    base: pd.DataFrame,
    held: dict[str, tuple[dt.date, dt.date]] | None,
    options: dict[str, Any],
) -> Replan | int:
    """``replan --actuals FILE | --store [NAME] --today DATE``: the held congresses stay, the
    postponed start from their new dates, the cancelled and merged go, nothing unheld before
    today, and a deadline already out of reach is relaxed and said (issue 21, point 3)."""
    from planner.analysis.replan_today import replan_from_today
    from planner.cli.actuals import reality_asked
    from planner.plan.actuals import Actual

    asked = reality_asked(args, problem.tree)
    if isinstance(asked, int):
        return asked
    today, in_force = asked
    entries = list(in_force.values())
    entries += [Actual(o, "congress", "held", s, e) for o, (s, e) in (held or {}).items()]
    result, reality = replan_from_today(problem, base, entries, today, **options)
    if reality.ignored:
        print(
            f"ℹ {len(reality.ignored)} báo cáo về đại hội không lập lịch trong kịch bản này (bỏ"
            f" qua). / {plural_en(len(reality.ignored), 'report')} on congresses this scenario"
            " does not plan (ignored).",
            file=sys.stderr,
        )
    return result


def _base_era(base: pd.DataFrame) -> str | None:
    """The era of the scenario a base plan was made from, when the plan records a built-in
    scenario unchanged (its fingerprint): ``replan`` refuses a base of another era."""
    from planner.plan.provenance import builtin_scenarios, plan_origin, scenario_fingerprint

    origin = plan_origin(base)
    path = builtin_scenarios().get(origin.scenario) if origin is not None else None
    if origin is None or path is None:
        return None
    recorded = load_scenario(path)
    return recorded.era if scenario_fingerprint(recorded) == origin.fingerprint else None


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``planner replan`` command and its options."""
    replan_cmd = sub.add_parser(
        "replan",
        help="lập lại kế hoạch, dời ít nhất / re-plan, moving as little as possible",
        description=(
            "Lập lại một kế hoạch theo kịch bản đã đổi: chỉ giải lại phần bị ảnh hưởng,\n"
            "không dời đại hội đã họp, dời ít đại hội nhất, in danh sách cũ → mới.\n"
            "Re-plan a plan for a changed scenario: re-solve only what the change affects,\n"
            "never move congresses already held, move the fewest, list old → new dates."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    replan_cmd.add_argument("base", metavar="BASE_PLAN.csv", help="kế hoạch gốc / base plan")
    scenario_args(replan_cmd, limit=10.0)  # a re-plan is local: seconds, not minutes
    replan_cmd.add_argument(
        "--held",
        metavar="HELD.csv",
        help="đại hội và bước chuẩn bị đã họp, ngày thực tế (org_id[,kind],start,end) / "
        "congresses and preparation steps already held",
    )
    today_args(replan_cmd)
    replan_cmd.add_argument(
        "--out", metavar="FILE", help="ghi kế hoạch mới / write the new plan (.csv|.json)"
    )
    replan_cmd.add_argument(
        "--format", choices=("text", "json"), default="text", help="text | json"
    )
    replan_cmd.add_argument(
        "--progress", action="store_true", help="in tiến độ / print progress to stderr"
    )
    replan_cmd.set_defaults(func=run)
