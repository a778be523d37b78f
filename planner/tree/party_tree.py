"""The party organisation tree of any era (``data/orgs/eras.toml``), with any number of levels.

Era ``2020`` (and ``2015``, which reuses it) is today's :func:`planner.tree.hierarchy.build_tree`,
converted unit for unit (same ids). Era ``2025`` is built from ``data/orgs/2025/``: the 34
provinces and cities and the 3,321 communes, wards and special zones of ``units.csv`` (official
statistics-office codes, generated from ``vietnam-provinces`` 2026.9.0), the six committees
directly under the Central Committee that are not provinces, and synthetic units for what no
source lists (flagged ``synthetic``), calibrated to the counts in ``structure.toml``.

Ids in the 2025 tree: ``vn`` (national), ``p01`` … ``p96`` (provinces, the new official code),
``c-army``, ``c-police``, ``c-party-agencies``, ``c-government``, ``c-national-assembly``,
``c-fatherland-front``; ``x00004`` (commune-level unit with official code 4, Phường Ba Đình),
``p01-party-agencies`` / ``p01-people-committee`` / ``p01-military`` / ``p01-police`` (a
province's other committees), ``p01-x01`` (extra synthetic committees up to a sourced total),
``c-army-01`` (a central committee's subordinate), ``x00004-g001`` (grassroots).

:meth:`PartyTree.to_org_tree` gives the :class:`planner.tree.hierarchy.OrgTree` the planner works
on,
with the era's own level ids (``commune`` in 2025: there is no district level).
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from planner.errors import DataFileError
from planner.files.csvio import csv_rows
from planner.files.paths import data_dir, display_path
from planner.files.tomlio import line_of, read_toml
from planner.tree.eras import Era, era
from planner.tree.hierarchy import _PROVINCE_TYPE, Org, OrgTree, _share_out, _short_name, build_tree
from planner.tree.levels import Level

UNIT_COLUMNS = ("code", "level", "name", "division_type", "province_code", "merged_from")
_COMMUNE_TYPE = {
    "xã": ("xã", "Commune"),
    "phường": ("phường", "Ward"),
    "đặc khu": ("đặc khu", "Special Zone"),
}


@dataclass(frozen=True, slots=True)
class Unit:
    """A party organisation that holds a congress; ``level`` is an id of the tree's era."""

    org_id: str
    name_vi: str
    name_en: str
    level: str
    parent_id: str | None
    kind: str
    synthetic: bool = False
    province_code: int | None = None
    admin_code: int | None = None


class PartyTree:
    """An era's tree: children, subtree, path to the root, counts per level.

    The queries are those of :class:`planner.tree.hierarchy.OrgTree`, which this class wraps; what
    it
    adds is the era's own level ids and the check that every
    unit sits exactly one level below its parent.
    """

    def __init__(self, era_: Era, units: list[Unit]) -> None:
        self.era = era_
        depth = {lv.id: lv.depth for lv in era_.levels}
        levels = {lv.id: Level(lv.id) for lv in era_.levels}
        self._units: dict[str, Unit] = {}
        for unit in units:
            era_.level(unit.level)
            self._units.setdefault(unit.org_id, unit)
        self._tree = OrgTree(
            [
                Org(
                    u.org_id,
                    u.name_vi,
                    u.name_en,
                    levels[u.level],
                    u.parent_id,
                    u.kind,
                    synthetic=u.synthetic,
                    province_code=u.province_code,
                    admin_code=u.admin_code,
                )
                for u in units
            ],
            era=era_.id,
        )
        for unit in units:
            parent = self._units.get(unit.parent_id or "")
            if unit.parent_id is not None and (
                parent is None or depth[parent.level] != depth[unit.level] - 1
            ):
                raise DataFileError(
                    f"'{unit.org_id}' không nằm ngay dưới cấp trên '{unit.parent_id}'.",
                    f"'{unit.org_id}' does not sit right below its parent '{unit.parent_id}'.",
                )
        self.root = self._units[self._tree.root.org_id]

    @classmethod
    def wrapping(cls, era_: Era, tree: OrgTree) -> PartyTree:
        """The era's tree over an :class:`OrgTree` already built (the ``hierarchy`` eras), with
        the same checks as the constructor. The organisations are not copied: the returned tree
        shares ``tree``'s (a shallow copy whose ``era`` is the era id), and makes its units on
        first use."""
        depth = {lv.id: lv.depth for lv in era_.levels}
        for level_id in dict.fromkeys(o.level.value for o in tree):
            era_.level(level_id)
        for org in tree:
            if org.parent_id is None:
                continue
            parent = tree.get(org.parent_id) if org.parent_id in tree else None
            if parent is None or depth[parent.level.value] != depth[org.level.value] - 1:
                raise DataFileError(
                    f"'{org.org_id}' không nằm ngay dưới cấp trên '{org.parent_id}'.",
                    f"'{org.org_id}' does not sit right below its parent '{org.parent_id}'.",
                )
        view = copy.copy(tree)
        view.era = era_.id
        self = cls.__new__(cls)
        self.era = era_
        self._tree = view
        return self

    @cached_property
    def _units(self) -> dict[str, Unit]:
        """The units by id (set by the constructor; made from the wrapped tree otherwise)."""
        return {
            o.org_id: Unit(
                o.org_id,
                o.name_vi,
                o.name_en,
                o.level.value,
                o.parent_id,
                o.kind,
                o.synthetic,
                o.province_code,
                o.admin_code,
            )
            for o in self._tree
        }

    @cached_property
    def root(self) -> Unit:
        """The national unit (set by the constructor; looked up in the units otherwise)."""
        return self._units[self._tree.root.org_id]

    def __len__(self) -> int:
        return len(self._units)

    def __iter__(self) -> Iterator[Unit]:
        return iter(self._units.values())

    def __contains__(self, org_id: object) -> bool:
        return org_id in self._units

    def get(self, org_id: str) -> Unit:
        """The unit with this id; a bilingual error with close ids otherwise."""
        return self._units[self._tree.get(org_id).org_id]

    def children(self, org_id: str) -> list[Unit]:
        """Direct subordinates, in build order."""
        return [self._units[o.org_id] for o in self._tree.children(org_id)]

    def subtree(self, org_id: str) -> list[Unit]:
        """The unit and everything under it, parents before children."""
        return [self._units[o.org_id] for o in self._tree.subtree(org_id)]

    def path_to_root(self, org_id: str) -> list[Unit]:
        """The unit, its parent, … up to the national level."""
        return [self._units[o.org_id] for o in self._tree.path_to_root(org_id)]

    def by_level(self, level_id: str) -> list[Unit]:
        """All units of one level of the era."""
        self.era.level(level_id)
        return [u for u in self._units.values() if u.level == level_id]

    def counts_by_level(self) -> dict[str, int]:
        """How many units each level has, top down (levels with none are omitted)."""
        counts = Counter(u.level for u in self._units.values())
        return {lv: counts[lv] for lv in self.era.level_ids() if counts[lv]}

    def to_org_tree(self) -> OrgTree:
        """The same tree as the :class:`OrgTree` the planner works on (the era's level ids)."""
        return self._tree


def _from_hierarchy(era_: Era) -> PartyTree:
    return PartyTree.wrapping(era_, build_tree())


def _read_units(path: Path) -> list[dict[str, Any]]:
    """Rows of units.csv, checked: columns, integer codes, known levels, known provinces."""
    shown = display_path(path)
    rows: list[dict[str, Any]] = []
    provinces: set[int] = set()
    hint = (
        "Tạo lại bằng: python scripts/units_2025.py",
        "Regenerate it with: python scripts/units_2025.py",
    )
    for line, row in csv_rows(path, UNIT_COLUMNS, *hint):
        try:
            code, province = int(row["code"]), int(row["province_code"])
        except ValueError:
            raise DataFileError(
                "mã đơn vị phải là số nguyên.",
                "unit codes must be integers.",
                file=shown,
                line=line,
                field="code",
            ) from None
        level = row["level"]
        if level == "province":
            provinces.add(code)
        elif level != "commune" or province not in provinces:
            raise DataFileError(
                f"dòng có level '{level}' hoặc tỉnh {province} không hợp lệ "
                "(level là province hoặc commune; tỉnh đứng trước các xã của nó).",
                f"row with level '{level}' or province {province} is invalid (level is "
                "province or commune; a province comes before its communes).",
                file=shown,
                line=line,
                field="level",
            )
        rows.append({**row, "code": code, "province_code": province})
    return rows


def _from_units(era_: Era, folder: Path) -> PartyTree:
    structure_path = folder / "structure.toml"
    doc, text = read_toml(structure_path)
    shown = display_path(structure_path)
    meta = doc.get("units", {})
    rows = _read_units(folder / str(meta.get("file", "units.csv")))
    for level, key in (("province", "provinces"), ("commune", "communes")):
        found = sum(r["level"] == level for r in rows)
        if found != meta.get(key):
            raise DataFileError(
                f"units.csv có {found} dòng {level}, structure.toml ghi {key} = {meta.get(key)}.",
                f"units.csv has {found} {level} rows, structure.toml says {key} = {meta.get(key)}.",
                file=shown,
                line=line_of(text, f"{key} ="),
                field=f"units.{key}",
                hint_vi="Tạo lại units.csv bằng scripts/units_2025.py hoặc sửa số đếm.",
                hint_en="Regenerate units.csv with scripts/units_2025.py or fix the count.",
            )
    ids = {tier: era_.by_tier(tier) for tier in ("national", "central", "upper_grassroots")}
    grass = era_.by_tier("grassroots")
    if grass is None or any(v is None for v in ids.values()):
        raise DataFileError(
            f"thời kỳ {era_.id} cần các bậc national, central, upper_grassroots, grassroots.",
            f"era {era_.id} needs the tiers national, central, upper_grassroots, grassroots.",
            file="data/orgs/eras.toml",
            field=f"eras.{era_.id}.levels",
        )
    central = ids["central"].id  # type: ignore[union-attr]
    upper = ids["upper_grassroots"].id  # type: ignore[union-attr]
    national = doc["national"]
    units = [
        Unit(
            national["id"],
            national["name_vi"],
            national["name_en"],
            ids["national"].id,  # type: ignore[union-attr]
            None,
            "national",
        )
    ]
    weights: list[tuple[str, int]] = []
    share = doc["grassroots"]
    totals = {int(t["code"]): int(t["committees"]) for t in doc.get("province_totals", [])}
    by_province: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        if row["level"] == "commune":
            by_province.setdefault(row["province_code"], []).append(row)
    for row in (r for r in rows if r["level"] == "province"):
        code = row["code"]
        type_vi, type_en = _PROVINCE_TYPE[row["division_type"]]
        short = _short_name(row["name"], row["division_type"])
        pid = f"p{code:02d}"
        units.append(
            Unit(
                pid,
                f"Đảng bộ {type_vi} {short}",
                f"{short} {type_en} Party Committee",
                central,
                national["id"],
                "province",
                province_code=code,
                admin_code=code,
            )
        )
        committees = 0
        for commune in by_province.get(code, []):
            ctype_vi, ctype_en = _COMMUNE_TYPE[commune["division_type"]]
            cshort = _short_name(commune["name"], commune["division_type"])
            cid = f"x{commune['code']:05d}"
            units.append(
                Unit(
                    cid,
                    f"Đảng bộ {ctype_vi} {cshort}",
                    f"{cshort} {ctype_en} Party Committee",
                    upper,
                    pid,
                    "commune",
                    province_code=code,
                    admin_code=commune["code"],
                )
            )
            weights.append((cid, int(share["commune_weight"])))
            committees += 1
        for kind in doc.get("province_committees", []):
            oid = f"{pid}-{kind['suffix']}"
            units.append(
                Unit(
                    oid,
                    kind["name_vi"].format(province=short),
                    kind["name_en"].format(province=short),
                    upper,
                    pid,
                    kind["suffix"],
                    synthetic=True,
                    province_code=code,
                )
            )
            weights.append((oid, int(kind["grassroots_weight"])))
            committees += 1
        extra = totals.get(code, committees) - committees
        if extra < 0:
            raise DataFileError(
                f"tỉnh mã {code}: tổng {totals[code]} nhỏ hơn {committees} đảng bộ đã có.",
                f"province code {code}: total {totals[code]} is below the {committees} "
                "committees already built.",
                file=shown,
                line=line_of(text, f"code = {code}"),
                field="province_totals.committees",
            )
        for n in range(1, extra + 1):
            oid = f"{pid}-x{n:02d}"
            units.append(
                Unit(
                    oid,
                    f"Đảng bộ trực thuộc khác số {n} của Đảng bộ {type_vi} {short}",
                    f"Other subordinate committee no. {n} of {short}",
                    upper,
                    pid,
                    "other",
                    synthetic=True,
                    province_code=code,
                )
            )
            weights.append((oid, int(share["extra_committee_weight"])))
    for item in doc.get("central", []):
        units.append(
            Unit(item["id"], item["name_vi"], item["name_en"], central, national["id"], "central")
        )
        for n in range(1, int(item["subordinates"]) + 1):
            oid = f"{item['id']}-{n:02d}"
            units.append(
                Unit(
                    oid,
                    f"Đảng bộ cấp trên trực tiếp cơ sở số {n:02d} trực thuộc {item['name_vi']}",
                    f"Committee no. {n:02d} directly above grassroots under the {item['name_en']}",
                    upper,
                    item["id"],
                    "central_subordinate",
                    synthetic=True,
                )
            )
            weights.append((oid, int(item["grassroots_weight"])))
    by_id = {u.org_id: u for u in units}
    for parent_id, count in _share_out(int(doc["totals"]["grassroots"]), weights).items():
        parent = by_id[parent_id]
        for n in range(1, count + 1):
            units.append(
                Unit(
                    f"{parent_id}-g{n:03d}",
                    f"Tổ chức cơ sở đảng số {n:03d} trực thuộc {parent.name_vi}",
                    f"Grassroots party organisation no. {n:03d} under {parent.name_en}",
                    grass.id,
                    parent_id,
                    "grassroots",
                    synthetic=True,
                    province_code=parent.province_code,
                )
            )
    return PartyTree(era_, units)


@lru_cache(maxsize=4)
def _build(era_id: str, orgs: str) -> PartyTree:
    era_ = era(era_id, Path(orgs))
    if era_.tree == "hierarchy":
        return _from_hierarchy(era_)
    return _from_units(era_, Path(orgs) / str(era_.folder))


def build_party_tree(era_id: str, folder: Path | None = None) -> PartyTree:
    """The tree of era ``era_id`` (``2015``, ``2020``, ``2025``), cached per era and folder."""
    return _build(era_id, str(folder or data_dir() / "orgs"))
