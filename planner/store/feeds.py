"""The iCal manifest of each scenario document, and the feed archives already built.

The manifest (``manifest.json`` of :mod:`planner.export.ical`: each event's content hash and
SEQUENCE) is kept per document, so exporting from the browser raises SEQUENCE exactly as
exporting into the same folder from the CLI does. An archive is reused while the manifest has
not moved since it was built (same plan, same scope, same revision): rebuilding it would give
the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from planner.store.db import Store, now_iso


@dataclass(frozen=True)
class Manifest:
    """A document's manifest text ('' before the first export) and its revision."""

    scenario: str
    revision: int
    text: str


@dataclass(frozen=True)
class Build:
    """An archive of feeds built for one plan, scope and manifest revision."""

    file: str
    summary: dict[str, Any]


class StaleManifest(Exception):
    """Another export changed the manifest while this one was being built."""


def manifest(store: Store, scenario: str) -> Manifest:
    """The current manifest of a document."""
    with store.read() as conn:
        row = conn.execute(
            "SELECT revision, manifest FROM feed_manifests WHERE scenario = ?", (scenario,)
        ).fetchone()
    return Manifest(scenario, 0, "") if row is None else Manifest(scenario, int(row[0]), row[1])


def find_build(store: Store, scenario: str, plan_id: int, scope: str) -> Build | None:
    """The archive for this plan and scope, if it was built against the current manifest."""
    with store.read() as conn:
        row = conn.execute(
            "SELECT b.file, b.summary FROM feed_builds b JOIN feed_manifests m"
            " ON m.scenario = b.scenario AND m.revision = b.revision"
            " WHERE b.scenario = ? AND b.plan_id = ? AND b.scope = ?",
            (scenario, plan_id, scope),
        ).fetchone()
    if row is None:
        return None
    try:
        summary = json.loads(row[1])
    except (ValueError, RecursionError):
        return None
    return Build(row[0], summary if isinstance(summary, dict) else {})


def commit_export(
    store: Store,
    scenario: str,
    expected: int,
    manifest_text: str,
    plan_id: int,
    scope: str,
    file: str,
    summary: dict[str, Any],
) -> int:
    """Save the manifest an export produced and record its archive, in one transaction.

    Raises :class:`StaleManifest` when the manifest moved past ``expected`` meanwhile (the
    export must then be built again on the newer manifest). Returns the revision.
    """
    with store.write() as conn:
        row = conn.execute(
            "SELECT revision, manifest FROM feed_manifests WHERE scenario = ?", (scenario,)
        ).fetchone()
        revision, text = (0, "") if row is None else (int(row[0]), row[1])
        if revision != expected:
            raise StaleManifest(f"{scenario}: manifest revision {revision}, expected {expected}")
        if manifest_text != text:
            revision += 1
            conn.execute(
                "INSERT INTO feed_manifests (scenario, revision, manifest, updated_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (scenario) DO UPDATE SET"
                " revision = excluded.revision, manifest = excluded.manifest,"
                " updated_at = excluded.updated_at",
                (scenario, revision, manifest_text, now_iso()),
            )
        conn.execute(
            "INSERT OR REPLACE INTO feed_builds (scenario, plan_id, scope, revision, file,"
            " summary, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                scenario,
                plan_id,
                scope,
                revision,
                file,
                json.dumps(summary, ensure_ascii=False),
                now_iso(),
            ),
        )
        return revision


def stale_files(store: Store, scenario: str) -> list[str]:
    """Archives built against an older manifest (safe to delete), forgotten by this call."""
    with store.write() as conn:
        rows = conn.execute(
            "SELECT b.file FROM feed_builds b JOIN feed_manifests m ON m.scenario = b.scenario"
            " WHERE b.scenario = ? AND b.revision < m.revision",
            (scenario,),
        ).fetchall()
        conn.execute(
            "DELETE FROM feed_builds WHERE scenario = ? AND revision <"
            " (SELECT revision FROM feed_manifests WHERE scenario = ?)",
            (scenario, scenario),
        )
    return [r[0] for r in rows]
