"""The browser's one door to :func:`planner.export.ical.export_feeds`.

The feeds are exported into the document's own feed folder (see :mod:`planner.store.feeds`),
where the exporter keeps its manifest, then the folder is zipped for download. Whatever the
exporter writes there (feeds split into parts, an index, the manifest) ends up in the archive.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from planner.export.ical import export_feeds
from planner.hierarchy import OrgTree
from planner.scenario import Scenario


@dataclass(frozen=True)
class Archive:
    """A zip of the feed folder after an export, and what changed since the previous one."""

    data: bytes
    summary: dict[str, Any]


def build_archive(
    plan: pd.DataFrame, scenario: Scenario, tree: OrgTree, scope: str, folder: Path
) -> Archive:
    """Export ``plan`` for ``scope`` into ``folder`` (kept between exports) and zip it."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    result = export_feeds(plan, scenario, tree, folder, scope)
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
