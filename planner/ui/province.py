"""The province filter: one provincial committee, or the whole country.

A province is a central-level committee with a province code (63 in the 2020 tree, 34 in the
2025 one). Filtering a plan keeps that committee's congress and every congress below it, the
National Congress (for reference), the preparation steps of the congresses it keeps (a step
row's ``org_id`` is its congress's), and every dated event that belongs to no congress
(election steps, plenums, blackouts, holidays), so each chart, table and download shows one
province.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from planner.rules.preparation import STEP_KINDS
from planner.tree.hierarchy import Level, OrgTree
from planner.ui.words import fold

ALL = "all"


def provinces(tree: OrgTree) -> list[str]:
    """The provincial committees of a tree, by Vietnamese name without diacritics."""
    found = [o for o in tree.by_level(Level.CENTRAL) if o.province_code is not None]
    return [o.org_id for o in sorted(found, key=lambda o: fold(o.name_vi))]


@lru_cache(maxsize=8)
def _members(tree_id: int, tree: OrgTree, province: str) -> frozenset[str]:
    return frozenset(o.org_id for o in tree.subtree(province))


def members(tree: OrgTree, province: str) -> frozenset[str]:
    """The ids of a committee and everything under it (cached per tree and committee)."""
    return _members(id(tree), tree, province)


def subset(plan: pd.DataFrame, tree: OrgTree, province: str) -> pd.DataFrame:
    """The part of a plan that concerns one province (the whole plan for :data:`ALL`)."""
    if province == ALL or province not in tree:
        return plan
    ids = members(tree, province)
    own = plan["kind"].isin(("congress", *STEP_KINDS))  # a step belongs to its congress
    keep = ~own | plan["org_id"].isin(ids) | (plan["level"] == Level.NATIONAL.value)
    out = plan[keep]
    out.attrs.update(plan.attrs)
    return out
