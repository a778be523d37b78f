"""Real congress dates of past cycles (``data/history/<cycle>.csv``), one public source per row.

Each file is a partial plan that ``planner check --plan`` reads as it is (``org_id,start,end``;
``org_name`` and ``source`` are plan columns too, ``basis`` is ignored there): org ids are those
of the cycle's era tree (:mod:`planner.tree.build`; 2015 and 2020: ids such as ``p37``,
``d517``; 2025: ids such as ``p48``, ``x00004``). ``basis`` says whether the row is what
happened (``actual``) or an announced programme that reports did not contradict (``planned``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from planner.errors import DataFileError
from planner.files.csvio import csv_rows
from planner.files.paths import data_dir, display_path

COLUMNS = ("org_id", "start", "end", "org_name", "basis", "source")
BASES = ("actual", "planned")


@dataclass(frozen=True, slots=True)
class HistoricalCongress:
    """A congress as it was held (or announced), with where that is reported."""

    org_id: str
    start: dt.date
    end: dt.date
    org_name: str
    basis: str
    source: str
    line: int


def _day(text: str, shown: str, line: int, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise DataFileError(
            f"'{text}' không phải ngày YYYY-MM-DD.",
            f"'{text}' is not a YYYY-MM-DD date.",
            file=shown,
            line=line,
            field=field,
        ) from None


def load_history(cycle: str, folder: Path | None = None) -> list[HistoricalCongress]:
    """The rows of ``<cycle>.csv``: checked columns, dates, order, basis and a source per row."""
    path = (folder or data_dir() / "history") / f"{cycle}.csv"
    shown = display_path(path)
    if not path.is_file():
        raise DataFileError(
            f"không có lịch sử cho chu kỳ '{cycle}'.",
            f"no history for cycle '{cycle}'.",
            file=shown,
        )
    rows: list[HistoricalCongress] = []
    for line, row in csv_rows(path, COLUMNS):
        start = _day(row["start"], shown, line, "start")
        end = _day(row["end"], shown, line, "end")
        if end < start or row["basis"] not in BASES or not row["source"].strip():
            raise DataFileError(
                "dòng cần end ≥ start, basis là actual hoặc planned, và một nguồn.",
                "a row needs end ≥ start, basis actual or planned, and a source.",
                file=shown,
                line=line,
                field="end" if end < start else "basis" if row["basis"] not in BASES else "source",
            )
        rows.append(
            HistoricalCongress(
                row["org_id"].strip(),
                start,
                end,
                row["org_name"],
                row["basis"],
                row["source"],
                line,
            )
        )
    return rows


def history_cycle(cycle: str | None, scenario_id: str, named: object = None) -> str | None:
    """The cycle whose real dates go with a scenario: the file its ``history`` key names
    (``data/history/xiv-2025.csv``), else its cycle, else its id without ``-full``; None when
    ``data/history`` has no such file."""
    stems = [Path(str(named)).stem] if named else []
    stems += [c for c in (cycle, scenario_id.removesuffix("-full")) if c]
    for stem in stems:
        if (data_dir() / "history" / f"{stem}.csv").is_file():
            return stem
    return None


def history_by_unit(cycle: str) -> dict[str, HistoricalCongress]:
    """A cycle's real dates by org id (the last row of a unit wins, as in a plan)."""
    return {row.org_id: row for row in load_history(cycle)}
