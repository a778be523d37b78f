"""Levels (cấp) of the party organisation, as data: every era's levels from ``data/orgs/eras.toml``.

A :class:`Level` is its id (a string: ``"central"``, ``"district"`` in the 2020 tree,
``"commune"`` in the 2025 one), with the depth (0 = national) and the Party Charter tier the era
data gives it. Code reasons with depth and tier — "below the central level", "directly above
grassroots" — never with a level called district, so any era's tree fits (issue 15). The names
people read come from the same data (:mod:`planner.tree.eras`).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import ClassVar

from planner.errors import DataFileError, UnknownIdError
from planner.tree.eras import load_eras


@lru_cache(maxsize=1)
def _known() -> dict[str, tuple[int, str]]:
    """Every level id of every era → (depth, tier); an id means one rung in every era."""
    out: dict[str, tuple[int, str]] = {}
    for era in load_eras().values():
        for level in era.levels:
            seen = out.setdefault(level.id, (level.depth, level.tier))
            if seen != (level.depth, level.tier):
                raise DataFileError(
                    f"cấp '{level.id}' có độ sâu hoặc bậc khác nhau giữa các thời kỳ.",
                    f"level '{level.id}' has a different depth or tier in two eras.",
                    file="data/orgs/eras.toml",
                    field="eras.levels",
                )
    out.setdefault("cell", (max((d for d, _t in out.values()), default=3) + 1, "cell"))
    return out


class _Levels(type):
    """Iterating over :class:`Level` gives every known level, top-down."""

    def __iter__(cls) -> Iterator[Level]:
        known = _known()
        return iter(Level(i) for i in sorted(known, key=lambda i: (known[i][0], i)))


class Level(str, metaclass=_Levels):
    """A level id, checked against the eras' data; compares and hashes as its id."""

    __slots__ = ()
    NATIONAL: ClassVar[Level]
    CENTRAL: ClassVar[Level]
    DISTRICT: ClassVar[Level]  # the 2020 tree's rung directly above grassroots
    GRASSROOTS: ClassVar[Level]
    CELL: ClassVar[Level]

    def __new__(cls, value: str) -> Level:
        if value not in _known():
            raise ValueError(f"unknown level {value!r}")
        return super().__new__(cls, value)

    @classmethod
    def _trusted(cls, value: str) -> Level:
        return super().__new__(cls, value)

    @property
    def value(self) -> str:
        """The id (as for an enum member)."""
        return str(self)

    @property
    def depth(self) -> int:
        """0 for national, 1 for the level directly under the Central Committee, and so on."""
        return _known()[str(self)][0]

    @property
    def tier(self) -> str:
        """The Party Charter rung: national, central, upper_grassroots, grassroots, cell."""
        return _known()[str(self)][1]

    def __repr__(self) -> str:
        return f"Level({str(self)!r})"


# The rungs every era has (and the 2020 tree's district level, which its builder needs). They
# are created unchecked so that importing this module reads no data file.
Level.NATIONAL = Level._trusted("national")
Level.CENTRAL = Level._trusted("central")
Level.DISTRICT = Level._trusted("district")
Level.GRASSROOTS = Level._trusted("grassroots")
Level.CELL = Level._trusted("cell")


def parse_level(text: str) -> Level:
    """A level from its id; a bilingual error listing the valid ids otherwise."""
    try:
        return Level(text.strip().lower())
    except ValueError:
        valid = ", ".join(level.value for level in Level)
        raise UnknownIdError(
            f"cấp '{text}' không tồn tại; dùng một trong: {valid}.",
            f"unknown level '{text}'; use one of: {valid}.",
            field="level",
        ) from None
