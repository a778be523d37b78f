"""Eras of the party organisation: each era's levels, their depth and the congress above them.

Read from ``data/orgs/eras.toml``. The 2020 era has the levels national, central, district and
grassroots; the 2025 era has no district level (the commune-level committees hold the rung
directly above grassroots, Chỉ thị 45-CT/TW; CYCLES §2.2). Code reasons about rungs through a
level's depth and ``tier`` (the Party Charter's rung), never about a level called district
(:mod:`planner.tree.levels`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from planner.errors import DataFileError, UnknownIdError
from planner.files.paths import data_dir, display_path
from planner.files.tomlio import line_of, read_toml
from planner.sources import LegalSource

TIERS = ("national", "central", "upper_grassroots", "grassroots", "cell")
TREES = ("hierarchy", "units")


@dataclass(frozen=True, slots=True)
class EraLevel:
    """One level of an era: id, Charter tier, depth (0 = national) and bilingual names."""

    id: str
    tier: str
    depth: int
    name_vi: str
    name_en: str
    congress_vi: str
    congress_en: str
    delegates_to: str | None = None
    short_vi: str = ""  # in sentences: "trên cơ sở" / "district-level"
    short_en: str = ""


@dataclass(frozen=True, slots=True)
class Era:
    """The shape of the organisation tree for a span of time."""

    id: str
    name_vi: str
    name_en: str
    valid_from: dt.date
    valid_to: dt.date | None
    tree: str
    levels: tuple[EraLevel, ...]
    status: str
    folder: str | None = None
    same_tree_as: str | None = None
    note: str | None = None
    source: LegalSource | None = None

    def level(self, level_id: str) -> EraLevel:
        """The level with this id; a bilingual error listing the era's levels otherwise."""
        for level in self.levels:
            if level.id == level_id:
                return level
        known = ", ".join(lv.id for lv in self.levels)
        raise UnknownIdError(
            f"thời kỳ {self.id} không có cấp '{level_id}'; có: {known}.",
            f"era {self.id} has no level '{level_id}'; its levels: {known}.",
            field="level",
        )

    def by_tier(self, tier: str) -> EraLevel | None:
        """The level on a Charter tier, or None when the era has none there."""
        return next((lv for lv in self.levels if lv.tier == tier), None)

    def level_ids(self) -> tuple[str, ...]:
        """Level ids from the top (national) down."""
        return tuple(lv.id for lv in sorted(self.levels, key=lambda lv: lv.depth))

    def covers(self, day: dt.date) -> bool:
        """True when the era's tree is the one in effect on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def _fail(path: Path, text: str, needle: str | None, field: str, vi: str, en: str) -> DataFileError:
    return DataFileError(
        vi,
        en,
        file=display_path(path),
        line=line_of(text, needle) if needle else None,
        field=field,
    )


def _str(raw: Mapping[str, Any], key: str, path: Path, text: str, where: str) -> str:
    value = raw.get(key)
    if isinstance(value, str) and value.strip():
        return value
    raise _fail(
        path,
        text,
        f'id = "{raw.get("id")}"' if raw.get("id") else None,
        f"{where}.{key}",
        f"thiếu khóa '{key}' hoặc không phải chuỗi văn bản.",
        f"key '{key}' is missing or not a non-empty string.",
    )


def _levels(raw: Any, era_id: str, path: Path, text: str) -> tuple[EraLevel, ...]:
    where = f"eras.{era_id}.levels"
    if not isinstance(raw, list) or not raw:
        raise _fail(
            path,
            text,
            f'id = "{era_id}"',
            where,
            "thời kỳ cần ít nhất một [[eras.levels]] (hoặc same_tree_as).",
            "an era needs [[eras.levels]] entries (or same_tree_as).",
        )
    levels: list[EraLevel] = []
    for item in raw:
        level_id = _str(item, "id", path, text, where)
        tier, depth = item.get("tier"), item.get("depth")
        if tier not in TIERS:
            raise _fail(
                path,
                text,
                f"tier = {tier!r}".replace("'", '"'),
                f"{where}.{level_id}.tier",
                f"bậc '{tier}' không hợp lệ; dùng một trong: {', '.join(TIERS)}.",
                f"tier '{tier}' is invalid; use one of: {', '.join(TIERS)}.",
            )
        if not isinstance(depth, int) or isinstance(depth, bool) or depth < 0:
            raise _fail(
                path,
                text,
                f'id = "{level_id}"',
                f"{where}.{level_id}.depth",
                "'depth' phải là số nguyên ≥ 0 (0 = toàn quốc).",
                "'depth' must be an integer ≥ 0 (0 = national).",
            )
        levels.append(
            EraLevel(
                id=level_id,
                tier=str(tier),
                depth=depth,
                name_vi=_str(item, "name_vi", path, text, f"{where}.{level_id}"),
                name_en=_str(item, "name_en", path, text, f"{where}.{level_id}"),
                congress_vi=_str(item, "congress_vi", path, text, f"{where}.{level_id}"),
                congress_en=_str(item, "congress_en", path, text, f"{where}.{level_id}"),
                delegates_to=item.get("delegates_to"),
                short_vi=_str(item, "short_vi", path, text, f"{where}.{level_id}"),
                short_en=_str(item, "short_en", path, text, f"{where}.{level_id}"),
            )
        )
    _check_shape(levels, era_id, path, text)
    return tuple(levels)


def _check_shape(levels: list[EraLevel], era_id: str, path: Path, text: str) -> None:
    """Ids unique, depths 0…n−1 once each, each level sends delegates to the one above it."""
    where = f"eras.{era_id}.levels"
    by_id = {lv.id: lv for lv in levels}
    depths = sorted(lv.depth for lv in levels)
    if len(by_id) != len(levels) or depths != list(range(len(levels))):
        raise _fail(
            path,
            text,
            f'id = "{era_id}"',
            where,
            "id cấp phải khác nhau và 'depth' phải là 0, 1, 2, … mỗi giá trị một lần.",
            "level ids must be unique and depths must be 0, 1, 2, … each once.",
        )
    for level in levels:
        if level.depth == 0:
            if level.delegates_to is not None:
                raise _fail(
                    path,
                    text,
                    f'id = "{level.id}"',
                    f"{where}.{level.id}.delegates_to",
                    "cấp cao nhất không bầu đại biểu lên cấp nào.",
                    "the top level sends delegates to no congress.",
                )
            continue
        above = by_id.get(level.delegates_to or "")
        if above is None or above.depth != level.depth - 1:
            raise _fail(
                path,
                text,
                f'id = "{level.id}"',
                f"{where}.{level.id}.delegates_to",
                f"cấp '{level.id}' phải bầu đại biểu lên cấp ngay trên nó "
                f"(depth {level.depth - 1}).",
                f"level '{level.id}' must send delegates to the level right above it "
                f"(depth {level.depth - 1}).",
            )


@lru_cache(maxsize=4)
def _load(path_text: str) -> dict[str, Era]:
    path = Path(path_text)
    doc, text = read_toml(path)
    raw_eras = doc.get("eras")
    if not isinstance(raw_eras, list) or not raw_eras:
        raise _fail(path, text, None, "eras", "không có mục [[eras]] nào.", "no [[eras]] entries.")
    eras: dict[str, Era] = {}
    pending: list[tuple[dict[str, Any], str]] = []
    for raw in raw_eras:
        era_id = _str(raw, "id", path, text, "eras")
        if any(era_id == p[1] for p in pending):
            raise _fail(
                path,
                text,
                f'id = "{era_id}"',
                f"eras.{era_id}",
                f"thời kỳ '{era_id}' bị trùng.",
                f"duplicate era '{era_id}'.",
            )
        pending.append((raw, era_id))
    # Eras with their own levels first, then those that reuse another era's tree.
    for raw, era_id in sorted(pending, key=lambda p: "same_tree_as" in p[0]):
        same = raw.get("same_tree_as")
        if same is not None and same not in eras:
            raise _fail(
                path,
                text,
                f'same_tree_as = "{same}"',
                f"eras.{era_id}.same_tree_as",
                f"same_tree_as = '{same}' không phải thời kỳ có cây riêng.",
                f"same_tree_as = '{same}' is not an era with its own tree.",
            )
        donor = eras[same] if same is not None else None
        tree = donor.tree if donor else str(raw.get("tree"))
        if tree not in TREES:
            raise _fail(
                path,
                text,
                f'id = "{era_id}"',
                f"eras.{era_id}.tree",
                f"tree = '{tree}' không hợp lệ; dùng một trong: {', '.join(TREES)}.",
                f"tree = '{tree}' is invalid; use one of: {', '.join(TREES)}.",
            )
        valid_from, valid_to = raw.get("valid_from"), raw.get("valid_to")
        if not isinstance(valid_from, dt.date) or (
            valid_to is not None and (not isinstance(valid_to, dt.date) or valid_to < valid_from)
        ):
            raise _fail(
                path,
                text,
                f'id = "{era_id}"',
                f"eras.{era_id}.valid_from",
                "valid_from phải là ngày, valid_to (nếu có) là ngày không sớm hơn.",
                "valid_from must be a date, and valid_to (if any) a date not before it.",
            )
        src = raw.get("source")
        eras[era_id] = Era(
            id=era_id,
            name_vi=_str(raw, "name_vi", path, text, f"eras.{era_id}"),
            name_en=_str(raw, "name_en", path, text, f"eras.{era_id}"),
            valid_from=valid_from,
            valid_to=valid_to,
            tree=tree,
            levels=donor.levels if donor else _levels(raw.get("levels"), era_id, path, text),
            status=str(raw.get("status", "verified")),
            folder=donor.folder if donor else raw.get("folder"),
            same_tree_as=same,
            note=raw.get("note"),
            source=LegalSource(document=str(src.get("document", "")), url=src.get("url"))
            if isinstance(src, dict)
            else None,
        )
    return {era_id: eras[era_id] for _, era_id in pending}


def load_eras(folder: Path | None = None) -> dict[str, Era]:
    """Every era of ``data/orgs/eras.toml`` (or ``folder``/eras.toml), in file order."""
    return _load(str((folder or data_dir() / "orgs") / "eras.toml"))


def era(era_id: str, folder: Path | None = None) -> Era:
    """One era by id (``2015``, ``2020``, ``2025``)."""
    eras = load_eras(folder)
    if era_id not in eras:
        raise UnknownIdError(
            f"không có thời kỳ '{era_id}'; có: {', '.join(eras)}.",
            f"no era '{era_id}'; available: {', '.join(eras)}.",
            field="era",
        )
    return eras[era_id]


def era_on(day: dt.date, folder: Path | None = None) -> Era:
    """The era whose tree is in effect on ``day``."""
    for candidate in load_eras(folder).values():
        if candidate.covers(day):
            return candidate
    raise UnknownIdError(
        f"không có thời kỳ nào bao ngày {day.isoformat()}.",
        f"no era covers {day.isoformat()}.",
        field="era",
    )
