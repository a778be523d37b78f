"""Bilingual labels for levels and rule families, read from ``data/names.toml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from planner.errors import DataFileError
from planner.files.paths import data_dir, display_path
from planner.files.tomlio import read_toml


@dataclass(frozen=True, slots=True)
class Label:
    """A name in Vietnamese and English."""

    vi: str
    en: str

    def both(self) -> str:
        """``Vietnamese / English``."""
        return f"{self.vi} / {self.en}"


@lru_cache(maxsize=2)
def _names(folder: str) -> dict[str, dict[str, dict[str, str]]]:
    from pathlib import Path

    path = Path(folder) / "names.toml"
    doc, _ = read_toml(path)
    out: dict[str, dict[str, dict[str, str]]] = {}
    for section in ("levels", "families"):
        table = doc.get(section)
        if not isinstance(table, dict):
            raise DataFileError(
                f"thiếu bảng [{section}].",
                f"missing [{section}] table.",
                file=display_path(path),
                field=section,
            )
        out[section] = table
    return out


def _label(section: str, key: str, prefix: str = "name") -> Label:
    if section == "levels":
        found = _era_label(key, prefix)
        if found is not None:
            return found
    return _label_in(str(data_dir()), section, key, prefix)


@lru_cache(maxsize=64)
def _era_label(level: str, prefix: str) -> Label | None:
    """A level's name from the eras' data (data/orgs/eras.toml), the one source of level names."""
    from planner.tree.eras import load_eras

    for era in load_eras().values():
        for entry in era.levels:
            if entry.id == level:
                return Label(
                    vi=str(getattr(entry, f"{prefix}_vi")), en=str(getattr(entry, f"{prefix}_en"))
                )
    return None


@lru_cache(maxsize=512)
def _label_in(folder: str, section: str, key: str, prefix: str) -> Label:
    table = _names(folder)[section]
    entry = table.get(key, {})
    vi = entry.get(f"{prefix}_vi", key)
    en = entry.get(f"{prefix}_en", key)
    return Label(vi=str(vi), en=str(en))


def level_label(level: str) -> Label:
    """The name of a level, e.g. ``Cấp trên cơ sở / District and equivalent``."""
    return _label("levels", level)


def congress_label(level: str) -> Label:
    """The name of a level's congress, e.g. ``Đại hội đảng bộ cơ sở``."""
    return _label("levels", level, "congress")


def level_short(level: str) -> Label:
    """The short form used in sentences: ``trực thuộc Trung ương`` / ``central-level``."""
    return _label("levels", level, "short")


def lv_vi(level: object) -> str:
    """Short Vietnamese level name for sentences (``Level`` or its id)."""
    return level_short(str(getattr(level, "value", level))).vi


def lv_en(level: object) -> str:
    """Short English level name for sentences (``Level`` or its id)."""
    return level_short(str(getattr(level, "value", level))).en


def family_label(family: str) -> Label:
    """The name of a rule family."""
    return _label("families", family)


def plural_en(count: float, singular: str, plural: str | None = None) -> str:
    """An English count with its noun in the right number: ``1 congress``, ``2 congresses``,
    ``1,234 units`` (Vietnamese nouns do not inflect, so there is no Vietnamese twin). The
    plural is ``plural`` when given, else the singular with ``es`` after s, x, ch, sh, else
    ``s``."""
    if plural is None:
        tail = "es" if singular.endswith(("s", "x", "ch", "sh")) else "s"
        plural = singular + tail
    text = f"{count:,}" if float(count).is_integer() else f"{count:,.1f}"
    return f"{text} {singular if abs(count) == 1 else plural}"
