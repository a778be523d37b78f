"""``planner check``: check a scenario (a diagnosis) or a plan."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from planner.analysis.diagnose import Diagnosis, diagnose
from planner.analysis.validate import validate
from planner.cli.inputs import load, load_for_plan
from planner.cli.options import (
    EXIT_INFEASIBLE,
    EXIT_OK,
    scenario_args,
    today_args,
)
from planner.cli.outcome import key_dates
from planner.errors import PlannerError
from planner.files.tables import render
from planner.plan.frame import read_plan


def run(args: argparse.Namespace) -> int:
    """Diagnose a scenario, or check a plan against every hard rule (exit 0 or 1)."""
    if args.plan:
        frame = read_plan(Path(args.plan))
        _scenario, problem = load_for_plan(frame, args, exact=False)
        if args.actuals or args.store or args.today:  # issue 21: against reality, from today
            from planner.cli.actuals import check_from_today

            found = check_from_today(args, problem, frame)
            if isinstance(found, int):
                return found
            problem = found
        verdict = validate(problem, frame, complete=args.complete)
        if args.format == "json":
            print(json.dumps(verdict.as_dict(), ensure_ascii=False, indent=2))
        else:
            print(
                f"{verdict.checked} đại hội đã kiểm tra / congresses checked, "
                f"{len(verdict.violations)} vi phạm / violations, "
                f"{len(verdict.missing)} chưa có / missing"
            )
            for v in verdict.violations:
                rule = f" · {v.rule}" if v.rule else ""
                print(f"✗ [{v.family}{rule}] {v.message_vi}\n  {v.message_en}")
            if verdict.missing and not args.complete:
                shown = ", ".join(verdict.missing[:8]) + (" …" if len(verdict.missing) > 8 else "")
                print(f"ℹ chưa có trong kế hoạch / not in the plan (information): {shown}")
            if verdict.ignored:
                print(f"ℹ ngoài kịch bản / outside the scenario: {', '.join(verdict.ignored[:8])}")
        return EXIT_OK if verdict.ok else EXIT_INFEASIBLE
    if args.actuals or args.store or args.today:
        raise PlannerError(
            "--actuals, --store, --today chỉ dùng khi kiểm tra một kế hoạch.",
            "--actuals, --store, --today only apply to checking a plan.",
            field="--plan",
            hint_vi="Thêm --plan PLAN.csv.",
            hint_en="Add --plan PLAN.csv.",
        )
    scenario, problem = load(args)
    diagnosis = diagnose(scenario, problem.tree, time_limit=args.time_limit, seed=args.seed)
    payload = diagnosis.as_dict()
    if diagnosis.plan is not None:
        payload["key_dates"] = key_dates(diagnosis.plan)
    if args.format == "json":
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        _print_diagnosis(diagnosis)
    if diagnosis.status == "feasible":
        return EXIT_OK
    return EXIT_INFEASIBLE


def _print_diagnosis(diagnosis: Diagnosis) -> None:
    if diagnosis.plan is not None:
        print("Khả thi: lập được kế hoạch. / Feasible: a plan exists.")
        print(render(key_dates(diagnosis.plan), ["what", "first", "last"], "table"))
        return
    if diagnosis.status == "unknown":
        print(
            "Chưa kết luận được trong giới hạn thời gian; tăng --time-limit. / "
            "Undecided within the time limit; raise --time-limit."
        )
    else:
        print("Không khả thi: không thể lập kế hoạch. / Infeasible: no plan can exist.")
    if diagnosis.families:
        proven = "" if diagnosis.minimal else " (chưa chứng minh tối thiểu / minimality unproven)"
        print(
            f"Họ ràng buộc xung đột / conflicting families: {', '.join(diagnosis.families)}{proven}"
        )
    for conflict in diagnosis.conflicts:
        print(f"✗ [{' + '.join(conflict.families)}] {conflict.message_vi}")
        print(f"  {conflict.message_en}")
    if diagnosis.suggestions:
        print("Cách gỡ / ways out:")
    for s in diagnosis.suggestions:
        mark = "✓ đã kiểm chứng / verified" if s.verified else "? chưa kiểm chứng / unverified"
        print(f"→ {s.message_vi} / {s.message_en}  [{mark}]")
        print(f"    --set '{s.set_arg}'")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``planner check`` command and its options."""
    check = sub.add_parser(
        "check",
        help="kiểm tra kịch bản hoặc kế hoạch / check a scenario or a plan",
        description=(
            "Không có --plan: kịch bản có lập được kế hoạch không.\n"
            "Có --plan: kiểm tra một kế hoạch (có thể chỉ một phần) theo mọi ràng buộc cứng.\n"
            "Mã thoát 0 hợp lệ, 1 vi phạm, 2 lỗi đầu vào.\n"
            "Without --plan: can the scenario be planned. With --plan: check a (possibly partial)\n"
            "plan against every hard rule. Exit 0 valid, 1 violations, 2 bad input."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    scenario_args(check, limit=5.0)  # for each feasibility probe of the diagnosis
    check.add_argument("--plan", metavar="FILE.csv", help="kế hoạch cần kiểm tra / plan to check")
    check.add_argument(
        "--complete",
        action="store_true",
        help="đơn vị thiếu là vi phạm / units without a congress are violations",
    )
    check.add_argument("--format", choices=("text", "json"), default="text", help="text | json")
    today_args(check, "kiểm tra", "check")  # with --plan: held on their dates, none before today
    check.set_defaults(func=run)
