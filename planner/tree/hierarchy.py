"""The organisation tree; the 2020–2021 one: national → 67 central → district-level → grassroots.

Territorial units come from ``vietnam-provinces`` 0.4.3 (statistics office list of 2021-02-03) and
keep ids derived from their official codes (``p01`` province 1, ``d001`` district 1, ``w00001``
commune 1). Non-territorial committees and the grassroots organisations that no source lists are
generated deterministically from ``data/orgs/structure.toml`` and flagged ``synthetic``.
Sources: Directive 35-CT/TW (levels); REFERENCE §2.1 (67 committees, 52,105 grassroots).
"""

from __future__ import annotations

import difflib
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import vietnam_provinces

from planner.errors import DataFileError, UnknownIdError
from planner.files.csvio import csv_rows
from planner.tree.levels import Level, parse_level

__all__ = ["Level", "Org", "OrgTree", "build_tree", "parse_level"]
from planner.files.paths import data_dir, display_path
from planner.files.tomlio import read_toml


@dataclass(frozen=True, slots=True)
class Org:
    """A party organisation that holds a congress."""

    org_id: str
    name_vi: str
    name_en: str
    level: Level
    parent_id: str | None
    kind: str
    synthetic: bool = False
    province_code: int | None = None
    admin_code: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON/CSV row for this organisation."""
        return {
            "org_id": self.org_id,
            "name_vi": self.name_vi,
            "name_en": self.name_en,
            "level": self.level.value,
            "parent_id": self.parent_id,
            "kind": self.kind,
            "synthetic": self.synthetic,
            "province_code": self.province_code,
            "admin_code": self.admin_code,
        }


@dataclass(frozen=True, slots=True)
class AdminCounts:
    """Counts of administrative units in the packaged statistics office list."""

    provinces: int
    districts: int
    communes: int


_PROVINCE_TYPE = {"tỉnh": ("tỉnh", "Provincial"), "thành phố trung ương": ("thành phố", "City")}
_DISTRICT_TYPE = {
    "quận": ("quận", "Urban District"),
    "huyện": ("huyện", "District"),
    "thị xã": ("thị xã", "Town"),
    "thành phố": ("thành phố", "City"),
}
_COMMUNE_TYPE = {
    "xã": ("xã", "Commune"),
    "phường": ("phường", "Ward"),
    "thị trấn": ("thị trấn", "Township"),
}


def _short_name(full: str, division_type: str) -> str:
    """``Quận Ba Đình`` → ``Ba Đình`` (drops the division type in front)."""
    prefix = division_type.split(" trung ương")[0]
    if full.lower().startswith(prefix + " "):
        return full[len(prefix) + 1 :]
    return full


def admin_divisions() -> list[dict[str, Any]]:
    """The packaged nested list of provinces → districts → wards (official codes)."""
    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as handle:
        data: list[dict[str, Any]] = json.load(handle)
    return data


def admin_counts() -> AdminCounts:
    """How many provinces, district-level and commune-level units the package lists."""
    provinces = admin_divisions()
    districts = [d for p in provinces for d in p["districts"]]
    return AdminCounts(
        provinces=len(provinces),
        districts=len(districts),
        communes=sum(len(d["wards"]) for d in districts),
    )


class OrgTree:
    """The whole tree with queries: children, subtree, path to root, counts."""

    def __init__(self, orgs: list[Org], era: str = "2020") -> None:
        self.era = era  # the era of the tree (data/orgs/eras.toml), e.g. "2020", "2025"
        self._orgs: dict[str, Org] = {}
        self._children: dict[str, list[str]] = {}
        for org in orgs:
            if org.org_id in self._orgs:
                raise DataFileError(
                    f"id tổ chức '{org.org_id}' bị trùng.", f"duplicate org id '{org.org_id}'."
                )
            self._orgs[org.org_id] = org
            self._children.setdefault(org.org_id, [])
            if org.parent_id is not None:
                self._children.setdefault(org.parent_id, []).append(org.org_id)
        roots = [o for o in orgs if o.parent_id is None]
        if len(roots) != 1:
            raise DataFileError(
                "cây tổ chức phải có đúng một gốc.", "the tree needs exactly one root."
            )
        self.root = roots[0]

    def __len__(self) -> int:
        return len(self._orgs)

    def __iter__(self) -> Iterator[Org]:
        return iter(self._orgs.values())

    def __contains__(self, org_id: object) -> bool:
        return org_id in self._orgs

    def get(self, org_id: str) -> Org:
        """The organisation with this id; a bilingual error with close ids otherwise."""
        try:
            return self._orgs[org_id]
        except KeyError:
            close = difflib.get_close_matches(org_id, self._orgs.keys(), n=3, cutoff=0.75)
            hint_vi = f"Có phải: {', '.join(close)}?" if close else "Xem `planner orgs`."
            hint_en = f"Did you mean: {', '.join(close)}?" if close else "See `planner orgs`."
            raise UnknownIdError(
                f"không có tổ chức '{org_id}'.",
                f"unknown org id '{org_id}'.",
                field="org",
                hint_vi=hint_vi,
                hint_en=hint_en,
            ) from None

    def children(self, org_id: str) -> list[Org]:
        """Direct subordinates, in id order."""
        self.get(org_id)
        return [self._orgs[c] for c in self._children[org_id]]

    def subtree(self, org_id: str) -> list[Org]:
        """The organisation and everything under it, parents before children."""
        out = [self.get(org_id)]
        index = 0
        while index < len(out):
            out.extend(self._orgs[c] for c in self._children[out[index].org_id])
            index += 1
        return out

    def path_to_root(self, org_id: str) -> list[Org]:
        """The organisation, its parent, … up to the national level."""
        path = [self.get(org_id)]
        while path[-1].parent_id is not None:
            path.append(self._orgs[path[-1].parent_id])
        return path

    def central_of(self, org_id: str) -> Org | None:
        """The central-level committee an organisation belongs to (None for the national one)."""
        for org in self.path_to_root(org_id):
            if org.level == Level.CENTRAL:
                return org
        return None

    def by_level(self, level: Level) -> list[Org]:
        """All organisations of one level."""
        return [o for o in self._orgs.values() if o.level == level]

    def counts_by_level(self) -> dict[str, int]:
        """How many organisations each level has (levels with none are omitted)."""
        counts = Counter(o.level.value for o in self._orgs.values())
        return {level.value: counts[level.value] for level in Level if counts[level.value]}

    def levels(self) -> list[Level]:
        """The levels this tree has, top-down."""
        present = {o.level for o in self._orgs.values()}
        return sorted(present, key=lambda lv: lv.depth)

    def counts_by_central(self) -> dict[str, dict[str, int]]:
        """For each central-level committee: its organisations per level, itself included."""
        out: dict[str, dict[str, int]] = {}
        for central in self.by_level(Level.CENTRAL):
            counts = Counter(o.level.value for o in self.subtree(central.org_id))
            out[central.org_id] = {lv.value: counts[lv.value] for lv in Level if counts[lv.value]}
        return out

    def counts_by_province(self) -> dict[int, dict[str, int]]:
        """Per province code: organisations per level under that provincial committee."""
        counts = self.counts_by_central()
        return {
            org.province_code: counts[org.org_id]
            for org in self.by_level(Level.CENTRAL)
            if org.province_code is not None
        }


def _read_provinces_csv(path: Path) -> dict[int, dict[str, str]]:
    shown = display_path(path)
    needed = ("code", "province", "coastal", "land_border", "delegate_class")
    rows: dict[int, dict[str, str]] = {}
    for line, row in csv_rows(path, needed):
        try:
            code = int(row["code"])
        except ValueError:
            raise DataFileError(
                f"mã tỉnh '{row['code']}' không phải số.",
                f"province code '{row['code']}' is not a number.",
                file=shown,
                line=line,
                field="code",
            ) from None
        for key in ("coastal", "land_border"):
            if row[key] not in ("true", "false"):
                raise DataFileError(
                    f"cột {key} phải là true hoặc false, nhận '{row[key]}'.",
                    f"column {key} must be true or false, got '{row[key]}'.",
                    file=shown,
                    line=line,
                    field=key,
                )
        rows[code] = row
    return rows


def _share_out(total: int, weights: list[tuple[str, int]]) -> dict[str, int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder, ties by id)."""
    weight_sum = sum(w for _, w in weights)
    if total < 0 or weight_sum <= 0:
        return {key: 0 for key, _ in weights}
    base = {key: total * w // weight_sum for key, w in weights}
    rest = total - sum(base.values())
    order = sorted(weights, key=lambda kw: (-(total * kw[1] % weight_sum), kw[0]))
    for key, _ in order[:rest]:
        base[key] += 1
    return base


def build_tree(folder: Path | None = None) -> OrgTree:
    """Build the organisation tree from the package and ``data/orgs`` (cached per folder)."""
    return _build_tree(str(folder or data_dir() / "orgs"))


@lru_cache(maxsize=2)
def _build_tree(folder: str) -> OrgTree:
    orgs_dir = Path(folder)
    structure_path = orgs_dir / "structure.toml"
    doc, _ = read_toml(structure_path)
    shown = display_path(structure_path)
    flags = _read_provinces_csv(orgs_dir / "provinces.csv")
    excluded = {int(e["code"]) for e in doc.get("excluded_districts", [])}
    totals = {int(t["code"]): int(t["district_committees"]) for t in doc.get("province_totals", [])}
    weights_cfg = doc["grassroots"]

    national = doc["national"]
    orgs: list[Org] = [
        Org(
            national["id"],
            national["name_vi"],
            national["name_en"],
            Level.NATIONAL,
            None,
            "national",
        )
    ]
    weights: list[tuple[str, int]] = []  # district-level org id -> grassroots weight
    communes_placed = 0

    for province in admin_divisions():
        code = int(province["code"])
        if code not in flags:
            raise DataFileError(
                f"tỉnh mã {code} ({province['name']}) không có trong provinces.csv.",
                f"province code {code} ({province['name']}) is missing from provinces.csv.",
                file=display_path(orgs_dir / "provinces.csv"),
                hint_vi="Thêm một dòng cho tỉnh này.",
                hint_en="Add a row for this province.",
            )
        short = _short_name(province["name"], province["division_type"])
        type_vi, type_en = _PROVINCE_TYPE[province["division_type"]]
        pid = f"p{code:02d}"
        orgs.append(
            Org(
                pid,
                f"Đảng bộ {type_vi} {short}",
                f"{short} {type_en} Party Committee",
                Level.CENTRAL,
                national["id"],
                "province",
                province_code=code,
                admin_code=code,
            )
        )
        committees = 0
        for district in province["districts"]:
            dcode = int(district["code"])
            if dcode in excluded:
                continue
            dshort = _short_name(district["name"], district["division_type"])
            dtype_vi, dtype_en = _DISTRICT_TYPE[district["division_type"]]
            did = f"d{dcode:03d}"
            orgs.append(
                Org(
                    did,
                    f"Đảng bộ {dtype_vi} {dshort}",
                    f"{dshort} {dtype_en} Party Committee",
                    Level.DISTRICT,
                    pid,
                    "territorial",
                    province_code=code,
                    admin_code=dcode,
                )
            )
            committees += 1
            weights.append(
                (
                    did,
                    int(weights_cfg["territorial_weight"])
                    + int(weights_cfg["per_commune_weight"]) * len(district["wards"]),
                )
            )
            for ward in district["wards"]:
                wshort = _short_name(ward["name"], ward["division_type"])
                wtype_vi, wtype_en = _COMMUNE_TYPE[ward["division_type"]]
                orgs.append(
                    Org(
                        f"w{int(ward['code']):05d}",
                        f"Đảng bộ {wtype_vi} {wshort}",
                        f"{wshort} {wtype_en} Party Committee",
                        Level.GRASSROOTS,
                        did,
                        "commune",
                        province_code=code,
                        admin_code=int(ward["code"]),
                    )
                )
                communes_placed += 1
        flag = flags[code]
        border_or_coast = flag["coastal"] == "true" or flag["land_border"] == "true"
        for kind in doc.get("province_committees", []):
            if kind["when"] == "border_or_coast" and not border_or_coast:
                continue
            oid = f"{pid}-{kind['suffix']}"
            orgs.append(
                Org(
                    oid,
                    kind["name_vi"].format(province=short),
                    kind["name_en"].format(province=short),
                    Level.DISTRICT,
                    pid,
                    kind["suffix"],
                    synthetic=True,
                    province_code=code,
                )
            )
            committees += 1
            weights.append((oid, int(kind["grassroots_weight"])))
        extra = totals.get(code, committees) - committees
        if extra < 0:
            raise DataFileError(
                f"tỉnh mã {code}: tổng {totals[code]} nhỏ hơn {committees} đảng bộ đã có.",
                f"province code {code}: total {totals[code]} is below the {committees} committees "
                "already built.",
                file=shown,
                field="province_totals.district_committees",
            )
        for n in range(1, extra + 1):
            oid = f"{pid}-x{n:02d}"
            orgs.append(
                Org(
                    oid,
                    f"Đảng bộ trực thuộc khác số {n} của Đảng bộ {type_vi} {short}",
                    f"Other subordinate committee no. {n} of {short}",
                    Level.DISTRICT,
                    pid,
                    "other",
                    synthetic=True,
                    province_code=code,
                )
            )
            weights.append((oid, int(weights_cfg["extra_committee_weight"])))

    for bloc in doc["central"]["blocs"]:
        orgs.append(
            Org(bloc["id"], bloc["name_vi"], bloc["name_en"], Level.CENTRAL, national["id"], "bloc")
        )
        for n in range(1, int(bloc["subordinates"]) + 1):
            oid = f"{bloc['id']}-{n:02d}"
            orgs.append(
                Org(
                    oid,
                    f"Đảng bộ cấp trên cơ sở số {n:02d} trực thuộc {bloc['name_vi']}",
                    f"District-level committee no. {n:02d} under the {bloc['name_en']}",
                    Level.DISTRICT,
                    bloc["id"],
                    "bloc_subordinate",
                    synthetic=True,
                )
            )
            weights.append((oid, int(bloc["grassroots_weight"])))

    total = int(doc["totals"]["grassroots"])
    if total < communes_placed:
        raise DataFileError(
            f"tổng số tổ chức cơ sở ({total}) nhỏ hơn số đơn vị cấp xã ({communes_placed}).",
            f"the grassroots total ({total}) is below the number of communes ({communes_placed}).",
            file=shown,
            field="totals.grassroots",
        )
    shares = _share_out(total - communes_placed, weights)
    by_id = {o.org_id: o for o in orgs}
    for parent_id, count in shares.items():
        parent = by_id[parent_id]
        for n in range(1, count + 1):
            orgs.append(
                Org(
                    f"{parent_id}-g{n:03d}",
                    f"Tổ chức cơ sở đảng số {n:03d} trực thuộc {parent.name_vi}",
                    f"Grassroots party organisation no. {n:03d} under {parent.name_en}",
                    Level.GRASSROOTS,
                    parent_id,
                    "non_territorial",
                    synthetic=True,
                    province_code=parent.province_code,
                )
            )
    return OrgTree(orgs)
