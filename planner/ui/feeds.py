"""The browser's one door to :func:`planner.export.ical.export_feeds`.

The feeds are exported into the document's own feed folder (see :mod:`planner.store.feeds`),
where the exporter keeps its manifest, then the folder is zipped for download. Whatever the
exporter writes there (feeds split into parts, an index, the manifest) ends up in the archive.

The figures reported are those of the feeds offered: the exporter's manifest follows every
event of the plan (so SEQUENCE rises the same way whatever the scope), but a province's feed
holds only its own events, so the counts are read back from the files written (and, for the
events removed, from the files of the previous export).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from planner.export.ical import export_feeds
from planner.scenario.model import Scenario
from planner.tree.hierarchy import OrgTree


@dataclass(frozen=True)
class Archive:
    """A zip of the feed folder after an export, and what changed since the previous one."""

    data: bytes
    summary: dict[str, Any]


def feed_uids(paths: Iterable[Path]) -> set[str]:
    """The UIDs of the events (``VEVENT``) in iCalendar files, lines unfolded (RFC 5545)."""
    found: set[str] = set()
    for path in paths:
        text = path.read_bytes().decode("utf-8", errors="replace")
        inside = False
        for line in text.replace("\r\n ", "").replace("\r\n\t", "").splitlines():
            if line == "BEGIN:VEVENT":
                inside = True
            elif line == "END:VEVENT":
                inside = False
            elif inside and line.startswith("UID:"):
                found.add(line[4:])
    return found


def build_archive(
    plan: pd.DataFrame, scenario: Scenario, tree: OrgTree, scope: str, folder: Path
) -> Archive:
    """Export ``plan`` for ``scope`` into ``folder`` (kept between exports) and zip it; the
    summary counts the events of the feeds offered (the scope's), not of the whole plan."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    before = feed_uids(sorted(folder.rglob("*.ics"))) if folder.is_dir() else set()
    result = export_feeds(plan, scenario, tree, folder, scope)
    offered = feed_uids(folder / name for name in result.files)
    result = replace(
        result,
        events=len(offered),
        added=[u for u in result.added if u in offered],
        removed=[u for u in result.removed if u in before],
        moved=[m for m in result.moved if m[0] in offered],
        changed=[u for u in result.changed if u in offered],
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            archive.write(path, str(path.relative_to(folder)))
    summary = {
        "files": len(result.files),
        "events": result.events,
        "added": len(result.added),
        "removed": len(result.removed),
        "moved": len(result.moved),
        "changed": len(result.changed),
        "changelog": result.changelog(),
    }
    return Archive(buffer.getvalue(), summary)
