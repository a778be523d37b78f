"""``planner bench``: the benchmark command (the cases are in :mod:`planner.cli.bench`)."""

from __future__ import annotations

import argparse
import json

from planner.cli.options import (
    EXIT_INFEASIBLE,
    EXIT_OK,
)
from planner.errors import PlannerError
from planner.files.tables import render


def run(args: argparse.Namespace) -> int:
    """Run the benchmark cases of :mod:`planner.cli.bench` and print their figures."""
    from planner.cli import bench

    if args.case and args.case not in bench.CASES:
        raise PlannerError(
            f"không có ca đo '{args.case}'.",
            f"no benchmark case '{args.case}'.",
            field="--case",
            hint_vi=f"Có: {', '.join(bench.CASES)}.",
            hint_en=f"Known: {', '.join(bench.CASES)}.",
        )
    rows = [bench.run_case(args.case, args.quick)] if args.case else bench.run_all(args.quick)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, default=str))
        return EXIT_OK
    print(f"Máy / machine: {bench.machine()}{' (quick)' if args.quick else ''}")
    columns = [
        "case",
        "units",
        "status",
        "first_plan_s",
        "final_s",
        "objective",
        "bound",
        "gap",
        "peak_mib",
        "valid",
        "detail",
    ]
    table_rows = [{c: bench.fmt(r.get(c)) for c in columns} for r in rows]
    print(render(table_rows, columns, "table"))
    return EXIT_OK if all(r.get("status") != "ERROR" for r in rows) else EXIT_INFEASIBLE


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``planner benchmark`` command and its options."""
    bench_cmd = sub.add_parser(
        "bench",
        help="đo hiệu năng / benchmark",
        description=(
            "Đo thời gian, bộ nhớ và chất lượng kế hoạch; số liệu trong README lấy từ đây.\n"
            "Measure time, memory and plan quality; the README's figures come from here."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    bench_cmd.add_argument("--quick", action="store_true", help="kịch bản thu gọn / small scenario")
    bench_cmd.add_argument("--case", help=argparse.SUPPRESS)
    bench_cmd.add_argument("--json", action="store_true", help="JSON output")
    bench_cmd.set_defaults(func=run)
