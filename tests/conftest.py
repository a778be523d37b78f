"""Shared fixtures: the repository's data folder and helpers to write broken copies of it."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"


@pytest.fixture
def raw_rules() -> dict[str, dict[str, Any]]:
    """The rule files parsed with tomllib only (independent of planner.rules)."""
    return {
        path.stem: tomllib.loads(path.read_text(encoding="utf-8"))
        for path in sorted((DATA / "rules").glob("*.toml"))
    }
