"""Real congress dates per cycle: sources, ids of the era's tree, and `planner check --plan`."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from planner.cli.main import main
from planner.errors import DataFileError
from planner.rules.history import load_history
from planner.rules.milestones import national_congress
from planner.rules.rulebook import load_rulebook
from planner.tree.build import build_tree
from tests.conftest import DATA

CYCLES = {"xii-2015": "2015", "xiii-2020": "2020", "xiv-2025": "2025"}


@pytest.mark.parametrize(("cycle", "era_id"), list(CYCLES.items()))
def test_rows_have_sources_and_known_ids(cycle: str, era_id: str) -> None:
    """Every row names a public source, and every org id is a unit of the cycle's era tree."""
    rows = load_history(cycle)
    assert len(rows) >= 3
    tree = build_tree(era_id)
    for row in rows:
        assert row.source.strip() and row.org_id in tree, row.org_id


@pytest.mark.parametrize("cycle", list(CYCLES))
def test_national_congress_rows_are_the_actual_dates(cycle: str) -> None:
    """The `vn` row of each history file is the National Congress as it was held (data/calendar)."""
    row = next(r for r in load_history(cycle) if r.org_id == "vn")
    actual = national_congress(cycle).dates("actual")
    assert (row.start, row.end, row.basis) == (actual.start, actual.end, "actual")


def test_2020_history_passes_today_s_check() -> None:
    """`planner check --plan data/history/xiii-2020.csv` accepts the real 2020 dates (exit 0)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(["check", "--plan", str(DATA / "history" / "xiii-2020.csv")])
    assert code == 0, out.getvalue()
    assert "0 vi phạm / violations" in out.getvalue()


def test_2015_hanoi_ran_past_directive_36() -> None:
    """A finding kept in the data: Hà Nội's 2015 congress ended after Directive 36's deadline."""
    end = load_rulebook().ruleset("directive-36-2014").get("d36.end.central").param("date")
    hanoi = next(r for r in load_history("xii-2015") if r.org_id == "p01")
    assert hanoi.end > end


def test_a_row_without_source_is_refused(tmp_path: Path) -> None:
    """A history row must say where its dates come from."""
    (tmp_path / "x.csv").write_text(
        "org_id,start,end,org_name,basis,source\np01,2020-10-11,2020-10-13,Hà Nội,actual,\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as err:
        load_history("x", tmp_path)
    assert (err.value.line, err.value.field) == (2, "source")
