"""Plans and diagnoses kept with the scenario they were made for.

A plan is stored once, as the documented plan CSV (compressed), with the solver's report and,
for a re-plan, the plan it started from and the congresses it moved. Results are looked up by
the scenario's content key, so every version (and every document) with the same content shows
the same plan, and a refresh or a restart of the server finds it again.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from dataclasses import dataclass
from typing import Any

import pandas as pd

from planner.errors import PlannerError
from planner.plan.frame import read_plan_text
from planner.store.db import Store, now_iso


@dataclass(frozen=True)
class PlanRecord:
    """A stored solve or re-plan (``has_plan`` False: the solver found none)."""

    id: int
    content_key: str
    scenario: str
    version: int
    kind: str
    author: str
    created_at: str
    report: dict[str, Any]
    has_plan: bool
    base_plan: int | None
    moves: list[dict[str, Any]] | None


def _record(row: sqlite3.Row) -> PlanRecord:
    try:
        report = json.loads(row["report"])
        moves = json.loads(row["moves"]) if row["moves"] else None
    except (ValueError, RecursionError):
        report, moves = {"status": "UNREADABLE"}, None
    report = report if isinstance(report, dict) else {"status": "UNREADABLE"}
    if row["kind"] == "replan" and report.get("status") == "OPTIMAL":
        # stored before issue 19: that proof was of the fewest moves, never of the plan
        report = {**report, "status": "FEASIBLE", "moves_status": "OPTIMAL", "bound": None}
    return PlanRecord(
        id=int(row["id"]),
        content_key=row["content_key"],
        scenario=row["scenario"],
        version=int(row["version"]),
        kind=row["kind"],
        author=row["author"],
        created_at=row["created_at"],
        report=report,
        has_plan=row["has_plan"] == 1,
        base_plan=row["base_plan"],
        moves=moves if isinstance(moves, list) else None,
    )


_COLUMNS = (
    "id, content_key, scenario, version, kind, author, created_at, report,"
    " plan IS NOT NULL AS has_plan, base_plan, moves"
)


def save_plan(
    store: Store,
    *,
    content_key: str,
    scenario: str,
    version: int,
    kind: str,
    author: str,
    report: dict[str, Any],
    plan_csv: str | None,
    base_plan: int | None = None,
    moves: list[dict[str, Any]] | None = None,
) -> int:
    """Store a result; returns its id."""
    blob = None if plan_csv is None else zlib.compress(plan_csv.encode("utf-8"), 6)
    with store.write() as conn:
        cursor = conn.execute(
            "INSERT INTO plans (content_key, scenario, version, kind, author, created_at, report,"
            " plan, base_plan, moves) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                content_key,
                scenario,
                version,
                kind,
                author,
                now_iso(),
                json.dumps(report, ensure_ascii=False, default=str),
                blob,
                base_plan,
                None if moves is None else json.dumps(moves, ensure_ascii=False),
            ),
        )
        return int(cursor.lastrowid or 0)


def latest(store: Store, content_key: str, *, with_plan: bool = False) -> PlanRecord | None:
    """The newest result for a content (only those with a plan when ``with_plan``)."""
    where = " AND plan IS NOT NULL" if with_plan else ""
    with store.read() as conn:
        row = conn.execute(
            f"SELECT {_COLUMNS} FROM plans WHERE content_key = ?{where} ORDER BY id DESC LIMIT 1",
            (content_key,),
        ).fetchone()
    return None if row is None else _record(row)


def get(store: Store, plan_id: int) -> PlanRecord | None:
    """One stored result by id."""
    with store.read() as conn:
        row = conn.execute(f"SELECT {_COLUMNS} FROM plans WHERE id = ?", (plan_id,)).fetchone()
    return None if row is None else _record(row)


def plan_csv(store: Store, plan_id: int) -> str:
    """The stored plan as the documented CSV text."""
    with store.read() as conn:
        row = conn.execute("SELECT plan FROM plans WHERE id = ?", (plan_id,)).fetchone()
    if row is None or row[0] is None:
        raise PlannerError(
            f"không có kế hoạch số {plan_id}.",
            f"no plan number {plan_id}.",
            field="plan",
            hint_vi="Lập kế hoạch lại ở trang Kế hoạch.",
            hint_en="Solve again on the Plan page.",
        )
    try:
        return zlib.decompress(row[0]).decode("utf-8")
    except (zlib.error, UnicodeDecodeError):
        raise PlannerError(
            f"kế hoạch số {plan_id} lưu trong cơ sở dữ liệu bị hỏng.",
            f"plan number {plan_id} in the database is damaged.",
            field="plan",
            hint_vi="Lập kế hoạch lại ở trang Kế hoạch.",
            hint_en="Solve again on the Plan page.",
        ) from None


def plan_frame(store: Store, plan_id: int) -> pd.DataFrame:
    """The stored plan as a DataFrame (the same reader as ``planner check --plan``)."""
    return read_plan_text(plan_csv(store, plan_id), f"plan-{plan_id}.csv")


def save_diagnosis(store: Store, content_key: str, author: str, result: dict[str, Any]) -> int:
    """Store a diagnosis (its documented JSON); returns its id."""
    with store.write() as conn:
        cursor = conn.execute(
            "INSERT INTO diagnoses (content_key, author, created_at, result) VALUES (?, ?, ?, ?)",
            (content_key, author, now_iso(), json.dumps(result, ensure_ascii=False, default=str)),
        )
        return int(cursor.lastrowid or 0)


def latest_diagnosis(store: Store, content_key: str) -> dict[str, Any] | None:
    """The newest diagnosis of a content, as its JSON (None when never checked)."""
    with store.read() as conn:
        row = conn.execute(
            "SELECT result, created_at, author FROM diagnoses WHERE content_key = ?"
            " ORDER BY id DESC LIMIT 1",
            (content_key,),
        ).fetchone()
    if row is None:
        return None
    try:
        result = json.loads(row[0])
    except (ValueError, RecursionError):
        return None
    if not isinstance(result, dict):
        return None
    return {**result, "checked_at": row[1], "checked_by": row[2]}
