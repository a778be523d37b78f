"""Legal sources: where a rule, an era or a date comes from (document, article, clause, address).

The one piece the rule catalogue (:mod:`planner.rules.catalogue`) and the eras' data
(:mod:`planner.tree.eras`)
share, kept below both so neither imports the other back.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LegalSource:
    """Where a rule comes from: document, article, clause and the first source address."""

    document: str
    article: str | None = None
    clause: str | None = None
    url: str | None = None

    def cite(self) -> str:
        """A short citation, e.g. ``Luật 85/2015/QH13, Điều 35, Khoản 1``."""
        return ", ".join(p for p in (self.document, self.article, self.clause) if p)
