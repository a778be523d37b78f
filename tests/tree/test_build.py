"""The tree of every era: 2025 counts from CYCLES §2.2, provenance, ids, and bad unit files."""

from __future__ import annotations

import csv
import re
import shutil
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from planner.errors import DataFileError, UnknownIdError
from planner.files.paths import data_dir
from planner.tree.build import _check_levels, build_tree
from planner.tree.eras import era
from planner.tree.hierarchy import Level, Org, OrgTree
from tests.conftest import DATA, REPO


@pytest.fixture(scope="module")
def tree() -> OrgTree:
    return build_tree("2025")


def test_2025_counts(tree: OrgTree) -> None:
    """34 provinces + 6 = 40 committees directly under the CC; 3,321 communes; no district."""
    counts = tree.counts_by_level()
    assert counts["national"] == 1
    assert counts["central"] == 40
    central = tree.by_level("central")
    assert sum(u.kind == "province" for u in central) == 34
    communes = [u for u in tree.by_level("commune") if u.kind == "commune"]
    assert len(communes) == 3_321
    assert len({u.admin_code for u in communes}) == 3_321
    assert not any(u.synthetic for u in communes)
    assert "district" not in counts
    assert counts["grassroots"] == 52_105  # the placeholder total of structure.toml


def test_2025_division_types(tree: OrgTree) -> None:
    """2,621 communes, 687 wards, 13 special zones (CYCLES §2.2)."""
    kinds = Counter(
        u.name_vi.removeprefix("Đảng bộ ").split()[0] if "đặc khu" not in u.name_vi else "đặc khu"
        for u in tree.by_level("commune")
        if u.kind == "commune"
    )
    assert (kinds["xã"], kinds["phường"], kinds["đặc khu"]) == (2_621, 687, 13)


def test_new_central_committees(tree: OrgTree) -> None:
    """The Army, Central Public Security and the four committees of 2025 replace the blocs."""
    names = {u.name_vi for u in tree.by_level("central") if u.kind == "central"}
    assert names == {
        "Đảng bộ Quân đội",
        "Đảng bộ Công an Trung ương",
        "Đảng bộ các cơ quan Đảng Trung ương",
        "Đảng bộ Chính phủ",
        "Đảng bộ Quốc hội",
        "Đảng bộ Mặt trận Tổ quốc, các đoàn thể Trung ương",
    }
    assert not [u for u in tree if "Khối" in u.name_vi and u.level == "central"]


def test_sourced_province_totals(tree: OrgTree) -> None:
    """Ninh Bình has 133 committees under it, Hà Nội 136 (press reports, structure.toml)."""
    assert len(tree.children("p37")) == 133
    assert len(tree.children("p01")) == 136
    assert sum(u.kind == "commune" for u in tree.children("p37")) == 129


def test_ids(tree: OrgTree) -> None:
    """p01 is Hà Nội, x00004 Phường Ba Đình (official code 4), p37 Ninh Bình."""
    assert tree.get("p01").name_vi == "Đảng bộ thành phố Hà Nội"
    assert tree.get("x00004").name_vi == "Đảng bộ phường Ba Đình"
    assert tree.get("p37").name_en == "Ninh Bình Provincial Party Committee"
    assert [u.org_id for u in tree.path_to_root("x00004")] == ["x00004", "p01", "vn"]


def test_to_org_tree(tree: OrgTree) -> None:
    """The OrgTree the planner works on keeps every unit and the era's own level ids."""
    org_tree = tree
    assert len(org_tree) == len(tree)
    assert org_tree.era == "2025"
    assert org_tree.get("x00004").level == Level("commune")
    assert Level.DISTRICT not in org_tree.levels()
    assert org_tree.counts_by_level()["central"] == 40


@pytest.mark.parametrize("era_id", ["2015", "2020"])
def test_2020_tree_is_today_s(era_id: str) -> None:
    """Eras 2015 and 2020 are today's tree unit for unit (67 central committees)."""
    counts = build_tree(era_id).counts_by_level()
    assert counts["central"] == 67 and counts["grassroots"] == 52_105
    assert build_tree(era_id).get("d517").name_vi == "Đảng bộ huyện Núi Thành"


def test_units_provenance() -> None:
    """structure.toml records the package, version, wheel hash and licence the script checks."""
    meta = tomllib.loads((DATA / "orgs" / "2025" / "structure.toml").read_text("utf-8"))["units"]
    script = (REPO / "scripts" / "units_2025.py").read_text(encoding="utf-8")
    assert meta["version"] == re.search(r'VERSION = "([^"]+)"', script).group(1)  # type: ignore[union-attr]
    assert meta["wheel_sha256"] in script
    assert meta["licence"] == "GPL-3.0-or-later"


def test_merged_provinces_agree_with_the_package() -> None:
    """The 23 merged provinces typed from NA Resolution 202/2025 (data/kinds.toml) agree with
    the package's old → new mapping in units.csv (two independent sources)."""
    kinds = tomllib.loads((DATA / "kinds.toml").read_text(encoding="utf-8"))
    typed = {
        m["code"]: set(m["merged_from"])
        for s in kinds["unit_sets"]
        if s["id"] == "merged-provinces-2025"
        for m in s["members"]
    }
    with (DATA / "orgs" / "2025" / "units.csv").open(encoding="utf-8") as handle:
        package = {
            int(r["code"]): {int(c) for c in r["merged_from"].split(";")}
            for r in csv.DictReader(handle)
            if r["level"] == "province"
        }
    assert len(typed) == 23
    assert {c for c, olds in package.items() if len(olds) > 1} == set(typed)
    for code, olds in typed.items():
        assert olds <= package[code], code


@pytest.fixture
def orgs_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "orgs"
    shutil.copytree(DATA / "orgs", folder)
    return folder


def test_count_mismatch_names_the_fix(orgs_copy: Path) -> None:
    """A units.csv that lost a row no longer matches the recorded count: regenerate it."""
    path = orgs_copy / "2025" / "units.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        build_tree("2025", orgs_copy)
    assert err.value.field == "units.communes"
    assert "units_2025.py" in (err.value.hint_en or "")


@pytest.mark.parametrize(
    ("old", "new"),
    [("4,commune,Phường Ba Đình", "4x,commune,Phường Ba Đình"), ("4,commune,", "4,district,")],
)
def test_bad_unit_rows(orgs_copy: Path, old: str, new: str) -> None:
    """A bad code or level is a bilingual error with the line of units.csv."""
    path = orgs_copy / "2025" / "units.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        build_tree("2025", orgs_copy)
    assert err.value.file and err.value.file.endswith("units.csv")
    assert err.value.line == 3


def _expected_2020() -> dict[str, int]:
    """Per level, the 2020 tree's size counted from the data alone: the package's list,
    provinces.csv and structure.toml (no code of planner.tree)."""
    import json

    import vietnam_provinces

    doc = tomllib.loads((DATA / "orgs" / "structure.toml").read_text(encoding="utf-8"))
    with (DATA / "orgs" / "provinces.csv").open(encoding="utf-8") as handle:
        border = {
            int(r["code"]): "true" in (r["coastal"], r["land_border"])
            for r in csv.DictReader(handle)
        }
    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as handle:
        provinces = json.load(handle)
    excluded = {e["code"] for e in doc["excluded_districts"]}
    totals = {t["code"]: t["district_committees"] for t in doc["province_totals"]}
    blocs = doc["central"]["blocs"]
    district = sum(b["subordinates"] for b in blocs)
    for province in provinces:
        code = int(province["code"])
        own = sum(int(d["code"]) not in excluded for d in province["districts"])
        own += sum(k["when"] == "always" or border[code] for k in doc["province_committees"])
        district += max(own, totals.get(code, own))
    return {
        "national": 1,
        "central": len(provinces) + len(blocs),
        "district": district,
        "grassroots": doc["totals"]["grassroots"],
    }


def _expected_2025() -> dict[str, int]:
    """Per level, the 2025 tree's size counted from units.csv and structure.toml alone."""
    doc = tomllib.loads((DATA / "orgs" / "2025" / "structure.toml").read_text(encoding="utf-8"))
    with (DATA / "orgs" / "2025" / "units.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    totals = {t["code"]: t["committees"] for t in doc["province_totals"]}
    communes = Counter(int(r["province_code"]) for r in rows if r["level"] == "commune")
    provinces = [int(r["code"]) for r in rows if r["level"] == "province"]
    upper = sum(c["subordinates"] for c in doc["central"])
    for code in provinces:
        own = communes[code] + len(doc["province_committees"])
        upper += max(own, totals.get(code, own))
    return {
        "national": 1,
        "central": len(provinces) + len(doc["central"]),
        "commune": upper,
        "grassroots": doc["totals"]["grassroots"],
    }


@pytest.mark.parametrize(
    ("era_id", "expected"),
    [("2015", _expected_2020), ("2020", _expected_2020), ("2025", _expected_2025)],
)
def test_every_era_counts_as_its_data(era_id: str, expected: Any) -> None:
    """Each era's tree has, level by level, the organisations its data files describe, each
    id once, one root, and every parent built before its children."""
    tree = build_tree(era_id)
    assert tree.era == era_id
    assert tree.counts_by_level() == expected()
    seen: set[str] = set()
    for org in tree:
        assert org.parent_id is None or org.parent_id in seen, org.org_id
        seen.add(org.org_id)
    assert len(seen) == len(tree)


def test_an_organisation_must_sit_right_below_its_parent() -> None:
    """The era's levels check every organisation: one level under its parent, a parent that
    exists, a level the era has."""
    era_2020 = era("2020", data_dir() / "orgs")
    national = Org("vn", "Toàn quốc", "Nation", Level("national"), None, "national")
    good = [national, Org("p1", "Tỉnh", "Province", Level("central"), "vn", "province")]
    _check_levels(era_2020, good)
    for bad in (
        Org("d1", "Huyện", "District", Level("district"), "vn", "territorial"),  # two below
        Org("d2", "Huyện", "District", Level("district"), "p9", "territorial"),  # no parent
        Org("x1", "Xã", "Commune", Level("commune"), "p1", "commune"),  # not a 2020 level
    ):
        with pytest.raises((DataFileError, UnknownIdError)):
            _check_levels(era_2020, [*good, bad])
