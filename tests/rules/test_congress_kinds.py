"""Congress kinds (4, 3, 2 contents): durations from the Directive, the merged provinces."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planner.errors import DataFileError, UnknownIdError
from planner.rules.congress_kinds import load_kinds, unit_ids
from planner.rules.rulebook import load_rulebook
from planner.tree.build import build_tree
from tests.conftest import DATA, replace_once


def test_three_kinds() -> None:
    """Normal has 4 contents; 3-content drops the committee election; 2-content both elections."""
    kinds = load_kinds()
    assert len(kinds.kind("normal").contents) == 4
    assert "elect_committee" not in kinds.kind("three_content").contents
    assert "elect_delegates" in kinds.kind("three_content").contents
    two = kinds.kind("two_content")
    assert not [c for c in two.contents if c.startswith("elect")]
    assert two.shorter_allowed and not kinds.kind("normal").shorter_allowed
    for content in kinds.contents.values():
        assert content[0] != content[1]


def test_duration_is_the_directive_s() -> None:
    """Every kind's maximum is Chỉ thị 45's: ≤ 4 days directly under the CC, ≤ 2 at commune
    level (CYCLES §2.1); planning defaults never exceed it."""
    d45 = load_rulebook().ruleset("directive-45-2025")
    for kind in load_kinds().kinds.values():
        assert kind.max_days(d45, "central") == 4
        assert kind.max_days(d45, "commune") == 2
        assert kind.days("central", d45, "central") <= 4
        assert kind.days("upper_grassroots", d45, "commune") <= 2
    with pytest.raises(UnknownIdError):
        load_kinds().kind("normal").max_days(d45, "district")


def test_merged_provinces_resolve_in_the_2025_tree() -> None:
    """The 23 merged provincial committees are 23 province units of the 2025 tree, 2-content."""
    merged = load_kinds().unit_set("merged-provinces-2025")
    assert merged.kind == "two_content"
    tree = build_tree("2025")
    ids = unit_ids(merged, tree)
    assert len(set(ids)) == 23
    assert {"p37", "p48", "p79"} <= set(ids) and "p01" not in ids
    assert all(tree.get(i).kind == "province" for i in ids)


def test_merged_provinces_are_not_in_the_2020_tree_as_such() -> None:
    """In the 2020 tree the codes exist but name the old provinces: the set is for era 2025."""
    merged = load_kinds().unit_set("merged-provinces-2025")
    assert unit_ids(merged, build_tree("2020"))[0] == "p08"  # old Tuyên Quang


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('"elect_delegates"]\nmax_days', '"elect_votes"]\nmax_days', "contents"),
        ('max_days = "directive"\nshorter', "max_days = 9\nshorter", "max_days"),
        ('kind = "two_content"', 'kind = "one_content"', "kind"),
        ("{ code = 8,", '{ code = "8",', "members"),
    ],
)
def test_broken_kinds(tmp_path: Path, old: str, new: str, field: str) -> None:
    """A bad kinds file fails with a bilingual error naming the file, field and line."""
    shutil.copy(DATA / "kinds.toml", tmp_path / "kinds.toml")
    replace_once(tmp_path / "kinds.toml", old, new)
    with pytest.raises(DataFileError) as err:
        load_kinds(tmp_path)
    assert field in (err.value.field or "") and err.value.line is not None
