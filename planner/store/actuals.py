"""Actuals kept per scenario document: an append-only log (issue 21, point 1).

Table ``actuals`` (schema version 2, :mod:`planner.store.db`)::

    id           INTEGER PRIMARY KEY AUTOINCREMENT   -- the order entries were recorded in
    scenario     TEXT     -- the scenario document (``scenarios.name``)
    org_id, kind TEXT     -- what the entry reports on (kind: congress | review | announce |
                          --   report | approval)
    status       TEXT     -- held | postponed | cancelled | merged
    start_day, end_day TEXT NULL   -- yyyy-mm-dd: actual dates, or new expected dates
    reason       TEXT     -- '' when none
    author       TEXT     -- who recorded it
    recorded_at  TEXT     -- when (UTC, ISO 8601, to the second)
    source       TEXT     -- where it came from, e.g. ``import:actuals.csv``, ``browser``

Every entry is kept: triggers refuse ``UPDATE`` and ``DELETE``, so a correction is a new entry
and the one in force per ``(org_id, kind)`` is the newest (:func:`current`).
"""

from __future__ import annotations

import datetime as dt
import functools
import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path

from planner.plan.actuals import Actual
from planner.store.db import Store, now_iso

_COLUMNS = "id, org_id, kind, status, start_day, end_day, reason, author, recorded_at"


@functools.lru_cache(maxsize=4096)
def _day(text: str | None) -> dt.date | None:
    """A stored ISO day (a campaign has a few hundred distinct ones: parsed once each)."""
    return None if not text else dt.date.fromisoformat(text)


def _entry(row: sqlite3.Row) -> Actual:
    """An entry from a row of :data:`_COLUMNS`, read by position (30,000 rows for
    ``planner progress --store``: issue 21, ≤ 2 s)."""
    entry_id, org_id, kind, status, start, end, reason, author, recorded_at = row
    return Actual(
        org_id=org_id,
        kind=kind,
        status=status,
        start=_day(start),
        end=_day(end),
        reason=reason,
        author=author,
        recorded_at=recorded_at,
        entry_id=int(entry_id),
    )


def record(
    store: Store, scenario: str, entries: Sequence[Actual], author: str, source: str = ""
) -> int:
    """Append the entries (all in one transaction: all or none), each with ``author`` and the
    same time; returns how many were recorded."""
    recorded_at = now_iso()
    rows = [
        (
            scenario,
            e.org_id,
            e.kind,
            e.status,
            None if e.start is None else e.start.isoformat(),
            None if e.end is None else e.end.isoformat(),
            e.reason,
            author,
            recorded_at,
            source,
        )
        for e in entries
    ]
    with store.write() as conn:
        conn.executemany(
            "INSERT INTO actuals (scenario, org_id, kind, status, start_day, end_day, reason,"
            " author, recorded_at, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    return len(rows)


def current(store: Store, scenario: str) -> dict[tuple[str, str], Actual]:
    """The entry in force per ``(org_id, kind)``: the newest one recorded."""
    with store.read() as conn:
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM actuals WHERE id IN (SELECT max(id) FROM actuals"
            " WHERE scenario = ? GROUP BY org_id, kind) ORDER BY id",
            (scenario,),
        ).fetchall()
    return {(a.org_id, a.kind): a for a in map(_entry, rows)}


def history_of(store: Store, scenario: str, org_id: str) -> list[Actual]:
    """Every entry about one unit (all kinds), oldest first: its history, corrections included."""
    with store.read() as conn:
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM actuals WHERE scenario = ? AND org_id = ? ORDER BY id",
            (scenario, org_id),
        ).fetchall()
    return [_entry(r) for r in rows]


def history(store: Store, scenario: str, limit: int | None = None) -> list[Actual]:
    """Every entry of a document, oldest first (the newest ``limit`` when given)."""
    with store.read() as conn:
        if limit is None:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM actuals WHERE scenario = ? ORDER BY id", (scenario,)
            ).fetchall()
        else:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM actuals WHERE scenario = ? ORDER BY id DESC LIMIT ?",
                (scenario, limit),
            ).fetchall()[::-1]
    return [_entry(r) for r in rows]


def copy_from_file(store: Store, path: Path, renamed: Mapping[str, str]) -> int:
    """Bring back the entries of a kept-aside database file (read only) for the documents
    restored from it (``renamed``: old name → new name), in their order, each with its own
    author and time; returns how many (none when the file holds no readable table)."""
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        try:
            rows = source.execute(
                "SELECT scenario, org_id, kind, status, start_day, end_day, reason, author,"
                " recorded_at, source FROM actuals ORDER BY id"
            ).fetchall()
        finally:
            source.close()
    except sqlite3.Error:
        return 0
    kept = [(renamed[r[0]], *r[1:]) for r in rows if r[0] in renamed]
    with store.write() as conn:
        conn.executemany(
            "INSERT INTO actuals (scenario, org_id, kind, status, start_day, end_day, reason,"
            " author, recorded_at, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            kept,
        )
    return len(kept)
