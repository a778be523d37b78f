"""The page's heading comes first (issue 19, P1); the time it takes is measured by
``scripts/measure_views.py --first-paint``, never asserted here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.ui import opened

from ..conftest import REPO
from .apptest import APP


def test_heading_is_drawn_before_the_problem_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    """P1: the Plan page's heading is on screen before the scenario, the tree and the problem
    are built (here their building fails, so only what was drawn before it shows), and a page
    that opens normally still has one heading."""

    def unbuilt(*_args: object) -> None:
        raise RuntimeError("the problem is being built")

    monkeypatch.setattr(opened, "built", unbuilt)
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert [h.value for h in at.title] == ["Kế hoạch đại hội"]
    assert any("Something went wrong" in e.value for e in at.error)
    monkeypatch.undo()
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["page"] = "constraints"
    at.run()
    assert not at.exception
    assert [h.value for h in at.title] == ["Ràng buộc"]


def test_early_headings_are_the_pages_own() -> None:
    """P1: each heading app.py draws first is the one its page then draws in its place."""
    tree = ast.parse(Path(APP).read_text(encoding="utf-8"))
    found = next(
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "HEADINGS"
    )
    headings = ast.literal_eval(found)
    assert headings
    for slug, (vi, en) in headings.items():
        text = (REPO / "planner" / "ui" / "pages" / f"{slug}.py").read_text(encoding="utf-8")
        assert re.search(rf'\bpage\("{re.escape(vi)}", "{re.escape(en)}"\)', text), slug
