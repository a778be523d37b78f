"""What the commands say when a solve ends: no plan and why, a projection, the key dates."""

from __future__ import annotations

import sys

import pandas as pd

from planner.analysis.precheck import precheck
from planner.cli.options import (
    EXIT_INFEASIBLE,
    EXIT_INTERRUPTED,
    EXIT_UNDECIDED,
)
from planner.problem.units import Problem
from planner.scenario.model import Scenario
from planner.solver.solve import SolveReport
from planner.tree.hierarchy import Level


def no_plan(report: SolveReport, limit: float, problem: Problem | None = None) -> int:
    """Say honestly why no plan was written: proven infeasible (1: by the solver, or by the
    analytic pre-checks when the search ran out of time, never "raise the time", issue 19 D7)
    or undecided (3)."""
    conflicts = (
        precheck(problem)
        if problem is not None and report.status not in ("INFEASIBLE", "CANCELLED")
        else []
    )
    if conflicts:
        print(
            "Không tồn tại kế hoạch nào (kiểm tra sơ bộ đã chứng minh); thêm thời gian không "
            f"giúp được: {conflicts[0].message_vi} Chạy `planner check` để biết cách gỡ. / "
            "No plan can exist (proven by the pre-checks); more time cannot help: "
            f"{conflicts[0].message_en} Run `planner check` to see what to relax.",
            file=sys.stderr,
        )
        return EXIT_INFEASIBLE
    if report.status == "INFEASIBLE":
        print(
            "Không tồn tại kế hoạch nào (đã chứng minh, INFEASIBLE"
            f"{f', phần {report.infeasible_part}' if report.infeasible_part else ''})."
            " Chạy `planner check` với cùng kịch bản để biết vì sao và cách gỡ. / "
            "No plan can exist (proven, INFEASIBLE"
            f"{f', part {report.infeasible_part}' if report.infeasible_part else ''})."
            " Run `planner check` on the same scenario to see why and what to relax.",
            file=sys.stderr,
        )
        return EXIT_INFEASIBLE
    if report.status == "CANCELLED":
        print("Đã dừng; không ghi tệp nào. / Stopped; no file written.", file=sys.stderr)
        return EXIT_INTERRUPTED
    more = max(2 * limit, 30.0)
    print(
        f"Chưa tìm được kế hoạch trong {limit:g} giây ({report.status}); có thể vẫn tồn tại. "
        f"Tăng --time-limit, ví dụ --time-limit {more:g}. / "
        f"No plan found within {limit:g} s ({report.status}); one may still exist. "
        f"Raise --time-limit, e.g. --time-limit {more:g}.",
        file=sys.stderr,
    )
    if report.blocked is not None:
        print(
            f"Kế hoạch nền / constructive floor: {report.blocked.message_vi} / "
            f"{report.blocked.message_en}",
            file=sys.stderr,
        )
    return EXIT_UNDECIDED


def say_projection(scenario: Scenario) -> None:
    """A projection says so before anything else it prints (issue 15)."""
    if scenario.projection is not None:
        p = scenario.projection
        print(
            f"DỰ PHÓNG, không phải kế hoạch đã ban hành: chu kỳ {p.source_cycle} dời "
            f"{p.shift_years} năm. / PROJECTION, not an issued plan: cycle {p.source_cycle} "
            f"shifted by {p.shift_years} years. {p.note}"
        )


def key_dates(plan: pd.DataFrame) -> list[dict[str, str]]:
    congresses = plan[plan["kind"] == "congress"]
    rows = []
    levels = sorted({str(lv) for lv in congresses["level"]}, key=lambda lv: -Level(lv).depth)
    for level in levels:
        sub = congresses[congresses["level"] == level]
        if len(sub):
            rows.append(
                {
                    "what": f"{level} ({len(sub)})",
                    "first": str(min(sub["start"])),
                    "last": str(max(sub["end"])),
                }
            )
    voting = plan[plan["event_id"] == "election:el.voting"]
    if len(voting):
        rows.append({"what": "election", "first": str(voting.iloc[0]["start"]), "last": ""})
    return rows
