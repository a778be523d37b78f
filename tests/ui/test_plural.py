"""D28: English counts agree with their number ("1 congress", "2 congresses")."""

from __future__ import annotations

from planner.tree.names import plural_en


def test_english_counts_agree_with_their_number() -> None:
    """D28: one of a thing is singular, any other count plural; the number keeps its grouping."""
    assert plural_en(1, "congress") == "1 congress"
    assert plural_en(2, "congress") == "2 congresses"
    assert plural_en(0, "change") == "0 changes"
    assert plural_en(1, "change") == "1 change"
    assert plural_en(1234, "unit") == "1,234 units"
    assert plural_en(1, "day") == "1 day" and plural_en(-1, "day") == "-1 day"
    assert plural_en(3, "child", "children") == "3 children"
