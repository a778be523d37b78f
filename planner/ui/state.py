"""The working scenario of the browser: a base scenario plus the user's changes, auto-saved.

Changes are kept as ``--set`` strings on top of a base (the built-in scenario or an uploaded
file), so every edit is validated by the same code as the CLI, can be undone one at a time, and
survives a refresh or a crash: the state is written to ``$PLANNER_HOME`` (default
``$XDG_DATA_HOME/planner`` or ``~/.local/share/planner``) after every change, never to the repo.
"""

from __future__ import annotations

import copy
import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from planner.errors import PlannerError
from planner.scenario import Scenario, apply_set, default_scenario_path, scenario_from_text

MAX_UPLOAD_BYTES = 512 * 1024
STATE_FILE = "working-scenario.json"


def user_data_dir() -> Path:
    """Where the working scenario is saved (outside the repository)."""
    if os.environ.get("PLANNER_HOME"):
        return Path(os.environ["PLANNER_HOME"])
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "planner"


@dataclass
class WorkingScenario:
    """A base scenario text, the changes on top of it, and the history for undo."""

    base_text: str
    base_name: str
    sets: list[str] = field(default_factory=list)
    history: list[tuple[str, str, list[str]]] = field(default_factory=list)

    @classmethod
    def builtin(cls) -> WorkingScenario:
        """The built-in 2020–2021 scenario with no changes."""
        path = default_scenario_path()
        return cls(path.read_text(encoding="utf-8"), path.name)

    def scenario(self) -> Scenario:
        """The validated scenario (raises a bilingual error if a change no longer fits)."""
        return scenario_from_text(self.base_text, self.base_name, self.sets)

    def apply(self, changes: list[str]) -> Scenario:
        """Validate and apply changes; on error nothing changes and the error is raised."""
        merged = _merge_sets(self.sets, changes)
        scenario = scenario_from_text(self.base_text, self.base_name, merged)
        self._remember()
        self.sets = merged
        return scenario

    def undo(self) -> bool:
        """Return to the state before the last change; False when there is nothing to undo."""
        if not self.history:
            return False
        self.base_text, self.base_name, sets = self.history.pop()
        self.sets = list(sets)
        return True

    def _remember(self) -> None:
        self.history.append((self.base_text, self.base_name, list(self.sets)))

    def reset(self) -> None:
        """Back to the built-in scenario (undoable)."""
        builtin = WorkingScenario.builtin()
        self._remember()
        self.base_text, self.base_name, self.sets = builtin.base_text, builtin.base_name, []

    def upload(self, data: bytes, name: str) -> Scenario:
        """Replace the base by an uploaded TOML file, validated first; on error nothing changes."""
        limit = MAX_UPLOAD_BYTES // 1024
        if len(data) > MAX_UPLOAD_BYTES:
            raise PlannerError(
                f"tệp quá lớn ({len(data) // 1024} KiB, tối đa {limit} KiB).",
                f"file too large ({len(data) // 1024} KiB, at most {limit} KiB).",
                file=name,
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise PlannerError(
                "tệp không phải UTF-8.", "the file is not UTF-8 text.", file=name
            ) from None
        scenario = scenario_from_text(text, name)
        self._remember()
        self.base_text, self.base_name, self.sets = text, name, []
        return scenario

    def to_toml(self) -> str:
        """The working scenario as one TOML file (base with every change applied)."""
        raw = tomllib.loads(self.base_text)
        for item in self.sets:
            apply_set(raw, item)
        return tomli_w.dumps(copy.deepcopy(raw))

    # persistence --------------------------------------------------------------------------
    def save(self, folder: Path | None = None) -> Path:
        """Write the state atomically under the user data folder."""
        folder = folder or user_data_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / STATE_FILE
        payload: dict[str, Any] = {
            "base_text": self.base_text,
            "base_name": self.base_name,
            "sets": self.sets,
            "history": [list(h) for h in self.history[-20:]],
        }
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
        return path

    @classmethod
    def load(cls, folder: Path | None = None) -> WorkingScenario:
        """The saved state, or the built-in scenario when none (or a broken one) is saved."""
        path = (folder or user_data_dir()) / STATE_FILE
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
            state = cls(
                str(payload["base_text"]),
                str(payload["base_name"]),
                [str(s) for s in payload.get("sets", [])],
                [
                    (str(h[0]), str(h[1]), [str(s) for s in h[2]])
                    for h in payload.get("history", [])
                ],
            )
            state.scenario()
            return state
        except (OSError, ValueError, KeyError, TypeError, PlannerError):
            return cls.builtin()


def _merge_sets(old: list[str], new: list[str]) -> list[str]:
    """Later changes of the same key replace earlier ones (keeps the list short and readable)."""
    keys = {s.split("=", 1)[0].strip() for s in new}
    return [s for s in old if s.split("=", 1)[0].strip() not in keys] + list(new)
