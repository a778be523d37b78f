"""Where the versioned data files live (``data/`` at the project root, or ``$PLANNER_DATA``)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """The data folder: ``$PLANNER_DATA`` when set, else ``data/`` beside the package."""
    override = os.environ.get("PLANNER_DATA")
    return Path(override) if override else PROJECT_ROOT / "data"


def display_path(path: Path) -> str:
    """A path for messages: relative to the project when inside it, never a machine path."""
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return path.name
