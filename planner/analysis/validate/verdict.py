"""The validator's verdict: the violations found, each with its family, units, dates, bilingual
messages and the legal source the data gives for the broken rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Violation:
    """One broken rule: the family, the units and dates involved, and bilingual messages."""

    family: str
    units: tuple[str, ...]
    dates: tuple[dt.date, ...]
    message_vi: str
    message_en: str
    rule: str | None = None
    source: str = ""

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "family": self.family,
            "units": list(self.units),
            "dates": [d.isoformat() for d in self.dates],
            "message_vi": self.message_vi,
            "message_en": self.message_en,
            "rule": self.rule,
            "source": self.source,
        }


@dataclass
class Validation:
    """The validator's verdict."""

    violations: list[Violation] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    checked: int = 0
    complete: bool = False

    @property
    def ok(self) -> bool:
        """True when no hard rule is broken (and, with ``complete``, nothing is missing)."""
        return not self.violations

    def families(self) -> set[str]:
        """The families with at least one violation."""
        return {v.family for v in self.violations}

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "valid": self.ok,
            "checked": self.checked,
            "violations": [v.as_dict() for v in self.violations],
            "missing": self.missing,
            "ignored": self.ignored,
        }
