"""``planner solve``: plan every congress of a scenario."""

from __future__ import annotations

import argparse
import json
import sys

from planner.analysis.validate import validate
from planner.cli.inputs import budget, load, out_path, progress
from planner.cli.options import (
    EXIT_OK,
    scenario_args,
)
from planner.cli.outcome import key_dates, no_plan, say_projection
from planner.errors import InternalError
from planner.files.tables import render
from planner.plan.frame import UNPLACED, write_plan
from planner.solver import solve
from planner.solver.solve import STRATEGIES


def run(args: argparse.Namespace) -> int:
    """Plan every congress of a scenario; exit 0 with a validated plan, else 1, 3, 70 or 130."""
    out = out_path(args.out)
    scenario, problem = load(args)
    report = solve(
        problem,
        budget=budget(args),
        workers=args.workers,
        seed=args.seed,
        strategy=args.strategy,
        on_progress=progress if args.progress else None,
    )
    summary = report.as_dict()
    if report.plan is None:
        print(json.dumps(summary, ensure_ascii=False), file=sys.stderr)
        return no_plan(report, args.time_limit, problem)
    verdict = validate(problem, report.plan)
    summary["validated"] = verdict.ok
    if not verdict.ok:
        raise InternalError([v.message_en for v in verdict.violations])
    if out is not None:
        write_plan(report.plan, out, {"scenario": scenario.id, **summary})
    gap = "—" if report.gap is None else f"{report.gap:.1%}"
    say_projection(scenario)
    print(
        f"Kịch bản / scenario: {scenario.id} — {report.status} ({report.strategy}), "
        f"mục tiêu / objective {_number(report.objective)}, cận / bound {_number(report.bound)}, "
        f"gap {gap}, {report.wall_time:.1f} s, "
        f"{report.submodels_optimal}/{report.submodels} mô hình con tối ưu / sub-models optimal"
    )
    if report.strategy == "greedy":
        print("Chỉ xếp tham lam: không tìm kiếm, không có cận. / Greedy only: no search, no bound.")
    if report.fallbacks:
        shown = ", ".join(report.fallbacks[:6]) + (" …" if len(report.fallbacks) > 6 else "")
        print(
            f"Giữ kế hoạch nền (CP-SAT chưa tìm được gì trong phần thời gian) / "
            f"kept the constructive floor (CP-SAT found nothing in its share): {shown}"
        )
    if report.unproven and report.strategy != "greedy":
        shown = ", ".join(report.unproven[:6]) + (" …" if len(report.unproven) > 6 else "")
        print(f"Chưa chứng minh tối ưu / not proven optimal: {shown}")
    print(render(key_dates(report.plan), ["what", "first", "last"], "table"))
    unplaced = report.plan.attrs.get(UNPLACED) or []
    if unplaced:
        shown = ", ".join(unplaced[:8]) + (" …" if len(unplaced) > 8 else "")
        print(
            f"ℹ {len(unplaced)} cuộc duyệt không xếp được trước đại hội (thời hạn, khoảng duyệt, "
            f"sức chứa) / reviews with no room before their congress (lead, window, capacity): "
            f"{shown}"
        )
    if args.out:
        print(f"→ {args.out} ({len(report.plan)} events, validated)")
    return EXIT_OK


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``planner solve`` command and its options."""
    solve_cmd = sub.add_parser(
        "solve",
        help="lập kế hoạch / plan every congress",
        description=(
            "Lập lịch mọi đại hội theo kịch bản, khớp với lịch bầu cử;\n"
            "kế hoạch luôn được kiểm tra trước khi ghi.\n"
            "Plan every congress of a scenario, aligned with the election; every plan is "
            "validated before it is written."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    scenario_args(solve_cmd)
    solve_cmd.add_argument(
        "--out", metavar="FILE", help="ghi kế hoạch / write the plan (.csv|.json)"
    )
    solve_cmd.add_argument(
        "--strategy", choices=STRATEGIES, default="auto", help="auto | decomposed | monolithic"
    )
    solve_cmd.add_argument(
        "--progress", action="store_true", help="in tiến độ / print progress to stderr"
    )
    solve_cmd.set_defaults(func=run)
