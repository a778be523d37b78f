"""Build the organisation tree of any era (``data/orgs/eras.toml``) as one :class:`OrgTree`.

Era ``2020`` (``tree = "hierarchy"``; ``2015`` reuses it, ``same_tree_as``): national → 67
central → district-level → grassroots. Provinces, districts and communes come from the statistics
office list packaged in ``vietnam-provinces`` 0.4.3 and keep ids derived from their official codes
(``p01`` province 1, ``d001`` district 1, ``w00001`` commune 1).

Era ``2025`` (``tree = "units"``): national → 40 central → commune-level → grassroots, from
``data/orgs/2025/units.csv`` (34 provinces and cities, 3,321 communes, wards and special zones;
``x00004`` is the commune with official code 4), with the six committees directly under the
Central Committee that are not provinces (``c-army`` …). There is no district level (Chỉ thị
45-CT/TW; CYCLES §2.2).

In both, what no source lists is generated deterministically from the era's ``structure.toml`` and
flagged ``synthetic``: a province's other committees (``p01-military``), extra committees up to a
sourced total (``p01-x01``), a central committee's subordinates (``c-army-01``) and the
grassroots organisations (``d001-g001``), shared out by weight to reach the total of grassroots.
Sources: Directive 35-CT/TW (levels); REFERENCE §2.1 (67 committees, 52,105 grassroots).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from planner.errors import DataFileError
from planner.files.paths import data_dir, display_path
from planner.files.tomlio import line_of, read_toml
from planner.tree.admin import (
    COMMUNE_TYPE_2020,
    COMMUNE_TYPE_2025,
    DISTRICT_TYPE,
    PROVINCE_TYPE,
    admin_divisions,
    read_province_flags,
    read_units,
    short_name,
)
from planner.tree.eras import Era, era
from planner.tree.hierarchy import Org, OrgTree
from planner.tree.levels import Level


def build_tree(era_id: str = "2020", folder: Path | None = None) -> OrgTree:
    """The tree of era ``era_id`` (``2015``, ``2020``, ``2025``) from ``data/orgs`` (or
    ``folder``), built once per process for each era and folder."""
    return _build(era_id, str(folder or data_dir() / "orgs"))


@lru_cache(maxsize=4)
def _build(era_id: str, folder: str) -> OrgTree:
    era_ = era(era_id, Path(folder))
    if era_.same_tree_as is not None:
        view = copy.copy(_build(era_.same_tree_as, folder))  # shares the organisations
        view.era = era_.id
        return view
    if era_.tree == "hierarchy":
        orgs = _statistics_tree(era_, Path(folder))
    else:
        orgs = _units_tree(era_, Path(folder) / str(era_.folder))
    _check_levels(era_, orgs)
    return OrgTree(orgs, era=era_.id)


def _check_levels(era_: Era, orgs: list[Org]) -> None:
    """Every level is one of the era's, and every organisation sits one level below its parent."""
    depth = {lv.id: lv.depth for lv in era_.levels}
    for level in dict.fromkeys(o.level for o in orgs):
        era_.level(level.value)
    level_of = {o.org_id: o.level for o in orgs}  # a level is looked up as its id (a str)
    for org in orgs:
        if org.parent_id is None:
            continue
        parent = level_of.get(org.parent_id)
        if parent is None or depth[parent] != depth[org.level] - 1:
            raise DataFileError(
                f"'{org.org_id}' không nằm ngay dưới cấp trên '{org.parent_id}'.",
                f"'{org.org_id}' does not sit right below its parent '{org.parent_id}'.",
            )


@dataclass(frozen=True, slots=True)
class _Rungs:
    """The era's level on each Party Charter tier a tree is built of."""

    national: Level
    central: Level
    upper: Level  # directly above grassroots: district (2020) or commune (2025)
    grassroots: Level


def _rungs(era_: Era) -> _Rungs:
    tiers = [era_.by_tier(t) for t in ("national", "central", "upper_grassroots", "grassroots")]
    if any(t is None for t in tiers):
        raise DataFileError(
            f"thời kỳ {era_.id} cần các bậc national, central, upper_grassroots, grassroots.",
            f"era {era_.id} needs the tiers national, central, upper_grassroots, grassroots.",
            file="data/orgs/eras.toml",
            field=f"eras.{era_.id}.levels",
        )
    national, central, upper, grassroots = (Level(t.id) for t in tiers if t is not None)
    return _Rungs(national, central, upper, grassroots)


@dataclass(slots=True)
class _Draft:
    """A tree being built: its organisations in order, the weight of each committee in the
    share-out of synthetic grassroots, and what its ``structure.toml`` says."""

    doc: dict[str, Any]
    text: str
    path: Path
    rungs: _Rungs
    totals_key: str  # the key of [[province_totals]] that holds a province's total
    orgs: list[Org] = field(default_factory=list)
    weights: list[tuple[str, int]] = field(default_factory=list)

    def add(self, org: Org, weight: int | None = None) -> None:
        """Append an organisation; a weight makes it share in the synthetic grassroots."""
        self.orgs.append(org)
        if weight is not None:
            self.weights.append((org.org_id, weight))

    @property
    def national_id(self) -> str:
        """The id of the national organisation (the root)."""
        return str(self.doc["national"]["id"])


def _start(era_: Era, folder: Path, totals_key: str) -> _Draft:
    """A draft holding the national organisation, from ``folder``/structure.toml."""
    path = folder / "structure.toml"
    doc, text = read_toml(path)
    rungs = _rungs(era_)
    draft = _Draft(doc, text, path, rungs, totals_key)
    national = doc["national"]
    draft.add(
        Org(
            national["id"],
            national["name_vi"],
            national["name_en"],
            rungs.national,
            None,
            "national",
        )
    )
    return draft


# ---- provinces: the territorial committees directly under the Central Committee


@dataclass(frozen=True, slots=True)
class _Province:
    """A provincial committee being built: its id, official code and names."""

    pid: str
    code: int
    short: str  # ``Hà Nội``
    type_vi: str  # ``thành phố``


def _add_province(draft: _Draft, code: int, name: str, division_type: str) -> _Province:
    """Add a provincial committee (``p01``, Đảng bộ thành phố Hà Nội)."""
    short = short_name(name, division_type)
    type_vi, type_en = PROVINCE_TYPE[division_type]
    province = _Province(f"p{code:02d}", code, short, type_vi)
    draft.add(
        Org(
            province.pid,
            f"Đảng bộ {type_vi} {short}",
            f"{short} {type_en} Party Committee",
            draft.rungs.central,
            draft.national_id,
            "province",
            province_code=code,
            admin_code=code,
        )
    )
    return province


_ID_WIDTH = {"d": 3, "w": 5, "x": 5}  # digits of the official code in a district's, a commune's id


def _add_territorial(
    draft: _Draft,
    province: _Province,
    unit: dict[str, Any],
    types: dict[str, tuple[str, str]],
    spec: tuple[str, Level, str, str],
    weight: int | None = None,
) -> str:
    """Add the committee of an administrative unit (district ``d001``, commune ``w00001`` or
    ``x00004``: ``spec`` is the id letter and width, level, parent and kind); its id."""
    prefix, level, parent_id, kind = spec
    code = int(unit["code"])
    unit_short = short_name(unit["name"], unit["division_type"])
    type_vi, type_en = types[unit["division_type"]]
    width = _ID_WIDTH[prefix]
    oid = f"{prefix}{code:0{width}d}"
    draft.add(
        Org(
            oid,
            f"Đảng bộ {type_vi} {unit_short}",
            f"{unit_short} {type_en} Party Committee",
            level,
            parent_id,
            kind,
            province_code=province.code,
            admin_code=code,
        ),
        weight,
    )
    return oid


def _province_committees(draft: _Draft, province: _Province, border: bool) -> int:
    """A province's non-territorial committees (military, police, …; synthetic: their list is
    common knowledge, not sourced); those marked ``border_or_coast`` only where ``border``.
    Returns how many were added."""
    added = 0
    for kind in draft.doc.get("province_committees", []):
        if kind.get("when") == "border_or_coast" and not border:
            continue
        draft.add(
            Org(
                f"{province.pid}-{kind['suffix']}",
                kind["name_vi"].format(province=province.short),
                kind["name_en"].format(province=province.short),
                draft.rungs.upper,
                province.pid,
                kind["suffix"],
                synthetic=True,
                province_code=province.code,
            ),
            int(kind["grassroots_weight"]),
        )
        added += 1
    return added


def _extra_committees(draft: _Draft, province: _Province, built: int) -> None:
    """Synthetic committees up to the province's sourced total (``[[province_totals]]``, from
    press reports; DESIGN §5) when the units and committees built fall short of it."""
    key = draft.totals_key
    totals = {int(t["code"]): int(t[key]) for t in draft.doc.get("province_totals", [])}
    code = province.code
    extra = totals.get(code, built) - built
    if extra < 0:
        raise DataFileError(
            f"tỉnh mã {code}: tổng {totals[code]} nhỏ hơn {built} đảng bộ đã có.",
            f"province code {code}: total {totals[code]} is below the {built} committees "
            "already built.",
            file=display_path(draft.path),
            line=line_of(draft.text, f"code = {code}"),
            field=f"province_totals.{key}",
        )
    for n in range(1, extra + 1):
        draft.add(
            Org(
                f"{province.pid}-x{n:02d}",
                f"Đảng bộ trực thuộc khác số {n} của Đảng bộ {province.type_vi} {province.short}",
                f"Other subordinate committee no. {n} of {province.short}",
                draft.rungs.upper,
                province.pid,
                "other",
                synthetic=True,
                province_code=code,
            ),
            int(draft.doc["grassroots"]["extra_committee_weight"]),
        )


# ---- the committees directly under the Central Committee that are not provinces


@dataclass(frozen=True, slots=True)
class _CentralStyle:
    """How an era names its non-territorial central committees and their subordinates."""

    kind: str
    sub_kind: str
    sub_vi: str  # a format string with {n} and {name}
    sub_en: str


_BLOCS_2020 = _CentralStyle(
    "bloc",
    "bloc_subordinate",
    "Đảng bộ cấp trên cơ sở số {n:02d} trực thuộc {name}",
    "District-level committee no. {n:02d} under the {name}",
)
_CENTRAL_2025 = _CentralStyle(
    "central",
    "central_subordinate",
    "Đảng bộ cấp trên trực tiếp cơ sở số {n:02d} trực thuộc {name}",
    "Committee no. {n:02d} directly above grassroots under the {name}",
)


def _central_committees(draft: _Draft, items: list[dict[str, Any]], style: _CentralStyle) -> None:
    """The Army, Police, … committees and their synthetic subordinates (``c-army-01``)."""
    rungs = draft.rungs
    for item in items:
        cid = item["id"]
        draft.add(
            Org(cid, item["name_vi"], item["name_en"], rungs.central, draft.national_id, style.kind)
        )
        for n in range(1, int(item["subordinates"]) + 1):
            draft.add(
                Org(
                    f"{cid}-{n:02d}",
                    style.sub_vi.format(n=n, name=item["name_vi"]),
                    style.sub_en.format(n=n, name=item["name_en"]),
                    rungs.upper,
                    cid,
                    style.sub_kind,
                    synthetic=True,
                ),
                int(item["grassroots_weight"]),
            )


# ---- grassroots: the synthetic organisations no source lists


def share_out(total: int, weights: list[tuple[str, int]]) -> dict[str, int]:
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


def _grassroots(draft: _Draft, count: int, kind: str) -> None:
    """``count`` synthetic grassroots organisations shared out over the weighted committees
    (``d001-g001``), appended after every committee."""
    by_id = {o.org_id: o for o in draft.orgs}
    for parent_id, share in share_out(count, draft.weights).items():
        parent = by_id[parent_id]
        for n in range(1, share + 1):
            draft.add(
                Org(
                    f"{parent_id}-g{n:03d}",
                    f"Tổ chức cơ sở đảng số {n:03d} trực thuộc {parent.name_vi}",
                    f"Grassroots party organisation no. {n:03d} under {parent.name_en}",
                    draft.rungs.grassroots,
                    parent_id,
                    kind,
                    synthetic=True,
                    province_code=parent.province_code,
                )
            )


# ---- the 2020 tree: the statistics office list of 2021 (provinces → districts → communes)


def _statistics_tree(era_: Era, folder: Path) -> list[Org]:
    """The organisations of a ``hierarchy`` era, in tree order: each province with its
    districts (each with its communes' grassroots committees), its other committees and extra
    ones; then the blocs; then the synthetic grassroots."""
    draft = _start(era_, folder, "district_committees")
    flags = read_province_flags(folder / "provinces.csv")
    communes = 0
    for province in admin_divisions():
        code = int(province["code"])
        if code not in flags:
            raise DataFileError(
                f"tỉnh mã {code} ({province['name']}) không có trong provinces.csv.",
                f"province code {code} ({province['name']}) is missing from provinces.csv.",
                file=display_path(folder / "provinces.csv"),
                hint_vi="Thêm một dòng cho tỉnh này.",
                hint_en="Add a row for this province.",
            )
        border = "true" in (flags[code]["coastal"], flags[code]["land_border"])
        communes += _statistics_province(draft, province, border)
    _central_committees(draft, draft.doc["central"]["blocs"], _BLOCS_2020)
    total = int(draft.doc["totals"]["grassroots"])
    if total < communes:
        raise DataFileError(
            f"tổng số tổ chức cơ sở ({total}) nhỏ hơn số đơn vị cấp xã ({communes}).",
            f"the grassroots total ({total}) is below the number of communes ({communes}).",
            file=display_path(draft.path),
            field="totals.grassroots",
        )
    _grassroots(draft, total - communes, "non_territorial")
    return draft.orgs


def _statistics_province(draft: _Draft, division: dict[str, Any], border: bool) -> int:
    """A province of the statistics list with everything under it but the synthetic
    grassroots; returns how many communes it placed."""
    province = _add_province(
        draft, int(division["code"]), division["name"], division["division_type"]
    )
    excluded = {int(e["code"]) for e in draft.doc.get("excluded_districts", [])}
    weights = draft.doc["grassroots"]
    rungs = draft.rungs
    committees = communes = 0
    for district in division["districts"]:
        if int(district["code"]) in excluded:
            continue
        weight = int(weights["territorial_weight"]) + int(weights["per_commune_weight"]) * len(
            district["wards"]
        )
        spec = ("d", rungs.upper, province.pid, "territorial")
        did = _add_territorial(draft, province, district, DISTRICT_TYPE, spec, weight)
        committees += 1
        for ward in district["wards"]:
            spec = ("w", rungs.grassroots, did, "commune")
            _add_territorial(draft, province, ward, COMMUNE_TYPE_2020, spec)
            communes += 1
    committees += _province_committees(draft, province, border)
    _extra_committees(draft, province, committees)
    return communes


# ---- the 2025 tree: units.csv (provinces → communes, wards and special zones)


def _units_tree(era_: Era, folder: Path) -> list[Org]:
    """The organisations of a ``units`` era, in tree order: each province with its communes,
    its other committees and extra ones; then the central committees; then the grassroots."""
    draft = _start(era_, folder, "committees")
    rows = _counted_units(draft)
    communes: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        if row["level"] == "commune":
            communes.setdefault(row["province_code"], []).append(row)
    weight = int(draft.doc["grassroots"]["commune_weight"])
    for row in (r for r in rows if r["level"] == "province"):
        province = _add_province(draft, row["code"], row["name"], row["division_type"])
        spec = ("x", draft.rungs.upper, province.pid, "commune")
        for commune in communes.get(row["code"], []):
            _add_territorial(draft, province, commune, COMMUNE_TYPE_2025, spec, weight)
        # the units carry no coast or border flags: every listed committee is built
        built = len(communes.get(row["code"], [])) + _province_committees(draft, province, True)
        _extra_committees(draft, province, built)
    _central_committees(draft, draft.doc.get("central", []), _CENTRAL_2025)
    _grassroots(draft, int(draft.doc["totals"]["grassroots"]), "grassroots")
    return draft.orgs


def _counted_units(draft: _Draft) -> list[dict[str, Any]]:
    """The rows of the era's units.csv, checked against the counts ``[units]`` records."""
    meta = draft.doc.get("units", {})
    rows = read_units(draft.path.parent / str(meta.get("file", "units.csv")))
    for level, key in (("province", "provinces"), ("commune", "communes")):
        found = sum(r["level"] == level for r in rows)
        if found != meta.get(key):
            raise DataFileError(
                f"units.csv có {found} dòng {level}, structure.toml ghi {key} = {meta.get(key)}.",
                f"units.csv has {found} {level} rows, structure.toml says {key} = {meta.get(key)}.",
                file=display_path(draft.path),
                line=line_of(draft.text, f"{key} ="),
                field=f"units.{key}",
                hint_vi="Tạo lại units.csv bằng scripts/units_2025.py hoặc sửa số đếm.",
                hint_en="Regenerate units.csv with scripts/units_2025.py or fix the count.",
            )
    return rows
