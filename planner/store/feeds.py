"""Where each scenario document's iCal feeds live, and which plan they were last exported from.

Each document and scope has its own feed folder under ``$PLANNER_HOME/feeds/`` that every
export from the browser writes into, exactly as ``planner ical --out`` does: the exporter keeps
its manifest (each event's content and SEQUENCE) there, so SEQUENCE rises between two browser
exports as between two CLI exports into the same folder. The database only remembers, per
document and scope, the plan the folder was last exported from and the zip made of it, so a
visit, or a scope exported before, is served without exporting again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.store.db import Store, now_iso


@dataclass(frozen=True)
class Export:
    """The last export of a document's scope: its plan, its archive, what changed."""

    plan_id: int
    archive: str
    summary: dict[str, Any]
    exported_at: str


def path_names(scenario: str, scope: str) -> tuple[str, str]:
    """A document's and a scope's names in a path (no user text): the document's hash, the
    scope with every character but letters and digits as ``-``."""
    document = hashlib.sha256(scenario.encode("utf-8")).hexdigest()[:16]
    safe_scope = "".join(c if c.isalnum() else "-" for c in scope)
    return document, safe_scope


def folder(store: Store, scenario: str, scope: str) -> Path:
    """The feed folder of a document and scope (no user text in the path)."""
    document, safe_scope = path_names(scenario, scope)
    return store.folder / "feeds" / document / safe_scope


def last_export(store: Store, scenario: str, scope: str) -> Export | None:
    """What the folder of this document and scope was last exported from, if anything."""
    with store.read() as conn:
        row = conn.execute(
            "SELECT plan_id, archive, summary, exported_at FROM feed_exports"
            " WHERE scenario = ? AND scope = ?",
            (scenario, scope),
        ).fetchone()
    if row is None:
        return None
    try:
        summary = json.loads(row[2])
    except (ValueError, RecursionError):
        summary = {}
    return Export(int(row[0]), row[1], summary if isinstance(summary, dict) else {}, row[3])


def record_export(
    store: Store, scenario: str, scope: str, plan_id: int, archive: str, summary: dict[str, Any]
) -> str | None:
    """Remember an export; returns the archive it replaces (to be deleted), if any."""
    with store.write() as conn:
        row = conn.execute(
            "SELECT archive FROM feed_exports WHERE scenario = ? AND scope = ?", (scenario, scope)
        ).fetchone()
        conn.execute(
            "INSERT INTO feed_exports (scenario, scope, plan_id, archive, summary, exported_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (scenario, scope) DO UPDATE SET"
            " plan_id = excluded.plan_id, archive = excluded.archive,"
            " summary = excluded.summary, exported_at = excluded.exported_at",
            (scenario, scope, plan_id, archive, json.dumps(summary, ensure_ascii=False), now_iso()),
        )
    return None if row is None or row[0] == archive else str(row[0])
