"""The browser's one door to :func:`planner.export.ical.export_feeds`.

The feeds are written into a temporary folder seeded with the scenario document's manifest
(kept in the store), then zipped; the manifest the export leaves behind goes back to the store.
So SEQUENCE rises between two browser exports exactly as between two CLI exports into the same
folder. Whatever the exporter writes into its folder (feeds split into parts, an index, the
manifest) ends up in the archive.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from planner.export.ical import export_feeds
from planner.fsio import atomic_write_text
from planner.hierarchy import OrgTree
from planner.scenario import Scenario

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Archive:
    """A zip of feeds, the manifest after the export, and what changed."""

    data: bytes
    manifest: str
    summary: dict[str, Any]


def build_archive(
    plan: pd.DataFrame, scenario: Scenario, tree: OrgTree, scope: str, manifest: str
) -> Archive:
    """Export ``plan`` for ``scope`` on top of ``manifest`` ('' for a first export)."""
    with tempfile.TemporaryDirectory(prefix="planner-feeds-") as tmp:
        out = Path(tmp) / "feeds"
        out.mkdir()
        if manifest:
            atomic_write_text(out / MANIFEST, manifest)
        result = export_feeds(plan, scenario, tree, out, scope)
        written = (out / MANIFEST).read_text(encoding="utf-8")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(p for p in out.rglob("*") if p.is_file()):
                archive.write(path, str(path.relative_to(out)))
    summary = {
        "files": len(result.files),
        "events": result.events,
        "added": len(result.added),
        "removed": len(result.removed),
        "moved": len(result.moved),
        "changed": len(result.changed),
        "moves": [list(m) for m in result.moved[:50]],
        "changelog": result.changelog(),
    }
    return Archive(buffer.getvalue(), written, summary)
