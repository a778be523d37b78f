"""What the commands read: the scenario and its problem, the budget, the output path."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from planner.errors import PlannerError
from planner.plan.frame import check_plan_suffix
from planner.problem.units import Problem, build_problem
from planner.scenario.builder import load_scenario, tree_for
from planner.scenario.model import Scenario
from planner.solver.budget import Budget


def load(args: argparse.Namespace) -> tuple[Scenario, Problem]:
    path = Path(args.scenario) if args.scenario else None
    scenario = load_scenario(path, args.set or [])
    return scenario, build_problem(scenario, tree_for(scenario))


def load_for_plan(
    frame: pd.DataFrame, args: argparse.Namespace, *, exact: bool
) -> tuple[Scenario, Problem]:
    """The scenario a plan records (or the one given, if it is the same), and its problem."""
    from planner.plan.provenance import plan_origin, scenario_for_plan

    scenario, notes = scenario_for_plan(
        plan_origin(frame),
        args.scenario,
        args.set or [],
        plan_file=str(frame.attrs.get("file") or ""),
        exact=exact,
    )
    for note in notes:
        print(note, file=sys.stderr)
    return scenario, build_problem(scenario, tree_for(scenario))


def budget(args: argparse.Namespace) -> Budget:
    """The command's budget, counted from the start of the process (reading is inside it)."""
    return Budget(args.time_limit, args.deterministic, started=args.started)


def out_path(text: str | None) -> Path | None:
    """An output path the command can write to, checked before any work."""
    if text is None:
        return None
    if not text.strip():
        raise PlannerError(
            "--out trống.",
            "--out is empty.",
            field="--out",
            hint_vi="Cho tên tệp, ví dụ --out plan.csv.",
            hint_en="Give a file name, e.g. --out plan.csv.",
        )
    path = Path(text)
    if path.is_dir():
        raise PlannerError(
            "--out là một thư mục.",
            "--out is a folder.",
            file=path.name,
            field="--out",
            hint_vi="Cho tên tệp trong thư mục đó, ví dụ plan.csv.",
            hint_en="Give a file name inside it, e.g. plan.csv.",
        )
    if not path.parent.is_dir():
        raise PlannerError(
            "thư mục của --out không tồn tại.",
            "the folder of --out does not exist.",
            file=path.name,
            field="--out",
            hint_vi="Tạo thư mục trước, hoặc chọn thư mục khác.",
            hint_en="Create the folder first, or choose another.",
        )
    check_plan_suffix(path)
    return path


def progress(event: dict[str, object]) -> None:
    parts = [f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in event.items()]
    print("… " + " ".join(parts), file=sys.stderr)
