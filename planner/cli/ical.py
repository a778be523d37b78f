"""``planner ical``: export iCal feeds."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planner.analysis.validate import validate
from planner.cli.inputs import budget, load_for_plan
from planner.cli.options import (
    EXIT_INPUT,
    EXIT_OK,
    budget_args,
)
from planner.cli.outcome import no_plan
from planner.plan.frame import read_plan
from planner.problem.units import build_problem
from planner.scenario.builder import tree_for
from planner.solver import solve


def run(args: argparse.Namespace) -> int:
    """Export a plan (or the scenario, solved first) as iCal feeds into a folder."""
    from planner.export.ical import export_events, output_folder, plan_events
    from planner.plan.provenance import scenario_for_plan

    out = output_folder(args.out)  # before any work: '' or a file is refused at once
    if args.plan:
        frame = read_plan(Path(args.plan))
        scenario, problem = load_for_plan(frame, args, exact=True)
        verdict = validate(problem, frame)
        if not verdict.ok:
            print(
                f"Cảnh báo: kế hoạch có {len(verdict.violations)} vi phạm (xem `planner check`)."
                f" / Warning: the plan has {len(verdict.violations)} violations (see "
                "`planner check`).",
                file=sys.stderr,
            )
    else:
        scenario, _notes = scenario_for_plan(
            None, args.scenario, args.set or [], plan_file="", exact=False
        )
        problem = build_problem(scenario, tree_for(scenario))
        report = solve(problem, budget=budget(args), workers=args.workers, seed=args.seed)
        if report.plan is None:
            return no_plan(report, args.time_limit, problem)
        frame = report.plan
    tree = problem.tree
    if args.actuals:
        from planner.export.actuals import with_actuals
        from planner.plan.actuals import ActualsError, latest, read_actuals

        try:
            frame = with_actuals(frame, latest(read_actuals(Path(args.actuals), tree)))
        except ActualsError as exc:
            print("\n".join(exc.lines()[:-1]), file=sys.stderr)
            return EXIT_INPUT
    events = plan_events(frame, scenario, tree)
    del problem, frame  # the export needs neither (nationwide: tens of MB)
    result = export_events(events, scenario, tree, out, args.scope, args.base_url)
    print(result.changelog())
    print(f"→ {args.out}: {', '.join(result.files[:6])}{' …' if len(result.files) > 6 else ''}")
    return EXIT_OK


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``planner ical`` command and its options."""
    ical = sub.add_parser(
        "ical",
        help="xuất lịch iCal / export iCal feeds",
        description=(
            "Xuất lịch .ics để đăng ký trong Google, Outlook, Apple Calendar, Thunderbird:\n"
            "mỗi lịch ≤ 1000 sự kiện và ≤ 1 MB, index.html chỉ lịch nào cho vai trò nào.\n"
            "Không có PLAN thì giải kịch bản trước; kế hoạch ghi kịch bản của nó. Xuất lại vào\n"
            "cùng thư mục giữ UID, tăng SEQUENCE cho sự kiện đã đổi, thay cả thư mục một lần.\n"
            "Write .ics feeds to subscribe to in Google, Outlook, Apple Calendar, Thunderbird:\n"
            "each ≤ 1,000 events and ≤ 1 MB, index.html says which feeds for which role.\n"
            "Without PLAN the scenario is solved first; a plan records its scenario. Exporting\n"
            "again into the same folder keeps UIDs, raises SEQUENCE for changed events and\n"
            "replaces the folder in one step."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ical.add_argument("plan", nargs="?", metavar="PLAN", help="kế hoạch / plan (.csv|.json)")
    ical.add_argument(
        "--scenario",
        dest="scenario",
        metavar="FILE",
        help="kịch bản (tệp hoặc mã có sẵn; mặc định: kịch bản ghi trong kế hoạch) / scenario "
        "(a file or built-in id; default: the one the plan records)",
    )
    ical.add_argument("--out", required=True, metavar="DIR", help="thư mục xuất / output folder")
    ical.add_argument(
        "--scope",
        default="all",
        help="all | overview | election | level:LEVEL | org:ORG_ID | body:BODY_ID "
        "(mặc định / default all)",
    )
    ical.add_argument(
        "--base-url",
        metavar="URL",
        help="địa chỉ công khai của thư mục (liên kết https:// và webcal:// trong index.html) / "
        "public address of the folder (https:// and webcal:// links in index.html)",
    )
    ical.add_argument("--set", action="append", metavar="KEY=VALUE", help="đổi một khóa / override")
    budget_args(ical, default=30.0, shown=False)
    ical.add_argument(
        "--actuals",
        metavar="FILE.csv",
        help="kết quả thực tế: đã họp theo ngày thực tế, hoãn được đánh dấu / actuals: held "
        "congresses on their actual dates, postponed ones marked",
    )
    ical.set_defaults(func=run)
