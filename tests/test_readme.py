"""The README opens with the two commands and carries the generated rule catalogue."""

from __future__ import annotations

from planner.families import catalogue, family_catalogue_markdown
from planner.rules import load_rulesets, rule_catalogue_markdown

from .conftest import REPO


def test_two_commands_first() -> None:
    """`make run` and `make test` are the first commands shown."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    first_block = text.split("```", 2)[1]
    assert "make run" in first_block and "make test" in first_block


def test_catalogue_matches_the_data() -> None:
    """The catalogue table between the markers equals what the rule files generate."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("<!-- catalogue:start -->") + len("<!-- catalogue:start -->")
    end = text.index("<!-- catalogue:end -->")
    assert text[start:end].strip() == rule_catalogue_markdown()


def test_family_catalogue_matches_the_data() -> None:
    """The constraint-family table between the markers equals what the catalogue generates."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("<!-- families:start -->") + len("<!-- families:start -->")
    end = text.index("<!-- families:end -->")
    assert text[start:end].strip() == family_catalogue_markdown()


def test_family_rules_exist() -> None:
    """Every rule a family cites exists in a rule set."""
    rules = {r.id for rs in load_rulesets().values() for r in rs}
    for fam in catalogue().values():
        assert set(fam.rules) <= rules, fam.id
