"""Organisation tree: REFERENCE counts, stable ids, queries, and errors for unknown ids."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from planner.errors import DataFileError, UnknownIdError
from planner.tree.admin import admin_counts
from planner.tree.build import _build, build_tree
from planner.tree.hierarchy import Level, OrgTree, parse_level
from tests.conftest import DATA


@pytest.fixture(scope="module")
def tree() -> OrgTree:
    return build_tree()


def test_reference_counts(tree: OrgTree) -> None:
    """67 central committees, 52,105 grassroots, one national congress (REFERENCE §2.1)."""
    counts = tree.counts_by_level()
    assert counts["national"] == 1
    assert counts["central"] == 67
    assert counts["grassroots"] == 52_105
    assert 1_000 <= counts["district"] <= 1_400  # REFERENCE §8 belief: about 1,2xx–1,3xx


def test_administrative_units() -> None:
    """The packaged list of 2021-02-03: 63 provinces, 705 districts, 10,603 communes."""
    units = admin_counts()
    assert (units.provinces, units.districts, units.communes) == (63, 705, 10_603)


def test_provinces_and_blocs(tree: OrgTree) -> None:
    """63 provincial committees plus the Army, Police, Agencies and Enterprises blocs."""
    central = tree.by_level(Level.CENTRAL)
    assert sum(o.kind == "province" for o in central) == 63
    blocs = {o.org_id: o.name_vi for o in central if o.kind == "bloc"}
    assert set(blocs.values()) == {
        "Đảng bộ Quân đội",
        "Đảng bộ Công an Trung ương",
        "Đảng bộ Khối các cơ quan Trung ương",
        "Đảng bộ Khối Doanh nghiệp Trung ương",
    }
    assert all(tree.children(b) for b in blocs)


def test_one_grassroots_per_commune(tree: OrgTree) -> None:
    """Every commune-level unit has exactly one grassroots organisation, not synthetic."""
    communes = [o for o in tree.by_level(Level.GRASSROOTS) if o.kind == "commune"]
    assert len(communes) == 10_603
    assert not any(o.synthetic for o in communes)
    assert len({o.admin_code for o in communes}) == 10_603


def test_ids_derive_from_official_codes(tree: OrgTree) -> None:
    """Hà Nội is p01, Ba Đình d001, Phúc Xá ward w00001."""
    assert tree.get("p01").name_vi == "Đảng bộ thành phố Hà Nội"
    assert tree.get("d001").name_vi == "Đảng bộ quận Ba Đình"
    assert tree.get("w00001").name_vi == "Đảng bộ phường Phúc Xá"
    assert tree.get("p37").name_vi == "Đảng bộ tỉnh Ninh Bình"


def test_ids_stable_across_builds() -> None:
    """Two independent builds give the same ids, names and parents in the same order."""
    first = [
        (o.org_id, o.parent_id, o.name_vi) for o in _build.__wrapped__("2020", str(DATA / "orgs"))
    ]
    second = [
        (o.org_id, o.parent_id, o.name_vi) for o in _build.__wrapped__("2020", str(DATA / "orgs"))
    ]
    assert first == second


def test_tree_shape(tree: OrgTree) -> None:
    """Every parent exists and sits exactly one level above its child."""
    for org in tree:
        if org.parent_id is None:
            assert org.level == Level.NATIONAL
            continue
        parent = tree.get(org.parent_id)
        assert parent.level.depth == org.level.depth - 1


def test_border_guard_where_border_or_coast(tree: OrgTree) -> None:
    """A border-guard committee in each of the 44 provinces with a land border or a coast."""
    with (DATA / "orgs" / "provinces.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    expected = {
        f"p{int(r['code']):02d}-border" for r in rows if "true" in (r["coastal"], r["land_border"])
    }
    assert len(expected) == 44
    assert {o.org_id for o in tree if o.kind == "border"} == expected


def test_sourced_province_totals(tree: OrgTree) -> None:
    """Đà Nẵng has 16 district-level committees (no Hoàng Sa), Quảng Ninh 20 (DESIGN §5)."""
    assert len(tree.children("p48")) == 16
    assert "d498" not in tree
    assert len(tree.children("p22")) == 20


def test_synthetic_flag(tree: OrgTree) -> None:
    """Territorial units are real; non-territorial ones are flagged synthetic."""
    assert not tree.get("d001").synthetic
    assert tree.get("p01-military").synthetic
    assert all(o.synthetic for o in tree.children("c-army"))
    assert all(o.synthetic for o in tree if o.kind == "non_territorial")


def test_queries(tree: OrgTree) -> None:
    """children, subtree and path to root agree with each other."""
    path = [o.org_id for o in tree.path_to_root("w00001")]
    assert path == ["w00001", "d001", "p01", "vn"]
    sub = tree.subtree("p37")
    assert sub[0].org_id == "p37"
    assert {o.org_id for o in tree.children("p37")} <= {o.org_id for o in sub}
    assert all(tree.central_of(o.org_id).org_id == "p37" for o in sub)  # type: ignore[union-attr]
    assert tree.central_of("vn") is None
    by_province = tree.counts_by_province()
    assert len(by_province) == 63
    assert by_province[37]["grassroots"] == sum(o.level == Level.GRASSROOTS for o in sub)
    assert sum(c.get("grassroots", 0) for c in tree.counts_by_central().values()) == 52_105


def test_unknown_org_id_suggests(tree: OrgTree) -> None:
    """An unknown org id is a bilingual error that suggests close ids."""
    with pytest.raises(UnknownIdError) as err:
        tree.get("p377")
    assert "p377" in err.value.message_vi and "p377" in err.value.message_en
    assert "p37" in (err.value.hint_en or "")


def test_unknown_level() -> None:
    """Levels parse from their ids; anything else lists the valid ones."""
    assert parse_level(" District ") == Level.DISTRICT
    with pytest.raises(UnknownIdError) as err:
        parse_level("province")
    assert "grassroots" in err.value.message_en


def test_broken_provinces_csv(tmp_path: Path) -> None:
    """A malformed provinces.csv names the file, the line and the column."""
    folder = tmp_path / "orgs"
    folder.mkdir()
    (folder / "structure.toml").write_text(
        (DATA / "orgs" / "structure.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    shutil.copy(DATA / "orgs" / "eras.toml", folder)
    text = (DATA / "orgs" / "provinces.csv").read_text(encoding="utf-8")
    (folder / "provinces.csv").write_text(
        text.replace("2,Hà Giang,false,true", "2,Hà Giang,no,true"), encoding="utf-8"
    )
    with pytest.raises(DataFileError) as err:
        build_tree("2020", folder)
    assert err.value.field == "coastal" and err.value.line == 3
    assert err.value.file == "provinces.csv"
