"""Finding any unit of a tree by its name (with or without diacritics) or its id.

The index holds every organisation's id and its Vietnamese and English names folded (no case,
no diacritics: ``Ninh Bình`` → ``ninh binh``). A query matches a unit when every word of the
folded query is in one of its folded names, or when it is the unit's id. Results come best
first: the id itself, then a name equal to the query, then a name that starts with it, then
the rest; within each, higher levels first (a province before the wards named after it), then
shorter names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import streamlit as st

from planner.tree.hierarchy import OrgTree
from planner.ui.common import name_col
from planner.ui.session import lang
from planner.ui.words import fold

MAX_RESULTS = 20
UNIT_PAGE = "planner/ui/pages/unit.py"
# Streamlit keeps a page link's label on one line and cuts it at the sidebar's edge: let a long
# name wrap (nothing a planner needs may be cut off at 1280 px)
WRAP_LINKS = (
    "<style>[data-testid='stPageLink'] p {white-space: normal !important; "
    "overflow-wrap: anywhere;} [data-testid='stPageLink'] a, [data-testid='stPageLink'] span "
    "{max-width: 100%; overflow: visible; height: auto;}</style>"
)


@dataclass(frozen=True)
class Entry:
    """One unit in the index."""

    org_id: str
    depth: int
    vi: str
    en: str


class Index:
    """Every unit of one tree, ready to search."""

    def __init__(self, tree: OrgTree) -> None:
        self.entries = [
            Entry(o.org_id, o.level.depth, fold(o.name_vi), fold(o.name_en)) for o in tree
        ]
        self.ids = {o.org_id.lower(): o.org_id for o in tree}

    def find(self, query: str, limit: int = MAX_RESULTS) -> list[str]:
        """The ids of the units that match ``query``, best first (at most ``limit``)."""
        folded = fold(query)
        if not folded:
            return []
        words = folded.split()
        ranked: list[tuple[int, int, int, str]] = []
        exact_id = self.ids.get(query.strip().lower())
        for entry in self.entries:
            if entry.org_id == exact_id:
                ranked.append((0, entry.depth, 0, entry.org_id))
                continue
            best = None
            for name in (entry.vi, entry.en):
                if not all(w in name for w in words):
                    continue
                if name == folded or name.endswith(" " + folded):
                    rank = 1
                elif name.startswith(folded):
                    rank = 2
                else:
                    rank = 3
                best = rank if best is None else min(best, rank)
            if best is not None:
                ranked.append((best, entry.depth, len(entry.vi), entry.org_id))
        ranked.sort()
        return [r[3] for r in ranked[:limit]]


@lru_cache(maxsize=4)
def _index(tree_id: int, tree: OrgTree) -> Index:
    return Index(tree)


def index_of(tree: OrgTree) -> Index:
    """The index of a tree (built once per tree)."""
    return _index(id(tree), tree)


def place(tree: OrgTree, org_id: str) -> str:
    """The province (central-level committee) of a unit below that level, in a few words
    (``tỉnh Ninh Bình`` / ``Ninh Bình``), so that units of the same name can be told apart;
    empty for the National Congress and the central-level committees."""
    central = tree.central_of(org_id)
    if central is None or central.org_id == org_id:
        return ""
    if lang() == "en":
        return re.sub(r" (Provincial |City )?Party Committee$", "", central.name_en)
    return central.name_vi.removeprefix("Đảng bộ ")


def unit_label(tree: OrgTree, org_id: str, *, with_place: bool = True) -> str:
    """A unit's name in the page's language, its province (``with_place``) and its id:
    ``Đảng bộ xã Ninh Bình · tỉnh Hà Nam · w22576``."""
    where = place(tree, org_id) if with_place else ""
    name = str(getattr(tree.get(org_id), name_col()))
    return " · ".join(part for part in (name, where, org_id) if part)


def unit_link(
    where: Any,
    tree: OrgTree,
    org_id: str,
    prefix: str = "",
    *,
    page: Any = UNIT_PAGE,
    with_id: bool = True,
    with_place: bool = True,
) -> None:
    """A link in ``where`` (``st``, ``st.sidebar``, a column) to a unit's page, the URL's other
    parameters kept: ``prefix``, the unit's name in the page's language, its province (unless
    ``with_place`` is False: units of the same name are told apart by it) and its id (unless
    ``with_id`` is False)."""
    if with_id:
        label = unit_label(tree, org_id, with_place=with_place)
    else:
        label = str(getattr(tree.get(org_id), name_col()))
    where.page_link(
        page,
        label=prefix + label,
        query_params={**st.query_params.to_dict(), "page": "unit", "unit": org_id},
    )
