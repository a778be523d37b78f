"""The working copy of one browser session: a version of a scenario document, and the edit on it.

A working copy names the document and the version it was opened at; its content is that
version's base scenario text plus the ``--set`` changes on top, so every edit is validated by the
same code as the CLI. An applied edit is saved as the next version at once; when it cannot be
(someone saved a newer version meanwhile, or the store is read-only or full), the copy keeps the
edit in the session, marked unsaved, until the user decides (see :mod:`planner.ui.session`).
"""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field

import tomli_w

from planner.errors import PlannerError
from planner.scenario.model import Scenario
from planner.scenario.reader import apply_set
from planner.store.recovery import read_scenario_text
from planner.store.scenarios import Version, changed_keys, content_key, set_key

MAX_UPLOAD_BYTES = 512 * 1024


def merge_sets(old: Sequence[str], new: Sequence[str]) -> list[str]:
    """Later changes of the same key replace earlier ones (keeps the list short and readable)."""
    keys = {set_key(s) for s in new}
    return [s for s in old if set_key(s) not in keys] + list(new)


@dataclass
class WorkingScenario:
    """A document's version, and the session's edit on top of it."""

    document: str
    version: int
    base_text: str
    base_name: str
    sets: list[str] = field(default_factory=list)
    saved: bool = True
    problem: str | None = None  # why the edit is not saved (one bilingual line)

    @classmethod
    def of(cls, version: Version) -> WorkingScenario:
        """A clean copy of a stored version."""
        return cls(
            version.scenario, version.number, version.base_text, version.base_name,
            list(version.sets),
        )  # fmt: skip

    @property
    def content_key(self) -> str:
        """Identifies the content (plans and diagnoses are stored by it)."""
        return content_key(self.base_text, self.sets)

    def scenario(self) -> Scenario:
        """The validated scenario (raises a bilingual error if it no longer validates)."""
        scenario: Scenario = read_scenario_text(self.base_text, self.base_name, self.sets)
        return scenario

    def changed(self, changes: Sequence[str]) -> list[str]:
        """The changes after ``changes`` are applied, validated; nothing is modified here."""
        merged = merge_sets(self.sets, changes)
        read_scenario_text(self.base_text, self.base_name, merged)
        return merged

    def hold(self, base_text: str, base_name: str, sets: Sequence[str], problem: str) -> None:
        """Keep an edit that could not be saved, with the reason."""
        self.base_text, self.base_name, self.sets = base_text, base_name, list(sets)
        self.saved, self.problem = False, problem

    def to_toml(self) -> str:
        """The working scenario as one TOML file (base with every change applied)."""
        raw = tomllib.loads(self.base_text)
        for item in self.sets:
            apply_set(raw, item)
        return tomli_w.dumps(copy.deepcopy(raw))


def read_upload(data: bytes, name: str) -> tuple[str, Scenario]:
    """An uploaded scenario file, validated (size, UTF-8, TOML, every rule); refused with the
    file name and the fix."""
    limit = MAX_UPLOAD_BYTES // 1024
    if len(data) > MAX_UPLOAD_BYTES:
        raise PlannerError(
            f"tệp quá lớn ({len(data) // 1024} KiB, tối đa {limit} KiB).",
            f"file too large ({len(data) // 1024} KiB, at most {limit} KiB).",
            file=name,
            hint_vi="Một kịch bản chỉ vài KiB: kiểm tra đã chọn đúng tệp.",
            hint_en="A scenario is a few KiB: check that this is the right file.",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PlannerError(
            "tệp không phải văn bản UTF-8.",
            "the file is not UTF-8 text.",
            file=name,
            hint_vi="Lưu lại tệp với mã hóa UTF-8.",
            hint_en="Save the file again as UTF-8.",
        ) from None
    scenario: Scenario = read_scenario_text(text, name)
    return text, scenario


def merge_edits(
    base: Version, mine: WorkingScenario, theirs: Version
) -> tuple[list[str] | None, set[str]]:
    """Both edits on top of ``base`` together: (the merged changes, the keys both changed).

    None when they cannot merge: both changed the same keys, or either replaced the base file
    (an upload or a reset).
    """
    if mine.base_text != base.base_text or theirs.base_text != base.base_text:
        return None, {"(base)"}
    ours = changed_keys(base.sets, mine.sets)
    both = ours & changed_keys(base.sets, theirs.sets)
    if both:
        return None, both
    mine_by_key = {set_key(s): s for s in mine.sets}
    merged = [s for s in theirs.sets if set_key(s) not in ours]
    merged += [mine_by_key[k] for k in sorted(ours) if k in mine_by_key]
    return merged, set()
