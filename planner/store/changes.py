"""Changes between two scenario contents, in words: each key's label, old → new, and who.

Every place that shows a change (the conflict box, the saved-version message, the changes in
force, History, Compare) writes it through :func:`line`, so a planner reads
"Tối đa đại hội mỗi ngày, toàn quốc (Đảng bộ trực thuộc Trung ương): 5 → 4 (Trần Thị Bình)",
never ``levels.central.daily_capacity=4``. The labels come from the scenario schema
(:data:`planner.scenario.schema.LABELS`), level names from the eras' data and family names from
the family catalogue. Pure functions, no Streamlit.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from planner.errors import PlannerError
from planner.scenario.reader import apply_set
from planner.scenario.schema import BY_KEY, label, pattern_of
from planner.store.scenarios import changed_keys, set_key

BASE_FILE = "(base)"  # the key of a change of the base file itself


class _Missing:
    """A key the scenario does not set: the default applies."""


MISSING = _Missing()


@dataclass(frozen=True)
class Content:
    """A scenario's content: its base file and the changes on top."""

    base_text: str
    base_name: str
    sets: tuple[str, ...]

    @classmethod
    def of(cls, base_text: str, base_name: str, sets: Sequence[str]) -> Content:
        """A content from its three parts."""
        return cls(base_text, base_name, tuple(sets))


@dataclass(frozen=True)
class Change:
    """One key's change: the value before and after (MISSING: the default), and who made it."""

    key: str
    old: Any
    new: Any
    who: str | None = None


def _raw(content: Content) -> dict[str, Any]:
    try:
        raw = tomllib.loads(content.base_text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return {}
    for item in content.sets:
        try:
            apply_set(raw, item)
        except PlannerError:
            continue
    return raw


def _lookup(raw: dict[str, Any], key: str) -> Any:
    node: Any = raw
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return MISSING
        node = node[part]
    return node


def diff(before: Content, after: Content, who: dict[str, str] | None = None) -> list[Change]:
    """Every key whose value differs from ``before`` to ``after`` (a new base file first), with
    who changed it when ``who`` names them."""
    who = who or {}
    out: list[Change] = []
    if before.base_text != after.base_text:
        out.append(Change(BASE_FILE, before.base_name, after.base_name, who.get(BASE_FILE)))
    keys = changed_keys(before.sets, after.sets)
    old_raw, new_raw = _raw(before), _raw(after)
    for key in sorted(keys):
        old, new = _lookup(old_raw, key), _lookup(new_raw, key)
        if old != new:
            out.append(Change(key, old, new, who.get(key)))
    return out


def in_force(content: Content, who: dict[str, str] | None = None) -> list[Change]:
    """The changes a content makes to its base file (the "changes in force")."""
    base = Content(content.base_text, content.base_name, ())
    keys = {set_key(s) for s in content.sets}
    return [c for c in diff(base, content, who) if c.key in keys]


# ---------------------------------------------------------------------------------------------
# in words
# ---------------------------------------------------------------------------------------------

_WORDS = {
    "default": ("mặc định", "default"),
    "true": ("có", "yes"),
    "false": ("không", "no"),
    "none": ("không", "nothing"),
    "base": ("Tệp gốc", "Base file"),
    "all": ("tất cả", "all"),
}


def _word(name: str, lang: str) -> str:
    vi, en = _WORDS[name]
    return en if lang == "en" else vi


def key_label(key: str, lang: str) -> str:
    """A key's label with its level or family named, e.g. "Số ngày đại hội (Cơ sở)"."""
    from planner.rules.families import family_name
    from planner.tree.names import level_label

    if key == BASE_FILE:
        return _word("base", lang)
    if pattern_of(key) not in BY_KEY:  # not a scenario key (a change that no longer validates)
        return key
    vi, en = label(key)
    text = en if lang == "en" else vi
    parts = key.split(".")
    pattern = pattern_of(key)
    owner: tuple[str, str] | None = None
    try:
        if "<level>" in pattern:
            level = level_label(parts[2] if parts[0] == "pilots" else parts[1])
            owner = (level.vi, level.en)
        elif "<family>" in pattern:
            owner = family_name(parts[1])
    except (KeyError, LookupError, PlannerError):
        owner = (parts[1], parts[1])
    if owner is not None:
        text += f" ({owner[1] if lang == 'en' else owner[0]})"
    return text


def value_text(value: Any, lang: str, key: str = "") -> str:
    """A value as a planner writes it: dates dd/mm/yyyy, yes/no, lists with commas."""
    if value is MISSING:
        field = BY_KEY.get(pattern_of(key))
        if field is not None and field.default is not None:
            return value_text(field.default, lang) + f" ({_word('default', lang)})"
        return _word("default", lang)
    if isinstance(value, bool):
        return _word("true" if value else "false", lang)
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, dict):
        named = value.get("id") or value.get("org")
        span = [value_text(value[k], lang) for k in ("start", "end") if k in value]
        inner = " – ".join(span)
        if named is not None:
            return f"{named} {inner}".strip()
        return ", ".join(f"{k} {value_text(v, lang)}" for k, v in value.items())
    if isinstance(value, list):
        if not value:
            return _word("none", lang)
        if len(value) == 2 and all(isinstance(v, dt.date) for v in value):
            return " – ".join(value_text(v, lang) for v in value)
        return ", ".join(value_text(v, lang) for v in value)
    if value == "all":
        return _word("all", lang)
    return str(value)


def line(change: Change, lang: str, who: bool = True) -> str:
    """One change in words: "label: old → new (who)"."""
    text = (
        f"{key_label(change.key, lang)}: {value_text(change.old, lang, change.key)} → "
        f"{value_text(change.new, lang, change.key)}"
    )
    if who and change.who:
        parts = change.who.split(" / ")  # a stored bilingual name (the guest)
        name = parts[-1] if lang == "en" else parts[0]
        text += f" ({name if len(parts) == 2 else change.who})"
    return text


def lines(changes: Sequence[Change], lang: str, who: bool = True) -> str:
    """Several changes in one sentence part, "; " between them ("không" when there are none)."""
    return "; ".join(line(c, lang, who) for c in changes) or _word("none", lang)
