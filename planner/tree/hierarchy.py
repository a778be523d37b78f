"""The organisation tree of every era: :class:`Org` (a party organisation that holds a congress)
and :class:`OrgTree` (the whole tree with its queries). Levels are the era's own
(:mod:`planner.tree.levels`); the trees themselves are built by :mod:`planner.tree.build`.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from planner.errors import DataFileError, UnknownIdError
from planner.tree.levels import Level, parse_level

__all__ = ["Level", "Org", "OrgTree", "parse_level"]


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
