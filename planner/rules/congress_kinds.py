"""Congress kinds (4, 3 or 2 contents) with their duration rules, and the units of each kind.

Read from ``data/kinds.toml``. Every kind's maximum length is the Directive's maximum for the
unit's level (``max_days = "directive"``); a 2-content congress (no elections: the upper level
appoints the committee and the delegates) may be shorter (Chỉ thị 45-CT/TW; Kết luận
163-KL/TW). Unit sets name the units that hold a kind, e.g. the 23 provincial committees merged
on 1/7/2025 (``merged-provinces-2025``), resolved to org ids of an era's tree by
:func:`unit_ids`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from planner.errors import DataFileError, UnknownIdError
from planner.files.paths import data_dir, display_path
from planner.files.tomlio import line_of, read_toml
from planner.rules.catalogue import RuleSet
from planner.sources import LegalSource
from planner.tree.eras import TIERS
from planner.tree.hierarchy import OrgTree


@dataclass(frozen=True, slots=True)
class CongressKind:
    """A kind of congress: its contents and how long it may and should last."""

    id: str
    name_vi: str
    name_en: str
    contents: tuple[str, ...]
    shorter_allowed: bool
    default_days: Mapping[str, int]
    status: str
    days_status: str
    source: LegalSource
    note: str | None = None

    def max_days(self, directive: RuleSet, level: str) -> int:
        """The longest congress of this kind at ``level``: the Directive's ``duration`` rule."""
        rule = directive.first("duration", level=level)
        if rule is not None:
            return int(rule.param("max_days"))
        raise UnknownIdError(
            f"{directive.id} không có quy tắc thời gian đại hội cho cấp '{level}'.",
            f"{directive.id} has no duration rule for level '{level}'.",
            field="level",
        )

    def days(self, tier: str, directive: RuleSet, level: str) -> int:
        """The planning default for a tier, never above the Directive's maximum."""
        return min(self.default_days.get(tier, 1), self.max_days(directive, level))


@dataclass(frozen=True, slots=True)
class UnitSet:
    """Units that hold one kind of congress, by province code (e.g. the merged provinces)."""

    id: str
    kind: str
    name_vi: str
    name_en: str
    status: str
    members: tuple[Mapping[str, Any], ...]
    source: LegalSource
    note: str | None = None

    def province_codes(self) -> tuple[int, ...]:
        """The province codes of the set's members, in file order."""
        return tuple(int(m["code"]) for m in self.members)


@dataclass(frozen=True, slots=True)
class KindsData:
    """The contents, the kinds and the unit sets of ``data/kinds.toml``."""

    contents: Mapping[str, tuple[str, str]]
    kinds: Mapping[str, CongressKind]
    unit_sets: Mapping[str, UnitSet]

    def kind(self, kind_id: str) -> CongressKind:
        """One kind by id; a bilingual error listing the kinds otherwise."""
        if kind_id not in self.kinds:
            raise UnknownIdError(
                f"không có loại đại hội '{kind_id}'; có: {', '.join(self.kinds)}.",
                f"no congress kind '{kind_id}'; available: {', '.join(self.kinds)}.",
                field="kind",
            )
        return self.kinds[kind_id]

    def unit_set(self, set_id: str) -> UnitSet:
        """One unit set by id; a bilingual error listing the sets otherwise."""
        if set_id not in self.unit_sets:
            raise UnknownIdError(
                f"không có nhóm đơn vị '{set_id}'; có: {', '.join(self.unit_sets)}.",
                f"no unit set '{set_id}'; available: {', '.join(self.unit_sets)}.",
                field="unit_set",
            )
        return self.unit_sets[set_id]


def _error(path: Path, text: str, needle: str, field: str, vi: str, en: str) -> DataFileError:
    return DataFileError(vi, en, file=display_path(path), line=line_of(text, needle), field=field)


def _source(raw: Mapping[str, Any], path: Path, text: str, where: str) -> LegalSource:
    src = raw.get("source")
    if not isinstance(src, dict) or not str(src.get("document", "")).strip():
        raise _error(
            path,
            text,
            f'id = "{raw.get("id")}"',
            f"{where}.source",
            "thiếu bảng 'source' với 'document'.",
            "missing 'source' table with a 'document'.",
        )
    return LegalSource(document=str(src["document"]), url=src.get("url"))


def _kind(
    raw: Mapping[str, Any], contents: Mapping[str, Any], path: Path, text: str
) -> CongressKind:
    kind_id = str(raw.get("id", ""))
    where = f"kinds.{kind_id}"
    unknown = [c for c in raw.get("contents", []) if c not in contents]
    if not raw.get("contents") or unknown:
        raise _error(
            path,
            text,
            f'id = "{kind_id}"',
            f"{where}.contents",
            f"nội dung không có trong [[contents]]: {', '.join(unknown) or '(trống)'}.",
            f"contents not declared in [[contents]]: {', '.join(unknown) or '(empty)'}.",
        )
    if raw.get("max_days") != "directive":
        raise _error(
            path,
            text,
            f'id = "{kind_id}"',
            f"{where}.max_days",
            'max_days phải là "directive" (mức tối đa của Chỉ thị cho cấp đó).',
            'max_days must be "directive" (the Directive\'s maximum for the level).',
        )
    days = raw.get("default_days", {})
    bad = [t for t, v in days.items() if t not in TIERS or not isinstance(v, int) or v < 1]
    if bad:
        raise _error(
            path,
            text,
            f'id = "{kind_id}"',
            f"{where}.default_days",
            f"default_days sai ở: {', '.join(bad)} (bậc hợp lệ: {', '.join(TIERS)}; số ngày ≥ 1).",
            f"default_days is wrong at: {', '.join(bad)} (valid tiers: {', '.join(TIERS)}; "
            "days ≥ 1).",
        )
    return CongressKind(
        id=kind_id,
        name_vi=str(raw["name_vi"]),
        name_en=str(raw["name_en"]),
        contents=tuple(raw["contents"]),
        shorter_allowed=bool(raw.get("shorter_allowed", False)),
        default_days=MappingProxyType(dict(days)),
        status=str(raw.get("status", "verified")),
        days_status=str(raw.get("days_status", "belief")),
        source=_source(raw, path, text, where),
        note=raw.get("note"),
    )


@lru_cache(maxsize=4)
def _load(path_text: str) -> KindsData:
    path = Path(path_text)
    doc, text = read_toml(path)
    contents = {
        str(c["id"]): (str(c["name_vi"]), str(c["name_en"])) for c in doc.get("contents", [])
    }
    kinds = {k.id: k for k in (_kind(raw, contents, path, text) for raw in doc.get("kinds", []))}
    sets: dict[str, UnitSet] = {}
    for raw in doc.get("unit_sets", []):
        set_id = str(raw.get("id", ""))
        if raw.get("kind") not in kinds:
            raise _error(
                path,
                text,
                f'id = "{set_id}"',
                f"unit_sets.{set_id}.kind",
                f"loại đại hội '{raw.get('kind')}' không có trong [[kinds]].",
                f"congress kind '{raw.get('kind')}' is not in [[kinds]].",
            )
        members = raw.get("members", [])
        if not members or any(not isinstance(m.get("code"), int) for m in members):
            raise _error(
                path,
                text,
                f'id = "{set_id}"',
                f"unit_sets.{set_id}.members",
                "mỗi thành viên cần 'code' là số nguyên (mã tỉnh).",
                "every member needs an integer 'code' (a province code).",
            )
        sets[set_id] = UnitSet(
            id=set_id,
            kind=str(raw["kind"]),
            name_vi=str(raw["name_vi"]),
            name_en=str(raw["name_en"]),
            status=str(raw.get("status", "verified")),
            members=tuple(MappingProxyType(dict(m)) for m in members),
            source=_source(raw, path, text, f"unit_sets.{set_id}"),
            note=raw.get("note"),
        )
    return KindsData(
        contents=MappingProxyType(contents),
        kinds=MappingProxyType(kinds),
        unit_sets=MappingProxyType(sets),
    )


def load_kinds(folder: Path | None = None) -> KindsData:
    """The kinds and unit sets of ``data/kinds.toml`` (or ``folder``/kinds.toml)."""
    return _load(str((folder or data_dir()) / "kinds.toml"))


def unit_ids(unit_set: UnitSet, tree: OrgTree) -> tuple[str, ...]:
    """The org ids of a unit set's members in ``tree``: the central-level committee of each
    member province; a bilingual error naming any code the tree does not have."""
    by_code = {
        u.province_code: u.org_id
        for u in tree
        if u.level.tier == "central" and u.kind == "province"
    }
    missing = [c for c in unit_set.province_codes() if c not in by_code]
    if missing:
        raise UnknownIdError(
            f"cây thời kỳ {tree.era} không có tỉnh mã {', '.join(map(str, missing))} "
            f"của nhóm {unit_set.id}.",
            f"the era {tree.era} tree has no province code {', '.join(map(str, missing))} "
            f"of set {unit_set.id}.",
            field="unit_set",
        )
    return tuple(by_code[c] for c in unit_set.province_codes())


def kind_of(
    kind_sets: Sequence[str],
    kind_units: Mapping[str, str],
    org_id: str,
    central: bool,
    province_code: int | None,
) -> CongressKind | None:
    """The kind of congress a unit holds under a scenario's ``[kinds]`` (as the problem builds
    it): the kind of a unit set its province belongs to (central-level committees), or the
    scenario's own choice for the unit, else the normal kind; None when the scenario names no
    kinds (the cycles before 2025)."""
    if not kind_sets and not kind_units:
        return None
    kinds = load_kinds()
    chosen = "normal"
    if central and province_code is not None:
        for name in kind_sets:
            found = kinds.unit_set(name)
            if province_code in found.province_codes():
                chosen = found.kind
    chosen = kind_units.get(org_id, chosen)
    return kinds.kind(chosen)
