"""The README fits on a screen: the two commands first, the four jobs, links to the docs."""

from __future__ import annotations

import re

from planner.rules.catalogue import load_rulesets
from planner.rules.families import catalogue

from .conftest import REPO

README = REPO / "README.md"
MAX_LINES = 150  # issue 22, point 5: at most about 150 lines; the rest lives in docs/


def _text() -> str:
    return README.read_text(encoding="utf-8")


def test_two_commands_first() -> None:
    """`make run` and `make test` are the first commands shown."""
    first_block = _text().split("```", 2)[1]
    assert "make run" in first_block and "make test" in first_block


def test_fits_on_a_screen() -> None:
    """At most about 150 lines: everything else is in the docs site."""
    assert len(_text().splitlines()) <= MAX_LINES


def test_one_example_per_job_vietnamese_first() -> None:
    """The four jobs, each named in Vietnamese then English, with a command to run."""
    text = _text()
    jobs = ("Lập kế hoạch / Plan", "Kiểm tra khả thi / Check feasibility")
    jobs += ("Xuất lịch iCal / Export feeds", "Theo dõi tiến độ / Follow progress")
    for job in jobs:
        section = text.split(job, 1)[1].split("\n### ", 1)[0]
        assert "```sh" in section and "planner " in section, job
    assert text.index("## Công cụ này làm gì") < text.index("## What it does")


def test_links_point_at_existing_pages() -> None:
    """Every relative link of the README names a file of the repository."""
    links = re.findall(r"\]\(([^)#]+)\)", _text())
    assert links
    for link in links:
        if "://" not in link:
            assert (REPO / link).is_file(), link


def test_family_rules_exist() -> None:
    """Every rule a family cites exists in a rule set."""
    rules = {r.id for rs in load_rulesets().values() for r in rs}
    for fam in catalogue().values():
        assert set(fam.rules) <= rules, fam.id
