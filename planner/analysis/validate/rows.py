"""What the validator reads from a plan's rows: every congress and step names an organisation
of the tree, the congresses' dates, and election day."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from planner.analysis.validate.context import Dates
from planner.errors import PlannerError
from planner.problem.units import Problem
from planner.rules.preparation import STEP_KINDS
from planner.tree.hierarchy import OrgTree


def plan_election_day(frame: pd.DataFrame, problem: Problem) -> dt.date | None:
    """Election day from the plan's voting row, else the scenario's fixed day."""
    rows = frame[frame["event_id"] == "election:el.voting"]
    if len(rows) and rows.iloc[0]["start"] is not None:
        day: dt.date = rows.iloc[0]["start"]
        return day
    return problem.scenario.election_day


def check_known(frame: pd.DataFrame, tree: OrgTree) -> None:
    """Every congress (and preparation step) of a plan names an organisation of the tree (as
    ``check --plan`` requires); the first unknown one is a bilingual error with its file and
    line."""
    congresses = frame[frame["kind"].isin(("congress", *STEP_KINDS))]
    lines = congresses["line"] if "line" in congresses else [None] * len(congresses)
    for org_id, line in zip(congresses["org_id"], lines, strict=True):
        if str(org_id) not in tree:
            try:
                tree.get(str(org_id))
            except PlannerError as exc:
                exc.file = frame.attrs.get("file")
                exc.line = int(line) if line is not None else None
                exc.field = "org_id"
                raise


def congress_dates(problem: Problem, frame: pd.DataFrame) -> tuple[Dates, list[str]]:
    """The plan's congress dates of the problem's units, and the org ids of the congress rows
    the problem does not have (ignored), in the plan's order."""
    dates: Dates = {}
    ignored: list[str] = []
    for row in frame[frame["kind"] == "congress"].itertuples(index=False):
        org_id = str(row.org_id)
        if not problem.has(org_id):
            ignored.append(org_id)
            continue
        start: dt.date = row.start  # type: ignore[assignment]
        end: dt.date = row.end  # type: ignore[assignment]
        dates[org_id] = (start, end)
    return dates, ignored


def step_names(problem: Problem, frame: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """The names of the organisations whose steps the plan holds."""
    steps = frame[frame["kind"].isin(STEP_KINDS)]
    out = {}
    for org_id in set(steps["org_id"].dropna()):
        if org_id in problem.tree:
            org = problem.tree.get(org_id)
            out[org_id] = (org.name_vi, org.name_en)
    return out
